//! Bad input: each class of error names the place and what to do, fails only its own
//! department, and makes the exit code non-zero.

mod support;

use support::{
    Cell, Fixture, culture_sheets, education_sheets, sheet, t, veterans_sheets, write_csv_gbk,
    write_xlsx,
};

const VETERANS_XLSX: &str = "data/2022/县退役军人事务局/2022年报告数据.xlsx";

fn others_written(fixture: &Fixture) {
    for dept in ["县文化广电旅游局", "县教育体育局"] {
        let path = format!("output/2022/{dept}/意识形态工作.txt");
        assert!(
            fixture.path(&path).is_file(),
            "{path} should still be written"
        );
    }
}

/// Builds after `change` has spoiled the veterans bureau's workbook; returns stderr.
fn build_with_broken_veterans(change: impl FnOnce(&mut Vec<support::Sheet>)) -> (Fixture, String) {
    let fixture = Fixture::example();
    let mut sheets = veterans_sheets();
    change(&mut sheets);
    write_xlsx(&fixture.path(VETERANS_XLSX), &sheets);
    let run = fixture.run(&["build", "--kind", "意识形态工作"]);
    assert_eq!(run.code, 1, "the build must fail: {}", run.stderr);
    others_written(&fixture);
    assert!(run.stdout.contains("生成 2 份报告"), "{}", run.stdout);
    assert!(
        run.stderr.contains("有问题的单位：县退役军人事务局"),
        "{}",
        run.stderr
    );
    (fixture, run.stderr)
}

#[test]
fn a_missing_sheet_names_the_folder_and_the_sheet() {
    let (_, stderr) = build_with_broken_veterans(|sheets| sheets.retain(|s| s.name != "活动清单"));
    assert!(stderr.contains("找不到数据源“活动清单”"), "{stderr}");
    assert!(stderr.contains("data/2022/县退役军人事务局"), "{stderr}");
    assert!(stderr.contains("活动清单.csv"), "{stderr}");
}

#[test]
fn an_empty_department_folder_says_how_to_get_its_form() {
    let fixture = Fixture::example();
    std::fs::create_dir_all(fixture.path("data/2022/县新单位")).unwrap();
    let run = fixture.run(&["check", "--dept", "县新单位"]);
    assert_eq!(run.code, 1);
    assert!(
        run.stdout.contains(
            "这个文件夹是空的（可运行 huibao forms --year 2022 --dept 县新单位 生成这个单位的空白数据表，填好后放进来）。"
        ),
        "{}",
        run.stdout
    );
    // A name with a space, quoted as a command line takes it.
    std::fs::create_dir_all(fixture.path("data/2022/县 新局")).unwrap();
    let run = fixture.run(&["check", "--dept", "县 新局"]);
    assert!(
        run.stdout
            .contains("huibao forms --year 2022 --dept \"县 新局\" 生成"),
        "{}",
        run.stdout
    );
}

#[test]
fn a_missing_column_names_the_file_sheet_and_column() {
    let (_, stderr) = build_with_broken_veterans(|sheets| {
        for row in &mut sheet(sheets, "活动清单").rows {
            row.remove(2);
        }
    });
    assert!(
        stderr.contains("2022年报告数据.xlsx › 活动清单"),
        "{stderr}"
    );
    assert!(stderr.contains("缺少列“类别”"), "{stderr}");
}

#[test]
fn a_value_of_the_wrong_type_names_the_cell_the_value_and_the_type() {
    let (_, stderr) = build_with_broken_veterans(|sheets| {
        sheet(sheets, "活动清单").rows[2][3] = t("12人");
    });
    assert!(
        stderr.contains("2022年报告数据.xlsx › 活动清单 › D3"),
        "{stderr}"
    );
    assert!(
        stderr.contains("“参与人数”应为整数，实际为“12人”"),
        "{stderr}"
    );
    assert!(stderr.contains("单位"), "the hint about units: {stderr}");
}

#[test]
fn a_value_outside_its_list_names_the_cell() {
    let (_, stderr) = build_with_broken_veterans(|sheets| {
        sheet(sheets, "工作要点").rows[1][0] = t("总体情况");
    });
    assert!(stderr.contains("工作要点 › A2"), "{stderr}");
    assert!(stderr.contains("“工作总体情况”"), "{stderr}");
}

#[test]
fn a_bad_date_in_a_gbk_csv_names_the_file_and_cell() {
    let fixture = Fixture::example();
    let mut sheets = education_sheets();
    sheet(&mut sheets, "活动清单").rows[2][0] = t("四月五日");
    write_csv_gbk(&fixture.path("data/2022/县教育体育局"), &sheets);
    let run = fixture.run(&["build"]);
    assert_eq!(run.code, 1);
    assert!(
        run.stderr
            .contains("data/2022/县教育体育局/活动清单.csv › A3"),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr.contains("应为日期，实际为“四月五日”"),
        "{}",
        run.stderr
    );
    assert!(
        fixture
            .path("output/2022/县退役军人事务局/意识形态工作.txt")
            .is_file()
    );
}

#[test]
fn an_undefined_variable_in_a_narrative_cell_fails_only_that_department() {
    let fixture = Fixture::example();
    let mut sheets = culture_sheets();
    sheet(&mut sheets, "工作要点").rows[2][2] = t("巡查{{ 统计.网吧数量 }}家网吧。");
    write_xlsx(
        &fixture.path("data/2022/县文化广电旅游局/2022年报告数据.xlsx"),
        &sheets,
    );
    let run = fixture.run(&["build"]);
    assert_eq!(run.code, 1);
    assert!(
        run.stderr.contains("2022年报告数据.xlsx › 工作要点 › C3"),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr.contains("未定义的变量 统计.网吧数量"),
        "{}",
        run.stderr
    );
    assert!(
        fixture
            .path("output/2022/县退役军人事务局/意识形态工作.txt")
            .is_file()
    );
    assert!(
        fixture
            .path("output/2022/县教育体育局/意识形态工作.txt")
            .is_file()
    );
    assert!(
        !fixture
            .path("output/2022/县文化广电旅游局/意识形态工作.txt")
            .exists()
    );
}

#[test]
fn an_undefined_variable_in_a_template_names_the_file_line_and_name() {
    let fixture = Fixture::example();
    fixture.write(
        "templates/意识形态工作/03-亮点成效.md",
        "# 二、亮点成效\n\n共{{ 统计.亮点数 }}项。\n",
    );
    let run = fixture.run(&["build"]);
    assert_eq!(run.code, 1);
    assert!(
        run.stderr
            .contains("templates/意识形态工作/03-亮点成效.md 第 3 行"),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr.contains("未定义的变量 统计.亮点数"),
        "{}",
        run.stderr
    );
}

/// Where the check of templates before rendering cannot follow a table (after `groupby`, or a
/// department's table in a county report), a misspelt column in a filter is caught as the
/// filter runs: the engine alone would add up nothing to 0 and pass `check`.
#[test]
fn a_misspelt_column_in_a_filter_is_an_error_not_a_zero() {
    let fixture = Fixture::example();
    for (kind, rows) in [("数据简报", "组.list"), ("全县汇总", "d.活动清单")] {
        let path = format!("templates/{kind}/02-活动开展情况.md");
        let template = fixture.read(&path);
        let misspelt = template.replace(
            &format!("{rows} | selectattr(\"参与人数\") | map(attribute=\"参与人数\")"),
            &format!("{rows} | selectattr(\"参与人数\") | map(attribute=\"参与人次\")"),
        );
        assert_ne!(template, misspelt, "{kind}");
        fixture.write(&path, &misspelt);
    }
    let run = fixture.run(&["check"]);
    assert_eq!(run.code, 1, "{}", run.stdout);
    for place in [
        "数据简报：templates/数据简报/02-活动开展情况.md 第 19 行：",
        "全县 › 全县汇总：templates/全县汇总/02-活动开展情况.md 第 15 行：",
    ] {
        assert!(
            run.stdout.contains(&format!(
                "{place}map 用到的列“参与人次”在表中没有（表中的列：日期、活动名称、类别、参与人数；是否写成了“参与人数”？）"
            )),
            "{}",
            run.stdout
        );
    }
    // Every other filter that takes a column, over a group's rows.
    for filter in [
        "selectattr(\"人数\") | list | length",
        "rejectattr(\"人数\") | list | length",
        "sum(attribute=\"人数\")",
        "sort(attribute=\"人数\") | length",
        "groupby(\"人数\") | length",
        "unique(attribute=\"人数\") | list | length",
        "min(attribute=\"人数\")",
        "max(attribute=\"人数\")",
        "join(\"、\", attribute=\"人数\")",
    ] {
        let fixture = Fixture::example();
        fixture.append(
            "templates/数据简报/02-活动开展情况.md",
            &format!(
                "{{% for 组 in 活动清单 | groupby(\"类别\") %}}{{{{ 组.list | {filter} }}}}{{% endfor %}}"
            ),
        );
        let run = fixture.run(&["check", "--kind", "数据简报"]);
        assert_eq!(run.code, 1, "{filter}: {}", run.stdout);
        let name = filter.split('(').next().unwrap();
        assert!(
            run.stdout
                .contains(&format!("{name} 用到的列“人数”在表中没有")),
            "{filter}: {}",
            run.stdout
        );
    }
}

#[test]
fn a_template_syntax_error_names_the_file_and_line_and_spares_other_kinds() {
    let fixture = Fixture::example();
    // A second report kind, the same as the first but for one broken template.
    support::copy_dir(
        &fixture.path("templates/意识形态工作"),
        &fixture.path("templates/党风廉政建设"),
    );
    fixture.write(
        "templates/党风廉政建设/03-亮点成效.md",
        "# 二、亮点成效\n\n{% for 要点 in 工作要点 %}\n{{ 要点.内容 }\n",
    );
    let run = fixture.run(&["build"]);
    assert_eq!(run.code, 1);
    assert!(
        run.stderr
            .contains("templates/党风廉政建设/03-亮点成效.md 第 4 行"),
        "{}",
        run.stderr
    );
    assert!(run.stderr.contains("模板语法错误"), "{}", run.stderr);
    // Reported once for all departments, not once per department.
    assert_eq!(
        run.stderr.matches("模板语法错误").count(),
        1,
        "{}",
        run.stderr
    );
    assert!(
        fixture
            .path("output/2022/县退役军人事务局/意识形态工作.txt")
            .is_file()
    );
    assert!(
        !fixture
            .path("output/2022/县退役军人事务局/党风廉政建设.txt")
            .exists()
    );
}

#[test]
fn markup_that_the_document_cannot_hold_names_the_template() {
    let fixture = Fixture::example();
    fixture.write(
        "templates/意识形态工作/03-亮点成效.md",
        "# 二、亮点成效\n\n- 列表项\n",
    );
    let run = fixture.run(&["check"]);
    assert_eq!(run.code, 1);
    assert!(
        run.stdout.contains("03-亮点成效.md 的输出第 3 行"),
        "{}",
        run.stdout
    );
    assert!(run.stdout.contains("不支持列表"), "{}", run.stdout);
}

#[test]
fn a_cell_cannot_inject_markup() {
    let fixture = Fixture::example();
    let mut sheets = veterans_sheets();
    sheet(&mut sheets, "工作要点").rows[1][2] =
        t("# 不是标题\n\n**不是加粗** <b>x</b> [链接](http://x) 1. 不是列表");
    write_xlsx(&fixture.path(VETERANS_XLSX), &sheets);
    let run = fixture.run(&["build"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let txt = fixture.read("output/2022/县退役军人事务局/意识形态工作.txt");
    assert!(
        txt.contains("\n1.坚持培根铸魂，强化思想政治建设质量。# 不是标题**不是加粗** <b>x</b> [链接](http://x) 1. 不是列表\n"),
        "{txt}"
    );
}

#[test]
fn a_failed_report_leaves_no_stale_file_behind() {
    let fixture = Fixture::example();
    assert_eq!(fixture.run(&["build"]).code, 0);
    let txt = "output/2022/县退役军人事务局/意识形态工作.txt";
    assert!(fixture.path(txt).is_file());
    let mut sheets = veterans_sheets();
    sheet(&mut sheets, "统计").rows[2][1] = Cell::Text("#DIV/0!".into());
    write_xlsx(&fixture.path(VETERANS_XLSX), &sheets);
    let run = fixture.run(&["build"]);
    assert_eq!(run.code, 1);
    assert!(
        !fixture.path(txt).exists(),
        "last year's run must not look like this one's"
    );
    assert!(
        !fixture
            .path("output/2022/县退役军人事务局/意识形态工作.md")
            .exists()
    );
    others_written(&fixture);
}

#[test]
fn an_unreadable_workbook_is_an_error_not_a_panic() {
    let fixture = Fixture::example();
    fixture.write(VETERANS_XLSX, "这不是工作簿");
    let run = fixture.run(&["build"]);
    assert_eq!(run.code, 1);
    assert!(run.stderr.contains("无法作为工作簿打开"), "{}", run.stderr);
    assert!(!run.stderr.contains("panicked"), "{}", run.stderr);
    others_written(&fixture);
}

#[test]
fn templates_are_sandboxed_to_their_folder_and_cannot_loop_forever() {
    let fixture = Fixture::example();
    fixture.write("secret.md", "机密");
    fixture.write(
        "templates/意识形态工作/03-亮点成效.md",
        "# 二、亮点成效\n\n{% include \"../../secret.md\" %}\n",
    );
    let run = fixture.run(&["check"]);
    assert_eq!(run.code, 1);
    assert!(run.stdout.contains("找不到模板"), "{}", run.stdout);

    fixture.write(
        "templates/意识形态工作/03-亮点成效.md",
        "# 二、亮点成效\n\n{% for a in range(10000) %}{% for b in range(10000) %}{{ a }}{% endfor %}{% endfor %}\n",
    );
    let run = fixture.run(&["check", "--dept", "县教育体育局"]);
    assert_eq!(run.code, 1);
    assert!(run.stdout.contains("死循环"), "{}", run.stdout);
}

#[test]
fn check_reports_every_problem_in_one_run() {
    let fixture = Fixture::example();
    let mut sheets = education_sheets();
    let list = sheet(&mut sheets, "活动清单");
    list.rows[1][3] = t("四万");
    list.rows[2][0] = t("清明");
    list.rows[3][3] = t("1.2万人");
    sheet(&mut sheets, "统计").rows[1][1] = t("五十六");
    write_csv_gbk(&fixture.path("data/2022/县教育体育局"), &sheets);
    let run = fixture.run(&["check"]);
    assert_eq!(run.code, 1);
    for place in [
        "统计.csv › B2",
        "活动清单.csv › D2",
        "活动清单.csv › A3",
        "活动清单.csv › D4",
    ] {
        assert!(run.stdout.contains(place), "{place}: {}", run.stdout);
    }
    assert!(run.stdout.contains("4 处问题"), "{}", run.stdout);
    // The same problems, shared by both report kinds, are told once.
    assert_eq!(
        run.stdout.matches("活动清单.csv › A3").count(),
        1,
        "{}",
        run.stdout
    );
    assert!(
        run.stdout.contains("县教育体育局 › 意识形态工作、数据简报"),
        "{}",
        run.stdout
    );

    let run = fixture.run(&["check", "--format", "json"]);
    assert_eq!(run.code, 1);
    let json: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
    assert_eq!(json["failed"], 2);
    let problems = json["problems"].as_array().unwrap();
    let cells: Vec<(&str, &str)> = problems
        .iter()
        .filter(|p| p["kind"] == "意识形态工作" && p["level"] == "error")
        .map(|p| (p["file"].as_str().unwrap(), p["cell"].as_str().unwrap()))
        .collect();
    assert_eq!(
        cells,
        vec![
            ("data/2022/县教育体育局/统计.csv", "B2"),
            ("data/2022/县教育体育局/活动清单.csv", "D2"),
            ("data/2022/县教育体育局/活动清单.csv", "A3"),
            ("data/2022/县教育体育局/活动清单.csv", "D4"),
        ]
    );
}

#[test]
fn check_finds_undeclared_variables_in_branches_no_data_reaches() {
    let fixture = Fixture::example();
    fixture.write(
        "templates/意识形态工作/03-亮点成效.md",
        "# 二、亮点成效\n\n{% if year < 2000 %}\n{{ 亮点清单 | length }}\n{% endif %}\n",
    );
    let run = fixture.run(&["check", "--kind", "意识形态工作"]);
    assert_eq!(run.code, 1);
    assert!(
        run.stdout.contains("03-亮点成效.md 第 4 行"),
        "{}",
        run.stdout
    );
    assert!(
        run.stdout.contains("没有声明的变量 亮点清单"),
        "{}",
        run.stdout
    );
}

#[test]
fn a_blank_cell_compared_by_size_is_an_error_at_its_cell() {
    let fixture = Fixture::example();
    fixture.append(
        "templates/数据简报/02-活动开展情况.md",
        "大型活动{{ 活动清单 | selectattr(\"参与人数\", \"gt\", 10000) | list | length }}项，按日期和名称排序第一项{{ (活动清单 | sort(attribute=\"日期, 活动名称\") | first).活动名称 }}。",
    );
    // The education bureau's third activity (CSV line 4) has no 参与人数.
    let run = fixture.run(&["build", "--format", "txt", "--kind", "数据简报"]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(
        run.stderr.contains(
            "selectattr 用“gt”比较列“参与人数”的大小，但 data/2022/县教育体育局/活动清单.csv › D4 是空的"
        ),
        "{}",
        run.stderr
    );
    // The other departments, every cell filled, are compared; a sort by two columns is one.
    let brief = fixture.read("output/2022/县文化广电旅游局/数据简报.txt");
    assert!(
        brief.contains("大型活动0项，按日期和名称排序第一项"),
        "{brief}"
    );
    // Records across departments have keys of their own: one without the key is no blank.
    fixture.append(
        "templates/全县汇总/02-活动开展情况.md",
        "观众过百的单位{{ all.统计 | selectattr(\"观众人次\", \"gt\", 100) | list | length }}个。",
    );
    let run = fixture.run(&["build", "--format", "txt", "--kind", "全县汇总"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(
        fixture
            .read("output/2022/全县汇总.txt")
            .contains("观众过百的单位1个。")
    );
}

#[test]
fn check_finds_misspelt_filters_and_tests_in_branches_no_data_reaches() {
    let fixture = Fixture::example();
    fixture.write(
        "templates/意识形态工作/03-亮点成效.md",
        "# 二、亮点成效\n\n共{{ 统计.表彰人数 | thousands }}人。\n{% if prev is defined %}\n{{ 统计.表彰人数 | yo(prev.统计.表彰人数) }}{% if year is numbr %}。{% endif %}\n{% endif %}\n",
    );
    let run = fixture.run(&["check", "--kind", "意识形态工作"]);
    assert_eq!(run.code, 1, "{}", run.stdout);
    for expected in [
        "03-亮点成效.md 第 5 行：没有名为 yo 的过滤器。",
        "03-亮点成效.md 第 5 行：没有名为 numbr 的判断。",
    ] {
        assert!(run.stdout.contains(expected), "{}", run.stdout);
    }
    assert!(!run.stdout.contains("thousands"), "{}", run.stdout);
}

#[test]
fn the_engines_run_time_errors_are_said_in_chinese() {
    for (expression, said) in [
        (
            "{{ 1 + \"个\" }}",
            "不能对数字和文字做 + 运算。把数字和文字连在一起请分开写",
        ),
        ("{{ 1 / 0 }}", "无法计算 1 / 0（除数为 0，或结果超出范围）"),
        ("{{ true | length }}", "length 不能用于是/否"),
        (
            "{{ 活动清单 | map(attribute=\"参与人数\") | sum }}",
            "sum 只能把数字加起来，这里有空值（选填的单元格为空）",
        ),
        ("{% for x in 1 %}{% endfor %}", "数字不是列表，不能逐项处理"),
        ("{{ 5 | join(\"、\") }}", "join 需要一个列表，这里是数字"),
        (
            "{{ 统计.没有这项 + 1 }}",
            "+ 运算的一边是未定义的值 统计.没有这项：数据里没有这一项，或名字写错了",
        ),
    ] {
        let run = check_brief_with(expression);
        assert_eq!(run.code, 1, "{expression}");
        assert!(
            run.stdout
                .contains(&format!("02-活动开展情况.md 第 22 行：{said}")),
            "{expression}: {}",
            run.stdout
        );
    }
}

/// `check` of the education bureau's 数据简报 with `expression` appended to its section on the
/// activities, as its line 22; one of the activities has a blank 参与人数.
fn check_brief_with(expression: &str) -> support::Run {
    let fixture = Fixture::example();
    fixture.append("templates/数据简报/02-活动开展情况.md", expression);
    fixture.run(&["check", "--dept", "县教育体育局", "--kind", "数据简报"])
}

#[test]
fn a_blank_cell_given_to_a_filter_is_an_error_naming_it() {
    // The engine's filters of text too, which would print `none` or `NONE`; in a loop over a
    // table's rows the row's cell is named.
    let cell = "（这个值来自 data/2022/县教育体育局/活动清单.csv › D4）";
    for (expression, said) in [
        (
            "{% for 行 in 活动清单 %}{{ 行.参与人数 | thousands }}{% endfor %}",
            format!("thousands 得到了空值{cell}"),
        ),
        (
            "{% for 行 in 活动清单 %}{{ 行.参与人数 | upper }}{% endfor %}",
            format!("upper 得到了空值{cell}"),
        ),
        (
            "{% for 行 in 活动清单 %}{{ 行.参与人数 | trim }}{% endfor %}",
            format!("trim 得到了空值{cell}"),
        ),
        (
            "{% for 行 in 活动清单 %}{{ \"%s人\" | format(行.参与人数) }}{% endfor %}",
            format!("format 得到了空值{cell}"),
        ),
        (
            "{% for 行 in 活动清单 %}{{ 行.参与人数 | string }}{% endfor %}",
            format!("string 得到了空值{cell}"),
        ),
    ] {
        let run = check_brief_with(expression);
        assert_eq!(run.code, 1, "{expression}");
        assert!(
            run.stdout
                .contains(&format!("02-活动开展情况.md 第 22 行：{said}。")),
            "{expression}: {}",
            run.stdout
        );
    }
    // A blank given a text first is not refused; nor are the filters' keyword arguments
    // (`truncate(length=…)`, `replace`'s count), nor `indent`, left as the engine has it.
    let fixture = Fixture::example();
    fixture.append(
        "templates/数据简报/02-活动开展情况.md",
        "{% for 行 in 活动清单 %}{{ 行.参与人数 if 行.参与人数 is not none else \"—\" }}{{ 行.活动名称 | truncate(length=4, end=\"\", leeway=0) }}{{ 行.活动名称 | replace(\"一\", \"1\", 1) }}{{ 行.活动名称 | replace(\"一\", \"1\", count=1) }}{{ 行.活动名称 | indent(2, first=true) }}{% endfor %}",
    );
    let run = fixture.run(&[
        "build",
        "--dept",
        "县教育体育局",
        "--kind",
        "数据简报",
        "--format",
        "txt",
    ]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let txt = fixture.read("output/2022/县教育体育局/数据简报.txt");
    assert!(
        txt.contains("41000开学第一开学第1课开学第1课  开学第一课"),
        "{txt}"
    );
    // A column misspelt is an undefined name, not a blank cell.
    let run = check_brief_with("{% for 行 in 活动清单 %}{{ 行.活动名臣 | trim }}{% endfor %}");
    assert_eq!(run.code, 1, "{}", run.stdout);
    assert!(!run.stdout.contains("得到了空值"), "{}", run.stdout);
    assert!(run.stdout.contains("活动名臣"), "{}", run.stdout);
}

#[test]
fn a_broken_report_kind_leaves_none_of_last_runs_files() {
    let fixture = Fixture::example();
    assert_eq!(fixture.run(&["build"]).code, 0);
    let brief = "output/2022/县文化广电旅游局/数据简报";
    assert!(fixture.path(&format!("{brief}.docx")).is_file());
    fixture.write(
        "templates/数据简报/01-主要指标.md",
        "# 一、主要指标\n\n{% if %}\n",
    );
    let run = fixture.run(&["build"]);
    assert_eq!(run.code, 1);
    for ext in ["txt", "md", "docx"] {
        assert!(
            !fixture.path(&format!("{brief}.{ext}")).exists(),
            "{ext} left behind"
        );
    }
    assert!(
        fixture
            .path("output/2022/县文化广电旅游局/意识形态工作.docx")
            .is_file()
    );
}

#[test]
fn every_bad_narrative_cell_is_reported_in_one_run() {
    let fixture = Fixture::example();
    let mut sheets = culture_sheets();
    let points = sheet(&mut sheets, "工作要点");
    points.rows[1][2] = t("巡查{{ 统计.网吧数量 }}家。");
    points.rows[2][2] = t("共{{ 1 + \"个\" }}项。");
    points.rows[3][2] = t("开展{{ 活动清单 ");
    points.rows[4][2] = t("{% if prev is defined %}{{ 活动清单 | lenght }}{% endif %}项。");
    write_xlsx(
        &fixture.path("data/2022/县文化广电旅游局/2022年报告数据.xlsx"),
        &sheets,
    );
    let run = fixture.run(&[
        "check",
        "--dept",
        "县文化广电旅游局",
        "--kind",
        "意识形态工作",
    ]);
    assert_eq!(run.code, 1);
    assert!(run.stdout.contains("4 处问题"), "{}", run.stdout);
    assert!(
        run.stdout
            .contains("工作要点 › C5（单元格中的模板表达式）：没有名为 lenght 的过滤器"),
        "{}",
        run.stdout
    );
    assert!(
        run.stdout
            .contains("工作要点 › C2（单元格中的模板表达式）：用到了未定义的变量 统计.网吧数量"),
        "{}",
        run.stdout
    );
    assert!(
        run.stdout
            .contains("工作要点 › C3（单元格中的模板表达式）：不能对数字和文字做 + 运算。"),
        "{}",
        run.stdout
    );
    assert!(
        run.stdout
            .contains("工作要点 › C4（单元格中的模板表达式）：模板语法错误"),
        "{}",
        run.stdout
    );
}

#[test]
fn an_empty_body_or_an_empty_year_is_an_error() {
    let fixture = Fixture::example();
    std::fs::create_dir_all(fixture.path("data/2023")).unwrap();
    let run = fixture.run(&["check"]);
    assert_eq!(run.code, 1);
    assert!(
        run.stdout.contains("data/2023 下没有单位文件夹"),
        "{}",
        run.stdout
    );
    std::fs::remove_dir(fixture.path("data/2023")).unwrap();

    for name in [
        "01-开篇.md",
        "02-工作总体情况.md",
        "03-亮点成效.md",
        "04-不足之处及改进方向.md",
    ] {
        // Not empty files (each is an error of its own), but sections that write nothing.
        fixture.write(&format!("templates/意识形态工作/{name}"), "{# 待写 #}\n\n");
    }
    let run = fixture.run(&["check", "--kind", "意识形态工作", "--dept", "县教育体育局"]);
    assert_eq!(run.code, 1);
    assert!(run.stdout.contains("报告正文是空的"), "{}", run.stdout);
}

#[test]
fn check_json_places_template_manifest_and_duplicate_source_problems() {
    let fixture = Fixture::example();
    fixture.write(
        "templates/数据简报/01-主要指标.md",
        "# 一、主要指标\n\n{{ 统计x.数 }}\n",
    );
    let manifest = fixture.read("templates/意识形态工作/report.toml");
    fixture.write(
        "templates/意识形态工作/report.toml",
        &manifest.replacen("shape = \"record\"", "shape = \"recrd\"", 1),
    );
    let run = fixture.run(&["check", "--format", "json", "--progress", "none"]);
    assert_eq!(run.code, 1);
    let json: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
    let problems = json["problems"].as_array().unwrap();
    let find = |kind: &str| {
        problems
            .iter()
            .find(|p| p["kind"] == kind && p["level"] == "error")
            .unwrap_or_else(|| panic!("no error for {kind}: {}", run.stdout))
    };
    let template = find("数据简报");
    assert_eq!(template["file"], "templates/数据简报/01-主要指标.md");
    assert_eq!(template["cell"], "第 3 行");
    let manifest = find("意识形态工作");
    assert_eq!(manifest["file"], "templates/意识形态工作/report.toml");
    assert!(
        manifest["cell"].as_str().unwrap().starts_with("第 "),
        "{manifest}"
    );

    // The same source twice: the first place is named.
    let fixture = Fixture::example();
    support::write_xlsx(
        &fixture.path("data/2022/县教育体育局/另一个.xlsx"),
        &support::education_sheets()[..1],
    );
    let run = fixture.run(&["check", "--format", "json", "--dept", "县教育体育局"]);
    let json: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
    let duplicate = json["problems"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["message"].as_str().unwrap().contains("出现在多处"))
        .unwrap_or_else(|| panic!("{}", run.stdout));
    assert_eq!(duplicate["file"], "data/2022/县教育体育局/另一个.xlsx");
    assert_eq!(duplicate["sheet"], "概况");
}

#[test]
fn progress_as_json_lines_and_names_checked_against_what_exists() {
    let fixture = Fixture::example();
    let run = fixture.run(&["build", "--format", "txt", "--progress", "json"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let lines: Vec<serde_json::Value> = run
        .stderr
        .lines()
        .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("{l}: {e}")))
        .collect();
    assert_eq!(lines.len(), 7);
    assert!(lines.iter().all(|l| l["ok"] == true), "{}", run.stderr);
    assert_eq!(
        lines[0]["files"][0],
        "output/2022/县教育体育局/意识形态工作.txt"
    );

    let run = fixture.run(&["check", "--dept", "县教育局"]);
    assert_eq!(run.code, 1);
    assert!(
        run.stdout
            .contains("没有名为“县教育局”的单位。是否写成了“县教育体育局”？"),
        "{}",
        run.stdout
    );
    let run = fixture.run(&["check", "--format", "json", "--year", "2020"]);
    assert_eq!(run.code, 1);
    let json: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
    assert!(json["year"].is_null(), "{json}");
    assert_eq!(json["problems"][0]["level"], "error");
    assert!(
        json["problems"][0]["message"]
            .as_str()
            .unwrap()
            .contains("没有 2020 年的数据"),
        "{json}"
    );
    for jobs in ["0", "100000", "257"] {
        let run = fixture.run(&["build", "--jobs", jobs]);
        assert_eq!(run.code, 1, "{jobs}");
        assert!(run.stderr.contains("--jobs"), "{}", run.stderr);
    }
    assert!(
        fixture
            .run(&["build", "--jobs", "257"])
            .stderr
            .contains("--jobs 257 太大：最多 256。")
    );
    // The bounds themselves are accepted.
    for jobs in ["1", "256"] {
        let run = fixture.run(&["check", "--year", "2022", "--jobs", jobs]);
        assert_eq!(run.code, 0, "{jobs}: {}", run.stderr);
    }
}

#[test]
fn a_malformed_document_number_fails_that_report_only() {
    let fixture = Fixture::example();
    let mut sheets = support::education_sheets();
    support::set_record(
        &mut sheets,
        "概况",
        "发文字号",
        support::t("县教体党2023年1号"),
    );
    support::write_csv_gbk(&fixture.path("data/2022/县教育体育局"), &sheets);
    let run = fixture.run(&["build", "--format", "txt"]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(
        run.stderr.contains("发文字号“县教体党2023年1号”的写法不对"),
        "{}",
        run.stderr
    );
    // Told at the cell the clerk corrects, not at the manifest's key that reads it.
    assert!(
        run.stderr
            .contains("data/2022/县教育体育局/概况.csv › B6：发文字号"),
        "{}",
        run.stderr
    );
    assert!(!run.stderr.contains("[head] 的 number"), "{}", run.stderr);
    assert!(
        fixture
            .path("output/2022/县退役军人事务局/意识形态工作.txt")
            .is_file()
    );
    assert!(
        !fixture
            .path("output/2022/县教育体育局/意识形态工作.txt")
            .exists()
    );
}

#[test]
fn a_template_that_fails_every_department_names_the_first_ten_and_how_many() {
    let fixture = Fixture::example();
    let source = fixture.path(VETERANS_XLSX);
    for i in 0..25 {
        let dir = fixture.path(&format!("data/2022/县第{i:02}局"));
        std::fs::create_dir_all(&dir).unwrap();
        std::fs::copy(&source, dir.join("数据.xlsx")).unwrap();
    }
    let section = fixture.path("templates/数据简报/02-活动开展情况.md");
    let mut text = std::fs::read_to_string(&section).unwrap();
    text.push_str("\n{{ 活动清单 | 没有这个过滤器 }}\n");
    std::fs::write(&section, text).unwrap();

    let run = fixture.run(&["check"]);
    assert_eq!(run.code, 1, "{}", run.stdout);
    // 28 departments fail alike: one message, the first ten named, and how many in all.
    let line = run
        .stdout
        .lines()
        .find(|l| l.starts_with("错误："))
        .expect("an error line");
    assert!(line.contains("县第00局、县第01局"), "{line}");
    assert!(line.contains("等 28 个 › 数据简报："), "{line}");
    assert!(!line.contains("县第10局"), "{line}");
    assert_eq!(run.stdout.matches("错误：").count(), 1, "{}", run.stdout);
    let last = run.stdout.lines().last().unwrap();
    assert!(
        last.starts_with("有问题的单位：") && last.contains("等 28 个。"),
        "{last}"
    );
}

#[test]
fn templates_and_manifests_saved_by_notepad_in_gbk_or_with_a_bom_read_as_written() {
    let fixture = Fixture::example();
    assert_eq!(fixture.run(&["build", "--format", "txt"]).code, 0);
    let before = fixture.read("output/2022/县退役军人事务局/意识形态工作.txt");
    // Notepad's "ANSI" on Chinese Windows is GBK; its "UTF-8" once wrote a byte-order mark.
    for file in ["report.toml", "03-亮点成效.md"] {
        let path = fixture.path(&format!("templates/意识形态工作/{file}"));
        let text = std::fs::read_to_string(&path).unwrap();
        let (gbk, _, _) = encoding_rs::GB18030.encode(&text);
        std::fs::write(&path, gbk).unwrap();
    }
    let bom = fixture.path("templates/意识形态工作/02-工作总体情况.md");
    let text = std::fs::read_to_string(&bom).unwrap();
    std::fs::write(&bom, format!("\u{feff}{text}")).unwrap();
    let run = fixture.run(&["build", "--format", "txt"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(
        fixture.read("output/2022/县退役军人事务局/意识形态工作.txt"),
        before
    );
    // Bytes in no encoding: the error names the section file (not the title compiled before
    // it), says where, and how to save it.
    let path = fixture.path("templates/意识形态工作/03-亮点成效.md");
    let mut bytes = std::fs::read(&path).unwrap();
    bytes.extend_from_slice(b"\n\x81\x20\n");
    std::fs::write(&path, bytes).unwrap();
    let run = fixture.run(&["build", "--format", "txt"]);
    assert_eq!(run.code, 1);
    assert!(
        run.stderr
            .contains("templates/意识形态工作/03-亮点成效.md：第 "),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr.contains("既不是 UTF-8 也不是 GBK 编码"),
        "{}",
        run.stderr
    );
    assert!(run.stderr.contains("编码选“UTF-8”"), "{}", run.stderr);
    assert!(!run.stderr.contains("title"), "{}", run.stderr);
}

#[test]
fn json_progress_lines_are_json_and_the_closing_messages_follow_in_plain_text() {
    let fixture = Fixture::example();
    fixture.write(
        "data/2022/县教育体育局/统计.csv",
        "指标,数值\n中小学校,五十六\n思政课教师培训人次,420\n",
    );
    let run = fixture.run(&["build", "--format", "txt", "--progress", "json"]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    let (objects, plain): (Vec<&str>, Vec<&str>) =
        run.stderr.lines().partition(|l| l.starts_with('{'));
    let objects: Vec<serde_json::Value> = objects
        .iter()
        .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("{l}: {e}")))
        .collect();
    assert_eq!(objects.len(), 7, "{}", run.stderr);
    let failed: Vec<&serde_json::Value> = objects.iter().filter(|o| o["ok"] == false).collect();
    assert_eq!(failed.len(), 2, "{}", run.stderr);
    assert!(
        failed
            .iter()
            .all(|o| o["error"].as_str().unwrap_or("").contains("统计.csv"))
    );
    assert!(
        plain.iter().any(|l| l.starts_with("错误：")),
        "{}",
        run.stderr
    );
}

#[test]
fn a_problem_two_reports_share_is_told_once_beside_one_only_a_report_has() {
    let fixture = Fixture::example();
    let mut sheets = veterans_sheets();
    // Both kinds read 统计; only 意识形态工作 reads 工作要点.
    sheet(&mut sheets, "统计").rows[1][1] = t("三个");
    sheet(&mut sheets, "工作要点").rows[1][0] = t("总体情况");
    write_xlsx(&fixture.path(VETERANS_XLSX), &sheets);
    let run = fixture.run(&["build", "--format", "txt"]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert_eq!(run.stderr.matches("统计 › B2").count(), 1, "{}", run.stderr);
    assert_eq!(
        run.stderr.matches("工作要点 › A2").count(),
        1,
        "{}",
        run.stderr
    );
    let errors: Vec<&str> = run
        .stderr
        .lines()
        .filter(|l| l.starts_with("错误："))
        .collect();
    assert_eq!(errors.len(), 2, "{}", run.stderr);
    assert!(
        errors[0].starts_with("错误：县退役军人事务局 › 意识形态工作、数据简报：")
            && errors[0].contains("统计 › B2"),
        "{}",
        run.stderr
    );
    assert!(
        errors[1].starts_with("错误：县退役军人事务局 › 意识形态工作：")
            && errors[1].contains("工作要点 › A2"),
        "{}",
        run.stderr
    );
    let check = fixture.run(&["check"]);
    assert_eq!(
        check.stdout.matches("统计 › B2").count(),
        1,
        "{}",
        check.stdout
    );
}

/// The one problem `check` finds in 县教育体育局 after its 发文字号 was changed: at the
/// 发文字号's cell, its message.
fn document_number_problem(fixture: &Fixture) -> String {
    let run = fixture.run(&["check", "--format", "json", "--dept", "县教育体育局"]);
    assert_eq!(run.code, 1, "{}", run.stdout);
    let json: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
    let problem = &json["problems"][0];
    assert_eq!(problem["file"], "data/2022/县教育体育局/概况.csv", "{json}");
    assert_eq!(problem["cell"], "B6", "{json}");
    problem["message"].as_str().unwrap().to_owned()
}

/// Types `number` as the 发文字号 of the example's 县教育体育局 (a GBK CSV, as Excel saves it).
fn set_document_number(fixture: &Fixture, number: &str) {
    let path = fixture.path("data/2022/县教育体育局/概况.csv");
    let bytes = std::fs::read(&path).unwrap();
    let (text, _, _) = encoding_rs::GB18030.decode(&bytes);
    let replaced = text.replace("县教体党[2023]1号", number);
    assert_ne!(replaced, text);
    let (gbk, _, _) = encoding_rs::GB18030.encode(&replaced);
    std::fs::write(&path, gbk).unwrap();
}

#[test]
fn a_document_number_written_wrongly_is_told_at_its_cell() {
    let fixture = Fixture::example();
    set_document_number(&fixture, "县教体党2023年1号");
    let message = document_number_problem(&fixture);
    assert!(
        message.contains("发文字号“县教体党2023年1号”的写法不对"),
        "{message}"
    );
}

#[test]
fn a_document_number_of_another_year_than_its_date_is_told_at_its_cell() {
    // The report on 2022 is written on 2023/1/12, so it is numbered 〔2023〕; the year of the
    // report, or a typo, would go out on the document.
    for typed in ["县教体党[2022]1号", "县教体党[2203]1号"] {
        let fixture = Fixture::example();
        set_document_number(&fixture, typed);
        let message = document_number_problem(&fixture);
        let year = &typed[typed.find('[').unwrap() + 1..typed.find(']').unwrap()];
        assert!(
            message.contains(&format!(
                "发文字号“{typed}”的年份是 {year}，成文日期 2023年1月12日（data/2022/县教育体育局/概况.csv › B4）却在 2023 年。发文字号的年份是发文的年份，应与成文日期一致，这里应写作〔2023〕。"
            )),
            "{message}"
        );
    }
}

#[test]
fn a_control_character_pasted_into_a_template_is_an_error_naming_its_line() {
    let fixture = Fixture::example();
    let path = "templates/意识形态工作/03-亮点成效.md";
    let text = fixture.read(path);
    fixture.write(path, &format!("{text}\n控制\u{7}字符\n"));
    let run = fixture.run(&["build", "--format", "txt"]);
    assert_eq!(run.code, 1);
    let line = text.lines().count() + 2;
    assert!(
        run.stderr.contains(&format!(
            "templates/意识形态工作/03-亮点成效.md：第 {line} 行有一个看不见的控制字符（U+0007）"
        )),
        "{}",
        run.stderr
    );
}

#[test]
fn a_problem_in_an_included_file_names_that_file() {
    let fixture = Fixture::example();
    let section = "templates/意识形态工作/03-亮点成效.md";
    let text = fixture.read(section);
    fixture.write(section, &format!("{text}\n{{% include \"公共.md\" %}}\n"));
    fixture.write("templates/意识形态工作/公共.md", "第一行\n控制\u{7}字符\n");
    let run = fixture.run(&["build", "--format", "txt"]);
    assert_eq!(run.code, 1);
    assert!(
        run.stderr
            .contains("templates/意识形态工作/公共.md：第 2 行有一个看不见的控制字符"),
        "{}",
        run.stderr
    );
}

#[test]
fn a_narrative_cell_reading_one_not_yet_rendered_is_an_error_not_raw_template_text() {
    let fixture = Fixture::example();
    // The veterans' 概况 › 开篇 (a narrative cell) holding `text`, then checked.
    let check_with = |text: &str| {
        let mut sheets = veterans_sheets();
        support::set_record(&mut sheets, "概况", "开篇", t(text));
        write_xlsx(&fixture.path(VETERANS_XLSX), &sheets);
        fixture.run(&["check", "--dept", "县退役军人事务局"])
    };
    // 概况 comes first in the manifest, 工作要点 (with narrative cells) after it.
    let run = check_with("{{ 工作要点[0].内容 }}");
    assert_eq!(run.code, 1, "{}", run.stdout);
    assert!(
        run.stdout
            .contains("概况 › B2（单元格中的模板表达式）：读到了“工作要点”中的叙事单元格"),
        "{}",
        run.stdout
    );
    // Its own record's narrative field too.
    let run = check_with("{{ 概况.开篇 }}");
    assert!(
        run.stdout.contains("读到了“概况”中的叙事单元格"),
        "{}",
        run.stdout
    );
    assert!(
        run.stdout.contains("不能读同一数据源“概况”中的叙事单元格"),
        "{}",
        run.stdout
    );
    // A way of reading the reading cannot follow (a slice) shows in what the cell gives.
    let run = check_with("{% for 行 in 活动清单[3:4] %}{{ 行.活动名称 }}{% endfor %}");
    assert!(
        run.stdout.contains("展开后仍含有 {{ }} 这样的模板文字"),
        "{}",
        run.stdout
    );
    // A later table's narrative column, through a filter.
    let run = check_with("开展了{{ 活动清单 | map(attribute=\"活动名称\") | join_cn }}");
    assert!(
        run.stdout.contains("读到了“活动清单”中的叙事单元格"),
        "{}",
        run.stdout
    );
    // A later source without narrative cells, and a later table only counted or read by its
    // plain columns, are read as they are.
    let run = check_with(
        "修建{{ 统计.烈士集中安葬点 }}个安葬点，开展活动{{ 活动清单 | length }}项，{{ 活动清单 | map(attribute=\"类别\") | unique | join_cn }}",
    );
    assert_eq!(run.code, 0, "{}", run.stdout);
}

#[test]
fn an_empty_section_template_is_an_error() {
    let fixture = Fixture::example();
    fixture.write("templates/数据简报/01-主要指标.md", "\n");
    let run = fixture.run(&["check"]);
    assert_eq!(run.code, 1);
    assert!(
        run.stdout
            .contains("templates/数据简报/01-主要指标.md：这个章节模板是空的"),
        "{}",
        run.stdout
    );
}
