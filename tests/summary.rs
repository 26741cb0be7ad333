//! The county-wide summary: a report kind with `scope = "county"`, rendered once a year from
//! every department's data, with the departments that failed or did not report.

mod support;

use support::Fixture;

const SUMMARY: &str = "output/2022/全县汇总.txt";

#[test]
fn the_county_report_totals_every_department() {
    let fixture = Fixture::example();
    let run = fixture.run(&["build"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(
        run.stdout.contains("生成 7 份报告，写入 21 个文件"),
        "{}",
        run.stdout
    );
    for ext in ["txt", "md", "docx"] {
        assert!(
            fixture
                .path(&format!("output/2022/全县汇总.{ext}"))
                .is_file()
        );
    }
    // No department gets a report of this kind.
    assert!(
        !fixture
            .path("output/2022/县退役军人事务局/全县汇总.txt")
            .exists()
    );
    let text = fixture.read(SUMMARY);
    // 8 + 4 + 3 activities; 1,795 + 15,400 + 53,000 people (the veterans' 1,795 are their
    // reference report's); the culture bureau alone has last year's data (3 activities).
    let expected = "全县2022年意识形态工作情况综合报告\n\n\
一、总体情况\n\
2022年，全县共有3个单位报送了意识形态工作情况。各单位全年共开展活动15项，参与群众70,195人次；其中有上年数据的1个单位开展活动4项，比上年增加1项。\n\
二、活动开展情况\n\
开展活动最多的是县退役军人事务局，共8项。各单位开展活动情况如下表。\n\
单位\t活动项数\t参与人次\n县教育体育局\t3\t53,000\n县文化广电旅游局\t4\t15,400\n县退役军人事务局\t8\t1,795\n\
按类别统计如下表。\n\
类别\t活动项数\t参与人次\n主题教育\t3\t53,000\n主题活动\t5\t1,225\n承办活动\t1\t500\n文化惠民\t3\t12,800\n红色教育\t3\t2,670\n";
    assert_eq!(text, expected);
}

#[test]
fn the_department_with_the_most_activities_is_found_wherever_it_sorts() {
    let fixture = Fixture::example();
    // The education bureau, first by name, now has the most: 3 activities, then 7 more.
    let mut sheets = support::education_sheets();
    let activities = support::sheet(&mut sheets, "活动清单");
    let first = activities.rows[1].clone();
    for _ in 0..7 {
        activities.rows.push(first.clone());
    }
    support::write_csv_gbk(&fixture.path("data/2022/县教育体育局"), &sheets);
    let run = fixture.run(&["build", "--format", "txt", "--kind", "全县汇总"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let text = fixture.read(SUMMARY);
    assert!(
        text.contains("开展活动最多的是县教育体育局，共10项。"),
        "{text}"
    );
}

#[test]
fn departments_that_failed_or_did_not_report_are_named_and_left_out() {
    let fixture = Fixture::example();
    // The education bureau's statistic is text; a department of last year has no folder now.
    let mut sheets = support::education_sheets();
    support::sheet(&mut sheets, "统计").rows[1][1] = support::t("五十六");
    support::write_csv_gbk(&fixture.path("data/2022/县教育体育局"), &sheets);
    std::fs::create_dir_all(fixture.path("data/2021/县旧单位")).unwrap();
    support::write_xlsx(
        &fixture.path("data/2021/县旧单位/数据.xlsx"),
        &support::culture_2021_sheets(),
    );
    let run = fixture.run(&["build", "--format", "txt"]);
    assert_eq!(run.code, 1, "the education bureau's own reports fail");
    assert!(
        run.stderr.contains("全县汇总“全县汇总”没有包括这个单位"),
        "{}",
        run.stderr
    );
    let text = fixture.read(SUMMARY);
    assert!(
        text.contains("全县共有2个单位报送了意识形态工作情况，另有2个单位未能汇总（见第三部分）。各单位全年共开展活动12项，参与群众17,195人次"),
        "{text}"
    );
    assert!(text.contains("三、未能汇总的单位\n（一）县教育体育局。data/2022/县教育体育局/统计.csv › B2：“中小学校”应为数值，实际为“五十六”。"), "{text}");
    assert!(
        text.contains("（二）县旧单位。没有 data/2022/县旧单位 文件夹（上一年有这个单位）。"),
        "{text}"
    );
}

#[test]
fn a_selection_of_departments_makes_no_county_report() {
    let fixture = Fixture::example();
    let run = fixture.run(&["build", "--dept", "县教育体育局"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(!fixture.path(SUMMARY).exists());
    assert!(
        run.stderr.contains(
            "这是全县汇总的报告种类，要用到全部单位的数据；用 --dept 只选了部分单位时不生成"
        ),
        "{}",
        run.stderr
    );
}

#[test]
fn county_templates_read_departments_not_one_departments_sources() {
    let fixture = Fixture::example();
    fixture.write(
        "templates/全县汇总/03-未汇总单位.md",
        "# 三、其他\n\n{{ 统计.中小学校 }}\n",
    );
    let run = fixture.run(&["check"]);
    assert_eq!(run.code, 1);
    assert!(
        run.stdout
            .contains("全县汇总的模板只能直接用 year、kind、departments、all 和 failed"),
        "{}",
        run.stdout
    );
    // Keys that come from one department's record are refused in a county manifest.
    let manifest = fixture.read("templates/全县汇总/report.toml");
    fixture.write(
        "templates/全县汇总/report.toml",
        &manifest.replace(
            "\nscope = \"county\"\n",
            "\nscope = \"county\"\nsignature = \"统计.署名\"\n",
        ),
    );
    fixture.write("templates/全县汇总/03-未汇总单位.md", "");
    let run = fixture.run(&["check"]);
    assert_eq!(run.code, 1);
    assert!(run.stdout.contains("不能用 signature"), "{}", run.stdout);
    for (key, added) in [
        ("addressee", "addressee = \"概况.主送机关\"\n"),
        ("date", "date = \"概况.成文日期\"\n"),
        ("[head]", "\n[head]\nissuer = \"概况.发文机关标志\"\n"),
        ("[imprint]", "\n[imprint]\ncc = \"概况.抄送\"\n"),
    ] {
        let changed = if key.starts_with('[') {
            format!("{manifest}{added}")
        } else {
            manifest.replace(
                "\nscope = \"county\"\n",
                &format!("\nscope = \"county\"\n{added}"),
            )
        };
        fixture.write("templates/全县汇总/report.toml", &changed);
        let run = fixture.run(&["check"]);
        assert_eq!(run.code, 1, "{key}");
        assert!(
            run.stdout
                .contains(&format!("不能用 {key}：它取自单个单位的数据")),
            "{key}: {}",
            run.stdout
        );
    }
}

/// A sheet of the workbook as rows of text, numbers written plainly.
fn sheet(path: &std::path::Path, name: &str) -> Vec<Vec<String>> {
    use calamine::{Data, Reader, open_workbook_auto};
    let mut workbook = open_workbook_auto(path).unwrap();
    let range = workbook.worksheet_range(name).unwrap();
    range
        .rows()
        .map(|row| {
            row.iter()
                .map(|cell| match cell {
                    Data::Empty => String::new(),
                    Data::Float(f) => f.to_string(),
                    Data::Int(i) => i.to_string(),
                    Data::DateTime(d) => d.as_datetime().unwrap().date().to_string(),
                    other => other.to_string(),
                })
                .collect()
        })
        .collect()
}

#[test]
fn the_summary_workbook_lists_every_department_with_totals() {
    let fixture = Fixture::example();
    let run = fixture.run(&["build", "--format", "txt"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let path = fixture.path("output/2022/汇总.xlsx");
    assert!(
        run.stdout
            .contains("各单位的数据汇总在 output/2022/汇总.xlsx"),
        "{}",
        run.stdout
    );

    // The sheets: a record of figures (统计) and the tables; 概况, a record of text and
    // dates with nothing to add up, has none.
    let names = {
        use calamine::Reader;
        calamine::open_workbook_auto(&path).unwrap().sheet_names()
    };
    assert!(names.contains(&"统计".to_owned()), "{names:?}");
    assert!(names.contains(&"活动清单".to_owned()), "{names:?}");
    assert!(!names.contains(&"概况".to_owned()), "{names:?}");

    // A record source: a row per department, a column per figure, the totals, and last
    // year's totals (only the culture bureau has last year's data).
    let stats = sheet(&path, "统计");
    let header = &stats[0];
    assert_eq!(header[0], "单位");
    let column = |name: &str| header.iter().position(|h| h == name).unwrap();
    let row = |first: &str| stats.iter().find(|r| r[0] == first).unwrap();
    assert_eq!(
        stats.len(),
        1 + 3 + 2,
        "header, three departments, 合计, 上年合计"
    );
    assert_eq!(row("县教育体育局")[column("中小学校")], "56");
    assert_eq!(row("县文化广电旅游局")[column("观众人次")], "12800");
    assert_eq!(row("县退役军人事务局")[column("烈士集中安葬点")], "3");
    assert_eq!(
        row("县退役军人事务局")[column("中小学校")],
        "",
        "not theirs"
    );
    assert_eq!(row("合计")[column("观众人次")], "12800");
    assert_eq!(row("合计")[column("文明榜样发布会届次")], "4");
    assert_eq!(row("上年合计")[column("观众人次")], "11900");
    assert_eq!(row("上年合计")[column("县级非遗项目")], "11");
    assert_eq!(header.len(), 1 + 3 + 5 + 5);

    // A table source: every department's rows, the department first.
    let activities = sheet(&path, "活动清单");
    assert_eq!(
        activities[0],
        ["单位", "日期", "活动名称", "类别", "参与人数"]
    );
    assert_eq!(activities.len(), 1 + 3 + 4 + 8);
    assert_eq!(
        activities[1],
        [
            "县教育体育局",
            "2022-03-01",
            "开学第一课",
            "主题教育",
            "41000"
        ]
    );
    // A date, not text that looks like one: Excel sorts and filters it as a date.
    {
        use calamine::{Data, Reader, open_workbook_auto};
        let range = open_workbook_auto(&path)
            .unwrap()
            .worksheet_range("活动清单")
            .unwrap();
        assert!(
            matches!(range.get((1, 1)), Some(Data::DateTime(_))),
            "{:?}",
            range.get((1, 1))
        );
    }
    let unfilled = activities
        .iter()
        .find(|r| r[2] == "全民国家安全教育日宣传")
        .unwrap();
    assert_eq!(unfilled[4], "", "a blank cell stays blank");

    // Nothing failed.
    assert_eq!(
        sheet(&path, "未生成的报告"),
        [["单位", "报告种类", "位置", "原因"]]
    );
}

#[test]
fn the_summary_workbook_names_failed_reports_and_skips_a_narrow_build() {
    let fixture = Fixture::example();
    let mut sheets = support::education_sheets();
    support::sheet(&mut sheets, "统计").rows[1][1] = support::t("五十六");
    support::write_csv_gbk(&fixture.path("data/2022/县教育体育局"), &sheets);
    let run = fixture.run(&["build", "--format", "txt"]);
    assert_eq!(run.code, 1);
    let path = fixture.path("output/2022/汇总.xlsx");
    let failed = sheet(&path, "未生成的报告");
    assert_eq!(failed.len(), 3, "both of its reports: {failed:?}");
    assert_eq!(failed[1][0], "县教育体育局");
    assert_eq!(failed[1][1], "意识形态工作");
    assert_eq!(failed[1][2], "data/2022/县教育体育局/统计.csv › B2");
    assert!(
        failed[1][3].contains("“中小学校”应为数值，实际为“五十六”"),
        "{failed:?}"
    );
    // Its data is in no other sheet.
    let stats = sheet(&path, "统计");
    assert!(stats.iter().all(|r| r[0] != "县教育体育局"), "{stats:?}");

    // A build of some departments, or of some kinds, leaves the workbook of all as it was.
    let before = std::fs::read(&path).unwrap();
    // (The education bureau's 数据简报 still fails.)
    for (narrower, code) in [
        (["--dept", "县退役军人事务局"], 0),
        (["--kind", "数据简报"], 1),
    ] {
        let run = fixture.run(&[&["build", "--format", "txt"][..], &narrower[..]].concat());
        assert_eq!(run.code, code, "{}", run.stderr);
        assert!(!run.stdout.contains("汇总.xlsx"), "{}", run.stdout);
        assert_eq!(std::fs::read(&path).unwrap(), before);
    }
}

#[test]
fn the_summary_workbook_is_kept_when_someone_changed_it() {
    use std::os::unix::fs::MetadataExt;
    let fixture = Fixture::example();
    assert_eq!(fixture.run(&["build", "--format", "txt"]).code, 0);
    let path = fixture.path("output/2022/汇总.xlsx");
    let original = std::fs::read(&path).unwrap();
    let inode = std::fs::metadata(&path).unwrap().ino();
    // Unchanged: not rewritten.
    assert_eq!(fixture.run(&["build", "--format", "txt"]).code, 0);
    assert_eq!(std::fs::metadata(&path).unwrap().ino(), inode);
    // The workbook is written into a temporary file before it is compared: none is left.
    let left = temporary_files(&fixture);
    assert!(left.is_empty(), "{left:?}");
    // A clerk's edit (saved by Excel: other bytes) is kept aside, and said.
    let mut edited = original.clone();
    edited.extend_from_slice(b"edited");
    std::fs::write(&path, &edited).unwrap();
    let run = fixture.run(&["build", "--format", "txt"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let aside = fixture.path("output/2022/汇总（手工修改版）.xlsx");
    assert_eq!(std::fs::read(&aside).unwrap(), edited);
    assert_eq!(std::fs::read(&path).unwrap(), original);
    assert!(
        run.stderr.contains("汇总.xlsx 有人改动过，没有覆盖"),
        "{}",
        run.stderr
    );
    let record = fixture.read("output/2022/生成情况.txt");
    assert!(
        record.contains("- 汇总.xlsx → 汇总（手工修改版）.xlsx"),
        "{record}"
    );
}

#[test]
fn a_summary_workbook_that_cannot_be_written_fails_alone() {
    let fixture = Fixture::example();
    // A folder where the workbook goes, with a file in it: nothing can be renamed over it.
    let blocked = fixture.path("output/2022/汇总.xlsx");
    std::fs::create_dir_all(&blocked).unwrap();
    std::fs::write(blocked.join("别人的文件.txt"), "留着").unwrap();
    let run = fixture.run(&["build", "--format", "txt"]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(
        run.stderr.contains("汇总表没有写成")
            && run
                .stderr
                .contains("汇总.xlsx：无法写入（这个位置是一个文件夹；系统信息："),
        "{}",
        run.stderr
    );
    // Every report is written, the folder is as it was, and no temporary file is left.
    for dept in ["县教育体育局", "县文化广电旅游局", "县退役军人事务局"] {
        let report = fixture.path(&format!("output/2022/{dept}/意识形态工作.txt"));
        assert!(report.exists(), "{}", report.display());
    }
    assert_eq!(
        std::fs::read_to_string(blocked.join("别人的文件.txt")).unwrap(),
        "留着"
    );
    let left = temporary_files(&fixture);
    assert!(left.is_empty(), "{left:?}");
}

#[test]
fn a_summary_workbook_without_a_temporary_folder_fails_alone_in_chinese() {
    let fixture = Fixture::example();
    let run = fixture.run_without_temp(&["build", "--format", "txt"]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    let missing = fixture.missing_temp();
    assert!(
        run.stderr.contains(&format!(
            "汇总表没有写成：写汇总.xlsx 时，无法在临时文件夹 {} 中建立临时文件：找不到这个文件或文件夹",
            missing.display()
        )) && run.stderr.contains("TMPDIR"),
        "{}",
        run.stderr
    );
    for dept in ["县教育体育局", "县文化广电旅游局", "县退役军人事务局"] {
        let report = fixture.path(&format!("output/2022/{dept}/意识形态工作.txt"));
        assert!(report.exists(), "{}", report.display());
    }
    assert!(!fixture.path("output/2022/汇总.xlsx").exists());
}

#[test]
fn a_summary_workbook_not_written_leaves_no_earlier_one_looking_current() {
    let fixture = Fixture::example();
    assert_eq!(fixture.run(&["build", "--format", "txt"]).code, 0);
    let earlier = std::fs::read(fixture.path("output/2022/汇总.xlsx")).unwrap();
    let run = fixture.run_without_temp(&["build", "--format", "txt"]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(!fixture.path("output/2022/汇总.xlsx").exists());
    let aside = fixture.path("output/2022/汇总（上次生成的旧版）.xlsx");
    assert_eq!(std::fs::read(&aside).unwrap(), earlier);
    assert!(
        run.stderr.contains("不再是当前的报告，已改名为"),
        "{}",
        run.stderr
    );
    let text = fixture.read("output/2022/生成情况.txt");
    assert!(
        text.contains("汇总表没有写成：写汇总.xlsx 时，无法在临时文件夹"),
        "{text}"
    );
    assert!(
        text.contains("- 汇总.xlsx → 汇总（上次生成的旧版）.xlsx"),
        "{text}"
    );
    let json: serde_json::Value =
        serde_json::from_str(&fixture.read("output/2022/生成情况.json")).unwrap();
    assert!(json["files"]["汇总.xlsx"].is_null(), "{json}");
    // One a person changed is kept as theirs.
    assert_eq!(fixture.run(&["build", "--format", "txt"]).code, 0);
    std::fs::write(fixture.path("output/2022/汇总.xlsx"), b"changed").unwrap();
    let run = fixture.run_without_temp(&["build", "--format", "txt"]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    let edited = fixture.path("output/2022/汇总（手工修改版）.xlsx");
    assert_eq!(std::fs::read(&edited).unwrap(), b"changed");
}

#[test]
fn a_build_of_some_departments_still_says_why_the_workbook_is_missing() {
    let fixture = Fixture::example();
    assert_eq!(
        fixture.run_without_temp(&["build", "--format", "txt"]).code,
        1
    );
    let run = fixture.run(&["build", "--format", "txt", "--dept", "县教育体育局"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let text = fixture.read("output/2022/生成情况.txt");
    assert!(
        text.contains("汇总表在上次生成全部报告时没有写成：写汇总.xlsx 时，无法在临时文件夹"),
        "{text}"
    );
    let json: serde_json::Value =
        serde_json::from_str(&fixture.read("output/2022/生成情况.json")).unwrap();
    assert!(json["workbook_failed"].is_string(), "{json}");
    // A build of everything that writes it says no more of it.
    assert_eq!(fixture.run(&["build", "--format", "txt"]).code, 0);
    assert!(!fixture.read("output/2022/生成情况.txt").contains("汇总表"));
    let json: serde_json::Value =
        serde_json::from_str(&fixture.read("output/2022/生成情况.json")).unwrap();
    assert!(json["workbook_failed"].is_null(), "{json}");
}

#[test]
fn a_panic_in_the_summary_workbook_fails_it_alone() {
    let fixture = Fixture::example();
    // HUIBAO_PANIC_IN_SUMMARY (debug builds only): adding a department's figures panics, as
    // rust_xlsxwriter does when its temporary files cannot be written.
    let run = fixture.run_env(
        &["build", "--format", "txt"],
        &[("HUIBAO_PANIC_IN_SUMMARY", "1")],
    );
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(
        run.stderr.contains(
            "错误：汇总表没有写成：写汇总.xlsx 的临时文件时出错（系统信息：injected for a test）。"
        ),
        "{}",
        run.stderr
    );
    assert!(!run.stderr.contains("内部错误"), "{}", run.stderr);
    for dept in ["县教育体育局", "县文化广电旅游局", "县退役军人事务局"] {
        let report = fixture.path(&format!("output/2022/{dept}/意识形态工作.txt"));
        assert!(report.exists(), "{}", report.display());
    }
    assert!(!fixture.path("output/2022/汇总.xlsx").exists());
    assert!(
        fixture
            .read("output/2022/生成情况.txt")
            .contains("汇总表没有写成")
    );
}

/// huibao's temporary files left in the year's output folder.
fn temporary_files(fixture: &Fixture) -> Vec<String> {
    let mut names = fixture.names_in("output/2022");
    names.retain(|n| n.starts_with(".huibao-"));
    names
}

#[test]
fn a_department_whose_files_could_not_be_written_has_no_figures_in_the_workbook() {
    let fixture = Fixture::example();
    // HUIBAO_DISK_FULL_IN (debug builds only): writing into that folder fails as a full disk.
    let run = fixture.run_env(
        &["build", "--format", "txt"],
        &[("HUIBAO_DISK_FULL_IN", "县退役军人事务局")],
    );
    assert_eq!(run.code, 1, "{}", run.stderr);
    let path = fixture.path("output/2022/汇总.xlsx");
    let stats = sheet(&path, "统计");
    let departments: Vec<&str> = stats[1..].iter().map(|r| r[0].as_str()).collect();
    assert_eq!(
        departments,
        ["县教育体育局", "县文化广电旅游局", "合计", "上年合计"]
    );
    let failed = sheet(&path, "未生成的报告");
    assert!(
        failed.iter().any(|r| r[0] == "县退役军人事务局"),
        "{failed:?}"
    );
}

#[test]
fn a_broken_county_kind_fails_once_as_the_countys_and_sets_its_files_aside() {
    let fixture = Fixture::example();
    assert_eq!(fixture.run(&["build", "--format", "txt"]).code, 0);
    let before = fixture.read(SUMMARY);
    let section = "templates/全县汇总/01-总体情况.md";
    let text = fixture.read(section);
    fixture.write(section, &format!("{text}\n{{{{ 未定义 }}}}\n"));
    let run = fixture.run(&["build", "--format", "txt"]);
    assert_eq!(run.code, 1);
    let errors: Vec<&str> = run
        .stderr
        .lines()
        .filter(|l| l.starts_with("错误："))
        .collect();
    assert_eq!(errors.len(), 1, "{}", run.stderr);
    assert!(
        errors[0].starts_with("错误：全县 › 全县汇总："),
        "{}",
        run.stderr
    );
    assert!(run.stdout.contains("1 份失败"), "{}", run.stdout);
    // Nothing stale under the current name.
    assert!(!fixture.path(SUMMARY).exists());
    assert_eq!(
        fixture.read("output/2022/全县汇总（上次生成的旧版）.txt"),
        before
    );
    let record = fixture.read("output/2022/生成情况.txt");
    assert!(record.contains("- 全县 › 全县汇总："), "{record}");
    assert!(!record.contains("县教育体育局 › 全县汇总"), "{record}");
    // A run of some departments tells it too: the kind's error does not depend on them.
    let run = fixture.run(&["check", "--dept", "县教育体育局"]);
    assert_eq!(run.code, 1, "{}", run.stdout);
    assert!(
        run.stdout.contains("错误：全县 › 全县汇总："),
        "{}",
        run.stdout
    );
}

#[test]
fn a_county_report_with_no_department_read_fails_and_still_sees_every_source() {
    let fixture = Fixture::example();
    // Every department's statistics fail: no department is read.
    for (dept, file) in [
        ("县教育体育局", "统计.csv"),
        ("县文化广电旅游局", "统计.csv"),
        ("县退役军人事务局", "统计.csv"),
    ] {
        std::fs::remove_dir_all(fixture.path(&format!("data/2022/{dept}"))).unwrap();
        fixture.write(
            &format!("data/2022/{dept}/{file}"),
            "指标,数值\n中小学校,五十六\n",
        );
    }
    // Such a report would count nothing and list only failures: it fails, and says why.
    let run = fixture.run(&["build", "--format", "txt", "--kind", "全县汇总"]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(
        run.stderr.contains(
            "全县汇总“全县汇总”没有可汇总的单位：3 个单位都未能汇总（原因见上面的问题和提示）"
        ),
        "{}",
        run.stderr
    );
    assert!(!fixture.path(SUMMARY).exists());
    // What its templates see, all the same.
    let run = fixture.run(&["context", "--kind", "全县汇总"]);
    let json: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
    assert_eq!(json["all"]["活动清单"], serde_json::json!([]), "{json}");
}

#[test]
fn the_failed_reports_sheet_has_a_row_per_problem() {
    let fixture = Fixture::example();
    let mut sheets = support::education_sheets();
    support::sheet(&mut sheets, "统计").rows[1][1] = support::t("五十六");
    support::sheet(&mut sheets, "统计").rows[2][1] = support::t("很多");
    support::write_csv_gbk(&fixture.path("data/2022/县教育体育局"), &sheets);
    assert_eq!(fixture.run(&["build", "--format", "txt"]).code, 1);
    let failed = sheet(&fixture.path("output/2022/汇总.xlsx"), "未生成的报告");
    let places: Vec<&str> = failed
        .iter()
        .filter(|r| r[0] == "县教育体育局" && r[1] == "意识形态工作")
        .map(|r| r[2].as_str())
        .collect();
    assert_eq!(
        places,
        [
            "data/2022/县教育体育局/统计.csv › B2",
            "data/2022/县教育体育局/统计.csv › B3"
        ]
    );
}

#[test]
fn the_county_report_says_the_same_however_the_data_folder_was_named() {
    let fixture = Fixture::example();
    // A department with no data: several problems, each naming its folder.
    std::fs::create_dir_all(fixture.path("data/2022/县空局")).unwrap();
    let absolute = fixture.path("data").display().to_string();
    let mut texts = Vec::new();
    let trailing = format!("{absolute}/");
    for data in [
        "data",
        "./data",
        "./data/",
        absolute.as_str(),
        trailing.as_str(),
    ] {
        let out = format!("out-{}", texts.len());
        let run = fixture.run(&["build", "--format", "txt", "--data", data, "--out", &out]);
        assert_eq!(run.code, 1, "{}", run.stderr);
        texts.push(fixture.read(&format!("{out}/2022/全县汇总.txt")));
    }
    for other in &texts[1..] {
        assert_eq!(&texts[0], other);
    }
    let text = &texts[0];
    assert!(!text.contains(&absolute), "{text}");
    // One paragraph for the department, its problems joined.
    let line = text.lines().find(|l| l.contains("县空局")).unwrap();
    assert!(line.contains("data/2022/县空局"), "{line}");
    assert!(line.contains("；"), "{line}");
    assert!(!line.contains("。；"), "{line}");
    assert_eq!(
        text.lines().filter(|l| l.contains("找不到数据源")).count(),
        1,
        "{text}"
    );
}
