//! Example and fixture data, written as real workbooks (rust_xlsxwriter) and as CSV files
//! in GBK, the way Excel on Chinese Windows saves them.
//!
//! `cargo run --example example_data` writes the shipped example under `data/` from here;
//! the tests use the same functions to build workspaces with changed data.

use std::path::Path;

use rust_xlsxwriter::{DocProperties, ExcelDateTime, Format, Workbook};

/// A cell of a fixture sheet.
#[derive(Debug, Clone, PartialEq)]
pub enum Cell {
    Empty,
    Text(String),
    Number(f64),
    Date(u16, u8, u8),
}

pub fn t(text: &str) -> Cell {
    Cell::Text(text.to_owned())
}

pub fn n(value: f64) -> Cell {
    Cell::Number(value)
}

pub fn d(year: u16, month: u8, day: u8) -> Cell {
    Cell::Date(year, month, day)
}

#[derive(Debug, Clone)]
pub struct Sheet {
    pub name: String,
    pub rows: Vec<Vec<Cell>>,
}

impl Sheet {
    pub fn new(name: &str, rows: Vec<Vec<Cell>>) -> Sheet {
        Sheet {
            name: name.to_owned(),
            rows,
        }
    }
}

/// Finds a sheet by name, for tests that change one.
pub fn sheet<'a>(sheets: &'a mut [Sheet], name: &str) -> &'a mut Sheet {
    sheets
        .iter_mut()
        .find(|s| s.name == name)
        .unwrap_or_else(|| panic!("no sheet {name}"))
}

/// Sets a record sheet's value for `key` (the row whose first cell is `key`).
pub fn set_record(sheets: &mut [Sheet], name: &str, key: &str, value: Cell) {
    let row = sheet(sheets, name)
        .rows
        .iter_mut()
        .find(|r| r[0] == t(key))
        .unwrap_or_else(|| panic!("no {key} in {name}"));
    row[1] = value;
}

/// Writes the sheets as one workbook, byte for byte the same on every run.
pub fn write_xlsx(path: &Path, sheets: &[Sheet]) {
    let mut workbook = Workbook::new();
    let created = ExcelDateTime::from_ymd(2022, 12, 1).expect("a valid date");
    workbook.set_properties(&DocProperties::new().set_creation_datetime(&created));
    let date_format = Format::new().set_num_format("yyyy-mm-dd");
    for sheet in sheets {
        let worksheet = workbook.add_worksheet();
        worksheet.set_name(&sheet.name).expect("a valid sheet name");
        for (r, row) in sheet.rows.iter().enumerate() {
            for (c, cell) in row.iter().enumerate() {
                let (r, c) = (r as u32, c as u16);
                match cell {
                    Cell::Empty => {}
                    Cell::Text(text) => {
                        worksheet.write_string(r, c, text).expect("cell written");
                    }
                    Cell::Number(value) => {
                        worksheet.write_number(r, c, *value).expect("cell written");
                    }
                    Cell::Date(y, m, dd) => {
                        let date = ExcelDateTime::from_ymd(*y, *m, *dd).expect("a valid date");
                        worksheet
                            .write_datetime_with_format(r, c, &date, &date_format)
                            .expect("cell written");
                    }
                }
            }
        }
        worksheet.set_column_width(0, 16).expect("width set");
        worksheet.set_column_width(1, 40).expect("width set");
        worksheet.set_column_width(2, 60).expect("width set");
    }
    workbook.save(path).expect("workbook saved");
}

/// Writes each sheet as `<name>.csv` in GB18030 without a BOM, with CRLF line ends and dates
/// as `2022/3/5` — what "CSV（逗号分隔）" in Excel on Chinese Windows produces.
pub fn write_csv_gbk(dir: &Path, sheets: &[Sheet]) {
    for sheet in sheets {
        let mut writer = csv::WriterBuilder::new()
            .terminator(csv::Terminator::CRLF)
            .flexible(true)
            .from_writer(Vec::new());
        for row in &sheet.rows {
            let fields: Vec<String> = row
                .iter()
                .map(|cell| match cell {
                    Cell::Empty => String::new(),
                    Cell::Text(text) => text.clone(),
                    Cell::Number(value) => value.to_string(),
                    Cell::Date(y, m, dd) => format!("{y}/{m}/{dd}"),
                })
                .collect();
            writer.write_record(&fields).expect("row written");
        }
        let text = String::from_utf8(writer.into_inner().expect("flushed")).expect("UTF-8");
        let (bytes, _, unmappable) = encoding_rs::GB18030.encode(&text);
        assert!(!unmappable, "GB18030 maps every character");
        std::fs::write(dir.join(format!("{}.csv", sheet.name)), bytes).expect("CSV written");
    }
}

/// The shipped example: `data/<year>/<department>/`, each department in its own format.
pub fn write_example(data: &Path) {
    let veterans = data.join("2022/县退役军人事务局");
    let culture = data.join("2022/县文化广电旅游局");
    let education = data.join("2022/县教育体育局");
    let culture_2021 = data.join("2021/县文化广电旅游局");
    for dir in [&veterans, &culture, &education, &culture_2021] {
        std::fs::create_dir_all(dir).expect("folder created");
    }
    write_xlsx(&veterans.join("2022年报告数据.xlsx"), &veterans_sheets());
    write_xlsx(&culture.join("2022年报告数据.xlsx"), &culture_sheets());
    write_csv_gbk(&education, &education_sheets());
    write_xlsx(
        &culture_2021.join("2021年报告数据.xlsx"),
        &culture_2021_sheets(),
    );
}

/// 县退役军人事务局, 2022: the data behind the reference report.
pub fn veterans_sheets() -> Vec<Sheet> {
    vec![
        Sheet::new(
            "概况",
            vec![
                vec![t("项目"), t("内容")],
                vec![
                    t("开篇"),
                    t(
                        "以牢守稳定为底线，坚持稳字当头、稳中求进，贯彻落实省、市、县决策部署，积极推动双拥共建，扎实推广“尊崇工作法”，认真落实重点工作任务，着力完善退役军人服务保障体系，以打造让党放心、人民满意的模范机关为抓手，与时俱进、提振精神、转变作风，凝聚力量奋进新征程。",
                    ),
                ],
            ],
        ),
        Sheet::new(
            "统计",
            vec![
                vec![t("指标"), t("数值")],
                vec![t("烈士集中安葬点"), n(3.0)],
                vec![t("散葬烈士墓"), n(6.0)],
                vec![t("最美退役军人表彰届次"), n(1.0)],
                vec![t("最美退役军人表彰人数"), n(10.0)],
                vec![t("文明榜样发布会届次"), n(4.0)],
            ],
        ),
        Sheet::new(
            "活动清单",
            vec![
                vec![t("日期"), t("活动名称"), t("类别"), t("参与人数")],
                vec![
                    d(2022, 1, 20),
                    t("为立功受奖家庭送喜报"),
                    t("主题活动"),
                    n(45.0),
                ],
                vec![d(2022, 1, 28), t("看望慰问烈属"), t("主题活动"), n(60.0)],
                vec![d(2022, 4, 2), t("缅怀革命先烈"), t("主题活动"), n(120.0)],
                vec![
                    d(2022, 8, 1),
                    t("{{ 统计.最美退役军人表彰届次 | cn_ordinal }}届“最美退役军人”表彰"),
                    t("主题活动"),
                    n(200.0),
                ],
                vec![d(2022, 9, 15), t("红色宣讲进校园"), t("主题活动"), n(800.0)],
                vec![
                    d(2022, 10, 25),
                    t("纪念中国人民志愿军入朝作战{{ (year - 1950) | cn_number }}周年文艺演出"),
                    t("承办活动"),
                    n(500.0),
                ],
                vec![d(2022, 6, 28), t("坚定信念跟党走"), t("红色教育"), n(35.0)],
                vec![
                    d(2022, 11, 10),
                    t("加强党风廉政建设"),
                    t("红色教育"),
                    n(35.0),
                ],
            ],
        ),
        Sheet::new(
            "工作要点",
            vec![
                vec![t("部分"), t("标题"), t("内容")],
                vec![
                    t("工作总体情况"),
                    t("坚持培根铸魂，强化思想政治建设质量。"),
                    t(
                        "抓好理论学习。坚持学习强国日日学，提高干部学习积极性、主动性；坚持学习党的科学理论成果、创新理论成果及重要讲话精神，汲取思想、智慧和力量，着力筑牢思想根基、思想防线。抓好信息宣传。持续提升新闻宣传，注重在拓展信息的高度、挖掘信息的深度上下功夫，积极发现、挖掘各项工作中的素材和信息；贯彻执行“三审三校”工作要求，提高意识形态领域舆情预判、分析、处理等能力。抓基层党组织建设，持续推进基层党组织“三化”建设，完成党支部委员换届选举，优化支委成员设置，进一步激发基层党建新活力，丰富党的组织生活形式，抓好党员思想教育建设。",
                    ),
                ],
                vec![
                    t("工作总体情况"),
                    t("坚持文化引领，提升精神文明建设水平。"),
                    t(
                        "履践传承红色基因使命，巩固党史学习教育成果，围绕“让退役军人成为全社会尊重的人，让军人成为全社会尊崇的职业”，扎实开展{{ 活动清单 | selectattr(\"类别\", \"eq\", \"主题活动\") | map(attribute=\"活动名称\") | join_cn }}等主题活动，承办**县举办{{ 活动清单 | selectattr(\"类别\", \"eq\", \"承办活动\") | map(attribute=\"活动名称\") | join_cn }}，赓续精神血脉，营造浓厚红色氛围，进一步引导广大人民群众特别是青少年筑牢信仰之基、坚定报国之志、厚植家国情怀，取得了良好社会效应，全面增强新时代爱国主义情感，提升退役军人尊崇感，增进党员领导干部做好退役军人事务工作动力。",
                    ),
                ],
                vec![
                    t("工作总体情况"),
                    t("坚持担责于身，履行意识形态工作责任。"),
                    t(
                        "加强对宣传思想文化工作领导，落实主要领导带头抓，落实党管宣传、党管意识形态的要求，做到守土有责、守土负责、守土尽责。抓好党员队伍建设，认真落实“三会一课”、民主评议党员、组织生活会等党内组织生活，用好党日活动、专题辅导、集中培训等“三个课堂”，提升党员干部用新思想武装头脑、指导实践、推动工作的能力，切实践行为民服务、为民办实事意识和能力，确保意识形态建设的正确前进方向。",
                    ),
                ],
                vec![
                    t("工作总体情况"),
                    t("坚持正确导向，深化意识形态警示教育。"),
                    t(
                        "巩固涵养良好政治生态，每季度开展分析研判，剖析问题表现，筑牢拒腐防变思想防线，营造风清气正的工作氛围。加强干部队伍思想动态跟踪，落实谈心谈话工作制度，增强同志感情联系，做好正面宣传教育引导。结合“三治三提升”活动，进一步提升局机关干部职工的政治站位、工作能力和服务水平。积极开展红色教育，先后开展{{ 活动清单 | selectattr(\"类别\", \"eq\", \"红色教育\") | map(attribute=\"活动名称\") | quote_cn | join_cn(sep=\"\") }}等主题活动。坚持纪律教育与思政教育并重，上好廉洁警示教育课，用好反面典型敲响遵规守纪的警钟。",
                    ),
                ],
                vec![
                    t("亮点成效"),
                    t("夯实党建引领。"),
                    t(
                        "为满足退役军人和优抚对象建档立卡和申领优待证的多样化需求，结合“我为群众办实事”实践活动，创新探索专班服务、集中办理、上门帮办等举措，让优待证申领工作更加有力、有速、有温度。",
                    ),
                ],
                vec![
                    t("亮点成效"),
                    t("传承红色基因。"),
                    t(
                        "县烈士后代、红色宣讲员、退役军人***为县三中学子讲授“红色**”故事。积极开展国家烈士纪念日活动，厚植“崇尚英雄才会产生英雄，争做英雄才能英雄辈出”意识。修建{{ 统计.烈士集中安葬点 }}个烈士集中安葬点和{{ 统计.散葬烈士墓 }}个散葬烈士墓。",
                    ),
                ],
                vec![
                    t("亮点成效"),
                    t("点亮文明榜样。"),
                    t(
                        "我县退役军人***同志荣获{{ year }}年度“**最美退役军人”荣誉称号。协办**县{{ 统计.文明榜样发布会届次 | cn_ordinal }}届“道德力量情义**”文明榜样发布会，表彰{{ 统计.最美退役军人表彰届次 | cn_ordinal }}届“**最美退役军人”{{ 统计.最美退役军人表彰人数 }}人。",
                    ),
                ],
                vec![
                    t("亮点成效"),
                    t("开展尊崇行动。"),
                    t(
                        "组织首次军地篮球友谊赛，密切军地鱼水情谊。开展庆“八一”红色走读活动，组织部分退役老兵赴修水秋收起义纪念馆，重温先烈奋斗史，激励永葆军人本色。",
                    ),
                ],
                vec![
                    t("存在不足"),
                    Cell::Empty,
                    t("推进红色基因传承不畅，未用好用活红色宣讲团力量，传播**红色血脉。"),
                ],
                vec![
                    t("存在不足"),
                    Cell::Empty,
                    t("网络舆情素养有待进一步提升，工作人员在舆情管理方面主观能动性需要加强。"),
                ],
                vec![
                    t("存在不足"),
                    Cell::Empty,
                    t(
                        "领导干部思想教育培训形式单一，照本宣科式理论学习居多，“规定动作”到位，“自选动作”少有，红色教育基地等教育培训资源用得少。",
                    ),
                ],
                vec![
                    t("改进方向"),
                    t("持续推进红色基因传承。"),
                    t(
                        "坚持用习近平新时代中国特色社会主义思想武装头脑，深入开展“最美退役军人”典型事迹宣传，广泛宣扬军人开拓进取、无私奉献的精神风貌，发挥先进模范示范教育作用。持续开展光荣牌匾悬挂、立功受奖报喜、退伍返乡欢迎、节日走访慰问等礼遇仪式活动，营造参军受尊崇、退役受尊重的浓厚氛围。大力弘扬英烈精神，用好烈士纪念设施等红色资源，讲好党的故事、革命故事、英烈故事，推进红色基因和革命传统代代相传。",
                    ),
                ],
                vec![
                    t("改进方向"),
                    t("加强意识形态阵地建设。"),
                    t(
                        "及时开展意识形态形势分析研判，守稳网络意识形态阵地，坚决筑牢新屏障、新防线，压紧压实意识形态和网络安全工作责任制，着力提升网络舆情风险防范处置能力，\u{2002}有力提升网络综合治理能力。",
                    ),
                ],
                vec![
                    t("改进方向"),
                    t("强化理想信念和党性教育。"),
                    t(
                        "坚持集体学习与自我提高相结合，筑牢领导干部信仰之基、补足精神之钙，加强党规党纪教育特别是政治纪律和政治规矩教育。",
                    ),
                ],
            ],
        ),
    ]
}

/// 县文化广电旅游局, 2022: invented data, given as a workbook.
pub fn culture_sheets() -> Vec<Sheet> {
    vec![
        Sheet::new(
            "概况",
            vec![
                vec![t("项目"), t("内容")],
                vec![
                    t("开篇"),
                    t(
                        "坚持以习近平新时代中国特色社会主义思想为指导，牢牢把握意识形态工作领导权，围绕举旗帜、聚民心、育新人、兴文化、展形象的使命任务，推动文化事业和旅游产业繁荣发展。",
                    ),
                ],
                vec![t("主送机关"), t("县委宣传部")],
                vec![t("署名"), t("县文化广电旅游局")],
                vec![t("成文日期"), d(2023, 1, 5)],
            ],
        ),
        Sheet::new(
            "统计",
            vec![
                vec![t("指标"), t("数值")],
                vec![t("中心组集中学习"), n(12.0)],
                vec![t("文化惠民演出场次"), n(36.0)],
                vec![t("观众人次"), n(12800.0)],
                vec![t("农家书屋"), n(118.0)],
                vec![t("县级非遗项目"), n(9.0)],
            ],
        ),
        Sheet::new(
            "活动清单",
            vec![
                vec![t("日期"), t("活动名称"), t("类别"), t("参与人数")],
                vec![d(2022, 4, 23), t("全民阅读月"), t("文化惠民"), n(3200.0)],
                vec![
                    d(2022, 6, 11),
                    t("非遗展演进景区"),
                    t("文化惠民"),
                    n(1500.0),
                ],
                vec![d(2022, 9, 20), t("送戏下乡"), t("文化惠民"), n(8100.0)],
                vec![d(2022, 7, 1), t("百年党史图片展"), t("红色教育"), n(2600.0)],
            ],
        ),
        Sheet::new(
            "工作要点",
            vec![
                vec![t("部分"), t("标题"), t("内容")],
                vec![
                    t("工作总体情况"),
                    t("坚持理论武装，筑牢思想根基。"),
                    t(
                        "落实党组理论学习中心组学习制度，全年开展集中学习{{ 统计.中心组集中学习 }}次，推动党的创新理论进机关、进景区、进书屋。",
                    ),
                ],
                vec![
                    t("工作总体情况"),
                    t("坚持阵地管理，守好文化阵地。"),
                    t(
                        "对全县{{ 统计.农家书屋 }}个农家书屋、各类演出场所和网络文化经营场所开展巡查，落实演出内容审核制度。",
                    ),
                ],
                vec![
                    t("工作总体情况"),
                    t("坚持文化惠民，丰富群众生活。"),
                    t(
                        "先后开展{{ 活动清单 | selectattr(\"类别\", \"eq\", \"文化惠民\") | map(attribute=\"活动名称\") | join_cn(last=\"和\") }}等活动，全年文化惠民演出{{ 统计.文化惠民演出场次 }}场次，惠及群众{{ 统计.观众人次 }}人次。",
                    ),
                ],
                vec![
                    t("亮点成效"),
                    t("红色文化深入人心。"),
                    t(
                        "举办{{ 活动清单 | selectattr(\"类别\", \"eq\", \"红色教育\") | map(attribute=\"活动名称\") | quote_cn | join_cn(sep=\"\") }}，引导群众知史爱党、知史爱国。",
                    ),
                ],
                vec![
                    t("亮点成效"),
                    t("非遗保护成效明显。"),
                    t("新增县级非遗项目{{ 统计.县级非遗项目 }}个，非遗传承人队伍不断壮大。"),
                ],
                vec![
                    t("存在不足"),
                    Cell::Empty,
                    t("基层文化阵地管理力量薄弱，部分农家书屋利用率不高。"),
                ],
                vec![
                    t("存在不足"),
                    Cell::Empty,
                    t("网络文化市场监管手段有待丰富。"),
                ],
                vec![
                    t("改进方向"),
                    t("加强阵地建设。"),
                    t("完善基层文化阵地管理制度，推动农家书屋与新时代文明实践站融合发展。"),
                ],
                vec![
                    t("改进方向"),
                    t("创新监管方式。"),
                    t("运用信息化手段加强网络文化市场监管，守好网上意识形态阵地。"),
                ],
            ],
        ),
    ]
}

/// 县文化广电旅游局, 2021: last year's data, for year-over-year phrases.
pub fn culture_2021_sheets() -> Vec<Sheet> {
    let mut sheets = culture_sheets();
    sheet(&mut sheets, "统计").rows = vec![
        vec![t("指标"), t("数值")],
        vec![t("中心组集中学习"), n(10.0)],
        vec![t("文化惠民演出场次"), n(32.0)],
        vec![t("观众人次"), n(11900.0)],
        vec![t("农家书屋"), n(118.0)],
        vec![t("县级非遗项目"), n(11.0)],
    ];
    sheet(&mut sheets, "活动清单").rows = vec![
        vec![t("日期"), t("活动名称"), t("类别"), t("参与人数")],
        vec![d(2021, 4, 23), t("全民阅读月"), t("文化惠民"), n(2900.0)],
        vec![d(2021, 9, 18), t("送戏下乡"), t("文化惠民"), n(7600.0)],
        vec![
            d(2021, 6, 30),
            t("庆祝建党一百周年文艺汇演"),
            t("红色教育"),
            n(1800.0),
        ],
    ];
    sheets
}

/// 县教育体育局, 2022: invented data, given as CSV files in GBK.
pub fn education_sheets() -> Vec<Sheet> {
    vec![
        Sheet::new(
            "概况",
            vec![
                vec![t("项目"), t("内容")],
                vec![
                    t("开篇"),
                    t(
                        "坚持立德树人根本任务，把意识形态工作贯穿教育教学全过程，推进思政课程与课程思政同向同行，确保校园安全稳定。",
                    ),
                ],
                vec![t("署名"), t("中共县教育体育局党组")],
                vec![t("成文日期"), d(2023, 1, 12)],
                // A complete document: the 版头 of a report to a superior, the activities
                // as an attachment, the 版记. The 发文字号 is typed with square brackets.
                vec![t("发文机关标志"), t("中共县教育体育局党组文件")],
                vec![t("发文字号"), t("县教体党[2023]1号")],
                vec![t("签发人"), t("李明")],
                vec![t("附活动清单"), t("是")],
                vec![t("抄送"), t("县委办公室，县政府办公室")],
                vec![t("印发机关"), t("中共县教育体育局党组办公室")],
                vec![t("印发日期"), d(2023, 1, 12)],
            ],
        ),
        Sheet::new(
            "统计",
            vec![
                vec![t("指标"), t("数值")],
                vec![t("中小学校"), n(56.0)],
                vec![t("思政课教师培训人次"), n(420.0)],
                vec![t("主题班会"), n(1300.0)],
            ],
        ),
        Sheet::new(
            "活动清单",
            vec![
                vec![t("日期"), t("活动名称"), t("类别"), t("参与人数")],
                vec![d(2022, 3, 1), t("开学第一课"), t("主题教育"), n(41000.0)],
                vec![d(2022, 4, 5), t("清明祭英烈"), t("主题教育"), n(12000.0)],
                vec![
                    d(2022, 4, 15),
                    t("全民国家安全教育日宣传"),
                    t("主题教育"),
                    Cell::Empty,
                ],
            ],
        ),
        Sheet::new(
            "工作要点",
            vec![
                vec![t("部分"), t("标题"), t("内容")],
                vec![
                    t("工作总体情况"),
                    t("坚持党对教育工作的全面领导。"),
                    t(
                        "全县{{ 统计.中小学校 }}所中小学校全部落实党组织领导的校长负责制，把意识形态工作纳入学校党建考核。",
                    ),
                ],
                vec![
                    t("工作总体情况"),
                    t("坚持思政课关键课程地位。"),
                    t(
                        "组织思政课教师培训{{ 统计.思政课教师培训人次 }}人次，开展集体备课和示范课展评。",
                    ),
                ],
                vec![
                    t("亮点成效"),
                    t("主题教育覆盖全体学生。"),
                    t(
                        "开展{{ 活动清单 | map(attribute=\"活动名称\") | quote_cn | join_cn(sep=\"\") }}等主题教育活动，召开主题班会{{ 统计.主题班会 }}场。",
                    ),
                ],
                vec![
                    t("亮点成效"),
                    t("校园文化建设持续深化。"),
                    t("建成一批红色文化长廊和校史馆，营造崇德向善的校园氛围。"),
                ],
                vec![
                    t("亮点成效"),
                    t("家校协同育人不断加强。"),
                    t("办好家长学校，引导家长树立正确育人观念。"),
                ],
                vec![
                    t("存在不足"),
                    Cell::Empty,
                    t("个别学校对网络舆情的研判处置能力不足。"),
                ],
                vec![
                    t("改进方向"),
                    t("提升舆情应对能力。"),
                    t("健全校园舆情监测和应急处置机制，加强教师网络素养培训。"),
                ],
            ],
        ),
    ]
}
