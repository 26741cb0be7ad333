//! `huibao build`: every selected department × report kind, written to the output folder.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::Args;

use super::progress::Progress;
use super::{Running, Select, details, failed_departments, plan};
use crate::batch;
use crate::diagnostics::Result;
use crate::emit::Format;

#[derive(Args, Debug)]
pub struct BuildArgs {
    #[command(flatten)]
    pub select: Select,
    /// 输出格式，逗号分隔：txt、md、docx（默认：全部）
    #[arg(
        long,
        value_enum,
        value_delimiter = ',',
        default_value = "txt,md,docx",
        value_name = "格式",
        hide_possible_values = true,
        hide_default_value = true
    )]
    pub format: Vec<Format>,
    /// 输出目录（默认：output）
    #[arg(
        long,
        default_value = "output",
        value_name = "目录",
        hide_default_value = true
    )]
    pub out: PathBuf,
    #[command(flatten)]
    pub running: Running,
}

pub fn run(args: BuildArgs) -> Result<ExitCode> {
    let mut formats = args.format;
    formats.sort();
    formats.dedup();
    let plan = plan(
        args.select,
        formats,
        Some(args.out.clone()),
        args.running.jobs,
    )?;
    let batch = batch::run(&plan, &Progress::new(args.running.progress))?;
    details(&batch, &mut std::io::stderr());
    let workbook_kept = batch.workbook_kept.iter();
    for kept in batch
        .outcomes
        .iter()
        .flat_map(|o| &o.kept)
        .chain(workbook_kept)
    {
        let why = if kept.edited {
            "有人改动过，没有覆盖"
        } else {
            "不再是当前的报告"
        };
        eprintln!(
            "提示：{} {why}，已改名为 {}。",
            kept.from.display(),
            kept.to.display()
        );
    }
    if let Some(e) = &batch.record_error {
        eprintln!("错误：生成记录没有写成：{e}");
    }
    let workbook_failed = match &batch.workbook {
        Some(Err(e)) => {
            eprintln!("错误：汇总表没有写成：{e}");
            true
        }
        _ => false,
    };
    let failed = batch.failed();
    let ok = batch.tally.reports - failed;
    let (written, unchanged) = (batch.tally.files, batch.tally.unchanged);
    let same = match unchanged {
        0 => String::new(),
        n if n == written => "（内容与上次相同，均未改动）".to_owned(),
        n => format!("（其中 {n} 个与上次相同，未改动）"),
    };
    println!(
        "{} 年：生成 {ok} 份报告，写入 {written} 个文件到 {}{same}；{failed} 份失败。",
        plan.year(),
        args.out.display(),
    );
    if let Some(Ok(path)) = &batch.workbook {
        println!("各单位的数据汇总在 {}。", path.display());
    }
    if failed == 0 && batch.record_error.is_none() && !workbook_failed {
        Ok(ExitCode::SUCCESS)
    } else {
        let failed = failed_departments(&batch.outcomes);
        if !failed.is_empty() {
            eprintln!(
                "有问题的单位：{}。请按上面的提示修改后重新运行。",
                super::some_of(&failed)
            );
        }
        Ok(ExitCode::FAILURE)
    }
}
