//! The `table` filter: a table source (or any list of rows) as a pipe table in the markup,
//! every cell escaped like all data, so the Word document gets an official table.
//!
//! `{{ 活动清单 | table(["日期", "活动名称", "类别"]) }}` on a line of its own (with a blank line
//! before and after) gives a header row with those names and one row per item. Keyword
//! arguments: `headers` (other names for the header row), `align` (one of `left`, `center`,
//! `right` per column; default: the header centred and the body flush left) and `empty` (what
//! an empty cell shows; without it an empty cell is an error, never a silent blank).

use minijinja::value::{Kwargs, ValueKind};
use minijinja::{Error, ErrorKind, Value};

use crate::markup;

fn invalid(message: String) -> Error {
    Error::new(ErrorKind::InvalidOperation, message)
}

pub fn table(rows: Value, columns: Vec<String>, kwargs: Kwargs) -> Result<Value, Error> {
    let headers: Option<Vec<String>> = kwargs.get("headers")?;
    let align: Option<Vec<String>> = kwargs.get("align")?;
    let empty: Option<String> = kwargs.get("empty")?;
    kwargs.assert_all_used()?;
    if columns.is_empty() {
        return Err(invalid(
            "table 需要列出要显示的列，如 table([\"日期\", \"活动名称\"])".into(),
        ));
    }
    let headers = headers.unwrap_or_else(|| columns.clone());
    if headers.len() != columns.len() {
        return Err(invalid(format!(
            "table 的 headers 有 {} 个名称，列却有 {} 个：两者要一一对应",
            headers.len(),
            columns.len()
        )));
    }
    let delimiters = match &align {
        None => vec!["---"; columns.len()],
        Some(align) if align.len() == columns.len() => align
            .iter()
            .map(|a| match a.as_str() {
                "left" | "左" => Ok(":---"),
                "center" | "中" => Ok(":---:"),
                "right" | "右" => Ok("---:"),
                other => Err(invalid(format!(
                    "table 的 align 只能是 left、center 或 right（左、中、右），得到的是“{other}”"
                ))),
            })
            .collect::<Result<_, _>>()?,
        Some(align) => {
            return Err(invalid(format!(
                "table 的 align 有 {} 项，列却有 {} 个：每列一项",
                align.len(),
                columns.len()
            )));
        }
    };
    let line = |cells: Vec<String>| format!("| {} |", cells.join(" | "));
    let mut lines = vec![
        line(
            headers
                .iter()
                .map(|h| cell_text(h))
                .collect::<Result<_, _>>()?,
        ),
        line(delimiters.iter().map(|d| d.to_string()).collect()),
    ];
    let iter = rows
        .try_iter()
        .map_err(|_| invalid("table 需要一张表（多行数据）".into()))?;
    for (index, row) in iter.enumerate() {
        let mut cells = Vec::with_capacity(columns.len());
        for column in &columns {
            let value = row.get_attr(column).unwrap_or(Value::UNDEFINED);
            let text = match value.kind() {
                ValueKind::Undefined if !has_column(&row, column) => {
                    return Err(invalid(format!(
                        "table：表中没有“{column}”列{}",
                        known_columns(&row)
                    )));
                }
                ValueKind::Undefined | ValueKind::None => match &empty {
                    Some(empty) => empty.clone(),
                    None => {
                        return Err(invalid(format!(
                            "table：第 {} 行的“{column}”是空的。请填写，或用 table(…, empty=\"—\") 指定空格子显示的文字",
                            index + 1
                        )));
                    }
                },
                ValueKind::Bool => if value.is_true() { "是" } else { "否" }.to_owned(),
                ValueKind::Seq | ValueKind::Map | ValueKind::Iterable => {
                    return Err(invalid(format!(
                        "table：第 {} 行的“{column}”不是单个值",
                        index + 1
                    )));
                }
                _ => value.to_string(),
            };
            cells.push(cell_text(&text)?);
        }
        lines.push(line(cells));
    }
    Ok(Value::from_safe_string(lines.join("\n")))
}

/// A cell's text escaped for the markup; a line break would end the table, so it is an error.
fn cell_text(text: &str) -> Result<String, Error> {
    if text.contains(['\n', '\r']) {
        return Err(invalid(format!(
            "table：“{}”中有换行，表格的格子里不能换行",
            text.lines().next().unwrap_or_default()
        )));
    }
    Ok(markup::escape(text.trim()))
}

fn has_column(row: &Value, column: &str) -> bool {
    row.try_iter()
        .map(|mut keys| keys.any(|k| k.as_str() == Some(column)))
        .unwrap_or(false)
}

fn known_columns(row: &Value) -> String {
    let names: Vec<String> = row
        .try_iter()
        .map(|keys| keys.filter_map(|k| k.as_str().map(str::to_owned)).collect())
        .unwrap_or_default();
    let candidates: Vec<&str> = names.iter().map(String::as_str).collect();
    if names.is_empty() {
        String::new()
    } else {
        format!("；现有的列：{}", candidates.join("、"))
    }
}

#[cfg(test)]
mod tests {
    use minijinja::{Environment, context};

    fn render(source: &str) -> Result<String, minijinja::Error> {
        let mut env = Environment::new();
        env.add_filter("table", super::table);
        let rows = vec![
            context! { 类别 => "主题|活动", 项数 => 5, 备注 => () },
            context! { 类别 => "**红色**教育", 项数 => 2, 备注 => "无" },
        ];
        env.render_str(source, context! { 表 => rows })
    }

    #[test]
    fn rows_become_a_pipe_table_with_cells_escaped() {
        let out = render(
            "{{ 表 | table(['类别', '项数'], headers=['类别', '活动项数'], align=['left', 'right']) }}",
        );
        assert_eq!(
            out.unwrap(),
            "| 类别 | 活动项数 |\n| :--- | ---: |\n| 主题\\|活动 | 5 |\n| \\*\\*红色\\*\\*教育 | 2 |"
        );
    }

    #[test]
    fn empty_cells_and_unknown_columns_are_errors() {
        let err = render("{{ 表 | table(['类别', '备注']) }}").unwrap_err();
        assert!(err.to_string().contains("第 1 行的“备注”是空的"), "{err}");
        let out = render("{{ 表 | table(['备注'], empty='—') }}").unwrap();
        assert!(out.ends_with("| — |\n| 无 |"), "{out}");
        let err = render("{{ 表 | table(['类型']) }}").unwrap_err();
        assert!(err.to_string().contains("没有“类型”列"), "{err}");
        assert!(err.to_string().contains("类别"), "{err}");
        let err = render("{{ 表 | table(['类别'], align=['middle']) }}").unwrap_err();
        assert!(err.to_string().contains("align"), "{err}");
    }
}
