//! The parts of a complete official document around the body (GB/T 9704-2012): the 版头
//! (7.2), the 附件说明 (7.3.3), the 附件 (7.3.7) and the 版记 (7.4).

use super::Measures;
use super::{
    Indent, Para, Piece, Rule, TEXT_WIDTH, Xml, XmlResult, blocks, empty, fonts_element, paragraph,
    text_run, title, twips,
};
use crate::document::{Document, Head, Imprint};

/// The 发文机关标志's top edge sits 35 mm below the top of the text block (7.2.4).
const ISSUER_TOP: i64 = 1984;
/// Its characters are at most 15 mm high (7.2.4: 一般应小于 22 mm × 15 mm): 42 pt.
const ISSUER_MAX_SIZE: f64 = 42.0;
/// Official red.
const RED: &str = "FF0000";
/// The 版记 is set in 4号.
const IMPRINT_SIZE: f64 = 14.0;

/// The 版头: 份号, 密级和保密期限 and 紧急程度 flush left at the top; the 发文机关标志 in red
/// 小标宋, centred, its top 35 mm below the top of the text block; two lines under it the
/// 发文字号, centred — or, for a report to a superior (上行文, with a 签发人), one character in
/// from the left with `签发人：` (仿宋) and the name (楷体) ending one character in from the
/// right; the red rule the width of the text block 4 mm under that line; two blank lines.
pub(super) fn head(w: &mut Xml, head: &Head, m: &Measures) -> XmlResult {
    let s = m.style;
    let mut lines_above = 0;
    for (text, font) in [
        (&head.copy_number, &s.body_font),
        (&head.secrecy, &s.heading1_font),
        (&head.urgency, &s.heading1_font),
    ] {
        if let Some(text) = text {
            let flush_left = Para {
                jc: "left",
                ..Para::PLAIN
            };
            paragraph(
                w,
                &flush_left,
                &[Piece {
                    text,
                    font,
                    bold: false,
                }],
                s.body_size,
                m,
            )?;
            lines_above += 1;
        }
    }

    let size = issuer_size(&head.issuer);
    let issuer = Para {
        snap_to_grid: false,
        before: (ISSUER_TOP - lines_above * m.line).max(0),
        line: Some(twips(size)),
        jc: "center",
        ..Para::PLAIN
    };
    w.create_element("w:p").write_inner_content(|w| {
        issuer.write(w, m)?;
        w.create_element("w:r").write_inner_content(|w| {
            // In the order of CT_RPr: rFonts, color, sz, szCs.
            w.create_element("w:rPr").write_inner_content(|w| {
                fonts_element(w, &s.title_font, &s.latin_font)?;
                empty(w, "w:color", &[("w:val", RED)])?;
                let half_points = ((size * 2.0).round() as i64).to_string();
                empty(w, "w:sz", &[("w:val", &half_points)])?;
                empty(w, "w:szCs", &[("w:val", &half_points)])?;
                Ok(())
            })?;
            super::text_element(w, &head.issuer)
        })?;
        Ok(())
    })?;
    let blank = Para::PLAIN;
    paragraph(w, &blank, &[], s.body_size, m)?;
    paragraph(w, &blank, &[], s.body_size, m)?;

    // The 发文字号's line carries the red rule, drawn across the whole text block.
    let rule = Some(Rule {
        size: 8,
        color: RED,
        space: RULE_SPACE,
    });
    let one = m.chars(1);
    let tabs = [("left", one), ("right", TEXT_WIDTH - one)];
    match (&head.number, &head.signer) {
        (number, Some(signer)) => {
            let line = Para {
                rule_below: rule,
                tabs: &tabs,
                jc: "left",
                ..Para::PLAIN
            };
            w.create_element("w:p").write_inner_content(|w| {
                line.write(w, m)?;
                tab(w, m, s.body_size)?;
                if let Some(number) = number {
                    text_run(w, &piece(number, &s.body_font), s.body_size, m)?;
                }
                tab(w, m, s.body_size)?;
                text_run(w, &piece("签发人：", &s.body_font), s.body_size, m)?;
                text_run(w, &piece(signer, &s.heading2_font), s.body_size, m)?;
                Ok(())
            })?;
        }
        (number, None) => {
            let line = Para {
                rule_below: rule,
                jc: "center",
                ..Para::PLAIN
            };
            let pieces: Vec<Piece> = number.iter().map(|n| piece(n, &s.body_font)).collect();
            paragraph(w, &line, &pieces, s.body_size, m)?;
        }
    }
    paragraph(w, &blank, &[], s.body_size, m)?;
    paragraph(w, &blank, &[], s.body_size, m)?;
    Ok(())
}

/// The distance from the 发文字号's line to the red rule, in points: the line is one body
/// line pitch tall, and the rule lies 4 mm under the characters (measured in LibreOffice's
/// PDF with the preview's fonts).
const RULE_SPACE: u32 = 5;

/// The 发文机关标志's size: 42 pt, or smaller so that a long name fits on one line.
fn issuer_size(issuer: &str) -> f64 {
    let chars = super::layout::width(issuer).max(1.0);
    let fits = TEXT_WIDTH as f64 / 20.0 / chars;
    ISSUER_MAX_SIZE.min((fits * 2.0).floor() / 2.0)
}

fn piece<'a>(text: &'a str, font: &'a str) -> Piece<'a> {
    Piece {
        text,
        font,
        bold: false,
    }
}

/// A tab character, in a run of `size`.
fn tab(w: &mut Xml, m: &Measures, size: f64) -> XmlResult {
    let s = m.style;
    w.create_element("w:r").write_inner_content(|w| {
        super::run_properties(w, &s.body_font, &s.latin_font, size, false, 0)?;
        empty(w, "w:tab", &[])
    })?;
    Ok(())
}

/// The 附件说明: one blank line under the body, two characters in, `附件：` and the names;
/// several are numbered, and a name that wraps aligns with its first character (7.3.3). Set
/// without Word's automatic spacing, so the measured indents are exact.
pub(super) fn attachment_note(w: &mut Xml, document: &Document, m: &Measures) -> XmlResult {
    let lines = document.attachment_note();
    if lines.is_empty() {
        return Ok(());
    }
    let s = m.style;
    paragraph(w, &Para::PLAIN, &[], s.body_size, m)?;
    let label = m.width("附件：");
    let several = lines.len() > 1;
    for (i, line) in lines.iter().enumerate() {
        let number = if several {
            m.width(&format!("{}.", i + 1))
        } else {
            0
        };
        let left = m.chars(2) + label + number;
        let hanging = if i == 0 { label + number } else { number };
        let para = Para {
            indent: Indent::Hanging {
                left,
                hanging,
                right: 0,
            },
            auto_space: false,
            ..Para::PLAIN
        };
        paragraph(w, &para, &[piece(line, &s.body_font)], s.body_size, m)?;
    }
    Ok(())
}

/// Each 附件 on a new page: `附件1` (or `附件` when there is one) in 黑体 flush left on the
/// first line, its title centred on the third, a blank line, then its text in the body's
/// format.
pub(super) fn attachments(w: &mut Xml, document: &Document, m: &Measures) -> XmlResult {
    let s = m.style;
    for (i, attachment) in document.attachments.iter().enumerate() {
        let label = document.attachment_label(i);
        let first = Para {
            page_break_before: true,
            jc: "left",
            ..Para::PLAIN
        };
        paragraph(
            w,
            &first,
            &[piece(&label, &s.heading1_font)],
            s.body_size,
            m,
        )?;
        paragraph(w, &Para::PLAIN, &[], s.body_size, m)?;
        title(w, &attachment.title, m)?;
        paragraph(w, &Para::PLAIN, &[], s.body_size, m)?;
        blocks(w, &attachment.blocks, m)?;
    }
    Ok(())
}

/// The 版记 at the foot of the last page, its last rule on the bottom edge of the text block:
/// a table anchored to the bottom of the text block, as wide as it, with full-width rules
/// only — 0.35 mm above and below, 0.25 mm between — and in 4号 仿宋 the 抄送 line (`抄送：`
/// one character in, a wrapped line aligned after the colon) and the 印发机关 (one character
/// in from the left) with the 印发日期 (one character in from the right).
///
/// Word anchors such a table to the bottom of the page's text block; LibreOffice (7.4) sets a
/// table as wide as the text block in the flow instead, so `make preview` shows the 版记
/// right under the text before it.
pub(super) fn imprint(
    w: &mut Xml,
    imprint: &Imprint,
    after_table: bool,
    m: &Measures,
) -> XmlResult {
    let s = m.style;
    // Two tables in a row would be joined into one.
    if after_table {
        paragraph(w, &Para::PLAIN, &[], s.body_size, m)?;
    }
    let one = twips(IMPRINT_SIZE);
    let width = TEXT_WIDTH.to_string();
    w.create_element("w:tbl").write_inner_content(|w| {
        // In the order of CT_TblPr: tblpPr, tblW, tblBorders, tblLayout, tblCellMar.
        w.create_element("w:tblPr").write_inner_content(|w| {
            empty(
                w,
                "w:tblpPr",
                &[
                    ("w:leftFromText", "0"),
                    ("w:rightFromText", "0"),
                    ("w:vertAnchor", "margin"),
                    ("w:horzAnchor", "margin"),
                    ("w:tblpXSpec", "center"),
                    ("w:tblpYSpec", "bottom"),
                ],
            )?;
            empty(w, "w:tblW", &[("w:w", &width), ("w:type", "dxa")])?;
            let (thick, thin) = (Some("8"), Some("6"));
            super::table_rules(w, [thick, None, thick, None, thin, None], "0")?;
            Ok(())
        })?;
        w.create_element("w:tblGrid")
            .write_inner_content(|w| empty(w, "w:gridCol", &[("w:w", &width)]))?;
        let row = |w: &mut Xml, content: &dyn Fn(&mut Xml) -> XmlResult| -> XmlResult {
            w.create_element("w:tr").write_inner_content(|w| {
                w.create_element("w:trPr")
                    .write_inner_content(|w| empty(w, "w:cantSplit", &[]))?;
                w.create_element("w:tc").write_inner_content(|w| {
                    w.create_element("w:tcPr").write_inner_content(|w| {
                        empty(w, "w:tcW", &[("w:w", &width), ("w:type", "dxa")])
                    })?;
                    content(w)
                })?;
                Ok(())
            })?;
            Ok(())
        };
        // 抄送 one character in on both sides (GB/T 9704-2012 7.4.2: 左右各空一字).
        if let Some(cc) = &imprint.cc {
            let label = 3 * (one + m.char_spacing);
            let para = Para {
                indent: Indent::Hanging {
                    left: one + label,
                    hanging: label,
                    right: one,
                },
                ..Para::PLAIN
            };
            row(w, &|w| {
                let pieces = [piece("抄送：", &s.body_font), piece(cc, &s.body_font)];
                paragraph(w, &para, &pieces, IMPRINT_SIZE, m)
            })?;
        }
        if imprint.printer.is_some() || imprint.print_date.is_some() {
            let tabs = [("left", one), ("right", TEXT_WIDTH - one)];
            let para = Para {
                tabs: &tabs,
                jc: "left",
                ..Para::PLAIN
            };
            row(w, &|w| {
                w.create_element("w:p").write_inner_content(|w| {
                    para.write(w, m)?;
                    for text in [&imprint.printer, &imprint.print_date] {
                        tab(w, m, IMPRINT_SIZE)?;
                        if let Some(text) = text {
                            text_run(w, &piece(text, &s.body_font), IMPRINT_SIZE, m)?;
                        }
                    }
                    Ok(())
                })?;
                Ok(())
            })?;
        }
        Ok(())
    })?;
    // A document may not end with a table: a paragraph one point high closes it.
    let closing = Para {
        snap_to_grid: false,
        line: Some(20),
        ..Para::PLAIN
    };
    paragraph(w, &closing, &[], 1.0, m)?;
    Ok(())
}
