//! Filters for Chinese report writing. Each is documented in the README with an example.
//!
//! | filter | example | result |
//! |---|---|---|
//! | `cn_number` | `{{ 72 \| cn_number }}` | 七十二 |
//! | `cn_ordinal` | `{{ 1 \| cn_ordinal }}届` | 第一届 |
//! | `enum_label(style)` | `{{ loop.index \| enum_label("一是") }}` | 一是、二是… |
//! | `join_cn(sep, last)` | `{{ ["甲","乙","丙"] \| join_cn(last="和") }}` | 甲、乙和丙 |
//! | `quote_cn` | `{{ "坚定信念跟党走" \| quote_cn }}` | “坚定信念跟党走” |
//! | `cn_date(style)` | `{{ "2022-10-25" \| cn_date }}` | 2022年10月25日 |

use minijinja::value::{Kwargs, ValueKind};
use minijinja::{Environment, Error, ErrorKind, Value};

use crate::numerals::cn_number as numeral;
use crate::sources::parse_date;

pub fn register(env: &mut Environment<'static>) {
    env.add_filter("cn_number", cn_number);
    env.add_filter("cn_ordinal", cn_ordinal);
    env.add_filter("enum_label", enum_label);
    env.add_filter("join_cn", join_cn);
    env.add_filter("quote_cn", quote_cn);
    env.add_filter("cn_date", cn_date);
}

fn invalid(message: String) -> Error {
    Error::new(ErrorKind::InvalidOperation, message)
}

/// An integer, or an error that says what was given instead.
fn integer(value: &Value, filter: &str) -> Result<i64, Error> {
    if let Some(i) = value.as_i64() {
        return Ok(i);
    }
    if let Ok(f) = f64::try_from(value.clone())
        && f.fract() == 0.0
        && f.abs() < 9.0e15
    {
        return Ok(f as i64);
    }
    Err(invalid(format!("{filter} 只接受整数，得到的是“{value}”")))
}

/// `72 → 七十二`, `105 → 一百零五`.
pub fn cn_number(value: Value) -> Result<String, Error> {
    Ok(numeral(integer(&value, "cn_number")?))
}

/// `1 → 第一`, so `{{ n | cn_ordinal }}届` is 第一届.
pub fn cn_ordinal(value: Value) -> Result<String, Error> {
    Ok(format!("第{}", numeral(integer(&value, "cn_ordinal")?)))
}

/// Numbers a list item after a pattern in which `一` stands for the Chinese numeral and `1`
/// for the Arabic one: `一是`, `一、`, `（一）`, `1.`, `（1）`, `第一届`.
pub fn enum_label(value: Value, style: String) -> Result<String, Error> {
    let n = integer(&value, "enum_label")?;
    if style.contains('一') {
        Ok(style.replacen('一', &numeral(n), 1))
    } else if style.contains('1') {
        Ok(style.replacen('1', &n.to_string(), 1))
    } else {
        Err(invalid(format!(
            "enum_label 的样式“{style}”中要有“一”或“1”，表示编号的位置，如 \"一是\"、\"（一）\"、\"1.\""
        )))
    }
}

/// Joins a list the Chinese way: `甲、乙、丙` by default; `last="和"` gives `甲、乙和丙`;
/// `sep` changes the separator (`sep=""` for `“甲”“乙”`).
pub fn join_cn(value: Value, kwargs: Kwargs) -> Result<String, Error> {
    let sep: String = kwargs
        .get::<Option<String>>("sep")?
        .unwrap_or_else(|| "、".into());
    let last: Option<String> = kwargs.get("last")?;
    kwargs.assert_all_used()?;
    let items = texts(&value, "join_cn")?;
    let mut out = String::new();
    for (i, item) in items.iter().enumerate() {
        if i > 0 {
            let is_last = i + 1 == items.len();
            out.push_str(match (&last, is_last) {
                (Some(last), true) => last,
                _ => &sep,
            });
        }
        out.push_str(item);
    }
    Ok(out)
}

/// Wraps text in Chinese quotation marks: `“坚定信念跟党走”`; a list is quoted item by item.
pub fn quote_cn(value: Value) -> Result<Value, Error> {
    if value.kind() == ValueKind::Seq || value.kind() == ValueKind::Iterable {
        let quoted: Vec<Value> = texts(&value, "quote_cn")?
            .into_iter()
            .map(|t| Value::from(format!("“{t}”")))
            .collect();
        return Ok(Value::from(quoted));
    }
    Ok(Value::from(format!("“{}”", text(&value, "quote_cn")?)))
}

/// Formats a date with Arabic numerals as GB/T 9704-2012 requires: `2022年10月25日`;
/// `style="month_day"` gives `10月25日`, `style="year_month"` gives `2022年10月`.
pub fn cn_date(value: Value, kwargs: Kwargs) -> Result<String, Error> {
    let style: Option<String> = kwargs.get("style")?;
    kwargs.assert_all_used()?;
    let raw = text(&value, "cn_date")?;
    let date = parse_date(&raw).ok_or_else(|| {
        invalid(format!(
            "cn_date 需要日期（如 2022-10-25），得到的是“{raw}”"
        ))
    })?;
    use chrono::Datelike;
    let (y, m, d) = (date.year(), date.month(), date.day());
    match style.as_deref() {
        None | Some("full") => Ok(format!("{y}年{m}月{d}日")),
        Some("month_day") => Ok(format!("{m}月{d}日")),
        Some("year_month") => Ok(format!("{y}年{m}月")),
        Some(other) => Err(invalid(format!(
            "cn_date 的 style 只能是 full、month_day 或 year_month，得到的是“{other}”"
        ))),
    }
}

fn text(value: &Value, filter: &str) -> Result<String, Error> {
    match value.kind() {
        ValueKind::Undefined | ValueKind::None => Err(invalid(format!("{filter} 得到了空值"))),
        ValueKind::Seq | ValueKind::Map | ValueKind::Iterable => Err(invalid(format!(
            "{filter} 需要一段文字，得到的是列表或表格"
        ))),
        _ => Ok(value.to_string()),
    }
}

fn texts(value: &Value, filter: &str) -> Result<Vec<String>, Error> {
    value
        .try_iter()
        .map_err(|_| invalid(format!("{filter} 需要一个列表，得到的是“{value}”")))?
        .map(|item| text(&item, filter))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn render(source: &str) -> Result<String, Error> {
        let mut env = Environment::new();
        register(&mut env);
        env.render_str(source, ())
    }

    #[test]
    fn numbers_and_ordinals() {
        assert_eq!(render("{{ 72 | cn_number }}").unwrap(), "七十二");
        assert_eq!(render("{{ 1 | cn_ordinal }}届").unwrap(), "第一届");
        assert_eq!(render("{{ 4.0 | cn_ordinal }}").unwrap(), "第四");
        let err = render("{{ 2.5 | cn_number }}").unwrap_err();
        assert!(err.to_string().contains("只接受整数"), "{err}");
        assert!(render("{{ '三' | cn_number }}").is_err());
    }

    #[test]
    fn enumeration_labels_in_every_style() {
        let out = render("{% for x in 'abc' %}{{ loop.index | enum_label('一是') }}{% endfor %}");
        assert_eq!(out.unwrap(), "一是二是三是");
        assert_eq!(
            render("{{ 12 | enum_label('（一）') }}").unwrap(),
            "（十二）"
        );
        assert_eq!(render("{{ 3 | enum_label('1.') }}").unwrap(), "3.");
        assert_eq!(render("{{ 3 | enum_label('（1）') }}").unwrap(), "（3）");
        assert_eq!(render("{{ 2 | enum_label('一、') }}").unwrap(), "二、");
        assert!(render("{{ 2 | enum_label('是') }}").is_err());
    }

    #[test]
    fn joins_and_quotes() {
        assert_eq!(
            render("{{ ['甲','乙','丙'] | join_cn }}").unwrap(),
            "甲、乙、丙"
        );
        assert_eq!(
            render("{{ ['甲','乙','丙'] | join_cn(last='和') }}").unwrap(),
            "甲、乙和丙"
        );
        assert_eq!(render("{{ ['甲'] | join_cn(last='和') }}").unwrap(), "甲");
        assert_eq!(render("{{ [] | join_cn }}").unwrap(), "");
        assert_eq!(
            render("{{ ['甲','乙'] | quote_cn | join_cn(sep='') }}").unwrap(),
            "“甲”“乙”"
        );
        assert_eq!(render("{{ '甲' | quote_cn }}").unwrap(), "“甲”");
        assert!(render("{{ [none] | join_cn }}").is_err());
    }

    #[test]
    fn dates_in_arabic_numerals_without_leading_zeros() {
        assert_eq!(
            render("{{ '2023-01-05' | cn_date }}").unwrap(),
            "2023年1月5日"
        );
        assert_eq!(
            render("{{ '2022-10-25' | cn_date(style='month_day') }}").unwrap(),
            "10月25日"
        );
        assert_eq!(
            render("{{ '2022-10-25' | cn_date(style='year_month') }}").unwrap(),
            "2022年10月"
        );
        assert!(render("{{ '十月' | cn_date }}").is_err());
    }
}
