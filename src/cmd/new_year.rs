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
    if !(1000..=9999).contains(&to) {
        return Err(Error::Workspace(format!(
            "年度应是四位数字，得到的是 {to}。"
        )));
    }
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
    // A year skipped is a typo more often than not: its forms would show figures of two
    // years before as last year's, and its reports find no last year to compare with.
    if to > from + 1 && args.from.is_none() {
        return Err(Error::Workspace(format!(
            "{} 下早于 {to} 的最新年度是 {from}，新的年度应是 {}；--to {to} 跳过了 {} 年。若确实要从 {from} 年的数据直接准备 {to} 年，请加上 --from {from}。",
            workspace.data.display(),
            from + 1,
            to - from - 1
        )));
    }
    let index = YearIndex::scan(&workspace.year_dir(from), from)?;
    if to > from + 1 {
        let previous = match workspace.year_dir(to - 1).is_dir() {
            true => String::new(),
            false => format!("，{to} 年的报告也没有上一年（{}）的数据可比", to - 1),
        };
        println!(
            "提示：从 {from} 年的数据直接准备 {to} 年；数据表中供对照的是 {from} 年的数字{previous}。"
        );
    }
    let kinds = pick(&args.kind, &workspace.kinds()?, "报告种类")?
        .iter()
        .map(|kind| Kind::load(&workspace, kind))
        .collect::<Result<Vec<Kind>>>()?;
    let chosen: Vec<&Manifest> = kinds.iter().map(|k| &k.manifest).collect();
    let sheets = forms::sheets(&chosen)?;
    let years = Years::open(&workspace, &index);
    let mut masters = master_tables(&index, &sheets);
    let mut created = Vec::new();
    let mut skipped = Vec::new();
    let mut unread = Vec::new();
    let mut refused = Vec::new();
    // The new year's department folders already there, by name as a build reads it (spaces
    // around it trimmed): a folder `县局 ` is 县局's, not a reason to make a second one.
    let existing: HashMap<String, std::path::PathBuf> = crate::index::list(&workspace.year_dir(to))
        .map(|listing| {
            listing
                .folders
                .into_iter()
                .map(|name| (name.trim().to_owned(), workspace.year_dir(to).join(&name)))
                .collect()
        })
        .unwrap_or_default();
    for dept in &index.listed() {
        // A folder a build refuses (a name Windows cannot hold, two folders for one
        // department) would only be carried into the new year with its problem.
        if let Err(e) = &dept.files {
            refused.push(format!(
                "提示：没有为“{}”准备 {to} 年的数据表：{e}",
                dept.name
            ));
            continue;
        }
        let dir = existing
            .get(&dept.name)
            .cloned()
            .unwrap_or_else(|| workspace.year_dir(to).join(&dept.name));
        let mut department = Department::open(dept.clone(), &years);
        // A table a master holds stays in the master for the departments whose rows it held
        // last year; one that had the sheet in its own folder keeps it there. Never both: rows
        // of a department in both places are an error at build.
        let mut from_master = Vec::new();
        // The sheets this department fills in a master, and the master's file name.
        let mut elsewhere = Vec::new();
        for master in &mut masters {
            let name = master.new_name(from, to);
            for (sheet, listed) in &mut master.sheets {
                if !department.has_own(&sheets[*sheet].source.sheet) {
                    listed.push(dept.name.clone());
                    from_master.push(*sheet);
                    elsewhere.push((sheets[*sheet].source.sheet.clone(), name.clone()));
                }
            }
        }
        // A killed run's temporary file, also in a folder it finished before it was killed.
        crate::emit::remove_leftovers_older(&dir, crate::emit::LEFT_BY_A_KILLED_RUN);
        // A folder that already holds a file (a workbook the department sent early) gets no
        // form beside it: two workbooks with the same sheets would be an error at build.
        // Files a build does not read (Thumbs.db, desktop.ini, Excel's lock file) do not count.
        let holds_files = std::fs::read_dir(&dir).is_ok_and(|mut entries| {
            entries.any(|e| {
                e.is_ok_and(|e| e.path().is_file() && crate::sources::holds_data(&e.path()))
            })
        });
        if holds_files {
            skipped.push(dir);
            continue;
        }
        // A folder of the new year that a build would refuse (`县局 `: Windows cannot hold a
        // name ending in a space) gets no form to be filled in for nothing.
        if let Some(problem) = crate::workspace::windows_folder_problem("单位", &dir) {
            refused.push(format!(
                "提示：没有为“{}”准备 {to} 年的数据表：{problem}",
                dept.name
            ));
            continue;
        }
        let own: Vec<FormSheet> = (0..sheets.len())
            .filter(|i| !from_master.contains(i))
            .map(|i| sheets[i].clone())
            .collect();
        let mut contexts = Vec::new();
        for kind in &kinds {
            // A narrative cell carried over keeps its expressions (`{{ year }}年…`), to be
            // rendered with the new year's data.
            match department.sources(kind, &mut Vec::new()) {
                Ok(context) => contexts.push((kind, context)),
                Err(_) => unread.push(format!("{} › {}", dept.name, kind.name())),
            }
        }
        let prefill = prefill(&own, &contexts, from);
        let bytes = forms::workbook(&dept.name, to, &own, &prefill, &elsewhere)?;
        write_new(&form_path(&dir, to), &bytes, &mut created, &mut skipped)?;
    }
    crate::emit::remove_leftovers_older(&workspace.year_dir(to), crate::emit::LEFT_BY_A_KILLED_RUN);
    for master in masters {
        let name = master.new_name(from, to);
        let path = workspace.year_dir(to).join(&name);
        let held: Vec<(&FormSheet, &[String])> = master
            .sheets
            .iter()
            .filter(|(_, listed)| !listed.is_empty())
            .map(|(sheet, listed)| (&sheets[*sheet], listed.as_slice()))
            .collect();
        if held.is_empty() {
            println!(
                "提示：{} 中的表，每个单位都在自己的文件夹里填，新的年度不再为它建总表。",
                master.file.display()
            );
            continue;
        }
        let bytes = forms::master(to, &name, &held)?;
        write_new(&path, &bytes, &mut created, &mut skipped)?;
    }
    tell(&created, &skipped);
    for line in &refused {
        println!("{line}");
    }
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
fn prefill(sheets: &[FormSheet], contexts: &[(&Kind, Context)], from: i32) -> Prefill {
    let mut prefill = Prefill {
        from,
        ..Prefill::default()
    };
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
            if cell.value == Value::Empty {
                continue;
            }
            let carry = fields.iter().any(|f| f.name.trim() == &**key && f.carry);
            if carry {
                carried.insert(key.to_string(), cell.value.clone());
            } else if !cell.template {
                last.push((key.to_string(), cell.value.clone()));
            }
        }
        prefill.carried.insert(sheet.source.sheet.clone(), carried);
        prefill.last_year.insert(sheet.source.sheet.clone(), last);
    }
    prefill
}

/// A master table of the year (a file directly under `data/<year>/`, with a department
/// column): the declared table sheets it holds, each with the departments whose rows it
/// holds (filled in as the departments are gone through).
struct MasterTable {
    file: PathBuf,
    /// Indices into the form's sheets, and the departments listed for each.
    sheets: Vec<(usize, Vec<String>)>,
}

impl MasterTable {
    /// The new year's file of this master: its name with the year changed, as an `.xlsx`.
    fn new_name(&self, from: i32, to: i32) -> String {
        let stem = self
            .file
            .file_stem()
            .map(|s| s.to_string_lossy().into_owned())
            .unwrap_or_default()
            .replace(&from.to_string(), &to.to_string());
        format!("{stem}.xlsx")
    }
}

/// The year's master tables: for each, a workbook of the same name goes into the new year
/// (its year changed) with the table sheets it holds, their department column filled, one row
/// per department that takes its rows from it.
fn master_tables(index: &YearIndex, sheets: &[FormSheet]) -> Vec<MasterTable> {
    use calamine::Reader;
    let mut masters = Vec::new();
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
        let held: Vec<(usize, Vec<String>)> = (0..sheets.len())
            .filter(|&i| matches!(sheets[i].source.shape, Shape::Table { .. }))
            .filter(|&i| names.iter().any(|n| n.trim() == sheets[i].source.sheet))
            .map(|i| (i, Vec::new()))
            .collect();
        if !held.is_empty() {
            masters.push(MasterTable {
                file: file.clone(),
                sheets: held,
            });
        }
    }
    masters
}
