//! One module per command, as the command line names them; what they share is here: which
//! year, departments and kinds a command works on, and how outcomes are summarised.

pub mod build;
pub mod check;
pub mod context;
pub mod forms;
pub mod new_year;
pub mod progress;

use std::io::Write;
use std::path::PathBuf;

use clap::Args;
use indexmap::{IndexMap, IndexSet};

use crate::batch::{Batch, Outcome, Plan};
use crate::diagnostics::{Error, Note, Result};
use crate::emit::Format;
use crate::index::YearIndex;
use crate::workspace::Workspace;

#[derive(Args, Debug)]
pub struct Select {
    /// 年度（默认：data/ 下最新的年度）
    #[arg(long, value_name = "年度")]
    pub year: Option<i32>,
    /// 只处理这些单位（可重复；默认：全部）
    #[arg(long, value_name = "单位")]
    pub dept: Vec<String>,
    /// 只生成这些报告种类（可重复；默认：全部）
    #[arg(long, value_name = "种类")]
    pub kind: Vec<String>,
    #[command(flatten)]
    pub dirs: Dirs,
}

/// How a batch runs: on how many threads, and how its progress is shown (on stderr).
#[derive(Args, Debug)]
pub struct Running {
    /// 并行任务数（默认：CPU 核数）
    #[arg(long, value_name = "N", allow_negative_numbers = true)]
    pub jobs: Option<usize>,
    /// 进度显示（标准错误）：auto（默认）、bar、lines、json、none
    #[arg(
        long,
        value_enum,
        default_value = "auto",
        value_name = "方式",
        hide_possible_values = true,
        hide_default_value = true
    )]
    pub progress: progress::Style,
}

#[derive(Args, Debug)]
pub struct Dirs {
    /// 数据目录（默认：data）
    #[arg(
        long,
        default_value = "data",
        value_name = "目录",
        hide_default_value = true
    )]
    pub data: PathBuf,
    /// 模板目录（默认：templates）
    #[arg(
        long,
        default_value = "templates",
        value_name = "目录",
        hide_default_value = true
    )]
    pub templates: PathBuf,
}

impl Dirs {
    pub fn workspace(&self) -> Workspace {
        Workspace {
            data: self.data.clone(),
            templates: self.templates.clone(),
        }
    }
}

/// The year asked for, or the latest under `data/`, indexed once.
pub fn year_index(workspace: &Workspace, year: Option<i32>) -> Result<YearIndex> {
    let year = match year {
        Some(y) => y,
        None => workspace.latest_year()?,
    };
    let index = YearIndex::scan(&workspace.year_dir(year), year)?;
    if index.all.is_empty() {
        return Err(Error::Workspace(format!(
            "{} 下没有单位文件夹。每个单位一个文件夹，如 {}。",
            index.dir.display(),
            index.dir.join("县退役军人事务局").display()
        )));
    }
    Ok(index)
}

/// The plan for `build` and `check`: the selection checked against what exists, and the
/// selected departments' folders listed.
pub fn plan(
    select: Select,
    formats: Vec<Format>,
    out: Option<PathBuf>,
    jobs: Option<usize>,
) -> Result<Plan> {
    let workspace = select.dirs.workspace();
    let mut index = year_index(&workspace, select.year)?;
    let all_departments = select.dept.is_empty();
    let all_kinds = select.kind.is_empty();
    if !all_departments {
        index.select(&pick_departments(&select.dept, &index)?);
    }
    let kinds = pick(&select.kind, &workspace.kinds()?, "报告种类")?;
    Ok(Plan {
        workspace,
        index,
        kinds,
        formats,
        out,
        jobs: check_jobs(jobs)?,
        keep_contexts: false,
        all_departments,
        all_kinds,
    })
}

/// More threads than this only costs memory: the work is reading files on a few cores.
const MAX_JOBS: usize = 256;

fn check_jobs(jobs: Option<usize>) -> Result<Option<usize>> {
    match jobs {
        Some(0) => Err(Error::Workspace(
            "--jobs 须为 1 或更大的整数（不写则按 CPU 核数）。".into(),
        )),
        Some(n) if n > MAX_JOBS => Err(Error::Workspace(format!(
            "--jobs {n} 太大：最多 {MAX_JOBS}。一般不必填写，默认按 CPU 核数。"
        ))),
        other => Ok(other),
    }
}

/// The chosen names, each checked against what exists; none chosen means all. A name that
/// does not exist is an error listing what does, with the closest as a suggestion.
pub fn pick<S: AsRef<str>>(chosen: &[String], available: &[S], what: &str) -> Result<Vec<String>> {
    if available.is_empty() {
        return Err(Error::Workspace(format!("没有找到任何{what}。")));
    }
    let names: Vec<&str> = available.iter().map(AsRef::as_ref).collect();
    if chosen.is_empty() {
        return Ok(names.iter().map(|&n| n.to_owned()).collect());
    }
    let mut picked = Vec::new();
    for name in chosen {
        let name = name.trim();
        if !names.contains(&name) {
            let hint = crate::suggest::did_you_mean(name, &names).unwrap_or_default();
            return Err(Error::Workspace(format!(
                "没有名为“{name}”的{what}。{hint}现有：{}。",
                some_of(&names)
            )));
        }
        if !picked.iter().any(|p| p == name) {
            picked.push(name.to_owned());
        }
    }
    Ok(picked)
}

/// The chosen departments of the year ([`pick`]); none chosen means all.
pub fn pick_departments(chosen: &[String], index: &YearIndex) -> Result<Vec<String>> {
    let names: Vec<&str> = index.all.iter().collect();
    pick(chosen, &names, "单位")
}

/// The reports a problem concerns, as briefly as they can be named: `县教育体育局 › 意识形态工作、
/// 数据简报`, `县甲局、县乙局 › 数据简报`, or each in full.
fn describe_units(units: &[(&str, &str)]) -> String {
    let depts = once_each(units.iter().map(|(dept, _)| *dept));
    let kinds = once_each(units.iter().map(|(_, kind)| *kind));
    if depts.len() == 1 || kinds.len() == 1 {
        format!("{} › {}", some_of(&depts), kinds.join("、"))
    } else {
        let each: Vec<String> = units.iter().map(|(d, k)| format!("{d} › {k}")).collect();
        some_of(&each)
    }
}

/// More names than a message names one by one.
const MAX_NAMED: usize = 20;

/// Names joined with 、; beyond [`MAX_NAMED`], the first ten and how many in all (a broken
/// template fails every department, and a line naming thousands helps no one; 生成情况.txt and
/// `check --format json` list each report).
pub fn some_of<S: AsRef<str>>(names: &[S]) -> String {
    let joined = |names: &[S]| {
        let names: Vec<&str> = names.iter().map(AsRef::as_ref).collect();
        names.join("、")
    };
    match names.len() {
        n if n <= MAX_NAMED => joined(names),
        n => format!("{} 等 {n} 个", joined(&names[..10])),
    }
}

/// The notes of a batch, each told once, sorted: the year's and every report's.
pub fn notes(batch: &Batch) -> Vec<&Note> {
    let mut notes: Vec<&Note> = batch
        .outcomes
        .iter()
        .flat_map(|o| &o.notes)
        .chain(&batch.notes)
        .collect();
    notes.sort();
    notes.dedup();
    notes
}

/// The notes and the problems of a batch, for a person: one message per distinct problem
/// (a broken template fails every department alike), naming the reports it concerns.
pub fn details(batch: &Batch, to: &mut dyn Write) {
    for note in notes(batch) {
        let _ = writeln!(to, "提示：{note}");
    }
    // Each problem with the reports it concerns, in the order first met: thousands of
    // departments may each fail their own way, and one department's two kinds may share some
    // of their problems and not others.
    let mut reports_of: IndexMap<String, Vec<(&str, &str)>> = IndexMap::new();
    for outcome in &batch.outcomes {
        let Err(e) = &outcome.result else {
            continue;
        };
        let unit = (outcome.dept.as_str(), outcome.kind.as_str());
        let each = match e.as_ref() {
            Error::Many(list) => list.iter().map(ToString::to_string).collect(),
            single => vec![single.to_string()],
        };
        for message in each {
            let units = reports_of.entry(message).or_default();
            if units.last() != Some(&unit) {
                units.push(unit);
            }
        }
    }
    // The problems that concern the same reports, told together: each problem once.
    let mut by_reports: IndexMap<Vec<(&str, &str)>, Vec<String>> = IndexMap::new();
    for (message, units) in reports_of {
        by_reports.entry(units).or_default().push(message);
    }
    for (units, messages) in &by_reports {
        let message = match messages.as_slice() {
            [one] => one.clone(),
            many => {
                let lines: Vec<String> = many.iter().map(|m| format!("\n  · {m}")).collect();
                format!("{} 处问题：{}", many.len(), lines.concat())
            }
        };
        let _ = writeln!(to, "错误：{}：{message}", describe_units(units));
    }
}

/// The departments with a failed report, in order, each once.
pub fn failed_departments(outcomes: &[Outcome]) -> Vec<&str> {
    let failed = outcomes.iter().filter(|o| o.result.is_err());
    once_each(failed.map(|o| o.dept.as_str()))
}

/// Each name once, in the order first met. A set, not a scan of the list so far: a broken
/// template fails every department, thousands of them.
fn once_each<'a>(names: impl Iterator<Item = &'a str>) -> Vec<&'a str> {
    names.collect::<IndexSet<_>>().into_iter().collect()
}

/// Prints to stdout, treating a closed pipe (`huibao context | head`) as done, not as a crash.
pub fn print_stdout(text: &str) -> Result<()> {
    let mut out = std::io::stdout().lock();
    match out.write_all(text.as_bytes()).and_then(|_| out.flush()) {
        Ok(()) => Ok(()),
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Ok(()),
        Err(e) => Err(Error::write(std::path::Path::new("标准输出"), e)),
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn a_name_not_found_is_told_with_the_closest_and_some_of_the_names() {
        let names: Vec<String> = (1..=25).map(|i| format!("第{i}县局")).collect();
        let error = super::pick(&["第7县居".to_owned()], &names, "单位")
            .unwrap_err()
            .to_string();
        assert!(error.contains("没有名为“第7县居”的单位"), "{error}");
        assert!(error.contains("第7县局"), "{error}");
        assert!(error.contains("第10县局 等 25 个"), "{error}");
        assert!(!error.contains("第25县局"), "{error}");
        // Twenty are all named; from twenty-one, the first ten and how many.
        assert_eq!(super::some_of(&names[..20]).matches('、').count(), 19);
        assert_eq!(
            super::some_of(&names[..21]),
            format!("{} 等 21 个", names[..10].join("、"))
        );
        let picked = super::pick(
            &[" 第3县局".to_owned(), "第3县局".to_owned()],
            &names,
            "单位",
        );
        assert_eq!(picked.unwrap(), ["第3县局"]);
    }
}
