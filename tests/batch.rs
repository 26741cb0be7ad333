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
    let mut index = YearIndex::scan(&workspace.year_dir(2022), 2022).unwrap();
    index.list_files(&[]);
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
