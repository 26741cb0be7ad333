//! Static checks of the fields and columns a template reads, before any data is read.
//!
//! minijinja tells which variables a template reads, with their attribute paths
//! (`统计.烈士集中安葬点`), in every branch, taken or not. That covers a record's fields. A
//! table's columns are read through a loop variable (`{% for 行 in 活动清单 %}{{ 行.参与人数 }}`)
//! or named in a filter (`selectattr("类别")`, `map(attribute="参与人数")`, `groupby("类别")`),
//! which the template engine does not follow; those are found in the tags' text. A name the
//! manifest does not declare is an error at the line that uses it, so a typo in a branch no
//! data reaches (`{% if prev is defined %}`) fails this year's `check`, not next year's build.

use std::collections::HashMap;

use crate::manifest::{Manifest, Shape, Source};

/// One problem: the line (1-based) in the template's source, and the message.
pub type Problem = (usize, String);

/// Filters that keep a table's rows as rows, so a loop over their result still sees columns.
const ROW_FILTERS: &[&str] = &[
    "selectattr",
    "rejectattr",
    "sort",
    "reverse",
    "unique",
    "list",
];

/// Checks `source` (a template's text) whose variables minijinja found to be `paths`.
pub fn check(source: &str, paths: &[String], manifest: &Manifest) -> Vec<Problem> {
    let mut problems = Vec::new();
    let line_of = |needle: &str| {
        source
            .lines()
            .position(|l| l.contains(needle))
            .map_or(1, |i| i + 1)
    };
    // Attribute paths on the sources themselves: `统计.烈士`, `prev.统计.烈士`.
    for path in paths {
        let parts: Vec<&str> = path.split('.').collect();
        let parts = match parts.as_slice() {
            ["prev", rest @ ..] => rest,
            all => all,
        };
        let [var, attr, ..] = parts else { continue };
        let Some(source_decl) = manifest.sources.iter().find(|s| s.var == *var) else {
            continue;
        };
        match &source_decl.shape {
            Shape::Record { fields, other: None } => {
                if !fields.iter().any(|f| f.name.trim() == *attr) {
                    problems.push((
                        line_of(&format!("{var}.{attr}")),
                        format!(
                            "用到了“{var}”中没有声明的项目“{attr}”。请检查拼写，或在 report.toml 中声明它（现有：{}）",
                            names(source_decl).join("、")
                        ),
                    ));
                }
            }
            Shape::Record { .. } => {}
            Shape::Table { .. } if attr.chars().all(|c| c.is_ascii_digit()) => {}
            Shape::Table { .. } => problems.push((
                line_of(&format!("{var}.{attr}")),
                format!(
                    "“{var}”是一张表（多行），不能直接取“{attr}”。请用 {{% for 行 in {var} %}} 逐行取 行.{attr}"
                ),
            )),
        }
    }
    // Columns through loop variables and filter arguments, tag by tag.
    let tables: HashMap<&str, &Source> = manifest
        .sources
        .iter()
        .filter(|s| matches!(s.shape, Shape::Table { .. }))
        .map(|s| (s.var.as_str(), s))
        .collect();
    // The loops open at each tag: a loop variable names a table's rows from its `for` to its
    // `endfor`, the innermost binding of a name winning.
    let mut loops: Vec<Option<(String, &Source)>> = Vec::new();
    for (offset, tag) in tags(source) {
        let line = source[..offset].matches('\n').count() + 1;
        if tag.starts_with("for ") {
            loops.push(loop_binding(tag, &tables));
        } else if tag.starts_with("endfor") {
            loops.pop();
        }
        let mut seen: Vec<&str> = Vec::new();
        for (var, table) in loops.iter().rev().flatten() {
            if seen.contains(&var.as_str()) {
                continue; // shadowed by an inner loop
            }
            seen.push(var);
            for attr in attributes_of(tag, var) {
                if !names(table).contains(&attr) {
                    problems.push((line, unknown_column(table, &attr)));
                }
            }
        }
        for (var, table) in &tables {
            for attr in chain_attributes(tag, var) {
                if !names(table).contains(&attr) {
                    problems.push((line, unknown_column(table, &attr)));
                }
            }
        }
    }
    problems.sort();
    problems.dedup();
    problems
}

/// The columns of the table `var` that `source` (a template's text) reads: through a loop
/// variable (`行.活动名称`), a filter's arguments (`map(attribute="活动名称")`) or an index
/// (`活动清单[0].活动名称`). Last year's rows (`prev.活动清单`) are left out. What is read
/// past a `groupby` is not followed.
pub fn table_columns_read(source: &str, manifest: &Manifest, var: &str) -> Vec<String> {
    let Some(table) = manifest
        .sources
        .iter()
        .find(|s| s.var == var && matches!(s.shape, Shape::Table { .. }))
    else {
        return Vec::new();
    };
    let text = source.replace(&format!("prev.{var}"), "");
    let tables: HashMap<&str, &Source> = HashMap::from([(var, table)]);
    let mut found = Vec::new();
    let mut loops: Vec<Option<(String, &Source)>> = Vec::new();
    for (_, tag) in tags(&text) {
        if tag.starts_with("for ") {
            loops.push(loop_binding(tag, &tables));
        } else if tag.starts_with("endfor") {
            loops.pop();
        }
        for (loop_var, _) in loops.iter().flatten() {
            found.extend(attributes_of(tag, loop_var));
        }
        found.extend(chain_attributes(tag, var));
        for end in mentions(tag, var) {
            let Some(index) = tag[end..].strip_prefix('[') else {
                continue;
            };
            let Some(close) = index.find(']') else {
                continue;
            };
            let after = &index[close + 1..];
            if let Some(rest) = after.strip_prefix('.') {
                found.push(rest.chars().take_while(|&c| is_ident(c)).collect());
            } else if let Some(rest) = after.strip_prefix('[') {
                found.extend(quoted(rest.trim_start()));
            }
        }
    }
    found
}

fn unknown_column(source: &Source, column: &str) -> String {
    format!(
        "用到了表“{}”中没有声明的列“{column}”。请检查拼写，或在 report.toml 的 columns 中声明它（现有：{}）",
        source.var,
        names(source).join("、")
    )
}

/// The declared names of a source's columns or fields.
fn names(source: &Source) -> Vec<String> {
    match &source.shape {
        Shape::Table { columns } => columns.iter().map(|c| c.name.trim().to_owned()).collect(),
        Shape::Record { fields, .. } => fields.iter().map(|c| c.name.trim().to_owned()).collect(),
    }
}

/// The text inside every `{{ … }}` and `{% … %}`, with its byte offset.
fn tags(source: &str) -> Vec<(usize, &str)> {
    let mut tags = Vec::new();
    let mut rest = 0;
    while let Some(start) = source[rest..].find(['{']).map(|i| rest + i) {
        let close = match source.get(start..start + 2) {
            Some("{{") => "}}",
            Some("{%") => "%}",
            _ => {
                rest = start + 1;
                continue;
            }
        };
        let Some(end) = source[start + 2..].find(close).map(|i| start + 2 + i) else {
            break;
        };
        tags.push((
            start,
            source[start + 2..end].trim_matches(['-', '+', ' ', '\n', '\t']),
        ));
        rest = end + 2;
    }
    tags
}

fn is_ident(c: char) -> bool {
    c.is_alphanumeric() || c == '_'
}

/// Where `tag` names the table `var` as a whole word (`活动清单`, `prev.活动清单`): the byte
/// offsets just after each mention.
fn mentions<'t>(tag: &'t str, var: &'t str) -> impl Iterator<Item = usize> + 't {
    tag.match_indices(var).filter_map(move |(i, _)| {
        let before = tag[..i].chars().next_back();
        let after = tag[i + var.len()..].chars().next();
        let whole = !before.is_some_and(|c| is_ident(c) && c != '.')
            && !before.is_some_and(|c| c == '.' && !tag[..i].ends_with("prev."))
            && !after.is_some_and(is_ident);
        whole.then_some(i + var.len())
    })
}

/// The columns named in the filters applied to the table `var`'s rows in `tag`:
/// `活动清单 | selectattr("类别") | map(attribute="参与人数")`. Filters that keep rows pass them
/// on; the first that makes something else of them (`map`, `groupby`, `sum`) is the last
/// whose arguments name columns.
fn chain_attributes(tag: &str, var: &str) -> Vec<String> {
    let mut found = Vec::new();
    for start in mentions(tag, var) {
        let mut rest = &tag[start..];
        while let Some(after_bar) = rest.trim_start().strip_prefix('|') {
            let after_bar = after_bar.trim_start();
            let name: String = after_bar.chars().take_while(|&c| is_ident(c)).collect();
            if name.is_empty() {
                break;
            }
            let after_name = &after_bar[name.len()..];
            let (args, next) = match after_name.strip_prefix('(') {
                Some(inner) => match closing_paren(inner) {
                    Some(end) => (&inner[..end], &inner[end + 1..]),
                    None => break,
                },
                None => ("", after_name),
            };
            found.extend(filter_attributes(&name, args));
            if !ROW_FILTERS.contains(&name.as_str()) {
                break;
            }
            rest = next;
        }
    }
    found
}

/// Where the parenthesis opened just before `text` closes, skipping quoted strings.
fn closing_paren(text: &str) -> Option<usize> {
    let mut depth = 0usize;
    let mut quote: Option<char> = None;
    for (i, c) in text.char_indices() {
        match (quote, c) {
            (Some(q), c) if c == q => quote = None,
            (Some(_), _) => {}
            (None, '"' | '\'') => quote = Some(c),
            (None, '(') => depth += 1,
            (None, ')') if depth == 0 => return Some(i),
            (None, ')') => depth -= 1,
            _ => {}
        }
    }
    None
}

/// `for 行 in 活动清单 | selectattr(…)`: the loop variable and the table whose rows it takes.
fn loop_binding<'a>(tag: &str, tables: &HashMap<&str, &'a Source>) -> Option<(String, &'a Source)> {
    let rest = tag.strip_prefix("for ")?;
    let (var, iterable) = rest.split_once(" in ")?;
    let var = var.trim();
    if !var.chars().all(is_ident) {
        return None; // `for a, b in …` unpacks something else
    }
    let iterable = iterable.split(" if ").next()?.split(" recursive").next()?;
    let mut filters = iterable.split('|');
    let head = filters.next()?.trim();
    let head = head.strip_prefix("prev.").unwrap_or(head);
    let table = tables.get(head)?;
    let keeps_rows = filters.all(|f| {
        let name = f.trim().split(['(', ' ']).next().unwrap_or("");
        ROW_FILTERS.contains(&name)
    });
    keeps_rows.then(|| (var.to_owned(), *table))
}

/// The attributes read from `var` in `tag`: `var.名称` and `var["名称"]`.
fn attributes_of(tag: &str, var: &str) -> Vec<String> {
    let mut found = Vec::new();
    for (i, _) in tag.match_indices(var) {
        if tag[..i]
            .chars()
            .next_back()
            .is_some_and(|c| is_ident(c) || c == '.')
        {
            continue;
        }
        let after = &tag[i + var.len()..];
        if let Some(rest) = after.strip_prefix('.') {
            let name: String = rest.chars().take_while(|&c| is_ident(c)).collect();
            if !name.is_empty() && !name.chars().all(|c| c.is_ascii_digit()) {
                found.push(name);
            }
        } else if let Some(rest) = after.strip_prefix('[') {
            if let Some(name) = quoted(rest.trim_start()) {
                found.push(name);
            }
        } else if after.starts_with(|c: char| is_ident(c)) {
            continue;
        }
    }
    found
}

/// The column names one filter's arguments give: the first argument of `selectattr`,
/// `rejectattr` and `groupby`, and any `attribute="参与人数"`.
fn filter_attributes(filter: &str, args: &str) -> Vec<String> {
    let mut found = Vec::new();
    if matches!(filter, "selectattr" | "rejectattr" | "groupby")
        && let Some(name) = quoted(args.trim_start())
    {
        found.push(name);
    }
    // `table(["日期", "活动名称"], …)`: the columns listed first.
    if filter == "table"
        && let Some(list) = args.trim_start().strip_prefix('[')
        && let Some(end) = list.find(']')
    {
        found.extend(
            list[..end]
                .split(',')
                .filter_map(|item| quoted(item.trim())),
        );
    }
    for (i, _) in args.match_indices("attribute") {
        let rest = args[i + "attribute".len()..].trim_start();
        if let Some(rest) = rest.strip_prefix('=')
            && let Some(name) = quoted(rest.trim_start())
        {
            // `sort(attribute="日期, 活动名称")`: by several columns.
            match filter {
                "sort" => found.extend(name.split(',').map(|n| n.trim().to_owned())),
                _ => found.push(name),
            }
        }
    }
    found
}

/// The string at the start of `text` in single or double quotes.
fn quoted(text: &str) -> Option<String> {
    let quote = text.chars().next().filter(|c| *c == '"' || *c == '\'')?;
    let rest = &text[1..];
    let end = rest.find(quote)?;
    Some(rest[..end].to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::manifest::Manifest;
    use std::path::Path;

    fn manifest() -> Manifest {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("a.md"), "").unwrap();
        let text = r#"
title = "t"
sections = ["a.md"]
[[sources]]
sheet = "概况"
shape = "record"
fields = [{ name = "开篇" }]
[[sources]]
sheet = "统计"
shape = "record"
other = "number"
[[sources]]
sheet = "活动清单"
shape = "table"
columns = [{ name = "类别" }, { name = "参与人数", type = "integer" }]
"#;
        Manifest::parse("k", dir.path(), Path::new("report.toml"), text).unwrap()
    }

    fn problems(source: &str) -> Vec<Problem> {
        let env = minijinja::Environment::new();
        let template = env.template_from_str(source).unwrap();
        let paths: Vec<String> = template.undeclared_variables(true).into_iter().collect();
        check(source, &paths, &manifest())
    }

    #[test]
    fn declared_names_pass() {
        let ok = "{{ 概况.开篇 }}{{ 统计.任意 }}\n{% for 行 in 活动清单 | selectattr(\"类别\", \"eq\", \"甲\") %}{{ 行.参与人数 }}{% endfor %}\n{{ 活动清单 | map(attribute=\"参与人数\") | sum }}{% for 组 in 活动清单 | groupby(\"类别\") %}{{ 组.grouper }}{{ 组.list | length }}{% endfor %}";
        assert_eq!(problems(ok), vec![]);
    }

    #[test]
    fn typos_are_found_in_branches_no_data_reaches() {
        let found = problems(
            "{% if prev is defined %}\n{{ prev.概况.开片 }}\n{% for 行 in prev.活动清单 %}{{ 行.参与人速 }}{% endfor %}\n{{ 活动清单 | selectattr(\"类目\") | list | length }}\n{% endif %}",
        );
        let lines: Vec<usize> = found.iter().map(|(l, _)| *l).collect();
        assert_eq!(lines, vec![2, 3, 4], "{found:?}");
        assert!(found[0].1.contains("开片"), "{found:?}");
        assert!(found[1].1.contains("参与人速"), "{found:?}");
        assert!(found[2].1.contains("类目"), "{found:?}");
    }

    #[test]
    fn loops_and_filter_chains_are_followed_where_they_hold() {
        // A loop variable reused over groups after a loop over rows; an attribute of the groups.
        let ok = "{% for 项 in 活动清单 %}{{ 项.类别 }}{% endfor %}\n{% for 项 in 活动清单 | groupby(\"类别\") %}{{ 项.grouper }}{% endfor %}\n{{ 活动清单 | groupby(\"类别\") | map(attribute=\"grouper\") | join(\"、\") }}";
        assert_eq!(problems(ok), vec![]);
        let found = problems(
            "{% for 项 in 活动清单 %}{% for 组 in 活动清单 | groupby(\"类别\") %}{{ 组.grouper }}{{ 项.类目 }}{% endfor %}{% endfor %}",
        );
        assert_eq!(found.len(), 1, "{found:?}");
        assert!(found[0].1.contains("类目"), "{found:?}");
    }

    #[test]
    fn the_table_filters_columns_are_checked() {
        assert_eq!(
            problems("{{ 活动清单 | table([\"参与人数\", '类别']) }}"),
            vec![]
        );
        let found = problems("\n{{ 活动清单 | table([\"类别\", \"类型\"], empty=\"—\") }}");
        assert_eq!(found.len(), 1, "{found:?}");
        assert_eq!(found[0].0, 2);
        assert!(found[0].1.contains("类型"), "{found:?}");
    }

    #[test]
    fn a_table_has_no_attributes_of_its_own() {
        let found = problems("{{ 活动清单.类别 }}");
        assert_eq!(found.len(), 1, "{found:?}");
        assert!(found[0].1.contains("逐行取"), "{found:?}");
    }
}
