//! The batch: every department × report kind, in parallel, each failure reported and counted,
//! never stopping the others.

use std::io::IsTerminal;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};

use indicatif::{ProgressBar, ProgressStyle};
use rayon::prelude::*;

use crate::context::{self, Context};
use crate::diagnostics::{Error, Note, Result};
use crate::document::{self, Document};
use crate::emit::{self, Format};
use crate::manifest::Manifest;
use crate::render::Renderer;
use crate::sources;
use crate::workspace::Workspace;

/// What a command resolved from its arguments: which reports, and where they go.
#[derive(Debug, Clone)]
pub struct Plan {
    pub workspace: Workspace,
    pub year: i32,
    pub depts: Vec<String>,
    pub kinds: Vec<String>,
    pub formats: Vec<Format>,
    /// Where reports are written; `None` checks without writing.
    pub out: Option<PathBuf>,
    pub jobs: Option<usize>,
}

/// A report kind ready to render: its manifest and compiled templates.
pub struct Kind {
    pub manifest: Manifest,
    pub renderer: Renderer,
}

impl Kind {
    pub fn load(workspace: &Workspace, kind: &str) -> Result<Kind> {
        let manifest = Manifest::load(&workspace.kind_dir(kind))?;
        let renderer = Renderer::new(&manifest)?;
        Ok(Kind { manifest, renderer })
    }

    /// Sources → context, with the narrative cells rendered: what the templates see.
    /// Last year's data, when the department has a folder for it, comes along as `prev`.
    pub fn context(&self, workspace: &Workspace, year: i32, dept: &str) -> Result<Context> {
        let this = self.read(&workspace.department_dir(year, dept), year, dept);
        // Last year's data is read only when something uses it: a template, or a narrative
        // cell of this year's. A kind that never compares does not need last year's folder
        // to hold its sources.
        let needs_prev = self.renderer.uses_prev()
            || this.as_ref().is_ok_and(|c| {
                c.vars.values().flat_map(|d| d.cells()).any(|cell| {
                    cell.template
                        && matches!(&cell.value, sources::Value::Text(t) if t.contains("prev"))
                })
            });
        let prev_dir = workspace.department_dir(year - 1, dept);
        let prev = (needs_prev && prev_dir.is_dir()).then(|| {
            self.read(&prev_dir, year - 1, dept)
                .and_then(|prev| self.renderer.expand(prev))
        });
        let mut context = match (this, prev) {
            (Ok(this), None) => this,
            (Ok(mut this), Some(Ok(prev))) => {
                this.prev = Some(Box::new(prev));
                this
            }
            // Last year's problems are reported together with this year's.
            (this, Some(Err(prev_error))) => {
                let errors = std::iter::once(prev_error).chain(this.err()).collect();
                return Err(Error::join(errors));
            }
            (Err(e), _) => return Err(e),
        };
        context = self.renderer.expand(context)?;
        Ok(context)
    }

    /// One year's sources as a context, narrative cells not yet rendered.
    fn read(&self, dir: &Path, year: i32, dept: &str) -> Result<Context> {
        let year_dir = dir.parent().unwrap_or(dir);
        let known = crate::workspace::subfolders(year_dir)?;
        let place = sources::Place {
            dir,
            year_dir,
            dept,
            known: &known,
        };
        let sources = sources::load(&self.manifest, place)?;
        Ok(context::build(year, dept, &self.manifest.kind, sources))
    }

    /// The whole pipeline for one department, short of writing; with the notes from reading.
    pub fn document(
        &self,
        workspace: &Workspace,
        year: i32,
        dept: &str,
    ) -> Result<(Document, Vec<Note>)> {
        let context = self.context(workspace, year, dept)?;
        let rendered = self.renderer.render(&context)?;
        let document = document::parse(&rendered, &self.manifest.dir)?;
        let mut notes = context.prev.map(|p| p.notes).unwrap_or_default();
        notes.extend(context.notes);
        Ok((document, notes))
    }
}

/// How one department's report of one kind went.
#[derive(Debug)]
pub struct Outcome {
    pub dept: String,
    pub kind: String,
    /// The files written (none for `check`), and the notes from reading the data.
    pub result: Result<(Vec<PathBuf>, Vec<Note>)>,
}

/// Runs the plan: every department × kind, in parallel.
pub fn run(plan: &Plan) -> Vec<Outcome> {
    let units: Vec<(String, String)> = plan
        .kinds
        .iter()
        .flat_map(|kind| {
            plan.depts
                .iter()
                .map(move |dept| (dept.clone(), kind.clone()))
        })
        .collect();
    let progress = Progress::new(units.len());
    let work = || -> Vec<Outcome> {
        let kinds: Vec<(String, Result<Kind>)> = plan
            .kinds
            .par_iter()
            .map(|kind| (kind.clone(), Kind::load(&plan.workspace, kind)))
            .collect();
        units
            .par_iter()
            .map(|(dept, kind_name)| {
                let (_, kind) = kinds
                    .iter()
                    .find(|(name, _)| name == kind_name)
                    .expect("every unit's kind was loaded");
                let result = one(plan, kind_name, kind.as_ref(), dept);
                progress.done(dept, kind_name, result.is_ok());
                Outcome {
                    dept: dept.clone(),
                    kind: kind_name.clone(),
                    result,
                }
            })
            .collect()
    };
    let outcomes = match rayon::ThreadPoolBuilder::new()
        .num_threads(plan.jobs.unwrap_or(0))
        .build()
    {
        Ok(pool) => pool.install(work),
        Err(_) => work(),
    };
    progress.finish();
    outcomes
}

/// One department's report of one kind: rendered whole in memory, then written file by file.
/// A failed report leaves none of its earlier files behind, so nothing stale looks new.
fn one(
    plan: &Plan,
    kind_name: &str,
    kind: std::result::Result<&Kind, &Error>,
    dept: &str,
) -> Result<(Vec<PathBuf>, Vec<Note>)> {
    let paths: Vec<PathBuf> = match &plan.out {
        Some(out) => plan
            .formats
            .iter()
            .map(|f| output_path(out, plan.year, dept, kind_name, *f))
            .collect(),
        None => Vec::new(),
    };
    let written = (|| {
        let kind = kind.map_err(|e| {
            Error::Workspace(format!("模板或清单有误，这一种类的报告都无法生成：{e}"))
        })?;
        let (document, notes) = kind.document(&plan.workspace, plan.year, dept)?;
        for (format, path) in plan.formats.iter().zip(&paths) {
            emit::write_atomic(path, &emit::emit(&document, *format, &kind.manifest.docx))?;
        }
        Ok(notes)
    })();
    match written {
        Ok(notes) => Ok((paths, notes)),
        Err(e) => {
            // Nothing of this report may stay behind looking like this run's result: not
            // last run's files, nor the formats written before a later one failed.
            for path in &paths {
                let _ = std::fs::remove_file(path);
            }
            Err(e)
        }
    }
}

/// `output/<year>/<department>/<kind>.<ext>`.
pub fn output_path(out: &Path, year: i32, dept: &str, kind: &str, format: Format) -> PathBuf {
    out.join(year.to_string())
        .join(dept)
        .join(format!("{kind}.{}", format.extension()))
}

/// A progress bar on a terminal; one plain line per report otherwise (logs, CI).
enum Progress {
    Bar(ProgressBar),
    Lines { total: usize, done: AtomicUsize },
}

impl Progress {
    fn new(total: usize) -> Progress {
        if std::io::stderr().is_terminal() {
            let bar = ProgressBar::new(total as u64);
            if let Ok(style) = ProgressStyle::with_template("{bar:30} {pos}/{len} {msg}") {
                bar.set_style(style);
            }
            Progress::Bar(bar)
        } else {
            Progress::Lines {
                total,
                done: AtomicUsize::new(0),
            }
        }
    }

    fn done(&self, dept: &str, kind: &str, ok: bool) {
        let mark = if ok { "完成" } else { "失败" };
        match self {
            Progress::Bar(bar) => {
                bar.set_message(format!("{dept} › {kind} {mark}"));
                bar.inc(1);
            }
            Progress::Lines { total, done } => {
                let n = done.fetch_add(1, Ordering::SeqCst) + 1;
                eprintln!("[{n}/{total}] {dept} › {kind} {mark}");
            }
        }
    }

    fn finish(&self) {
        if let Progress::Bar(bar) = self {
            bar.finish_and_clear();
        }
    }
}
