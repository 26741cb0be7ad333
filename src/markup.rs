//! The light markup section templates write: CommonMark headings, paragraphs and `**bold**`.
//!
//! Values from the data are escaped before they enter the markup, so the text of a cell can
//! never become markup: `**县` and `***` in a cell come out literally.

/// Escapes text for the markup: every ASCII punctuation character gets a backslash, which
/// CommonMark always reads as the literal character. Line breaks inside a value join the
/// lines (Chinese text has no spaces between them), so a cell cannot start a new block.
pub fn escape(text: &str) -> String {
    let joined;
    let text = if text.contains('\n') {
        joined = text.lines().map(str::trim).collect::<String>();
        joined.as_str()
    } else {
        text
    };
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        if c.is_ascii_punctuation() {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_markup_and_joins_lines() {
        assert_eq!(escape("**县"), "\\*\\*县");
        assert_eq!(escape("# 标题\n\n1. 项"), "\\# 标题1\\. 项");
        assert_eq!(escape("能力，\u{2002}有力"), "能力，\u{2002}有力");
    }
}
