//! The per-report pipeline: one department's index entry into documents, kind by kind.
//!
//! sources → context → render → document. A [`Department`] reads each of its files once for
//! every report kind (and last year's folder once, only when a kind compares with it); the
//! batch ([`crate::batch`]) only schedules departments and collects what comes out.

use crate::context::{self, Context};
use crate::diagnostics::{Error, Note, Result};
use crate::document::{self, Document};
use crate::index::{Listed, YearIndex};
use crate::manifest::Manifest;
use crate::render::Renderer;
use crate::sources::renames::Renames;
use crate::sources::{self, DeptData, YearData};
use crate::workspace::Workspace;

/// A report kind ready to render: its manifest and compiled templates.
pub struct Kind {
    pub manifest: Manifest,
    pub renderer: Renderer,
}

impl Kind {
    pub fn load(workspace: &Workspace, kind: &str) -> Result<Kind> {
        if kind.chars().any(char::is_control) {
            return Err(Error::Workspace(format!(
                "报告种类文件夹“{}”的名称含有控制字符，它会被写进文件名。请重命名这个文件夹。",
                kind.replace(|c: char| c.is_control(), "�")
            )));
        }
        if let Some(problem) =
            crate::workspace::windows_folder_problem("报告种类", &workspace.kind_dir(kind))
        {
            return Err(Error::Workspace(problem));
        }
        let manifest = Manifest::load(&workspace.kind_dir(kind))?;
        let renderer = Renderer::new(&manifest)?;
        Ok(Kind { manifest, renderer })
    }

    pub fn name(&self) -> &str {
        &self.manifest.kind
    }
}

/// The years a run reads: this year's shared data, and last year's when its folder exists
/// (listed once; its department folders only when a report reads them).
pub struct Years {
    pub this: YearData,
    pub prev: Option<(YearIndex, YearData)>,
    /// The departments renamed since last year, read on first use.
    renames: std::sync::OnceLock<Result<Renames>>,
}

impl Years {
    pub fn open(workspace: &Workspace, index: &YearIndex) -> Years {
        let year = index.year - 1;
        let prev = YearIndex::scan(&workspace.year_dir(year), year)
            .ok()
            .map(|index| {
                let data = YearData::new(&index);
                (index, data)
            });
        Years {
            this: YearData::new(index),
            prev,
            renames: std::sync::OnceLock::new(),
        }
    }

    /// The departments renamed since last year: none without last year's folder or a sheet
    /// of renames in this year's. Read once; its problems fail what depends on it.
    pub fn renames(&self) -> Result<&Renames> {
        self.renames
            .get_or_init(|| match &self.prev {
                Some((prev, _)) => self
                    .this
                    .renames(&prev.all)
                    .unwrap_or(Ok(Renames::default())),
                None => Ok(Renames::default()),
            })
            .as_ref()
            .map_err(Clone::clone)
    }

    /// What reading the years' master tables noticed, once per run.
    pub fn notes(&self) -> Vec<Note> {
        let mut notes = self.this.notes();
        if let Some((_, prev)) = &self.prev {
            notes.extend(prev.notes());
        }
        notes
    }
}

/// One department's data for every report kind of a run.
pub struct Department<'y> {
    this: DeptData<'y>,
    years: &'y Years,
    /// Last year's data, opened the first time a kind needs it; `None` inside when the
    /// department has no folder for last year.
    prev: Option<Option<DeptData<'y>>>,
}

/// One report, rendered and parsed, short of being written.
pub struct Built {
    pub document: Document,
    pub context: Context,
}

impl<'y> Department<'y> {
    /// The department of `dept`, its folder listed ([`DeptIndex::listed`]), taken whole.
    pub fn open(dept: Listed, years: &'y Years) -> Department<'y> {
        Department {
            this: DeptData::open(dept, &years.this),
            years,
            prev: None,
        }
    }

    pub fn name(&self) -> &str {
        &self.this.dept
    }

    /// Whether the department's own folder holds the sheet or text file `sheet` (rather than
    /// a master table of the year, or nothing).
    pub fn has_own(&self, sheet: &str) -> bool {
        self.this.has_own(sheet)
    }

    /// Sources → context, with the narrative cells rendered: what the templates see.
    /// Last year's data, when the department has a folder for it, comes along as `prev`.
    /// Notes from reading go into `notes`, also when the context fails.
    pub fn context(&mut self, kind: &Kind, notes: &mut Vec<Note>) -> Result<Context> {
        let this = read(kind, &mut self.this, notes);
        // Last year's data is read only when something uses it: a template, or a narrative
        // cell of this year's. A kind that never compares does not need last year's folder
        // to hold its sources.
        // A kind made for the first time this year (`since`) has no last year's data.
        let year = self.this.year();
        let first_year = kind.manifest.since.is_some_and(|since| year <= since);
        let needs_prev = !first_year
            && (kind.renderer.uses_prev()
                || this.as_ref().is_ok_and(|c| {
                    c.vars.values().flat_map(|d| d.cells()).any(|cell| {
                        cell.template
                            && matches!(&cell.value, sources::Value::Text(t) if t.contains("prev"))
                    })
                }));
        let prev = match needs_prev {
            true => match self.prev_data() {
                Ok(data) => data.map(|data| {
                    read(kind, data, notes).and_then(|prev| kind.renderer.expand(prev))
                }),
                Err(e) => Some(Err(e)),
            },
            false => None,
        };
        // Last year's folder without any sheet of this kind: if the kind is new this year,
        // its manifest says so with `since`; the error says that too.
        let prev = match prev {
            Some(Err(e)) if none_of_its_sources(kind, &e) => Some(Err(Error::join(vec![
                e,
                Error::Workspace(format!(
                    "上一年的文件夹里没有“{}”要读的任何一张数据表。如果这是 {} 年新增的报告种类，请在它的 report.toml 中写上 since = {}，这一年就不读上年的数据（模板中 prev is defined 为假）。",
                    kind.name(),
                    year,
                    year
                )),
            ]))),
            prev => prev,
        };
        let context = match (this, prev) {
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
        kind.renderer.expand(context)
    }

    /// This year's sources as read, narrative cells as written (their expressions, not what
    /// they render to), without `prev`: what `new-year` carries into the next year's form.
    pub fn sources(&mut self, kind: &Kind, notes: &mut Vec<Note>) -> Result<Context> {
        read(kind, &mut self.this, notes)
    }

    /// The whole pipeline for one kind, short of writing; notes from reading go into `notes`.
    pub fn build(&mut self, kind: &Kind, notes: &mut Vec<Note>) -> Result<Built> {
        let context = self.context(kind, notes)?;
        let rendered = kind.renderer.render(&context)?;
        let document = document::parse(&rendered, &kind.manifest.dir)?;
        Ok(Built { document, context })
    }

    /// Last year's data of this department, opened (and its folder listed) on first use: the
    /// folder of its name, or of the name it had before it was renamed.
    fn prev_data(&mut self) -> Result<Option<&mut DeptData<'y>>> {
        if self.prev.is_none() {
            let years = self.years;
            let found = match &years.prev {
                None => None,
                Some((index, data)) => {
                    let name = self.this.dept.as_str();
                    let dept = match index.department(name) {
                        Some(dept) => Some(dept),
                        // Only a department without a folder of its name last year can have
                        // been renamed: only then do the renames matter.
                        None => index.department(years.renames()?.last_years_name(name)),
                    };
                    dept.map(|dept| DeptData::open(dept.listed(), data))
                }
            };
            self.prev = Some(found);
        }
        Ok(self.prev.as_mut().and_then(Option::as_mut))
    }
}

/// Whether `error` is only that every source of `kind` is missing.
fn none_of_its_sources(kind: &Kind, error: &Error) -> bool {
    let problems = error.clone().into_list();
    let missing: Vec<&str> = problems
        .iter()
        .filter_map(|e| match e {
            Error::SourceMissing { name, .. } => Some(name.as_str()),
            _ => None,
        })
        .collect();
    let sources = &kind.manifest.sources;
    !sources.is_empty()
        && missing.len() == problems.len()
        && sources.iter().all(|s| missing.contains(&s.sheet.as_str()))
}

/// One year's sources as a context, narrative cells not yet rendered.
fn read(kind: &Kind, data: &mut DeptData, notes: &mut Vec<Note>) -> Result<Context> {
    let sources = sources::load(&kind.manifest, data, notes)?;
    Ok(context::build(
        data.year(),
        &data.dept,
        &kind.manifest.kind,
        sources,
    ))
}
