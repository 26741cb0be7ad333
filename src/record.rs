//! The run record of an output year folder: what huibao wrote, so a later build can tell a file
//! a person changed from one it may replace, and what happened, for a person to read.
//!
//! `OUT/<year>/生成情况.json` keeps the SHA-256 of every file huibao wrote there (by its path
//! under the year folder) and this run's reports; `OUT/<year>/生成情况.txt` says the same for a
//! person: when, which reports were written, which failed and why, which changed files were
//! kept and where. Both are rewritten whole (atomically) at the end of every build.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use crate::diagnostics::Result;

pub const RECORD_JSON: &str = "生成情况.json";
pub const RECORD_TXT: &str = "生成情况.txt";

/// The SHA-256 of some bytes, in hex.
pub fn hash(bytes: &[u8]) -> String {
    Sha256::digest(bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// What a year folder's record holds.
#[derive(Debug, Default, Serialize, Deserialize)]
pub struct Record {
    /// Every file huibao wrote and has not since given up, by its path under the year folder
    /// (`县退役军人事务局/意识形态工作.docx`), with the SHA-256 of what it wrote.
    #[serde(default)]
    pub files: BTreeMap<String, String>,
    /// This run's reports.
    #[serde(default)]
    pub reports: Vec<ReportLine>,
    /// Files a person had changed, kept under another name: (where it was, where it is).
    #[serde(default)]
    pub kept: Vec<(String, String)>,
    #[serde(default)]
    pub when: String,
}

#[derive(Debug, Serialize, Deserialize)]
pub struct ReportLine {
    pub dept: String,
    pub kind: String,
    pub ok: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
}

impl Record {
    /// The year folder's record; empty when there is none yet or it cannot be read (then every
    /// existing file that differs from what a build writes is kept, as one a person changed).
    pub fn load(year_dir: &Path) -> Record {
        std::fs::read(year_dir.join(RECORD_JSON))
            .ok()
            .and_then(|bytes| serde_json::from_slice(&bytes).ok())
            .map(|record: Record| Record {
                reports: Vec::new(),
                kept: Vec::new(),
                ..record
            })
            .unwrap_or_default()
    }

    /// The hash huibao recorded for a file, by its path under the year folder.
    pub fn recorded(&self, relative: &str) -> Option<&str> {
        self.files.get(relative).map(String::as_str)
    }

    /// Writes the record and its text twin into the year folder.
    pub fn save(&mut self, year_dir: &Path, year: i32) -> Result<()> {
        self.when = now();
        let json = serde_json::to_string_pretty(self).expect("plain data") + "\n";
        crate::emit::write_atomic(&year_dir.join(RECORD_JSON), json.as_bytes())?;
        crate::emit::write_atomic(&year_dir.join(RECORD_TXT), self.text(year).as_bytes())
    }

    fn text(&self, year: i32) -> String {
        let failed: Vec<&ReportLine> = self.reports.iter().filter(|r| !r.ok).collect();
        let mut text = format!(
            "{year} 年报告生成情况（huibao build，{}）\n\n生成 {} 份报告，{} 份失败。\n",
            self.when,
            self.reports.len() - failed.len(),
            failed.len()
        );
        if !failed.is_empty() {
            text.push_str(
                "\n失败的报告（文件夹中这些报告的上一版已改名为“…（上次生成的旧版）”）：\n",
            );
            for report in failed {
                let error = report.error.as_deref().unwrap_or_default();
                text.push_str(&format!("- {} › {}：{error}\n", report.dept, report.kind));
            }
        }
        if !self.kept.is_empty() {
            text.push_str("\n有人改动过的文件已保留，改名为：\n");
            for (from, to) in &self.kept {
                text.push_str(&format!("- {from} → {to}\n"));
            }
        }
        text
    }
}

/// The time now, UTC, as a person reads it.
fn now() -> String {
    let seconds = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs() as i64)
        .unwrap_or(0);
    chrono::DateTime::from_timestamp(seconds, 0)
        .map(|t| t.format("%Y-%m-%d %H:%M:%S UTC").to_string())
        .unwrap_or_default()
}

/// A free name beside `path` that says what the file is: `意识形态工作（手工修改版）.docx`, then
/// `…（手工修改版 2）.docx` and so on.
pub fn aside(path: &Path, label: &str) -> PathBuf {
    let stem = path
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default();
    let ext = path
        .extension()
        .map(|e| format!(".{}", e.to_string_lossy()))
        .unwrap_or_default();
    let dir = path.parent().unwrap_or(Path::new("."));
    (1..)
        .map(|n| match n {
            1 => dir.join(format!("{stem}（{label}）{ext}")),
            n => dir.join(format!("{stem}（{label} {n}）{ext}")),
        })
        .find(|candidate| !candidate.exists())
        .expect("a free name")
}
