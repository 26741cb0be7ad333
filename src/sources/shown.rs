//! Numbers and dates as their cells show them, for text columns: a cell formatted `0.0` that
//! holds 2/3 shows `0.7`, one formatted `yyyy"年"m"月"d"日"` shows `2022年11月1日`, and a
//! text column reads what the clerk sees, not 0.666666666666667 or 2022-11-01. Number and
//! date columns read the value itself, whatever its format.
//!
//! The format codes are read and applied by the `ssfmt` crate (SheetJS's formatter in Rust),
//! with Excel's rounding of the decimal and its zeros beyond 15 significant digits laid over
//! its output. Only what huibao can reproduce exactly is read as shown: digits, a point,
//! thousands separators, words in quotes (`0"人"`), a locale or currency tag (`[$¥-804]`),
//! colours, trailing padding (`0.00_ `, Chinese Excel's “数值” format), the numeric parts of
//! dates and times, the general format with words around it (written here, not by ssfmt), and
//! an empty section, which hides its numbers (`0;-0;;@`). A format that writes numbers in
//! Chinese characters (`[DBNum1]`), names months or weekdays (`mmm`, `aaaa`), shows 上午/下午,
//! chooses by a condition (`[>10]`), scales by thousands (`#,##0,`), writes an exponent or a
//! fraction, or takes the system's long date (`[$-F800]`) shows a text huibao cannot know: in
//! a text column such a cell is an error asking for a plain format. Percentages are read by
//! [`super::percent`]; an .ods's cells by the text the file stores ([`ShownCell::with_text`]).

use std::sync::Arc;

use chrono::{NaiveDate, NaiveDateTime};
use ssfmt::ast::{DatePart, FormatPart, Section};

use super::Raw;

/// How the cells of one style show a number: its code, and the format read from it where
/// huibao reproduces its text.
#[derive(Debug, Clone)]
pub struct Shown {
    code: Arc<str>,
    format: Option<Arc<ssfmt::NumberFormat>>,
    /// The sections that show numbers, as written: ssfmt reads an empty section and one of
    /// the general format alike, and leaves out `General` after words (`"约"General`).
    written: Arc<[String]>,
    /// An empty fourth section hides text too (`;;;`, the way to hide a cell's contents).
    hides_text: bool,
}

/// A number or date cell that shows something other than huibao's own text for it.
#[derive(Debug, Clone, PartialEq)]
pub struct ShownCell {
    /// The value, as a number or date column reads it.
    pub value: Raw,
    /// The text the cell shows, or why huibao cannot tell it.
    pub text: Result<String, Unshown>,
}

impl ShownCell {
    /// A cell that shows `text` (an .ods stores it; a format hides it), where that is not
    /// huibao's own text for it; any other cell as it is.
    pub fn with_text(raw: Raw, text: &str) -> Raw {
        match raw {
            Raw::Float(_) | Raw::Int(_) | Raw::DateTime(_) | Raw::Text(_)
                if text.trim() != super::typing::text_of(&raw) =>
            {
                Raw::Shown(Box::new(ShownCell {
                    value: raw,
                    text: Ok(text.trim().to_owned()),
                }))
            }
            raw => raw,
        }
    }
}

impl ShownCell {
    /// A cell whose format hides it: it shows nothing.
    pub fn hidden(value: Raw) -> Raw {
        Raw::Shown(Box::new(ShownCell {
            value,
            text: Ok(String::new()),
        }))
    }
}

/// Why huibao cannot tell the text a cell shows.
#[derive(Debug, Clone, PartialEq)]
pub enum Unshown {
    /// Its format, by its code, is one huibao does not reproduce.
    Format(Arc<str>),
    /// Its date or time format, by its code, is given a number that is no day or time (a
    /// serial before 1900, after 9999, a negative time): Excel shows `1900/1/0` or `####`.
    NoDay(Arc<str>),
}

/// Chinese Excel's and WPS's built-in formats whose code depends on the locale (ECMA-376,
/// 18.8.30, zh-cn): a workbook names them by number alone, and calamine gives such a style
/// the code `General` or the en-US one (`mm-dd-yy` for 14).
fn built_in(id: u32) -> Option<&'static str> {
    Some(match id {
        5 => "\"¥\"#,##0;\"¥\"-#,##0",
        6 => "\"¥\"#,##0;[Red]\"¥\"-#,##0",
        7 => "\"¥\"#,##0.00;\"¥\"-#,##0.00",
        8 => "\"¥\"#,##0.00;[Red]\"¥\"-#,##0.00",
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
        // `G/通用格式` is how Chinese Excel names the general format; some programs write it.
        let code = code.replace("G/通用格式", "General");
        if code.eq_ignore_ascii_case("General") || code == "@" || code.is_empty() {
            return None;
        }
        let unclear = |code: String| {
            Some(Shown {
                code: Arc::from(code),
                format: None,
                written: Arc::from([]),
                hides_text: false,
            })
        };
        let lower = code.to_ascii_lowercase();
        // Numbers in Chinese characters (`[DBNum1]`), which ssfmt leaves out; weekdays in
        // Chinese (`aaa`, `aaaa`) and eras (`ggge`), which it writes as letters.
        if lower.contains("[dbnum") || code.contains("上午") || unquoted_letter(&lower, &['a', 'g'])
        {
            return unclear(code);
        }
        // ssfmt panics on some malformed codes (`]General`): such a code is unclear, not a
        // damaged workbook.
        let parsed = std::panic::catch_unwind(|| ssfmt::NumberFormat::parse(&code));
        let Ok(Ok(format)) = parsed else {
            return unclear(code);
        };
        let sections = numeric(&format);
        let mut written = super::percent::split_sections(&code);
        let hides_text = written.get(3).is_some_and(String::is_empty);
        let text = written.iter().position(|s| bare(s).contains('@'));
        written.truncate(text.unwrap_or(written.len()).min(3));
        if written.len() != sections.len() {
            return unclear(code);
        }
        // Only a text section (`"前"@`): a number shows as in the general format. A date
        // shown `2022-10-25` (huibao's own forms, its summary workbook) as huibao writes it.
        if sections.is_empty() || sections.iter().all(|s| is_iso_date(&s.parts)) {
            return None;
        }
        let known =
            sections
                .iter()
                .zip(&written)
                .all(|(section, written)| match is_general(written) {
                    true => general(written, 1.0, false).is_some(),
                    false => section.condition.is_none() && reproduced(&section.parts),
                });
        if !known {
            return unclear(code);
        }
        // ssfmt is given the sections that show numbers alone, so that it chooses among them
        // as huibao does (`0.0;@` shows -2.5 by its first section, with a minus).
        let numbers = ssfmt::NumberFormat::from_sections(sections.to_vec());
        Some(Shown {
            code: Arc::from(code),
            format: Some(Arc::new(numbers)),
            written: Arc::from(written),
            hides_text,
        })
    }

    /// Whether a text in a cell of this format shows nothing (`;;;`).
    pub fn hides_text(&self) -> bool {
        self.hides_text
    }

    /// `raw` as a cell of this format shows it, where that differs from huibao's own text
    /// for it; any other cell as it is.
    pub fn apply(&self, raw: Raw) -> Raw {
        let number = match &raw {
            Raw::Float(f) => Some(*f),
            Raw::Int(i) => Some(*i as f64),
            Raw::DateTime(dt) => serial(dt),
            Raw::Text(_) if self.hides_text => return ShownCell::hidden(raw),
            _ => return raw,
        };
        let text = match (&self.format, number) {
            (Some(format), Some(number)) => text(format, &self.written, number),
            (Some(_), None) => Err(Fault::NoDay),
            (None, _) => Err(Fault::Unclear),
        };
        let text = match text {
            Ok(text) if text == super::typing::text_of(&raw) => return raw,
            Ok(text) => Ok(text),
            Err(Fault::Unclear) => Err(Unshown::Format(self.code.clone())),
            Err(Fault::NoDay) => Err(Unshown::NoDay(self.code.clone())),
        };
        Raw::Shown(Box::new(ShownCell { value: raw, text }))
    }
}

/// Whether `code` (lower case) has one of `letters` outside quotes, brackets and escapes,
/// `general` apart.
fn unquoted_letter(code: &str, letters: &[char]) -> bool {
    let mut bracket = false;
    bare(code).replace("general", "").chars().any(|c| {
        match c {
            '[' => bracket = true,
            ']' => bracket = false,
            _ => {}
        }
        !bracket && letters.contains(&c)
    })
}

/// A code without its quoted words and escaped characters.
fn bare(code: &str) -> String {
    super::percent::marked(code)
        .filter_map(|(c, is_code)| is_code.then_some(c))
        .collect()
}

/// Whether a section, as written, shows the general format (`General`, `"共"General"人"`).
fn is_general(section: &str) -> bool {
    bare(section).to_ascii_lowercase().contains("general")
}

/// A section of the general format with words around it (`"共"General"人"`, `-General`): the
/// words, and the number as huibao writes it (fifteen significant digits), without its sign
/// in the section for negative numbers, which writes its own. `None` for anything else in
/// it: digits, a condition, a currency (`[$¥-804]`), `General` twice.
fn general(section: &str, number: f64, negative: bool) -> Option<String> {
    // A negative number in a section not its own has its sign before the words (`-共7`).
    let sign = match !negative && number < 0.0 {
        true => "-",
        false => "",
    };
    let number = number.abs();
    let mut chars = section.chars().peekable();
    let (mut text, mut numbers) = (sign.to_owned(), 0);
    while let Some(c) = chars.next() {
        match c {
            '"' => text.extend(chars.by_ref().take_while(|&c| c != '"')),
            '\\' => text.extend(chars.next()),
            // Padding, and a character repeated to fill the cell: no text of their own.
            '_' | '*' => {
                chars.next();
            }
            '[' => {
                let tag: String = chars.by_ref().take_while(|&c| c != ']').collect();
                // A colour (`[Red]`, `[Color10]`, `[红色]`) or a locale (`[$-804]`).
                let colour = tag.chars().all(|c| c.is_alphanumeric());
                if !colour && !tag.starts_with("$-") {
                    return None;
                }
            }
            'G' | 'g' => {
                let rest: String = chars.by_ref().take(6).collect();
                if !rest.eq_ignore_ascii_case("eneral") {
                    return None;
                }
                numbers += 1;
                text.push_str(&super::typing::number_text(number));
            }
            c if !c.is_ascii() || " -+/():!^&'~{}<>=$".contains(c) => text.push(c),
            _ => return None,
        }
    }
    (numbers == 1).then(|| text.trim().to_owned())
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
fn numeric(format: &ssfmt::NumberFormat) -> &[Section] {
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
        | FormatPart::DecimalPoint => true,
        // Between digits it groups thousands; after the last (`#,##0,`, `0,.00`) it divides
        // by a thousand.
        FormatPart::ThousandsSeparator => matches!(parts.get(i + 1), Some(FormatPart::Digit(_))),
        // Padding the width of a character, or spaces filling the cell: trimmed at either
        // end, as every cell's text is. Another character filling it (`0*-`) is repeated as
        // wide as the column, which huibao does not know.
        FormatPart::Skip(_) | FormatPart::Fill(' ') => i == 0 || i == last,
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
    matches!(part, Year2 | Year3 | Year4 | Month | Month2 | Day | Day2)
}

/// An hour, minute or second in numbers.
fn of_time(part: &DatePart) -> bool {
    use DatePart::*;
    matches!(part, Hour | Hour2 | Minute | Minute2 | Second | Second2)
}

/// The first serial past Excel's last day, 9999-12-31.
const PAST_THE_LAST_DAY: f64 = 2_958_466.0;

/// The text a cell of `format` holding `number` shows, trimmed; or why huibao cannot tell it:
/// a section it does not reproduce, or a date or time format over a number that is no day
/// (`1900/1/0`, `####`).
/// Why [`text`] gives no text.
enum Fault {
    Unclear,
    NoDay,
}

fn text(format: &ssfmt::NumberFormat, written: &[String], number: f64) -> Result<String, Fault> {
    let sections = numeric(format);
    let index = super::percent::section_index(sections.len(), number);
    let (Some(section), Some(written)) = (sections.get(index), written.get(index)) else {
        return Err(Fault::Unclear);
    };
    // An empty section hides its numbers (`0;-0;;@` shows no zero).
    if written.is_empty() {
        return Ok(String::new());
    }
    if is_general(written) {
        return general(written, number, index == 1).ok_or(Fault::Unclear);
    }
    let day = |p: &FormatPart| matches!(p, FormatPart::DatePart(part) if of_day(part));
    let time = |p: &FormatPart| matches!(p, FormatPart::DatePart(part) if of_time(part));
    let (dated, timed) = (
        section.parts.iter().any(day),
        section.parts.iter().any(time),
    );
    let options = ssfmt::FormatOptions::default();
    if dated || timed {
        // A day from 1900-01-01 to 9999-12-31; a time of no day from 0. Excel shows anything
        // else as `1900/1/0` or `####`.
        let first = if dated { 1.0 } else { 0.0 };
        if !(first..PAST_THE_LAST_DAY).contains(&number) {
            return Err(Fault::NoDay);
        }
        // Excel rounds a time to the second it shows, carrying into the day (23:59:59.5 is
        // the next day's 0:00:00); ssfmt rounds the time and leaves the day.
        let number = match timed {
            true => (number * 86_400.0).round() / 86_400.0,
            false => number,
        };
        let shown = format.format(number, &options);
        // ssfmt writes nothing for a value it cannot show as a day.
        return match shown.trim() {
            "" => Err(Fault::NoDay),
            shown => Ok(shown.to_owned()),
        };
    }
    // Excel rounds the decimal it shows, half away from zero (1.005 to two places is 1.01);
    // ssfmt rounds the binary number (1.00). Rounded here first, ssfmt has nothing to round.
    let decimals = section
        .parts
        .iter()
        .skip_while(|p| !matches!(p, FormatPart::DecimalPoint))
        .filter(|p| matches!(p, FormatPart::Digit(_)))
        .count();
    let rounded = crate::render::numbers::round_scaled(number, 0, decimals);
    let value = match rounded.parse::<f64>() {
        // A number that rounds to zero keeps the section of its sign (`-0.00`).
        Ok(0.0) | Err(_) => number,
        Ok(rounded) => rounded.copysign(number),
    };
    let shown = format.format(value, &options);
    // Within 15 significant digits ssfmt writes the rounded number as Excel does; beyond
    // them, its digits are the binary number's, and Excel's are zeros.
    let whole = rounded.split('.').next().unwrap_or_default();
    match whole.trim_start_matches('0').len() + decimals > 15 {
        true => with_digits(shown.trim(), &rounded).ok_or(Fault::Unclear),
        false => Ok(shown.trim().to_owned()),
    }
}

/// `shown` with its digits those of `rounded`, the decimal Excel shows: beyond 15 significant
/// digits ssfmt writes the binary number's (0.1 to 20 places: `0.10000000000000000555`),
/// Excel zeros. Leading zeros (`007`, `0.5`) are the format's and kept. `None` where the two
/// do not line up (digits in the format's words).
fn with_digits(shown: &str, rounded: &str) -> Option<String> {
    let digits = |text: &str| -> Vec<char> {
        let all: Vec<char> = text.chars().filter(char::is_ascii_digit).collect();
        let lead = all.iter().take_while(|&&c| c == '0').count();
        all[lead..].to_vec()
    };
    let (theirs, ours) = (digits(shown), digits(rounded));
    if theirs == ours {
        return Some(shown.to_owned());
    }
    if theirs.len() != ours.len() {
        return None;
    }
    let lead = shown.chars().filter(char::is_ascii_digit).count() - theirs.len();
    let mut seen = 0;
    Some(
        shown
            .chars()
            .map(|c| match c.is_ascii_digit() {
                true => {
                    seen += 1;
                    match seen > lead {
                        true => ours[seen - lead - 1],
                        false => c,
                    }
                }
                false => c,
            })
            .collect(),
    )
}

/// A date and time as Excel's serial number of days (1900 system, with its 1900-02-29, a day
/// that never was: serials before 61 are a day less than the count from 1899-12-30); `None`
/// before 1900.
fn serial(dt: &NaiveDateTime) -> Option<f64> {
    let day = |y, m, d| NaiveDate::from_ymd_opt(y, m, d)?.and_hms_opt(0, 0, 0);
    let (epoch, first, march) = (day(1899, 12, 30)?, day(1900, 1, 1)?, day(1900, 3, 1)?);
    if *dt < first {
        return None;
    }
    let days = (*dt - epoch).num_milliseconds() as f64 / 86_400_000.0;
    Some(match *dt < march {
        true => days - 1.0,
        false => days,
    })
}

#[cfg(test)]
mod tests {
    use super::{Raw, Shown, Unshown};
    use chrono::{NaiveDate, NaiveDateTime};

    /// What a text column reads of `raw` in a cell of `code`: its shown text, `same` where
    /// that is huibao's own text for it, `unclear` where huibao does not know it.
    fn read(code: &str, id: Option<u32>, raw: Raw) -> String {
        let Some(shown) = Shown::of(code, id) else {
            return "general".into();
        };
        match shown.apply(raw) {
            Raw::Shown(cell) => match cell.text {
                Ok(text) => text,
                Err(Unshown::Format(_)) => "unclear".into(),
                Err(Unshown::NoDay(_)) => "no day".into(),
            },
            _ => "same".into(),
        }
    }

    /// A number as a workbook's cell is read: to 15 significant digits, as Excel keeps it.
    fn number(code: &str, f: f64) -> String {
        read(code, None, Raw::Float(crate::sources::significant(f)))
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
        assert_eq!(date("yyy/m/d", None), "2022/11/1");
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
            r#"ggge"年"m"月"d"日""#,
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
            "0,.00",
            "0*-",
            "#,##0,.00",
            "[h]:mm:ss",
        ] {
            assert_eq!(number(code, 44866.25), "unclear", "{code}");
        }
        assert_eq!(date("General", Some(34)), "unclear");
    }

    fn at(y: i32, m: u32, d: u32, h: u32, min: u32, s: u32, ms: u32) -> Raw {
        let dt: NaiveDateTime = NaiveDate::from_ymd_opt(y, m, d)
            .and_then(|d| d.and_hms_milli_opt(h, min, s, ms))
            .unwrap();
        Raw::DateTime(dt)
    }

    #[test]
    fn the_general_format_with_words_around_it_writes_the_number_as_huibao_does() {
        assert_eq!(number("\"共\"General\"人\"", 5.0), "共5人");
        assert_eq!(number("\"约\"General", 5.0), "约5");
        assert_eq!(number("General\"人\";-General\"人\"", -5.0), "-5人");
        assert_eq!(number("General;General", -5.0), "5");
        assert_eq!(number("General\"人\"", 2.0 / 3.0), "0.666666666666667人");
        // Chinese Excel's name for the general format.
        assert_eq!(number("G/通用格式", 5.0), "general");
        assert_eq!(number("G/通用格式\"人\"", 12.0), "12人");
        assert_eq!(number("0General", 5.0), "unclear");
        // A negative number in the one section: its sign before the words, as Excel puts it.
        assert_eq!(number("\"共\"General", -7.0), "-共7");
    }

    #[test]
    fn formats_of_optional_places_words_and_text_sections_are_shown_as_excel_shows_them() {
        assert_eq!(number("0.##", 1.1), "same");
        assert_eq!(number("0.##", 1.125), "1.13");
        assert_eq!(number("#,##0.##", 1234.5), "1,234.5");
        assert_eq!(number("0.0#", 1.1), "same");
        assert_eq!(number("0.0#", 1.125), "1.13");
        assert_eq!(number("\"是\";\"是\";\"否\"", 1.0), "是");
        assert_eq!(number("\"是\";\"是\";\"否\"", 0.0), "否");
        assert_eq!(number("0.0\"m2\"", 3.0), "3.0m2");
        // A text section before the others: a negative shows by the first, with its minus.
        assert_eq!(number("0.0;@", -2.5), "same");
        assert_eq!(number("0.00;@", -2.5), "-2.50");
    }

    #[test]
    fn a_time_format_over_a_number_of_no_time_is_no_day() {
        assert_eq!(number("h:mm", -0.25), "no day");
        assert_eq!(number("h:mm", 0.25), "6:00");
        assert_eq!(number("h:mm", 3_000_000.0), "no day");
        assert_eq!(number("yyyy/m/d", 0.5), "no day");
    }

    #[test]
    fn a_code_ssfmt_cannot_read_is_unclear() {
        assert_eq!(number("]General", 5.0), "unclear");
    }

    #[test]
    fn an_empty_section_hides_its_numbers() {
        assert_eq!(number("#,##0;-#,##0;;@", 0.0), "");
        assert_eq!(number("#,##0;", -5.0), "");
        assert_eq!(number(";;;", 5.0), "");
        assert_eq!(number("#,##0;-#,##0;;@", 5.0), "same");
    }

    #[test]
    fn places_beyond_fifteen_digits_are_zeros_as_excel_shows_them() {
        assert_eq!(
            number("0.00000000000000000000", 0.1),
            "0.10000000000000000000"
        );
        assert_eq!(number("0.0000000000000000", 5.0), "5.0000000000000000");
        assert_eq!(
            number("#,##0.0", 123_456_789_012_345.0),
            "123,456,789,012,345.0"
        );
        assert_eq!(number("000.000", 7.25), "007.250");
    }

    #[test]
    fn beyond_fifteen_digits_a_number_shows_excels_zeros() {
        // A text column refuses these (typing: an ID card number typed as a number); what the
        // cell shows is Excel's text all the same, not ssfmt's 64-bit integer.
        assert_eq!(number("#,##0", 2e19), "20,000,000,000,000,000,000");
        assert_eq!(number("0", 110_101_199_003_071_234.0), "same");
        assert_eq!(
            number("0\"号\"", 110_101_199_003_071_234.0),
            "110101199003071000号"
        );
        assert_eq!(
            number("0.000000000", 123_456_789.123_456_79),
            "123456789.123457000"
        );
        assert_eq!(
            number("#,##0", 123_456_789_012_345.0),
            "123,456,789,012,345"
        );
        assert_eq!(number("0.000", 0.000_123_456_789_012_345), "0.000");
    }

    #[test]
    fn days_and_times_are_rounded_and_counted_as_excel_does() {
        // A time rounds to the second, carrying into the day.
        assert_eq!(
            read("yyyy/m/d h:mm:ss", None, at(2022, 10, 25, 23, 59, 59, 500)),
            "2022/10/26 0:00:00"
        );
        assert_eq!(
            read(
                "yyyy\"年\"m\"月\"d\"日\" h:mm",
                None,
                at(2022, 12, 31, 23, 59, 59, 990)
            ),
            "2023年1月1日 0:00"
        );
        // Excel's serials count a 1900-02-29 that never was.
        for ((y, m, d), shown) in [
            ((1900, 1, 1), "1900/1/1"),
            ((1900, 2, 28), "1900/2/28"),
            ((1900, 3, 1), "1900/3/1"),
            ((1899, 12, 31), "no day"),
        ] {
            assert_eq!(read("yyyy/m/d", None, at(y, m, d, 0, 0, 0, 0)), shown);
        }
        // Past 9999-12-31 Excel shows ####.
        assert_eq!(number("yyyy/m/d", 2_958_466.0), "no day");
        assert_eq!(number("yyyy/m/d", 2_958_465.0), "9999/12/31");
    }

    #[test]
    fn chinese_excels_currency_formats_are_shown_with_the_yuan_sign() {
        assert_eq!(read("General", Some(5), Raw::Float(-1234.5)), "¥-1,235");
        assert_eq!(read("General", Some(8), Raw::Float(1234.5)), "¥1,234.50");
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
