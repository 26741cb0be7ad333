//! The commands as a user runs them: build, check, context, and their selections.

mod support;

use support::{Cell, Fixture, d, n, sheet, t, veterans_sheets, write_xlsx};

const VETERANS_TXT: &str = "output/2022/县退役军人事务局/意识形态工作.txt";

#[test]
fn build_writes_every_department_and_format() {
    let fixture = Fixture::example();
    let run = fixture.run(&["build"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    for dept in ["县退役军人事务局", "县文化广电旅游局", "县教育体育局"] {
        for kind in ["意识形态工作", "数据简报"] {
            for ext in ["txt", "md", "docx"] {
                let path = format!("output/2022/{dept}/{kind}.{ext}");
                assert!(fixture.path(&path).is_file(), "{path} missing");
            }
        }
    }
    assert!(
        run.stdout.contains("生成 7 份报告，写入 21 个文件"),
        "{}",
        run.stdout
    );
    // Not a terminal: one plain progress line per report.
    assert_eq!(run.stderr.matches("完成").count(), 7, "{}", run.stderr);
}

#[test]
fn the_gbk_csv_department_reads_right() {
    let fixture = Fixture::example();
    assert_eq!(fixture.run(&["build", "--dept", "县教育体育局"]).code, 0);
    let txt = fixture.read("output/2022/县教育体育局/意识形态工作.txt");
    // The 版头 of a report to a superior, from the GBK CSV; the 发文字号 typed as
    // `县教体党[2023]1号` is written with the standard brackets.
    assert!(
        txt.starts_with(
            "中共县教育体育局党组文件\n县教体党〔2023〕1号\t签发人：李明\n\n县教育体育局关于2022年意识形态工作情况的报告\n\n"
        ),
        "{txt}"
    );
    assert!(
        txt.contains("开展“开学第一课”“清明祭英烈”“全民国家安全教育日宣传”等主题教育活动，召开主题班会1300场。"),
        "{txt}"
    );
    assert!(txt.contains("全县56所中小学校"), "{txt}");
}

#[test]
fn build_selects_departments_kinds_and_formats() {
    let fixture = Fixture::example();
    let run = fixture.run(&[
        "build",
        "--year",
        "2022",
        "--dept",
        "县教育体育局",
        "--kind",
        "意识形态工作",
        "--format",
        "txt",
        "--out",
        "out",
    ]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(
        fixture
            .path("out/2022/县教育体育局/意识形态工作.txt")
            .is_file()
    );
    assert!(
        !fixture
            .path("out/2022/县教育体育局/意识形态工作.md")
            .exists()
    );
    assert!(!fixture.path("out/2022/县退役军人事务局").exists());
}

#[test]
fn unknown_names_are_errors_that_list_what_exists() {
    let fixture = Fixture::example();
    let run = fixture.run(&["build", "--dept", "县某某局"]);
    assert_eq!(run.code, 1);
    assert!(
        run.stderr.contains("没有名为“县某某局”的单位"),
        "{}",
        run.stderr
    );
    assert!(run.stderr.contains("县退役军人事务局"), "{}", run.stderr);
    let run = fixture.run(&["check", "--year", "2020"]);
    assert_eq!(run.code, 1);
    assert!(run.stdout.contains("没有 2020 年的数据"), "{}", run.stdout);
}

#[test]
fn check_validates_everything_and_writes_nothing() {
    let fixture = Fixture::example();
    let run = fixture.run(&["check"]);
    assert_eq!(run.code, 0, "{}", run.stdout);
    assert!(
        run.stdout.contains("检查 7 份报告，7 份通过"),
        "{}",
        run.stdout
    );
    assert!(!fixture.path("output").exists());

    let mut sheets = veterans_sheets();
    sheet(&mut sheets, "统计").rows[1][1] = t("三个");
    write_xlsx(
        &fixture.path("data/2022/县退役军人事务局/2022年报告数据.xlsx"),
        &sheets,
    );
    let run = fixture.run(&["check"]);
    assert_eq!(run.code, 1);
    assert!(run.stdout.contains("统计 › B2"), "{}", run.stdout);
    assert!(!fixture.path("output").exists());
}

#[test]
fn context_prints_what_templates_see() {
    let fixture = Fixture::example();
    let run = fixture.run(&[
        "context",
        "--dept",
        "县退役军人事务局",
        "--kind",
        "意识形态工作",
    ]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let json: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
    assert_eq!(json["year"], 2022);
    assert_eq!(json["dept"], "县退役军人事务局");
    // Integers from Excel's floats stay integers.
    assert_eq!(json["统计"]["烈士集中安葬点"].to_string(), "3");
    let activities = json["活动清单"].as_array().unwrap();
    assert_eq!(activities.len(), 8);
    assert_eq!(activities[0]["日期"], "2022-01-20");
    // Narrative cells are shown rendered.
    assert_eq!(activities[3]["活动名称"], "第一届“最美退役军人”表彰");
    assert_eq!(
        activities[5]["活动名称"],
        "纪念中国人民志愿军入朝作战七十二周年文艺演出"
    );
}

#[test]
fn help_is_in_chinese() {
    let fixture = Fixture::example();
    let run = fixture.run(&["--help"]);
    assert_eq!(run.code, 0);
    assert!(run.stdout.contains("用法："), "{}", run.stdout);
    assert!(run.stdout.contains("生成报告"), "{}", run.stdout);
    let run = fixture.run(&["build", "--help"]);
    assert!(run.stdout.contains("输出格式"), "{}", run.stdout);
    assert!(!run.stdout.contains("[default"), "{}", run.stdout);
    // No English placeholder in any command's usage line.
    for command in ["build", "check", "context", "forms", "new-year"] {
        let run = fixture.run(&[command, "--help"]);
        assert!(
            run.stdout.contains(&format!("用法：huibao {command} "))
                && run.stdout.contains("[选项]"),
            "{}",
            run.stdout
        );
        assert!(!run.stdout.contains("OPTIONS"), "{}", run.stdout);
    }
    // `huibao help build` is `huibao build --help`; `huibao help` the main help.
    let run = fixture.run(&["help", "build"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(run.stdout, fixture.run(&["build", "--help"]).stdout);
    let run = fixture.run(&["help"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(run.stdout.contains("new-year"), "{}", run.stdout);
}

#[test]
fn changing_the_sheets_changes_the_report() {
    let fixture = Fixture::example();
    let mut sheets = veterans_sheets();
    sheet(&mut sheets, "统计").rows[1][1] = n(5.0);
    sheet(&mut sheets, "活动清单").rows.insert(
        6,
        vec![d(2022, 9, 30), t("烈士纪念日公祭"), t("主题活动"), n(300.0)],
    );
    write_xlsx(
        &fixture.path("data/2022/县退役军人事务局/2022年报告数据.xlsx"),
        &sheets,
    );
    // The same department a year later: the anniversary follows the year.
    std::fs::create_dir_all(fixture.path("data/2023/县退役军人事务局")).unwrap();
    write_xlsx(
        &fixture.path("data/2023/县退役军人事务局/2023年报告数据.xlsx"),
        &veterans_sheets(),
    );

    assert_eq!(fixture.run(&["build", "--year", "2022"]).code, 0);
    let txt = fixture.read(VETERANS_TXT);
    assert!(
        txt.contains("修建5个烈士集中安葬点和6个散葬烈士墓"),
        "{txt}"
    );
    assert!(
        txt.contains("表彰、红色宣讲进校园、烈士纪念日公祭等主题活动"),
        "{txt}"
    );

    let run = fixture.run(&["build"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let txt = fixture.read("output/2023/县退役军人事务局/意识形态工作.txt");
    assert!(
        txt.starts_with("县退役军人事务局关于2023年意识形态工作情况的报告\n"),
        "{txt}"
    );
    assert!(txt.contains("入朝作战七十三周年文艺演出"), "{txt}");
    assert!(txt.contains("荣获2023年度"), "{txt}");
}

#[test]
fn empty_optional_cells_printed_by_a_template_are_errors_not_blanks() {
    let fixture = Fixture::example();
    let mut sheets = veterans_sheets();
    sheet(&mut sheets, "工作要点").rows[1][1] = Cell::Empty;
    write_xlsx(
        &fixture.path("data/2022/县退役军人事务局/2022年报告数据.xlsx"),
        &sheets,
    );
    let run = fixture.run(&["build"]);
    assert_eq!(run.code, 1);
    assert!(
        run.stderr.contains("02-工作总体情况.md 第 4 行"),
        "{}",
        run.stderr
    );
    // The cell too: the clerk fills cells, not templates.
    assert!(
        run.stderr.contains(
            "输出了空值：data/2022/县退役军人事务局/2022年报告数据.xlsx › 工作要点 › B2 是空的，这里要用到它。"
        ),
        "{}",
        run.stderr
    );
}

#[test]
fn an_empty_value_not_printed_from_a_blank_cell_names_no_cell() {
    // A blank cell read in a condition, then an empty value of the template's own printed on
    // another line: the cell is not what was printed, and filling it would not help.
    let fixture = Fixture::example();
    let section = "templates/意识形态工作/02-工作总体情况.md";
    let text = fixture.read(section);
    fixture.write(
        section,
        &format!(
            "{text}\n{{% set ns = namespace(最多=none) %}}{{% for 要点 in 工作要点 %}}{{% if 要点.标题 %}}{{% endif %}}{{% endfor %}}\n{{{{ ns.最多 }}}}\n"
        ),
    );
    let mut sheets = veterans_sheets();
    let rows = &mut sheet(&mut sheets, "工作要点").rows;
    let last = rows.len() - 1;
    rows[last][1] = Cell::Empty;
    write_xlsx(
        &fixture.path("data/2022/县退役军人事务局/2022年报告数据.xlsx"),
        &sheets,
    );
    let run = fixture.run(&[
        "build",
        "--dept",
        "县退役军人事务局",
        "--kind",
        "意识形态工作",
    ]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(
        run.stderr.contains("输出了空值（可能是选填的单元格为空）"),
        "{}",
        run.stderr
    );
    assert!(
        !run.stderr.contains("是空的，这里要用到它"),
        "{}",
        run.stderr
    );
}

#[test]
fn context_can_show_where_every_value_came_from() {
    let fixture = Fixture::example();
    let run = fixture.run(&[
        "context",
        "--dept",
        "县教育体育局",
        "--kind",
        "意识形态工作",
        "--provenance",
    ]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let json: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
    assert_eq!(json["统计"]["主题班会"]["value"], 1300);
    assert_eq!(
        json["统计"]["主题班会"]["at"],
        "data/2022/县教育体育局/统计.csv › B4"
    );
    assert_eq!(
        json["活动清单"][1]["活动名称"]["at"],
        "data/2022/县教育体育局/活动清单.csv › B3"
    );
    assert_eq!(json["活动清单"][1]["活动名称"]["value"], "清明祭英烈");
}

#[test]
fn command_line_mistakes_are_told_in_chinese() {
    let fixture = Fixture::example();
    let run = fixture.run(&["build", "--format", "pdf"]);
    assert_eq!(run.code, 2);
    assert!(
        run.stderr.starts_with("错误：命令行参数有误（取值无效"),
        "{}",
        run.stderr
    );
    assert!(run.stderr.contains("huibao --help"), "{}", run.stderr);
    assert!(
        run.stderr
            .contains("“pdf”不是 --format 能用的值，可选：txt、md、docx"),
        "{}",
        run.stderr
    );
    let run = fixture.run(&["bulid"]);
    assert!(
        run.stderr
            .contains("不认识的命令：bulid，是否写成了“build”？"),
        "{}",
        run.stderr
    );
    let run = fixture.run(&["build", "--year", "abc"]);
    assert!(
        run.stderr.contains("“abc”不是 --year 能用的值"),
        "{}",
        run.stderr
    );
    assert!(!run.stderr.contains("invalid"), "{}", run.stderr);
    let run = fixture.run(&["build", "--dept"]);
    assert!(run.stderr.contains("--dept 后面缺少取值"), "{}", run.stderr);
    let run = fixture.run(&["build", "--jobs", "-1"]);
    assert!(
        run.stderr.contains("“-1”不是 --jobs 能用的值"),
        "{}",
        run.stderr
    );
    let run = fixture.run(&["context", "--dept", "县教育体育局"]);
    assert!(
        run.stderr.contains("缺少必需的参数：没有给出 --kind）"),
        "{}",
        run.stderr
    );
    let run = fixture.run(&["new-year", "--to", "2023", "--to", "2024"]);
    assert!(
        run.stderr.contains("参数互相冲突：--to 只能给一次）"),
        "{}",
        run.stderr
    );
    assert!(!run.stderr.contains("cannot"), "{}", run.stderr);
}

#[test]
fn an_output_location_that_is_a_file_is_told_plainly() {
    let fixture = Fixture::example();
    fixture.write("报告.txt", "不是文件夹\n");
    let run = fixture.run(&["build", "--out", "报告.txt"]);
    assert_eq!(run.code, 1);
    assert!(
        run.stderr
            .contains("输出位置 报告.txt 是一个文件，不是文件夹"),
        "{}",
        run.stderr
    );
    assert_eq!(fixture.read("报告.txt"), "不是文件夹\n");
}

#[test]
fn context_of_a_county_wide_kind_is_what_its_templates_see() {
    let fixture = Fixture::example();
    break_veterans(&fixture);
    let run = fixture.run(&["context", "--kind", "全县汇总"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let json: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
    let names: Vec<&str> = json["departments"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|d| d["dept"].as_str())
        .collect();
    assert_eq!(names, ["县教育体育局", "县文化广电旅游局"], "{json}");
    assert_eq!(json["failed"][0]["dept"], "县退役军人事务局", "{json}");
    assert!(
        json["failed"][0]["reason"]
            .as_str()
            .unwrap()
            .contains("统计 › B2")
    );
    assert_eq!(json["all"]["统计"][0]["中小学校"], 56, "{json}");
    assert!(json.get("dept").is_none(), "{json}");
    let run = fixture.run(&["context", "--kind", "全县汇总", "--provenance"]);
    let json: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
    let at = json["departments"][0]["统计"]["中小学校"]["at"]
        .as_str()
        .unwrap();
    assert!(at.starts_with("data/2022/县教育体育局/统计.csv"), "{at}");
    // One department of a county-wide kind: what each item of `departments` is.
    let run = fixture.run(&["context", "--kind", "全县汇总", "--dept", "县教育体育局"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(
        run.stderr.contains("departments 中的一项"),
        "{}",
        run.stderr
    );
    // A kind made per department needs one.
    let run = fixture.run(&["context", "--kind", "意识形态工作"]);
    assert_eq!(run.code, 1);
    assert!(
        run.stderr.contains("请用 --dept 指定单位"),
        "{}",
        run.stderr
    );
}

#[cfg(unix)]
#[test]
fn a_rebuild_with_nothing_changed_touches_no_file() {
    use std::os::unix::fs::MetadataExt;
    let fixture = Fixture::example();
    assert_eq!(fixture.run(&["build"]).code, 0);
    let inode = |path: &str| std::fs::metadata(fixture.path(path)).unwrap().ino();
    let docx = "output/2022/县退役军人事务局/意识形态工作.docx";
    let (txt_before, docx_before) = (inode(VETERANS_TXT), inode(docx));
    // Every file under output/ with its inode and modification time.
    let tree = || {
        let mut files = Vec::new();
        let mut dirs = vec![fixture.path("output")];
        while let Some(dir) = dirs.pop() {
            for entry in std::fs::read_dir(dir).unwrap().flatten() {
                let meta = entry.metadata().unwrap();
                match meta.is_dir() {
                    true => dirs.push(entry.path()),
                    false => {
                        files.push((entry.path(), meta.ino(), meta.mtime_nsec(), meta.mtime()))
                    }
                }
            }
        }
        files.sort();
        files
    };
    let before = tree();
    let run = fixture.run(&["build"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(
        run.stdout
            .contains("写入 21 个文件到 output（内容与上次相同，均未改动）"),
        "{}",
        run.stdout
    );
    // Not a report, not 汇总.xlsx, not the run record (which keeps the time of the build
    // that wrote it).
    assert_eq!(tree(), before);
    assert!(before.iter().any(|(p, ..)| p.ends_with("生成情况.json")));
    assert_eq!(
        inode(VETERANS_TXT),
        txt_before,
        "an identical report is left as it is"
    );
    assert_eq!(inode(docx), docx_before);

    // A changed figure writes the report anew (atomically: a new file renamed into place).
    veterans_with(&fixture, 4.0);
    let run = fixture.run(&["build"]);
    assert_eq!(run.code, 0);
    assert!(
        run.stdout
            .contains("写入 21 个文件到 output（其中 15 个与上次相同，未改动）"),
        "{}",
        run.stdout
    );
    assert_ne!(inode(VETERANS_TXT), txt_before);
    assert!(fixture.read(VETERANS_TXT).contains("4个烈士集中安葬点"));
    assert_ne!(inode("output/2022/生成情况.json"), before_record(&before));
}

#[cfg(unix)]
fn before_record(tree: &[(std::path::PathBuf, u64, i64, i64)]) -> u64 {
    tree.iter()
        .find(|(p, ..)| p.ends_with("生成情况.json"))
        .map(|(_, ino, ..)| *ino)
        .unwrap()
}

#[test]
fn hundreds_of_departments_within_a_small_open_file_limit() {
    // Files are staged closed: 300 departments' reports under a limit of 64 open files.
    let fixture = Fixture::example();
    let source = fixture.path("data/2022/县退役军人事务局/2022年报告数据.xlsx");
    for i in 0..300 {
        let dir = fixture.path(&format!("data/2022/县第{i:03}局"));
        std::fs::create_dir_all(&dir).unwrap();
        std::fs::copy(&source, dir.join("数据.xlsx")).unwrap();
    }
    let output = std::process::Command::new("sh")
        .arg("-c")
        .arg("ulimit -n 64; exec \"$0\" \"$@\"")
        .arg(env!("CARGO_BIN_EXE_huibao"))
        .args(["build", "--format", "txt,md", "--progress", "none"])
        .current_dir(fixture.dir.path())
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert_eq!(
        output.status.code(),
        Some(0),
        "{stdout}{}",
        String::from_utf8_lossy(&output.stderr)
    );
    assert!(
        stdout.contains("生成 607 份报告，写入 1214 个文件"),
        "{stdout}"
    );
}

#[test]
fn a_second_build_waits_for_the_first_and_leftovers_are_removed() {
    let fixture = Fixture::example();
    // A killed build's temporary file, and a file of the clerk's beside it.
    fixture.write("output/2022/县退役军人事务局/.huibao-a1B2c3", "半个文件");
    fixture.write("output/2022/县退役军人事务局/备注.txt", "我的备注");
    // Another build holds the output folder.
    let lock = std::fs::OpenOptions::new()
        .create(true)
        .truncate(false)
        .write(true)
        .open(fixture.path("output/.huibao.lock"))
        .unwrap();
    lock.lock().unwrap();
    // Quiet about progress, not about waiting: a scheduled task's log says why it paused.
    let child = std::process::Command::new(env!("CARGO_BIN_EXE_huibao"))
        .args(["build", "--format", "txt", "--progress", "none"])
        .current_dir(fixture.dir.path())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    std::thread::sleep(std::time::Duration::from_millis(800));
    assert!(
        !fixture.path(VETERANS_TXT).exists(),
        "nothing is written while the other build holds the folder"
    );
    drop(lock);
    let output = child.wait_with_output().unwrap();
    let stderr = String::from_utf8(output.stderr).unwrap();
    assert_eq!(output.status.code(), Some(0), "{stderr}");
    assert!(
        stderr.contains("另一个 huibao 正在向 output 生成报告"),
        "{stderr}"
    );
    assert_eq!(fixture.read(VETERANS_TXT), support::reference());
    assert!(
        !fixture
            .path("output/2022/县退役军人事务局/.huibao-a1B2c3")
            .exists()
    );
    assert_eq!(
        fixture.read("output/2022/县退役军人事务局/备注.txt"),
        "我的备注"
    );
}

#[test]
fn hand_edited_reports_survive_a_rebuild_and_are_reported() {
    let fixture = Fixture::example();
    assert_eq!(fixture.run(&["build"]).code, 0);
    let dir = "output/2022/县退役军人事务局";
    // A clerk polishes the text and the Word document.
    fixture.write(VETERANS_TXT, "改过的报告\n");
    let docx = fixture.path(&format!("{dir}/意识形态工作.docx"));
    let mut edited = std::fs::read(&docx).unwrap();
    edited.extend_from_slice(b"edited");
    std::fs::write(&docx, &edited).unwrap();
    // The data changes and the report is built again.
    let mut sheets = veterans_sheets();
    sheet(&mut sheets, "统计").rows[1][1] = n(4.0);
    write_xlsx(
        &fixture.path("data/2022/县退役军人事务局/2022年报告数据.xlsx"),
        &sheets,
    );
    let run = fixture.run(&["build"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(fixture.read(VETERANS_TXT).contains("4个烈士集中安葬点"));
    assert_eq!(
        fixture.read(&format!("{dir}/意识形态工作（手工修改版）.txt")),
        "改过的报告\n"
    );
    assert_eq!(
        std::fs::read(fixture.path(&format!("{dir}/意识形态工作（手工修改版）.docx"))).unwrap(),
        edited
    );
    assert!(
        run.stderr
            .contains("意识形态工作.txt 有人改动过，没有覆盖，已改名为"),
        "{}",
        run.stderr
    );
    let record = fixture.read("output/2022/生成情况.txt");
    assert!(
        record.contains(
            "县退役军人事务局/意识形态工作.docx → 县退役军人事务局/意识形态工作（手工修改版）.docx"
        ),
        "{record}"
    );
    // Files huibao wrote itself are replaced without being kept: the other kinds' files.
    assert!(
        !fixture
            .path(&format!("{dir}/数据简报（手工修改版）.txt"))
            .exists()
    );
    // A second edit of the new file is kept under a name of its own.
    fixture.write(VETERANS_TXT, "又改了一次\n");
    sheet(&mut sheets, "统计").rows[1][1] = n(5.0);
    write_xlsx(
        &fixture.path("data/2022/县退役军人事务局/2022年报告数据.xlsx"),
        &sheets,
    );
    assert_eq!(fixture.run(&["build"]).code, 0);
    assert_eq!(
        fixture.read(&format!("{dir}/意识形态工作（手工修改版 2）.txt")),
        "又改了一次\n"
    );
}

#[test]
fn notes_a_person_wrote_in_the_run_record_are_kept() {
    let fixture = Fixture::example();
    assert_eq!(fixture.run(&["build"]).code, 0);
    let record = fixture.read("output/2022/生成情况.txt");
    fixture.write("output/2022/生成情况.txt", &format!("{record}张三已核对\n"));
    // Nothing else changed: the record is written anew, the clerk's notes kept beside it.
    let run = fixture.run(&["build"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(
        fixture.read("output/2022/生成情况（手工修改版）.txt"),
        format!("{record}张三已核对\n")
    );
    assert!(
        run.stderr
            .contains("生成情况.txt 有人改动过，没有覆盖，已改名为"),
        "{}",
        run.stderr
    );
    let new = fixture.read("output/2022/生成情况.txt");
    assert!(!new.contains("张三已核对"), "{new}");
    assert!(
        new.contains("生成情况.txt → 生成情况（手工修改版）.txt"),
        "{new}"
    );
    // The record's own text, unchanged, is left as it is the next time, with what the last
    // run that changed something kept aside.
    let run = fixture.run(&["build"]);
    assert!(
        run.stdout.contains("（内容与上次相同，均未改动）"),
        "{}",
        run.stdout
    );
    assert_eq!(fixture.read("output/2022/生成情况.txt"), new);
    assert!(
        !run.stderr.contains("生成情况.txt 有人改动过"),
        "{}",
        run.stderr
    );

    // With no record of what huibao wrote (the JSON deleted, or unreadable), the text may hold
    // notes all the same: it is kept.
    let record = fixture.read("output/2022/生成情况.txt");
    fixture.write("output/2022/生成情况.txt", &format!("{record}李四已盖章\n"));
    std::fs::remove_file(fixture.path("output/2022/生成情况.json")).unwrap();
    assert_eq!(fixture.run(&["build"]).code, 0);
    assert_eq!(
        fixture.read("output/2022/生成情况（手工修改版 2）.txt"),
        format!("{record}李四已盖章\n")
    );
}

#[test]
fn a_build_killed_between_the_record_and_its_text_leaves_no_false_hand_edit() {
    use sha2::Digest as _;
    let fixture = Fixture::example();
    break_veterans(&fixture);
    assert_eq!(fixture.run(&["build", "--format", "txt"]).code, 1);
    let old_text = fixture.read("output/2022/生成情况.txt");
    veterans_with(&fixture, 4.0);
    assert_eq!(fixture.run(&["build", "--format", "txt"]).code, 0);
    let new_text = fixture.read("output/2022/生成情况.txt");
    assert_ne!(old_text, new_text);
    // As a build killed after it wrote the record and before it wrote the text leaves them:
    // the new record, the old text, and the pending log naming both texts.
    fixture.write("output/2022/生成情况.txt", &old_text);
    let line = |text: &str| {
        let digest = hex::encode(sha2::Sha256::digest(text.as_bytes()));
        format!("[\"生成情况.txt\",\"{digest}\"]\n")
    };
    fixture.write(
        "output/2022/生成情况.进行中.jsonl",
        &(line(&old_text) + &line(&new_text)),
    );
    let run = fixture.run(&["build", "--format", "txt"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(
        !fixture
            .path("output/2022/生成情况（手工修改版）.txt")
            .exists(),
        "{}",
        run.stderr
    );
    assert!(!fixture.path("output/2022/生成情况.进行中.jsonl").exists());
}

#[test]
fn a_failed_report_keeps_its_previous_files_under_another_name() {
    let fixture = Fixture::example();
    assert_eq!(fixture.run(&["build", "--format", "txt"]).code, 0);
    let previous = fixture.read(VETERANS_TXT);
    break_veterans(&fixture);
    let run = fixture.run(&["build", "--format", "txt"]);
    assert_eq!(run.code, 1);
    assert!(
        !fixture.path(VETERANS_TXT).exists(),
        "nothing stale under the current name"
    );
    assert_eq!(
        fixture.read("output/2022/县退役军人事务局/意识形态工作（上次生成的旧版）.txt"),
        previous
    );
    let record = fixture.read("output/2022/生成情况.txt");
    assert!(record.contains("失败的报告"), "{record}");
    assert!(
        record.contains("县退役军人事务局 › 意识形态工作："),
        "{record}"
    );
    let json: serde_json::Value =
        serde_json::from_str(&fixture.read("output/2022/生成情况.json")).unwrap();
    assert!(
        json["files"]["县退役军人事务局/意识形态工作.txt"].is_null(),
        "{json}"
    );
    assert!(
        json["files"]["县教育体育局/意识形态工作.txt"].is_string(),
        "{json}"
    );
    // One line per report of this run (the first run's lines are not carried over): both of
    // the broken department's reports failed, each with its error.
    let reports = json["reports"].as_array().expect("reports");
    let failed: Vec<&serde_json::Value> = reports.iter().filter(|r| r["ok"] == false).collect();
    let kinds: Vec<&str> = failed.iter().filter_map(|r| r["kind"].as_str()).collect();
    assert_eq!(kinds, ["意识形态工作", "数据简报"], "{json}");
    for line in &failed {
        assert_eq!(line["dept"], "县退役军人事务局", "{json}");
        let error = line["error"].as_str().unwrap_or_default();
        assert!(error.contains("统计 › B2"), "{json}");
    }
    assert!(
        reports
            .iter()
            .filter(|r| r["ok"] == true)
            .all(|r| r.get("error").is_none())
    );
    assert_eq!(reports.len(), 7, "{json}");
    let builds = fixture.run(&["build", "--format", "txt"]);
    let again: serde_json::Value =
        serde_json::from_str(&fixture.read("output/2022/生成情况.json")).unwrap();
    assert_eq!(builds.code, 1);
    assert_eq!(
        again["reports"].as_array().map(Vec::len),
        Some(reports.len())
    );
}

#[test]
fn a_first_run_of_some_departments_says_the_county_files_are_not_made_yet() {
    // Not "still last time's": there was no last time.
    let fixture = Fixture::example();
    let run = fixture.run(&["build", "--format", "txt", "--dept", "县教育体育局"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(
        run.stderr.contains(
            "用 --dept 只选了部分单位时不生成。输出文件夹里还没有它：不带 --dept 生成一次即可。"
        ),
        "{}",
        run.stderr
    );
    assert!(!run.stderr.contains("仍是上次"), "{}", run.stderr);
    let record = fixture.read("output/2022/生成情况.txt");
    assert!(
        record.contains("只在生成全部报告时生成，还没有生成过：不带 --dept、--kind 生成一次即可。"),
        "{record}"
    );
    assert!(!record.contains("仍是上次"), "{record}");
    // Once made, a run of some says they are last time's.
    assert_eq!(fixture.run(&["build", "--format", "txt"]).code, 0);
    let run = fixture.run(&["build", "--format", "txt", "--dept", "县教育体育局"]);
    assert!(
        run.stderr
            .contains("输出文件夹里的全县汇总仍是上次不带 --dept 生成的"),
        "{}",
        run.stderr
    );
}

#[test]
fn a_run_of_some_departments_carries_over_the_failures_it_did_not_build_again() {
    let fixture = Fixture::example();
    break_veterans(&fixture);
    assert_eq!(fixture.run(&["build", "--format", "txt"]).code, 1);
    // Only another department is built again: it goes well, but the year's record still
    // says the broken department has no current reports, and the run says so too.
    let run = fixture.run(&["build", "--format", "txt", "--dept", "县教育体育局"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(
        run.stderr
            .contains("还有 2 份报告（县退役军人事务局 › 意识形态工作 等）之前生成失败"),
        "{}",
        run.stderr
    );
    let record = fixture.read("output/2022/生成情况.txt");
    assert!(record.contains("生成 2 份报告，0 份失败。"), "{record}");
    assert!(
        record.contains("另有 5 份报告是之前生成的，这次没有重新生成，其中 2 份失败："),
        "{record}"
    );
    assert!(
        record.contains("- 县退役军人事务局 › 意识形态工作，生成于 "),
        "{record}"
    );
    // The files of all departments are the last build of everything's, and both say so.
    assert!(
        record.contains(
            "按全部单位汇总的文件（全县汇总的报告、汇总.xlsx）只在生成全部报告时更新，仍是上次的"
        ),
        "{record}"
    );
    assert!(
        run.stderr.contains(
            "提示：output/2022/汇总.xlsx：汇总表只在不带 --dept、--kind 生成全部报告时更新；现在的仍是上次生成全部报告时的"
        ),
        "{}",
        run.stderr
    );
    let json: serde_json::Value =
        serde_json::from_str(&fixture.read("output/2022/生成情况.json")).unwrap();
    let reports = json["reports"].as_array().expect("reports");
    // This run's two lines first, then the five carried over, each with when it was made.
    assert_eq!(reports.len(), 7, "{json}");
    assert!(
        reports[..2]
            .iter()
            .all(|r| r["dept"] == "县教育体育局" && r.get("built").is_none())
    );
    assert!(
        reports[2..].iter().all(|r| r["built"].is_string()),
        "{json}"
    );
    let failed: Vec<&serde_json::Value> = reports.iter().filter(|r| r["ok"] == false).collect();
    assert_eq!(failed.len(), 2, "{json}");
    assert!(failed.iter().all(|r| r["dept"] == "县退役军人事务局"));
    assert!(
        failed
            .iter()
            .all(|r| r["error"].as_str().unwrap_or("").contains("统计 › B2"))
    );
    // A full build starts the record afresh: this run's lines only.
    assert_eq!(fixture.run(&["build", "--format", "txt"]).code, 1);
    let json: serde_json::Value =
        serde_json::from_str(&fixture.read("output/2022/生成情况.json")).unwrap();
    let reports = json["reports"].as_array().expect("reports");
    assert_eq!(reports.len(), 7, "{json}");
    assert!(reports.iter().all(|r| r.get("built").is_none()), "{json}");
    assert!(!fixture.read("output/2022/生成情况.txt").contains("另有"));
}

#[test]
fn reports_of_a_department_whose_folder_is_gone_are_left_and_said() {
    let fixture = Fixture::example();
    assert_eq!(fixture.run(&["build", "--format", "txt"]).code, 0);
    let old = fixture.read("output/2022/县文化广电旅游局/意识形态工作.txt");
    // The department's folder is renamed (or removed): its earlier reports stay, as a person
    // may need them, and every build says they are not this run's.
    std::fs::rename(
        fixture.path("data/2022/县文化广电旅游局"),
        fixture.path("data/县文化广电旅游局（旧）"),
    )
    .unwrap();
    for _ in 0..2 {
        let run = fixture.run(&["build", "--format", "txt"]);
        assert_eq!(run.code, 0, "{}", run.stderr);
        assert!(
            run.stderr.contains(
                "output/2022/县文化广电旅游局：这个文件夹里是以前生成的报告，这次没有重新生成：没有 data/2022/县文化广电旅游局 文件夹了。"
            ),
            "{}",
            run.stderr
        );
        assert_eq!(
            run.stderr.matches("这个文件夹里是以前生成的报告").count(),
            1
        );
    }
    assert_eq!(
        fixture.read("output/2022/县文化广电旅游局/意识形态工作.txt"),
        old
    );
    // Moved away, nothing more is said.
    std::fs::rename(
        fixture.path("output/2022/县文化广电旅游局"),
        fixture.path("output/县文化广电旅游局"),
    )
    .unwrap();
    let run = fixture.run(&["build", "--format", "txt"]);
    assert!(!run.stderr.contains("以前生成的报告"), "{}", run.stderr);
}

#[test]
fn a_narrower_format_leaves_no_stale_files_beside_the_new_ones() {
    let fixture = Fixture::example();
    assert_eq!(fixture.run(&["build"]).code, 0);
    let dir = "output/2022/县退役军人事务局";
    let docx = format!("{dir}/意识形态工作.docx");
    // Nothing changed: the .docx still matches the report, and stays.
    assert_eq!(fixture.run(&["build", "--format", "txt"]).code, 0);
    assert!(fixture.path(&docx).is_file());
    // The data changes and only the text is built: the old .docx and .md are set aside.
    veterans_with(&fixture, 4.0);
    assert_eq!(fixture.run(&["build", "--format", "txt"]).code, 0);
    assert!(fixture.read(VETERANS_TXT).contains("4个烈士集中安葬点"));
    assert!(!fixture.path(&docx).exists());
    assert!(
        fixture
            .path(&format!("{dir}/意识形态工作（上次生成的旧版）.docx"))
            .is_file()
    );
    assert!(
        fixture
            .path(&format!("{dir}/意识形态工作（上次生成的旧版）.md"))
            .is_file()
    );
}

#[test]
fn a_full_disk_costs_no_previous_report() {
    let fixture = Fixture::example();
    assert_eq!(fixture.run(&["build", "--format", "txt"]).code, 0);
    let previous = fixture.read(VETERANS_TXT);
    // A clerk corrected the other report by hand.
    let brief = "output/2022/县退役军人事务局/数据简报.txt";
    fixture.write(brief, "改过的简报\n");
    veterans_with(&fixture, 4.0);
    // HUIBAO_DISK_FULL_IN (debug builds only) makes writing there fail as a full disk does.
    let run = fixture.run_env(
        &["build", "--format", "txt", "--progress", "none"],
        &[("HUIBAO_DISK_FULL_IN", "县退役军人事务局")],
    );
    let stderr = run.stderr;
    assert_eq!(run.code, 1, "{stderr}");
    assert!(stderr.contains("磁盘已满"), "{stderr}");
    assert_eq!(
        fixture.read("output/2022/县退役军人事务局/意识形态工作（上次生成的旧版）.txt"),
        previous
    );
    // The hand-corrected report is kept, and said where: a write that failed never moved it
    // aside unseen.
    assert_eq!(
        fixture.read("output/2022/县退役军人事务局/数据简报（手工修改版）.txt"),
        "改过的简报\n"
    );
    let record = fixture.read("output/2022/生成情况.txt");
    assert!(
        record.contains(
            "- 县退役军人事务局/数据简报.txt → 县退役军人事务局/数据简报（手工修改版）.txt"
        ),
        "{record}"
    );
    assert!(
        fixture
            .path("output/2022/县教育体育局/意识形态工作.txt")
            .is_file()
    );
}

#[cfg(unix)]
#[test]
fn a_file_size_limit_fails_the_writes_not_the_process() {
    // `ulimit -f`: beyond it the system sends SIGXFSZ, which would kill huibao in the middle
    // of a write with no message and the last run's record left as it was.
    let fixture = Fixture::example();
    assert_eq!(fixture.run(&["build", "--format", "txt"]).code, 0);
    veterans_with(&fixture, 4.0);
    // Blocks of 512 bytes (POSIX sh): the reports fit, the Word documents and 汇总.xlsx do not.
    let run = fixture.run_under(
        "ulimit -f 24; exec",
        &["build", "--format", "txt,docx", "--progress", "none"],
    );
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(run.stderr.contains("文件太大"), "{}", run.stderr);
    // Written by this run, which says what failed and why.
    let record = fixture.read("output/2022/生成情况.txt");
    assert!(record.contains("文件太大"), "{record}");
}

#[test]
fn a_run_record_that_cannot_be_written_does_not_go_on_telling_the_last_run() {
    let fixture = Fixture::example();
    assert_eq!(fixture.run(&["build", "--format", "txt"]).code, 0);
    let last = fixture.read("output/2022/生成情况.txt");
    veterans_with(&fixture, 4.0);
    // The year's folder full: its files (the record among them) cannot be written.
    let run = fixture.run_env(
        &["build", "--format", "txt", "--progress", "none"],
        &[("HUIBAO_DISK_FULL_IN", "2022")],
    );
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(
        run.stderr.contains("错误：生成记录没有写成：") && run.stderr.contains("磁盘已满"),
        "{}",
        run.stderr
    );
    // Its text, still saying 0 份失败, is not left under its name; it is kept aside, and said.
    assert!(!fixture.path("output/2022/生成情况.txt").exists());
    assert_eq!(
        fixture.read("output/2022/生成情况（上次生成的旧版）.txt"),
        last
    );
    assert!(
        run.stderr.contains(
            "生成情况.txt 不再是当前的报告，已改名为 output/2022/生成情况（上次生成的旧版）.txt"
        ),
        "{}",
        run.stderr
    );
    // With room again, the next build writes its record.
    let run = fixture.run(&["build", "--format", "txt"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(
        fixture
            .read("output/2022/生成情况.txt")
            .contains("0 份失败")
    );
}

/// Breaks the veterans' data (text in a number cell), so their reports fail.
fn break_veterans(fixture: &Fixture) {
    veterans_statistic(fixture, t("三个"));
}

/// The veterans' data with another first statistic (烈士集中安葬点).
fn veterans_with(fixture: &Fixture, value: f64) {
    veterans_statistic(fixture, n(value));
}

fn veterans_statistic(fixture: &Fixture, value: Cell) {
    let mut sheets = veterans_sheets();
    sheet(&mut sheets, "统计").rows[1][1] = value;
    write_xlsx(
        &fixture.path("data/2022/县退役军人事务局/2022年报告数据.xlsx"),
        &sheets,
    );
}

#[test]
fn an_edited_old_version_survives_the_next_failure() {
    let fixture = Fixture::example();
    let dir = "output/2022/县退役军人事务局";
    assert_eq!(fixture.run(&["build", "--format", "txt"]).code, 0);
    break_veterans(&fixture);
    assert_eq!(fixture.run(&["build", "--format", "txt"]).code, 1);
    // The clerk works on the old version while the data is fixed.
    let old = format!("{dir}/意识形态工作（上次生成的旧版）.txt");
    fixture.write(&old, "在旧版上改的\n");
    veterans_with(&fixture, 3.0);
    assert_eq!(fixture.run(&["build", "--format", "txt"]).code, 0);
    break_veterans(&fixture);
    assert_eq!(fixture.run(&["build", "--format", "txt"]).code, 1);
    assert_eq!(fixture.read(&old), "在旧版上改的\n");
    assert!(
        fixture
            .path(&format!("{dir}/意识形态工作（上次生成的旧版 2）.txt"))
            .is_file()
    );
}

#[test]
fn a_failed_narrow_build_leaves_no_format_under_a_current_name() {
    let fixture = Fixture::example();
    assert_eq!(fixture.run(&["build"]).code, 0);
    break_veterans(&fixture);
    assert_eq!(fixture.run(&["build", "--format", "txt"]).code, 1);
    let dir = "output/2022/县退役军人事务局";
    for ext in ["txt", "md", "docx"] {
        assert!(
            !fixture.path(&format!("{dir}/意识形态工作.{ext}")).exists(),
            "{ext}"
        );
        assert!(
            fixture
                .path(&format!("{dir}/意识形态工作（上次生成的旧版）.{ext}"))
                .is_file(),
            "{ext}"
        );
    }
}

#[test]
fn a_record_behind_the_files_takes_nothing_for_a_hand_edit() {
    // As a build killed between putting files in place and recording them leaves it: the
    // record's entries are the old hashes, the new ones in the pending log.
    let fixture = Fixture::example();
    record_behind(&fixture, &[None], b"");
    veterans_with(&fixture, 4.0);
    let run = fixture.run(&["build", "--format", "txt"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(!run.stderr.contains("有人改动过"), "{}", run.stderr);
    assert!(!fixture.path("output/2022/生成情况.进行中.jsonl").exists());
}

/// Builds the example, then leaves its record as a build killed between putting files in
/// place and recording them does: every entry's hash zeroed, the pending log naming every
/// file once per pass (with its real hash for `None`, else the one given), then `tail`.
fn record_behind(fixture: &Fixture, passes: &[Option<&str>], tail: &[u8]) {
    assert_eq!(fixture.run(&["build", "--format", "txt"]).code, 0);
    let record = fixture.path("output/2022/生成情况.json");
    let mut json: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&record).unwrap()).unwrap();
    let files = json["files"].as_object_mut().unwrap();
    let mut log = Vec::new();
    for pass in passes {
        for (file, hash) in files.iter() {
            let hash = pass.map_or(hash.clone(), serde_json::Value::from);
            log.extend(serde_json::json!([file, hash]).to_string().into_bytes());
            log.push(b'\n');
        }
    }
    log.extend(tail);
    for (_, hash) in files.iter_mut() {
        *hash = serde_json::Value::from("0".repeat(64));
    }
    std::fs::write(&record, json.to_string()).unwrap();
    std::fs::write(fixture.path("output/2022/生成情况.进行中.jsonl"), &log).unwrap();
}

#[test]
fn two_builds_killed_one_after_the_other_leave_nothing_taken_for_a_hand_edit() {
    // The first put its files in place and was killed before its record; the second logged
    // other contents for the same files and was killed before putting them in place: the log
    // gives each path two hashes, and the files hold the first.
    let fixture = Fixture::example();
    record_behind(&fixture, &[None, Some(&"1".repeat(64))], b"");
    veterans_with(&fixture, 4.0);
    let run = fixture.run(&["build", "--format", "txt"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(!run.stderr.contains("有人改动过"), "{}", run.stderr);
    for dept in ["县教育体育局", "县文化广电旅游局", "县退役军人事务局"] {
        let names = fixture.names_in(&format!("output/2022/{dept}"));
        assert!(names.iter().all(|n| !n.contains("（")), "{names:?}");
    }
}

#[test]
fn a_build_of_some_departments_still_tells_what_an_earlier_build_kept_of_the_others() {
    let fixture = Fixture::example();
    assert_eq!(fixture.run(&["build", "--format", "txt"]).code, 0);
    fixture.write(VETERANS_TXT, "改过的报告\n");
    let run = fixture.run(&["build", "--format", "txt"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let line =
        "- 县退役军人事务局/意识形态工作.txt → 县退役军人事务局/意识形态工作（手工修改版）.txt";
    assert!(fixture.read("output/2022/生成情况.txt").contains(line));
    // A build of another department rewrites the record (its report lines now say which
    // were made when) and still names the veterans' report kept aside, in both files.
    let run = fixture.run(&["build", "--format", "txt", "--dept", "县教育体育局"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let text = fixture.read("output/2022/生成情况.txt");
    assert!(text.contains("这次只生成了选定的单位"), "{text}");
    assert!(text.contains(line), "{text}");
    let json: serde_json::Value =
        serde_json::from_str(&fixture.read("output/2022/生成情况.json")).unwrap();
    assert_eq!(json["kept"][0][0], "县退役军人事务局/意识形态工作.txt");
    // A build of the veterans themselves made that report again: the line is that run's past.
    let run = fixture.run(&["build", "--format", "txt", "--dept", "县退役军人事务局"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let text = fixture.read("output/2022/生成情况.txt");
    assert!(!text.contains(line), "{text}");
    // A full build that keeps nothing aside says nothing kept.
    let run = fixture.run(&["build", "--format", "txt"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(
        !fixture
            .read("output/2022/生成情况.txt")
            .contains("已改名保留")
    );
    // With no record to read back, a build of some departments says it made only those and
    // cannot tell the rest.
    std::fs::remove_file(fixture.path("output/2022/生成情况.json")).unwrap();
    let run = fixture.run(&["build", "--format", "txt", "--dept", "县教育体育局"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let text = fixture.read("output/2022/生成情况.txt");
    assert!(text.contains("这次只生成了选定的单位或报告种类"), "{text}");
    assert!(text.contains("其余报告的情况不明"), "{text}");
    // Nor can the next build of some, though it finds that record: it covers two reports.
    let run = fixture.run(&["build", "--format", "txt", "--dept", "县退役军人事务局"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let text = fixture.read("output/2022/生成情况.txt");
    assert!(text.contains("其余报告的情况不明"), "{text}");
    // A build of everything covers the year again.
    assert_eq!(fixture.run(&["build", "--format", "txt"]).code, 0);
    let run = fixture.run(&["build", "--format", "txt", "--dept", "县退役军人事务局"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let text = fixture.read("output/2022/生成情况.txt");
    assert!(text.contains("另有 5 份报告是之前生成的"), "{text}");
}

#[test]
fn a_county_reports_kept_line_goes_with_the_build_that_makes_it_again() {
    let fixture = Fixture::example();
    assert_eq!(fixture.run(&["build", "--format", "txt"]).code, 0);
    fixture.write("output/2022/全县汇总.txt", "改过的汇总\n");
    assert_eq!(fixture.run(&["build", "--format", "txt"]).code, 0);
    let line = "- 全县汇总.txt → 全县汇总（手工修改版）.txt";
    // A build of another kind carries it; one of the county-wide kind made that report
    // again: the line is that run's past.
    let run = fixture.run(&["build", "--format", "txt", "--kind", "数据简报"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(fixture.read("output/2022/生成情况.txt").contains(line));
    let run = fixture.run(&["build", "--format", "txt", "--kind", "全县汇总"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let text = fixture.read("output/2022/生成情况.txt");
    assert!(!text.contains(line), "{text}");
}

#[test]
fn a_corrupt_record_is_kept_aside_and_said() {
    let fixture = Fixture::example();
    assert_eq!(fixture.run(&["build", "--format", "txt"]).code, 0);
    fixture.write("output/2022/生成情况.json", "{ 不是 JSON");
    fixture.write(
        "output/2022/.huibao-leftover",
        "killed while writing the record",
    );
    veterans_with(&fixture, 4.0);
    let run = fixture.run(&["build", "--format", "txt"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(
        run.stderr
            .contains("生成记录无法读取（第 1 行第 3 列处不是有效的 JSON"),
        "{}",
        run.stderr
    );
    assert_eq!(
        fixture.read("output/2022/生成情况（无法读取）.json"),
        "{ 不是 JSON"
    );
    assert!(!fixture.path("output/2022/.huibao-leftover").exists());
    // Without a record, the changed report's previous file is kept rather than overwritten.
    assert!(
        fixture
            .path("output/2022/县退役军人事务局/意识形态工作（手工修改版）.txt")
            .is_file()
    );
}

#[test]
fn a_killed_builds_pending_files_are_recorded_by_a_narrower_build() {
    // A build was killed after putting the veterans' files in place; the next build is for
    // another department only, yet takes them into the record.
    let fixture = Fixture::example();
    assert_eq!(fixture.run(&["build", "--format", "txt"]).code, 0);
    let record = fixture.path("output/2022/生成情况.json");
    let mut json: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&record).unwrap()).unwrap();
    let file = "县退役军人事务局/意识形态工作.txt";
    let hash = json["files"][file].clone();
    json["files"][file] = serde_json::Value::from("0".repeat(64));
    std::fs::write(&record, json.to_string()).unwrap();
    fixture.write(
        "output/2022/生成情况.进行中.jsonl",
        &format!("{}\n", serde_json::json!([file, hash])),
    );
    let run = fixture.run(&["build", "--format", "txt", "--dept", "县教育体育局"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let json: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&record).unwrap()).unwrap();
    assert_eq!(json["files"][file], hash);
}

#[test]
fn the_run_record_tells_the_local_time_with_its_offset() {
    let fixture = Fixture::example();
    let before = chrono::Utc::now() + chrono::Duration::hours(8);
    let output = std::process::Command::new(env!("CARGO_BIN_EXE_huibao"))
        .args(["build", "--format", "txt"])
        .env("TZ", "CST-8")
        .current_dir(fixture.dir.path())
        .output()
        .unwrap();
    let after = chrono::Utc::now() + chrono::Duration::hours(8);
    assert_eq!(output.status.code(), Some(0));
    let record = fixture.read("output/2022/生成情况.txt");
    let first = record.lines().next().unwrap();
    let stamp = |t: chrono::DateTime<chrono::Utc>| {
        format!("{}（UTC+08:00）", t.format("%Y-%m-%d %H:%M:%S"))
    };
    // The build took a moment: its time is one of the seconds between.
    let seconds = (after - before).num_seconds();
    assert!(
        (0..=seconds + 1).any(|s| first.contains(&stamp(before + chrono::Duration::seconds(s)))),
        "{first}"
    );
    let json = fixture.read("output/2022/生成情况.json");
    assert!(json.contains("（UTC+08:00）"), "{json}");
}

/// The run record's entries leave memory for a temporary file as the departments are built.
/// With no temporary folder, or one that fills up halfway through, they stay in memory: the
/// record is the same, in the same order.
#[test]
fn the_run_record_is_the_same_whatever_becomes_of_its_temporary_file() {
    let fixture = Fixture::example();
    let files = |out: &str| -> Vec<(String, serde_json::Value)> {
        let json: serde_json::Value =
            serde_json::from_str(&fixture.read(&format!("{out}/2022/生成情况.json"))).unwrap();
        let files = json["files"].as_object().unwrap();
        files.iter().map(|(k, v)| (k.clone(), v.clone())).collect()
    };
    let run = fixture.run(&["build", "--format", "txt", "--out", "plain"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let expected = files("plain");
    assert!(
        expected.len() > 6
            && expected
                .iter()
                .any(|(k, _)| k == "县退役军人事务局/意识形态工作.txt"),
        "{expected:?}"
    );

    let run = fixture.run_env(
        &["build", "--format", "txt", "--out", "full"],
        &[("HUIBAO_RECORD_SPILL_FULL", "1")],
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(files("full"), expected);
    // And the next build takes every file for its own.
    let run = fixture.run(&["build", "--format", "txt", "--out", "full"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(!run.stderr.contains("有人改动过"), "{}", run.stderr);
    assert_eq!(files("full"), expected);

    // Without a temporary folder the summary workbook fails alone; the record has the rest.
    let run = fixture.run_without_temp(&["build", "--format", "txt", "--out", "untemp"]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    let without: Vec<_> = expected
        .iter()
        .filter(|(k, _)| k != "汇总.xlsx")
        .cloned()
        .collect();
    assert_eq!(files("untemp"), without);
}

/// A chunk's files are put in place only once the pending log names them: with a log that
/// cannot be appended to (a full disk), a killed build would otherwise leave files the next
/// build takes for a person's.
#[test]
fn files_the_pending_log_cannot_name_are_not_put_in_place() {
    let fixture = Fixture::example();
    assert_eq!(fixture.run(&["build", "--format", "txt"]).code, 0);
    let before = fixture.read(VETERANS_TXT);
    veterans_with(&fixture, 4.0);
    let run = fixture.run_env(
        &["build", "--format", "txt"],
        &[("HUIBAO_PENDING_LOG_FULL", "1")],
    );
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(
        run.stderr
            .contains("生成情况.进行中.jsonl：无法写入（磁盘已满"),
        "{}",
        run.stderr
    );
    // The veterans' new report is not in place; their last one is kept as such.
    assert!(!fixture.path(VETERANS_TXT).exists());
    let aside = VETERANS_TXT.replace(".txt", "（上次生成的旧版）.txt");
    assert_eq!(fixture.read(&aside), before);
    // The half-written lines were cut off.
    let log = fixture.path("output/2022/生成情况.进行中.jsonl");
    let log = std::fs::read_to_string(&log).unwrap_or_default();
    assert!(log.is_empty(), "{log}");
    let run = fixture.run(&["build", "--format", "txt"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(!run.stderr.contains("有人改动过"), "{}", run.stderr);
    assert!(fixture.path(VETERANS_TXT).exists());
    let edited = VETERANS_TXT.replace(".txt", "（手工修改版）.txt");
    assert!(!fixture.path(&edited).exists());
}

/// A pending log whose last line was cut short (in the middle of a character, on a full disk)
/// costs only that line.
#[test]
fn a_pending_log_cut_short_costs_only_its_last_line() {
    let fixture = Fixture::example();
    record_behind(&fixture, &[None], b"[\"\xe5\x8e");
    veterans_with(&fixture, 4.0);
    // A build that appends to that log and is killed after putting its files in place: its
    // first line must not join the one cut short.
    let run = fixture.run_env(
        &["build", "--format", "txt"],
        &[("HUIBAO_KILL_AFTER_PUTTING_IN_PLACE", "1")],
    );
    assert_ne!(run.code, 0, "{}", run.stderr);
    veterans_with(&fixture, 5.0);
    let run = fixture.run(&["build", "--format", "txt"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(!run.stderr.contains("有人改动过"), "{}", run.stderr);
}
