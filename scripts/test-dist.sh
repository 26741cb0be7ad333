#!/usr/bin/env bash
# make test-dist: the bundles as an office gets them. Both archives are made twice and must be
# byte-identical; both hold the program, the example, the launchers and the guide; the Linux
# program, unpacked on its own, writes the example's reports byte for byte as the reference
# and as this checkout's build, and exits non-zero when a department's data is broken.
set -euo pipefail
cd "$(dirname "$0")/.."
version=$(sed -n 's/^version = "\(.*\)"/\1/p' Cargo.toml | head -1)
lin="dist/huibao-$version-linux-x86_64.tar.gz"
win="dist/huibao-$version-windows-x86_64.zip"
first=$(sha256sum "$lin" "$win")
scripts/dist.sh >/dev/null
second=$(sha256sum "$lin" "$win")
[ "$first" = "$second" ] || { echo "FAIL: the archives differ between two runs" >&2; exit 1; }

python3 - "$win" <<'PY'
import sys, zipfile
names = set(zipfile.ZipFile(sys.argv[1]).namelist())
top = sys.argv[1].split("/")[-1][:-len(".zip")]
for need in ["huibao.exe", "生成报告.bat", "检查数据.bat", "使用说明.txt", "README.md",
             "templates/意识形态工作/report.toml", "data/2022/县退役军人事务局/2022年报告数据.xlsx"]:
    assert f"{top}/{need}" in names, f"missing {need} in {sys.argv[1]}"
bat = zipfile.ZipFile(sys.argv[1]).read(f"{top}/生成报告.bat")
assert b"\r\n" in bat and bat.startswith(b"@echo off\r\nchcp 65001"), "the .bat has CRLF lines and a UTF-8 console"
PY

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
tar -xzf "$lin" -C "$work"
dir="$work/huibao-$version-linux-x86_64"
for need in huibao 生成报告.sh 检查数据.sh 使用说明.txt templates data; do
  [ -e "$dir/$need" ] || { echo "FAIL: $need missing from $lin" >&2; exit 1; }
done
# Static: no program interpreter (the dynamic loader) named in the ELF header's segments.
python3 - "$dir/huibao" <<'PY' || { echo "FAIL: the Linux program is not static" >&2; exit 1; }
import struct, sys
data = open(sys.argv[1], "rb").read()
phoff, = struct.unpack_from("<Q", data, 0x20)
phentsize, phnum = struct.unpack_from("<HH", data, 0x36)
types = [struct.unpack_from("<I", data, phoff + i * phentsize)[0] for i in range(phnum)]
sys.exit(3 in types)  # PT_INTERP
PY
(cd "$dir" && ./生成报告.sh >/dev/null)
cmp "$dir/output/2022/县退役军人事务局/意识形态工作.txt" tests/golden/ideology-report-2022.txt
rm -rf "$work/here" && cargo run --quiet --release -- build --out "$work/here" --progress none >/dev/null
for file in 县退役军人事务局/意识形态工作.docx 县教育体育局/意识形态工作.docx 全县汇总.docx 汇总.xlsx; do
  cmp "$dir/output/2022/$file" "$work/here/2022/$file"
done
# A broken department: the others are written, the exit code says something failed.
printf '指标,数值\n中小学校,五十六\n' | iconv -f UTF-8 -t GBK > "$dir/data/2022/县教育体育局/统计.csv"
if (cd "$dir" && ./huibao build --progress none >/dev/null 2>&1); then
  echo "FAIL: a broken department did not fail the build" >&2; exit 1
fi
echo "test-dist: 两个压缩包可重复生成，Linux 版解压即可生成与参考报告一致的报告。"
