//! A build killed at any moment leaves every report whole, old or new, and the next build
//! leaves no temporary file behind.

#![cfg(unix)]

mod support;

use std::collections::HashMap;
use std::path::Path;
use std::time::Duration;

use support::{Fixture, n, sheet, veterans_sheets, write_xlsx};

const DEPARTMENTS: usize = 120;

/// The example plus `DEPARTMENTS` copies of the veterans' bureau with these sheets.
fn workspace(fixture: &Fixture, sheets: &[support::Sheet]) {
    for i in 0..DEPARTMENTS {
        let dir = fixture.path(&format!("data/2022/县第{i:03}局"));
        std::fs::create_dir_all(&dir).unwrap();
        write_xlsx(&dir.join("数据.xlsx"), sheets);
    }
}

/// Every file under `dir` by its path, with its bytes.
fn files(dir: &Path) -> HashMap<String, Vec<u8>> {
    let mut found = HashMap::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(&dir).unwrap().flatten() {
            let path = entry.path();
            if path.is_dir() {
                stack.push(path);
            } else {
                found.insert(path.display().to_string(), std::fs::read(&path).unwrap());
            }
        }
    }
    found
}

fn reports(fixture: &Fixture) -> HashMap<String, Vec<u8>> {
    files(&fixture.path("output"))
        .into_iter()
        .filter(|(name, _)| {
            name.ends_with("意识形态工作.txt") || name.ends_with("意识形态工作.docx")
        })
        .collect()
}

#[test]
fn killed_builds_leave_every_report_old_or_new() {
    let args = ["build", "--format", "txt,docx", "--progress", "none"];
    let old_sheets = veterans_sheets();
    let mut new_sheets = veterans_sheets();
    sheet(&mut new_sheets, "统计").rows[1][1] = n(4.0);

    // What the reports are before and after the data changes, built without interruption.
    let before = Fixture::example();
    workspace(&before, &old_sheets);
    assert_eq!(before.run(&args).code, 0);
    let after = Fixture::example();
    workspace(&after, &new_sheets);
    assert_eq!(after.run(&args).code, 0);
    let (old, new) = (reports(&before), reports(&after));
    assert_eq!(old.len(), new.len());

    // The built workspace, with the data changed, killed again and again.
    let fixture = before;
    workspace(&fixture, &new_sheets);
    for trial in 0..12u64 {
        let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_huibao"))
            .args(args)
            .current_dir(fixture.dir.path())
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .spawn()
            .unwrap();
        std::thread::sleep(Duration::from_millis(40 + trial * 67 % 700));
        let _ = child.kill(); // SIGKILL
        let _ = child.wait();
        for (name, bytes) in reports(&fixture) {
            let whole = old.values().any(|o| o == &bytes) || new.values().any(|n| n == &bytes);
            assert!(
                whole,
                "trial {trial}: {name} is neither the old nor the new report"
            );
        }
    }
    let run = fixture.run(&args);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let left: Vec<String> = files(&fixture.path("output"))
        .into_keys()
        .filter(|name| name.contains(".huibao-") && !name.ends_with(".huibao.lock"))
        .collect();
    assert!(left.is_empty(), "{left:?}");
    // Nothing was taken for a hand edit: every kill left the record true to the files.
    let kept: Vec<String> = files(&fixture.path("output"))
        .into_keys()
        .filter(|name| name.contains("手工修改版"))
        .collect();
    assert!(kept.is_empty(), "{kept:?}");
    assert_eq!(reports(&fixture).len(), new.len());
    for (name, bytes) in reports(&fixture) {
        assert!(
            new.values().any(|n| n == &bytes),
            "{name} is not the new report"
        );
    }
}
