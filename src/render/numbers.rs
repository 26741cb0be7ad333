//! Numbers as reports print them: thousands separators, fixed decimals, percentages, 万/亿,
//! and year-over-year phrases. Rounding is half away from zero on the decimal digits as
//! written (1.005 → 1.01), not on the binary float (which would give 1.00).

use minijinja::value::{Kwargs, ValueKind};
use minijinja::{Error, ErrorKind, Value};

fn invalid(message: String) -> Error {
    Error::new(ErrorKind::InvalidOperation, message)
}

/// A number, or an error that says what was given instead.
pub fn number(value: &Value, what: &str) -> Result<f64, Error> {
    match value.kind() {
        ValueKind::Number => f64::try_from(value.clone())
            .ok()
            .filter(|f| f.is_finite())
            .ok_or_else(|| {
                invalid(format!(
                    "{what} 需要有限的数值，得到的是{}",
                    super::filters::shown(value)
                ))
            }),
        ValueKind::Undefined | ValueKind::None => Err(super::filters::got_blank(what)),
        _ => Err(invalid(format!(
            "{what} 需要数值，得到的是{}",
            super::filters::shown(value)
        ))),
    }
}

/// `x` rounded to `decimals` places, half away from zero, always with `decimals` places.
pub fn round_fixed(x: f64, decimals: usize) -> String {
    round_scaled(x, 0, decimals)
}

/// `x × 10^shift` rounded to `decimals` places. The shortest decimal that reads back as `x`
/// is what was typed (1.005, not the 1.00499999… the binary holds; Rust prints it without an
/// exponent); shifting its point and rounding it once is exact, where multiplying the binary
/// (0.0745 × 100 = 7.449999…) or rounding twice is not.
pub fn round_scaled(x: f64, shift: i32, decimals: usize) -> String {
    let printed = if x.is_finite() {
        format!("{}", x.abs())
    } else {
        "0".to_owned()
    };
    let (int_digits, frac_digits) = printed.split_once('.').unwrap_or((&printed, ""));
    let all = format!("{int_digits}{frac_digits}");
    let point = int_digits.len() as i64 + i64::from(shift);
    let (int_part, frac_part) = if point <= 0 {
        (
            "0".to_owned(),
            format!("{}{all}", "0".repeat((-point) as usize)),
        )
    } else if point as usize >= all.len() {
        (
            format!("{all:0<width$}", width = point as usize),
            String::new(),
        )
    } else {
        (
            all[..point as usize].to_owned(),
            all[point as usize..].to_owned(),
        )
    };
    let int_part = match int_part.trim_start_matches('0') {
        "" => "0",
        trimmed => trimmed,
    };
    let frac_part = format!("{frac_part:0<width$}", width = decimals + 1);
    let mut digits: Vec<u8> = int_part
        .bytes()
        .chain(frac_part.bytes().take(decimals))
        .collect();
    if frac_part
        .as_bytes()
        .get(decimals)
        .is_some_and(|&d| d >= b'5')
    {
        let mut i = digits.len();
        loop {
            if i == 0 {
                digits.insert(0, b'1');
                break;
            }
            i -= 1;
            if digits[i] == b'9' {
                digits[i] = b'0';
            } else {
                digits[i] += 1;
                break;
            }
        }
    }
    let split = digits.len() - decimals;
    let mut out = String::from_utf8(digits[..split].to_vec()).expect("ASCII digits");
    if decimals > 0 {
        out.push('.');
        out.push_str(std::str::from_utf8(&digits[split..]).expect("ASCII digits"));
    }
    let is_zero = out.bytes().all(|b| b == b'0' || b == b'.');
    if x < 0.0 && !is_zero {
        out.insert(0, '-');
    }
    out
}

/// Like [`round_fixed`] with trailing zeros (and a bare point) dropped: 1.20 → 1.2, 3.00 → 3.
pub fn round_trimmed(x: f64, decimals: usize) -> String {
    trimmed(round_fixed(x, decimals))
}

/// A printed number's trailing zeros (and a bare point) dropped: `1.20` → `1.2`, `3.00` → `3`.
pub fn trimmed(fixed: String) -> String {
    if fixed.contains('.') {
        fixed.trim_end_matches('0').trim_end_matches('.').to_owned()
    } else {
        fixed
    }
}

fn decimals(kwargs: &Kwargs, default: usize) -> Result<usize, Error> {
    let d: Option<i64> = kwargs.get("decimals")?;
    match d {
        None => Ok(default),
        Some(d) if (0..=10).contains(&d) => Ok(d as usize),
        Some(d) => Err(invalid(format!("decimals 应在 0 到 10 之间，得到的是 {d}"))),
    }
}

/// `12345 → 12,345`; `1234567.891 | thousands(decimals=2)` → `1,234,567.89`.
pub fn thousands(value: Value, kwargs: Kwargs) -> Result<String, Error> {
    let x = number(&value, "thousands")?;
    let places: Option<i64> = kwargs.get("decimals")?;
    let _ = decimals(&kwargs, 0)?; // 0 to 10, as every filter's `decimals`
    kwargs.assert_all_used()?;
    let text = match places {
        Some(d) => round_fixed(x, d.clamp(0, 10) as usize),
        None if x.fract() == 0.0 => round_fixed(x, 0),
        None => value.to_string(),
    };
    Ok(grouped(&text))
}

/// A printed number with thousands separators in its whole part: `-1234567.5` → `-1,234,567.5`.
pub fn grouped(text: &str) -> String {
    let (sign, rest) = match text.strip_prefix('-') {
        Some(rest) => ("-", rest),
        None => ("", text),
    };
    let (int_part, frac) = match rest.split_once('.') {
        Some((i, f)) => (i, format!(".{f}")),
        None => (rest, String::new()),
    };
    let mut grouped = String::new();
    for (i, c) in int_part.chars().enumerate() {
        if i > 0 && (int_part.len() - i) % 3 == 0 {
            grouped.push(',');
        }
        grouped.push(c);
    }
    format!("{sign}{grouped}{frac}")
}

/// Exactly `decimals` places: `3.14159 | fixed(2)` → `3.14`, `2.5 | fixed(2)` → `2.50`.
pub fn fixed(value: Value, places: i64) -> Result<String, Error> {
    let x = number(&value, "fixed")?;
    if !(0..=10).contains(&places) {
        return Err(invalid(format!(
            "fixed 的位数应在 0 到 10 之间，得到的是 {places}"
        )));
    }
    Ok(round_fixed(x, places as usize))
}

/// The engine's `round` as people round (四舍五入): a half goes up, away from zero
/// (`2.5 → 3`, `2.675 | round(2) → 2.68`), where the engine's rounds a half to even (2) and
/// works on the binary (2.67). `method="floor"` or `"ceil"` rounds down or up, on the decimal
/// as typed too (`0.29 | round(2, "floor")` is 0.29). An integer stays as it is; rounded to
/// a whole number, a fraction becomes an integer (`3`, never `3.0`). Negative places round
/// to tens, hundreds… (`1234 | round(-2)` is 1200).
pub fn round(
    value: Value,
    precision: Option<i64>,
    method: Option<String>,
    kwargs: Kwargs,
) -> Result<Value, Error> {
    let precision = match precision {
        Some(p) => Some(p),
        None => kwargs.get::<Option<i64>>("precision")?,
    };
    let method = match method {
        Some(m) => Some(m),
        None => kwargs.get::<Option<String>>("method")?,
    };
    kwargs.assert_all_used()?;
    let places = precision.unwrap_or(0);
    if !(-10..=10).contains(&places) {
        return Err(invalid(format!(
            "round 的位数应在 -10 到 10 之间，得到的是 {places}"
        )));
    }
    if value.is_integer() && places >= 0 {
        return Ok(value);
    }
    let x = number(&value, "round")?;
    // Shifted so that the places to keep are whole: `1234, -2 → 12.34`.
    let shift = 10f64.powi(places as i32);
    // The decimal as typed, its point moved (exactly: 0.29 → 29, not 28.999…).
    let shifted = |decimals: usize| {
        round_scaled(x, places as i32, decimals)
            .parse::<f64>()
            .map_err(|_| invalid(format!("round 无法处理 {x}")))
    };
    let whole = match method.as_deref().unwrap_or("common") {
        "common" => shifted(0)?,
        "floor" => shifted(20)?.floor(),
        "ceil" => shifted(20)?.ceil(),
        other => {
            return Err(invalid(format!(
                "round 的 method 应为 common、floor 或 ceil，得到的是“{other}”"
            )));
        }
    };
    let rounded = whole / shift;
    if !rounded.is_finite() {
        return Err(invalid(format!("round 的结果超出了范围（{x}）")));
    }
    Ok(match places <= 0 && rounded.abs() < 9.0e15 {
        true => Value::from(rounded as i64),
        false => Value::from(rounded),
    })
}

/// A ratio as a percentage with at most `decimals` places (default 1): `0.075 → 7.5%`.
pub fn percent(value: Value, kwargs: Kwargs) -> Result<String, Error> {
    let x = noise_free(number(&value, "percent")?);
    let d = decimals(&kwargs, 1)?;
    kwargs.assert_all_used()?;
    let shown = trimmed(round_scaled(x, 2, d));
    if x != 0.0 && is_zero(shown.trim_start_matches('-')) {
        return Err(invalid(format!(
            "percent 把 {} 写成“{shown}%”，看不出数值。请用 decimals= 多保留几位小数",
            trimmed(x.to_string())
        )));
    }
    Ok(format!("{shown}%"))
}

/// In units of 万 with at most `decimals` places (default 2): `12345 → 1.23万`.
pub fn wan(value: Value, kwargs: Kwargs) -> Result<String, Error> {
    let x = number(&value, "wan")?;
    let d = decimals(&kwargs, 2)?;
    kwargs.assert_all_used()?;
    in_unit(x, -4, d, "wan", "万")
}

/// In units of 亿 with at most `decimals` places (default 2): `356000000 → 3.56亿`.
pub fn yi(value: Value, kwargs: Kwargs) -> Result<String, Error> {
    let x = number(&value, "yi")?;
    let d = decimals(&kwargs, 2)?;
    kwargs.assert_all_used()?;
    in_unit(x, -8, d, "yi", "亿")
}

/// `x` in units of 10^-`exponent` with at most `d` places; a value that is not zero but would
/// show as `0万` or `0亿` is an error rather than a figure that says nothing.
fn in_unit(x: f64, exponent: i32, d: usize, filter: &str, unit: &str) -> Result<String, Error> {
    let x = noise_free(x);
    let shown = trimmed(round_scaled(x, exponent, d));
    if x != 0.0 && shown.trim_start_matches('-') == "0" {
        return Err(invalid(format!(
            "{filter} 把 {} 写成“{shown}{unit}”，看不出数值：数值太小，不宜以“{unit}”为单位。请改用 thousands，或用 decimals= 多保留几位小数",
            trimmed(x.to_string())
        )));
    }
    Ok(format!("{shown}{unit}"))
}

/// A computed value that is zero but for floating-point noise (`0.1 + 0.2 - 0.3`) as zero.
fn noise_free(x: f64) -> f64 {
    if x.abs() < 1e-12 { 0.0 } else { x }
}

/// Whether a rounded figure (`0`, `0.00`) is zero.
fn is_zero(rounded: &str) -> bool {
    rounded.bytes().all(|b| b == b'0' || b == b'.')
}

/// This year's value compared with last year's, in the standard phrase.
///
/// As a rate: `同比增长12.5%`, `同比下降3.2%`, `与上年持平`. With `unit`, as a count:
/// `增加3个`, `减少2个`. The words are keyword arguments: `prefix` (`同比` for rates, empty for
/// counts), `up` (`增长` / `增加`), `down` (`下降` / `减少`), `same` (`与上年持平`), and
/// `decimals` for the rate (default 1). A rate that rounds to zero reads as `same`.
pub fn yoy(value: Value, last: Value, kwargs: Kwargs) -> Result<String, Error> {
    let this = number(&value, "yoy")?;
    match last.kind() {
        ValueKind::Undefined => {
            return Err(invalid(
                "yoy 比较的上年值未定义：数据里没有这一项，或名字写错了。请检查 yoy(…) 括号里的名字（运行 huibao context 可查看能用的全部变量），或用 {% if … is defined %} 判断后再比较".into(),
            ));
        }
        ValueKind::None => {
            return Err(invalid(
                "yoy 比较的上年值是空的（上年的单元格没有填）。请补上上年的数据，或用 {% if … %} 判断后再比较".into(),
            ));
        }
        _ => {}
    }
    let last = number(&last, "yoy 的上年值")?;
    let unit: Option<String> = kwargs.get("unit")?;
    let prefix: Option<String> = kwargs.get("prefix")?;
    let up: Option<String> = kwargs.get("up")?;
    let down: Option<String> = kwargs.get("down")?;
    let same: String = kwargs
        .get::<Option<String>>("same")?
        .unwrap_or_else(|| "与上年持平".into());
    // A rate to one place; a count to at most two, unless `decimals` says otherwise.
    let d = decimals(&kwargs, if unit.is_some() { 2 } else { 1 })?;
    kwargs.assert_all_used()?;

    let (amount, rising, prefix, up, down) = match &unit {
        Some(unit) => {
            let diff = this - last;
            let rounded = round_trimmed(diff.abs(), d);
            // A difference that rounds to nothing is no change: never 增加0个.
            let rising = if is_zero(&rounded) { 0.0 } else { diff };
            (
                format!("{rounded}{unit}"),
                rising,
                prefix.unwrap_or_default(),
                up.unwrap_or_else(|| "增加".into()),
                down.unwrap_or_else(|| "减少".into()),
            )
        }
        None => {
            if last == 0.0 {
                return Err(invalid(format!(
                    "上年的值为 0，无法计算增长率（今年为 {}）。请改用 yoy(…, unit=\"个\") 写成增加多少",
                    round_trimmed(this, 2)
                )));
            }
            let rate = (this - last) / last.abs() * 100.0;
            let rounded = round_trimmed(rate.abs(), d);
            let rising = if is_zero(&rounded) { 0.0 } else { rate };
            (
                format!("{rounded}%"),
                rising,
                prefix.unwrap_or_else(|| "同比".into()),
                up.unwrap_or_else(|| "增长".into()),
                down.unwrap_or_else(|| "下降".into()),
            )
        }
    };
    Ok(if rising > 0.0 {
        format!("{prefix}{up}{amount}")
    } else if rising < 0.0 {
        format!("{prefix}{down}{amount}")
    } else {
        same
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rounds_half_away_from_zero_on_decimal_digits() {
        assert_eq!(round_fixed(1.005, 2), "1.01");
        assert_eq!(round_fixed(1.2345, 2), "1.23");
        assert_eq!(round_fixed(9.995, 2), "10.00");
        assert_eq!(round_fixed(-2.5, 0), "-3");
        assert_eq!(round_fixed(-0.001, 2), "0.00");
        assert_eq!(round_trimmed(1.20, 2), "1.2");
        assert_eq!(round_trimmed(3.0, 2), "3");
        assert_eq!(round_fixed(2.4999999, 0), "2");
        assert_eq!(round_fixed(0.075 * 100.0, 1), "7.5");
        assert_eq!(round_fixed(1e21, 0), "1000000000000000000000");
        assert_eq!(round_scaled(0.0745, 2, 1), "7.5");
        assert_eq!(round_scaled(12345.0, -4, 2), "1.23");
        assert_eq!(round_scaled(5.0, -4, 2), "0.00");
        assert_eq!(round_scaled(0.5, 3, 0), "500");
    }
}
