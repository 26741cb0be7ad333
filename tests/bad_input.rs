//! The bad-input corpus: files that turn up in a county office, damaged or crafted. Each case
//! asserts exit code 1, the documented message naming the file (and sheet and cell, or line,
//! where there is one), and that the other departments' reports are written. Every run has
//! its address space capped at 1 GiB and a two-minute guard against hanging
//! (`Fixture::run_limited`), so a file that would take the memory or the time fails its case.

mod support;

use std::io::Write;
use std::path::Path;

use support::{
    Cell, Fixture, Sheet, education_sheets, sheet, t, veterans_sheets, write_csv_gbk, write_xlsx,
};

const VETERANS: &str = "县退役军人事务局";
const CULTURE: &str = "县文化广电旅游局";
const EDUCATION: &str = "县教育体育局";
const VETERANS_XLSX: &str = "data/2022/县退役军人事务局/2022年报告数据.xlsx";
const XLS_FIXTURE: &str = "tests/fixtures/县退役军人事务局-2022.xls";
const ODS_FIXTURE: &str = "tests/fixtures/县退役军人事务局-2022.ods";

fn repo(path: &str) -> std::path::PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join(path)
}

/// Builds every report; `dept` must fail with every fragment of `expected` in the messages,
/// and the other departments' reports must be written.
fn fails_alone(fixture: &Fixture, dept: &str, expected: &[&str]) -> String {
    let run = fixture.run_limited(&["build", "--format", "txt", "--progress", "none"]);
    assert_eq!(run.code, 1, "{dept}: {}\n{}", run.stdout, run.stderr);
    for fragment in expected {
        assert!(
            run.stderr.contains(fragment),
            "expected “{fragment}” in:\n{}",
            run.stderr
        );
    }
    assert!(
        run.stderr.contains(&format!("有问题的单位：{dept}。")),
        "{}",
        run.stderr
    );
    for other in [VETERANS, CULTURE, EDUCATION]
        .iter()
        .filter(|d| **d != dept)
    {
        for kind in ["意识形态工作", "数据简报"] {
            let path = format!("output/2022/{other}/{kind}.txt");
            assert!(fixture.path(&path).is_file(), "{path} not written");
        }
    }
    run.stderr
}

/// The example with the veterans' workbook replaced by `bytes` under `name`.
fn veterans_file(name: &str, bytes: &[u8]) -> Fixture {
    let fixture = Fixture::example();
    std::fs::remove_file(fixture.path(VETERANS_XLSX)).unwrap();
    std::fs::write(fixture.path(&format!("data/2022/{VETERANS}/{name}")), bytes).unwrap();
    fixture
}

fn example_xlsx() -> Vec<u8> {
    let fixture = Fixture::example();
    std::fs::read(fixture.path(VETERANS_XLSX)).unwrap()
}

/// The example workbook with each part passed through `change` (by part name).
fn rezip(change: impl Fn(&str, Vec<u8>) -> Vec<u8>) -> Vec<u8> {
    let original = example_xlsx();
    let mut archive = zip::ZipArchive::new(std::io::Cursor::new(original)).unwrap();
    let mut out = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let options = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated);
    for i in 0..archive.len() {
        let mut part = archive.by_index(i).unwrap();
        let name = part.name().unwrap().into_owned();
        let mut bytes = Vec::new();
        std::io::Read::read_to_end(&mut part, &mut bytes).unwrap();
        drop(part);
        out.start_file(name.clone(), options).unwrap();
        out.write_all(&change(&name, bytes)).unwrap();
    }
    out.finish().unwrap().into_inner()
}

/// The worksheet part of a sheet of the example workbook (sheets are written in order).
fn part_of(sheet: &str) -> String {
    let index = veterans_sheets()
        .iter()
        .position(|s| s.name == sheet)
        .unwrap();
    format!("xl/worksheets/sheet{}.xml", index + 1)
}

fn with_cells(xml: Vec<u8>, cells: &str) -> Vec<u8> {
    String::from_utf8(xml)
        .unwrap()
        .replace("</sheetData>", &format!("{cells}</sheetData>"))
        .into_bytes()
}

// ---- Workbooks that cannot be read ----------------------------------------------------------

#[test]
fn an_empty_workbook() {
    let fixture = veterans_file("数据.xlsx", b"");
    fails_alone(&fixture, VETERANS, &["数据.xlsx", "文件是空的（0 字节）"]);
}

#[test]
fn a_truncated_workbook() {
    let bytes = example_xlsx();
    let fixture = veterans_file("数据.xlsx", &bytes[..bytes.len() / 2]);
    fails_alone(&fixture, VETERANS, &["数据.xlsx", "文件已损坏或不完整"]);
    // The zip reader's English words stay out of the message.
    let run = fixture.run(&["check", "--dept", VETERANS]);
    assert!(run.stdout.contains("下载中断）"), "{}", run.stdout);
    assert!(!run.stdout.contains("Zip"), "{}", run.stdout);
}

#[test]
fn a_text_file_renamed_to_xlsx() {
    let fixture = veterans_file("数据.xlsx", "活动名称,日期\n".as_bytes());
    fails_alone(&fixture, VETERANS, &["数据.xlsx", "内容不是工作簿"]);
}

#[test]
fn files_named_xls_that_are_no_old_workbook_say_what_they_are() {
    let cases: [(&[u8], &str); 4] = [
        (
            &example_xlsx(),
            "这其实是 .xlsx 格式的工作簿，只是扩展名写成了 .xls",
        ),
        (
            b"\xEF\xBB\xBF  <html><body><table><tr><td>1</td></tr></table></body></html>",
            "内容是网页或 XML",
        ),
        ("活动名称\t日期\n".as_bytes(), "内容不是 Excel 工作簿"),
        (b"", "文件是空的（0 字节）"),
    ];
    for (bytes, says) in cases {
        let fixture = veterans_file("数据.xls", bytes);
        fails_alone(&fixture, VETERANS, &["数据.xls", says]);
        let run = fixture.run(&["check", "--dept", VETERANS]);
        assert!(!run.stdout.contains("文件已损坏"), "{}", run.stdout);
    }
}

#[test]
fn a_cell_naming_a_shared_string_the_workbook_lacks() {
    let sheet = part_of("统计");
    let bytes = rezip(|name, xml| match name == sheet {
        true => with_cells(
            xml,
            r#"<row r="40"><c r="A40" t="s"><v>99999</v></c></row>"#,
        ),
        false => xml,
    });
    let fixture = veterans_file("2022年报告数据.xlsx", &bytes);
    fails_alone(
        &fixture,
        VETERANS,
        &[
            "2022年报告数据.xlsx",
            "工作表“统计”已损坏，读取程序无法解析它",
        ],
    );
}

#[test]
fn an_old_xls_renamed_to_xlsx() {
    let fixture = veterans_file("数据.xlsx", &std::fs::read(repo(XLS_FIXTURE)).unwrap());
    fails_alone(
        &fixture,
        VETERANS,
        &["数据.xlsx", "旧版 .xls 文件改了扩展名"],
    );
}

#[test]
fn a_workbook_over_twenty_megabytes() {
    let mut bytes = example_xlsx();
    bytes.resize(21 * 1024 * 1024, 0);
    let fixture = veterans_file("数据.xlsx", &bytes);
    fails_alone(&fixture, VETERANS, &["数据.xlsx", "超过了 20 MB 的上限"]);
}

#[test]
fn a_shared_string_count_that_lies() {
    let bytes = rezip(|name, xml| {
        if name == "xl/sharedStrings.xml" {
            let text = String::from_utf8(xml).unwrap();
            let start = text.find("uniqueCount=\"").unwrap() + 13;
            let end = start + text[start..].find('"').unwrap();
            format!("{}9000000000000{}", &text[..start], &text[end..]).into_bytes()
        } else {
            xml
        }
    });
    let fixture = veterans_file("数据.xlsx", &bytes);
    fails_alone(
        &fixture,
        VETERANS,
        &["数据.xlsx", "共享字符串表声称有 9000000000000 条"],
    );
}

#[test]
fn a_cell_in_the_last_column_of_the_last_row() {
    let part = part_of("统计");
    let bytes = rezip(|name, xml| match name == part {
        true => with_cells(
            xml,
            r#"<row r="1048576"><c r="XFD1048576"><v>1</v></c></row>"#,
        ),
        false => xml,
    });
    let fixture = veterans_file("数据.xlsx", &bytes);
    fails_alone(
        &fixture,
        VETERANS,
        &["数据.xlsx › 统计 › XFD1048576", "1000 列的上限"],
    );
}

#[test]
fn a_compression_bomb() {
    // Twenty megabytes of one letter in a sheet no report reads, packed a thousandfold.
    let big = format!(
        r#"<row r="5"><c r="A5" t="inlineStr"><is><t>{}</t></is></c></row>"#,
        "x".repeat(20 * 1024 * 1024)
    );
    let part = part_of("工作要点");
    let bytes = rezip(|name, xml| match name == part {
        true => with_cells(xml, &big),
        false => xml,
    });
    assert!(bytes.len() < 1024 * 1024, "{} bytes", bytes.len());
    let fixture = veterans_file("数据.xlsx", &bytes);
    fails_alone(&fixture, VETERANS, &["数据.xlsx", "压缩比为", "上限 200:1"]);
}

#[test]
fn a_declared_size_beyond_the_part_limit() {
    // The central directory says a sheet inflates to 300 MB.
    let mut bytes = example_xlsx();
    let name = part_of("统计");
    let mut at = 0;
    while let Some(i) = find(&bytes[at..], b"PK\x01\x02").map(|i| at + i) {
        let length = u16::from_le_bytes([bytes[i + 28], bytes[i + 29]]) as usize;
        if &bytes[i + 46..i + 46 + length] == name.as_bytes() {
            bytes[i + 24..i + 28].copy_from_slice(&(300u32 * 1024 * 1024).to_le_bytes());
        }
        at = i + 4;
    }
    let fixture = veterans_file("数据.xlsx", &bytes);
    fails_alone(&fixture, VETERANS, &["数据.xlsx", "解压后有 300 MB"]);
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).position(|w| w == needle)
}

#[test]
fn a_cell_longer_than_excel_allows() {
    // Excel and rust_xlsxwriter refuse such a cell; another program may write one.
    let long = format!(
        r#"<row r="50"><c r="B50" t="inlineStr"><is><t>{}</t></is></c></row>"#,
        "长".repeat(40_000)
    );
    let part = part_of("活动清单");
    let bytes = rezip(|name, xml| match name == part {
        true => with_cells(xml, &long),
        false => xml,
    });
    let fixture = veterans_file("数据.xlsx", &bytes);
    fails_alone(
        &fixture,
        VETERANS,
        &["数据.xlsx › 活动清单 › B50", "40000 个字符", "32767"],
    );
}

#[test]
fn a_truncated_xls() {
    let bytes = std::fs::read(repo(XLS_FIXTURE)).unwrap();
    for cut in [bytes.len() / 3, bytes.len() / 2] {
        let fixture = veterans_file("数据.xls", &bytes[..cut]);
        fails_alone(&fixture, VETERANS, &["数据.xls", "无法作为工作簿打开"]);
    }
}

#[test]
fn files_that_made_a_reader_panic() {
    // Found by mutation (make fuzz): two xls and an xlsb.
    for name in ["panic-slice.xls", "panic-assert.xls", "panic-xlsb.xlsb"] {
        let bytes = std::fs::read(repo(&format!("tests/bad_input/{name}"))).unwrap();
        let fixture = veterans_file(name, &bytes);
        let stderr = fails_alone(&fixture, VETERANS, &[name, "无法作为工作簿打开"]);
        assert!(!stderr.contains("panicked"), "{stderr}");
    }
}

#[test]
fn an_xls_whose_dimensions_lie() {
    let mut bytes = std::fs::read(repo(XLS_FIXTURE)).unwrap();
    let at = find(&bytes, &[0x00, 0x02, 0x0E, 0x00]).expect("a DIMENSIONS record");
    bytes[at + 8..at + 12].copy_from_slice(&u32::MAX.to_le_bytes());
    let fixture = veterans_file("数据.xls", &bytes);
    fails_alone(
        &fixture,
        VETERANS,
        &["数据.xls", "工作表声称有", "超出了上限"],
    );
}

#[test]
fn an_xls_cell_far_from_the_others() {
    let mut bytes = std::fs::read(repo(XLS_FIXTURE)).unwrap();
    let at = find(&bytes, &[0x7E, 0x02, 0x0A, 0x00]).expect("an RK record");
    bytes[at + 4..at + 6].copy_from_slice(&0xFFFFu16.to_le_bytes());
    bytes[at + 6..at + 8].copy_from_slice(&0x00FFu16.to_le_bytes());
    let fixture = veterans_file("数据.xls", &bytes);
    fails_alone(
        &fixture,
        VETERANS,
        &["数据.xls", "个单元格", "超过了 1000000 个的上限"],
    );
}

#[test]
fn a_truncated_ods() {
    let bytes = std::fs::read(repo(ODS_FIXTURE)).unwrap();
    let fixture = veterans_file("数据.ods", &bytes[..bytes.len() / 2]);
    fails_alone(&fixture, VETERANS, &["数据.ods", "无法作为工作簿打开"]);
}

#[test]
fn an_ods_with_garbled_bytes() {
    let mut bytes = std::fs::read(repo(ODS_FIXTURE)).unwrap();
    let middle = bytes.len() / 2;
    for b in &mut bytes[middle..middle + 64] {
        *b = 0xFF;
    }
    let fixture = veterans_file("数据.ods", &bytes);
    fails_alone(&fixture, VETERANS, &["数据.ods"]);
}

#[test]
fn a_truncated_xlsb() {
    let fixture = Fixture::example();
    let path = fixture.path("data/2022/县退役军人事务局/数据.xlsb");
    support::xlsb::write_xlsb(&path, &veterans_sheets());
    let bytes = std::fs::read(&path).unwrap();
    std::fs::write(&path, &bytes[..bytes.len() * 2 / 3]).unwrap();
    std::fs::remove_file(fixture.path(VETERANS_XLSX)).unwrap();
    fails_alone(&fixture, VETERANS, &["数据.xlsb", "无法作为工作簿打开"]);
}

// ---- Text files ------------------------------------------------------------------------------

const EDUCATION_DIR: &str = "data/2022/县教育体育局";

/// The example with one of the education bureau's CSV files replaced by `bytes`.
fn education_file(name: &str, bytes: &[u8]) -> Fixture {
    let fixture = Fixture::example();
    std::fs::write(fixture.path(&format!("{EDUCATION_DIR}/{name}")), bytes).unwrap();
    fixture
}

fn gbk(text: &str) -> Vec<u8> {
    encoding_rs::GB18030.encode(text).0.into_owned()
}

#[test]
fn a_csv_with_one_line_in_utf8_among_gbk() {
    let fixture = Fixture::example();
    let path = fixture.path(&format!("{EDUCATION_DIR}/活动清单.csv"));
    let mut bytes = std::fs::read(&path).unwrap();
    bytes.extend_from_slice("2022/9/9,教师节表彰大会,主题活动,80\r\n".as_bytes());
    std::fs::write(&path, bytes).unwrap();
    let lines = std::fs::read(&path).unwrap().split(|b| *b == b'\n').count() - 1;
    fails_alone(
        &fixture,
        EDUCATION,
        &[
            &format!("活动清单.csv › 第 {lines} 行"),
            "这一行是 UTF-8 编码，其余各行是 GBK",
        ],
    );
}

#[test]
fn a_csv_with_bytes_no_encoding_reads() {
    let mut bytes = gbk("日期,活动名称,类别,参与人数\r\n");
    bytes.extend_from_slice(b"2022/1/1,\x81\x20,x,1\r\n");
    let fixture = education_file("活动清单.csv", &bytes);
    fails_alone(
        &fixture,
        EDUCATION,
        &["活动清单.csv", "既不是 UTF-8 也不是 GBK"],
    );
}

#[test]
fn an_empty_csv() {
    let fixture = education_file("活动清单.csv", b"");
    fails_alone(&fixture, EDUCATION, &["活动清单.csv", "文件是空的"]);
}

#[test]
fn a_csv_over_twenty_megabytes() {
    let mut text = String::from("日期,活动名称,类别,参与人数\n");
    while text.len() < 21 * 1024 * 1024 {
        text.push_str("2022/1/1,学习,主题活动,1\n");
    }
    let fixture = education_file("活动清单.csv", text.as_bytes());
    fails_alone(
        &fixture,
        EDUCATION,
        &["活动清单.csv", "超过了 20 MB 的上限"],
    );
}

#[test]
fn a_csv_with_too_many_rows() {
    let mut text = String::from("日期,活动名称,类别,参与人数\n");
    for i in 0..100_001 {
        text.push_str(&format!("2022/1/1,学习{i},主题活动,1\n"));
    }
    let fixture = education_file("活动清单.csv", text.as_bytes());
    fails_alone(&fixture, EDUCATION, &["活动清单.csv", "100000 行的上限"]);
}

#[test]
fn a_csv_with_too_many_columns() {
    let header: Vec<String> = (0..1001).map(|i| format!("列{i}")).collect();
    let fixture = education_file("活动清单.csv", header.join(",").as_bytes());
    fails_alone(&fixture, EDUCATION, &["活动清单.csv", "1000 列的上限"]);
}

#[test]
fn a_csv_with_too_many_cells() {
    let row: Vec<&str> = vec!["1"; 1000];
    let mut text = String::new();
    for _ in 0..1001 {
        text.push_str(&row.join(","));
        text.push('\n');
    }
    let fixture = education_file("活动清单.csv", text.as_bytes());
    fails_alone(&fixture, EDUCATION, &["活动清单.csv", "1000000 个的上限"]);
}

#[test]
fn a_csv_cell_longer_than_excel_allows() {
    let text = format!(
        "日期,活动名称,类别,参与人数\n2022/1/1,{},主题活动,1\n",
        "长".repeat(40_000)
    );
    let fixture = education_file("活动清单.csv", &gbk(&text));
    fails_alone(&fixture, EDUCATION, &["活动清单.csv › B2", "40000 个字符"]);
}

// ---- Silent gaps -----------------------------------------------------------------------------

#[test]
fn a_department_spelled_differently_in_a_master_table() {
    let fixture = Fixture::example();
    // The education bureau's activity list moves into a master table, under a name one
    // character off its folder's.
    education_list_in_master_table(&fixture, "县教育和体育局");
    fails_alone(
        &fixture,
        EDUCATION,
        &[
            "全县活动汇总.xlsx › 活动清单：“单位”列中没有“县教育体育局”的行",
            "是否写成了“县教育和体育局”？",
        ],
    );
}

#[test]
fn a_table_with_a_header_and_no_rows() {
    let fixture = education_file("活动清单.csv", &gbk("日期,活动名称,类别,参与人数\r\n"));
    let stderr = fails_alone(
        &fixture,
        EDUCATION,
        &["活动清单.csv：表中没有数据行", "allow_empty = true"],
    );
    // Said once, as the error, not again as a note.
    assert!(!stderr.contains("表格没有数据行"), "{stderr}");
}

#[test]
fn a_record_with_no_value_filled_in() {
    // A blank form's statistics: the header and no keys. (Keys with nothing beside them are
    // blank required cells, told at each.)
    let fixture = education_file("统计.csv", &gbk("指标,数值\r\n"));
    fails_alone(
        &fixture,
        EDUCATION,
        &[
            "统计.csv：这张表还没有填写任何一项的值",
            "allow_empty = true",
        ],
    );
    // As the message says, a source may allow it.
    let manifest = fixture.read("templates/数据简报/report.toml");
    fixture.write(
        "templates/数据简报/report.toml",
        &manifest.replacen(
            "sheet = \"统计\"\n",
            "sheet = \"统计\"\nallow_empty = true\n",
            1,
        ),
    );
    let run = fixture.run(&["check", "--dept", "县教育体育局", "--kind", "数据简报"]);
    assert_eq!(run.code, 0, "{}", run.stdout);
}

#[test]
fn an_empty_table_may_be_allowed() {
    let fixture = education_file("活动清单.csv", &gbk("日期,活动名称,类别,参与人数\r\n"));
    let manifest = fixture.read("templates/数据简报/report.toml");
    fixture.write(
        "templates/数据简报/report.toml",
        &manifest.replace(
            "sheet = \"活动清单\"\nshape = \"table\"",
            "sheet = \"活动清单\"\nshape = \"table\"\nallow_empty = true",
        ),
    );
    let run = fixture.run_limited(&["check", "--kind", "数据简报", "--dept", EDUCATION]);
    assert_eq!(run.code, 0, "{}", run.stdout);
}

/// Moves the education bureau's activity list into a master table under `data/2022/`, its
/// rows under the department name `name`.
fn education_list_in_master_table(fixture: &Fixture, name: &str) {
    std::fs::remove_file(fixture.path(&format!("{EDUCATION_DIR}/活动清单.csv"))).unwrap();
    let list = education_sheets()
        .into_iter()
        .find(|s| s.name == "活动清单")
        .unwrap();
    let mut rows: Vec<Vec<Cell>> = vec![
        std::iter::once(t("单位"))
            .chain(list.rows[0].clone())
            .collect(),
    ];
    for row in list.rows.into_iter().skip(1) {
        rows.push(std::iter::once(t(name)).chain(row).collect());
    }
    write_xlsx(
        &fixture.path("data/2022/全县活动汇总.xlsx"),
        &[Sheet::new("活动清单", rows)],
    );
}

/// Replaces the veterans' workbook with these sheets.
fn veterans_sheets_as(change: impl FnOnce(&mut Vec<Sheet>)) -> Fixture {
    let mut sheets = veterans_sheets();
    change(&mut sheets);
    let fixture = Fixture::example();
    write_xlsx(&fixture.path(VETERANS_XLSX), &sheets);
    fixture
}

#[test]
fn a_sheet_still_called_sheet1() {
    let fixture = veterans_sheets_as(|s| sheet(s, "活动清单").name = "Sheet1".into());
    fails_alone(
        &fixture,
        VETERANS,
        &[
            "找不到数据源“活动清单”",
            "2022年报告数据.xlsx（工作表：概况、统计、Sheet1、工作要点）",
        ],
    );
}

#[test]
fn a_typo_in_a_sheet_name() {
    let fixture = veterans_sheets_as(|s| sheet(s, "活动清单").name = "活动清丹".into());
    fails_alone(&fixture, VETERANS, &["是否写成了“活动清丹”？"]);
}

#[test]
fn a_hidden_sheet_is_marked() {
    let fixture = Fixture::example();
    let mut workbook = rust_xlsxwriter::Workbook::new();
    let visible = workbook.add_worksheet();
    visible.set_name("统计").unwrap();
    visible.write_string(0, 0, "指标").unwrap();
    let hidden = workbook.add_worksheet();
    hidden.set_name("旧数据").unwrap();
    hidden.set_hidden(true);
    workbook.save(fixture.path(VETERANS_XLSX)).unwrap();
    fails_alone(&fixture, VETERANS, &["工作表：统计、旧数据（隐藏）"]);
}

#[test]
fn a_wps_file_is_named_with_what_to_do() {
    let fixture = Fixture::example();
    std::fs::rename(
        fixture.path(&format!("{EDUCATION_DIR}/活动清单.csv")),
        fixture.path(&format!("{EDUCATION_DIR}/活动清单.et")),
    )
    .unwrap();
    fails_alone(
        &fixture,
        EDUCATION,
        &["活动清单.et（WPS 表格文件", "另存为” .xlsx"],
    );
}

#[test]
fn a_typo_in_a_header_names_the_header_row() {
    let fixture = veterans_sheets_as(|s| sheet(s, "活动清单").rows[0][1] = t("活动名"));
    fails_alone(
        &fixture,
        VETERANS,
        &[
            "活动清单 › A1：缺少列“活动名称”",
            "表头行（第 1 行）是：日期、活动名、类别、参与人数。是否写成了“活动名”？",
        ],
    );
}

#[test]
fn a_header_below_the_search_limit_is_named() {
    let fixture = veterans_sheets_as(|s| {
        let list = sheet(s, "活动清单");
        for i in 0..12 {
            list.rows.insert(0, vec![t(&format!("说明第{i}行"))]);
        }
    });
    fails_alone(
        &fixture,
        VETERANS,
        &["前 10 个有内容的行中没有一行含有所需的列名"],
    );
}

#[test]
fn a_unit_in_a_cell_and_the_advice_that_fixes_it() {
    let fixture = veterans_sheets_as(|s| sheet(s, "活动清单").rows[1][3] = t("45人"));
    fails_alone(&fixture, VETERANS, &["活动清单 › D2", "如“参与人数（人）”"]);
    // Following the advice: the unit goes into the header, and the column is still found.
    let mut sheets = veterans_sheets();
    sheet(&mut sheets, "活动清单").rows[0][3] = t("参与人数（人）");
    write_xlsx(&fixture.path(VETERANS_XLSX), &sheets);
    let run = fixture.run_limited(&["build", "--dept", VETERANS, "--format", "txt"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(
        fixture.read("output/2022/县退役军人事务局/意识形态工作.txt"),
        support::reference()
    );
}

#[test]
fn spaces_around_a_department_folder_do_not_reach_the_title() {
    let fixture = Fixture::example();
    std::fs::rename(
        fixture.path(&format!("data/2022/{VETERANS}")),
        fixture.path(&format!("data/2022/ {VETERANS}")),
    )
    .unwrap();
    let run = fixture.run_limited(&["build", "--format", "txt"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(
        fixture.read("output/2022/县退役军人事务局/意识形态工作.txt"),
        support::reference()
    );
    // A space at the end is a name Windows cannot keep: an error naming the folder.
    std::fs::rename(
        fixture.path(&format!("data/2022/ {VETERANS}")),
        fixture.path(&format!("data/2022/{VETERANS} ")),
    )
    .unwrap();
    let run = fixture.run_limited(&["build", "--format", "txt"]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(
        run.stderr.contains("的名称以句点或空格结尾"),
        "{}",
        run.stderr
    );
}

// ---- Templates and narrative cells -----------------------------------------------------------

/// Runs `check` for one kind; every report of it fails with each fragment on stdout.
fn template_fails(fixture: &Fixture, kind: &str, expected: &[&str]) -> String {
    let run = fixture.run_limited(&["check", "--kind", kind, "--progress", "none"]);
    assert_eq!(run.code, 1, "{}", run.stdout);
    for fragment in expected {
        assert!(
            run.stdout.contains(fragment),
            "expected “{fragment}” in:\n{}",
            run.stdout
        );
    }
    run.stdout
}

#[test]
fn markup_nested_twenty_thousand_deep() {
    let fixture = Fixture::example();
    fixture.write(
        "templates/数据简报/01-主要指标.md",
        &format!(
            "# 一、主要指标\n\n{}文{}\n",
            "*".repeat(20_000),
            "*".repeat(20_000)
        ),
    );
    template_fails(
        &fixture,
        "数据简报",
        &["01-主要指标.md 的输出第 3 行", "嵌套过深"],
    );
}

#[test]
fn a_typo_in_a_branch_no_data_reaches() {
    let fixture = Fixture::example();
    let template = fixture.read("templates/数据简报/02-活动开展情况.md");
    fixture.write(
        "templates/数据简报/02-活动开展情况.md",
        &template.replace(
            "prev.活动清单 | selectattr(\"参与人数\")",
            "prev.活动清单 | selectattr(\"参与人速\")",
        ),
    );
    template_fails(
        &fixture,
        "数据简报",
        &["02-活动开展情况.md 第 6 行", "没有声明的列“参与人速”"],
    );
}

#[test]
fn a_missing_endfor_points_at_its_for() {
    let fixture = Fixture::example();
    fixture.write(
        "templates/数据简报/01-主要指标.md",
        "# 一、主要指标\n\n{% for 指标, 数值 in 统计 | items %}\n{{ 指标 }}\n\n{% if 数值 %}有{% endif %}\n",
    );
    template_fails(
        &fixture,
        "数据简报",
        &[
            "01-主要指标.md 第 3 行",
            "{% for %} 一直到模板结尾都没有对应的 {% endfor %}",
        ],
    );
}

#[test]
fn an_undefined_name_in_a_narrative_cell_is_named() {
    let fixture = veterans_sheets_as(|s| {
        sheet(s, "活动清单").rows[1][1] = t("{% if year < 2000 %}{{ 统记.人数 }}{% endif %}送喜报");
    });
    let stdout = template_fails(
        &fixture,
        "意识形态工作",
        &["活动清单 › B2", "未定义的变量 统记"],
    );
    assert!(!stdout.contains(CULTURE), "{stdout}");
}

#[test]
fn a_filter_on_a_missing_value_says_so() {
    let fixture = Fixture::example();
    fixture.write(
        "templates/数据简报/01-主要指标.md",
        "# 一、主要指标\n\n共{{ 统计.不存在的指标 | cn_number }}项。\n",
    );
    template_fails(
        &fixture,
        "数据简报",
        &["cn_number 只接受整数，得到的是未定义的值"],
    );
}

#[test]
fn a_filter_on_a_wrong_value_names_its_cell() {
    let fixture = Fixture::example();
    fixture.write(
        "templates/数据简报/01-主要指标.md",
        "# 一、主要指标\n\n{{ 统计.烈士集中安葬点 | cn_date }}\n",
    );
    let run = fixture.run_limited(&["check", "--kind", "数据简报", "--dept", VETERANS]);
    assert_eq!(run.code, 1);
    assert!(
        run.stdout.contains(
            "得到的是“3”（这个值来自 data/2022/县退役军人事务局/2022年报告数据.xlsx › 统计 › B2）"
        ),
        "{}",
        run.stdout
    );
}

// ---- Pipes -----------------------------------------------------------------------------------

#[test]
fn check_details_go_to_stdout_for_a_file() {
    let fixture = veterans_sheets_as(|s| sheet(s, "活动清单").rows[1][3] = t("45人"));
    let run = fixture.run_limited(&["check", "--progress", "none"]);
    assert_eq!(run.code, 1);
    assert!(run.stdout.contains("活动清单 › D2"), "{}", run.stdout);
    assert!(!run.stderr.contains("活动清单 › D2"), "{}", run.stderr);
}

#[test]
fn context_into_a_closed_pipe_exits_cleanly() {
    let fixture = Fixture::example();
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_huibao"))
        .args([
            "context",
            "--dept",
            VETERANS,
            "--kind",
            "意识形态工作",
            "--provenance",
        ])
        .current_dir(fixture.dir.path())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    drop(child.stdout.take()); // as `| head` does once it has read enough
    let output = child.wait_with_output().unwrap();
    assert_eq!(
        output.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
}

#[test]
fn the_csv_files_still_write_the_gbk_department() {
    // The corpus cases above change one department; this guards the fixture they start from.
    let fixture = Fixture::example();
    write_csv_gbk(&fixture.path(EDUCATION_DIR), &education_sheets());
    let run = fixture.run_limited(&["build", "--format", "txt"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
}

#[test]
fn a_package_whose_parts_add_up_beyond_the_limit() {
    // Three sheets each say they inflate to 80 MB from 0.5 MB: each within the part limit and
    // a plausible ratio, together beyond the package limit.
    let mut bytes = example_xlsx();
    let names: Vec<String> = ["统计", "活动清单", "工作要点"].map(part_of).to_vec();
    let mut at = 0;
    while let Some(i) = find(&bytes[at..], b"PK\x01\x02").map(|i| at + i) {
        let length = u16::from_le_bytes([bytes[i + 28], bytes[i + 29]]) as usize;
        let name = String::from_utf8_lossy(&bytes[i + 46..i + 46 + length]).into_owned();
        if names.contains(&name) {
            bytes[i + 20..i + 24].copy_from_slice(&(512u32 * 1024).to_le_bytes());
            bytes[i + 24..i + 28].copy_from_slice(&(80u32 * 1024 * 1024).to_le_bytes());
        }
        at = i + 4;
    }
    let fixture = veterans_file("数据.xlsx", &bytes);
    fails_alone(
        &fixture,
        VETERANS,
        &["数据.xlsx", "解压后共有 240 MB，超过了 200 MB 的上限"],
    );
}

#[test]
fn a_panic_in_one_department_leaves_the_others_written() {
    // HUIBAO_PANIC_IN makes a debug build panic while building that department: the stand-in
    // for a bug no input should reach.
    let fixture = Fixture::example();
    let output = std::process::Command::new(env!("CARGO_BIN_EXE_huibao"))
        .args(["build", "--format", "txt", "--progress", "none"])
        .env("HUIBAO_PANIC_IN", VETERANS)
        .current_dir(fixture.dir.path())
        .output()
        .unwrap();
    let stderr = String::from_utf8(output.stderr).unwrap();
    assert_eq!(output.status.code(), Some(1), "{stderr}");
    assert!(
        stderr.contains("处理这个单位的数据时出现了内部错误"),
        "{stderr}"
    );
    assert!(!stderr.contains("panicked"), "{stderr}");
    assert!(
        fixture
            .path("output/2022/县教育体育局/意识形态工作.txt")
            .is_file()
    );
    assert!(
        fixture
            .path("output/2022/县文化广电旅游局/数据简报.txt")
            .is_file()
    );
}

#[test]
fn folders_that_are_not_four_digit_years_are_not_years() {
    let fixture = Fixture::example();
    for stray in ["data/02023", "data/2023备份", "data/20230"] {
        std::fs::create_dir_all(fixture.path(&format!("{stray}/县退役军人事务局"))).unwrap();
    }
    let run = fixture.run_limited(&["check", "--progress", "none"]);
    assert_eq!(run.code, 0, "{}", run.stdout);
    assert!(
        run.stdout.contains("2022 年：检查 7 份报告"),
        "{}",
        run.stdout
    );
    assert!(
        run.stdout.contains(
            "data/2023备份：不是年度文件夹（年度文件夹的名称是四位数字，如 2023），已忽略。"
        ),
        "{}",
        run.stdout
    );
}

#[test]
fn an_exact_header_wins_over_one_with_a_unit() {
    // Both 参与人数 and 参与人数（人）: the exact one is the column, no ambiguity.
    let fixture = veterans_sheets_as(|s| {
        let list = sheet(s, "活动清单");
        list.rows[0].push(t("参与人数（人）"));
        for row in list.rows.iter_mut().skip(1) {
            row.push(t("不是数字"));
        }
    });
    let run = fixture.run_limited(&["build", "--dept", VETERANS, "--format", "txt"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(
        fixture.read("output/2022/县退役军人事务局/意识形态工作.txt"),
        support::reference()
    );
}

#[test]
fn a_folder_whose_files_add_up_beyond_the_limit() {
    let fixture = Fixture::example();
    for i in 0..3 {
        let path = fixture.path(&format!("data/2022/{VETERANS}/备份{i}.xlsx"));
        std::fs::write(path, vec![0u8; 19 * 1024 * 1024]).unwrap();
    }
    fails_alone(
        &fixture,
        VETERANS,
        &[
            "data/2022/县退役军人事务局：文件夹中的表格文件共有",
            "超过了 50 MB 的上限",
        ],
    );
}

#[test]
fn spaces_around_a_department_in_a_master_table_do_not_break_matching() {
    let fixture = Fixture::example();
    education_list_in_master_table(&fixture, "　县教育体育局 ");
    let run = fixture.run_limited(&["build", "--format", "txt", "--dept", EDUCATION]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(
        fixture
            .read("output/2022/县教育体育局/意识形态工作.txt")
            .contains("“开学第一课”“清明祭英烈”"),
    );
}

#[test]
fn an_xls_whose_sheets_together_spread_too_far() {
    // Text cells moved, in turn, to A1 and to IV1201: each sheet spreads over about 300,000
    // cells, within the limit alone, beyond it together.
    let mut bytes = std::fs::read(repo(XLS_FIXTURE)).unwrap();
    let mut at = 0;
    let mut moved = 0;
    while let Some(i) = find(&bytes[at..], &[0xFD, 0x00, 0x0A, 0x00]).map(|i| at + i) {
        let (row, col) = if moved % 2 == 0 {
            (0u16, 0u16)
        } else {
            (1200, 255)
        };
        bytes[i + 4..i + 6].copy_from_slice(&row.to_le_bytes());
        bytes[i + 6..i + 8].copy_from_slice(&col.to_le_bytes());
        at = i + 4;
        moved += 1;
    }
    assert!(moved > 4, "{moved}");
    let fixture = veterans_file("数据.xls", &bytes);
    fails_alone(
        &fixture,
        VETERANS,
        &[
            "数据.xls",
            "各工作表的内容铺开后共要占用",
            "超过了 1000000 个的上限",
        ],
    );
}

#[test]
fn an_ods_whose_repeat_counts_make_a_huge_table() {
    // A few bytes: one filled cell repeated 16,384 columns across and 6,000 rows down.
    let original = std::fs::read(repo(ODS_FIXTURE)).unwrap();
    let mut archive = zip::ZipArchive::new(std::io::Cursor::new(original)).unwrap();
    let mut out = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    for i in 0..archive.len() {
        let mut part = archive.by_index(i).unwrap();
        let name = part.name().unwrap().into_owned();
        let method = part.compression();
        let mut bytes = Vec::new();
        std::io::Read::read_to_end(&mut part, &mut bytes).unwrap();
        drop(part);
        if name == "content.xml" {
            let text = String::from_utf8(bytes).unwrap().replacen(
                "</table:table>",
                "<table:table-row table:number-rows-repeated=\"6000\"><table:table-cell \
                 table:number-columns-repeated=\"16384\" office:value-type=\"string\">\
                 <text:p>x</text:p></table:table-cell></table:table-row></table:table>",
                1,
            );
            bytes = text.into_bytes();
        }
        let options = zip::write::SimpleFileOptions::default().compression_method(method);
        out.start_file(name, options).unwrap();
        out.write_all(&bytes).unwrap();
    }
    let bytes = out.finish().unwrap().into_inner();
    let fixture = veterans_file("数据.ods", &bytes);
    fails_alone(
        &fixture,
        VETERANS,
        &["数据.ods", "重复单元格铺开后", "超过了 1000000 个的上限"],
    );
}

#[test]
fn gbk_text_that_is_also_valid_utf8_is_not_mixed() {
    // In GBK, 学校 is D1A7 D0A3: valid UTF-8 as well (two Cyrillic letters), yet plain GBK.
    let fixture = Fixture::example();
    let path = fixture.path(&format!("{EDUCATION_DIR}/统计.csv"));
    let mut bytes = std::fs::read(&path).unwrap();
    bytes.extend_from_slice(&gbk("学校,10\r\n职业学校,2\r\n"));
    std::fs::write(&path, bytes).unwrap();
    let run = fixture.run_limited(&["check", "--dept", EDUCATION, "--progress", "none"]);
    assert_eq!(run.code, 0, "{}", run.stdout);
}

#[test]
fn keys_the_manifest_does_not_declare_keep_their_brackets() {
    // 教师人数（男） and 教师人数（女） are two statistics, not one unit stripped twice; and a
    // repeated key is named by its key cell.
    let fixture = Fixture::example();
    let path = fixture.path(&format!("{EDUCATION_DIR}/统计.csv"));
    let mut bytes = std::fs::read(&path).unwrap();
    bytes.extend_from_slice(&gbk(
        "教师人数（男）,300\r\n教师人数（女）,420\r\n主题班会,5\r\n",
    ));
    std::fs::write(&path, bytes).unwrap();
    let run = fixture.run_limited(&["check", "--dept", EDUCATION, "--progress", "none"]);
    assert_eq!(run.code, 1, "{}", run.stdout);
    assert!(!run.stdout.contains("教师人数"), "{}", run.stdout);
    assert!(
        run.stdout.contains("项目“主题班会”出现了两次（另一处在 A"),
        "{}",
        run.stdout
    );
}

#[test]
fn an_if_left_open_inside_a_for_is_named_at_the_if() {
    let fixture = Fixture::example();
    fixture.write(
        "templates/数据简报/01-主要指标.md",
        "# 一、主要指标\n\n{% for 指标, 数值 in 统计 | items %}\n{% if 数值 %}\n{{ 指标 }}\n{% endfor %}\n",
    );
    template_fails(
        &fixture,
        "数据简报",
        &[
            "01-主要指标.md 第 4 行",
            "{% if %} 没有对应的 {% endif %}，所以第 6 行的 {% endfor %} 对不上",
        ],
    );
    fixture.write(
        "templates/数据简报/01-主要指标.md",
        "# 一、主要指标\n\n{{ 统计.烈士集中安葬点 }\n",
    );
    template_fails(
        &fixture,
        "数据简报",
        &["第 3 行", "要以 }} 结尾，这里只有一个 }"],
    );
}

#[test]
fn two_folders_for_one_department_fail_it_alone() {
    let fixture = Fixture::example();
    std::fs::create_dir_all(fixture.path(&format!("data/2022/{VETERANS} "))).unwrap();
    std::fs::copy(
        fixture.path(VETERANS_XLSX),
        fixture.path(&format!("data/2022/{VETERANS} /数据.xlsx")),
    )
    .unwrap();
    fails_alone(
        &fixture,
        VETERANS,
        &["单位“县退役军人事务局”有两个文件夹", "名称只差前后的空格"],
    );
}

#[test]
fn three_folders_for_one_department_are_all_named() {
    let fixture = Fixture::example();
    for name in [format!("{VETERANS} "), format!(" {VETERANS}")] {
        std::fs::create_dir_all(fixture.path(&format!("data/2022/{name}"))).unwrap();
    }
    fails_alone(
        &fixture,
        VETERANS,
        &[
            "单位“县退役军人事务局”有 3 个文件夹：data/2022/ 县退役军人事务局、data/2022/县退役军人事务局 和 data/2022/县退役军人事务局 （名称只差前后的空格）",
        ],
    );
}

#[test]
fn a_folder_named_with_nothing_but_spaces_fails_alone() {
    for blank in ["\u{3000}", " ", "\t"] {
        let fixture = Fixture::example();
        let folder = fixture.path(&format!("data/2022/{blank}"));
        std::fs::create_dir_all(&folder).unwrap();
        std::fs::copy(fixture.path(VETERANS_XLSX), folder.join("数据.xlsx")).unwrap();
        // Named in words wherever its name is shown, not as a blank.
        let stderr = fails_alone(
            &fixture,
            "（名称只有空白字符的文件夹）",
            &["单位文件夹的名称只有空白字符", "没有单位名称"],
        );
        assert!(
            stderr.contains("错误：（名称只有空白字符的文件夹） › 意识形态工作"),
            "{stderr}"
        );
        // Nothing of it lands beside the county's files.
        for kind in ["意识形态工作", "数据简报"] {
            let path = fixture.path(&format!("output/2022/{kind}.txt"));
            assert!(!path.exists(), "{blank:?}: {}", path.display());
        }
    }
}

#[test]
fn every_folder_named_with_nothing_but_spaces_is_told_in_the_record_too() {
    let fixture = Fixture::example();
    for blank in ["\u{3000}", "  "] {
        std::fs::create_dir_all(fixture.path(&format!("data/2022/{blank}"))).unwrap();
    }
    fails_alone(
        &fixture,
        "（名称只有空白字符的文件夹）",
        &[
            "只有空白字符（全角空格）",
            "只有空白字符（半角空格、半角空格）",
        ],
    );
    let text = std::fs::read_to_string(fixture.path("output/2022/生成情况.txt")).unwrap();
    // The second problem of the report is set in under its line.
    assert!(
        text.contains(
            "- （名称只有空白字符的文件夹） › 意识形态工作：data/2022 中有一个单位文件夹的名称只有空白字符（半角空格、半角空格），没有单位名称。请把它改成单位的名称。\n  data/2022 中有一个单位文件夹的名称只有空白字符（全角空格）"
        ),
        "{text}"
    );
    // The county-wide report lists it by the same words, not as a blank.
    let county = std::fs::read_to_string(fixture.path("output/2022/全县汇总.txt")).unwrap();
    assert!(county.contains("（名称只有空白字符的文件夹）"), "{county}");
}

#[test]
fn two_folders_whose_names_differ_only_in_width_fail_both() {
    let fixture = Fixture::example();
    for name in ["县局A", "县局Ａ"] {
        std::fs::create_dir_all(fixture.path(&format!("data/2022/{name}"))).unwrap();
        std::fs::copy(
            fixture.path(VETERANS_XLSX),
            fixture.path(&format!("data/2022/{name}/数据.xlsx")),
        )
        .unwrap();
    }
    let run = fixture.run(&["build", "--format", "txt", "--progress", "none"]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(
        run.stderr
            .contains("单位文件夹“县局A”和“县局Ａ”的名称只有全角、半角字符之别"),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr.contains("有问题的单位：县局A、县局Ａ。"),
        "{}",
        run.stderr
    );
    assert!(
        fixture
            .path(&format!("output/2022/{VETERANS}/意识形态工作.txt"))
            .is_file()
    );
}

#[test]
fn a_filter_on_a_loop_value_names_no_unrelated_cell() {
    // The failing value is a row's; the record field on the same line is not where it came
    // from, and the message does not say it is.
    let fixture = Fixture::example();
    fixture.write(
        "templates/数据简报/01-主要指标.md",
        "# 一、主要指标\n\n{% for 行 in 活动清单 %}{{ 统计.烈士集中安葬点 }}{{ 行.活动名称 | cn_number }}{% endfor %}\n",
    );
    let run = fixture.run_limited(&["check", "--kind", "数据简报", "--dept", VETERANS]);
    assert_eq!(run.code, 1);
    assert!(
        run.stdout.contains("cn_number 只接受整数"),
        "{}",
        run.stdout
    );
    assert!(!run.stdout.contains("这个值来自"), "{}", run.stdout);
}

#[test]
fn an_xls_that_crashes_the_reader_fails_its_department_alone() {
    // HUIBAO_PROBE_ABORT makes the child that opens each .xls abort (debug builds only): the
    // stand-in for a damaged file that crashes the reader past every check.
    let fixture = veterans_file("数据.xls", &std::fs::read(repo(XLS_FIXTURE)).unwrap());
    let output = std::process::Command::new(env!("CARGO_BIN_EXE_huibao"))
        .args(["build", "--format", "txt", "--progress", "none"])
        .env("HUIBAO_PROBE_ABORT", "1")
        .current_dir(fixture.dir.path())
        .output()
        .unwrap();
    let stderr = String::from_utf8(output.stderr).unwrap();
    assert_eq!(output.status.code(), Some(1), "{stderr}");
    assert!(
        stderr.contains("数据.xls：无法作为工作簿打开（文件已损坏，读取程序读取它时异常退出"),
        "{stderr}"
    );
    assert!(
        fixture
            .path("output/2022/县教育体育局/意识形态工作.txt")
            .is_file()
    );
    assert!(
        fixture
            .path("output/2022/县文化广电旅游局/数据简报.txt")
            .is_file()
    );
    // Without the fault, the same file reads as it should.
    let run = fixture.run(&["build", "--format", "txt", "--dept", VETERANS]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(
        fixture.read("output/2022/县退役军人事务局/意识形态工作.txt"),
        support::reference()
    );
}

// ---- The sandbox -----------------------------------------------------------------------------

#[cfg(unix)]
#[test]
fn a_symlink_in_a_kind_folder_is_refused_by_name() {
    let fixture = Fixture::example();
    std::os::unix::fs::symlink("/etc/passwd", fixture.path("templates/数据简报/link.md")).unwrap();
    fixture.write(
        "templates/数据简报/01-主要指标.md",
        "# 一、主要指标\n\n{% include \"link.md\" %}\n",
    );
    let stdout = template_fails(&fixture, "数据简报", &["link.md 是一个符号链接"]);
    assert!(!stdout.contains("root:"), "{stdout}");
}

#[test]
fn a_narrative_cell_cannot_include_the_manifest() {
    let fixture = veterans_sheets_as(|s| {
        sheet(s, "活动清单").rows[1][1] = t("{% include \"report.toml\" %}");
    });
    let stdout = template_fails(
        &fixture,
        "意识形态工作",
        &["活动清单 › B2", "不能引用 report.toml"],
    );
    assert!(!stdout.contains("sections"), "{stdout}");
}

#[test]
fn control_characters_in_names_are_refused() {
    // In a record key: an error naming the cell.
    let fixture = veterans_sheets_as(|s| sheet(s, "统计").rows[1][0] = t("烈士集中\u{7}安葬点"));
    fails_alone(&fixture, VETERANS, &["统计 › A2", "控制字符（U+0007）"]);

    // In a department folder's name: that department fails, the others are written.
    let fixture = Fixture::example();
    std::fs::rename(
        fixture.path(&format!("data/2022/{VETERANS}")),
        fixture.path("data/2022/县退役军人\u{1b}事务局"),
    )
    .unwrap();
    let run = fixture.run_limited(&["build", "--format", "txt", "--progress", "none"]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(run.stderr.contains("名称含有控制字符"), "{}", run.stderr);
    assert!(
        fixture
            .path("output/2022/县教育体育局/意识形态工作.txt")
            .is_file()
    );
}

#[test]
fn docx_settings_out_of_range_are_manifest_errors() {
    for (setting, expected) in [
        ("char_spacing = 1e300", "char_spacing 应在 -10 到 10 磅之间"),
        (
            "table_size = 8\nchar_spacing = -4",
            "char_spacing 为 -4，收紧了最小字号（8 磅）的一半或更多，字会叠在一起。请改为大于 -4 的值。",
        ),
        // With the default sizes (the smallest 14 pt), −7 is the first refused.
        (
            "char_spacing = -7",
            "char_spacing 为 -7，收紧了最小字号（14 磅）的一半或更多",
        ),
        ("body_size = 0", "body_size 应在 1 到 100 磅之间，现为 0"),
        (
            "title_size = 101",
            "title_size 应在 1 到 100 磅之间，现为 101",
        ),
        (
            "table_size = 0.5",
            "table_size 应在 1 到 100 磅之间，现为 0.5",
        ),
        ("body_font = \"\"", "body_font 应是字体名称，不能为空"),
        ("title_font = \" \"", "title_font 应是字体名称，不能为空"),
        ("body_font = \"仿宋\\u0007\"", "body_font 应是字体名称"),
    ] {
        let fixture = Fixture::example();
        let manifest = fixture.read("templates/数据简报/report.toml");
        fixture.write(
            "templates/数据简报/report.toml",
            &format!("{manifest}\n[docx]\n{setting}\n"),
        );
        template_fails(&fixture, "数据简报", &["report.toml 第", expected]);
    }
    // The bounds themselves are accepted.
    let fixture = Fixture::example();
    let manifest = fixture.read("templates/数据简报/report.toml");
    fixture.write(
        "templates/数据简报/report.toml",
        &format!("{manifest}\n[docx]\ntitle_size = 100\nchar_spacing = -6.9\n"),
    );
    let run = fixture.run(&["check", "--kind", "数据简报"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
}

#[test]
fn folder_names_windows_cannot_use_are_errors_on_every_platform() {
    let fixture = Fixture::example();
    for name in ["CON", "县审计局.", "县统计局?"] {
        let dir = fixture.path(&format!("data/2022/{name}"));
        std::fs::create_dir_all(&dir).unwrap();
        support::write_xlsx(&dir.join("数据.xlsx"), &veterans_sheets());
    }
    support::copy_dir(
        &fixture.path("templates/数据简报"),
        &fixture.path("templates/aux"),
    );
    let run = fixture.run(&["build", "--format", "txt"]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(
        run.stderr
            .contains("单位文件夹 data/2022/CON 的名称“CON”是 Windows 保留的设备名"),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr
            .contains("data/2022/县审计局. 的名称以句点或空格结尾"),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr
            .contains("data/2022/县统计局? 的名称含有 Windows 文件名中不能用的字符“?”"),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr
            .contains("报告种类文件夹 templates/aux 的名称“AUX”是 Windows 保留的设备名"),
        "{}",
        run.stderr
    );
    // The others are written.
    assert_eq!(
        fixture.read("output/2022/县退役军人事务局/意识形态工作.txt"),
        support::reference()
    );
    assert!(!fixture.path("output/2022/CON").exists());
}
