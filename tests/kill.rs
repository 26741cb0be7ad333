//! A build killed at any moment leaves every report whole, old or new, and the next build
//! leaves no temporary file behind; two builds started together into one output folder run one
//! after the other.

#![cfg(unix)]

mod support;

use std::collections::HashMap;
use std::path::Path;
use std::time::Duration;

use support::{Fixture, n, sheet, veterans_sheets, write_xlsx};

/// The trial: a build of 200 departments, killed 20 times.
const DEPARTMENTS: usize = 200;
const TRIALS: u64 = 20;

/// The example plus `count` copies of the veterans' bureau with these sheets.
fn workspace(fixture: &Fixture, count: usize, sheets: &[support::Sheet]) {
    for i in 0..count {
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
    workspace(&before, DEPARTMENTS, &old_sheets);
    assert_eq!(before.run(&args).code, 0);
    let after = Fixture::example();
    workspace(&after, DEPARTMENTS, &new_sheets);
    let started = std::time::Instant::now();
    assert_eq!(after.run(&args).code, 0);
    // The kills fall at points spread over a whole build's time (ten to ninety-odd per cent,
    // the shuffle below spreads them).
    let whole = started.elapsed().as_millis().max(200) as u64;
    let (old, new) = (reports(&before), reports(&after));
    assert_eq!(old.len(), new.len());

    // The built workspace, with the data changed, killed again and again.
    let fixture = before;
    workspace(&fixture, DEPARTMENTS, &new_sheets);
    for trial in 0..TRIALS {
        let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_huibao"))
            .args(args)
            .current_dir(fixture.dir.path())
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .spawn()
            .unwrap();
        let point = whole / 10 + whole * (trial * 7 % TRIALS) / TRIALS * 9 / 10;
        std::thread::sleep(Duration::from_millis(point));
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

/// Every report file under `output/` by its path below it, without the run records, the lock
/// and files set aside.
fn current(fixture: &Fixture) -> HashMap<String, Vec<u8>> {
    let root = fixture.path("output").display().to_string();
    files(&fixture.path("output"))
        .into_iter()
        .map(|(name, bytes)| (name[root.len()..].to_string(), bytes))
        .filter(|(name, _)| {
            !name.contains("生成情况") && !name.contains(".huibao.lock") && !name.contains('（')
        })
        .collect()
}

#[test]
fn two_builds_started_together_run_one_after_the_other() {
    // Build A: the example. Build B: other templates (one more sentence) and other data, in
    // which the veterans' bureau's statistic is text, so its reports fail.
    let fixture = Fixture::example();
    // Enough departments that the two builds overlap.
    workspace(&fixture, 40, &veterans_sheets());
    support::copy_dir(&fixture.path("templates"), &fixture.path("templates-b"));
    let opening = fixture.path("templates-b/意识形态工作/01-开篇.md");
    let text = std::fs::read_to_string(&opening).unwrap();
    std::fs::write(&opening, format!("{text}\n另有一句。\n")).unwrap();
    support::copy_dir(&fixture.path("data"), &fixture.path("data-b"));
    let mut broken = veterans_sheets();
    sheet(&mut broken, "统计").rows[1][1] = support::t("三个");
    write_xlsx(
        &fixture.path("data-b/2022/县退役军人事务局/2022年报告数据.xlsx"),
        &broken,
    );
    let a = ["build", "--format", "txt,docx", "--progress", "lines"];
    let b = [&a[..], &["--templates", "templates-b", "--data", "data-b"]].concat();

    // What each build writes alone.
    assert_eq!(fixture.run(&a).code, 0);
    let alone_a = current(&fixture);
    std::fs::remove_dir_all(fixture.path("output")).unwrap();
    assert_eq!(fixture.run(&b).code, 1);
    let alone_b = current(&fixture);
    std::fs::remove_dir_all(fixture.path("output")).unwrap();
    let failed = "/2022/县退役军人事务局/";
    assert!(alone_b.keys().all(|name| !name.starts_with(failed)));

    let mut waited = 0;
    for trial in 0..4 {
        let spawn = |args: &[&str]| {
            std::process::Command::new(env!("CARGO_BIN_EXE_huibao"))
                .args(args)
                .current_dir(fixture.dir.path())
                .stdout(std::process::Stdio::null())
                .stderr(std::process::Stdio::piped())
                .spawn()
                .unwrap()
        };
        let (first, second) = if trial % 2 == 0 {
            (&a[..], &b[..])
        } else {
            (&b[..], &a[..])
        };
        let (one, two) = (spawn(first), spawn(second));
        let (one, two) = (
            one.wait_with_output().unwrap(),
            two.wait_with_output().unwrap(),
        );
        let code_of = |args: &[&str], out: &std::process::Output| {
            if args == a {
                out.status.code() == Some(0)
            } else {
                out.status.code() == Some(1)
            }
        };
        assert!(
            code_of(first, &one),
            "{}",
            String::from_utf8_lossy(&one.stderr)
        );
        assert!(
            code_of(second, &two),
            "{}",
            String::from_utf8_lossy(&two.stderr)
        );
        for out in [&one, &two] {
            if String::from_utf8_lossy(&out.stderr).contains("另一个 huibao 正在向") {
                waited += 1;
            }
        }

        // The build that ran last wrote every report it could, whole, and nothing else stands
        // under a current name: the failed department's reports are A's (B ran first) or set
        // aside by B's failure (B ran last). Nothing is taken for a hand edit, nothing is left
        // half-written, no report mixes the two builds.
        let now = current(&fixture);
        let last = if now == alone_a { &alone_a } else { &alone_b };
        assert!(
            now == *last,
            "trial {trial}: the output is neither build's alone"
        );
        let aside: Vec<String> = files(&fixture.path("output"))
            .into_keys()
            .filter(|name| name.contains("手工修改版") || name.contains(".huibao-"))
            .collect();
        assert!(aside.is_empty(), "trial {trial}: {aside:?}");
    }
    assert!(waited > 0, "the builds never ran at the same time");
}
