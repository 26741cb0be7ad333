//! huibao (汇报) assembles Chinese government annual work reports from spreadsheets and
//! Jinja templates.
//!
//! The per-report pipeline ([`pipeline`]), one plain stage after another:
//! [`index::YearIndex`] → [`manifest::Manifest`] → [`sources::Sources`] → [`context::Context`]
//! → [`render::Rendered`] → [`document::Document`] → [`emit`] (txt, md, docx), staged; the
//! [`batch`] schedules departments, commits their files in bulk and reports each outcome;
//! [`cmd`] holds one module per command.

// Errors carry their full context (file, sheet, cell, found value) by value; they travel
// only on the failure path, where their size costs nothing worth a box.
#![allow(clippy::result_large_err)]

pub mod batch;
pub mod cli;
pub mod cmd;
pub mod context;
pub mod diagnostics;
pub mod document;
pub mod emit;
pub mod forms;
pub mod index;
pub mod manifest;
pub mod markup;
pub mod numerals;
pub mod pipeline;
pub mod record;
pub mod render;
pub mod sources;
pub mod suggest;
pub mod summary;
pub mod workspace;
