//! The index of one run: a year's departments and their files, listed once.
//!
//! Every folder is listed exactly once per run (`data/<year>/` for its departments and
//! master-table files, each selected department's folder for its files); nothing later lists
//! or tests the file system again, so the work of a run grows with the number of departments,
//! never with its square.

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
    pub all: std::sync::Arc<[String]>,
    /// The files directly under `data/<year>/`, sorted (lock files left out).
    pub files: Vec<PathBuf>,
}

/// One department's folder and the data files in it.
#[derive(Debug, Clone)]
pub struct DeptIndex {
    /// The department's name: its folder's name, spaces around it trimmed.
    pub name: String,
    pub dir: PathBuf,
    /// Its files, sorted (lock files left out), once listed; or why the folder cannot be
    /// (boxed: an index holds every department, and most have no error).
    pub files: std::result::Result<Vec<PathBuf>, Box<Error>>,
    /// Whether `files` holds the folder's listing yet ([`YearIndex::list_files`] or
    /// [`DeptIndex::listed`]); last year's folders are listed only when a report reads them.
    pub listed: bool,
}

impl DeptIndex {
    /// The index entry with its folder listed (once; a listed entry is returned as it is).
    pub fn listed(&self) -> DeptIndex {
        let mut dept = self.clone();
        dept.list();
        dept
    }

    fn list(&mut self) {
        if !self.listed {
            self.files = list(&self.dir)
                .map(|l| l.files.into_iter().filter(|p| !is_lock_file(p)).collect())
                .map_err(Box::new);
            self.listed = true;
        }
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
            .map(|(name, dir)| DeptIndex {
                name: name.trim().to_owned(),
                dir,
                files: Ok(Vec::new()),
                listed: false,
            })
            .collect();
        departments.sort_by(|a, b| a.name.cmp(&b.name).then_with(|| a.dir.cmp(&b.dir)));
        // Two folders whose names differ only by spaces around them are one department: it
        // fails with both named rather than one silently writing over the other's reports.
        let mut unique: Vec<DeptIndex> = Vec::with_capacity(departments.len());
        for dept in departments {
            match unique.last_mut() {
                Some(last) if last.name == dept.name => {
                    last.files = Err(Box::new(Error::Workspace(format!(
                        "单位“{}”有两个文件夹：{} 和 {}（名称只差前后的空格）。请合并成一个。",
                        dept.name,
                        last.dir.display(),
                        dept.dir.display()
                    ))));
                    last.listed = true;
                }
                _ => unique.push(dept),
            }
        }
        for dept in &mut unique {
            let folder = dept
                .dir
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default();
            if dept.name.chars().any(char::is_control) {
                dept.files = Err(Box::new(Error::Workspace(format!(
                    "单位文件夹“{}”的名称含有控制字符，它会被写进报告标题。请重命名这个文件夹。",
                    dept.name.replace(|c: char| c.is_control(), "�")
                ))));
                dept.listed = true;
            } else if let Some(problem) = crate::workspace::windows_name_problem(&folder) {
                dept.files = Err(Box::new(Error::Workspace(format!(
                    "单位文件夹 {} 的名称{problem}；它的报告在 Windows 上无法保存。请重命名这个文件夹。",
                    dept.dir.display()
                ))));
                dept.listed = true;
            }
        }
        // Two folders whose names differ only in full- and half-width forms (`县局A`, `县局Ａ`)
        // are one department typed twice: both fail, named, rather than the county counting
        // two.
        let folded = |name: &str| -> String {
            name.chars()
                .map(crate::sources::typing::fold_width)
                .collect()
        };
        let mut by_folded: std::collections::HashMap<String, Vec<usize>> =
            std::collections::HashMap::new();
        for (i, dept) in unique.iter().enumerate() {
            by_folded.entry(folded(&dept.name)).or_default().push(i);
        }
        for same in by_folded.values().filter(|same| same.len() > 1) {
            let names: Vec<String> = same
                .iter()
                .map(|&i| format!("“{}”", unique[i].name))
                .collect();
            for &i in same {
                unique[i].files = Err(Box::new(Error::Workspace(format!(
                    "单位文件夹{}的名称只有全角、半角字符之别，像是同一个单位：请合并成一个文件夹，或改成不同的名称。",
                    names.join("和")
                ))));
                unique[i].listed = true;
            }
        }
        let departments = unique;
        let all = departments.iter().map(|d| d.name.clone()).collect();
        Ok(YearIndex {
            year,
            dir: dir.to_path_buf(),
            departments,
            all,
            files: files.into_iter().filter(|p| !is_lock_file(p)).collect(),
        })
    }

    pub fn department(&self, name: &str) -> Option<&DeptIndex> {
        self.departments
            .binary_search_by(|d| d.name.as_str().cmp(name))
            .ok()
            .map(|i| &self.departments[i])
    }

    /// Keeps only the named departments (all when `names` is empty) and lists each one's
    /// folder, in parallel.
    pub fn list_files(&mut self, names: &[String]) {
        self.select(names);
        self.departments.par_iter_mut().for_each(DeptIndex::list);
    }

    /// Keeps only the named departments (all when `names` is empty), their folders not listed:
    /// the batch lists each as it builds it ([`DeptIndex::listed`]), so a run does not hold
    /// every department's files to its end.
    pub fn select(&mut self, names: &[String]) {
        if !names.is_empty() {
            // A set, not a scan of `names` per department: every name is passed when all
            // are selected.
            let wanted: std::collections::HashSet<&str> =
                names.iter().map(String::as_str).collect();
            self.departments
                .retain(|d| wanted.contains(d.name.as_str()));
        }
    }
}

/// A folder's entries: subfolders by (name, path), and files.
pub struct Listing {
    pub folders: Vec<(String, PathBuf)>,
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
            folders.push((name, entry.path()));
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
