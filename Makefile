# huibao — 两条命令：make report（生成示例报告）和 make test（运行全部测试）。

CARGO ?= cargo

.PHONY: report check test bench fuzz validate-docx preview dist test-dist test-windows fmt lint example-data clean

HUIBAO := target/release/huibao
# The binary is rebuilt only when a source changed, so a second make report does not wait
# for cargo to find that out.
$(HUIBAO): Cargo.toml Cargo.lock $(shell find src -name '*.rs')
	$(CARGO) build --release --quiet --bin huibao
	@touch $@

## 生成 data/ 下最新年度、全部单位、全部报告种类的报告，写入 output/
report: $(HUIBAO)
	$(HUIBAO) build

## 只检查，不写文件
check: $(HUIBAO)
	$(HUIBAO) check

## 构建并运行全部测试
test:
	$(CARGO) test --all-targets --quiet

## 基准（不属于 make test）：生成 100、1,000、10,000 个单位的真实规模数据（target/bench/<N>/），
## 用 hyperfine 对比 huibao（txt+md、--jobs 1、docx）、只用 calamine 读取同样工作簿的下限，以及
## 用户自己会写的 Python 脚本（openpyxl + jinja2、python-docx，见 bench/），打印耗时、倍数、
## 峰值内存和各项目标的 PASS/FAIL。首次运行在 target/bench-venv 安装 Python 依赖，缺 hyperfine
## 或 /usr/bin/time 时用 apt-get 安装。BENCH_SIZES 改规模；超过 BENCH_PYTHON_MAX（默认 1000）
## 个单位时不跑 Python 脚本。
bench:
	CARGO=$(CARGO) bench/run.sh

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

## 打包（不属于 make test）：dist/ 下的 Windows 压缩包（huibao.exe、示例、双击运行的 .bat、使用说明）和
## Linux 压缩包（静态链接的 huibao、.sh）。首次运行会安装 rustup 目标和 musl-tools、mingw 编译器。
dist:
	CARGO=$(CARGO) scripts/dist.sh

## 检查打包结果：解开 Linux 压缩包，用其中的程序生成示例报告，与参考报告和本机构建的结果逐字节比较。
test-dist: dist
	scripts/test-dist.sh

## Windows 版的测试（不属于 make test，需下载 Wine）：解开 make dist 的 Windows 压缩包，在 Wine 中
## 用其中的 huibao.exe 生成示例报告，与参考报告和 Linux 版逐字节比较，并检查某个单位数据出错、
## 报告在 Word 中打开时的提示和退出码。
test-windows: dist
	CARGO=$(CARGO) scripts/test-windows.sh

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
