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
            // A year is four digits: `2022`, not `02023` or `2022备份`.
            .filter(|name| name.len() == 4 && name.bytes().all(|b| b.is_ascii_digit()))
            .filter_map(|name| name.parse().ok())
            .collect();
        years.sort();
        Ok(years)
    }

    /// Folders under `data/` that are not years (`02023`, `2023备份`): ignored, and said so.
    pub fn stray_folders(&self) -> Vec<PathBuf> {
        subfolders(&self.data)
            .unwrap_or_default()
            .into_iter()
            .filter(|name| !(name.len() == 4 && name.bytes().all(|b| b.is_ascii_digit())))
            .map(|name| self.data.join(name))
            .collect()
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
    let entries = std::fs::read_dir(dir).map_err(|e| Error::read(dir, e))?;
    let mut names: Vec<String> = entries
        .filter_map(|e| e.ok())
        .filter(|e| e.path().is_dir())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|name| !name.starts_with('.'))
        .collect();
    names.sort();
    Ok(names)
}
