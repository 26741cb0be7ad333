#!/usr/bin/env bash
# make test-windows: the Windows bundle, tried as an office runs it. Unpacks the zip `make dist`
# made (huibao.exe cross-compiled for x86_64-pc-windows-gnu with Debian's mingw), runs its
# huibao.exe under Wine on the example it carries and checks the reference report and every
# other file byte for byte against this machine's Linux build, and the exit codes;
# then breaks one department's data and checks that the others are still written, the exit
# code says something failed, and the message is the Chinese one. Installs on first use the
# rustup target and Debian's gcc-mingw-w64-x86-64 and wine64.
#
# Wine 8 lacks ProcessPrng (bcryptprimitives.dll), which Rust's standard library imports; a
# test-only shim (packaging/wine/bcryptprimitives.c) sits next to the .exe under Wine. Real
# Windows 10 and later need no shim, and the bundles do not carry it.
set -euo pipefail
cd "$(dirname "$0")/.."
CARGO=${CARGO:-cargo}
target=x86_64-pc-windows-gnu
rustup target list --installed | grep -qx "$target" || rustup target add "$target"
need=()
command -v x86_64-w64-mingw32-gcc >/dev/null 2>&1 || need+=(gcc-mingw-w64-x86-64)
[ -x /usr/lib/wine/wine64 ] || need+=(wine64)
if [ ${#need[@]} -gt 0 ]; then
  echo "安装 Windows 测试所需的软件包：${need[*]}" >&2
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${need[@]}" >&2
fi
version=$(sed -n 's/^version = "\(.*\)"/\1/p' Cargo.toml | head -1)
bundle="dist/huibao-$version-windows-x86_64.zip"
[ -f "$bundle" ] || { echo "FAIL: $bundle is missing; run make dist" >&2; exit 1; }
"$CARGO" build --release --quiet --bin huibao

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
export WINEPREFIX="$PWD/target/wine-prefix" WINEDEBUG=-all
run() { (cd "$work/win" && timeout 600 /usr/lib/wine/wine64 ./huibao.exe "$@"); }

python3 -c 'import sys, zipfile; zipfile.ZipFile(sys.argv[1]).extractall(sys.argv[2])' "$bundle" "$work"
mv "$work/huibao-$version-windows-x86_64" "$work/win"
x86_64-w64-mingw32-gcc -O2 -shared -o "$work/win/bcryptprimitives.dll" \
  packaging/wine/bcryptprimitives.c -ladvapi32
x86_64-w64-mingw32-gcc -O2 -municode -o "$work/win/hold.exe" packaging/wine/hold.c
cp -r templates data "$work/"

# The example: the same files as the Linux build, exit code 0.
run build --progress none >"$work/out.txt" 2>"$work/err.txt" || {
  echo "FAIL: huibao.exe build exited $?" >&2; cat "$work/err.txt" >&2; exit 1; }
(cd "$work" && "$OLDPWD/target/release/huibao" build --progress none >/dev/null)
grep -q "生成 7 份报告" "$work/out.txt" || { echo "FAIL: $(cat "$work/out.txt")" >&2; exit 1; }
cmp "$work/win/output/2022/县退役军人事务局/意识形态工作.txt" tests/golden/ideology-report-2022.txt
count=0
while IFS= read -r -d '' file; do
  name=${file#"$work/output/"}
  case "$name" in */生成情况* | .huibao.lock) continue ;; esac
  cmp "$file" "$work/win/output/$name"
  count=$((count + 1))
done < <(find "$work/output" -type f -print0)
[ "$count" -eq 22 ] || { echo "FAIL: compared $count files, expected 22" >&2; exit 1; }

# A broken department: the others are written again, the exit code is 1, the message Chinese.
printf '指标,数值\n中小学校,五十六\n' | iconv -f UTF-8 -t GBK > "$work/win/data/2022/县教育体育局/统计.csv"
rm -rf "$work/win/output"
code=0
run build --progress none >"$work/out.txt" 2>"$work/err.txt" || code=$?
[ "$code" -eq 1 ] || { echo "FAIL: a broken department gave exit code $code" >&2; exit 1; }
grep -q "“中小学校”应为数值，实际为“五十六”" "$work/err.txt" || {
  echo "FAIL: no Chinese message:" >&2; cat "$work/err.txt" >&2; exit 1; }
cmp "$work/output/2022/县退役军人事务局/意识形态工作.docx" \
  "$work/win/output/2022/县退役军人事务局/意识形态工作.docx"
# A report open in Word (held with read sharing only by hold.exe): that report fails with the
# message to close it, the open file is left as it was, the others are written.
cp "$work/data/2022/县教育体育局/统计.csv" "$work/win/data/2022/县教育体育局/统计.csv"
printf '\n另有一句。\n' >> "$work/win/templates/意识形态工作/01-开篇.md"
open_docx="$work/win/output/2022/县退役军人事务局/意识形态工作.docx"
before=$(sha256sum < "$open_docx")
(cd "$work/win" && /usr/lib/wine/wine64 ./hold.exe 'output\2022\县退役军人事务局\意识形态工作.docx' release.flag) &
holder=$!
for _ in $(seq 100); do [ -e "$work/win/held.flag" ] && break; sleep 0.1; done
code=0
run build --progress none >"$work/out.txt" 2>"$work/err.txt" || code=$?
touch "$work/win/release.flag"
wait "$holder" || true
[ "$code" -eq 1 ] || { echo "FAIL: a report open in Word gave exit code $code" >&2; cat "$work/err.txt" >&2; exit 1; }
grep -q "请先在 Word/WPS 中关闭“意识形态工作.docx”再运行" "$work/err.txt" || {
  echo "FAIL: no message to close the file:" >&2; cat "$work/err.txt" >&2; exit 1; }
[ "$(sha256sum < "$open_docx")" = "$before" ] || { echo "FAIL: the open file changed" >&2; exit 1; }
grep -q "另有一句" "$work/win/output/2022/县教育体育局/意识形态工作.txt" || {
  echo "FAIL: the other reports were not written" >&2; exit 1; }
echo "test-windows: huibao.exe 在 Wine 下生成的 $count 个文件与 Linux 版逐字节相同；有单位数据出错时其他单位照常生成，退出码为 1；在 Word 中打开的报告提示先关闭，文件不变。"
