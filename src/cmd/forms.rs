//! `huibao forms`: a blank form per department, with exactly what the report kinds read.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::Args;

use super::{Select, pick, year_index};
use crate::diagnostics::{Error, Result};
use crate::forms::{self, Prefill};
use crate::manifest::Manifest;
use crate::workspace::Workspace;

#[derive(Args, Debug)]
pub struct FormsArgs {
    #[command(flatten)]
    pub select: Select,
    /// 空白表写到哪里（默认：forms）
    #[arg(
        long,
        default_value = "forms",
        value_name = "目录",
        hide_default_value = true
    )]
    pub out: PathBuf,
}

pub fn run(args: FormsArgs) -> Result<ExitCode> {
    let workspace = args.select.dirs.workspace();
    let index = year_index(&workspace, args.select.year)?;
    let depts = super::pick_departments(&args.select.dept, &index)?;
    let manifests = manifests(&workspace, &args.select.kind)?;
    let chosen: Vec<&Manifest> = manifests.iter().collect();
    let sheets = forms::sheets(&chosen)?;
    let mut created = Vec::new();
    let mut skipped = Vec::new();
    for dept in &depts {
        // A folder a build refuses (a name Windows cannot hold, two folders for one
        // department, a name of nothing but spaces) gets no form: it would only be filled in
        // for a department that cannot be built.
        if let Some(problem) = index.department(dept).and_then(|d| d.problem()) {
            println!("提示：没有为“{dept}”生成填报表：{problem}");
            continue;
        }
        let dir = args.out.join(index.year.to_string()).join(dept);
        // Forms of some kinds (a kind added in the year) are named after them: never the name
        // of the workbook the department has filled in already, for a copy to replace.
        let path = match args.select.kind.is_empty() {
            true => form_path(&dir, index.year),
            false => dir.join(format!(
                "{}年报告数据（{}）.xlsx",
                index.year,
                manifests
                    .iter()
                    .map(|m| m.kind.as_str())
                    .collect::<Vec<_>>()
                    .join("、")
            )),
        };
        // What a killed run of this command left there (not the temporary file of one that
        // runs now: no lock keeps two out of the folder).
        crate::emit::remove_leftovers_older(&dir, crate::emit::LEFT_BY_A_KILLED_RUN);
        let bytes = forms::workbook(dept, index.year, &sheets, &Prefill::default(), &[])?;
        write_new(&path, &bytes, &mut created, &mut skipped)?;
    }
    tell(&created, &skipped);
    println!(
        "填好后放进 {}，再运行 make report。",
        workspace.year_dir(index.year).join("<单位>").display()
    );
    Ok(ExitCode::SUCCESS)
}

/// The chosen kinds' manifests (all kinds by default), each loaded and checked.
pub fn manifests(workspace: &Workspace, chosen: &[String]) -> Result<Vec<Manifest>> {
    let kinds = pick(chosen, &workspace.kinds()?, "报告种类")?;
    kinds
        .iter()
        .map(|kind| Manifest::load(&workspace.kind_dir(kind)))
        .collect()
}

/// A department's form inside `dir`: `2023年报告数据.xlsx`.
pub fn form_path(dir: &Path, year: i32) -> PathBuf {
    dir.join(format!("{year}年报告数据.xlsx"))
}

/// Writes a file that does not exist yet; an existing one is never replaced, only listed.
pub fn write_new(
    path: &Path,
    bytes: &[u8],
    created: &mut Vec<PathBuf>,
    skipped: &mut Vec<PathBuf>,
) -> Result<()> {
    if path.exists() {
        skipped.push(path.to_path_buf());
        return Ok(());
    }
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir).map_err(|e| Error::write(dir, e))?;
    }
    if crate::emit::write_new(path, bytes)? {
        created.push(path.to_path_buf());
    } else {
        skipped.push(path.to_path_buf());
    }
    Ok(())
}

/// What was created and what was left as it was.
pub fn tell(created: &[PathBuf], skipped: &[PathBuf]) {
    for path in created {
        println!("已创建 {}", path.display());
    }
    for path in skipped {
        println!("已存在，没有改动：{}", path.display());
    }
    println!(
        "创建 {} 个文件，{} 个已存在。",
        created.len(),
        skipped.len()
    );
}
