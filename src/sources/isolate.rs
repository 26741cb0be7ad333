//! Opening `.xls` files in a child process first, so that a file the checks before opening
//! missed can crash only the child.
//!
//! calamine builds an `.xls` workbook's every sheet in memory when it opens the file, trusting
//! what the file declares; `limits::check_xls` reads the same records first, but a damaged
//! compound file may still read differently to calamine than to the check. An abort (a huge
//! allocation) cannot be caught in-process, so the binary opens each `.xls` once in a child of
//! itself (`huibao __probe-xls FILE`): if the child dies, that file is an error for its
//! department and the run goes on. Library callers (tests, the fuzzing harness) open files
//! in-process unless they ask for this too.

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::OnceLock;

use calamine::{Reader, Xls};

use crate::diagnostics::{Error, Result};

/// The subcommand a child runs; hidden from the help.
pub const PROBE_COMMAND: &str = "__probe-xls";

static PROGRAM: OnceLock<PathBuf> = OnceLock::new();

/// Opens every `.xls` in a child process of `program` (this binary) before reading it.
pub fn open_xls_in_child(program: PathBuf) {
    let _ = PROGRAM.set(program);
}

/// Runs the probe in a child, when asked to: an abnormal end of the child is an error for the
/// file; a normal one (opened, or refused with an error the reader reports itself) is not.
pub fn probe(path: &Path) -> Result<()> {
    let Some(program) = PROGRAM.get() else {
        return Ok(());
    };
    let status = Command::new(program)
        .arg(PROBE_COMMAND)
        .arg(path)
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status();
    match status {
        // The child could not be started: read in-process as without the probe.
        Err(_) => Ok(()),
        Ok(status) if matches!(status.code(), Some(0 | 1)) => Ok(()),
        Ok(status) => Err(Error::Workbook {
            file: path.to_path_buf(),
            reason: format!("文件已损坏，读取程序读取它时异常退出（{status}）"),
        }),
    }
}

/// The child's side: opens the workbook as the reader does. Exit code 0 when it opened, 1
/// when the reader refused it; a crash is the parent's to report.
pub fn probe_here(path: &Path) -> i32 {
    #[cfg(debug_assertions)]
    if std::env::var_os("HUIBAO_PROBE_ABORT").is_some() {
        std::process::abort(); // fault injection for the test of the parent's side
    }
    let Ok(bytes) = std::fs::read(path) else {
        return 1;
    };
    match Xls::new(std::io::Cursor::new(bytes)) {
        Ok(mut workbook) => {
            for name in workbook.sheet_names() {
                let _ = workbook.worksheet_range(&name);
            }
            0
        }
        Err(_) => 1,
    }
}
