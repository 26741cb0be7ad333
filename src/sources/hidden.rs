//! Rows and columns an xlsx's sheet hides: hidden by the clerk, or filtered out. huibao reads
//! them as the file holds them (a total in Excel counts them too), and says so: a report that
//! holds rows the clerk does not see in the workbook would surprise its reader.
//!
//! calamine does not tell hidden rows; the checks before opening find which sheets mark any
//! (`hidden="1"`, see [`super::limits::check_package`]), and only those are read here.

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
/// sheet's name. What cannot be read is left out: the reader then says what is wrong.
pub fn of_sheets(bytes: &[u8], parts: &[usize]) -> HashMap<String, Hidden> {
    let Ok(mut archive) = zip::ZipArchive::new(Cursor::new(bytes)) else {
        return HashMap::new();
    };
    let mut text = |name: &str| {
        let mut text = String::new();
        archive
            .by_name(name)
            .ok()?
            .take(super::limits::MAX_PART_BYTES)
            .read_to_string(&mut text)
            .ok()?;
        Some(text)
    };
    let (Some(workbook), Some(rels)) =
        (text("xl/workbook.xml"), text("xl/_rels/workbook.xml.rels"))
    else {
        return HashMap::new();
    };
    let targets = attributes(&rels, "Relationship", &["Id", "Target"]);
    let sheets = attributes(&workbook, "sheet", &["name", "r:id"]);
    let mut found = HashMap::new();
    for &index in parts {
        let Some(Ok(part)) = archive
            .name_for_index(index)
            .map(|n| n.map(|n| n.into_owned()))
        else {
            continue;
        };
        let id = targets.iter().find(|t| resolve(&t[1]) == part);
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

/// A relationship's target as a part's name: `worksheets/sheet1.xml` is under `xl/`.
fn resolve(target: &str) -> String {
    match target.strip_prefix('/') {
        Some(absolute) => absolute.to_owned(),
        None => format!("xl/{}", target.trim_start_matches("./")),
    }
}

/// The values of `names` on each element `tag` of `xml` that has them all.
fn attributes(xml: &str, tag: &str, names: &[&str]) -> Vec<Vec<String>> {
    let mut reader = quick_xml::Reader::from_str(xml);
    let mut found = Vec::new();
    loop {
        match reader.read_event() {
            Ok(Event::Start(e) | Event::Empty(e)) if e.local_name().as_ref() == tag => {
                let values: Option<Vec<String>> =
                    names.iter().map(|n| attribute_of(&e, n)).collect();
                found.extend(values);
            }
            Ok(Event::Eof) | Err(_) => return found,
            _ => {}
        }
    }
}

/// The hidden rows and columns of a worksheet's XML.
fn hidden(xml: &str) -> Hidden {
    let mut reader = quick_xml::Reader::from_str(xml);
    let mut found = Hidden::default();
    // A row without its number (`r`) follows the one before.
    let mut next_row = 0u32;
    let is_hidden =
        |e: &BytesStart| attribute_of(e, "hidden").is_some_and(|v| v == "1" || v == "true");
    let number =
        |e: &BytesStart, name: &str| attribute_of(e, name).and_then(|v| v.parse::<u32>().ok());
    loop {
        match reader.read_event() {
            Ok(Event::Start(e) | Event::Empty(e)) => match e.local_name().as_ref() {
                "row" => {
                    let row = number(&e, "r").map_or(next_row, |r| r.saturating_sub(1));
                    next_row = row + 1;
                    if is_hidden(&e) {
                        found.rows.push((row, row));
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
            <row r="9" spans="1:3" hidden="0"/></sheetData></worksheet>"#;
        assert_eq!(
            hidden(xml),
            Hidden {
                rows: vec![(3, 3), (4, 4)],
                cols: vec![(1, 2)],
            }
        );
        let found = hidden(xml);
        assert!(found.row(4) && !found.row(8) && found.col(2) && !found.col(4));
    }
}
