//! minijinja's errors, told in Chinese with the template, the line and the name at fault.

use std::path::Path;

use minijinja::{Environment, ErrorKind, Value};

use super::{MANIFEST_TEMPLATE, TITLE_TEMPLATE};
use crate::diagnostics::{Error, Location, Place, Spot};
use crate::manifest::MANIFEST_FILE;

/// What printing an empty value says when the cell it came from is not known.
pub const BLANK_PRINTED: &str =
    "输出了空值（可能是选填的单元格为空）。请填写该单元格，或在模板中用 {% if … %} 判断后再输出";

thread_local! {
    /// The blank cell read last when an empty value was printed or given to a filter (see
    /// `format_value` and `filters::got_blank`).
    static NOTED_BLANK: std::cell::RefCell<Option<crate::context::Blank>> = const { std::cell::RefCell::new(None) };
}

/// Notes the blank cell read last when an empty value failed, for [`translate`].
pub fn noted_blank(blank: Option<crate::context::Blank>) {
    NOTED_BLANK.with(|noted| *noted.borrow_mut() = blank);
}

/// The blank cell noted when an empty value failed on `line`, if the line reads a field of
/// its name (`要点.标题`, `行["标题"]`): it is then most likely the value that failed. None for
/// anything else (a `none` of the template's own, a variable set from a cell on another line).
fn blank_on(line: Option<&str>) -> Option<crate::diagnostics::Location> {
    let (key, at) = NOTED_BLANK.with(|noted| noted.borrow_mut().take())?;
    let word_end = |rest: &str| !rest.starts_with(|c: char| c.is_alphanumeric() || c == '_');
    let line = line?;
    let reads = line
        .match_indices(&format!(".{key}"))
        .any(|(i, m)| word_end(&line[i + m.len()..]))
        || line.contains(&format!("[\"{key}\"]"))
        || line.contains(&format!("['{key}']"));
    reads.then_some(at)
}

/// The message for an empty value printed on `line`, naming the blank cell where it can.
fn blank_printed(line: Option<&str>) -> String {
    match blank_on(line) {
        Some(at) => format!(
            "输出了空值：{at} 是空的，这里要用到它。请填写该单元格；若它可以不填，请在模板中用 {{% if … %}} 判断后再输出"
        ),
        None => BLANK_PRINTED.to_owned(),
    }
}

pub fn translate(
    env: &Environment<'static>,
    dir: &Path,
    error: minijinja::Error,
    context: Option<&Value>,
    cell_source: Option<&str>,
) -> Error {
    let name = error.name().unwrap_or(TITLE_TEMPLATE).to_owned();
    let line = error.line();
    let source = cell_source
        .map(str::to_owned)
        .or_else(|| source_of(env, &name, &error));
    let line_text = line
        .and_then(|l| source.as_deref()?.lines().nth(l.saturating_sub(1)))
        .map(|t| t.trim().to_owned());

    // A cell's template is named by the cell; a file by its path in the kind's folder.
    let is_cell = name.contains(" › ") && !name.starts_with(MANIFEST_TEMPLATE);
    let multi_line = source.as_deref().is_some_and(|s| s.contains('\n'));
    let place = place(dir, &name, line.filter(|_| !is_cell || multi_line));

    let detail = detail(&error);
    let got_blank = detail.contains("得到了空值");
    let mut message = match error.kind() {
        ErrorKind::SyntaxError => {
            // A block left open is found at its opening tag, not at the end of the file
            // where the parser gave up.
            if detail.contains("unexpected end of input")
                && let Some((open_line, tag)) = source.as_deref().and_then(unclosed)
            {
                let place = self::place(
                    dir,
                    &name,
                    Some(open_line).filter(|_| !is_cell || multi_line),
                );
                let text = source
                    .as_deref()
                    .and_then(|s| s.lines().nth(open_line - 1))
                    .map(|t| t.trim().chars().take(60).collect::<String>())
                    .unwrap_or_default();
                return Error::Template {
                    place,
                    message: format!(
                        "模板语法错误：这里的 {{% {tag} %}} 一直到模板结尾都没有对应的 {{% end{tag} %}}。请在这一块结束的地方加上 {{% end{tag} %}}。该行：{text}"
                    ),
                };
            }
            // An end tag the parser did not expect: often the block before it was left open
            // (`{% if %}` inside a `{% for %}` without its `{% endif %}`); name that block.
            if let Some(closing) = detail
                .strip_prefix("unknown statement end")
                .and_then(|rest| rest.split_whitespace().next())
                && let (Some(source), Some(line)) = (source.as_deref(), line)
            {
                let before: usize = source
                    .lines()
                    .take(line.saturating_sub(1))
                    .map(|l| l.len() + 1)
                    .sum();
                let upto = source[before.min(source.len())..]
                    .find(&format!("end{closing}"))
                    .map_or(source.len(), |i| before + i);
                if let Some((open_line, tag)) = unclosed(&source[..upto])
                    && tag != closing
                {
                    let text = source
                        .lines()
                        .nth(open_line - 1)
                        .map(|t| t.trim().chars().take(60).collect::<String>())
                        .unwrap_or_default();
                    return Error::Template {
                        place: self::place(
                            dir,
                            &name,
                            Some(open_line).filter(|_| !is_cell || multi_line),
                        ),
                        message: format!(
                            "模板语法错误：这里的 {{% {tag} %}} 没有对应的 {{% end{tag} %}}，所以第 {line} 行的 {{% end{closing} %}} 对不上。请在 {{% end{closing} %}} 之前加上 {{% end{tag} %}}。该行：{text}"
                        ),
                    };
                }
            }
            format!(
                "模板语法错误：{}。请检查 {{{{ }}}} 与 {{% %}} 是否成对、写法是否正确",
                syntax_in_chinese(&detail)
            )
        }
        ErrorKind::UndefinedError => {
            let missing = context
                .map(|ctx| {
                    undefined_names(env, &name, source.as_deref(), line_text.as_deref(), ctx)
                })
                .unwrap_or_default();
            let is_prev = |m: &String| m == "prev" || m.starts_with("prev.");
            let (last_year, others): (Vec<String>, Vec<String>) =
                missing.into_iter().partition(is_prev);
            let no_prev = context.and_then(|ctx| missing_prev(ctx, &last_year));
            if others.is_empty()
                && let Some(message) = no_prev
            {
                return Error::Template { place, message };
            }
            let what = if others.is_empty() {
                "用到了未定义的变量".to_owned()
            } else {
                format!("用到了未定义的变量 {}", others.join("、"))
            };
            // A line that reads `prev` and also a name that is not there: the name is told
            // first, and last year's data too unless the line tests for it (then it is not
            // what failed).
            let guarded = line_text
                .as_deref()
                .is_some_and(|l| l.contains("prev is defined"));
            let also = match no_prev {
                Some(message) if !guarded => format!("另外，{}", message.trim_end_matches('。')),
                _ => String::new(),
            };
            format!(
                "{what}。请检查名字是否写错、数据表里是否有这一项；运行 huibao context 可查看模板能用的全部变量{}{also}",
                if also.is_empty() { "" } else { "。" }
            )
        }
        ErrorKind::UnknownFilter => format!("未知的过滤器（{detail}）。可用的过滤器见 README"),
        ErrorKind::UnknownFunction => format!("未知的函数（{detail}）。可用的函数见 README"),
        ErrorKind::UnknownTest => format!("未知的测试（{detail}）"),
        ErrorKind::UnknownMethod => format!("未知的方法（{detail}）"),
        ErrorKind::TemplateNotFound => {
            format!(
                "找不到模板（{detail}）。模板只能引用 {} 中的文件",
                dir.display()
            )
        }
        ErrorKind::OutOfFuel => "模板运行步数超过上限，可能有死循环或过大的循环".to_owned(),
        ErrorKind::InvalidOperation if detail == BLANK_PRINTED => {
            blank_printed(line_text.as_deref())
        }
        ErrorKind::MissingArgument | ErrorKind::TooManyArguments => {
            format!("过滤器或函数的参数不对（{detail}）")
        }
        // Our own filters explain themselves in Chinese; the engine's words (its causes after
        // a `：`) are said in Chinese where they can be, or get a frame.
        _ => match runtime_in_chinese(detail.split('：').next().unwrap_or_default()) {
            Some(said) => format!("{said}（{detail}）"),
            None if detail.is_ascii() => format!("模板运行出错（{detail}）"),
            None => detail,
        },
    };
    // A filter given a blank cell: which cell, when the line reads it.
    if error.kind() == ErrorKind::InvalidOperation
        && got_blank
        && let Some(at) = blank_on(line_text.as_deref())
    {
        message.push_str(&format!("（这个值来自 {at}）"));
    }
    if let Some(text) = line_text.filter(|t| !t.is_empty()) {
        let excerpt: String = text.chars().take(60).collect();
        let more = if text.chars().count() > 60 { "…" } else { "" };
        message.push_str(&format!("。该行：{excerpt}{more}"));
    } else {
        message.push('。');
    }
    Error::Template { place, message }
}

/// How a message names a template: the manifest's title, a cell holding expressions (named by
/// the cell), or a template file; with the line where it helps.
pub fn place(dir: &Path, name: &str, line: Option<usize>) -> Place {
    let in_manifest = name.strip_prefix(MANIFEST_TEMPLATE);
    let is_cell = name.contains(" › ") && in_manifest.is_none();
    let mut place = if let Some(key) = in_manifest {
        format!("{} 中的 {key}", dir.join(MANIFEST_FILE).display())
    } else if is_cell {
        format!("{name}（单元格中的模板表达式）")
    } else {
        dir.join(name).display().to_string()
    };
    if let Some(line) = line {
        place.push_str(&format!(" 第 {line} 行"));
    }
    let at = if in_manifest.is_some() {
        Some(Location::file(&dir.join(MANIFEST_FILE)))
    } else if is_cell {
        cell_location(name)
    } else {
        return Place::file(&dir.join(name), line, place);
    };
    Place { text: place, at }
}

/// A cell's location from its name as [`Location`] writes it: `file › sheet › C7` or, for a
/// text file, `file › 第 7 行`.
fn cell_location(name: &str) -> Option<Location> {
    let parts: Vec<&str> = name.split(" › ").collect();
    let (file, sheet, cell) = match parts.as_slice() {
        [file, sheet, cell] => (*file, Some(*sheet), *cell),
        [file, cell] => (*file, None, *cell),
        _ => return None,
    };
    Some(Location {
        cell: Spot::parse(cell),
        ..Location::sheet(Path::new(file), sheet)
    })
}

/// The error's own detail and those of its causes, without minijinja's debug dump.
fn detail(error: &minijinja::Error) -> String {
    let mut parts: Vec<String> = Vec::new();
    let mut current: Option<&(dyn std::error::Error + 'static)> = Some(error);
    while let Some(e) = current {
        if let Some(mj) = e.downcast_ref::<minijinja::Error>() {
            if let Some(d) = mj.detail() {
                parts.push(d.trim_end_matches(['。', '.']).to_owned());
            }
        } else {
            parts.push(e.to_string());
        }
        current = e.source();
    }
    parts.dedup();
    if parts.is_empty() {
        error.kind().to_string()
    } else {
        parts.join("：")
    }
}

fn source_of(env: &Environment<'static>, name: &str, error: &minijinja::Error) -> Option<String> {
    if let Some(source) = error.template_source() {
        return Some(source.to_owned());
    }
    env.get_template(name).ok().map(|t| t.source().to_owned())
}

/// The variables (with their attribute paths, `统计.烈士墓`) a template uses that the context
/// does not have; those on the failing line first.
fn undefined_names(
    env: &Environment<'static>,
    name: &str,
    source: Option<&str>,
    line_text: Option<&str>,
    context: &Value,
) -> Vec<String> {
    let used = match env.get_template(name) {
        Ok(t) => t.undeclared_variables(true),
        Err(_) => match source.map(|s| env.template_from_str(s)) {
            Some(Ok(t)) => t.undeclared_variables(true),
            _ => return Vec::new(),
        },
    };
    let mut missing: Vec<String> = used
        .into_iter()
        .filter(|path| !resolves(context, path))
        .collect();
    missing.sort();
    if let Some(line) = line_text {
        let on_line: Vec<String> = missing
            .iter()
            .filter(|m| line.contains(m.as_str()))
            .cloned()
            .collect();
        if !on_line.is_empty() {
            return on_line;
        }
    }
    missing
}

/// A template that reads last year's data for a department that has none: the message names
/// the department and the year, and says how to write around it.
fn missing_prev(context: &Value, missing: &[String]) -> Option<String> {
    let uses_prev = missing
        .iter()
        .any(|m| m == "prev" || m.starts_with("prev."));
    let has_prev = context.get_attr("prev").is_ok_and(|p| !p.is_undefined());
    if !uses_prev || has_prev {
        return None;
    }
    let dept = context.get_attr("dept").ok()?;
    let year = context
        .get_attr("year")
        .ok()
        .and_then(|y| i64::try_from(y).ok())?;
    Some(format!(
        "模板用到了上年的数据（prev），但“{dept}”没有 {} 年的数据（找不到 {} 年文件夹下的“{dept}”）。请补上上年的数据，或在模板中用 {{% if prev is defined %}} 判断，没有上年数据时换一种写法。",
        year - 1,
        year - 1
    ))
}

fn resolves(context: &Value, path: &str) -> bool {
    super::walk(context, path).is_some()
}

/// Tags that open a block closed by `end<tag>`.
const BLOCKS: &[&str] = &[
    "for",
    "if",
    "macro",
    "call",
    "filter",
    "with",
    "autoescape",
    "raw",
    "block",
];

/// The innermost block a template opens and never closes: its line and tag name.
fn unclosed(source: &str) -> Option<(usize, String)> {
    let mut open: Vec<(usize, String)> = Vec::new();
    let mut rest = 0;
    while let Some(start) = source[rest..].find("{%").map(|i| rest + i) {
        // The closing `%}` is looked for after the opening `{%` (`{%}` opens and does not close).
        let end = source[start + 2..]
            .find("%}")
            .map_or(source.len(), |i| start + 2 + i);
        let tag = source[start + 2..end].trim_matches(['-', '+', ' ', '\n', '\t']);
        let word = tag.split_whitespace().next().unwrap_or("");
        let line = source[..start].matches('\n').count() + 1;
        // `{% set x %}…{% endset %}` is a block; `{% set x = 1 %}` is not.
        let is_block = BLOCKS.contains(&word) || (word == "set" && !tag.contains('='));
        if is_block {
            open.push((line, word.to_owned()));
        } else if let Some(closed) = word.strip_prefix("end")
            && let Some(i) = open.iter().rposition(|(_, t)| t == closed)
        {
            open.truncate(i);
        }
        rest = (end + 2).min(source.len());
        if end >= source.len() {
            break;
        }
    }
    open.pop()
}

/// The engine's words for what went wrong while a template ran, said in Chinese for the
/// mistakes a template writer makes; `None` for the rest, shown as they are.
fn runtime_in_chinese(detail: &str) -> Option<String> {
    let kind = |k: &str| {
        match k.trim() {
            "number" => "数字",
            "string" => "文字",
            "none" => "空值（选填的单元格为空）",
            "undefined" => "未定义的值",
            "bool" => "是/否",
            "sequence" | "iterator" => "列表",
            "map" | "plain object" => "表格的一行或一条记录",
            other => other,
        }
        .to_owned()
    };
    if let Some(rest) = detail.strip_prefix("tried to use ")
        && let Some((op, types)) = rest.split_once(" operator on unsupported types ")
        && let Some((a, b)) = types.split_once(" and ")
    {
        // `undefined and number (`统计.x` is undefined)`: the name, when the engine gives it.
        let (b, named) = match b.split_once(" (`") {
            Some((b, rest)) => (b, rest.split_once('`').map(|(name, _)| name)),
            None => (b, None),
        };
        if a.trim() == "undefined" || b.trim() == "undefined" {
            let name = named.map(|n| format!(" {n}")).unwrap_or_default();
            return Some(format!(
                "{op} 运算的一边是未定义的值{name}：数据里没有这一项，或名字写错了。请检查这一行用到的名字；运行 huibao context 可查看能用的全部变量"
            ));
        }
        let hint = match op {
            "+" | "~" => "把数字和文字连在一起请分开写：{{ a }}{{ b }}；",
            _ => "",
        };
        return Some(format!(
            "不能对{}和{}做 {op} 运算。{hint}请检查运算两边的值",
            kind(a),
            kind(b)
        ));
    }
    if let Some(expr) = detail.strip_prefix("unable to calculate ") {
        return Some(format!(
            "无法计算 {expr}（除数为 0，或结果超出范围）。请先用 {{% if … %}} 判断除数不为 0"
        ));
    }
    if let Some(k) = detail.strip_prefix("can only sum numbers, got ") {
        return Some(format!(
            "sum 只能把数字加起来，这里有{}。空的单元格请先用 selectattr(\"列名\") 筛掉",
            kind(k)
        ));
    }
    if let Some(k) = detail.strip_prefix("cannot join value of type ") {
        return Some(format!("join 需要一个列表，这里是{}", kind(k)));
    }
    if let Some(k) = detail.strip_prefix("cannot calculate length of value of type ") {
        return Some(format!("length 不能用于{}", kind(k)));
    }
    if let Some(k) = detail.strip_suffix(" is not iterable") {
        return Some(format!(
            "{}不是列表，不能逐项处理（for、map、join 等）",
            kind(k)
        ));
    }
    match detail {
        "recursion limit exceeded" => {
            Some("模板嵌套或递归的层数太多（可能是模板互相 include）".to_owned())
        }
        "value is not iterable" | "cannot convert value to list" => {
            Some("这个值不是列表，不能逐项处理（for、map、join 等）".to_owned())
        }
        _ => None,
    }
}

/// The parser's English for the syntax errors a template author meets most, in Chinese; the
/// original kept in brackets for the rest.
fn syntax_in_chinese(detail: &str) -> String {
    let known: &[(&str, &str)] = &[
        (
            "unexpected end of input",
            "模板在中途结束了，有没闭合的 {{ 或 {%",
        ),
        (
            "unknown statement end",
            "多余的结束标签，前面没有与它对应的开始标签",
        ),
        (
            "unknown statement",
            "不认识的语句（{% 后面只能是 for、if、set、include 等）",
        ),
        (
            "unexpected `}`, expected end of variable block",
            "{{ … }} 要以 }} 结尾，这里只有一个 }",
        ),
        (
            "unexpected `}`",
            "这里的 } 用得不对：{{ … }} 要以 }} 结尾，{% … %} 要以 %} 结尾",
        ),
        ("expected end of variable block", "{{ … }} 没有正确结束"),
        ("expected end of block", "{% … %} 没有正确结束"),
        (
            "unexpected end of block",
            "多余的结束标签，前面没有与它对应的开始标签",
        ),
        (
            "unexpected endfor",
            "多余的 {% endfor %}，前面没有对应的 {% for %}",
        ),
        (
            "unexpected endif",
            "多余的 {% endif %}，前面没有对应的 {% if %}",
        ),
    ];
    for (english, chinese) in known {
        if detail.contains(english) {
            return format!("{chinese}（{detail}）");
        }
    }
    format!("写法有误（{detail}）")
}

#[cfg(test)]
mod unclosed_tests {
    use super::unclosed;

    #[test]
    fn finds_the_innermost_open_block_and_survives_odd_tags() {
        assert_eq!(
            unclosed("{% for a in b %}\n{% if a %}\n{% endif %}"),
            Some((1, "for".into()))
        );
        assert_eq!(unclosed("{% if a %}{% endif %}"), None);
        // Found by fuzzing: a tag that closes where it opens made a slice end before it began.
        assert_eq!(unclosed("x {%} y"), None);
        assert_eq!(unclosed("{%"), None);
    }
}
