//! `huibao context`: the context a template sees, as JSON, for template authors.

use std::process::ExitCode;

use clap::Args;

use super::{Dirs, pick, print_stdout, year_index};
use crate::diagnostics::Result;
use crate::pipeline::{Department, Kind, Years};

#[derive(Args, Debug)]
pub struct ContextArgs {
    /// 单位（data/<年度>/ 下的文件夹名）
    #[arg(long, value_name = "单位")]
    pub dept: String,
    /// 报告种类（templates/ 下的文件夹名）
    #[arg(long, value_name = "种类")]
    pub kind: String,
    /// 年度（默认：data/ 下最新的年度）
    #[arg(long, value_name = "年度")]
    pub year: Option<i32>,
    /// 同时列出每个值来自哪个文件、工作表和单元格
    #[arg(long)]
    pub provenance: bool,
    #[command(flatten)]
    pub dirs: Dirs,
}

pub fn run(args: ContextArgs) -> Result<ExitCode> {
    let workspace = args.dirs.workspace();
    let mut index = year_index(&workspace, args.year)?;
    let dept = pick(std::slice::from_ref(&args.dept), &index.all, "单位")?;
    pick(
        std::slice::from_ref(&args.kind),
        &workspace.kinds()?,
        "报告种类",
    )?;
    index.list_files(&dept);
    let kind = Kind::load(&workspace, args.kind.trim())?;
    let years = Years::open(&workspace, &index);
    let mut department = Department::open(index.departments[0].clone(), &years);
    let context = department.context(&kind, &mut Vec::new())?;
    let json = if args.provenance {
        serde_json::to_string_pretty(&context.with_provenance())
    } else {
        serde_json::to_string_pretty(&context)
    }
    .expect("the context is plain data");
    print_stdout(&format!("{json}\n"))?;
    Ok(ExitCode::SUCCESS)
}
