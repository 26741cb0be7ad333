//! The shipped example reproduces the reference report byte for byte, deterministically.

mod support;

use std::path::Path;

const REPORT: &str = "output/2022/县退役军人事务局/意识形态工作.txt";

fn repository() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

#[test]
fn the_shipped_example_reproduces_the_reference_byte_for_byte() {
    let out = tempfile::tempdir().unwrap();
    let output = std::process::Command::new(env!("CARGO_BIN_EXE_huibao"))
        .args(["build", "--dept", "县退役军人事务局", "--out"])
        .arg(out.path())
        .current_dir(repository())
        .output()
        .unwrap();
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let produced =
        std::fs::read(out.path().join("2022/县退役军人事务局/意识形态工作.txt")).unwrap();
    let golden = std::fs::read(repository().join("tests/golden/ideology-report-2022.txt")).unwrap();
    assert!(
        produced == golden,
        "differs from the reference:\n{}",
        String::from_utf8_lossy(&produced)
    );
}

#[test]
fn data_written_by_the_generator_reproduces_the_reference_too() {
    let fixture = support::Fixture::example();
    let run = fixture.run(&["build"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(fixture.read(REPORT), support::reference());
}

#[test]
fn two_builds_give_byte_identical_files() {
    let fixture = support::Fixture::example();
    assert_eq!(fixture.run(&["build", "--out", "a"]).code, 0);
    assert_eq!(fixture.run(&["build", "--out", "b", "--jobs", "1"]).code, 0);
    let mut compared = 0;
    for dept in ["县退役军人事务局", "县文化广电旅游局", "县教育体育局"] {
        for kind in ["意识形态工作", "数据简报"] {
            for ext in ["txt", "md", "docx"] {
                let name = format!("2022/{dept}/{kind}.{ext}");
                let a = std::fs::read(fixture.path("a").join(&name)).unwrap();
                let b = std::fs::read(fixture.path("b").join(&name)).unwrap();
                assert_eq!(a, b, "{name}");
                compared += 1;
            }
        }
    }
    assert_eq!(compared, 18);
}

#[test]
fn markdown_keeps_run_in_leads_bold_and_masks_literal() {
    let fixture = support::Fixture::example();
    assert_eq!(fixture.run(&["build", "--format", "md"]).code, 0);
    let md = fixture.read("output/2022/县退役军人事务局/意识形态工作.md");
    assert!(
        md.starts_with("# 县退役军人事务局关于2022年意识形态工作情况的报告\n"),
        "{md}"
    );
    assert!(md.contains("\n## 一、工作总体情况\n"), "{md}");
    assert!(
        md.contains("**1.坚持培根铸魂，强化思想政治建设质量。**抓好理论学习。"),
        "{md}"
    );
    assert!(md.contains("**一是夯实党建引领。**"), "{md}");
    // The masks are escaped so that they read back as text, not emphasis.
    assert!(md.contains(r"承办\*\*县举办"), "{md}");
    assert!(!fixture.path(REPORT).exists(), "only md was asked for");
}
