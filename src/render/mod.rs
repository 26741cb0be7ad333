//! Rendering: the manifest's templates, filled from the context, into markup.
//!
//! minijinja in a sandbox: strict undefined behaviour (an undefined variable is an error,
//! never an empty string), templates loaded only from the report kind's folder, a fuel
//! budget so no template loops forever, and values escaped for the markup on output.

mod columns;
mod errors;
mod fields;
pub mod filters;
mod names;
pub mod numbers;
mod official;
mod table;

use std::path::PathBuf;

use minijinja::syntax::SyntaxConfig;
use minijinja::value::ValueKind;
use minijinja::{AutoEscape, Environment, ErrorKind, UndefinedBehavior, Value};

use crate::context::Context;
use crate::diagnostics::{Error, Result};
use crate::manifest::Manifest;
use crate::markup;
use crate::sources::Value as CellValue;

/// How the templates written inside the manifest are named: `report.toml › title`.
pub const MANIFEST_TEMPLATE: &str = "report.toml › ";

/// The name under which the manifest's title template is known.
pub const TITLE_TEMPLATE: &str = "report.toml › title";

/// The name of attachment `n`'s (from 1) title template.
fn attachment_title(n: usize) -> String {
    format!("{MANIFEST_TEMPLATE}第 {n} 个附件的 title")
}

/// The work one render may do; far beyond any report, short of an endless loop.
const FUEL: u64 = 2_000_000;

/// The work a county-wide render may do: a few steps for each of millions of rows.
const COUNTY_FUEL: u64 = 500_000_000;

/// The escaping named by section templates (`*.md`).
const MARKUP_ESCAPE: &str = "markup";

/// The rendered title and sections of one report, before they are parsed.
#[derive(Debug, Clone)]
pub struct Rendered {
    pub title: String,
    pub sections: Vec<Section>,
    /// 主送机关, 署名 and 成文日期 (formatted `2023年1月5日`), when the manifest names them and
    /// the department's data has them.
    pub addressee: Option<String>,
    pub signature: Option<String>,
    pub date: Option<String>,
    /// The 附注 (`（联系人：张三，电话：1234567）`), in brackets.
    pub note: Option<String>,
    /// The 版头, when the manifest declares one and the department's data has an issuer.
    pub head: Option<crate::document::Head>,
    /// The 版记, when the manifest declares one and the data has any of its values.
    pub imprint: Option<crate::document::Imprint>,
    pub attachments: Vec<RenderedAttachment>,
}

#[derive(Debug, Clone)]
pub struct RenderedAttachment {
    pub title: String,
    pub sections: Vec<Section>,
}

#[derive(Debug, Clone)]
pub struct Section {
    /// The template's file name inside the kind's folder.
    pub name: String,
    pub markup: String,
}

/// A report kind's compiled templates.
pub struct Renderer {
    env: Environment<'static>,
    dir: PathBuf,
    sections: Vec<String>,
    /// The manifest's paths to the addressee, signature and date.
    addressee: Option<String>,
    signature: Option<String>,
    date: Option<String>,
    note: Option<String>,
    /// The manifest's paths to the 版头's and 版记's values.
    head: Option<crate::manifest::HeadPaths>,
    imprint: Option<crate::manifest::ImprintPaths>,
    /// Each attachment's section templates.
    attachments: Vec<Vec<String>>,
    /// A template reads `prev`, so last year's data is loaded (found once, by analysis).
    uses_prev: bool,
    /// The manifest, to check the names narrative cells read.
    manifest: Manifest,
    /// The filters and tests found to exist, or not, so far.
    known: names::Known,
}

impl Renderer {
    /// Sets up the sandbox and compiles every template, so syntax errors surface once per kind.
    pub fn new(manifest: &Manifest) -> Result<Renderer> {
        let mut env = Environment::new();
        env.set_undefined_behavior(UndefinedBehavior::Strict);
        // A county-wide report walks every department's rows: more work, still bounded.
        env.set_fuel(Some(match manifest.scope {
            crate::manifest::Scope::Department => FUEL,
            crate::manifest::Scope::County => COUNTY_FUEL,
        }));
        env.set_syntax(
            SyntaxConfig::builder()
                .lstrip_blocks(true)
                .build()
                .expect("the default delimiters are valid"),
        );
        env.set_loader(sandbox_loader(manifest.dir.clone()));
        env.set_auto_escape_callback(|name| {
            if name.ends_with(".md") {
                AutoEscape::Custom(MARKUP_ESCAPE.into())
            } else {
                AutoEscape::None
            }
        });
        env.set_formatter(format_value);
        minijinja_contrib::add_to_environment(&mut env);
        filters::register(&mut env);
        columns::register(&mut env);

        let mut renderer = Renderer {
            env,
            dir: manifest.dir.clone(),
            sections: manifest.sections.clone(),
            addressee: manifest.addressee.clone(),
            signature: manifest.signature.clone(),
            date: manifest.date.clone(),
            note: manifest.note.clone(),
            head: manifest.head.clone(),
            imprint: manifest.imprint.clone(),
            attachments: manifest
                .attachments
                .iter()
                .map(|a| a.sections.clone())
                .collect(),
            uses_prev: false,
            manifest: manifest.clone(),
            known: names::Known::default(),
        };
        renderer
            .env
            .add_template_owned(TITLE_TEMPLATE, manifest.title.clone())
            .map_err(|e| renderer.error(e, None))?;
        for (i, attachment) in manifest.attachments.iter().enumerate() {
            renderer
                .env
                .add_template_owned(attachment_title(i + 1), attachment.title.clone())
                .map_err(|e| renderer.error(e, None))?;
        }
        for name in renderer.section_names() {
            match renderer.env.get_template(&name) {
                // A section that is empty (saved blank by mistake) would leave a whole part
                // of every report out without a word.
                Ok(template) if template.source().trim().is_empty() => {
                    return Err(Error::Template {
                        place: errors::place(&renderer.dir, &name, None),
                        message: "这个章节模板是空的，每份报告都会少这一节。请写入内容，或把它从 report.toml 的 sections 中删去。".into(),
                    });
                }
                Ok(_) => {}
                // The loader's own error, before the file is a template (it cannot be read,
                // or is refused): told of that file, not of the template compiled before it.
                // The loader names the file (an included one is told at its `include`), so
                // the name is not said twice.
                Err(e) if e.name().is_none() && e.kind() == ErrorKind::InvalidOperation => {
                    let path = renderer.dir.join(&name);
                    let detail = e.detail().unwrap_or_default();
                    let message = detail
                        .strip_prefix(&format!("{}：", path.display()))
                        .unwrap_or(detail);
                    return Err(Error::Template {
                        place: errors::place(&renderer.dir, &name, None),
                        message: message.to_owned(),
                    });
                }
                Err(e) => return Err(renderer.error(e, None)),
            }
        }
        renderer.uses_prev = renderer.check_variables(manifest)?;
        Ok(renderer)
    }

    /// Every section template, the attachments' included.
    fn section_names(&self) -> Vec<String> {
        self.sections
            .iter()
            .chain(self.attachments.iter().flatten())
            .cloned()
            .collect()
    }

    /// Every template: the title, the sections, the attachments' titles and sections.
    fn template_names(&self) -> Vec<String> {
        std::iter::once(TITLE_TEMPLATE.to_owned())
            .chain((1..=self.attachments.len()).map(attachment_title))
            .chain(self.section_names())
            .collect()
    }

    /// Whether the title or a section reads last year's data (`prev`).
    pub fn uses_prev(&self) -> bool {
        self.uses_prev
    }

    /// The names a template may read: the sources, the tool's own (`year`, `dept`, `kind`,
    /// `prev`) and the global functions.
    fn known_names(&self) -> Vec<&str> {
        self.manifest
            .sources
            .iter()
            .map(|s| s.var.as_str())
            .chain(crate::manifest::RESERVED.iter().copied())
            .chain(self.env.globals().map(|(name, _)| name))
            .collect()
    }

    /// Static analysis: every variable a template reads must come from a declared source, be
    /// one the tool provides (`year`, `dept`, `kind`, `prev`) or a global function — found
    /// before any data is read, for every template, not only the branches a trial render takes.
    /// Returns whether any of them reads `prev`.
    fn check_variables(&self, manifest: &Manifest) -> Result<bool> {
        // A county-wide report sees the departments, not one department's sources.
        let known = match manifest.scope {
            crate::manifest::Scope::Department => self.known_names(),
            crate::manifest::Scope::County => ["year", "kind", "departments", "failed", "all"]
                .into_iter()
                .chain(self.env.globals().map(|(name, _)| name))
                .collect(),
        };
        let mut errors = Vec::new();
        let mut uses_prev = false;
        for name in self.template_names() {
            let name = name.as_str();
            let in_file = !name.starts_with(MANIFEST_TEMPLATE);
            let template = self
                .env
                .get_template(name)
                .map_err(|e| self.error(e, None))?;
            let paths: Vec<String> = template.undeclared_variables(true).into_iter().collect();
            let problems = fields::check(template.source(), &paths, manifest)
                .into_iter()
                .chain(names::check(&self.env, &self.known, template.source()));
            for (line, message) in problems {
                errors.push(Error::Template {
                    place: errors::place(&self.dir, name, in_file.then_some(line)),
                    message: format!("{message}。"),
                });
            }
            let used = template.undeclared_variables(false);
            uses_prev |= used.contains("prev");
            // A county-wide template reads last year's data through each department
            // (`d.prev`); the word is enough to load it.
            uses_prev |= manifest.scope == crate::manifest::Scope::County
                && template.source().contains("prev");
            let mut unknown: Vec<String> = used
                .into_iter()
                .filter(|v| !known.contains(&v.as_str()))
                .collect();
            unknown.sort();
            for variable in unknown {
                let line = template
                    .source()
                    .lines()
                    .position(|l| l.contains(variable.as_str()))
                    .map_or(1, |i| i + 1);
                let place = errors::place(&self.dir, name, in_file.then_some(line));
                errors.push(Error::Template {
                    place,
                    message: match manifest.scope {
                        crate::manifest::Scope::Department => format!(
                        "用到了没有声明的变量 {variable}。请检查拼写，或在 report.toml 的 sources 中声明提供它的数据源（现有：{}）。",
                        manifest.sources.iter().map(|s| s.var.as_str()).collect::<Vec<_>>().join("、")
                        ),
                        crate::manifest::Scope::County => format!(
                        "用到了没有声明的变量 {variable}。全县汇总的模板只能直接用 year、kind、departments、all 和 failed；各单位的数据在 departments 的每一项里，如 {{% for d in departments %}}{{{{ d.dept }}}}{{{{ d.统计.中小学校 }}}}{{% endfor %}}。"
                        ),
                    },
                });
            }
        }
        Error::collect(errors)?;
        Ok(uses_prev)
    }

    /// Renders the narrative cells (text columns marked `template = true`) in the same
    /// sandbox, source by source in manifest order: a cell sees the sources before its own
    /// already rendered, so a work point can cite an activity whose name is itself a template.
    /// What a narrative cell produces is plain text, escaped when a section prints it.
    pub fn expand(&self, mut context: Context) -> Result<Context> {
        let names: Vec<String> = context.vars.keys().cloned().collect();
        let known = self.known_names();
        let mut errors = Vec::new();
        for name in names {
            if !context.vars[&name].cells().any(is_template) {
                continue;
            }
            // The cells are rendered against the context as it stands, then written back once
            // the context's value (which shares the data) is dropped.
            let value = context.to_value();
            let mut expanded: Vec<Option<String>> = Vec::new();
            for cell in context.vars[&name].cells() {
                expanded.push(None);
                let CellValue::Text(text) = &cell.value else {
                    continue;
                };
                if !is_template(cell) {
                    continue;
                }
                let place = cell.at.to_string();
                let template = match self.env.template_from_named_str(&place, text) {
                    Ok(template) => template,
                    Err(e) => {
                        errors.push(errors::translate(&self.env, &self.dir, e, None, Some(text)));
                        continue;
                    }
                };
                // The names a cell reads are checked in every branch, as a template's are.
                let paths: Vec<String> = template.undeclared_variables(true).into_iter().collect();
                let mut unknown = fields::check(text, &paths, &self.manifest);
                unknown.extend(names::check(&self.env, &self.known, text));
                // Each `undeclared_variables` parses the cell again: the names it reads are
                // the first parts of the paths (`统计.x` reads `统计`).
                let mut roots: Vec<String> = paths
                    .iter()
                    .map(|p| p.split('.').next().unwrap_or(p).to_owned())
                    .collect();
                // In order, so that a message names the same source in every run.
                roots.sort();
                roots.dedup();
                let undeclared: Vec<String> = roots
                    .iter()
                    .filter(|v| !known.contains(&v.as_str()))
                    .cloned()
                    .collect();
                if let Some(source) = reads_unrendered(&self.manifest, &name, &roots, &paths, text)
                {
                    unknown.push((1, unrendered(&source, &name)));
                }
                unknown.extend(undeclared.into_iter().map(|name| {
                    (
                        1,
                        format!(
                            "用到了未定义的变量 {name}。请检查拼写；运行 huibao context 可查看能用的全部变量"
                        ),
                    )
                }));
                if !unknown.is_empty() {
                    for (_, message) in unknown {
                        errors.push(Error::Template {
                            place: errors::place(&self.dir, &place, None),
                            message: format!("{message}。"),
                        });
                    }
                    continue;
                }
                // A blank cell read by an earlier render is not this one's.
                crate::context::forget_blank();
                let rendered = template.render(&value);
                match rendered {
                    // What the reading above cannot see (`(活动清单 | last).活动名称`) shows
                    // in what the cell gives: template text no cell may leave unrendered.
                    Ok(text) if text.contains("{{") || text.contains("{%") => {
                        errors.push(Error::Template {
                            place: errors::place(&self.dir, &place, None),
                            message: format!("{}。", unrendered("", &name)),
                        });
                    }
                    Ok(text) => *expanded.last_mut().expect("just pushed") = Some(text),
                    // Every bad cell is reported in one run, each with its own text.
                    Err(e) => errors.push(errors::translate(
                        &self.env,
                        &self.dir,
                        e,
                        Some(&value),
                        Some(text),
                    )),
                }
            }
            drop(value);
            let cells = context
                .vars
                .get_mut(&name)
                .expect("a source of the context");
            for (cell, text) in cells.cells_mut().zip(expanded) {
                if let Some(text) = text {
                    cell.value = CellValue::Text(text);
                }
            }
        }
        Error::collect(errors)?;
        Ok(context)
    }

    /// Renders the title and every section.
    pub fn render(&self, context: &Context) -> Result<Rendered> {
        let value = context.to_value();
        let title = self.render_one(TITLE_TEMPLATE, &value, context)?;
        let sections = self.render_sections(&self.sections, &value, context)?;
        let date = self.date_at(&value, self.date.as_deref(), "date")?;
        let mut attachments = Vec::new();
        for (i, sections) in self.attachments.iter().enumerate() {
            let title = self.render_one(&attachment_title(i + 1), &value, context)?;
            let sections = self.render_sections(sections, &value, context)?;
            let title = one_line(&title);
            if title.is_empty() {
                return Err(self.manifest_error(
                    &format!("第 {} 个附件的 title", i + 1),
                    "附件标题是空的。请检查这个标题模板和它用到的数据。".into(),
                ));
            }
            attachments.push(RenderedAttachment { title, sections });
        }
        let title = one_line(&title);
        if title.is_empty() {
            return Err(self.manifest_error(
                "title",
                "报告标题是空的。请检查 title 模板和它用到的数据。".into(),
            ));
        }
        Ok(Rendered {
            title,
            sections,
            // The addressee line ends with a full-width colon (GB/T 9704-2012 7.3.2).
            addressee: lookup(&value, self.addressee.as_deref())
                .map(|a| format!("{}：", a.trim_end_matches([':', '：']))),
            signature: lookup(&value, self.signature.as_deref()),
            date,
            note: lookup(&value, self.note.as_deref()).and_then(|n| bracketed(&n)),
            head: self.head(&value, context)?,
            imprint: self.imprint(&value)?,
            attachments,
        })
    }

    fn render_sections(
        &self,
        names: &[String],
        value: &Value,
        context: &Context,
    ) -> Result<Vec<Section>> {
        names
            .iter()
            .map(|name| {
                Ok(Section {
                    name: name.clone(),
                    markup: self.render_one(name, value, context)?,
                })
            })
            .collect()
    }

    /// The 版头's values; none when the issuer is blank.
    fn head(&self, value: &Value, context: &Context) -> Result<Option<crate::document::Head>> {
        let Some(paths) = &self.head else {
            return Ok(None);
        };
        let Some(issuer) = lookup(value, Some(&paths.issuer)) else {
            return Ok(None);
        };
        let number = match lookup(value, paths.number.as_deref()) {
            None => None,
            Some(text) => Some(official::document_number(&text).ok_or_else(|| {
                self.value_error(
                    context,
                    paths.number.as_deref(),
                    "[head] 的 number",
                    format!(
                        "发文字号“{text}”的写法不对。应写成机关代字、年份和序号，如“县教体〔2023〕5号”（年份用六角括号〔〕，序号不编虚位、不加“第”）。请改正 {} 的值。",
                        paths.number.as_deref().unwrap_or_default()
                    ),
                )
            })?),
        };
        // The year in a 发文字号 is the year the document is issued: the 成文日期's year. A
        // report on 2022 written in January 2023 is numbered 〔2023〕, and 〔2022〕 or a typo
        // (〔2203〕) would go out on the document.
        let issued =
            lookup(value, self.date.as_deref()).and_then(|text| crate::sources::parse_date(&text));
        if let (Some(number), Some(issued)) = (&number, issued) {
            use chrono::Datelike;
            let year = official::document_number_year(number).unwrap_or_default();
            if year != issued.year() {
                // Quoted as typed, so the clerk finds it in the cell.
                let typed = lookup(value, paths.number.as_deref()).unwrap_or_default();
                let date_cell = self
                    .date
                    .as_deref()
                    .and_then(|path| record_cell(context, path))
                    .map(|at| format!("（{at}）"))
                    .unwrap_or_default();
                return Err(self.value_error(
                    context,
                    paths.number.as_deref(),
                    "[head] 的 number",
                    format!(
                        "发文字号“{typed}”的年份是 {year}，成文日期 {}{date_cell}却在 {} 年。发文字号的年份是发文的年份，应与成文日期一致，这里应写作〔{}〕。请改正 {} 或 {} 的值。",
                        filters::official_date(issued),
                        issued.year(),
                        issued.year(),
                        paths.number.as_deref().unwrap_or_default(),
                        self.date.as_deref().unwrap_or_default(),
                    ),
                ));
            }
        }
        let copy_number = match lookup(value, paths.copy_number.as_deref()) {
            None => None,
            Some(text) => Some(official::copy_number(&text).ok_or_else(|| {
                self.value_error(
                    context,
                    paths.copy_number.as_deref(),
                    "[head] 的 copy_number",
                    format!(
                        "份号“{text}”应是不超过 6 位、不为 0 的阿拉伯数字（如 000123 或 123）。请改正 {} 的值。",
                        paths.copy_number.as_deref().unwrap_or_default()
                    ),
                )
            })?),
        };
        Ok(Some(crate::document::Head {
            issuer,
            number,
            signer: lookup(value, paths.signer.as_deref()),
            copy_number,
            secrecy: lookup(value, paths.secrecy.as_deref()),
            urgency: lookup(value, paths.urgency.as_deref()),
        }))
    }

    /// The 版记's values; none when all are blank.
    fn imprint(&self, value: &Value) -> Result<Option<crate::document::Imprint>> {
        let Some(paths) = &self.imprint else {
            return Ok(None);
        };
        let cc = lookup(value, paths.cc.as_deref()).map(|cc| {
            // One 。 at the end, whatever mark the clerk ended the list with.
            let marks = ['。', '.', '，', ',', '；', ';', '、', '！', '!', '：', ':'];
            let end = |c: char| marks.contains(&c) || c.is_whitespace();
            format!("{}。", cc.trim_end_matches(end))
        });
        let printer = lookup(value, paths.printer.as_deref());
        let print_date = self
            .date_at(
                value,
                paths.print_date.as_deref(),
                "[imprint] 的 print_date",
            )?
            .map(|d| format!("{d}印发"));
        if cc.is_none() && printer.is_none() && print_date.is_none() {
            return Ok(None);
        }
        Ok(Some(crate::document::Imprint {
            cc,
            printer,
            print_date,
        }))
    }

    /// A date at `path`, written as GB/T 9704 writes dates (`2023年1月5日`).
    fn date_at(&self, value: &Value, path: Option<&str>, key: &str) -> Result<Option<String>> {
        match lookup(value, path) {
            None => Ok(None),
            Some(text) => crate::sources::parse_date(&text)
                .map(|d| Some(filters::official_date(d)))
                .ok_or_else(|| {
                    self.manifest_error(
                        key,
                        format!(
                            "“{text}”不是日期：{key} 指向的 {} 应是日期类型的项目（在 fields 中写 type = \"date\"）。",
                            path.unwrap_or_default()
                        ),
                    )
                }),
        }
    }

    /// A value the manifest's `key` takes from the data (`概况.发文字号`) that is written
    /// wrongly: told at the cell it came from, where the clerk corrects it; at the manifest's
    /// key when the value has no one cell.
    fn value_error(
        &self,
        context: &Context,
        path: Option<&str>,
        key: &str,
        message: String,
    ) -> Error {
        match path.and_then(|path| record_cell(context, path)) {
            Some(at) => Error::Template {
                place: crate::diagnostics::Place {
                    text: at.to_string(),
                    at: Some(at),
                },
                message,
            },
            None => self.manifest_error(key, message),
        }
    }

    fn manifest_error(&self, key: &str, message: String) -> Error {
        let manifest = self.dir.join(crate::manifest::MANIFEST_FILE);
        let text = format!("{} 中的 {key}", manifest.display());
        Error::Template {
            place: crate::diagnostics::Place::file(&manifest, None, text),
            message,
        }
    }

    fn render_one(&self, name: &str, value: &Value, context: &Context) -> Result<String> {
        let template = self
            .env
            .get_template(name)
            .map_err(|e| self.error(e, None))?;
        crate::context::forget_blank();
        template.render(value).map_err(|e| {
            let line = e
                .line()
                .and_then(|l| template.source().lines().nth(l.saturating_sub(1)))
                .map(str::to_owned);
            let filter_failed = e.kind() == ErrorKind::InvalidOperation;
            let mut error = self.error(e, Some(value));
            // A filter that got the wrong value says which cell the value came from.
            if let (true, Some(line), Error::Template { message, .. }) =
                (filter_failed, line, &mut error)
                && !message.contains("未定义的值")
                && !message.contains("这个值来自")
                && let Some(filter) = message.split(' ').next()
                && let Some(at) = origin(context, &line, filter)
            {
                let origin = format!("（这个值来自 {at}）");
                match message.find("。该行：") {
                    Some(i) => message.insert_str(i, &origin),
                    None => message.push_str(&origin),
                }
            }
            error
        })
    }

    fn error(&self, error: minijinja::Error, context: Option<&Value>) -> Error {
        errors::translate(&self.env, &self.dir, error, context, None)
    }
}

/// Where the value `filter` failed on came from: a cell of a record that the line passes to
/// that filter by a dotted path (`统计.烈士墓 | cn_number`, `prev.统计.烈士墓 | yoy(…)`), when
/// exactly one cell is passed to it that way.
fn origin(context: &Context, line: &str, filter: &str) -> Option<crate::diagnostics::Location> {
    let is_part = |c: char| c.is_alphanumeric() || c == '_' || c == '.';
    let passed = |end: usize| {
        line[end..]
            .trim_start()
            .strip_prefix('|')
            .map(str::trim_start)
            .and_then(|rest| rest.strip_prefix(filter))
            .is_some_and(|rest| !rest.starts_with(is_part))
    };
    let mut cells = line
        .match_indices(|c: char| !is_part(c))
        .map(|(i, _)| i)
        .chain(std::iter::once(line.len()))
        .scan(0, |start, end| {
            let word = (*start, end);
            *start = end + line[end..].chars().next().map_or(0, char::len_utf8);
            Some(word)
        })
        .filter(|&(start, end)| line[start..end].contains('.') && passed(end))
        .filter_map(|(start, end)| {
            let path = &line[start..end];
            let mut parts: Vec<&str> = path.split('.').collect();
            let mut context = context;
            if parts.first() == Some(&"prev") {
                context = context.prev.as_deref()?;
                parts.remove(0);
            }
            match (parts.as_slice(), context.vars.get(*parts.first()?)?) {
                ([_, key], crate::sources::Data::Record(row)) => {
                    row.get(*key).map(|cell| cell.at.clone())
                }
                _ => None,
            }
        });
    let first = cells.next()?;
    cells.all(|other| other == first).then_some(first)
}

/// Loads `{% include %}` and `{% import %}` targets, and the section templates, only from
/// regular files inside the kind's folder: no absolute path, no `..`, no symbolic link (a
/// link could point anywhere), and never the manifest itself.
fn sandbox_loader(
    dir: PathBuf,
) -> impl Fn(&str) -> Result<Option<String>, minijinja::Error> + Send + Sync + 'static {
    move |name: &str| {
        let refuse = |why: String| Err(minijinja::Error::new(ErrorKind::InvalidOperation, why));
        let relative = std::path::Path::new(name);
        let plain = relative
            .components()
            .all(|c| matches!(c, std::path::Component::Normal(_)));
        if !plain {
            return Ok(None); // reported as a template not found, inside the kind's folder
        }
        if name == crate::manifest::MANIFEST_FILE {
            return refuse(format!(
                "不能引用 {}：模板只能引用章节模板等 .md 文件",
                crate::manifest::MANIFEST_FILE
            ));
        }
        let mut path = dir.clone();
        for part in relative.components() {
            path.push(part);
            match std::fs::symlink_metadata(&path) {
                Err(_) => return Ok(None),
                Ok(meta) if meta.file_type().is_symlink() => {
                    return refuse(format!(
                        "{} 是一个符号链接，可能指向报告种类文件夹以外的文件；模板只能引用文件夹里的普通文件。请用真实的文件替换它",
                        path.display()
                    ));
                }
                Ok(_) => {}
            }
        }
        if !path.is_file() {
            return Ok(None);
        }
        let text = crate::sources::read_text(&path)
            .map_err(|e| minijinja::Error::new(ErrorKind::InvalidOperation, e.to_string()))?;
        // A control character (pasted in from elsewhere) would reach the text and Markdown
        // but not the Word document, which cannot hold it: the formats would differ.
        if let Some((line, c)) = control_character(&text) {
            return refuse(format!(
                "{}：第 {line} 行有一个看不见的控制字符（U+{:04X}），多半是从别处粘贴进来的。请删除它（可以删掉这一行的内容后重新输入）。",
                path.display(),
                c as u32
            ));
        }
        Ok(Some(text))
    }
}

/// Why a narrative cell of source `own` may not read the narrative cells of `source` (empty:
/// not known which), and what to do.
fn unrendered(source: &str, own: &str) -> String {
    let what = match source {
        "" => "展开后仍含有 {{ }} 这样的模板文字：它读到了还没有展开的叙事单元格".to_owned(),
        _ => format!(
            "读到了“{source}”中的叙事单元格，而它这时还没有展开，报告里会原样出现 {{{{ }}}} 这样的模板文字"
        ),
    };
    let advice = match source == own {
        true => format!(
            "叙事单元格不能读同一数据源“{own}”中的叙事单元格：请改为引用其他数据源，或直接写出内容"
        ),
        false => format!(
            "单元格按 report.toml 中数据源的先后展开，只能读排在自己所在的“{own}”之前的数据源中的叙事单元格：请把被读的数据源移到“{own}”之前，或改为引用其他单元格"
        ),
    };
    format!("{what}。{advice}")
}

/// The source whose narrative cells a narrative cell of source `own` (its text `text`) reads
/// before they are rendered: its own source, or one declared after it (cells are rendered
/// source by source, in the manifest's order). Such a cell would print the other's template
/// text as it stands. A record counts when a narrative field is read by name (`概况.开篇`) or
/// the record is read whole; a table when a narrative column is read by a loop, a filter's
/// argument or an index ([`fields::table_columns_read`]), not when it is only counted.
fn reads_unrendered(
    manifest: &Manifest,
    own: &str,
    roots: &[String],
    paths: &[String],
    text: &str,
) -> Option<String> {
    use crate::manifest::Shape;
    let order = |var: &str| manifest.sources.iter().position(|s| s.var == var);
    let own_at = order(own)?;
    roots.iter().find_map(|root| {
        let at = order(root).filter(|at| *at >= own_at)?;
        let source = &manifest.sources[at];
        let narrative: Vec<&str> = match &source.shape {
            Shape::Table { columns } => columns
                .iter()
                .filter(|c| c.template)
                .map(|c| c.name.trim())
                .collect(),
            Shape::Record { fields, .. } => fields
                .iter()
                .filter(|f| f.template)
                .map(|f| f.name.trim())
                .collect(),
        };
        if narrative.is_empty() {
            return None;
        }
        if matches!(source.shape, Shape::Table { .. }) {
            let read = fields::table_columns_read(text, manifest, root);
            return read
                .iter()
                .any(|c| narrative.contains(&c.trim()))
                .then(|| root.clone());
        }
        let prefix = format!("{root}.");
        let named: Vec<&str> = paths
            .iter()
            .filter_map(|p| p.strip_prefix(&prefix))
            .map(|rest| rest.split('.').next().unwrap_or(rest))
            .collect();
        let by_name_only = !named.is_empty() && !paths.iter().any(|p| p == root);
        if by_name_only && !named.iter().any(|n| narrative.contains(&n.trim())) {
            return None;
        }
        Some(root.clone())
    })
}

/// The first control character of a template's text other than line ends and tabs, with its
/// line.
fn control_character(text: &str) -> Option<(usize, char)> {
    text.lines().enumerate().find_map(|(i, line)| {
        line.chars()
            .find(|c| c.is_control() && !matches!(c, '\t' | '\r'))
            .map(|c| (i + 1, c))
    })
}

/// Where the value at a dotted path into a record (`概况.发文字号`, `prev.概况.发文字号`) came
/// from: its cell.
fn record_cell(context: &Context, path: &str) -> Option<crate::diagnostics::Location> {
    let mut parts: Vec<&str> = path.split('.').map(str::trim).collect();
    let mut context = context;
    if parts.first() == Some(&"prev") {
        context = context.prev.as_deref()?;
        parts.remove(0);
    }
    match (parts.as_slice(), context.vars.get(*parts.first()?)?) {
        ([_, key], crate::sources::Data::Record(row)) => row.get(*key).map(|cell| cell.at.clone()),
        _ => None,
    }
}

/// The value at a dotted path (`统计.烈士墓`); none where a step is undefined.
fn walk(context: &Value, path: &str) -> Option<Value> {
    let mut value = context.clone();
    for part in path.split('.') {
        value = value
            .get_attr(part.trim())
            .ok()
            .filter(|v| !v.is_undefined())?;
    }
    Some(value)
}

/// The text at a path such as `概况.署名`; none when the path or the value is missing or blank.
fn lookup(context: &Value, path: Option<&str>) -> Option<String> {
    let value = walk(context, path?)?;
    if value.is_none() {
        return None;
    }
    let text = one_line(&value.to_string());
    (!text.is_empty()).then_some(text)
}

/// A 附注 in full-width brackets (GB/T 9704-2012 7.3.6), as typed when it has them already:
/// `（联系人：张三）` or `(…)` made full-width, also one typed with only its opening or its
/// closing bracket; brackets inside it stay (`联系人：张三（办公室）`). None for brackets alone.
fn bracketed(note: &str) -> Option<String> {
    let (opens, closes) = (['（', '('], ['）', ')']);
    let balance = |t: &str| {
        t.chars().filter(|c| opens.contains(c)).count() as i64
            - t.chars().filter(|c| closes.contains(c)).count() as i64
    };
    let note = note.trim();
    let whole = note
        .strip_prefix(opens)
        .and_then(|n| n.strip_suffix(closes))
        .filter(|inner| balance(inner) == 0);
    let inner = match (whole, balance(note)) {
        (Some(inner), _) => inner,
        (None, 1) => note.strip_prefix(opens).unwrap_or(note),
        (None, -1) => note.strip_suffix(closes).unwrap_or(note),
        (None, _) => note,
    }
    .trim();
    (!inner.is_empty()).then(|| format!("（{inner}）"))
}

/// Text that must stand on one line (a title, a value of the 版头 or 版记): its lines joined
/// without a space, as Chinese writes, each trimmed — a line break typed into a cell (Alt+Enter)
/// would otherwise split it.
fn one_line(text: &str) -> String {
    text.lines().map(str::trim).collect()
}

/// A narrative cell that holds template expressions.
fn is_template(cell: &crate::sources::Cell) -> bool {
    matches!(&cell.value, CellValue::Text(t) if cell.template && (t.contains("{{") || t.contains("{%")))
}

/// Prints a value into a template's output. Text is escaped for the markup in section
/// templates; an empty value (a blank optional cell, `none`) or a whole list is an error
/// rather than a silently blank or garbled report.
fn format_value(
    out: &mut minijinja::Output,
    state: &mut minijinja::State,
    value: &Value,
) -> Result<(), minijinja::Error> {
    let text = match value.kind() {
        ValueKind::Undefined | ValueKind::None => {
            // Which cell it may be is decided with the failing line (`errors::translate`).
            errors::noted_blank(crate::context::last_blank());
            return Err(minijinja::Error::new(
                ErrorKind::InvalidOperation,
                errors::BLANK_PRINTED,
            ));
        }
        ValueKind::Seq | ValueKind::Map | ValueKind::Iterable | ValueKind::Plain => {
            return Err(minijinja::Error::new(
                ErrorKind::InvalidOperation,
                "不能直接输出整张表或整条记录。请用 {% for %} 逐行输出，或用 join_cn 等过滤器连成文字",
            ));
        }
        _ => filters::printed(value),
    };
    // A blank cell read before this value is not the one a later error prints.
    crate::context::forget_blank();
    let escape = matches!(state.auto_escape(), AutoEscape::Custom(name) if name == MARKUP_ESCAPE);
    if escape && !value.is_safe() {
        out.write_str(&markup::escape(&text))
    } else {
        out.write_str(&text)
    }
    .map_err(|_| minijinja::Error::new(ErrorKind::WriteFailure, "写入失败"))
}

#[cfg(test)]
mod note_tests {
    #[test]
    fn a_note_is_bracketed_once_whatever_brackets_it_was_typed_with() {
        for (typed, note) in [
            ("联系人：张三", Some("（联系人：张三）")),
            ("(联系人：张三)", Some("（联系人：张三）")),
            ("（联系人：张三", Some("（联系人：张三）")),
            ("联系人：张三）", Some("（联系人：张三）")),
            ("联系人：张三（办公室）", Some("（联系人：张三（办公室））")),
            ("（一）此件公开发布", Some("（（一）此件公开发布）")),
            ("（此件公开发布）", Some("（此件公开发布）")),
            ("（）", None),
        ] {
            assert_eq!(super::bracketed(typed).as_deref(), note, "{typed}");
        }
    }
}
