//! The context: everything a template sees, built from a department's sources.
//!
//! Besides the sources (by their variable names) it holds `year`, `dept` (the department's
//! folder name), `kind` (the report kind's folder name) and, when `data/<year-1>/<dept>/`
//! exists, `prev`: last year's context, read with the same manifest. `huibao context` prints
//! it as JSON.

use indexmap::IndexMap;
use serde::ser::{Serialize, SerializeMap, Serializer};

use std::sync::Arc;

use minijinja::value::{Enumerator, Object, ObjectRepr};

use crate::diagnostics::Location;
use crate::sources::{Cell, Data, Row, Sources, Value};

#[derive(Debug, Clone)]
pub struct Context {
    pub year: i32,
    pub dept: String,
    pub kind: String,
    pub vars: IndexMap<String, Data>,
    /// Last year's context, when the department has data for it.
    pub prev: Option<Box<Context>>,
    /// A county-wide report's view of every department.
    pub county: Option<Box<County>>,
}

/// What a county-wide report sees: every department whose data was read, in the order of
/// the year's folder (by name), and the departments whose data failed or is missing.
#[derive(Debug, Clone, Default)]
pub struct County {
    pub departments: Vec<Context>,
    /// Each department that has no context: its name and why.
    pub failed: Vec<(String, String)>,
    /// The sources the kind declares: each is in `all`, empty when no department was read.
    pub sources: Vec<String>,
}

pub fn build(year: i32, dept: &str, kind: &str, sources: Sources) -> Context {
    Context {
        year,
        dept: dept.to_owned(),
        kind: kind.to_owned(),
        vars: sources.vars,
        prev: None,
        county: None,
    }
}

/// The context of a county-wide report of `kind`: no department's own data, but `departments`
/// and `failed`.
pub fn county(year: i32, kind: &str, county: County) -> Context {
    Context {
        year,
        dept: String::new(),
        kind: kind.to_owned(),
        vars: IndexMap::new(),
        prev: None,
        county: Some(Box::new(county)),
    }
}

impl Context {
    /// The context as the template engine takes it. The sources are not copied: tables and
    /// records are template objects over the shared data, each cell turned into a template
    /// value only when a template reads it.
    pub fn to_value(&self) -> minijinja::Value {
        let mut entries: Vec<(&str, minijinja::Value)> = vec![
            ("year", self.year.into()),
            ("dept", self.dept.as_str().into()),
            ("kind", self.kind.as_str().into()),
        ];
        for (name, data) in &self.vars {
            let value = match data {
                Data::Table(rows) => minijinja::Value::from_object(TableObject(rows.clone())),
                Data::Record(row) => minijinja::Value::from_object(RowObject::Record(row.clone())),
            };
            entries.push((name, value));
        }
        if let Some(prev) = &self.prev {
            entries.push(("prev", prev.to_value()));
        }
        if let Some(county) = &self.county {
            let departments: Vec<minijinja::Value> =
                county.departments.iter().map(Context::to_value).collect();
            let failed: Vec<minijinja::Value> = county
                .failed
                .iter()
                .map(|(dept, reason)| {
                    minijinja::Value::from_pairs(vec![
                        ("dept", minijinja::Value::from(dept.as_str())),
                        ("reason", minijinja::Value::from(reason.as_str())),
                    ])
                })
                .collect();
            entries.retain(|(name, _)| *name != "dept");
            entries.push(("departments", departments.into()));
            entries.push(("failed", failed.into()));
            // Every source across the departments, by name.
            let mut all: indexmap::IndexMap<&str, Vec<(Arc<str>, Data)>> = county
                .sources
                .iter()
                .map(|name| (name.as_str(), Vec::new()))
                .collect();
            for department in &county.departments {
                let dept: Arc<str> = department.dept.as_str().into();
                for (name, data) in &department.vars {
                    all.entry(name.as_str())
                        .or_default()
                        .push((dept.clone(), data.clone()));
                }
            }
            let all: Vec<(&str, minijinja::Value)> = all
                .into_iter()
                .map(|(name, data)| (name, minijinja::Value::from_object(AllObject(data))))
                .collect();
            entries.push(("all", minijinja::Value::from_pairs(all)));
        }
        minijinja::Value::from_pairs(entries)
    }
}

/// A table as a template sees it: a sequence of rows.
#[derive(Debug)]
struct TableObject(Arc<Vec<Row>>);

impl Object for TableObject {
    fn repr(self: &Arc<Self>) -> ObjectRepr {
        ObjectRepr::Seq
    }

    fn get_value(self: &Arc<Self>, key: &minijinja::Value) -> Option<minijinja::Value> {
        let index = usize::try_from(key.clone()).ok()?;
        (index < self.0.len())
            .then(|| minijinja::Value::from_object(RowObject::InTable(self.0.clone(), index)))
    }

    fn enumerate(self: &Arc<Self>) -> Enumerator {
        Enumerator::Seq(self.0.len())
    }
}

/// A row of a table, or a record: a mapping by column name or key, in the sheet's order.
/// In a county-wide report's `all`, each row also answers `dept`, its department's name.
#[derive(Debug)]
enum RowObject {
    InTable(Arc<Vec<Row>>, usize),
    Record(Arc<Row>),
    Of(Arc<str>, Box<RowObject>),
}

impl RowObject {
    fn row(&self) -> &Row {
        match self {
            RowObject::InTable(rows, index) => &rows[*index],
            RowObject::Record(row) => row,
            RowObject::Of(_, inner) => inner.row(),
        }
    }

    /// The table its row is in (told apart by where its rows are held); `None` for a record.
    fn table(&self) -> Option<usize> {
        match self {
            RowObject::InTable(rows, _) => Some(Arc::as_ptr(rows) as usize),
            RowObject::Record(_) => None,
            RowObject::Of(_, inner) => inner.table(),
        }
    }

    fn dept(&self) -> Option<&Arc<str>> {
        match self {
            RowObject::Of(dept, _) => Some(dept),
            _ => None,
        }
    }
}

/// A source across every department of a county-wide report (`all.活动清单`): a table's rows
/// one department after another, or each department's record; every item also has `dept`.
/// Iterating it walks the shared rows, so a template over all rows stays linear.
#[derive(Debug)]
struct AllObject(Vec<(Arc<str>, Data)>);

impl AllObject {
    fn items(&self) -> impl Iterator<Item = RowObject> + '_ {
        self.0.iter().flat_map(|(dept, data)| {
            let rows: Box<dyn Iterator<Item = RowObject>> = match data {
                Data::Table(rows) => {
                    let rows = rows.clone();
                    Box::new((0..rows.len()).map(move |i| RowObject::InTable(rows.clone(), i)))
                }
                Data::Record(row) => Box::new(std::iter::once(RowObject::Record(row.clone()))),
            };
            rows.map(move |row| RowObject::Of(dept.clone(), Box::new(row)))
        })
    }
}

impl Object for AllObject {
    fn repr(self: &Arc<Self>) -> ObjectRepr {
        ObjectRepr::Iterable
    }

    fn enumerate(self: &Arc<Self>) -> Enumerator {
        let this = self.clone();
        let items: Vec<minijinja::Value> =
            this.items().map(minijinja::Value::from_object).collect();
        Enumerator::Values(items)
    }

    fn enumerator_len(self: &Arc<Self>) -> Option<usize> {
        Some(
            self.0
                .iter()
                .map(|(_, data)| match data {
                    Data::Table(rows) => rows.len(),
                    Data::Record(_) => 1,
                })
                .sum(),
        )
    }
}

/// The table `value` is a row of (told apart by where its rows are held), when it is a row of
/// a table and not a record.
pub fn table_of(value: &minijinja::Value) -> Option<usize> {
    value.downcast_object_ref::<RowObject>()?.table()
}

/// Where the cell `name` of `value`, a table's row, is, when it is blank.
pub fn blank_cell(value: &minijinja::Value, name: &str) -> Option<crate::diagnostics::Location> {
    let row = value.downcast_object_ref::<RowObject>()?;
    row.table()?;
    let cell = row.row().get(name)?;
    (cell.value == Value::Empty).then(|| cell.at.clone())
}

/// When `value` is a row of a table (not a record, whose keys vary with the sheet) and has no
/// column `name`, the columns it has; `None` otherwise.
pub fn columns_lacking(value: &minijinja::Value, name: &str) -> Option<Vec<String>> {
    let row = value.downcast_object_ref::<RowObject>()?;
    let (table_row, dept) = match row {
        RowObject::InTable(..) => (true, None),
        RowObject::Record(_) => (false, None),
        RowObject::Of(dept, inner) => (matches!(**inner, RowObject::InTable(..)), Some(dept)),
    };
    if !table_row || row.row().contains_key(name) || (dept.is_some() && name == "dept") {
        return None;
    }
    let mut columns: Vec<String> = row.row().keys().map(|k| k.to_string()).collect();
    if dept.is_some() {
        columns.push("dept".to_owned());
    }
    Some(columns)
}

impl Object for RowObject {
    fn get_value(self: &Arc<Self>, key: &minijinja::Value) -> Option<minijinja::Value> {
        self.get_value_by_str(key.as_str()?)
    }

    fn get_value_by_str(self: &Arc<Self>, key: &str) -> Option<minijinja::Value> {
        match (self.row().get(key), self.dept()) {
            (Some(cell), _) => {
                blank_read(key, cell);
                Some(template_value(&cell.value))
            }
            (None, Some(dept)) if key == "dept" => Some(minijinja::Value::from(dept.as_ref())),
            _ => None,
        }
    }

    fn enumerate(self: &Arc<Self>) -> Enumerator {
        let this = self.clone();
        let len = this.row().len();
        Enumerator::Iter(Box::new((0..len).map(move |i| {
            let (key, _) = this.row().get_index(i).expect("within the row");
            minijinja::Value::from(key.clone())
        })))
    }

    fn enumerator_len(self: &Arc<Self>) -> Option<usize> {
        Some(self.row().len())
    }
}

/// A blank cell a template read: its column or key, and where it is.
pub type Blank = (String, Location);

thread_local! {
    /// The blank cell a template has just read (a template is rendered on one thread), so
    /// that printing it can name the cell, not only the template's line.
    static LAST_BLANK: std::cell::RefCell<Option<Blank>> = const { std::cell::RefCell::new(None) };
}

/// Notes a cell a template reads by `key`: where it is if it is blank, and nothing once a cell
/// with a value is read after it.
fn blank_read(key: &str, cell: &Cell) {
    let blank = matches!(cell.value, Value::Empty).then(|| (key.to_owned(), cell.at.clone()));
    LAST_BLANK.with(|last| *last.borrow_mut() = blank);
}

/// The blank cell a template read last, if no cell with a value came after it; forgotten.
pub fn last_blank() -> Option<Blank> {
    LAST_BLANK.with(|last| last.borrow_mut().take())
}

/// Forgets the blank cell read last: what is read from here on is another value's.
pub fn forget_blank() {
    last_blank();
}

/// A cell's value as templates see it, as the JSON of `huibao context` shows it: integers
/// stay integers (a whole number from a number column too), dates are ISO strings.
fn template_value(value: &Value) -> minijinja::Value {
    match value {
        Value::Empty => minijinja::Value::from(()),
        Value::Text(s) => minijinja::Value::from(s.as_str()),
        Value::Integer(i) => minijinja::Value::from(*i),
        Value::Number(f) if f.fract() == 0.0 && f.abs() < 9.0e15 => {
            minijinja::Value::from(*f as i64)
        }
        Value::Number(f) => minijinja::Value::from(*f),
        Value::Date(d) => minijinja::Value::from(crate::sources::typing::iso_date(*d).as_str()),
        Value::Bool(b) => minijinja::Value::from(*b),
    }
}

impl Context {
    /// The context as JSON with every value's origin beside it:
    /// `{"value": 3, "at": "data/…/2022年报告数据.xlsx › 统计 › B2"}`, so a reviewer can ask
    /// where a figure in the report came from.
    pub fn with_provenance(&self) -> serde_json::Value {
        let cell = |cell: &Cell| {
            serde_json::json!({
                "value": cell.value_json(),
                "at": cell.at.to_string(),
            })
        };
        let row = |row: &crate::sources::Row| -> serde_json::Map<String, serde_json::Value> {
            row.iter().map(|(k, c)| (k.to_string(), cell(c))).collect()
        };
        let mut map = serde_json::Map::new();
        map.insert("year".into(), self.year.into());
        map.insert("dept".into(), self.dept.clone().into());
        map.insert("kind".into(), self.kind.clone().into());
        for (name, data) in &self.vars {
            let value = match data {
                Data::Table(rows) => rows
                    .iter()
                    .map(|r| serde_json::Value::Object(row(r)))
                    .collect(),
                Data::Record(r) => serde_json::Value::Object(row(r)),
            };
            map.insert(name.clone(), value);
        }
        if let Some(prev) = &self.prev {
            map.insert("prev".into(), prev.with_provenance());
        }
        // A county-wide report's: each department's values with theirs (`all` holds the same
        // values again, and is left out).
        if let Some(county) = &self.county {
            map.remove("dept");
            let departments = county.departments.iter().map(Context::with_provenance);
            map.insert("departments".into(), departments.collect());
            let failed = county
                .failed
                .iter()
                .map(|(dept, reason)| serde_json::json!({ "dept": dept, "reason": reason }));
            map.insert("failed".into(), failed.collect());
        }
        serde_json::Value::Object(map)
    }
}

impl Cell {
    fn value_json(&self) -> serde_json::Value {
        serde_json::to_value(&self.value).expect("plain data")
    }
}

impl Serialize for Context {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut map = serializer.serialize_map(None)?;
        map.serialize_entry("year", &self.year)?;
        map.serialize_entry("dept", &self.dept)?;
        map.serialize_entry("kind", &self.kind)?;
        for (name, data) in &self.vars {
            map.serialize_entry(name, data)?;
        }
        if let Some(prev) = &self.prev {
            map.serialize_entry("prev", prev)?;
        }
        map.end()
    }
}

impl Serialize for Data {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self {
            Data::Table(rows) => rows.serialize(serializer),
            Data::Record(row) => row.serialize(serializer),
        }
    }
}

impl Serialize for Cell {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        self.value.serialize(serializer)
    }
}

impl Serialize for Value {
    /// Integers stay integers (`3`, never `3.0`), a whole number from a number column too;
    /// dates are ISO strings (`2022-10-25`) that the date filters read.
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self {
            Value::Empty => serializer.serialize_none(),
            Value::Text(s) => serializer.serialize_str(s),
            Value::Integer(i) => serializer.serialize_i64(*i),
            Value::Number(f) if f.fract() == 0.0 && f.abs() < 9.0e15 => {
                serializer.serialize_i64(*f as i64)
            }
            Value::Number(f) => serializer.serialize_f64(*f),
            Value::Date(d) => serializer.serialize_str(&crate::sources::typing::iso_date(*d)),
            Value::Bool(b) => serializer.serialize_bool(*b),
        }
    }
}
