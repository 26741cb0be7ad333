//! Last year's data as `prev`, and the year-over-year phrases of the example's 数据简报.

mod support;

use support::{Fixture, culture_2021_sheets, n, sheet, write_xlsx};

const CULTURE_BRIEF: &str = "output/2022/县文化广电旅游局/数据简报.txt";

#[test]
fn last_years_data_is_offered_as_prev() {
    let fixture = Fixture::example();
    let run = fixture.run(&[
        "context",
        "--dept",
        "县文化广电旅游局",
        "--kind",
        "数据简报",
    ]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let json: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
    assert_eq!(json["统计"]["文化惠民演出场次"], 36);
    assert_eq!(json["prev"]["year"], 2021);
    assert_eq!(json["prev"]["统计"]["文化惠民演出场次"], 32);
    assert_eq!(json["prev"]["活动清单"].as_array().unwrap().len(), 3);

    let run = fixture.run(&[
        "context",
        "--dept",
        "县退役军人事务局",
        "--kind",
        "数据简报",
    ]);
    let json: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
    assert!(json.get("prev").is_none(), "no 2021 folder, no prev");
}

#[test]
fn the_brief_compares_with_last_year_where_it_can() {
    let fixture = Fixture::example();
    let run = fixture.run(&["build", "--kind", "数据简报"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let brief = fixture.read(CULTURE_BRIEF);
    assert!(
        brief.contains("\n2.文化惠民演出场次：36，上年为32，同比增长12.5%。\n"),
        "{brief}"
    );
    assert!(
        brief.contains("\n3.观众人次：12,800，上年为11,900，同比增长7.6%。\n"),
        "{brief}"
    );
    assert!(
        brief.contains("\n4.农家书屋：118，上年为118，与上年持平。\n"),
        "{brief}"
    );
    assert!(
        brief.contains("\n5.县级非遗项目：9，上年为11，同比下降18.2%。\n"),
        "{brief}"
    );
    assert!(
        brief.contains(
            "\n全年开展活动4项，参与群众1.5万人次，活动比上年增加1项，参与人次同比增长25.2%。\n"
        ),
        "{brief}"
    );
    let veterans = fixture.read("output/2022/县退役军人事务局/数据简报.txt");
    assert!(veterans.contains("\n1.烈士集中安葬点：3。\n"), "{veterans}");
    // Fewer than ten thousand take no 万 (0.1万 would say little, 0万 nothing).
    assert!(
        veterans.contains("参与群众") && !veterans.contains("万人次"),
        "{veterans}"
    );
    assert!(!veterans.contains("上年"), "{veterans}");

    // Last year's figure changes, and so does the phrase.
    let mut sheets = culture_2021_sheets();
    sheet(&mut sheets, "统计").rows[2][1] = n(40.0);
    write_xlsx(
        &fixture.path("data/2021/县文化广电旅游局/2021年报告数据.xlsx"),
        &sheets,
    );
    assert_eq!(fixture.run(&["build", "--kind", "数据简报"]).code, 0);
    let brief = fixture.read(CULTURE_BRIEF);
    assert!(
        brief.contains("\n2.文化惠民演出场次：36，上年为40，同比下降10%。\n"),
        "{brief}"
    );
}

#[test]
fn using_prev_without_last_years_data_names_the_department_and_year() {
    let fixture = Fixture::example();
    fixture.write(
        "templates/数据简报/01-主要指标.md",
        "# 一、主要指标\n\n演出{{ 统计.文化惠民演出场次 | yoy(prev.统计.文化惠民演出场次) }}。\n",
    );
    let run = fixture.run(&["build", "--kind", "数据简报"]);
    assert_eq!(run.code, 1);
    assert!(run.stderr.contains("县退役军人事务局"), "{}", run.stderr);
    assert!(run.stderr.contains("没有 2021 年的数据"), "{}", run.stderr);
    // The figure is missing from this year's data too (the other departments have no such
    // key): both are told, once each.
    assert!(
        run.stderr.contains(
            "用到了未定义的变量 统计.文化惠民演出场次。请检查名字是否写错、数据表里是否有这一项；运行 huibao context 可查看模板能用的全部变量。另外，模板用到了上年的数据（prev）"
        ),
        "{}",
        run.stderr
    );
    assert!(!run.stderr.contains("。。"), "{}", run.stderr);
    assert!(
        run.stderr.contains("{% if prev is defined %}"),
        "{}",
        run.stderr
    );
    // The department that has last year's data is written.
    assert!(fixture.read(CULTURE_BRIEF).contains("演出同比增长12.5%。"));
}

#[test]
fn a_missing_figure_in_last_years_data_is_an_error_not_a_blank() {
    let fixture = Fixture::example();
    fixture.write(
        "templates/数据简报/01-主要指标.md",
        "# 一、主要指标\n\n{% if prev is defined %}书屋{{ 统计.农家书屋 | yoy(prev.统计.书屋总数) }}。{% endif %}\n",
    );
    let run = fixture.run(&["build", "--kind", "数据简报", "--dept", "县文化广电旅游局"]);
    assert_eq!(run.code, 1);
    assert!(
        run.stderr.contains("01-主要指标.md 第 3 行"),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr.contains("yoy 比较的上年值未定义") || run.stderr.contains("prev.统计.书屋总数"),
        "{}",
        run.stderr
    );
}

#[test]
fn last_years_folder_is_read_only_by_kinds_that_use_it() {
    let fixture = Fixture::example();
    // Last year's education data holds only what the 数据简报 compares.
    let sheets: Vec<_> = support::education_sheets()
        .into_iter()
        .filter(|s| s.name == "统计" || s.name == "活动清单")
        .collect();
    let dir = fixture.path("data/2021/县教育体育局");
    std::fs::create_dir_all(&dir).unwrap();
    support::write_csv_gbk(&dir, &sheets);
    let run = fixture.run(&["build", "--dept", "县教育体育局"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let brief = fixture.read("output/2022/县教育体育局/数据简报.txt");
    assert!(
        brief.contains("1.中小学校：56，上年为56，与上年持平。"),
        "{brief}"
    );
}

#[test]
fn a_kind_new_this_year_says_so_with_since_and_has_no_prev() {
    let fixture = Fixture::example();
    let manifest = "title = \"{{ dept }}{{ year }}年宣传工作报告\"\nsections = [\"a.md\"]\n\n[[sources]]\nsheet = \"宣传\"\nshape = \"table\"\ncolumns = [{ name = \"稿件\", type = \"integer\" }]\n";
    fixture.write("templates/宣传工作/report.toml", manifest);
    fixture.write(
        "templates/宣传工作/a.md",
        "# 一、宣传\n\n发稿{{ 宣传 | map(attribute=\"稿件\") | sum }}篇{% if prev is defined %}，上年{{ prev.宣传 | map(attribute=\"稿件\") | sum }}篇{% endif %}。\n",
    );
    for dept in ["县教育体育局", "县文化广电旅游局", "县退役军人事务局"] {
        fixture.write(&format!("data/2022/{dept}/宣传.csv"), "稿件\n5\n");
    }
    // Without `since`, last year's folder lacking the kind's sheets is an error that says
    // what to write: it may as well be last year's data gone missing.
    let run = fixture.run(&["build", "--format", "txt", "--kind", "宣传工作"]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(
        run.stderr
            .contains("找不到数据源“宣传”：data/2021/县文化广电旅游局"),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr.contains(
            "上一年的文件夹里没有“宣传工作”要读的任何一张数据表。如果这是 2022 年新增的报告种类，请在它的 report.toml 中写上 since = 2022"
        ),
        "{}",
        run.stderr
    );
    fixture.write(
        "templates/宣传工作/report.toml",
        &format!("since = 2022\n{manifest}"),
    );
    let run = fixture.run(&["build", "--format", "txt", "--kind", "宣传工作"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(
        fixture.read("output/2022/县文化广电旅游局/宣传工作.txt"),
        "县文化广电旅游局2022年宣传工作报告\n\n一、宣传\n发稿5篇。\n"
    );
}

#[test]
fn a_name_not_there_on_a_line_that_also_reads_prev_is_told_not_last_years_data() {
    let fixture = Fixture::example();
    fixture.write(
        "templates/数据简报/01-主要指标.md",
        "# 一、情况\n\n共{{ 统计.不存在的指标 }}个{% if prev is defined %}，上年{{ prev.统计.中小学校 }}{% endif %}。\n",
    );
    // The education bureau has no data of last year.
    let run = fixture.run(&["check", "--dept", "县教育体育局", "--kind", "数据简报"]);
    assert_eq!(run.code, 1);
    assert!(
        run.stdout
            .contains("01-主要指标.md 第 3 行：用到了未定义的变量 统计.不存在的指标。"),
        "{}",
        run.stdout
    );
    assert!(
        !run.stdout.contains("模板用到了上年的数据"),
        "{}",
        run.stdout
    );
}

/// The culture bureau renamed for 2022: its folder of 2021 is under its old name.
fn renamed() -> Fixture {
    let fixture = Fixture::example();
    std::fs::rename(
        fixture.path("data/2022/县文化广电旅游局"),
        fixture.path("data/2022/县文化和旅游局"),
    )
    .unwrap();
    fixture
}

#[test]
fn a_department_renamed_finds_last_years_data_under_its_old_name() {
    let fixture = renamed();
    // Without saying so, it has no last year's data, and its old name did not report.
    let run = fixture.run(&["build", "--format", "txt"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let brief = fixture.read("output/2022/县文化和旅游局/数据简报.txt");
    assert!(!brief.contains("上年为"), "{brief}");
    assert!(
        run.stderr
            .contains("全县汇总“全县汇总”没有包括这个单位：没有 data/2022/县文化广电旅游局 文件夹"),
        "{}",
        run.stderr
    );
    fixture.write(
        "data/2022/单位改名.csv",
        "上年名称,今年名称\n县文化广电旅游局,县文化和旅游局\n",
    );
    let run = fixture.run(&["build", "--format", "txt"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let brief = fixture.read("output/2022/县文化和旅游局/数据简报.txt");
    assert!(
        brief.contains("2.文化惠民演出场次：36，上年为32，同比增长12.5%。"),
        "{brief}"
    );
    assert!(!run.stderr.contains("县文化广电旅游局"), "{}", run.stderr);
    let county = fixture.read("output/2022/全县汇总.txt");
    assert!(!county.contains("县文化广电旅游局"), "{county}");
    assert!(
        county.contains("其中有上年数据的1个单位开展活动4项，比上年增加1项"),
        "{county}"
    );
    // 汇总.xlsx adds its last year's figures up in 上年合计.
    let rows: Vec<Vec<String>> = {
        use calamine::{Reader, open_workbook_auto};
        let mut workbook = open_workbook_auto(fixture.path("output/2022/汇总.xlsx")).unwrap();
        let range = workbook.worksheet_range("统计").unwrap();
        range
            .rows()
            .map(|r| r.iter().map(ToString::to_string).collect())
            .collect()
    };
    let column = rows[0].iter().position(|h| h == "观众人次").unwrap();
    let last_year = rows.iter().find(|r| r[0] == "上年合计").unwrap();
    assert_eq!(last_year[column], "11900");
    // A new year starts from this year's names: the sheet of renames stays where it is.
    let run = fixture.run(&["new-year", "--to", "2023"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(fixture.path("data/2023/县文化和旅游局").is_dir());
    assert!(!fixture.path("data/2023/单位改名.csv").exists());
    assert!(!fixture.path("data/2023/单位改名.xlsx").exists());
}

#[test]
fn a_sheet_of_renames_that_names_no_folder_fails_with_its_cells() {
    let fixture = renamed();
    fixture.write(
        "data/2022/单位改名.csv",
        "上年名称,今年名称\n县文化广电旅游,县文化和旅游局\n县退役军人事务局,县文化和旅游\n",
    );
    let run = fixture.run(&["build", "--format", "txt"]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    for expected in [
        "data/2022/单位改名.csv › A2：“上年名称”应为上一年有文件夹的单位名称，实际为“县文化广电旅游”。上一年没有这个单位的文件夹。是否写成了“县文化广电旅游局”？",
        "data/2022/单位改名.csv › A3：“上年名称”应为上一年有文件夹的单位名称，实际为“县退役军人事务局”。上一年没有这个单位的文件夹。",
        "data/2022/单位改名.csv › B3：“今年名称”应为今年有文件夹的单位名称，实际为“县文化和旅游”。今年没有这个单位的文件夹。是否写成了“县文化和旅游局”？",
    ] {
        assert!(run.stderr.contains(expected), "{expected}\n{}", run.stderr);
    }
    // The county report fails rather than count a renamed department as missing; a kind
    // that does not compare is not touched.
    assert!(run.stderr.contains("全县 › 全县汇总"), "{}", run.stderr);
    assert!(
        fixture
            .path("output/2022/县文化和旅游局/意识形态工作.txt")
            .is_file()
    );
    // A workbook of the year that cannot be opened may be the one with the renames.
    fixture.write(
        "data/2022/单位改名.csv",
        "上年名称,今年名称\n县文化广电旅游局,县文化和旅游局\n",
    );
    fixture.write("data/2022/坏.xlsx", "garbage");
    let run = fixture.run(&["check", "--kind", "数据简报"]);
    assert_eq!(run.code, 1);
    assert!(
        run.stdout.contains("data/2022/坏.xlsx：无法作为工作簿打开"),
        "{}",
        run.stdout
    );
    std::fs::remove_file(fixture.path("data/2022/坏.xlsx")).unwrap();
    // One department renamed twice.
    fixture.write(
        "data/2022/单位改名.csv",
        "上年名称,今年名称\n县文化广电旅游局,县文化和旅游局\n县文化广电旅游局,县教育体育局\n",
    );
    let run = fixture.run(&["check"]);
    assert_eq!(run.code, 1);
    assert!(
        run.stdout.contains(
            "单位改名.csv › A3：“上年名称”应为只出现一次的单位名称，实际为“县文化广电旅游局”。这个单位已经改名为“县文化和旅游局”，一个单位只能改一个名称。"
        ),
        "{}",
        run.stdout
    );
}
