//! The index of one run: a year's departments and their files, listed once.
//!
//! Every folder is listed exactly once per run (`data/<year>/` for its departments and
//! master-table files, each selected department's folder for its files); nothing later lists
//! or tests the file system again, so the work of a run grows with the number of departments,
//! never with its square. What the index holds for each department is small (its name, and
//! its folder's own name only where that differs): a run of 10,000 departments indexes two
//! years of them and keeps both to its end.

use std::path::{Path, PathBuf};

use rayon::prelude::*;

use crate::diagnostics::{Error, Result};

/// One year's folder: its departments and the data files directly inside it (master tables).
#[derive(Debug, Clone)]
pub struct YearIndex {
    pub year: i32,
    pub dir: PathBuf,
    /// The names of every department folder of the year, sorted, selected or not (shared
    /// with the year's master tables, which name the departments they find no folder for).
    pub all: std::sync::Arc<Names>,
    /// The departments of this run (every one, or those selected): their places in `all`,
    /// in order.
    selected: Vec<u32>,
    /// What is out of the ordinary about some departments, by their place in `all`, sorted.
    odd: Vec<(u32, Odd)>,
    /// The files directly under `data/<year>/`, sorted (lock files left out).
    pub files: Vec<PathBuf>,
}

/// A department whose folder's own name differs from its name (spaces around it), or whose
/// folder cannot be used.
#[derive(Debug, Clone, Default)]
struct Odd {
    folder: Option<Box<str>>,
    /// Boxed: an index holds every department, and most have no problem.
    problem: Option<Box<Error>>,
}

impl Odd {
    /// Adds a problem to those already found.
    fn add(&mut self, problem: Error) {
        self.problem = Some(Box::new(match self.problem.take() {
            Some(before) => Error::join(vec![*before, problem]),
            None => problem,
        }));
    }
}

/// A character that takes no room and shows nothing (a zero-width space, a byte-order mark, a
/// direction mark, a soft hyphen), pasted in with a name from a web page or a document.
fn is_invisible(c: char) -> bool {
    matches!(c, '\u{00AD}' | '\u{200B}'..='\u{200F}' | '\u{202A}'..='\u{202E}' | '\u{2060}'..='\u{2064}' | '\u{2066}'..='\u{2069}' | '\u{FEFF}')
}

/// What a folder named with nothing but spaces is called wherever a department's name is shown
/// (progress, messages, 生成情况.txt, a county-wide report's list of those that did not
/// report): its own name would print as a blank.
pub const BLANK_NAME: &str = "（名称只有空白字符的文件夹）";

/// A department's name: its folder's, spaces around it trimmed; a folder named with nothing but
/// spaces is [`BLANK_NAME`], to be told as such.
fn name_of(folder: &str) -> &str {
    match folder.trim() {
        "" => BLANK_NAME,
        name => name,
    }
}

/// A department of the index: its name, and where to find what else the index knows of it.
/// Its folder is listed when it is built ([`DeptIndex::listed`]).
#[derive(Debug, Clone, Copy)]
pub struct DeptIndex<'a> {
    /// The department's name: its folder's name, spaces around it trimmed.
    pub name: &'a str,
    id: u32,
    index: &'a YearIndex,
}

/// A department with its folder listed: what reading its data starts from.
#[derive(Debug, Clone)]
pub struct Listed {
    pub name: String,
    pub dir: PathBuf,
    /// Its files, sorted (lock files left out); or why the folder cannot be used.
    pub files: std::result::Result<Vec<PathBuf>, Box<Error>>,
}

impl<'a> DeptIndex<'a> {
    fn odd(&self) -> Option<&'a Odd> {
        self.index.odd(self.id)
    }

    /// Its folder.
    pub fn dir(&self) -> PathBuf {
        let folder = self.odd().and_then(|odd| odd.folder.as_deref());
        self.index.dir.join(folder.unwrap_or(self.name))
    }

    /// Why its folder cannot be used, if it cannot.
    pub fn problem(&self) -> Option<&'a Error> {
        self.odd().and_then(|odd| odd.problem.as_deref())
    }

    /// The department with its folder listed.
    pub fn listed(&self) -> Listed {
        let dir = self.dir();
        let files = match self.problem() {
            Some(problem) => Err(Box::new(problem.clone())),
            None => list(&dir)
                .map(|l| l.files.into_iter().filter(|p| !is_lock_file(p)).collect())
                .map_err(Box::new),
        };
        Listed {
            name: self.name.to_owned(),
            dir,
            files,
        }
    }
}

/// A year's department names, sorted, in one string: a year of 10,000 departments holds
/// them in two allocations rather than 10,000.
#[derive(Debug, Default)]
pub struct Names {
    text: String,
    /// Where each name ends in `text`.
    ends: Vec<u32>,
}

impl Names {
    fn push(&mut self, name: &str) {
        self.text.push_str(name);
        self.ends
            .push(u32::try_from(self.text.len()).expect("names under 4 GB"));
    }

    pub fn len(&self) -> usize {
        self.ends.len()
    }

    pub fn is_empty(&self) -> bool {
        self.ends.is_empty()
    }

    pub fn get(&self, i: usize) -> &str {
        let start = i.checked_sub(1).map_or(0, |j| self.ends[j] as usize);
        &self.text[start..self.ends[i] as usize]
    }

    pub fn iter(&self) -> impl ExactSizeIterator<Item = &str> + '_ {
        (0..self.len()).map(|i| self.get(i))
    }

    /// Where `name` is among them (they are sorted).
    pub fn position(&self, name: &str) -> Option<usize> {
        let (mut low, mut high) = (0, self.len());
        while low < high {
            let middle = (low + high) / 2;
            match self.get(middle).cmp(name) {
                std::cmp::Ordering::Less => low = middle + 1,
                std::cmp::Ordering::Greater => high = middle,
                std::cmp::Ordering::Equal => return Some(middle),
            }
        }
        None
    }

    pub fn contains(&self, name: &str) -> bool {
        self.position(name).is_some()
    }
}

impl YearIndex {
    /// Lists `data/<year>/` once: department folders and the data files beside them.
    pub fn scan(dir: &Path, year: i32) -> Result<YearIndex> {
        if !dir.is_dir() {
            return Err(Error::Workspace(format!(
                "没有 {year} 年的数据：找不到文件夹 {}。",
                dir.display()
            )));
        }
        let Listing { mut folders, files } = list(dir)?;
        // By name, then by the folder's own name.
        folders.sort_by(|a, b| name_of(a).cmp(name_of(b)).then_with(|| a.cmp(b)));
        let mut all = Names::default();
        let mut odd: std::collections::BTreeMap<u32, Odd> = std::collections::BTreeMap::new();
        for group in folders.chunk_by(|a, b| name_of(a) == name_of(b)) {
            let folder = group[0].as_str();
            let name = name_of(folder);
            let id = all.len() as u32;
            all.push(name);
            if name != folder {
                odd.entry(id).or_default().folder = Some(folder.into());
            }
            let mut problems = Vec::new();
            // Folders whose names differ only by spaces around them are one department: it
            // fails with all of them named rather than one silently writing over the other's
            // reports.
            if let [first @ .., last] = group
                && !first.is_empty()
                && name != BLANK_NAME
            {
                let shown = |f: &String| dir.join(f).display().to_string();
                let count = match group.len() {
                    2 => "两".to_owned(),
                    n => format!(" {n} "),
                };
                let first: Vec<String> = first.iter().map(shown).collect();
                problems.push(format!(
                    "单位“{name}”有{count}个文件夹：{} 和 {}（名称只差前后的空格）。请合并成一个。",
                    first.join("、"),
                    shown(last)
                ));
            }
            if name == BLANK_NAME {
                problems.extend(group.iter().map(|folder| {
                    let spaces: Vec<String> = folder
                        .chars()
                        .map(|c| match c {
                            ' ' => "半角空格".to_owned(),
                            '\u{3000}' => "全角空格".to_owned(),
                            '\t' => "制表符".to_owned(),
                            c => format!("U+{:04X}", u32::from(c)),
                        })
                        .collect();
                    format!(
                        "{} 中有一个单位文件夹的名称只有空白字符（{}），没有单位名称。请把它改成单位的名称。",
                        dir.display(),
                        spaces.join("、")
                    )
                }));
            } else if name.chars().any(char::is_control) {
                problems.push(format!(
                    "单位文件夹“{}”的名称含有控制字符，它会被写进报告标题。请重命名这个文件夹。",
                    name.replace(|c: char| c.is_control(), "�")
                ));
            } else if let Some(c) = name.chars().find(|&c| is_invisible(c)) {
                problems.push(format!(
                    "单位文件夹“{}”的名称含有看不见的字符（U+{:04X}），报告标题里会多出它，与别处写的单位名称也对不上。请重命名这个文件夹。",
                    name.replace(is_invisible, ""),
                    u32::from(c)
                ));
            } else {
                // Each of the department's folders, should it have several.
                problems.extend(group.iter().filter_map(|folder| {
                    crate::workspace::windows_folder_problem("单位", &dir.join(folder))
                }));
            }
            for problem in problems {
                odd.entry(id).or_default().add(Error::Workspace(problem));
            }
        }
        drop(folders);
        for (id, problem) in same_but_width(&all) {
            odd.entry(id).or_default().add(problem);
        }
        Ok(YearIndex {
            year,
            dir: dir.to_path_buf(),
            selected: (0..all.len() as u32).collect(),
            all: std::sync::Arc::new(all),
            odd: odd.into_iter().collect(),
            files: files.into_iter().filter(|p| !is_lock_file(p)).collect(),
        })
    }

    fn odd(&self, id: u32) -> Option<&Odd> {
        self.odd
            .binary_search_by_key(&id, |(i, _)| *i)
            .ok()
            .map(|i| &self.odd[i].1)
    }

    fn view(&self, id: u32) -> DeptIndex<'_> {
        DeptIndex {
            name: self.all.get(id as usize),
            id,
            index: self,
        }
    }

    /// The departments of this run, in order.
    pub fn departments(&self) -> impl ExactSizeIterator<Item = DeptIndex<'_>> + Clone + '_ {
        self.selected.iter().map(|&id| self.view(id))
    }

    /// The departments of this run, `size` at a time.
    pub fn chunks(&self, size: usize) -> impl Iterator<Item = Vec<DeptIndex<'_>>> + '_ {
        self.selected
            .chunks(size)
            .map(|ids| ids.iter().map(|&id| self.view(id)).collect())
    }

    /// The department of this run named `name`.
    pub fn department(&self, name: &str) -> Option<DeptIndex<'_>> {
        let id = self.all.position(name)? as u32;
        self.selected.binary_search(&id).ok()?;
        Some(self.view(id))
    }

    /// The departments of this run with their folders listed, in parallel.
    pub fn listed(&self) -> Vec<Listed> {
        self.selected
            .par_iter()
            .map(|&id| self.view(id).listed())
            .collect()
    }

    /// Keeps only the named departments, their folders not listed: the batch lists each as
    /// it builds it ([`DeptIndex::listed`]), so a run does not hold every department's files
    /// to its end.
    pub fn select(&mut self, names: &[String]) {
        let mut ids: Vec<u32> = names
            .iter()
            .filter_map(|name| self.all.position(name))
            .map(|id| id as u32)
            .collect();
        ids.sort_unstable();
        ids.dedup();
        self.selected = ids;
    }
}

/// Two folders whose names differ only in full- and half-width forms (`县局A`, `县局Ａ`) are one
/// department typed twice: both fail, named, rather than the county counting two. Only a name
/// that folding changes can be the same as another (two names folding changes neither of are
/// the same name), so only those are folded and looked up.
fn same_but_width(all: &Names) -> Vec<(u32, Error)> {
    let folded = |name: &str| -> String {
        name.chars()
            .map(crate::sources::typing::fold_width)
            .collect()
    };
    let mut by_folded: std::collections::BTreeMap<String, Vec<u32>> =
        std::collections::BTreeMap::new();
    for (i, name) in all.iter().enumerate() {
        let same = folded(name);
        if same != name {
            by_folded.entry(same).or_default().push(i as u32);
        }
    }
    let mut problems = Vec::new();
    for (same, mut those) in by_folded {
        if let Some(i) = all.position(&same) {
            those.push(i as u32);
        }
        if those.len() < 2 {
            continue;
        }
        those.sort_unstable();
        let names: Vec<String> = those
            .iter()
            .map(|&i| format!("“{}”", all.get(i as usize)))
            .collect();
        for &i in &those {
            problems.push((
                i,
                Error::Workspace(format!(
                    "单位文件夹{}的名称只有全角、半角字符之别，像是同一个单位：请合并成一个文件夹，或改成不同的名称。",
                    names.join("和")
                )),
            ));
        }
    }
    problems
}

/// A folder's entries: the names of its subfolders, and its files.
pub struct Listing {
    pub folders: Vec<String>,
    pub files: Vec<PathBuf>,
}

/// The subfolders and files of `dir`, each sorted, hidden entries left out. Uses the directory
/// entries' own types, so no file is looked at twice.
pub fn list(dir: &Path) -> Result<Listing> {
    let entries = std::fs::read_dir(dir).map_err(|e| Error::read(dir, e))?;
    let mut folders = Vec::new();
    let mut files = Vec::new();
    for entry in entries.filter_map(|e| e.ok()) {
        let name = entry.file_name().to_string_lossy().into_owned();
        if name.starts_with('.') {
            continue;
        }
        let Ok(mut kind) = entry.file_type() else {
            continue;
        };
        if kind.is_symlink() {
            match std::fs::metadata(entry.path()) {
                Ok(meta) => kind = meta.file_type(),
                Err(_) => continue,
            }
        }
        if kind.is_dir() {
            folders.push(name);
        } else if kind.is_file() {
            files.push(entry.path());
        }
    }
    folders.sort();
    files.sort();
    Ok(Listing { folders, files })
}

/// Excel's lock file (`~$….xlsx`, beside an open workbook) or macOS's `._….xlsx` from a USB
/// stick: neither is data.
pub fn is_lock_file(path: &Path) -> bool {
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy())
        .unwrap_or_default();
    name.starts_with("~$") || name.starts_with("._")
}

#[cfg(test)]
mod tests {
    use super::YearIndex;

    #[test]
    fn departments_are_found_by_name_and_a_selection_keeps_only_those_named() {
        let dir = tempfile::tempdir().unwrap();
        for name in ["县乙局", " 县甲局 ", "县丙局", "县丁局"] {
            std::fs::create_dir(dir.path().join(name)).unwrap();
        }
        let mut index = YearIndex::scan(dir.path(), 2022).unwrap();
        let names: Vec<&str> = index.all.iter().collect();
        assert_eq!(names, ["县丁局", "县丙局", "县乙局", "县甲局"]);
        for (i, name) in names.iter().enumerate() {
            assert_eq!(index.all.position(name), Some(i));
        }
        assert_eq!(index.all.position("县戊局"), None);
        assert_eq!(index.all.position(""), None);
        // The folder of a name with spaces around it is the folder's own name.
        let jia = index.department("县甲局").unwrap();
        assert_eq!(jia.dir(), dir.path().join(" 县甲局 "));
        assert_eq!(
            index.department("县乙局").unwrap().dir(),
            dir.path().join("县乙局")
        );
        index.select(&[
            "县甲局".into(),
            "县丁局".into(),
            "县戊局".into(),
            "县丁局".into(),
        ]);
        let selected: Vec<&str> = index.departments().map(|d| d.name).collect();
        assert_eq!(selected, ["县丁局", "县甲局"]);
        assert!(index.department("县乙局").is_none());
        assert_eq!(index.all.len(), 4, "every name stays known");
    }

    #[test]
    fn a_department_with_several_problems_is_told_all_of_them() {
        let dir = tempfile::tempdir().unwrap();
        for name in [
            "县局A",
            " 县局A",
            "县局Ａ",
            "\u{3000}",
            "CON",
            " CON",
            "县局B",
            "县局B ",
            "县局\u{200B}C",
        ] {
            std::fs::create_dir(dir.path().join(name)).unwrap();
        }
        let index = YearIndex::scan(dir.path(), 2022).unwrap();
        let problem = index
            .department("县局A")
            .unwrap()
            .problem()
            .unwrap()
            .to_string();
        assert!(problem.contains("有两个文件夹"), "{problem}");
        assert!(problem.contains("只有全角、半角字符之别"), "{problem}");
        let other = index
            .department("县局Ａ")
            .unwrap()
            .problem()
            .unwrap()
            .to_string();
        assert!(other.contains("只有全角、半角字符之别"), "{other}");
        let blank = index
            .department(super::BLANK_NAME)
            .unwrap()
            .problem()
            .unwrap()
            .to_string();
        assert!(blank.contains("只有空白字符（全角空格）"), "{blank}");
        assert!(!blank.contains("Windows"), "{blank}");
        let zero = index
            .department("县局\u{200B}C")
            .unwrap()
            .problem()
            .unwrap()
            .to_string();
        assert!(
            zero.contains("“县局C”的名称含有看不见的字符（U+200B）"),
            "{zero}"
        );
        // Each folder of a department with several is looked at.
        let con = index
            .department("CON")
            .unwrap()
            .problem()
            .unwrap()
            .to_string();
        assert!(
            con.contains("有两个文件夹") && con.contains("Windows"),
            "{con}"
        );
        let b = index
            .department("县局B")
            .unwrap()
            .problem()
            .unwrap()
            .to_string();
        assert!(b.contains("有两个文件夹") && b.contains("空格结尾"), "{b}");
    }
}
