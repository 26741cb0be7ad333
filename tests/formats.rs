//! Every workbook format and delimited text: the same data read from xls, ods, xlsm and
//! TSV gives the same report.

mod support;

use std::path::Path;

use support::{Fixture, education_sheets, write_csv_gbk};

const VETERANS_DIR: &str = "data/2022/县退役军人事务局";

/// Replaces the veterans bureau's workbook by `bytes` saved with `extension`, and builds.
fn build_from(extension: &str, bytes: &[u8]) -> Fixture {
    let fixture = Fixture::example();
    let xlsx = fixture.path(&format!("{VETERANS_DIR}/2022年报告数据.xlsx"));
    std::fs::remove_file(&xlsx).unwrap();
    std::fs::write(
        fixture.path(&format!("{VETERANS_DIR}/2022年报告数据.{extension}")),
        bytes,
    )
    .unwrap();
    let run = fixture.run(&[
        "build",
        "--dept",
        "县退役军人事务局",
        "--kind",
        "意识形态工作",
    ]);
    assert_eq!(run.code, 0, "{extension}: {}", run.stderr);
    fixture
}

#[test]
fn xls_and_ods_workbooks_read_like_xlsx() {
    for extension in ["xls", "ods"] {
        let fixture_file = Path::new(env!("CARGO_MANIFEST_DIR"))
            .join(format!("tests/fixtures/县退役军人事务局-2022.{extension}"));
        let fixture = build_from(extension, &std::fs::read(fixture_file).unwrap());
        assert_eq!(
            fixture.read("output/2022/县退役军人事务局/意识形态工作.txt"),
            support::reference(),
            "{extension}"
        );
    }
}

/// The example's .ods (saved by LibreOffice) in place of the veterans bureau's workbook, its
/// `content.xml` and `meta.xml` patched.
fn ods_workspace(content: impl Fn(&str) -> String, meta: Option<&str>) -> Fixture {
    let fixture = Fixture::example();
    std::fs::remove_file(fixture.path(&format!("{VETERANS_DIR}/2022年报告数据.xlsx"))).unwrap();
    let ods = fixture.path(&format!("{VETERANS_DIR}/2022年报告数据.ods"));
    std::fs::copy(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/县退役军人事务局-2022.ods"),
        &ods,
    )
    .unwrap();
    support::patch_part(&ods, "content.xml", content);
    if let Some(generator) = meta {
        support::patch_part(&ods, "meta.xml", |text| {
            let start = text.find("<meta:generator>").unwrap() + "<meta:generator>".len();
            let end = text.find("</meta:generator>").unwrap();
            format!("{}{generator}{}", &text[..start], &text[end..])
        });
    }
    fixture
}

/// The first cell of the .ods holding 3: 统计 › B2, 烈士集中安葬点.
const THREE: &str = r#"<table:table-cell office:value-type="float" office:value="3" calcext:value-type="float"><text:p>3</text:p></table:table-cell>"#;

#[test]
fn an_ods_formula_without_a_value_is_an_error_not_a_blank() {
    // ezodf and odswriter write `table:formula` with no `office:value`: the value exists only
    // once LibreOffice, WPS or Excel has calculated and saved the file.
    let fixture = ods_workspace(
        |text| text.replacen(THREE, r#"<table:table-cell table:formula="of:=1+2"/>"#, 1),
        Some("ezodf/0.3.2"),
    );
    let run = fixture.run(&["check", "--dept", "县退役军人事务局"]);
    assert_eq!(run.code, 1, "{}", run.stdout);
    assert!(
        run.stdout.contains(
            "2022年报告数据.ods › 统计 › B2：这个单元格是公式“=1+2”，但文件里没有保存它的计算结果"
        ),
        "{}",
        run.stdout
    );
}

#[test]
fn an_ods_from_libreoffice_reads_its_formulas_results_errors_and_empty_ones() {
    // LibreOffice stores an empty result (`=IF(…;"")`) as a formula with no value, and an
    // error as its text (`Err:502`, `#N/A`) with the value type `error`.
    let empty = r#"<table:table-cell table:formula="of:=IF(1&gt;2;5;&quot;&quot;)"><text:p/></table:table-cell>"#;
    let error = r#"<table:table-cell table:formula="of:=VLOOKUP(&quot;x&quot;;[.A1:.A2];2;0)" office:value-type="string" office:string-value="" calcext:value-type="error"><text:p>#N/A</text:p></table:table-cell>"#;
    let fixture = ods_workspace(|text| text.replacen(THREE, error, 1), None);
    let run = fixture.run(&["check", "--dept", "县退役军人事务局"]);
    assert_eq!(run.code, 1, "{}", run.stdout);
    assert!(
        run.stdout
            .contains("统计 › B2：“烈士集中安葬点”应为数值，实际为“#N/A”。这是 Excel 的错误值"),
        "{}",
        run.stdout
    );
    // The empty result in place of the figure: a blank, which the record's field requires.
    let fixture = ods_workspace(|text| text.replacen(THREE, empty, 1), None);
    let run = fixture.run(&["check", "--dept", "县退役军人事务局"]);
    assert!(
        run.stdout
            .contains("统计 › B2：“烈士集中安葬点”是必填项，但单元格为空"),
        "{}",
        run.stdout
    );
    assert!(!run.stdout.contains("公式"), "{}", run.stdout);
}

#[test]
fn an_xlsb_workbook_reads_like_xlsx() {
    let dir = tempfile::tempdir().unwrap();
    let xlsb = dir.path().join("veterans.xlsb");
    support::xlsb::write_xlsb(&xlsb, &support::veterans_sheets());
    let fixture = build_from("xlsb", &std::fs::read(xlsb).unwrap());
    assert_eq!(
        fixture.read("output/2022/县退役军人事务局/意识形态工作.txt"),
        support::reference()
    );
    let json = fixture.context("县退役军人事务局", "意识形态工作");
    assert_eq!(json["活动清单"][5]["日期"], "2022-10-25");
}

#[test]
fn an_xlsm_workbook_reads_like_xlsx() {
    let xlsx =
        Path::new(env!("CARGO_MANIFEST_DIR")).join(format!("{VETERANS_DIR}/2022年报告数据.xlsx"));
    let fixture = build_from("xlsm", &std::fs::read(xlsx).unwrap());
    assert_eq!(
        fixture.read("output/2022/县退役军人事务局/意识形态工作.txt"),
        support::reference()
    );
}

#[test]
fn tab_separated_and_utf16_text_read_like_csv() {
    let fixture = Fixture::example();
    let dir = fixture.path("data/2022/县教育体育局");
    assert_eq!(
        fixture
            .run(&["build", "--dept", "县教育体育局", "--kind", "意识形态工作"])
            .code,
        0
    );
    let expected = fixture.read("output/2022/县教育体育局/意识形态工作.txt");

    // Excel's "Unicode text": UTF-16LE with a byte-order mark, tab-separated.
    for entry in std::fs::read_dir(&dir).unwrap() {
        std::fs::remove_file(entry.unwrap().path()).unwrap();
    }
    for sheet in education_sheets() {
        let mut writer = csv::WriterBuilder::new()
            .delimiter(b'\t')
            .from_writer(Vec::new());
        for row in &sheet.rows {
            let fields: Vec<String> = row
                .iter()
                .map(|cell| match cell {
                    support::Cell::Empty => String::new(),
                    support::Cell::Text(t) => t.clone(),
                    support::Cell::Number(n) => n.to_string(),
                    support::Cell::Date(y, m, d) => format!("{y}-{m:02}-{d:02}"),
                })
                .collect();
            writer.write_record(&fields).unwrap();
        }
        let text = String::from_utf8(writer.into_inner().unwrap()).unwrap();
        let mut bytes = vec![0xFF, 0xFE];
        bytes.extend(text.encode_utf16().flat_map(u16::to_le_bytes));
        std::fs::write(dir.join(format!("{}.tsv", sheet.name)), bytes).unwrap();
    }
    let run = fixture.run(&["build", "--dept", "县教育体育局", "--kind", "意识形态工作"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(
        fixture.read("output/2022/县教育体育局/意识形态工作.txt"),
        expected
    );

    // Saved as .txt, or renamed to .csv, it is still read as tab-separated.
    for (from, to) in [("tsv", "txt"), ("txt", "csv")] {
        for sheet in education_sheets() {
            std::fs::rename(
                dir.join(format!("{}.{from}", sheet.name)),
                dir.join(format!("{}.{to}", sheet.name)),
            )
            .unwrap();
        }
        let run = fixture.run(&["build", "--dept", "县教育体育局", "--kind", "意识形态工作"]);
        assert_eq!(run.code, 0, ".{to}: {}", run.stderr);
        assert_eq!(
            fixture.read("output/2022/县教育体育局/意识形态工作.txt"),
            expected,
            ".{to}"
        );
    }
    for sheet in education_sheets() {
        std::fs::rename(
            dir.join(format!("{}.csv", sheet.name)),
            dir.join(format!("{}.tsv", sheet.name)),
        )
        .unwrap();
    }

    // The same source as both .csv and .tsv is ambiguous, and says where.
    write_csv_gbk(&dir, &education_sheets()[..1]);
    let run = fixture.run(&["check", "--dept", "县教育体育局", "--kind", "意识形态工作"]);
    assert_eq!(run.code, 1);
    assert!(
        run.stdout.contains("数据源“概况”出现在多处"),
        "{}",
        run.stdout
    );
}
