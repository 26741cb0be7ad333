//! The yearly cycle's first steps: blank forms (`huibao forms`) that `build` reads once filled
//! in, and a new year's folders (`huibao new-year`) with what stays carried over.

mod support;

use std::collections::HashMap;
use std::path::Path;

use calamine::{Data, Reader, open_workbook_auto};
use support::{Cell, Fixture, Sheet};

/// Every sheet of a workbook as rows of cells.
fn read(path: &Path) -> Vec<(String, Vec<Vec<Data>>)> {
    let mut workbook = open_workbook_auto(path).unwrap();
    workbook
        .sheet_names()
        .into_iter()
        .map(|name| {
            let range = workbook.worksheet_range(&name).unwrap();
            let rows = range.rows().map(|r| r.to_vec()).collect();
            (name, rows)
        })
        .collect()
}

fn text(cell: &Data) -> String {
    match cell {
        Data::Empty => String::new(),
        other => other.to_string(),
    }
}

/// The form filled in with a department's example data: each record key the form lists gets
/// its value (keys of the department's own follow), each table column its values by header.
fn fill(form: &[(String, Vec<Vec<Data>>)], data: &[Sheet]) -> Vec<Sheet> {
    let mut filled = Vec::new();
    for (name, rows) in form.iter().filter(|(n, _)| n != "填表说明") {
        let source = data.iter().find(|s| &s.name == name).unwrap();
        let header: Vec<String> = rows[0].iter().map(text).collect();
        let mut out: Vec<Vec<Cell>> = Vec::new();
        if header[..2] == ["项目", "内容"] {
            out.push(vec![support::t("项目"), support::t("内容")]);
            let keys: Vec<String> = rows[1..].iter().map(|r| text(&r[0])).collect();
            for key in &keys {
                let value = source.rows[1..]
                    .iter()
                    .find(|r| r[0] == support::t(key))
                    .map_or(Cell::Empty, |r| r[1].clone());
                out.push(vec![support::t(key), value]);
            }
            for row in &source.rows[1..] {
                if !keys.iter().any(|k| row[0] == support::t(k)) {
                    out.push(row.clone());
                }
            }
        } else {
            out.push(header.iter().map(|h| support::t(h)).collect());
            let columns: Vec<Option<usize>> = header
                .iter()
                .map(|h| source.rows[0].iter().position(|c| *c == support::t(h)))
                .collect();
            for row in &source.rows[1..] {
                out.push(
                    columns
                        .iter()
                        .map(|c| c.map_or(Cell::Empty, |i| row[i].clone()))
                        .collect(),
                );
            }
        }
        filled.push(Sheet::new(name, out));
    }
    filled
}

/// Every report file of a build, by its path under `output/2022/`.
fn reports(fixture: &Fixture) -> HashMap<String, Vec<u8>> {
    let mut found = HashMap::new();
    let root = fixture.path("output/2022");
    let mut stack = vec![root.clone()];
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(&dir).unwrap().flatten() {
            let path = entry.path();
            let name = path.strip_prefix(&root).unwrap().display().to_string();
            if path.is_dir() {
                stack.push(path);
            } else if name.ends_with(".txt") && !name.contains("生成情况") {
                found.insert(name, std::fs::read(&path).unwrap());
            }
        }
    }
    found
}

#[test]
fn forms_filled_in_give_the_same_reports_for_every_kind() {
    let fixture = Fixture::example();
    let run = fixture.run(&["build", "--format", "txt"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let before = reports(&fixture);
    assert_eq!(before.len(), 7);
    std::fs::remove_dir_all(fixture.path("output")).unwrap();

    let run = fixture.run(&["forms"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(run.stdout.contains("创建 3 个文件"), "{}", run.stdout);
    for (dept, data) in [
        ("县退役军人事务局", support::veterans_sheets()),
        ("县文化广电旅游局", support::culture_sheets()),
        ("县教育体育局", support::education_sheets()),
    ] {
        let form = read(&fixture.path(&format!("forms/2022/{dept}/2022年报告数据.xlsx")));
        // Exactly the sheets the kinds read, each once, after the instructions.
        let names: Vec<&str> = form.iter().map(|(n, _)| n.as_str()).collect();
        assert_eq!(names, ["填表说明", "统计", "活动清单", "概况", "工作要点"]);
        let folder = fixture.path(&format!("data/2022/{dept}"));
        std::fs::remove_dir_all(&folder).unwrap();
        std::fs::create_dir_all(&folder).unwrap();
        support::write_xlsx(&folder.join("2022年报告数据.xlsx"), &fill(&form, &data));
    }
    let run = fixture.run(&["build", "--format", "txt"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let after = reports(&fixture);
    for (name, bytes) in &before {
        assert_eq!(
            String::from_utf8_lossy(&after[name]),
            String::from_utf8_lossy(bytes),
            "{name}"
        );
    }
    assert_eq!(
        String::from_utf8(after["县退役军人事务局/意识形态工作.txt"].clone()).unwrap(),
        support::reference()
    );
}

#[test]
fn new_year_removes_what_a_killed_run_of_it_left_in_the_data_folders() {
    // A run killed while writing a form leaves its temporary file; the next run removes it,
    // once it is too old to be a running one's, also where the form is there by then.
    let fixture = Fixture::example();
    assert_eq!(fixture.run(&["new-year", "--to", "2023"]).code, 0);
    let dir = fixture.path("data/2023/县教育体育局");
    let left = |name: &str, age: u64| {
        let path = dir.join(name);
        let file = std::fs::File::create(&path).unwrap();
        let when = std::time::SystemTime::now() - std::time::Duration::from_secs(age);
        file.set_modified(when).unwrap();
        path
    };
    let (killed, running) = (left(".huibao-Ab12Cd", 3600), left(".huibao-Ef34Gh", 0));
    let run = fixture.run(&["new-year", "--to", "2023"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(!killed.exists());
    assert!(running.exists(), "maybe another run's, writing now");
    // `forms` in the folders it writes into, the same way.
    assert_eq!(fixture.run(&["forms", "--dept", "县教育体育局"]).code, 0);
    let dir = fixture.path("forms/2023/县教育体育局");
    let file = std::fs::File::create(dir.join(".huibao-Ij56Kl")).unwrap();
    let when = std::time::SystemTime::now() - std::time::Duration::from_secs(3600);
    file.set_modified(when).unwrap();
    assert_eq!(fixture.run(&["forms", "--dept", "县教育体育局"]).code, 0);
    assert!(!dir.join(".huibao-Ij56Kl").exists());
}

#[test]
fn forms_never_replace_a_file_already_there() {
    let fixture = Fixture::example();
    let run = fixture.run(&["forms", "--dept", "县教育体育局"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let path = fixture.path("forms/2022/县教育体育局/2022年报告数据.xlsx");
    std::fs::write(&path, b"filled in by hand").unwrap();
    let run = fixture.run(&["forms", "--dept", "县教育体育局"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(run.stdout.contains("已存在，没有改动"), "{}", run.stdout);
    assert_eq!(std::fs::read(&path).unwrap(), b"filled in by hand");
}

#[test]
fn a_form_tells_each_sheet_as_any_kind_describes_it() {
    // 全县汇总 reads 统计 without a description, 意识形态工作 with one: the form gives it.
    let fixture = Fixture::example();
    assert_eq!(fixture.run(&["forms", "--dept", "县教育体育局"]).code, 0);
    let form = read(&fixture.path("forms/2022/县教育体育局/2022年报告数据.xlsx"));
    let guide: Vec<String> = form[0].1.iter().map(|r| text(&r[0])).collect();
    let stats = guide.iter().find(|l| l.starts_with("“统计”：")).unwrap();
    assert!(
        stats.contains("本单位的主要数字，一行一个指标。"),
        "{stats}"
    );
    let list = guide
        .iter()
        .find(|l| l.starts_with("“活动清单”："))
        .unwrap();
    assert!(list.contains("全年开展的活动，一行一项。"), "{list}");
    // Every sheet must be filled in: a blank one fails the build.
    assert!(
        !guide.iter().any(|l| l.contains("不用的工作表可以留空")),
        "{guide:?}"
    );
    assert!(
        guide.iter().any(|l| l.contains("每张表都要填写")),
        "{guide:?}"
    );
}

#[test]
fn a_form_says_what_goes_where() {
    let fixture = Fixture::example();
    assert_eq!(
        fixture
            .run(&["forms", "--dept", "县教育体育局", "--kind", "数据简报"])
            .code,
        0
    );
    let form = read(&fixture.path("forms/2022/县教育体育局/2022年报告数据（数据简报）.xlsx"));
    let names: Vec<&str> = form.iter().map(|(n, _)| n.as_str()).collect();
    assert_eq!(
        names,
        ["填表说明", "统计", "活动清单"],
        "only what 数据简报 reads"
    );
    let guide: Vec<String> = form[0].1.iter().map(|r| text(&r[0])).collect();
    assert_eq!(guide[0], "县教育体育局2022年报告数据");
    assert!(guide[1].contains("data/2022/县教育体育局/"), "{guide:?}");
    // Named after its kind, it can sit beside the filled workbook; the guide says not to
    // replace that one with it.
    assert!(
        guide
            .iter()
            .any(|l| l.contains("文件夹里已经有填好的数据表时，不要用本文件替换它")),
        "{guide:?}"
    );
    assert!(
        guide
            .iter()
            .any(|l| l.starts_with("“活动清单”：") && l.contains("用于：数据简报"))
    );
    let activities = &form[2].1;
    let header: Vec<String> = activities[0].iter().map(text).collect();
    assert_eq!(header, ["日期", "活动名称", "类别", "参与人数"]);
    // The notes and validations are inside the package: read them from the XML.
    let xml = unzip(&fixture.path("forms/2022/县教育体育局/2022年报告数据（数据简报）.xlsx"));
    let comments: String = xml
        .iter()
        .filter(|(n, _)| n.starts_with("xl/comments"))
        .map(|(_, t)| t.as_str())
        .collect();
    assert!(comments.contains("类型：日期；必填。"), "{comments}");
    assert!(
        comments.contains("类型：整数（不小于 0）；可不填。"),
        "{comments}"
    );
    let sheet = &xml
        .iter()
        .find(|(n, _)| n == "xl/worksheets/sheet3.xml")
        .unwrap()
        .1;
    assert!(sheet.contains(r#"type="date""#), "dates validated");
    assert!(sheet.contains(r#"type="whole""#), "integers validated");
    // 参与人数 has `min = 0`: Excel refuses a negative count, and says so.
    assert!(
        sheet.contains(
            r#"error="这里应填整数（不小于 0）。" sqref="D2:D1001"><formula1>0</formula1>"#
        ),
        "{sheet}"
    );
    assert!(sheet.contains(r#"<pane ySplit="1""#), "header frozen");
}

/// The parts of a zip package, by name, as text.
fn unzip(path: &Path) -> Vec<(String, String)> {
    use std::io::Read;
    let mut archive = zip::ZipArchive::new(std::fs::File::open(path).unwrap()).unwrap();
    (0..archive.len())
        .map(|i| {
            let mut file = archive.by_index(i).unwrap();
            let mut text = String::new();
            let _ = file.read_to_string(&mut text);
            (file.name().unwrap().into_owned(), text)
        })
        .collect()
}

#[test]
fn a_sheet_declared_two_ways_is_an_error_naming_both_kinds() {
    let fixture = Fixture::example();
    let manifest = fixture.read("templates/数据简报/report.toml");
    fixture.write(
        "templates/数据简报/report.toml",
        &manifest.replace(
            "{ name = \"参与人数\", type = \"integer\", required = false",
            "{ name = \"参与人数\", type = \"number\", required = false",
        ),
    );
    let run = fixture.run(&["forms"]);
    assert_eq!(run.code, 1);
    assert!(
        run.stderr
            .contains("对工作表“活动清单”的声明不一致（“参与人数”的类型、是否必填或可选值不同）"),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr.contains("“意识形态工作”和“数据简报”")
            || run.stderr.contains("“全县汇总”和“数据简报”"),
        "{}",
        run.stderr
    );
}

#[test]
fn new_year_creates_forms_with_what_stays_and_a_second_run_creates_nothing() {
    let fixture = Fixture::example();
    let run = fixture.run(&["new-year", "--to", "2023"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(
        run.stdout.contains("创建 3 个文件，0 个已存在"),
        "{}",
        run.stdout
    );
    let path = fixture.path("data/2023/县文化广电旅游局/2023年报告数据.xlsx");
    let form = read(&path);
    let general = &form.iter().find(|(n, _)| n == "概况").unwrap().1;
    let value = |key: &str| {
        general
            .iter()
            .find(|r| text(&r[0]) == key)
            .map(|r| (text(&r[1]), r.get(2).map(text).unwrap_or_default()))
            .unwrap()
    };
    // Carried: what stays from year to year. Not carried: the date, the opening sentence.
    assert_eq!(value("署名").0, "县文化广电旅游局");
    assert_eq!(value("主送机关").0, "县委宣传部");
    assert_eq!(
        value("成文日期"),
        (String::new(), "2023-01-05".into()),
        "last year's beside"
    );
    assert_eq!(value("开篇").0, "");
    // Last year's figures beside this year's empty cells, the department's own keys listed.
    let stats = &form.iter().find(|(n, _)| n == "统计").unwrap().1;
    assert_eq!(text(&stats[0][2]), "2022年（供对照，不会读入）");
    let row = stats.iter().find(|r| text(&r[0]) == "观众人次").unwrap();
    assert_eq!(
        (text(&row[1]), text(&row[2])),
        (String::new(), "12800".into())
    );

    // A folder that already holds a workbook the department sent gets no form beside it.
    let early = fixture.path("data/2023/县退役军人事务局");
    std::fs::remove_file(early.join("2023年报告数据.xlsx")).unwrap();
    std::fs::write(early.join("提前交的数据.xlsx"), b"filled in early").unwrap();

    // A second run creates nothing and changes nothing; a clerk's file is never replaced.
    std::fs::write(&path, b"filled in").unwrap();
    let run = fixture.run(&["new-year", "--to", "2023"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(
        run.stdout.contains("创建 0 个文件，3 个已存在"),
        "{}",
        run.stdout
    );
    assert_eq!(std::fs::read(&path).unwrap(), b"filled in");
    assert!(!early.join("2023年报告数据.xlsx").exists());
    assert!(
        run.stdout
            .contains("已存在，没有改动：data/2023/县退役军人事务局\n"),
        "{}",
        run.stdout
    );

    // The new year, not yet filled in: the build says what is missing, cell by cell.
    std::fs::remove_file(&path).unwrap();
    let run = fixture.run(&["check", "--year", "2023"]);
    assert_eq!(run.code, 1);
    assert!(
        run.stdout.contains("2023年报告数据.xlsx › 活动清单"),
        "{}",
        run.stdout
    );
}

#[test]
fn new_year_fills_a_folder_that_holds_only_files_a_build_does_not_read() {
    // Windows and Excel leave files behind in a folder opened in Explorer or Excel.
    let fixture = Fixture::example();
    let folder = fixture.path("data/2023/县教育体育局");
    std::fs::create_dir_all(&folder).unwrap();
    for clutter in [
        "Thumbs.db",
        "desktop.ini",
        "~$2023年报告数据.xlsx",
        ".DS_Store",
    ] {
        std::fs::write(folder.join(clutter), b"x").unwrap();
    }
    let run = fixture.run(&["new-year", "--to", "2023"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(
        folder.join("2023年报告数据.xlsx").exists(),
        "{}",
        run.stdout
    );
    assert!(
        run.stdout.contains("创建 3 个文件，0 个已存在"),
        "{}",
        run.stdout
    );
}

#[test]
fn new_year_finds_a_folder_whose_name_has_spaces_around_it() {
    // `县文化广电旅游局 ` is the department's folder for a build: no second one is made.
    let fixture = Fixture::example();
    let spaced = fixture.path("data/2023/县文化广电旅游局 ");
    std::fs::create_dir_all(&spaced).unwrap();
    std::fs::write(spaced.join("文旅.et"), b"sent early").unwrap();
    let run = fixture.run(&["new-year", "--to", "2023"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(
        !fixture.path("data/2023/县文化广电旅游局").exists(),
        "{}",
        run.stdout
    );
    assert!(run.stdout.contains("已存在，没有改动"), "{}", run.stdout);
}

#[test]
fn new_year_carries_a_narrative_cell_as_written_not_as_rendered() {
    let fixture = Fixture::example();
    let manifest = fixture.read("templates/意识形态工作/report.toml");
    let carried = manifest.replace(
        "{ name = \"开篇\", template = true,",
        "{ name = \"开篇\", template = true, carry = true,",
    );
    assert_ne!(manifest, carried);
    fixture.write("templates/意识形态工作/report.toml", &carried);
    let mut sheets = support::culture_sheets();
    let opening = "{{ year }}年，全年文化惠民演出{{ 统计.文化惠民演出场次 }}场次。";
    support::sheet(&mut sheets, "概况").rows[1][1] = support::t(opening);
    support::write_xlsx(
        &fixture.path("data/2022/县文化广电旅游局/2022年报告数据.xlsx"),
        &sheets,
    );
    let run = fixture.run(&["new-year", "--to", "2023"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let form = read(&fixture.path("data/2023/县文化广电旅游局/2023年报告数据.xlsx"));
    let general = &form.iter().find(|(n, _)| n == "概况").unwrap().1;
    let row = general.iter().find(|r| text(&r[0]) == "开篇").unwrap();
    // Its expressions, to be rendered with 2023's figures, not 2022's sentence.
    assert_eq!(text(&row[1]), opening);
}

#[test]
fn new_year_needs_a_year_before_it() {
    let fixture = Fixture::example();
    let run = fixture.run(&["new-year", "--to", "2021"]);
    assert_eq!(run.code, 1);
    assert!(
        run.stderr.contains("没有早于 2021 的年度文件夹"),
        "{}",
        run.stderr
    );
    let run = fixture.run(&["new-year"]);
    assert_eq!(run.code, 2, "--to is required");
    // A year skipped, or not a year: told before anything is made.
    let run = fixture.run(&["new-year", "--to", "2024"]);
    assert_eq!(run.code, 1);
    assert!(
        run.stderr.contains(
            "data 下早于 2024 的最新年度是 2022，新的年度应是 2023；--to 2024 跳过了 1 年"
        ),
        "{}",
        run.stderr
    );
    assert!(!fixture.path("data/2024").exists());
    let run = fixture.run(&["new-year", "--to", "23"]);
    assert!(
        run.stderr.contains("年度应是四位数字，得到的是 23"),
        "{}",
        run.stderr
    );
    // Asked for in so many words, it is done, and said.
    let run = fixture.run(&["new-year", "--from", "2022", "--to", "2024"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(
        run.stdout.contains(
            "提示：从 2022 年的数据直接准备 2024 年；数据表中供对照的是 2022 年的数字，2024 年的报告也没有上一年（2023）的数据可比。"
        ),
        "{}",
        run.stdout
    );
}

#[test]
fn new_year_prepares_master_tables_for_the_departments_whose_rows_they_hold() {
    let fixture = Fixture::example();
    // 县教育体育局's activities come from the year's master table; the other two
    // departments keep theirs in their own folders.
    std::fs::remove_file(fixture.path("data/2022/县教育体育局/活动清单.csv")).unwrap();
    let header = ["单位", "日期", "活动名称", "类别"]
        .map(support::t)
        .to_vec();
    let row = vec![
        support::t("县教育体育局"),
        support::d(2022, 3, 1),
        support::t("开学第一课"),
        support::t("主题教育"),
    ];
    support::write_xlsx(
        &fixture.path("data/2022/2022年全县活动.xlsx"),
        &[Sheet::new("活动清单", vec![header, row])],
    );
    let run = fixture.run(&["new-year", "--to", "2023"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(
        run.stdout.contains("已创建 data/2023/2023年全县活动.xlsx"),
        "{}",
        run.stdout
    );
    let master = read(&fixture.path("data/2023/2023年全县活动.xlsx"));
    assert_eq!(master.len(), 2);
    // A guide first, as in a department's form: how to fill it in and where it stays.
    let (guide, lines) = &master[0];
    assert_eq!(guide, "填表说明");
    let guide: Vec<String> = lines.iter().map(|r| text(&r[0])).collect();
    assert!(
        guide
            .iter()
            .any(|l| l.contains("把本文件留在 data/2023/ 文件夹里")),
        "{guide:?}"
    );
    assert!(
        guide.iter().any(|l| l.starts_with("“活动清单”：")
            && l.contains("第一列“单位”写单位名称")
            && l.contains("每行都写上单位名称")),
        "{guide:?}"
    );
    let (name, rows) = &master[1];
    assert_eq!(name, "活动清单");
    let header: Vec<String> = rows[0].iter().map(text).collect();
    assert_eq!(header, ["单位", "日期", "活动名称", "类别", "参与人数"]);
    let departments: Vec<String> = rows[1..].iter().map(|r| text(&r[0])).collect();
    assert_eq!(departments, ["县教育体育局"]);
    // Never both: the department the master holds gets no sheet of its own to fill.
    let sheets = |dept: &str| -> Vec<String> {
        read(&fixture.path(&format!("data/2023/{dept}/2023年报告数据.xlsx")))
            .into_iter()
            .map(|(name, _)| name)
            .collect()
    };
    assert!(!sheets("县教育体育局").contains(&"活动清单".to_owned()));
    assert!(sheets("县退役军人事务局").contains(&"活动清单".to_owned()));
    // Its guide says where its activities go now.
    let form = read(&fixture.path("data/2023/县教育体育局/2023年报告数据.xlsx"));
    let guide: Vec<String> = form[0].1.iter().map(|r| text(&r[0])).collect();
    assert!(
        guide.contains(
            &"“活动清单”不在本文件里：本单位的各行填在各单位共用的 data/2023/2023年全县活动.xlsx 中（第一列写单位名称）。"
                .to_owned()
        ),
        "{guide:?}"
    );
    // Filled in, the new year builds: the guide of the shared workbook is no sheet of data.
    let mut rows = vec![
        ["单位", "日期", "活动名称", "类别", "参与人数"]
            .map(support::t)
            .to_vec(),
    ];
    rows.push(vec![
        support::t("县教育体育局"),
        support::d(2023, 3, 1),
        support::t("开学第一课"),
        support::t("主题教育"),
        support::n(100.0),
    ]);
    support::write_xlsx(
        &fixture.path("data/2023/2023年全县活动.xlsx"),
        &[
            Sheet::new(
                "填表说明",
                vec![vec![support::t("2023年各单位共用的数据表")]],
            ),
            Sheet::new("活动清单", rows),
        ],
    );
    let check = fixture.run(&["check", "--year", "2023", "--dept", "县教育体育局"]);
    let said = format!("{}{}", check.stdout, check.stderr);
    // The department's own form is still blank; nothing is said of the shared workbook.
    assert!(said.contains("县教育体育局/2023年报告数据.xlsx"), "{said}");
    assert!(!said.contains("2023年全县活动.xlsx"), "{said}");

    // A master no department takes rows from is not carried into the new year.
    let fixture = Fixture::example();
    support::write_xlsx(
        &fixture.path("data/2022/2022年全县活动.xlsx"),
        &[Sheet::new(
            "活动清单",
            vec![
                ["单位", "日期", "活动名称", "类别"]
                    .map(support::t)
                    .to_vec(),
            ],
        )],
    );
    let run = fixture.run(&["new-year", "--to", "2023"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(!fixture.path("data/2023/2023年全县活动.xlsx").exists());
    assert!(
        run.stdout.contains("新的年度不再为它建总表"),
        "{}",
        run.stdout
    );
}

#[test]
fn a_column_of_fixed_values_says_them_when_another_is_typed() {
    let fixture = Fixture::example();
    let run = fixture.run(&["forms", "--dept", "县教育体育局", "--kind", "意识形态工作"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let path = fixture.path("forms/2022/县教育体育局/2022年报告数据（意识形态工作）.xlsx");
    let mut archive = zip::ZipArchive::new(std::fs::File::open(path).unwrap()).unwrap();
    let mut found = false;
    for i in 0..archive.len() {
        let mut part = archive.by_index(i).unwrap();
        let mut xml = String::new();
        std::io::Read::read_to_string(&mut part, &mut xml).unwrap();
        if xml.contains("<dataValidation") && xml.contains("工作总体情况") {
            assert!(
                xml.contains("error=\"这里应从下拉列表中选一项：工作总体情况、亮点成效、存在不足、改进方向。\""),
                "{xml}"
            );
            found = true;
        }
    }
    assert!(found, "no sheet with the 部分 drop-down");
}

#[test]
fn a_fixed_value_with_a_comma_gets_no_drop_down_that_would_split_it() {
    // Excel separates a drop-down's choices by commas: `改进,方向` would be offered as two
    // choices the build rejects, and the allowed value refused.
    let fixture = Fixture::example();
    let manifest = fixture.read("templates/意识形态工作/report.toml");
    fixture.write(
        "templates/意识形态工作/report.toml",
        &manifest.replacen("\"改进方向\"", "\"改进,方向\"", 1),
    );
    let run = fixture.run(&["forms", "--dept", "县教育体育局", "--kind", "意识形态工作"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let xml = unzip(&fixture.path("forms/2022/县教育体育局/2022年报告数据（意识形态工作）.xlsx"));
    // No drop-down lists the values (its formula would hold them joined by commas).
    assert!(
        !xml.iter().any(|(_, t)| t.contains("工作总体情况,亮点成效")),
        "a drop-down splits 改进,方向"
    );
    let comments: String = xml
        .iter()
        .filter(|(n, _)| n.starts_with("xl/comments"))
        .map(|(_, t)| t.as_str())
        .collect();
    assert!(
        comments.contains("改进,方向"),
        "the note still says the values"
    );
}

#[test]
fn new_year_carries_no_department_folder_a_build_refuses() {
    // A name Windows cannot hold fails the department at build; it is not carried over.
    let fixture = Fixture::example();
    support::copy_dir(
        &fixture.path("data/2022/县教育体育局"),
        &fixture.path("data/2022/CON"),
    );
    let run = fixture.run(&["new-year", "--to", "2023"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(!fixture.path("data/2023/CON").exists(), "{}", run.stdout);
    assert!(
        run.stdout
            .contains("提示：没有为“CON”准备 2023 年的数据表："),
        "{}",
        run.stdout
    );
    assert!(
        fixture
            .path("data/2023/县教育体育局/2023年报告数据.xlsx")
            .exists()
    );
}

#[test]
fn a_form_formats_percentage_cells_so_a_typed_95_is_95_percent() {
    let fixture = Fixture::example();
    let manifest = fixture.read("templates/数据简报/report.toml");
    let manifest = manifest
        .replace(
            "shape = \"record\"\n",
            "shape = \"record\"\nfields = [{ name = \"满意率\", type = \"percent\" }]\n",
        )
        .replace(
            "  { name = \"类别\" },\n",
            "  { name = \"类别\" },\n  { name = \"出席率\", type = \"percent\", required = false },\n",
        );
    fixture.write("templates/数据简报/report.toml", &manifest);
    let run = fixture.run(&["forms", "--dept", "县教育体育局", "--kind", "数据简报"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let path = fixture.path("forms/2022/县教育体育局/2022年报告数据（数据简报）.xlsx");
    // The record's cell for 满意率 (B2), by the style calamine reads for it.
    let mut workbook: calamine::Xlsx<_> = calamine::open_workbook(&path).unwrap();
    let styles = workbook.worksheet_style("统计").unwrap();
    let format = styles.get((1, 1)).and_then(|s| s.number_format.clone());
    assert_eq!(format.map(|f| f.format_code).as_deref(), Some("0.0%"));
    // The table's column (D, 出席率): formatted as a whole, as Excel gives a typed cell its
    // column's style.
    let xml = unzip(&path);
    let part = |name: &str| &xml.iter().find(|(n, _)| n == name).unwrap().1;
    assert!(part("xl/styles.xml").contains(r#"formatCode="0.0%""#));
    let column = part("xl/worksheets/sheet3.xml")
        .split("<col ")
        .find(|c| c.contains(r#"min="4""#))
        .unwrap()
        .to_owned();
    assert!(column.contains("style="), "{column}");
}

/// A kind whose record holds rates, with a department that filled it in 2022 (cells formatted
/// as percentages, as Excel keeps a typed 95.5%).
fn rates_workspace() -> Fixture {
    let fixture = Fixture::templates_only();
    std::fs::remove_dir_all(fixture.path("templates")).unwrap();
    fixture.write(
        "templates/比率/report.toml",
        r#"
title = "{{ dept }}比率"
sections = ["正文.md"]

[[sources]]
sheet = "指标"
shape = "record"
fields = [
  { name = "完成率", type = "percent", carry = true },
  { name = "满意率", type = "percent", required = false },
  { name = "人数", type = "integer", required = false },
]
other = "percent"
"#,
    );
    fixture.write(
        "templates/比率/正文.md",
        "完成率{{ 指标.完成率 | percent }}。\n",
    );
    for (dept, done, count) in [("甲局", 0.955, 3.0), ("乙局", 0.1234, 4.0)] {
        std::fs::create_dir_all(fixture.path(&format!("data/2022/{dept}"))).unwrap();
        let mut workbook = rust_xlsxwriter::Workbook::new();
        let sheet = workbook.add_worksheet().set_name("指标").unwrap();
        let one_place = rust_xlsxwriter::Format::new().set_num_format("0.0%");
        for (r, key) in ["项目", "完成率", "满意率", "人数", "优良率"]
            .iter()
            .enumerate()
        {
            sheet.write_string(r as u32, 0, *key).unwrap();
        }
        sheet.write_string(0, 1, "内容").unwrap();
        sheet
            .write_number_with_format(1, 1, done, &one_place)
            .unwrap();
        sheet
            .write_number_with_format(2, 1, 0.5, &one_place)
            .unwrap();
        sheet.write_number(3, 1, count).unwrap();
        sheet
            .write_number_with_format(4, 1, 0.25, &one_place)
            .unwrap();
        workbook
            .save(fixture.path(&format!("data/2022/{dept}/数据.xlsx")))
            .unwrap();
    }
    fixture
}

#[test]
fn new_year_carries_a_percentage_as_one_and_shows_last_years_as_such() {
    let fixture = rates_workspace();
    let run = fixture.run(&["new-year", "--to", "2023"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let path = fixture.path("data/2023/甲局/2023年报告数据.xlsx");
    let form = read(&path);
    let rates = &form.iter().find(|(n, _)| n == "指标").unwrap().1;
    let row = |key: &str| rates.iter().find(|r| text(&r[0]) == key).unwrap();
    // Carried: the number itself, in a percentage cell, as the clerk typed it last year.
    assert_eq!(row("完成率")[1], Data::Float(0.955));
    let mut workbook: calamine::Xlsx<_> = calamine::open_workbook(&path).unwrap();
    let styles = workbook.worksheet_style("指标").unwrap();
    let format = |at| styles.get(at).and_then(|s| s.number_format.clone());
    assert_eq!(
        format((1, 1)).map(|f| f.format_code).as_deref(),
        Some("0.0%")
    );
    // With the places it has, so that the cell shows what it holds (12.34%).
    let path = fixture.path("data/2023/乙局/2023年报告数据.xlsx");
    let mut workbook: calamine::Xlsx<_> = calamine::open_workbook(&path).unwrap();
    let styles = workbook.worksheet_style("指标").unwrap();
    let format = styles.get((1, 1)).and_then(|s| s.number_format.clone());
    assert_eq!(format.map(|f| f.format_code).as_deref(), Some("0.00%"));
    // Beside the empty cells, last year's rates as percentages.
    assert_eq!(text(&row("满意率")[2]), "50%");
    assert_eq!(text(&row("优良率")[2]), "25%");
    assert_eq!(text(&row("人数")[2]), "3");
    // The form as new-year left it reads back: what is missing is 优良率 (a key of the
    // department's own, to fill in again), not the carried rate.
    let run = fixture.run(&["check", "--dept", "甲局", "--year", "2023"]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(
        run.stdout.contains("指标 › B5：“优良率”是必填项"),
        "{}",
        run.stdout
    );
    assert!(!run.stdout.contains("B2"), "{}", run.stdout);
}

#[test]
fn the_summary_shows_each_departments_rates_and_adds_none_of_them_up() {
    let fixture = rates_workspace();
    let run = fixture.run(&["build", "--format", "txt"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let path = fixture.path("output/2022/汇总.xlsx");
    let sheets = read(&path);
    let rates = &sheets.iter().find(|(n, _)| n == "指标").unwrap().1;
    let header: Vec<String> = rates[0].iter().map(text).collect();
    // The declared keys in their order, then the department's own.
    assert_eq!(header, ["单位", "完成率", "满意率", "人数", "优良率"]);
    let totals = rates.iter().find(|r| text(&r[0]) == "合计").unwrap();
    assert_eq!(
        totals.iter().map(text).collect::<Vec<_>>(),
        ["合计", "", "", "7", ""],
        "only the count is added up"
    );
    let mut workbook: calamine::Xlsx<_> = calamine::open_workbook(&path).unwrap();
    let styles = workbook.worksheet_style("指标").unwrap();
    let format = |at| {
        styles
            .get(at)
            .and_then(|s| s.number_format.clone())
            .map(|f| f.format_code)
    };
    assert_eq!(
        format((1, 1)).as_deref(),
        Some("0.0%"),
        "{:?}",
        format((1, 1))
    );
    assert_eq!(format((1, 4)).as_deref(), Some("0.0%"));
}

#[test]
fn bounds_beyond_what_excel_checks_as_whole_numbers_are_checked_as_decimals() {
    // Excel's whole-number check holds 32 bits: a bound of 3,000,000,000 there would leave
    // only 2,147,483,647 to type.
    let fixture = Fixture::example();
    let manifest = fixture.read("templates/数据简报/report.toml");
    fixture.write(
        "templates/数据简报/report.toml",
        &manifest.replace(
            "aliases = [\"参加人数\"], min = 0",
            "aliases = [\"参加人数\"], min = 3000000000",
        ),
    );
    let run = fixture.run(&["forms", "--dept", "县教育体育局", "--kind", "数据简报"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let xml = unzip(&fixture.path("forms/2022/县教育体育局/2022年报告数据（数据简报）.xlsx"));
    let sheet = &xml
        .iter()
        .find(|(n, _)| n == "xl/worksheets/sheet3.xml")
        .unwrap()
        .1;
    assert!(
        sheet.contains(r#"<dataValidation type="decimal""#)
            && sheet.contains("<formula1>3000000000</formula1>"),
        "{sheet}"
    );
}

#[test]
fn forms_are_not_made_for_a_folder_a_build_refuses() {
    let fixture = Fixture::example();
    for name in ["\u{3000}", "CON"] {
        std::fs::create_dir_all(fixture.path(&format!("data/2022/{name}"))).unwrap();
    }
    let run = fixture.run(&["forms"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(run.stdout.contains("创建 3 个文件"), "{}", run.stdout);
    assert!(
        run.stdout.contains("提示：没有为“CON”生成填报表：") && run.stdout.contains("只有空白字符"),
        "{}",
        run.stdout
    );
    let made = fixture.names_in("forms/2022");
    assert_eq!(made.len(), 3, "{made:?}");
}

#[test]
fn new_year_fills_no_folder_a_build_would_refuse() {
    let fixture = Fixture::example();
    let spaced = fixture.path("data/2023/县文化广电旅游局 ");
    std::fs::create_dir_all(&spaced).unwrap();
    let run = fixture.run(&["new-year", "--to", "2023"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(
        run.stdout
            .contains("提示：没有为“县文化广电旅游局”准备 2023 年的数据表：单位文件夹"),
        "{}",
        run.stdout
    );
    assert_eq!(std::fs::read_dir(&spaced).unwrap().count(), 0);
    assert!(!fixture.path("data/2023/县文化广电旅游局").exists());
    assert!(
        fixture
            .path("data/2023/县教育体育局/2023年报告数据.xlsx")
            .exists()
    );
}
