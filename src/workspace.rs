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

/// What is said of a folder (a `单位` or `报告种类` one, `what`) whose name Windows cannot hold
/// ([`windows_name_problem`]), if it is one.
pub fn windows_folder_problem(what: &str, dir: &std::path::Path) -> Option<String> {
    let name = dir.file_name()?.to_str()?;
    windows_name_problem(name).map(|problem| {
        format!(
            "{what}文件夹 {} 的名称{problem}；它的报告在 Windows 上无法保存。请重命名这个文件夹。",
            dir.display()
        )
    })
}

/// Why a folder name cannot be used on Windows, where an office opens the output: a reserved
/// device name (`CON`, `NUL`, `COM1`…, also with an extension), a character Windows refuses in
/// file names (`<>:"/\|?*`), or a final dot or space. Checked on every platform, so a workspace
/// made on Linux works on Windows.
pub fn windows_name_problem(name: &str) -> Option<String> {
    if let Some(c) = name.chars().find(|c| "<>:\"/\\|?*".contains(*c)) {
        return Some(format!("含有 Windows 文件名中不能用的字符“{c}”"));
    }
    if name.ends_with('.') || name.ends_with(' ') {
        return Some("以句点或空格结尾，Windows 会把它去掉".into());
    }
    let stem = name
        .split('.')
        .next()
        .unwrap_or(name)
        .trim_end()
        .to_ascii_uppercase();
    let reserved = matches!(stem.as_str(), "CON" | "PRN" | "AUX" | "NUL")
        || ((stem.starts_with("COM") || stem.starts_with("LPT"))
            && stem.len() == 4
            && stem.as_bytes()[3].is_ascii_digit()
            && stem.as_bytes()[3] != b'0');
    reserved.then(|| format!("“{stem}”是 Windows 保留的设备名，不能用作文件夹名"))
}

#[cfg(test)]
mod windows_names {
    use super::windows_name_problem;

    #[test]
    fn names_windows_refuses_are_found() {
        for bad in [
            "CON", "nul", "Com1", "LPT9.txt", "县局.", "县局 ", "县<局>", "a:b", "问?",
        ] {
            assert!(windows_name_problem(bad).is_some(), "{bad}");
        }
        for good in [
            "县退役军人事务局",
            "CONSOLE",
            "COM0",
            "LPT",
            "县局.v2",
            "com10",
        ] {
            assert_eq!(windows_name_problem(good), None, "{good}");
        }
    }
}
