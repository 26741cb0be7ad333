#!/usr/bin/env bash
# Writes src/emit/title_dictionary.txt: jieba's dictionary (dict.txt of the jieba-rs crate in
# Cargo.lock, MIT licence), its lines sorted by word in byte order, which emit/title_words.rs
# searches by word. Run it again after updating jieba-rs (the tests then say whether the
# total and longest word written in title_words.rs still hold).
set -euo pipefail
cd "$(dirname "$0")/.."
manifest=$(cargo metadata --format-version 1 --locked |
  python3 -c 'import json, sys; print(next(p["manifest_path"] for p in json.load(sys.stdin)["packages"] if p["name"] == "jieba-rs"))')
dict="$(dirname "$manifest")/src/data/dict.txt"
LC_ALL=C sort -t' ' -k1,1 "$dict" >src/emit/title_dictionary.txt
echo "src/emit/title_dictionary.txt ← $dict ($(wc -l <"$dict") words)"
