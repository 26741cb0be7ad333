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
//! | `cn_digits` | `{{ 2022 \| cn_digits }}` | 二〇二二 |
//! | `thousands`, `fixed`, `percent`, `wan`, `yi`, `yoy` | see [`super::numbers`] | |

use minijinja::value::{Kwargs, ValueKind};
use minijinja::{Environment, Error, ErrorKind, Value};

use super::numbers;
use crate::numerals::{cn_capital, cn_digits as digits, cn_number as numeral};
use crate::sources::parse_date;

pub fn register(env: &mut Environment<'static>) {
    env.add_filter("cn_number", cn_number);
    env.add_filter("cn_ordinal", cn_ordinal);
    env.add_filter("enum_label", enum_label);
    env.add_filter("join_cn", join_cn);
    env.add_filter("quote_cn", quote_cn);
    env.add_filter("cn_date", cn_date);
    env.add_filter("cn_digits", cn_digits);
    env.add_filter("thousands", numbers::thousands);
    env.add_filter("fixed", numbers::fixed);
    env.add_filter("round", numbers::round);
    env.add_filter("percent", numbers::percent);
    env.add_filter("wan", numbers::wan);
    env.add_filter("yi", numbers::yi);
    env.add_filter("yoy", numbers::yoy);
    env.add_filter("table", super::table::table);
    // The engine's filters of text make `none` (a blank optional cell) into the word: `upper`
    // gives NONE, `trim` None, and the report would print it. Here they refuse it instead,
    // as `{{ }}` and huibao's own filters do (an undefined value is left to the engine, which
    // says the name is undefined). `indent` is left as the engine registers it: its registered
    // form (keywords, fuel) is not public.
    for (name, builtin) in [
        ("safe", Value::from_function(minijinja::filters::safe)),
        ("escape", Value::from_function(minijinja::filters::escape)),
        ("e", Value::from_function(minijinja::filters::escape)),
        ("lower", Value::from_function(minijinja::filters::lower)),
        ("upper", Value::from_function(minijinja::filters::upper)),
        ("title", Value::from_function(minijinja::filters::title)),
        (
            "capitalize",
            Value::from_function(minijinja::filters::capitalize),
        ),
        ("replace", Value::from_function(minijinja::filters::replace)),
        ("trim", Value::from_function(minijinja::filters::trim)),
        ("split", Value::from_function(minijinja::filters::split)),
        ("lines", Value::from_function(minijinja::filters::lines)),
        ("string", Value::from_function(minijinja::filters::string)),
        ("format", Value::from_function(minijinja::filters::format)),
        (
            "truncate",
            Value::from_function(minijinja_contrib::filters::truncate),
        ),
    ] {
        env.add_filter(
            name,
            move |state: &mut minijinja::State,
                  args: minijinja::value::Rest<minijinja::value::ValueOrKwargs>| {
                let args = args.into_values();
                // `format` prints its arguments; the others work on the value before them.
                let given = match name {
                    "format" => &args[..],
                    _ => &args[..args.len().min(1)],
                };
                if given.iter().any(Value::is_none) {
                    return Err(got_blank(name));
                }
                match name {
                    "replace" => replace(state, &builtin, &args),
                    _ => builtin.call(state, &args),
                }
            },
        );
    }
}

/// `replace(from, to)`, and with a count (`replace(from, to, 1)`, `count=1`), which the
/// engine's public `replace` does not take: the first `count` occurrences replaced.
fn replace(state: &mut minijinja::State, builtin: &Value, args: &[Value]) -> Result<Value, Error> {
    let (positional, kwargs): (Vec<&Value>, Option<Kwargs>) = match args.last() {
        Some(last) if last.is_kwargs() => (
            args[..args.len() - 1].iter().collect(),
            Some(Kwargs::try_from(last.clone())?),
        ),
        _ => (args.iter().collect(), None),
    };
    let count = match (positional.get(3), &kwargs) {
        (Some(count), _) => Some(i64::try_from((*count).clone())?),
        (None, Some(kwargs)) => kwargs.get::<Option<i64>>("count")?,
        (None, None) => None,
    };
    if let Some(kwargs) = &kwargs {
        kwargs.assert_all_used()?;
    }
    match (count, positional.as_slice()) {
        (Some(count), [value, from, to, ..]) => Ok(Value::from(value.to_string().replacen(
            &from.to_string(),
            &to.to_string(),
            usize::try_from(count).unwrap_or(usize::MAX),
        ))),
        _ => builtin.call(state, args),
    }
}

/// The error of a filter given an empty value (a blank optional cell), noting the blank cell
/// read last, which the message names when the failing line reads it (`errors::translate`).
pub fn got_blank(filter: &str) -> Error {
    super::errors::noted_blank(crate::context::last_blank());
    invalid(format!("{filter} 得到了空值"))
}

fn invalid(message: String) -> Error {
    Error::new(ErrorKind::InvalidOperation, message)
}

/// An integer, or an error that says what was given instead.
/// A value as an error message shows it: an undefined or empty value says what that means
/// for a clerk, rather than printing as “”.
pub fn shown(value: &Value) -> String {
    match value.kind() {
        minijinja::value::ValueKind::Undefined => {
            "未定义的值（数据里没有这一项，或名字写错了）".into()
        }
        minijinja::value::ValueKind::None => "空值（选填的单元格为空）".into(),
        minijinja::value::ValueKind::Bool if value.is_true() => "“是”（是/否）".into(),
        minijinja::value::ValueKind::Bool => "“否”（是/否）".into(),
        _ => format!("“{value}”"),
    }
}

fn integer(value: &Value, filter: &str) -> Result<i64, Error> {
    // A 是/否 cell is no count, though the engine would read it as 1 or 0.
    if value.kind() == minijinja::value::ValueKind::Bool {
        return Err(invalid(format!(
            "{filter} 只接受整数，得到的是{}",
            shown(value)
        )));
    }
    if let Some(i) = value.as_i64() {
        return Ok(i);
    }
    if let Ok(f) = f64::try_from(value.clone())
        && f.fract() == 0.0
        && f.abs() < 9.0e15
    {
        return Ok(f as i64);
    }
    Err(invalid(format!(
        "{filter} 只接受整数，得到的是{}",
        shown(value)
    )))
}

/// `72 → 七十二`, `105 → 一百零五`; `capital=true` gives financial capitals, `壹佰零伍`.
/// With a measure word, `unit="个"`, the count is written the way Chinese counts: `2 → 两个`
/// (GB/T 15835: 两 before a measure word), `12 → 十二个`.
pub fn cn_number(value: Value, kwargs: Kwargs) -> Result<String, Error> {
    let capital: Option<bool> = kwargs.get("capital")?;
    let unit: Option<String> = kwargs.get("unit")?;
    kwargs.assert_all_used()?;
    let n = integer(&value, "cn_number")?;
    Ok(match (capital == Some(true), unit) {
        (true, Some(unit)) => format!("{}{unit}", cn_capital(n)),
        (true, None) => cn_capital(n),
        (false, Some(unit)) if n == 2 => format!("两{unit}"),
        (false, Some(unit)) => format!("{}{unit}", numeral(n)),
        (false, None) => numeral(n),
    })
}

/// Digit by digit with 〇, as years are read in titles: `2022 → 二〇二二`.
pub fn cn_digits(value: Value) -> Result<String, Error> {
    Ok(digits(integer(&value, "cn_digits")?))
}

/// `1 → 第一`, so `{{ n | cn_ordinal }}届` is 第一届.
pub fn cn_ordinal(value: Value) -> Result<String, Error> {
    let n = integer(&value, "cn_ordinal")?;
    if n < 1 {
        return Err(invalid(format!(
            "cn_ordinal 只接受从 1 起的序数（第一、第二……），得到的是 {n}"
        )));
    }
    Ok(format!("第{}", numeral(n)))
}

/// Numbers a list item after a pattern in which `一` stands for the Chinese numeral and `1`
/// for the Arabic one: `一是`, `一、`, `（一）`, `1.`, `（1）`, `第一届`.
pub fn enum_label(value: Value, style: String) -> Result<String, Error> {
    let n = integer(&value, "enum_label")?;
    if n < 1 {
        return Err(invalid(format!(
            "enum_label 只给从 1 起的编号（一是、二是……），得到的是 {n}"
        )));
    }
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
/// `sep` changes the separator (`sep=""` for `“甲”“乙”`); `etc=true` appends `等`.
pub fn join_cn(value: Value, kwargs: Kwargs) -> Result<String, Error> {
    let sep: String = kwargs
        .get::<Option<String>>("sep")?
        .unwrap_or_else(|| "、".into());
    let last: Option<String> = kwargs.get("last")?;
    let etc: Option<bool> = kwargs.get("etc")?;
    kwargs.assert_all_used()?;
    // A text is a list of its characters to the engine: 县委办 would come out 县、委、办.
    if value.kind() == minijinja::value::ValueKind::String {
        return Err(invalid(format!(
            "join_cn 需要一个列表，得到的是一段文字{}",
            shown(&value)
        )));
    }
    // An empty item (a blank optional cell) would leave a separator standing alone; a list
    // of nothing but empty items would leave nothing, which is told.
    let given: Vec<Value> = value
        .try_iter()
        .map_err(|_| invalid(format!("join_cn 需要一个列表，得到的是{}", shown(&value))))?
        .collect();
    let items: Vec<String> = given
        .iter()
        .filter(|item| item.kind() != minijinja::value::ValueKind::None)
        .map(|item| text(item, "join_cn"))
        .collect::<Result<Vec<String>, Error>>()?
        .into_iter()
        .filter(|item| !item.trim().is_empty())
        .collect();
    if items.is_empty() && !given.is_empty() {
        return Err(invalid(format!(
            "join_cn 的列表有 {} 项，全是空值（选填的单元格都没有填）。请填写，或在模板中用 {{% if … %}} 判断后再输出",
            given.len()
        )));
    }
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
    if etc == Some(true) && !items.is_empty() {
        out.push('等');
    }
    Ok(out)
}

/// Wraps text in Chinese quotation marks: `“坚定信念跟党走”`; a list is quoted item by item.
/// Quotes inside become single ones, as GB/T 15834 nests them: `第一届“最美退役军人”表彰`
/// gives `“第一届‘最美退役军人’表彰”`; a third level turns back to double marks, and a text with single marks only keeps them.
pub fn quote_cn(value: Value) -> Result<Value, Error> {
    // Inside the new marks every level turns over (GB/T 15834 4.4.3: “ ‘ “ ’ ” ’ ”): double
    // become single and, below them, single double. A text with single marks only has them
    // as the inner level already (学习‘两会’精神) and keeps them. ASCII double quotes, typed
    // in pairs, are opening and closing marks in turn.
    let quote = |t: &str| {
        let turn = t.contains(['“', '”', '"']);
        let mut open = true;
        let inner: String = t
            .chars()
            .map(|c| match c {
                '"' => {
                    open = !open;
                    if open { '’' } else { '‘' }
                }
                '“' => '‘',
                '”' => '’',
                '‘' if turn => '“',
                '’' if turn => '”',
                c => c,
            })
            .collect();
        format!("“{inner}”")
    };
    if value.kind() == ValueKind::Seq || value.kind() == ValueKind::Iterable {
        let quoted: Vec<Value> = texts(&value, "quote_cn")?
            .iter()
            .map(|t| Value::from(quote(t)))
            .collect();
        return Ok(Value::from(quoted));
    }
    Ok(Value::from(quote(&text(&value, "quote_cn")?)))
}

/// Formats a date with Arabic numerals as GB/T 9704-2012 requires: `2022年10月25日`;
/// `style="month_day"` gives `10月25日`, `style="year_month"` gives `2022年10月`, and
/// `style="cn"` the Chinese-numeral form some titles use, `二〇二二年十月二十五日`.
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
        None | Some("full") => Ok(official_date(date)),
        Some("month_day") => Ok(format!("{m}月{d}日")),
        Some("year_month") => Ok(format!("{y}年{m}月")),
        Some("cn") => Ok(format!(
            "{}年{}月{}日",
            digits(y.into()),
            numeral(m.into()),
            numeral(d.into())
        )),
        Some(other) => Err(invalid(format!(
            "cn_date 的 style 只能是 full、month_day、year_month 或 cn，得到的是“{other}”"
        ))),
    }
}

/// A date as GB/T 9704-2012 writes the date of issue: `2023年1月5日`.
pub fn official_date(date: chrono::NaiveDate) -> String {
    use chrono::Datelike;
    format!("{}年{}月{}日", date.year(), date.month(), date.day())
}

/// A single value as `{{ }}` prints it: 是 or 否 for a yes/no, a number a template computed
/// (`10 / 5`, `0.1 + 0.2`) as a cell's would be shown — never `2.0`, and to Excel's 15
/// significant digits; an integer of any size exactly.
pub fn printed(value: &Value) -> String {
    match value.kind() {
        ValueKind::Bool => if value.is_true() { "是" } else { "否" }.to_owned(),
        ValueKind::Number if !value.is_integer() => match f64::try_from(value.clone()) {
            Ok(f) if f.is_finite() => {
                let f = crate::sources::significant(f);
                match f.fract() == 0.0 && f.abs() < 9.0e15 {
                    true => (f as i64).to_string(),
                    false => f.to_string(),
                }
            }
            _ => value.to_string(),
        },
        _ => value.to_string(),
    }
}

/// An item of a list a filter makes text of, printed as `{{ }}` would print it.
fn text(value: &Value, filter: &str) -> Result<String, Error> {
    match value.kind() {
        ValueKind::Undefined | ValueKind::None => Err(got_blank(filter)),
        ValueKind::Seq | ValueKind::Map | ValueKind::Iterable => Err(invalid(format!(
            "{filter} 需要一段文字，得到的是列表或表格"
        ))),
        _ => Ok(printed(value)),
    }
}

/// The engine's `join` with its items printed as `{{ }}` prints them (`2`, not `2.0`; 是, not
/// `true`), a blank item an error (the engine prints it as `None`; `join_cn` leaves blank items
/// out). `None` where the engine's own does the same: text (its characters joined), or a
/// list with an item already marked as markup.
pub fn join_printed(args: &[Value]) -> Result<Option<Value>, Error> {
    let Some((value, rest)) = args.split_first() else {
        return Ok(None);
    };
    let (joiner, attribute, kwargs): (Option<Value>, Option<Value>, Kwargs) =
        minijinja::value::from_args(rest)?;
    let joiner = match joiner {
        Some(joiner) => Some(joiner),
        None => kwargs.get::<Option<Value>>("d")?,
    };
    let attribute = match attribute {
        Some(attribute) => Some(attribute),
        None => kwargs.get::<Option<Value>>("attribute")?,
    };
    kwargs.assert_all_used()?;
    if value.kind() == ValueKind::String || joiner.as_ref().is_some_and(Value::is_safe) {
        return Ok(None);
    }
    let Ok(items) = value.try_iter() else {
        return Ok(None);
    };
    let mut texts = Vec::new();
    for (index, item) in items.enumerate() {
        let item = match attribute.as_ref().map(|a| (a, a.as_str())) {
            // A path as the engine reads one: `日期.year`, `0` (an item by its place).
            Some((_, Some(path))) => {
                path.split('.')
                    .try_fold(item, |v, part| match part.parse::<usize>() {
                        Ok(i) => v.get_item_by_index(i),
                        Err(_) => v.get_attr(part),
                    })?
            }
            Some((key, None)) => item.get_item(key)?,
            None => item,
        };
        if item.is_safe() {
            return Ok(None);
        }
        if matches!(item.kind(), ValueKind::Undefined | ValueKind::None) {
            return Err(invalid(format!(
                "join 的第 {} 项是空值（选填的单元格为空），会被写成 None。请填写，或改用 join_cn，它略去空项",
                index + 1
            )));
        }
        texts.push(text(&item, "join")?);
    }
    let joiner = joiner.map(|j| printed(&j)).unwrap_or_default();
    Ok(Some(Value::from(texts.join(&joiner))))
}

fn texts(value: &Value, filter: &str) -> Result<Vec<String>, Error> {
    value
        .try_iter()
        .map_err(|_| invalid(format!("{filter} 需要一个列表，得到的是{}", shown(value))))?
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
    fn edge_values_are_errors_not_guesses() {
        assert_eq!(
            render("{{ 2 | cn_number(capital=true, unit='个') }}").unwrap(),
            "贰个"
        );
        for bad in [
            "{{ true | cn_number }}",
            "{{ false | cn_ordinal }}",
            "{{ true | thousands }}",
        ] {
            let err = render(bad).unwrap_err().to_string();
            assert!(err.contains("（是/否）"), "{bad}: {err}");
            assert!(
                !err.contains("true") && !err.contains("True"),
                "{bad}: {err}"
            );
        }
        for bad in [0, -1] {
            let err = render(&format!("{{{{ {bad} | enum_label('一是') }}}}")).unwrap_err();
            assert!(err.to_string().contains("从 1 起的编号"), "{err}");
        }
        let err = render("{{ '甲乙' | join_cn }}").unwrap_err();
        assert!(err.to_string().contains("需要一个列表"), "{err}");
        assert_eq!(
            render("{{ ['甲', '', none, '乙'] | join_cn }}").unwrap(),
            "甲、乙"
        );
    }

    #[test]
    fn numbers_and_ordinals() {
        assert_eq!(render("{{ 72 | cn_number }}").unwrap(), "七十二");
        assert_eq!(render("{{ 1 | cn_ordinal }}届").unwrap(), "第一届");
        assert_eq!(render("{{ 4.0 | cn_ordinal }}").unwrap(), "第四");
        let err = render("{{ 2.5 | cn_number }}").unwrap_err();
        assert!(err.to_string().contains("只接受整数"), "{err}");
        assert!(render("{{ '三' | cn_number }}").is_err());
        for bad in [0, -1] {
            let err = render(&format!("{{{{ {bad} | cn_ordinal }}}}")).unwrap_err();
            assert!(err.to_string().contains("从 1 起的序数"), "{err}");
        }
    }

    #[test]
    fn counts_before_a_measure_word_say_liang() {
        assert_eq!(render("{{ 2 | cn_number(unit='个') }}").unwrap(), "两个");
        assert_eq!(render("{{ 12 | cn_number(unit='个') }}").unwrap(), "十二个");
        assert_eq!(
            render("{{ 22 | cn_number(unit='次') }}").unwrap(),
            "二十二次"
        );
        assert_eq!(render("{{ 2 | cn_number }}").unwrap(), "二");
        assert_eq!(render("{{ 2 | cn_ordinal }}").unwrap(), "第二");
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
        // Every level turns over, and ASCII quotes become marks.
        assert_eq!(
            render("{{ '甲“乙‘丙’丁”戊' | quote_cn }}").unwrap(),
            "“甲‘乙“丙”丁’戊”"
        );
        assert_eq!(
            render("{{ '甲\"乙\"丙' | quote_cn }}").unwrap(),
            "“甲‘乙’丙”"
        );
        assert_eq!(
            render("{{ '第一届“最美退役军人”表彰' | quote_cn }}").unwrap(),
            "“第一届‘最美退役军人’表彰”"
        );
        assert_eq!(
            render("{{ ['学习‘两会’精神'] | quote_cn | first }}").unwrap(),
            "“学习‘两会’精神”"
        );
        assert!(render("{{ [none, ''] | join_cn }}").is_err());
        assert_eq!(render("{{ [] | join_cn }}").unwrap(), "");
    }

    #[test]
    fn chinese_numerals_at_the_edges() {
        let cases = [
            (0, "零"),
            (10, "十"),
            (11, "十一"),
            (20, "二十"),
            (100, "一百"),
            (101, "一百零一"),
            (110, "一百一十"),
            (1000, "一千"),
            (1001, "一千零一"),
            (1010, "一千零一十"),
            (10000, "一万"),
            (10010, "一万零一十"),
            (100000000, "一亿"),
            (-5, "负五"),
        ];
        for (n, text) in cases {
            assert_eq!(render(&format!("{{{{ {n} | cn_number }}}}")).unwrap(), text);
        }
        assert_eq!(
            render("{{ 105 | cn_number(capital=true) }}").unwrap(),
            "壹佰零伍"
        );
        assert_eq!(render("{{ 2022 | cn_digits }}").unwrap(), "二〇二二");
        for bad in ["2.5", "'三'", "none", "[1]"] {
            let err = render(&format!("{{{{ {bad} | cn_number }}}}")).unwrap_err();
            assert!(err.to_string().contains("只接受整数"), "{bad}: {err}");
        }
    }

    #[test]
    fn joins_with_etc() {
        assert_eq!(
            render("{{ ['甲','乙','丙'] | join_cn(etc=true) }}").unwrap(),
            "甲、乙、丙等"
        );
        assert_eq!(
            render("{{ ['甲','乙'] | quote_cn | join_cn(sep='', etc=true) }}").unwrap(),
            "“甲”“乙”等"
        );
        assert_eq!(render("{{ [] | join_cn(etc=true) }}").unwrap(), "");
    }

    #[test]
    fn numbers_in_report_style() {
        assert_eq!(render("{{ 12345 | thousands }}").unwrap(), "12,345");
        assert_eq!(
            render("{{ -1234567.891 | thousands(decimals=2) }}").unwrap(),
            "-1,234,567.89"
        );
        assert_eq!(render("{{ 999 | thousands }}").unwrap(), "999");
        assert_eq!(render("{{ 3.14159 | fixed(2) }}").unwrap(), "3.14");
        assert_eq!(render("{{ 2.5 | fixed(2) }}").unwrap(), "2.50");
        assert_eq!(render("{{ 0.075 | percent }}").unwrap(), "7.5%");
        assert_eq!(render("{{ 0.1 | percent }}").unwrap(), "10%");
        assert_eq!(
            render("{{ 0.12345 | percent(decimals=2) }}").unwrap(),
            "12.35%"
        );
        assert_eq!(render("{{ 12345 | wan }}").unwrap(), "1.23万");
        assert_eq!(render("{{ 12355 | wan }}").unwrap(), "1.24万");
        assert_eq!(render("{{ 10000 | wan }}").unwrap(), "1万");
        assert_eq!(render("{{ 356000000 | yi }}").unwrap(), "3.56亿");
        assert_eq!(render("{{ 0 | yi }}").unwrap(), "0亿");
        for tiny in ["12345 | yi", "12 | wan", "-12 | wan"] {
            let err = render(&format!("{{{{ {tiny} }}}}")).unwrap_err();
            assert!(err.to_string().contains("看不出数值"), "{tiny}: {err}");
        }
        assert_eq!(render("{{ 12345 | yi(decimals=5) }}").unwrap(), "0.00012亿");
        assert!(render("{{ '三' | percent }}").is_err());
        assert_eq!(render("{{ 0.0745 | percent }}").unwrap(), "7.5%");
        let err = render("{{ (1e308 * 10) | wan(decimals=4) }}").unwrap_err();
        assert!(err.to_string().contains("有限的数值"), "{err}");
        assert!(render("{{ (1e308 * 10) | fixed(2) }}").is_err());
    }

    #[test]
    fn year_over_year_phrases() {
        assert_eq!(render("{{ 112.5 | yoy(100) }}").unwrap(), "同比增长12.5%");
        assert_eq!(render("{{ 96.8 | yoy(100) }}").unwrap(), "同比下降3.2%");
        assert_eq!(render("{{ 100 | yoy(100) }}").unwrap(), "与上年持平");
        assert_eq!(render("{{ 100.01 | yoy(100) }}").unwrap(), "与上年持平");
        assert_eq!(render("{{ 9 | yoy(6, unit='个') }}").unwrap(), "增加3个");
        // A count's decimals as asked; a difference that rounds to nothing is no change.
        assert_eq!(
            render("{{ 6.0123 | yoy(6, unit='个', decimals=1) }}").unwrap(),
            "与上年持平"
        );
        assert_eq!(
            render("{{ 6.25 | yoy(6, unit='吨', decimals=1) }}").unwrap(),
            "增加0.3吨"
        );
        for close in ["6.001", "5.999"] {
            let phrase = render(&format!("{{{{ {close} | yoy(6, unit='个') }}}}")).unwrap();
            assert_eq!(phrase, "与上年持平", "{close}");
        }
        // Floating-point noise is zero, not a figure too small to show.
        assert_eq!(render("{{ (0.1 + 0.2 - 0.3) | percent }}").unwrap(), "0%");
        let err = render("{{ 0.00001 | percent }}").unwrap_err();
        assert!(err.to_string().contains("看不出数值"), "{err}");
        // The line is drawn at 10^-12: nearer zero is zero, farther a figure.
        assert_eq!(render("{{ 0.0000000000009 | percent }}").unwrap(), "0%");
        assert!(render("{{ 0.0000000000011 | percent }}").is_err());
        assert!(render("{{ 12 | thousands(decimals=30) }}").is_err());
        assert_eq!(render("{{ 4 | yoy(6, unit='个') }}").unwrap(), "减少2个");
        assert_eq!(render("{{ 6 | yoy(6, unit='个') }}").unwrap(), "与上年持平");
        assert_eq!(
            render("{{ 9 | yoy(6, unit='个', prefix='比上年') }}").unwrap(),
            "比上年增加3个"
        );
        assert_eq!(
            render("{{ 120 | yoy(100, prefix='较上年', up='提高', decimals=0) }}").unwrap(),
            "较上年提高20%"
        );
        assert_eq!(
            render("{{ 80 | yoy(100, same='持平', down='减少') }}").unwrap(),
            "同比减少20%"
        );
        let err = render("{{ 5 | yoy(none) }}").unwrap_err();
        assert!(err.to_string().contains("yoy 比较的上年值是空的"), "{err}");
        let err = render("{{ 5 | yoy(nothing) }}").unwrap_err();
        assert!(
            err.to_string()
                .contains("yoy 比较的上年值未定义：数据里没有这一项，或名字写错了"),
            "{err}"
        );
        let err = render("{{ 5 | yoy(0) }}").unwrap_err();
        assert!(err.to_string().contains("上年的值为 0"), "{err}");
    }

    #[test]
    fn dates_in_arabic_numerals_without_leading_zeros() {
        assert_eq!(
            render("{{ '2022-10-25' | cn_date(style='cn') }}").unwrap(),
            "二〇二二年十月二十五日"
        );
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
