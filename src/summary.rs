//! `OUT/<year>/汇总.xlsx`: every department's figures and lists in one workbook, written by
//! every build of all departments.
//!
//! - One sheet per record source: a row per department (`单位` first), a column per numeric
//!   key (declared fields first, then keys as they appear), a `合计` row, and a `上年合计` row
//!   summing last year's values of the departments whose last year's data was read.
//! - One sheet per table source: every department's rows, `单位` first.
//! - `未生成的报告`: each report that failed, its department, kind, where and why.
//!
//! A source used by several report kinds appears once, as the first kind declares it. Each
//! department's values are taken from its contexts where its reports are built (a [`Part`]),
//! and table sheets are written as the departments come (constant memory).

use chrono::Datelike;
use rust_xlsxwriter::{ExcelDateTime, Format, Workbook, Worksheet};

use crate::context::Context;
use crate::diagnostics::{Error, Result};
use crate::emit::xlsx::{col, row};
use crate::manifest::{Column, ColumnType, Manifest, Shape};
use crate::sources::{Data, Value};

/// The file's name under the year's output folder.
pub const FILE: &str = "汇总.xlsx";

/// A worksheet holds at most this many rows.
const MAX_ROWS: u32 = 1_048_576;
/// Rows of `未生成的报告` at most: each is held in memory until the workbook is written.
const MAX_FAILED_ROWS: usize = 100_000;

pub struct Summary {
    workbook: Workbook,
    records: Vec<RecordSheet>,
    tables: Vec<TableSheet>,
    failed_sheet: usize,
    failed: Vec<[String; 4]>,
    /// Problems beyond MAX_FAILED_ROWS, counted only.
    failed_beyond: usize,
    header: Format,
    date: Format,
    /// Excel's “General” as a format of its own, for a number in a column that has the date
    /// format (a column two kinds type differently): a cell with no format takes its column's.
    general: Format,
    /// A percentage's format, for the columns of rates.
    percent: Format,
    /// What the workbook could not hold, said as 提示 (returned by [`Summary::finish`]).
    notes: Vec<String>,
}

struct RecordSheet {
    index: usize,
    var: String,
    /// Declared numeric fields, then other numeric keys as they appear: column `i + 1`.
    keys: Vec<String>,
    /// Each department's values by key, kept until every key is known (the sheet is written
    /// row by row at the end, its header first) in a temporary file, so that memory does not
    /// grow with the number of departments.
    rows: Held,
    /// By key: the sum of this year's values and of last year's, none while no department
    /// had the key.
    totals: Vec<Option<f64>>,
    last_year: Vec<Option<f64>>,
    has_last_year: bool,
    /// The keys that are percentages (declared so, or any other key with `other` of that
    /// type): shown as such, and never added up.
    percent: Vec<String>,
    /// Every declared key, to tell another key (`other`'s) from them.
    declared: Vec<String>,
    other_percent: bool,
}

impl RecordSheet {
    fn is_percent(&self, key: &str) -> bool {
        self.percent.iter().any(|k| k == key)
            || (self.other_percent && !self.declared.iter().any(|k| k == key))
    }
}

struct TableSheet {
    index: usize,
    var: String,
    columns: Vec<String>,
    next_row: u32,
    cut: bool,
    /// The columns given the date format, once each: a date is then written without a
    /// format of its own and takes its column's (rust_xlsxwriter looks a cell's format up by
    /// hashing it, which for every date of a large table cost more than writing it).
    dated: Vec<bool>,
}

impl Summary {
    /// The sheets the sources of these report kinds call for.
    pub fn new(manifests: &[&Manifest]) -> Result<Summary> {
        let mut workbook = crate::emit::xlsx::new_workbook();
        let mut names: Vec<String> = Vec::new();
        let mut records = Vec::new();
        let mut tables = Vec::new();
        let header = Format::new().set_bold().set_background_color("D9E1F2");
        let date = Format::new().set_num_format("yyyy-mm-dd");
        let percent = Format::new().set_num_format("0.0%");
        // A record's figures: what is added up, and the rates shown beside them.
        let numeric = |ty: &ColumnType| {
            matches!(
                ty,
                ColumnType::Integer | ColumnType::Number | ColumnType::Percent
            )
        };
        for source in manifests.iter().flat_map(|m| &m.sources) {
            if names.contains(&source.var) {
                continue;
            }
            // A record of no figures (概况: text and dates) has nothing to add up: its sheet
            // would hold the departments' names and an empty 合计.
            if let Shape::Record { fields, other } = &source.shape
                && !fields.iter().any(|f| numeric(&f.ty))
                && !other.as_ref().is_some_and(|o| numeric(&o.ty))
            {
                continue;
            }
            names.push(source.var.clone());
            let index = names.len() - 1;
            let sheet = workbook
                .add_worksheet_with_constant_memory()
                .map_err(xlsx)?;
            sheet
                .set_name(sheet_name(&source.var, &names))
                .map_err(xlsx)?;
            match &source.shape {
                Shape::Record { fields, other } => {
                    let names = |keep: &dyn Fn(&Column) -> bool| {
                        fields
                            .iter()
                            .filter(|f| keep(f))
                            .map(|f| f.name.trim().to_owned())
                            .collect::<Vec<_>>()
                    };
                    records.push(RecordSheet {
                        index,
                        var: source.var.clone(),
                        keys: names(&|f| numeric(&f.ty)),
                        rows: Held::new().map_err(held)?,
                        totals: Vec::new(),
                        last_year: Vec::new(),
                        has_last_year: false,
                        percent: names(&|f| f.ty == ColumnType::Percent),
                        declared: names(&|_| true),
                        other_percent: other.as_ref().is_some_and(|o| o.ty == ColumnType::Percent),
                    });
                }
                Shape::Table { columns } => {
                    // A percentage column shows its ratios as the departments typed them.
                    for (i, column) in columns.iter().enumerate() {
                        if column.ty == ColumnType::Percent {
                            sheet
                                .set_column_format(col(i + 1), &percent)
                                .map_err(xlsx)?;
                        }
                    }
                    let columns: Vec<String> =
                        columns.iter().map(|c| c.name.trim().to_owned()).collect();
                    sheet
                        .write_string_with_format(0, 0, "单位", &header)
                        .map_err(xlsx)?;
                    for (i, name) in columns.iter().enumerate() {
                        sheet
                            .write_string_with_format(0, col(i + 1), name, &header)
                            .map_err(xlsx)?;
                    }
                    sheet.set_freeze_panes(1, 0).map_err(xlsx)?;
                    tables.push(TableSheet {
                        index,
                        var: source.var.clone(),
                        dated: vec![false; columns.len()],
                        columns,
                        next_row: 1,
                        cut: false,
                    });
                }
            }
        }
        let failed_sheet = names.len();
        workbook
            .add_worksheet()
            .set_name("未生成的报告")
            .map_err(xlsx)?;
        Ok(Summary {
            workbook,
            records,
            tables,
            failed_sheet,
            failed: Vec::new(),
            failed_beyond: 0,
            header,
            date,
            general: Format::new().set_num_format("General"),
            percent,
            notes: Vec::new(),
        })
    }

    /// Which sheets the workbook has, for the threads that make each department's [`Part`].
    pub fn layout(&self) -> Layout {
        Layout {
            records: self.records.iter().map(|r| r.var.clone()).collect(),
            tables: self
                .tables
                .iter()
                .map(|t| (t.var.clone(), t.columns.clone()))
                .collect(),
        }
    }

    /// One department's part, in the order of the year's folder.
    pub fn add(&mut self, part: Part) -> Result<()> {
        // Fault injection for the test of a workbook step that panics (debug builds only).
        #[cfg(debug_assertions)]
        if std::env::var_os("HUIBAO_PANIC_IN_SUMMARY").is_some() {
            panic!("injected for a test");
        }
        let dept = part.dept;
        for (record, values) in self.records.iter_mut().zip(part.records) {
            let Some(values) = values else {
                continue;
            };
            let mut row = Vec::new();
            for (key, value) in values.this_year {
                let percent = record.is_percent(&key);
                let i = column(&mut record.keys, key);
                add(&mut row, i, value);
                if !percent {
                    add(&mut record.totals, i, value);
                }
            }
            record.rows.push(&dept, &row).map_err(held)?;
            if let Some(last) = values.last_year {
                record.has_last_year = true;
                for (key, value) in last {
                    let percent = record.is_percent(&key);
                    let i = column(&mut record.keys, key);
                    if !percent {
                        add(&mut record.last_year, i, value);
                    }
                }
            }
        }
        for (table, rows) in self.tables.iter_mut().zip(part.tables) {
            let sheet = self
                .workbook
                .worksheet_from_index(table.index)
                .map_err(xlsx)?;
            for values in rows.values.chunks(table.columns.len().max(1)) {
                if table.next_row >= MAX_ROWS {
                    table.cut = true;
                    break;
                }
                let r = table.next_row;
                sheet.write_string(r, 0, &dept).map_err(xlsx)?;
                for (i, value) in values.iter().enumerate() {
                    let c = col(i + 1);
                    // The row before is flushed already (this row's department was written
                    // first), so only cells from here on take the column's format.
                    let Some(dated) = table.dated.get_mut(i) else {
                        continue; // more values than columns: none are made so
                    };
                    if matches!(value, Slot::Date(_)) && !*dated {
                        sheet.set_column_format(c, &self.date).map_err(xlsx)?;
                        *dated = true;
                    }
                    let general = dated.then_some(&self.general);
                    write_value(sheet, r, c, value, &rows.text, general)?;
                }
                table.next_row += 1;
            }
        }
        Ok(())
    }

    /// A report that failed: its department, kind and error.
    pub fn failed(&mut self, dept: &str, kind: &str, error: &Error) {
        // A row per problem, each with its place: a report with four bad cells has four. The
        // rows are held until the end, so there are at most MAX_FAILED_ROWS of them.
        for problem in error.clone().into_list() {
            if self.failed.len() == MAX_FAILED_ROWS {
                self.failed_beyond += 1;
                continue;
            }
            let at = problem
                .location()
                .map(|l| l.to_string())
                .unwrap_or_default();
            self.failed
                .push([dept.to_owned(), kind.to_owned(), at, problem.to_string()]);
        }
    }

    /// The finished workbook, for [`crate::emit::xlsx::write`], and what it could not hold,
    /// to be said as 提示 (some of it is found only now).
    pub fn finish(mut self) -> Result<(Workbook, Vec<String>)> {
        for record in &mut self.records {
            let sheet = self
                .workbook
                .worksheet_from_index(record.index)
                .map_err(xlsx)?;
            sheet
                .write_string_with_format(0, 0, "单位", &self.header)
                .map_err(xlsx)?;
            for (i, key) in record.keys.iter().enumerate() {
                sheet
                    .write_string_with_format(0, col(i + 1), key, &self.header)
                    .map_err(xlsx)?;
                if record.is_percent(key) {
                    sheet
                        .set_column_format(col(i + 1), &self.percent)
                        .map_err(xlsx)?;
                }
            }
            let mut rows = record.rows.read().map_err(held)?;
            let mut r = 0;
            while let Some((dept, values)) = rows.next_row().map_err(held)? {
                r += 1;
                sheet.write_string(r, 0, &dept).map_err(xlsx)?;
                for (i, value) in values.iter().enumerate() {
                    if let Some(value) = value {
                        sheet.write_number(r, col(i + 1), *value).map_err(xlsx)?;
                    }
                }
            }
            let mut sums = vec![("合计", &record.totals)];
            if record.has_last_year {
                sums.push(("上年合计", &record.last_year));
            }
            for (r, (label, sum)) in (r + 1..).zip(sums) {
                sheet
                    .write_string_with_format(r, 0, label, &self.header)
                    .map_err(xlsx)?;
                for (i, value) in sum.iter().enumerate() {
                    if let Some(value) = value {
                        sheet
                            .write_number_with_format(r, col(i + 1), *value, &self.header)
                            .map_err(xlsx)?;
                    }
                }
            }
            sheet.set_freeze_panes(1, 1).map_err(xlsx)?;
            sheet.set_column_width(0, 24).map_err(xlsx)?;
        }
        for table in &self.tables {
            if table.cut {
                self.notes.push(format!(
                    "汇总.xlsx 的“{}”表超过了 Excel 的行数上限，只列出了前 {} 行。",
                    table.var,
                    MAX_ROWS - 1
                ));
            }
        }
        let sheet = self
            .workbook
            .worksheet_from_index(self.failed_sheet)
            .map_err(xlsx)?;
        for (i, title) in ["单位", "报告种类", "位置", "原因"].iter().enumerate() {
            sheet
                .write_string_with_format(0, col(i), *title, &self.header)
                .map_err(xlsx)?;
        }
        for (r, line) in self.failed.iter().enumerate() {
            for (c, text) in line.iter().enumerate() {
                sheet.write_string(row(r + 1), col(c), text).map_err(xlsx)?;
            }
        }
        sheet.set_freeze_panes(1, 0).map_err(xlsx)?;
        if self.failed_beyond > 0 {
            self.notes.push(format!(
                "“未生成的报告”只列出前 {MAX_FAILED_ROWS} 条问题，另有 {} 条没有列出；全部问题见 生成情况.txt 或 huibao check 的输出。",
                self.failed_beyond
            ));
        }
        Ok((self.workbook, self.notes))
    }
}

/// Which sheets the workbook has: each record source's name, each table source's name and
/// columns. Shared by the threads that build the departments.
#[derive(Debug, Clone)]
pub struct Layout {
    records: Vec<String>,
    tables: Vec<(String, Vec<String>)>,
}

/// What the workbook takes from one department: record values and table rows as plain
/// values. It is made on the thread that built the department's reports, so that no
/// department's context has to outlive its reports for the workbook's sake.
#[derive(Debug)]
pub struct Part {
    pub dept: String,
    /// By [`Layout::records`]: the numeric values, none when no report read the source.
    records: Vec<Option<RecordValues>>,
    /// By [`Layout::tables`]: the table's rows.
    tables: Vec<Rows>,
}

/// A table's rows in two allocations rather than one per cell, since they are made on one
/// thread and freed on another: the cells row after row (each row as wide as the table's
/// columns), their texts in one string.
#[derive(Debug, Default)]
struct Rows {
    values: Vec<Slot>,
    text: String,
}

/// A cell's value, its text a range of [`Rows::text`].
#[derive(Debug)]
enum Slot {
    Empty,
    Text(std::ops::Range<usize>),
    Integer(i64),
    Number(f64),
    Date(chrono::NaiveDate),
    Bool(bool),
}

impl Rows {
    fn push(&mut self, value: Option<&Value>) {
        let slot = match value {
            None | Some(Value::Empty) => Slot::Empty,
            Some(Value::Text(t)) => {
                let start = self.text.len();
                self.text.push_str(t);
                Slot::Text(start..self.text.len())
            }
            Some(Value::Integer(i)) => Slot::Integer(*i),
            Some(Value::Number(n)) => Slot::Number(*n),
            Some(Value::Date(d)) => Slot::Date(*d),
            Some(Value::Bool(b)) => Slot::Bool(*b),
        };
        self.values.push(slot);
    }
}

#[derive(Debug)]
struct RecordValues {
    this_year: Vec<(String, f64)>,
    last_year: Option<Vec<(String, f64)>>,
}

impl Layout {
    /// One department's part, from the contexts of its reports (any kind that has a source
    /// gives it; the first wins).
    pub fn part(&self, dept: &str, contexts: &[&Context]) -> Part {
        let records = self
            .records
            .iter()
            .map(|var| {
                let data = contexts.iter().find_map(|c| c.vars.get(var))?;
                let last = contexts
                    .iter()
                    .find_map(|c| c.prev.as_ref().and_then(|p| p.vars.get(var)));
                Some(RecordValues {
                    this_year: numbers(data),
                    last_year: last.map(numbers),
                })
            })
            .collect();
        let tables = self
            .tables
            .iter()
            .map(|(var, columns)| {
                let mut part = Rows::default();
                let Some(Data::Table(rows)) = contexts.iter().find_map(|c| c.vars.get(var)) else {
                    return part;
                };
                let rows = &rows[..rows.len().min(MAX_ROWS as usize)];
                part.values.reserve_exact(rows.len() * columns.len());
                for row in rows {
                    for name in columns {
                        part.push(row.get(name.as_str()).map(|cell| &cell.value));
                    }
                }
                part.text.shrink_to_fit();
                part
            })
            .collect();
        Part {
            dept: dept.to_owned(),
            records,
            tables,
        }
    }
}

/// A record's numeric values, in the record's order.
fn numbers(data: &Data) -> Vec<(String, f64)> {
    let Data::Record(row) = data else {
        return Vec::new();
    };
    row.iter()
        .filter_map(|(key, cell)| match cell.value {
            Value::Integer(i) => Some((key.to_string(), i as f64)),
            Value::Number(n) => Some((key.to_string(), n)),
            _ => None,
        })
        .collect()
}

/// The index of `key` among the columns, a new column when it is not one yet.
fn column(keys: &mut Vec<String>, key: String) -> usize {
    match keys.iter().position(|k| *k == key) {
        Some(i) => i,
        None => {
            keys.push(key);
            keys.len() - 1
        }
    }
}

/// Adds `value` to the sum at `i` (or sets the value there, in a row of its own).
fn add(sums: &mut Vec<Option<f64>>, i: usize, value: f64) {
    if sums.len() <= i {
        sums.resize(i + 1, None);
    }
    *sums[i].get_or_insert(0.0) += value;
}

/// A number, with `general` as its own format when given.
fn number(
    sheet: &mut Worksheet,
    r: u32,
    c: u16,
    n: f64,
    general: Option<&Format>,
) -> std::result::Result<(), rust_xlsxwriter::XlsxError> {
    match general {
        Some(general) => sheet.write_number_with_format(r, c, n, general),
        None => sheet.write_number(r, c, n),
    }
    .map(|_| ())
}

/// A table cell into the summary workbook; `general` is given for a column that has the date
/// format, so that a number in it is not shown as a date.
fn write_value(
    sheet: &mut Worksheet,
    r: u32,
    c: u16,
    value: &Slot,
    text: &str,
    general: Option<&Format>,
) -> Result<()> {
    match value {
        Slot::Empty => Ok(()),
        Slot::Text(range) => sheet.write_string(r, c, &text[range.clone()]).map(|_| ()),
        Slot::Integer(i) => number(sheet, r, c, *i as f64, general),
        Slot::Number(n) => number(sheet, r, c, *n, general),
        Slot::Bool(b) => sheet
            .write_string(r, c, if *b { "是" } else { "否" })
            .map(|_| ()),
        Slot::Date(d) => {
            let when = ExcelDateTime::from_ymd(d.year() as u16, d.month() as u8, d.day() as u8);
            match when {
                // The column's date format (set before its first date) applies.
                Ok(when) => sheet.write_datetime(r, c, when).map(|_| ()),
                Err(_) => sheet
                    .write_string(r, c, crate::sources::typing::iso_date(*d))
                    .map(|_| ()),
            }
        }
    }
    .map_err(xlsx)
}

/// A worksheet name Excel accepts: at most 31 characters, none of `[]:*?/\`, no apostrophe
/// at either end, unique.
fn sheet_name(var: &str, taken: &[String]) -> String {
    let clean: String = var
        .chars()
        .map(|c| if "[]:*?/\\".contains(c) { '_' } else { c })
        .take(28)
        .collect();
    let clean = clean.trim_matches('\'').to_owned();
    let clean = if clean.trim().is_empty()
        || clean == "未生成的报告"
        || clean.eq_ignore_ascii_case("history")
    {
        format!("{clean}_")
    } else {
        clean
    };
    let earlier = taken[..taken.len() - 1]
        .iter()
        .filter(|t| t.chars().take(28).collect::<String>() == clean)
        .count();
    match earlier {
        0 => clean,
        n => format!("{clean}_{}", n + 1),
    }
}

fn xlsx(e: rust_xlsxwriter::XlsxError) -> Error {
    use rust_xlsxwriter::XlsxError;
    let reason = crate::diagnostics::io_reason;
    Error::Workspace(match e {
        // The sheets wait in temporary files until the workbook is packed.
        XlsxError::TempFileError(dir, e) => format!(
            "写汇总.xlsx 时，无法在临时文件夹 {} 中建立临时文件：{}。请检查临时文件夹（环境变量 TMPDIR 或 TEMP）是否存在、可写、有空间。",
            dir.display(),
            reason(&e)
        ),
        XlsxError::IoError(e) => format!("写汇总.xlsx 时出错：{}。", reason(&e)),
        e => format!("写汇总.xlsx 时出错：{e}。"),
    })
}

fn held(e: std::io::Error) -> Error {
    Error::Workspace(format!(
        "写汇总.xlsx 时，临时文件读写出错：{}。请检查临时文件夹（环境变量 TMPDIR 或 TEMP）是否存在、可写、有空间。",
        crate::diagnostics::io_reason(&e)
    ))
}

/// A record sheet's rows on their way to the workbook: each department's name and values
/// appended as a CSV line (a blank field where it has none; Rust writes an `f64` so that it
/// reads back exactly) to an anonymous temporary file, read back in the same order when the
/// sheet is written.
struct Held {
    file: csv::Writer<std::fs::File>,
}

impl Held {
    fn new() -> std::io::Result<Held> {
        Ok(Held {
            file: csv::WriterBuilder::new()
                .flexible(true)
                .from_writer(tempfile::tempfile()?),
        })
    }

    fn push(&mut self, dept: &str, values: &[Option<f64>]) -> std::io::Result<()> {
        let fields = values
            .iter()
            .map(|v| v.map(|v| v.to_string()).unwrap_or_default());
        self.file
            .write_record(std::iter::once(dept.to_owned()).chain(fields))?;
        Ok(())
    }

    /// The rows from the first, for reading once.
    fn read(&mut self) -> std::io::Result<HeldRows> {
        use std::io::Seek;
        self.file.flush()?;
        let mut file = self.file.get_ref().try_clone()?;
        file.seek(std::io::SeekFrom::Start(0))?;
        let reader = csv::ReaderBuilder::new()
            .has_headers(false)
            .flexible(true)
            .from_reader(file);
        Ok(HeldRows(reader, csv::StringRecord::new()))
    }
}

struct HeldRows(csv::Reader<std::fs::File>, csv::StringRecord);

impl HeldRows {
    fn next_row(&mut self) -> std::io::Result<Option<(String, Vec<Option<f64>>)>> {
        let HeldRows(reader, line) = self;
        if !reader.read_record(line)? {
            return Ok(None);
        }
        let values = line
            .iter()
            .skip(1)
            .map(|field| match field {
                "" => Ok(None),
                number => number.parse().map(Some).map_err(std::io::Error::other),
            })
            .collect::<std::io::Result<_>>()?;
        Ok(Some((line.get(0).unwrap_or_default().to_owned(), values)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_failed_reports_sheet_holds_at_most_its_rows_and_says_how_many_more() {
        let mut summary = Summary::new(&[]).unwrap();
        let problem = Error::Workspace("坏了".into());
        for _ in 0..MAX_FAILED_ROWS + 3 {
            summary.failed("县甲局", "简报", &problem);
        }
        assert_eq!(summary.failed.len(), MAX_FAILED_ROWS);
        let (_, notes) = summary.finish().unwrap();
        assert!(
            notes.iter().any(|n| n.contains("另有 3 条没有列出")),
            "{notes:?}"
        );
    }

    /// How rust_xlsxwriter treats a column given the date format, which the summary's table
    /// sheets rely on: a date written without a format takes it, and so would a number,
    /// unless the number carries “General” as a format of its own. A row takes its formats
    /// when it is flushed, as the next row begins: `add` writes a row's department first, so
    /// the row before, which may hold a number in that column, is flushed before the column
    /// gets its format.
    #[test]
    fn a_column_format_reaches_cells_without_one() {
        use calamine::{Data, Reader};
        let mut workbook = crate::emit::xlsx::new_workbook();
        let sheet = workbook.add_worksheet_with_constant_memory().unwrap();
        sheet.write_number(0, 1, 7).unwrap();
        let date = Format::new().set_num_format("yyyy-mm-dd");
        let general = Format::new().set_num_format("General");
        sheet.write_string(1, 0, "县退役军人事务局").unwrap();
        sheet.set_column_format(1, &date).unwrap();
        let when = ExcelDateTime::from_ymd(2022, 3, 1).unwrap();
        sheet.write_datetime(1, 1, when).unwrap();
        write_value(sheet, 2, 1, &Slot::Number(5.0), "", Some(&general)).unwrap();
        sheet.write_number(3, 1, 5).unwrap();
        let bytes = workbook.save_to_buffer().unwrap();
        let mut read = calamine::Xlsx::new(std::io::Cursor::new(bytes)).unwrap();
        let range = read.worksheet_range("Sheet1").unwrap();
        let cell = |r: u32| range.get_value((r, 1)).cloned().unwrap();
        assert_eq!(
            cell(0),
            Data::Float(7.0),
            "written before the column had a format"
        );
        assert!(matches!(cell(1), Data::DateTime(_)), "{:?}", cell(1));
        assert_eq!(cell(2), Data::Float(5.0));
        assert!(
            matches!(cell(3), Data::DateTime(_)),
            "why a number needs “General”"
        );
    }

    #[test]
    fn held_rows_read_back_as_pushed() {
        let rows: Vec<(&str, Vec<Option<f64>>)> = vec![
            ("县退役军人事务局", vec![Some(4.0), None, Some(0.1 + 0.2)]),
            ("名称里有,逗号\"引号\n换行 ", vec![]),
            (
                "甲",
                vec![
                    None,
                    Some(-1.5e20),
                    Some(1234567.891),
                    Some(f64::MIN_POSITIVE),
                ],
            ),
        ];
        let mut held = Held::new().unwrap();
        for (dept, values) in &rows {
            held.push(dept, values).unwrap();
        }
        let mut read = held.read().unwrap();
        for (dept, values) in &rows {
            assert_eq!(
                read.next_row().unwrap(),
                Some((dept.to_string(), values.clone()))
            );
        }
        assert_eq!(read.next_row().unwrap(), None);
    }

    #[test]
    fn any_source_name_makes_a_sheet_excel_accepts() {
        let long = "很长的数据源名称".repeat(5);
        let names = [
            "'统计'",
            "a[b]:c",
            "History",
            &long,
            &long,
            "未生成的报告",
            "   ",
        ];
        let mut taken = Vec::new();
        let mut workbook = Workbook::new();
        let mut made = Vec::new();
        for name in names {
            taken.push(name.to_owned());
            let sheet = sheet_name(name, &taken);
            workbook.add_worksheet().set_name(&sheet).unwrap();
            made.push(sheet);
        }
        assert_eq!(made[0], "统计");
        assert_eq!(made[1], "a_b__c");
        let mut unique = made.clone();
        unique.sort();
        unique.dedup();
        assert_eq!(unique.len(), made.len(), "{made:?}");
        workbook.save_to_buffer().unwrap();
    }
}
