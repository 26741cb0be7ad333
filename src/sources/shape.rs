//! From a read grid to the declared shape: a table (header row, then rows) or a record
//! (keys in the first column, values in the second).

use indexmap::IndexMap;

use super::typing::{convert, text_of};
use super::{Cell, Grid, Raw, Row};
use crate::diagnostics::{Error, Result, cell_name};
use crate::manifest::{Column, ColumnType};

/// Header names are compared trimmed: `参与人数 ` is `参与人数`.
fn header_key(raw: &Raw) -> String {
    text_of(raw)
}

/// A table: the first non-blank row is the header; each declared column is found by name;
/// rows whose declared cells are all blank are skipped.
pub fn table(grid: &Grid, columns: &[Column]) -> Result<Vec<Row>> {
    let Some((header, body)) = grid.rows.split_first() else {
        let column = columns.first().map(|c| c.name.clone()).unwrap_or_default();
        return Err(Error::ColumnMissing {
            at: grid.at.clone(),
            column,
        });
    };
    let mut found: IndexMap<String, u32> = IndexMap::new();
    for (i, raw) in header.cells.iter().enumerate() {
        let name = header_key(raw);
        if name.is_empty() {
            continue;
        }
        let col = grid.first_col + i as u32;
        if let Some(&first) = found.get(&name)
            && columns.iter().any(|c| c.name.trim() == name)
        {
            return Err(Error::ColumnDuplicate {
                at: grid.at.clone(),
                column: name,
                first: cell_name(header.index, first),
                second: cell_name(header.index, col),
            });
        }
        found.entry(name).or_insert(col);
    }
    let mut positions = Vec::new();
    for column in columns {
        match found.get(column.name.trim()) {
            Some(&col) => positions.push(Some(col)),
            None if column.required => {
                return Err(Error::ColumnMissing {
                    at: grid.at.at(header.index, grid.first_col),
                    column: column.name.clone(),
                });
            }
            None => positions.push(None),
        }
    }
    let mut rows = Vec::new();
    for grid_row in body {
        let raw_at = |col: u32| {
            grid_row
                .cells
                .get((col - grid.first_col) as usize)
                .unwrap_or(&Raw::Empty)
        };
        if positions
            .iter()
            .flatten()
            .all(|&c| *raw_at(c) == Raw::Empty)
        {
            continue;
        }
        let mut row = Row::new();
        for (column, position) in columns.iter().zip(&positions) {
            let (raw, at) = match position {
                Some(col) => (raw_at(*col), grid.at.at(grid_row.index, *col)),
                None => (&Raw::Empty, grid.at.clone()),
            };
            let value = convert(raw, column, &at)?;
            row.insert(
                column.name.trim().to_owned(),
                Cell {
                    value,
                    at,
                    template: column.template,
                },
            );
        }
        rows.push(row);
    }
    Ok(rows)
}

/// A record: after a header row, each row holds a key and its value. Declared fields are
/// typed as declared; other keys take the type `other`, or are an error without it.
pub fn record(grid: &Grid, fields: &[Column], other: Option<ColumnType>) -> Result<Row> {
    let mut row = Row::new();
    let body = grid.rows.get(1..).unwrap_or_default();
    for grid_row in body {
        let key_raw = grid_row.cells.first().unwrap_or(&Raw::Empty);
        let value_raw = grid_row.cells.get(1).unwrap_or(&Raw::Empty);
        let key_at = grid.at.at(grid_row.index, grid.first_col);
        let value_at = grid.at.at(grid_row.index, grid.first_col + 1);
        let key = header_key(key_raw);
        if key.is_empty() {
            if *value_raw == Raw::Empty {
                continue;
            }
            return Err(Error::Empty {
                at: key_at,
                column: "项目名".into(),
            });
        }
        if let Some(previous) = row.get(&key) {
            return Err(Error::KeyDuplicate {
                at: key_at,
                key,
                other: previous.at.cell.clone().unwrap_or_default(),
            });
        }
        let declared = fields.iter().find(|f| f.name.trim() == key);
        let column = match (declared, other) {
            (Some(field), _) => field.clone(),
            (None, Some(ty)) => Column {
                name: key.clone(),
                ty,
                required: true,
                template: false,
                one_of: Vec::new(),
            },
            (None, None) => return Err(Error::KeyUnknown { at: key_at, key }),
        };
        let value = convert(value_raw, &column, &value_at)?;
        row.insert(
            key,
            Cell {
                value,
                at: value_at,
                template: column.template,
            },
        );
    }
    for field in fields {
        let key = field.name.trim();
        if row.contains_key(key) {
            continue;
        }
        if field.required {
            return Err(Error::KeyMissing {
                at: grid.at.clone(),
                key: key.to_owned(),
            });
        }
        row.insert(
            key.to_owned(),
            Cell {
                value: super::Value::Empty,
                at: grid.at.clone(),
                template: field.template,
            },
        );
    }
    Ok(row)
}
