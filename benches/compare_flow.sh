#!/usr/bin/env bash
# The engine's application flow (benches/flow.rs) beside the same flow scripted with Python
# Playwright (benches/playwright_flow.py): one mock ATS, the same Chromium, runs interleaved.
#
#   bash benches/compare_flow.sh                      # 10 timed runs each, in 5 rounds
#   FLOW_RUNS=20 FLOW_ROUNDS=10 bash benches/compare_flow.sh
#   PLAYWRIGHT_FLOW_ARGS=--shared-context bash benches/compare_flow.sh   # one context for all
#   FLOW_BACKGROUND_CLOSE=1 bash benches/compare_flow.sh                  # see benches/flow.rs
#
# Each round runs both benches (alternating which goes first), each with one untimed warm-up
# run after its browser started, so a slow spell on the machine hits both alike. Results:
# target/flow-bench/{autoapply,playwright}.json (all rounds merged) and the table printed.
#
# Needs cargo, chromium and chromium-driver (apt-get install -y chromium chromium-driver) and
# python3 with venv; playwright is installed from PyPI into target/flow-bench/venv on first use
# (its own browser download is not needed: the script drives the system Chromium).
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"

runs="${FLOW_RUNS:-10}"
rounds="${FLOW_ROUNDS:-5}"
per_round=$(((runs + rounds - 1) / rounds))

chromium="${CHROMIUM:-}"
if [[ -z "$chromium" ]]; then
  for candidate in chromium chromium-browser google-chrome; do
    if command -v "$candidate" >/dev/null; then
      chromium="$(command -v "$candidate")"
      break
    fi
  done
fi
if [[ -z "$chromium" ]] || { ! command -v chromedriver >/dev/null && [[ ! -x /usr/bin/chromedriver ]]; }; then
  echo "chromium and chromedriver are needed: apt-get install -y chromium chromium-driver" >&2
  exit 1
fi

target_dir="$(cargo metadata --format-version 1 --no-deps |
  python3 -c 'import json, sys; print(json.load(sys.stdin)["target_directory"])')"
out="$target_dir/flow-bench"
mkdir -p "$out/rounds"
rm -f "$out"/rounds/*.json

venv="$out/venv"
if ! "$venv/bin/python" -c 'import playwright.sync_api' 2>/dev/null; then
  python3 -m venv "$venv"
  "$venv/bin/pip" install --quiet playwright
fi

echo "building the bench and the mock ATS (release)..." >&2
bench="$(cargo bench -p autoapply-benches --bench flow --no-run --message-format=json |
  python3 -c '
import json, sys
for line in sys.stdin:
    msg = json.loads(line)
    if msg.get("reason") == "compiler-artifact" and msg["target"]["name"] == "flow" and msg.get("executable"):
        print(msg["executable"])
')"
cargo build --release --quiet -p mock-ats --example serve
serve="$target_dir/release/examples/serve"

# One mock for both tools, on a free port; it lists what it received when interrupted.
"$serve" 0 >"$out/mock.log" 2>&1 &
mock_pid=$!
stop_mock() {
  if kill -0 "$mock_pid" 2>/dev/null; then
    kill -INT "$mock_pid"
    wait "$mock_pid" || true
  fi
}
trap stop_mock EXIT
mock_url=""
for _ in $(seq 1 100); do
  mock_url="$(awk '$1 == "generic" { print $2 }' "$out/mock.log")"
  [[ -n "$mock_url" ]] && break
  sleep 0.1
done
if [[ -z "$mock_url" ]]; then
  echo "the mock ATS did not start; its output:" >&2
  cat "$out/mock.log" >&2
  exit 1
fi
mock_root="${mock_url%%/careers/*}/"
echo "mock ATS at $mock_root; $rounds rounds of $per_round runs per tool" >&2

run_ours() {
  FLOW_RUNS="$per_round" FLOW_WARMUP=1 MOCK_URL="$mock_root" FLOW_OUT="$out/rounds/autoapply-$1.json" \
    "$bench" --bench >"$out/rounds/autoapply-$1.log"
}
run_playwright() {
  # PLAYWRIGHT_FLOW_ARGS: extra options, e.g. --shared-context.
  # shellcheck disable=SC2086
  "$venv/bin/python" benches/playwright_flow.py --mock-url "$mock_root" --runs "$per_round" --warmup 1 \
    --chromium "$chromium" --json "$out/rounds/playwright-$1.json" ${PLAYWRIGHT_FLOW_ARGS:-} \
    >"$out/rounds/playwright-$1.log"
}
for round in $(seq 1 "$rounds"); do
  if ((round % 2)); then
    run_ours "$round"
    run_playwright "$round"
  else
    run_playwright "$round"
    run_ours "$round"
  fi
  echo "round $round/$rounds done" >&2
done

stop_mock
trap - EXIT
received="$(grep -c '^Submission' "$out/mock.log" || true)"
expected=$((rounds * (per_round + 1) * 2))
if [[ "$received" != "$expected" ]]; then
  echo "the mock received $received applications, expected $expected (one per run and warm-up)" >&2
  exit 1
fi

python3 benches/playwright_flow.py --merge "$out/rounds" --json-dir "$out" \
  --note "mock ATS received $received applications, one per run" | tee "$out/compare.txt"
