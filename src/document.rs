//! The document model: a title, then headings with a level and paragraphs, each made of runs.
//!
//! Rendered markup is parsed with comrak, chosen over pulldown-cmark for its CJK-friendly
//! emphasis: CommonMark alone does not close `**1.坚持……。**抓好` (the closing `**` sits
//! between a full-width full stop and a Chinese character), which run-in leads need.

use comrak::nodes::{AstNode, NodeValue};
use comrak::{Arena, Options, parse_document};

use crate::diagnostics::{Error, Place, Result};
use crate::render::Rendered;

#[derive(Debug, Clone, PartialEq)]
pub struct Document {
    /// 版头: the letterhead above the title.
    pub head: Option<Head>,
    pub title: String,
    /// 主送机关, flush left under the title.
    pub addressee: Option<String>,
    pub blocks: Vec<Block>,
    /// 署名 and 成文日期, under the body.
    pub signature: Option<String>,
    pub date: Option<String>,
    /// 附注, in brackets, on the line under the date.
    pub note: Option<String>,
    /// 附件, each on pages of its own after the body; named in the 附件说明 under the body.
    pub attachments: Vec<Attachment>,
    /// 版记: 抄送, 印发机关 and 印发日期 at the foot of the last page.
    pub imprint: Option<Imprint>,
}

/// The 版头 of GB/T 9704-2012 7.2.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Head {
    /// 发文机关标志.
    pub issuer: String,
    /// 发文字号, already in the standard form (`县教体〔2023〕5号`).
    pub number: Option<String>,
    /// 签发人, for a report to a superior (上行文).
    pub signer: Option<String>,
    /// 份号, 密级和保密期限, 紧急程度.
    pub copy_number: Option<String>,
    pub secrecy: Option<String>,
    pub urgency: Option<String>,
}

/// The 版记 of 7.4.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Imprint {
    /// `抄送：` is not part of it; it ends with `。`.
    pub cc: Option<String>,
    pub printer: Option<String>,
    /// `2023年1月6日印发`.
    pub print_date: Option<String>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Attachment {
    pub title: String,
    pub blocks: Vec<Block>,
}

impl Document {
    /// The 附件说明's lines: `附件：名称` for one attachment, `附件：1.名称` then `2.名称` for
    /// more (7.3.3: no punctuation after a name).
    pub fn attachment_note(&self) -> Vec<String> {
        let names: Vec<String> = self
            .attachments
            .iter()
            .map(|a| {
                a.title
                    .trim_end_matches([
                        '。', '；', '，', '：', '！', '？', '.', ';', ',', ':', '!', '?',
                    ])
                    .to_owned()
            })
            .collect();
        match names.as_slice() {
            [] => Vec::new(),
            [one] => vec![format!("附件：{one}")],
            many => many
                .iter()
                .enumerate()
                .map(|(i, name)| {
                    let number = format!("{}.{name}", i + 1);
                    if i == 0 {
                        format!("附件：{number}")
                    } else {
                        number
                    }
                })
                .collect(),
        }
    }

    /// How attachment `i` (from 0) is labelled at the top of its first page: `附件` alone, or
    /// `附件1`, `附件2` when there are several.
    pub fn attachment_label(&self, i: usize) -> String {
        if self.attachments.len() == 1 {
            "附件".to_owned()
        } else {
            format!("附件{}", i + 1)
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub enum Block {
    /// Level 1 is `一、`, 2 `（一）`, 3 `1.`, 4 `（1）`; the label is part of the text.
    Heading {
        level: u8,
        runs: Vec<Run>,
    },
    Paragraph {
        runs: Vec<Run>,
    },
    /// A pipe table: a header row, then the body rows, every row as many cells as the header.
    Table(Table),
}

#[derive(Debug, Clone, PartialEq)]
pub struct Table {
    /// Each column's alignment from the delimiter row (`:---`, `:---:`, `---:`).
    pub align: Vec<Align>,
    pub header: Vec<Vec<Run>>,
    pub rows: Vec<Vec<Vec<Run>>>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Align {
    /// No colon: the header centred, the body flush left.
    Default,
    Left,
    Center,
    Right,
}

impl Table {
    /// The header row, then the body rows.
    pub fn all_rows(&self) -> impl Iterator<Item = &Vec<Vec<Run>>> {
        std::iter::once(&self.header).chain(&self.rows)
    }
}

/// A cell's or a block's text without formatting.
pub fn plain_text(runs: &[Run]) -> String {
    runs.iter().map(|r| r.text.as_str()).collect()
}

#[derive(Debug, Clone, PartialEq)]
pub struct Run {
    pub text: String,
    pub bold: bool,
}

impl Run {
    /// Text without formatting, as one run: the title, addressee, signature and date.
    pub fn plain(text: &str) -> Vec<Run> {
        vec![Run {
            text: text.to_owned(),
            bold: false,
        }]
    }
}

impl Block {
    /// The runs of a heading or paragraph; a table has none of its own.
    pub fn runs(&self) -> &[Run] {
        match self {
            Block::Heading { runs, .. } | Block::Paragraph { runs } => runs,
            Block::Table(_) => &[],
        }
    }

    /// The block's text without formatting; a table's rows are lines of tab-separated cells.
    pub fn text(&self) -> String {
        match self {
            Block::Table(table) => table
                .all_rows()
                .map(|row| {
                    row.iter()
                        .map(|c| plain_text(c))
                        .collect::<Vec<_>>()
                        .join("\t")
                })
                .collect::<Vec<_>>()
                .join("\n"),
            _ => plain_text(self.runs()),
        }
    }
}

/// The markup options used both to read the templates' output and to write `.md` files.
pub fn markup_options() -> Options<'static> {
    let mut options = Options::default();
    options.extension.cjk_friendly_emphasis = true;
    options.extension.table = true;
    options
}

/// Parses every rendered section into one document.
pub fn parse(rendered: &Rendered, template_dir: &std::path::Path) -> Result<Document> {
    let blocks = parse_sections(&rendered.sections, template_dir)?;
    if blocks.is_empty() {
        return Err(Error::Markup {
            place: Place::file(template_dir, None, template_dir.display().to_string()),
            message: "报告正文是空的：章节模板没有输出任何内容。请检查模板和数据（例如按“部分”筛选的要点是否都写错了名称）。".into(),
        });
    }
    // An attachment whose sections print nothing (a template that writes it only for the
    // departments that have it) is left out, and so is its name in the 附件说明.
    let mut attachments = Vec::new();
    for attachment in &rendered.attachments {
        let blocks = parse_sections(&attachment.sections, template_dir)?;
        if !blocks.is_empty() {
            attachments.push(Attachment {
                title: attachment.title.clone(),
                blocks,
            });
        }
    }
    Ok(Document {
        head: rendered.head.clone(),
        title: rendered.title.clone(),
        addressee: rendered.addressee.clone(),
        blocks,
        signature: rendered.signature.clone(),
        date: rendered.date.clone(),
        note: rendered.note.clone(),
        attachments,
        imprint: rendered.imprint.clone(),
    })
}

/// The blocks of rendered sections, in order.
fn parse_sections(
    sections: &[crate::render::Section],
    template_dir: &std::path::Path,
) -> Result<Vec<Block>> {
    let mut blocks = Vec::new();
    for section in sections {
        let place = |line: usize| {
            let path = template_dir.join(&section.name);
            let text = format!("{} 的输出第 {line} 行", path.display());
            // The line is the output's, not the template file's: the location names the file.
            Place::file(&path, None, text)
        };
        parse_markup(&section.markup, &mut blocks).map_err(|(line, message)| Error::Markup {
            place: place(line),
            message,
        })?;
    }
    Ok(blocks)
}

/// How many markup characters that can open or close a structure (`*`, `_`, `[`, `]`, `>`,
/// `` ` ``) one paragraph may hold. The parser nests as deep as they go and runs out of stack
/// on thousands; a report's paragraph has a handful (`**1.…。**`).
pub const MAX_MARKERS: usize = 256;

/// Refuses an HTML character reference (`&amp;`, `&nbsp;`, `&#50;`) in a template's text: the
/// markup would silently put the character it stands for in its place. (A cell's `&` comes
/// escaped, `\&`, and stays as typed.)
fn check_entities(markup: &str) -> Result<(), (usize, String)> {
    for (i, line) in markup.lines().enumerate() {
        let bytes = line.as_bytes();
        for (at, _) in line.match_indices('&') {
            if at > 0 && bytes[at - 1] == b'\\' {
                continue;
            }
            let Some(end) = line[at..].find(';').filter(|&e| e > 1 && e <= 33) else {
                continue;
            };
            let reference = &line[at..=at + end];
            let name = &reference[1..reference.len() - 1];
            let looks = match name.strip_prefix('#') {
                Some(number) => {
                    let digits = number.strip_prefix(['x', 'X']).unwrap_or(number);
                    !digits.is_empty() && digits.chars().all(|c| c.is_ascii_hexdigit())
                }
                None => name.chars().all(|c| c.is_ascii_alphanumeric()),
            };
            // Only what the markup reads as a reference (`&D;` in `R&D;` is not one).
            if looks && decoded(reference) != reference {
                return Err((
                    i + 1,
                    format!(
                        "“{reference}”是 HTML 字符实体，会被换成“{}”。请直接写出想要的字符；要写 & 本身，请写成 \\&。",
                        decoded(reference)
                    ),
                ));
            }
        }
    }
    Ok(())
}

/// What the markup makes of `text` alone.
fn decoded(text: &str) -> String {
    let arena = Arena::new();
    let root = parse_document(&arena, text, &markup_options());
    root.descendants()
        .filter_map(|n| match &n.data.borrow().value {
            NodeValue::Text(t) => Some(t.to_string()),
            _ => None,
        })
        .collect()
}

/// Refuses markup nested so deep that parsing it could exhaust the stack: a paragraph with more
/// than [`MAX_MARKERS`] unescaped markers is an error at its first line.
fn check_nesting(markup: &str) -> Result<(), (usize, String)> {
    let mut count = 0;
    let mut start = 1;
    for (i, line) in markup.lines().enumerate() {
        if line.trim().is_empty() {
            count = 0;
            start = i + 2;
            continue;
        }
        let mut escaped = false;
        for c in line.chars() {
            if !escaped && matches!(c, '*' | '_' | '[' | ']' | '>' | '`') {
                count += 1;
            }
            escaped = !escaped && c == '\\';
        }
        if count > MAX_MARKERS {
            return Err((
                start,
                format!(
                    "这一段的标记符号（* _ [ ] > `）超过了 {MAX_MARKERS} 个，嵌套过深，无法排版。请检查模板是否误输出了成串的符号；要原样输出数据中的符号，不要用 | safe。"
                ),
            ));
        }
    }
    Ok(())
}

/// Parses markup into blocks; an error is the line and what is wrong there.
pub fn parse_markup(markup: &str, blocks: &mut Vec<Block>) -> Result<(), (usize, String)> {
    check_nesting(markup)?;
    check_entities(markup)?;
    let arena = Arena::new();
    let root = parse_document(&arena, markup, &markup_options());
    // The source's lines, once: a county report's table may have thousands.
    let lines: Vec<&str> = markup.lines().collect();
    let source_line = |n: usize| lines.get(n.saturating_sub(1)).copied().unwrap_or("");
    for node in root.children() {
        let (value, line, last) = {
            let ast = node.data.borrow();
            (
                ast.value.clone(),
                ast.sourcepos.start.line,
                ast.sourcepos.end.line,
            )
        };
        // A paragraph line that starts with `|` is a table row outside a table: after a blank
        // line, or after text on the same line (a `table` filter not on a line of its own).
        let stray_row = matches!(value, NodeValue::Paragraph)
            .then(|| (line..=last).find(|&n| source_line(n).trim_start().starts_with('|')))
            .flatten();
        let block = match value {
            NodeValue::Paragraph if stray_row.is_some() => {
                return Err((
                    stray_row.unwrap_or(line),
                    "这一行以“|”开头，像是表格的一行，却不在表格里：表格前后要各空一行（table 过滤器要单独写在一行），表头下要紧跟一行 | --- | --- |，表格的行与行之间不能有空行，单元格里的值也不能换行。".into(),
                ));
            }
            // `#一、…`: a heading meant, a literal # printed.
            NodeValue::Paragraph
                if (line..=last).any(|n| source_line(n).trim_start().starts_with('#')) =>
            {
                return Err((
                    line,
                    "这一行以“#”开头，但“#”后面没有空格，不会成为标题，而会把“#”原样印进报告：标题请写成“# 一、…”（# 后加空格）；要印出字面的“#”，请在前面加反斜杠。".into(),
                ));
            }
            NodeValue::Paragraph => Block::Paragraph {
                runs: inline_runs(node, line)?,
            },
            // A line of `---` or `===` under text makes that text a heading, unasked.
            NodeValue::Heading(heading) if heading.setext => {
                return Err((
                    line,
                    "一行文字下面紧跟着“---”或“===”，会把这行文字变成标题。标题请用行首的 #（如“# 一、…”）；要印出这些符号，请在前面加反斜杠，或在两行之间空一行。".into(),
                ));
            }
            NodeValue::Heading(heading) if heading.level <= 4 => Block::Heading {
                level: heading.level,
                runs: inline_runs(node, line)?,
            },
            NodeValue::Heading(_) => {
                return Err((
                    line,
                    "标题最多四级（# 到 ####，对应 一、（一） 1. （1））。".into(),
                ));
            }
            NodeValue::Table(table) => Block::Table(table_block(node, &table.alignments, line)?),
            other => return Err((line, unsupported(&other))),
        };
        if !block.text().is_empty() {
            blocks.push(block);
        }
    }
    Ok(())
}

fn table_block<'a>(
    node: &'a AstNode<'a>,
    alignments: &[comrak::nodes::TableAlignment],
    line: usize,
) -> Result<Table, (usize, String)> {
    use comrak::nodes::TableAlignment;
    let align = alignments
        .iter()
        .map(|a| match a {
            TableAlignment::None => Align::Default,
            TableAlignment::Left => Align::Left,
            TableAlignment::Center => Align::Center,
            TableAlignment::Right => Align::Right,
        })
        .collect();
    let mut rows = Vec::new();
    for row in node.children() {
        let line = row.data.borrow().sourcepos.start.line.max(line);
        let cells = row
            .children()
            .map(|cell| inline_runs(cell, line))
            .collect::<Result<Vec<_>, _>>()?;
        rows.push(cells);
    }
    let header = rows.remove(0);
    Ok(Table {
        align,
        header,
        rows,
    })
}

fn inline_runs<'a>(node: &'a AstNode<'a>, line: usize) -> Result<Vec<Run>, (usize, String)> {
    let mut runs: Vec<Run> = Vec::new();
    collect(node, false, line, &mut runs)?;
    Ok(runs)
}

fn collect<'a>(
    node: &'a AstNode<'a>,
    bold: bool,
    line: usize,
    runs: &mut Vec<Run>,
) -> Result<(), (usize, String)> {
    for child in node.children() {
        let value = child.data.borrow().value.clone();
        match value {
            NodeValue::Text(text) => push(runs, &text, bold),
            // Lines of one paragraph join without a space: Chinese has none between words.
            NodeValue::SoftBreak => {}
            NodeValue::Strong => collect(child, true, line, runs)?,
            other => {
                let line = child.data.borrow().sourcepos.start.line.max(line);
                return Err((line, unsupported(&other)));
            }
        }
    }
    Ok(())
}

fn push(runs: &mut Vec<Run>, text: &str, bold: bool) {
    match runs.last_mut() {
        Some(last) if last.bold == bold => last.text.push_str(text),
        _ => runs.push(Run {
            text: text.to_owned(),
            bold,
        }),
    }
}

fn unsupported(value: &NodeValue) -> String {
    let what = match value {
        NodeValue::List(_) | NodeValue::Item(_) => {
            "列表（行首的“1. ”“- ”会被当成列表；编号请写成“1.”后不加空格）"
        }
        NodeValue::CodeBlock(_) => "代码块（行首缩进四个空格会被当成代码块）",
        NodeValue::Code(_) => "行内代码（反引号）",
        NodeValue::BlockQuote => "引用（行首的“>”）",
        NodeValue::ThematicBreak => "分隔线（“---”或“***”独占一行）",
        NodeValue::HtmlBlock(_) | NodeValue::HtmlInline(_) => "HTML 标签",
        NodeValue::Link(_) | NodeValue::Image(_) => "链接或图片",
        NodeValue::Emph => "斜体（单个星号）",
        NodeValue::LineBreak => "强制换行（行尾两个空格或反斜杠）",
        _ => "这种标记",
    };
    format!(
        "不支持{what}。章节模板只能写标题（#）、段落、**加粗** 和表格（| 列 | 列 | 一行表头，下一行 |---|---|）；要输出字面的符号，请在前面加反斜杠，或把文字放在数据表里。"
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn blocks(markup: &str) -> Vec<Block> {
        let mut blocks = Vec::new();
        parse_markup(markup, &mut blocks).unwrap();
        blocks
    }

    #[test]
    fn an_html_character_reference_in_a_template_is_an_error_not_its_character() {
        for (markup, reference) in [
            ("研发&amp;应用", "&amp;"),
            ("第一段\n\n共&#50;项", "&#50;"),
            ("共&nbsp;2项", "&nbsp;"),
            ("&#x41;", "&#x41;"),
        ] {
            let (line, message) = parse_markup(markup, &mut Vec::new()).unwrap_err();
            assert_eq!(line, markup.lines().count(), "{markup}");
            assert!(
                message.contains(&format!("“{reference}”是 HTML 字符实体")),
                "{markup}: {message}"
            );
        }
        // An escaped ampersand (as every cell's is), or one that reads as no reference, is
        // text as typed.
        for markup in ["研发\\&amp;应用", "R&D;", "甲&乙", "&;"] {
            assert!(parse_markup(markup, &mut Vec::new()).is_ok(), "{markup}");
        }
        assert_eq!(
            blocks("研发\\&amp;应用"),
            vec![Block::Paragraph {
                runs: vec![Run {
                    text: "研发&amp;应用".into(),
                    bold: false
                }]
            }]
        );
    }

    #[test]
    fn run_in_bold_leads_close_between_chinese_characters() {
        let parsed = blocks("**1.坚持培根铸魂。**抓好理论学习。\n\n# 一、工作总体情况\n");
        assert_eq!(
            parsed,
            vec![
                Block::Paragraph {
                    runs: vec![
                        Run {
                            text: "1.坚持培根铸魂。".into(),
                            bold: true
                        },
                        Run {
                            text: "抓好理论学习。".into(),
                            bold: false
                        },
                    ]
                },
                Block::Heading {
                    level: 1,
                    runs: vec![Run {
                        text: "一、工作总体情况".into(),
                        bold: false
                    }]
                },
            ]
        );
    }

    #[test]
    fn escaped_masks_stay_literal_and_soft_breaks_join() {
        let parsed = blocks("承办\\*\\*县，退役军人\\*\\*\\*为\n县三中");
        assert_eq!(parsed[0].text(), "承办**县，退役军人***为县三中");
        assert!(parsed[0].runs().iter().all(|r| !r.bold));
    }

    #[test]
    fn unsupported_markup_names_the_line() {
        let mut out = Vec::new();
        let (line, message) = parse_markup("段落\n\n1. 列表项\n", &mut out).unwrap_err();
        assert_eq!(line, 3);
        assert!(message.contains("列表"), "{message}");
        // A table row cut off from its table (a blank line, or a line break in a value).
        let table = "| 类别 | 项数 |\n| --- | --- |\n| 甲 | 1 |\n\n| 乙 | 2 |\n";
        let (line, message) = parse_markup(table, &mut out).unwrap_err();
        assert_eq!(line, 5);
        assert!(message.contains("像是表格的一行"), "{message}");
        // A table written after text on the same line (a `table` filter not on its own).
        let inline = "前文| 名称 |\n| --- |\n| 甲 |\n后文\n";
        let (line, message) = parse_markup(inline, &mut out).unwrap_err();
        assert_eq!(line, 2);
        assert!(message.contains("单独写在一行"), "{message}");
        // A # without its space, and text made a heading by the line under it.
        let (line, message) = parse_markup("正文\n\n#一、无空格标题\n", &mut out).unwrap_err();
        assert_eq!(line, 3);
        assert!(message.contains("后面没有空格"), "{message}");
        let (_, message) = parse_markup("正文\n#话题\n", &mut out).unwrap_err();
        assert!(message.contains("后面没有空格"), "{message}");
        for under in ["---", "==="] {
            let (line, message) =
                parse_markup(&format!("正文\n\n标题行\n{under}\n"), &mut out).unwrap_err();
            assert_eq!(line, 3, "{under}");
            assert!(message.contains("变成标题"), "{message}");
        }
        // Escaped, a # is text.
        assert_eq!(blocks("\\#一、字面\n")[0].text(), "#一、字面");
    }
}
