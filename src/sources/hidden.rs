//! Rows and columns a sheet hides: hidden by the clerk, or filtered out. huibao reads them as
//! the file holds them (a total in Excel counts them too), and says so: a report that holds
//! rows the clerk does not see in the workbook would surprise its reader.
//!
//! calamine does not tell hidden rows. For an xlsx, the checks before opening find which
//! sheets mark any (`hidden="1"`, see [`super::limits::check_package`]), and only those are
//! read here; an .xls's and an .ods's are found by the checks that walk their records
//! (`check_xls`, `check_ods`).

use std::collections::HashMap;
use std::io::{Cursor, Read};

use quick_xml::events::{BytesStart, Event};

use super::limits::attribute_of;

/// A sheet's hidden rows and columns, zero-based, as ranges (first and last).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Hidden {
    /// Sorted by their first row, apart.
    pub rows: Vec<(u32, u32)>,
    pub cols: Vec<(u32, u32)>,
}

impl Hidden {
    pub fn row(&self, row: u32) -> bool {
        let after = self.rows.partition_point(|&(first, _)| first <= row);
        after > 0 && row <= self.rows[after - 1].1
    }

    pub fn col(&self, col: u32) -> bool {
        self.cols
            .iter()
            .any(|&(first, last)| first <= col && col <= last)
    }
}

/// The hidden rows and columns of the worksheets at `parts` (indices in the package), by the
/// sheet's name. The workbook and its sheets are found as the reader finds them: through the
/// package's relationships, names compared without regard to case or slashes. What cannot be
/// read is left out: the reader then says what is wrong.
pub fn of_sheets(bytes: &[u8], parts: &[usize]) -> HashMap<String, Hidden> {
    let Ok(mut archive) = zip::ZipArchive::new(Cursor::new(bytes)) else {
        return HashMap::new();
    };
    let names: Vec<String> = (0..archive.len())
        .map(|i| match archive.name_for_index(i) {
            Some(Ok(name)) => normal(&name),
            _ => String::new(),
        })
        .collect();
    let mut text = |name: &str| {
        let index = names.iter().position(|n| *n == normal(name))?;
        let mut text = String::new();
        archive
            .by_index(index)
            .ok()?
            .take(super::limits::MAX_PART_BYTES)
            .read_to_string(&mut text)
            .ok()?;
        Some(text)
    };
    // `_rels/.rels` names the workbook part (`xl/workbook.xml`).
    let workbook_part = text("_rels/.rels")
        .and_then(|rels| {
            attributes(&rels, "Relationship", &["Type", "Target"])
                .into_iter()
                .find(|r| r[0].ends_with("/officeDocument"))
                .map(|r| resolve("", &r[1]))
        })
        .unwrap_or_else(|| "xl/workbook.xml".to_owned());
    let (folder, file) = workbook_part
        .rsplit_once('/')
        .unwrap_or(("", workbook_part.as_str()));
    let rels_part = match folder {
        "" => format!("_rels/{file}.rels"),
        folder => format!("{folder}/_rels/{file}.rels"),
    };
    let (Some(workbook), Some(rels)) = (text(&workbook_part), text(&rels_part)) else {
        return HashMap::new();
    };
    let targets = attributes(&rels, "Relationship", &["Id", "Target"]);
    // The relationship's id, whatever the prefix of its namespace (`r:id`, `x:id`).
    let sheets = attributes(&workbook, "sheet", &["name", ":id"]);
    let mut found = HashMap::new();
    for &index in parts {
        let Some(part) = names.get(index) else {
            continue;
        };
        let id = targets
            .iter()
            .find(|t| normal(&resolve(folder, &t[1])) == *part);
        let sheet = id.and_then(|id| sheets.iter().find(|s| s[1] == id[0]));
        let (Some(sheet), Ok(file)) = (sheet, archive.by_index(index)) else {
            continue;
        };
        let mut xml = String::new();
        if file
            .take(super::limits::MAX_PART_BYTES)
            .read_to_string(&mut xml)
            .is_ok()
        {
            found.insert(sheet[0].clone(), hidden(&xml));
        }
    }
    found
}

/// A part's name as compared: forward slashes, lower case, no leading slash.
fn normal(name: &str) -> String {
    name.replace('\\', "/")
        .trim_start_matches('/')
        .to_lowercase()
}

/// A relationship's target as a part's name: relative to the folder of the part whose
/// relationships name it (`worksheets/sheet1.xml` from `xl/`), or from the package's root
/// (`/xl/worksheets/sheet1.xml`).
fn resolve(folder: &str, target: &str) -> String {
    match target.strip_prefix('/') {
        Some(absolute) => absolute.to_owned(),
        None if folder.is_empty() => target.trim_start_matches("./").to_owned(),
        None => format!("{folder}/{}", target.trim_start_matches("./")),
    }
}

/// The values of `names` on each element `tag` of `xml` that has them all.
fn attributes(xml: &str, tag: &str, names: &[&str]) -> Vec<Vec<String>> {
    let mut reader = quick_xml::Reader::from_str(xml);
    let mut found = Vec::new();
    loop {
        match reader.read_event() {
            Ok(Event::Start(e) | Event::Empty(e)) if e.local_name().as_ref() == tag => {
                let values: Option<Vec<String>> = names
                    .iter()
                    .map(|n| match n.strip_prefix(':') {
                        Some(local) => prefixed(&e, local),
                        None => attribute_of(&e, n),
                    })
                    .collect();
                found.extend(values);
            }
            Ok(Event::Eof) | Err(_) => return found,
            _ => {}
        }
    }
}

/// The value of an attribute `local` in some namespace (`r:id`, `x:id`), not one without.
fn prefixed(e: &BytesStart, local: &str) -> Option<String> {
    let key = e.attributes().flatten().find_map(|a| {
        let key: String = a.key.as_ref().to_owned();
        key.split_once(':')
            .is_some_and(|(_, name)| name == local)
            .then_some(key)
    })?;
    attribute_of(e, &key)
}

/// The hidden rows and columns of a worksheet's XML.
fn hidden(xml: &str) -> Hidden {
    let mut reader = quick_xml::Reader::from_str(xml);
    let mut found = Hidden::default();
    // A row without its number (`r`) follows the one before, unless its cells say theirs
    // (`<c r="A4">`), as the reader takes them; `pending`: the hidden row they may move.
    let mut next_row = 0u32;
    let mut pending: Option<usize> = None;
    let is_hidden =
        |e: &BytesStart| attribute_of(e, "hidden").is_some_and(|v| v == "1" || v == "true");
    let number =
        |e: &BytesStart, name: &str| attribute_of(e, name).and_then(|v| v.parse::<u32>().ok());
    loop {
        match reader.read_event() {
            // Rows counted as calamine counts them: a row without its number follows the
            // one before; an empty `<row/>` holds no cell and counts for nothing.
            Ok(Event::Empty(e)) if e.local_name().as_ref() == "row" => {
                if let Some(r) = number(&e, "r").filter(|_| is_hidden(&e)) {
                    found.rows.push((r.saturating_sub(1), r.saturating_sub(1)));
                }
            }
            Ok(Event::Start(e) | Event::Empty(e)) => match e.local_name().as_ref() {
                "row" => {
                    let numbered = number(&e, "r");
                    let row = numbered.map_or(next_row, |r| r.saturating_sub(1));
                    next_row = row.saturating_add(1);
                    pending = None;
                    if is_hidden(&e) {
                        found.rows.push((row, row));
                        pending = numbered.is_none().then(|| found.rows.len() - 1);
                    }
                }
                // A hidden row without its number whose cells say theirs (`<c r="A4">`):
                // calamine puts the cells there.
                "c" if pending.is_some() => {
                    let digits = |r: String| r.trim_start_matches(char::is_alphabetic).parse().ok();
                    if let (Some(at), Some(row)) = (pending, attribute_of(&e, "r").and_then(digits))
                    {
                        let row: u32 = row;
                        found.rows[at] = (row.saturating_sub(1), row.saturating_sub(1));
                        pending = None;
                    }
                }
                "col" if is_hidden(&e) => {
                    if let (Some(min), Some(max)) = (number(&e, "min"), number(&e, "max")) {
                        found
                            .cols
                            .push((min.saturating_sub(1), max.saturating_sub(1)));
                    }
                }
                _ => {}
            },
            Ok(Event::End(e)) if e.local_name().as_ref() == "sheetData" => break,
            Ok(Event::Eof) | Err(_) => break,
            _ => {}
        }
    }
    found.rows.sort_unstable();
    found
}

#[cfg(test)]
mod tests {
    use super::{Hidden, hidden};

    #[test]
    fn hidden_rows_and_columns_are_read_as_excel_and_wps_write_them() {
        let xml = r#"<worksheet><cols><col min="2" max="3" width="0" hidden="1"/><col min="5" max="5" width="9"/></cols>
            <sheetData><row r="1"><c r="A1"/></row><row r="4" hidden="1"/><row hidden="true"/>
            <row r="9" spans="1:3" hidden="0"/><row hidden="1"><c r="B12"/></row><row><c/></row>
            <row hidden="1"/></sheetData></worksheet>"#;
        assert_eq!(
            hidden(xml),
            Hidden {
                // Row 4 by its number; row 12 by its cell's reference; the empty rows
                // without a number hold nothing to tell.
                rows: vec![(3, 3), (11, 11)],
                cols: vec![(1, 2)],
            }
        );
        let found = hidden(xml);
        assert!(found.row(3) && found.row(11) && !found.row(4) && found.col(2) && !found.col(4));
    }
}
