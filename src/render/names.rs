//! The filters and tests a template names (`| yoy(…)`, `is defined`), checked to exist before
//! any data is read. The engine looks a filter up only when it runs, so a misspelt one inside a
//! branch no data reaches (`{% if prev is defined %}…| yo(…)…{% endif %}`) would pass `check`
//! this year and fail every department's build next year.

use std::collections::HashMap;
use std::sync::Mutex;

use minijinja::{Environment, ErrorKind};

use super::fields::Problem;

/// What a name after `|` or `is` is.
#[derive(Clone, Copy, PartialEq, Eq, Hash, Debug)]
enum Called {
    Filter,
    Test,
}

/// What is known of the names looked up so far: whether each exists. Narrative cells are
/// checked for every department, and most name the same few filters.
#[derive(Default)]
pub struct Known(Mutex<HashMap<(Called, String), bool>>);

/// Each filter and test `source` names that `env` does not know, at its line.
pub fn check(env: &Environment, known: &Known, source: &str) -> Vec<Problem> {
    let mut problems: Vec<Problem> = Vec::new();
    let mut seen = std::collections::HashSet::new();
    for (line, called, name) in called(source) {
        if !seen.insert((called, name.clone())) {
            continue;
        }
        let mut cache = known.0.lock().unwrap_or_else(|p| p.into_inner());
        let exists = *cache
            .entry((called, name.clone()))
            .or_insert_with(|| exists(env, called, &name));
        drop(cache);
        if !exists {
            let what = match called {
                Called::Filter => "过滤器",
                Called::Test => "判断",
            };
            problems.push((
                line,
                format!(
                    "没有名为 {name} 的{what}。请检查拼写（可用的过滤器见 README 的 Filters 一节）"
                ),
            ));
        }
    }
    problems
}

/// Whether `env` has the filter or test `name`: a call of it on nothing fails for any other
/// reason than its being unknown.
fn exists(env: &Environment, called: Called, name: &str) -> bool {
    let (probe, unknown) = match called {
        Called::Filter => (format!("{{{{ none | {name} }}}}"), ErrorKind::UnknownFilter),
        Called::Test => (
            format!("{{% if none is {name} %}}{{% endif %}}"),
            ErrorKind::UnknownTest,
        ),
    };
    !env.render_str(&probe, ())
        .is_err_and(|e| e.kind() == unknown)
}

/// `source` with its comments (`{# … #}`) and the text of its `{% raw %}` blocks blanked out,
/// line breaks kept: what is there is never run.
fn run_only(source: &str) -> String {
    let mut out = String::with_capacity(source.len());
    let mut rest = source;
    let blank = |text: &str| {
        text.chars()
            .map(|c| if c == '\n' { '\n' } else { ' ' })
            .collect::<String>()
    };
    loop {
        let comment = rest.find("{#");
        let raw = raw_start(rest);
        let (start, end) = match (comment, raw) {
            (Some(c), r) if r.is_none_or(|(r, _)| c < r) => {
                let end = rest[c..].find("#}").map_or(rest.len(), |e| c + e + 2);
                (c, end)
            }
            (_, Some((r, body))) => {
                let end = rest[body..]
                    .find("endraw")
                    .and_then(|e| rest[body + e..].find("%}").map(|f| body + e + f + 2))
                    .unwrap_or(rest.len());
                (r, end)
            }
            _ => {
                out.push_str(rest);
                return out;
            }
        };
        out.push_str(&rest[..start]);
        out.push_str(&blank(&rest[start..end]));
        rest = &rest[end..];
    }
}

/// Where the first `{% raw %}` tag of `text` starts, and where its body does.
fn raw_start(text: &str) -> Option<(usize, usize)> {
    let mut from = 0;
    while let Some(i) = text[from..].find("{%") {
        let start = from + i;
        let inner = text[start + 2..]
            .trim_start_matches(['-', '+'])
            .trim_start();
        if let Some(after) = inner.strip_prefix("raw") {
            let after_tag = after.trim_start().trim_start_matches(['-', '+']);
            if after_tag.starts_with("%}") {
                let body = text.len() - after_tag.len() + 2;
                return Some((start, body));
            }
        }
        from = start + 2;
    }
    None
}

/// The names after `|` (filters) and after `is` or `is not` (tests) inside the tags of
/// `source`, with their lines; string literals, comments and raw blocks are skipped.
fn called(source: &str) -> Vec<(usize, Called, String)> {
    let source = &run_only(source);
    let mut found = Vec::new();
    let mut line = 1;
    let mut chars = source.char_indices().peekable();
    let mut in_tag = false;
    let mut last_word = String::new();
    let mut before_last = String::new();
    while let Some((_, c)) = chars.next() {
        if c == '\n' {
            line += 1;
        }
        if !in_tag {
            if c == '{' && matches!(chars.peek(), Some((_, '{' | '%'))) {
                chars.next();
                in_tag = true;
                last_word.clear();
                before_last.clear();
            }
            continue;
        }
        match c {
            '}' | '%' if matches!(chars.peek(), Some((_, '}'))) => {
                chars.next();
                in_tag = false;
            }
            '"' | '\'' => {
                // A string literal, its escapes included.
                while let Some((_, s)) = chars.next() {
                    match s {
                        '\\' => {
                            chars.next();
                        }
                        '\n' => line += 1,
                        s if s == c => break,
                        _ => {}
                    }
                }
            }
            '|' => {
                while chars.next_if(|(_, c)| *c == ' ' || *c == '\t').is_some() {}
                let name = word(&mut chars);
                if !name.is_empty() {
                    found.push((line, Called::Filter, name));
                }
            }
            c if c.is_alphanumeric() || c == '_' => {
                let mut w = c.to_string();
                w.push_str(&word(&mut chars));
                match (before_last.as_str(), last_word.as_str(), w.as_str()) {
                    (_, "is", "not") => {}
                    (_, "is", name) | ("is", "not", name) => {
                        found.push((line, Called::Test, name.to_owned()))
                    }
                    _ => {}
                }
                before_last = std::mem::take(&mut last_word);
                last_word = w;
            }
            c if c.is_whitespace() => {}
            _ => {
                last_word.clear();
                before_last.clear();
            }
        }
    }
    found
}

/// The identifier (or the rest of one) starting at the next character.
fn word(chars: &mut std::iter::Peekable<std::str::CharIndices>) -> String {
    let mut w = String::new();
    while let Some((_, c)) = chars.next_if(|(_, c)| c.is_alphanumeric() || *c == '_') {
        w.push(c);
    }
    w
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn comments_and_raw_blocks_are_not_run() {
        let source = "{# {{ x | yoy_old }} #}甲{% raw %}{{ y | nosuch }}{% endraw %}\n\
            {#- {{ 注释 -#} 甲 | 乙，这是 is 判断 {{ z | thousands }}\n{%- raw -%}{{ w | no }}{%- endraw -%}";
        let names: Vec<(usize, String)> =
            called(source).into_iter().map(|(l, _, n)| (l, n)).collect();
        assert_eq!(names, vec![(2, "thousands".to_owned())]);
    }

    #[test]
    fn finds_the_filters_and_tests_named_in_tags_not_in_text_or_strings() {
        let source = "共{{ x | yoy(prev.x, unit=\"个|项\") }}项 | 不是过滤器\n\
            {% if prev is defined and y is not numbr %}{{ 活动 | map(attribute='a') | join_cn }}{% endif %}";
        let names: Vec<(usize, bool, String)> = called(source)
            .into_iter()
            .map(|(l, c, n)| (l, c == Called::Filter, n))
            .collect();
        assert_eq!(
            names,
            vec![
                (1, true, "yoy".to_owned()),
                (2, false, "defined".to_owned()),
                (2, false, "numbr".to_owned()),
                (2, true, "map".to_owned()),
                (2, true, "join_cn".to_owned()),
            ]
        );
    }
}
