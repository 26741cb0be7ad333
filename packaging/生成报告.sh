#!/bin/sh
# 生成报告：最新年度、全部单位，写入 output/。
cd "$(dirname "$0")" || exit 1
./huibao build --progress lines
result=$?
echo
if [ "$result" -eq 0 ]; then
  echo "全部报告已生成，在 output/ 文件夹。"
else
  echo "有报告没有生成，请看上面的“错误”提示，改好数据后再运行一次。"
fi
if command -v xdg-open >/dev/null 2>&1; then xdg-open output >/dev/null 2>&1 & fi
exit "$result"
