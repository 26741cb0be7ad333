//! The values of a complete official document's parts, as GB/T 9704-2012 writes them.

/// A 发文字号 as 7.2.5 writes it: 机关代字, the year in 六角括号 and the number without
/// leading zeros or 第: `县教体〔2023〕5号`. Brackets clerks often type instead (`[2023]`,
/// `（2023）`, `【2023】`) and a zero-padded or 第-prefixed number are written the standard way;
/// anything else is not a 发文字号 (`None`).
pub fn document_number(text: &str) -> Option<String> {
    // Full-width digits (`〔２０２３〕１号`) are digits, as in a number cell.
    let text: String = text
        .chars()
        .filter(|c| !c.is_whitespace())
        .map(|c| match c {
            '０'..='９' => crate::sources::typing::fold_width(c),
            c => c,
        })
        .collect();
    let open = text.find(['〔', '[', '［', '(', '（', '【', '〖'])?;
    let code = &text[..open];
    let rest = &text[open..];
    let rest = &rest[rest.chars().next()?.len_utf8()..];
    let year: String = rest.chars().take_while(char::is_ascii_digit).collect();
    let rest = &rest[year.len()..];
    let close = rest.chars().next()?;
    if code.is_empty() || year.len() != 4 || !"〕]］)）】〗".contains(close) {
        return None;
    }
    let rest = &rest[close.len_utf8()..];
    let number = rest.strip_suffix('号')?;
    let number = number.strip_prefix('第').unwrap_or(number);
    if number.is_empty() || !number.chars().all(|c| c.is_ascii_digit()) {
        return None;
    }
    let number = number.trim_start_matches('0');
    if number.is_empty() {
        return None;
    }
    Some(format!("{code}〔{year}〕{number}号"))
}

/// The year of a 发文字号 in the standard form [`document_number`] gives.
pub fn document_number_year(number: &str) -> Option<i32> {
    let (_, rest) = number.split_once('〔')?;
    let (year, _) = rest.split_once('〕')?;
    year.parse().ok()
}

/// A 份号 as 7.2.1 writes it: six Arabic digits, `123` → `000123`; anything else is not one.
pub fn copy_number(text: &str) -> Option<String> {
    let text: String = text
        .trim()
        .chars()
        .map(crate::sources::typing::fold_width)
        .collect();
    let text = text.as_str();
    let digits = !text.is_empty() && text.len() <= 6 && text.chars().all(|c| c.is_ascii_digit());
    // Copies are counted from 1: 0 (or 000000) is no copy's number.
    (digits && text.bytes().any(|b| b != b'0')).then(|| format!("{text:0>6}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn copy_numbers_have_six_digits() {
        assert_eq!(copy_number("123").as_deref(), Some("000123"));
        assert_eq!(copy_number("000123").as_deref(), Some("000123"));
        assert_eq!(copy_number("１２３").as_deref(), Some("000123"));
        for wrong in ["", "1234567", "第1份", "12a", "0", "000000"] {
            assert_eq!(copy_number(wrong), None, "{wrong}");
        }
    }

    #[test]
    fn a_document_number_says_its_year() {
        assert_eq!(document_number_year("县教体〔2023〕5号"), Some(2023));
        assert_eq!(document_number_year("县教体党〔2203〕1号"), Some(2203));
        assert_eq!(document_number_year("县教体5号"), None);
    }

    #[test]
    fn document_numbers_are_written_the_standard_way() {
        for (typed, standard) in [
            ("县教体〔2023〕5号", "县教体〔2023〕5号"),
            ("县教体[2023]5号", "县教体〔2023〕5号"),
            ("县教体（2023）05号", "县教体〔2023〕5号"),
            ("县教体【2023】第12号", "县教体〔2023〕12号"),
            (" 县教体 〔2023〕 5 号", "县教体〔2023〕5号"),
            ("县教体党〔２０２３〕１号", "县教体党〔2023〕1号"),
        ] {
            assert_eq!(document_number(typed).as_deref(), Some(standard), "{typed}");
        }
        for wrong in [
            "县教体2023年5号",
            "〔2023〕5号",
            "县教体〔23〕5号",
            "县教体〔2023〕五号",
            "县教体〔2023〕0号",
            "县教体〔2023〕5",
        ] {
            assert_eq!(document_number(wrong), None, "{wrong}");
        }
    }
}
