//! The light markup section templates write: CommonMark headings, paragraphs and `**bold**`.
//!
//! Values from the data are escaped before they enter the markup, so the text of a cell can
//! never become markup: `**县` and `***` in a cell come out literally.

/// Escapes text for the markup: every ASCII punctuation character gets a backslash, which
/// CommonMark always reads as the literal character, so a cell can never become markup. A line
/// break left in a value (a column with `lines = "paragraphs"`) starts a new paragraph; lines
/// are trimmed, so no line can become an indented code block.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 8);
    for (i, line) in text.lines().enumerate() {
        if i > 0 {
            out.push_str("\n\n");
        }
        let line = if text.contains('\n') {
            line.trim()
        } else {
            line
        };
        for c in line.chars() {
            if c.is_ascii_punctuation() {
                out.push('\\');
            }
            out.push(c);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_markup_and_breaks_paragraphs_at_line_breaks() {
        assert_eq!(escape("**县"), "\\*\\*县");
        assert_eq!(escape("# 标题\n 1. 项"), "\\# 标题\n\n1\\. 项");
        assert_eq!(escape("能力，\u{2002}有力"), "能力，\u{2002}有力");
    }
}
