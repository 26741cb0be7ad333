//! The command line: clap's arguments, dispatched to one module per command ([`crate::cmd`]).

use std::process::ExitCode;

use clap::error::ErrorKind;
use clap::{ArgAction, Parser, Subcommand};

use crate::cmd::{self, build::BuildArgs, check::CheckArgs, context::ContextArgs};
use crate::diagnostics::Result;
use crate::sources::isolate;

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
    #[command(
        help_template = HELP_TEMPLATE,
        next_help_heading = "选项",
        override_usage = "huibao build [选项]"
    )]
    Build(BuildArgs),
    /// 检查：读取数据、渲染模板，但不写文件
    #[command(
        help_template = HELP_TEMPLATE,
        next_help_heading = "选项",
        override_usage = "huibao check [选项]"
    )]
    Check(CheckArgs),
    /// 以 JSON 打印模板看到的全部变量，便于编写模板
    #[command(
        help_template = HELP_TEMPLATE,
        next_help_heading = "选项",
        override_usage = "huibao context --kind <种类> [选项]"
    )]
    Context(ContextArgs),
    /// 为每个单位生成一份空白的数据表（.xlsx），只含所选报告种类要用的工作表和列
    #[command(
        help_template = HELP_TEMPLATE,
        next_help_heading = "选项",
        override_usage = "huibao forms [选项]"
    )]
    Forms(crate::cmd::forms::FormsArgs),
    /// 开始新的年度：为上一年的每个单位建好新年度的文件夹和数据表，沿用不变的内容
    #[command(
        name = "new-year",
        help_template = HELP_TEMPLATE,
        next_help_heading = "选项",
        override_usage = "huibao new-year --to <年度> [选项]"
    )]
    NewYear(crate::cmd::new_year::NewYearArgs),
    /// Opens one .xls file as the reader does, in a child process of a build (see
    /// `sources::isolate`).
    #[command(name = isolate::PROBE_COMMAND, hide = true)]
    ProbeXls { file: std::path::PathBuf },
}

/// Runs the command line and returns the exit code: 0 when everything succeeded.
pub fn main() -> ExitCode {
    // `huibao help build` is `huibao build --help` (clap's own help command would answer in
    // English).
    let mut args: Vec<std::ffi::OsString> = std::env::args_os().collect();
    if args.get(1).is_some_and(|a| a == "help") {
        args.remove(1);
        args.truncate(2);
        args.push("--help".into());
    }
    let cli = match Cli::try_parse_from(args) {
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
            let first = in_chinese(&e).unwrap_or_else(|| {
                let text = e.to_string();
                let first: Vec<&str> = text
                    .lines()
                    .take_while(|l| !l.trim().is_empty())
                    .map(|l| l.trim().trim_start_matches("error: "))
                    .collect();
                first.join(" ")
            });
            eprintln!("错误：命令行参数有误（{detail}：{first}）。运行 huibao --help 查看用法。");
            return ExitCode::from(2);
        }
    };
    // Panics inside the spreadsheet readers are caught and told in Chinese, naming the file;
    // Rust's own English report of them would only alarm. HUIBAO_DEBUG keeps it for developers.
    if std::env::var_os("HUIBAO_DEBUG").is_none() {
        std::panic::set_hook(Box::new(|_| {}));
    }
    match std::panic::catch_unwind(|| run(cli)) {
        Ok(Ok(code)) => code,
        Ok(Err(e)) => {
            eprintln!("错误：{e}");
            ExitCode::FAILURE
        }
        Err(panic) => {
            let detail = crate::diagnostics::panic_message(&*panic);
            eprintln!(
                "错误：huibao 出现了内部错误（{detail}）。请把这条信息和所用的数据文件发给维护者；设置环境变量 HUIBAO_DEBUG=1 再运行可看到详细位置。"
            );
            ExitCode::FAILURE
        }
    }
}

/// clap's commonest errors said in Chinese from the parts it keeps (the value, the argument,
/// the valid values, its suggestion); `None` leaves clap's own words.
fn in_chinese(e: &clap::Error) -> Option<String> {
    use clap::error::{ContextKind, ContextValue};
    let text = |kind| match e.get(kind)? {
        ContextValue::String(s) if !s.is_empty() => Some(s.clone()),
        ContextValue::Strings(list) if !list.is_empty() => Some(list.join("、")),
        _ => None,
    };
    let suggested = [
        ContextKind::SuggestedArg,
        ContextKind::SuggestedSubcommand,
        ContextKind::SuggestedValue,
    ]
    .into_iter()
    .find_map(text)
    .map(|s| format!("，是否写成了“{s}”？"))
    .unwrap_or_default();
    // An option is named with its value's placeholder (`--year ‹年度>`): the name alone; an
    // unknown argument is what was typed.
    let argument = || {
        text(ContextKind::InvalidArg).map(|a| match a.starts_with('-') {
            true => a.split(' ').next().unwrap_or(&a).to_owned(),
            false => a,
        })
    };
    // Options named without their values' placeholders, `--to` for `--to ‹年度>`.
    let options = |kind| {
        let names: Vec<String> = match e.get(kind)? {
            ContextValue::String(s) => vec![s.clone()],
            ContextValue::Strings(list) => list.clone(),
            _ => return None,
        };
        let names: Vec<&str> = names
            .iter()
            .filter_map(|n| n.split(' ').next())
            .filter(|n| !n.is_empty())
            .collect();
        (!names.is_empty()).then(|| names.join("、"))
    };
    Some(match e.kind() {
        // clap says a missing value (`--dept` at the end) with an empty one.
        ErrorKind::InvalidValue if text(ContextKind::InvalidValue).is_none() => {
            format!("{} 后面缺少取值", argument()?)
        }
        ErrorKind::InvalidValue | ErrorKind::ValueValidation => {
            let value = text(ContextKind::InvalidValue)?;
            let valid = text(ContextKind::ValidValue)
                .map(|v| format!("，可选：{v}"))
                .unwrap_or_default();
            format!("“{value}”不是 {} 能用的值{valid}{suggested}", argument()?)
        }
        ErrorKind::UnknownArgument => format!("{}{suggested}", argument()?),
        ErrorKind::MissingRequiredArgument => {
            format!("没有给出 {}", options(ContextKind::InvalidArg)?)
        }
        ErrorKind::ArgumentConflict => {
            let argument = options(ContextKind::InvalidArg)?;
            match options(ContextKind::PriorArg) {
                Some(prior) if prior != argument => format!("{argument} 不能与 {prior} 同时使用"),
                _ => format!("{argument} 只能给一次"),
            }
        }
        ErrorKind::InvalidSubcommand => {
            format!("{}{suggested}", text(ContextKind::InvalidSubcommand)?)
        }
        _ => return None,
    })
}

fn run(cli: Cli) -> Result<ExitCode> {
    if let Command::ProbeXls { file } = &cli.command {
        return Ok(ExitCode::from(isolate::probe_here(file) as u8));
    }
    // A damaged .xls may crash the reader beyond catching: open each in a child first.
    if let Ok(program) = std::env::current_exe() {
        isolate::open_xls_in_child(program);
    }
    match cli.command {
        Command::ProbeXls { .. } => unreachable!("handled above"),
        Command::Build(args) => cmd::build::run(args),
        Command::Check(args) => cmd::check::run(args),
        Command::Context(args) => cmd::context::run(args),
        Command::Forms(args) => cmd::forms::run(args),
        Command::NewYear(args) => cmd::new_year::run(args),
    }
}
