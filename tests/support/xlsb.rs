//! A minimal writer of Excel binary workbooks (`.xlsb`, MS-XLSB), for tests only: no Rust
//! crate or tool on this machine writes the format. It writes what a reader needs — the
//! workbook's sheet list, each sheet's dimensions and cells (numbers and inline strings) —
//! as BIFF12 records in a zip package. Dates are written as their serial numbers.

use std::io::Write;
use std::path::Path;

use super::{Cell, Sheet};

/// One BIFF12 record: its type and size as variable-length integers, then its body.
fn record(out: &mut Vec<u8>, kind: u16, body: &[u8]) {
    if kind < 0x80 {
        out.push(kind as u8);
    } else {
        out.push((kind & 0x7F) as u8 | 0x80);
        out.push((kind >> 7) as u8);
    }
    let mut size = body.len();
    loop {
        let byte = (size & 0x7F) as u8;
        size >>= 7;
        if size == 0 {
            out.push(byte);
            break;
        }
        out.push(byte | 0x80);
    }
    out.extend_from_slice(body);
}

/// An XLWideString: the count of UTF-16 units, then the units.
fn wide(text: &str) -> Vec<u8> {
    let units: Vec<u16> = text.encode_utf16().collect();
    let mut out = (units.len() as u32).to_le_bytes().to_vec();
    out.extend(units.iter().flat_map(|u| u.to_le_bytes()));
    out
}

/// Days since Excel's 1900 epoch (1899-12-30, past the phantom 1900-02-29).
fn serial(year: u16, month: u8, day: u8) -> f64 {
    let date = chrono::NaiveDate::from_ymd_opt(year.into(), month.into(), day.into()).unwrap();
    let epoch = chrono::NaiveDate::from_ymd_opt(1899, 12, 30).unwrap();
    (date - epoch).num_days() as f64
}

fn worksheet(sheet: &Sheet) -> Vec<u8> {
    let mut out = Vec::new();
    record(&mut out, 0x0081, &[]); // BrtBeginSheet
    let last_row = sheet.rows.len().saturating_sub(1) as u32;
    let last_col = sheet
        .rows
        .iter()
        .map(Vec::len)
        .max()
        .unwrap_or(1)
        .saturating_sub(1) as u32;
    let dimensions: Vec<u8> = [0, last_row, 0, last_col]
        .iter()
        .flat_map(|v: &u32| v.to_le_bytes())
        .collect();
    record(&mut out, 0x0094, &dimensions); // BrtWsDim
    record(&mut out, 0x0091, &[]); // BrtBeginSheetData
    for (r, row) in sheet.rows.iter().enumerate() {
        let mut header = (r as u32).to_le_bytes().to_vec();
        header.extend_from_slice(&[0; 13]);
        record(&mut out, 0x0000, &header); // BrtRowHdr
        for (c, cell) in row.iter().enumerate() {
            let mut body = (c as u32).to_le_bytes().to_vec();
            body.extend_from_slice(&[0; 4]); // style 0, no flags
            match cell {
                Cell::Empty => continue,
                Cell::Text(text) => {
                    body.extend(wide(text));
                    record(&mut out, 0x0006, &body); // BrtCellSt
                }
                Cell::Number(value) => {
                    body.extend(value.to_le_bytes());
                    record(&mut out, 0x0005, &body); // BrtCellReal
                }
                Cell::Date(y, m, d) => {
                    body.extend(serial(*y, *m, *d).to_le_bytes());
                    record(&mut out, 0x0005, &body);
                }
            }
        }
    }
    record(&mut out, 0x0092, &[]); // BrtEndSheetData
    record(&mut out, 0x0082, &[]); // BrtEndSheet
    out
}

pub fn write_xlsb(path: &Path, sheets: &[Sheet]) {
    let mut book = Vec::new();
    record(&mut book, 0x0083, &[]); // BrtBeginBook
    record(&mut book, 0x008F, &[]); // BrtBeginBundleShs
    let mut rels = String::from(
        r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">"#,
    );
    for (i, sheet) in sheets.iter().enumerate() {
        let id = format!("rId{}", i + 1);
        let mut body = 0u32.to_le_bytes().to_vec(); // visible
        body.extend((i as u32 + 1).to_le_bytes());
        body.extend(wide(&id));
        body.extend(wide(&sheet.name));
        record(&mut book, 0x009C, &body); // BrtBundleSh
        rels.push_str(&format!(
            r#"<Relationship Id="{id}" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet{}.bin"/>"#,
            i + 1
        ));
    }
    rels.push_str("</Relationships>");
    record(&mut book, 0x0090, &[]); // BrtEndBundleShs
    record(&mut book, 0x0084, &[]); // BrtEndBook

    let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let options = zip::write::SimpleFileOptions::DEFAULT;
    let mut add = |name: &str, bytes: &[u8]| {
        zip.start_file(name, options).unwrap();
        zip.write_all(bytes).unwrap();
    };
    add(
        "[Content_Types].xml",
        br#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="bin" ContentType="application/vnd.ms-excel.sheet.binary.macroEnabled.main"/><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/></Types>"#,
    );
    add(
        "_rels/.rels",
        br#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.bin"/></Relationships>"#,
    );
    add("xl/workbook.bin", &book);
    add("xl/_rels/workbook.bin.rels", rels.as_bytes());
    for (i, sheet) in sheets.iter().enumerate() {
        add(
            &format!("xl/worksheets/sheet{}.bin", i + 1),
            &worksheet(sheet),
        );
    }
    std::fs::write(path, zip.finish().unwrap().into_inner()).unwrap();
}
