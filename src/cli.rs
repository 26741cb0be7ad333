//! The command line: clap arguments, resolved into a [`Plan`], run, and summarised.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::error::ErrorKind;
use clap::{ArgAction, Args, Parser, Subcommand};

use crate::batch::{self, Kind, Outcome, Plan};
use crate::diagnostics::{Error, Result};
use crate::emit::Format;
use crate::workspace::Workspace;

const HELP_TEMPLATE: &str = "{about}\n\n用法：{usage}\n\n{all-args}{after-help}";

#[derive(Parser, Debug)]
#[command(
    name = "huibao",
    version,
    about = "汇报：用表格数据和模板生成年度工作报告",
    help_template = HELP_TEMPLATE,
    subcommand_help_heading = "命令",
    subcommand_value_name = "命令",
    next_help_heading = "选项",
    disable_help_flag = true,
    disable_help_subcommand = true,
    disable_version_flag = true,
    arg_required_else_help = true
)]
pub struct Cli {
    #[command(subcommand)]
    command: Command,

    /// 显示帮助
    #[arg(short = 'h', long = "help", action = ArgAction::Help, global = true)]
    help: Option<bool>,

    /// 显示版本
    #[arg(short = 'V', long = "version", action = ArgAction::Version)]
    version: Option<bool>,
}

#[derive(Subcommand, Debug)]
enum Command {
    /// 生成报告：每个单位 × 每种报告，写入输出目录
    #[command(help_template = HELP_TEMPLATE, next_help_heading = "选项")]
    Build {
        #[command(flatten)]
        select: Select,
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
        format: Vec<Format>,
        /// 输出目录（默认：output）
        #[arg(
            long,
            default_value = "output",
            value_name = "目录",
            hide_default_value = true
        )]
        out: PathBuf,
        /// 并行任务数（默认：CPU 核数）
        #[arg(long, value_name = "N")]
        jobs: Option<usize>,
    },
    /// 检查：读取数据、渲染模板，但不写文件
    #[command(help_template = HELP_TEMPLATE, next_help_heading = "选项")]
    Check {
        #[command(flatten)]
        select: Select,
        /// 并行任务数（默认：CPU 核数）
        #[arg(long, value_name = "N")]
        jobs: Option<usize>,
        /// 结果格式：text（给人看）或 json（给程序读；打印到标准输出）
        #[arg(
            long,
            value_enum,
            default_value = "text",
            value_name = "格式",
            hide_possible_values = true,
            hide_default_value = true
        )]
        format: CheckFormat,
    },
    /// 以 JSON 打印模板看到的全部变量，便于编写模板
    #[command(help_template = HELP_TEMPLATE, next_help_heading = "选项")]
    Context {
        /// 单位（data/<年度>/ 下的文件夹名）
        #[arg(long, value_name = "单位")]
        dept: String,
        /// 报告种类（templates/ 下的文件夹名）
        #[arg(long, value_name = "种类")]
        kind: String,
        /// 年度（默认：data/ 下最新的年度）
        #[arg(long, value_name = "年度")]
        year: Option<i32>,
        /// 同时列出每个值来自哪个文件、工作表和单元格
        #[arg(long)]
        provenance: bool,
        #[command(flatten)]
        dirs: Dirs,
    },
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
enum CheckFormat {
    Text,
    Json,
}

#[derive(Args, Debug)]
struct Select {
    /// 年度（默认：data/ 下最新的年度）
    #[arg(long, value_name = "年度")]
    year: Option<i32>,
    /// 只处理这些单位（可重复；默认：全部）
    #[arg(long, value_name = "单位")]
    dept: Vec<String>,
    /// 只生成这些报告种类（可重复；默认：全部）
    #[arg(long, value_name = "种类")]
    kind: Vec<String>,
    #[command(flatten)]
    dirs: Dirs,
}

#[derive(Args, Debug)]
struct Dirs {
    /// 数据目录（默认：data）
    #[arg(
        long,
        default_value = "data",
        value_name = "目录",
        hide_default_value = true
    )]
    data: PathBuf,
    /// 模板目录（默认：templates）
    #[arg(
        long,
        default_value = "templates",
        value_name = "目录",
        hide_default_value = true
    )]
    templates: PathBuf,
}

impl Dirs {
    fn workspace(&self) -> Workspace {
        Workspace {
            data: self.data.clone(),
            templates: self.templates.clone(),
        }
    }
}

/// Runs the command line and returns the exit code: 0 when everything succeeded.
pub fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e)
            if !e.use_stderr()
                || e.kind() == ErrorKind::DisplayHelpOnMissingArgumentOrSubcommand =>
        {
            e.exit() // --help, --version, or no command at all: the Chinese help
        }
        Err(e) => {
            // clap explains in English; frame it for a clerk and point at the Chinese help.
            let detail = match e.kind() {
                ErrorKind::InvalidValue | ErrorKind::ValueValidation => "取值无效",
                ErrorKind::UnknownArgument => "不认识的参数",
                ErrorKind::InvalidSubcommand => "不认识的命令",
                ErrorKind::MissingRequiredArgument => "缺少必需的参数",
                ErrorKind::MissingSubcommand => "缺少命令",
                ErrorKind::ArgumentConflict => "参数互相冲突",
                ErrorKind::TooManyValues
                | ErrorKind::TooFewValues
                | ErrorKind::WrongNumberOfValues => "参数个数不对",
                _ => "参数有误",
            };
            let text = e.to_string();
            let first: Vec<&str> = text
                .lines()
                .take_while(|l| !l.trim().is_empty())
                .map(|l| l.trim().trim_start_matches("error: "))
                .collect();
            let first = first.join(" ");
            eprintln!("错误：命令行参数有误（{detail}：{first}）。运行 huibao --help 查看用法。");
            return ExitCode::from(2);
        }
    };
    match run(cli) {
        Ok(code) => code,
        Err(e) => {
            eprintln!("错误：{e}");
            ExitCode::FAILURE
        }
    }
}

fn run(cli: Cli) -> Result<ExitCode> {
    match cli.command {
        Command::Build {
            select,
            format,
            out,
            jobs,
        } => {
            let mut formats = format;
            formats.sort();
            formats.dedup();
            let plan = plan(select, formats, Some(out), jobs)?;
            Ok(summarise(&plan, &batch::run(&plan)))
        }
        Command::Check {
            select,
            jobs,
            format,
        } => {
            let plan = plan(select, Vec::new(), None, jobs)?;
            let outcomes = batch::run(&plan);
            Ok(match format {
                CheckFormat::Text => summarise(&plan, &outcomes),
                CheckFormat::Json => json_summary(&plan, &outcomes),
            })
        }
        Command::Context {
            dept,
            kind,
            year,
            provenance,
            dirs,
        } => {
            let workspace = dirs.workspace();
            let year = match year {
                Some(y) => y,
                None => workspace.latest_year()?,
            };
            pick(
                std::slice::from_ref(&dept),
                workspace.departments(year)?,
                "单位",
            )?;
            pick(std::slice::from_ref(&kind), workspace.kinds()?, "报告种类")?;
            let loaded = Kind::load(&workspace, &kind)?;
            let context = loaded.context(&workspace, year, &dept)?;
            let json = if provenance {
                serde_json::to_string_pretty(&context.with_provenance())
            } else {
                serde_json::to_string_pretty(&context)
            }
            .expect("the context is plain data");
            println!("{json}");
            Ok(ExitCode::SUCCESS)
        }
    }
}

fn plan(
    select: Select,
    formats: Vec<Format>,
    out: Option<PathBuf>,
    jobs: Option<usize>,
) -> Result<Plan> {
    let workspace = select.dirs.workspace();
    let year = match select.year {
        Some(y) => y,
        None => workspace.latest_year()?,
    };
    let depts = pick(&select.dept, workspace.departments(year)?, "单位")?;
    let kinds = pick(&select.kind, workspace.kinds()?, "报告种类")?;
    Ok(Plan {
        workspace,
        year,
        depts,
        kinds,
        formats,
        out,
        jobs,
    })
}

/// The chosen names, each checked against what exists; all of them when none is chosen.
fn pick(chosen: &[String], available: Vec<String>, what: &str) -> Result<Vec<String>> {
    if available.is_empty() {
        return Err(Error::Workspace(format!("没有找到任何{what}。")));
    }
    if chosen.is_empty() {
        return Ok(available);
    }
    for name in chosen {
        if !available.contains(name) {
            return Err(Error::Workspace(format!(
                "没有名为“{name}”的{what}。现有：{}。",
                available.join("、")
            )));
        }
    }
    Ok(chosen.to_vec())
}

/// `check --format json`: every problem and note as a record with its place, on stdout.
fn json_summary(plan: &Plan, outcomes: &[Outcome]) -> ExitCode {
    let mut problems = Vec::new();
    for outcome in outcomes {
        let entry = |level: &str, message: String, at: Option<crate::diagnostics::Location>| {
            serde_json::json!({
                "dept": outcome.dept,
                "kind": outcome.kind,
                "level": level,
                "file": at.as_ref().map(|l| l.file.display().to_string()),
                "sheet": at.as_ref().and_then(|l| l.sheet.clone()),
                "cell": at.as_ref().and_then(|l| l.cell.clone()),
                "message": message,
            })
        };
        match &outcome.result {
            Ok((_, notes)) => {
                for note in notes {
                    problems.push(entry("warning", note.to_string(), Some(note.at.clone())));
                }
            }
            Err(Error::Many(list)) => {
                for e in list {
                    problems.push(entry("error", e.to_string(), e.location()));
                }
            }
            Err(e) => problems.push(entry("error", e.to_string(), e.location())),
        }
    }
    let failed = outcomes.iter().filter(|o| o.result.is_err()).count();
    let report = serde_json::json!({
        "year": plan.year,
        "reports": outcomes.len(),
        "failed": failed,
        "problems": problems,
    });
    println!(
        "{}",
        serde_json::to_string_pretty(&report).expect("plain data")
    );
    if failed == 0 {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    }
}

/// The reports a problem concerns, as briefly as they can be named: `县教育体育局 › 意识形态工作、
/// 数据简报`, `县甲局、县乙局 › 数据简报`, or each in full.
fn describe_units(units: &[(&str, &str)]) -> String {
    let mut depts: Vec<&str> = Vec::new();
    let mut kinds: Vec<&str> = Vec::new();
    for (dept, kind) in units {
        if !depts.contains(dept) {
            depts.push(dept);
        }
        if !kinds.contains(kind) {
            kinds.push(kind);
        }
    }
    if depts.len() == 1 || kinds.len() == 1 {
        format!("{} › {}", depts.join("、"), kinds.join("、"))
    } else {
        let each: Vec<String> = units.iter().map(|(d, k)| format!("{d} › {k}")).collect();
        each.join("、")
    }
}

/// Prints the outcome (successes to stdout, failures to stderr) and picks the exit code.
fn summarise(plan: &Plan, outcomes: &[Outcome]) -> ExitCode {
    let failed: Vec<&Outcome> = outcomes.iter().filter(|o| o.result.is_err()).collect();
    let written: usize = outcomes
        .iter()
        .filter_map(|o| o.result.as_ref().ok())
        .map(|(paths, _)| paths.len())
        .sum();
    let mut notes: Vec<&crate::diagnostics::Note> = outcomes
        .iter()
        .filter_map(|o| o.result.as_ref().ok())
        .flat_map(|(_, notes)| notes)
        .collect();
    notes.sort();
    notes.dedup();
    for note in notes {
        eprintln!("提示：{note}");
    }
    // One message per distinct problem: a broken template fails every department alike.
    let mut problems: Vec<(String, Vec<(&str, &str)>)> = Vec::new();
    for outcome in &failed {
        if let Err(e) = &outcome.result {
            let message = match e {
                Error::Many(list) => {
                    let lines: Vec<String> = list.iter().map(|e| format!("\n  · {e}")).collect();
                    format!("{} 处问题：{}", list.len(), lines.concat())
                }
                single => single.to_string(),
            };
            let unit = (outcome.dept.as_str(), outcome.kind.as_str());
            match problems.iter_mut().find(|(m, _)| *m == message) {
                Some((_, units)) => units.push(unit),
                None => problems.push((message, vec![unit])),
            }
        }
    }
    for (message, units) in &problems {
        eprintln!("错误：{}：{message}", describe_units(units));
    }
    let ok = outcomes.len() - failed.len();
    let mut failed_depts: Vec<&str> = Vec::new();
    for outcome in &failed {
        if !failed_depts.contains(&outcome.dept.as_str()) {
            failed_depts.push(&outcome.dept);
        }
    }
    match &plan.out {
        Some(out) => println!(
            "{} 年：生成 {ok} 份报告，写入 {written} 个文件到 {}；{} 份失败。",
            plan.year,
            out.display(),
            failed.len()
        ),
        None => println!(
            "{} 年：检查 {} 份报告，{ok} 份通过，{} 份有问题。",
            plan.year,
            outcomes.len(),
            failed.len()
        ),
    }
    if failed.is_empty() {
        ExitCode::SUCCESS
    } else {
        eprintln!(
            "有问题的单位：{}。请按上面的提示修改后重新运行。",
            failed_depts.join("、")
        );
        ExitCode::FAILURE
    }
}
