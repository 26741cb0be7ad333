//! Sources: a department's workbooks and CSV files, read into typed tables and records.
//!
//! A variable comes from a worksheet of the manifest's `sheet` name in any workbook of the
//! department's folder, or from a CSV file of that name; the templates cannot tell which.
//! Every typed value keeps its [`Location`], so every error, and later every reviewer, can
//! point at the cell it came from.

mod csv;
mod shape;
mod typing;
pub use typing::{is_forbidden, parse_date};
mod workbook;

use std::path::{Path, PathBuf};

use chrono::{NaiveDate, NaiveDateTime};
use indexmap::IndexMap;

use crate::diagnostics::{Error, Location, Note, Result};
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
    /// What reading changed and a careful clerk should know (a merged cell filled down).
    pub notes: Vec<Note>,
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

pub type Row = IndexMap<String, Cell>;

/// A source's data in the shape the manifest declares.
#[derive(Debug, Clone, PartialEq)]
pub enum Data {
    Table(Vec<Row>),
    Record(Row),
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
            Data::Table(rows) => rows,
            Data::Record(row) => std::slice::from_mut(row),
        };
        rows.iter_mut().flat_map(|row| row.values_mut())
    }
}

/// Every source of one department for one report kind, by variable name, in manifest order.
#[derive(Debug, Clone, Default)]
pub struct Sources {
    pub vars: IndexMap<String, Data>,
    /// Notes from reading, for `check` and the summary.
    pub notes: Vec<Note>,
}

/// File extensions read as workbooks (through calamine) and as delimited text.
pub const WORKBOOK_EXTENSIONS: &[&str] = &["xlsx", "xlsm", "xls", "xlsb", "ods"];
pub const TEXT_EXTENSIONS: &[&str] = &["csv", "tsv"];

/// Where a department's data is: its own folder, and the year's folder, whose workbooks and
/// CSV files may hold master tables for all departments with a department column.
#[derive(Debug, Clone, Copy)]
pub struct Place<'a> {
    pub dir: &'a Path,
    pub year_dir: &'a Path,
    pub dept: &'a str,
    /// Every department of the year, to tell a typo in a master table's department column.
    pub known: &'a [String],
}

/// Reads every source the manifest declares: from the department's folder, or, when it is not
/// there, from a master table in the year's folder (only the department's rows).
pub fn load(manifest: &Manifest, place: Place) -> Result<Sources> {
    let mut folder = Folder::open(place.dir)?;
    let mut shared: Option<Folder> = None;
    let mut vars = IndexMap::new();
    let mut notes = Vec::new();
    // Every source is read even when one fails, so one run reports every problem.
    let mut errors = Vec::new();
    for source in &manifest.sources {
        let grid = match folder.grid(&source.sheet) {
            Err(missing @ Error::SourceMissing { .. }) => {
                match year_folder(&mut shared, place.year_dir) {
                    Ok(year) if year.has(&source.sheet) => {
                        master_rows(year, source, place).map(|(grid, rows_notes)| {
                            notes.extend(rows_notes);
                            grid
                        })
                    }
                    Ok(_) => Err(missing),
                    // A broken workbook in the year's folder may be the master table sought.
                    Err(broken) => Err(Error::join(vec![missing, broken])),
                }
            }
            other => other,
        };
        let grid = match grid {
            Ok(grid) => grid,
            Err(e) => {
                errors.push(e);
                continue;
            }
        };
        notes.extend(grid.notes.iter().cloned());
        let data = match &source.shape {
            Shape::Table { columns } => shape::table(&grid, columns).map(|(rows, ignored)| {
                notes.extend(ignored);
                Data::Table(rows)
            }),
            Shape::Record { fields, other } => {
                shape::record(&grid, fields, *other).map(|(row, cut)| {
                    notes.extend(cut);
                    Data::Record(row)
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
    Ok(Sources { vars, notes })
}

/// The year's folder, opened on first use.
fn year_folder<'f>(shared: &'f mut Option<Folder>, dir: &Path) -> Result<&'f mut Folder> {
    if shared.is_none() {
        *shared = Some(Folder::open(dir)?);
    }
    Ok(shared.as_mut().expect("just opened"))
}

/// The department's rows of a master table.
fn master_rows(year: &mut Folder, source: &Source, place: Place) -> Result<(Grid, Vec<Note>)> {
    let grid = year.grid(&source.sheet)?;
    if !matches!(source.shape, Shape::Table { .. }) {
        return Err(Error::Workspace(format!(
            "{}：年度文件夹中的汇总表只能是 table（每行一条，带“{}”列）；record 请放在各单位的文件夹中。",
            grid.at, source.dept_column
        )));
    }
    let column = Column::new(source.dept_column.clone(), ColumnType::Text);
    shape::department_rows(&grid, &column, place.dept, place.known)
}

/// A department's folder: its workbooks (opened once, with their sheet names) and text files.
struct Folder {
    dir: PathBuf,
    workbooks: Vec<workbook::Workbook>,
    texts: Vec<PathBuf>,
}

impl Folder {
    fn open(dir: &Path) -> Result<Folder> {
        let entries = std::fs::read_dir(dir).map_err(|source| Error::Read {
            path: dir.to_path_buf(),
            source,
        })?;
        let mut paths: Vec<PathBuf> = entries
            .filter_map(|e| e.ok().map(|e| e.path()))
            .filter(|p| p.is_file())
            // Excel's lock files (`~$工作数据.xlsx`) sit beside an open workbook; macOS leaves
            // `._工作数据.xlsx` on USB sticks. Neither is data.
            .filter(|p| !file_name(p).starts_with("~$") && !file_name(p).starts_with("._"))
            .collect();
        paths.sort();
        let mut workbooks = Vec::new();
        let mut texts = Vec::new();
        for path in paths {
            let ext = extension(&path);
            if WORKBOOK_EXTENSIONS.contains(&ext.as_str()) {
                workbooks.push(workbook::Workbook::open(&path)?);
            } else if TEXT_EXTENSIONS.contains(&ext.as_str()) {
                texts.push(path);
            }
        }
        Ok(Folder {
            dir: dir.to_path_buf(),
            workbooks,
            texts,
        })
    }

    /// Whether any workbook or text file here holds `name`.
    fn has(&self, name: &str) -> bool {
        self.workbooks.iter().any(|w| w.has_sheet(name))
            || self.texts.iter().any(|p| text_name(p) == name)
    }

    /// The one sheet or text file named `name`.
    fn grid(&mut self, name: &str) -> Result<Grid> {
        let in_workbooks: Vec<usize> = (0..self.workbooks.len())
            .filter(|&i| self.workbooks[i].has_sheet(name))
            .collect();
        let in_texts: Vec<&PathBuf> = self
            .texts
            .iter()
            .filter(|p| {
                p.file_stem()
                    .is_some_and(|s| s.to_string_lossy().trim() == name)
            })
            .collect();
        let places: Vec<String> = in_workbooks
            .iter()
            .map(|&i| Location::sheet(&self.workbooks[i].path, Some(name)).to_string())
            .chain(in_texts.iter().map(|p| p.display().to_string()))
            .collect();
        match (in_workbooks.as_slice(), in_texts.as_slice()) {
            ([i], []) => self.workbooks[*i].grid(name),
            ([], [path]) => csv::read(path),
            ([], []) => Err(Error::SourceMissing {
                name: name.to_owned(),
                dir: self.dir.clone(),
            }),
            _ => Err(Error::SourceAmbiguous {
                name: name.to_owned(),
                places: places.join("、"),
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

fn extension(path: &Path) -> String {
    path.extension()
        .map(|e| e.to_string_lossy().to_lowercase())
        .unwrap_or_default()
}
