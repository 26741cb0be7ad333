//! How wide text is on the page, and where a long title breaks.
//!
//! Widths are in ems of the text's own size. The model is that of the government fonts with
//! Times New Roman for Latin: a Chinese character or full-width mark is one em, a digit or
//! Latin letter half of one, and Word and WPS put a quarter em between Chinese and a run of
//! digits or Latin letters (their automatic spacing, `autoSpaceDN`/`autoSpaceDE`).

use std::sync::LazyLock;

/// The width of `text` in ems, without character spacing, with Word's automatic space.
pub fn width(text: &str) -> f64 {
    width_spaced(text, true)
}

/// The width of `text` in ems, with or without the automatic space between Chinese and
/// digits.
pub fn width_spaced(text: &str, auto_spaced: bool) -> f64 {
    let mut total = 0.0;
    let mut previous: Option<char> = None;
    for c in text.chars() {
        total += if c.is_ascii() {
            if c == ' ' { 0.25 } else { 0.5 }
        } else {
            1.0
        };
        if auto_spaced && previous.is_some_and(|p| auto_space(p, c)) {
            total += 0.25;
        }
        previous = Some(c);
    }
    total
}

/// Whether Word puts its automatic space between `a` and `b`: a Chinese character beside a
/// digit or Latin letter.
fn auto_space(a: char, b: char) -> bool {
    let latin = |c: char| c.is_ascii_alphanumeric();
    (is_han(a) && latin(b)) || (latin(a) && is_han(b))
}

fn is_han(c: char) -> bool {
    matches!(c, '\u{3400}'..='\u{9fff}' | '\u{f900}'..='\u{faff}' | '\u{20000}'..='\u{3134f}')
}

/// The dictionary of Chinese words, loaded the first time a title is too long for one line.
static WORDS: LazyLock<jieba_rs::Jieba> = LazyLock::new(jieba_rs::Jieba::new);

/// The lines a title is broken into so that none is wider than `capacity` ems, words stay
/// whole and the lines are as even as they can be (GB/T 9704-2012 7.3.1: a trapezoid or a
/// diamond, never a long line over a short remnant). A clerk breaks
/// `县教育体育局关于2022年意识形态工作情况的报告` after `2022年`: breaks beside `关于` and
/// after punctuation are preferred, a line never starts with `的` or a closing mark, and a
/// number keeps its unit. A title that fits stays one line.
pub fn title_lines(title: &str, capacity: f64) -> Vec<String> {
    if width(title) <= capacity {
        return vec![title.to_owned()];
    }
    let words: Vec<&str> = WORDS.cut(title, false).iter().map(|t| t.word).collect();
    // Where a line may end: after word `i`, at a cost (0 for the best places).
    let breaks: Vec<Option<f64>> = (0..words.len().saturating_sub(1))
        .map(|i| break_cost(words[i], words[i + 1]))
        .collect();
    let fewest = (width(title) / capacity).ceil() as usize;
    for lines in fewest..=words.len() {
        if let Some(best) = best_split(&words, &breaks, lines, capacity) {
            return best;
        }
    }
    // A single word wider than a line: Word will wrap it; nothing better can be done here.
    vec![title.to_owned()]
}

/// What a break between two words costs, in ems of unevenness it is worth; `None` where a
/// line must not break.
fn break_cost(before: &str, after: &str) -> Option<f64> {
    let last = before.chars().last()?;
    let first = after.chars().next()?;
    let closing = "，。、；：？！）》」』”’〉】…—";
    let opening = "（《「『“‘〈【";
    if closing.contains(first) || opening.contains(last) {
        return None;
    }
    // A number and its unit (2022年, 3个) stay together.
    if last.is_ascii_alphanumeric() {
        return None;
    }
    Some(match (before, after) {
        ("关于", _) | (_, "关于") => 0.0,
        _ if "，、；：".contains(last) => 0.0,
        (_, "的") => 4.0,
        ("的", _) => 1.5,
        _ => 1.0,
    })
}

/// The most even way to put `words` on exactly `lines` lines of at most `capacity` ems.
fn best_split(
    words: &[&str],
    breaks: &[Option<f64>],
    lines: usize,
    capacity: f64,
) -> Option<Vec<String>> {
    let mut best: Option<(f64, Vec<usize>)> = None;
    let mut ends = Vec::new();
    search(words, breaks, lines, capacity, 0, &mut ends, &mut best);
    let (_, ends) = best?;
    let mut result = Vec::new();
    let mut start = 0;
    for end in ends {
        result.push(words[start..end].concat());
        start = end;
    }
    Some(result)
}

/// Tries every way to end the remaining lines, starting at word `start`; `ends` holds the
/// word index after each line so far.
fn search(
    words: &[&str],
    breaks: &[Option<f64>],
    lines: usize,
    capacity: f64,
    start: usize,
    ends: &mut Vec<usize>,
    best: &mut Option<(f64, Vec<usize>)>,
) {
    if ends.len() + 1 == lines {
        if width(&words[start..].concat()) <= capacity {
            ends.push(words.len());
            let cost = shape_cost(words, ends, breaks);
            if best.as_ref().is_none_or(|(b, _)| cost < *b) {
                *best = Some((cost, ends.clone()));
            }
            ends.pop();
        }
        return;
    }
    for end in start + 1..words.len() {
        if width(&words[start..end].concat()) > capacity {
            break;
        }
        if breaks[end - 1].is_none() {
            continue;
        }
        ends.push(end);
        search(words, breaks, lines, capacity, end, ends, best);
        ends.pop();
    }
}

/// How far the lines are from even, plus what their breaks cost; an hourglass (a middle line
/// shorter than both its neighbours) is neither a trapezoid nor a diamond.
fn shape_cost(words: &[&str], ends: &[usize], breaks: &[Option<f64>]) -> f64 {
    let mut widths = Vec::new();
    let mut start = 0;
    for &end in ends {
        widths.push(width(&words[start..end].concat()));
        start = end;
    }
    let mean = widths.iter().sum::<f64>() / widths.len() as f64;
    let unevenness: f64 = widths.iter().map(|w| (w - mean).abs()).sum();
    let breaks: f64 = ends[..ends.len() - 1]
        .iter()
        .map(|&end| breaks[end - 1].unwrap_or(0.0))
        .sum();
    let hourglass = widths.windows(3).any(|w| w[1] < w[0] && w[1] < w[2]);
    unevenness + breaks + if hourglass { 4.0 } else { 0.0 }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn digits_are_half_an_em_with_a_quarter_beside_chinese() {
        assert_eq!(width("县退役军人事务局"), 8.0);
        // 8 digits, 3 Chinese characters, 5 boundaries between them.
        assert_eq!(width("2022年12月30日"), 8.0 * 0.5 + 3.0 + 5.0 * 0.25);
    }

    #[test]
    fn titles_break_where_a_clerk_breaks_them() {
        let lines = |t: &str| title_lines(t, 20.0);
        assert_eq!(
            lines("县教育体育局关于2022年意识形态工作情况的报告"),
            ["县教育体育局关于2022年", "意识形态工作情况的报告"]
        );
        assert_eq!(
            lines("县退役军人事务局关于2022年意识形态工作情况的报告"),
            ["县退役军人事务局关于2022年", "意识形态工作情况的报告"]
        );
        assert_eq!(
            lines("县退役军人事务局2022年主要工作数据简报"),
            ["县退役军人事务局2022年主要工作数据简报"]
        );
        let long =
            lines("中共某某县委宣传部关于2022年度落实意识形态工作责任制情况和下一步工作打算的报告");
        assert_eq!(long.len(), 3, "{long:?}");
        assert!(long.iter().all(|l| width(l) <= 20.0), "{long:?}");
        assert!(long.iter().all(|l| !l.starts_with('的')), "{long:?}");
    }
}
