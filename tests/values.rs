//! Cell values as Excel stores them, each read from a real workbook: dates (serials, date
//! cells, the 1904 system, text), numbers (floats, text with separators, full-width digits,
//! percent formats, formulas' cached values), booleans, text, and error cells.

mod support;

use std::path::Path;

use rust_xlsxwriter::{ExcelDateTime, Format, Formula, Workbook};
use support::Fixture;

const MANIFEST: &str = r#"
title = "{{ dept }}取值"
sections = ["正文.md"]

[[sources]]
sheet = "取值"
shape = "table"
columns = [
  { name = "日期", type = "date", required = false },
  { name = "整数", type = "integer", required = false, min = 0 },
  { name = "数值", type = "number", required = false, min = -1.5, max = 100000 },
  { name = "是否", type = "bool", required = false },
  { name = "文本", required = false },
  { name = "比例", type = "percent", required = false },
]
"#;

const DEPT: &str = "data/2022/县测试局";

/// A workspace with the kind 取值 and a department whose workbook `fill` writes.
fn workspace(section: &str, fill: impl FnOnce(&mut rust_xlsxwriter::Worksheet)) -> Fixture {
    let fixture = Fixture::templates_only();
    fixture.write("templates/取值/report.toml", MANIFEST);
    fixture.write("templates/取值/正文.md", section);
    std::fs::create_dir_all(fixture.path(DEPT)).unwrap();
    let mut workbook = Workbook::new();
    let sheet = workbook.add_worksheet();
    sheet.set_name("取值").unwrap();
    for (c, header) in ["日期", "整数", "数值", "是否", "文本", "比例"]
        .iter()
        .enumerate()
    {
        sheet.write_string(0, c as u16, *header).unwrap();
    }
    fill(sheet);
    workbook
        .save(fixture.path(&format!("{DEPT}/取值.xlsx")))
        .unwrap();
    fixture
}

fn context(fixture: &Fixture) -> serde_json::Value {
    let run = fixture.run(&["context", "--dept", "县测试局", "--kind", "取值"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    serde_json::from_str(&run.stdout).unwrap()
}

/// A column of the sheet 取值 as `context` gives it.
fn column(json: &serde_json::Value, name: &str) -> Vec<serde_json::Value> {
    let rows = json["取值"].as_array().unwrap();
    rows.iter().map(|r| r[name].clone()).collect()
}

/// The workspace with the department's workbook replaced by the LibreOffice fixture
/// `百分比-LibreOffice.<extension>`; its path.
fn libreoffice_percentages(extension: &str) -> (Fixture, std::path::PathBuf) {
    libreoffice("百分比", extension, "{{ 取值[0].比例 | percent }}\n")
}

/// The workspace of `section` with the department's workbook replaced by the LibreOffice
/// fixture `<name>-LibreOffice.<extension>`; its path.
fn libreoffice(name: &str, extension: &str, section: &str) -> (Fixture, std::path::PathBuf) {
    let fixture = workspace(section, |_| {});
    std::fs::remove_file(fixture.path(&format!("{DEPT}/取值.xlsx"))).unwrap();
    let path = fixture.path(&format!("{DEPT}/取值.{extension}"));
    let original = format!("tests/fixtures/{name}-LibreOffice.{extension}");
    std::fs::copy(Path::new(env!("CARGO_MANIFEST_DIR")).join(original), &path).unwrap();
    (fixture, path)
}

fn check_error(fixture: &Fixture) -> String {
    let run = fixture.run(&["check", "--kind", "取值"]);
    assert_eq!(run.code, 1, "{}", run.stdout);
    run.stdout
}

#[test]
fn values_are_read_as_their_columns_say() {
    let fixture = workspace("{{ 取值[0].数值 }}", |s| {
        let date = Format::new().set_num_format("yyyy\"年\"m\"月\"d\"日\"");
        let day = ExcelDateTime::from_ymd(2022, 10, 25).unwrap();
        // Row 2: the typed cells Excel writes.
        s.write_datetime_with_format(1, 0, &day, &date).unwrap();
        s.write_number(1, 1, 3.0).unwrap();
        s.write_number(1, 2, 0.075).unwrap();
        s.write_boolean(1, 3, true).unwrap();
        s.write_string(1, 4, "  能力，\u{2002}有力提升 ").unwrap();
        // Row 3: the same kinds typed as text.
        s.write_string(2, 0, "2022/10/25").unwrap();
        s.write_string(2, 1, "1,234").unwrap();
        s.write_string(2, 2, "１２.５").unwrap();
        s.write_string(2, 3, "是").unwrap();
        s.write_number(2, 4, 3.0).unwrap();
        // Row 4: formulas with their cached results, more spellings.
        s.write_string(3, 0, "2022.10.25").unwrap();
        s.write_formula(3, 1, Formula::new("=2+3").set_result("5"))
            .unwrap();
        s.write_formula(3, 2, Formula::new("=1/4").set_result("0.25"))
            .unwrap();
        s.write_string(3, 3, "×").unwrap();
        // Row 5: a bare serial number and the Chinese date form.
        s.write_number(4, 0, 44859.0).unwrap();
        s.write_string(4, 1, "１２").unwrap();
        s.write_string(4, 3, "N").unwrap();
        s.write_string(5, 0, "2022年10月25日").unwrap();
        s.write_string(5, 3, "√").unwrap();
    });
    let json = context(&fixture);
    let rows = json["取值"].as_array().unwrap();
    assert_eq!(rows.len(), 5);
    for row in rows {
        assert_eq!(row["日期"], "2022-10-25", "{row}");
    }
    let column = |name: &str| column(&json, name);
    assert_eq!(
        column("整数"),
        serde_json::json!([3, 1234, 5, 12, null])
            .as_array()
            .unwrap()
            .clone()
    );
    assert_eq!(
        column("数值"),
        serde_json::json!([0.075, 12.5, 0.25, null, null])
            .as_array()
            .unwrap()
            .clone()
    );
    assert_eq!(
        column("是否"),
        serde_json::json!([true, true, false, false, true])
            .as_array()
            .unwrap()
            .clone()
    );
    assert_eq!(rows[0]["文本"], "能力，\u{2002}有力提升");
    assert_eq!(rows[1]["文本"], "3");
    // Integers print without `.0`.
    assert_eq!(json["取值"][0]["整数"].to_string(), "3");
}

#[test]
fn a_percent_cell_is_a_ratio_in_a_percent_column_and_reads_as_shown_in_a_text_column() {
    let fixture = workspace(
        "比例为{{ 取值[0].比例 | percent }}，共{{ 取值[0].整数 }}项。\n",
        |s| {
            let one_place = Format::new().set_num_format("0.0%");
            let whole = Format::new().set_num_format("0%");
            let grouped = Format::new().set_num_format("#,##0.00%;[Red]-#,##0.00%");
            let literal = Format::new().set_num_format("0.0\"%\"");
            s.write_number_with_format(1, 5, 0.075, &one_place).unwrap();
            s.write_number(1, 1, 3.0).unwrap();
            // A text column takes what the cell shows, rounded as Excel rounds.
            s.write_number_with_format(1, 4, 0.955, &one_place).unwrap();
            s.write_number_with_format(2, 4, 0.125, &whole).unwrap();
            s.write_number_with_format(3, 4, 12.3456, &grouped).unwrap();
            // A `%` in quotes is a sign after the number, not a percentage: the cell shows
            // 95.0%, and so reads a text column.
            s.write_number_with_format(4, 4, 95.0, &literal).unwrap();
            // Typed as text, with a half- or full-width sign.
            s.write_string(2, 5, "12.3%").unwrap();
            s.write_string(3, 5, " 95 ％").unwrap();
            s.write_number_with_format(4, 5, 1.5, &whole).unwrap();
            // A 0 typed as text (every cell of a CSV file is text) is 0% too.
            s.write_string(5, 5, "0").unwrap();
        },
    );
    let json = context(&fixture);
    let column = |name: &str| column(&json, name);
    assert_eq!(
        column("文本"),
        serde_json::json!(["95.5%", "13%", "1,234.56%", "95.0%", null])
            .as_array()
            .unwrap()
            .clone()
    );
    assert_eq!(
        column("比例"),
        serde_json::json!([0.075, 0.123, 0.95, 1.5, 0])
            .as_array()
            .unwrap()
            .clone()
    );
    let run = fixture.run(&["build", "--kind", "取值", "--format", "txt"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(
        fixture.read("output/2022/县测试局/取值.txt"),
        "县测试局取值\n\n比例为7.5%，共3项。\n"
    );
}

/// The text column, each cell as read.
const TEXTS: &str = "{{ 取值 | map(attribute=\"文本\") | join(\"；\") }}\n";

/// What [`TEXTS`] writes of the cells [`formatted`] fills.
const SHOWN: &str = "县测试局取值\n\n0.7；1,234,568元；2022年10月25日；2022年10月；1.01\n";

/// Numbers and dates in cells of several formats, in the text column and in their own
/// columns; with `formula`, the sheet also holds a formula, so that its cells and their
/// styles are read in two passes instead of one. `数值格式-LibreOffice.xls` holds the same
/// cells (without the formula).
fn formatted(formula: bool) -> Fixture {
    workspace(TEXTS, |s| {
        let one_place = Format::new().set_num_format("0.0");
        let yuan = Format::new().set_num_format("#,##0\"元\"");
        let chinese_day = Format::new().set_num_format("yyyy\"年\"m\"月\"d\"日\"");
        let month = Format::new().set_num_format("[$-804]yyyy\"年\"m\"月\";@");
        let padded = Format::new().set_num_format("0.00_ ");
        let day = ExcelDateTime::from_ymd(2022, 10, 25).unwrap();
        s.write_number_with_format(1, 4, 2.0 / 3.0, &one_place)
            .unwrap();
        s.write_number_with_format(2, 4, 1_234_567.5, &yuan)
            .unwrap();
        s.write_datetime_with_format(3, 4, &day, &chinese_day)
            .unwrap();
        s.write_datetime_with_format(4, 4, &day, &month).unwrap();
        s.write_number_with_format(5, 4, 1.005, &padded).unwrap();
        // The same formats in the columns of a number and a date: the value itself.
        s.write_number_with_format(1, 2, 2.0 / 3.0, &one_place)
            .unwrap();
        s.write_number_with_format(2, 2, 1234.5, &yuan).unwrap();
        s.write_datetime_with_format(1, 0, &day, &chinese_day)
            .unwrap();
        s.write_datetime_with_format(2, 0, &day, &month).unwrap();
        if formula {
            s.write_formula(3, 1, Formula::new("=2+3").set_result("5"))
                .unwrap();
        }
    })
}

/// Builds the workspace of [`formatted`]'s cells and checks what each column reads of them.
fn reads_as_shown(fixture: &Fixture, label: &str) {
    let run = fixture.run(&["build", "--kind", "取值", "--format", "txt"]);
    assert_eq!(run.code, 0, "{label}: {}", run.stderr);
    assert_eq!(
        fixture.read("output/2022/县测试局/取值.txt"),
        SHOWN,
        "{label}"
    );
    let json = context(fixture);
    assert_eq!(json["取值"][0]["数值"], 0.666666666666667, "{label}");
    assert_eq!(json["取值"][0]["日期"], "2022-10-25", "{label}");
}

#[test]
fn a_text_column_reads_numbers_and_dates_as_their_cells_show_them() {
    for formula in [false, true] {
        let fixture = formatted(formula);
        reads_as_shown(&fixture, &format!("formula: {formula}"));
        let json = context(&fixture);
        assert_eq!(json["取值"][1]["数值"], 1234.5);
        assert_eq!(json["取值"][1]["日期"], "2022-10-25");
    }
    for extension in ["xls", "ods"] {
        let (fixture, _) = libreoffice("数值格式", extension, TEXTS);
        reads_as_shown(&fixture, extension);
    }
}

#[test]
fn a_date_cell_stored_as_iso_text_is_a_day_shown_by_its_format() {
    let fixture = workspace(TEXTS, |s| {
        let chinese_day = Format::new().set_num_format("yyyy\"年\"m\"月\"d\"日\"");
        let day = ExcelDateTime::from_ymd(2022, 10, 25).unwrap();
        s.write_datetime_with_format(1, 4, &day, &chinese_day)
            .unwrap();
        s.write_datetime_with_format(1, 0, &day, &chinese_day)
            .unwrap();
    });
    // Strict OOXML and SheetJS store a date cell as its ISO 8601 text (`t="d"`).
    let path = fixture.path(&format!("{DEPT}/取值.xlsx"));
    support::patch_part(&path, "xl/worksheets/sheet1.xml", |xml| {
        let mut xml = xml.to_owned();
        for cell in ["A2", "E2"] {
            let open = format!("<c r=\"{cell}\" s=\"");
            let at = xml.find(&open).unwrap() + open.len();
            let style: String = xml[at..].chars().take_while(char::is_ascii_digit).collect();
            let iso =
                format!("<c r=\"{cell}\" s=\"{style}\" t=\"d\"><v>2022-10-25T00:00:00</v></c>");
            xml = support::replace_cell(&xml, cell, &iso);
        }
        xml
    });
    let run = fixture.run(&["build", "--kind", "取值", "--format", "txt"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(
        fixture.read("output/2022/县测试局/取值.txt"),
        "县测试局取值\n\n2022年10月25日\n"
    );
    assert_eq!(context(&fixture)["取值"][0]["日期"], "2022-10-25");
}

#[test]
fn a_format_that_hides_a_number_leaves_the_text_column_blank() {
    let fixture = workspace(TEXTS, |s| {
        let no_zeros = Format::new().set_num_format("0;-0;;@");
        s.write_number_with_format(1, 4, 0.0, &no_zeros).unwrap();
        s.write_number(1, 1, 3.0).unwrap();
        s.write_number_with_format(2, 4, 7.0, &no_zeros).unwrap();
        s.write_number_with_format(1, 2, 0.0, &no_zeros).unwrap();
    });
    let json = context(&fixture);
    assert_eq!(column(&json, "文本"), [serde_json::Value::Null, "7".into()]);
    // A number column reads the 0 the cell holds.
    assert_eq!(json["取值"][0]["数值"], 0);
}

#[test]
fn rows_and_columns_the_workbook_hides_are_read_and_told() {
    let fixture = workspace(TEXTS, |s| {
        for (row, text) in ["甲", "乙", "丙", "丁"].iter().enumerate() {
            s.write_string(row as u32 + 1, 4, *text).unwrap();
        }
        s.set_row_hidden(2).unwrap();
        s.set_row_hidden(3).unwrap();
        s.set_column_hidden(4).unwrap();
    });
    // Read all the same, and told.
    let tells = |fixture: &Fixture, label: &str| {
        let run = fixture.run(&["build", "--kind", "取值", "--format", "txt"]);
        assert_eq!(run.code, 0, "{label}: {}", run.stderr);
        assert_eq!(
            fixture.read("output/2022/县测试局/取值.txt"),
            "县测试局取值\n\n甲；乙；丙；丁\n",
            "{label}"
        );
        for told in [
            "取值 › E3：第 3、4 行在工作表中是隐藏的（或被筛选掉了），仍作为数据读入了报告。",
            "取值 › E1：列“文本”在工作表中是隐藏的，仍读入了报告。",
        ] {
            assert!(run.stderr.contains(told), "{label}: {}", run.stderr);
        }
    };
    tells(&fixture, "xlsx");
    // The same rows and column hidden in an .xls and an .ods.
    for extension in ["xls", "ods"] {
        tells(&libreoffice("隐藏行列", extension, TEXTS).0, extension);
    }
    // Nothing is told of a workbook that hides nothing.
    let fixture = workspace(TEXTS, |s| {
        s.write_string(1, 4, "甲").unwrap();
    });
    let run = fixture.run(&["build", "--kind", "取值", "--format", "txt"]);
    assert!(!run.stderr.contains("隐藏"), "{}", run.stderr);
}

#[test]
fn a_row_whose_numbers_its_format_hides_is_a_blank_row() {
    let fixture = workspace("共{{ 取值 | length }}项\n", |s| {
        let no_zeros = Format::new().set_num_format("#,##0;-#,##0;;@");
        s.write_string(1, 4, "甲").unwrap();
        s.write_string(2, 4, "乙").unwrap();
        // A prepared form's rows below: zeros the format hides, blank as the clerk sees them,
        // a percentage's zero the same way.
        let no_zero_percent = Format::new().set_num_format("0%;-0%;;@");
        for row in 3..5 {
            s.write_number_with_format(row, 2, 0.0, &no_zeros).unwrap();
            s.write_number_with_format(row, 4, 0.0, &no_zeros).unwrap();
            s.write_number_with_format(row, 5, 0.0, &no_zero_percent)
                .unwrap();
        }
        // Rows that look as empty for anything else a format hides (a text under `;;;`, a
        // figure its negative section hides) are skipped too, and told.
        let nothing = Format::new().set_num_format(";;;");
        let no_negatives = Format::new().set_num_format("0;");
        s.write_string_with_format(5, 4, "旧的", &nothing).unwrap();
        s.write_number_with_format(6, 2, -1.0, &no_negatives)
            .unwrap();
    });
    let run = fixture.run(&["build", "--kind", "取值", "--format", "txt"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(
        fixture.read("output/2022/县测试局/取值.txt"),
        "县测试局取值\n\n共2项\n"
    );
    assert!(
        run.stderr.contains(
            "取值 › A6：第 6、7 行的内容被单元格格式隐藏了（如 ;;;），表格里看不到，没有读入。"
        ),
        "{}",
        run.stderr
    );
    assert!(!run.stderr.contains("第 4"), "{}", run.stderr);
    // A text under `;;;` in an .xls, beside a figure: its row read, the text column blank.
    let (fixture, _) = libreoffice("隐藏文字", "xls", "{# 只看读出的值 #}");
    let json = context(&fixture);
    assert_eq!(
        column(&json, "文本"),
        ["甲".into(), serde_json::Value::Null]
    );
    assert_eq!(json["取值"][1]["整数"], 5);
}

/// A workspace whose kind 概况 reads the sheet 概况 of `fill` as a record.
fn record_workspace(fill: impl FnOnce(&mut rust_xlsxwriter::Worksheet)) -> Fixture {
    let fixture = Fixture::templates_only();
    fixture.write(
        "templates/概况/report.toml",
        r#"
title = "{{ dept }}概况"
sections = ["正文.md"]

[[sources]]
sheet = "概况"
shape = "record"
fields = [
  { name = "人数", type = "integer" },
  { name = "负责人", required = false },
]
"#,
    );
    fixture.write("templates/概况/正文.md", "人数{{ 概况.人数 }}\n");
    std::fs::create_dir_all(fixture.path(DEPT)).unwrap();
    let mut workbook = Workbook::new();
    let sheet = workbook.add_worksheet();
    sheet.set_name("概况").unwrap();
    fill(sheet);
    workbook
        .save(fixture.path(&format!("{DEPT}/概况.xlsx")))
        .unwrap();
    fixture
}

#[test]
fn hidden_rows_are_found_however_the_package_names_its_parts() {
    let fixture = workspace(TEXTS, |s| {
        s.write_string(1, 4, "甲").unwrap();
        s.write_string(2, 4, "乙").unwrap();
        s.set_row_hidden(2).unwrap();
    });
    // Another prefix for the relationships' namespace, and the sheet's part in capitals.
    let path = fixture.path(&format!("{DEPT}/取值.xlsx"));
    support::patch_part(&path, "xl/workbook.xml", |xml| {
        xml.replace("xmlns:r=", "xmlns:x=")
            .replace(" r:id=", " x:id=")
    });
    support::rename_parts(&path, |name| name.replace("sheet1.xml", "Sheet1.xml"));
    let run = fixture.run(&["build", "--kind", "取值", "--format", "txt"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(
        run.stderr.contains("取值 › E3：第 3 行在工作表中是隐藏的"),
        "{}",
        run.stderr
    );
}

#[test]
fn a_record_row_whose_value_its_format_hides_is_read() {
    // No header row: the first row is 人数, its 0 hidden by the format.
    let fixture = record_workspace(|s| {
        let no_zeros = Format::new().set_num_format("0;-0;;@");
        s.write_string(0, 0, "人数").unwrap();
        s.write_number_with_format(0, 1, 0.0, &no_zeros).unwrap();
        s.write_string(1, 0, "负责人").unwrap();
        s.write_string(1, 1, "张三").unwrap();
    });
    let run = fixture.run(&["build", "--kind", "概况", "--format", "txt"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(
        fixture.read("output/2022/县测试局/概况.txt"),
        "县测试局概况\n\n人数0\n"
    );
}

#[test]
fn a_record_column_the_workbook_hides_is_told_without_a_header_too() {
    let fixture = record_workspace(|s| {
        s.write_string(0, 0, "人数").unwrap();
        s.write_number(0, 1, 5.0).unwrap();
        s.set_column_hidden(1).unwrap();
    });
    let run = fixture.run(&["build", "--kind", "概况", "--format", "txt"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(
        run.stderr
            .contains("概况 › B1：B 列在工作表中是隐藏的，仍读入了报告。"),
        "{}",
        run.stderr
    );
}

#[test]
fn a_cell_reads_as_its_own_style_shows_it_and_one_without_a_style_as_the_default_does() {
    for formula in [false, true] {
        let fixture = workspace(TEXTS, |s| {
            let bold = Format::new().set_bold();
            s.write_number_with_format(1, 4, 7.0, &bold).unwrap();
            // A cell of no style of its own (no `s`) has the default's.
            s.write_number(2, 4, 8.0).unwrap();
            if formula {
                s.write_formula(1, 1, Formula::new("=2+3").set_result("5"))
                    .unwrap();
            }
        });
        // The workbook's default style (style 0) shows two places; the cell's own style none.
        support::patch_part(
            &fixture.path(&format!("{DEPT}/取值.xlsx")),
            "xl/styles.xml",
            |xml| {
                let at = xml.find("<cellXfs").unwrap();
                let (head, tail) = xml.split_at(at);
                format!(
                    "{head}{}",
                    tail.replacen("numFmtId=\"0\"", "numFmtId=\"2\"", 1)
                )
            },
        );
        let run = fixture.run(&["build", "--kind", "取值", "--format", "txt"]);
        assert_eq!(run.code, 0, "{}", run.stderr);
        assert_eq!(
            fixture.read("output/2022/县测试局/取值.txt"),
            "县测试局取值\n\n7；8.00\n",
            "formula: {formula}"
        );
    }
}

#[test]
fn a_worksheet_stored_elsewhere_in_the_package_is_checked_for_formulas() {
    let fixture = workspace(TEXTS, |s| {
        let one_place = Format::new().set_num_format("0.0");
        s.write_number_with_format(1, 4, 2.0 / 3.0, &one_place)
            .unwrap();
        // rust_xlsxwriter stores 0 for a formula's result and asks Excel to calculate it.
        s.write_formula(2, 2, "=1+2").unwrap();
    });
    // The sheet moved to xl/sheets/, where the relationships say it is.
    let path = fixture.path(&format!("{DEPT}/取值.xlsx"));
    let moved = |name: &str| name.replace("worksheets/sheet1.xml", "sheets/sheet1.xml");
    support::rename_parts(&path, moved);
    for part in ["xl/_rels/workbook.xml.rels", "[Content_Types].xml"] {
        support::patch_part(&path, part, |xml| moved(xml));
    }
    let stderr = check_error(&fixture);
    assert!(
        stderr.contains("取值 › C3：这个单元格是公式“=1+2”，但文件里没有保存它的计算结果"),
        "{stderr}"
    );
}

#[test]
fn an_id_number_typed_as_a_number_is_an_error_in_a_text_column() {
    let fixture = workspace(TEXTS, |s| {
        // 身份证号 typed into a cell of the general format: Excel keeps 15 digits.
        s.write_number(1, 4, 110_101_199_003_071_234.0).unwrap();
        s.write_number(2, 4, 123_456_789_012_345.0).unwrap();
        // In a format with words around it too.
        let words = Format::new().set_num_format("\"证号\"General");
        s.write_number_with_format(3, 4, 110_101_199_003_071_234.0, &words)
            .unwrap();
    });
    let out = check_error(&fixture);
    for cell in ["E2", "E4"] {
        let told = format!("取值 › {cell}：“文本”应为文本，实际为“110101199003071000”");
        assert!(out.contains(&told), "{out}");
    }
    assert!(out.contains("只保存前 15 位"), "{out}");
    assert!(!out.contains("E3"), "{out}");
}

#[test]
fn a_format_whose_text_huibao_cannot_tell_is_an_error_in_a_text_column_only() {
    let fixture = workspace("{{ 取值[0].日期 }}\n", |s| {
        let capitals = Format::new().set_num_format("[DBNum1][$-804]yyyy\"年\"m\"月\"d\"日\"");
        let weekday = Format::new().set_num_format("aaaa");
        let day = ExcelDateTime::from_ymd(2022, 10, 25).unwrap();
        s.write_datetime_with_format(1, 4, &day, &capitals).unwrap();
        s.write_datetime_with_format(2, 4, &day, &weekday).unwrap();
        // In a date column the cell is the day it holds, however it shows it.
        s.write_datetime_with_format(1, 0, &day, &capitals).unwrap();
    });
    let out = check_error(&fixture);
    assert!(out.contains("E2") && out.contains("E3"), "{out}");
    assert!(out.contains("中文大写数字、星期"), "{out}");
    assert!(out.contains("单元格的数字格式为 aaaa"), "{out}");
    assert!(!out.contains("A2"), "{out}");
}

#[test]
fn a_percent_cell_in_a_number_column_and_a_bare_number_in_a_percent_column_are_errors() {
    let fixture = workspace("{{ 取值[0].整数 }}\n", |s| {
        let percent = Format::new().set_num_format("0%");
        s.write_number_with_format(1, 2, 0.95, &percent).unwrap();
        s.write_number_with_format(2, 1, 1.0, &percent).unwrap();
        s.write_number(3, 5, 95.0).unwrap();
        s.write_number(4, 5, 0.0).unwrap();
    });
    let out = check_error(&fixture);
    assert!(out.contains("取值.xlsx › 取值 › C2"), "{out}");
    assert!(out.contains("“95%”"), "{out}");
    assert!(out.contains("type = \"percent\""), "{out}");
    assert!(out.contains("取值.xlsx › 取值 › B3"), "{out}");
    assert!(out.contains("“100%”"), "{out}");
    assert!(out.contains("取值.xlsx › 取值 › F4"), "{out}");
    assert!(out.contains("不带百分号的数看不出是百分之几"), "{out}");
    // A plain 0 is 0% however it is meant.
    assert!(!out.contains("F5"), "{out}");
}

#[test]
fn error_cells_units_in_cells_and_impossible_dates_name_the_cell() {
    let fixture = workspace("{# 只看读出的值 #}", |s| {
        s.write_formula(1, 2, Formula::new("=1/0").set_result("#DIV/0!"))
            .unwrap();
        s.write_string(2, 1, "12人").unwrap();
        s.write_formula(3, 2, Formula::new("=NA()").set_result("#N/A"))
            .unwrap();
        let date = Format::new().set_num_format("yyyy-mm-dd");
        s.write_number_with_format(4, 0, 60.0, &date).unwrap();
        s.write_string(5, 3, "也许").unwrap();
    });
    let stderr = check_error(&fixture);
    assert!(
        stderr.contains("取值 › C2：“数值”应为数值，实际为“#DIV/0!”"),
        "{stderr}"
    );
    assert!(stderr.contains("Excel 的错误值"), "{stderr}");
    assert!(
        stderr.contains("取值 › B3：“整数”应为整数，实际为“12人”"),
        "{stderr}"
    );
    assert!(stderr.contains("单位（如“人”“个”）请写到表头"), "{stderr}");
    assert!(
        stderr.contains("取值 › C4：“数值”应为数值，实际为“#N/A”"),
        "{stderr}"
    );
    assert!(
        stderr.contains("取值 › A5：“日期”应为日期，实际为“1900-02-29”"),
        "{stderr}"
    );
    assert!(
        stderr.contains("取值 › D6：“是否”应为是/否，实际为“也许”"),
        "{stderr}"
    );
}

/// Sets the workbook's 1904 date system, as Excel for Mac once did by default.
fn use_1904_dates(path: &std::path::Path) {
    support::patch_part(path, "xl/workbook.xml", |text| {
        text.replacen("<workbookPr", "<workbookPr date1904=\"1\"", 1)
    });
}

#[test]
fn a_formula_without_a_stored_result_is_an_error_not_a_blank() {
    // openpyxl and many web systems' exports write a formula and no result (`<v/>` or no
    // `<v>` at all); XlsxWriter and its kin store 0 and ask Excel to calculate on opening
    // (`fullCalcOnLoad`). Only Excel or WPS calculates them, when the file is opened and
    // saved. rust_xlsxwriter is of the second kind; the patch makes cells of the first.
    let fixture = workspace("{# 只看读出的值 #}", |s| {
        s.write_formula(1, 2, "=1+2").unwrap();
        s.write_formula(2, 1, "=SUM(B1:B2)").unwrap();
        s.write_formula(4, 2, "=2*3").unwrap();
        // A formula whose result is the empty text is a blank the clerk sees in Excel too,
        // and one with a real result is that result.
        s.write_formula(3, 4, "=IF(1,\"\")").unwrap();
        s.write_formula(5, 2, Formula::new("=2+3").set_result("5"))
            .unwrap();
    });
    support::patch_part(
        &fixture.path(&format!("{DEPT}/取值.xlsx")),
        "xl/worksheets/sheet1.xml",
        |text| {
            text.replacen("<f>1+2</f><v>0</v>", "<f>1+2</f><v/>", 1)
                .replacen("<f>SUM(B1:B2)</f><v>0</v>", "<f>SUM(B1:B2)</f>", 1)
                // As Excel stores an empty text result.
                .replacen(
                    r#"<c r="E4"><f>IF(1,"")</f><v>0</v></c>"#,
                    r#"<c r="E4" t="str"><f>IF(1,"")</f><v></v></c>"#,
                    1,
                )
        },
    );
    let stderr = check_error(&fixture);
    for (cell, formula) in [("C2", "=1+2"), ("B3", "=SUM(B1:B2)"), ("C5", "=2*3")] {
        assert!(
            stderr.contains(&format!(
                "取值 › {cell}：这个单元格是公式“{formula}”，但文件里没有保存它的计算结果，读不出它的值"
            )),
            "{cell}: {stderr}"
        );
    }
    assert!(
        stderr.contains(
            "请用 Excel 或 WPS 打开这个文件，保存后再运行；也可以把公式换成它的结果，直接填写。"
        ),
        "{stderr}"
    );
    assert!(!stderr.contains("E4") && !stderr.contains("C6"), "{stderr}");
}

#[test]
fn a_header_that_is_a_formula_without_a_result_is_an_error_not_a_missing_column() {
    // Read as its formula's text, the header would name no column, and the optional column
    // under it would be left out of the report without a word.
    let fixture = workspace("{# 只看读出的值 #}", |s| {
        s.write_formula(0, 4, "=T(\"文本\")").unwrap();
        s.write_string(1, 4, "内容").unwrap();
    });
    let stderr = check_error(&fixture);
    assert!(
        stderr.contains("取值 › E1：这个单元格是公式“=T(\"文本\")”"),
        "{stderr}"
    );
    assert!(!stderr.contains("没有在 report.toml 中声明"), "{stderr}");
}

#[test]
fn a_merged_formula_without_a_result_is_told_once_at_its_top_cell() {
    let fixture = workspace("{# 只看读出的值 #}", |s| {
        s.merge_range(1, 4, 3, 4, "x", &Format::new()).unwrap();
        s.write_number(2, 1, 1.0).unwrap();
        s.write_number(3, 1, 2.0).unwrap();
    });
    support::patch_part(
        &fixture.path(&format!("{DEPT}/取值.xlsx")),
        "xl/worksheets/sheet1.xml",
        |xml| support::uncalculated(xml, "E2", "T(A1)"),
    );
    let stderr = check_error(&fixture);
    assert!(
        stderr.contains("取值 › E2：这个单元格是公式“=T(A1)”"),
        "{stderr}"
    );
    assert_eq!(stderr.matches("这个单元格是公式").count(), 1, "{stderr}");
}

#[test]
fn dates_in_the_1904_system_are_read_right() {
    let fixture = workspace("{# 只看读出的值 #}", |s| {
        let date = Format::new().set_num_format("yyyy-mm-dd");
        // 2022-10-25 is serial 43397 when days count from 1904-01-01.
        s.write_number_with_format(1, 0, 43397.0, &date).unwrap();
        // Serial 0 is the system's first day, 1904-01-01, where in the 1900 system it is no
        // day (Excel shows 1900/1/0); half a day is its noon.
        let chinese = Format::new().set_num_format("yyyy\"年\"m\"月\"d\"日\"");
        s.write_number_with_format(2, 0, 0.0, &date).unwrap();
        s.write_number_with_format(2, 4, 0.0, &chinese).unwrap();
        s.write_number_with_format(3, 4, 0.5, &chinese).unwrap();
        // A time of no day shows as in the 1900 system.
        let time = Format::new().set_num_format("h:mm");
        s.write_number_with_format(4, 4, 0.5, &time).unwrap();
    });
    use_1904_dates(&fixture.path(&format!("{DEPT}/取值.xlsx")));
    let json = context(&fixture);
    assert_eq!(json["取值"][0]["日期"], "2022-10-25");
    assert_eq!(json["取值"][1]["日期"], "1904-01-01");
    assert_eq!(json["取值"][1]["文本"], "1904年1月1日");
    assert_eq!(json["取值"][2]["文本"], "1904年1月1日");
    assert_eq!(json["取值"][3]["文本"], "12:00");
}

#[test]
fn a_table_date_outside_the_report_year_gets_a_note() {
    let fixture = Fixture::example();
    let mut sheets = support::veterans_sheets();
    let activities = &mut support::sheet(&mut sheets, "活动清单").rows;
    activities[1][0] = support::d(2021, 3, 1);
    activities[3][0] = support::d(2023, 1, 2);
    support::write_xlsx(
        &fixture.path("data/2022/县退役军人事务局/2022年报告数据.xlsx"),
        &sheets,
    );
    let run = fixture.run(&["build", "--format", "txt"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(
        run.stderr.contains(
            "提示：data/2022/县退役军人事务局/2022年报告数据.xlsx › 活动清单 › A2：日期 2021-03-01 不在 2022 年内（这张表里还有 1 个这样的日期）；若是笔误，请改正。"
        ),
        "{}",
        run.stderr
    );
    // Told once, though both kinds read the table.
    assert_eq!(
        run.stderr.matches("不在 2022 年内").count(),
        1,
        "{}",
        run.stderr
    );
}

#[test]
fn numbers_a_template_computes_are_shown_as_cells_are() {
    let fixture = workspace(
        "{{ 10 / 5 }}、{{ 0.1 + 0.2 }}、{{ 2.4 | round }}、{{ 7 / 2 }}、{{ 取值[0].整数 * 1.5 }}、{{ 9223372036854775807 + 1 }}",
        |s| {
            s.write_number(1, 1, 4.0).unwrap();
        },
    );
    let run = fixture.run(&["build", "--format", "txt", "--kind", "取值"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let txt = fixture.read("output/2022/县测试局/取值.txt");
    // An integer beyond i64 prints exactly; only floats are shown to 15 digits.
    assert!(
        txt.contains("\n2、0.3、2、3.5、6、9223372036854775808\n"),
        "{txt}"
    );
}

/// The percentage cells of the test above as LibreOffice saves them (tests/fixtures/README.md):
/// an .ods marks each as a percentage with the text it shows, an .xls gives each a cell format
/// whose number format has a `%`.
#[test]
fn percent_cells_of_an_ods_and_an_xls_are_read_as_shown() {
    for extension in ["ods", "xls"] {
        percent_cells_are_read_as_shown(extension);
    }
}

fn percent_cells_are_read_as_shown(extension: &str) {
    let (fixture, _) = libreoffice_percentages(extension);
    let json = context(&fixture);
    let column = |name: &str| column(&json, name);
    assert_eq!(column("文本"), ["95.5%", "13%", "1,234.56%"]);
    assert_eq!(column("比例"), [0.075, 1.5, 0.0]);
}

#[test]
fn a_percent_cell_an_ods_repeats_is_a_percentage_in_every_cell_it_covers() {
    let (fixture, path) = libreoffice_percentages("ods");
    // E3's 13% spread over E3:F3 (the 150% after it moves out to G3).
    support::patch_part(&path, "content.xml", |xml| {
        xml.replacen(
            r#"<table:table-cell table:style-name="ce2" office:value-type="percentage" office:value="0.125""#,
            r#"<table:table-cell table:number-columns-repeated="2" table:style-name="ce2" office:value-type="percentage" office:value="0.125""#,
            1,
        )
    });
    let json = context(&fixture);
    assert_eq!(json["取值"][1]["文本"], "13%");
    assert_eq!(json["取值"][1]["比例"], 0.125);
}

#[test]
fn a_number_outside_its_columns_bounds_is_an_error_naming_the_cell() {
    let fixture = workspace("{{ 取值[0].整数 }}\n", |s| {
        s.write_number(1, 1, -3.0).unwrap();
        s.write_string(2, 1, "0").unwrap();
        s.write_number(3, 2, 100000.5).unwrap();
        s.write_string(4, 2, "-1.5").unwrap();
        s.write_string(5, 2, "-2").unwrap();
    });
    let out = check_error(&fixture);
    assert!(
        out.contains("取值.xlsx › 取值 › B2：“整数”应为不小于 0 的整数，实际为“-3”。"),
        "{out}"
    );
    assert!(
        out.contains("取值 › C4：“数值”应为-1.5 到 100000 之间的数值，实际为“100000.5”。"),
        "{out}"
    );
    assert!(
        out.contains("取值 › C6：“数值”应为-1.5 到 100000 之间的数值，实际为“-2”。"),
        "{out}"
    );
    // The bounds themselves are allowed.
    assert!(!out.contains("B3") && !out.contains("C5"), "{out}");
}

#[test]
fn a_percentage_format_whose_text_huibao_cannot_tell_is_an_error_not_a_guess() {
    let fixture = workspace("{{ 取值[0].整数 }}\n", |s| {
        // Shown as 增长12.0% and as (50%): neither is what a plain 12.0% or -50% would be.
        let words = Format::new().set_num_format("\"增长\"0.0%");
        let brackets = Format::new().set_num_format("0%_);(0%)");
        s.write_number_with_format(1, 4, 0.12, &words).unwrap();
        s.write_number_with_format(2, 5, -0.5, &brackets).unwrap();
        // The same bracketed format shows a positive number plainly: that is read.
        s.write_number_with_format(3, 5, 0.5, &brackets).unwrap();
    });
    let out = check_error(&fixture);
    for cell in ["E2", "F3"] {
        assert!(
            out.contains(&format!("取值.xlsx › 取值 › {cell}：")),
            "{out}"
        );
    }
    assert!(out.contains("huibao 无法确定单元格显示的文字"), "{out}");
    // Quoted as the number the cell holds, not as a percentage it may not show.
    assert!(out.contains("实际为“0.12”"), "{out}");
    assert!(!out.contains("F4"), "{out}");
}

/// LibreOffice keeps a format that chooses by the value (`0%;-0%;"-"`) as a number style
/// whose conditions switch to percentage styles: the cell is a plain number that shows a
/// percentage. Read by what it shows.
#[test]
fn an_ods_number_shown_as_a_percentage_is_read_as_one() {
    let (fixture, path) = libreoffice_percentages("ods");
    std::fs::copy(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/百分比条件格式-LibreOffice.ods"),
        &path,
    )
    .unwrap();
    // E4 shows (30%): a text huibao does not make.
    let out = check_error(&fixture);
    assert!(out.contains("取值.ods › 取值 › E4："), "{out}");
    assert!(out.contains("huibao 无法确定单元格显示的文字"), "{out}");
    assert_eq!(out.matches("取值.ods › 取值 ›").count(), 1, "{out}");
    // Without it (its row then blank): 30% and -25% as shown, and 0.5% too (a sign typed
    // after 0.5: a number column would read 0.5).
    support::patch_part(&path, "content.xml", |xml| {
        xml.replacen("<text:p>(30%)</text:p>", "", 1).replacen(
            r#"office:value-type="percentage" office:value="-0.3""#,
            "",
            1,
        )
    });
    let json = context(&fixture);
    assert_eq!(
        column(&json, "文本"),
        serde_json::json!(["30%", "0.5%", "-25%"])
            .as_array()
            .unwrap()
            .clone()
    );
    assert_eq!(json["取值"][0]["比例"], 0.3);
}

#[test]
fn an_ods_cells_comment_is_not_its_text_and_a_text_huibao_would_not_make_is_no_guess() {
    let (fixture, path) = libreoffice_percentages("ods");
    // A comment on E2 (95.5%), and E3's 0.125 shown with a decimal comma, `12,5%`.
    support::patch_part(&path, "content.xml", |xml| {
        xml.replacen(
            "<text:p>95.5%</text:p>",
            "<office:annotation><dc:creator>张三</dc:creator><text:p>核对过</text:p></office:annotation><text:p>95.5%</text:p>",
            1,
        )
        .replacen("<text:p>13%</text:p>", "<text:p>12,5%</text:p>", 1)
    });
    let out = check_error(&fixture);
    assert!(out.contains("取值.ods › 取值 › E3："), "{out}");
    assert!(out.contains("huibao 无法确定单元格显示的文字"), "{out}");
    assert!(!out.contains("E2"), "{out}");
}
