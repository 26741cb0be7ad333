//! Departments renamed from last year to this one. A sheet `单位改名` in the year's folder
//! (`data/<year>/单位改名.csv`, or a sheet of that name in a workbook there) lists each
//! rename as `上年名称` and `今年名称`: the renamed department's folder of last year is its
//! `prev`, and a county-wide report does not count its old name among the departments that did
//! not report. Without the sheet, a department is last year's department of the same name.

use std::collections::HashMap;

use super::{Grid, Value, shape};
use crate::diagnostics::{Error, Note, Result};
use crate::index::Names;
use crate::manifest::{Column, ColumnType};

/// The sheet's name (and a CSV file's stem).
pub const SHEET: &str = "单位改名";

/// This year's name of each renamed department, and last year's.
#[derive(Debug, Default)]
pub struct Renames {
    /// Last year's name of each department renamed, by this year's.
    old_of: HashMap<String, String>,
    /// This year's name of each, by last year's.
    new_of: HashMap<String, String>,
}

impl Renames {
    /// The renames `grid` lists, each checked against the departments of this year (`this`)
    /// and last year (`prev`); every problem is told, at its cell.
    pub fn read(grid: &Grid, this: &Names, prev: &Names) -> Result<Renames> {
        let columns = [
            Column::new("上年名称", ColumnType::Text),
            Column::new("今年名称", ColumnType::Text),
        ];
        let mut notes: Vec<Note> = Vec::new();
        let mut errors = Vec::new();
        let rows = shape::table(grid, &columns, &mut notes, &mut errors);
        Error::collect(errors)?;
        let mut old_of = HashMap::new();
        let mut new_of = HashMap::new();
        let mut errors = Vec::new();
        for row in &rows {
            let text = |key: &str| match row.get(key).map(|c| &c.value) {
                Some(Value::Text(t)) => t.trim().to_owned(),
                _ => String::new(),
            };
            let (old, new) = (text("上年名称"), text("今年名称"));
            let at = |key: &str| {
                row.get(key)
                    .map(|c| c.at.clone())
                    .unwrap_or(grid.at.clone())
            };
            // What the cell should hold: a department of its year, each once.
            let bad = |key: &str, found: &str, once: bool, hint: String| Error::BadValue {
                at: at(key),
                column: key.to_owned(),
                expected: match (key, once) {
                    (_, true) => "只出现一次的单位名称".into(),
                    ("上年名称", false) => "上一年有文件夹的单位名称".into(),
                    _ => "今年有文件夹的单位名称".into(),
                },
                found: found.to_owned(),
                hint,
            };
            let guess = |name: &str, names: &Names| {
                let candidates: Vec<&str> = names.iter().collect();
                crate::suggest::did_you_mean(name, &candidates).unwrap_or_default()
            };
            // Each name has a folder in its own year, and none in the other.
            for (key, name, own, other, absent, present) in [
                (
                    "上年名称",
                    &old,
                    prev,
                    this,
                    "上一年没有这个单位的文件夹。",
                    "今年也有这个单位的文件夹，它没有改名。请删去这一行，或把今年的文件夹改成新名称。",
                ),
                (
                    "今年名称",
                    &new,
                    this,
                    prev,
                    "今年没有这个单位的文件夹。",
                    "上一年也有这个单位的文件夹，它的上年数据就在那里。请删去这一行。",
                ),
            ] {
                if !own.contains(name) {
                    errors.push(bad(
                        key,
                        name,
                        false,
                        format!("{absent}{}", guess(name, own)),
                    ));
                } else if other.contains(name) {
                    errors.push(bad(key, name, false, present.to_owned()));
                }
            }
            if let Some(other) = new_of.insert(old.clone(), new.clone()) {
                errors.push(bad(
                    "上年名称",
                    &old,
                    true,
                    format!("这个单位已经改名为“{other}”，一个单位只能改一个名称。"),
                ));
            }
            if let Some(other) = old_of.insert(new.clone(), old.clone()) {
                errors.push(bad(
                    "今年名称",
                    &new,
                    true,
                    format!("已经有“{other}”改名为它，两个单位只能改成不同的名称。"),
                ));
            }
        }
        Error::collect(errors)?;
        Ok(Renames { old_of, new_of })
    }

    /// Last year's name of the department called `name` this year.
    pub fn last_years_name<'a>(&'a self, name: &'a str) -> &'a str {
        self.old_of.get(name).map_or(name, String::as_str)
    }

    /// Whether last year's department `old` goes by another name this year.
    pub fn renamed(&self, old: &str) -> bool {
        self.new_of.contains_key(old)
    }
}
