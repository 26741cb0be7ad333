//! From a read grid to the declared shape: a table (header row, then rows) or a record
//! (keys in the first column, values in the second).

use std::collections::HashMap;
use std::sync::Arc;

use super::typing::{convert, fold_width, parse_number, parse_percent, text_of};
use super::{Cell, Grid, GridRow, Raw, Row, Value};
use crate::diagnostics::{Error, Location, Note, Result, Spot, cell_name};
use crate::manifest::Column;

/// How headers and keys are compared: full-width forms folded to ASCII and every space
/// removed, so `参与人数 `, `参与 人数` and `参与人数` match, and `ＩＤ` is `ID`.
pub fn normalize(name: &str) -> String {
    name.chars()
        .map(fold_width)
        .filter(|c| !c.is_whitespace())
        .collect()
}

fn header_key(raw: &Raw) -> String {
    normalize(&text_of(raw))
}

/// A header or key without a unit in brackets at its end: `表彰人数（人）` and `金额(万元)` name
/// the columns `表彰人数` and `金额`, so a unit moved out of the cells into the header (as the
/// messages advise) keeps the column found. Works on normalised and on written names alike
/// (full-width brackets included); none when there is no such unit.
pub fn without_unit(name: &str) -> Option<&str> {
    let name = name.trim_end();
    let open = if name.ends_with(')') {
        '('
    } else if name.ends_with('）') {
        '（'
    } else {
        return None;
    };
    let start = name.rfind(open).filter(|&i| i > 0)?;
    Some(name[..start].trim_end())
}

/// How many rows from the top a header row is looked for in: title rows
/// (`2022年主题活动清单`), blank rows and a subtitle may come first.
const HEADER_SEARCH: usize = 10;

/// A row that only holds a note under the table (`填表人：…`, `说明：…`) ends the table: one
/// filled cell, starting with one of these words and a colon.
const NOTE_PREFIXES: &[&str] = &[
    "填表人",
    "填报人",
    "制表人",
    "制表",
    "统计人",
    "审核人",
    "审核",
    "复核人",
    "复核",
    "审批人",
    "负责人",
    "单位负责人",
    "主要负责人",
    "分管负责人",
    "分管领导",
    "联系人",
    "联系电话",
    "填表日期",
    "填报日期",
    "制表日期",
    "报送日期",
    "说明",
    "注",
    "备注",
];

/// A row whose every filled cell is such a note (`填表人：张三` and, further right,
/// `联系电话：…`), or a label (`填表人：`, `填表人（签字）：`) and, in the next filled cell, its value.
fn is_note(row: &GridRow) -> bool {
    let mut filled = row.cells.iter().filter(|c| !c.is_blank()).peekable();
    if filled.peek().is_none() {
        return false;
    }
    let mut value_next = false;
    for cell in filled {
        if std::mem::take(&mut value_next) {
            continue; // the value of the bare label before it
        }
        match note_label(cell) {
            Some(bare) => value_next = bare,
            None => return false,
        }
    }
    true
}

/// Whether a cell is a note (`填表人：张三`, `注1`): `Some(true)` when it is a bare label whose
/// value is in the next cell (`填表人：`).
fn note_label(cell: &Raw) -> Option<bool> {
    // Most rows are data: told apart by their first character, without normalising.
    let Raw::Text(text) = cell else {
        return None;
    };
    let first = text.trim_start().chars().next();
    if !NOTE_PREFIXES.iter().any(|p| p.chars().next() == first) {
        return None;
    }
    let text = header_key(cell);
    NOTE_PREFIXES.iter().find_map(|p| {
        let rest = text.strip_prefix(p)?;
        // `填表人（签字）：`: a word in brackets before the colon.
        let rest = match rest.strip_prefix('(') {
            Some(inner) => &inner[inner.find(')')? + 1..],
            None => rest,
        };
        match rest.strip_prefix(':') {
            Some(value) => Some(value.is_empty()),
            None if *p == "注" && rest.starts_with(|c: char| c.is_ascii_digit()) => Some(false),
            None => None,
        }
    })
}

/// The rows of a table or record up to its first note row, and a note when rows that look
/// like data (two or more cells) follow it, since those are not read.
fn until_note<'a>(
    grid: &Grid,
    rows: &'a [GridRow],
    data: impl Fn(&GridRow) -> bool,
) -> (&'a [GridRow], Option<Note>) {
    let Some(end) = rows.iter().position(|r| is_note(r) && !data(r)) else {
        return (rows, None);
    };
    let skipped = rows[end + 1..]
        .iter()
        .filter(|r| r.cells.iter().filter(|c| !c.is_blank()).count() >= 2 && !is_note(r))
        .count();
    // The note's own cell, wherever in the row it was typed.
    let col = rows[end]
        .cells
        .iter()
        .position(|c| !c.is_blank())
        .unwrap_or(0) as u32;
    let note = (skipped > 0).then(|| {
        Note::new(
            grid.at.at(rows[end].index, grid.first_col + col),
            format!("这一行是表后的备注，表格到此为止；它下面还有 {skipped} 行数据没有读入。如果它们属于表格，请把备注移到最后。"),
        )
    });
    (&rows[..end], note)
}

/// A note on cells the table holds under no header (a figure typed one column too far right,
/// a remark beside a row): no column reads them, so they would be left out without a word.
/// Names the first, with its content, and counts the rest.
fn unheaded(grid: &Grid, header: &GridRow, body: &[GridRow]) -> Option<Note> {
    let mut cells = unheaded_cells(grid, header, body);
    let (row, i, raw) = cells.next()?;
    let more = match cells.count() {
        0 => String::new(),
        n => format!("（这张表里还有 {n} 个这样的单元格）"),
    };
    // One line: the cell's own line breaks and tabs are shown as spaces.
    let text: String = text_of(raw)
        .chars()
        .map(|c| match c.is_whitespace() || c.is_control() {
            true => ' ',
            false => c,
        })
        .collect();
    let shown: String = match text.chars().count() > 20 {
        true => text.chars().take(20).chain(['…']).collect(),
        false => text,
    };
    Some(Note::new(
        grid.at.at(row, grid.first_col + i as u32),
        format!(
            "“{shown}”所在的列没有表头，没有读入{more}。若它是报告要用的数据，请移到对应的列里；若只是备注，可以不管。"
        ),
    ))
}

/// A header, key or department name that is a formula whose result the file does not hold,
/// or an Excel error value, cannot be read (its text would be the formula's or the error's):
/// an error at the first such cell among `rows`, in column `only` (an index into the cells)
/// or in any.
fn unreadable_name<'a>(
    grid: &Grid,
    rows: impl IntoIterator<Item = &'a GridRow>,
    only: Option<usize>,
) -> Result<()> {
    for row in rows {
        for (i, cell) in row.cells.iter().enumerate() {
            if only.is_some_and(|only| only != i) {
                continue;
            }
            if let Some(e) = name_error(cell, || grid.at.at(row.index, grid.first_col + i as u32)) {
                return Err(e);
            }
        }
    }
    Ok(())
}

/// Why a cell cannot be read as a header, key or department name, if it cannot.
fn name_error(cell: &Raw, at: impl FnOnce() -> Location) -> Option<Error> {
    match cell {
        Raw::Formula(formula) => Some(super::typing::uncalculated(formula, &at())),
        Raw::Error(code) => Some(Error::BadValue {
            at: at(),
            column: "名称".into(),
            expected: "文字".into(),
            found: code.clone(),
            hint: "这是 Excel 的错误值，通常是公式出错。这个单元格是表头、项目名或单位名，请直接填写文字。".into(),
        }),
        _ => None,
    }
}

/// The cells of `body` under no header in `header`, as (row, index into the cells, cell); the
/// copies a merge made below its top cell are not cells a clerk typed, and are left out.
fn unheaded_cells<'a>(
    grid: &'a Grid,
    header: &'a GridRow,
    body: &'a [GridRow],
) -> impl Iterator<Item = (u32, usize, &'a Raw)> + 'a {
    let headed = |i: usize| header.cells.get(i).is_some_and(|c| !c.is_blank());
    body.iter().flat_map(move |row| {
        row.cells
            .iter()
            .enumerate()
            .filter(move |(i, c)| {
                !c.is_blank()
                    && !headed(*i)
                    && !grid
                        .merges
                        .iter()
                        .any(|m| m.filled(row.index, grid.first_col + *i as u32))
            })
            .map(move |(i, c)| (row.index, i, c))
    })
}

/// The notes of the merges that are read: in a column that is `read`, starting in a row of
/// `body` (a merged title above the header, or a merged note below the table, is not).
fn merge_notes(grid: &Grid, body: &[GridRow], read: impl Fn(u32) -> bool) -> Vec<Note> {
    let in_body = |top: u32| {
        body.first()
            .zip(body.last())
            .is_some_and(|(first, last)| (first.index..=last.index).contains(&top))
    };
    grid.merges
        .iter()
        .filter(|m| read(m.col) && in_body(m.top))
        .map(|m| m.note.clone())
        .collect()
}

/// The names a column answers to: its name and its aliases, normalised.
fn names(column: &Column) -> Vec<String> {
    std::iter::once(&column.name)
        .chain(&column.aliases)
        .map(|n| normalize(n))
        .collect()
}

/// Where each declared column is in `row`, by header name.
fn locate(grid: &Grid, row: &GridRow, columns: &[Column]) -> Result<Vec<Option<u32>>> {
    let mut positions = Vec::new();
    for column in columns {
        let wanted = names(column);
        let keys: Vec<String> = row.cells.iter().map(header_key).collect();
        let exact: Vec<u32> = (0..keys.len())
            .filter(|&i| wanted.contains(&keys[i]))
            .map(|i| grid.first_col + i as u32)
            .collect();
        // Only when no header names the column exactly does one with a unit count.
        let hits = if exact.is_empty() {
            (0..keys.len())
                .filter(|&i| without_unit(&keys[i]).is_some_and(|k| wanted.iter().any(|w| w == k)))
                .map(|i| grid.first_col + i as u32)
                .collect()
        } else {
            exact
        };
        let mut hits = hits.into_iter();
        let first = hits.next();
        if let (Some(first), Some(second)) = (first, hits.next()) {
            return Err(Error::ColumnDuplicate {
                at: grid.at.clone(),
                column: column.name.clone(),
                first: cell_name(row.index, first),
                second: cell_name(row.index, second),
            });
        }
        positions.push(first);
    }
    Ok(positions)
}

/// A table: the header is the first of the top rows that holds every required column;
/// columns are found by name (or alias) in any order; blank rows are skipped; a note row
/// (`填表人：…`) ends the table.
fn find_header(grid: &Grid, columns: &[Column]) -> Result<(usize, Vec<Option<u32>>)> {
    let mut best: Option<(usize, usize, Vec<Option<u32>>)> = None;
    for (i, row) in grid.rows.iter().take(HEADER_SEARCH).enumerate() {
        let positions = locate(grid, row, columns)?;
        let found = positions.iter().filter(|p| p.is_some()).count();
        let complete = columns
            .iter()
            .zip(&positions)
            .all(|(c, p)| p.is_some() || !c.required);
        if complete && found > 0 {
            best = Some((i, found, positions));
            break;
        }
        if best.as_ref().is_none_or(|(_, most, _)| found > *most) {
            best = Some((i, found, positions));
        }
    }
    let Some((header_at, found, positions)) = best else {
        return Err(Error::ColumnMissing {
            at: grid.at.clone(),
            column: columns.first().map(|c| c.name.clone()).unwrap_or_default(),
            found: "这张表是空的。".into(),
        });
    };
    let header = &grid.rows[header_at];
    let missing = columns
        .iter()
        .zip(&positions)
        .find(|(c, p)| p.is_none() && c.required);
    // A header cell that cannot be read would leave its column unread: told as what it is,
    // and, when a column is missing, together with that (the cell may be where it is).
    let unreadable = match missing {
        Some(_) => unreadable_name(grid, grid.rows.iter().take(header_at + 1), None),
        None => unreadable_name(grid, [header], None),
    };
    let Some(missing) = missing else {
        unreadable?;
        return Ok((header_at, positions));
    };
    let missing_error = {
        let texts: Vec<String> = header
            .cells
            .iter()
            .map(text_of)
            .filter(|t| !t.is_empty())
            .collect();
        let mut said = if found == 0 {
            format!(
                "前 {HEADER_SEARCH} 个有内容的行中没有一行含有所需的列名（表头须在这 {HEADER_SEARCH} 行之内；第一行是：{}）。",
                texts.join("、")
            )
        } else {
            format!(
                "表头行（第 {} 行）是：{}。",
                header.index + 1,
                texts.join("、")
            )
        };
        let candidates: Vec<&str> = texts.iter().map(String::as_str).collect();
        if let Some(hint) = crate::suggest::did_you_mean(&missing.0.name, &candidates) {
            said.push_str(&hint);
        }
        Error::ColumnMissing {
            at: grid.at.at(header.index, grid.first_col),
            column: missing.0.name.clone(),
            found: said,
        }
    };
    Err(Error::join(
        unreadable
            .err()
            .into_iter()
            .chain([missing_error])
            .collect(),
    ))
}

pub fn table(
    grid: &Grid,
    columns: &[Column],
    notes: &mut Vec<Note>,
    errors: &mut Vec<Error>,
) -> Vec<Row> {
    let (header_at, positions) = match find_header(grid, columns) {
        Ok(found) => found,
        Err(e) => {
            errors.push(e);
            return Vec::new();
        }
    };
    let header = &grid.rows[header_at];
    let undeclared: Vec<(u32, String)> = header
        .cells
        .iter()
        .enumerate()
        .map(|(i, raw)| (grid.first_col + i as u32, raw))
        .filter(|(col, raw)| !raw.is_blank() && !positions.contains(&Some(*col)))
        .map(|(col, raw)| (col, text_of(raw)))
        .collect();
    // An optional column missing beside an undeclared header a character off its name (or an
    // alias's) may be a misspelt header, its whole column read as blank; or a column of its
    // own (参与人员 beside 参与人数). Said plainly, in place of the note on the header.
    let mut mistyped = Vec::new();
    for column in columns
        .iter()
        .zip(&positions)
        .filter(|(c, p)| p.is_none() && !c.required)
        .map(|(c, _)| c)
    {
        let texts: Vec<&str> = undeclared.iter().map(|(_, t)| t.as_str()).collect();
        let typo = std::iter::once(&column.name)
            .chain(&column.aliases)
            .find_map(|name| crate::suggest::mistyped(name, &texts));
        if let Some(typo) = typo
            && let Some(&(col, _)) = undeclared.iter().find(|(_, t)| t == typo)
        {
            mistyped.push(col);
            let name = column.name.trim();
            notes.push(Note::new(
                grid.at.at(header.index, col),
                format!(
                    "选填的列“{name}”不在表中，这一列按空白读入；表头“{typo}”与它只差一两个字，没有读入。如果是写错了，请把表头改为“{name}”。"
                ),
            ));
        }
    }
    notes.extend(
        header
            .cells
            .iter()
            .enumerate()
            .filter(|(i, raw)| {
                let col = grid.first_col + *i as u32;
                !raw.is_blank() && !positions.contains(&Some(col)) && !mistyped.contains(&col)
            })
            .map(|(i, raw)| {
                Note::new(
                    grid.at.at(header.index, grid.first_col + i as u32),
                    format!("列“{}”没有在 report.toml 中声明，已忽略。", text_of(raw)),
                )
            }),
    );
    let (body, cut) = until_note(grid, &grid.rows[header_at + 1..], |_| false);
    notes.extend(merge_notes(grid, body, |col| {
        positions.contains(&Some(col))
    }));
    notes.extend(cut);
    notes.extend(unheaded(grid, header, body));
    // Messages name a column as the sheet's header does: a clerk who wrote 参加人数 should
    // read 参加人数, not the manifest's 参与人数.
    let shown: Vec<Column> = columns
        .iter()
        .zip(&positions)
        .map(|(column, position)| {
            let header_text = position
                .and_then(|col| header.cells.get((col - grid.first_col) as usize))
                .map(text_of)
                .filter(|t| normalize(t) != normalize(&column.name));
            match header_text {
                Some(name) => Column {
                    name,
                    ..column.clone()
                },
                None => column.clone(),
            }
        })
        .collect();
    let keys: Vec<Arc<str>> = columns.iter().map(|c| Arc::from(c.name.trim())).collect();
    let mut rows = Vec::new();
    let (mut hidden_rows, mut hidden_at, mut unseen) = (Vec::new(), None, Vec::new());
    // Totals rows a clerk adds under the table (`合计`), each (row, column) of its word.
    let mut totals: Vec<(u32, u32)> = Vec::new();
    for grid_row in body {
        let raw_at = |col: u32| {
            grid_row
                .cells
                .get((col - grid.first_col) as usize)
                .unwrap_or(&Raw::Empty)
        };
        // A row that shows nothing is skipped: blank, or zeros a format hides. One whose
        // format hides something else (`;;;`) looks as empty to the clerk, and is told.
        if positions
            .iter()
            .flatten()
            .all(|&c| raw_at(c).shows_nothing())
        {
            if !positions.iter().flatten().all(|&c| raw_at(c).is_blank()) {
                unseen.push(grid_row.index);
            }
            continue;
        }
        if let Some(col) = total_word(grid_row) {
            totals.push((grid_row.index, grid.first_col + col as u32));
            continue;
        }
        let mut row = Row::with_capacity_and_hasher(columns.len(), Default::default());
        for (((column, position), named), key) in
            columns.iter().zip(&positions).zip(&shown).zip(&keys)
        {
            let (raw, at) = match position {
                Some(col) => (raw_at(*col), grid.at.at(grid_row.index, *col)),
                None => (&Raw::Empty, grid.at.clone()),
            };
            let value = convert(raw, named, &at).unwrap_or_else(|e| {
                // What a formula left in a merged cell (an error value, no result) is told at
                // the merge's top cell alone, not again at each row it was copied to.
                let copy = || {
                    position.is_some_and(|col| {
                        grid.merges.iter().any(|m| m.filled(grid_row.index, col))
                    })
                };
                if !(matches!(raw, Raw::Error(_) | Raw::Formula(_)) && copy()) {
                    errors.push(e);
                }
                Value::Empty
            });
            row.insert(
                key.clone(),
                Cell {
                    value,
                    at,
                    template: column.template,
                },
            );
        }
        if grid.hidden.row(grid_row.index) {
            // Told at the first hidden row's first cell read.
            if hidden_rows.is_empty() {
                hidden_at = positions
                    .iter()
                    .flatten()
                    .copied()
                    .find(|&c| !raw_at(c).is_blank());
            }
            hidden_rows.push(grid_row.index);
        }
        rows.push(row);
    }
    notes.extend(totals_note(grid, &totals));
    notes.extend(hidden_rows_note(grid, &hidden_rows, hidden_at));
    if let Some(&row) = unseen.first() {
        notes.push(Note::new(
            grid.at.at(row, grid.first_col),
            format!(
                "{}的内容被单元格格式隐藏了（如 ;;;），表格里看不到，没有读入。如果要写进报告，请把这些单元格的格式改为“常规”。",
                rows_named(&unseen)
            ),
        ));
    }
    notes.extend(
        shown
            .iter()
            .zip(&positions)
            .filter_map(|(column, position)| Some((column, (*position)?)))
            .filter(|(_, col)| grid.hidden.col(*col))
            .map(|(column, col)| hidden_column_note(grid, header.index, col, Some(&column.name))),
    );
    rows
}

/// A note on the rows of a sheet read as data that the sheet hides (hidden, or filtered out):
/// they are in the report all the same. At the first, in column `col`.
fn hidden_rows_note(grid: &Grid, rows: &[u32], col: Option<u32>) -> Option<Note> {
    let &first = rows.first()?;
    Some(Note::new(
        grid.at.at(first, col.unwrap_or(grid.first_col)),
        format!(
            "{}在工作表中是隐藏的（或被筛选掉了），仍作为数据读入了报告。如果不该写进报告，请删除，而不是隐藏。",
            rows_named(rows)
        ),
    ))
}

/// Rows (zero-based) as a note names them: `第 3、4 行`, the first five of many
/// (`第 2、3、4、5、6 行等共 30000 行`).
fn rows_named(rows: &[u32]) -> String {
    let named: Vec<String> = rows.iter().take(5).map(|r| (r + 1).to_string()).collect();
    match rows.len() > 5 {
        true => format!("第 {} 行等共 {} 行", named.join("、"), rows.len()),
        false => format!("第 {} 行", named.join("、")),
    }
}

/// A note on a column read as data that the sheet hides, at its header (`row`) or, without
/// one, at its first cell read; named by its header, or by its letter.
fn hidden_column_note(grid: &Grid, row: u32, col: u32, name: Option<&str>) -> Note {
    let column = match name.map(str::trim).filter(|n| !n.is_empty()) {
        Some(name) => format!("列“{name}”"),
        None => format!("{} 列", crate::diagnostics::column_name(col)),
    };
    Note::new(
        grid.at.at(row, col),
        format!("{column}在工作表中是隐藏的，仍读入了报告。如果不该写进报告，请删除，而不是隐藏。"),
    )
}

/// Where a totals row holds its word (`合计`, `总计`, `小计`, `共计`, spaced or not, a colon
/// after it), as an index into its cells; `None` for any other row. Beside the word a totals
/// row holds only figures: a row with a date or a name is an activity whatever its 类别 says.
fn total_word(row: &GridRow) -> Option<usize> {
    let is_word = |cell: &Raw| {
        // Told apart by the first character before any text is normalised: most cells are not.
        matches!(cell, Raw::Text(t)
            if t.trim_start().starts_with(['合', '总', '小', '共'])
                && matches!(normalize(t).trim_end_matches(':'), "合计" | "总计" | "小计" | "共计"))
    };
    let word = row.cells.iter().position(is_word)?;
    row.cells
        .iter()
        .enumerate()
        .all(|(i, cell)| {
            i == word
                || match cell {
                    Raw::Empty
                    | Raw::Int(_)
                    | Raw::Float(_)
                    | Raw::Percent(..)
                    | Raw::Formula(_) => true,
                    Raw::Shown(cell) => !matches!(cell.value, Raw::DateTime(_)),
                    // A figure typed as text, as every cell of a CSV file is: `30`, `95%`.
                    Raw::Text(t) => parse_number(t).is_some() || parse_percent(t).is_some(),
                    _ => false,
                }
        })
        .then_some(word)
}

/// The note on a table's totals rows: the first, and how many more.
fn totals_note(grid: &Grid, totals: &[(u32, u32)]) -> Option<Note> {
    let &(row, col) = totals.first()?;
    let more = match totals.len() - 1 {
        0 => String::new(),
        n => format!("（这张表里还有 {n} 行这样的行）"),
    };
    Some(Note::new(
        grid.at.at(row, col),
        format!("这是合计行，没有作为一行数据读入{more}；报告中的合计由模板计算。"),
    ))
}

/// A master table's rows, split by the department each names in `column`: the rows above
/// and including the header, each department's rows (the department column blanked, as it
/// has done its work), and notes on rows no department gets. Department names are trimmed.
pub fn split_by_department(
    grid: &Grid,
    column: &Column,
    known: &crate::index::Names,
) -> Result<Split> {
    let (header_at, positions) = find_header(grid, std::slice::from_ref(column))?;
    let col = positions[0].expect("the department column is required");
    let index = (col - grid.first_col) as usize;
    let mut head = grid.rows[..=header_at].to_vec();
    for row in &mut head {
        if let Some(cell) = row.cells.get_mut(index) {
            *cell = Raw::Empty;
        }
    }
    let mut by_dept: HashMap<String, Vec<GridRow>> = HashMap::new();
    let mut notes: Vec<Note> = Vec::new();
    let mut names: Vec<String> = Vec::new();
    let (body, cut) = until_note(grid, &grid.rows[header_at + 1..], |_| false);
    let header = &grid.rows[header_at];
    let first_col = grid.first_col;
    let headed = |col: u32| {
        header
            .cells
            .get((col - first_col) as usize)
            .is_some_and(|c| !c.is_blank())
    };
    notes.extend(merge_notes(grid, body, headed));
    notes.extend(cut);
    // Cells under no header are told here, for the whole table, and left out of each
    // department's rows, where they would be told again, one department at a time.
    notes.extend(unheaded(grid, header, body));
    // A 单位 cell a formula left unreadable is an error on a row that holds data (whose rows
    // it is cannot be told); on a row that holds nothing else (a formula filled down past the
    // data) it is nothing.
    let holds_data = |row: &GridRow| {
        row.cells
            .iter()
            .enumerate()
            .any(|(i, c)| i != index && !c.is_blank() && headed(first_col + i as u32))
    };
    unreadable_name(grid, body.iter().filter(|r| holds_data(r)), Some(index))?;
    let mut totals = Vec::new();
    if grid.hidden.col(col) {
        notes.push(hidden_column_note(
            grid,
            header.index,
            col,
            Some(&column.name),
        ));
    }
    for row in body {
        if matches!(row.cells.get(index), Some(Raw::Formula(_) | Raw::Error(_))) {
            continue; // a row holding nothing else, as just checked
        }
        // A row that shows nothing (zeros a format hides, filled down below the data).
        if row.cells.iter().all(Raw::is_blank) {
            continue;
        }
        if let Some(col) = total_word(row) {
            totals.push((row.index, grid.first_col + col as u32));
            continue;
        }
        let name = text_of(row.cells.get(index).unwrap_or(&Raw::Empty));
        names.push(name.clone());
        let at = grid.at.at(row.index, col);
        if name.is_empty() {
            notes.push(Note::new(
                at,
                format!(
                    "这一行没有填写“{}”，没有用到任何单位的报告中。",
                    column.name
                ),
            ));
            continue;
        }
        if !known.contains(&name) {
            notes.push(Note::new(
                at,
                format!(
                    "单位“{name}”在年度文件夹中没有同名文件夹，这一行没有用到。请检查单位名称是否写错{}。",
                    crate::suggest::closest(&name, &known.iter().collect::<Vec<_>>())
                        .map(|c| format!("（是否应为“{c}”？）"))
                        .unwrap_or_default()
                ),
            ));
            continue;
        }
        let mut row = row.clone();
        if let Some(cell) = row.cells.get_mut(index) {
            *cell = Raw::Empty;
        }
        for (i, cell) in row.cells.iter_mut().enumerate() {
            if !headed(first_col + i as u32) {
                *cell = Raw::Empty;
            }
        }
        by_dept.entry(name).or_default().push(row);
    }
    notes.extend(totals_note(grid, &totals));
    names.sort();
    names.dedup();
    names.retain(|n| !n.is_empty());
    Ok(Split {
        head,
        by_dept,
        names,
        notes,
    })
}

/// The columns of `header` (indexes into a row's cells) that `columns` read: all of them,
/// should the header not say (a column named twice).
pub fn read_columns(grid: &Grid, header: &GridRow, columns: &[Column]) -> Vec<usize> {
    match locate(grid, header, columns) {
        Ok(positions) => positions
            .into_iter()
            .flatten()
            .map(|col| (col - grid.first_col) as usize)
            .collect(),
        Err(_) => (0..header.cells.len()).collect(),
    }
}

/// A master table split by department; see [`split_by_department`].
pub struct Split {
    pub head: Vec<GridRow>,
    pub by_dept: HashMap<String, Vec<GridRow>>,
    /// Every name the department column holds, known or not, sorted: the candidates for a
    /// "did you mean" when a department finds no rows.
    pub names: Vec<String>,
    pub notes: Vec<Note>,
}

/// A record: after a header row, each row holds a key and its value. Title rows above the
/// header (a single cell) are skipped; a note row ends the record. Declared fields are typed
/// as declared; other keys take the type `other`, or are an error without it.
pub fn record(
    grid: &Grid,
    fields: &[Column],
    other: Option<&Column>,
    notes: &mut Vec<Note>,
    errors: &mut Vec<Error>,
) -> Row {
    let mut row = Row::default();
    // Cells that hold anything, a number its format hides too (`人数 | 0` shown blank is a
    // record's row, not a title).
    let filled = |r: &GridRow| r.cells.iter().filter(|c| **c != Raw::Empty).count();
    let first = grid
        .rows
        .iter()
        .take(HEADER_SEARCH)
        .position(|r| filled(r) >= 2)
        .unwrap_or(0);
    // The header row (`项目 | 内容`) is often left out: a first row whose key is a declared
    // field, or whose value is a number or date, is data, not a header.
    let is_data = grid.rows.get(first).is_some_and(|r| {
        let key = r
            .cells
            .first()
            .map(|k| normalize(&text_of(k)))
            .unwrap_or_default();
        fields.iter().any(|f| names(f).contains(&key))
            || match r.cells.get(1) {
                // A value no header holds: a figure, or what a formula left (an error value,
                // or a formula with no result, told at its cell below).
                Some(
                    Raw::Int(_)
                    | Raw::Float(_)
                    | Raw::Percent(..)
                    | Raw::Shown(_)
                    | Raw::DateTime(_)
                    | Raw::Bool(_)
                    | Raw::Error(_)
                    | Raw::Formula(_),
                ) => true,
                Some(Raw::Text(t)) => parse_number(t).is_some(),
                _ => false,
            }
    });
    let start = if is_data { first } else { first + 1 };
    // A declared key typed with a colon (`负责人：` | `张三`) looks like a note's label, but is
    // the record's.
    let declared_key = |r: &GridRow| {
        r.cells.first().is_some_and(|key| {
            let key = normalize(&text_of(key));
            let key = key.trim_end_matches(':');
            let bare = without_unit(key);
            fields.iter().any(|f| {
                names(f)
                    .iter()
                    .any(|n| n == key || Some(n.as_str()) == bare)
            })
        })
    };
    let (body, cut) = until_note(
        grid,
        grid.rows.get(start..).unwrap_or_default(),
        declared_key,
    );
    if !is_data && let Err(e) = unreadable_name(grid, grid.rows.get(first), Some(0)) {
        errors.push(e);
        return row;
    }
    let first_col = grid.first_col;
    notes.extend(merge_notes(grid, body, |col| {
        col == first_col || col == first_col + 1
    }));
    notes.extend(cut);
    let hidden: Vec<u32> = body
        .iter()
        .filter(|r| grid.hidden.row(r.index) && r.cells.get(1).is_some_and(|c| !c.is_blank()))
        .map(|r| r.index)
        .collect();
    notes.extend(hidden_rows_note(grid, &hidden, None));
    // The key and value columns, hidden: told at the header, or at the first row read.
    for col in [grid.first_col, grid.first_col + 1] {
        let index = (col - grid.first_col) as usize;
        let read = body
            .iter()
            .find(|r| r.cells.get(index).is_some_and(|c| !c.is_blank()));
        if let Some(read) = read.filter(|_| grid.hidden.col(col)) {
            let header = grid.rows.get(first).filter(|_| !is_data);
            let name = header.map(|h| text_of(h.cells.get(index).unwrap_or(&Raw::Empty)));
            let row = header.map_or(read.index, |h| h.index);
            notes.push(hidden_column_note(grid, row, col, name.as_deref()));
        }
    }
    for grid_row in body {
        let key_raw = grid_row.cells.first().unwrap_or(&Raw::Empty);
        let value_raw = grid_row.cells.get(1).unwrap_or(&Raw::Empty);
        let key_at = grid.at.at(grid_row.index, grid.first_col);
        let value_at = grid.at.at(grid_row.index, grid.first_col + 1);
        if let Some(e) = name_error(key_raw, || key_at.clone()) {
            errors.push(e);
            continue;
        }
        let key = text_of(key_raw);
        if key.is_empty() {
            if !value_raw.is_blank() {
                errors.push(Error::Empty {
                    at: key_at,
                    column: "项目名".into(),
                });
            }
            continue;
        }
        if let Some(c) = key.chars().find(|c| c.is_control()) {
            errors.push(Error::BadValue {
                at: key_at,
                column: "项目名".into(),
                expected: "不含控制字符的文字".into(),
                found: key.replace(|c: char| c.is_control(), "�"),
                hint: format!(
                    "项目名里有看不见的控制字符（U+{:04X}），它会被写进报告。请删掉这个单元格的内容后重新输入。",
                    c as u32
                ),
            });
            continue;
        }
        // `负责人：` is the key 负责人.
        let normal = normalize(&key).trim_end_matches(':').to_owned();
        let declared = fields
            .iter()
            .find(|f| names(f).contains(&normal))
            .or_else(|| {
                let bare = without_unit(&normal)?;
                fields.iter().find(|f| names(f).iter().any(|n| n == bare))
            });
        // A declared field is found with or without a unit in brackets; any other key keeps
        // its name as written (`教师人数（男）` and `教师人数（女）` are two keys).
        let key = match declared {
            Some(field) => field.name.trim().to_owned(),
            // A colon after it is the clerk's punctuation, not the key's.
            None => key.trim_end_matches([':', '：']).trim_end().to_owned(),
        };
        if let Some(previous) = row.get(key.as_str()) {
            // The other row is named by its key's cell, not its value's.
            let other = match previous.at.cell {
                Some(Spot::Cell { row, col }) => cell_name(row, col.saturating_sub(1)),
                other => other.map(|c| c.to_string()).unwrap_or_default(),
            };
            errors.push(Error::KeyDuplicate {
                at: key_at,
                key,
                other,
            });
            continue;
        }
        let column = match (declared, other) {
            (Some(field), _) => field.clone(),
            (None, Some(other)) => other.named(key.clone()),
            (None, None) => {
                errors.push(Error::KeyUnknown { at: key_at, key });
                continue;
            }
        };
        let value = convert(value_raw, &column, &value_at).unwrap_or_else(|e| {
            errors.push(e);
            Value::Empty
        });
        row.insert(
            Arc::from(key),
            Cell {
                value,
                at: value_at,
                template: column.template,
            },
        );
    }
    for field in fields {
        let key = field.name.trim();
        if row.contains_key(key) {
            continue;
        }
        if field.required {
            errors.push(Error::KeyMissing {
                at: grid.at.clone(),
                key: key.to_owned(),
            });
            continue;
        }
        row.insert(
            Arc::from(key),
            Cell {
                value: Value::Empty,
                at: grid.at.clone(),
                template: field.template,
            },
        );
    }
    row
}
