//! Writes a large workspace for `make bench`: `cargo run --release --example bench_data --
//! DIR N` makes `DIR/data/2022/` with N departments (workbooks and GBK CSV files in turn,
//! each activity list 300 rows long) and last year's data for every third one.

#[path = "../tests/support/data.rs"]
#[allow(dead_code)] // the tests use more of it than this does
mod data;

use std::path::Path;

use data::{Sheet, d, n, t};

fn long_activity_list(mut sheets: Vec<Sheet>, year: u16) -> Vec<Sheet> {
    let list = data::sheet(&mut sheets, "活动清单");
    for i in 0..300u16 {
        let category = list.rows[1 + (i as usize % (list.rows.len() - 1))][2].clone();
        list.rows.push(vec![
            d(year, 1 + (i % 12) as u8, 1 + (i % 28) as u8),
            t(&format!("第{}次专题学习", i + 1)),
            category,
            n(f64::from(10 + i)),
        ]);
    }
    sheets
}

fn main() {
    let mut args = std::env::args().skip(1);
    let root = args.next().unwrap_or_else(|| "target/bench".into());
    let count: usize = args.next().and_then(|n| n.parse().ok()).unwrap_or(200);
    let data_dir = Path::new(&root).join("data");
    let _ = std::fs::remove_dir_all(&data_dir);
    for i in 0..count {
        let dept = format!("县第{}局", i + 1);
        let dir = data_dir.join("2022").join(&dept);
        std::fs::create_dir_all(&dir).expect("folder");
        match i % 3 {
            0 => data::write_xlsx(
                &dir.join("数据.xlsx"),
                &long_activity_list(data::veterans_sheets(), 2022),
            ),
            1 => data::write_xlsx(
                &dir.join("数据.xlsx"),
                &long_activity_list(data::culture_sheets(), 2022),
            ),
            _ => data::write_csv_gbk(&dir, &long_activity_list(data::education_sheets(), 2022)),
        }
        if i % 3 == 1 {
            let prev = data_dir.join("2021").join(&dept);
            std::fs::create_dir_all(&prev).expect("folder");
            data::write_xlsx(
                &prev.join("数据.xlsx"),
                &long_activity_list(data::culture_2021_sheets(), 2021),
            );
        }
    }
    println!("已在 {} 写入 {count} 个单位的数据。", data_dir.display());
}
