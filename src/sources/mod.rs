//! Sources: a department's workbooks and CSV files, read into typed tables and records.
//!
//! A variable comes from a worksheet of the manifest's `sheet` name in any workbook of the
//! department's folder, or from a CSV file of that name; the templates cannot tell which.
//! Every typed value keeps its [`Location`], so every error, and later every reviewer, can
//! point at the cell it came from.

mod csv;
pub mod hidden;
pub mod isolate;
pub mod limits;
mod percent;
pub mod renames;
mod shape;
mod shown;
pub mod typing;
pub use csv::read_text;
pub use shape::normalize;
pub use typing::{is_forbidden, parse_date};
pub use workbook::significant;
mod workbook;

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use chrono::{NaiveDate, NaiveDateTime};
use indexmap::IndexMap;

pub use percent::{PercentCode, PercentFormat};

use crate::diagnostics::{Error, Location, Note, Result};
use crate::index::{Listed, Names, YearIndex};
use crate::manifest::{Column, ColumnType, Manifest, Shape, Source};

/// A cell as read, before the manifest gives it a type.
#[derive(Debug, Clone, PartialEq)]
pub enum Raw {
    Empty,
    Text(String),
    Int(i64),
    Float(f64),
    Bool(bool),
    DateTime(NaiveDateTime),
    /// An Excel error value such as `#DIV/0!`.
    Error(String),
    /// A formula (as shown in the formula bar) whose result the file does not hold.
    Formula(String),
    /// A number the workbook shows as a percentage (a cell formatted `0%` or `0.0%`): the
    /// number stored (0.955) and how it is shown (`95.5%`, see [`typing::shown_percent`]).
    Percent(f64, PercentFormat),
    /// A number or date whose cell shows it otherwise than huibao would write it (a cell
    /// formatted `0.0` holding 2/3 shows `0.7`): text columns read the text shown, the others
    /// the value. See [`shown`].
    Shown(Box<shown::ShownCell>),
}

impl Raw {
    /// Whether the cell shows nothing: empty, or anything its format hides.
    pub fn shows_nothing(&self) -> bool {
        match self {
            Raw::Empty => true,
            Raw::Shown(cell) => cell.text.as_deref() == Ok(""),
            _ => false,
        }
    }

    /// Whether the cell is blank as the clerk sees it: empty, or a zero its format hides
    /// (`0;-0;;@`, a prepared form's figures). A row of such cells is a blank row; one that
    /// also hides anything else (`;;;`) is skipped and told (see `shape::table`).
    pub fn is_blank(&self) -> bool {
        self.shows_nothing()
            && match self {
                Raw::Shown(cell) => matches!(
                    cell.value,
                    Raw::Int(0) | Raw::Float(0.0) | Raw::Percent(0.0, _)
                ),
                _ => true,
            }
    }
}

/// How a cell shows its number, where not as huibao writes it: as a percentage, or in a
/// number or date format of its own.
#[derive(Debug, Clone)]
pub enum CellStyle {
    Percent(PercentCode),
    Shown(shown::Shown),
    /// The text an .ods stores for the cell, as the application that saved it showed it.
    Text(Arc<str>),
}

impl CellStyle {
    /// The style of a number format `code` (built-in number `id`); `None` where it shows
    /// numbers as huibao writes them (the general format, text).
    pub fn of(code: &str, id: Option<u32>) -> Option<CellStyle> {
        match PercentCode::parse(code) {
            Some(percent) => Some(CellStyle::Percent(percent)),
            None => shown::Shown::of(code, id).map(CellStyle::Shown),
        }
    }

    /// Whether a text in a cell of this style shows nothing (`;;;`).
    pub fn hides_text(&self) -> bool {
        matches!(self, CellStyle::Shown(shown) if shown.hides_text())
    }

    /// A cell as this style shows it (a percentage, or a number or date in its format).
    pub fn apply(&self, raw: Raw) -> Raw {
        match self {
            CellStyle::Percent(code) => code.apply(raw),
            CellStyle::Shown(shown) => shown.apply(raw),
            CellStyle::Text(text) => shown::ShownCell::with_text(raw, text),
        }
    }
}

/// The cells of a sheet whose number format shows them otherwise than huibao writes them, by
/// (row, column): one by one, and (.ods) the blocks a repeat count spreads one cell over, by
/// the rows they span.
#[derive(Debug, Default)]
pub struct CellStyles {
    pub cells: std::collections::HashMap<(u32, u32), CellStyle>,
    /// Sorted by row, apart: an .ods's rows come in order, and a row repeated spans its band.
    bands: Vec<Band>,
}

/// Rows a repeat count spreads one table row over (first and last), and its blocks: first and
/// last column, and the format, sorted by column.
#[derive(Debug)]
struct Band {
    rows: (u32, u32),
    blocks: Vec<(u32, u32, CellStyle)>,
}

impl CellStyles {
    /// Cells from `first` to `last` (row, column), one cell repeated: of a table row read
    /// after every earlier one.
    pub fn add_block(&mut self, first: (u32, u32), last: (u32, u32), format: CellStyle) {
        let rows = (first.0, last.0);
        match self.bands.last_mut().filter(|band| band.rows == rows) {
            Some(band) => band.blocks.push((first.1, last.1, format)),
            None => self.bands.push(Band {
                rows,
                blocks: vec![(first.1, last.1, format)],
            }),
        }
    }

    /// The style of an .ods's block covering `at`.
    fn in_block(&self, at: (u32, u32)) -> Option<&CellStyle> {
        // The last band starting at or before the row, then the last block starting at or
        // before the column: each found by halving.
        let band = self.bands.partition_point(|b| b.rows.0 <= at.0);
        let band = self
            .bands
            .get(band.checked_sub(1)?)
            .filter(|b| at.0 <= b.rows.1)?;
        let block = band.blocks.partition_point(|b| b.0 <= at.1);
        let (_, last, style) = band.blocks.get(block.checked_sub(1)?)?;
        (at.1 <= *last).then_some(style)
    }

    /// The cell read at `at` as its style shows it (see [`CellStyle::apply`]); a cell of no
    /// style as it is.
    pub fn apply(&self, at: (u32, u32), raw: Raw) -> Raw {
        if let Some(style) = self.cells.get(&at) {
            return style.apply(raw);
        }
        match self.in_block(at) {
            Some(style) => style.apply(raw),
            None => raw,
        }
    }
}

/// One row of a sheet: its zero-based row index in the file and its cells.
#[derive(Debug, Clone)]
pub struct GridRow {
    pub index: u32,
    pub cells: Vec<Raw>,
}

/// A sheet or CSV file as read: the rows that hold anything, and the column of `cells[0]`.
#[derive(Debug, Clone)]
pub struct Grid {
    /// The file and, for workbooks, the sheet.
    pub at: Location,
    pub first_col: u32,
    pub rows: Vec<GridRow>,
    /// The vertical merges filled down: told where their column is read.
    pub merges: Vec<Merge>,
    /// The rows and columns the sheet hides: told where a source reads them.
    pub hidden: hidden::Hidden,
}

/// A vertical merge whose value (held by its top cell) now stands in every row it covers.
#[derive(Debug, Clone)]
pub struct Merge {
    pub top: u32,
    pub bottom: u32,
    /// The merge's first column, as the sheet numbers it.
    pub col: u32,
    /// Says so, for a careful clerk.
    pub note: Note,
}

impl Merge {
    /// Whether the cell at (`row`, `col`) holds this merge's value as a copy (below its top).
    pub fn filled(&self, row: u32, col: u32) -> bool {
        col == self.col && row > self.top && row <= self.bottom
    }
}

/// A typed value.
#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    /// An optional cell left blank.
    Empty,
    Text(String),
    Integer(i64),
    Number(f64),
    Date(NaiveDate),
    Bool(bool),
}

/// A typed value and where it came from.
#[derive(Debug, Clone, PartialEq)]
pub struct Cell {
    pub value: Value,
    pub at: Location,
    /// The text is itself a template, rendered before the sections see it.
    pub template: bool,
}

/// A row by column name (or a record by key); the names are shared by every row of a table.
/// Hashed with foldhash rather than SipHash, since templates look the names up for every row
/// they touch. A record's keys come from its sheet, so the hasher is seeded at random per map
/// (foldhash's "minimal DoS resistance"): no crafted workbook holds keys that collide in every
/// run, as they could under an unseeded hash such as FxHash. Order is the map's insertion
/// order, so the seed changes no output.
pub type Row = IndexMap<Arc<str>, Cell, foldhash::fast::RandomState>;

/// A source's data in the shape the manifest declares. Shared, so the templates read it
/// where it is (see [`crate::context`]) instead of a copy per render.
#[derive(Debug, Clone, PartialEq)]
pub enum Data {
    Table(Arc<Vec<Row>>),
    Record(Arc<Row>),
}

impl Data {
    /// Every cell: a table's row by row, a record's key by key.
    pub fn cells(&self) -> impl Iterator<Item = &Cell> {
        let rows: &[Row] = match self {
            Data::Table(rows) => rows,
            Data::Record(row) => std::slice::from_ref(row),
        };
        rows.iter().flat_map(|row| row.values())
    }

    pub fn cells_mut(&mut self) -> impl Iterator<Item = &mut Cell> {
        let rows: &mut [Row] = match self {
            Data::Table(rows) => Arc::make_mut(rows).as_mut_slice(),
            Data::Record(row) => std::slice::from_mut(Arc::make_mut(row)),
        };
        rows.iter_mut().flat_map(|row| row.values_mut())
    }
}

/// Every source of one department for one report kind, by variable name, in manifest order.
#[derive(Debug, Clone, Default)]
pub struct Sources {
    pub vars: IndexMap<String, Data>,
}

/// File extensions read as workbooks (through calamine) and as delimited text.
pub const WORKBOOK_EXTENSIONS: &[&str] = &["xlsx", "xlsm", "xls", "xlsb", "ods"];
pub const TEXT_EXTENSIONS: &[&str] = &["csv", "tsv", "txt"];

/// Whether a build reads `path` as data: a workbook or a text file, not a lock file or a
/// hidden one (Windows' `Thumbs.db` and `desktop.ini` are neither, and not read).
pub fn is_data_file(path: &Path) -> bool {
    let hidden = path
        .file_name()
        .is_some_and(|n| n.to_string_lossy().starts_with('.'));
    read_as_data(path) && !hidden && !crate::index::is_lock_file(path)
}

/// Whether a file of `path`'s extension is read as data: a workbook or a text file.
fn read_as_data(path: &Path) -> bool {
    let ext = extension(path);
    WORKBOOK_EXTENSIONS.contains(&ext.as_str()) || TEXT_EXTENSIONS.contains(&ext.as_str())
}

/// Whether `path` holds a department's data: a data file, or a WPS workbook (`.et`) a build
/// asks to save as .xlsx.
pub fn holds_data(path: &Path) -> bool {
    is_data_file(path)
        || (matches!(extension(path).as_str(), "et" | "ett") && !crate::index::is_lock_file(path))
}

/// The year's folder as every department of a run shares it: the data files directly under
/// `data/<year>/`, opened once, and each master table read once and split by department.
pub struct YearData {
    pub year: i32,
    dir: PathBuf,
    files: Vec<PathBuf>,
    /// Every department of the year, to tell a typo in a master table's department column.
    known: std::sync::Arc<Names>,
    folder: Mutex<Option<Result<Folder>>>,
    masters: Mutex<Masters>,
}

impl YearData {
    pub fn new(index: &YearIndex) -> YearData {
        YearData {
            year: index.year,
            dir: index.dir.clone(),
            files: index.files.clone(),
            known: index.all.clone(),
            folder: Mutex::new(None),
            masters: Mutex::new(HashMap::new()),
        }
    }

    /// `f` on the year's folder, opened on first use; the error of opening it otherwise.
    fn in_folder<T>(&self, f: impl FnOnce(&mut Folder) -> Result<T>) -> Result<T> {
        let mut folder = lock(&self.folder);
        let folder = folder.get_or_insert_with(|| Folder::open(&self.dir, &self.files));
        f(folder.as_mut().map_err(|e| e.clone())?)
    }

    /// Whether a master table named `name` is in the year's folder (opening it on first use).
    fn has(&self, name: &str) -> Result<bool> {
        self.in_folder(|folder| Ok(folder.has(name)))
    }

    /// The departments renamed since last year (`prev`: last year's names), when the year's
    /// folder has a sheet of renames ([`renames::SHEET`]).
    pub fn renames(&self, prev: &Names) -> Option<Result<renames::Renames>> {
        match self.has(renames::SHEET) {
            Ok(false) => None,
            Ok(true) => Some(
                self.in_folder(|folder| folder.grid(renames::SHEET))
                    .and_then(|grid| renames::Renames::read(&grid, &self.known, prev)),
            ),
            // A year's workbook that cannot be opened may be where the renames are.
            Err(e) => Some(Err(e)),
        }
    }

    /// A master table, read and split by department on first use.
    fn master(&self, source: &Source) -> Arc<Result<Master>> {
        let key = (source.sheet.clone(), source.dept_column.clone());
        let mut masters = lock(&self.masters);
        if let Some(master) = masters.get(&key) {
            return master.clone();
        }
        let master = self
            .in_folder(|folder| folder.grid(&source.sheet))
            .and_then(|grid| Master::split(&grid, source, &self.known));
        let master = Arc::new(master);
        masters.insert(key, master.clone());
        master
    }

    /// What reading the master tables noticed, once for the run however many departments
    /// read them: rows whose department has no folder, rows without a department.
    pub fn notes(&self) -> Vec<Note> {
        let masters = lock(&self.masters);
        let mut notes: Vec<Note> = masters
            .values()
            .filter_map(|m| m.as_ref().as_ref().ok())
            .flat_map(|m| m.notes.iter().cloned())
            .collect();
        notes.sort();
        notes.dedup();
        notes
    }
}

/// The master tables read so far, by sheet and department column.
type Masters = HashMap<(String, String), Arc<Result<Master>>>;

/// A lock that a panicking holder did not poison for the others: the data behind it is only
/// ever replaced whole.
fn lock<T>(mutex: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    mutex
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner())
}

/// A master table split by department: the rows above and including the header, and each
/// department's rows with the department column blanked (it has done its work, so it is
/// neither typed nor reported as a column the manifest does not know).
struct Master {
    grid: Grid,
    by_dept: HashMap<String, Vec<GridRow>>,
    /// Every name in the department column, for a "did you mean".
    names: Vec<String>,
    column: String,
    notes: Vec<Note>,
}

impl Master {
    fn split(grid: &Grid, source: &Source, known: &Names) -> Result<Master> {
        if !matches!(source.shape, Shape::Table { .. }) {
            return Err(Error::Workspace(format!(
                "{}：年度文件夹中的汇总表只能是 table（每行一条，带“{}”列）；record 请放在各单位的文件夹中。",
                grid.at, source.dept_column
            )));
        }
        let column = Column::new(source.dept_column.clone(), ColumnType::Text);
        let shape::Split {
            head,
            by_dept,
            names,
            notes,
        } = shape::split_by_department(grid, &column, known)?;
        Ok(Master {
            // Whatever the whole table says (its merges, its cells under no header) is in
            // `notes`, told once, not again for each department's rows.
            grid: Grid {
                rows: head,
                merges: Vec::new(),
                ..grid.clone()
            },
            by_dept,
            names,
            column: source.dept_column.clone(),
            notes,
        })
    }

    /// How many of the department's rows hold anything `source` reads (not only its name,
    /// or a 序号 numbered in advance). Kinds may declare the sheet's columns differently: each
    /// counts by its own.
    fn filled_rows(&self, dept: &str, source: &Source) -> usize {
        let (Some(header), Shape::Table { columns }) = (self.grid.rows.last(), &source.shape)
        else {
            return 0;
        };
        let read = shape::read_columns(&self.grid, header, columns);
        self.by_dept.get(dept).map_or(0, |rows| {
            rows.iter()
                .filter(|r| {
                    read.iter()
                        .any(|&i| r.cells.get(i).is_some_and(|c| !c.is_blank()))
                })
                .count()
        })
    }

    /// One department's rows under the header; a department with none is an error naming the
    /// names the department column does hold that come closest.
    fn rows(&self, dept: &str, allow_empty: bool) -> Result<Grid> {
        match self.by_dept.get(dept) {
            Some(rows) => {
                let mut grid = self.grid.clone();
                grid.rows.extend(rows.iter().cloned());
                Ok(grid)
            }
            None if allow_empty => Ok(self.grid.clone()),
            None => {
                let names: Vec<&str> = self.names.iter().map(String::as_str).collect();
                Err(Error::DeptNotInMaster {
                    at: self.grid.at.clone(),
                    dept: dept.to_owned(),
                    column: self.column.clone(),
                    hint: crate::suggest::did_you_mean(dept, &names).unwrap_or_default(),
                })
            }
        }
    }
}

/// One department's data for a run: its folder's files, opened once and each sheet read once
/// for all report kinds, and the year's master tables it shares with the others.
pub struct DeptData<'y> {
    pub dept: String,
    folder: Result<Folder>,
    year: &'y YearData,
}

impl<'y> DeptData<'y> {
    pub fn open(dept: Listed, year: &'y YearData) -> DeptData<'y> {
        DeptData {
            dept: dept.name,
            folder: dept
                .files
                .map_err(|e| *e)
                .and_then(|files| Folder::open(&dept.dir, &files)),
            year,
        }
    }

    pub fn year(&self) -> i32 {
        self.year.year
    }

    /// Whether the department's own folder holds `name`, a sheet or text file.
    pub fn has_own(&self, name: &str) -> bool {
        self.folder.as_ref().is_ok_and(|f| f.has(name))
    }

    /// The sheet or text file named `name`: from the department's folder, or, when it is not
    /// there, the department's rows of a master table in the year's folder.
    fn grid(&mut self, source: &Source) -> Result<Arc<Grid>> {
        let folder = self.folder.as_mut().map_err(|e| e.clone())?;
        match folder.grid(&source.sheet) {
            Err(missing @ Error::SourceMissing { .. }) => match self.year.has(&source.sheet) {
                Ok(true) => match self.year.master(source).as_ref() {
                    Ok(master) => master.rows(&self.dept, source.allow_empty).map(Arc::new),
                    Err(e) => Err(e.clone()),
                },
                Ok(false) => Err(missing),
                // A broken workbook in the year's folder may be the master table sought.
                Err(broken) => Err(Error::join(vec![missing, broken])),
            },
            // Its own sheet, and rows of its own in a master table too: which is right is
            // the clerk's to say, not huibao's to guess (the master's would go unread).
            Ok(own) => {
                if matches!(self.year.has(&source.sheet), Ok(true)) {
                    let master = self.year.master(source);
                    if let Ok(master) = master.as_ref()
                        && let filled = master.filled_rows(&self.dept, source)
                        && filled > 0
                    {
                        return Err(Error::SourceAmbiguous {
                            name: source.sheet.clone(),
                            places: format!(
                                "{}、{}（“{}”为“{}”的 {} 行）",
                                own.at, master.grid.at, master.column, self.dept, filled
                            ),
                            first: own.at.clone(),
                        });
                    }
                }
                Ok(own)
            }
            other => other,
        }
    }
}

/// Reads every source the manifest declares, typed and shaped. What reading notices that is
/// not an error goes into `notes`, whether the sources are read or fail.
pub fn load(manifest: &Manifest, data: &mut DeptData, notes: &mut Vec<Note>) -> Result<Sources> {
    // A folder whose files cannot be opened fails every source alike: say it once.
    if let Err(e) = &data.folder {
        return Err(e.clone());
    }
    let mut vars = IndexMap::new();
    // Every source is read even when one fails, so one run reports every problem.
    let mut errors = Vec::new();
    let year = data.year();
    for source in &manifest.sources {
        let grid = match data.grid(source) {
            Ok(grid) => grid,
            Err(e) => {
                errors.push(e);
                continue;
            }
        };
        // A sheet's notes are told also when the same sheet has errors: a report that failed
        // lists them too.
        let mut found = Vec::new();
        let data = match &source.shape {
            Shape::Table { columns } => {
                let rows = shape::table(&grid, columns, notes, &mut found);
                notes.extend(outside_year(&rows, year));
                Error::collect(found).and_then(|()| {
                    // Said once: as an error, or, where the table may be empty, as a note.
                    match (rows.is_empty(), source.allow_empty) {
                        (true, false) => {
                            return Err(Error::TableEmpty {
                                at: grid.at.clone(),
                                var: source.var.clone(),
                            });
                        }
                        (true, true) => notes.push(Note::new(grid.at.clone(), "表格没有数据行。")),
                        (false, _) => {}
                    }
                    Ok(Data::Table(Arc::new(rows)))
                })
            }
            Shape::Record { fields, other } => {
                let row = shape::record(&grid, fields, other.as_ref(), notes, &mut found);
                Error::collect(found).and_then(|()| {
                    // A sheet not filled in yet (a blank form): every value blank.
                    let blank = row.values().all(|cell| cell.value == Value::Empty);
                    match (blank, source.allow_empty) {
                        (true, false) => Err(Error::RecordEmpty {
                            at: grid.at.clone(),
                            var: source.var.clone(),
                        }),
                        _ => Ok(Data::Record(Arc::new(row))),
                    }
                })
            }
        };
        match data {
            Ok(data) => {
                vars.insert(source.var.clone(), data);
            }
            Err(e) => errors.push(e),
        }
    }
    Error::collect(errors)?;
    Ok(Sources { vars })
}

/// A note on a table's dates that fall outside the year its folder is for (an activity of
/// 2022 typed as 2021-03-01): the first, and how many more. A record's dates are not looked
/// at, since a report of 2022 is dated in 2023.
fn outside_year(rows: &[Row], year: i32) -> Option<Note> {
    use chrono::Datelike;
    let mut outside =
        rows.iter()
            .flat_map(|row| row.values())
            .filter_map(|cell| match cell.value {
                Value::Date(d) if d.year() != year => Some((cell, d)),
                _ => None,
            });
    let (cell, date) = outside.next()?;
    let more = match outside.count() {
        0 => String::new(),
        n => format!("（这张表里还有 {n} 个这样的日期）"),
    };
    Some(Note::new(
        cell.at.clone(),
        format!(
            "日期 {} 不在 {year} 年内{more}；若是笔误，请改正。",
            typing::iso_date(date)
        ),
    ))
}

/// A folder's data files: its workbooks (opened once, with their sheet names) and text files,
/// and every sheet read at most once.
struct Folder {
    dir: PathBuf,
    workbooks: Vec<workbook::Workbook>,
    texts: Vec<PathBuf>,
    /// Files of a type huibao does not read, for messages about a missing source.
    others: Vec<PathBuf>,
    grids: HashMap<String, Result<Arc<Grid>>>,
}

impl Folder {
    /// Opens the workbooks among `files` (the folder's listing from the index).
    fn open(dir: &Path, files: &[PathBuf]) -> Result<Folder> {
        let data: Vec<PathBuf> = files.iter().filter(|p| read_as_data(p)).cloned().collect();
        limits::check_folder_size(dir, &data)?;
        let mut workbooks = Vec::new();
        let mut texts = Vec::new();
        let mut others = Vec::new();
        for path in files {
            let ext = extension(path);
            if WORKBOOK_EXTENSIONS.contains(&ext.as_str()) {
                workbooks.push(workbook::Workbook::open(path)?);
            } else if TEXT_EXTENSIONS.contains(&ext.as_str()) {
                texts.push(path.clone());
            } else {
                others.push(path.clone());
            }
        }
        Ok(Folder {
            dir: dir.to_path_buf(),
            workbooks,
            texts,
            others,
            grids: HashMap::new(),
        })
    }

    /// What the folder holds, for a message about a source it lacks: each workbook with its
    /// sheets (hidden ones marked), the text files, and files of a type not read with what to
    /// do; then the closest name to `name`.
    fn inventory(&self, name: &str) -> String {
        let mut parts: Vec<String> = self
            .workbooks
            .iter()
            .map(|w| {
                format!(
                    "{}（工作表：{}）",
                    file_name(&w.path),
                    w.describe_sheets().join("、")
                )
            })
            .collect();
        parts.extend(self.texts.iter().map(|p| file_name(p)));
        parts.extend(
            self.others
                .iter()
                .map(|p| format!("{}（{}）", file_name(p), unread_advice(&extension(p)))),
        );
        let mut text = if parts.is_empty() {
            // A department just added: its form is one command away.
            let name = |p: Option<&Path>| {
                p.and_then(Path::file_name)
                    .map(|n| n.to_string_lossy().into_owned())
                    .unwrap_or_default()
            };
            let (dept, year) = (name(Some(&self.dir)), name(self.dir.parent()));
            // As a command line takes it: trimmed, in quotes if it holds a space.
            let dept = match dept.trim() {
                d if d.contains(char::is_whitespace) => format!("\"{d}\""),
                d => d.to_owned(),
            };
            format!(
                "这个文件夹是空的（可运行 huibao forms --year {year} --dept {dept} 生成这个单位的空白数据表，填好后放进来）。"
            )
        } else {
            format!("文件夹中有：{}。", parts.join("；"))
        };
        let candidates: Vec<&str> = self
            .workbooks
            .iter()
            .flat_map(|w| w.sheet_names())
            .chain(self.texts.iter().filter_map(|p| p.file_stem()?.to_str()))
            .collect();
        if let Some(hint) = crate::suggest::did_you_mean(name, &candidates) {
            text.push_str(&hint);
        }
        text
    }

    /// Whether any workbook or text file here holds `name`.
    fn has(&self, name: &str) -> bool {
        self.workbooks.iter().any(|w| w.has_sheet(name))
            || self.texts.iter().any(|p| text_name(p) == name)
    }

    /// The one sheet or text file named `name`, read on first use.
    fn grid(&mut self, name: &str) -> Result<Arc<Grid>> {
        if let Some(grid) = self.grids.get(name) {
            return grid.clone();
        }
        let grid = self.read(name).map(Arc::new);
        self.grids.insert(name.to_owned(), grid.clone());
        grid
    }

    fn read(&mut self, name: &str) -> Result<Grid> {
        let in_workbooks: Vec<usize> = (0..self.workbooks.len())
            .filter(|&i| self.workbooks[i].has_sheet(name))
            .collect();
        let in_texts: Vec<&PathBuf> = self.texts.iter().filter(|p| text_name(p) == name).collect();
        let locations: Vec<Location> = in_workbooks
            .iter()
            .map(|&i| Location::sheet(&self.workbooks[i].path, Some(name)))
            .chain(in_texts.iter().map(|p| Location::file(p)))
            .collect();
        let places: Vec<String> = locations.iter().map(ToString::to_string).collect();
        match (in_workbooks.as_slice(), in_texts.as_slice()) {
            ([i], []) => self.workbooks[*i].grid(name),
            ([], [path]) => csv::read(path),
            ([], []) => Err(Error::SourceMissing {
                name: name.to_owned(),
                dir: self.dir.clone(),
                found: self.inventory(name),
            }),
            _ => Err(Error::SourceAmbiguous {
                name: name.to_owned(),
                places: places.join("、"),
                first: locations[0].clone(),
            }),
        }
    }
}

/// The source name a text file provides: its name without the extension, trimmed.
fn text_name(path: &Path) -> String {
    path.file_stem()
        .map(|s| s.to_string_lossy().trim().to_owned())
        .unwrap_or_default()
}

fn file_name(path: &Path) -> String {
    path.file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default()
}

/// What to do with a file of a type huibao does not read.
fn unread_advice(extension: &str) -> &'static str {
    match extension {
        "et" | "ett" => "WPS 表格文件，huibao 不能直接读取：请在 WPS 中“另存为” .xlsx",
        "numbers" => "Numbers 文件：请导出为 .xlsx",
        "doc" | "docx" | "wps" | "pdf" | "md" => "文档，不是表格：数据请填在工作簿或 CSV 文件中",
        _ => "huibao 不读取这种文件",
    }
}

fn extension(path: &Path) -> String {
    path.extension()
        .map(|e| e.to_string_lossy().to_lowercase())
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::{CellStyle, CellStyles, PercentCode, Raw};

    #[test]
    fn percentage_blocks_are_found_by_row_and_column() {
        let code = PercentCode::parse("0%").unwrap();
        let mut percentages = CellStyles::default();
        percentages.cells.insert((0, 0), CellStyle::Percent(code));
        // Row 1: columns 2–4 and 8–9; rows 3–6 (one row repeated): columns 0–1.
        let style = || CellStyle::Percent(code);
        percentages.add_block((1, 2), (1, 4), style());
        percentages.add_block((1, 8), (1, 9), style());
        percentages.add_block((3, 0), (6, 1), style());
        let found = |at| matches!(percentages.apply(at, Raw::Float(0.5)), Raw::Percent(..));
        for at in [
            (0, 0),
            (1, 2),
            (1, 4),
            (1, 8),
            (1, 9),
            (3, 0),
            (6, 1),
            (5, 1),
        ] {
            assert!(found(at), "{at:?}");
        }
        for at in [
            (0, 1),
            (1, 1),
            (1, 5),
            (1, 10),
            (2, 0),
            (3, 2),
            (7, 0),
            (9, 9),
        ] {
            assert!(!found(at), "{at:?}");
        }
    }
}
