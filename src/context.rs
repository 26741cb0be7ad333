//! The context: everything a template sees, built from a department's sources.
//!
//! Besides the sources (by their variable names) it holds `year`, `dept` (the department's
//! folder name), `kind` (the report kind's folder name) and, when `data/<year-1>/<dept>/`
//! exists, `prev`: last year's context, read with the same manifest. `huibao context` prints
//! it as JSON.

use indexmap::IndexMap;
use serde::ser::{Serialize, SerializeMap, Serializer};

use crate::sources::{Cell, Data, Sources, Value};

#[derive(Debug, Clone)]
pub struct Context {
    pub year: i32,
    pub dept: String,
    pub kind: String,
    pub vars: IndexMap<String, Data>,
    /// Last year's context, when the department has data for it.
    pub prev: Option<Box<Context>>,
}

pub fn build(year: i32, dept: &str, kind: &str, sources: Sources) -> Context {
    Context {
        year,
        dept: dept.to_owned(),
        kind: kind.to_owned(),
        vars: sources.vars,
        prev: None,
    }
}

impl Context {
    /// The context as the template engine takes it.
    pub fn to_value(&self) -> minijinja::Value {
        minijinja::Value::from(minijinja::value::Serde(self))
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
            row.iter().map(|(k, c)| (k.clone(), cell(c))).collect()
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
            Value::Date(d) => serializer.collect_str(&d.format("%Y-%m-%d")),
            Value::Bool(b) => serializer.serialize_bool(*b),
        }
    }
}
