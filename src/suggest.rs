//! "Did you mean": the closest of the names that exist, for messages about one that does not.

/// The candidate closest to `name` by edit distance over characters (a Chinese name differs by
/// a character or two: `县人力资源社会保障局` / `县人力资源和社会保障局`), when it is close enough
/// to be a likely typo; none otherwise.
pub fn closest<'a>(name: &str, candidates: &[&'a str]) -> Option<&'a str> {
    best(name, candidates, 0.5)
}

/// The candidate that differs from `name` by so little (a character in four) that it is
/// almost surely `name` mistyped: `参与人次` for `参与人数`, not `参加人员`. Stricter than
/// [`closest`], for where a match turns a silence into an error rather than a hint.
pub fn mistyped<'a>(name: &str, candidates: &[&'a str]) -> Option<&'a str> {
    best(name, candidates, 0.7)
}

/// The candidate most like `name`, scoring at least `least` (1 is the same).
fn best<'a>(name: &str, candidates: &[&'a str], least: f64) -> Option<&'a str> {
    let name = name.trim();
    candidates
        .iter()
        .copied()
        .filter(|c| *c != name)
        .map(|c| (strsim::normalized_damerau_levenshtein(name, c), c))
        .filter(|(score, _)| *score >= least)
        // The best score; on a tie, the first in the caller's (sorted) order.
        .fold(None, |best: Option<(f64, &str)>, (score, c)| match best {
            Some((b, _)) if b >= score => best,
            _ => Some((score, c)),
        })
        .map(|(_, c)| c)
}

/// `是否写成了“…”？` for the closest candidate, or none.
pub fn did_you_mean(name: &str, candidates: &[&str]) -> Option<String> {
    closest(name, candidates).map(|c| format!("是否写成了“{c}”？"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_mistyped_name_is_one_character_in_four_off() {
        assert_eq!(
            mistyped("参与人数", &["参加人员", "参与人次"]),
            Some("参与人次")
        );
        assert_eq!(mistyped("参与人数", &["参加人员", "备注"]), None);
        assert_eq!(mistyped("备注", &["备考"]), None);
    }

    #[test]
    fn finds_a_department_one_character_off() {
        let names = ["县教育体育局", "县人力资源和社会保障局", "县退役军人事务局"];
        assert_eq!(
            closest("县人力资源社会保障局", &names),
            Some("县人力资源和社会保障局")
        );
        assert_eq!(closest("统 计", &["统计", "活动清单"]), Some("统计"));
    }

    #[test]
    fn names_nothing_when_nothing_is_close() {
        assert_eq!(closest("县财政局", &["活动清单", "工作要点"]), None);
        assert_eq!(closest("甲", &[]), None);
    }
}
