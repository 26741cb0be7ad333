//! Errors, each carrying the place it points at, with messages in Chinese.
//!
//! Every message says where (file › sheet › cell, or template and line) and what to do.

use std::fmt;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use serde::Serialize;

/// Where a value came from: a file, the sheet inside it (workbooks only) and the cell. The
/// file and sheet are shared by every cell of a sheet.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub struct Location {
    pub file: Arc<Path>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub sheet: Option<Arc<str>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub cell: Option<Spot>,
}

/// A place inside a file: a sheet's cell (`C7`) or a text file's line (`第 7 行`). Kept as
/// numbers, so the thousands of cells a report reads cost no text until a message needs it,
/// and places sort in the file's order (`A2` before `A10`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Spot {
    Cell { row: u32, col: u32 },
    Line(u64),
}

impl Spot {
    /// A place as [`Spot`]'s `Display` writes it: `C7` or `第 7 行`.
    pub fn parse(text: &str) -> Option<Spot> {
        if let Some(line) = text.strip_prefix("第 ").and_then(|t| t.strip_suffix(" 行")) {
            return line.parse().ok().map(Spot::Line);
        }
        let split = text.find(|c: char| c.is_ascii_digit())?;
        let (letters, digits) = text.split_at(split);
        if letters.is_empty() || !letters.bytes().all(|b| b.is_ascii_uppercase()) {
            return None;
        }
        let col = letters.bytes().try_fold(0u32, |n, b| {
            n.checked_mul(26)?.checked_add(u32::from(b - b'A') + 1)
        })?;
        let row: u32 = digits.parse().ok()?;
        Some(Spot::Cell {
            row: row.checked_sub(1)?,
            col: col - 1,
        })
    }
}

/// Where a template problem is, as a message names it (`templates/…/01.md 第 3 行`, `… 中的
/// title`, a cell holding template expressions) and as a location for programs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Place {
    pub text: String,
    pub at: Option<Location>,
}

impl Place {
    /// A file, with the line where it helps.
    pub fn file(path: &Path, line: Option<usize>, text: String) -> Place {
        Place {
            text,
            at: Some(Location {
                cell: line.map(|l| Spot::Line(l as u64)),
                ..Location::file(path)
            }),
        }
    }
}

impl fmt::Display for Place {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.text)
    }
}

impl fmt::Display for Spot {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Spot::Cell { row, col } => write!(f, "{}", cell_name(*row, *col)),
            Spot::Line(line) => write!(f, "第 {line} 行"),
        }
    }
}

impl Serialize for Spot {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

impl Location {
    pub fn file(file: &Path) -> Self {
        Location {
            file: Arc::from(file),
            sheet: None,
            cell: None,
        }
    }

    pub fn sheet(file: &Path, sheet: Option<&str>) -> Self {
        Location {
            file: Arc::from(file),
            sheet: sheet.map(Arc::from),
            cell: None,
        }
    }

    /// The same file and sheet, at a zero-based (row, column).
    pub fn at(&self, row: u32, col: u32) -> Self {
        Location {
            cell: Some(Spot::Cell { row, col }),
            ..self.clone()
        }
    }
}

impl fmt::Display for Location {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.file.display())?;
        if let Some(sheet) = &self.sheet {
            write!(f, " › {sheet}")?;
        }
        if let Some(cell) = &self.cell {
            write!(f, " › {cell}")?;
        }
        Ok(())
    }
}

/// Something reading changed or left out that a careful clerk should know, though it is not
/// an error: a merged cell filled down, a column the manifest does not use, rows under a note.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Note {
    pub at: Location,
    pub message: String,
}

impl Note {
    pub fn new(at: Location, message: impl Into<String>) -> Note {
        Note {
            at,
            message: message.into(),
        }
    }
}

impl fmt::Display for Note {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}：{}", self.at, self.message)
    }
}

/// An I/O error in Chinese where its kind is a common one, the system's own words after it
/// (for whoever helps the clerk): `这个位置是一个文件夹；系统信息：Is a directory (os error 21)`.
pub(crate) fn io_reason(error: &std::io::Error) -> String {
    use std::io::ErrorKind::*;
    let said = match error.kind() {
        NotFound => "找不到这个文件或文件夹",
        PermissionDenied => "没有权限",
        AlreadyExists => "已经存在",
        IsADirectory => "这个位置是一个文件夹",
        NotADirectory => "路径中有一段不是文件夹",
        DirectoryNotEmpty => "文件夹不是空的",
        ReadOnlyFilesystem => "磁盘是只读的",
        StorageFull => "磁盘已满",
        FileTooLarge => "文件太大",
        ResourceBusy => "文件正被占用",
        InvalidFilename => "文件名无效",
        UnexpectedEof => "文件不完整",
        InvalidData => "内容无效",
        OutOfMemory => "内存不足",
        _ => return format!("系统信息：{error}"),
    };
    format!("{said}；系统信息：{error}")
}

/// What to do about an I/O error, when its kind says more than the usual advice.
fn io_advice(error: &std::io::Error, usual: &'static str) -> &'static str {
    match (error.kind(), error.raw_os_error()) {
        (std::io::ErrorKind::StorageFull, _) | (_, Some(28)) => {
            "磁盘已满。请清理磁盘空间后重新运行。"
        }
        (_, Some(24)) => {
            "同时打开的文件太多，超过了系统的上限。请用 --jobs 减少并行任务数，或提高打开文件数的上限（ulimit -n）。"
        }
        _ => usual,
    }
}

/// Whether Windows refused a file because another program has it open (ERROR_SHARING_VIOLATION,
/// ERROR_LOCK_VIOLATION; a file open in Word or WPS is also refused as ERROR_ACCESS_DENIED when
/// replaced, which is told the same way for a `.docx`).
#[cfg(windows)]
fn is_in_use(error: &std::io::Error) -> bool {
    matches!(error.raw_os_error(), Some(32 | 33))
}

#[cfg(not(windows))]
fn is_in_use(_: &std::io::Error) -> bool {
    false
}

/// The message a panic carried, on one line, for an error that reports it.
pub fn panic_message(panic: &(dyn std::any::Any + Send)) -> String {
    let text = panic
        .downcast_ref::<&str>()
        .map(|s| s.to_string())
        .or_else(|| panic.downcast_ref::<String>().cloned())
        .unwrap_or_default();
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// The spreadsheet name of a zero-based (row, column): (6, 2) is `C7`.
pub fn cell_name(row: u32, col: u32) -> String {
    format!("{}{}", column_name(col), row + 1)
}

/// The spreadsheet name of a zero-based column: 0 is `A`, 26 is `AA`.
pub fn column_name(col: u32) -> String {
    let mut n = col + 1;
    let mut name = Vec::new();
    while n > 0 {
        let rem = (n - 1) % 26;
        name.push(b'A' + rem as u8);
        n = (n - 1) / 26;
    }
    name.reverse();
    String::from_utf8(name).expect("ASCII letters")
}

/// Everything that can go wrong, from the command line to the written file. Cloneable, so a
/// sheet read once for all report kinds can fail each of them with the same error.
#[derive(Debug, Clone, thiserror::Error)]
pub enum Error {
    #[error("{path}：无法读取（{reason}）。{advice}", path = .path.display(), reason = io_reason(source), advice = io_advice(source, "请确认文件存在且有读取权限。"))]
    Read {
        path: PathBuf,
        source: Arc<std::io::Error>,
    },

    #[error("{path}：无法写入（{reason}）。{advice}", path = .path.display(), reason = io_reason(source), advice = io_advice(source, "请确认输出目录可写、文件未被其他程序（如 Word）占用。"))]
    Write {
        path: PathBuf,
        source: Arc<std::io::Error>,
    },

    /// Windows refused to replace a file another program holds open (a report open in Word).
    #[error("{path}：文件正被其他程序打开，无法替换。请先在 Word/WPS 中关闭“{name}”再运行。", path = .path.display(), name = .path.file_name().map(|n| n.to_string_lossy()).unwrap_or_default())]
    InUse { path: PathBuf },

    #[error("{path} 第 {line} 行：{message}")]
    Manifest {
        path: PathBuf,
        line: usize,
        message: String,
    },

    #[error("{0}")]
    Workspace(String),

    /// A report kind whose manifest or templates are broken fails every department alike.
    #[error("模板或清单有误，这一种类的报告都无法生成：{0}")]
    KindBroken(Box<Error>),

    #[error(
        "找不到数据源“{name}”：{dir} 中既没有名为“{name}”的工作表，也没有 {name}.csv，年度文件夹中也没有这张汇总表。{found}请添加该工作表或文件，或把工作表改名为“{name}”（须与 report.toml 中的 sheet 一致）。",
        dir = .dir.display()
    )]
    SourceMissing {
        name: String,
        dir: PathBuf,
        found: String,
    },

    #[error(
        "{at}：“{column}”列中没有“{dept}”的行，这份报告用不到这张汇总表的任何数据。{hint}请在“{column}”列中按单位文件夹的名称填写“{dept}”。"
    )]
    DeptNotInMaster {
        at: Location,
        dept: String,
        column: String,
        hint: String,
    },

    #[error(
        "{at}：这一行是 {this} 编码，其余各行是 {rest}，读出来会是乱码（常见于从别的文件粘贴进来的行）。请删除第 {line} 行，在 Excel 或 WPS 中重新输入它的内容（不要从别的文件复制粘贴），再保存。"
    )]
    MixedEncoding {
        at: Location,
        line: usize,
        this: &'static str,
        rest: &'static str,
    },

    #[error(
        "{at}：表中没有数据行，报告里用到“{var}”的句子会缺内容。请在表头下填写数据；若这张表确实可以为空，请在 report.toml 的这个数据源中写 allow_empty = true，并在模板中用 {{% if {var} %}} 判断。"
    )]
    TableEmpty { at: Location, var: String },

    #[error(
        "{at}：这张表还没有填写任何一项的值，报告里用到“{var}”的句子会缺内容。请填写；若这张表确实可以为空，请在 report.toml 的这个数据源中写 allow_empty = true。"
    )]
    RecordEmpty { at: Location, var: String },

    #[error("{at}：{what}。{advice}")]
    TooLarge {
        at: Location,
        what: String,
        advice: String,
    },

    #[error("数据源“{name}”出现在多处：{places}。请只保留一处。")]
    SourceAmbiguous {
        name: String,
        places: String,
        /// The first of them, for programs.
        first: Location,
    },

    #[error(
        "{at}：缺少列“{column}”。{found}请在表头行添加这一列，或把相应的表头改为“{column}”（须与 report.toml 中的列名一致）。"
    )]
    ColumnMissing {
        at: Location,
        column: String,
        found: String,
    },

    #[error("{at}：列“{column}”出现了两次（{first} 和 {second}）。请删除或改名其中一列。")]
    ColumnDuplicate {
        at: Location,
        column: String,
        first: String,
        second: String,
    },

    #[error("{at}：缺少项目“{key}”。请在第一列写上“{key}”，在第二列填写它的值。")]
    KeyMissing { at: Location, key: String },

    #[error("{at}：项目“{key}”出现了两次（另一处在 {other}）。请只保留一行。")]
    KeyDuplicate {
        at: Location,
        key: String,
        other: String,
    },

    #[error(
        "{at}：项目“{key}”未在 report.toml 中声明。请检查项目名是否写错，或在 report.toml 的 fields 中添加它。"
    )]
    KeyUnknown { at: Location, key: String },

    #[error("{at}：“{column}”是必填项，但单元格为空。请填写。")]
    Empty { at: Location, column: String },

    #[error("{at}：“{column}”应为{expected}，实际为“{found}”。{hint}")]
    BadValue {
        at: Location,
        column: String,
        expected: std::borrow::Cow<'static, str>,
        found: String,
        hint: String,
    },

    #[error(
        "{at}：这个单元格是公式{formula}，但文件里没有保存它的计算结果，读不出它的值（用程序导出、没在 Excel 或 WPS 里打开保存过的表格常会这样）。请用 Excel 或 WPS 打开这个文件，保存后再运行；也可以把公式换成它的结果，直接填写。"
    )]
    /// `formula` is quoted (`“=1+2”`), or empty when the file holds no text for it.
    Uncalculated { at: Location, formula: String },

    #[error("{at}：“{column}”只能是 {allowed} 之一，实际为“{found}”。请改为其中之一。")]
    NotAllowed {
        at: Location,
        column: String,
        found: String,
        allowed: String,
    },

    #[error("{file}：无法作为工作簿打开（{reason}）。请用 Excel 或 WPS 打开后另存为 .xlsx 再试。", file = .file.display())]
    Workbook { file: PathBuf, reason: String },

    #[error("{at}：无法读取（{reason}）。请用 Excel 或 WPS 打开后另存为 CSV 再试。")]
    Csv { at: Location, reason: String },

    #[error("{file}：第 {offset} 字节处的内容既不是 UTF-8 也不是 GBK/GB18030 编码。请用 Excel 或 WPS 另存为“CSV（逗号分隔）”或“CSV UTF-8”再试。", file = .file.display())]
    Encoding { file: PathBuf, offset: usize },

    #[error("{file}：{detail}。{RESAVE_AS_UTF8}", file = .file.display())]
    TextEncoding { file: PathBuf, detail: String },

    #[error("{place}：{message}")]
    Template { place: Place, message: String },

    #[error("{place}：{message}")]
    Markup { place: Place, message: String },

    /// Several problems found in one pass, so a clerk fixes them all before the next run.
    #[error("{}", .0.iter().map(ToString::to_string).collect::<Vec<_>>().join("\n"))]
    Many(Vec<Error>),
}

impl Error {
    pub fn read(path: &Path, source: std::io::Error) -> Error {
        Error::Read {
            path: path.to_path_buf(),
            source: Arc::new(source),
        }
    }

    pub fn write(path: &Path, source: std::io::Error) -> Error {
        if is_in_use(&source) {
            return Error::InUse {
                path: path.to_path_buf(),
            };
        }
        Error::Write {
            path: path.to_path_buf(),
            source: Arc::new(source),
        }
    }

    /// A file could not be put in place over `path`. On Windows, a target another program
    /// holds open (a report open in Word or WPS) is refused as a sharing violation or, when
    /// replaced, as "access denied": both are told as a file to close first.
    pub fn replacing(path: &Path, source: std::io::Error) -> Error {
        #[cfg(windows)]
        if source.raw_os_error() == Some(5) && path.exists() {
            return Error::InUse {
                path: path.to_path_buf(),
            };
        }
        Error::write(path, source)
    }

    /// `Ok` for no errors, the error itself for one, [`Error::Many`] for more.
    pub fn collect(errors: Vec<Error>) -> Result<()> {
        if errors.is_empty() {
            Ok(())
        } else {
            Err(Error::join(errors))
        }
    }

    /// One error standing for all of `errors` (which must not be empty).
    pub fn join(errors: Vec<Error>) -> Error {
        let mut seen = std::collections::HashSet::new();
        // The same problem reached by two paths (two sources in one broken file) is told once.
        let mut errors: Vec<Error> = errors
            .into_iter()
            .flat_map(Error::into_list)
            .filter(|e| seen.insert(e.to_string()))
            .collect();
        match errors.len() {
            1 => errors.remove(0),
            _ => Error::Many(errors),
        }
    }

    /// The single problems this error stands for.
    pub fn into_list(self) -> Vec<Error> {
        match self {
            Error::Many(errors) => errors.into_iter().flat_map(Error::into_list).collect(),
            other => vec![other],
        }
    }

    /// The file (and sheet and cell) the problem is in, when it is in one.
    pub fn location(&self) -> Option<Location> {
        match self {
            Error::ColumnMissing { at, .. }
            | Error::ColumnDuplicate { at, .. }
            | Error::KeyMissing { at, .. }
            | Error::KeyDuplicate { at, .. }
            | Error::KeyUnknown { at, .. }
            | Error::Empty { at, .. }
            | Error::BadValue { at, .. }
            | Error::Uncalculated { at, .. }
            | Error::NotAllowed { at, .. }
            | Error::DeptNotInMaster { at, .. }
            | Error::TooLarge { at, .. }
            | Error::TableEmpty { at, .. }
            | Error::RecordEmpty { at, .. }
            | Error::MixedEncoding { at, .. }
            | Error::Csv { at, .. } => Some(at.clone()),
            Error::Read { path, .. } | Error::Write { path, .. } | Error::InUse { path } => {
                Some(Location::file(path))
            }
            Error::Manifest { path, line, .. } => Some(Location {
                cell: Some(Spot::Line(*line as u64)),
                ..Location::file(path)
            }),
            Error::SourceAmbiguous { first, .. } => Some(first.clone()),
            Error::Workbook { file, .. }
            | Error::Encoding { file, .. }
            | Error::TextEncoding { file, .. } => Some(Location::file(file)),
            Error::SourceMissing { dir, .. } => Some(Location::file(dir)),
            Error::Template { place, .. } | Error::Markup { place, .. } => place.at.clone(),
            Error::KindBroken(inner) => inner.location(),
            Error::Workspace(_) | Error::Many(_) => None,
        }
    }
}

pub type Result<T, E = Error> = std::result::Result<T, E>;

/// What to do with a template or manifest that is in no encoding huibao reads.
pub const RESAVE_AS_UTF8: &str = "请用记事本打开它，“另存为”时编码选“UTF-8”，保存后再试。";

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn io_errors_get_advice_for_their_kind() {
        let path = Path::new("output/2022/甲/乙.docx");
        let full = Error::write(path, std::io::Error::from_raw_os_error(28));
        assert!(full.to_string().contains("磁盘已满"), "{full}");
        let many = Error::read(path, std::io::Error::from_raw_os_error(24));
        assert!(many.to_string().contains("ulimit -n"), "{many}");
        let denied = Error::read(path, std::io::Error::from_raw_os_error(13));
        assert!(denied.to_string().contains("读取权限"), "{denied}");
    }

    #[test]
    fn io_errors_are_said_in_chinese_first() {
        let path = Path::new("output/2022/甲/乙.docx");
        let denied = Error::write(path, std::io::Error::from_raw_os_error(13));
        assert!(
            denied
                .to_string()
                .contains("无法写入（没有权限；系统信息："),
            "{denied}"
        );
        let missing = Error::read(path, std::io::ErrorKind::NotFound.into());
        assert!(
            missing
                .to_string()
                .contains("无法读取（找不到这个文件或文件夹；系统信息："),
            "{missing}"
        );
        // A kind without its own words keeps the system's.
        let other = Error::read(path, std::io::Error::other("奇怪的错误"));
        assert!(
            other
                .to_string()
                .contains("无法读取（系统信息：奇怪的错误）"),
            "{other}"
        );
    }

    #[test]
    fn spots_read_back_as_written() {
        for spot in [
            Spot::Cell { row: 6, col: 2 },
            Spot::Cell { row: 0, col: 27 },
            Spot::Line(7),
        ] {
            assert_eq!(Spot::parse(&spot.to_string()), Some(spot));
        }
        assert_eq!(Spot::parse("a1"), None);
    }
}
