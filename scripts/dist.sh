#!/usr/bin/env bash
# make dist: the bundles an office downloads, unzips and uses without Rust:
#   dist/huibao-<version>-windows-x86_64.zip     huibao.exe, templates/, data/, 生成报告.bat, 检查数据.bat, 使用说明.txt
#   dist/huibao-<version>-linux-x86_64.tar.gz    a static (musl) huibao, the same folders, .sh launchers
# Installs on first use what it needs: the rustup targets and Debian's musl-tools and
# gcc-mingw-w64-x86-64. Archives are deterministic: sorted entries, fixed times, owners and
# permissions, so the same sources give the same bytes.
set -euo pipefail
cd "$(dirname "$0")/.."
CARGO=${CARGO:-cargo}
version=$(sed -n 's/^version = "\(.*\)"/\1/p' Cargo.toml | head -1)
linux=x86_64-unknown-linux-musl
windows=x86_64-pc-windows-gnu

installed=$(rustup target list --installed)
for target in "$linux" "$windows"; do
  grep -qx "$target" <<<"$installed" || rustup target add "$target"
done
need=()
command -v musl-gcc >/dev/null 2>&1 || need+=(musl-tools)
command -v x86_64-w64-mingw32-gcc >/dev/null 2>&1 || need+=(gcc-mingw-w64-x86-64)
command -v python3 >/dev/null 2>&1 || need+=(python3)
if [ ${#need[@]} -gt 0 ]; then
  echo "安装打包所需的软件包：${need[*]}" >&2
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${need[@]}" >&2
fi

export CARGO_TARGET_X86_64_PC_WINDOWS_GNU_LINKER=x86_64-w64-mingw32-gcc
export CC_x86_64_unknown_linux_musl=musl-gcc
"$CARGO" build --release --quiet --bin huibao --target "$linux"
"$CARGO" build --release --quiet --bin huibao --target "$windows"

stage=target/dist
rm -rf "$stage"
mkdir -p "$stage" dist
# The example workspace as the repository holds it.
common() {
  local dir=$1
  mkdir -p "$dir"
  git ls-files -z templates data | while IFS= read -r -d '' file; do
    mkdir -p "$dir/$(dirname "$file")"
    cp "$file" "$dir/$file"
  done
  mkdir -p "$dir/output"
  cp README.md "$dir/README.md"
}

lin="huibao-$version-linux-x86_64"
common "$stage/$lin"
cp "target/$linux/release/huibao" "$stage/$lin/huibao"
cp packaging/生成报告.sh packaging/检查数据.sh packaging/使用说明.txt "$stage/$lin/"
chmod 755 "$stage/$lin/huibao" "$stage/$lin/生成报告.sh" "$stage/$lin/检查数据.sh"

win="huibao-$version-windows-x86_64"
common "$stage/$win"
cp "target/$windows/release/huibao.exe" "$stage/$win/huibao.exe"
# Windows files: CRLF line ends; the guide with a BOM so every Notepad reads it as UTF-8.
for file in 生成报告.bat 检查数据.bat; do
  sed 's/$/\r/' "packaging/$file" > "$stage/$win/$file"
done
{ printf '\xef\xbb\xbf'; sed 's/$/\r/' packaging/使用说明.txt; } > "$stage/$win/使用说明.txt"

python3 scripts/archive.py tar "$stage" "$lin" "dist/$lin.tar.gz"
python3 scripts/archive.py zip "$stage" "$win" "dist/$win.zip"
ls -l "dist/$lin.tar.gz" "dist/$win.zip"
