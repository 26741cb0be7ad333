//! Writers: from the document model to the bytes of each output format, written atomically.

mod docx;
mod md;
mod txt;

use std::io::Write;
use std::path::Path;

use crate::diagnostics::{Error, Result};
use crate::document::Document;
use crate::manifest::DocxStyle;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, clap::ValueEnum)]
pub enum Format {
    /// 纯文本：标题、空行、每段一行
    Txt,
    /// Markdown
    Md,
    /// Word，按 GB/T 9704-2012 公文格式
    Docx,
}

impl Format {
    pub fn extension(self) -> &'static str {
        match self {
            Format::Txt => "txt",
            Format::Md => "md",
            Format::Docx => "docx",
        }
    }
}

/// The bytes of `document` in `format`; `style` is the report kind's Word look.
pub fn emit(document: &Document, format: Format, style: &DocxStyle) -> Vec<u8> {
    match format {
        Format::Txt => txt::write(document).into_bytes(),
        Format::Md => md::write(document).into_bytes(),
        Format::Docx => docx::write(document, style),
    }
}

/// Writes a file whole or not at all: into a temporary file beside it, then renamed over it.
pub fn write_atomic(path: &Path, bytes: &[u8]) -> Result<()> {
    let fail = |source| Error::Write {
        path: path.to_path_buf(),
        source,
    };
    let dir = path.parent().unwrap_or(Path::new("."));
    std::fs::create_dir_all(dir).map_err(fail)?;
    let mut builder = tempfile::Builder::new();
    builder.prefix(".huibao-");
    // A report is an ordinary file (rw-r--r-- less the umask), not the temporary file's 0600.
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        builder.permissions(std::fs::Permissions::from_mode(0o644));
    }
    let mut file = builder.tempfile_in(dir).map_err(fail)?;
    file.write_all(bytes).map_err(fail)?;
    file.as_file().sync_all().map_err(fail)?;
    file.persist(path).map_err(|e| fail(e.error))?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn atomic_write_replaces_the_file_and_leaves_no_temporary() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("a/b.txt");
        write_atomic(&path, "旧".as_bytes()).unwrap();
        write_atomic(&path, "新".as_bytes()).unwrap();
        assert_eq!(std::fs::read_to_string(&path).unwrap(), "新");
        let names: Vec<_> = std::fs::read_dir(path.parent().unwrap()).unwrap().collect();
        assert_eq!(names.len(), 1);
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(&path).unwrap().permissions().mode();
            assert_eq!(
                mode & 0o044,
                0o044,
                "readable by others, like any report: {mode:o}"
            );
        }
    }
}
