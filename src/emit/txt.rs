//! `.txt`: the title, one empty line, then one heading or paragraph per line, each ending
//! with a newline — the layout of the reference report.

use crate::document::Document;

pub fn write(document: &Document) -> String {
    let mut out = String::new();
    out.push_str(&document.title);
    out.push_str("\n\n");
    for block in &document.blocks {
        out.push_str(&block.text());
        out.push('\n');
    }
    out
}
