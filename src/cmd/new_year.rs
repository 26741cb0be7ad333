//! `huibao new-year`: the next year's folders, each with its department's form, the values
//! that stay from year to year carried over and last year's figures beside the empty cells.

use std::collections::HashMap;
use std::path::PathBuf;
use std::process::ExitCode;

use clap::Args;

use super::forms::{form_path, tell, write_new};
use super::{Dirs, pick};
use crate::context::Context;
use crate::diagnostics::{Error, Result};
use crate::forms::{self, FormSheet, Prefill};
use crate::index::YearIndex;
use crate::manifest::{Manifest, Shape};
use crate::pipeline::{Department, Kind, Years};
use crate::sources::{Data, Value};

#[derive(Args, Debug)]
pub struct NewYearArgs {
    /// 新的年度，如 2023
    #[arg(long, value_name = "年度")]
    pub to: i32,
    /// 从哪一年出发（默认：data/ 下早于新年度的最新年度）
    #[arg(long, value_name = "年度")]
    pub from: Option<i32>,
    /// 只为这些报告种类准备数据表（可重复；默认：全部）
    #[arg(long, value_name = "种类")]
    pub kind: Vec<String>,
    #[command(flatten)]
    pub dirs: Dirs,
}

pub fn run(args: NewYearArgs) -> Result<ExitCode> {
    let workspace = args.dirs.workspace();
    let to = args.to;
    // The latest year before the new one: a second run finds the same year, not the new one.
    let from = match args.from {
        Some(year) => year,
        None => workspace
            .years()?
            .into_iter()
            .rfind(|y| *y < to)
            .ok_or_else(|| {
                Error::Workspace(format!(
                    "{} 下没有早于 {to} 的年度文件夹，无从沿用。请先按 data/<年度>/<单位>/ 放好上一年的数据。",
                    workspace.data.display()
                ))
            })?,
    };
    if to <= from {
        return Err(Error::Workspace(format!(
            "新的年度（{to}）应晚于出发的年度（{from}）。"
        )));
    }
    if !(1000..=9999).contains(&to) {
        return Err(Error::Workspace(format!(
            "年度应是四位数字，得到的是 {to}。"
        )));
    }
    let mut index = YearIndex::scan(&workspace.year_dir(from), from)?;
    index.list_files(&[]);
    let kinds = pick(&args.kind, &workspace.kinds()?, "报告种类")?
        .iter()
        .map(|kind| Kind::load(&workspace, kind))
        .collect::<Result<Vec<Kind>>>()?;
    let chosen: Vec<&Manifest> = kinds.iter().map(|k| &k.manifest).collect();
    let sheets = forms::sheets(&chosen)?;
    let years = Years::open(&workspace, &index);
    let mut created = Vec::new();
    let mut skipped = Vec::new();
    let mut unread = Vec::new();
    for dept in &index.departments {
        let dir = workspace.year_dir(to).join(&dept.name);
        // A folder that already holds a file (a workbook the department sent early) gets no
        // form beside it: two workbooks with the same sheets would be an error at build.
        let holds_files = std::fs::read_dir(&dir)
            .is_ok_and(|mut entries| entries.any(|e| e.is_ok_and(|e| e.path().is_file())));
        if holds_files {
            skipped.push(dir);
            continue;
        }
        let mut department = Department::open(dept.clone(), &years);
        let mut contexts = Vec::new();
        for kind in &kinds {
            match department.context(kind, &mut Vec::new()) {
                Ok(context) => contexts.push((kind, context)),
                Err(_) => unread.push(format!("{} › {}", dept.name, kind.name())),
            }
        }
        let prefill = prefill(&sheets, &contexts);
        let bytes = forms::workbook(&dept.name, to, &sheets, &prefill)?;
        write_new(&form_path(&dir, to), &bytes, &mut created, &mut skipped)?;
    }
    masters(
        &index,
        &workspace.year_dir(to),
        &sheets,
        &mut created,
        &mut skipped,
    )?;
    tell(&created, &skipped);
    if !unread.is_empty() {
        println!(
            "提示：这些报告上一年的数据读不出来，新表里没有沿用的内容和上年数字：{}。可运行 huibao check --year {from} 查看原因。",
            unread.join("、")
        );
    }
    println!(
        "请各单位在 {} 下自己的文件夹里填好数据表，再运行 make report。",
        workspace.year_dir(to).display()
    );
    Ok(ExitCode::SUCCESS)
}

/// What a department's new form takes from its data of last year: each record's values that
/// stay (`carry = true`) and every record value, to show beside the empty cells.
fn prefill(sheets: &[FormSheet], contexts: &[(&Kind, Context)]) -> Prefill {
    let mut prefill = Prefill::default();
    for sheet in sheets {
        let Shape::Record { fields, .. } = &sheet.source.shape else {
            continue;
        };
        let Some(Data::Record(row)) = contexts
            .iter()
            .find_map(|(_, c)| c.vars.get(&sheet.source.var))
        else {
            continue;
        };
        let mut carried = HashMap::new();
        let mut last = Vec::new();
        for (key, cell) in row.iter() {
            let Some(text) = shown(&cell.value) else {
                continue;
            };
            let carry = fields.iter().any(|f| f.name.trim() == &**key && f.carry);
            if carry {
                carried.insert(key.to_string(), text);
            } else if !cell.template {
                last.push((key.to_string(), text));
            }
        }
        prefill.carried.insert(sheet.source.sheet.clone(), carried);
        prefill.last_year.insert(sheet.source.sheet.clone(), last);
    }
    prefill
}

/// A value as the form shows it.
fn shown(value: &Value) -> Option<String> {
    Some(match value {
        Value::Empty => return None,
        Value::Text(t) => t.clone(),
        Value::Integer(i) => i.to_string(),
        Value::Number(n) => n.to_string(),
        Value::Date(d) => crate::sources::typing::iso_date(*d),
        Value::Bool(b) => if *b { "是" } else { "否" }.to_owned(),
    })
}

/// Master tables (files directly under `data/<year>/`, one row per department or more, with a
/// department column): for each, a workbook of the same name for the new year (its year
/// changed) with the declared table sheets it holds, their department column filled, one row
/// per department.
fn masters(
    index: &YearIndex,
    to_dir: &std::path::Path,
    sheets: &[FormSheet],
    created: &mut Vec<PathBuf>,
    skipped: &mut Vec<PathBuf>,
) -> Result<()> {
    use calamine::Reader;
    for file in &index.files {
        let names: Vec<String> = match file.extension().and_then(|e| e.to_str()) {
            Some("csv" | "tsv" | "txt") => file
                .file_stem()
                .map(|s| vec![s.to_string_lossy().into_owned()])
                .unwrap_or_default(),
            _ => match calamine::open_workbook_auto(file) {
                Ok(workbook) => workbook.sheet_names(),
                Err(_) => continue,
            },
        };
        let held: Vec<&FormSheet> = sheets
            .iter()
            .filter(|s| matches!(s.source.shape, Shape::Table { .. }))
            .filter(|s| names.iter().any(|n| n.trim() == s.source.sheet))
            .collect();
        if held.is_empty() {
            continue;
        }
        let stem = file
            .file_stem()
            .map(|s| s.to_string_lossy().into_owned())
            .unwrap_or_default()
            .replace(&index.year.to_string(), &to_year(to_dir));
        let path = to_dir.join(format!("{stem}.xlsx"));
        let bytes = forms::master(&held, &index.all)?;
        write_new(&path, &bytes, created, skipped)?;
    }
    Ok(())
}

fn to_year(dir: &std::path::Path) -> String {
    dir.file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default()
}
