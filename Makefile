# huibao — 两条命令：make report（生成示例报告）和 make test（运行全部测试）。

CARGO ?= cargo

.PHONY: report check test bench fuzz validate-docx preview fmt lint example-data clean

## 生成 data/ 下最新年度、全部单位、全部报告种类的报告，写入 output/
report:
	$(CARGO) run --release --quiet -- build

## 只检查，不写文件
check:
	$(CARGO) run --release --quiet -- check

## 构建并运行全部测试
test:
	$(CARGO) test --all-targets --quiet

## 基准：200 个单位（每个活动清单 300 行）× 2 种报告 × 3 种格式，用 hyperfine 计时、
## /usr/bin/time -v 测峰值内存。缺 hyperfine 时用 apt-get 安装。BENCH_DEPTS 可改单位数。
BENCH_DEPTS ?= 200
bench:
	$(CARGO) build --release --quiet
	$(CARGO) run --release --quiet --example bench_data -- target/bench $(BENCH_DEPTS)
	command -v hyperfine >/dev/null || (apt-get update -qq && apt-get install -y -qq hyperfine)
	hyperfine --warmup 1 --runs 5 \
	  'target/release/huibao build --data target/bench/data --out target/bench/out' \
	  'target/release/huibao build --data target/bench/data --out target/bench/out --jobs 1' \
	  'target/release/huibao check --data target/bench/data'
	/usr/bin/time -v target/release/huibao build --data target/bench/data --out target/bench/out 2>&1 \
	  | grep -E 'Maximum resident|Elapsed'

## 模糊测试：把示例的工作簿（xlsx、xls、xlsb、ods）、各种编码的 CSV、章节模板和叙述单元格
## 随机改坏后整批检查，任何崩溃、内部错误或不指明位置的错误都算失败；失败的输入写到
## target/fuzz-failures/，应放进 tests/bad_input/。FUZZ_SECONDS 是每类输入的时长（默认 600 秒），
## FUZZ_CASES 是每类输入的最多次数；CI 用 FUZZ_SECONDS=25 FUZZ_FLAGS= 跑一次有限的。
FUZZ_SECONDS ?= 600
FUZZ_CASES ?= 1000000
FUZZ_FLAGS ?= --release
fuzz:
	FUZZ_SECONDS=$(FUZZ_SECONDS) FUZZ_CASES=$(FUZZ_CASES) $(CARGO) test $(FUZZ_FLAGS) --quiet --test fuzz

## 用独立的 OOXML 校验器（PyPI 的 openxml-audit）检查示例生成的每个 .docx：
## 元素顺序、必需部件、关系——Word 会因这些问题弹出“修复”提示。CI 会运行它。
VALIDATOR_VENV := target/openxml-audit
validate-docx:
	test -x $(VALIDATOR_VENV)/bin/openxml-audit || \
	  (python3 -m venv $(VALIDATOR_VENV) && $(VALIDATOR_VENV)/bin/pip install -q openxml-audit==0.8.0)
	rm -rf target/validate-docx
	$(CARGO) run --quiet -- build --format docx --out target/validate-docx
	$(VALIDATOR_VENV)/bin/openxml-audit --recursive --quiet target/validate-docx

## 把 output/ 下的 .docx 转成 PDF 和 PNG 页面（output/preview/），不用 Word 也能看版式；
## 缺 LibreOffice、poppler 或 Noto CJK 字体时用 apt-get 安装。不属于 make test。
preview: report
	scripts/preview.sh

fmt:
	$(CARGO) fmt

lint:
	$(CARGO) fmt --check
	$(CARGO) clippy --all-targets -- -D warnings

## 按 tests/support 重新生成示例数据（会覆盖 data/2022/ 下的示例文件）
example-data:
	$(CARGO) run --quiet --example example_data

clean:
	rm -rf output/2*
