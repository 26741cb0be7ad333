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
    /// The department folders of this run (every one, or those selected), sorted by name.
    pub departments: Vec<DeptIndex>,
    /// The names of every department folder of the year, sorted, selected or not (shared
    /// with the year's master tables, which name the departments they find no folder for).
    pub all: std::sync::Arc<Names>,
    /// The files directly under `data/<year>/`, sorted (lock files left out).
    pub files: Vec<PathBuf>,
}

/// A department of the index: its name, and why its folder cannot be used, if it cannot.
/// Its folder is listed when it is built ([`DeptIndex::listed`]).
#[derive(Debug, Clone)]
pub struct DeptIndex {
    /// The department's name: its folder's name, spaces around it trimmed.
    pub name: String,
    /// The folder's own name, where spaces around it make it differ from `name`.
    folder: Option<Box<str>>,
    /// Why the folder cannot be used (boxed: most departments have no problem).
    pub problem: Option<Box<Error>>,
}

/// A department with its folder listed: what reading its data starts from.
#[derive(Debug, Clone)]
pub struct Listed {
    pub name: String,
    pub dir: PathBuf,
    /// Its files, sorted (lock files left out); or why the folder cannot be used.
    pub files: std::result::Result<Vec<PathBuf>, Box<Error>>,
}

impl DeptIndex {
    /// Its folder under the year folder `year_dir`.
    pub fn dir(&self, year_dir: &Path) -> PathBuf {
        year_dir.join(self.folder.as_deref().unwrap_or(&self.name))
    }

    /// The department with its folder (under `year_dir`) listed.
    pub fn listed(&self, year_dir: &Path) -> Listed {
        let dir = self.dir(year_dir);
        let files = match &self.problem {
            Some(problem) => Err(problem.clone()),
            None => list(&dir)
                .map(|l| l.files.into_iter().filter(|p| !is_lock_file(p)).collect())
                .map_err(Box::new),
        };
        Listed {
            name: self.name.clone(),
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

    /// Whether `name` is one of them (they are sorted).
    pub fn contains(&self, name: &str) -> bool {
        let (mut low, mut high) = (0, self.len());
        while low < high {
            let middle = (low + high) / 2;
            match self.get(middle).cmp(name) {
                std::cmp::Ordering::Less => low = middle + 1,
                std::cmp::Ordering::Greater => high = middle,
                std::cmp::Ordering::Equal => return true,
            }
        }
        false
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
        let Listing { folders, files } = list(dir)?;
        let mut departments: Vec<DeptIndex> = folders
            .into_iter()
            .map(|folder| {
                let name = folder.trim();
                DeptIndex {
                    name: name.to_owned(),
                    folder: (name != folder).then(|| folder.into_boxed_str()),
                    problem: None,
                }
            })
            .collect();
        let own = |d: &DeptIndex| d.folder.as_deref().unwrap_or(&d.name).to_owned();
        departments.sort_by(|a, b| a.name.cmp(&b.name).then_with(|| own(a).cmp(&own(b))));
        // Two folders whose names differ only by spaces around them are one department: it
        // fails with both named rather than one silently writing over the other's reports.
        let mut unique: Vec<DeptIndex> = Vec::with_capacity(departments.len());
        for dept in departments {
            match unique.last_mut() {
                Some(last) if last.name == dept.name => {
                    last.problem = Some(Box::new(Error::Workspace(format!(
                        "单位“{}”有两个文件夹：{} 和 {}（名称只差前后的空格）。请合并成一个。",
                        dept.name,
                        last.dir(dir).display(),
                        dept.dir(dir).display()
                    ))));
                }
                _ => unique.push(dept),
            }
        }
        for dept in &mut unique {
            let folder = dept.folder.as_deref().unwrap_or(&dept.name);
            if dept.name.chars().any(char::is_control) {
                dept.problem = Some(Box::new(Error::Workspace(format!(
                    "单位文件夹“{}”的名称含有控制字符，它会被写进报告标题。请重命名这个文件夹。",
                    dept.name.replace(|c: char| c.is_control(), "�")
                ))));
            } else if let Some(problem) = crate::workspace::windows_name_problem(folder) {
                dept.problem = Some(Box::new(Error::Workspace(format!(
                    "单位文件夹 {} 的名称{problem}；它的报告在 Windows 上无法保存。请重命名这个文件夹。",
                    dept.dir(dir).display()
                ))));
            }
        }
        same_but_width(&mut unique);
        let mut all = Names::default();
        for dept in &unique {
            all.push(&dept.name);
        }
        Ok(YearIndex {
            year,
            dir: dir.to_path_buf(),
            departments: unique,
            all: std::sync::Arc::new(all),
            files: files.into_iter().filter(|p| !is_lock_file(p)).collect(),
        })
    }

    pub fn department(&self, name: &str) -> Option<&DeptIndex> {
        self.departments
            .binary_search_by(|d| d.name.as_str().cmp(name))
            .ok()
            .map(|i| &self.departments[i])
    }

    /// The departments of the run with their folders listed, in parallel.
    pub fn listed(&self) -> Vec<Listed> {
        self.departments
            .par_iter()
            .map(|dept| dept.listed(&self.dir))
            .collect()
    }

    /// Keeps only the named departments, their folders not listed: the batch lists each as
    /// it builds it ([`DeptIndex::listed`]), so a run does not hold every department's files
    /// to its end.
    pub fn select(&mut self, names: &[String]) {
        // A set, not a scan of `names` per department.
        let wanted: std::collections::HashSet<&str> = names.iter().map(String::as_str).collect();
        self.departments
            .retain(|d| wanted.contains(d.name.as_str()));
    }
}

/// Two folders whose names differ only in full- and half-width forms (`县局A`, `县局Ａ`) are one
/// department typed twice: both fail, named, rather than the county counting two. Only a name
/// that folding changes can be the same as another (two names folding changes neither of are
/// the same name), so only those are folded and looked up.
fn same_but_width(departments: &mut [DeptIndex]) {
    let folded = |name: &str| -> String {
        name.chars()
            .map(crate::sources::typing::fold_width)
            .collect()
    };
    let mut by_folded: std::collections::HashMap<String, Vec<usize>> =
        std::collections::HashMap::new();
    for (i, dept) in departments.iter().enumerate() {
        let same = folded(&dept.name);
        if same != dept.name {
            by_folded.entry(same).or_default().push(i);
        }
    }
    for (same, mut those) in by_folded {
        if let Ok(i) = departments.binary_search_by(|d| d.name.as_str().cmp(&same)) {
            those.push(i);
        }
        if those.len() < 2 {
            continue;
        }
        those.sort_unstable();
        let names: Vec<String> = those
            .iter()
            .map(|&i| format!("“{}”", departments[i].name))
            .collect();
        for &i in &those {
            departments[i].problem = Some(Box::new(Error::Workspace(format!(
                "单位文件夹{}的名称只有全角、半角字符之别，像是同一个单位：请合并成一个文件夹，或改成不同的名称。",
                names.join("和")
            ))));
        }
    }
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
