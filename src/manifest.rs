//! The manifest of a report kind: `templates/<kind>/report.toml`.
//!
//! It names the title template, the section templates in order, and the data sources with
//! their columns and types. It is parsed strictly: an unknown key, a missing template file,
//! a duplicate variable or a reserved name is an error naming the manifest and the line.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use serde::Deserialize;
use toml::Spanned;

use crate::diagnostics::{Error, Result};

/// The file name of a manifest inside a report kind's folder.
pub const MANIFEST_FILE: &str = "report.toml";

/// Names the tool itself puts into every context; a source may not take them.
pub const RESERVED: &[&str] = &[
    "year",
    "dept",
    "kind",
    "prev",
    "departments",
    "failed",
    "all",
];

/// Whom a report kind covers.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Scope {
    /// One report per department (the default).
    #[default]
    Department,
    /// One report per year across all departments (a county-wide summary): its templates see
    /// `departments`, every department's context, and `failed`, those whose data failed.
    County,
}

/// A report kind as its manifest declares it.
#[derive(Debug, Clone)]
pub struct Manifest {
    /// The kind's name: its folder's name, used for output file names.
    pub kind: String,
    /// The kind's folder: templates are loaded from here and nowhere else.
    pub dir: PathBuf,
    /// The manifest file itself, for messages.
    pub path: PathBuf,
    /// The title, a one-line template (plain text, not markup).
    pub title: String,
    /// Section template files, relative to `dir`, in document order.
    pub sections: Vec<String>,
    /// One report per department, or one across them all.
    pub scope: Scope,
    pub sources: Vec<Source>,
    /// Where the addressee (主送机关), signature (署名) and date (成文日期) come from: a path
    /// into the context such as `概况.署名`. Each is left out of a report whose value is blank.
    pub addressee: Option<String>,
    pub signature: Option<String>,
    pub date: Option<String>,
    /// Where the 附注 comes from (`概况.附注`: 联系人、电话), printed under the date.
    pub note: Option<String>,
    /// The 版头 (letterhead) of GB/T 9704-2012 7.2, when the manifest has a `[head]` table.
    pub head: Option<HeadPaths>,
    /// The 版记 (imprint) of 7.4, when the manifest has an `[imprint]` table.
    pub imprint: Option<ImprintPaths>,
    /// The 附件 (attachments) of 7.3.7, in order.
    pub attachments: Vec<AttachmentTemplates>,
    /// The first year the kind is made (`since = 2023`): that year it has no last year's
    /// data (`prev` is undefined), and last year's folders are not read for it.
    pub since: Option<i32>,
    /// Fonts, sizes and spacing of the Word document.
    pub docx: DocxStyle,
}

/// Where the 版头's values come from: paths into the context like `概况.发文机关标志`. A report
/// whose `issuer` is blank has no 版头.
#[derive(Debug, Clone, Default)]
pub struct HeadPaths {
    /// 发文机关标志, e.g. `县教育体育局文件`.
    pub issuer: String,
    /// 发文字号, e.g. `县教体〔2023〕5号`.
    pub number: Option<String>,
    /// 签发人: a report to a superior (上行文) names who signed it.
    pub signer: Option<String>,
    /// 份号, 密级和保密期限, 紧急程度.
    pub copy_number: Option<String>,
    pub secrecy: Option<String>,
    pub urgency: Option<String>,
}

/// Where the 版记's values come from. A report whose values are all blank has no 版记.
#[derive(Debug, Clone, Default)]
pub struct ImprintPaths {
    /// 抄送机关.
    pub cc: Option<String>,
    /// 印发机关 and 印发日期 (a date).
    pub printer: Option<String>,
    pub print_date: Option<String>,
}

/// An attachment: its title (a one-line template) and its section templates.
#[derive(Debug, Clone)]
pub struct AttachmentTemplates {
    pub title: String,
    pub sections: Vec<String>,
}

/// The Word document's look; every key has the GB/T 9704-2012 default, and a report kind may
/// change any of them in its manifest's `[docx]` table (offices differ: 仿宋_GB2312 or
/// 方正仿宋_GBK, 28 pt or 29 pt line spacing).
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct DocxStyle {
    pub title_font: String,
    pub body_font: String,
    pub heading1_font: String,
    pub heading2_font: String,
    /// Latin letters and digits.
    pub latin_font: String,
    pub page_number_font: String,
    /// Sizes in points: 2号 is 22, 3号 16, 4号 14.
    pub title_size: f64,
    pub body_size: f64,
    pub page_number_size: f64,
    /// Tables: 4号 (14 pt), smaller than the body as the custom is.
    pub table_size: f64,
    /// Exact line spacing in points: 28.95 fits 22 lines in the 225 mm text block.
    pub line_spacing: f64,
    /// Character spacing in points: -0.25 fits 28 characters of 16 pt in 156 mm.
    pub char_spacing: f64,
    /// The signature and date laid out for a seal (GB/T 9704-2012 7.3.5.1) rather than for a
    /// document without one (7.3.5.2).
    pub seal: bool,
}

impl Default for DocxStyle {
    fn default() -> Self {
        DocxStyle {
            title_font: "方正小标宋简体".into(),
            body_font: "仿宋_GB2312".into(),
            heading1_font: "黑体".into(),
            heading2_font: "楷体_GB2312".into(),
            latin_font: "Times New Roman".into(),
            page_number_font: "宋体".into(),
            title_size: 22.0,
            body_size: 16.0,
            page_number_size: 14.0,
            table_size: 14.0,
            line_spacing: 28.95,
            char_spacing: -0.25,
            seal: false,
        }
    }
}

/// One data source: a worksheet of that name in any workbook, or a CSV file of that name.
#[derive(Debug, Clone)]
pub struct Source {
    /// The sheet name or CSV file stem to look for.
    pub sheet: String,
    /// The variable the templates see.
    pub var: String,
    pub shape: Shape,
    /// In a master workbook shared by all departments (under `data/<year>/`), the column that
    /// names each row's department. Default: `单位`.
    pub dept_column: String,
    /// A table that may have no data rows (a list of problems found, say). Without it an
    /// empty table is an error, never a sentence that silently disappears.
    pub allow_empty: bool,
    /// What the sheet is for, for the instructions of a blank form.
    pub description: Option<String>,
}

#[derive(Debug, Clone)]
pub enum Shape {
    /// A list of rows under a header row; `columns` are looked up by header.
    Table { columns: Vec<Column> },
    /// Key–value pairs: keys in the first column, values in the second.
    /// Keys not in `fields` are accepted with type `other` when it is given.
    Record {
        fields: Vec<Column>,
        /// How keys not declared are read: a column whose name is each key's.
        other: Option<Column>,
    },
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Column {
    pub name: String,
    #[serde(rename = "type", default)]
    pub ty: ColumnType,
    #[serde(default = "yes")]
    pub required: bool,
    /// The cell holds narrative text that may contain template expressions
    /// (`修建{{ 统计.烈士集中安葬点 }}个…`), rendered before the sections see it.
    #[serde(default)]
    pub template: bool,
    /// When given, the only values the cell may hold.
    #[serde(default)]
    pub one_of: Vec<String>,
    /// Other header names the column goes by in some offices' sheets (`参加人数`).
    #[serde(default)]
    pub aliases: Vec<String>,
    /// What a line break inside a text cell (Alt+Enter) means.
    #[serde(default)]
    pub lines: Lines,
    /// What goes here, for the note on the header of a blank form (`huibao forms`).
    #[serde(default)]
    pub description: Option<String>,
    /// A record's value that stays from year to year (署名, 主送机关): `huibao new-year`
    /// copies it into the new year's form.
    #[serde(default)]
    pub carry: bool,
    /// The least and the greatest value a number may have (`min = 0` for a count).
    #[serde(default)]
    pub min: Option<f64>,
    #[serde(default)]
    pub max: Option<f64>,
}

/// `other`: the type of a record's keys not declared (`other = "number"`), or that type with
/// bounds (`other = { type = "integer", min = 0 }`).
enum RawOther {
    Type(ColumnType),
    Column(OtherColumn),
}

// By hand rather than `untagged`, so that a misspelt type is told as such (`unknown variant
// "numbr", expected one of …`), not as matching neither form.
impl<'de> Deserialize<'de> for RawOther {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> std::result::Result<RawOther, D::Error> {
        use serde::de::Error as _;
        match toml::Value::deserialize(d)? {
            toml::Value::Table(table) => OtherColumn::deserialize(table)
                .map(RawOther::Column)
                .map_err(D::Error::custom),
            value @ toml::Value::String(_) => ColumnType::deserialize(value)
                .map(RawOther::Type)
                .map_err(D::Error::custom),
            _ => Err(D::Error::custom(
                "other 应为一个类型（如 other = \"number\"），或带上下限的类型（如 other = { type = \"number\", min = 0 }）",
            )),
        }
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct OtherColumn {
    #[serde(rename = "type", default)]
    ty: ColumnType,
    #[serde(default)]
    min: Option<f64>,
    #[serde(default)]
    max: Option<f64>,
}

impl RawOther {
    /// The column every undeclared key is read as (its name given per key).
    fn column(self) -> Column {
        match self {
            RawOther::Type(ty) => Column::new("", ty),
            RawOther::Column(OtherColumn { ty, min, max }) => Column {
                min,
                max,
                ..Column::new("", ty)
            },
        }
    }
}

/// Line breaks inside a text cell: usually the clerk's own wrapping, to be joined; sometimes
/// the start of a new paragraph.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Lines {
    /// The lines join into one (Chinese needs no space between them).
    #[default]
    Join,
    /// Each line becomes a paragraph of its own where the text is printed.
    Paragraphs,
}

impl Column {
    /// The bounds as a message says them: `不小于 0`, `不大于 100`, `0 到 100 之间`.
    pub fn bounds(&self) -> Option<String> {
        let plain = |b: f64| crate::render::numbers::round_trimmed(b, 10);
        match (self.min, self.max) {
            (Some(min), Some(max)) => Some(format!("{} 到 {} 之间", plain(min), plain(max))),
            (Some(min), None) => Some(format!("不小于 {}", plain(min))),
            (None, Some(max)) => Some(format!("不大于 {}", plain(max))),
            (None, None) => None,
        }
    }

    /// This column under another name: `other`'s for one key of a record.
    pub fn named(&self, name: impl Into<String>) -> Column {
        Column {
            name: name.into(),
            ..self.clone()
        }
    }

    /// A required column of `ty` with every option at its default, for the columns the tool
    /// makes itself (a record's undeclared keys, a master table's department column).
    pub fn new(name: impl Into<String>, ty: ColumnType) -> Column {
        Column {
            name: name.into(),
            ty,
            required: true,
            template: false,
            one_of: Vec::new(),
            aliases: Vec::new(),
            lines: Lines::default(),
            description: None,
            carry: false,
            min: None,
            max: None,
        }
    }
}

fn yes() -> bool {
    true
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum ColumnType {
    #[default]
    Text,
    Integer,
    Number,
    Date,
    Bool,
    /// A share or rate typed as a percentage (`95%`); templates get the ratio (0.95).
    Percent,
}

impl ColumnType {
    /// The type's name as a clerk reads it in a message.
    pub fn describe(self) -> &'static str {
        match self {
            ColumnType::Text => "文本",
            ColumnType::Integer => "整数",
            ColumnType::Number => "数值",
            ColumnType::Date => "日期",
            ColumnType::Bool => "是/否",
            ColumnType::Percent => "百分数",
        }
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawManifest {
    title: Spanned<String>,
    sections: Vec<Spanned<String>>,
    #[serde(default)]
    scope: Option<Spanned<Scope>>,
    #[serde(default)]
    sources: Vec<RawSource>,
    addressee: Option<Spanned<String>>,
    signature: Option<Spanned<String>>,
    date: Option<Spanned<String>>,
    note: Option<Spanned<String>>,
    head: Option<RawHead>,
    imprint: Option<RawImprint>,
    #[serde(default)]
    attachments: Vec<RawAttachment>,
    #[serde(default)]
    docx: DocxStyle,
    since: Option<Spanned<i64>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawHead {
    issuer: Spanned<String>,
    number: Option<Spanned<String>>,
    signer: Option<Spanned<String>>,
    copy_number: Option<Spanned<String>>,
    secrecy: Option<Spanned<String>>,
    urgency: Option<Spanned<String>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawImprint {
    cc: Option<Spanned<String>>,
    printer: Option<Spanned<String>>,
    print_date: Option<Spanned<String>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawAttachment {
    title: Spanned<String>,
    sections: Vec<Spanned<String>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawSource {
    sheet: Spanned<String>,
    var: Option<Spanned<String>>,
    shape: RawShape,
    #[serde(default)]
    columns: Option<Spanned<Vec<Spanned<Column>>>>,
    #[serde(default)]
    fields: Option<Spanned<Vec<Spanned<Column>>>>,
    #[serde(default)]
    other: Option<Spanned<RawOther>>,
    dept_column: Option<String>,
    #[serde(default)]
    allow_empty: Option<Spanned<bool>>,
    #[serde(default)]
    description: Option<String>,
}

#[derive(Deserialize, Clone, Copy)]
#[serde(rename_all = "lowercase")]
enum RawShape {
    Table,
    Record,
}

impl Manifest {
    /// Reads and validates `dir/report.toml`.
    pub fn load(dir: &Path) -> Result<Manifest> {
        let path = dir.join(MANIFEST_FILE);
        let text = crate::sources::read_text(&path)?;
        let kind = dir
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        Manifest::parse(&kind, dir, &path, &text)
    }

    /// Validates a manifest's text; `dir` is where its templates must be.
    pub fn parse(kind: &str, dir: &Path, path: &Path, text: &str) -> Result<Manifest> {
        let fail = |offset: usize, message: String| Error::Manifest {
            path: path.to_path_buf(),
            line: line_of(text, offset),
            message,
        };
        let raw: RawManifest = toml::from_str(text).map_err(|e| {
            let offset = e.span().map(|s| s.start).unwrap_or(0);
            let mut said = in_chinese(e.message().trim());
            if !said.ends_with(['？', '。']) {
                said.push('。');
            }
            fail(
                offset,
                format!(
                    "格式错误：{said}可用的键和取值见 README 的“The manifest: templates/<kind>/report.toml”一节。"
                ),
            )
        })?;

        if raw.title.get_ref().trim().is_empty() {
            return Err(fail(raw.title.span().start, "title 不能为空。".into()));
        }
        if raw.sections.is_empty() {
            return Err(fail(0, "sections 至少要列出一个章节模板。".into()));
        }
        // Listed twice in one list, a section would print twice in the body or the attachment
        // (the body and an attachment may share one).
        for list in
            std::iter::once(&raw.sections).chain(raw.attachments.iter().map(|a| &a.sections))
        {
            let mut listed: HashMap<&str, usize> = HashMap::new();
            for section in list {
                let name = section.get_ref();
                if let Some(first) = listed.insert(name, line_of(text, section.span().start)) {
                    return Err(fail(
                        section.span().start,
                        format!(
                            "章节模板“{name}”列了两次（第 {first} 行已列过），它会在报告里出现两次。请删去一处。"
                        ),
                    ));
                }
            }
        }
        let attachment_sections = raw.attachments.iter().flat_map(|a| &a.sections);
        for section in raw.sections.iter().chain(attachment_sections) {
            let name = section.get_ref();
            if !name.ends_with(".md") {
                return Err(fail(
                    section.span().start,
                    format!("章节模板“{name}”应以 .md 结尾（章节模板输出 Markdown 标记）。"),
                ));
            }
            if !dir.join(name).is_file() {
                return Err(fail(
                    section.span().start,
                    format!(
                        "找不到章节模板“{name}”。请在 {} 中创建该文件，或改正文件名。",
                        dir.display()
                    ),
                ));
            }
        }
        for attachment in &raw.attachments {
            if attachment.title.get_ref().trim().is_empty() || attachment.sections.is_empty() {
                return Err(fail(
                    attachment.title.span().start,
                    "每个附件（[[attachments]]）要有 title（附件标题）和 sections（至少一个章节模板）。"
                        .into(),
                ));
            }
        }

        let mut seen: HashMap<String, usize> = HashMap::new();
        let mut sources = Vec::new();
        for raw_source in raw.sources {
            let var = raw_source.var.as_ref().unwrap_or(&raw_source.sheet);
            let var_line = line_of(text, var.span().start);
            let name = var.get_ref().trim().to_owned();
            if name.is_empty() {
                return Err(fail(var.span().start, "变量名不能为空。".into()));
            }
            if RESERVED.contains(&name.as_str()) {
                return Err(fail(
                    var.span().start,
                    format!(
                        "变量名“{name}”是保留名（{}），请换一个名字（可用 var = \"…\" 指定）。",
                        RESERVED.join("、")
                    ),
                ));
            }
            // Only a name given as `var` is checked: a sheet's own name (`统计 表`) may serve the
            // summary workbook, or a county template as `d["统计 表"]`.
            if raw_source.var.is_some() && !usable_in_templates(&name) {
                return Err(fail(
                    var.span().start,
                    format!(
                        "变量名“{name}”在模板中无法使用（变量名只能由文字、字母、数字和下划线组成，不能以数字开头，也不能是 true、false、none 等词）。请用 var = \"…\" 另取一个名字。"
                    ),
                ));
            }
            if let Some(first) = seen.insert(name.clone(), var_line) {
                return Err(fail(
                    var.span().start,
                    format!("变量“{name}”重复定义（第 {first} 行已定义过）。请改用不同的 var。"),
                ));
            }
            let shape = match (raw_source.shape, raw_source.columns, raw_source.fields) {
                (RawShape::Table, Some(columns), None) => {
                    if raw_source.other.is_some() {
                        return Err(fail(
                            columns.span().start,
                            "other 只用于 shape = \"record\"。".into(),
                        ));
                    }
                    check_columns(columns.get_ref()).map_err(|(at, m)| fail(at, m))?;
                    if let Some(column) = columns.get_ref().iter().find(|c| c.get_ref().carry) {
                        return Err(fail(
                            column.span().start,
                            format!(
                                "列“{}”：carry = true 只用于记录（shape = \"record\"）的项目；表格每年重新填写，new-year 不沿用它。",
                                column.get_ref().name.trim()
                            ),
                        ));
                    }
                    Shape::Table {
                        columns: unspanned(columns),
                    }
                }
                (RawShape::Record, None, fields) => {
                    let fields = match fields {
                        Some(f) => {
                            check_columns(f.get_ref()).map_err(|(at, m)| fail(at, m))?;
                            unspanned(f)
                        }
                        None => Vec::new(),
                    };
                    if fields.is_empty() && raw_source.other.is_none() {
                        return Err(fail(
                            raw_source.sheet.span().start,
                            "record 需要 fields（声明的项目）或 other（其余项目的类型），或两者都有。"
                                .into(),
                        ));
                    }
                    let other = match raw_source.other {
                        Some(other) => {
                            let at = other.span().start;
                            let column = other.into_inner().column();
                            check_bounds(&column, "other").map_err(|m| fail(at, m))?;
                            Some(column)
                        }
                        None => None,
                    };
                    Shape::Record { fields, other }
                }
                (RawShape::Table, _, _) => {
                    return Err(fail(
                        raw_source.sheet.span().start,
                        "shape = \"table\" 的数据源要用 columns 列出各列（不是 fields）。".into(),
                    ));
                }
                (RawShape::Record, Some(columns), _) => {
                    return Err(fail(
                        columns.span().start,
                        "shape = \"record\" 的数据源要用 fields 列出各项目（不是 columns）。"
                            .into(),
                    ));
                }
            };
            // The name is a sheet's as much as a file's: `forms` and `new-year` write it as a
            // sheet, and Excel refuses what it cannot be.
            let sheet = raw_source.sheet.get_ref().trim();
            if let Some(problem) = sheet_name_problem(sheet) {
                return Err(fail(
                    raw_source.sheet.span().start,
                    format!(
                        "sheet = \"{sheet}\"：{problem}（Excel 工作表名称的规定），空白表里写不出这张表。请改个名称，数据表里的工作表或 CSV 文件也随之改名。"
                    ),
                ));
            }
            sources.push(Source {
                sheet: raw_source.sheet.get_ref().trim().to_owned(),
                var: name,
                shape,
                dept_column: raw_source.dept_column.unwrap_or_else(|| "单位".into()),
                allow_empty: raw_source.allow_empty.is_some_and(|f| *f.get_ref()),
                description: raw_source.description.clone(),
            });
        }

        let docx = raw.docx;
        let sizes = [
            ("title_size", docx.title_size),
            ("body_size", docx.body_size),
            ("page_number_size", docx.page_number_size),
            ("table_size", docx.table_size),
            ("line_spacing", docx.line_spacing),
        ];
        for (key, value) in sizes {
            if !(1.0..=100.0).contains(&value) {
                let offset = text.find(key).unwrap_or(0);
                return Err(fail(
                    offset,
                    format!("[docx] 的 {key} 应在 1 到 100 磅之间，现为 {value}。"),
                ));
            }
        }
        if !(-10.0..=10.0).contains(&docx.char_spacing) {
            return Err(fail(
                text.find("char_spacing").unwrap_or(0),
                format!(
                    "[docx] 的 char_spacing 应在 -10 到 10 磅之间，现为 {}。",
                    docx.char_spacing
                ),
            ));
        }
        // Tighter than half the smallest size, characters would overlap and widths go negative.
        let smallest = [
            docx.title_size,
            docx.body_size,
            docx.page_number_size,
            docx.table_size,
        ]
        .into_iter()
        .fold(f64::INFINITY, f64::min);
        if docx.char_spacing <= -smallest / 2.0 {
            return Err(fail(
                text.find("char_spacing").unwrap_or(0),
                format!(
                    "[docx] 的 char_spacing 为 {}，收紧了最小字号（{smallest} 磅）的一半或更多，字会叠在一起。请改为大于 -{} 的值。",
                    docx.char_spacing,
                    smallest / 2.0
                ),
            ));
        }
        let fonts = [
            ("title_font", &docx.title_font),
            ("body_font", &docx.body_font),
            ("heading1_font", &docx.heading1_font),
            ("heading2_font", &docx.heading2_font),
            ("latin_font", &docx.latin_font),
            ("page_number_font", &docx.page_number_font),
        ];
        for (key, font) in fonts {
            if font.trim().is_empty() || font.chars().any(char::is_control) {
                return Err(fail(
                    text.find(key).unwrap_or(0),
                    format!("[docx] 的 {key} 应是字体名称，不能为空，也不能含控制字符。"),
                ));
            }
        }
        // A path such as `概况.署名`: a declared source's field.
        let check_path = |key: &str, path: Spanned<String>| -> Result<String> {
            let mut parts = path.get_ref().split('.').map(str::trim);
            let head = parts.next().unwrap_or_default();
            let field = parts.next();
            let source = sources.iter().find(|s: &&Source| s.var == head);
            // A record's field must be one it can have: declared, or any key with `other`.
            let field_known = match (source.map(|s| &s.shape), field, parts.next()) {
                (Some(Shape::Record { fields, other }), Some(field), None) => {
                    other.is_some() || fields.iter().any(|f| f.name.trim() == field)
                }
                _ => false,
            };
            if source.is_some() && !field_known {
                return Err(fail(
                    path.span().start,
                    format!(
                        "{key} 应写成“记录.项目”，如 \"概况.署名\"，项目须在该记录的 fields 中声明；“{}”不是。",
                        path.get_ref()
                    ),
                ));
            }
            if !seen.contains_key(head) {
                return Err(fail(
                    path.span().start,
                    format!(
                        "{key} 应写成“数据源.项目”，如 \"概况.署名\"；“{head}”不是 sources 中的变量。"
                    ),
                ));
            }
            Ok(path.into_inner())
        };
        let optional = |key: &str, path: Option<Spanned<String>>| -> Result<Option<String>> {
            path.map(|p| check_path(key, p)).transpose()
        };
        let scope = raw
            .scope
            .as_ref()
            .map_or(Scope::Department, |s| *s.get_ref());
        if scope == Scope::County {
            // A county-wide report has no one department's record to take these from.
            let per_department = [
                ("addressee", raw.addressee.as_ref().map(|s| s.span().start)),
                ("signature", raw.signature.as_ref().map(|s| s.span().start)),
                ("date", raw.date.as_ref().map(|s| s.span().start)),
                ("note", raw.note.as_ref().map(|s| s.span().start)),
                ("[head]", raw.head.as_ref().map(|h| h.issuer.span().start)),
                (
                    "[imprint]",
                    raw.imprint
                        .is_some()
                        .then(|| text.find("[imprint]").unwrap_or(0)),
                ),
            ];
            if let Some((key, Some(at))) = per_department.into_iter().find(|(_, at)| at.is_some()) {
                return Err(fail(
                    at,
                    format!(
                        "全县汇总的报告种类（scope = \"county\"）不能用 {key}：它取自单个单位的数据。请删去，或在模板中直接写出。"
                    ),
                ));
            }
        }
        let addressee = optional("addressee", raw.addressee)?;
        let signature = optional("signature", raw.signature)?;
        let date = optional("date", raw.date)?;
        let note = optional("note", raw.note)?;
        let head = match raw.head {
            None => None,
            Some(head) => Some(HeadPaths {
                issuer: check_path("[head] 的 issuer", head.issuer)?,
                number: optional("[head] 的 number", head.number)?,
                signer: optional("[head] 的 signer", head.signer)?,
                copy_number: optional("[head] 的 copy_number", head.copy_number)?,
                secrecy: optional("[head] 的 secrecy", head.secrecy)?,
                urgency: optional("[head] 的 urgency", head.urgency)?,
            }),
        };
        let imprint = match raw.imprint {
            None => None,
            Some(imprint) => Some(ImprintPaths {
                cc: optional("[imprint] 的 cc", imprint.cc)?,
                printer: optional("[imprint] 的 printer", imprint.printer)?,
                print_date: optional("[imprint] 的 print_date", imprint.print_date)?,
            }),
        };
        let attachments = raw
            .attachments
            .into_iter()
            .map(|a| AttachmentTemplates {
                title: a.title.into_inner(),
                sections: a.sections.into_iter().map(Spanned::into_inner).collect(),
            })
            .collect();

        let since = match raw.since {
            Some(since) if !(1900..=9999).contains(since.get_ref()) => {
                return Err(fail(
                    since.span().start,
                    format!(
                        "since 应为四位数的年份（如 since = 2023），现为 {}。",
                        since.get_ref()
                    ),
                ));
            }
            since => since.map(|s| s.into_inner() as i32),
        };
        Ok(Manifest {
            kind: kind.to_owned(),
            dir: dir.to_path_buf(),
            path: path.to_path_buf(),
            title: raw.title.into_inner(),
            sections: raw.sections.into_iter().map(Spanned::into_inner).collect(),
            scope,
            sources,
            addressee,
            signature,
            date,
            note,
            head,
            imprint,
            attachments,
            docx,
            since,
        })
    }
}

/// Columns as declared, without where each was.
fn unspanned(columns: Spanned<Vec<Spanned<Column>>>) -> Vec<Column> {
    columns
        .into_inner()
        .into_iter()
        .map(Spanned::into_inner)
        .collect()
}

/// Whether a template can name `name` as a variable (`统计`, `活动_2`; not `统计 表`, `true`
/// or `2022数据`): the engine itself is asked.
fn usable_in_templates(name: &str) -> bool {
    let env = minijinja::Environment::new();
    env.template_from_str(&format!("{{{{ {name} }}}}"))
        .is_ok_and(|t| {
            let read = t.undeclared_variables(false);
            read.len() == 1 && read.contains(name)
        })
}

/// The first problem of the columns declared, at the column's place in the manifest.
fn check_columns(columns: &[Spanned<Column>]) -> Result<(), (usize, String)> {
    let mut names = HashMap::new();
    // Every header a column answers to (its name, its aliases, as headers are compared), and
    // whose it is: an alias that is another column's name would make that header both.
    let mut headers: HashMap<String, &str> = HashMap::new();
    for spanned in columns {
        let at = spanned.span().start;
        let column = spanned.get_ref();
        check_column(column, &mut names).map_err(|m| (at, m))?;
        let name = column.name.trim();
        for header in std::iter::once(&column.name).chain(&column.aliases) {
            let key = crate::sources::normalize(header);
            match headers.get(key.as_str()) {
                Some(owner) if *owner != name => {
                    return Err((
                        at,
                        format!(
                            "列“{name}”的别名“{}”也是列“{owner}”的名称或别名，表头“{}”就分不清是哪一列。请删掉或改掉这个别名。",
                            header.trim(),
                            header.trim()
                        ),
                    ));
                }
                _ => {
                    headers.insert(key, name);
                }
            }
        }
    }
    Ok(())
}

/// One column's problem, if it has one; `names` are the names declared before it.
fn check_column<'a>(column: &'a Column, names: &mut HashMap<&'a str, ()>) -> Result<(), String> {
    let name = column.name.trim();
    if name.is_empty() {
        return Err("列名不能为空。".into());
    }
    if names.insert(name, ()).is_some() {
        return Err(format!("列“{name}”重复声明。"));
    }
    if column.template && column.ty != ColumnType::Text {
        return Err(format!("列“{name}”：template = true 只用于 text 类型。"));
    }
    if column.lines != Lines::Join && column.ty != ColumnType::Text {
        return Err(format!("列“{name}”：lines 只用于 text 类型。"));
    }
    if !column.one_of.is_empty() && column.ty != ColumnType::Text {
        return Err(format!("列“{name}”：one_of 只用于 text 类型。"));
    }
    check_bounds(column, &format!("列“{name}”"))?;
    Ok(())
}

/// `min` and `max` belong to numbers, the least first.
fn check_bounds(column: &Column, what: &str) -> Result<(), String> {
    if column.min.is_none() && column.max.is_none() {
        return Ok(());
    }
    if !matches!(column.ty, ColumnType::Integer | ColumnType::Number) {
        return Err(format!("{what}：min、max 只用于 integer 和 number 类型。"));
    }
    // A cell holds at most 15 significant digits (nan and inf are no bound at all).
    if [column.min, column.max]
        .into_iter()
        .flatten()
        .any(|b| !b.is_finite() || b.abs() > 1e15)
    {
        return Err(format!(
            "{what}：min、max 应为 -1000000000000000 到 1000000000000000 之间的数。"
        ));
    }
    if let (Some(min), Some(max)) = (column.min, column.max) {
        if min > max {
            return Err(format!("{what}：min（{min}）大于 max（{max}）。"));
        }
        if column.ty == ColumnType::Integer && min.ceil() > max.floor() {
            return Err(format!("{what}：min（{min}）和 max（{max}）之间没有整数。"));
        }
    }
    Ok(())
}

/// The one-based line of a byte offset.
fn line_of(text: &str, offset: usize) -> usize {
    text[..offset.min(text.len())].matches('\n').count() + 1
}

/// The scope a kind's manifest declares, read on its own: a manifest that fails to load as a
/// whole (a template error, a mistyped key) still says whether its kind is county-wide, so
/// its failure is told as the county's, not as every department's. A manifest that is not
/// even TOML is looked at line by line.
pub fn declared_scope(dir: &Path) -> Scope {
    let Ok(text) = crate::sources::read_text(&dir.join(MANIFEST_FILE)) else {
        return Scope::Department;
    };
    let county = match toml::from_str::<toml::Table>(&text) {
        Ok(table) => table.get("scope").and_then(|s| s.as_str()) == Some("county"),
        Err(_) => text.lines().any(|line| {
            let line = line.trim();
            let value = line
                .strip_prefix("scope")
                .and_then(|rest| rest.trim_start().strip_prefix('='))
                .map(|v| v.split('#').next().unwrap_or(v).trim());
            matches!(value, Some("\"county\"" | "'county'"))
        }),
    };
    match county {
        true => Scope::County,
        false => Scope::Department,
    }
}

/// Why `name` cannot be an Excel sheet's name, if it cannot.
fn sheet_name_problem(name: &str) -> Option<String> {
    const FORBIDDEN: [char; 7] = ['[', ']', ':', '*', '?', '/', '\\'];
    if name.is_empty() {
        return Some("名称是空的".into());
    }
    // Excel counts UTF-16 units: a rare character beyond the basic plane counts two.
    if name.encode_utf16().count() > 31 {
        return Some(format!(
            "名称有 {} 个字，超过 31 个字",
            name.chars().count()
        ));
    }
    if let Some(c) = name.chars().find(|c| FORBIDDEN.contains(c)) {
        return Some(format!("名称中不能有“{c}”（[ ] : * ? / \\ 都不能用）"));
    }
    if name.starts_with('\'') || name.ends_with('\'') {
        return Some("名称不能以单引号开头或结尾".into());
    }
    None
}

/// TOML's words for a line written wrong, in Chinese: the mistakes of a hand typing a
/// manifest (an input method's “curly quotes”, a string or a bracket left open).
fn syntax_in_chinese(head: &str) -> Option<&'static str> {
    Some(match head {
        "unexpected key or value"
        | "invalid key"
        | "expected newline"
        | "string values must be quoted" => {
            "这一行的写法不对：每行写成 键 = 值，文字用英文双引号 \"…\" 括起来（中文引号“”不行），是/否写 true 或 false"
        }
        "invalid unquoted key" => "键的写法不对：中文或带空格的键名要用英文双引号括起来",
        "missing comma between array elements" => {
            "列表的两项之间少了英文逗号 ,（中文逗号“，”不行）"
        }
        "missing comma between key-value pairs" | "extra assignment between key-value pairs" => {
            "花括号 { … } 里两项之间少了英文逗号 ,（中文逗号“，”不行）"
        }
        "invalid inline table element" => {
            "花括号 { … } 里的写法不对：每项写成 键 = 值，用英文逗号隔开，最后一项后面不加逗号"
        }
        "invalid basic string" | "invalid string" => {
            "文字没有结束：缺少结尾的英文双引号 \"（中文引号“”不行）"
        }
        "invalid literal string" => "文字没有结束：缺少结尾的单引号 '",
        "unclosed array table" => "[[…]] 没有写完：缺少结尾的 ]]",
        "unclosed table" => "[…] 没有写完：缺少结尾的 ]",
        "unclosed array" | "invalid array" => "列表没有结束：缺少结尾的 ]，或两项之间少了逗号",
        "unclosed inline table" | "invalid inline table" => {
            "花括号 { … } 没有结束：缺少结尾的 }，或两项之间少了逗号"
        }
        _ => return None,
    })
}

/// The TOML reader's commonest messages in Chinese, the names in them kept as written:
/// `unknown variant \`intger\`, expected one of \`text\`, \`integer\`` and the like. Others
/// stay as the reader words them.
fn in_chinese(message: &str) -> String {
    // A key in a table names the table after a line break (`…\nin `other``): the line is
    // named already.
    let message = message.split("\nin ").next().unwrap_or(message).trim();
    if let Some((got, want)) = message
        .strip_prefix("invalid type: ")
        .and_then(|rest| rest.split_once(", expected "))
    {
        let got = match got.split_once(' ') {
            Some(("string", value)) => format!("文字 {value}"),
            Some(("integer" | "float", value)) => format!("数 {}", value.trim_matches('`')),
            Some(("boolean", value)) => format!("布尔值 {}", value.trim_matches('`')),
            _ => got.to_owned(),
        };
        let want = match want {
            "f64" | "i64" | "u64" | "a number" => "数",
            "a string" | "string only" => "带引号的文字",
            "a boolean" | "bool" => "true 或 false",
            "a sequence" => "方括号中的列表",
            other => other,
        };
        // A Latin word set off by spaces: `应为 true 或 false`.
        let space = if want.starts_with(|c: char| c.is_ascii_alphabetic()) {
            " "
        } else {
            ""
        };
        return format!("取值的类型不对：写的是{got}，应为{space}{want}");
    }
    let (head, expected) = match message.split_once(", expected ") {
        Some((head, expected)) => (head, Some(expected.trim_start_matches("one of "))),
        None => (message, None),
    };
    let name = |prefix: &str| head.strip_prefix(prefix).map(|n| n.trim_matches('`'));
    let said = if let Some(value) = name("unknown variant ") {
        format!("取值“{value}”无效")
    } else if let Some(key) = name("unknown field ") {
        format!("没有“{key}”这个键")
    } else if let Some(key) = name("missing field ") {
        return format!("缺少必填的键“{key}”");
    } else if let Some(key) = name("duplicate key ") {
        return format!("键“{key}”写了两次");
    } else if head == "duplicate key" {
        return "同一个键写了两次".to_owned();
    } else {
        return match syntax_in_chinese(head) {
            Some(said) => format!("{said}（{message}）"),
            None => message.to_owned(),
        };
    };
    let Some(expected) = expected else {
        return said;
    };
    let expected = expected.replace("` or `", "`, `");
    let choices: Vec<&str> = expected.split(", ").map(|c| c.trim_matches('`')).collect();
    let typed = name("unknown variant ")
        .or_else(|| name("unknown field "))
        .unwrap_or_default();
    let hint = crate::suggest::did_you_mean(typed, &choices)
        .map(|hint| format!("。{hint}"))
        .unwrap_or_default();
    format!("{said}，应为 {} 之一{hint}", choices.join("、"))
}

#[cfg(test)]
mod tests {

    #[test]
    fn a_manifest_says_its_scope_even_when_it_does_not_load() {
        let dir = tempfile::tempdir().unwrap();
        let scope = |text: &str| {
            std::fs::write(dir.path().join(super::MANIFEST_FILE), text).unwrap();
            super::declared_scope(dir.path())
        };
        assert_eq!(
            scope("scope = \"county\"\ntitle = 1\nbogus = [\n"),
            Scope::County
        );
        assert_eq!(
            scope("title = \"x\"\nscope = \"county\"\nsections = 3\n"),
            Scope::County
        );
        assert_eq!(scope("scope = 'county'\n[[broken\n"), Scope::County);
        assert_eq!(
            scope("scope = \"department\" # not \"county\"\n[[x\n"),
            Scope::Department
        );
        assert_eq!(scope("title = \"x\"\n"), Scope::Department);
    }

    #[test]
    fn a_sheet_name_excel_cannot_have_is_refused() {
        for (name, says) in [
            ("活动[清单]", "“[”"),
            ("a/b", "“/”"),
            (&"长".repeat(32), "超过 31 个字"),
            ("'引号'", "单引号"),
        ] {
            let problem = super::sheet_name_problem(name).unwrap_or_default();
            assert!(problem.contains(says), "{name}: {problem}");
        }
        assert_eq!(super::sheet_name_problem(&"长".repeat(31)), None);
        assert_eq!(super::sheet_name_problem("活动清单（2022）"), None);
    }

    #[test]
    fn the_toml_readers_messages_are_said_in_chinese() {
        let said = super::in_chinese(
            "unknown variant `intger`, expected one of `text`, `integer`, `number`",
        );
        assert!(
            said.starts_with("取值“intger”无效，应为 text、integer、number 之一"),
            "{said}"
        );
        assert!(said.contains("integer”？"), "{said}");
        let said = super::in_chinese("unknown field `foo`, expected `sheet` or `var`");
        assert_eq!(said, "没有“foo”这个键，应为 sheet、var 之一");
        assert_eq!(
            super::in_chinese("missing field `title`"),
            "缺少必填的键“title”"
        );
        assert_eq!(super::in_chinese("something else"), "something else");
        // The TOML reader's own words for a key written twice.
        let twice = toml::from_str::<toml::Table>("a = 1\na = 2\n").unwrap_err();
        let said = super::in_chinese(twice.message().trim());
        assert!(said.contains("写了两次"), "{said}");
    }
    use super::*;

    /// A kind's folder with one section template, and the error of `manifest` in it.
    /// `manifest` read as a kind `测试` whose folder holds the section `正文.md`.
    fn parsed(manifest: &str) -> Result<Manifest> {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("正文.md"), "正文").unwrap();
        let path = dir.path().join(MANIFEST_FILE);
        Manifest::parse("测试", dir.path(), &path, manifest)
    }

    fn error_of(manifest: &str) -> (usize, String) {
        match parsed(manifest) {
            Err(Error::Manifest { line, message, .. }) => (line, message),
            other => panic!("expected a manifest error, got {other:?}"),
        }
    }

    const HEAD: &str = "title = \"{{ dept }}的报告\"\nsections = [\"正文.md\"]\n";

    #[test]
    fn a_valid_manifest_reads_every_part() {
        let text = format!(
            "{HEAD}[[sources]]\nsheet = \"活动清单\"\nvar = \"活动\"\nshape = \"table\"\n\
             columns = [{{ name = \"日期\", type = \"date\" }}, {{ name = \"人数\", type = \"integer\", required = false }}]\n\
             [[sources]]\nsheet = \"统计\"\nshape = \"record\"\nother = \"number\"\n"
        );
        let manifest = parsed(&text).unwrap();
        assert_eq!(manifest.sections, vec!["正文.md"]);
        assert_eq!(manifest.sources[0].var, "活动");
        assert_eq!(manifest.sources[0].sheet, "活动清单");
        let Shape::Table { columns } = &manifest.sources[0].shape else {
            panic!("a table")
        };
        assert_eq!(columns[0].ty, ColumnType::Date);
        assert!(columns[0].required);
        assert!(!columns[1].required);
        assert!(matches!(
            &manifest.sources[1].shape,
            Shape::Record {
                other: Some(Column {
                    ty: ColumnType::Number,
                    min: None,
                    ..
                }),
                ..
            }
        ));
    }

    #[test]
    fn bounds_belong_to_numbers_and_other_may_have_them() {
        let record = |other: &str| {
            format!("{HEAD}[[sources]]\nsheet = \"统计\"\nshape = \"record\"\nother = {other}\n")
        };
        let text = record("{ type = \"integer\", min = 0 }");
        let manifest = parsed(&text).unwrap();
        let Shape::Record {
            other: Some(other), ..
        } = &manifest.sources[0].shape
        else {
            panic!("a record with other")
        };
        assert_eq!(
            (other.ty, other.min, other.max),
            (ColumnType::Integer, Some(0.0), None)
        );
        let (line, message) = error_of(&record("{ type = \"text\", max = 3 }"));
        assert_eq!(line, 6);
        assert!(
            message.contains("other：min、max 只用于 integer 和 number 类型"),
            "{message}"
        );
        let table = |bounds: &str| {
            error_of(&format!(
                "{HEAD}[[sources]]\nsheet = \"活动\"\nshape = \"table\"\n\
                 columns = [{{ name = \"人数\", type = \"integer\", {bounds} }}]\n"
            ))
            .1
        };
        let message = table("min = 10, max = 1");
        assert!(
            message.contains("列“人数”：min（10）大于 max（1）"),
            "{message}"
        );
        // Named at the column's own line.
        let (line, message) = error_of(&format!(
            "{HEAD}[[sources]]\nsheet = \"活动\"\nshape = \"table\"\ncolumns = [\n  \
             {{ name = \"日期\", type = \"date\" }},\n  {{ name = \"人数\", min = 0 }},\n]\n"
        ));
        assert_eq!(line, 8, "{message}");
        assert!(message.contains("列“人数”：min、max 只用于"), "{message}");
        let message = table("min = 0.5, max = 0.7");
        assert!(message.contains("之间没有整数"), "{message}");
        for bounds in ["min = nan", "max = inf", "max = -inf", "min = -1e300"] {
            let message = table(bounds);
            assert!(message.contains("min、max 应为"), "{bounds}: {message}");
        }
        let message = table("required = \"否\"");
        assert!(
            message.contains("取值的类型不对：写的是文字 \"否\"，应为 true 或 false"),
            "{message}"
        );
        // Told in Chinese, with no trace of the TOML reader's English.
        for (other, said) in [
            (
                "{ type = \"numbr\" }",
                "取值“numbr”无效，应为 text、integer、number、date、bool、percent 之一。是否写成了“number”？",
            ),
            ("5", "other 应为一个类型"),
            (
                "{ type = \"number\", min = \"0\" }",
                "取值的类型不对：写的是文字 \"0\"，应为数",
            ),
        ] {
            let (_, message) = error_of(&record(other));
            assert!(message.contains(said), "{other}: {message}");
            assert!(!message.contains("in `"), "{other}: {message}");
        }
    }

    #[test]
    fn an_unknown_key_names_its_line() {
        let (line, message) = error_of(&format!("{HEAD}\nfont = \"仿宋\"\n"));
        assert_eq!(line, 4);
        assert!(message.contains("font"), "{message}");
    }

    #[test]
    fn an_alias_that_is_another_columns_name_is_a_manifest_error() {
        let (line, message) = error_of(&format!(
            "{HEAD}[[sources]]\nsheet = \"活动\"\nshape = \"table\"\ncolumns = [\n  {{ name = \"活动名称\" }},\n  {{ name = \"名称\", aliases = [\"活动 名称\"] }},\n]\n"
        ));
        assert_eq!(line, 8, "{message}");
        assert!(
            message.contains("列“名称”的别名“活动 名称”也是列“活动名称”的名称或别名"),
            "{message}"
        );
        // An alias repeating its own column's name is harmless.
        let text = format!(
            "{HEAD}[[sources]]\nsheet = \"活动\"\nshape = \"table\"\ncolumns = [{{ name = \"人数\", aliases = [\"人 数\"] }}]\n"
        );
        assert!(parsed(&text).is_ok());
    }

    #[test]
    fn names_a_template_cannot_use_sections_twice_and_carried_columns_are_errors() {
        for (source, said) in [
            (
                "sheet = \"统计\"\nvar = \"统计 表\"",
                "变量名“统计 表”在模板中无法使用",
            ),
            (
                "sheet = \"统计\"\nvar = \"true\"",
                "变量名“true”在模板中无法使用",
            ),
            (
                "sheet = \"统计\"\nvar = \"2022数据\"",
                "变量名“2022数据”在模板中无法使用",
            ),
        ] {
            let (_, message) = error_of(&format!(
                "{HEAD}[[sources]]\n{source}\nshape = \"record\"\nother = \"number\"\n"
            ));
            assert!(message.contains(said), "{source}: {message}");
        }
        // A sheet's own name is not checked (the summary workbook may be all that reads it),
        // and the body and an attachment may share a section.
        let text = format!(
            "{HEAD}[[attachments]]\ntitle = \"附件\"\nsections = [\"正文.md\"]\n\n[[sources]]\nsheet = \"统计 表\"\nshape = \"record\"\nother = \"number\"\n"
        );
        assert!(parsed(&text).is_ok());
        let (line, message) =
            error_of("title = \"标题\"\nsections = [\n  \"正文.md\",\n  \"正文.md\",\n]\n");
        assert_eq!(line, 4);
        assert!(
            message.contains("章节模板“正文.md”列了两次（第 3 行已列过）"),
            "{message}"
        );
        let (_, message) = error_of(&format!(
            "{HEAD}[[sources]]\nsheet = \"活动\"\nshape = \"table\"\ncolumns = [{{ name = \"名称\", carry = true }}]\n"
        ));
        assert!(
            message.contains("列“名称”：carry = true 只用于记录"),
            "{message}"
        );
    }

    #[test]
    fn since_is_a_year() {
        let (line, message) = error_of(&format!("since = 23\n{HEAD}"));
        assert_eq!(line, 1);
        assert!(
            message.contains("since 应为四位数的年份（如 since = 2023），现为 23"),
            "{message}"
        );
    }

    #[test]
    fn lines_typed_wrong_are_said_in_chinese() {
        for (text, line, said) in [
            ("title = “标题”\n", 1, "每行写成 键 = 值，文字用英文双引号"),
            ("title = \"标题\n", 1, "文字没有结束：缺少结尾的英文双引号"),
            ("title = \"标题\"\n[[sources\n", 2, "[[…]] 没有写完"),
            (
                "title = \"标题\"\nsections = [\n\"a.md\"\n\"b.md\"]\n",
                4,
                "列表的两项之间少了英文逗号",
            ),
            (
                "title = \"标题\"\nx = { a = 1， b = 2 }\n",
                2,
                "花括号 { … } 里",
            ),
            ("标题 = \"x\"\n", 1, "键的写法不对"),
            (
                "title = \"标题\"\nsections = [\"a.md\"\n",
                2,
                "列表没有结束",
            ),
            (
                "title = \"标题\"\nx = { a = 1\n",
                2,
                "花括号 { … } 没有结束",
            ),
        ] {
            let (at, message) = error_of(text);
            assert_eq!(at, line, "{text}: {message}");
            assert!(message.contains(said), "{text}: {message}");
        }
    }

    #[test]
    fn a_missing_template_names_its_line() {
        let (line, message) =
            error_of("title = \"标题\"\nsections = [\n  \"正文.md\",\n  \"结尾.md\",\n]\n");
        assert_eq!(line, 4);
        assert!(message.contains("找不到章节模板“结尾.md”"), "{message}");
    }

    #[test]
    fn a_duplicate_variable_names_both_lines() {
        let text = format!(
            "{HEAD}[[sources]]\nsheet = \"统计\"\nshape = \"record\"\nother = \"number\"\n\n\
             [[sources]]\nsheet = \"统计表\"\nvar = \"统计\"\nshape = \"record\"\nother = \"text\"\n"
        );
        let (line, message) = error_of(&text);
        assert_eq!(line, 10);
        assert!(
            message.contains("变量“统计”重复定义（第 4 行已定义过）"),
            "{message}"
        );
    }

    #[test]
    fn signature_paths_must_name_a_declared_field() {
        let record =
            "[[sources]]\nsheet = \"概况\"\nshape = \"record\"\nfields = [{ name = \"署名\" }]\n";
        let (line, message) = error_of(&format!("{HEAD}signature = \"概况.署名x\"\n{record}"));
        assert_eq!(line, 3);
        assert!(message.contains("概况.署名x"), "{message}");
        let (_, message) = error_of(&format!("{HEAD}date = \"成文.日期\"\n{record}"));
        assert!(message.contains("不是 sources 中的变量"), "{message}");
        // The 版头's and 版记's paths are checked the same way; a 版头 needs its issuer.
        let (line, message) = error_of(&format!(
            "{HEAD}{record}[head]\nissuer = \"概况.署名\"\nsigner = \"概况.签发\"\n"
        ));
        assert_eq!(line, 9);
        assert!(message.starts_with("[head] 的 signer"), "{message}");
        let (_, message) = error_of(&format!("{HEAD}{record}[head]\nnumber = \"概况.署名\"\n"));
        assert!(message.contains("issuer"), "{message}");
        let (_, message) = error_of(&format!(
            "{HEAD}{record}[imprint]\ncc = \"概况.署名\"\ncolor = \"红\"\n"
        ));
        assert!(message.contains("color"), "{message}");
        let (_, message) = error_of(&format!(
            "{HEAD}{record}[[attachments]]\ntitle = \"附件\"\nsections = [\"无.md\"]\n"
        ));
        assert!(message.contains("找不到章节模板“无.md”"), "{message}");
    }

    #[test]
    fn reserved_names_wrong_shapes_and_bad_types_are_errors() {
        let (_, message) = error_of(&format!(
            "{HEAD}[[sources]]\nsheet = \"year\"\nshape = \"record\"\nother = \"text\"\n"
        ));
        assert!(message.contains("保留名"), "{message}");
        let (_, message) = error_of(&format!(
            "{HEAD}[[sources]]\nsheet = \"表\"\nshape = \"table\"\nfields = [{{ name = \"a\" }}]\n"
        ));
        assert!(message.contains("columns"), "{message}");
        let (line, message) = error_of(&format!(
            "{HEAD}[[sources]]\nsheet = \"表\"\nshape = \"table\"\ncolumns = [{{ name = \"a\", type = \"money\" }}]\n"
        ));
        assert_eq!(line, 6);
        assert!(message.contains("money"), "{message}");
    }
}
