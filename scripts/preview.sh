#!/usr/bin/env bash
# make preview: every .docx under output/ → PDF → PNG pages under output/preview/, so anyone
# can look at the pages without Word. Installs LibreOffice, poppler and the Noto CJK fonts
# with apt-get when they are missing, and maps the government fonts (仿宋_GB2312, 方正小标宋简体,
# 黑体, 楷体_GB2312, 宋体) to Noto CJK with a fontconfig file of its own: 小标宋 to the bold
# weight, since it is a heavy face. Times New Roman needs its metric twin, Liberation Serif
# (fonts-liberation): a wider fallback would move every line break with a digit in it.
set -euo pipefail
cd "$(dirname "$0")/.."

need=()
command -v soffice >/dev/null 2>&1 || need+=(libreoffice-writer)
command -v pdftoppm >/dev/null 2>&1 || need+=(poppler-utils)
command -v fc-list >/dev/null 2>&1 || need+=(fontconfig)
{ command -v fc-list >/dev/null 2>&1 && fc-list | grep -q "Noto Serif CJK"; } || need+=(fonts-noto-cjk)
{ command -v fc-list >/dev/null 2>&1 && fc-list | grep -q "Liberation Serif"; } || need+=(fonts-liberation)
if [ ${#need[@]} -gt 0 ]; then
  echo "安装预览所需的软件包：${need[*]}" >&2
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${need[@]}" >&2
fi

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
{
  echo '<?xml version="1.0"?><!DOCTYPE fontconfig SYSTEM "fonts.dtd"><fontconfig>'
  echo '<include ignore_missing="yes">/etc/fonts/fonts.conf</include>'
  alias() { echo "<alias binding=\"same\"><family>$1</family><prefer><family>$2</family></prefer></alias>"; }
  for f in 仿宋_GB2312 方正仿宋_GBK 方正仿宋简体 仿宋 宋体 楷体_GB2312 方正楷体_GBK 楷体; do
    alias "$f" "Noto Serif CJK SC"
  done
  for f in 方正小标宋简体 方正小标宋_GBK; do
    echo "<match target=\"pattern\"><test name=\"family\"><string>$f</string></test><edit name=\"family\" mode=\"assign\" binding=\"same\"><string>Noto Serif CJK SC</string></edit><edit name=\"weight\" mode=\"assign\"><const>bold</const></edit></match>"
  done
  alias "Times New Roman" "Liberation Serif"
  for f in 黑体 方正黑体_GBK 方正黑体简体; do alias "$f" "Noto Sans CJK SC"; done
  echo '</fontconfig>'
} > "$work/fonts.conf"
export FONTCONFIG_FILE="$work/fonts.conf"

found=0
while IFS= read -r -d '' docx; do
  found=1
  relative=${docx#output/}
  target="output/preview/$(dirname "$relative")"
  name=$(basename "$docx" .docx)
  mkdir -p "$target"
  soffice --headless -env:UserInstallation="file://$work/profile" \
    --convert-to pdf --outdir "$target" "$docx" >/dev/null 2>&1
  rm -f "$target/$name"-*.png
  pdftoppm -png -r 80 "$target/$name.pdf" "$target/$name"
  echo "$target/$name.pdf（$(ls "$target/$name"-*.png | wc -l) 页）"
done < <(find output -path output/preview -prune -o -name '*.docx' -print0 | sort -z)
if [ "$found" = 0 ]; then
  echo "output/ 下没有 .docx：请先运行 make report。" >&2
  exit 1
fi
