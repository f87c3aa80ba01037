#!/usr/bin/env bash
# Instructions (not seconds) the detectors spend on the corpus pages and fixtures, counted by
# callgrind: the same figures on a busy machine as on an idle one, for comparing changes.
# Prints the instructions of one round over all pages: the whole analysis, the parse
# (through scraper), the pre-pass before it, and what is left (the detectors' own walks).
#
#   bash benches/count_detect.sh [ROUNDS] [FILTER]     # FILTER: only pages whose ats/name holds it
#
# Needs valgrind (callgrind_annotate comes with it).
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
rounds="${1:-2}"
filter="${2:-}"

cargo build --release -q -p autoapply-benches --example analyse_corpus
target_dir="$(cargo metadata --format-version 1 --no-deps \
  | python3 -c 'import json, sys; print(json.load(sys.stdin)["target_directory"])')"
out="$(mktemp)"
trap 'rm -f "$out"' EXIT
valgrind --tool=callgrind --callgrind-out-file="$out" \
  "$target_dir/release/examples/analyse_corpus" "$rounds" "$filter" 2>&1 | grep -v '^==' || true
callgrind_annotate --inclusive=yes "$out" 2>/dev/null | python3 -c '
import re, sys
rounds = int(sys.argv[1])
want = {
    "detectors::analyse_document": "analysis in all",
    "detectors::parse::parse_document": "  parse",
    "detectors::prefilter::prefilter": "  pre-pass",
}
seen = {}
for line in sys.stdin:
    m = re.match(r"\s*([\d,]+) \(.*?\)\s+\S*?:([^ ]+) \[", line)
    if m and m.group(2) in want and m.group(2) not in seen:
        seen[m.group(2)] = int(m.group(1).replace(",", "")) / rounds
if len(seen) < len(want):
    sys.exit("callgrind_annotate did not list every function (were symbols stripped?)")
for fn, label in want.items():
    print(f"{label:<20} {seen[fn] / 1e6:8.1f} M instructions a round")
rest = seen["detectors::analyse_document"] - seen["detectors::parse::parse_document"] - seen["detectors::prefilter::prefilter"]
label = "  the rest"
print(f"{label:<20} {rest / 1e6:8.1f} M instructions a round")
' "$rounds"
