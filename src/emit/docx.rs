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

use crate::document::{Block, Document, Run};
use crate::manifest::DocxStyle;
use crate::sources::is_forbidden;

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
/// The footer's distance from the page edge: the page number sits about 7 mm under the text.
const FOOTER_DISTANCE: u32 = 1587;

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

    /// The width of a line of body text, for placing the signature: CJK characters take a
    /// full em, ASCII (digits of the date) half of one.
    fn width(&self, text: &str) -> i64 {
        text.chars()
            .map(|c| if c.is_ascii() { self.em / 2 } else { self.em } + self.char_spacing)
            .sum()
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
    let mut zip = ZipWriter::new(Cursor::new(Vec::new()));
    // DEFAULT, not default(): the latter takes the current time when zip's `time` is on.
    let options = SimpleFileOptions::DEFAULT
        .compression_method(CompressionMethod::Deflated)
        .compression_level(Some(6))
        .last_modified_time(DateTime::DEFAULT)
        .system(System::Unix)
        .unix_permissions(0o644);
    for (name, bytes) in parts {
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

/// Paragraph properties, in the order of CT_PPrBase:
/// pStyle, widowControl, spacing, ind, jc, outlineLvl.
struct Para<'a> {
    style: Option<&'a str>,
    first_line: Option<i64>,
    right: Option<i64>,
    jc: &'a str,
}

impl Para<'_> {
    /// A flush-left, justified paragraph: blank lines and the addressee.
    const PLAIN: Para<'static> = Para {
        style: None,
        first_line: None,
        right: None,
        jc: "both",
    };

    fn write(&self, w: &mut Xml, m: &Measures) -> XmlResult {
        w.create_element("w:pPr").write_inner_content(|w| {
            if let Some(style) = self.style {
                empty(w, "w:pStyle", &[("w:val", style)])?;
            }
            empty(w, "w:widowControl", &[("w:val", "0")])?;
            let line = m.line.to_string();
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
            match (self.first_line, self.right) {
                (Some(first), _) => empty(w, "w:ind", &[("w:firstLine", &first.to_string())])?,
                (None, Some(right)) => empty(w, "w:ind", &[("w:right", &right.to_string())])?,
                (None, None) => {}
            }
            empty(w, "w:jc", &[("w:val", self.jc)])?;
            Ok(())
        })?;
        Ok(())
    }
}

/// Run properties, in the order of CT_RPr: rFonts, b, bCs, spacing, sz, szCs.
fn run_properties(
    w: &mut Xml,
    font: &str,
    latin: &str,
    size: f64,
    bold: bool,
    spacing: i64,
) -> XmlResult {
    w.create_element("w:rPr").write_inner_content(|w| {
        empty(
            w,
            "w:rFonts",
            &[
                ("w:ascii", latin),
                ("w:eastAsia", font),
                ("w:hAnsi", latin),
                ("w:cs", latin),
            ],
        )?;
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

fn text_run(w: &mut Xml, text: &str, font: &str, size: f64, bold: bool, m: &Measures) -> XmlResult {
    w.create_element("w:r").write_inner_content(|w| {
        run_properties(w, font, &m.style.latin_font, size, bold, m.char_spacing)?;
        w.create_element("w:t")
            .with_attribute(("xml:space", "preserve"))
            // Typing refuses such characters in cells; this keeps any other source of them
            // (a template's own text) from making the document unreadable.
            .write_text_content(BytesText::new(&text.replace(is_forbidden, "")))?;
        Ok(())
    })?;
    Ok(())
}

fn paragraph(
    w: &mut Xml,
    para: &Para,
    runs: &[Run],
    font: &str,
    size: f64,
    m: &Measures,
) -> XmlResult {
    w.create_element("w:p").write_inner_content(|w| {
        para.write(w, m)?;
        for run in runs {
            text_run(w, &run.text, font, size, run.bold, m)?;
        }
        Ok(())
    })?;
    Ok(())
}

/// `word/document.xml`: title, a blank line, the addressee, the body, the signature.
fn body(w: &mut Xml, document: &Document, m: &Measures) -> XmlResult {
    let s = m.style;
    let indent = 2 * m.em;
    w.create_element("w:document")
        .with_attributes([("xmlns:w", W_NS), ("xmlns:r", R_NS)])
        .write_inner_content(|w| {
            w.create_element("w:body").write_inner_content(|w| {
                let title = Para {
                    style: Some("Title"),
                    first_line: None,
                    right: None,
                    jc: "center",
                };
                paragraph(
                    w,
                    &title,
                    &Run::plain(&document.title),
                    &s.title_font,
                    s.title_size,
                    m,
                )?;
                let blank = Para::PLAIN;
                paragraph(w, &blank, &[], &s.body_font, s.body_size, m)?;
                if let Some(addressee) = &document.addressee {
                    paragraph(
                        w,
                        &blank,
                        &Run::plain(addressee),
                        &s.body_font,
                        s.body_size,
                        m,
                    )?;
                }
                for block in &document.blocks {
                    let (style, font) = match block {
                        Block::Heading { level: 1, .. } => (Some("Heading1"), &s.heading1_font),
                        Block::Heading { level: 2, .. } => (Some("Heading2"), &s.heading2_font),
                        Block::Heading { level: 3, .. } => (Some("Heading3"), &s.body_font),
                        Block::Heading { .. } => (Some("Heading4"), &s.body_font),
                        Block::Paragraph { .. } => (None, &s.body_font),
                    };
                    let para = Para {
                        style,
                        first_line: Some(indent),
                        right: None,
                        jc: "both",
                    };
                    paragraph(w, &para, block.runs(), font, s.body_size, m)?;
                }
                signature(w, document, m)?;
                section(w, m)?;
                Ok(())
            })?;
            Ok(())
        })?;
    Ok(())
}

/// 署名 and 成文日期 without a seal (GB/T 9704-2012 7.3.5.2): one blank line under the body;
/// the signature two characters in from the right; the date on the next line, starting two
/// characters right of the signature's first character — or, when the date is the longer,
/// two characters in from the right with the signature moved left to keep that offset.
fn signature(w: &mut Xml, document: &Document, m: &Measures) -> XmlResult {
    if document.signature.is_none() && document.date.is_none() {
        return Ok(());
    }
    let s = m.style;
    let two = 2 * m.em;
    let signature_width = document.signature.as_deref().map_or(0, |t| m.width(t));
    let date_width = document.date.as_deref().map_or(0, |t| m.width(t));
    let mut signature_right = two;
    let mut date_right = signature_right + signature_width - two - date_width;
    if date_right < two {
        date_right = two;
        signature_right = two + two + date_width - signature_width;
    }
    let blank = Para::PLAIN;
    paragraph(w, &blank, &[], &s.body_font, s.body_size, m)?;
    for (text, right) in [
        (&document.signature, signature_right),
        (&document.date, date_right),
    ] {
        if let Some(text) = text {
            let para = Para {
                style: None,
                first_line: None,
                right: Some(right),
                jc: "right",
            };
            paragraph(w, &para, &Run::plain(text), &s.body_font, s.body_size, m)?;
        }
    }
    Ok(())
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
                w.create_element("w:pPr").write_inner_content(|w| {
                    empty(w, "w:ind", &[indent])?;
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

/// `word/styles.xml`: the defaults (body font and size, exact spacing, widow control off) and
/// named styles for the title and the four heading levels, so Word's navigation pane shows
/// the outline. Paragraphs also carry their formatting directly.
fn styles(w: &mut Xml, m: &Measures) -> XmlResult {
    let s = m.style;
    w.create_element("w:styles")
        .with_attribute(("xmlns:w", W_NS))
        .write_inner_content(|w| {
            w.create_element("w:docDefaults").write_inner_content(|w| {
                w.create_element("w:rPrDefault").write_inner_content(|w| {
                    w.create_element("w:rPr").write_inner_content(|w| {
                        let latin = s.latin_font.as_str();
                        empty(
                            w,
                            "w:rFonts",
                            &[
                                ("w:ascii", latin),
                                ("w:eastAsia", &s.body_font),
                                ("w:hAnsi", latin),
                                ("w:cs", latin),
                            ],
                        )?;
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
            let style = |w: &mut Xml,
                         id: &str,
                         name: &str,
                         outline: Option<&str>,
                         default: bool|
             -> XmlResult {
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
                        if let Some(level) = outline {
                            w.create_element("w:pPr").write_inner_content(|w| {
                                empty(w, "w:outlineLvl", &[("w:val", level)])?;
                                Ok(())
                            })?;
                        }
                        Ok(())
                    })?;
                Ok(())
            };
            style(w, "Normal", "Normal", None, true)?;
            style(w, "Title", "Title", None, false)?;
            style(w, "Heading1", "heading 1", Some("0"), false)?;
            style(w, "Heading2", "heading 2", Some("1"), false)?;
            style(w, "Heading3", "heading 3", Some("2"), false)?;
            style(w, "Heading4", "heading 4", Some("3"), false)?;
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
