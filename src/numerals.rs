//! Chinese numerals as GB/T 15835-2011 and official writing use them.
//!
//! `11 → 十一` (never 一十一), `110 → 一百一十`, `105 → 一百零五`, `1010 → 一千零一十`,
//! `100000 → 十万`, `100010000 → 一亿零一万`, `10^12 → 一万亿`; negatives take `负`.
//!
//! Written here rather than taken from the chinese-number crate, which counts 10^12 as 兆
//! (the old 万进 reading) where mainland official writing says 万亿; the tests use that
//! crate's parser to check every value up to 100,000 and a sample below 10^12.

const DIGITS: [&str; 10] = ["零", "一", "二", "三", "四", "五", "六", "七", "八", "九"];

/// The Chinese numeral of an integer, for counting and ordinals (`七十二`, `第一`).
pub fn cn_number(n: i64) -> String {
    if n < 0 {
        return format!("负{}", cn_number_unsigned(n.unsigned_abs()));
    }
    cn_number_unsigned(n as u64)
}

fn cn_number_unsigned(n: u64) -> String {
    let text = grouped(n);
    // 10–19 at the head of a number read 十…, not 一十…: 十一, 十万, 十一亿.
    match text.strip_prefix("一十") {
        Some(rest) => format!("十{rest}"),
        None => text,
    }
}

/// Financial capitals, as on cheques and in budgets: `105 → 壹佰零伍`, `10 → 壹拾`.
pub fn cn_capital(n: i64) -> String {
    let text = if n < 0 {
        format!("负{}", grouped(n.unsigned_abs()))
    } else {
        grouped(n as u64)
    };
    text.chars()
        .map(|c| match c {
            '零' => '零',
            '一' => '壹',
            '二' => '贰',
            '三' => '叁',
            '四' => '肆',
            '五' => '伍',
            '六' => '陆',
            '七' => '柒',
            '八' => '捌',
            '九' => '玖',
            '十' => '拾',
            '百' => '佰',
            '千' => '仟',
            other => other,
        })
        .collect()
}

/// Digit by digit, with 〇 for zero, as years are read: `2022 → 二〇二二`.
pub fn cn_digits(n: i64) -> String {
    let digits: String = n
        .unsigned_abs()
        .to_string()
        .chars()
        .map(|c| match c {
            '0' => "〇",
            d => DIGITS[d.to_digit(10).unwrap_or(0) as usize],
        })
        .collect();
    if n < 0 {
        format!("负{digits}")
    } else {
        digits
    }
}

/// Groups of four digits under 万 and 亿; a gap of zeros before a lower group is one 零.
fn grouped(n: u64) -> String {
    const YI: u64 = 100_000_000;
    const WAN: u64 = 10_000;
    for (unit, name) in [(YI, "亿"), (WAN, "万")] {
        if n >= unit {
            let (high, low) = (n / unit, n % unit);
            let mut text = grouped(high) + name;
            if low > 0 {
                if low < unit / 10 {
                    text.push('零');
                }
                text += &grouped(low);
            }
            return text;
        }
    }
    below_wan(n)
}

/// 0–9999: digits with 千百十, inner runs of zeros as one 零, trailing zeros dropped.
fn below_wan(n: u64) -> String {
    if n == 0 {
        return DIGITS[0].to_owned();
    }
    let mut text = String::new();
    let mut zero_pending = false;
    for (place, unit) in [(1000, "千"), (100, "百"), (10, "十"), (1, "")] {
        let digit = (n / place % 10) as usize;
        if digit == 0 {
            zero_pending = !text.is_empty();
            continue;
        }
        if zero_pending {
            text.push('零');
            zero_pending = false;
        }
        text.push_str(DIGITS[digit]);
        text.push_str(unit);
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn follows_the_rules_of_official_writing() {
        let cases = [
            (0, "零"),
            (1, "一"),
            (10, "十"),
            (11, "十一"),
            (19, "十九"),
            (20, "二十"),
            (72, "七十二"),
            (100, "一百"),
            (101, "一百零一"),
            (105, "一百零五"),
            (110, "一百一十"),
            (1000, "一千"),
            (1001, "一千零一"),
            (1005, "一千零五"),
            (1010, "一千零一十"),
            (10000, "一万"),
            (10010, "一万零一十"),
            (10015, "一万零一十五"),
            (100000, "十万"),
            (110000, "十一万"),
            (1001000, "一百万一千"),
            (1000100, "一百万零一百"),
            (100000000, "一亿"),
            (100010000, "一亿零一万"),
            (101000000, "一亿零一百万"),
            (1_000_000_000_000, "一万亿"),
            (-3, "负三"),
            (-15, "负十五"),
            (-100000, "负十万"),
            (1_0000_0000_0000, "一万亿"),
            (1_0001_0000_0000, "一万零一亿"),
            (
                9999_9999_9999_9999,
                "九千九百九十九万九千九百九十九亿九千九百九十九万九千九百九十九",
            ),
        ];
        for (n, text) in cases {
            assert_eq!(cn_number(n), text, "{n}");
        }
    }

    #[test]
    fn capitals_and_digits() {
        assert_eq!(cn_capital(105), "壹佰零伍");
        assert_eq!(cn_capital(10), "壹拾");
        assert_eq!(cn_capital(1010), "壹仟零壹拾");
        assert_eq!(cn_capital(-23), "负贰拾叁");
        assert_eq!(cn_digits(2022), "二〇二二");
        assert_eq!(cn_digits(1950), "一九五〇");
        assert_eq!(cn_digits(0), "〇");
    }

    /// The numerals read back to the same integer with an independent parser.
    #[test]
    fn numerals_parse_back_to_the_same_integer() {
        use chinese_number::{ChineseCountMethod, ChineseToNumber};
        let check = |n: i64| {
            let text = cn_number(n).replace('负', "負");
            let parsed: i64 = text
                .to_number(ChineseCountMethod::TenThousand)
                .unwrap_or_else(|e| panic!("{n} → {text}: {e:?}"));
            assert_eq!(parsed, n, "{text}");
        };
        for n in -1000..=100_000 {
            check(n);
        }
        // A deterministic sample of larger values, below 10^12 where 兆 and 万亿 agree.
        let mut x: u64 = 0x9E37_79B9_7F4A_7C15;
        for _ in 0..20_000 {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            check((x % 1_000_000_000_000) as i64);
        }
    }
}
