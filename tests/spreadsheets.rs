//! Sheets as offices really fill them: title rows, blank rows, notes under the table,
//! headers with stray spaces and full-width characters, other names for a column.

mod support;

use rust_xlsxwriter::{ExcelDateTime, Format, Workbook};
use support::{Fixture, veterans_sheets, write_xlsx};

const VETERANS_XLSX: &str = "data/2022/县退役军人事务局/2022年报告数据.xlsx";

/// The veterans bureau's workbook with its activity list laid out the messy way.
fn messy_activity_list(fixture: &Fixture) {
    let mut sheets = veterans_sheets();
    sheets.retain(|s| s.name != "活动清单");
    write_xlsx(&fixture.path(VETERANS_XLSX), &sheets);

    let mut workbook = Workbook::new();
    let sheet = workbook.add_worksheet();
    sheet.set_name("活动清单").unwrap();
    let date = Format::new().set_num_format("yyyy/m/d");
    sheet
        .merge_range(0, 0, 1, 4, "2022年主题活动清单", &Format::new())
        .unwrap();
    // Row 2 is blank; the header is in row 3, in another column order, with an extra column,
    // stray and full-width spaces, and the alias 参加人数.
    for (c, header) in [" 序号", "活动名称　", "日 期", "类别", "参加人数"]
        .iter()
        .enumerate()
    {
        sheet.write_string(2, c as u16, *header).unwrap();
    }
    let rows = [
        ("为立功受奖家庭送喜报", (2022, 1, 20), "主题活动", 45.0),
        ("看望慰问烈属", (2022, 1, 28), "主题活动", 60.0),
        ("缅怀革命先烈", (2022, 4, 2), "主题活动", 120.0),
        (
            "{{ 统计.最美退役军人表彰届次 | cn_ordinal }}届“最美退役军人”表彰",
            (2022, 8, 1),
            "主题活动",
            200.0,
        ),
        ("红色宣讲进校园", (2022, 9, 15), "主题活动", 800.0),
        (
            "纪念中国人民志愿军入朝作战{{ (year - 1950) | cn_number }}周年文艺演出",
            (2022, 10, 25),
            "承办活动",
            500.0,
        ),
        ("坚定信念跟党走", (2022, 6, 28), "红色教育", 35.0),
        ("加强党风廉政建设", (2022, 11, 10), "红色教育", 35.0),
    ];
    let mut r = 3;
    for (i, (name, (y, m, d), category, people)) in rows.iter().enumerate() {
        if i == 4 {
            r += 1; // a blank row inside the table
        }
        sheet.write_number(r, 0, (i + 1) as f64).unwrap();
        sheet.write_string(r, 1, *name).unwrap();
        let day = ExcelDateTime::from_ymd(*y, *m, *d).unwrap();
        sheet.write_datetime_with_format(r, 2, &day, &date).unwrap();
        sheet.write_string(r, 3, *category).unwrap();
        sheet.write_number(r, 4, *people).unwrap();
        r += 1;
    }
    sheet.write_string(r + 1, 0, "填表人：张**").unwrap();
    sheet
        .write_string(r + 2, 0, "说明：参加人数含线上。")
        .unwrap();
    workbook
        .save(fixture.path("data/2022/县退役军人事务局/活动清单.xlsx"))
        .unwrap();
}

#[test]
fn cells_under_no_header_are_named_not_dropped_in_silence() {
    let fixture = Fixture::example();
    let mut sheets = veterans_sheets();
    let activities = &mut support::sheet(&mut sheets, "活动清单").rows;
    let width = activities[0].len();
    // A remark two columns right of the table, and a figure one column too far right.
    activities[2].extend([
        support::Cell::Empty,
        support::t("此项含线上参与人数，请核对"),
    ]);
    activities[4].push(support::Cell::Number(35.0));
    write_xlsx(&fixture.path(VETERANS_XLSX), &sheets);
    let run = fixture.run(&["build", "--dept", "县退役军人事务局", "--format", "txt"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(width, 4, "日期 活动名称 类别 参与人数: the remark is in F3");
    assert!(
        run.stderr.contains(&format!(
            "提示：{VETERANS_XLSX} › 活动清单 › F3：“此项含线上参与人数，请核对”所在的列没有表头，没有读入（这张表里还有 1 个这样的单元格）。若它是报告要用的数据，请移到对应的列里"
        )),
        "{}",
        run.stderr
    );
    // Told once, though both kinds read the table; the report is the reference still.
    assert_eq!(
        run.stderr.matches("所在的列没有表头").count(),
        1,
        "{}",
        run.stderr
    );
    assert_eq!(
        fixture.read("output/2022/县退役军人事务局/意识形态工作.txt"),
        support::reference()
    );
}

#[test]
fn a_messy_activity_list_reads_like_a_tidy_one() {
    let fixture = Fixture::example();
    messy_activity_list(&fixture);
    let run = fixture.run(&[
        "build",
        "--dept",
        "县退役军人事务局",
        "--kind",
        "意识形态工作",
    ]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(
        run.stderr
            .contains("活动清单 › A3：列“序号”没有在 report.toml 中声明，已忽略"),
        "{}",
        run.stderr
    );
    // A title merged over two rows is no cell of the table.
    assert!(!run.stderr.contains("合并单元格"), "{}", run.stderr);
    let golden = support::reference();
    assert_eq!(
        fixture.read("output/2022/县退役军人事务局/意识形态工作.txt"),
        golden
    );

    let json = fixture.context("县退役军人事务局", "意识形态工作");
    let activities = json["活动清单"].as_array().unwrap();
    assert_eq!(activities.len(), 8, "blank rows and notes are not rows");
    assert_eq!(activities[0]["参与人数"], 45);
    assert_eq!(activities[5]["日期"], "2022-10-25");

    // For machines, warnings carry their place like errors do.
    let run = fixture.run(&[
        "check",
        "--dept",
        "县退役军人事务局",
        "--kind",
        "意识形态工作",
        "--format",
        "json",
    ]);
    assert_eq!(run.code, 0, "{}", run.stdout);
    let json: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
    let warning = json["problems"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["level"] == "warning" && p["message"].as_str().unwrap().contains("序号"))
        .expect("the undeclared column is noted");
    assert_eq!(warning["sheet"], "活动清单");
    assert_eq!(warning["cell"], "A3");
    assert!(warning["file"].as_str().unwrap().ends_with("活动清单.xlsx"));
}

#[test]
fn a_required_column_missing_from_every_candidate_header_is_named() {
    let fixture = Fixture::example();
    messy_activity_list(&fixture);
    let mut workbook = Workbook::new();
    let sheet = workbook.add_worksheet();
    sheet.set_name("活动清单").unwrap();
    sheet.write_string(0, 0, "2022年主题活动清单").unwrap();
    for (c, header) in ["活动名称", "日期", "参与人数"].iter().enumerate() {
        sheet.write_string(2, c as u16, *header).unwrap();
    }
    sheet.write_string(3, 0, "看望慰问烈属").unwrap();
    workbook
        .save(fixture.path("data/2022/县退役军人事务局/活动清单.xlsx"))
        .unwrap();
    let run = fixture.run(&["check", "--dept", "县退役军人事务局"]);
    assert_eq!(run.code, 1);
    assert!(
        run.stdout
            .contains("活动清单.xlsx › 活动清单 › A3：缺少列“类别”"),
        "{}",
        run.stdout
    );
}

#[test]
fn a_vertically_merged_category_applies_to_every_row_and_check_says_so() {
    let fixture = Fixture::example();
    let mut sheets = veterans_sheets();
    let activities = sheets.iter().position(|s| s.name == "活动清单").unwrap();
    let list = sheets.remove(activities);
    write_xlsx(&fixture.path(VETERANS_XLSX), &sheets);

    let mut workbook = Workbook::new();
    let sheet = workbook.add_worksheet();
    sheet.set_name("活动清单").unwrap();
    let date = Format::new().set_num_format("yyyy-mm-dd");
    for (r, row) in list.rows.iter().enumerate() {
        for (c, cell) in row.iter().enumerate() {
            let (r, c) = (r as u32, c as u16);
            match cell {
                support::Cell::Text(text) if c == 2 && (2..=5).contains(&r) => {
                    let _ = text; // covered by the merge below
                }
                support::Cell::Text(text) => {
                    sheet.write_string(r, c, text).unwrap();
                }
                support::Cell::Number(n) => {
                    sheet.write_number(r, c, *n).unwrap();
                }
                support::Cell::Date(y, m, d) => {
                    let day = ExcelDateTime::from_ymd(*y, *m, *d).unwrap();
                    sheet.write_datetime_with_format(r, c, &day, &date).unwrap();
                }
                support::Cell::Empty => {}
            }
        }
    }
    // 类别 of the five 主题活动 rows (C2:C6) as one merged cell; and a remark beside them,
    // under no header (F2:F4), which is not read.
    sheet
        .merge_range(1, 2, 5, 2, "主题活动", &Format::new())
        .unwrap();
    sheet
        .merge_range(1, 5, 3, 5, "备注", &Format::new())
        .unwrap();
    workbook
        .save(fixture.path("data/2022/县退役军人事务局/活动清单.xlsx"))
        .unwrap();

    let run = fixture.run(&[
        "check",
        "--dept",
        "县退役军人事务局",
        "--kind",
        "意识形态工作",
    ]);
    assert_eq!(run.code, 0, "{}", run.stdout);
    assert!(
        run.stdout.contains(
            "活动清单.xlsx › 活动清单：合并单元格 C2:C6 的值“主题活动”已用于它覆盖的每一行"
        ),
        "{}",
        run.stdout
    );
    // The remark is one cell the clerk typed, told as not read, not as applied.
    assert!(!run.stdout.contains("F2:F4"), "{}", run.stdout);
    assert!(
        run.stdout
            .contains("活动清单 › F2：“备注”所在的列没有表头，没有读入。若它是报告要用的数据"),
        "{}",
        run.stdout
    );
    assert_eq!(
        fixture.run(&["build", "--dept", "县退役军人事务局"]).code,
        0
    );
    let golden = support::reference();
    assert_eq!(
        fixture.read("output/2022/县退役军人事务局/意识形态工作.txt"),
        golden
    );
}

#[test]
fn unreadable_workbooks_say_why_in_chinese() {
    let fixture = Fixture::example();
    let path = fixture.path(VETERANS_XLSX);
    let good = std::fs::read(&path).unwrap();
    let mut ole = vec![0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1];
    ole.extend(std::iter::repeat_n(0u8, 504));
    let cases: [(&str, Vec<u8>); 4] = [
        ("文件是空的", Vec::new()),
        ("内容不是工作簿", "活动名称,日期\n".as_bytes().to_vec()),
        ("设置了打开密码", ole),
        ("文件已损坏或不完整", good[..good.len() / 2].to_vec()),
    ];
    for (reason, bytes) in cases {
        std::fs::write(&path, bytes).unwrap();
        let run = fixture.run(&["check", "--dept", "县退役军人事务局"]);
        assert_eq!(run.code, 1, "{reason}");
        assert!(
            run.stdout
                .contains("2022年报告数据.xlsx：无法作为工作簿打开"),
            "{}",
            run.stdout
        );
        assert!(run.stdout.contains(reason), "{reason}: {}", run.stdout);
        assert!(!run.stdout.contains("panicked"), "{}", run.stdout);
    }
}

/// The activity lists of the veterans and culture bureaus moved into one workbook under
/// data/2022/ (全县活动汇总.xlsx), with a row for a department that has no folder in row 4;
/// `edit` changes its rows before it is written.
fn master_activity_list(fixture: &Fixture, edit: impl FnOnce(&mut Vec<Vec<support::Cell>>)) {
    let mut master = vec![vec![
        support::t("单位"),
        support::t("日期"),
        support::t("活动名称"),
        support::t("类别"),
        support::t("参与人数"),
    ]];
    for (dept, file, sheets) in [
        ("县退役军人事务局", VETERANS_XLSX, veterans_sheets()),
        (
            "县文化广电旅游局",
            "data/2022/县文化广电旅游局/2022年报告数据.xlsx",
            support::culture_sheets(),
        ),
    ] {
        let mut sheets = sheets;
        let list = sheets.iter().position(|s| s.name == "活动清单").unwrap();
        let list = sheets.remove(list);
        for row in list.rows.into_iter().skip(1) {
            master.push(std::iter::once(support::t(dept)).chain(row).collect());
        }
        write_xlsx(&fixture.path(file), &sheets);
    }
    master.insert(
        3,
        vec![
            support::t("县某某局"),
            support::d(2022, 5, 1),
            support::t("误填的活动"),
            support::t("主题活动"),
        ],
    );
    edit(&mut master);
    write_xlsx(
        &fixture.path("data/2022/全县活动汇总.xlsx"),
        &[support::Sheet::new("活动清单", master)],
    );
}

#[test]
fn a_master_tables_hidden_department_column_and_rows_are_told() {
    let fixture = Fixture::example();
    master_activity_list(&fixture, |_| {});
    // Column A (单位) and row 3 hidden, as Excel writes them.
    support::patch_part(
        &fixture.path("data/2022/全县活动汇总.xlsx"),
        "xl/worksheets/sheet1.xml",
        |xml| {
            let xml = xml.replacen("<row r=\"3\"", "<row r=\"3\" hidden=\"1\"", 1);
            let hidden = "<col min=\"1\" max=\"1\" width=\"0\" hidden=\"1\"/>";
            match xml.contains("<cols>") {
                true => xml.replacen("<cols>", &format!("<cols>{hidden}"), 1),
                false => xml.replacen("<sheetData", &format!("<cols>{hidden}</cols><sheetData"), 1),
            }
        },
    );
    let run = fixture.run(&["check", "--kind", "意识形态工作"]);
    assert_eq!(run.code, 0, "{}", run.stdout);
    for told in [
        "全县活动汇总.xlsx › 活动清单 › A1：列“单位”在工作表中是隐藏的，仍读入了报告。",
        "全县活动汇总.xlsx › 活动清单 › B3：第 3 行在工作表中是隐藏的",
    ] {
        assert!(run.stdout.contains(told), "{}", run.stdout);
    }
}

#[test]
fn a_master_workbook_for_all_departments_gives_each_its_rows() {
    let fixture = Fixture::example();
    master_activity_list(&fixture, |_| {});
    let run = fixture.run(&["build", "--kind", "意识形态工作"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(!run.stderr.contains("列“单位”"), "{}", run.stderr);
    assert!(
        run.stderr.contains(
            "全县活动汇总.xlsx › 活动清单 › A4：单位“县某某局”在年度文件夹中没有同名文件夹"
        ),
        "{}",
        run.stderr
    );
    // Read once for the run, so told once, though three departments read it.
    assert_eq!(run.stderr.matches("县某某局").count(), 1, "{}", run.stderr);
    let golden = support::reference();
    assert_eq!(
        fixture.read("output/2022/县退役军人事务局/意识形态工作.txt"),
        golden
    );
    let culture = fixture.read("output/2022/县文化广电旅游局/意识形态工作.txt");
    assert!(
        culture.contains("先后开展全民阅读月、非遗展演进景区和送戏下乡等活动"),
        "{culture}"
    );
    // The education bureau keeps its own CSV file, which comes first.
    let education = fixture.read("output/2022/县教育体育局/意识形态工作.txt");
    assert!(
        education.contains("“开学第一课”“清明祭英烈”"),
        "{education}"
    );
}

#[test]
fn line_breaks_in_cells_join_or_start_paragraphs_as_the_manifest_says() {
    let fixture = Fixture::example();
    let mut sheets = veterans_sheets();
    let points = sheets.iter_mut().find(|s| s.name == "工作要点").unwrap();
    points.rows[5][2] =
        support::t("为满足退役军人需求，\n创新探索专班服务。\n组织首次军地篮球友谊赛。");
    write_xlsx(&fixture.path(VETERANS_XLSX), &sheets);
    let report = "output/2022/县退役军人事务局/意识形态工作.txt";

    assert_eq!(
        fixture
            .run(&[
                "build",
                "--kind",
                "意识形态工作",
                "--dept",
                "县退役军人事务局"
            ])
            .code,
        0
    );
    let txt = fixture.read(report);
    assert!(
        txt.contains(
            "\n一是夯实党建引领。为满足退役军人需求，创新探索专班服务。组织首次军地篮球友谊赛。\n"
        ),
        "{txt}"
    );

    let manifest = fixture.read("templates/意识形态工作/report.toml").replace(
        r#"{ name = "内容", template = true }"#,
        r#"{ name = "内容", template = true, lines = "paragraphs" }"#,
    );
    fixture.write("templates/意识形态工作/report.toml", &manifest);
    assert_eq!(
        fixture
            .run(&[
                "build",
                "--kind",
                "意识形态工作",
                "--dept",
                "县退役军人事务局"
            ])
            .code,
        0
    );
    let txt = fixture.read(report);
    assert!(
        txt.contains("\n一是夯实党建引领。为满足退役军人需求，\n创新探索专班服务。\n组织首次军地篮球友谊赛。\n"),
        "{txt}"
    );
}

#[test]
fn only_notes_with_a_colon_end_a_table_and_records_may_lack_a_header() {
    let fixture = Fixture::example();
    let mut sheets = support::education_sheets();
    // A work point whose text begins like a note, but is data: it has no colon.
    let points = sheets.iter_mut().find(|s| s.name == "工作要点").unwrap();
    points.rows[4][2] = support::t("说明会开展三场，校园文化建设持续深化。");
    // The statistics without their 指标 | 数值 header row.
    let stats = sheets.iter_mut().find(|s| s.name == "统计").unwrap();
    stats.rows.remove(0);
    // Rows after a note are data that would be lost: check says so.
    let list = sheets.iter_mut().find(|s| s.name == "活动清单").unwrap();
    list.rows.insert(2, vec![support::t("填表人：王**")]);
    support::write_csv_gbk(&fixture.path("data/2022/县教育体育局"), &sheets);

    let run = fixture.run(&["build", "--dept", "县教育体育局"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(
        run.stderr.contains(
            "活动清单.csv › A3：这一行是表后的备注，表格到此为止；它下面还有 2 行数据没有读入"
        ),
        "{}",
        run.stderr
    );
    let txt = fixture.read("output/2022/县教育体育局/意识形态工作.txt");
    assert!(txt.contains("说明会开展三场"), "{txt}");
    let brief = fixture.read("output/2022/县教育体育局/数据简报.txt");
    assert!(brief.contains("\n1.中小学校：56。\n"), "{brief}");
    assert!(brief.contains("\n3.主题班会：1,300。\n"), "{brief}");
}

#[test]
fn messages_name_a_column_as_the_sheet_heads_it() {
    let fixture = Fixture::example();
    let mut sheets = veterans_sheets();
    let list = sheets.iter_mut().find(|s| s.name == "活动清单").unwrap();
    list.rows[0][3] = support::t("参加人数");
    list.rows[2][3] = support::t("60人");
    write_xlsx(&fixture.path(VETERANS_XLSX), &sheets);
    let run = fixture.run(&[
        "check",
        "--dept",
        "县退役军人事务局",
        "--kind",
        "意识形态工作",
    ]);
    assert_eq!(run.code, 1);
    assert!(
        run.stdout
            .contains("活动清单 › D3：“参加人数”应为整数，实际为“60人”"),
        "{}",
        run.stdout
    );
}

#[test]
fn names_that_are_formulas_without_a_result_are_errors_not_other_names() {
    // A department's name in a master table: read as the formula's text, its rows would go to
    // no department.
    let fixture = Fixture::example();
    master_activity_list(&fixture, |_| {});
    support::patch_part(
        &fixture.path("data/2022/全县活动汇总.xlsx"),
        "xl/worksheets/sheet1.xml",
        |xml| support::uncalculated(xml, "A3", r#"T("县退役军人事务局")"#),
    );
    let run = fixture.run(&["check", "--kind", "意识形态工作"]);
    assert_eq!(run.code, 1, "{}", run.stdout);
    assert!(
        run.stdout.contains(
            "全县活动汇总.xlsx › 活动清单 › A3：这个单元格是公式“=T(\"县退役军人事务局\")”，但文件里没有保存它的计算结果"
        ),
        "{}",
        run.stdout
    );
    assert!(!run.stdout.contains("没有同名文件夹"), "{}", run.stdout);

    // A record's key: read as the formula's text, it would be a key of its own (under `other`)
    // or undeclared, and the declared one missing.
    let fixture = Fixture::example();
    write_xlsx(&fixture.path(VETERANS_XLSX), &veterans_sheets());
    support::patch_part(
        &fixture.path(VETERANS_XLSX),
        &sheet_part(&veterans_sheets(), "统计"),
        |xml| support::uncalculated(xml, "A2", r#"T("烈士集中安葬点")"#),
    );
    let run = fixture.run(&["check", "--dept", "县退役军人事务局"]);
    assert_eq!(run.code, 1, "{}", run.stdout);
    assert!(
        run.stdout
            .contains("统计 › A2：这个单元格是公式“=T(\"烈士集中安葬点\")”"),
        "{}",
        run.stdout
    );
    assert!(!run.stdout.contains("缺少项目"), "{}", run.stdout);
}

#[test]
fn a_master_table_tells_its_cells_under_no_header_once() {
    let fixture = Fixture::example();
    // Remarks beside a veterans' row (F3) and two culture rows (F11, F12): the header has
    // five columns, A to E.
    master_activity_list(&fixture, |rows| {
        assert_eq!(rows[0].len(), 5);
        for (row, text) in [(2, "退役备注"), (10, "文化备注"), (11, "文化备注2")] {
            rows[row].resize(5, support::Cell::Empty);
            rows[row].push(support::t(text));
        }
    });
    let run = fixture.run(&["build", "--kind", "意识形态工作", "--format", "txt"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(
        run.stderr.contains(
            "全县活动汇总.xlsx › 活动清单 › F3：“退役备注”所在的列没有表头，没有读入（这张表里还有 2 个这样的单元格）"
        ),
        "{}",
        run.stderr
    );
    assert_eq!(
        run.stderr.matches("所在的列没有表头").count(),
        1,
        "{}",
        run.stderr
    );
}

#[test]
fn a_note_row_is_found_wherever_its_notes_are_typed() {
    let fixture = Fixture::example();
    let mut sheets = support::education_sheets();
    let list = sheets.iter_mut().find(|s| s.name == "活动清单").unwrap();
    assert_eq!(list.rows[0].len(), 4, "日期 活动名称 类别 参与人数");
    // A footer of two notes, the second far right under no header: the table ends there.
    let empty = || support::Cell::Empty;
    list.rows.push(vec![
        support::t("填表人：王**"),
        empty(),
        empty(),
        empty(),
        support::t("联系电话：12345"),
    ]);
    // A second row of notes is no data left unread; nor a third of labels, each with its
    // value in the next cell.
    list.rows.push(vec![
        support::t("审核：李**"),
        empty(),
        support::t("填报日期：2023年1月5日"),
    ]);
    list.rows.push(vec![
        support::t("填表人（签字）："),
        support::t("张**"),
        support::t("联系电话："),
        support::Cell::Number(13800000000.0),
        support::t("制表：王**"),
    ]);
    support::write_csv_gbk(&fixture.path("data/2022/县教育体育局"), &sheets);
    let run = fixture.run(&["build", "--dept", "县教育体育局", "--format", "txt"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(!run.stderr.contains("联系电话"), "{}", run.stderr);
    assert!(!run.stderr.contains("没有读入"), "{}", run.stderr);

    // A note typed under no header above rows of data: named at its own cell.
    let list = sheets.iter_mut().find(|s| s.name == "活动清单").unwrap();
    list.rows.truncate(list.rows.len() - 3);
    list.rows.insert(
        2,
        vec![
            empty(),
            empty(),
            empty(),
            empty(),
            support::t("说明：下半年活动"),
        ],
    );
    support::write_csv_gbk(&fixture.path("data/2022/县教育体育局"), &sheets);
    let run = fixture.run(&["build", "--dept", "县教育体育局", "--format", "txt"]);
    assert!(
        run.stderr
            .contains("活动清单.csv › E3：这一行是表后的备注，表格到此为止"),
        "{}",
        run.stderr
    );
}

#[test]
fn a_record_s_first_row_or_key_left_by_a_formula_is_told_not_skipped() {
    // Without its 指标 | 数值 header, the statistics' first row is data: a formula there with
    // no result is told at its cell, not taken for a header and dropped.
    let fixture = Fixture::example();
    let mut sheets = veterans_sheets();
    support::sheet(&mut sheets, "统计").rows.remove(0);
    write_xlsx(&fixture.path(VETERANS_XLSX), &sheets);
    support::patch_part(
        &fixture.path(VETERANS_XLSX),
        &sheet_part(&sheets, "统计"),
        |xml| {
            let xml = support::uncalculated(xml, "B1", "1+2");
            // An Excel error value where a key belongs.
            support::replace_cell(&xml, "A3", r#"<c r="A3" t="e"><v>#REF!</v></c>"#)
        },
    );
    let run = fixture.run(&["check", "--dept", "县退役军人事务局"]);
    assert_eq!(run.code, 1, "{}", run.stdout);
    assert!(
        run.stdout
            .contains("统计 › B1：这个单元格是公式“=1+2”，但文件里没有保存它的计算结果"),
        "{}",
        run.stdout
    );
    assert!(
        run.stdout
            .contains("统计 › A3：“名称”应为文字，实际为“#REF!”。这是 Excel 的错误值"),
        "{}",
        run.stdout
    );
}

#[test]
fn a_department_with_its_own_sheet_and_rows_in_a_master_table_is_told_both() {
    // The veterans bureau keeps its activity list in its workbook, and the master table has
    // its rows too: which is right is for the clerk to say.
    let fixture = Fixture::example();
    master_activity_list(&fixture, |_| {});
    write_xlsx(&fixture.path(VETERANS_XLSX), &veterans_sheets());
    let run = fixture.run(&["check", "--kind", "意识形态工作"]);
    assert_eq!(run.code, 1, "{}", run.stdout);
    assert!(
        run.stdout.contains(&format!(
            "数据源“活动清单”出现在多处：{VETERANS_XLSX} › 活动清单、data/2022/全县活动汇总.xlsx › 活动清单（“单位”为“县退役军人事务局”的 8 行）。请只保留一处。"
        )),
        "{}",
        run.stdout
    );
    // The others read the master table as before.
    assert!(!run.stdout.contains("县文化广电旅游局 ›"), "{}", run.stdout);

    // Rows that hold its name and nothing a report reads (a 序号 numbered in advance) are no
    // rows of its own.
    let fixture = Fixture::example();
    master_activity_list(&fixture, |rows| {
        rows[0].push(support::t("序号"));
        for (i, row) in rows.iter_mut().enumerate().skip(1) {
            if row[0] == support::t("县退役军人事务局") {
                row.truncate(1);
                row.resize(5, support::Cell::Empty);
                row.push(support::Cell::Number(i as f64));
            }
        }
    });
    write_xlsx(&fixture.path(VETERANS_XLSX), &veterans_sheets());
    let run = fixture.run(&["check", "--kind", "意识形态工作"]);
    assert_eq!(run.code, 0, "{}", run.stdout);
}

#[test]
fn a_record_key_typed_with_a_colon_is_the_key_not_a_note() {
    // 联系人 is a note's word under a table; in a record that declares it, `联系人：` | `张**`
    // is its key and value, and the rows after it are read.
    let fixture = Fixture::example();
    let manifest = fixture.read("templates/意识形态工作/report.toml");
    fixture.write(
        "templates/意识形态工作/report.toml",
        &manifest.replacen(
            "{ name = \"印发日期\", type = \"date\", required = false },",
            "{ name = \"印发日期\", type = \"date\", required = false },\n  { name = \"联系人\", required = false },",
            1,
        ),
    );
    let path = fixture.path("data/2022/县教育体育局/概况.csv");
    let bytes = std::fs::read(&path).unwrap();
    let (text, _, _) = encoding_rs::GB18030.decode(&bytes);
    let mut lines: Vec<&str> = text.lines().collect();
    lines.insert(1, "联系人（签字）：,张**");
    let text = lines.join("\r\n") + "\r\n";
    let (gbk, _, _) = encoding_rs::GB18030.encode(&text);
    std::fs::write(&path, gbk).unwrap();
    let json = fixture.context("县教育体育局", "意识形态工作");
    assert_eq!(json["概况"]["联系人"], "张**", "{json}");
    assert_eq!(json["概况"]["签发人"], "李明", "{json}");
}

#[test]
fn a_department_formula_filled_down_past_the_data_is_nothing() {
    // 单位 computed by a formula filled down 200 rows: the rows below the data hold only the
    // formula, with no result stored; they are no rows of anyone's.
    let fixture = Fixture::example();
    let mut last = 0;
    master_activity_list(&fixture, |rows| {
        rows.push(vec![support::t("占位")]);
        last = rows.len();
    });
    support::patch_part(
        &fixture.path("data/2022/全县活动汇总.xlsx"),
        "xl/worksheets/sheet1.xml",
        |xml| support::uncalculated(xml, &format!("A{last}"), "VLOOKUP(F9,X:Y,2,0)"),
    );
    let run = fixture.run(&["check", "--kind", "意识形态工作"]);
    assert_eq!(run.code, 0, "{}", run.stdout);
    assert!(!run.stdout.contains("公式"), "{}", run.stdout);
}

#[test]
fn a_record_row_the_workbook_hides_is_read_and_told() {
    let fixture = Fixture::example();
    // 统计's row 3 (散葬烈士墓) hidden, as Excel writes a hidden row.
    support::patch_part(
        &fixture.path(VETERANS_XLSX),
        "xl/worksheets/sheet2.xml",
        |xml| xml.replacen("<row r=\"3\"", "<row r=\"3\" hidden=\"1\"", 1),
    );
    let run = fixture.run(&["build", "--dept", "县退役军人事务局", "--format", "txt"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(
        run.stderr.contains(
            "统计 › A3：第 3 行在工作表中是隐藏的（或被筛选掉了），仍作为数据读入了报告。"
        ),
        "{}",
        run.stderr
    );
    assert_eq!(
        fixture.read("output/2022/县退役军人事务局/意识形态工作.txt"),
        support::reference()
    );
}

#[test]
fn a_totals_row_under_the_table_is_not_an_activity() {
    let fixture = Fixture::example();
    let mut sheets = veterans_sheets();
    let list = &mut support::sheet(&mut sheets, "活动清单").rows;
    list.push(vec![
        support::Cell::Empty,
        support::t("合 计"),
        support::Cell::Empty,
        support::Cell::Number(1795.0),
    ]);
    let row = list.len();
    list.push(vec![support::t("总计："), support::Cell::Number(1795.0)]);
    let activities = list.len() - 3;
    write_xlsx(&fixture.path(VETERANS_XLSX), &sheets);
    let run = fixture.run(&["build", "--dept", "县退役军人事务局", "--format", "txt"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(
        run.stderr.contains(&format!(
            "活动清单 › B{row}：这是合计行，没有作为一行数据读入（这张表里还有 1 行这样的行）；报告中的合计由模板计算。"
        )),
        "{}",
        run.stderr
    );
    assert_eq!(
        fixture.read("output/2022/县退役军人事务局/意识形态工作.txt"),
        support::reference()
    );
    // An activity whose 类别 reads 小计 is an activity: it has a date and a name.
    support::sheet(&mut sheets, "活动清单").rows[2][2] = support::t("小计");
    write_xlsx(&fixture.path(VETERANS_XLSX), &sheets);
    let json = fixture.context("县退役军人事务局", "意识形态工作");
    assert_eq!(
        json["活动清单"].as_array().unwrap().len(),
        activities,
        "{json}"
    );

    // In a master table, a totals row is told as one, not as a department of that name.
    let fixture = Fixture::example();
    master_activity_list(&fixture, |rows| {
        rows.push(vec![
            support::t("合计"),
            support::Cell::Empty,
            support::Cell::Empty,
            support::Cell::Empty,
            support::Cell::Number(1795.0),
        ]);
    });
    let run = fixture.run(&["check", "--kind", "意识形态工作"]);
    assert_eq!(run.code, 0, "{}", run.stdout);
    assert!(run.stdout.contains("这是合计行"), "{}", run.stdout);
    assert!(!run.stdout.contains("单位“合计”"), "{}", run.stdout);

    // In a CSV file every cell is text: its figures (`1795`, `95%`) count as figures.
    let fixture = Fixture::example();
    let mut sheets = support::education_sheets();
    let list = &mut support::sheet(&mut sheets, "活动清单").rows;
    let activities = list.len() - 1;
    list.push(vec![
        support::t("合计"),
        support::Cell::Empty,
        support::t("95%"),
        support::t("1,795"),
    ]);
    let row = list.len();
    support::write_csv_gbk(&fixture.path("data/2022/县教育体育局"), &sheets);
    let run = fixture.run(&["check", "--dept", "县教育体育局", "--kind", "意识形态工作"]);
    assert_eq!(run.code, 0, "{}", run.stdout);
    assert!(
        run.stdout
            .contains(&format!("活动清单.csv › A{row}：这是合计行")),
        "{}",
        run.stdout
    );
    let json = fixture.context("县教育体育局", "意识形态工作");
    assert_eq!(json["活动清单"].as_array().unwrap().len(), activities);
}

#[test]
fn a_key_of_its_own_typed_with_a_colon_keeps_its_name_without_it() {
    // 统计 takes any key (`other`): `中小学校：` is the key 中小学校.
    let fixture = Fixture::example();
    let mut sheets = support::education_sheets();
    support::sheet(&mut sheets, "统计").rows[1][0] = support::t("中小学校：");
    support::write_csv_gbk(&fixture.path("data/2022/县教育体育局"), &sheets);
    let json = fixture.context("县教育体育局", "数据简报");
    assert_eq!(json["统计"]["中小学校"], 56, "{json}");
}

/// The part of an xlsx that `write_xlsx` wrote `sheets` into holding the sheet `name`.
fn sheet_part(sheets: &[support::Sheet], name: &str) -> String {
    let index = sheets.iter().position(|s| s.name == name).unwrap();
    format!("xl/worksheets/sheet{}.xml", index + 1)
}

#[test]
fn a_failed_reports_notes_on_the_sheet_that_failed_are_told_too() {
    let fixture = Fixture::example();
    // An undeclared column, a date of another year and a bad figure, all on one sheet.
    let path = fixture.path("data/2022/县教育体育局/活动清单.csv");
    std::fs::remove_file(&path).unwrap();
    fixture.write(
        "data/2022/县教育体育局/活动清单.csv",
        "序号,日期,活动名称,类别,参与人数\n1,2022/3/1,开学第一课,主题教育,41000\n2,2021/4/5,清明祭英烈,主题教育,12人\n",
    );
    let run = fixture.run(&[
        "check",
        "--dept",
        "县教育体育局",
        "--kind",
        "数据简报",
        "--format",
        "json",
    ]);
    assert_eq!(run.code, 1, "{}", run.stdout);
    let json: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
    let problems = json["problems"].as_array().unwrap();
    let said = |level: &str, text: &str| {
        problems
            .iter()
            .any(|p| p["level"] == level && p["message"].as_str().unwrap().contains(text))
    };
    assert!(said("error", "12人"), "{problems:?}");
    assert!(
        said("warning", "列“序号”没有在 report.toml 中声明"),
        "{problems:?}"
    );
    assert!(said("warning", "2021"), "{problems:?}");
    let run = fixture.run(&["check", "--dept", "县教育体育局", "--kind", "数据简报"]);
    assert_eq!(run.code, 1, "{}", run.stdout);
    assert!(run.stdout.contains("提示："), "{}", run.stdout);
    assert!(run.stdout.contains("序号"), "{}", run.stdout);
}

#[test]
fn an_optional_columns_header_a_character_off_is_told_not_read_silently_as_blank() {
    let fixture = Fixture::example();
    let path = fixture.path("data/2022/县教育体育局/活动清单.csv");
    std::fs::remove_file(&path).unwrap();
    fixture.write(
        "data/2022/县教育体育局/活动清单.csv",
        "日期,活动名称,类别,参与人次,参加人员\n2022/3/1,开学第一课,主题教育,41000,张三\n",
    );
    let run = fixture.run(&["check", "--dept", "县教育体育局", "--kind", "数据简报"]);
    assert_eq!(run.code, 0, "{}", run.stdout);
    assert!(
        run.stdout.contains(
            "提示：data/2022/县教育体育局/活动清单.csv › D1：选填的列“参与人数”不在表中，这一列按空白读入；表头“参与人次”与它只差一两个字，没有读入。如果是写错了，请把表头改为“参与人数”。"
        ),
        "{}",
        run.stdout
    );
    // A header further from the name stays a column the manifest does not know.
    assert!(
        run.stdout
            .contains("活动清单.csv › E1：列“参加人员”没有在 report.toml 中声明，已忽略"),
        "{}",
        run.stdout
    );
    assert!(!run.stdout.contains("列“参与人次”没有在"), "{}", run.stdout);
}
