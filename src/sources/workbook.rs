//! Workbooks (xlsx, xlsm, xls, xlsb, ods) through calamine.

use std::fs::File;
use std::io::BufReader;
use std::path::{Path, PathBuf};

use calamine::{Data as CData, Dimensions, Reader, Sheets, open_workbook_auto};

use super::{Grid, GridRow, Raw};
use crate::diagnostics::{Error, Location, Note, Result, cell_name};

pub struct Workbook {
    pub path: PathBuf,
    sheets: Sheets<BufReader<File>>,
    names: Vec<String>,
}

impl Workbook {
    pub fn open(path: &Path) -> Result<Workbook> {
        let sheets = open_workbook_auto(path).map_err(|e| Error::Workbook {
            file: path.to_path_buf(),
            reason: why_unreadable(path, &e.to_string()),
        })?;
        let names = sheets.sheet_names();
        Ok(Workbook {
            path: path.to_path_buf(),
            sheets,
            names,
        })
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
        let range = self
            .sheets
            .worksheet_range(&actual)
            .map_err(|e| Error::Workbook {
                file: self.path.clone(),
                reason: format!("工作表“{actual}”：{e}"),
            })?;
        let (first_row, first_col) = range.start().unwrap_or((0, 0));
        let mut cells: Vec<Vec<Raw>> = range
            .rows()
            .map(|row| row.iter().map(raw).collect())
            .collect();
        let mut notes = Vec::new();
        for merged in self.merged(&actual) {
            let (top, left) = merged.start;
            let (bottom, right) = merged.end;
            // A vertical merge (one category spanning several activity rows) holds its value
            // in the top cell only; it belongs to every row the merge covers.
            if bottom <= top || top < first_row || left < first_col {
                continue;
            }
            let col = (left - first_col) as usize;
            let value = match cells
                .get((top - first_row) as usize)
                .and_then(|r| r.get(col))
            {
                Some(v) if *v != Raw::Empty => v.clone(),
                _ => continue,
            };
            for row in (top + 1)..=bottom {
                if let Some(cell) = cells
                    .get_mut((row - first_row) as usize)
                    .and_then(|r| r.get_mut(col))
                {
                    *cell = value.clone();
                }
            }
            notes.push(Note::new(
                at.clone(),
                format!(
                    "合并单元格 {}:{} 的值“{}”已用于它覆盖的每一行。",
                    cell_name(top, left),
                    cell_name(bottom, right),
                    super::typing::text_of(&value)
                ),
            ));
        }
        let rows = cells
            .into_iter()
            .enumerate()
            .map(|(i, cells)| GridRow {
                index: first_row + i as u32,
                cells,
            })
            .filter(|row| row.cells.iter().any(|c| *c != Raw::Empty))
            .collect();
        Ok(Grid {
            at,
            first_col,
            rows,
            notes,
        })
    }

    /// The merged regions of a sheet, where the format keeps them (xlsx, xls).
    fn merged(&mut self, sheet: &str) -> Vec<Dimensions> {
        match &mut self.sheets {
            Sheets::Xlsx(xlsx) => xlsx.merge_cells_by_sheet_name(sheet).unwrap_or_default(),
            Sheets::Xls(xls) => xls.merge_cells_by_sheet_name(sheet).unwrap_or_default(),
            Sheets::Xlsb(_) | Sheets::Ods(_) => Vec::new(),
        }
    }
}

fn raw(cell: &CData) -> Raw {
    match cell {
        CData::Empty => Raw::Empty,
        CData::String(s) if s.trim().is_empty() => Raw::Empty,
        CData::String(s) => Raw::Text(s.clone()),
        CData::Int(i) => Raw::Int(*i),
        CData::Float(f) => Raw::Float(significant(*f)),
        CData::Bool(b) => Raw::Bool(*b),
        CData::DateTime(dt) => match dt.as_datetime() {
            // Serial 60 is 1900-02-29, a day Excel counts that never was (kept for Lotus
            // 1-2-3); calamine reads it as 02-28. Pass it on as text so typing rejects it.
            Some(d) if dt.as_f64().floor() == 60.0 && d.date().to_string() == "1900-02-28" => {
                Raw::Text("1900-02-29".into())
            }
            Some(dt) => Raw::DateTime(dt),
            None => Raw::Float(dt.as_f64()),
        },
        CData::DateTimeIso(s) | CData::DurationIso(s) => Raw::Text(s.clone()),
        CData::Error(e) => Raw::Error(e.to_string()),
    }
}

/// Why a workbook cannot be opened, in words a clerk can act on.
fn why_unreadable(path: &Path, detail: &str) -> String {
    let head: Vec<u8> = std::fs::File::open(path)
        .and_then(|f| std::io::Read::bytes(f).take(8).collect())
        .unwrap_or_default();
    let zipped = !path
        .extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("xls"));
    if head.is_empty() {
        "文件是空的（0 字节）".into()
    } else if detail.to_lowercase().contains("password") || detail.contains("ncrypt") {
        "文件设置了打开密码".into()
    } else if zipped && head.starts_with(&[0xD0, 0xCF, 0x11, 0xE0]) {
        "文件设置了打开密码（已加密），或是旧版 .xls 文件改了扩展名".into()
    } else if zipped && !head.starts_with(b"PK") {
        "内容不是工作簿：可能是改了扩展名的其他文件，或文件已损坏".into()
    } else {
        format!("文件已损坏或不完整，可能没有保存完或下载中断（{detail}）")
    }
}

/// Excel shows at most 15 significant digits; beyond them is binary noise (a formula's
/// 0.1+0.2 is stored as 0.30000000000000004 and shown as 0.3).
fn significant(f: f64) -> f64 {
    if !f.is_finite() || f == 0.0 {
        return f;
    }
    format!("{f:.14e}").parse().unwrap_or(f)
}
