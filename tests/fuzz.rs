//! Fuzzing on stable Rust: the real fixtures (xlsx, xls, xlsb, ods, CSV in each encoding),
//! section templates and narrative cells, mutated by proptest, fed through the whole pipeline
//! in-process. The property: the batch finishes, every report is either written or fails
//! with an error that names a place, and nothing panics out of it or aborts the process.
//!
//! `make test` runs a few dozen cases per input; `make fuzz` runs as long as asked
//! (`FUZZ_SECONDS`), and `.ci/run` runs a bounded `make fuzz`. A failing case is written to
//! `target/fuzz-failures/`; copy it into `tests/bad_input/` and add a case to
//! `tests/bad_input.rs`, so what fuzzing found stays found. `<input>-current.<ext>` there is
//! the input being tried: after a run that aborted, it is the one that did it.

mod support;

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use huibao::batch::{self, Plan, Silent};
use huibao::index::YearIndex;
use huibao::workspace::Workspace;
use proptest::prelude::*;
use proptest::test_runner::{Config, TestCaseError, TestRunner};
use support::{Fixture, education_sheets, veterans_sheets};

/// How many cases per input, and how long in all; `make fuzz` raises both.
fn budget() -> (u32, Duration) {
    let cases = std::env::var("FUZZ_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(24);
    let seconds = std::env::var("FUZZ_SECONDS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(20);
    (cases, Duration::from_secs(seconds))
}

/// Runs `test` on values of `strategy` in rounds of a few dozen cases until `cases` have run
/// or `time` is spent, whichever comes first; a failure ends it with proptest's report.
fn fuzz<S: Strategy>(
    label: &str,
    strategy: S,
    cases: u32,
    time: Duration,
    test: impl Fn(S::Value) -> Result<(), TestCaseError>,
) {
    let started = Instant::now();
    let mut done = 0;
    while done < cases && started.elapsed() < time {
        let round = (cases - done).min(32);
        let mut runner = TestRunner::new(Config {
            cases: round,
            failure_persistence: None,
            ..Config::default()
        });
        if let Err(e) = runner.run(&strategy, &test) {
            panic!("{label}: {e}");
        }
        done += round;
    }
}

/// A mutation of some bytes: cut them short, overwrite some, or repeat a slice of them.
#[derive(Debug, Clone)]
enum Mutation {
    Truncate(usize),
    Overwrite(Vec<(usize, u8)>),
    Repeat { at: usize, len: usize, times: u8 },
}

fn mutation() -> impl Strategy<Value = Mutation> {
    prop_oneof![
        any::<usize>().prop_map(Mutation::Truncate),
        prop::collection::vec((any::<usize>(), any::<u8>()), 1..24).prop_map(Mutation::Overwrite),
        (any::<usize>(), 1usize..64, 1u8..16).prop_map(|(at, len, times)| Mutation::Repeat {
            at,
            len,
            times
        }),
    ]
}

fn apply(bytes: &[u8], mutation: &Mutation) -> Vec<u8> {
    let mut out = bytes.to_vec();
    if out.is_empty() {
        return out;
    }
    match mutation {
        Mutation::Truncate(at) => out.truncate(at % out.len()),
        Mutation::Overwrite(changes) => {
            for (at, byte) in changes {
                let len = out.len();
                out[at % len] = *byte;
            }
        }
        Mutation::Repeat { at, len, times } => {
            let start = at % out.len();
            let end = (start + len).min(out.len());
            let chunk = out[start..end].to_vec();
            for _ in 0..*times {
                out.splice(start..start, chunk.iter().copied());
            }
        }
    }
    out
}

/// Checks the whole example workspace in-process; every outcome must be an answer.
fn check(fixture: &Fixture) -> Result<(), TestCaseError> {
    let workspace = Workspace {
        data: fixture.path("data"),
        templates: fixture.path("templates"),
    };
    let index = YearIndex::scan(&workspace.year_dir(2022), 2022)
        .map_err(|e| TestCaseError::fail(e.to_string()))?;
    let plan = Plan {
        kinds: workspace.kinds().unwrap(),
        workspace,
        index,
        formats: Vec::new(),
        out: None,
        jobs: Some(1),
        keep_contexts: false,
        all_departments: true,
        all_kinds: true,
    };
    let batch = batch::run(&plan, &Silent).map_err(|e| TestCaseError::fail(e.to_string()))?;
    let mut reader_panicked = false;
    for outcome in &batch.outcomes {
        if let Err(e) = &outcome.result {
            let message = e.to_string();
            // A panic in huibao's own code is a bug; the batch's last catch reports it so.
            prop_assert!(!message.contains("内部错误"), "{message}");
            prop_assert!(
                message.contains("data/") || message.contains("templates/"),
                "an error that names no place: {message}"
            );
            reader_panicked |= message.contains("读取程序无法解析");
        }
    }
    if reader_panicked {
        // Caught and reported, so not a failure; but a crash of a reader all the same, kept
        // for the corpus.
        return Err(TestCaseError::reject("a reader panicked (caught)"));
    }
    Ok(())
}

/// Runs mutations of `original` written to `relative` in the example workspace.
fn fuzz_file(label: &str, relative: &str, original: &[u8], remove: Option<&str>, share: u32) {
    let (cases, time) = budget();
    let fixture = Fixture::example();
    if let Some(remove) = remove {
        std::fs::remove_file(fixture.path(remove)).unwrap();
    }
    let path = fixture.path(relative);
    fuzz(label, mutation(), cases, time / share, |m| {
        let bytes = apply(original, &m);
        std::fs::write(&path, &bytes).unwrap();
        // An input that aborts the process leaves no report: it is kept before it is tried.
        keep_failure(&format!("{label}-current"), relative, &bytes);
        match check(&fixture) {
            Err(TestCaseError::Reject(_)) => {
                keep_failure(&format!("{label}-reader-panic"), relative, &bytes);
                Ok(())
            }
            other => other.inspect_err(|_| keep_failure(label, relative, &bytes)),
        }
    });
}

/// Writes a failing input where a developer can pick it up for the corpus.
fn keep_failure(label: &str, relative: &str, bytes: &[u8]) {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("target/fuzz-failures");
    let _ = std::fs::create_dir_all(&dir);
    let name = Path::new(relative)
        .extension()
        .map(|e| format!("{label}.{}", e.to_string_lossy()))
        .unwrap_or_else(|| label.to_owned());
    let _ = std::fs::write(dir.join(name), bytes);
}

fn repo(path: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join(path)
}

const VETERANS_XLSX: &str = "data/2022/县退役军人事务局/2022年报告数据.xlsx";

#[test]
fn fuzz_xlsx() {
    let fixture = Fixture::example();
    let original = std::fs::read(fixture.path(VETERANS_XLSX)).unwrap();
    fuzz_file("xlsx", VETERANS_XLSX, &original, None, 1);
}

#[test]
fn fuzz_xls() {
    let original = std::fs::read(repo("tests/fixtures/县退役军人事务局-2022.xls")).unwrap();
    fuzz_file(
        "xls",
        "data/2022/县退役军人事务局/数据.xls",
        &original,
        Some(VETERANS_XLSX),
        1,
    );
}

#[test]
fn fuzz_ods() {
    let original = std::fs::read(repo("tests/fixtures/县退役军人事务局-2022.ods")).unwrap();
    fuzz_file(
        "ods",
        "data/2022/县退役军人事务局/数据.ods",
        &original,
        Some(VETERANS_XLSX),
        1,
    );
}

#[test]
fn fuzz_xlsb() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("数据.xlsb");
    support::xlsb::write_xlsb(&path, &veterans_sheets());
    let original = std::fs::read(&path).unwrap();
    fuzz_file(
        "xlsb",
        "data/2022/县退役军人事务局/数据.xlsb",
        &original,
        Some(VETERANS_XLSX),
        1,
    );
}

/// The education bureau's activity list in one encoding.
fn activity_csv(encode: impl Fn(&str) -> Vec<u8>) -> Vec<u8> {
    let dir = tempfile::tempdir().unwrap();
    support::write_csv_gbk(dir.path(), &education_sheets());
    let gbk = std::fs::read(dir.path().join("活动清单.csv")).unwrap();
    let (text, _, _) = encoding_rs::GB18030.decode(&gbk);
    encode(&text)
}

const EDUCATION_LIST: &str = "data/2022/县教育体育局/活动清单.csv";

#[test]
fn fuzz_csv_in_each_encoding() {
    let encodings: Vec<(&str, Vec<u8>)> = vec![
        (
            "csv-gbk",
            activity_csv(|t| encoding_rs::GB18030.encode(t).0.into_owned()),
        ),
        ("csv-utf8", activity_csv(|t| t.as_bytes().to_vec())),
        (
            "csv-utf8-bom",
            activity_csv(|t| [&[0xEF, 0xBB, 0xBF][..], t.as_bytes()].concat()),
        ),
        (
            "csv-utf16",
            activity_csv(|t| {
                let tabs = t.replace(',', "\t");
                [0xFF, 0xFE]
                    .into_iter()
                    .chain(tabs.encode_utf16().flat_map(u16::to_le_bytes))
                    .collect()
            }),
        ),
    ];
    let share = encodings.len() as u32;
    for (label, original) in encodings {
        fuzz_file(label, EDUCATION_LIST, &original, None, share);
    }
}

/// Mutations of text: characters of the template language inserted, lines cut or repeated.
fn text_mutation() -> impl Strategy<Value = Vec<(usize, &'static str)>> {
    let pieces = prop::sample::select(vec![
        "{{",
        "}}",
        "{%",
        "%}",
        "{% for x in 活动清单 %}",
        "{% endfor %}",
        "{% if prev %}",
        "{% endif %}",
        "**",
        "*",
        "# ",
        "\n\n",
        "|",
        "| cn_number",
        "| join_cn",
        ".",
        "\"",
        "prev.",
        "统计.",
        "[",
        "]",
        "`",
        ">",
        "\\",
        "}",
        "{",
    ]);
    prop::collection::vec((any::<usize>(), pieces), 1..12)
}

fn insert_all(text: &str, inserts: &[(usize, &str)]) -> String {
    let mut out = text.to_owned();
    for (at, piece) in inserts {
        let chars = out.chars().count();
        let at = if chars == 0 { 0 } else { at % (chars + 1) };
        let byte = out.char_indices().nth(at).map_or(out.len(), |(i, _)| i);
        out.insert_str(byte, piece);
    }
    out
}

#[test]
fn fuzz_templates_and_narrative_cells() {
    let (cases, time) = budget();
    let fixture = Fixture::example();
    let section = "templates/数据简报/02-活动开展情况.md";
    let template = fixture.read(section);
    let started = Instant::now();
    let mut runner = TestRunner::new(Config {
        cases,
        failure_persistence: None,
        ..Config::default()
    });
    let result = runner.run(
        &(text_mutation(), text_mutation()),
        |(in_template, in_cell)| {
            if started.elapsed() > time {
                return Ok(());
            }
            let mutated = insert_all(&template, &in_template);
            fixture.write(section, &mutated);
            let mut sheets = veterans_sheets();
            let cell = &mut support::sheet(&mut sheets, "活动清单").rows[1][1];
            let support::Cell::Text(name) = cell.clone() else {
                unreachable!("the activity's name is text")
            };
            *cell = support::t(&insert_all(&name, &in_cell));
            support::write_xlsx(&fixture.path(VETERANS_XLSX), &sheets);
            match check(&fixture) {
                Err(TestCaseError::Reject(_)) => Ok(()),
                other => {
                    other.inspect_err(|_| keep_failure("template", "x.md", mutated.as_bytes()))
                }
            }
        },
    );
    if let Err(e) = result {
        panic!("templates: {e}");
    }
}
