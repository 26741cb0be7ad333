//! `huibao context`: the context a template sees, as JSON, for template authors.

use std::process::ExitCode;

use clap::Args;

use super::{Dirs, pick, print_stdout, year_index};
use crate::batch::{self, Plan, Silent};
use crate::diagnostics::{Error, Result};
use crate::manifest::Scope;
use crate::pipeline::{Department, Kind, Years};

#[derive(Args, Debug)]
pub struct ContextArgs {
    /// 单位（data/<年度>/ 下的文件夹名）；全县汇总的报告种类不写则打印全县的变量
    #[arg(long, value_name = "单位")]
    pub dept: Option<String>,
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
    pick(
        std::slice::from_ref(&args.kind),
        &workspace.kinds()?,
        "报告种类",
    )?;
    let kind = Kind::load(&workspace, args.kind.trim())?;
    let county = kind.manifest.scope == Scope::County;
    let json = match (&args.dept, county) {
        (Some(dept), _) => {
            let dept = super::pick_departments(std::slice::from_ref(dept), &index)?;
            if county {
                eprintln!(
                    "提示：这是全县汇总的报告种类，下面是其中一个单位的数据（即 departments 中的一项）；不写 --dept 则打印全县汇总的模板看到的全部变量。"
                );
            }
            index.select(&dept);
            let years = Years::open(&workspace, &index);
            let dept = index.departments().next().expect("a department picked");
            let mut department = Department::open(dept.listed(), &years);
            let context = department.context(&kind, &mut Vec::new())?;
            match args.provenance {
                true => serde_json::to_string_pretty(&context.with_provenance()),
                false => serde_json::to_string_pretty(&context),
            }
        }
        (None, true) => {
            let context = county_context(workspace, index, args.kind.trim())?;
            match args.provenance {
                true => serde_json::to_string_pretty(&context.with_provenance()),
                false => serde_json::to_string_pretty(&context.to_value()),
            }
        }
        (None, false) => {
            return Err(Error::Workspace(format!(
                "请用 --dept 指定单位：“{}”按单位生成报告，每个单位看到的变量不同。",
                args.kind.trim()
            )));
        }
    }
    .expect("the context is plain data");
    print_stdout(&format!("{json}\n"))?;
    Ok(ExitCode::SUCCESS)
}

/// What a county-wide kind's templates see: every department read as a build reads them,
/// without writing anything.
fn county_context(
    workspace: crate::workspace::Workspace,
    index: crate::index::YearIndex,
    kind: &str,
) -> Result<crate::context::Context> {
    let plan = Plan {
        workspace,
        index,
        kinds: vec![kind.to_owned()],
        formats: Vec::new(),
        out: None,
        jobs: None,
        keep_contexts: true,
        all_departments: true,
        all_kinds: false,
    };
    let batch = batch::run(&plan, &Silent)?;
    batch
        .outcomes
        .into_iter()
        .find(|o| o.county)
        .and_then(|o| o.context)
        .map(|context| *context)
        .ok_or_else(|| Error::Workspace(format!("“{kind}”的全县汇总数据没有读出来。")))
}
