//! `.txt`: the title, one empty line, then one heading or paragraph per line, each ending
//! with a newline — the layout of the reference report. An addressee comes first under the
//! empty line; a signature and date follow the body after one more empty line.

use crate::document::Document;

pub fn write(document: &Document) -> String {
    let mut out = String::new();
    out.push_str(&document.title);
    out.push_str("\n\n");
    if let Some(addressee) = &document.addressee {
        out.push_str(addressee);
        out.push('\n');
    }
    for block in &document.blocks {
        out.push_str(&block.text());
        out.push('\n');
    }
    if document.signature.is_some() || document.date.is_some() {
        out.push('\n');
        for line in [&document.signature, &document.date].into_iter().flatten() {
            out.push_str(line);
            out.push('\n');
        }
    }
    out
}
