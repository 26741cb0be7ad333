//! What every workbook huibao writes (the summary workbook, the blank forms) has in common:
//! fixed document properties and zip metadata, so the same inputs give the same bytes on every
//! run and every system; and cell coordinates from counts.

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

/// The workbook's bytes, the same on Windows as on Linux.
pub fn bytes(workbook: &mut Workbook) -> std::io::Result<Vec<u8>> {
    let package = workbook.save_to_buffer().map_err(std::io::Error::other)?;
    same_everywhere(&package)
}

/// A zip package (a workbook rust_xlsxwriter wrote) written again with the same entries in the
/// same order but fixed metadata — the time, the permissions, Unix as the system that made
/// it — so the Windows build writes the same bytes as the Linux one.
fn same_everywhere(package: &[u8]) -> std::io::Result<Vec<u8>> {
    let mut archive = zip::ZipArchive::new(std::io::Cursor::new(package))?;
    let mut out = zip::ZipWriter::new(std::io::Cursor::new(Vec::with_capacity(package.len())));
    let options = zip::write::SimpleFileOptions::DEFAULT
        .compression_method(zip::CompressionMethod::Deflated)
        .compression_level(Some(6))
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
    Ok(out.finish()?.into_inner())
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
