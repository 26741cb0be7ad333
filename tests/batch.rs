//! The batch as a library: a reporter sees every outcome as it is committed, and the phase
//! after the batch gets every outcome, with its context when the plan asks.

mod support;

use std::cell::RefCell;

use huibao::batch::{self, Outcome, Plan, Reporter};
use huibao::index::YearIndex;
use huibao::workspace::Workspace;
use support::Fixture;

#[derive(Default)]
struct Recorder {
    events: RefCell<Vec<String>>,
}

impl Reporter for Recorder {
    fn start(&self, total: usize) {
        self.events.borrow_mut().push(format!("start {total}"));
    }
    fn done(&self, outcome: &Outcome) {
        let mark = if outcome.result.is_ok() {
            "ok"
        } else {
            "failed"
        };
        self.events
            .borrow_mut()
            .push(format!("{} {} {mark}", outcome.dept, outcome.kind));
    }
    fn finish(&self) {
        self.events.borrow_mut().push("finish".into());
    }
}

fn plan(fixture: &Fixture, keep_contexts: bool) -> Plan {
    let workspace = Workspace {
        data: fixture.path("data"),
        templates: fixture.path("templates"),
    };
    let index = YearIndex::scan(&workspace.year_dir(2022), 2022).unwrap();
    Plan {
        kinds: workspace.kinds().unwrap(),
        workspace,
        index,
        formats: Vec::new(),
        out: None,
        jobs: Some(2),
        keep_contexts,
        all_departments: true,
        all_kinds: true,
    }
}

#[test]
fn the_reporter_hears_every_report_in_order_and_contexts_are_kept_when_asked() {
    let fixture = Fixture::example();
    let recorder = Recorder::default();
    let batch = batch::run(&plan(&fixture, true), &recorder).unwrap();
    let events = recorder.events.into_inner();
    assert_eq!(events.first().map(String::as_str), Some("start 7"));
    assert_eq!(events.last().map(String::as_str), Some("finish"));
    assert_eq!(events.len(), 9, "{events:?}");
    assert_eq!(batch.outcomes.len(), 7);
    assert_eq!(batch.failed(), 0);
    let veterans = batch
        .outcomes
        .iter()
        .find(|o| o.dept == "县退役军人事务局" && o.kind == "意识形态工作")
        .unwrap();
    let context = veterans.context.as_ref().expect("kept");
    assert_eq!(context.dept, "县退役军人事务局");
    assert!(context.vars.contains_key("统计"));
    // The culture bureau has last year's data, and the brief reads it.
    let culture = batch
        .outcomes
        .iter()
        .find(|o| o.dept == "县文化广电旅游局" && o.kind == "数据简报")
        .unwrap();
    assert_eq!(
        culture
            .context
            .as_ref()
            .unwrap()
            .prev
            .as_ref()
            .unwrap()
            .year,
        2021
    );

    let batch = batch::run(&plan(&fixture, false), &batch::Silent).unwrap();
    assert!(batch.outcomes.iter().all(|o| o.context.is_none()));
}

#[test]
fn a_build_of_several_chunks_commits_and_reports_every_department_in_order() {
    // More departments than the batch builds at once (256), so chunks are built while the
    // ones before are committed; one department in the second chunk has a damaged workbook.
    let fixture = Fixture::example();
    let source = fixture.path("data/2022/县退役军人事务局/2022年报告数据.xlsx");
    for i in 0..600 {
        let dir = fixture.path(&format!("data/2022/县第{i:03}局"));
        std::fs::create_dir_all(&dir).unwrap();
        std::fs::copy(&source, dir.join("数据.xlsx")).unwrap();
    }
    std::fs::write(
        fixture.path("data/2022/县第400局/数据.xlsx"),
        b"PK\x03\x04 not a workbook",
    )
    .unwrap();
    let mut plan = plan(&fixture, false);
    plan.out = Some(fixture.path("output"));
    plan.formats = vec![huibao::emit::Format::Txt];
    let recorder = Recorder::default();
    let batch = batch::run(&plan, &recorder).unwrap();

    let departments: Vec<&str> = plan.index.departments().map(|d| d.name).collect();
    assert_eq!(departments.len(), 603);
    let events = recorder.events.into_inner();
    let heard: Vec<&str> = events[1..events.len() - 1]
        .iter()
        .map(|e| e.split(' ').next().unwrap())
        .collect();
    // Each department's reports (every kind but the county-wide one), then the county's.
    let per_department = plan.kinds.iter().filter(|k| *k != "全县汇总").count();
    let mut expected: Vec<&str> = departments
        .iter()
        .flat_map(|dept| std::iter::repeat_n(*dept, per_department))
        .collect();
    expected.push("全县");
    assert_eq!(heard, expected);
    let failed: Vec<&str> = batch
        .outcomes
        .iter()
        .filter(|o| o.result.is_err())
        .map(|o| o.dept.as_str())
        .collect();
    assert!(
        !failed.is_empty() && failed.iter().all(|d| *d == "县第400局"),
        "{failed:?}"
    );
    for dept in departments.iter().filter(|d| **d != "县第400局") {
        let path = fixture.path(&format!("output/2022/{dept}/意识形态工作.txt"));
        assert!(path.exists(), "{}", path.display());
    }
    assert!(
        !fixture
            .path("output/2022/县第400局/意识形态工作.txt")
            .exists()
    );
    assert!(
        matches!(batch.workbook, Some(Ok(_))),
        "{:?}",
        batch.workbook
    );

    // Every report is counted, but only those with something to tell are held to the end:
    // here the damaged department's and the county's (the example's own departments say
    // something too, as the notes of its data show).
    assert_eq!(batch.tally.reports, expected.len());
    assert_eq!(batch.tally.failed, failed.len());
    assert!(batch.outcomes.len() < 20, "{} held", batch.outcomes.len());
    assert!(
        batch
            .outcomes
            .iter()
            .all(|o| o.result.is_err() || !o.notes.is_empty() || !o.kept.is_empty() || o.county)
    );
    // The run record still lists every report, in order, each failed one with its error.
    let record: serde_json::Value =
        serde_json::from_slice(&std::fs::read(fixture.path("output/2022/生成情况.json")).unwrap())
            .unwrap();
    let lines = record["reports"].as_array().unwrap();
    let listed: Vec<&str> = lines.iter().map(|l| l["dept"].as_str().unwrap()).collect();
    assert_eq!(listed, expected);
    let kinds: Vec<&str> = lines.iter().map(|l| l["kind"].as_str().unwrap()).collect();
    let dept_kinds: Vec<&str> = plan
        .kinds
        .iter()
        .filter(|k| *k != "全县汇总")
        .map(String::as_str)
        .collect();
    let mut expected_kinds: Vec<&str> = departments
        .iter()
        .flat_map(|_| dept_kinds.iter().copied())
        .collect();
    expected_kinds.push("全县汇总");
    assert_eq!(kinds, expected_kinds);
    for line in lines {
        let failed = line["dept"] == "县第400局";
        assert_eq!(line["ok"], !failed, "{line}");
        assert_eq!(line.get("error").is_some(), failed, "{line}");
    }
    let text = std::fs::read_to_string(fixture.path("output/2022/生成情况.txt")).unwrap();
    let made = expected.len() - failed.len();
    assert!(
        text.contains(&format!("生成 {made} 份报告，{} 份失败。", failed.len())),
        "{text}"
    );
}
