//! Limits on what a data file may hold, checked before and while reading, so that no file,
//! damaged or crafted, can crash the run or take the machine's memory.
//!
//! The spreadsheet readers trust what a file declares: a workbook's shared-string count, an
//! `.xls` sheet's dimensions and the spread of its cells decide how much they allocate, and a
//! lie asks for hundreds of gigabytes and aborts the process. So every file is checked first
//! against what it declares (the package's uncompressed sizes and compression ratio, the
//! shared-string count, the `.xls` records), then read cell by cell within caps on cells,
//! rows, columns and characters. The README's section on limits lists them; each message
//! says what was too big and what to do.

use std::collections::HashMap;
use std::io::Read;
use std::path::Path;

use crate::diagnostics::{Error, Location, Result};

/// A data file larger than this is not read. Twenty megabytes is hundreds of thousands of
/// rows; a county office's sheets are a few hundred kilobytes.
pub const MAX_FILE_BYTES: u64 = 20 * 1024 * 1024;
/// All data files of one folder together: a department's workbooks are held in memory while
/// its reports are built.
pub const MAX_FOLDER_BYTES: u64 = 50 * 1024 * 1024;
/// The uncompressed size of any one part of a workbook package (a sheet's XML, the shared
/// strings), and of all its parts together.
pub const MAX_PART_BYTES: u64 = 100 * 1024 * 1024;
pub const MAX_PACKAGE_BYTES: u64 = 200 * 1024 * 1024;
/// How much a part larger than a megabyte may expand; real sheets compress 5–30 times.
pub const MAX_RATIO: u64 = 200;
/// Cells holding something, per sheet.
pub const MAX_CELLS: usize = 1_000_000;
/// Rows holding something, per sheet or CSV file.
pub const MAX_ROWS: usize = 100_000;
/// Columns from the first used one to the last, per sheet or CSV file.
pub const MAX_COLUMNS: u32 = 1_000;
/// Characters in one cell: Excel's own limit.
pub const MAX_CELL_CHARS: usize = 32_767;

const MB: f64 = 1024.0 * 1024.0;

fn too_large(at: Location, what: String, advice: &str) -> Error {
    Error::TooLarge {
        at,
        what,
        advice: advice.to_owned(),
    }
}

/// The file's size on disk, against [`MAX_FILE_BYTES`].
pub fn check_file_size(path: &Path, size: u64) -> Result<()> {
    if size > MAX_FILE_BYTES {
        return Err(too_large(
            Location::file(path),
            format!(
                "文件有 {:.1} MB，超过了 {} MB 的上限",
                size as f64 / MB,
                MAX_FILE_BYTES / 1024 / 1024
            ),
            "请删去报告用不到的工作表、行和图片，或把数据拆成几个文件。",
        ));
    }
    Ok(())
}

/// The data files of a folder together, against [`MAX_FOLDER_BYTES`].
pub fn check_folder_size(dir: &Path, files: &[std::path::PathBuf]) -> Result<()> {
    let total: u64 = files
        .iter()
        .filter_map(|f| std::fs::metadata(f).ok())
        .map(|m| m.len())
        .sum();
    if total > MAX_FOLDER_BYTES {
        return Err(too_large(
            Location::file(dir),
            format!(
                "文件夹中的表格文件共有 {:.1} MB，超过了 {} MB 的上限",
                total as f64 / MB,
                MAX_FOLDER_BYTES / 1024 / 1024
            ),
            "请把报告用不到的文件移出这个文件夹（如往年的表格、备份和图片）。",
        ));
    }
    Ok(())
}

/// A zip package (xlsx, xlsm, xlsb, ods): every part's declared uncompressed size and
/// compression ratio, their total, and, for xlsx, the shared-string count the reader
/// reserves room for. The zip reader stops at a part's declared size, so what is declared
/// here is all that can be inflated later. Returns what the reader needs to know of it.
pub fn check_package(path: &Path, bytes: &[u8]) -> Result<Package> {
    // A package the zip reader cannot even list is left to the workbook reader, which says
    // why in its own words (encrypted, not a workbook, truncated).
    let Ok(mut archive) = zip::ZipArchive::new(std::io::Cursor::new(bytes)) else {
        return Ok(Package {
            has_merges: true,
            has_formulas: true,
            ..Package::default()
        });
    };
    let at = Location::file(path);
    let advice = "文件可能已损坏，或是特意构造的异常文件。请用 Excel 或 WPS 打开后另存为新的 .xlsx；若确实有这么多数据，请拆成几个文件。";
    let mut total: u64 = 0;
    let mut shared_strings: Option<(usize, u64)> = None;
    let mut workbook_part = None;
    let mut meta_part = None;
    let mut worksheets = Vec::new();
    for i in 0..archive.len() {
        let Ok(part) = archive.by_index_raw(i) else {
            continue;
        };
        let name = part.name().map(|n| n.into_owned()).unwrap_or_default();
        let (size, packed) = (part.size(), part.compressed_size());
        total = total.saturating_add(size);
        if size > MAX_PART_BYTES {
            return Err(too_large(
                at,
                format!(
                    "其中的“{name}”解压后有 {:.0} MB，超过了 {} MB 的上限",
                    size as f64 / MB,
                    MAX_PART_BYTES / 1024 / 1024
                ),
                advice,
            ));
        }
        if size > 1024 * 1024 && size / packed.max(1) > MAX_RATIO {
            return Err(too_large(
                at,
                format!(
                    "其中的“{name}”压缩比为 {}:1，远超正常工作簿（上限 {MAX_RATIO}:1）",
                    size / packed.max(1)
                ),
                advice,
            ));
        }
        if name.eq_ignore_ascii_case("xl/sharedStrings.xml") {
            shared_strings = Some((i, size));
        }
        if name.eq_ignore_ascii_case("xl/workbook.xml") {
            workbook_part = Some(i);
        }
        if name == "meta.xml" {
            meta_part = Some(i);
        }
        // A worksheet is wherever the workbook's relationships put it, usually
        // `xl/worksheets/sheet1.xml`: every XML part under `xl/` is scanned but those that
        // hold no cells, some of them large (shared strings, pivot caches, charts).
        let lower = name.replace('\\', "/").to_ascii_lowercase();
        let cells_elsewhere = [
            "xl/sharedstrings.xml",
            "xl/styles.xml",
            "xl/workbook.xml",
            "xl/pivotcache",
            "xl/pivottables/",
            "xl/charts/",
            "xl/drawings/",
            "xl/theme/",
            "xl/externallinks/",
            "xl/tables/",
            "xl/media/",
        ];
        if lower.starts_with("xl/")
            && lower.ends_with(".xml")
            && !cells_elsewhere.iter().any(|p| lower.starts_with(p))
        {
            worksheets.push(i);
        }
    }
    if total > MAX_PACKAGE_BYTES {
        return Err(too_large(
            at,
            format!(
                "解压后共有 {:.0} MB，超过了 {} MB 的上限",
                total as f64 / MB,
                MAX_PACKAGE_BYTES / 1024 / 1024
            ),
            advice,
        ));
    }
    if let Some((index, size)) = shared_strings {
        let mut head = Vec::new();
        if let Ok(part) = archive.by_index(index) {
            let _ = part.take(4096).read_to_end(&mut head);
        }
        let head = String::from_utf8_lossy(&head);
        // Each string takes at least `<si><t/></si>`: eleven bytes of the part.
        if let Some(count) = attribute(&head, "uniqueCount").filter(|&n| n > size / 11 + 16) {
            return Err(Error::Workbook {
                file: path.to_path_buf(),
                reason: format!("文件已损坏：共享字符串表声称有 {count} 条，而它只有 {size} 字节"),
            });
        }
    }
    // Merged cells sit after a sheet's data; a reader finds them only by parsing the sheet
    // again. Inflating it and looking for the tag is far cheaper, and most have none.
    // Formulas the same way: a workbook without them has its sheets read in one pass with
    // each cell's style (see `workbook::read_cells`). A prefixed element (`<x:f>`) counts.
    // Hidden rows and columns too (hidden, or filtered out): only the sheets that have any
    // are read for them (see `hidden`).
    let tags = [
        Tag(b"<mergeCell", false),
        Tag(b"<f", true),
        Tag(b":f", true),
        Tag(b"hidden=\"1\"", false),
        Tag(b"hidden=\"true\"", false),
    ];
    // One buffer for every sheet: a zeroed buffer per sheet cost more than the search.
    let mut buffer = vec![0u8; 32 * 1024];
    let (mut has_merges, mut has_formulas, mut hidden) = (false, false, Vec::new());
    for index in worksheets {
        let Ok(mut part) = archive.by_index(index) else {
            (has_merges, has_formulas) = (true, true);
            continue;
        };
        let found = find(&mut part, &tags, &mut buffer);
        has_merges |= found[0];
        has_formulas |= found[1] || found[2];
        if found[3] || found[4] {
            hidden.push(index);
        }
    }
    // `<calcPr fullCalcOnLoad="1"/>`: the program that wrote the workbook asks Excel to
    // calculate every formula when it opens it, having stored no results of its own.
    let mut part_has = |index: Option<usize>, needles: &[&[u8]]| {
        let mut text = Vec::new();
        index.is_some_and(|index| {
            archive
                .by_index(index)
                .is_ok_and(|part| part.take(MAX_PART_BYTES).read_to_end(&mut text).is_ok())
                && needles
                    .iter()
                    .any(|needle| memchr::memmem::find(&text, needle).is_some())
        })
    };
    let recalculate_on_load = part_has(
        workbook_part,
        &[b"fullCalcOnLoad=\"1\"", b"fullCalcOnLoad=\"true\""],
    );
    // An .ods names the program that wrote it (`<meta:generator>LibreOffice/7.4…`). A
    // spreadsheet application stores every formula's result; a library (ezodf, odswriter)
    // may store none.
    let calculated = part_has(
        meta_part,
        &[
            b"LibreOffice",
            b"OpenOffice",
            b"WPS",
            b"Kingsoft",
            b"Microsoft",
            b"Gnumeric",
            b"Calligra",
            b"Collabora",
            b"NeoOffice",
        ],
    );
    Ok(Package {
        has_merges,
        has_formulas,
        hidden,
        recalculate_on_load,
        calculated,
    })
}

/// What [`check_package`] found that the reader needs.
#[derive(Debug, Clone, Default)]
pub struct Package {
    /// Whether any worksheet has merged cells (read only then).
    pub has_merges: bool,
    /// Whether any worksheet may hold a formula (an xlsx's are read in a pass of their own).
    pub has_formulas: bool,
    /// The worksheets (by their index in the package) that may hide rows or columns.
    pub hidden: Vec<usize>,
    /// Whether the workbook asks for every formula to be calculated when it is opened: its
    /// writer stored placeholders (XlsxWriter and its kin store 0), not results.
    pub recalculate_on_load: bool,
    /// Whether a spreadsheet application wrote the .ods, so that a formula with no value
    /// stored is one whose result is empty (LibreOffice writes `=IF(…;"")` so).
    pub calculated: bool,
}

/// An element looked for in a part: the start of its tag (`<mergeCell`), and whether its name
/// must end there (`<f` is a formula in `<f>` or `<f t="shared"`, not in `<filterColumn`).
struct Tag(&'static [u8], bool);

/// Which of `tags` `reader`'s bytes contain, read in chunks into `buffer`, as one flag each;
/// it stops reading once all of them are found.
fn find(reader: &mut impl Read, tags: &[Tag], buffer: &mut [u8]) -> Vec<bool> {
    let finders: Vec<_> = tags
        .iter()
        .map(|Tag(start, _)| memchr::memmem::Finder::new(start))
        .collect();
    // Room for a tag's start and the byte after it.
    let longest = tags.iter().map(|t| t.0.len() + 1).max().unwrap_or(0);
    let mut found = vec![false; tags.len()];
    let mut kept = 0;
    loop {
        let Ok(read) = reader.read(&mut buffer[kept..]) else {
            // Unreadable here: let the reader look for itself.
            return vec![true; tags.len()];
        };
        if read == 0 {
            return found;
        }
        let filled = kept + read;
        let text = &buffer[..filled];
        for ((found, finder), Tag(start, whole)) in found.iter_mut().zip(&finders).zip(tags) {
            *found = *found
                || finder.find_iter(text).any(|at| {
                    !whole
                        || text.get(at + start.len()).is_some_and(|b| {
                            matches!(b, b'>' | b'/' | b' ' | b'\t' | b'\n' | b'\r')
                        })
                });
        }
        if found.iter().all(|f| *f) {
            return found;
        }
        // Keep the tail, in case a tag straddles two chunks.
        kept = longest.min(filled);
        buffer.copy_within(filled - kept..filled, 0);
    }
}

/// Why a file named `.xls` is not an old Excel workbook at all, when its first bytes say so:
/// an `.xlsx` given the old extension, or a web page or text that a web system exported as
/// "xls". Such a file is not damaged, and the message says what it is.
fn not_an_xls(bytes: &[u8]) -> Option<&'static str> {
    const COMPOUND_FILE: [u8; 8] = [0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1];
    if bytes.is_empty() {
        return Some("文件是空的（0 字节）");
    }
    if bytes.starts_with(&COMPOUND_FILE) {
        return None;
    }
    if bytes.starts_with(b"PK\x03\x04") {
        return Some("这其实是 .xlsx 格式的工作簿，只是扩展名写成了 .xls：把扩展名改为 .xlsx 即可");
    }
    let text = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    let start = text
        .iter()
        .position(|b| !b.is_ascii_whitespace())
        .unwrap_or(0);
    let head = String::from_utf8_lossy(&text[start..text.len().min(start + 64)]).to_lowercase();
    if ["<html", "<!doctype", "<table", "<?xml", "<meta", "<head"]
        .iter()
        .any(|tag| head.starts_with(tag))
    {
        return Some("内容是网页或 XML（常见于从网上的系统导出的“xls”），不是 Excel 工作簿");
    }
    Some("内容不是 Excel 工作簿，可能是改了扩展名的文本或其他文件")
}

/// An OpenDocument spreadsheet's `content.xml`, streamed before the reader opens it: the
/// reader builds every table's whole rectangle at once, and a repeat count
/// (`number-columns-repeated`, `number-rows-repeated`) on a cell that holds something makes a
/// rectangle of any size from a few bytes. The rectangles together may not exceed
/// [`MAX_CELLS`].
///
/// The same pass finds, by table name, the cells shown as percentages
/// (`office:value-type="percentage"`), which calamine reads as plain numbers, each with how
/// its text shows it; the numbers and dates shown otherwise than huibao writes them, with the
/// text the file stores for them; and the rows and columns the table hides.
pub fn check_ods(path: &Path, bytes: &[u8]) -> Result<SheetsFound> {
    use quick_xml::events::Event;
    let mut found = SheetsFound::default();
    let styles = &mut found.styles;
    let Ok(mut archive) = zip::ZipArchive::new(std::io::Cursor::new(bytes)) else {
        return Ok(found);
    };
    let Ok(content) = archive.by_name("content.xml") else {
        return Ok(found);
    };
    // Rows and columns hidden (`collapse`) or filtered out (`filter`).
    let hides = |e: &quick_xml::events::BytesStart| {
        matches!(
            attribute_of(e, "table:visibility").as_deref(),
            Some("collapse" | "filter")
        )
    };
    let mut hidden = super::hidden::Hidden::default();
    let mut column = 0u64;
    let mut reader = quick_xml::Reader::from_reader(std::io::BufReader::new(content));
    let mut buffer = Vec::new();
    let repeat = |e: &quick_xml::events::BytesStart, name: &str| -> u64 {
        attribute_of(e, name)
            .and_then(|v| v.trim().parse().ok())
            .unwrap_or(1)
    };
    let mut total: u64 = 0;
    let mut spread = Spread::default();
    let (mut row, mut col, mut rows_here) = (0u64, 0u64, 1u64);
    let mut table = String::new();
    let mut shown: Option<OdsCell> = None;
    loop {
        let event = match reader.read_event_into(&mut buffer) {
            Ok(Event::Eof) | Err(_) => break, // the reader says what is wrong
            Ok(event) => event,
        };
        match &event {
            Event::Start(e) | Event::Empty(e) => match e.local_name().as_ref() {
                "table" => {
                    spread = Spread::default();
                    table = attribute_of(e, "table:name").unwrap_or_default();
                    (hidden, column) = (super::hidden::Hidden::default(), 0);
                }
                "table-column" => {
                    let cols = repeat(e, "table:number-columns-repeated").max(1);
                    if hides(e) {
                        let last = column.saturating_add(cols - 1);
                        hidden.cols.push((clamp(column), clamp(last)));
                    }
                    column = column.saturating_add(cols);
                }
                "table-row" => {
                    rows_here = repeat(e, "table:number-rows-repeated");
                    col = 0;
                    if hides(e) {
                        let last = row.saturating_add(rows_here.saturating_sub(1));
                        hidden.rows.push((clamp(row), clamp(last)));
                    }
                    if matches!(event, Event::Empty(_)) {
                        row = row.saturating_add(rows_here);
                    }
                }
                "table-cell" | "covered-table-cell" => {
                    let cols = repeat(e, "table:number-columns-repeated");
                    let value_type = attribute_of(e, "office:value-type");
                    let filled = matches!(event, Event::Start(_)) || value_type.is_some();
                    let last = (
                        row.saturating_add(rows_here.saturating_sub(1)),
                        col.saturating_add(cols.saturating_sub(1)),
                    );
                    if filled {
                        spread.add(row, col);
                        spread.add(last.0, last.1);
                    }
                    // A percentage cell, or a number one whose style may show it as one (a
                    // style that chooses by the value, `0%;-0%;"-"`, is stored so), or a
                    // number or date its style shows otherwise than huibao writes it.
                    let typed = match value_type.as_deref() {
                        Some("percentage") => Some(true),
                        Some("float" | "currency" | "date" | "time") => Some(false),
                        _ => None,
                    };
                    if let Some(typed) = typed {
                        shown = Some(OdsCell {
                            first: (row, col),
                            last,
                            typed,
                            number: attribute_of(e, "office:value").and_then(|v| v.parse().ok()),
                            date: attribute_of(e, "office:date-value")
                                .or_else(|| attribute_of(e, "office:time-value")),
                            text: String::new(),
                            in_note: false,
                        });
                        if matches!(event, Event::Empty(_)) {
                            add_shown(styles, &table, shown.take());
                        }
                    }
                    col = col.saturating_add(cols);
                }
                // A comment on the cell is not what it shows.
                "annotation" => {
                    if let Some(shown) = shown.as_mut() {
                        shown.in_note = matches!(event, Event::Start(_));
                    }
                }
                _ => {}
            },
            Event::Text(text) => {
                if let Some(shown) = shown.as_mut().filter(|s| !s.in_note) {
                    shown.text.push_str(&text.xml10_content());
                }
            }
            Event::End(e) => match e.local_name().as_ref() {
                "annotation" => {
                    if let Some(shown) = shown.as_mut() {
                        shown.in_note = false;
                    }
                }
                "table-cell" | "covered-table-cell" => add_shown(styles, &table, shown.take()),
                "table-row" => row = row.saturating_add(rows_here),
                "table" => {
                    total = total.saturating_add(spread.cells());
                    row = 0;
                    if !hidden.rows.is_empty() || !hidden.cols.is_empty() {
                        found
                            .hidden
                            .insert(table.clone(), std::mem::take(&mut hidden));
                    }
                }
                _ => {}
            },
            _ => {}
        }
        if total.saturating_add(spread.cells()) > MAX_CELLS as u64 {
            return Err(too_large(
                Location::file(path),
                format!(
                    "表格中的重复单元格铺开后要占用 {} 个以上的单元格，超过了 {MAX_CELLS} 个的上限",
                    total.saturating_add(spread.cells())
                ),
                "文件可能已损坏，或整行整列填充了内容。请删去多余的行和列，或另存为 .xlsx 再试。",
            ));
        }
        buffer.clear();
    }
    Ok(found)
}

/// A row or column number, within what a sheet can have.
fn clamp(n: u64) -> u32 {
    n.min(u64::from(u32::MAX)) as u32
}

/// An attribute's value in an XML element, entities resolved.
pub(super) fn attribute_of(e: &quick_xml::events::BytesStart, name: &str) -> Option<String> {
    e.try_get_attribute(name)
        .ok()
        .flatten()
        .and_then(|a| a.normalized_value(quick_xml::XmlVersion::Implicit1_0).ok())
        .map(|value| value.into_owned())
}

/// A number or date cell of an .ods being read, that may show a percentage or another text
/// than huibao's: where it starts, how far it repeats, whether it is typed as a percentage
/// (else a number or a date), its number or day, the text it shows (but its comment's).
struct OdsCell {
    first: (u64, u64),
    last: (u64, u64),
    typed: bool,
    number: Option<f64>,
    /// A date cell's day (`2022-10-25`, a time after it), or a time cell's time
    /// (`PT09H30M00S`).
    date: Option<String>,
    text: String,
    in_note: bool,
}

/// A cell of an .ods that shows a percentage, by the text it shows (`95.5%`: one place;
/// `1,234.56%`: two, thousands separated; `(50%)`: a text huibao would not make), or a number
/// or date it shows otherwise than huibao writes it (`0.7`, `2022年10月25日`), put with its
/// table's.
fn add_shown(styles: &mut HashMap<String, super::CellStyles>, table: &str, cell: Option<OdsCell>) {
    let Some(cell) = cell else {
        return;
    };
    let shown = cell.text.trim();
    let style = match percentage(&cell, shown) {
        Some(format) => super::CellStyle::Percent(format),
        None => {
            let own = match (&cell.date, cell.number) {
                // A time (`PT09H30M00S`) reads as the reader gives it, a day as its date.
                (Some(time), _) if time.starts_with("PT") => time.clone(),
                (Some(date), _) => date.get(..10).unwrap_or(date).to_owned(),
                (None, Some(number)) => super::typing::number_text(number),
                (None, None) => return,
            };
            if shown == own {
                return;
            }
            super::CellStyle::Text(std::sync::Arc::from(shown))
        }
    };
    let position = |(r, c): (u64, u64)| (clamp(r), clamp(c));
    let sheet = styles.entry(table.to_owned()).or_default();
    match cell.first == cell.last {
        true => {
            sheet.cells.insert(position(cell.first), style);
        }
        false => sheet.add_block(position(cell.first), position(cell.last), style),
    }
}

/// The percentage format of an .ods's cell, if its text shows one.
fn percentage(cell: &OdsCell, shown: &str) -> Option<super::PercentCode> {
    let number = cell.number;
    // A number cell shows a percentage when its text has a `%` that is not one typed after
    // the number (`0.5%` for 0.5, or `0%` for 0).
    if !cell.typed {
        let number = number.filter(|_| shown.ends_with(['%', '％']) && cell.date.is_none())?;
        let places = shown
            .trim_end_matches(['%', '％'])
            .rsplit_once('.')
            .map_or(0, |(_, p)| p.len() as i32);
        let near = |x: f64| (x - number).abs() <= 0.5 * 10f64.powi(-places) + 1e-12;
        let as_typed = crate::sources::typing::parse_number(shown.trim_end_matches(['%', '％']));
        if as_typed.is_some_and(near) {
            return None;
        }
    }
    // The text must be the one huibao would make of the number in the format read from it:
    // `95,5%` (a decimal comma) or a sign the format hides is not.
    let mut format = super::PercentCode::from_shown(shown);
    let made = number.and_then(|n| Some(super::percent::shown(n, format.show(n)?)));
    if made.as_deref() != Some(shown) {
        format = super::PercentCode::from_shown("");
    }
    Some(format)
}

/// The number in `name="…"` within the first tag of an XML part.
fn attribute(xml: &str, name: &str) -> Option<u64> {
    let start = xml.find(&format!(" {name}=\""))? + name.len() + 3;
    let digits: String = xml[start..]
        .chars()
        .take_while(|c| c.is_ascii_digit())
        .collect();
    digits.parse().ok()
}

/// An `.xls` (BIFF in a compound file): the records the reader sizes its memory by, read the
/// way it reads them — each sheet from the position the workbook's sheet list gives, nested
/// substreams (charts) skipped, CONTINUE records joined. A sheet's DIMENSIONS may not ask for
/// more than [`MAX_CELLS`] cells (the reader reserves them all), and the cells of all sheets
/// together may not spread over more than [`MAX_CELLS`] (the reader fills every sheet's whole
/// rectangle, from its first used row and column to its last, when it opens the file).
///
/// The same pass finds the cells whose XF's number format shows them otherwise than huibao
/// writes numbers (a percentage, `0.0`, `yyyy"年"m"月"d"日"`), which calamine reads as plain
/// numbers and dates: by sheet name.
pub fn check_xls(path: &Path, bytes: &[u8]) -> Result<SheetsFound> {
    let damaged = |what: String| Error::Workbook {
        file: path.to_path_buf(),
        reason: format!("文件已损坏：{what}"),
    };
    // What cannot be checked is not handed to the reader: a file this careful reading of the
    // compound file refuses is damaged, whatever a more lenient reader might make of it.
    let unreadable = |e: std::io::Error| damaged(format!("无法读取其中的工作簿数据（{e}）"));
    if let Some(reason) = not_an_xls(bytes) {
        return Err(Error::Workbook {
            file: path.to_path_buf(),
            reason: reason.into(),
        });
    }
    let mut compound = cfb::CompoundFile::open(std::io::Cursor::new(bytes)).map_err(unreadable)?;
    let stream = ["/Workbook", "/Book"]
        .into_iter()
        .find_map(|name| compound.open_stream(name).ok().map(|s| (name, s)));
    let Some((stream_name, mut stream)) = stream else {
        return Err(damaged("其中没有工作簿数据".into()));
    };
    let mut bytes = Vec::new();
    (&mut stream)
        .take(MAX_FILE_BYTES * 2)
        .read_to_end(&mut bytes)
        .map_err(unreadable)?;
    // The workbook globals list each sheet's position in the stream and its name (BOUNDSHEET),
    // the number formats (FORMAT) and the cell formats (XF) that use them.
    let mut positions = Vec::new();
    let mut formats: HashMap<u16, String> = HashMap::new();
    let mut cell_formats: Vec<u16> = Vec::new();
    for (kind, data) in records(&bytes, 0) {
        let u16_at = |i: usize| data.get(i..i + 2).map(|b| u16::from_le_bytes([b[0], b[1]]));
        match kind {
            0x0085 if data.len() >= 4 => {
                let position = u32::from_le_bytes([data[0], data[1], data[2], data[3]]) as usize;
                let name = data.get(6..).map(|s| biff_string(s, 1)).unwrap_or_default();
                positions.push((position, name));
            }
            0x041E => {
                if let (Some(id), Some(code)) = (u16_at(0), data.get(2..)) {
                    formats.insert(id, biff_string(code, 2));
                }
            }
            0x00E0 => cell_formats.push(u16_at(2).unwrap_or(0)),
            0x000A => break,
            _ => {}
        }
    }
    // Excel's built-in formats have no FORMAT record: 9 is `0%`, 10 `0.00%`, 14 a date.
    // Only Excel 97 and later (BIFF8, the `/Workbook` stream) are read for them: Excel 5/95's
    // records spell strings and number formats another way.
    if stream_name != "/Workbook" {
        cell_formats.clear();
    }
    let style_of_xf: Vec<Option<super::CellStyle>> = cell_formats
        .iter()
        .map(|&id| {
            let code = formats
                .get(&id)
                .map(String::as_str)
                .or_else(|| ssfmt::format_code_from_id(u32::from(id)))
                .unwrap_or("General");
            super::CellStyle::of(code, Some(u32::from(id)))
        })
        .collect();
    let mut found = SheetsFound::default();
    let mut total: u64 = 0;
    for (position, name) in positions {
        let mut styled = super::CellStyles::default();
        let mut hidden = super::hidden::Hidden::default();
        let mut spread = Spread::default();
        let (mut seen_bof, mut depth) = (false, 0usize);
        for (kind, data) in records(&bytes, position) {
            let u16_at = |i: usize| {
                data.get(i..i + 2)
                    .map(|b| u64::from(u16::from_le_bytes([b[0], b[1]])))
            };
            if depth > 0 {
                match kind {
                    0x0809 => depth += 1,
                    0x000A => depth -= 1,
                    _ => {}
                }
                continue;
            }
            match kind {
                0x0809 if seen_bof => depth += 1,
                0x0809 => seen_bof = true,
                0x000A => break,
                0x0200 => {
                    let cells = dimension_cells(data);
                    if cells > MAX_CELLS as u64 {
                        return Err(damaged(format!(
                            "工作表声称有 {cells} 个单元格，超出了上限（{MAX_CELLS} 个）"
                        )));
                    }
                }
                // Cells: NUMBER, LABEL, RSTRING, BOOLERR, RK, LABELSST, FORMULA.
                0x0203 | 0x0204 | 0x00D6 | 0x0205 | 0x027E | 0x00FD | 0x0006 => {
                    if let (Some(row), Some(col)) = (u16_at(0), u16_at(2)) {
                        spread.add(row, col);
                        // A number (NUMBER, RK, FORMULA) shown otherwise than huibao writes it,
                        // or a text (LABEL, RSTRING, LABELSST) its format hides (`;;;`).
                        let number = matches!(kind, 0x0203 | 0x027E | 0x0006);
                        let text = matches!(kind, 0x0204 | 0x00D6 | 0x00FD);
                        if let Some(Some(format)) =
                            u16_at(4).and_then(|xf| style_of_xf.get(xf as usize))
                            && (number || (text && format.hides_text()))
                        {
                            styled
                                .cells
                                .insert((row as u32, col as u32), format.clone());
                        }
                    }
                }
                // ROW: its number, and (bit 5 of its flags) whether it is hidden or filtered out.
                0x0208 => {
                    if let (Some(row), Some(flags)) = (u16_at(0), u16_at(12))
                        && flags & 0x20 != 0
                    {
                        hidden.rows.push((row as u32, row as u32));
                    }
                }
                // COLINFO: a range of columns, and (bit 0 of its flags) whether they are hidden.
                0x007D => {
                    if let (Some(first), Some(last), Some(flags)) =
                        (u16_at(0), u16_at(2), u16_at(8))
                        && flags & 0x01 != 0
                    {
                        hidden.cols.push((first as u32, last as u32));
                    }
                }
                // MULRK: row, first column, (XF, number) for each, last column in the final
                // two bytes.
                0x00BD if data.len() >= 6 => {
                    if let (Some(row), Some(first), Some(last)) =
                        (u16_at(0), u16_at(2), u16_at(data.len() - 2))
                    {
                        spread.add(row, first);
                        spread.add(row, last);
                        for (i, col) in (first..=last).enumerate() {
                            if let Some(Some(format)) = u16_at(4 + 6 * i)
                                .filter(|_| 4 + 6 * i + 6 <= data.len() - 2)
                                .and_then(|xf| style_of_xf.get(xf as usize))
                            {
                                styled
                                    .cells
                                    .insert((row as u32, col as u32), format.clone());
                            }
                        }
                    }
                }
                _ => {}
            }
        }
        // Excel 5/95 spells a sheet's name another way: its hidden rows are not told.
        let biff8 = stream_name == "/Workbook";
        if biff8 && (!hidden.rows.is_empty() || !hidden.cols.is_empty()) {
            hidden.rows.sort_unstable();
            found.hidden.insert(name.clone(), hidden);
        }
        if !styled.cells.is_empty() {
            found.styles.insert(name, styled);
        }
        total = total.saturating_add(spread.cells());
        if total > MAX_CELLS as u64 {
            return Err(too_large(
                Location::file(path),
                format!(
                    "各工作表的内容铺开后共要占用 {total} 个单元格（一张表从第一个到最后一个有内容的行和列都算在内），超过了 {MAX_CELLS} 个的上限"
                ),
                "请删去远处零散的单元格和不用的工作表（按 Ctrl+End 可找到最后一个单元格），或另存为 .xlsx 再试。",
            ));
        }
    }
    Ok(found)
}

/// What [`check_xls`] or [`check_ods`] found that the reader needs, by sheet name: the cells
/// shown otherwise than huibao writes numbers, and the rows and columns the sheet hides.
#[derive(Debug, Default)]
pub struct SheetsFound {
    pub styles: HashMap<String, super::CellStyles>,
    pub hidden: HashMap<String, super::hidden::Hidden>,
}

/// A BIFF8 string: its length in characters (`length_bytes`: 1 or 2 bytes), a flags byte (bit
/// 0: two bytes a character), then the characters, Latin-1 or UTF-16LE. A string that runs
/// past its record is cut where the record ends.
fn biff_string(data: &[u8], length_bytes: usize) -> String {
    let length = match length_bytes {
        1 => data.first().map_or(0, |&n| usize::from(n)),
        _ => data
            .get(..2)
            .map_or(0, |b| usize::from(u16::from_le_bytes([b[0], b[1]]))),
    };
    let wide = data.get(length_bytes).is_some_and(|flags| flags & 1 == 1);
    let chars = data.get(length_bytes + 1..).unwrap_or_default();
    match wide {
        true => {
            let units: Vec<u16> = chars
                .chunks_exact(2)
                .take(length)
                .map(|b| u16::from_le_bytes([b[0], b[1]]))
                .collect();
            String::from_utf16_lossy(&units)
        }
        false => chars.iter().take(length).map(|&b| char::from(b)).collect(),
    }
}

/// The BIFF records of `stream` from `start`: (type, data), a record's CONTINUE records
/// skipped as the reader joins them; ends where a record runs past the stream.
fn records(stream: &[u8], start: usize) -> impl Iterator<Item = (u16, &[u8])> {
    let mut pos = start;
    std::iter::from_fn(move || {
        let header = stream.get(pos..pos + 4)?;
        let kind = u16::from_le_bytes([header[0], header[1]]);
        let len = u16::from_le_bytes([header[2], header[3]]) as usize;
        let data = stream.get(pos + 4..pos + 4 + len)?;
        pos += 4 + len;
        while let Some(next) = stream.get(pos..pos + 4)
            && u16::from_le_bytes([next[0], next[1]]) == 0x003C
        {
            pos += 4 + u16::from_le_bytes([next[2], next[3]]) as usize;
        }
        Some((kind, data))
    })
}

/// The cells a DIMENSIONS record makes the reader reserve, computed as it computes them
/// (BIFF8's 32-bit rows or BIFF5's 16-bit; a first column beyond the format taken as 0).
fn dimension_cells(data: &[u8]) -> u64 {
    let u16_at = |i: usize| u32::from(u16::from_le_bytes([data[i], data[i + 1]]));
    let u32_at = |i: usize| u32::from_le_bytes([data[i], data[i + 1], data[i + 2], data[i + 3]]);
    let (first_row, last_row, mut first_col, last_col) = match data.len() {
        10 => (u16_at(0), u16_at(2), u16_at(4), u16_at(6)),
        14 | 16 => (u32_at(0), u32_at(4), u16_at(8), u16_at(10)),
        _ => return 0, // the reader refuses the record
    };
    if first_col > 0xFF || last_col < first_col {
        first_col = 0;
    }
    if last_row == 0 || last_col == 0 {
        return 1;
    }
    // The reader subtracts in 32 bits and wraps; so does this, to see what it would ask for.
    let rows = u64::from((last_row - 1).wrapping_sub(first_row).wrapping_add(1));
    let cols = u64::from((last_col - 1).wrapping_sub(first_col).wrapping_add(1));
    rows.saturating_mul(cols)
}

/// The rows and columns a sheet's filled cells span, in 64 bits (an OpenDocument repeat count
/// is unbounded in the file).
struct Spread {
    rows: (u64, u64),
    cols: (u64, u64),
}

impl Default for Spread {
    fn default() -> Self {
        Spread {
            rows: (u64::MAX, 0),
            cols: (u64::MAX, 0),
        }
    }
}

impl Spread {
    fn add(&mut self, row: u64, col: u64) {
        self.rows = (self.rows.0.min(row), self.rows.1.max(row));
        self.cols = (self.cols.0.min(col), self.cols.1.max(col));
    }

    fn cells(&self) -> u64 {
        if self.rows.0 > self.rows.1 {
            return 0;
        }
        (self.rows.1 - self.rows.0 + 1).saturating_mul(self.cols.1 - self.cols.0 + 1)
    }
}

/// Builds a sheet's rows from its cells, given in any order, within the caps: the cells'
/// count, rows, columns and characters. `at` names the sheet in messages.
pub struct Cells {
    at: Location,
    cells: Vec<(u32, u32, super::Raw)>,
}

impl Cells {
    pub fn new(at: Location) -> Cells {
        Cells {
            at,
            cells: Vec::new(),
        }
    }

    /// Adds a cell that holds something.
    pub fn push(&mut self, row: u32, col: u32, raw: super::Raw) -> Result<()> {
        if let super::Raw::Text(text) = &raw {
            // Bytes first: cheap, and a bound on characters.
            if text.len() > MAX_CELL_CHARS && text.chars().count() > MAX_CELL_CHARS {
                return Err(too_large(
                    self.at.at(row, col),
                    format!(
                        "单元格有 {} 个字符，超过了 {MAX_CELL_CHARS} 个的上限（Excel 本身的上限）",
                        text.chars().count()
                    ),
                    "请把过长的内容删短或拆到几个单元格中。",
                ));
            }
        }
        if self.cells.len() >= MAX_CELLS {
            return Err(too_large(
                self.at.clone(),
                format!("工作表中有内容的单元格超过了 {MAX_CELLS} 个的上限"),
                "请删去报告用不到的行和列，或把数据拆到几张表中。",
            ));
        }
        self.cells.push((row, col, raw));
        Ok(())
    }

    /// The rows holding anything, in order, each from the first used column; and that column.
    pub fn into_rows(self) -> Result<(u32, Vec<super::GridRow>)> {
        let first_col = self.cells.iter().map(|c| c.1).min().unwrap_or(0);
        self.into_rows_from(first_col)
    }

    /// The rows holding anything, each from column `first_col`.
    pub fn into_rows_from(mut self, first_col: u32) -> Result<(u32, Vec<super::GridRow>)> {
        self.cells.sort_by_key(|(row, col, _)| (*row, *col));
        let last_col = self.cells.iter().map(|c| c.1).max().unwrap_or(0);
        if last_col - first_col >= MAX_COLUMNS {
            let far = self.cells.iter().find(|c| c.1 == last_col).expect("a cell");
            return Err(too_large(
                self.at.at(far.0, far.1),
                format!(
                    "工作表从第 {} 列用到第 {} 列，超过了 {MAX_COLUMNS} 列的上限",
                    first_col + 1,
                    last_col + 1
                ),
                "请删去远处多余的单元格（按 Ctrl+End 可找到最后一个单元格）。",
            ));
        }
        let mut rows: Vec<super::GridRow> = Vec::new();
        for (row, col, raw) in self.cells {
            if rows.last().is_none_or(|r| r.index != row) {
                if rows.len() >= MAX_ROWS {
                    return Err(too_large(
                        self.at.at(row, col),
                        format!("工作表中有内容的行超过了 {MAX_ROWS} 行的上限"),
                        "请删去报告用不到的行，或把数据拆到几张表中。",
                    ));
                }
                rows.push(super::GridRow {
                    index: row,
                    cells: Vec::new(),
                });
            }
            let cells = &mut rows.last_mut().expect("just pushed").cells;
            let at = (col - first_col) as usize;
            if cells.len() <= at {
                cells.resize(at + 1, super::Raw::Empty);
            }
            cells[at] = raw;
        }
        Ok((first_col, rows))
    }
}

#[cfg(test)]
mod tests {
    use super::{Tag, find};

    /// Whether a sheet's XML holds a formula, read through a buffer of `size` bytes.
    fn formula(xml: &str, size: usize) -> bool {
        let mut buffer = vec![0u8; size];
        let tags = [Tag(b"<f", true), Tag(b":f", true)];
        find(&mut xml.as_bytes(), &tags, &mut buffer)
            .iter()
            .any(|f| *f)
    }

    /// What the checks before opening find of an xlsx of one sheet that `fill` writes.
    fn package(fill: impl FnOnce(&mut rust_xlsxwriter::Worksheet)) -> super::Package {
        let mut workbook = rust_xlsxwriter::Workbook::new();
        fill(workbook.add_worksheet());
        let bytes = workbook.save_to_buffer().unwrap();
        super::check_package(std::path::Path::new("表.xlsx"), &bytes).unwrap()
    }

    #[test]
    fn a_workbook_without_formulas_is_read_in_one_pass_and_hidden_rows_are_found() {
        let plain = package(|s| {
            s.write_number(0, 0, 1.0).unwrap();
        });
        assert!(!plain.has_formulas && !plain.has_merges && plain.hidden.is_empty());
        let formula = package(|s| {
            s.write_formula(0, 0, "=1+1").unwrap();
        });
        assert!(formula.has_formulas);
        let hidden = package(|s| {
            s.write_number(3, 0, 1.0).unwrap();
            s.set_row_hidden(3).unwrap();
        });
        assert_eq!(hidden.hidden.len(), 1);
    }

    #[test]
    fn a_formula_is_found_however_its_tag_is_written() {
        for xml in [
            r#"<c r="A1"><f>1+1</f><v>2</v></c>"#,
            r#"<c r="A1"><f t="shared" ref="A1:A9" si="0">B1</f></c>"#,
            "<c r=\"A1\"><f\n t=\"shared\" si=\"0\"/></c>",
            r#"<x:c r="A1"><x:f>1+1</x:f></x:c>"#,
        ] {
            for size in [16, 32 * 1024] {
                assert!(formula(xml, size), "{xml} ({size})");
            }
        }
        // Straddling two chunks of the buffer.
        let long = format!("{}<f>1</f>", "<c r=\"A1\"><v>1</v></c>".repeat(7));
        for size in 8..40 {
            assert!(formula(&long, size), "{size}");
        }
        for xml in [
            r#"<autoFilter ref="A1:D9"><filterColumn colId="0"><filters/></filterColumn></autoFilter>"#,
            r#"<c r="A1" t="s"><v>0</v></c><sheetFormatPr defaultRowHeight="15"/>"#,
        ] {
            assert!(!formula(xml, 16), "{xml}");
        }
    }
}
