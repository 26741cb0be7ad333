//! The workspace: `templates/<kind>/`, `data/<year>/<department>/`, `output/`.

use std::path::{Path, PathBuf};

use crate::diagnostics::{Error, Result};
use crate::manifest::MANIFEST_FILE;

#[derive(Debug, Clone)]
pub struct Workspace {
    pub data: PathBuf,
    pub templates: PathBuf,
}

impl Workspace {
    /// The years under `data/` (folders named by a year, such as `2022`), oldest first.
    pub fn years(&self) -> Result<Vec<i32>> {
        let mut years: Vec<i32> = subfolders(&self.data)?
            .iter()
            .filter_map(|name| name.parse().ok())
            .collect();
        years.sort();
        Ok(years)
    }

    pub fn latest_year(&self) -> Result<i32> {
        self.years()?.last().copied().ok_or_else(|| {
            Error::Workspace(format!(
                "{} 下没有年度文件夹（如 2022）。请按 data/<年度>/<单位>/ 放置数据。",
                self.data.display()
            ))
        })
    }

    pub fn year_dir(&self, year: i32) -> PathBuf {
        self.data.join(year.to_string())
    }

    /// The departments of a year: the folders under `data/<year>/`.
    pub fn departments(&self, year: i32) -> Result<Vec<String>> {
        let dir = self.year_dir(year);
        if !dir.is_dir() {
            return Err(Error::Workspace(format!(
                "没有 {year} 年的数据：找不到文件夹 {}。",
                dir.display()
            )));
        }
        let departments = subfolders(&dir)?;
        if departments.is_empty() {
            return Err(Error::Workspace(format!(
                "{} 下没有单位文件夹。每个单位一个文件夹，如 {}。",
                dir.display(),
                dir.join("县退役军人事务局").display()
            )));
        }
        Ok(departments)
    }

    pub fn department_dir(&self, year: i32, dept: &str) -> PathBuf {
        self.year_dir(year).join(dept)
    }

    /// The report kinds: folders under `templates/` that hold a `report.toml`.
    pub fn kinds(&self) -> Result<Vec<String>> {
        Ok(subfolders(&self.templates)?
            .into_iter()
            .filter(|kind| self.kind_dir(kind).join(MANIFEST_FILE).is_file())
            .collect())
    }

    pub fn kind_dir(&self, kind: &str) -> PathBuf {
        self.templates.join(kind)
    }
}

/// The names of the folders in `dir`, sorted, hidden ones left out.
pub fn subfolders(dir: &Path) -> Result<Vec<String>> {
    let entries = std::fs::read_dir(dir).map_err(|source| Error::Read {
        path: dir.to_path_buf(),
        source,
    })?;
    let mut names: Vec<String> = entries
        .filter_map(|e| e.ok())
        .filter(|e| e.path().is_dir())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|name| !name.starts_with('.'))
        .collect();
    names.sort();
    Ok(names)
}
