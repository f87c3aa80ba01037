#!/usr/bin/env bash
# The detectors' whole-page analysis beside selectolax (lexbor) parsing the same page and
# listing its inputs, per page of ../shared/corpus and fixtures/.
#
#   bash benches/compare_detect.sh              # bench, then print the table
#   bash benches/compare_detect.sh --no-bench   # reuse the last criterion results
#
# Needs cargo and python3 (with venv); selectolax is installed from PyPI into
# target/selectolax-venv on first use. Takes a few minutes on two cores (release build plus
# about 2.5 s a page).
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"

if [[ ! -d ../shared/corpus ]]; then
  echo "note: ../shared/corpus is missing: only the fixtures are compared" >&2
fi

target_dir="$(cargo metadata --format-version 1 --no-deps \
  | python3 -c 'import json, sys; print(json.load(sys.stdin)["target_directory"])')"

venv="$target_dir/selectolax-venv"
if ! "$venv/bin/python" -c 'import selectolax.lexbor' 2>/dev/null; then
  python3 -m venv "$venv"
  "$venv/bin/pip" install --quiet selectolax
fi

if [[ "${1:-}" != "--no-bench" ]]; then
  cargo bench -p autoapply-benches --bench detect
fi

"$venv/bin/python" benches/selectolax_compare.py \
  --criterion-dir "$target_dir/criterion" \
  --json "$target_dir/detect-vs-selectolax.json"
