//! How wide text is on the page, and where a long title breaks.
//!
//! Widths are in ems of the text's own size. The model is that of the government fonts with
//! Times New Roman for Latin: a Chinese character or full-width mark is one em, a printable
//! ASCII character as wide as Times New Roman draws it (a digit half an em, a point a
//! quarter, `M` 0.89), and Word and WPS put a quarter em between Chinese and a run of digits or
//! Latin letters (their automatic spacing, `autoSpaceDN`/`autoSpaceDE`).

/// Times New Roman's advance widths of the printable ASCII characters, `' '` to `'~'`, in
/// 2048ths of an em (those of Liberation Serif, made to the same metrics).
const TIMES: [u16; 95] = [
    512, 682, 836, 1024, 1024, 1706, 1593, 369, 682, 682, 1024, 1155, 512, 682, 512,
    569, // ' ' to '/'
    1024, 1024, 1024, 1024, 1024, 1024, 1024, 1024, 1024, 1024, 569, 569, 1155, 1155, 1155,
    909, // '0' to '?'
    1886, 1479, 1366, 1366, 1479, 1251, 1139, 1479, 1479, 682, 797, 1479, 1251, 1821, 1479,
    1479, // '@' to 'O'
    1139, 1479, 1366, 1139, 1251, 1479, 1479, 1933, 1479, 1479, 1251, 682, 569, 682, 961,
    1024, // 'P' to '_'
    682, 909, 1024, 909, 1024, 909, 682, 1024, 1024, 569, 569, 1024, 569, 1593, 1024,
    1024, // '`' to 'o'
    1024, 1024, 682, 797, 569, 1024, 1024, 1479, 1024, 1024, 909, 983, 410, 983,
    1108, // 'p' to '~'
];

/// The width of an ASCII character in ems: Times New Roman's; half an em for a control
/// character, which no output holds.
fn ascii_width(c: char) -> f64 {
    match (c as usize).checked_sub(0x20).and_then(|i| TIMES.get(i)) {
        Some(&units) => f64::from(units) / 2048.0,
        None => 0.5,
    }
}

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
        total += if c.is_ascii() { ascii_width(c) } else { 1.0 };
        if auto_spaced && previous.is_some_and(|p| auto_space(p, c)) {
            total += 0.25;
        }
        previous = Some(c);
    }
    total
}

/// The width in ems of the widest piece of `text` a line must not break: a line of Chinese
/// may break between any two Chinese characters, after a Chinese mark (`、`, `，`, `；`) or at a
/// space, never inside a number, a Latin word or a date written with digits (`1234567.5`,
/// `2022年10月25日`). A piece wider than [`LONGEST_UNBROKEN`] (a web address) is broken
/// anyway where it does not fit, and counts as that wide.
pub fn widest_unbroken(text: &str) -> f64 {
    let mut widest: f64 = 0.0;
    let mut start = 0;
    let mut previous: Option<char> = None;
    for (at, c) in text.char_indices() {
        let breaks = c == ' '
            || previous
                .is_some_and(|p| p == ' ' || (is_han(p) && is_han(c)) || BREAK_AFTER.contains(&p));
        if breaks {
            widest = widest.max(width(text[start..at].trim()));
            start = at;
        }
        previous = Some(c);
    }
    widest
        .max(width(text[start..].trim()))
        .min(LONGEST_UNBROKEN)
}

/// The Chinese marks after which a line may break: the pauses and stops, and closing brackets
/// and quotes (never an opening one, which stays with what follows it).
const BREAK_AFTER: [char; 14] = [
    '、', '，', '。', '；', '：', '！', '？', '）', '」', '』', '】', '》', '〉', '”',
];

/// The widest piece, in ems, kept whole on a line of a table's cell.
pub const LONGEST_UNBROKEN: f64 = 9.0;

/// Whether Word puts its automatic space between `a` and `b`: a Chinese character beside a
/// digit or Latin letter.
fn auto_space(a: char, b: char) -> bool {
    let latin = |c: char| c.is_ascii_alphanumeric();
    (is_han(a) && latin(b)) || (latin(a) && is_han(b))
}

fn is_han(c: char) -> bool {
    matches!(c, '\u{3400}'..='\u{9fff}' | '\u{f900}'..='\u{faff}' | '\u{20000}'..='\u{3134f}')
}

/// The lines a title is broken into so that none is wider than `capacity` ems, words stay
/// whole and the lines are as even as they can be (GB/T 9704-2012 7.3.1: a trapezoid or a
/// diamond, never a long line over a short remnant). A clerk breaks
/// `县教育体育局关于2022年意识形态工作情况的报告` after `2022年`: breaks beside `关于` and
/// after punctuation are preferred, a line never starts with `的` or a closing mark, and a
/// number keeps its unit. A title that fits stays one line; so does one with a word wider
/// than a line, or one too long to be a title, which Word then wraps.
pub fn title_lines(title: &str, capacity: f64) -> Vec<String> {
    if width(title) <= capacity {
        return vec![title.to_owned()];
    }
    let words = super::title_words::words(title);
    if words.len() > MAX_WORDS || words.iter().any(|w| width(w) > capacity) {
        return vec![title.to_owned()];
    }
    // Where a line may end: after word `i`, at a cost (0 for the best places). A name in
    // quotes or 书名号 (“我为群众办实事”, 《条例》) is broken only when nothing else fits.
    let mut depth = 0usize;
    let breaks: Vec<Option<f64>> = (0..words.len() - 1)
        .map(|i| {
            for c in words[i].chars() {
                match c {
                    '“' | '《' | '「' | '『' | '‘' | '〈' => depth += 1,
                    '”' | '》' | '」' | '』' | '’' | '〉' => {
                        depth = depth.saturating_sub(1)
                    }
                    _ => {}
                }
            }
            let inside = if depth > 0 { INSIDE_QUOTES } else { 0.0 };
            break_cost(words[i], words[i + 1]).map(|cost| cost + inside)
        })
        .collect();
    // The width of words[i..j], for every i < j.
    let n = words.len();
    let mut widths = vec![vec![0.0; n + 1]; n + 1];
    for (i, row) in widths.iter_mut().enumerate() {
        let mut line = String::new();
        for j in i + 1..=n {
            line.push_str(words[j - 1]);
            row[j] = width(&line);
        }
    }
    let fewest = (width(title) / capacity).ceil() as usize;
    for lines in fewest..=n {
        if let Some(ends) = most_even(&widths, &breaks, lines, capacity) {
            let mut start = 0;
            return ends
                .into_iter()
                .map(|end| {
                    let line = words[start..end].concat();
                    start = end;
                    line
                })
                .collect();
        }
    }
    vec![title.to_owned()]
}

/// A title of more words than this is not broken (it is not a title).
const MAX_WORDS: usize = 120;

/// What breaking inside quotes or 书名号 costs, in ems: more than any unevenness of a title's
/// lines, so it happens only where the name itself is wider than a line.
const INSIDE_QUOTES: f64 = 40.0;

/// What a break between two words costs, in ems of unevenness it is worth; `None` where a
/// line must not break.
fn break_cost(before: &str, after: &str) -> Option<f64> {
    let last = before.chars().last()?;
    let first = after.chars().next()?;
    let closing = "，。、；：？！）》」』”’〉】…—";
    let opening = "（《「『“‘〈【";
    if closing.contains(first) || opening.contains(last) || first == '的' {
        return None;
    }
    // A number and its unit (2022年, 3个) stay together.
    if last.is_ascii_alphanumeric() {
        return None;
    }
    Some(match (before, after) {
        ("关于", _) | (_, "关于") => 0.0,
        _ if "，、；：".contains(last) => 0.0,
        ("的", _) => 1.5,
        _ => 1.0,
    })
}

/// The most even way to put the words on exactly `lines` lines of at most `capacity` ems, by
/// dynamic programming over (words placed, lines used): each line costs how far its width is
/// from the mean, plus what its break costs. Returns the word index after each line.
fn most_even(
    widths: &[Vec<f64>],
    breaks: &[Option<f64>],
    lines: usize,
    capacity: f64,
) -> Option<Vec<usize>> {
    let n = widths.len() - 1;
    let mean = widths[0][n] / lines as f64;
    // best[l][j]: the least cost of putting words[..j] on l lines, and where line l started.
    let mut best = vec![vec![None::<(f64, usize)>; n + 1]; lines + 1];
    best[0][0] = Some((0.0, 0));
    for l in 1..=lines {
        for j in l..=n {
            for i in (l - 1)..j {
                if widths[i][j] > capacity {
                    continue;
                }
                let Some((before, _)) = best[l - 1][i] else {
                    continue;
                };
                let break_cost = match i {
                    0 => 0.0,
                    _ => match breaks[i - 1] {
                        Some(cost) => cost,
                        None => continue,
                    },
                };
                let cost = before + (widths[i][j] - mean).abs() + break_cost;
                if best[l][j].is_none_or(|(b, _)| cost < b) {
                    best[l][j] = Some((cost, i));
                }
            }
        }
    }
    best[lines][n]?;
    let mut ends = vec![n];
    let mut j = n;
    for l in (2..=lines).rev() {
        let (_, start) = best[l][j]?;
        ends.push(start);
        j = start;
    }
    ends.reverse();
    Some(ends)
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
    fn latin_text_is_as_wide_as_times_new_roman_draws_it() {
        // `1.` of a numbered attachment: a digit and a point, three quarters of an em.
        assert_eq!(width("1."), 0.75);
        // Capitals are wider than half an em, `i` and `l` narrower.
        assert_eq!(width("R&D"), (1366.0 + 1593.0 + 1479.0) / 2048.0);
        assert_eq!(width("il"), 2.0 * 569.0 / 2048.0);
        assert_eq!(width(" "), 0.25);
    }

    #[test]
    fn a_table_cell_breaks_between_chinese_characters_only() {
        assert_eq!(widest_unbroken("主题教育"), 1.0);
        assert_eq!(
            widest_unbroken("纪念 2022年10月25日 活动"),
            width("2022年10月25日")
        );
        assert_eq!(widest_unbroken("编号ABC-123"), width("号ABC-123"));
        // After a Chinese mark, as Word breaks a list; a web address counts as nine ems.
        assert_eq!(widest_unbroken("1、2、3、12"), width("3、"));
        // Not after an opening bracket: `（2023）` stays whole.
        assert_eq!(widest_unbroken("年度（2023）"), width("度（2023）"));
        assert_eq!(
            widest_unbroken("https://www.example.gov.cn/xxgk/2023/index.html"),
            LONGEST_UNBROKEN
        );
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
        assert_eq!(
            long.concat(),
            "中共某某县委宣传部关于2022年度落实意识形态工作责任制情况和下一步工作打算的报告"
        );
    }

    #[test]
    fn a_quoted_name_stays_on_one_line() {
        let lines = |t: &str| title_lines(t, 20.0);
        for title in [
            "县教育体育局关于开展“我为群众办实事”实践活动情况的报告",
            "县退役军人事务局关于贯彻落实《退役军人保障法》情况的报告",
        ] {
            let broken = lines(title);
            assert_eq!(broken.len(), 2, "{broken:?}");
            assert_eq!(broken.concat(), title);
            for line in &broken {
                let opened = line.matches(['“', '《']).count();
                let closed = line.matches(['”', '》']).count();
                assert_eq!(opened, closed, "{broken:?}");
            }
        }
        // A name wider than a line is broken inside, as it must be.
        let long = "关于“加强和改进新时代基层意识形态工作责任制落实情况专项检查”的报告";
        let broken = lines(long);
        assert!(broken.iter().all(|l| width(l) <= 20.0), "{broken:?}");
        assert_eq!(broken.concat(), long);
    }

    #[test]
    fn long_or_unbreakable_titles_are_handled() {
        // Hundreds of characters (trying every split would take hours): many even lines.
        let long = "关于进一步加强和改进新时代意识形态工作的实施意见".repeat(8);
        let lines = title_lines(&long, 20.0);
        assert!(lines.len() >= 10, "{lines:?}");
        assert_eq!(lines.concat(), long);
        assert!(lines.iter().all(|l| width(l) <= 20.0), "{lines:?}");
        assert!(lines.iter().all(|l| !l.starts_with('的')), "{lines:?}");
        // A word wider than a line: left to Word.
        let digits = format!("关于{}的报告", "1".repeat(60));
        assert_eq!(title_lines(&digits, 20.0), std::slice::from_ref(&digits));
    }
}
