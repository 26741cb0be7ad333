#!/usr/bin/env bash
# `make bench`: huibao against the floor (calamine reading the same workbooks) and against the
# Python programs a user would otherwise write, at N = 100, 1,000 and 10,000 departments.
#
# For each N in $BENCH_SIZES it generates target/bench/N/data (examples/bench_data.rs; kept
# while a marker file says it is complete and the generator unchanged), then times with
# hyperfine, each command wrapped in /usr/bin/time -v for its peak memory:
#   huibao build --format txt,md            (default jobs: one per core)
#   huibao build --format txt --jobs 1
#   huibao build --format docx
#   read_floor                              (examples/read_floor.rs: one thread, calamine)
#   python bench/report_text.py             (openpyxl + jinja2: .txt and .md)
#   python bench/report_docx.py             (openpyxl + jinja2 + python-docx: .docx)
# and prints a table per N, the ratios, and PASS/FAIL for the targets (bench/summarize.py).
# The Python programs are skipped above $BENCH_PYTHON_MAX departments (they take minutes).
#
# Environment: BENCH_SIZES ("100 1000 10000"), BENCH_PYTHON_MAX (1000), BENCH_RUNS (hyperfine
# runs of the huibao and floor commands: 3, 1 at 10,000 and up), BENCH_PYTHON_RUNS (1), CARGO.
# The Python packages (bench/requirements.txt) go into target/bench-venv on first use;
# hyperfine and /usr/bin/time are installed with apt-get when missing.
set -euo pipefail
cd "$(dirname "$0")/.."

SIZES=${BENCH_SIZES:-100 1000 10000}
PYTHON_MAX=${BENCH_PYTHON_MAX:-1000}
PYTHON_RUNS=${BENCH_PYTHON_RUNS:-1}
CARGO=${CARGO:-cargo}
ROOT=target/bench
VENV=target/bench-venv
HUIBAO=target/release/huibao
GENERATE=target/release/examples/bench_data
FLOOR=target/release/examples/read_floor

echo "== 构建 huibao 与基准示例（release）"
$CARGO build --release --quiet --bins --examples

missing=()
command -v hyperfine >/dev/null || missing+=(hyperfine)
[ -x /usr/bin/time ] || missing+=(time)
if [ ${#missing[@]} -gt 0 ]; then
  echo "== apt-get 安装 ${missing[*]}"
  apt-get update -qq && apt-get install -y -qq "${missing[@]}" >/dev/null
fi

# The Python programs' packages, installed again when requirements.txt changes.
python_needed=0
for n in $SIZES; do
  if [ "$n" -le "$PYTHON_MAX" ]; then python_needed=1; fi
done
if [ "$python_needed" = 1 ] && ! cmp -s bench/requirements.txt "$VENV/requirements.txt"; then
  echo "== 在 $VENV 安装 Python 依赖（bench/requirements.txt）"
  python3 -m venv "$VENV"
  "$VENV/bin/pip" install --quiet --disable-pip-version-check -r bench/requirements.txt
  cp bench/requirements.txt "$VENV/requirements.txt"
fi

# Changes to the generator or its helpers make the data be written again.
generator_hash=$(cat examples/bench_data.rs tests/support/data.rs | sha256sum | cut -c1-16)

# Earlier outputs are moved into $TRASH between runs and deleted only when the benchmark ends.
# Deleting them just before a run would make every program pay for the deletion: ext4 without
# a journal (this machine's disk) skips inodes deleted in the last minute when it creates a
# file, by a scan that grows with the number deleted, and at N = 1,000 that scan took half of
# huibao's `--jobs 1` time (7.8 s against 4.2 s into a folder nothing was deleted from).
TRASH=$ROOT/trash
rm -rf "$TRASH"
trap 'rm -rf "$TRASH"' EXIT

# time_command N NAME RUNS COMMAND: hyperfine with JSON into $ROOT/N/, peak memory and CPU time
# of every run appended to $ROOT/N/rss-NAME.txt. Before each run the command's output directory
# is moved aside (see $TRASH) and the disk synced, so huibao's fsync of each file does not pay
# for what came before: every program writes into a folder that does not exist yet.
time_command() {
  local n=$1 name=$2 runs=$3 command=$4 dir=$ROOT/$1
  rm -f "$dir/rss-$name.txt"
  mkdir -p "$TRASH"
  hyperfine --runs "$runs" --command-name "$name" \
    --prepare "if [ -e $dir/out-$name ]; then mv $dir/out-$name \$(mktemp -d -p $TRASH); fi && sync" \
    --export-json "$dir/hyperfine-$name.json" \
    "/usr/bin/time -v -a -o $dir/rss-$name.txt $command"
}

for n in $SIZES; do
  dir=$ROOT/$n
  data=$dir/data
  marker=$dir/.generated
  if [ "$(cat "$marker" 2>/dev/null)" != "$n $generator_hash" ]; then
    echo "== 生成 $n 个单位的数据：$data"
    rm -f "$marker"
    mkdir -p "$dir"
    start=$(date +%s%N)
    "$GENERATE" "$dir" "$n"
    echo "   用时 $((($(date +%s%N) - start) / 1000000)) ms"
    echo "$n $generator_hash" >"$marker"
    # Writing the data again replaced the old files: let the minute pass in which the file
    # system still skips their inodes (see $TRASH above) before anything is timed.
    sync
    sleep 61
  else
    echo "== 沿用 $data（$marker）"
  fi
  rm -f "$dir"/hyperfine-*.json "$dir"/rss-*.txt

  runs=${BENCH_RUNS:-$([ "$n" -ge 10000 ] && echo 1 || echo 3)}
  build="$HUIBAO build --data $data --templates bench/templates"
  echo "== N=$n：计时（每条命令 $runs 次）"
  time_command "$n" floor "$runs" "$FLOOR $data"
  time_command "$n" text "$runs" "$build --out $dir/out-text --format txt,md"
  time_command "$n" jobs1 "$runs" "$build --out $dir/out-jobs1 --format txt --jobs 1"
  time_command "$n" docx "$runs" "$build --out $dir/out-docx --format docx"
  # Peak memory once more with settings under which it repeats within half a MiB (one job,
  # memory given back to the system as soon as it is freed): what huibao holds, for "not
  # growing with N". The timed runs' peaks depend on when the allocator gives memory back,
  # and two of them differ by up to a fifth.
  if [ -e "$dir/out-memory" ]; then mkdir -p "$TRASH" && mv "$dir/out-memory" "$(mktemp -d -p "$TRASH")"; fi
  sync
  MIMALLOC_PURGE_DELAY=0 /usr/bin/time -v -o "$dir/rss-memory.txt" \
    $build --out "$dir/out-memory" --format txt --jobs 1 >/dev/null 2>&1
  if [ "$n" -le "$PYTHON_MAX" ]; then
    time_command "$n" py-text "$PYTHON_RUNS" "$VENV/bin/python bench/report_text.py $data $dir/out-py-text"
    time_command "$n" py-docx "$PYTHON_RUNS" "$VENV/bin/python bench/report_docx.py $data $dir/out-py-docx"
    # The Python text must be the same report, or the comparison means nothing.
    # The reports only: huibao's run record (生成情况.txt) and summary workbook are its own.
    total=$(find "$dir/out-text" -type f \( -name '*.txt' -o -name '*.md' \) ! -name '生成情况.txt' | wc -l)
    differ=$( (diff -rq "$dir/out-text" "$dir/out-py-text" || true) | grep -E '\.(txt|md)( |$)' | grep -vc '生成情况\.txt' || true)
    echo "$total $differ" >"$dir/python-diff.txt"
  else
    echo "   （N=$n 超过 BENCH_PYTHON_MAX=$PYTHON_MAX，不跑 Python 脚本）"
    rm -f "$dir/python-diff.txt"
  fi
done

python3 bench/summarize.py "$ROOT" $SIZES
