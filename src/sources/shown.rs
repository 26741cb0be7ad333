//! Numbers and dates as their cells show them, for text columns: a cell formatted `0.0` that
//! holds 2/3 shows `0.7`, one formatted `yyyy"年"m"月"d"日"` shows `2022年11月1日`, and a
//! text column reads what the clerk sees, not 0.666666666666667 or 2022-11-01. Number and
//! date columns read the value itself, whatever its format.
//!
//! The format codes are read and applied by the `ssfmt` crate (SheetJS's formatter in Rust).
//! Only what huibao can reproduce exactly is read as shown: digits, a point, thousands
//! separators, words in quotes (`0"人"`), a locale or currency tag (`[$¥-804]`), colours,
//! trailing padding (`0.00_ `, Chinese Excel's “数值” format), and the numeric parts of dates
//! and times. A format that writes numbers in Chinese characters (`[DBNum1]`), names months or
//! weekdays (`mmm`, `aaaa`), shows 上午/下午, chooses by a condition (`[>10]`), scales by
//! thousands (`#,##0,`), writes an exponent or a fraction, or takes the system's long date
//! (`[$-F800]`) shows a text huibao cannot know: in a text column such a cell is an error
//! asking for a plain format. Percentages are read by [`super::percent`].

use std::sync::Arc;

use chrono::{NaiveDate, NaiveDateTime};
use ssfmt::ast::{DatePart, FormatPart};

use super::Raw;

/// How the cells of one style show a number: its code, and the format read from it where
/// huibao reproduces its text.
#[derive(Debug, Clone)]
pub struct Shown {
    code: Arc<str>,
    format: Option<Arc<ssfmt::NumberFormat>>,
}

/// A number or date cell that shows something other than huibao's own text for it.
#[derive(Debug, Clone, PartialEq)]
pub struct ShownCell {
    /// The value, as a number or date column reads it.
    pub value: Raw,
    /// The text the cell shows, or (`Err`) the code of a format huibao does not reproduce.
    pub text: Result<String, Arc<str>>,
}

/// Chinese Excel's and WPS's built-in formats whose code depends on the locale (ECMA-376,
/// 18.8.30, zh-cn): a workbook names them by number alone, and calamine gives such a style
/// the code `General` or the en-US one (`mm-dd-yy` for 14).
fn built_in(id: u32) -> Option<&'static str> {
    Some(match id {
        14 => "yyyy/m/d",
        22 => "yyyy/m/d h:mm",
        27 | 36 | 50 | 52 | 57 => r#"yyyy"年"m"月""#,
        28 | 29 | 51 | 53 | 54 | 58 => r#"m"月"d"日""#,
        30 => "m-d-yy",
        31 => r#"yyyy"年"m"月"d"日""#,
        32 => r#"h"时"mm"分""#,
        33 => r#"h"时"mm"分"ss"秒""#,
        34 | 55 => r#"上午/下午h"时"mm"分""#,
        35 | 56 => r#"上午/下午h"时"mm"分"ss"秒""#,
        _ => return None,
    })
}

impl Shown {
    /// How a style of number format `code` (built-in number `id`) shows numbers; `None` for
    /// the general format, which shows a number as huibao writes it, and for text (`@`).
    /// Percentages are not asked here.
    pub fn of(code: &str, id: Option<u32>) -> Option<Shown> {
        let code = match id.and_then(built_in) {
            // The workbook defines no code of its own for a locale's built-in number.
            Some(zh) if code == "General" || en_us(id, code) => zh,
            _ => code,
        };
        if code.eq_ignore_ascii_case("General") || code == "@" || code.is_empty() {
            return None;
        }
        let unclear = || {
            Some(Shown {
                code: Arc::from(code),
                format: None,
            })
        };
        let lower = code.to_ascii_lowercase();
        // Numbers in Chinese characters (`[DBNum1]`), which ssfmt leaves out; weekdays in
        // Chinese (`aaa`, `aaaa`), which it writes as letters.
        if lower.contains("[dbnum") || lower.contains("aaa") || code.contains("上午") {
            return unclear();
        }
        let Ok(format) = ssfmt::NumberFormat::parse(code) else {
            return unclear();
        };
        let sections = numeric(&format);
        // Only a text section (`"前"@`): a number shows as in the general format. A date
        // shown `2022-10-25` (huibao's own forms, its summary workbook) as huibao writes it.
        if sections.is_empty() || sections.iter().all(|s| is_iso_date(&s.parts)) {
            return None;
        }
        if sections
            .iter()
            .all(|s| s.condition.is_none() && reproduced(&s.parts))
        {
            Some(Shown {
                code: Arc::from(code),
                format: Some(Arc::new(format)),
            })
        } else {
            unclear()
        }
    }

    /// `raw` as a cell of this format shows it, where that differs from huibao's own text
    /// for it; any other cell as it is.
    pub fn apply(&self, raw: Raw) -> Raw {
        let number = match &raw {
            Raw::Float(f) => *f,
            Raw::Int(i) => *i as f64,
            Raw::DateTime(dt) => serial(dt),
            _ => return raw,
        };
        let text = match self.format.as_deref().and_then(|f| text(f, number)) {
            Some(text) if text == super::typing::text_of(&raw) => return raw,
            Some(text) => Ok(text),
            None => Err(self.code.clone()),
        };
        Raw::Shown(Box::new(ShownCell { value: raw, text }))
    }
}

/// Whether `code` is the en-US form a reader gives a built-in number (calamine's
/// `mm-dd-yy` for 14, ssfmt's `m/d/yy`), not one the workbook defines.
fn en_us(id: Option<u32>, code: &str) -> bool {
    match id {
        Some(14) => matches!(code, "mm-dd-yy" | "m/d/yy"),
        Some(22) => code == "m/d/yy h:mm",
        _ => false,
    }
}

/// The sections of a format that show numbers: the first three, up to one for text (`@`,
/// which Excel takes for the text section wherever it stands: `yyyy"年"m"月"d"日";@`).
fn numeric(format: &ssfmt::NumberFormat) -> &[ssfmt::Section] {
    let sections = format.sections();
    let text = sections
        .iter()
        .position(|s| s.has_text_placeholder())
        .unwrap_or(sections.len());
    &sections[..text.min(3)]
}

/// Whether every part of a section is one whose text huibao knows.
fn reproduced(parts: &[FormatPart]) -> bool {
    let last = parts.len().saturating_sub(1);
    parts.iter().enumerate().all(|(i, part)| match part {
        FormatPart::Literal(_)
        | FormatPart::EscapedLiteral(_)
        | FormatPart::Digit(_)
        | FormatPart::DecimalPoint
        | FormatPart::GeneralNumber => true,
        // Between digits it groups thousands; after the last it divides by a thousand.
        FormatPart::ThousandsSeparator => parts[i + 1..]
            .iter()
            .any(|p| matches!(p, FormatPart::Digit(_))),
        // Padding the width of a character: trimmed at either end, as every cell's text is.
        FormatPart::Skip(_) | FormatPart::Fill(_) => i == 0 || i == last,
        // `[$-804]`, `[$¥-804]`; not the system's long date and time (`[$-F800]`, `[$-F400]`).
        FormatPart::Locale(locale) => !matches!(locale.lcid, Some(0xF800 | 0xF400)),
        FormatPart::DatePart(part) => of_day(part) || of_time(part),
        _ => false,
    })
}

/// `yyyy-mm-dd`: a day as huibao writes it.
fn is_iso_date(parts: &[FormatPart]) -> bool {
    let dash = |p: &FormatPart| matches!(p, FormatPart::Literal(l) | FormatPart::EscapedLiteral(l) if l == "-");
    matches!(
        parts,
        [
            FormatPart::DatePart(DatePart::Year4),
            a,
            FormatPart::DatePart(DatePart::Month2),
            b,
            FormatPart::DatePart(DatePart::Day2),
        ] if dash(a) && dash(b)
    )
}

/// A year, month or day in numbers.
fn of_day(part: &DatePart) -> bool {
    use DatePart::*;
    matches!(part, Year2 | Year4 | Month | Month2 | Day | Day2)
}

/// An hour, minute or second in numbers.
fn of_time(part: &DatePart) -> bool {
    use DatePart::*;
    matches!(part, Hour | Hour2 | Minute | Minute2 | Second | Second2)
}

/// The text a cell of `format` holding `number` shows, trimmed; `None` where it is no day
/// (a date format over a serial before 1), which Excel shows as `1900/1/0` or `####`.
fn text(format: &ssfmt::NumberFormat, number: f64) -> Option<String> {
    let sections = numeric(format);
    let section = match sections.len() {
        n if number < 0.0 && n >= 2 => &sections[1],
        n if number == 0.0 && n >= 3 => &sections[2],
        _ => sections.first()?,
    };
    let dated = section
        .parts
        .iter()
        .any(|p| matches!(p, FormatPart::DatePart(part) if of_day(part)));
    if dated && number < 1.0 {
        return None;
    }
    // Excel rounds the decimal it shows, half away from zero (1.005 to two places is 1.01);
    // ssfmt rounds the binary number (1.00). Rounded here first, ssfmt has nothing to round.
    let decimals = section
        .parts
        .iter()
        .skip_while(|p| !matches!(p, FormatPart::DecimalPoint))
        .filter(|p| matches!(p, FormatPart::Digit(_)))
        .count();
    let has_digits = section
        .parts
        .iter()
        .any(|p| matches!(p, FormatPart::Digit(_)));
    let value = match has_digits && !dated {
        true => {
            let rounded: f64 = crate::render::numbers::round_scaled(number, 0, decimals)
                .parse()
                .unwrap_or(number.abs());
            // A number that rounds to zero keeps the section of its sign (`-0.00`).
            match rounded {
                0.0 => number,
                _ => rounded.copysign(number),
            }
        }
        false => number,
    };
    let options = ssfmt::FormatOptions::default();
    Some(format.format(value, &options).trim().to_owned())
}

/// A date and time as Excel's serial number of days (1900 system).
fn serial(dt: &NaiveDateTime) -> f64 {
    let epoch = NaiveDate::from_ymd_opt(1899, 12, 30)
        .and_then(|d| d.and_hms_opt(0, 0, 0))
        .unwrap_or_default();
    let seconds = (*dt - epoch).num_milliseconds() as f64 / 1000.0;
    seconds / 86_400.0
}

#[cfg(test)]
mod tests {
    use super::{Raw, Shown};
    use chrono::NaiveDate;

    /// What a text column reads of `raw` in a cell of `code`: its shown text, `same` where
    /// that is huibao's own text for it, `unclear` where huibao does not know it.
    fn read(code: &str, id: Option<u32>, raw: Raw) -> String {
        let Some(shown) = Shown::of(code, id) else {
            return "general".into();
        };
        match shown.apply(raw) {
            Raw::Shown(cell) => cell.text.unwrap_or_else(|_| "unclear".into()),
            _ => "same".into(),
        }
    }

    fn number(code: &str, f: f64) -> String {
        read(code, None, Raw::Float(f))
    }

    fn date(code: &str, id: Option<u32>) -> String {
        let dt = NaiveDate::from_ymd_opt(2022, 11, 1)
            .and_then(|d| d.and_hms_opt(9, 5, 0))
            .unwrap();
        read(code, id, Raw::DateTime(dt))
    }

    #[test]
    fn numbers_are_shown_as_their_format_shows_them() {
        assert_eq!(number("0.0", 2.0 / 3.0), "0.7");
        assert_eq!(number("#,##0", 1_234_567.5), "1,234,568");
        assert_eq!(number("#,##0.00", 1_234_567.5), "1,234,567.50");
        assert_eq!(number("0\"人\"", 35.0), "35人");
        assert_eq!(number("\"第\"0\"名\"", 3.0), "第3名");
        assert_eq!(number("[$¥-804]#,##0.00", 1234.5), "¥1,234.50");
        // Chinese Excel's “数值” format pads with a space, which the cell's text does not keep.
        assert_eq!(number("0.00_ ", 3.5), "3.50");
        assert_eq!(number("0.00_);[Red]\\(0.00\\)", -3.5), "(3.50)");
        assert_eq!(number("0;-0;\"-\"", 0.0), "-");
        assert_eq!(number("000", 7.0), "007");
        // Excel rounds the decimal half away from zero; the binary 1.005 is below the half.
        assert_eq!(number("0.00", 1.005), "1.01");
        assert_eq!(number("0.00", -1.005), "-1.01");
        assert_eq!(number("0", 2.5), "3");
        assert_eq!(number("0.00;-0.00", -0.001), "-0.00");
        // What huibao would write anyway is left as the number it is.
        assert_eq!(number("0", 35.0), "same");
        assert_eq!(number("0.00", 1.25), "same");
    }

    #[test]
    fn dates_are_shown_as_their_format_shows_them() {
        assert_eq!(date(r#"yyyy"年"m"月"d"日""#, None), "2022年11月1日");
        assert_eq!(
            date(r#"[$-804]yyyy"年"m"月"d"日";@"#, None),
            "2022年11月1日"
        );
        assert_eq!(date(r#"yyyy"年"m"月""#, None), "2022年11月");
        assert_eq!(date("yyyy/m/d", None), "2022/11/1");
        assert_eq!(date("yyyy/m/d h:mm", None), "2022/11/1 9:05");
        assert_eq!(date("yyyy-mm-dd", None), "general");
        assert_eq!(date("yyyy\\-mm\\-dd;@", None), "general");
        assert_eq!(date("yyyy-mm-dd hh:mm", None), "2022-11-01 09:05");
        // Built-in numbers a workbook names without a code: as Chinese Excel shows them.
        assert_eq!(date("General", Some(31)), "2022年11月1日");
        assert_eq!(date("mm-dd-yy", Some(14)), "2022/11/1");
        assert_eq!(date("General", Some(58)), "11月1日");
        // A code the workbook gives for a built-in number is the one it shows.
        assert_eq!(date("yyyy.mm.dd", Some(14)), "2022.11.01");
    }

    #[test]
    fn formats_whose_text_huibao_does_not_reproduce_are_unclear() {
        for code in [
            r#"[DBNum1][$-804]yyyy"年"m"月"d"日""#,
            "[dbnum2]0",
            "aaaa",
            "mmm d",
            "dddd",
            "[$-F800]dddd, mmmm dd, yyyy",
            "h:mm AM/PM",
            r#"上午/下午h"时"mm"分""#,
            "[>10]0;0.0",
            "0.0E+00",
            "# ?/?",
            "#,##0,",
            "[h]:mm:ss",
        ] {
            assert_eq!(number(code, 44866.25), "unclear", "{code}");
        }
        assert_eq!(date("General", Some(34)), "unclear");
        // A date format over a serial before the first day.
        assert_eq!(number("yyyy/m/d", 0.5), "unclear");
    }

    #[test]
    fn the_general_and_text_formats_leave_the_cell_alone() {
        for code in ["General", "@", "", "\"前\"@"] {
            assert_eq!(number(code, 2.0 / 3.0), "general", "{code}");
        }
        let text = Raw::Text("二〇二二年".into());
        let shown = Shown::of("yyyy/m/d", None).unwrap();
        assert_eq!(shown.apply(text.clone()), text);
    }
}
