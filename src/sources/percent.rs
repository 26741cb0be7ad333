//! Cells a workbook shows as percentages: which they are, by their number format (`0.0%`),
//! and the text they show (`95.5%` for 0.955), so that a text column reads what the clerk
//! sees and a number column is not given 0.955 for a figure shown as 95.5%.
//!
//! Only what huibao can reproduce exactly is read as shown: digits, a point, thousands
//! separators and one `%`, with a minus sign where the number is negative. A format that adds
//! words (`"增长"0.0%`), hides or replaces the sign (`0%;(0%)`, `0%;0%;"-"`), chooses by a
//! condition (`[<1]0.0%;0`) or writes the number another way (`0.0E+00%`, `[DBNum1]`) shows a
//! text huibao cannot know: such a cell is an error asking for a plain percentage format.

/// How a cell shows its percentage.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PercentFormat {
    /// The places after the point (`0.0%`: 1), whether thousands are separated (`#,##0%`),
    /// and the digits before the point at least (`00.0%` shows 5% as `05.0%`).
    Shown {
        decimals: u8,
        grouped: bool,
        digits: u8,
    },
    /// A format whose text huibao does not reproduce (see the module's notes).
    Unclear,
}

/// A number format that shows a percentage in at least one of its sections, as read from its
/// code: at most three sections (positive; negative; zero), the fourth (text) left out.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PercentCode {
    sections: [Section; 3],
    count: u8,
    /// A section chooses by a condition (`[<1]`), or the code is one huibao does not read.
    unclear: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Section {
    /// Digits, a point, separators and one `%`; `minus`: the section writes a `-` first;
    /// `digits`: the zeros before the point, the digits it shows at least.
    Percent {
        decimals: u8,
        grouped: bool,
        minus: bool,
        digits: u8,
    },
    /// Digits without a `%`: the number shown as it is.
    Plain { minus: bool },
    /// Anything else: words, brackets, several `%`, an exponent.
    Odd,
    /// Nothing: the section hides its numbers (`0%;-0%;;@` shows no zero).
    Empty,
}

impl PercentCode {
    /// The code of a number format (`0.0%;[Red]-0.0%`), when some section of it shows a
    /// percentage; `None` for any other format (`General`, `0.00`, `0.0"%"`).
    pub fn parse(code: &str) -> Option<PercentCode> {
        let sections = split_sections(code);
        let read: Vec<Read> = sections.iter().take(3).map(|s| section(s)).collect();
        if !read.iter().any(|r| r.percent) {
            return None;
        }
        let mut code = PercentCode {
            sections: [Section::Odd; 3],
            count: read.len() as u8,
            unclear: read.iter().any(|r| r.conditional),
        };
        for (i, r) in read.into_iter().enumerate() {
            code.sections[i] = match sections[i].is_empty() {
                true => Section::Empty,
                false => r.section,
            };
        }
        Some(code)
    }

    /// How a cell of this format shows `value`: as a percentage, `None` when the section for
    /// it shows the plain number, or [`PercentFormat::Unclear`].
    pub fn show(&self, value: f64) -> Option<PercentFormat> {
        if self.unclear {
            return Some(PercentFormat::Unclear);
        }
        let (index, own_sign) = self.section_for(value);
        // A negative number in a section of its own is shown without its sign unless the
        // section writes one; in the one section of all, Excel writes it.
        let sign_right = |minus: bool| minus == own_sign;
        match self.sections[index] {
            // No zero before the point (`#%`, `#.0%`) shows no digit there when the whole
            // part is 0 (`%`, `.5%`): not a text huibao makes.
            Section::Percent { digits: 0, .. } if (value * 100.0).abs() < 1.0 => {
                Some(PercentFormat::Unclear)
            }
            Section::Percent {
                decimals,
                grouped,
                minus,
                digits,
            } if sign_right(minus) => Some(PercentFormat::Shown {
                decimals,
                grouped,
                digits,
            }),
            Section::Plain { minus } if sign_right(minus) => None,
            _ => Some(PercentFormat::Unclear),
        }
    }

    /// Excel's choice of section for `value`: one section for all; two, the second for
    /// negatives; three, the third for zero. And whether the section is the negatives' own.
    fn section_for(&self, value: f64) -> (usize, bool) {
        let index = section_index(self.count.into(), value);
        (index, index == 1)
    }

    /// A number in a cell of this format, as a percentage where the format shows it as one;
    /// blank where its section hides it; any other cell as it is.
    pub fn apply(&self, raw: super::Raw) -> super::Raw {
        let number = match raw {
            super::Raw::Float(f) => f,
            super::Raw::Int(i) => i as f64,
            raw => return raw,
        };
        // Hidden, it is still a percentage to a percent column: shown as the first section
        // would show it.
        if self.sections[self.section_for(number).0] == Section::Empty {
            let value = match self.sections[0] {
                Section::Percent {
                    decimals,
                    grouped,
                    digits,
                    ..
                } => super::Raw::Percent(
                    number,
                    PercentFormat::Shown {
                        decimals,
                        grouped,
                        digits,
                    },
                ),
                _ => raw,
            };
            return super::shown::ShownCell::hidden(value);
        }
        match self.show(number) {
            Some(format) => super::Raw::Percent(number, format),
            None => raw,
        }
    }

    /// The format of a cell whose shown text is known (an .ods stores it): as if the code
    /// had written it; one huibao would not write so is unclear.
    pub fn from_shown(text: &str) -> PercentCode {
        let number = text.trim().strip_prefix('-').unwrap_or(text.trim());
        let plain = number.strip_suffix('%').filter(|n| {
            !n.is_empty()
                && n.chars()
                    .all(|c| c.is_ascii_digit() || c == '.' || c == ',')
                && n.starts_with(|c: char| c.is_ascii_digit())
                && n.matches('.').count() <= 1
        });
        let unclear = PercentCode {
            sections: [Section::Odd; 3],
            count: 1,
            unclear: true,
        };
        let Some(number) = plain else {
            return unclear;
        };
        let (whole, places) = number.split_once('.').unwrap_or((number, ""));
        let digits = whole.chars().filter(char::is_ascii_digit).count();
        PercentCode {
            sections: [
                Section::Percent {
                    decimals: places.len().min(30) as u8,
                    grouped: number.contains(','),
                    minus: false,
                    digits: digits.min(30) as u8,
                },
                Section::Odd,
                Section::Odd,
            ],
            count: 1,
            unclear: false,
        }
    }
}

/// A number format's code cut into its sections at each `;` outside quotes and escapes.
pub fn split_sections(code: &str) -> Vec<String> {
    let mut sections = vec![String::new()];
    for (c, is_code) in marked(code) {
        match (c, is_code) {
            (';', true) => sections.push(String::new()),
            _ => sections.last_mut().expect("one section at least").push(c),
        }
    }
    sections
}

/// Each character of a format code, and whether it is code: not a word in quotes, not an
/// escaped character, not the quote or backslash marking them.
pub fn marked(code: &str) -> impl Iterator<Item = (char, bool)> + '_ {
    let (mut quoted, mut escaped) = (false, false);
    code.chars().map(move |c| {
        let is_code = !quoted && !escaped && c != '"' && c != '\\';
        match c {
            _ if escaped => escaped = false,
            '"' => quoted = !quoted,
            '\\' if !quoted => escaped = true,
            _ => {}
        }
        (c, is_code)
    })
}

/// Excel's choice among a format's `count` sections for numbers: one section for all; two,
/// the second for negatives; three or more, the third for zero.
pub fn section_index(count: usize, value: f64) -> usize {
    match value {
        v if count >= 2 && v < 0.0 => 1,
        v if count >= 3 && v == 0.0 => 2,
        _ => 0,
    }
}

/// One section of a code as read.
struct Read {
    section: Section,
    /// It chooses by a condition (`[<1]`).
    conditional: bool,
    /// It multiplies by 100 (a `%` outside quotes), whatever else it does.
    percent: bool,
}

fn section(code: &str) -> Read {
    let mut chars = code.chars().peekable();
    let (mut percents, mut decimals, mut point, mut grouped) = (0, 0u8, false, false);
    let (mut digits, mut minus, mut odd, mut conditional) = (false, false, false, false);
    let mut zeros = 0u8;
    while let Some(c) = chars.next() {
        match c {
            // Words in quotes, and an escaped character, are shown as they are.
            '"' => {
                let words: String = chars.by_ref().take_while(|c| *c != '"').collect();
                odd |= !words.is_empty();
            }
            // `\-` before the number is the minus sign LibreOffice writes (`0%;[Red]\-0%`).
            '\\' => match chars.next() {
                Some('-') if !digits && !minus && percents == 0 => minus = true,
                _ => odd = true,
            },
            // Colour and locale (`[Red]`, `[$-804]`) change nothing in the text; a condition
            // or another numeral system (`[DBNum1]`) does.
            '[' => {
                let inside: String = chars.by_ref().take_while(|c| *c != ']').collect();
                if inside.starts_with(['<', '>', '=']) {
                    conditional = true;
                } else if inside.to_ascii_lowercase().starts_with("dbnum") {
                    odd = true;
                } else if let Some(locale) = inside.strip_prefix('$') {
                    // `[$-804]` is a locale; `[$¥-804]` shows its currency sign.
                    odd |= !locale.starts_with('-') && !locale.is_empty();
                }
            }
            // Padding (`_)`) and filling (`*-`) only make room.
            '_' | '*' => {
                chars.next();
            }
            // After the point only `0`: `#` and `?` there show a varying number of places.
            '0' | '#' | '?' if point => {
                digits = true;
                decimals = decimals.saturating_add(1);
                odd |= c != '0';
            }
            '0' | '#' | '?' => {
                digits = true;
                zeros += u8::from(c == '0');
            }
            '.' if !point => point = true,
            ',' if digits
                && !point
                && chars.peek().is_some_and(|c| matches!(c, '0' | '#' | '?')) =>
            {
                grouped = true
            }
            '%' => percents += 1,
            '-' if !digits && !minus && percents == 0 => minus = true,
            _ => odd = true,
        }
    }
    let section = match (odd || !digits, percents) {
        (false, 1) => Section::Percent {
            decimals: decimals.min(30),
            grouped,
            minus,
            digits: zeros.min(30),
        },
        (false, 0) => Section::Plain { minus },
        _ => Section::Odd,
    };
    Read {
        section,
        conditional,
        percent: percents > 0,
    }
}

/// A percentage as its workbook shows it: `0.955` in a `0.0%` cell is `95.5%`, rounded as
/// Excel rounds (half away from zero, on the decimal digits). Of a format whose text is
/// unclear, the number the cell holds (`0.3`): a message quotes what is known.
pub fn shown(value: f64, format: PercentFormat) -> String {
    let PercentFormat::Shown {
        decimals,
        grouped,
        digits,
    } = format
    else {
        return super::significant(value).to_string();
    };
    let mut text = crate::render::numbers::round_scaled(value, 2, usize::from(decimals));
    // Excel keeps the sign of a negative number that rounds to zero: `-0%`.
    if value < 0.0 && !text.starts_with('-') {
        text.insert(0, '-');
    }
    let (sign, unsigned) = text.split_at(usize::from(text.starts_with('-')));
    let whole = unsigned.split('.').next().unwrap_or_default().len();
    if whole < usize::from(digits) {
        text = format!(
            "{sign}{}{unsigned}",
            "0".repeat(usize::from(digits) - whole)
        );
    }
    match grouped {
        true => format!("{}%", crate::render::numbers::grouped(&text)),
        false => format!("{text}%"),
    }
}

#[cfg(test)]
mod tests {
    use super::{PercentCode, PercentFormat, shown};

    fn show(code: &str, value: f64) -> Option<String> {
        let code = PercentCode::parse(code)?;
        Some(match code.show(value) {
            Some(PercentFormat::Unclear) => "unclear".to_owned(),
            Some(format) => shown(value, format),
            None => "plain".to_owned(),
        })
    }

    #[test]
    fn plain_percentage_formats_are_shown_as_excel_shows_them() {
        assert_eq!(show("0%", 0.125).as_deref(), Some("13%"));
        assert_eq!(show("0.00%", -0.12345).as_deref(), Some("-12.35%"));
        assert_eq!(show("#,##0.0%", 12.3456).as_deref(), Some("1,234.6%"));
        assert_eq!(show("[Blue]0.0%_)", 0.5).as_deref(), Some("50.0%"));
        assert_eq!(show("0.0%;[Red]-0.0%", -0.5).as_deref(), Some("-50.0%"));
        assert_eq!(show("0.0%;-0.00%", -0.12345).as_deref(), Some("-12.35%"));
        assert_eq!(show("0%;-0%;0%", 0.0).as_deref(), Some("0%"));
        // A negative section that shows the plain number: it is one.
        assert_eq!(show("0%;-0.0", -0.5).as_deref(), Some("plain"));
        // LibreOffice writes the minus of a negative section escaped.
        assert_eq!(
            show("0.00%;[RED]\\-0.00%", -0.12345).as_deref(),
            Some("-12.35%")
        );
        // Zeros before the point are the digits shown at least.
        assert_eq!(show("00.0%", 0.05).as_deref(), Some("05.0%"));
        assert_eq!(show("00.0%", -0.05).as_deref(), Some("-05.0%"));
        assert_eq!(show("#%", 0.5).as_deref(), Some("50%"));
        assert_eq!(show("0%", -0.001).as_deref(), Some("-0%"));
        assert_eq!(show("[$-804]0.0%", 0.5).as_deref(), Some("50.0%"));
    }

    #[test]
    fn formats_whose_text_huibao_does_not_reproduce_are_unclear() {
        for (code, value) in [
            ("\"增长\"0.0%", 0.12),
            ("0.0%\"完成\"", 0.5),
            ("0%_);(0%)", -0.5),
            ("0%;-0%;\"-\"", 0.0),
            ("0.0%;;", -0.1),
            ("0.0%;0.0", -0.5),
            ("[<1]0.0%;0", 0.5),
            ("0.0E+00%", 12.5),
            ("0.0%%", 0.5),
            ("[DBNum1]0%", 0.5),
            ("0.0 %", 0.5),
            ("-0%", 0.5),
            // No digit before the point when the whole part is 0, or varying places.
            ("#%", 0.0),
            ("#.0%", 0.005),
            ("0.#%", 0.5),
            ("[$¥-804]0.0%", 0.5),
            // A sign in quotes beside a percentage section: the format is both.
            ("0.0\"%\";-0.0%", 0.5),
        ] {
            assert_eq!(show(code, value).as_deref(), Some("unclear"), "{code}");
        }
    }

    #[test]
    fn a_percent_sign_in_quotes_or_escaped_is_no_percentage() {
        for code in ["0.0\"%\"", "0\\%", "General", "yyyy-mm-dd", "0;0.0\"%\""] {
            assert_eq!(PercentCode::parse(code), None, "{code}");
        }
        // Only a negative section shows one: positives are plain.
        assert_eq!(show("0;0.0%", 0.5).as_deref(), Some("plain"));
        assert_eq!(show("0;-0.0%", -0.5).as_deref(), Some("-50.0%"));
    }

    #[test]
    fn a_shown_text_is_read_back_as_the_format_that_wrote_it() {
        let format = |text: &str| PercentCode::from_shown(text).show(0.5);
        assert_eq!(
            format("1,234.56%"),
            Some(PercentFormat::Shown {
                decimals: 2,
                grouped: true,
                digits: 4
            })
        );
        assert_eq!(
            format("-13%"),
            Some(PercentFormat::Shown {
                decimals: 0,
                grouped: false,
                digits: 2
            })
        );
        assert_eq!(format("(50%)"), Some(PercentFormat::Unclear));
        assert_eq!(format("增长12%"), Some(PercentFormat::Unclear));
    }
}
