//! Writes the shipped example data under `data/` (run from the repository's root):
//! `cargo run --example example_data`. The workbooks under `data/` are the source of
//! truth that clerks edit; this is how they were first made, and how tests make variants.

#[path = "../tests/support/data.rs"]
#[allow(dead_code)] // the tests use more of it than the example does
mod data;

fn main() {
    data::write_example(std::path::Path::new("data"));
    println!("已写入 data/2022/ 下的示例数据。");
}
