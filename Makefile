# huibao — 两条命令：make report（生成示例报告）和 make test（运行全部测试）。

CARGO ?= cargo

.PHONY: report check test preview fmt lint example-data clean

## 生成 data/ 下最新年度、全部单位、全部报告种类的报告，写入 output/
report:
	$(CARGO) run --release --quiet -- build

## 只检查，不写文件
check:
	$(CARGO) run --release --quiet -- check

## 构建并运行全部测试
test:
	$(CARGO) test --all-targets --quiet

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
