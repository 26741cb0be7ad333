//! `.docx` in the official document format, GB/T 9704-2012.
//!
//! The few OOXML parts a report needs are written directly with quick-xml and zip rather than
//! through docx-rs: docx-rs (0.4) writes the children of `w:pPr`, `w:rPr`, `w:sectPr` and
//! `w:settings` out of the schema's order (a sequence Word checks, answering with a repair
//! prompt), always adds parts we do not use, and offers no way to change either. Here every
//! element is written in schema order, and the package is byte-for-byte deterministic:
//! fixed part order, fixed zip timestamps and permissions, no creation dates.

use std::io::{Cursor, Write};

use quick_xml::Writer;
use quick_xml::events::{BytesDecl, BytesText, Event};
use zip::write::SimpleFileOptions;
use zip::{CompressionMethod, DateTime, System, ZipWriter};

use crate::document::{Align, Block, Document, Run, Table, plain_text};
use crate::manifest::DocxStyle;
use crate::sources::is_forbidden;

use super::layout;

mod official;

const W_NS: &str = "http://schemas.openxmlformats.org/wordprocessingml/2006/main";
const R_NS: &str = "http://schemas.openxmlformats.org/officeDocument/2006/relationships";

type Xml = Writer<Vec<u8>>;
type XmlResult = std::io::Result<()>;

/// A4 and the margins of GB/T 9704-2012 5.2.1 in twips: top 37 mm, left 28 mm, and the
/// 156 × 225 mm text block, which leaves 35 mm at the bottom and 26 mm on the right.
const PAGE_WIDTH: u32 = 11906;
const PAGE_HEIGHT: u32 = 16838;
const MARGIN_TOP: u32 = 2098;
const MARGIN_LEFT: u32 = 1587;
const MARGIN_BOTTOM: u32 = 1984;
const MARGIN_RIGHT: u32 = 1474;
/// The footer's distance from the page's bottom edge, for the em dashes of the page number to
/// lie 7 mm under the text block (GB/T 9704-2012 7.5). The footer's line is exactly the page
/// number's size (14 pt) and the dash sits about 0.38 em above its baseline; measured in
/// LibreOffice's PDF with the preview's fonts, 1451 twips puts it 7.0 mm under the block.
const FOOTER_DISTANCE: u32 = 1451;

/// The width of the text block: 156 mm.
const TEXT_WIDTH: i64 = (PAGE_WIDTH - MARGIN_LEFT - MARGIN_RIGHT) as i64;

/// The measures of one document, in the units OOXML wants.
struct Measures<'a> {
    style: &'a DocxStyle,
    /// Exact line pitch in twips (28.95 pt → 579).
    line: i64,
    /// Character spacing in twips (-0.25 pt → -5).
    char_spacing: i64,
    /// One body character's width in twips (16 pt → 320).
    em: i64,
}

impl<'a> Measures<'a> {
    fn new(style: &'a DocxStyle) -> Self {
        Measures {
            style,
            line: twips(style.line_spacing),
            char_spacing: twips(style.char_spacing),
            em: twips(style.body_size),
        }
    }

    /// The width of a line of body text in twips (see [`layout::width`]), each character
    /// with the character spacing, in a paragraph without automatic spacing.
    fn width(&self, text: &str) -> i64 {
        (layout::width_spaced(text, false) * self.em as f64).round() as i64
            + self.char_spacing * text.chars().count() as i64
    }

    /// `n` body characters, as the grid counts them: one character and its spacing each.
    fn chars(&self, n: i64) -> i64 {
        n * (self.em + self.char_spacing)
    }

    /// How many title characters fit on a line of the text block.
    fn title_capacity(&self) -> f64 {
        TEXT_WIDTH as f64 / (twips(self.style.title_size) + self.char_spacing) as f64
    }
}

fn twips(points: f64) -> i64 {
    (points * 20.0).round() as i64
}

fn half_points(points: f64) -> String {
    ((points * 2.0).round() as i64).to_string()
}

/// The bytes of the `.docx` package.
pub fn write(document: &Document, style: &DocxStyle) -> Vec<u8> {
    let m = Measures::new(style);
    let parts: [(&str, Vec<u8>); 10] = [
        ("[Content_Types].xml", CONTENT_TYPES.as_bytes().to_vec()),
        ("_rels/.rels", PACKAGE_RELS.as_bytes().to_vec()),
        ("word/document.xml", xml(|w| body(w, document, &m))),
        (
            "word/_rels/document.xml.rels",
            DOCUMENT_RELS.as_bytes().to_vec(),
        ),
        ("word/styles.xml", xml(|w| styles(w, &m))),
        ("word/settings.xml", SETTINGS.as_bytes().to_vec()),
        ("word/fontTable.xml", xml(|w| fonts(w, style))),
        ("word/footer1.xml", xml(|w| footer(w, &m, Side::Odd))),
        ("word/footer2.xml", xml(|w| footer(w, &m, Side::Even))),
        ("word/theme/theme1.xml", THEME.as_bytes().to_vec()),
    ];
    let mut zip = ZipWriter::new(Cursor::new(Vec::with_capacity(16 * 1024)));
    // DEFAULT, not default(): the latter takes the current time when zip's `time` is on.
    let stored = SimpleFileOptions::DEFAULT
        .compression_method(CompressionMethod::Stored)
        .last_modified_time(DateTime::DEFAULT)
        .system(System::Unix)
        .unix_permissions(0o644);
    let deflated = stored
        .compression_method(CompressionMethod::Deflated)
        .compression_level(Some(6));
    for (name, bytes) in parts {
        // Only the body is compressed. The other parts are a few hundred bytes to 2 KB each,
        // and a deflate stream costs far more to set up than it saves on them: zeroing the
        // compressor's tables took over half of writing a .docx, and the freed tables kept
        // the process's memory high (BENCHMARKS.md). Stored, they add about 7 KB to a file.
        let options = match name {
            "word/document.xml" => deflated,
            _ => stored,
        };
        zip.start_file(name, options)
            .and_then(|()| zip.write_all(&bytes).map_err(Into::into))
            .expect("writing to memory");
    }
    zip.finish().expect("writing to memory").into_inner()
}

/// An XML part: the declaration, then what `content` writes.
fn xml(content: impl FnOnce(&mut Xml) -> XmlResult) -> Vec<u8> {
    let mut w = Writer::new(Vec::new());
    w.write_event(Event::Decl(BytesDecl::new(
        "1.0",
        Some("UTF-8"),
        Some("yes"),
    )))
    .and_then(|()| content(&mut w))
    .expect("writing to memory");
    w.into_inner()
}

fn empty(w: &mut Xml, name: &str, attributes: &[(&str, &str)]) -> XmlResult {
    w.create_element(name)
        .with_attributes(attributes.iter().copied())
        .write_empty()?;
    Ok(())
}

/// A paragraph's indent.
#[derive(Clone, Copy)]
enum Indent {
    None,
    FirstLine(i64),
    Left(i64),
    Right(i64),
    /// Lines after the first start at `left`, the first `hanging` before it; every line ends
    /// `right` before the right edge.
    Hanging {
        left: i64,
        hanging: i64,
        right: i64,
    },
}

/// A tab stop: its kind (`left`, `right`) and position from the text's left edge.
type Tab = (&'static str, i64);

/// A rule under a paragraph: its width in eighths of a point, colour and distance from the
/// text in points.
#[derive(Clone, Copy)]
struct Rule {
    size: u32,
    color: &'static str,
    space: u32,
}

/// Paragraph properties, in the order of CT_PPrBase: pStyle, keepNext, pageBreakBefore,
/// widowControl, pBdr, tabs, autoSpaceDE, autoSpaceDN, snapToGrid, spacing, ind, jc,
/// outlineLvl.
#[derive(Clone, Copy)]
struct Para<'a> {
    style: Option<&'a str>,
    /// Starts a new page: each 附件.
    page_break_before: bool,
    /// The red rule under the 发文字号.
    rule_below: Option<Rule>,
    tabs: &'a [Tab],
    /// Space before, in twips: the 发文机关标志 sits 35 mm below the top of the text block.
    before: i64,
    /// An exact line height other than the body's pitch.
    line: Option<i64>,
    /// Kept on the page of the paragraph that follows: headings, so none is left alone at the
    /// foot of a page.
    keep_next: bool,
    /// Off for the title: its 22 pt lines would each take two grid lines of the body.
    snap_to_grid: bool,
    /// Word's automatic space between Chinese and digits; off for the signature and date, so
    /// their widths are exact and the date lands where the standard puts it.
    auto_space: bool,
    indent: Indent,
    jc: &'a str,
    outline: Option<&'a str>,
}

impl Para<'_> {
    /// A flush-left, justified paragraph: blank lines and the addressee.
    const PLAIN: Para<'static> = Para {
        style: None,
        page_break_before: false,
        rule_below: None,
        tabs: &[],
        before: 0,
        line: None,
        keep_next: false,
        snap_to_grid: true,
        auto_space: true,
        indent: Indent::None,
        jc: "both",
        outline: None,
    };

    fn write(&self, w: &mut Xml, m: &Measures) -> XmlResult {
        w.create_element("w:pPr").write_inner_content(|w| {
            if let Some(style) = self.style {
                empty(w, "w:pStyle", &[("w:val", style)])?;
            }
            self.write_properties(w, m)
        })?;
        Ok(())
    }

    /// The properties after pStyle, also written into the styles.
    fn write_properties(&self, w: &mut Xml, m: &Measures) -> XmlResult {
        if self.keep_next {
            empty(w, "w:keepNext", &[])?;
        }
        if self.page_break_before {
            empty(w, "w:pageBreakBefore", &[])?;
        }
        empty(w, "w:widowControl", &[("w:val", "0")])?;
        if let Some(rule) = self.rule_below {
            w.create_element("w:pBdr").write_inner_content(|w| {
                empty(
                    w,
                    "w:bottom",
                    &[
                        ("w:val", "single"),
                        ("w:sz", &rule.size.to_string()),
                        ("w:space", &rule.space.to_string()),
                        ("w:color", rule.color),
                    ],
                )
            })?;
        }
        if !self.tabs.is_empty() {
            w.create_element("w:tabs").write_inner_content(|w| {
                for (kind, position) in self.tabs {
                    empty(
                        w,
                        "w:tab",
                        &[("w:val", kind), ("w:pos", &position.to_string())],
                    )?;
                }
                Ok(())
            })?;
        }
        if !self.auto_space {
            empty(w, "w:autoSpaceDE", &[("w:val", "0")])?;
            empty(w, "w:autoSpaceDN", &[("w:val", "0")])?;
        }
        if !self.snap_to_grid {
            empty(w, "w:snapToGrid", &[("w:val", "0")])?;
        }
        let line = self.line.unwrap_or(m.line).to_string();
        empty(
            w,
            "w:spacing",
            &[
                ("w:before", &self.before.to_string()),
                ("w:after", "0"),
                ("w:line", &line),
                ("w:lineRule", "exact"),
            ],
        )?;
        // The first-line indent is always written: Normal's two characters would otherwise
        // apply to the title, the addressee and the signature.
        let (side, first) = match self.indent {
            Indent::None => (None, 0),
            Indent::FirstLine(n) => (None, n),
            Indent::Left(n) => (Some(("w:left", n)), 0),
            Indent::Right(n) => (Some(("w:right", n)), 0),
            Indent::Hanging {
                left,
                hanging,
                right,
            } => {
                let (l, h, r) = (left.to_string(), hanging.to_string(), right.to_string());
                let attributes: &[(&str, &str)] = match right {
                    0 => &[("w:left", &l), ("w:hanging", &h)],
                    _ => &[("w:left", &l), ("w:right", &r), ("w:hanging", &h)],
                };
                return empty(w, "w:ind", attributes).and_then(|()| self.write_tail(w));
            }
        };
        let first = first.to_string();
        match side {
            Some((side, n)) => empty(
                w,
                "w:ind",
                &[(side, &n.to_string()), ("w:firstLine", &first)],
            )?,
            None => empty(w, "w:ind", &[("w:firstLine", &first)])?,
        }
        self.write_tail(w)
    }

    /// jc and outlineLvl, the last of the properties.
    fn write_tail(&self, w: &mut Xml) -> XmlResult {
        empty(w, "w:jc", &[("w:val", self.jc)])?;
        if let Some(level) = self.outline {
            empty(w, "w:outlineLvl", &[("w:val", level)])?;
        }
        Ok(())
    }
}

/// Run properties, in the order of CT_RPr: rFonts, b, bCs, spacing, sz, szCs. The East Asian
/// hint makes Word draw the marks both scripts share (“ ” ‘ ’ — …) in the Chinese font.
fn run_properties(
    w: &mut Xml,
    font: &str,
    latin: &str,
    size: f64,
    bold: bool,
    spacing: i64,
) -> XmlResult {
    w.create_element("w:rPr").write_inner_content(|w| {
        fonts_element(w, font, latin)?;
        if bold {
            empty(w, "w:b", &[])?;
            empty(w, "w:bCs", &[])?;
        }
        if spacing != 0 {
            empty(w, "w:spacing", &[("w:val", &spacing.to_string())])?;
        }
        let size = half_points(size);
        empty(w, "w:sz", &[("w:val", &size)])?;
        empty(w, "w:szCs", &[("w:val", &size)])?;
        Ok(())
    })?;
    Ok(())
}

fn fonts_element(w: &mut Xml, font: &str, latin: &str) -> XmlResult {
    empty(
        w,
        "w:rFonts",
        &[
            ("w:ascii", latin),
            ("w:eastAsia", font),
            ("w:hAnsi", latin),
            ("w:cs", latin),
            ("w:hint", "eastAsia"),
        ],
    )
}

/// A stretch of text in one font.
struct Piece<'a> {
    text: &'a str,
    font: &'a str,
    bold: bool,
}

fn text_run(w: &mut Xml, piece: &Piece, size: f64, m: &Measures) -> XmlResult {
    w.create_element("w:r").write_inner_content(|w| {
        run_properties(
            w,
            piece.font,
            &m.style.latin_font,
            size,
            piece.bold,
            m.char_spacing,
        )?;
        text_element(w, piece.text)
    })?;
    Ok(())
}

fn text_element(w: &mut Xml, text: &str) -> XmlResult {
    w.create_element("w:t")
        .with_attribute(("xml:space", "preserve"))
        // Typing refuses such characters in cells; this keeps any other source of them
        // (a template's own text) from making the document unreadable.
        .write_text_content(BytesText::new(&text.replace(is_forbidden, "")))?;
    Ok(())
}

fn paragraph(w: &mut Xml, para: &Para, pieces: &[Piece], size: f64, m: &Measures) -> XmlResult {
    w.create_element("w:p").write_inner_content(|w| {
        para.write(w, m)?;
        for piece in pieces {
            text_run(w, piece, size, m)?;
        }
        Ok(())
    })?;
    Ok(())
}

/// The runs of a block in `font`, except a run-in lead: a paragraph that starts with a
/// first- or second-level label (`一、`, `（一）`) takes that level's font (黑体, 楷体) up to
/// the end of its first sentence, as a heading of that level would.
fn pieces<'a>(runs: &'a [Run], font: &'a str, m: &'a Measures) -> Vec<Piece<'a>> {
    let text: String = runs.iter().map(|r| r.text.as_str()).collect();
    let lead = match run_in_lead(&text) {
        Some((1, end)) => Some((end, m.style.heading1_font.as_str())),
        Some((2, end)) => Some((end, m.style.heading2_font.as_str())),
        _ => None,
    };
    let mut pieces = Vec::new();
    let mut offset = 0;
    for run in runs {
        let (start, end) = (offset, offset + run.text.len());
        offset = end;
        match lead {
            Some((lead_end, lead_font)) if start < lead_end => {
                let split = (lead_end - start).min(run.text.len());
                pieces.push(Piece {
                    text: &run.text[..split],
                    font: lead_font,
                    bold: run.bold,
                });
                if split < run.text.len() {
                    pieces.push(Piece {
                        text: &run.text[split..],
                        font,
                        bold: run.bold,
                    });
                }
            }
            _ => pieces.push(Piece {
                text: &run.text,
                font,
                bold: run.bold,
            }),
        }
    }
    pieces
}

/// The level of a paragraph's run-in lead and where the lead ends (a byte offset): after the
/// first `。`, `：` or `！` following the label, or after the label when there is none.
fn run_in_lead(text: &str) -> Option<(u8, usize)> {
    let numeral = |c: char| "一二三四五六七八九十百".contains(c);
    let (level, label_end) = if let Some(rest) = text.strip_prefix('（') {
        let digits: usize = rest
            .chars()
            .take_while(|&c| numeral(c))
            .map(char::len_utf8)
            .sum();
        if digits == 0 || !rest[digits..].starts_with('）') {
            return None;
        }
        (2, '（'.len_utf8() + digits + '）'.len_utf8())
    } else {
        let digits: usize = text
            .chars()
            .take_while(|&c| numeral(c))
            .map(char::len_utf8)
            .sum();
        if digits == 0 || !text[digits..].starts_with('、') {
            return None;
        }
        (1, digits + '、'.len_utf8())
    };
    // The first sentence's mark outside quotation marks: a 。 inside “…” does not end the lead.
    let mut depth = 0usize;
    let end = text[label_end..]
        .char_indices()
        .find(|&(_, c)| {
            match c {
                '“' | '‘' | '《' => depth += 1,
                '”' | '’' | '》' => depth = depth.saturating_sub(1),
                _ => {}
            }
            depth == 0 && matches!(c, '。' | '：' | '！')
        })
        .map_or(label_end, |(i, c)| label_end + i + c.len_utf8());
    Some((level, end))
}

/// The paragraph properties of each kind of block; the styles carry the same.
fn heading_para(level: u8, m: &Measures) -> Para<'static> {
    let (style, outline) = match level {
        1 => ("Heading1", "0"),
        2 => ("Heading2", "1"),
        3 => ("Heading3", "2"),
        _ => ("Heading4", "3"),
    };
    Para {
        style: Some(style),
        keep_next: true,
        indent: Indent::FirstLine(2 * m.em),
        outline: Some(outline),
        ..Para::PLAIN
    }
}

fn body_para(m: &Measures) -> Para<'static> {
    Para {
        indent: Indent::FirstLine(2 * m.em),
        ..Para::PLAIN
    }
}

const TITLE_PARA: Para<'static> = Para {
    style: Some("Title"),
    keep_next: true,
    snap_to_grid: false,
    jc: "center",
    ..Para::PLAIN
};

/// `word/document.xml`: the 版头, the title, a blank line, the addressee, the body, the
/// 附件说明, the signature, the 附件 and the 版记.
fn body(w: &mut Xml, document: &Document, m: &Measures) -> XmlResult {
    let s = m.style;
    w.create_element("w:document")
        .with_attributes([("xmlns:w", W_NS), ("xmlns:r", R_NS)])
        .write_inner_content(|w| {
            w.create_element("w:body").write_inner_content(|w| {
                if let Some(head) = &document.head {
                    official::head(w, head, m)?;
                }
                title(w, &document.title, m)?;
                let blank = Para::PLAIN;
                paragraph(w, &blank, &[], s.body_size, m)?;
                if let Some(addressee) = &document.addressee {
                    let piece = Piece {
                        text: addressee,
                        font: &s.body_font,
                        bold: false,
                    };
                    paragraph(w, &blank, &[piece], s.body_size, m)?;
                }
                blocks(w, &document.blocks, m)?;
                official::attachment_note(w, document, m)?;
                signature_lines(w, document, m)?;
                note_line(w, document, m)?;
                official::attachments(w, document, m)?;
                if let Some(imprint) = &document.imprint {
                    let last = match document.attachments.last() {
                        Some(attachment) => attachment.blocks.last(),
                        None if document.signature.is_none()
                            && document.date.is_none()
                            && document.note.is_none() =>
                        {
                            document.blocks.last()
                        }
                        None => None,
                    };
                    let after_table = matches!(last, Some(Block::Table(_)));
                    official::imprint(w, imprint, after_table, m)?;
                }
                section(w, m)?;
                Ok(())
            })?;
            Ok(())
        })?;
    Ok(())
}

/// Headings, paragraphs and tables in the body's format.
fn blocks(w: &mut Xml, blocks: &[Block], m: &Measures) -> XmlResult {
    let s = m.style;
    for (i, block) in blocks.iter().enumerate() {
        if let Block::Table(t) = block {
            // Two tables with nothing between them would be joined into one by Word.
            if i > 0 && matches!(blocks[i - 1], Block::Table(_)) {
                paragraph(w, &Para::PLAIN, &[], s.body_size, m)?;
            }
            table(w, t, m)?;
            continue;
        }
        let (para, font) = match block {
            Block::Heading { level: 1, .. } => (heading_para(1, m), &s.heading1_font),
            Block::Heading { level: 2, .. } => (heading_para(2, m), &s.heading2_font),
            Block::Heading { level, .. } => (heading_para(*level, m), &s.body_font),
            Block::Paragraph { .. } | Block::Table(_) => (body_para(m), &s.body_font),
        };
        let pieces = match block {
            Block::Paragraph { runs } => pieces(runs, font, m),
            _ => block
                .runs()
                .iter()
                .map(|r| Piece {
                    text: &r.text,
                    font,
                    bold: r.bold,
                })
                .collect(),
        };
        paragraph(w, &para, &pieces, s.body_size, m)?;
    }
    Ok(())
}

/// A title, centred, in lines broken where a clerk breaks them ([`layout::title_lines`]),
/// joined by line breaks in one paragraph.
fn title(w: &mut Xml, text: &str, m: &Measures) -> XmlResult {
    let s = m.style;
    let lines = layout::title_lines(text, m.title_capacity());
    w.create_element("w:p").write_inner_content(|w| {
        TITLE_PARA.write(w, m)?;
        w.create_element("w:r").write_inner_content(|w| {
            run_properties(
                w,
                &s.title_font,
                &s.latin_font,
                s.title_size,
                false,
                m.char_spacing,
            )?;
            for (i, line) in lines.iter().enumerate() {
                if i > 0 {
                    empty(w, "w:br", &[])?;
                }
                text_element(w, line)?;
            }
            Ok(())
        })?;
        Ok(())
    })?;
    Ok(())
}

/// A table as official documents set one: centred across the full width of the text block,
/// thin black rules, columns as wide as their longest text allows; the header row in 黑体,
/// centred and repeated at the top of every page; the body aligned as the markup's delimiter
/// row says (flush left without a colon); the body in a smaller 仿宋 (`table_size`,
/// 4号); no row split across pages. Cell lines are exactly 1.4 times the text size, off the
/// body's grid.
fn table(w: &mut Xml, table: &Table, m: &Measures) -> XmlResult {
    let s = m.style;
    let widths = column_widths(table, s.table_size);
    let line = (s.table_size * 20.0 * 1.4).round() as i64;
    w.create_element("w:tbl").write_inner_content(|w| {
        // In the order of CT_TblPr: tblW, jc, tblBorders, tblLayout, tblCellMar.
        w.create_element("w:tblPr").write_inner_content(|w| {
            empty(
                w,
                "w:tblW",
                &[("w:w", &TEXT_WIDTH.to_string()), ("w:type", "dxa")],
            )?;
            empty(w, "w:jc", &[("w:val", "center")])?;
            table_rules(w, [Some("4"); 6], "85")?;
            Ok(())
        })?;
        w.create_element("w:tblGrid").write_inner_content(|w| {
            for width in &widths {
                empty(w, "w:gridCol", &[("w:w", &width.to_string())])?;
            }
            Ok(())
        })?;
        for (i, row) in table.all_rows().enumerate() {
            let header = i == 0;
            w.create_element("w:tr").write_inner_content(|w| {
                w.create_element("w:trPr").write_inner_content(|w| {
                    empty(w, "w:cantSplit", &[])?;
                    if header {
                        empty(w, "w:tblHeader", &[])?;
                    }
                    Ok(())
                })?;
                for (column, cell) in row.iter().enumerate() {
                    let align = table.align.get(column).copied().unwrap_or(Align::Default);
                    let jc = match (align, header) {
                        (_, true) | (Align::Center, _) => "center",
                        (Align::Default | Align::Left, _) => "left",
                        (Align::Right, _) => "right",
                    };
                    let font = if header {
                        &s.heading1_font
                    } else {
                        &s.body_font
                    };
                    w.create_element("w:tc").write_inner_content(|w| {
                        w.create_element("w:tcPr").write_inner_content(|w| {
                            let width = widths[column].to_string();
                            empty(w, "w:tcW", &[("w:w", &width), ("w:type", "dxa")])?;
                            empty(w, "w:vAlign", &[("w:val", "center")])?;
                            Ok(())
                        })?;
                        let para = Para {
                            snap_to_grid: false,
                            line: Some(line),
                            jc,
                            ..Para::PLAIN
                        };
                        let pieces: Vec<Piece> = cell
                            .iter()
                            .map(|run| Piece {
                                text: &run.text,
                                font,
                                bold: run.bold,
                            })
                            .collect();
                        paragraph(w, &para, &pieces, s.table_size, m)
                    })?;
                }
                Ok(())
            })?;
        }
        Ok(())
    })?;
    Ok(())
}

/// A table's rules (`w:tblBorders`: top, left, bottom, right, inside horizontal, inside
/// vertical; each a width in eighths of a point, or none), its fixed layout and its cells'
/// left and right margins (`w:tblLayout`, `w:tblCellMar`), in the order of CT_TblPr.
fn table_rules(w: &mut Xml, sizes: [Option<&str>; 6], cell_margin: &str) -> XmlResult {
    w.create_element("w:tblBorders").write_inner_content(|w| {
        let sides = [
            "w:top",
            "w:left",
            "w:bottom",
            "w:right",
            "w:insideH",
            "w:insideV",
        ];
        for (side, size) in sides.into_iter().zip(sizes) {
            match size {
                None => empty(w, side, &[("w:val", "nil")])?,
                Some(size) => empty(
                    w,
                    side,
                    &[
                        ("w:val", "single"),
                        ("w:sz", size),
                        ("w:space", "0"),
                        ("w:color", "000000"),
                    ],
                )?,
            }
        }
        Ok(())
    })?;
    empty(w, "w:tblLayout", &[("w:type", "fixed")])?;
    w.create_element("w:tblCellMar").write_inner_content(|w| {
        empty(w, "w:left", &[("w:w", cell_margin), ("w:type", "dxa")])?;
        empty(w, "w:right", &[("w:w", cell_margin), ("w:type", "dxa")])?;
        Ok(())
    })?;
    Ok(())
}

/// Column widths in twips that fill the text block, as a word processor fits a table to its
/// contents, cell margins included. What must not break comes first: each column at least as
/// wide as its widest number, Latin word or date (a number never breaks across lines). Then,
/// where there is room, short cells whole (a header such as `序号` or `参与人数`, a category, a
/// date; up to [`SHORT_CELL`] ems), which on a narrow table wrap instead. The room left is
/// shared in proportion to how much wider each column's longest text would be on one line; a
/// table whose texts all fit on one line is shared out in proportion to them, so short columns
/// of figures stay narrow. Where not even the unbreakable pieces fit, the widths follow them.
fn column_widths(table: &Table, size: f64) -> Vec<i64> {
    let em = size * 20.0;
    // Both cell margins (`tblCellMar`, 85 each) and a little for rounding in the renderer.
    let margins = 2.0 * 85.0 + 20.0;
    let columns = table.header.len().max(1);
    // Each column: what must not break, the short cells whole, its longest text on one line;
    // at least a character.
    let mut unbroken = vec![em + margins; columns];
    let mut short = unbroken.clone();
    let mut longest = unbroken.clone();
    for row in table.all_rows() {
        for (column, cell) in row.iter().enumerate().take(columns) {
            let text = plain_text(cell);
            let whole = layout::width(&text);
            let piece = layout::widest_unbroken(&text) * em + margins;
            unbroken[column] = unbroken[column].max(piece);
            if whole <= SHORT_CELL {
                short[column] = short[column].max(whole * em + margins);
            }
            longest[column] = longest[column].max(whole * em + margins);
        }
    }
    for column in 0..columns {
        short[column] = short[column].max(unbroken[column]);
        longest[column] = longest[column].max(short[column]);
    }
    let total = TEXT_WIDTH as f64;
    let sum = |widths: &[f64]| widths.iter().sum::<f64>();
    // From `least` towards `most`, the room shared in proportion to what each column lacks.
    // Called only where `least` fits and `most` does not, so something is always lacking.
    let towards = |least: &[f64], most: &[f64]| -> Vec<f64> {
        let wanted = sum(most) - sum(least);
        let room = total - sum(least);
        least
            .iter()
            .zip(most)
            .map(|(l, m)| l + (m - l) / wanted * room)
            .collect()
    };
    let widths: Vec<f64> = if sum(&longest) <= total {
        longest.iter().map(|w| w / sum(&longest) * total).collect()
    } else if sum(&short) <= total {
        towards(&short, &longest)
    } else if sum(&unbroken) <= total {
        towards(&unbroken, &short)
    } else {
        unbroken
            .iter()
            .map(|w| w / sum(&unbroken) * total)
            .collect()
    };
    let mut widths: Vec<i64> = widths.iter().map(|w| w.floor() as i64).collect();
    let rest = TEXT_WIDTH - widths.iter().sum::<i64>();
    if let Some(last) = widths.last_mut() {
        *last += rest;
    }
    widths
}

/// The widest cell, in ems, a table keeps on one line whatever it holds, where there is room:
/// headers and categories such as `参与人数`, `主题教育`, `10月25日`.
const SHORT_CELL: f64 = 6.0;

/// 署名 and 成文日期 without a seal (GB/T 9704-2012 7.3.5.2): one blank line under the body;
/// the signature two characters in from the right; the date on the next line, starting two
/// characters right of the signature's first character — or, when the date is the longer,
/// two characters in from the right with the signature moved left to keep that offset. With
/// `[docx] seal = true`, as for a seal (7.3.5.1): two blank lines, the date four characters in
/// from the right, the signature centred over it.
///
/// The line that ends two characters in from the right is right-aligned and the other starts
/// at a left indent measured from it. Both lines are set without Word's automatic space
/// between Chinese and digits, so their widths are exact: a Chinese character one em and a
/// Times New Roman digit half of one, each with the character spacing.
fn signature_lines(w: &mut Xml, document: &Document, m: &Measures) -> XmlResult {
    if document.signature.is_none() && document.date.is_none() {
        return Ok(());
    }
    let s = m.style;
    let two = m.chars(2);
    let signature_width = document.signature.as_deref().map_or(0, |t| m.width(t));
    let date_width = document.date.as_deref().map_or(0, |t| m.width(t));
    let right = |right: i64| Para {
        indent: Indent::Right(right),
        jc: "right",
        auto_space: false,
        ..Para::PLAIN
    };
    let left = |left: i64| Para {
        indent: Indent::Left(left.max(0)),
        jc: "left",
        auto_space: false,
        ..Para::PLAIN
    };
    let (signature_para, date_para) = if s.seal {
        // With a seal (7.3.5.1): the date four characters in from the right, the signature
        // centred over it (over where it would be, when there is none). A signature too long
        // to be centred there ends at the right edge, and the date moves left to stay centred
        // under it.
        let date_width = match document.date {
            Some(_) => date_width,
            None => m.width("2023年1月5日"),
        };
        let centre = TEXT_WIDTH - m.chars(4) - date_width / 2;
        let start = centre - signature_width / 2;
        // Within a character of the edge already, it is set flush right: a left indent that
        // leaves it no room to spare would let a renderer's rounding wrap its last character.
        match start + signature_width > TEXT_WIDTH - m.chars(1) {
            true => (
                right(0),
                right(((signature_width.min(TEXT_WIDTH) - date_width) / 2).max(0)),
            ),
            false => (left(start), right(m.chars(4))),
        }
    } else if date_width + two <= signature_width {
        (right(two), left(TEXT_WIDTH - signature_width))
    } else {
        (left(TEXT_WIDTH - two - date_width - two), right(two))
    };
    let blank = Para::PLAIN;
    // Under the body, an empty line; with a seal two, so that the seal, pressing on the
    // signature and date from above their middle, starts within a line of the body.
    for _ in 0..if s.seal { 2 } else { 1 } {
        paragraph(w, &blank, &[], s.body_size, m)?;
    }
    for (text, para) in [
        (&document.signature, signature_para),
        (&document.date, date_para),
    ] {
        if let Some(text) = text {
            let piece = Piece {
                text,
                font: &s.body_font,
                bold: false,
            };
            paragraph(w, &para, &[piece], s.body_size, m)?;
        }
    }
    Ok(())
}

/// 附注 (GB/T 9704-2012 7.3.6): in brackets, two characters in, on the line under the date
/// (with no signature or date, after an empty line under the body).
fn note_line(w: &mut Xml, document: &Document, m: &Measures) -> XmlResult {
    let Some(note) = &document.note else {
        return Ok(());
    };
    let s = m.style;
    if document.signature.is_none() && document.date.is_none() {
        paragraph(w, &Para::PLAIN, &[], s.body_size, m)?;
    }
    let para = Para {
        indent: Indent::FirstLine(m.chars(2)),
        jc: "left",
        ..Para::PLAIN
    };
    let piece = Piece {
        text: note,
        font: &s.body_font,
        bold: false,
    };
    paragraph(w, &para, &[piece], s.body_size, m)
}

/// The section, in the order of CT_SectPr: footerReference (odd, even), pgSz, pgMar, cols,
/// docGrid. 22 lines per page come from the exact line pitch in a 225 mm text block.
fn section(w: &mut Xml, m: &Measures) -> XmlResult {
    w.create_element("w:sectPr").write_inner_content(|w| {
        empty(
            w,
            "w:footerReference",
            &[("w:type", "default"), ("r:id", "rId3")],
        )?;
        empty(
            w,
            "w:footerReference",
            &[("w:type", "even"), ("r:id", "rId4")],
        )?;
        empty(
            w,
            "w:pgSz",
            &[
                ("w:w", &PAGE_WIDTH.to_string()),
                ("w:h", &PAGE_HEIGHT.to_string()),
            ],
        )?;
        empty(
            w,
            "w:pgMar",
            &[
                ("w:top", &MARGIN_TOP.to_string()),
                ("w:right", &MARGIN_RIGHT.to_string()),
                ("w:bottom", &MARGIN_BOTTOM.to_string()),
                ("w:left", &MARGIN_LEFT.to_string()),
                ("w:header", "851"),
                ("w:footer", &FOOTER_DISTANCE.to_string()),
                ("w:gutter", "0"),
            ],
        )?;
        empty(w, "w:cols", &[("w:space", "425")])?;
        empty(
            w,
            "w:docGrid",
            &[("w:type", "lines"), ("w:linePitch", &m.line.to_string())],
        )?;
        Ok(())
    })?;
    Ok(())
}

#[derive(Clone, Copy)]
enum Side {
    Odd,
    Even,
}

/// A footer with the page number `— 1 —` in 4号 宋体, one character in from the outer edge:
/// on the right of odd pages, on the left of even ones (GB/T 9704-2012 7.5).
fn footer(w: &mut Xml, m: &Measures, side: Side) -> XmlResult {
    let s = m.style;
    let one = twips(s.page_number_size).to_string();
    let (indent, jc) = match side {
        Side::Odd => (("w:right", one.as_str()), "right"),
        Side::Even => (("w:left", one.as_str()), "left"),
    };
    let run = |w: &mut Xml, content: &dyn Fn(&mut Xml) -> XmlResult| -> XmlResult {
        w.create_element("w:r").write_inner_content(|w| {
            run_properties(
                w,
                &s.page_number_font,
                &s.page_number_font,
                s.page_number_size,
                false,
                0,
            )?;
            content(w)
        })?;
        Ok(())
    };
    let text = |t: &'static str| {
        move |w: &mut Xml| -> XmlResult {
            w.create_element("w:t")
                .with_attribute(("xml:space", "preserve"))
                .write_text_content(BytesText::new(t))?;
            Ok(())
        }
    };
    let field =
        |kind: &'static str| move |w: &mut Xml| empty(w, "w:fldChar", &[("w:fldCharType", kind)]);
    w.create_element("w:ftr")
        .with_attributes([("xmlns:w", W_NS), ("xmlns:r", R_NS)])
        .write_inner_content(|w| {
            w.create_element("w:p").write_inner_content(|w| {
                // Off the grid, one exact line of the page number's size, no first-line
                // indent: the footer would otherwise take Normal's 28.95 pt line and indent,
                // grow into the text block and cost every page a line.
                w.create_element("w:pPr").write_inner_content(|w| {
                    empty(w, "w:snapToGrid", &[("w:val", "0")])?;
                    let line = twips(s.page_number_size).to_string();
                    empty(
                        w,
                        "w:spacing",
                        &[
                            ("w:before", "0"),
                            ("w:after", "0"),
                            ("w:line", &line),
                            ("w:lineRule", "exact"),
                        ],
                    )?;
                    empty(w, "w:ind", &[indent, ("w:firstLine", "0")])?;
                    empty(w, "w:jc", &[("w:val", jc)])?;
                    Ok(())
                })?;
                run(w, &text("— "))?;
                run(w, &field("begin"))?;
                run(w, &|w: &mut Xml| {
                    w.create_element("w:instrText")
                        .with_attribute(("xml:space", "preserve"))
                        .write_text_content(BytesText::new(" PAGE "))?;
                    Ok(())
                })?;
                run(w, &field("separate"))?;
                run(w, &text("1"))?;
                run(w, &field("end"))?;
                run(w, &text(" —"))?;
                Ok(())
            })?;
            Ok(())
        })?;
    Ok(())
}

/// `word/styles.xml`: the defaults, and named styles that carry the whole format, so a clerk
/// who applies 正文, 标题 or 标题 1–4 from Word's or WPS's style gallery gets the official
/// format (paragraphs carry the same formatting directly too): Normal is the body (仿宋 3号,
/// exact line pitch, two-character first-line indent, justified), Title the title (小标宋 2号,
/// centred, off the grid), Heading 1–4 the four levels (黑体, 楷体, 仿宋, 仿宋) kept with the
/// paragraph that follows and in the outline Word's navigation pane shows.
fn styles(w: &mut Xml, m: &Measures) -> XmlResult {
    let s = m.style;
    let latin = s.latin_font.as_str();
    w.create_element("w:styles")
        .with_attribute(("xmlns:w", W_NS))
        .write_inner_content(|w| {
            w.create_element("w:docDefaults").write_inner_content(|w| {
                w.create_element("w:rPrDefault").write_inner_content(|w| {
                    w.create_element("w:rPr").write_inner_content(|w| {
                        fonts_element(w, &s.body_font, latin)?;
                        let size = half_points(s.body_size);
                        empty(w, "w:sz", &[("w:val", &size)])?;
                        empty(w, "w:szCs", &[("w:val", &size)])?;
                        empty(
                            w,
                            "w:lang",
                            &[
                                ("w:val", "en-US"),
                                ("w:eastAsia", "zh-CN"),
                                ("w:bidi", "ar-SA"),
                            ],
                        )?;
                        Ok(())
                    })?;
                    Ok(())
                })?;
                w.create_element("w:pPrDefault").write_inner_content(|w| {
                    w.create_element("w:pPr").write_inner_content(|w| {
                        empty(w, "w:widowControl", &[("w:val", "0")])?;
                        empty(w, "w:jc", &[("w:val", "both")])?;
                        Ok(())
                    })?;
                    Ok(())
                })?;
                Ok(())
            })?;
            // In the order of CT_Style: name, basedOn, next, qFormat, pPr, rPr.
            let style = |w: &mut Xml, id: &str, name: &str, para: &Para, font: &str, size: f64| {
                let default = id == "Normal";
                let mut attributes = vec![("w:type", "paragraph")];
                if default {
                    attributes.push(("w:default", "1"));
                }
                attributes.push(("w:styleId", id));
                w.create_element("w:style")
                    .with_attributes(attributes)
                    .write_inner_content(|w| {
                        empty(w, "w:name", &[("w:val", name)])?;
                        if !default {
                            empty(w, "w:basedOn", &[("w:val", "Normal")])?;
                            empty(w, "w:next", &[("w:val", "Normal")])?;
                        }
                        empty(w, "w:qFormat", &[])?;
                        w.create_element("w:pPr")
                            .write_inner_content(|w| para.write_properties(w, m))?;
                        w.create_element("w:rPr").write_inner_content(|w| {
                            fonts_element(w, font, latin)?;
                            if m.char_spacing != 0 {
                                empty(w, "w:spacing", &[("w:val", &m.char_spacing.to_string())])?;
                            }
                            let size = half_points(size);
                            empty(w, "w:sz", &[("w:val", &size)])?;
                            empty(w, "w:szCs", &[("w:val", &size)])?;
                            Ok(())
                        })?;
                        Ok(())
                    })?;
                XmlResult::Ok(())
            };
            let body = s.body_size;
            style(w, "Normal", "Normal", &body_para(m), &s.body_font, body)?;
            style(
                w,
                "Title",
                "Title",
                &TITLE_PARA,
                &s.title_font,
                s.title_size,
            )?;
            let fonts = [
                &s.heading1_font,
                &s.heading2_font,
                &s.body_font,
                &s.body_font,
            ];
            for (level, font) in (1..=4).zip(fonts) {
                let id = format!("Heading{level}");
                let name = format!("heading {level}");
                style(w, &id, &name, &heading_para(level, m), font, body)?;
            }
            Ok(())
        })?;
    Ok(())
}

/// `word/fontTable.xml`: each font the document names, CJK ones with the GB2312 charset and
/// the plain family as a fallback for machines without the government fonts.
fn fonts(w: &mut Xml, style: &DocxStyle) -> XmlResult {
    let mut names: Vec<&str> = vec![
        &style.title_font,
        &style.body_font,
        &style.heading1_font,
        &style.heading2_font,
        &style.latin_font,
        &style.page_number_font,
    ];
    names.sort();
    names.dedup();
    w.create_element("w:fonts")
        .with_attribute(("xmlns:w", W_NS))
        .write_inner_content(|w| {
            for name in names {
                w.create_element("w:font")
                    .with_attribute(("w:name", name))
                    .write_inner_content(|w| {
                        if let Some(alt) = fallback(name) {
                            empty(w, "w:altName", &[("w:val", alt)])?;
                        }
                        let cjk = !name.is_ascii();
                        empty(w, "w:charset", &[("w:val", if cjk { "86" } else { "00" })])?;
                        empty(
                            w,
                            "w:family",
                            &[("w:val", if cjk { "modern" } else { "roman" })],
                        )?;
                        empty(
                            w,
                            "w:pitch",
                            &[("w:val", if cjk { "fixed" } else { "variable" })],
                        )?;
                        Ok(())
                    })?;
            }
            Ok(())
        })?;
    Ok(())
}

fn fallback(font: &str) -> Option<&'static str> {
    match font {
        "仿宋_GB2312" | "方正仿宋_GBK" | "方正仿宋简体" => Some("仿宋"),
        "楷体_GB2312" | "方正楷体_GBK" | "方正楷体简体" => Some("楷体"),
        "方正小标宋简体" | "方正小标宋_GBK" => Some("宋体"),
        "方正黑体_GBK" | "方正黑体简体" => Some("黑体"),
        _ => None,
    }
}

const CONTENT_TYPES: &str = r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/><Override PartName="/word/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.styles+xml"/><Override PartName="/word/settings.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.settings+xml"/><Override PartName="/word/fontTable.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.fontTable+xml"/><Override PartName="/word/footer1.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.footer+xml"/><Override PartName="/word/footer2.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.footer+xml"/><Override PartName="/word/theme/theme1.xml" ContentType="application/vnd.openxmlformats-officedocument.theme+xml"/></Types>"#;

const PACKAGE_RELS: &str = r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/></Relationships>"#;

const DOCUMENT_RELS: &str = r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/><Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/settings" Target="settings.xml"/><Relationship Id="rId3" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/footer" Target="footer1.xml"/><Relationship Id="rId4" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/footer" Target="footer2.xml"/><Relationship Id="rId5" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/fontTable" Target="fontTable.xml"/><Relationship Id="rId6" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/theme" Target="theme/theme1.xml"/></Relationships>"#;

/// In the order of CT_Settings: defaultTabStop, evenAndOddHeaders (odd and even footers),
/// characterSpacingControl, compat.
const SETTINGS: &str = r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<w:settings xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:defaultTabStop w:val="420"/><w:evenAndOddHeaders/><w:characterSpacingControl w:val="compressPunctuation"/><w:compat><w:compatSetting w:name="compatibilityMode" w:uri="http://schemas.microsoft.com/office/word" w:val="15"/></w:compat></w:settings>"#;

/// The smallest complete theme: Word expects one, and its fonts point East Asian text at 宋体.
const THEME: &str = r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<a:theme xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main" name="huibao"><a:themeElements><a:clrScheme name="huibao"><a:dk1><a:sysClr val="windowText" lastClr="000000"/></a:dk1><a:lt1><a:sysClr val="window" lastClr="FFFFFF"/></a:lt1><a:dk2><a:srgbClr val="44546A"/></a:dk2><a:lt2><a:srgbClr val="E7E6E6"/></a:lt2><a:accent1><a:srgbClr val="4472C4"/></a:accent1><a:accent2><a:srgbClr val="ED7D31"/></a:accent2><a:accent3><a:srgbClr val="A5A5A5"/></a:accent3><a:accent4><a:srgbClr val="FFC000"/></a:accent4><a:accent5><a:srgbClr val="5B9BD5"/></a:accent5><a:accent6><a:srgbClr val="70AD47"/></a:accent6><a:hlink><a:srgbClr val="0563C1"/></a:hlink><a:folHlink><a:srgbClr val="954F72"/></a:folHlink></a:clrScheme><a:fontScheme name="huibao"><a:majorFont><a:latin typeface="Times New Roman"/><a:ea typeface="宋体"/><a:cs typeface="Times New Roman"/></a:majorFont><a:minorFont><a:latin typeface="Times New Roman"/><a:ea typeface="宋体"/><a:cs typeface="Times New Roman"/></a:minorFont></a:fontScheme><a:fmtScheme name="huibao"><a:fillStyleLst><a:solidFill><a:schemeClr val="phClr"/></a:solidFill><a:solidFill><a:schemeClr val="phClr"/></a:solidFill><a:solidFill><a:schemeClr val="phClr"/></a:solidFill></a:fillStyleLst><a:lnStyleLst><a:ln w="6350"><a:solidFill><a:schemeClr val="phClr"/></a:solidFill></a:ln><a:ln w="12700"><a:solidFill><a:schemeClr val="phClr"/></a:solidFill></a:ln><a:ln w="19050"><a:solidFill><a:schemeClr val="phClr"/></a:solidFill></a:ln></a:lnStyleLst><a:effectStyleLst><a:effectStyle><a:effectLst/></a:effectStyle><a:effectStyle><a:effectLst/></a:effectStyle><a:effectStyle><a:effectLst/></a:effectStyle></a:effectStyleLst><a:bgFillStyleLst><a:solidFill><a:schemeClr val="phClr"/></a:solidFill><a:solidFill><a:schemeClr val="phClr"/></a:solidFill><a:solidFill><a:schemeClr val="phClr"/></a:solidFill></a:bgFillStyleLst></a:fmtScheme></a:themeElements></a:theme>"#;

#[cfg(test)]
mod tests {
    use super::*;

    fn ended(signature: &str, date: &str) -> String {
        ended_with(signature, date, false)
    }

    /// The signature and date as written for a document with a seal or without.
    fn ended_with(signature: &str, date: &str, seal: bool) -> String {
        let document = Document {
            head: None,
            attachments: Vec::new(),
            imprint: None,
            title: "关于测试的报告".into(),
            addressee: None,
            blocks: vec![Block::Paragraph {
                runs: Run::plain("正文。"),
            }],
            signature: Some(signature.into()),
            date: Some(date.into()),
            note: None,
        };
        let style = DocxStyle {
            seal,
            ..DocxStyle::default()
        };
        let m = Measures::new(&style);
        String::from_utf8(xml(|w| signature_lines(w, &document, &m))).unwrap()
    }

    #[test]
    fn with_a_seal_a_signature_too_long_to_centre_ends_at_the_edge() {
        // 14 characters (4410 twips) centred over 2023年1月5日 (1875) four characters in would
        // end past the right edge: flush right, the date centred under it, (4410 − 1875) / 2
        // in from the right.
        let xml = ended_with("中共县教育体育局委员会办公室", "2023年1月5日", true);
        assert!(
            xml.contains(r#"<w:ind w:right="0" w:firstLine="0"/><w:jc w:val="right"/>"#),
            "{xml}"
        );
        assert!(
            xml.contains(&format!(
                r#"<w:ind w:right="{}" w:firstLine="0"/><w:jc w:val="right"/>"#,
                (4410 - 1875) / 2
            )),
            "{xml}"
        );
    }

    #[test]
    fn a_date_longer_than_the_signature_ends_two_characters_in() {
        // 县委办: 3 characters (945 twips). 2023年12月25日: 8 digits at 160 and 3 characters at
        // 320, 11 × −5 of spacing (2185): it ends two characters (630) in from the right, and
        // the signature starts two characters left of it.
        let xml = ended("县委办", "2023年12月25日");
        let date_start = 8845 - 630 - 2185;
        assert!(
            xml.contains(&format!(
                r#"<w:ind w:left="{}" w:firstLine="0"/><w:jc w:val="left"/>"#,
                date_start - 630
            )),
            "{xml}"
        );
        assert!(
            xml.contains(r#"<w:ind w:right="630" w:firstLine="0"/><w:jc w:val="right"/>"#),
            "{xml}"
        );
        assert!(xml.contains(r#"<w:autoSpaceDE w:val="0"/><w:autoSpaceDN w:val="0"/>"#));
        // The usual case: the signature ends two characters in, the date starts two right of it.
        let xml = ended("县文化广电旅游局", "2023年1月5日");
        assert!(
            xml.contains(r#"<w:ind w:right="630" w:firstLine="0"/><w:jc w:val="right"/>"#),
            "{xml}"
        );
        assert!(
            xml.contains(&format!(
                r#"<w:ind w:left="{}" w:firstLine="0"/><w:jc w:val="left"/>"#,
                8845 - 8 * 315
            )),
            "{xml}"
        );
    }

    #[test]
    fn run_in_leads_end_after_their_first_sentence() {
        assert_eq!(
            run_in_lead("（一）主题活动。共5项"),
            Some((2, "（一）主题活动。".len()))
        );
        assert_eq!(
            run_in_lead("一、总体情况：良好"),
            Some((1, "一、总体情况：".len()))
        );
        assert_eq!(run_in_lead("（十二）无句号"), Some((2, "（十二）".len())));
        // A 。 inside quotation marks does not end the lead: the closing ” stays in it.
        assert_eq!(
            run_in_lead("一、“引号里有句号。”后面还有。"),
            Some((1, "一、“引号里有句号。”后面还有。".len()))
        );
        assert_eq!(run_in_lead("一是加强学习。"), None);
        assert_eq!(run_in_lead("（1）阿拉伯数字"), None);
        assert_eq!(run_in_lead("（）空"), None);
    }
}
