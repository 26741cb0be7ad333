#!/usr/bin/env bash
# Instructions executed (all threads), counted by valgrind's cachegrind: a measure that does
# not move with the machine's load, for comparing two versions of huibao where wall and CPU
# time vary by a quarter from one run to the next. Run after `make bench` (or
# `BENCH_SIZES=100 make bench`) has generated target/bench/100/data.
#
#   bench/instructions.sh [N]     N departments (default 100; a run takes 50× its normal time)
#
# Prints, in millions: the floor (calamine reading every sheet), huibao txt `--jobs 1`, and
# huibao docx `--jobs 1`. valgrind is installed with apt-get when missing.
set -euo pipefail
cd "$(dirname "$0")/.."
N=${1:-100}
DATA=target/bench/$N/data
if [ ! -d "$DATA" ]; then
  echo "没有 $DATA：请先运行 BENCH_SIZES=$N make bench 生成数据。" >&2
  exit 1
fi
command -v valgrind >/dev/null || { apt-get update -qq && apt-get install -y -qq valgrind >/dev/null; }
cargo build --release --quiet --bin huibao --example read_floor
OUT=$(mktemp -d -p target)
trap 'rm -rf "$OUT"' EXIT

count() {
  valgrind --tool=cachegrind --cache-sim=no --cachegrind-out-file=/dev/null "$@" 2>&1 >/dev/null |
    sed -n 's/.*I *refs: *//p' | tr -d ,
}

floor=$(count target/release/examples/read_floor "$DATA")
txt=$(count target/release/huibao build --data "$DATA" --templates bench/templates --out "$OUT/txt" --format txt --jobs 1)
docx=$(count target/release/huibao build --data "$DATA" --templates bench/templates --out "$OUT/docx" --format docx --jobs 1)
awk -v n="$N" -v f="$floor" -v t="$txt" -v d="$docx" 'BEGIN {
  printf "N=%s（百万条指令）\n", n
  printf "  floor（calamine 读全部工作表）  %8.0f\n", f / 1e6
  printf "  huibao txt  --jobs 1           %8.0f  (%.2f× floor)\n", t / 1e6, t / f
  printf "  huibao docx --jobs 1           %8.0f  (%.2f× floor)\n", d / 1e6, d / f
}'
