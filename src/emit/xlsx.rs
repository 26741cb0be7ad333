//! What every workbook huibao writes (the summary workbook, the blank forms) has in common:
//! fixed document properties and zip metadata, so the same inputs give the same bytes on every
//! run and every system; and cell coordinates from counts.

use std::io::{Read, Seek, Write};

use rust_xlsxwriter::{DocProperties, ExcelDateTime, Workbook};

/// rust_xlsxwriter's zip compression level for every workbook huibao writes. Level 2 packs
/// the summary workbook much faster than the usual 6, for a file about a sixth larger.
const LEVEL: u8 = 2;

/// An empty workbook whose properties do not change from run to run.
pub fn new_workbook() -> Workbook {
    let mut workbook = Workbook::new();
    workbook.set_zip_compression_level(LEVEL);
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
    let package = workbook.save_to_buffer().map_err(into_io)?;
    let mut package = std::io::Cursor::new(package);
    made_on_unix(&mut package)?;
    Ok(package.into_inner())
}

/// The workbook written into `out` (a new file, opened for reading and writing) as it is
/// packed, never whole in memory (the summary workbook of 10,000 departments is tens of
/// megabytes), the same on Windows as on Linux.
pub fn write(workbook: &mut Workbook, out: &mut std::fs::File) -> std::io::Result<()> {
    pack(workbook, &mut *out)?;
    made_on_unix(out)?;
    out.flush()
}

/// The workbook packed into `out`, through a buffer. After the first error (a full disk) the
/// rest of the packing is not written: the zip writer inside rust_xlsxwriter, dropped after
/// the error, tries to finish the package once more and would print its own English line when
/// that failed too.
fn pack<W: Write + Seek + Send>(workbook: &mut Workbook, out: W) -> std::io::Result<()> {
    let mut fused = Fused {
        inner: out,
        failed: None,
    };
    let mut buffered = std::io::BufWriter::new(&mut fused);
    workbook.save_to_writer(&mut buffered).map_err(into_io)?;
    // Flushed here, where a full disk is an error, not on drop, where it would be ignored.
    buffered
        .into_inner()
        .map_err(std::io::IntoInnerError::into_error)?;
    // Failed, it is never a workbook, whatever the packing made of the error.
    match fused.failed {
        Some(kind) => Err(kind.into()),
        None => Ok(()),
    }
}

/// A writer that fails once, with the first error of the writer inside it (but a write that
/// was interrupted, which is tried again), and then takes every write and seek without doing
/// it.
struct Fused<W> {
    inner: W,
    failed: Option<std::io::ErrorKind>,
}

impl<W> Fused<W> {
    fn guard<T>(
        &mut self,
        done: T,
        step: impl FnOnce(&mut W) -> std::io::Result<T>,
    ) -> std::io::Result<T> {
        if self.failed.is_some() {
            return Ok(done);
        }
        step(&mut self.inner).inspect_err(|e| {
            if e.kind() != std::io::ErrorKind::Interrupted {
                self.failed = Some(e.kind());
            }
        })
    }
}

impl<W: Write> Write for Fused<W> {
    fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
        self.guard(bytes.len(), |w| w.write(bytes))
    }

    fn flush(&mut self) -> std::io::Result<()> {
        self.guard((), Write::flush)
    }
}

impl<W: Seek> Seek for Fused<W> {
    fn seek(&mut self, to: std::io::SeekFrom) -> std::io::Result<u64> {
        self.guard(0, |w| w.seek(to))
    }
}

/// rust_xlsxwriter's error as the I/O error inside it, when there is one: a full disk is then
/// told as one, with what to do, rather than as an unknown error.
fn into_io(e: rust_xlsxwriter::XlsxError) -> std::io::Error {
    use rust_xlsxwriter::XlsxError;
    match e {
        XlsxError::IoError(e) | XlsxError::ZipError(zip::result::ZipError::Io(e)) => e,
        e => std::io::Error::other(e),
    }
}

/// Names Unix as the system that made each entry of a zip package rust_xlsxwriter wrote, in
/// place. Everything else in its package is the same on every system (a fixed time and
/// permissions, the same deflated bytes), but the zip crate names the system it runs on
/// (DOS on Windows) in one byte of each entry's central directory record. Writing the
/// package again with the system named would deflate it again, and deflating the same bytes
/// fed in other pieces does not give the same output; so that byte alone is set. On Unix
/// it is set already, and nothing changes (a unit test checks both).
fn made_on_unix<F: Read + Write + Seek>(package: &mut F) -> std::io::Result<()> {
    // Where each entry's central directory record starts, as the zip reader found them.
    let records: Vec<u64> = {
        let mut archive = zip::ZipArchive::new(&mut *package)?;
        (0..archive.len())
            .map(|i| archive.by_index_raw(i).map(|e| e.central_header_start()))
            .collect::<Result<_, _>>()?
    };
    for start in records {
        // Signature (4 bytes), then “version made by”: the zip version, then the system.
        let mut head = [0u8; 6];
        package.seek(std::io::SeekFrom::Start(start))?;
        package.read_exact(&mut head)?;
        if head[..4] != [0x50, 0x4b, 0x01, 0x02] {
            return Err(std::io::Error::other(format!(
                "zip 目录记录的位置不对（偏移 {start}）"
            )));
        }
        if head[5] != zip::System::Unix as u8 {
            package.seek(std::io::SeekFrom::Start(start + 5))?;
            package.write_all(&[zip::System::Unix as u8])?;
        }
    }
    package.seek(std::io::SeekFrom::End(0))?;
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

#[cfg(test)]
mod tests {
    use super::*;

    /// A package as the zip crate writes it with `system`, rust_xlsxwriter's options otherwise.
    fn package(system: zip::System) -> Vec<u8> {
        let mut out = zip::ZipWriter::new_stream(std::io::Cursor::new(Vec::new()));
        let options = zip::write::SimpleFileOptions::default()
            .compression_method(zip::CompressionMethod::Deflated)
            .compression_level(Some(i64::from(LEVEL)))
            .unix_permissions(0o600)
            .last_modified_time(zip::DateTime::default())
            .system(system);
        for (name, rows) in [("xl/workbook.xml", 3), ("xl/worksheets/sheet1.xml", 5_000)] {
            out.start_file(name, options).unwrap();
            for r in 0..rows {
                write!(out, "<row r=\"{r}\"><c t=\"s\"><v>{r}</v></c></row>").unwrap();
            }
        }
        out.finish().unwrap().into_inner().into_inner()
    }

    #[test]
    fn a_package_made_on_windows_gets_the_bytes_made_on_unix() {
        let unix = package(zip::System::Unix);
        let mut dos = std::io::Cursor::new(package(zip::System::Dos));
        assert_ne!(dos.get_ref(), &unix);
        made_on_unix(&mut dos).unwrap();
        assert!(dos.get_ref() == &unix, "the system byte alone differs");
        // On a package made on Unix it changes nothing.
        let mut again = std::io::Cursor::new(unix.clone());
        made_on_unix(&mut again).unwrap();
        assert!(again.into_inner() == unix);
    }

    #[test]
    fn a_full_disk_under_rust_xlsxwriter_stays_a_full_disk() {
        use rust_xlsxwriter::XlsxError;
        let full = || std::io::Error::from_raw_os_error(28);
        for e in [
            XlsxError::IoError(full()),
            XlsxError::ZipError(zip::result::ZipError::Io(full())),
        ] {
            assert_eq!(into_io(e).raw_os_error(), Some(28));
        }
        let other = into_io(XlsxError::ParameterError("x".into()));
        assert_eq!(other.kind(), std::io::ErrorKind::Other);
    }

    /// A disk with room for `room` bytes, counting the writes tried once it is full.
    struct Disk {
        data: std::io::Cursor<Vec<u8>>,
        room: u64,
        tried_when_full: usize,
        /// The next write is interrupted (a signal), as a system may.
        interrupt: bool,
    }

    impl Write for Disk {
        fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
            if self.interrupt {
                self.interrupt = false;
                return Err(std::io::ErrorKind::Interrupted.into());
            }
            if self.data.position() + bytes.len() as u64 > self.room {
                self.tried_when_full += 1;
                return Err(std::io::Error::from_raw_os_error(28));
            }
            self.data.write(bytes)
        }

        fn flush(&mut self) -> std::io::Result<()> {
            Ok(())
        }
    }

    impl Seek for Disk {
        fn seek(&mut self, to: std::io::SeekFrom) -> std::io::Result<u64> {
            self.data.seek(to)
        }
    }

    #[test]
    fn a_disk_that_fills_while_packing_is_told_once_and_written_to_no_more() {
        let mut workbook = new_workbook();
        let sheet = workbook.add_worksheet();
        for r in 0..2_000 {
            sheet.write_string(r, 0, format!("单位{r}")).unwrap();
        }
        let mut disk = Disk {
            data: std::io::Cursor::new(Vec::new()),
            room: 10_000,
            tried_when_full: 0,
            interrupt: false,
        };
        let e = pack(&mut workbook, &mut disk).unwrap_err();
        assert_eq!(e.raw_os_error(), Some(28));
        // Nothing more reached the disk, also not from the zip writer when it was dropped:
        // failing there, it prints its own English line.
        assert_eq!(disk.tried_when_full, 1);
        // A write interrupted is tried again, not taken for a failure: the workbook is whole.
        let mut disk = Disk {
            data: std::io::Cursor::new(Vec::new()),
            room: u64::MAX,
            tried_when_full: 0,
            interrupt: true,
        };
        pack(&mut workbook, &mut disk).unwrap();
        let bytes = disk.data.into_inner();
        assert!(zip::ZipArchive::new(std::io::Cursor::new(bytes)).is_ok());
    }

    #[test]
    fn a_workbook_names_unix_as_its_system_on_every_system() {
        let mut workbook = new_workbook();
        workbook.add_worksheet().write_string(0, 0, "单位").unwrap();
        let bytes = bytes(&mut workbook).unwrap();
        let mut archive = zip::ZipArchive::new(std::io::Cursor::new(bytes)).unwrap();
        for i in 0..archive.len() {
            assert_eq!(archive.by_index(i).unwrap().system(), zip::System::Unix);
        }
    }
}
