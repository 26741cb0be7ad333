//! Delimited text files (`.csv`, `.tsv`, `.txt`) in whatever encoding Excel saved them.
//!
//! Detection order: a byte-order mark (UTF-8, UTF-16LE, UTF-16BE) decides; otherwise the
//! bytes are UTF-8 if they are valid UTF-8; otherwise GB18030, the superset of GBK that
//! Excel on Chinese Windows writes for "CSV（逗号分隔）". Bytes valid in none is an error
//! naming the file and the byte offset. A file whose lines are partly UTF-8 and partly GBK
//! (one row pasted in from another file) is an error naming the line, never mojibake.
//!
//! The delimiter is a tab for `.tsv`, and for any file whose first line holds tabs and no
//! commas: Excel's "Unicode 文本" (UTF-16, tab-separated) is read whether it was saved as
//! `.txt` or renamed to `.csv`.

use std::borrow::Cow;
use std::path::Path;

use encoding_rs::{DecoderResult, Encoding, GB18030};

use super::{Grid, Raw};
use crate::diagnostics::{Error, Location, Result, Spot};

pub fn read(path: &Path) -> Result<Grid> {
    let size = std::fs::metadata(path)
        .map_err(|e| Error::read(path, e))?
        .len();
    super::limits::check_file_size(path, size)?;
    let bytes = std::fs::read(path).map_err(|e| Error::read(path, e))?;
    // Excel writes CRLF, and Excel for Mac's "CSV (Macintosh)" a lone CR; the csv crate ends
    // a record at either but counts lines by LF only, so rows that share a line number would
    // overwrite each other and cells be misnamed. Every line end becomes LF, those inside
    // quoted cells too, which text handling expects.
    if bytes.is_empty() {
        return Err(Error::Csv {
            at: Location::file(path),
            reason: "文件是空的（0 字节）".into(),
        });
    }
    let text = decode(path, &bytes)?
        .replace("\r\n", "\n")
        .replace('\r', "\n");
    let first = text.lines().find(|l| !l.trim().is_empty()).unwrap_or("");
    let delimiter = match path.extension().and_then(|e| e.to_str()) {
        Some(ext) if ext.eq_ignore_ascii_case("tsv") => b'\t',
        _ if first.contains('\t') && !first.contains(',') => b'\t',
        _ => b',',
    };
    let at = Location::file(path);
    let mut reader = ::csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .delimiter(delimiter)
        .from_reader(text.as_bytes());
    let mut cells = super::limits::Cells::new(at.clone());
    for record in reader.records() {
        let record = record.map_err(|e| {
            let line = e.position().map(|p| p.line()).unwrap_or(0);
            Error::Csv {
                at: Location {
                    cell: Some(Spot::Line(line)),
                    ..at.clone()
                },
                reason: e.to_string(),
            }
        })?;
        let index = record
            .position()
            .map(|p| p.line().saturating_sub(1) as u32)
            .unwrap_or(0);
        for (col, field) in record.iter().enumerate() {
            if !field.trim().is_empty() {
                cells.push(index, col as u32, Raw::Text(field.to_owned()))?;
            }
        }
    }
    // Rows keep their own first column (A), as a sheet's would: the header finder expects
    // every row to start there.
    let (_, rows) = cells.into_rows_from(0)?;
    Ok(Grid {
        at,
        first_col: 0,
        rows,
        merges: Vec::new(),
        hidden: Default::default(),
    })
}

/// A template or manifest, decoded as a CSV file is: Notepad on Chinese Windows saves
/// “ANSI” (GBK) or UTF-8 with a byte-order mark, and both read as the clerk wrote them. A
/// file in neither is an error that says how to save it as UTF-8.
pub fn read_text(path: &Path) -> Result<String> {
    let bytes = std::fs::read(path).map_err(|e| Error::read(path, e))?;
    decode(path, &bytes).map(Cow::into_owned).map_err(|e| {
        let detail = match e {
            Error::Encoding { offset, .. } => {
                format!("第 {offset} 字节处的内容既不是 UTF-8 也不是 GBK 编码")
            }
            Error::MixedEncoding {
                line, this, rest, ..
            } => {
                format!("第 {line} 行是 {this} 编码，其余各行是 {rest}，读出来会是乱码")
            }
            other => return other,
        };
        Error::TextEncoding {
            file: path.to_path_buf(),
            detail,
        }
    })
}

/// Decodes a text file as described in the module's comment.
pub fn decode<'a>(path: &Path, bytes: &'a [u8]) -> Result<Cow<'a, str>> {
    if let Some((encoding, bom)) = Encoding::for_bom(bytes) {
        return strict(path, encoding, &bytes[bom..], bom);
    }
    match std::str::from_utf8(bytes) {
        Ok(text) => Ok(Cow::Borrowed(text)),
        Err(_) => {
            mixed(path, bytes)?;
            strict(path, GB18030, bytes, 0)
        }
    }
}

/// A file that is not UTF-8 as a whole but has lines that are (Chinese in UTF-8 next to lines
/// in GBK) is an error naming the first line of the fewer kind. GB18030 would decode those
/// UTF-8 lines too, into mojibake.
fn mixed(path: &Path, bytes: &[u8]) -> Result<()> {
    let mut utf8 = Vec::new();
    let mut other = Vec::new();
    for (i, line) in bytes.split(|&b| b == b'\n').enumerate() {
        if line.is_ascii() {
            continue;
        }
        match std::str::from_utf8(line) {
            // GBK bytes are sometimes valid UTF-8 too (学校 reads as two Cyrillic letters):
            // only a line that reads as Chinese in UTF-8 counts as UTF-8.
            Ok(text) if text.chars().filter(|c| !c.is_ascii()).all(is_chinese) => utf8.push(i + 1),
            Ok(_) => {}
            Err(_) => other.push(i + 1),
        }
    }
    if utf8.is_empty() || other.is_empty() {
        return Ok(());
    }
    let (line, this, rest) = if utf8.len() <= other.len() {
        (utf8[0], "UTF-8", "GBK")
    } else {
        (other[0], "GBK", "UTF-8")
    };
    Err(Error::MixedEncoding {
        at: Location {
            cell: Some(Spot::Line(line as u64)),
            ..Location::file(path)
        },
        line,
        this,
        rest,
    })
}

/// A character of Chinese text: the common ideographs, CJK and full-width punctuation, and
/// the quotation marks and dashes Chinese text uses.
fn is_chinese(c: char) -> bool {
    matches!(c,
        '\u{4E00}'..='\u{9FFF}'
        | '\u{3000}'..='\u{303F}'
        | '\u{FF00}'..='\u{FFEF}'
        | '\u{2010}'..='\u{2027}'
        | '\u{00B7}')
}

/// Decodes without replacement characters: a malformed sequence is an error at its offset.
fn strict<'a>(
    path: &Path,
    encoding: &'static Encoding,
    bytes: &'a [u8],
    skipped: usize,
) -> Result<Cow<'a, str>> {
    let mut decoder = encoding.new_decoder_without_bom_handling();
    let capacity = decoder
        .max_utf8_buffer_length_without_replacement(bytes.len())
        .unwrap_or(bytes.len() * 3);
    let mut text = String::with_capacity(capacity);
    let (result, read) = decoder.decode_to_string_without_replacement(bytes, &mut text, true);
    match result {
        DecoderResult::InputEmpty => Ok(Cow::Owned(text)),
        DecoderResult::Malformed(bad, after) => Err(Error::Encoding {
            file: path.to_path_buf(),
            offset: skipped + read - bad as usize - after as usize,
        }),
        DecoderResult::OutputFull => unreachable!("the buffer holds the worst case"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn decoded(bytes: &[u8]) -> Result<String> {
        decode(Path::new("t.csv"), bytes).map(Cow::into_owned)
    }

    #[test]
    fn detects_each_encoding() {
        let text = "活动名称,参与人数\n红色宣讲进校园,120\n";
        let (gbk, _, _) = GB18030.encode(text);
        assert_eq!(decoded(&gbk).unwrap(), text);
        assert_eq!(decoded(text.as_bytes()).unwrap(), text);
        let mut bom = vec![0xEF, 0xBB, 0xBF];
        bom.extend_from_slice(text.as_bytes());
        assert_eq!(decoded(&bom).unwrap(), text);
        let mut utf16 = vec![0xFF, 0xFE];
        utf16.extend(text.encode_utf16().flat_map(u16::to_le_bytes));
        assert_eq!(decoded(&utf16).unwrap(), text);
    }

    #[test]
    fn names_the_offset_of_bytes_valid_in_no_encoding() {
        // "ab" then 0x81 0x20: a GBK lead byte followed by a byte no encoding accepts.
        let err = decoded(b"ab\x81\x20cd").unwrap_err();
        assert!(matches!(err, Error::Encoding { offset: 2, .. }), "{err:?}");
    }
}

#[cfg(test)]
mod read_tests {
    use super::*;

    #[test]
    fn rows_keep_their_line_numbers_with_crlf_and_blank_lines() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("活动清单.csv");
        std::fs::write(
            &path,
            "日期,名称\r\n2022/1/2,甲\r\n,\r\n2022/3/4,\"乙\r\n丙\"\r\n2022/5/6,丁\r\n",
        )
        .unwrap();
        let grid = read(&path).unwrap();
        let indices: Vec<u32> = grid.rows.iter().map(|r| r.index).collect();
        assert_eq!(indices, vec![0, 1, 3, 5]);
        assert_eq!(grid.rows[2].cells[1], Raw::Text("乙\n丙".into()));
    }

    #[test]
    fn a_lone_cr_ends_a_line_as_lf_does() {
        let dir = tempfile::tempdir().unwrap();
        // Excel for Mac's "CSV (Macintosh)": CR only; and a file with both kinds of line end.
        for (name, text) in [
            (
                "统计.csv",
                "指标,数值\r中小学校,56\r培训人次,420\r主题班会,1300\r",
            ),
            (
                "混合.csv",
                "指标,数值\n中小学校,56\r培训人次,420\r\n主题班会,1300\r",
            ),
        ] {
            let path = dir.path().join(name);
            std::fs::write(&path, text).unwrap();
            let grid = read(&path).unwrap();
            let rows: Vec<(u32, &Raw)> = grid.rows.iter().map(|r| (r.index, &r.cells[0])).collect();
            let texts = ["指标", "中小学校", "培训人次", "主题班会"].map(|t| Raw::Text(t.into()));
            let expected: Vec<(u32, &Raw)> = (0..4).zip(texts.iter()).collect();
            assert_eq!(rows, expected, "{name}");
        }
    }
}
