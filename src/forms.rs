//! Blank forms: for a department, one `.xlsx` with exactly the sheets and columns the chosen
//! report kinds read, ready to fill in and put into `data/<year>/<department>/`.
//!
//! Each table source is a sheet with its header row (styled, frozen, a note on each header
//! saying what goes there, of which type, whether it must be filled) and data validation by
//! type (dates, integers, numbers, 是/否, the `one_of` values as a drop-down). Each record
//! source is a `项目 | 内容` sheet with its declared keys already in the first column. A first
//! sheet, `填表说明`, says in Chinese what each sheet is for, how to add rows and where to put
//! the file. `huibao new-year` fills a form's records with the values that stay from year to
//! year and shows last year's figures beside the empty cells.

use std::collections::HashMap;

use rust_xlsxwriter::{DataValidation, DataValidationRule, ExcelDateTime, Format, Note, Worksheet};

use crate::diagnostics::{Error, Result};
use crate::emit::xlsx::{col, row};
use crate::manifest::{Column, ColumnType, Manifest, Shape, Source};
use crate::sources::Value;

/// The rows of a table sheet that carry the column's validation.
const FORM_ROWS: u32 = 1000;
/// Blank rows under a record's declared keys, for keys of its own (`other`).
const EXTRA_KEYS: u32 = 30;

/// A sheet of the form: a source, and the report kinds that read it.
#[derive(Clone)]
pub struct FormSheet<'a> {
    pub source: &'a Source,
    pub kinds: Vec<&'a str>,
    /// What the sheet holds: the first description any kind gives it.
    pub description: Option<&'a str>,
}

/// The sheets the kinds read, each once, in the order the kinds declare them. Two kinds that
/// declare one sheet differently (shape, a column's type, whether it is required, its
/// allowed values) are an error naming both: a form cannot satisfy both.
pub fn sheets<'a>(manifests: &[&'a Manifest]) -> Result<Vec<FormSheet<'a>>> {
    let mut sheets: Vec<FormSheet> = Vec::new();
    for manifest in manifests {
        for source in &manifest.sources {
            match sheets.iter_mut().find(|s| s.source.sheet == source.sheet) {
                None => sheets.push(FormSheet {
                    source,
                    kinds: vec![&manifest.kind],
                    description: source.description.as_deref(),
                }),
                Some(sheet) => {
                    if let Some(difference) = differs(sheet.source, source) {
                        return Err(Error::Manifest {
                            path: manifest.path.clone(),
                            line: 1,
                            message: format!(
                                "报告种类“{}”和“{}”对工作表“{}”的声明不一致（{difference}），同一张空白表无法同时满足。请把两处声明改成一样的。",
                                sheet.kinds[0], manifest.kind, source.sheet
                            ),
                        });
                    }
                    sheet.kinds.push(&manifest.kind);
                    sheet.description = sheet.description.or(source.description.as_deref());
                }
            }
        }
    }
    Ok(sheets)
}

/// How two declarations of a sheet differ, if they do in a way a form shows.
fn differs(a: &Source, b: &Source) -> Option<String> {
    let same =
        |x: &Column, y: &Column| x.ty == y.ty && x.required == y.required && x.one_of == y.one_of;
    let columns = |x: &[Column], y: &[Column]| -> Option<String> {
        for column in x {
            match y.iter().find(|c| c.name.trim() == column.name.trim()) {
                Some(other) if !same(column, other) => {
                    return Some(format!("“{}”的类型、是否必填或可选值不同", column.name));
                }
                None if column.required => {
                    return Some(format!("一处有必填的“{}”，另一处没有", column.name));
                }
                _ => {}
            }
        }
        None
    };
    match (&a.shape, &b.shape) {
        (Shape::Table { columns: x }, Shape::Table { columns: y })
        | (Shape::Record { fields: x, .. }, Shape::Record { fields: y, .. }) => {
            if let (Shape::Record { other: p, .. }, Shape::Record { other: q, .. }) =
                (&a.shape, &b.shape)
                && p.as_ref().map(|c| (c.ty, c.min, c.max))
                    != q.as_ref().map(|c| (c.ty, c.min, c.max))
            {
                return Some("other 不同".into());
            }
            columns(x, y).or_else(|| columns(y, x))
        }
        _ => Some("一处是 table，一处是 record".into()),
    }
}

/// What `new-year` puts into a form's records: the values that stay, and last year's.
#[derive(Default)]
pub struct Prefill {
    /// By sheet, by key: the value carried into this year's cell.
    pub carried: HashMap<String, HashMap<String, Value>>,
    /// By sheet, by key: last year's value, shown beside the empty cell.
    pub last_year: HashMap<String, Vec<(String, Value)>>,
    /// The year those values are of, named over their column.
    pub from: i32,
}

/// The bytes of one department's form for `year`. `elsewhere` names the sheets the department
/// fills in a workbook all departments share (a master table), with that workbook's file name.
pub fn workbook(
    dept: &str,
    year: i32,
    sheets: &[FormSheet],
    prefill: &Prefill,
    elsewhere: &[(String, String)],
) -> Result<Vec<u8>> {
    let mut workbook = crate::emit::xlsx::new_workbook();
    let header = Format::new()
        .set_bold()
        .set_background_color("D9E1F2")
        .set_border(rust_xlsxwriter::FormatBorder::Thin);
    let grey = Format::new().set_font_color("808080");

    let mut lines = vec![
        format!("{dept}{year}年报告数据"),
        format!(
            "填好后，把本文件放进 data/{year}/{dept}/ 文件夹（文件名可以改，扩展名 .xlsx 不要改），再运行 make report（或 huibao build）生成报告。"
        ),
        "各工作表的名称和表头文字不要改，也不要删除工作表；每张表都要填写，注明可以留空的除外。"
            .into(),
        "文件夹里已经有填好的数据表时，不要用本文件替换它；同一张工作表只能在一个文件里出现。"
            .into(),
        String::new(),
        "各工作表：".into(),
    ];
    for sheet in sheets {
        let what = match &sheet.source.shape {
            Shape::Table { .. } => {
                "表格：在表头下每行填写一项，需要更多行就往下接着填；不要合并单元格，不要在表格中间留空行。"
            }
            Shape::Record { other: Some(_), .. } => {
                "项目表：在“内容”一列填写；第一列已列出的项目名不要改，可以在下面的空行添加项目。"
            }
            Shape::Record { .. } => "项目表：在“内容”一列填写；第一列的项目名不要改。",
        };
        let about = sheet
            .description
            .map(|d| format!("{}。", d.trim_end_matches('。')))
            .unwrap_or_default();
        let may_be_empty = match sheet.source.allow_empty {
            true => "没有可填的内容时可以留空。",
            false => "",
        };
        lines.push(format!(
            "“{}”：{about}{what}{may_be_empty}用于：{}。",
            sheet.source.sheet,
            sheet.kinds.join("、")
        ));
    }
    for (sheet, file) in elsewhere {
        lines.push(format!(
            "“{sheet}”不在本文件里：本单位的各行填在各单位共用的 data/{year}/{file} 中（第一列写单位名称）。"
        ));
    }
    lines.push(String::new());
    lines.push("每个表头（或项目名）单元格的批注写明了该填什么、什么类型、是否必填；类型不对的内容 Excel 会拒绝。日期写成 2023-01-05 或用 Excel 的日期格式。".into());
    guide_sheet(&mut workbook, lines)?;

    for sheet in sheets {
        let source = sheet.source;
        let ws = workbook.add_worksheet();
        ws.set_name(&source.sheet).map_err(xlsx)?;
        match &source.shape {
            Shape::Table { columns } => {
                for (c, column) in columns.iter().enumerate() {
                    let c = col(c);
                    ws.write_string_with_format(0, c, column.name.trim(), &header)
                        .map_err(xlsx)?;
                    ws.insert_note(0, c, &note(column)).map_err(xlsx)?;
                    let width = column.name.trim().chars().count() as f64 * 2.0 + 6.0;
                    ws.set_column_width(c, width).map_err(xlsx)?;
                    validate(ws, 1, c, FORM_ROWS, column)?;
                }
                ws.set_freeze_panes(1, 0).map_err(xlsx)?;
            }
            Shape::Record { fields, other } => {
                ws.write_string_with_format(0, 0, "项目", &header)
                    .map_err(xlsx)?;
                ws.write_string_with_format(0, 1, "内容", &header)
                    .map_err(xlsx)?;
                let last = prefill.last_year.get(&source.sheet);
                if last.is_some() {
                    let label = format!("{}年（供对照，不会读入）", prefill.from);
                    ws.write_string_with_format(0, 2, &label, &header)
                        .map_err(xlsx)?;
                    ws.set_column_width(2, 24).map_err(xlsx)?;
                }
                ws.set_column_width(0, 24).map_err(xlsx)?;
                ws.set_column_width(1, 40).map_err(xlsx)?;
                let carried = prefill.carried.get(&source.sheet);
                let mut keys: Vec<String> =
                    fields.iter().map(|f| f.name.trim().to_owned()).collect();
                // Keys of its own a department had last year come back, so it can compare.
                if other.is_some() {
                    for (key, _) in last.into_iter().flatten() {
                        if !keys.contains(key) {
                            keys.push(key.clone());
                        }
                    }
                }
                for (r, key) in keys.iter().enumerate() {
                    let r = row(r + 1);
                    ws.write_string(r, 0, key).map_err(xlsx)?;
                    let column = fields.iter().find(|f| f.name.trim() == key);
                    let of_its_own;
                    let column = match (column, other) {
                        (Some(column), _) => column,
                        (None, other) => {
                            of_its_own = match other {
                                Some(other) => other.named(key.clone()),
                                None => Column::new(key.clone(), ColumnType::Text),
                            };
                            &of_its_own
                        }
                    };
                    ws.insert_note(r, 0, &note(column)).map_err(xlsx)?;
                    validate(ws, r, 1, r, column)?;
                    match carried.and_then(|c| c.get(key)) {
                        // A percentage stays a number in a percentage cell, as typed.
                        // With the places it has (12.34% stays 12.34%), one at least.
                        Some(Value::Number(ratio)) if column.ty == ColumnType::Percent => {
                            let shown = shown(&Value::Number(*ratio), ColumnType::Percent);
                            let places = shown
                                .trim_end_matches('%')
                                .split_once('.')
                                .map_or(1, |(_, p)| p.len().max(1));
                            let format = format!("0.{}%", "0".repeat(places));
                            let percent = Format::new().set_num_format(&format);
                            ws.write_number_with_format(r, 1, *ratio, &percent)
                                .map_err(xlsx)?;
                        }
                        Some(value) => {
                            ws.write_string(r, 1, shown(value, column.ty))
                                .map_err(xlsx)?;
                        }
                        None => {}
                    }
                    if let Some((_, value)) = last.and_then(|l| l.iter().find(|(k, _)| k == key)) {
                        ws.write_string_with_format(r, 2, shown(value, column.ty), &grey)
                            .map_err(xlsx)?;
                    }
                }
                if let Some(column) = other {
                    let first = row(keys.len() + 1);
                    validate(ws, first, 1, first + EXTRA_KEYS - 1, column)?;
                }
                ws.set_freeze_panes(1, 1).map_err(xlsx)?;
            }
        }
    }
    crate::emit::xlsx::bytes(&mut workbook)
        .map_err(|e| Error::Workspace(format!("写空白表时出错：{e}")))
}

/// The number format of a percentage cell in a form.
const PERCENT_FORMAT: &str = "0.0%";

/// A value of last year as a form shows it; a percentage as one (`95.5%`, not 0.955).
fn shown(value: &Value, ty: ColumnType) -> String {
    match value {
        Value::Empty => String::new(),
        Value::Text(t) => t.clone(),
        Value::Integer(i) => i.to_string(),
        Value::Number(n) if ty == ColumnType::Percent => {
            use crate::render::numbers::{round_scaled, trimmed};
            format!("{}%", trimmed(round_scaled(*n, 2, 10)))
        }
        Value::Number(n) => n.to_string(),
        Value::Date(d) => crate::sources::typing::iso_date(*d),
        Value::Bool(b) => if *b { "是" } else { "否" }.to_owned(),
    }
}

/// What a header's note says: the description, the type, whether it must be filled.
fn note(column: &Column) -> Note {
    let mut text = String::new();
    if let Some(description) = &column.description {
        text.push_str(description.trim_end_matches('。'));
        text.push('。');
    }
    text.push_str(&format!("类型：{}{}", column.ty.describe(), bounds(column)));
    if !column.one_of.is_empty() {
        text.push_str(&format!("，只能填：{}", column.one_of.join("、")));
    }
    text.push_str(if column.required {
        "；必填。"
    } else {
        "；可不填。"
    });
    Note::new(text)
        .add_author_prefix(false)
        .set_width(240)
        .set_height(90)
}

/// Data validation for the cells of one column, by its type.
fn validate(ws: &mut Worksheet, first: u32, c: u16, last: u32, column: &Column) -> Result<()> {
    let validation = if !column.one_of.is_empty() {
        let list = column.one_of.iter().map(String::as_str).collect::<Vec<_>>();
        // Excel's list is at most 255 characters long, and a comma in it separates two
        // choices (`学习,宣讲` would be offered as 学习 and 宣讲, which the build rejects):
        // such a list is told in the note only.
        if list.join(",").chars().count() > 255 || list.iter().any(|v| v.contains(',')) {
            return Ok(());
        }
        DataValidation::new()
            .allow_list_strings(&list)
            .map_err(xlsx)?
    } else {
        match column.ty {
            ColumnType::Text => return Ok(()),
            // Within the column's bounds, where it has them. Excel checks whole numbers only
            // within 32 bits: bounds beyond are checked as decimals (the build refuses a
            // fraction).
            ColumnType::Integer => {
                let (min, max) = (column.min.map(f64::ceil), column.max.map(f64::floor));
                let in_32_bits = |b: Option<f64>| {
                    b.is_none_or(|b| (f64::from(i32::MIN)..=f64::from(i32::MAX)).contains(&b))
                };
                match in_32_bits(min) && in_32_bits(max) {
                    true => DataValidation::new().allow_whole_number(DataValidationRule::Between(
                        min.map_or(i32::MIN, |b| b as i32),
                        max.map_or(i32::MAX, |b| b as i32),
                    )),
                    false => DataValidation::new().allow_decimal_number(
                        DataValidationRule::Between(min.unwrap_or(-1e15), max.unwrap_or(1e15)),
                    ),
                }
            }
            ColumnType::Number | ColumnType::Percent => {
                let (min, max) = (column.min.unwrap_or(-1e15), column.max.unwrap_or(1e15));
                DataValidation::new().allow_decimal_number(DataValidationRule::Between(min, max))
            }
            ColumnType::Date => {
                let from = ExcelDateTime::from_ymd(1900, 1, 1).map_err(xlsx)?;
                let to = ExcelDateTime::from_ymd(2999, 12, 31).map_err(xlsx)?;
                DataValidation::new().allow_date(DataValidationRule::Between(from, to))
            }
            ColumnType::Bool => DataValidation::new()
                .allow_list_strings(&["是", "否"])
                .map_err(xlsx)?,
        }
    };
    let validation = validation
        .set_error_title("填写的内容不对")
        .map_err(xlsx)?
        .set_error_message(error_message(column))
        .map_err(xlsx)?;
    ws.add_data_validation(first, c, last, c, &validation)
        .map_err(xlsx)?;
    // A percentage cell is formatted as one: typed 95, Excel and WPS keep 95% (0.95). A
    // table's column takes the format whole; a record's cells one by one, since the column
    // beside its keys holds values of every type.
    let format = match column.ty {
        ColumnType::Date => Some("yyyy-mm-dd"),
        ColumnType::Percent => Some(PERCENT_FORMAT),
        _ => None,
    };
    if let Some(format) = format {
        let format = Format::new().set_num_format(format);
        if last == FORM_ROWS {
            ws.set_column_format(c, &format).map_err(xlsx)?;
        } else {
            for r in first..=last {
                ws.write_blank(r, c, &format).map_err(xlsx)?;
            }
        }
    }
    Ok(())
}

/// What Excel says when a value a column cannot hold is typed: its type, or, for a column of
/// fixed values, those values (Excel keeps 255 characters of it).
fn error_message(column: &Column) -> String {
    let message = match column.one_of.is_empty() {
        true => format!("这里应填{}{}。", column.ty.describe(), bounds(column)),
        false => format!("这里应从下拉列表中选一项：{}。", column.one_of.join("、")),
    };
    // Excel counts UTF-16 units.
    match (
        message.encode_utf16().count() > 255,
        column.one_of.is_empty(),
    ) {
        (false, _) => message,
        (true, true) => format!("这里应填{}。", column.ty.describe()),
        (true, false) => "这里应从下拉列表中选一项。".into(),
    }
}

/// A column's bounds as a note says them: `（不小于 0）`, `（0 到 100 之间）`; nothing without.
fn bounds(column: &Column) -> String {
    column
        .bounds()
        .map(|b| format!("（{b}）"))
        .unwrap_or_default()
}

fn xlsx(e: rust_xlsxwriter::XlsxError) -> Error {
    Error::Workspace(format!("写空白表时出错：{e}"))
}

/// A form's first sheet, `填表说明`: `lines` (the first a title, the others wrapped), and last
/// how to check the form once filled in.
fn guide_sheet(workbook: &mut rust_xlsxwriter::Workbook, mut lines: Vec<String>) -> Result<()> {
    lines.push("填完可先运行 make check（或 huibao check）检查，出错时提示会写明是哪个工作表、哪个单元格。".into());
    let guide = workbook.add_worksheet();
    guide.set_name("填表说明").map_err(xlsx)?;
    guide.set_column_width(0, 100).map_err(xlsx)?;
    let title = Format::new().set_bold().set_font_size(14);
    let wrapped = Format::new().set_text_wrap();
    for (r, line) in lines.iter().enumerate() {
        let format = if r == 0 { &title } else { &wrapped };
        guide
            .write_string_with_format(row(r), 0, line, format)
            .map_err(xlsx)?;
    }
    Ok(())
}

/// A master workbook for a new year: a `填表说明` sheet, then each table sheet with the
/// department column first, filled with the names of the departments whose rows it holds, and
/// the sheet's own columns after it, empty.
pub fn master(year: i32, file: &str, sheets: &[(&FormSheet, &[String])]) -> Result<Vec<u8>> {
    let mut workbook = crate::emit::xlsx::new_workbook();
    let header = Format::new().set_bold().set_background_color("D9E1F2");
    let mut lines = vec![
        format!("{year}年各单位共用的数据表"),
        format!(
            "填好后，把本文件留在 data/{year}/ 文件夹里（不要放进某个单位的文件夹），文件名 {file} 可以改，扩展名 .xlsx 不要改；再运行 make report（或 huibao build）生成报告。"
        ),
        "各工作表的名称和表头文字不要改，也不要删除工作表。".into(),
        String::new(),
        "各工作表：".into(),
    ];
    for (sheet, _) in sheets {
        let Shape::Table { .. } = &sheet.source.shape else {
            continue;
        };
        let about = sheet
            .description
            .map(|d| format!("{}。", d.trim_end_matches('。')))
            .unwrap_or_default();
        lines.push(format!(
            "“{}”：{about}每行填一项：第一列“{}”写单位名称，与 data/{year}/ 下的单位文件夹同名，其余各列填这一项的内容。一个单位有几项就填几行，每行都写上单位名称；表里已为每个要填的单位列好一行，不够就往下接着填。用于：{}。",
            sheet.source.sheet,
            sheet.source.dept_column,
            sheet.kinds.join("、")
        ));
    }
    lines.push(String::new());
    lines.push(
        "每个表头单元格的批注写明了该填什么、什么类型、是否必填；类型不对的内容 Excel 会拒绝。"
            .into(),
    );
    guide_sheet(&mut workbook, lines)?;
    for (sheet, departments) in sheets {
        let Shape::Table { columns } = &sheet.source.shape else {
            continue;
        };
        let ws = workbook.add_worksheet();
        ws.set_name(&sheet.source.sheet).map_err(xlsx)?;
        ws.write_string_with_format(0, 0, &sheet.source.dept_column, &header)
            .map_err(xlsx)?;
        ws.set_column_width(0, 24).map_err(xlsx)?;
        let own: Vec<&Column> = columns
            .iter()
            .filter(|c| c.name.trim() != sheet.source.dept_column)
            .collect();
        for (c, column) in own.iter().enumerate() {
            let c = col(c + 1);
            ws.write_string_with_format(0, c, column.name.trim(), &header)
                .map_err(xlsx)?;
            ws.insert_note(0, c, &note(column)).map_err(xlsx)?;
            validate(ws, 1, c, FORM_ROWS, column)?;
        }
        for (r, dept) in departments.iter().enumerate() {
            ws.write_string(row(r + 1), 0, dept).map_err(xlsx)?;
        }
        ws.set_freeze_panes(1, 1).map_err(xlsx)?;
    }
    crate::emit::xlsx::bytes(&mut workbook)
        .map_err(|e| Error::Workspace(format!("写空白表时出错：{e}")))
}
