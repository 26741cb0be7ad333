//! Writes a large workspace for `make bench`: `cargo run --release --example bench_data --
//! DIR N` makes `DIR/data/2022/<单位>/数据.xlsx` for N departments of realistic size, and
//! `DIR/data/2021/<单位>/数据.xlsx` for every other one, so 数据简报 writes its
//! year-over-year phrases there.
//!
//! Each workbook holds a record sheet 概况 (开篇, and for some departments 主送机关, 署名 and
//! 成文日期), a record sheet 统计 (20 indicators, 指标 | 数值), a table 活动清单 of 50–200
//! activities (日期, 活动名称, 类别, 参与人数; the count varies with the department's index),
//! and three narrative sheets of 4–8 items: 工作要点 (部分, 标题, 内容, as 意识形态工作's
//! manifest declares) and two the templates do not read, 经验做法 and 下年工作计划. Some cells
//! hold template expressions, as clerks write them. The content is deterministic: the same N
//! gives the same bytes. Workbooks are written on every core.

#[path = "../tests/support/data.rs"]
#[allow(dead_code)] // the tests use more of it than this does
mod data;

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};

use data::{Cell, Sheet, d, n, t};

/// Deterministic pseudo-random numbers (splitmix64), seeded per department, year and sheet.
struct Rng(u64);

impl Rng {
    fn new(dept: usize, year: u16, salt: u64) -> Rng {
        Rng((dept as u64) << 24 ^ u64::from(year) << 8 ^ salt)
    }

    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// A number in `lo..=hi`.
    fn range(&mut self, lo: u64, hi: u64) -> u64 {
        lo + self.next() % (hi - lo + 1)
    }

    fn pick<'a>(&mut self, items: &[&'a str]) -> &'a str {
        items[self.next() as usize % items.len()]
    }
}

/// The department's name, which is its folder's name.
fn dept_name(i: usize) -> String {
    const KINDS: [&str; 10] = [
        "发展和改革局",
        "教育体育局",
        "民政局",
        "财政局",
        "人力资源和社会保障局",
        "自然资源局",
        "住房和城乡建设局",
        "交通运输局",
        "农业农村局",
        "文化广电旅游局",
    ];
    format!("第{}县{}", i / KINDS.len() + 1, KINDS[i % KINDS.len()])
}

/// How many activities the department lists: 50–200, by its index; last year's list is
/// 10–20% shorter or longer.
fn activity_count(i: usize, year: u16) -> usize {
    let base = 50 + (i * 37) % 151;
    if year == 2022 {
        base
    } else {
        (base * (85 + (i * 13) % 31) / 100).clamp(50, 200)
    }
}

/// The 20 indicators of 统计; the last two are not whole numbers.
const INDICATORS: [(&str, u64, u64); 20] = [
    ("中心组集中学习", 8, 24),
    ("专题党课", 2, 12),
    ("意识形态形势研判", 4, 12),
    ("理论宣讲场次", 10, 120),
    ("主题党日活动", 12, 36),
    ("信息宣传稿件", 40, 600),
    ("上级媒体用稿", 5, 80),
    ("网络舆情处置", 1, 30),
    ("志愿服务时长", 800, 30000),
    ("注册志愿者", 50, 3000),
    ("新时代文明实践活动", 10, 150),
    ("阵地巡查次数", 12, 200),
    ("干部培训人次", 60, 2400),
    ("谈心谈话人次", 30, 400),
    ("警示教育场次", 2, 20),
    ("文化惠民演出场次", 6, 90),
    ("观众人次", 2000, 250_000),
    ("新建宣传阵地", 1, 25),
    ("资金投入万元", 50, 3000),
    ("群众满意度", 880, 995),
];

const CATEGORIES: [&str; 5] = ["主题活动", "红色教育", "理论学习", "志愿服务", "宣传教育"];

const ACTIVITY_NAMES: [&str; 24] = [
    "党的二十大精神专题学习",
    "学习贯彻习近平新时代中国特色社会主义思想主题教育",
    "缅怀革命先烈",
    "红色宣讲进校园",
    "新时代文明实践志愿服务",
    "全民国家安全教育日宣传",
    "清明祭英烈",
    "送文化下乡",
    "理论宣讲进村入户",
    "道德讲堂",
    "“我为群众办实事”实践活动",
    "网络安全宣传周",
    "民法典宣传月",
    "全民阅读活动",
    "廉政警示教育",
    "主题党日",
    "青年理论学习小组集中学习",
    "红色走读",
    "文明城市创建志愿服务",
    "重温入党誓词",
    "干部政治理论培训",
    "“七一”表彰大会",
    "国家宪法日宣传",
    "专题读书班",
];

const OPENINGS: [&str; 6] = [
    "坚持以习近平新时代中国特色社会主义思想为指导，深入学习贯彻党的二十大精神，牢牢把握意识形态工作领导权、管理权、话语权，认真落实意识形态工作责任制，",
    "在县委、县政府的坚强领导下，坚持守土有责、守土负责、守土尽责，把意识形态工作纳入重要议事日程，与业务工作同部署、同落实、同检查、同考核，",
    "坚持稳中求进工作总基调，围绕中心、服务大局，压紧压实意识形态工作责任，加强阵地建设和管理，",
    "以党的政治建设为统领，扎实推进理论武装、舆论引导、阵地管理和队伍建设，",
    "认真贯彻落实中央、省、市、县关于意识形态工作的决策部署，坚持党管意识形态不动摇，",
    "把意识形态工作作为党的建设和政权建设的重要内容，坚持正确政治方向和舆论导向，",
];

const OPENING_ENDS: [&str; 3] = [
    "为全县经济社会高质量发展提供了坚强的思想保证和舆论支持。",
    "全年开展各类活动{{ 活动清单 | length }}项，意识形态领域总体平稳向好。",
    "推动{{ year }}年各项工作取得新成效。",
];

const TITLES_GENERAL: [&str; 6] = [
    "坚持理论武装，筑牢思想根基。",
    "坚持阵地管理，守好意识形态主阵地。",
    "坚持正面宣传，唱响主旋律。",
    "坚持担责于身，履行意识形态工作责任。",
    "坚持正确导向，深化意识形态警示教育。",
    "坚持文化引领，提升精神文明建设水平。",
];

const TITLES_HIGHLIGHT: [&str; 5] = [
    "夯实党建引领。",
    "传承红色基因。",
    "点亮文明榜样。",
    "创新宣传方式。",
    "服务群众见实效。",
];

const TITLES_IMPROVE: [&str; 5] = [
    "持续加强理论武装。",
    "加强意识形态阵地建设。",
    "强化理想信念和党性教育。",
    "提升网络舆情应对能力。",
    "健全工作责任体系。",
];

const SHORTCOMINGS: [&str; 5] = [
    "理论学习的深度和广度还不够，学用结合不够紧密。",
    "网络舆情素养有待进一步提升，工作人员在舆情管理方面主观能动性需要加强。",
    "意识形态阵地管理力量薄弱，基层宣传队伍专业化水平不高。",
    "宣传方式较为传统，运用新媒体开展宣传的能力有待提高。",
    "领导干部思想教育培训形式单一，“规定动作”到位，“自选动作”少有。",
];

/// Narrative text with template expressions, as a clerk writes them in 工作要点.内容.
const CONTENT_GENERAL: [&str; 4] = [
    "落实党组理论学习中心组学习制度，全年开展集中学习{{ 统计.中心组集中学习 }}次、专题党课{{ 统计.专题党课 }}次，坚持学习党的科学理论成果、创新理论成果及重要讲话精神，汲取思想、智慧和力量，着力筑牢思想根基、思想防线。",
    "每季度开展意识形态形势分析研判，全年研判{{ 统计.意识形态形势研判 }}次，处置网络舆情{{ 统计.网络舆情处置 }}起，阵地巡查{{ 统计.阵地巡查次数 }}次，落实“三审三校”制度，守稳网络意识形态阵地。",
    "扎实开展{{ (活动清单 | selectattr(\"类别\", \"eq\", \"主题活动\") | map(attribute=\"活动名称\") | list)[:4] | join_cn }}等主题活动，全年开展各类活动{{ 活动清单 | length }}项，营造浓厚氛围，进一步引导广大干部群众坚定理想信念、厚植家国情怀。",
    "加强对宣传思想文化工作的领导，落实主要领导带头抓、分管领导具体抓，全年报送信息宣传稿件{{ 统计.信息宣传稿件 }}篇，被上级媒体采用{{ 统计.上级媒体用稿 }}篇，切实做到守土有责、守土负责、守土尽责。",
];

const CONTENT_HIGHLIGHT: [&str; 4] = [
    "积极开展红色教育，先后开展{{ (活动清单 | selectattr(\"类别\", \"eq\", \"红色教育\") | map(attribute=\"活动名称\") | list)[:3] | quote_cn | join_cn(sep=\"\") }}等活动，激励干部职工永葆初心。",
    "组织志愿者{{ 统计.注册志愿者 }}人开展新时代文明实践活动{{ 统计.新时代文明实践活动 }}场，累计服务{{ 统计.志愿服务时长 | thousands }}小时，让文明实践更加有力、有速、有温度。",
    "开展文化惠民演出{{ 统计.文化惠民演出场次 }}场次，惠及群众{{ 统计.观众人次 | wan(decimals=1) }}人次，群众满意度达到{{ 统计.群众满意度 }}%。",
    "全年培训干部{{ 统计.干部培训人次 }}人次，开展谈心谈话{{ 统计.谈心谈话人次 }}人次、警示教育{{ 统计.警示教育场次 | cn_number }}场，营造风清气正的工作氛围。",
];

const CONTENT_IMPROVE: [&str; 3] = [
    "坚持用习近平新时代中国特色社会主义思想武装头脑，完善理论学习中心组学习制度，推动理论学习往深里走、往实里走、往心里走。",
    "及时开展意识形态形势分析研判，压紧压实意识形态和网络安全工作责任制，着力提升网络舆情风险防范处置能力，有力提升网络综合治理能力。",
    "坚持集体学习与自我提高相结合，筑牢领导干部信仰之基、补足精神之钙，加强党规党纪教育特别是政治纪律和政治规矩教育，计划投入资金{{ 统计.资金投入万元 }}万元。",
];

const PRACTICES: [&str; 6] = [
    "建立“周学习、月研判、季总结”工作机制，确保意识形态工作常抓不懈。",
    "打造“线上+线下”宣传矩阵，利用微信公众号、短视频平台扩大正面宣传覆盖面。",
    "推行“一岗双责”清单化管理，把意识形态工作责任细化到岗、落实到人。",
    "组建青年理论宣讲队，深入村组、社区、学校开展接地气的理论宣讲。",
    "建立舆情快速响应机制，做到早发现、早报告、早处置。",
    "开展“身边好人”评选，用身边事教育身边人。",
];

const PLANS: [&str; 6] = [
    "深入学习宣传贯彻党的二十大精神",
    "完善意识形态工作责任制考核办法",
    "加强网络意识形态阵地建设",
    "推进新时代文明实践阵地提质增效",
    "开展干部意识形态专题培训",
    "办好“我们的节日”系列活动",
];

const OFFICES: [&str; 4] = ["办公室", "党建办", "宣传股", "综合股"];

/// The sheets of one department's workbook for one year.
fn department_sheets(i: usize, year: u16) -> Vec<Sheet> {
    let year_value = year;
    let salt = |s: u64| Rng::new(i, year_value, s);

    // 概况: a record, with 主送机关, 署名 and 成文日期 for half the departments.
    let mut rng = salt(1);
    let mut overview = vec![
        vec![t("项目"), t("内容")],
        vec![
            t("开篇"),
            t(&format!(
                "{}{}",
                rng.pick(&OPENINGS),
                OPENING_ENDS[i % OPENING_ENDS.len()]
            )),
        ],
    ];
    if i.is_multiple_of(2) {
        overview.push(vec![t("主送机关"), t("县委宣传部")]);
        overview.push(vec![t("署名"), t(&dept_name(i))]);
        overview.push(vec![
            t("成文日期"),
            d(year + 1, 1, 1 + rng.range(3, 20) as u8),
        ]);
    }

    // 统计: 20 indicators, never 0 (a rate against last year's 0 is an error); last year's
    // values are the department's own level give or take a quarter.
    let mut level = Rng::new(i, 0, 2);
    let mut change = salt(2);
    let mut statistics = vec![vec![t("指标"), t("数值")]];
    for (k, (name, lo, hi)) in INDICATORS.iter().enumerate() {
        let base = level.range(*lo, *hi);
        let raw = if year == 2022 {
            base
        } else {
            (base * change.range(75, 125) / 100).clamp(*lo, *hi)
        };
        let value = match k {
            18 => raw as f64 + change.range(0, 9) as f64 / 10.0, // 资金投入万元: 1,234.5
            19 => raw as f64 / 10.0,                             // 群众满意度: 96.8
            _ => raw as f64,
        };
        statistics.push(vec![t(name), n(value)]);
    }

    // 活动清单: 50–200 rows in date order; some names are templates, some counts blank.
    let mut rng = salt(3);
    let count = activity_count(i, year);
    let mut activities = vec![vec![t("日期"), t("活动名称"), t("类别"), t("参与人数")]];
    for k in 0..count {
        let day_of_year = (k * 365 / count) as u32;
        let (month, day) = month_day(day_of_year);
        let name = match k % 40 {
            7 => format!("{{{{ year }}}}年第{}期道德讲堂", k / 40 + 1),
            23 => format!("{{{{ {} | cn_ordinal }}}}届“最美志愿者”表彰", k / 40 + 1),
            _ => format!("{}（第{}场）", rng.pick(&ACTIVITY_NAMES), k + 1),
        };
        let people = if k % 13 == 5 {
            Cell::Empty
        } else {
            n(rng.range(15, 2000) as f64)
        };
        activities.push(vec![
            d(year, month, day),
            t(&name),
            t(CATEGORIES[(k + i) % CATEGORIES.len()]),
            people,
        ]);
    }

    // 工作要点: 4–8 points, every part of the report at least once.
    let mut rng = salt(4);
    let points_count = 4 + i % 5;
    let mut points = vec![vec![t("部分"), t("标题"), t("内容")]];
    let parts = ["工作总体情况", "亮点成效", "存在不足", "改进方向"];
    let mut plan: Vec<&str> = parts.to_vec();
    for k in 4..points_count {
        plan.push(["工作总体情况", "亮点成效", "改进方向", "存在不足"][k % 4]);
    }
    plan.sort_by_key(|p| parts.iter().position(|q| q == p));
    for part in plan {
        let row = match part {
            "工作总体情况" => vec![
                t(part),
                t(rng.pick(&TITLES_GENERAL)),
                t(rng.pick(&CONTENT_GENERAL)),
            ],
            "亮点成效" => vec![
                t(part),
                t(rng.pick(&TITLES_HIGHLIGHT)),
                t(rng.pick(&CONTENT_HIGHLIGHT)),
            ],
            "存在不足" => vec![t(part), Cell::Empty, t(rng.pick(&SHORTCOMINGS))],
            _ => vec![
                t(part),
                t(rng.pick(&TITLES_IMPROVE)),
                t(rng.pick(&CONTENT_IMPROVE)),
            ],
        };
        points.push(row);
    }

    // Two narrative sheets no template reads.
    let mut rng = salt(5);
    let mut practices = vec![vec![t("序号"), t("做法"), t("成效")]];
    for k in 0..4 + (i + 1) % 5 {
        practices.push(vec![
            n((k + 1) as f64),
            t(rng.pick(&PRACTICES)),
            t("取得了较好成效，得到上级部门和群众的肯定，下一步将总结经验、持续推广。"),
        ]);
    }
    let mut plans = vec![vec![t("序号"), t("任务"), t("具体措施"), t("责任科室")]];
    for k in 0..4 + (i + 2) % 5 {
        let task = rng.pick(&PLANS);
        plans.push(vec![
            n((k + 1) as f64),
            t(task),
            t(&format!(
                "围绕{task}，制定工作方案，明确时间节点和责任人，每季度调度一次进展。"
            )),
            t(rng.pick(&OFFICES)),
        ]);
    }

    vec![
        Sheet::new("概况", overview),
        Sheet::new("统计", statistics),
        Sheet::new("活动清单", activities),
        Sheet::new("工作要点", points),
        Sheet::new("经验做法", practices),
        Sheet::new("下年工作计划", plans),
    ]
}

/// Month and day of the `n`th day (from 0) of a non-leap year.
fn month_day(mut n: u32) -> (u8, u8) {
    const DAYS: [u32; 12] = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];
    for (m, days) in DAYS.iter().enumerate() {
        if n < *days {
            return (m as u8 + 1, n as u8 + 1);
        }
        n -= days;
    }
    (12, 31)
}

fn main() {
    let mut args = std::env::args().skip(1);
    let root = PathBuf::from(args.next().unwrap_or_else(|| "target/bench".into()));
    let count: usize = args
        .next()
        .map(|n| n.replace(['_', ','], "").parse().expect("N 应为正整数"))
        .unwrap_or(100);
    let data_dir = root.join("data");
    let _ = std::fs::remove_dir_all(&data_dir);

    // Every department this year; every other one (even index) last year too.
    let jobs: Vec<(usize, u16)> = (0..count)
        .map(|i| (i, 2022))
        .chain((0..count).step_by(2).map(|i| (i, 2021)))
        .collect();
    let next = AtomicUsize::new(0);
    let threads = std::thread::available_parallelism().map_or(2, |n| n.get());
    std::thread::scope(|scope| {
        for _ in 0..threads {
            scope.spawn(|| {
                loop {
                    let k = next.fetch_add(1, Ordering::Relaxed);
                    let Some(&(i, year)) = jobs.get(k) else { break };
                    write_department(&data_dir, i, year);
                }
            });
        }
    });
    println!(
        "已在 {} 写入 {count} 个单位的数据（其中 {} 个有上年数据）。",
        data_dir.display(),
        count.div_ceil(2)
    );
}

fn write_department(data_dir: &Path, i: usize, year: u16) {
    let dir = data_dir.join(year.to_string()).join(dept_name(i));
    std::fs::create_dir_all(&dir).expect("folder");
    data::write_xlsx(&dir.join("数据.xlsx"), &department_sheets(i, year));
}
