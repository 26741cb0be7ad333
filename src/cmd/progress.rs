//! Reporters for the batch's progress: a bar on a terminal, one plain line per report in logs
//! and CI, one JSON object per report for other programs, or nothing.

use std::cell::Cell;
use std::io::IsTerminal;

use indicatif::{ProgressBar, ProgressStyle};

use crate::batch::{Outcome, Reporter};

/// `--progress`: how the batch's progress is shown on stderr.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum Style {
    /// 终端上显示进度条，否则每份报告一行
    Auto,
    /// 进度条
    Bar,
    /// 每份报告一行
    Lines,
    /// 每份报告一行 JSON
    Json,
    /// 不显示
    None,
}

pub enum Progress {
    Bar(ProgressBar),
    Lines {
        total: Cell<usize>,
        done: Cell<usize>,
    },
    Json,
    Silent,
}

impl Progress {
    pub fn new(style: Style) -> Progress {
        match style {
            Style::Auto if std::io::stderr().is_terminal() => Progress::bar(),
            Style::Bar => Progress::bar(),
            Style::Auto | Style::Lines => Progress::Lines {
                total: Cell::new(0),
                done: Cell::new(0),
            },
            Style::Json => Progress::Json,
            Style::None => Progress::Silent,
        }
    }

    fn bar() -> Progress {
        let bar = ProgressBar::new(0);
        if let Ok(style) = ProgressStyle::with_template("{bar:30} {pos}/{len} {msg}") {
            bar.set_style(style);
        }
        Progress::Bar(bar)
    }
}

fn mark(outcome: &Outcome) -> &'static str {
    if outcome.result.is_ok() {
        "完成"
    } else {
        "失败"
    }
}

impl Reporter for Progress {
    /// Said whatever the style, `none` too: a build that waits must not look hung.
    fn waiting(&self, out: &std::path::Path) {
        eprintln!(
            "另一个 huibao 正在向 {} 生成报告，等它完成后再继续……",
            out.display()
        );
    }

    fn start(&self, n: usize) {
        match self {
            Progress::Bar(bar) => bar.set_length(n as u64),
            Progress::Lines { total, .. } => total.set(n),
            Progress::Json | Progress::Silent => {}
        }
    }

    fn done(&self, outcome: &Outcome) {
        match self {
            Progress::Bar(bar) => {
                bar.set_message(format!(
                    "{} › {} {}",
                    outcome.dept,
                    outcome.kind,
                    mark(outcome)
                ));
                bar.inc(1);
            }
            Progress::Lines { total, done } => {
                done.set(done.get() + 1);
                eprintln!(
                    "[{}/{}] {} › {} {}",
                    done.get(),
                    total.get(),
                    outcome.dept,
                    outcome.kind,
                    mark(outcome)
                );
            }
            Progress::Json => {
                let line = serde_json::json!({
                    "dept": outcome.dept,
                    "kind": outcome.kind,
                    "ok": outcome.result.is_ok(),
                    "files": outcome.result.as_ref().map(|files| files.iter().map(|p| p.display().to_string()).collect::<Vec<_>>()).unwrap_or_default(),
                    "error": outcome.result.as_ref().err().map(ToString::to_string),
                });
                eprintln!("{line}");
            }
            Progress::Silent => {}
        }
    }

    fn finish(&self) {
        if let Progress::Bar(bar) = self {
            bar.finish_and_clear();
        }
    }
}
