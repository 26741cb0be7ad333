//! The words of a title, as jieba cuts them with its whole dictionary, without loading that
//! dictionary into jieba.
//!
//! jieba (without its HMM) picks, among the ways to cut a text into dictionary words, the one
//! whose words' frequencies give the highest product of `freq / total`; a word can only take
//! part if it occurs in the text. So a jieba holding just the dictionary's words found in the
//! title, and a placeholder that carries the rest of the total, cuts the title exactly as the
//! whole dictionary does — the tests check this against jieba's own. Finding them costs about
//! 0.08 ms a title: a piece of the title is looked up only while some word starts with it.
//! Loading the whole dictionary into jieba took 0.12 s and about 45 MiB in every run that
//! wrote a .docx; the sorted dictionary below is searched where it lies in the program, with
//! nothing to load.

/// jieba's dictionary (`dict.txt` of the jieba-rs crate, MIT licence): `word freq tag` lines
/// sorted by word in byte order. Written by `scripts/title-dictionary.sh`.
static DICTIONARY: &str = include_str!("title_dictionary.txt");

/// The sum of the dictionary's frequencies: jieba's total (checked by a test).
const TOTAL: u64 = 60_101_964;

/// The longest word of the dictionary, in bytes (checked by a test).
const LONGEST: usize = 48;

/// Carries the frequencies of the words a title does not contain: a private-use character,
/// which jieba never takes into a word of a title.
const REST: char = '\u{e000}';

/// The dictionary's line for `word` (without its newline), if it is a word, and whether
/// some longer word starts with it.
fn find(word: &str) -> (Option<&'static str>, bool) {
    let mut lines = DICTIONARY[first_not_below(word)..].lines();
    let starts_with = |line: &str| line.as_bytes().starts_with(word.as_bytes());
    match lines.next() {
        Some(line) if line.split(' ').next() == Some(word) => {
            (Some(line), lines.next().is_some_and(starts_with))
        }
        Some(line) => (None, starts_with(line)),
        None => (None, false),
    }
}

/// Where the first line whose word is not below `word` starts (the text's end if none): a
/// binary search over the text, each probe widened to the line it falls in.
fn first_not_below(word: &str) -> usize {
    let text = DICTIONARY.as_bytes();
    let (mut low, mut high) = (0, text.len());
    while low < high {
        let middle = (low + high) / 2;
        let start = text[..middle]
            .iter()
            .rposition(|&b| b == b'\n')
            .map_or(0, |i| i + 1);
        let end = text[middle..]
            .iter()
            .position(|&b| b == b'\n')
            .map_or(text.len(), |i| middle + i);
        let entry = DICTIONARY[start..end].split(' ').next().unwrap_or_default();
        if entry.as_bytes() < word.as_bytes() {
            low = end + 1;
        } else {
            high = start;
        }
    }
    low.min(text.len())
}

/// The dictionary's lines of the words occurring in `text`.
fn words_in(text: &str) -> Vec<&'static str> {
    let starts: Vec<usize> = text.char_indices().map(|(i, _)| i).collect();
    let mut found: Vec<&str> = Vec::new();
    for (n, &from) in starts.iter().enumerate() {
        let ends = starts[n + 1..]
            .iter()
            .copied()
            .chain(std::iter::once(text.len()))
            .take_while(|&to| to - from <= LONGEST);
        // Longer and longer pieces from here, until no word starts with the piece.
        for to in ends {
            let (line, longer) = find(&text[from..to]);
            found.extend(line);
            if !longer {
                break;
            }
        }
    }
    found
}

/// A jieba that knows the words occurring in `text`, with their frequencies and tags, and the
/// whole dictionary's total.
fn for_text(text: &str) -> jieba_rs::Jieba {
    let mut found = words_in(text);
    found.sort_unstable();
    found.dedup();
    let mut known: u64 = 0;
    let mut lines = String::new();
    for line in found {
        known += frequency(line);
        lines.push_str(line);
        lines.push('\n');
    }
    lines.push_str(&format!("{REST} {} x\n", TOTAL.saturating_sub(known)));
    jieba_rs::Jieba::with_dict(&mut lines.as_bytes())
        .expect("lines taken from the dictionary built into the program")
}

/// A dictionary line's frequency.
fn frequency(line: &str) -> u64 {
    line.split(' ')
        .nth(1)
        .and_then(|f| f.parse().ok())
        .unwrap_or(0)
}

/// The words of `text`, cut as jieba's whole dictionary cuts it (without the HMM).
pub fn words(text: &str) -> Vec<&str> {
    for_text(text)
        .cut(text, false)
        .into_iter()
        .map(|token| token.word)
        .collect()
}

#[cfg(test)]
mod tests {
    use std::sync::LazyLock;

    use super::*;

    /// jieba with its whole dictionary, as it comes (a dev-dependency feature).
    fn whole() -> &'static jieba_rs::Jieba {
        static WHOLE: LazyLock<jieba_rs::Jieba> = LazyLock::new(jieba_rs::Jieba::new);
        &WHOLE
    }

    #[test]
    fn titles_are_cut_as_with_the_whole_dictionary() {
        let departments = [
            "县交通运输局",
            "县人力资源和社会保障局",
            "县住房和城乡建设局",
            "县退役军人事务局",
            "县文化广电旅游局",
            "县城市管理综合行政执法局",
            "中共某某县委宣传部",
            "县纪委监委",
            "团县委",
            "某某镇人民政府",
            "县融媒体中心",
            "县市场监督管理局",
        ];
        let topics = [
            "意识形态工作情况的报告",
            "主要工作数据简报",
            "安全生产工作总结",
            "党风廉政建设工作情况的报告",
            "全面从严治党主体责任落实情况的报告",
            "落实意识形态工作责任制情况和下一步工作打算的报告",
            "政务公开工作年度报告",
            "优抚安置工作情况汇报",
            "工作总结和下一年工作计划",
        ];
        let mut titles = vec![
            "全县2022年意识形态工作情况综合报告".to_owned(),
            "关于进一步加强和改进新时代意识形态工作的实施意见".repeat(3),
            "关于“我为群众办实事”实践活动的报告（2022年第3期）".to_owned(),
            "ABC公司2022年度Q3工作报告".to_owned(),
        ];
        for department in departments {
            for topic in topics {
                titles.push(format!("{department}关于2022年{topic}"));
                titles.push(format!("{department}2023年度{topic}"));
            }
        }
        for title in &titles {
            let expected: Vec<&str> = whole()
                .cut(title, false)
                .into_iter()
                .map(|t| t.word)
                .collect();
            assert_eq!(words(title), expected, "{title}");
        }
    }

    #[test]
    fn the_dictionary_is_sorted_and_whole() {
        let lines: Vec<&str> = DICTIONARY.lines().collect();
        assert_eq!(lines.len(), 349_045);
        let words: Vec<&str> = lines.iter().map(|l| l.split(' ').next().unwrap()).collect();
        assert!(
            words.windows(2).all(|w| w[0].as_bytes() < w[1].as_bytes()),
            "the lines are not in byte order of their words"
        );
        assert_eq!(lines.iter().map(|l| frequency(l)).sum::<u64>(), TOTAL);
        assert_eq!(words.iter().map(|w| w.len()).max(), Some(LONGEST));
        // Every word is found, and nothing else; a piece that starts longer words says so.
        assert!(words.iter().zip(&lines).all(|(w, l)| find(w).0 == Some(*l)));
        assert_eq!(find("意识形态"), (Some("意识形态 497 l"), true));
        assert_eq!(find("意识形态工作情况"), (None, false));
        assert_eq!(find("识形"), (None, false));
        assert_eq!(find("\u{10ffff}"), (None, false));
    }
}
