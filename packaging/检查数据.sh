#!/bin/sh
# 检查数据：读取全部数据、渲染模板，但不写文件。
cd "$(dirname "$0")" || exit 1
exec ./huibao check --progress none
