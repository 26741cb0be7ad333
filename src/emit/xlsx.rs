//! What every workbook huibao writes (the summary workbook, the blank forms) has in common:
//! fixed document properties and zip metadata, so the same inputs give the same bytes on every
//! run and every system; and cell coordinates from counts.

use std::io::{Read, Seek, Write};

use rust_xlsxwriter::{DocProperties, ExcelDateTime, Workbook};

/// An empty workbook whose properties do not change from run to run.
pub fn new_workbook() -> Workbook {
    let mut workbook = Workbook::new();
    // The package rust_xlsxwriter writes is inflated again and repacked by `bytes`: the
    // fastest level is enough for it.
    workbook.set_zip_compression_level(1);
    let when = ExcelDateTime::from_ymd(2000, 1, 1).expect("a valid constant date");
    workbook.set_properties(
        &DocProperties::new()
            .set_creation_datetime(&when)
            .set_author("huibao"),
    );
    workbook
}

/// The workbook's bytes, the same on Windows as on Linux (for small workbooks: the forms).
pub fn bytes(workbook: &mut Workbook) -> std::io::Result<Vec<u8>> {
    let package = workbook.save_to_buffer().map_err(std::io::Error::other)?;
    let mut out = std::io::Cursor::new(Vec::with_capacity(package.len()));
    same_everywhere(std::io::Cursor::new(package), &mut out)?;
    Ok(out.into_inner())
}

/// The workbook written into `out`, the same on Windows as on Linux, without holding it in
/// memory: rust_xlsxwriter's package goes to an anonymous temporary file first (the summary
/// workbook of 10,000 departments is tens of megabytes).
pub fn write(workbook: &mut Workbook, out: &mut std::fs::File) -> std::io::Result<()> {
    let mut package = tempfile::tempfile()?;
    workbook
        .save_to_writer(std::io::BufWriter::new(&mut package))
        .map_err(std::io::Error::other)?;
    package.seek(std::io::SeekFrom::Start(0))?;
    let mut out = std::io::BufWriter::new(out);
    same_everywhere(std::io::BufReader::new(package), &mut out)?;
    out.flush()
}

/// A zip package (a workbook rust_xlsxwriter wrote) written again with the same entries in the
/// same order but fixed metadata — the time, the permissions, Unix as the system that made
/// it — so the Windows build writes the same bytes as the Linux one. Level 2 packs much
/// faster than the usual 6, for a file about a sixth larger (the summary workbook).
fn same_everywhere(package: impl Read + Seek, out: impl Write + Seek) -> std::io::Result<()> {
    let mut archive = zip::ZipArchive::new(package)?;
    let mut out = zip::ZipWriter::new(out);
    let options = zip::write::SimpleFileOptions::DEFAULT
        .compression_method(zip::CompressionMethod::Deflated)
        .compression_level(Some(2))
        .last_modified_time(zip::DateTime::DEFAULT)
        .system(zip::System::Unix)
        .unix_permissions(0o644);
    // Each entry is streamed through (decompressed and compressed again, never whole in
    // memory): a raw copy would keep the metadata of the system that wrote it.
    for i in 0..archive.len() {
        let mut entry = archive.by_index(i)?;
        let name = entry.name().map_err(std::io::Error::other)?.into_owned();
        out.start_file(name, options)?;
        std::io::copy(&mut entry, &mut out)?;
    }
    out.finish()?;
    Ok(())
}

/// A column number from a count; beyond Excel's columns it saturates, which rust_xlsxwriter
/// then refuses with an error.
pub fn col(i: usize) -> u16 {
    u16::try_from(i).unwrap_or(u16::MAX)
}

/// A row number from a count, saturating likewise.
pub fn row(i: usize) -> u32 {
    u32::try_from(i).unwrap_or(u32::MAX)
}
