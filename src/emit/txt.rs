//! `.txt`: the title, one empty line, then one heading or paragraph per line, each ending
//! with a newline — the layout of the reference report. An addressee comes first under the
//! empty line; a signature and date follow the body after one more empty line. A table is one
//! line per row, the cells separated by tabs. The parts of a complete document, when a report
//! has them: the 版头's lines and an empty line before the title (the 发文字号 and the 签发人
//! on one line, separated by a tab, as are the 印发机关 and the 印发日期 of the 版记); the 附件说明 after an empty
//! line under the body; each 附件 (its label, its title, an empty line, its text) and the 版记
//! after the signature, each after an empty line.

use crate::document::{Block, Document};

pub fn write(document: &Document) -> String {
    let mut out = String::new();
    if let Some(head) = &document.head {
        for line in [&head.copy_number, &head.secrecy, &head.urgency]
            .into_iter()
            .flatten()
        {
            out.push_str(line);
            out.push('\n');
        }
        out.push_str(&head.issuer);
        out.push('\n');
        let signer = head.signer.as_ref().map(|s| format!("签发人：{s}"));
        let line = [head.number.clone(), signer]
            .into_iter()
            .flatten()
            .collect::<Vec<_>>()
            .join("\t");
        if !line.is_empty() {
            out.push_str(&line);
            out.push('\n');
        }
        out.push('\n');
    }
    out.push_str(&document.title);
    out.push_str("\n\n");
    if let Some(addressee) = &document.addressee {
        out.push_str(addressee);
        out.push('\n');
    }
    blocks(&mut out, &document.blocks);
    let attachment_note = document.attachment_note();
    if !attachment_note.is_empty() {
        out.push('\n');
        lines(&mut out, &attachment_note);
    }
    if document.signature.is_some() || document.date.is_some() || document.note.is_some() {
        out.push('\n');
        for line in [&document.signature, &document.date, &document.note]
            .into_iter()
            .flatten()
        {
            out.push_str(line);
            out.push('\n');
        }
    }
    for (i, attachment) in document.attachments.iter().enumerate() {
        out.push('\n');
        lines(
            &mut out,
            &[document.attachment_label(i), attachment.title.clone()],
        );
        out.push('\n');
        blocks(&mut out, &attachment.blocks);
    }
    if let Some(imprint) = &document.imprint {
        out.push('\n');
        if let Some(cc) = &imprint.cc {
            out.push_str(&format!("抄送：{cc}\n"));
        }
        let printed = [&imprint.printer, &imprint.print_date]
            .into_iter()
            .flatten()
            .cloned()
            .collect::<Vec<_>>()
            .join("\t");
        if !printed.is_empty() {
            out.push_str(&printed);
            out.push('\n');
        }
    }
    out
}

fn blocks(out: &mut String, blocks: &[Block]) {
    for block in blocks {
        out.push_str(&block.text());
        out.push('\n');
    }
}

fn lines(out: &mut String, lines: &[String]) {
    for line in lines {
        out.push_str(line);
        out.push('\n');
    }
}
