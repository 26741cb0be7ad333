//! The floor of `make bench`: what merely reading the workbooks costs.
//!
//! `cargo run --release --example read_floor -- DIR` opens every workbook under DIR with
//! calamine (`open_workbook_auto`), on one thread, reads every sheet's range and counts the
//! non-empty cells; it prints the count (and the number of workbooks on stderr). No typing,
//! rendering or writing: huibao cannot be faster than this on one core.

use std::path::{Path, PathBuf};

use calamine::{Data, Reader, open_workbook_auto};

fn main() {
    let root = PathBuf::from(
        std::env::args()
            .nth(1)
            .unwrap_or_else(|| "target/bench/data".into()),
    );
    let mut files = Vec::new();
    collect(&root, &mut files);
    files.sort();
    let mut cells: u64 = 0;
    for path in &files {
        let mut workbook = match open_workbook_auto(path) {
            Ok(workbook) => workbook,
            Err(e) => {
                eprintln!("{}: {e}", path.display());
                std::process::exit(1);
            }
        };
        for name in workbook.sheet_names() {
            let range = workbook
                .worksheet_range(&name)
                .unwrap_or_else(|e| panic!("{} › {name}: {e}", path.display()));
            cells += range
                .used_cells()
                .filter(|(_, _, cell)| !matches!(cell, Data::Empty))
                .count() as u64;
        }
    }
    eprintln!("{} 个工作簿", files.len());
    println!("{cells}");
}

/// Every workbook under `dir`, recursively; Excel's lock files (`~$…`) are skipped.
fn collect(dir: &Path, files: &mut Vec<PathBuf>) {
    let entries = std::fs::read_dir(dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|entry| entry.expect("a directory entry").path());
    for path in entries {
        if path.is_dir() {
            collect(&path, files);
            continue;
        }
        let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("");
        let workbook = matches!(
            path.extension().and_then(|e| e.to_str()),
            Some("xlsx" | "xlsm" | "xls" | "xlsb" | "ods")
        );
        if workbook && !name.starts_with("~$") {
            files.push(path);
        }
    }
}
