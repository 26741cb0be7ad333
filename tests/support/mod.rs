//! What the integration tests share: the example data and a workspace to run huibao in.
#![allow(dead_code)]

mod data;
pub mod xlsb;

pub use data::*;

use std::path::Path;

/// The reference report the shipped example reproduces, byte for byte.
pub fn reference() -> String {
    std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/golden/ideology-report-2022.txt"),
    )
    .expect("the golden file")
}

/// A workspace in a temporary folder: the repository's templates and the example data.
pub struct Fixture {
    pub dir: tempfile::TempDir,
}

/// What a run of the binary did.
pub struct Run {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

impl Fixture {
    /// The shipped templates with the example data written afresh.
    pub fn example() -> Fixture {
        let fixture = Fixture::templates_only();
        write_example(&fixture.path("data"));
        fixture
    }

    /// The shipped templates and an empty `data/`.
    pub fn templates_only() -> Fixture {
        let dir = tempfile::tempdir().expect("temporary folder");
        copy_dir(
            &Path::new(env!("CARGO_MANIFEST_DIR")).join("templates"),
            &dir.path().join("templates"),
        );
        std::fs::create_dir_all(dir.path().join("data")).expect("data folder");
        Fixture { dir }
    }

    pub fn path(&self, relative: &str) -> std::path::PathBuf {
        self.dir.path().join(relative)
    }

    pub fn read(&self, relative: &str) -> String {
        std::fs::read_to_string(self.path(relative))
            .unwrap_or_else(|e| panic!("cannot read {relative}: {e}"))
    }

    pub fn write(&self, relative: &str, text: &str) {
        let path = self.path(relative);
        std::fs::create_dir_all(path.parent().expect("a parent")).expect("folder");
        std::fs::write(path, text).expect("file written");
    }

    /// Adds `line` at the end of the file at `relative`, after a line break.
    pub fn append(&self, relative: &str, line: &str) {
        let text = self.read(relative);
        self.write(relative, &format!("{text}\n{line}\n"));
    }

    /// Runs `huibao` with `args` inside the workspace.
    pub fn run(&self, args: &[&str]) -> Run {
        let mut command = std::process::Command::new(env!("CARGO_BIN_EXE_huibao"));
        command.args(args);
        self.output(command)
    }

    /// What `dept`'s templates of `kind` see (`huibao context`), which must succeed.
    pub fn context(&self, dept: &str, kind: &str) -> serde_json::Value {
        let run = self.run(&["context", "--dept", dept, "--kind", kind]);
        assert_eq!(run.code, 0, "{}", run.stderr);
        serde_json::from_str(&run.stdout).unwrap()
    }

    /// Runs `huibao` with `args` inside the workspace, with these environment variables set.
    pub fn run_env(&self, args: &[&str], vars: &[(&str, &str)]) -> Run {
        let mut command = std::process::Command::new(env!("CARGO_BIN_EXE_huibao"));
        command.args(args).envs(vars.iter().copied());
        self.output(command)
    }

    /// The folder [`Fixture::run_without_temp`] names as the temporary folder: missing.
    pub fn missing_temp(&self) -> std::path::PathBuf {
        self.path("没有这个临时文件夹")
    }

    /// Runs `huibao` with `args` with a temporary folder (TMPDIR, TEMP, TMP) that does not
    /// exist, as a machine whose temporary folder was removed or is on a missing disk.
    pub fn run_without_temp(&self, args: &[&str]) -> Run {
        let missing = self.missing_temp();
        let missing = missing.to_str().expect("a UTF-8 path");
        self.run_env(
            args,
            &[("TMPDIR", missing), ("TEMP", missing), ("TMP", missing)],
        )
    }

    /// The names of what the folder `relative` holds, in no set order.
    pub fn names_in(&self, relative: &str) -> Vec<String> {
        std::fs::read_dir(self.path(relative))
            .expect("a folder")
            .map(|e| {
                e.expect("an entry")
                    .file_name()
                    .to_string_lossy()
                    .into_owned()
            })
            .collect()
    }

    /// Runs `huibao` with its address space capped at 1 GiB and killed after two minutes, so
    /// a file that would take the memory or the time fails the test.
    pub fn run_limited(&self, args: &[&str]) -> Run {
        self.run_under("ulimit -v 1048576; exec timeout 120", args)
    }

    /// Runs `huibao` with `args` from a shell that first runs `setup` (a `ulimit`), which ends
    /// with the `exec` (and any wrapper) that starts huibao.
    pub fn run_under(&self, setup: &str, args: &[&str]) -> Run {
        let mut command = std::process::Command::new("sh");
        command
            .arg("-c")
            .arg(format!("{setup} \"$0\" \"$@\""))
            .arg(env!("CARGO_BIN_EXE_huibao"))
            .args(args);
        self.output(command)
    }

    fn output(&self, mut command: std::process::Command) -> Run {
        let output = command
            .current_dir(self.dir.path())
            .output()
            .expect("huibao runs");
        Run {
            code: output.status.code().unwrap_or(-1),
            stdout: String::from_utf8(output.stdout).expect("UTF-8 stdout"),
            stderr: String::from_utf8(output.stderr).expect("UTF-8 stderr"),
        }
    }
}

pub fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).expect("folder");
    for entry in std::fs::read_dir(from).expect("readable folder") {
        let entry = entry.expect("entry");
        let target = to.join(entry.file_name());
        if entry.path().is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), target).expect("file copied");
        }
    }
}

/// Rewrites one part of a saved workbook (a zip package), as another program would have
/// written it; the patch must change the part.
pub fn patch_part(path: &Path, part: &str, patch: impl Fn(&str) -> String) {
    rewrite_package(path, |name, content| {
        if name == part {
            let text = String::from_utf8(std::mem::take(content)).unwrap();
            let patched = patch(&text);
            assert_ne!(patched, text, "{part} patched");
            *content = patched.into_bytes();
        }
        name.to_owned()
    });
}

/// Renames the parts of a saved workbook (a zip package) by `rename`, contents kept.
pub fn rename_parts(path: &Path, rename: impl Fn(&str) -> String) {
    rewrite_package(path, |name, _| rename(name));
}

/// Writes a saved zip package again, each part under the name `rewrite` gives it, after it
/// has changed the part's bytes as it likes.
fn rewrite_package(path: &Path, mut rewrite: impl FnMut(&str, &mut Vec<u8>) -> String) {
    use std::io::{Read, Write};
    let bytes = std::fs::read(path).unwrap();
    let mut archive = zip::ZipArchive::new(std::io::Cursor::new(bytes)).unwrap();
    let mut out = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    for i in 0..archive.len() {
        let mut file = archive.by_index(i).unwrap();
        let name = file.name().unwrap().into_owned();
        let mut content = Vec::new();
        file.read_to_end(&mut content).unwrap();
        let name = rewrite(&name, &mut content);
        out.start_file(name, zip::write::SimpleFileOptions::DEFAULT)
            .unwrap();
        out.write_all(&content).unwrap();
    }
    std::fs::write(path, out.finish().unwrap().into_inner()).unwrap();
}

/// A worksheet's XML with the cell `cell` (say `A3`) made a formula with no stored result,
/// as openpyxl writes one.
pub fn uncalculated(sheet_xml: &str, cell: &str, formula: &str) -> String {
    replace_cell(
        sheet_xml,
        cell,
        &format!("<c r=\"{cell}\"><f>{formula}</f></c>"),
    )
}

/// A worksheet's XML with the cell `cell` (say `A3`), which must be there, written as `xml`.
pub fn replace_cell(sheet_xml: &str, cell: &str, xml: &str) -> String {
    let open = format!("<c r=\"{cell}\"");
    let start = sheet_xml.find(&open).expect("the cell is in the sheet");
    let end = start + sheet_xml[start..].find("</c>").expect("the cell is closed") + 4;
    format!("{}{xml}{}", &sheet_xml[..start], &sheet_xml[end..])
}
