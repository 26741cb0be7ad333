//! `huibao check`: everything `build` does except writing; every problem of a report in one
//! run. The details go to stdout, so `huibao check > 检查结果.txt` keeps them.

use std::process::ExitCode;

use clap::Args;

use super::progress::Progress;
use super::{Running, Select, details, failed_departments, plan, print_stdout};
use crate::batch::{self, Batch};
use crate::diagnostics::{Location, Result};

#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum CheckFormat {
    Text,
    Json,
}

#[derive(Args, Debug)]
pub struct CheckArgs {
    #[command(flatten)]
    pub select: Select,
    /// 结果格式：text（给人看）或 json（给程序读）；都打印到标准输出
    #[arg(
        long,
        value_enum,
        default_value = "text",
        value_name = "格式",
        hide_possible_values = true,
        hide_default_value = true
    )]
    pub format: CheckFormat,
    #[command(flatten)]
    pub running: Running,
}

pub fn run(args: CheckArgs) -> Result<ExitCode> {
    let plan = match plan(args.select, Vec::new(), None, args.running.jobs) {
        Ok(plan) => plan,
        // Even a problem that stops the check before any report goes where the details go.
        Err(e) => {
            let text = match args.format {
                CheckFormat::Text => format!("错误：{e}\n"),
                CheckFormat::Json => json_document(
                    None,
                    0,
                    0,
                    vec![problem(None, None, "error", e.to_string(), e.location())],
                ),
            };
            print_stdout(&text)?;
            return Ok(ExitCode::FAILURE);
        }
    };
    let batch = batch::run(&plan, &Progress::new(args.running.progress))?;
    let text = match args.format {
        CheckFormat::Text => text(plan.year(), &batch),
        CheckFormat::Json => json(plan.year(), &batch),
    };
    print_stdout(&text)?;
    Ok(if batch.failed() == 0 {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    })
}

fn text(year: i32, batch: &Batch) -> String {
    let mut out = Vec::new();
    details(batch, &mut out);
    let failed = batch.failed();
    let mut text = String::from_utf8(out).expect("messages are UTF-8");
    text.push_str(&format!(
        "{year} 年：检查 {} 份报告，{} 份通过，{failed} 份有问题。\n",
        batch.tally.reports,
        batch.tally.reports - failed,
    ));
    if failed > 0 {
        text.push_str(&format!(
            "有问题的单位：{}。请按上面的提示修改后重新运行。\n",
            super::some_of(&failed_departments(&batch.outcomes))
        ));
    }
    text
}

fn problem(
    dept: Option<&str>,
    kind: Option<&str>,
    level: &str,
    message: String,
    at: Option<Location>,
) -> serde_json::Value {
    serde_json::json!({
        "dept": dept,
        "kind": kind,
        "level": level,
        "file": at.as_ref().map(|l| l.file.display().to_string()),
        "sheet": at.as_ref().and_then(|l| l.sheet.as_deref()),
        "cell": at.as_ref().and_then(|l| l.cell).map(|c| c.to_string()),
        "message": message,
    })
}

fn json_document(
    year: Option<i32>,
    reports: usize,
    failed: usize,
    problems: Vec<serde_json::Value>,
) -> String {
    let report = serde_json::json!({
        "year": year,
        "reports": reports,
        "failed": failed,
        "problems": problems,
    });
    format!(
        "{}\n",
        serde_json::to_string_pretty(&report).expect("plain data")
    )
}

/// Every problem and note as a record with its place.
fn json(year: i32, batch: &Batch) -> String {
    let mut problems = Vec::new();
    for outcome in &batch.outcomes {
        let (dept, kind) = (Some(outcome.dept.as_str()), Some(outcome.kind.as_str()));
        // A failed report's notes are kept: they may be why it failed.
        for note in &outcome.notes {
            problems.push(problem(
                dept,
                kind,
                "warning",
                note.to_string(),
                Some(note.at.clone()),
            ));
        }
        if let Err(e) = &outcome.result {
            for e in e.as_ref().clone().into_list() {
                problems.push(problem(dept, kind, "error", e.to_string(), e.location()));
            }
        }
    }
    // The year's notes belong to no one report.
    for note in &batch.notes {
        problems.push(problem(
            None,
            None,
            "warning",
            note.to_string(),
            Some(note.at.clone()),
        ));
    }
    json_document(Some(year), batch.tally.reports, batch.failed(), problems)
}
