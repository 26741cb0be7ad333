//! Workbooks (xlsx, xlsm, xls, xlsb, ods) through calamine.

use std::io::Cursor;
use std::path::{Path, PathBuf};

use std::collections::HashMap;

use calamine::{
    Data as CData, DataRef, Dimensions, Ods, Reader, Sheets, Xls, Xlsb, Xlsx, XlsxFormulaMetadata,
};
use chrono::{Datelike, NaiveDate, NaiveDateTime};

use super::hidden::{self, Hidden};
use super::{CellStyle, CellStyles, Grid, GridRow, Merge, Raw, limits};
use crate::diagnostics::{Error, Location, Note, Result, cell_name};

/// A workbook held in memory: it is under the file-size limit, and reading it from memory
/// lets the checks before opening and the reader share one read of the file.
type Bytes = Cursor<Vec<u8>>;

pub struct Workbook {
    pub path: PathBuf,
    sheets: Sheets<Bytes>,
    /// Whether any worksheet has merged cells (xlsx): only then is a sheet's XML read a
    /// second time for them.
    has_merges: bool,
    /// What the checks before opening found: whether formulas' stored values are results.
    package: limits::Package,
    names: Vec<String>,
    /// An .ods's or .xls's cells shown otherwise than huibao writes numbers (percentages,
    /// number and date formats), by sheet; an xlsx's are read with each sheet.
    styles: HashMap<String, CellStyles>,
    /// The sheets hidden in Excel or WPS, for messages that list what a workbook holds.
    hidden_sheets: Vec<String>,
    /// The rows and columns the sheets hide, by sheet.
    hidden: HashMap<String, Hidden>,
    /// How each style of an xlsx's palette shows numbers, read with its first sheet.
    palette: Option<Palette>,
}

/// Each style of an xlsx's palette, as [`palette`] reads it: once a workbook, a workbook
/// carrying thousands of styles.
type Palette = std::sync::Arc<[Option<CellStyle>]>;

impl Workbook {
    /// Opens a workbook after checking what it declares against the limits (see
    /// [`limits`]); a reader that panics on a damaged file is an error naming the file.
    pub fn open(path: &Path) -> Result<Workbook> {
        let size = std::fs::metadata(path)
            .map_err(|e| Error::read(path, e))?
            .len();
        limits::check_file_size(path, size)?;
        let bytes = std::fs::read(path).map_err(|e| Error::read(path, e))?;
        let ext = path
            .extension()
            .map(|e| e.to_string_lossy().to_lowercase())
            .unwrap_or_default();
        let (package, styles, hidden) = guarded(path, || match ext.as_str() {
            "xls" => limits::check_xls(path, &bytes).and_then(|found| {
                super::isolate::probe(path)?;
                let package = limits::Package {
                    has_merges: true,
                    has_formulas: true,
                    ..limits::Package::default()
                };
                Ok((package, found.styles, found.hidden))
            }),
            "ods" => limits::check_package(path, &bytes).and_then(|package| {
                let found = limits::check_ods(path, &bytes)?;
                Ok((package, found.styles, found.hidden))
            }),
            _ => limits::check_package(path, &bytes).map(|package| {
                let hidden = match package.hidden.is_empty() {
                    true => HashMap::new(),
                    false => hidden::of_sheets(&bytes, &package.hidden),
                };
                (package, HashMap::new(), hidden)
            }),
        })?;
        let head = bytes[..bytes.len().min(8)].to_vec();
        let unreadable = |detail: String| Error::Workbook {
            file: path.to_path_buf(),
            reason: why_unreadable(&ext, &head, &detail),
        };
        let sheets = guarded(path, || {
            let data = Cursor::new(bytes);
            match ext.as_str() {
                "xls" => Xls::new(data).map(Sheets::Xls).map_err(|e| e.to_string()),
                "xlsb" => Xlsb::new(data).map(Sheets::Xlsb).map_err(|e| e.to_string()),
                "ods" => Ods::new(data).map(Sheets::Ods).map_err(|e| e.to_string()),
                _ => Xlsx::new(data).map(Sheets::Xlsx).map_err(|e| e.to_string()),
            }
            .map_err(unreadable)
        })?;
        let names = sheets.sheet_names();
        let hidden_sheets = sheets
            .sheets_metadata()
            .iter()
            .filter(|s| s.visible != calamine::SheetVisible::Visible)
            .map(|s| s.name.clone())
            .collect();
        Ok(Workbook {
            path: path.to_path_buf(),
            sheets,
            has_merges: package.has_merges,
            package,
            names,
            styles,
            hidden_sheets,
            hidden,
            palette: None,
        })
    }

    /// The sheets' names, in the workbook's order, hidden ones marked `（隐藏）`.
    pub fn describe_sheets(&self) -> Vec<String> {
        self.names
            .iter()
            .map(|n| match self.hidden_sheets.contains(n) {
                true => format!("{n}（隐藏）"),
                false => n.clone(),
            })
            .collect()
    }

    /// The sheets' names, trimmed, for a "did you mean".
    pub fn sheet_names(&self) -> impl Iterator<Item = &str> {
        self.names.iter().map(|n| n.trim())
    }

    /// Sheet names are matched after trimming: `活动清单 ` is `活动清单`.
    pub fn has_sheet(&self, name: &str) -> bool {
        self.names.iter().any(|n| n.trim() == name)
    }

    pub fn grid(&mut self, name: &str) -> Result<Grid> {
        let actual = self
            .names
            .iter()
            .find(|n| n.trim() == name)
            .cloned()
            .unwrap_or_else(|| name.to_owned());
        let at = Location::sheet(&self.path, Some(&actual));
        let path = self.path.clone();
        let sheets = &mut self.sheets;
        let package = &self.package;
        let styles = self.styles.get(&actual);
        let (first_col, mut rows) = guarded(&path, || {
            read_cells(sheets, &actual, &at, package, styles, &mut self.palette)
        })?;
        let merged = match self.has_merges {
            true => guarded(&path, || Ok(merged(sheets, &actual)))?,
            false => Vec::new(),
        };
        let merges = fill_merged(&mut rows, first_col, &merged, &at)?;
        Ok(Grid {
            at,
            first_col,
            rows,
            merges,
            hidden: self.hidden.get(&actual).cloned().unwrap_or_default(),
        })
    }
}

/// Runs a reader on a file, turning a panic inside it (a damaged file the reader did not
/// expect) into an error naming the file.
fn guarded<T>(path: &Path, read: impl FnOnce() -> Result<T>) -> Result<T> {
    std::panic::catch_unwind(std::panic::AssertUnwindSafe(read)).unwrap_or_else(|panic| {
        let detail = crate::diagnostics::panic_message(&*panic);
        Err(Error::Workbook {
            file: path.to_path_buf(),
            reason: format!("文件已损坏，读取程序无法解析它（{detail}）"),
        })
    })
}

/// A sheet's cells, within the limits: xlsx and xlsb cell by cell as the file holds them (so
/// far-apart cells cost nothing for the space between them), xls and ods through the reader's
/// range, which the checks before opening have bounded.
fn read_cells(
    sheets: &mut Sheets<Bytes>,
    name: &str,
    at: &Location,
    package: &limits::Package,
    styles: Option<&CellStyles>,
    palette_of_workbook: &mut Option<Palette>,
) -> Result<(u32, Vec<GridRow>)> {
    // A formula's stored 0 is a placeholder, not its result, where the workbook asks to be
    // calculated when opened (XlsxWriter, rust_xlsxwriter and their kin store 0 for each).
    let placeholders = package.recalculate_on_load;
    let fail = |e: &dyn std::fmt::Display| Error::Workbook {
        file: at.file.to_path_buf(),
        reason: format!("工作表“{name}”已损坏，读取程序无法解析它（{e}）"),
    };
    let mut cells = limits::Cells::new(at.clone());
    let mut add = |row: u32, col: u32, value: Raw| match value {
        Raw::Empty => Ok(()),
        value => cells.push(row, col, value),
    };
    match sheets {
        Sheets::Xlsx(xlsx) => {
            let mut reader = match xlsx.worksheet_cells_reader(name) {
                Ok(reader) => reader,
                // A chart sheet holds no cells.
                Err(calamine::XlsxError::NotAWorksheet(_)) => return cells.into_rows(),
                Err(e) => return Err(fail(&e)),
            };
            let palette = palette_of_workbook
                .get_or_insert_with(|| Palette::from(palette(reader.styles())))
                .clone();
            let plain = palette.iter().all(Option::is_none);
            // Without formulas in the workbook, one pass gives each cell with its style.
            if !plain && !package.has_formulas {
                while let Some((cell, style)) =
                    reader.next_cell_with_style_id().map_err(|e| fail(&e))?
                {
                    let (row, col) = cell.get_position();
                    let value = raw(cell.get_value().clone().into());
                    add(row, col, styled(&palette, style, value))?;
                }
                return cells.into_rows();
            }
            // calamine gives a cell's style and its formula in separate passes: the styles
            // are read in a pass of their own where the workbook has a format to apply.
            let mut of_cell = HashMap::new();
            if !plain {
                drop(reader);
                of_cell = styled_cells(xlsx, name, &palette).map_err(|e| fail(&e))?;
                reader = xlsx.worksheet_cells_reader(name).map_err(|e| fail(&e))?;
            }
            while let Some(cell) = reader
                .next_cell_with_formula_metadata()
                .map_err(|e| fail(&e))?
            {
                let (row, col) = cell.pos;
                match (cell.value, cell.formula) {
                    // A formula with no result stored: written by a program (openpyxl,
                    // a web system's export) and never opened in Excel or WPS, which
                    // would have calculated and saved it. Read as a value, it would be
                    // a blank, or the 0 such programs store in its place; typing says
                    // what to do instead.
                    (value, Some(formula))
                        if value == DataRef::Empty || (placeholders && is_zero(&value)) =>
                    {
                        add(row, col, Raw::Formula(formula_text(formula)))?
                    }
                    // A cell not in `of_cell` has the workbook's default style, 0, as in
                    // Excel (see `styled_cells`).
                    (value, _) => {
                        let style = of_cell.get(&(row, col)).copied().unwrap_or(0);
                        add(row, col, styled(&palette, style, raw(value.into())))?
                    }
                }
            }
        }
        Sheets::Xlsb(xlsb) => {
            let mut reader = xlsb.worksheet_cells_reader(name).map_err(|e| fail(&e))?;
            while let Some(cell) = reader.next_cell().map_err(|e| fail(&e))? {
                let (row, col) = cell.get_position();
                add(row, col, raw(cell.get_value().clone().into()))?;
            }
        }
        Sheets::Xls(_) | Sheets::Ods(_) => {
            let range = sheets.worksheet_range(name).map_err(|e| fail(&e))?;
            // An .xls always stores its formulas' results; an .ods is read with its formulas.
            let formulas = match sheets {
                Sheets::Ods(ods) => Some(ods.worksheet_formula(name).map_err(|e| fail(&e))?),
                _ => None,
            };
            let formula_at = |at: (u32, u32)| {
                formulas
                    .as_ref()
                    .and_then(|f| f.get_value(at))
                    .filter(|f| !f.is_empty())
            };
            let (top, left) = range.start().unwrap_or((0, 0));
            for (row, col, data) in range.used_cells() {
                let at = (top + row as u32, left + col as u32);
                let value = match data {
                    // LibreOffice stores a formula's error (`Err:502`, `#N/A`) as its text.
                    CData::String(s) if formula_at(at).is_some() && is_error_text(s) => {
                        Raw::Error(s.clone())
                    }
                    data => match styles {
                        Some(styles) => styles.apply(at, raw(data.clone())),
                        None => raw(data.clone()),
                    },
                };
                add(at.0, at.1, value)?;
            }
            // An .ods a library wrote (ezodf, odswriter) may hold a formula and no value
            // (`table:formula` without `office:value`): as for xlsx, not a blank. One a
            // spreadsheet application wrote stores an empty result so.
            if let Some(formulas) = formulas.as_ref().filter(|_| !package.calculated) {
                let (top, left) = formulas.start().unwrap_or((0, 0));
                for (row, col, formula) in formulas.used_cells() {
                    let at = (top + row as u32, left + col as u32);
                    if !formula.is_empty() && range.get_value(at).is_none_or(|v| *v == CData::Empty)
                    {
                        let formula = formula.strip_prefix("of:").unwrap_or(formula);
                        let formula = match formula.starts_with('=') {
                            true => formula.to_owned(),
                            false => format!("={formula}"),
                        };
                        add(at.0, at.1, Raw::Formula(formula))?;
                    }
                }
            }
        }
    }
    cells.into_rows()
}

/// How each style of an xlsx's palette shows numbers, where not as huibao writes them.
fn palette(styles: &[calamine::Style]) -> Vec<Option<CellStyle>> {
    styles
        .iter()
        .map(|s| {
            let format = s.number_format.as_ref()?;
            CellStyle::of(&format.format_code, format.format_id)
        })
        .collect()
}

/// A cell as its style shows it (a percentage, or a number or date in its format).
fn styled(palette: &[Option<CellStyle>], style: usize, raw: Raw) -> Raw {
    match palette.get(style) {
        Some(Some(style)) => style.apply(raw),
        _ => raw,
    }
}

/// The cells of an xlsx sheet whose style is not the default (0), with their style: those
/// whose style shows numbers otherwise than huibao writes them, and, where the default style
/// does, every one (calamine leaves out the cells of style 0, those without an `s`).
fn styled_cells(
    xlsx: &mut Xlsx<Bytes>,
    name: &str,
    palette: &[Option<CellStyle>],
) -> std::result::Result<HashMap<(u32, u32), usize>, calamine::XlsxError> {
    let default_shows = palette.first().is_some_and(Option::is_some);
    let mut cells = HashMap::new();
    let mut styles = xlsx.worksheet_cells_reader(name)?;
    while let Some((row, col, style)) = styles.next_style_id()? {
        if default_shows || palette.get(style).is_some_and(Option::is_some) {
            cells.insert((row, col), style);
        }
    }
    Ok(cells)
}

/// The text a spreadsheet application stores for a formula's error: LibreOffice's `Err:502`,
/// or one of the error values Excel shows.
fn is_error_text(text: &str) -> bool {
    text.strip_prefix("Err:")
        .is_some_and(|n| !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit()))
        || matches!(
            text,
            "#DIV/0!" | "#N/A" | "#NAME?" | "#NULL!" | "#NUM!" | "#REF!" | "#VALUE!"
        )
}

/// A stored 0, which a workbook that asks to be calculated on opening holds for a formula
/// in place of its result (as a number, or a date when the cell has a date format).
fn is_zero(value: &DataRef) -> bool {
    match value {
        DataRef::Int(i) => *i == 0,
        DataRef::Float(f) => *f == 0.0,
        DataRef::DateTime(dt) => dt.as_f64() == 0.0,
        _ => false,
    }
}

/// A formula as Excel shows it in the formula bar, when the file holds its text; empty for a
/// copy of a shared formula (`<f t="shared" si="0"/>`), which holds none.
fn formula_text(formula: XlsxFormulaMetadata) -> String {
    match formula {
        XlsxFormulaMetadata::Normal { formula } | XlsxFormulaMetadata::Shared { formula, .. } => {
            format!("={formula}")
        }
        // SharedDerived, and kinds a later reader adds.
        _ => String::new(),
    }
}

/// The merged regions of a sheet, where the format keeps them (xlsx, xls).
fn merged(sheets: &mut Sheets<Bytes>, sheet: &str) -> Vec<Dimensions> {
    match sheets {
        Sheets::Xlsx(xlsx) => xlsx.merge_cells_by_sheet_name(sheet).unwrap_or_default(),
        Sheets::Xls(xls) => xls.merge_cells_by_sheet_name(sheet).unwrap_or_default(),
        Sheets::Xlsb(_) | Sheets::Ods(_) => Vec::new(),
    }
}

/// A vertical merge (one category spanning several activity rows) holds its value in the top
/// cell only; it belongs to every row the merge covers. Returns each merge applied.
fn fill_merged(
    rows: &mut Vec<GridRow>,
    first_col: u32,
    merged: &[Dimensions],
    at: &Location,
) -> Result<Vec<Merge>> {
    let mut merges = Vec::new();
    for region in merged {
        let (top, left) = region.start;
        let (bottom, right) = region.end;
        if bottom <= top || left < first_col {
            continue;
        }
        let col = (left - first_col) as usize;
        let value = match rows
            .binary_search_by_key(&top, |r| r.index)
            .ok()
            .and_then(|i| rows[i].cells.get(col))
        {
            Some(v) if *v != Raw::Empty => v.clone(),
            _ => continue,
        };
        // Only rows that exist or lie within the sheet's used rows are filled: a merge
        // reaching far below the data does not make rows of its own.
        let last = rows.last().map_or(top, |r| r.index).min(bottom);
        for row in (top + 1)..=last {
            let i = match rows.binary_search_by_key(&row, |r| r.index) {
                Ok(i) => i,
                Err(i) => {
                    rows.insert(
                        i,
                        GridRow {
                            index: row,
                            cells: Vec::new(),
                        },
                    );
                    i
                }
            };
            let cells = &mut rows[i].cells;
            if cells.len() <= col {
                cells.resize(col + 1, Raw::Empty);
            }
            cells[col] = value.clone();
        }
        if rows.len() > limits::MAX_ROWS {
            return Err(Error::TooLarge {
                at: at.at(top, left),
                what: format!(
                    "合并单元格铺开后，有内容的行超过了 {} 行的上限",
                    limits::MAX_ROWS
                ),
                advice: "请取消过大的合并单元格。".into(),
            });
        }
        merges.push(Merge {
            top,
            bottom,
            col: left,
            note: Note::new(
                at.clone(),
                format!(
                    "合并单元格 {}:{} 的值“{}”已用于它覆盖的每一行。",
                    cell_name(top, left),
                    cell_name(bottom, right),
                    super::typing::text_of(&value)
                ),
            ),
        });
    }
    Ok(merges)
}

fn raw(cell: CData) -> Raw {
    match cell {
        CData::Empty => Raw::Empty,
        CData::String(s) if s.trim().is_empty() => Raw::Empty,
        CData::String(s) => Raw::Text(s),
        CData::Int(i) => Raw::Int(i),
        CData::Float(f) => Raw::Float(significant(f)),
        CData::Bool(b) => Raw::Bool(b),
        // Serial 0 and below are no day (Excel shows 1900/1/0 or ####); calamine counts back
        // from 1899-12-31. As a number, typing says a date column's cell is not a date. In the
        // 1904 system serial 0 is its first day, 1904-01-01.
        CData::DateTime(dt)
            if dt.as_f64() < 0.0 || dt.as_datetime().is_none_or(|d| d.year() < 1900) =>
        {
            Raw::Float(dt.as_f64())
        }
        CData::DateTime(dt) => match dt.as_datetime() {
            // Serial 60 is 1900-02-29, a day Excel counts that never was (kept for Lotus
            // 1-2-3); calamine reads it as 02-28. Pass it on as text so typing rejects it.
            Some(d) if dt.as_f64().floor() == 60.0 && d.date().to_string() == "1900-02-28" => {
                Raw::Text("1900-02-29".into())
            }
            Some(dt) => Raw::DateTime(dt),
            None => Raw::Float(dt.as_f64()),
        },
        // A date cell stored as ISO 8601 text (`t="d"`: strict OOXML, SheetJS): the day it is,
        // shown by its format as any other date cell is.
        CData::DateTimeIso(s) => match iso_datetime(&s) {
            Some(dt) => Raw::DateTime(dt),
            None => Raw::Text(s),
        },
        CData::DurationIso(s) => Raw::Text(s),
        CData::Error(e) => Raw::Error(e.to_string()),
    }
}

/// An ISO 8601 date, or date and time (`2022-10-25`, `2022-10-25T09:30:00`, with a `Z`).
fn iso_datetime(text: &str) -> Option<NaiveDateTime> {
    let text = text.trim().trim_end_matches('Z');
    NaiveDateTime::parse_from_str(text, "%Y-%m-%dT%H:%M:%S%.f")
        .or_else(|_| NaiveDateTime::parse_from_str(text, "%Y-%m-%dT%H:%M"))
        .ok()
        .or_else(|| {
            NaiveDate::parse_from_str(text, "%Y-%m-%d")
                .ok()?
                .and_hms_opt(0, 0, 0)
        })
}

/// Why a workbook cannot be opened, in words a clerk can act on.
fn why_unreadable(extension: &str, head: &[u8], detail: &str) -> String {
    let zipped = extension != "xls";
    if head.is_empty() {
        "文件是空的（0 字节）".into()
    } else if detail.to_lowercase().contains("password") || detail.contains("ncrypt") {
        "文件设置了打开密码".into()
    } else if zipped && head.starts_with(&[0xD0, 0xCF, 0x11, 0xE0]) {
        "文件设置了打开密码（已加密），或是旧版 .xls 文件改了扩展名".into()
    } else if zipped && !head.starts_with(b"PK") {
        "内容不是工作簿：可能是改了扩展名的其他文件，或文件已损坏".into()
    } else if detail.contains("Zip error") {
        // The zip reader's own words (“Could not find EOCD”) say nothing more to a clerk, and
        // this reason also reaches a county-wide report's list of departments left out.
        "文件已损坏或不完整，可能没有保存完或下载中断".into()
    } else {
        format!("文件已损坏或不完整，可能没有保存完或下载中断（{detail}）")
    }
}

/// Excel shows at most 15 significant digits; beyond them is binary noise (a formula's
/// 0.1+0.2 is stored as 0.30000000000000004 and shown as 0.3).
pub fn significant(f: f64) -> f64 {
    // A whole number below 10^15 has at most 15 digits already: most cells (counts, amounts
    // in yuan) take this way and skip the formatting below.
    if !f.is_finite() || f == 0.0 || (f.fract() == 0.0 && f.abs() < 1e15) {
        return f;
    }
    // Near the largest number a double holds, rounding up would pass it (to infinity).
    format!("{f:.14e}")
        .parse()
        .ok()
        .filter(|r: &f64| r.is_finite())
        .unwrap_or(f)
}

#[cfg(test)]
mod tests {
    use super::{Raw, raw, significant};
    use calamine::{Data, ExcelDateTime, ExcelDateTimeType};

    #[test]
    fn the_largest_numbers_stay_numbers() {
        assert!(significant(f64::MAX).is_finite());
        assert!(significant(-f64::MAX).is_finite());
        assert_eq!(significant(2.0 / 3.0), 0.666666666666667);
    }

    #[test]
    fn a_date_cell_of_serial_zero_or_less_is_no_date() {
        let date = |serial| {
            Data::DateTime(ExcelDateTime::new(
                serial,
                ExcelDateTimeType::DateTime,
                false,
            ))
        };
        assert_eq!(raw(date(0.0)), Raw::Float(0.0));
        assert_eq!(raw(date(-5.0)), Raw::Float(-5.0));
        assert!(
            matches!(raw(date(1.0)), Raw::DateTime(d) if d.to_string() == "1900-01-01 00:00:00")
        );
        assert!(
            matches!(raw(date(44859.0)), Raw::DateTime(d) if d.to_string() == "2022-10-25 00:00:00")
        );
    }

    #[test]
    fn significant_keeps_fifteen_digits() {
        assert_eq!(significant(0.1 + 0.2), 0.3);
        assert_eq!(significant(1234.0), 1234.0);
        assert_eq!(significant(-5e14), -5e14);
        // Whole numbers of more than 15 digits are rounded as Excel shows them.
        assert_eq!(significant(12345678901234567.0), 12345678901234600.0);
        assert_eq!(significant(2.0f64.powi(60)), 1.15292150460685e18);
        assert_eq!(significant(100.0 / 3.0), 33.3333333333333);
    }
}
