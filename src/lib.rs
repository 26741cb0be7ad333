//! huibao (汇报) assembles Chinese government annual work reports from spreadsheets and
//! Jinja templates.
//!
//! The pipeline, one plain stage after another:
//! [`batch::Plan`] → [`manifest::Manifest`] → [`sources::Sources`] → [`context::Context`]
//! → [`render::Rendered`] → [`document::Document`] → [`emit`] (txt, md), written atomically.

// Errors carry their full context (file, sheet, cell, found value) by value; they travel
// only on the failure path, where their size costs nothing worth a box.
#![allow(clippy::result_large_err)]

pub mod batch;
pub mod cli;
pub mod context;
pub mod diagnostics;
pub mod document;
pub mod emit;
pub mod manifest;
pub mod markup;
pub mod numerals;
pub mod render;
pub mod sources;
pub mod workspace;
