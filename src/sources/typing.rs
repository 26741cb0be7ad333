//! Giving a read cell the type its column declares.

use calamine::{ExcelDateTime, ExcelDateTimeType};
use chrono::{Datelike, NaiveDate};

use super::{PercentFormat, Raw, Value};
use crate::diagnostics::{Error, Location, Result};
use crate::manifest::{Column, ColumnType, Lines};

/// A formula whose result the file does not hold, at `at`: its text as Excel's formula bar
/// shows it, cut short when long.
pub fn uncalculated(formula: &str, at: &Location) -> Error {
    // On one line: a formula may have line breaks (Alt+Enter) and tabs.
    let formula: String = formula
        .chars()
        .map(|c| match c.is_whitespace() {
            true => ' ',
            false => c,
        })
        .collect();
    let formula = match formula.chars().count() {
        0 => String::new(),
        1..=40 => format!("“{formula}”"),
        _ => format!("“{}…”", formula.chars().take(40).collect::<String>()),
    };
    Error::Uncalculated {
        at: at.clone(),
        formula,
    }
}

/// Types one cell; `at` names it in any error.
pub fn convert(raw: &Raw, column: &Column, at: &Location) -> Result<Value> {
    let bad = |found: String, hint: &str| Error::BadValue {
        at: at.clone(),
        column: column.name.clone(),
        expected: column.ty.describe().into(),
        found,
        hint: hint.to_owned(),
    };
    if let Raw::Error(code) = raw {
        return Err(bad(
            code.clone(),
            "这是 Excel 的错误值，通常是公式出错。请修正公式或直接填写数值。",
        ));
    }
    if let Raw::Formula(formula) = raw {
        return Err(uncalculated(formula, at));
    }
    let value = match (column.ty, raw) {
        (_, Raw::Empty) => Value::Empty,
        (_, Raw::Percent(_, PercentFormat::Unclear)) => {
            return Err(bad(text_of(raw), UNCLEAR_PERCENT_HINT));
        }
        // An ID card number typed as a number: Excel and WPS kept 15 of its digits.
        (ColumnType::Text, raw) if too_long(raw) => {
            let value = match raw {
                Raw::Shown(cell) => &cell.value,
                raw => raw,
            };
            return Err(bad(text_of(value), DIGITS_HINT));
        }
        (ColumnType::Text, Raw::Shown(cell)) if let Err(why) = &cell.text => {
            return Err(unshown(&cell.value, why, column, at));
        }
        // A section of its format that hides the number (`0;-0;;@` shows no zero).
        (ColumnType::Text, Raw::Shown(cell)) if cell.text.as_deref() == Ok("") => Value::Empty,
        // A number or date column reads the value, whatever its cell shows.
        (_, Raw::Shown(cell)) if column.ty != ColumnType::Text => {
            return convert(&cell.value, column, at);
        }
        (ColumnType::Text, raw) => {
            let mut text = text_of(raw);
            // A vertical tab is Word's manual line break (Shift+Enter) pasted into Excel.
            if text.contains('\u{0B}') {
                text = text.replace('\u{0B}', "\n");
            }
            if let Some(c) = text.chars().find(|c| is_forbidden(*c)) {
                return Err(bad(
                    text.replace(is_forbidden, "�"),
                    &format!(
                        "单元格里有看不见的控制字符（U+{:04X}，常见于从别处粘贴的文字），Word 文档不能包含它。请删掉这个单元格的内容后重新输入。",
                        c as u32
                    ),
                ));
            }
            Value::Text(lines(text, column.lines))
        }
        (ColumnType::Integer, Raw::Int(i)) => Value::Integer(*i),
        (ColumnType::Integer, Raw::Float(f)) => match integral(*f) {
            Some(i) => Value::Integer(i),
            None => return Err(bad(text_of(raw), "请填写整数。")),
        },
        (ColumnType::Integer, Raw::Text(s)) => match parse_number(s).map(integral) {
            Some(Some(i)) => Value::Integer(i),
            Some(None) => return Err(bad(s.trim().to_owned(), "请填写整数。")),
            None => return Err(bad(s.trim().to_owned(), number_hint(s))),
        },
        (ColumnType::Number, Raw::Int(i)) => Value::Number(*i as f64),
        (ColumnType::Number, Raw::Float(f)) => Value::Number(*f),
        (ColumnType::Number, Raw::Text(s)) => match parse_number(s) {
            Some(f) => Value::Number(f),
            None => return Err(bad(s.trim().to_owned(), number_hint(s))),
        },
        // A number column given a cell shown as a percentage: its 0.95 printed where the
        // workbook shows 95%, or a template's `%` after it, would be wrong either way.
        (ColumnType::Integer | ColumnType::Number, Raw::Percent(..)) => {
            return Err(bad(text_of(raw), PERCENT_IN_NUMBER_HINT));
        }
        (ColumnType::Integer | ColumnType::Number, Raw::Bool(_)) => {
            return Err(bad(
                text_of(raw),
                "这一格是“是/否”（TRUE/FALSE），请填写数字。",
            ));
        }
        (ColumnType::Integer | ColumnType::Number, Raw::DateTime(_)) => {
            return Err(bad(
                text_of(raw),
                "这一格是日期。请填写数字；若填的数字显示成了日期，请把单元格格式改为“常规”或“数值”。",
            ));
        }
        (ColumnType::Percent, Raw::Percent(f, _)) => Value::Number(*f),
        // A 0 is 0% however it is meant: typed as text too (every cell of a CSV file is).
        (ColumnType::Percent, Raw::Text(s)) => {
            match parse_percent(s).or_else(|| parse_number(s).filter(|f| *f == 0.0)) {
                Some(f) => Value::Number(f + 0.0),
                None => return Err(bad(s.trim().to_owned(), PERCENT_HINT)),
            }
        }
        // A plain 0 is 0% either way; any other plain number could be meant as 95 or as 0.95.
        (ColumnType::Percent, Raw::Int(0)) => Value::Number(0.0),
        (ColumnType::Percent, Raw::Float(f)) if *f == 0.0 => Value::Number(0.0),
        (ColumnType::Percent, Raw::Int(_) | Raw::Float(_)) => {
            return Err(bad(text_of(raw), PERCENT_HINT));
        }
        (ColumnType::Date, Raw::DateTime(dt)) => Value::Date(dt.date()),
        // A number in a cell not formatted as a date is taken as Excel's serial of a day; one
        // before 1950 is a number typed where a date goes (`2023`, the year alone, is the
        // serial of 1905-07-15), not a date of a work report.
        (ColumnType::Date, Raw::Float(_) | Raw::Int(_)) => match serial_date(raw) {
            Some(date) if date.year() >= 1950 => Value::Date(date),
            Some(date) => {
                return Err(bad(
                    text_of(raw),
                    &format!(
                        "这是一个数字，当作 Excel 的日期序号是 {}年{}月{}日，不像要填的日期。{DATE_HINT}",
                        date.year(),
                        date.month(),
                        date.day()
                    ),
                ));
            }
            None => return Err(bad(text_of(raw), DATE_HINT)),
        },
        (ColumnType::Date, Raw::Text(s)) => match parse_date(s) {
            Some(date) => Value::Date(date),
            None if s.trim() == "1900-02-29" => {
                return Err(bad(
                    s.trim().to_owned(),
                    "1900年没有2月29日（这是 Excel 沿袭的历史错误），请改正日期。",
                ));
            }
            None => return Err(bad(s.trim().to_owned(), DATE_HINT)),
        },
        (ColumnType::Bool, Raw::Bool(b)) => Value::Bool(*b),
        (ColumnType::Bool, Raw::Int(1)) => Value::Bool(true),
        (ColumnType::Bool, Raw::Int(0)) => Value::Bool(false),
        (ColumnType::Bool, Raw::Float(f)) if *f == 1.0 || *f == 0.0 => Value::Bool(*f == 1.0),
        (ColumnType::Bool, Raw::Text(s)) => match parse_bool(s) {
            Some(b) => Value::Bool(b),
            None => return Err(bad(s.trim().to_owned(), "请填写“是”或“否”。")),
        },
        (_, raw) => return Err(bad(text_of(raw), "")),
    };
    if value == Value::Empty {
        if column.required {
            return Err(Error::Empty {
                at: at.clone(),
                column: column.name.clone(),
            });
        }
        return Ok(value);
    }
    let number = match value {
        Value::Integer(i) => Some(i as f64),
        Value::Number(f) => Some(f),
        _ => None,
    };
    // Outside the bounds: `“参与人数”应为不小于 0 的整数，实际为“-3”。`
    if let (Some(x), Some(bounds)) = (number, column.bounds())
        && (column.min.is_some_and(|min| x < min) || column.max.is_some_and(|max| x > max))
    {
        return Err(Error::BadValue {
            at: at.clone(),
            column: column.name.clone(),
            expected: match bounds.ends_with(|c: char| c.is_ascii_digit()) {
                true => format!("{bounds} 的{}", column.ty.describe()),
                false => format!("{bounds}的{}", column.ty.describe()),
            }
            .into(),
            found: text_of(raw),
            hint: String::new(),
        });
    }
    if let Value::Text(text) = &value
        && !column.one_of.is_empty()
        && !column.one_of.iter().any(|allowed| allowed == text)
    {
        return Err(Error::NotAllowed {
            at: at.clone(),
            column: column.name.clone(),
            found: text.clone(),
            allowed: column
                .one_of
                .iter()
                .map(|a| format!("“{a}”"))
                .collect::<Vec<_>>()
                .join("、"),
        });
    }
    Ok(value)
}

/// Characters XML 1.0, and so a Word document, cannot hold: C0 controls other than tab and
/// line ends, and the two non-characters U+FFFE and U+FFFF.
pub fn is_forbidden(c: char) -> bool {
    (c < ' ' && !matches!(c, '\t' | '\n' | '\r')) || c == '\u{FFFE}' || c == '\u{FFFF}'
}

/// A text cell's line breaks as the column wants them: each line trimmed, then joined into one
/// or kept one per line (blank lines dropped).
fn lines(text: String, mode: Lines) -> String {
    if !text.contains(['\n', '\r']) {
        return text;
    }
    let lines = text.lines().map(str::trim).filter(|l| !l.is_empty());
    match mode {
        Lines::Join => lines.collect(),
        Lines::Paragraphs => lines.collect::<Vec<_>>().join("\n"),
    }
}

const PERCENT_IN_NUMBER_HINT: &str = "这一列要填写普通数字，这个单元格却设置成了百分比格式。请把单元格格式改为“常规”或“数值”后填写数字；如果这一列本来就填百分数，请在 report.toml 里把这一列的类型写成 type = \"percent\"。";

const UNCLEAR_PERCENT_HINT: &str = "这个单元格的数字格式以特殊方式显示百分数（带文字、括号、条件或科学记数等），huibao 无法确定单元格显示的文字。请把单元格格式改为“百分比”（如 0.0%）后保存。";

/// A number of 16 or more whole digits, more than a workbook keeps.
fn too_long(raw: &Raw) -> bool {
    match raw {
        Raw::Float(f) => f.abs() >= 1e15,
        Raw::Int(i) => i.unsigned_abs() >= 10u64.pow(15),
        Raw::Shown(cell) => too_long(&cell.value),
        _ => false,
    }
}

/// A number or date cell in a text column whose shown text huibao cannot tell.
fn unshown(value: &Raw, why: &super::shown::Unshown, column: &Column, at: &Location) -> Error {
    use super::shown::Unshown;
    let value = text_of(value);
    let (code, hint) = match why {
        Unshown::NoDay(code) => (
            code,
            "这个单元格设成了日期或时间格式，填的数却不是 1900 年到 9999 年之间的日期或时间（Excel 会显示 1900/1/0 或 ####）。请改填日期或时间，或把单元格格式改为“常规”后填写。",
        ),
        Unshown::Format(code) => (
            code,
            "huibao 无法确定这种数字格式显示的文字（中文大写数字、星期、英文月份、上午/下午、按条件显示、会计专用、经过的时间、秒的小数、科学记数、分数等），照原数填进报告会与表格里看到的不同。请把单元格格式改为常见的格式（如 0.0、#,##0、yyyy\"年\"m\"月\"d\"日\"），或把要写进报告的文字直接输入为文本。",
        ),
    };
    let found = format!("{value}（单元格的数字格式为 {code}）");
    Error::BadValue {
        at: at.clone(),
        column: column.name.clone(),
        expected: "文字，或以常见格式显示的数字、日期".into(),
        found,
        hint: hint.to_owned(),
    }
}

const DIGITS_HINT: &str = "这个数超过 15 位有效数字，Excel 和 WPS 只保存前 15 位，单元格显示的已不是原来的数。身份证号、银行账号等请输入为文本：把单元格格式设为“文本”后重新输入，或先输入英文单引号 ' 再输入数字。";

const PERCENT_HINT: &str = "请填写带百分号的数，如 95% 或 12.5%（Excel 和 WPS 会把单元格设为百分比格式）。不带百分号的数看不出是百分之几。";

/// A percentage typed as text, `95%`, `12.5 ％`: the ratio (0.95, 0.125).
pub fn parse_percent(s: &str) -> Option<f64> {
    let number = s.trim().strip_suffix(['%', '％'])?;
    // Fifteen significant digits: 12.3 / 100 is 0.123, not the 0.12300000000000001 the
    // division may leave.
    parse_number(number).map(|f| super::workbook::significant(f / 100.0))
}

const DATE_HINT: &str = "请填写日期，如 2022-10-25、2022/10/25 或 2022年10月25日。";

/// A cell as text: trimmed at both ends, inner spacing (an EN SPACE, say) kept exactly;
/// a number as Excel shows it, `3` not `3.0`.
pub fn text_of(raw: &Raw) -> String {
    match raw {
        Raw::Empty => String::new(),
        Raw::Text(s) => s.trim().to_owned(),
        Raw::Int(i) => i.to_string(),
        Raw::Float(f) => f.to_string(),
        Raw::Bool(true) => "是".into(),
        Raw::Bool(false) => "否".into(),
        Raw::DateTime(dt) => iso_date(dt.date()),
        Raw::Error(e) | Raw::Formula(e) => e.clone(),
        Raw::Percent(f, format) => super::percent::shown(*f, *format),
        Raw::Shown(cell) => match &cell.text {
            Ok(text) => text.clone(),
            Err(_) => text_of(&cell.value),
        },
    }
}

/// A number as a cell's text: fifteen significant digits, `3` not `3.0`.
pub fn number_text(number: f64) -> String {
    text_of(&Raw::Float(super::significant(number)))
}

/// A date as ISO 8601 (`2022-10-25`), as templates and `huibao context` see it. Templates
/// read dates once per row they touch, and chrono's formatter parses its pattern on every
/// call; plain `format!` serves the years a workbook holds.
pub fn iso_date(date: NaiveDate) -> String {
    match date.year() {
        year @ 0..=9999 => format!("{year:04}-{:02}-{:02}", date.month(), date.day()),
        _ => date.format("%Y-%m-%d").to_string(),
    }
}

fn integral(f: f64) -> Option<i64> {
    (f.fract() == 0.0 && f.abs() < 9.0e15).then_some(f as i64)
}

/// A number typed as text: full-width digits folded, thousands separators dropped.
pub fn parse_number(s: &str) -> Option<f64> {
    let folded: String = s.trim().chars().map(fold_width).collect();
    let plain = match folded.contains(',') {
        true => without_grouping(&folded)?,
        false => folded,
    };
    plain.parse::<f64>().ok().filter(|f| f.is_finite())
}

/// A number's thousands separators taken out: `1,234,567.5` is `1234567.5`. A comma anywhere
/// else (`12,34`, a decimal comma; `1,23,4`) makes it no number rather than a thousand
/// times larger.
fn without_grouping(s: &str) -> Option<String> {
    let (whole, fraction) = s.split_once('.').unwrap_or((s, ""));
    let mut groups = whole.trim_start_matches(['+', '-']).split(',');
    let first = groups.next()?;
    // A first group of 0 (`0,125`) is a decimal comma, never thousands.
    let grouped =
        (1..=3).contains(&first.len()) && !first.starts_with('0') && groups.all(|g| g.len() == 3);
    (grouped && !fraction.contains(',')).then(|| s.replace(',', ""))
}

/// Full-width ASCII forms (`１２`, `，`) to their ASCII twins.
pub fn fold_width(c: char) -> char {
    match c {
        '\u{FF01}'..='\u{FF5E}' => char::from_u32(c as u32 - 0xFEE0).unwrap_or(c),
        '\u{3000}' => ' ',
        _ => c,
    }
}

fn number_hint(s: &str) -> &'static str {
    let s = s.trim();
    if parse_percent(s).is_some() {
        return "这一列要填写普通数字，不带百分号；如果这一列本来就填百分数，请在 report.toml 里把这一列的类型写成 type = \"percent\"。";
    }
    if s.chars().map(fold_width).any(|c| c == ',')
        && parse_number(&s.replace([',', '，'], "")).is_some()
    {
        return "逗号只能用作千位分隔（如 1,234）；小数请用小数点（如 12.34）。";
    }
    let spaced: String = s
        .chars()
        .filter(|c| !fold_width(*c).is_whitespace())
        .collect();
    if spaced.len() < s.len() && parse_number(&spaced).is_some() {
        return "数字中间不要有空格（如 12000 或 12,000）。";
    }
    let starts_with_digit = s
        .chars()
        .next()
        .is_some_and(|c| fold_width(c).is_ascii_digit());
    if starts_with_digit {
        "单元格里只填数字；单位（如“人”“个”）请写到表头的括号里（如“参与人数（人）”），或写在模板里。"
    } else {
        "请填写数字。"
    }
}

fn serial_date(raw: &Raw) -> Option<NaiveDate> {
    let serial = match raw {
        Raw::Int(i) => *i as f64,
        Raw::Float(f) => *f,
        _ => return None,
    };
    if !(1.0..2_958_466.0).contains(&serial) {
        return None;
    }
    ExcelDateTime::new(serial, ExcelDateTimeType::DateTime, false)
        .as_datetime()
        .map(|dt| dt.date())
}

/// Dates as clerks type them: `2022-10-25`, `2022/10/25`, `2022.10.25`, `2022年10月25日`.
pub fn parse_date(s: &str) -> Option<NaiveDate> {
    let s: String = s.trim().chars().map(fold_width).collect();
    // A time after the date (`2022-01-20 10:30`, ISO's `2022-01-20T10:30:00`) is dropped;
    // anything else after it (`2022-03-01 至 2022-03-05`) makes it no one date.
    let (s, time) = match s
        .char_indices()
        .find(|(_, c)| c.is_whitespace() || *c == 'T')
    {
        Some((i, c)) => (&s[..i], s[i + c.len_utf8()..].trim()),
        None => (s.as_str(), ""),
    };
    let is_time = |t: &str| {
        ["%H:%M:%S%.f", "%H:%M"]
            .iter()
            .any(|format| chrono::NaiveTime::parse_from_str(t, format).is_ok())
    };
    if !time.is_empty() && !is_time(time) {
        return None;
    }
    // The year comes first, in four digits: chrono's %Y would read `23-1-5` as the year 23
    // and `5/1/23` (month first) as the year 5; and no report's date is before 1900.
    if s.bytes().take_while(u8::is_ascii_digit).count() != 4 {
        return None;
    }
    ["%Y-%m-%d", "%Y/%m/%d", "%Y.%m.%d", "%Y年%m月%d日"]
        .iter()
        .find_map(|format| NaiveDate::parse_from_str(s, format).ok())
        .filter(|d| chrono::Datelike::year(d) >= 1900)
}

fn parse_bool(s: &str) -> Option<bool> {
    match s.trim().to_lowercase().as_str() {
        "是" | "√" | "✓" | "true" | "y" | "yes" | "1" | "有" => Some(true),
        "否" | "×" | "✗" | "false" | "n" | "no" | "0" | "无" => Some(false),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::Path;

    fn column(ty: ColumnType) -> Column {
        Column::new("列", ty)
    }

    #[test]
    fn iso_dates_as_chrono_writes_them() {
        let mut day = NaiveDate::from_ymd_opt(1899, 12, 25).unwrap();
        let last = NaiveDate::from_ymd_opt(2101, 1, 5).unwrap();
        while day <= last {
            assert_eq!(iso_date(day), day.format("%Y-%m-%d").to_string());
            day = day.succ_opt().unwrap();
        }
        for (y, m, d) in [
            (1, 1, 1),
            (999, 3, 4),
            (9999, 12, 31),
            (10000, 1, 1),
            (-5, 6, 7),
        ] {
            let day = NaiveDate::from_ymd_opt(y, m, d).unwrap();
            assert_eq!(iso_date(day), day.format("%Y-%m-%d").to_string());
        }
    }

    fn typed(ty: ColumnType, raw: Raw) -> Result<Value> {
        convert(
            &raw,
            &column(ty),
            &Location::file(Path::new("a.csv")).at(6, 2),
        )
    }

    #[test]
    fn integers_from_excel_floats_and_text() {
        assert_eq!(
            typed(ColumnType::Integer, Raw::Float(3.0)).unwrap(),
            Value::Integer(3)
        );
        assert_eq!(
            typed(ColumnType::Integer, Raw::Text(" 1,234 ".into())).unwrap(),
            Value::Integer(1234)
        );
        assert_eq!(
            typed(ColumnType::Integer, Raw::Text("１２".into())).unwrap(),
            Value::Integer(12)
        );
        assert_eq!(
            typed(ColumnType::Number, Raw::Text("-1,234,567.5".into())).unwrap(),
            Value::Number(-1234567.5)
        );
        let err = typed(ColumnType::Integer, Raw::Text("12 000".into())).unwrap_err();
        assert!(err.to_string().contains("数字中间不要有空格"), "{err}");
        // A comma that does not group thousands is no number: 12,34 is not 1234.
        for text in [
            "12,34",
            "1,23,4",
            ",123",
            "1234,567",
            "1,234.5,6",
            "0,125",
            "00,500",
        ] {
            let err = typed(ColumnType::Number, Raw::Text(text.into())).unwrap_err();
            assert!(err.to_string().contains("千位分隔"), "{text}: {err}");
        }
        let err = typed(ColumnType::Integer, Raw::Text("12人".into())).unwrap_err();
        let message = err.to_string();
        assert!(message.contains("a.csv › C7"), "{message}");
        assert!(message.contains("“12人”"), "{message}");
        assert!(message.contains("单位"), "{message}");
        assert!(typed(ColumnType::Integer, Raw::Float(2.5)).is_err());
        // A number that is no whole one, typed as text (a CSV cell): told so, not to move a unit.
        let err = typed(ColumnType::Integer, Raw::Text("2.5".into())).unwrap_err();
        assert!(err.to_string().ends_with("请填写整数。"), "{err}");
        // A percentage typed into a number column: the column's type is the way out.
        let err = typed(ColumnType::Number, Raw::Text("5%".into())).unwrap_err();
        assert!(err.to_string().contains("type = \"percent\""), "{err}");
    }

    #[test]
    fn dates_from_serials_and_text() {
        let day = NaiveDate::from_ymd_opt(2022, 10, 25).unwrap();
        // Serial 0 and below are no day (a date cell of them comes as a number too).
        for serial in [0.0, -5.0] {
            assert!(
                typed(ColumnType::Date, Raw::Float(serial)).is_err(),
                "{serial}"
            );
        }
        assert_eq!(
            typed(ColumnType::Date, Raw::Float(44859.0)).unwrap(),
            Value::Date(day)
        );
        // A number typed where a date goes, in a cell not formatted as a date: the year alone,
        // a decimal. Read as serials they are days of 1905 and 1900.
        for (number, day) in [(2023.0, "1905年7月15日"), (1.5, "1900年1月1日")] {
            let err = typed(ColumnType::Date, Raw::Float(number)).unwrap_err();
            assert!(
                err.to_string()
                    .contains(&format!("当作 Excel 的日期序号是 {day}，不像要填的日期")),
                "{err}"
            );
        }
        assert!(
            typed(ColumnType::Date, Raw::Float(18264.0)).is_ok(),
            "1950-01-01"
        );
        // And the other way round: a date or a yes/no where a number goes says what it is.
        let err = typed(
            ColumnType::Integer,
            Raw::DateTime(day.and_hms_opt(0, 0, 0).unwrap()),
        )
        .unwrap_err();
        assert!(
            err.to_string().contains("这一格是日期。请填写数字"),
            "{err}"
        );
        let err = typed(ColumnType::Number, Raw::Bool(true)).unwrap_err();
        assert!(err.to_string().contains("这一格是“是/否”"), "{err}");
        for text in [
            "2022-10-25",
            "2022/10/25",
            "2022.10.25",
            "2022年10月25日",
            "2022-10-25 10:30",
            "2022-10-25 10:30:00",
            "2022-10-25T10:30:00",
            "2022-10-25T00:00:00.000",
            // Spaces of more than one byte before the time: no-break, ideographic.
            "2022-10-25\u{a0}10:30",
            "2022-10-25\u{3000}10:30",
        ] {
            assert_eq!(
                typed(ColumnType::Date, Raw::Text(text.into())).unwrap(),
                Value::Date(day)
            );
        }
        assert!(typed(ColumnType::Date, Raw::Text("十月".into())).is_err());
        // A year of two digits, or the year last, is no date huibao can be sure of.
        for text in [
            "5/1/23",
            "23/1/5",
            "22.1.5",
            "23-1-5",
            "1/5/2023",
            "02022-10-25",
            "0023-1-12",
            "2022-10-25 至 2022-10-30",
            "2022-10-25 上午",
            "2\u{a0}22/4/15",
        ] {
            assert!(
                typed(ColumnType::Date, Raw::Text(text.into())).is_err(),
                "{text}"
            );
        }
    }

    #[test]
    fn text_keeps_inner_spaces_and_trims_the_ends() {
        assert_eq!(
            typed(ColumnType::Text, Raw::Text("  能力，\u{2002}有力 ".into())).unwrap(),
            Value::Text("能力，\u{2002}有力".into())
        );
        assert_eq!(
            typed(ColumnType::Text, Raw::Float(3.0)).unwrap(),
            Value::Text("3".into())
        );
    }

    #[test]
    fn empty_required_cells_and_error_cells_are_errors() {
        assert!(matches!(
            typed(ColumnType::Text, Raw::Empty),
            Err(Error::Empty { .. })
        ));
        let err = typed(ColumnType::Number, Raw::Error("#DIV/0!".into())).unwrap_err();
        assert!(err.to_string().contains("#DIV/0!"));
        let mut optional = column(ColumnType::Text);
        optional.required = false;
        let at = Location::file(Path::new("a.csv"));
        assert_eq!(convert(&Raw::Empty, &optional, &at).unwrap(), Value::Empty);
    }

    #[test]
    fn control_characters_are_refused_and_vertical_tabs_are_line_breaks() {
        let err = typed(ColumnType::Text, Raw::Text("开学\u{1}第一课".into())).unwrap_err();
        let message = err.to_string();
        assert!(message.contains("a.csv › C7"), "{message}");
        assert!(message.contains("U+0001"), "{message}");
        assert_eq!(
            typed(ColumnType::Text, Raw::Text("开学\u{B}第一课".into())).unwrap(),
            Value::Text("开学第一课".into())
        );
    }

    #[test]
    fn line_breaks_join_or_become_paragraphs() {
        let raw = Raw::Text("抓好理论学习。\r\n  坚持学习强国日日学。\n\n抓好信息宣传。".into());
        let at = Location::file(Path::new("a.xlsx"));
        let mut text = column(ColumnType::Text);
        assert_eq!(
            convert(&raw, &text, &at).unwrap(),
            Value::Text("抓好理论学习。坚持学习强国日日学。抓好信息宣传。".into())
        );
        text.lines = Lines::Paragraphs;
        assert_eq!(
            convert(&raw, &text, &at).unwrap(),
            Value::Text("抓好理论学习。\n坚持学习强国日日学。\n抓好信息宣传。".into())
        );
    }

    #[test]
    fn booleans_in_the_usual_spellings() {
        for (text, b) in [
            ("是", true),
            ("否", false),
            ("√", true),
            ("×", false),
            ("TRUE", true),
            ("N", false),
            ("Y", true),
            ("FALSE", false),
            ("1", true),
            ("0", false),
            ("有", true),
        ] {
            assert_eq!(
                typed(ColumnType::Bool, Raw::Text(text.into())).unwrap(),
                Value::Bool(b)
            );
        }
    }
}
