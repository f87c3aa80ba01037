#!/usr/bin/env python3
"""The flow bench's application, scripted with Python Playwright: the baseline for benches/flow.rs.

Same mock ATS flow (generic, three pages), same browser binary and headless flags, same
window size, same fields and values: Playwright's `fill`, `check` and `set_input_files`,
then a click on Next/Submit inside `expect_navigation`. Each run gets a fresh browser
context (the engine's equivalent is a pooled session cleaned between applications); the
browser itself is launched once, outside the timings, as the engine's is.

Phases, as in flow.rs: start (new context and page, goto), fill N, next N / submit (the
click until the next page has loaded), close (the context closed). Prints a table of
median/p90 per phase and writes JSON of the same shape as the Rust bench's.

    MOCK_URL=http://127.0.0.1:PORT/ python3 benches/playwright_flow.py [--runs 10] [--warmup 1]
    python3 benches/playwright_flow.py --merge DIR [--json-dir DIR]   # side-by-side table

`compare_flow.sh` starts the mock, installs playwright in a venv and runs both benches in
interleaved rounds, then calls `--merge` on the rounds' JSON files (`autoapply-N.json`,
`playwright-N.json`) to print both tools per phase and write the merged results.
"""

import argparse
import json
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urljoin

ROOT = Path(__file__).resolve().parent.parent
START_PATH = "/careers/apply"
PAGES = 3
VIEWPORT = {"width": 1280, "height": 900}

# engine-webdriver's CHROME_FLAGS, less --headless=new: Playwright adds --headless itself,
# which on Chromium 132 and later is the same (new) headless mode.
CHROME_FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-quic",
    "--no-first-run",
    "--no-default-browser-check",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-default-apps",
    "--disable-extensions",
    "--disable-breakpad",
    "--disable-crash-reporter",
    "--mute-audio",
    "--window-size=1280,900",
]

# flow.rs's RESUME, byte for byte.
RESUME = b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\nAda Lovelace resume\x00\x01\x02\r\n%%EOF\n"


def phase_names(pages):
    names = ["start"]
    for page in range(1, pages + 1):
        names.append(f"fill {page}")
        names.append("submit" if page == pages else f"next {page}")
    names.append("close")
    return names


class Clock:
    """Cuts one run into phases and counts the Playwright calls in each."""

    def __init__(self):
        self.started = time.perf_counter()
        self.mark = self.started
        self.phases = {}
        self.calls = {}
        self.pending = 0

    def call(self, result=None):
        self.pending += 1
        return result

    def cut(self, name):
        now = time.perf_counter()
        self.phases[name] = (now - self.mark) * 1000.0
        self.calls[name] = self.pending
        self.mark = now
        self.pending = 0

    def total_ms(self):
        return (self.mark - self.started) * 1000.0


def run_once(browser, start_url, resume_path, shared_context=None):
    c = Clock()
    if shared_context is None:
        context = c.call(browser.new_context(viewport=VIEWPORT))
    else:
        context = shared_context
    page = c.call(context.new_page())
    c.call(page.goto(start_url))
    c.cut("start")

    c.call(page.fill("#first_name", "Ada"))
    c.call(page.fill("#last_name", "Lovelace"))
    c.call(page.fill("#email", "ada@example.com"))
    c.call(page.fill("#phone", "+1 555 010 0199"))
    c.cut("fill 1")
    with page.expect_navigation():
        c.call(page.click("#next"))
    c.call()
    c.cut("next 1")

    c.call(page.check("#work_authorized_yes"))
    c.call(page.check("#visa_sponsorship_no"))
    c.call(page.fill("#start_date", "2027-03-01"))
    c.cut("fill 2")
    with page.expect_navigation():
        c.call(page.click("#next"))
    c.call()
    c.cut("next 2")

    c.call(page.set_input_files("#resume", resume_path))
    c.call(page.fill("#cover_letter", "Dear team,\nhello."))
    c.call(page.check("#privacy_consent"))
    c.cut("fill 3")
    with page.expect_navigation():
        c.call(page.click("#submit"))
    c.call()
    # Where the engine reads the confirmation page, the script at least checks it is there.
    if not page.url.split("?")[0].endswith("/careers/apply/confirmation"):
        raise RuntimeError(f"submitted, but the browser is on {page.url}")
    c.cut("submit")

    if shared_context is None:
        c.call(context.close())
    else:
        c.call(page.close())
        c.call(context.clear_cookies())
    c.cut("close")
    return c


def quantile(values, q):
    """Nearest rank, as flow.rs computes it."""
    ordered = sorted(values)
    rank = max(1, min(len(ordered), int(-(-q * len(ordered) // 1))))
    return ordered[rank - 1]


def report(names, clocks, warmup, info):
    print(f"\nPython Playwright, mock ATS generic flow ({PAGES} pages), {len(clocks)} runs after {warmup} warm-up")
    print(f"{'phase':<8} {'median ms':>9} {'p90 ms':>9} {'calls':>7}")
    summary = {}
    for name in names:
        times = [c.phases[name] for c in clocks]
        calls = statistics.median(c.calls[name] for c in clocks)
        print(f"{name:<8} {statistics.median(times):>9.1f} {quantile(times, 0.9):>9.1f} {calls:>7}")
        summary[name] = {
            "median_ms": round(statistics.median(times), 2),
            "p90_ms": round(quantile(times, 0.9), 2),
            "api_calls": calls,
        }
    totals = [c.total_ms() for c in clocks]
    print(f"{'total':<8} {statistics.median(totals):>9.1f} {quantile(totals, 0.9):>9.1f}")
    print("(calls: Playwright API calls, each a round trip to its driver process, and navigation waits)")
    summary["total"] = {
        "median_ms": round(statistics.median(totals), 2),
        "p90_ms": round(quantile(totals, 0.9), 2),
    }
    return {
        "tool": "playwright",
        "flow": "generic",
        "pages": PAGES,
        "warmup": warmup,
        "phases": names,
        "info": info,
        "runs": [
            {
                "phases_ms": {n: round(c.phases[n], 2) for n in names},
                "api_calls": dict(c.calls),
                "total_ms": round(c.total_ms(), 2),
            }
            for c in clocks
        ],
        "summary": summary,
    }


def merge(rounds_dir, json_dir, note):
    """Merges the rounds' results per tool, prints them side by side, writes the merged JSON."""
    merged = {}
    for tool in ("autoapply", "playwright"):
        files = sorted(Path(rounds_dir).glob(f"{tool}-*.json"))
        if not files:
            sys.exit(f"no {tool}-*.json in {rounds_dir}: run compare_flow.sh")
        results = [json.loads(f.read_text()) for f in files]
        first = results[0]
        runs = [run for result in results for run in result["runs"]]
        summary = {}
        for name in first["phases"]:
            times = [run["phases_ms"][name] for run in runs]
            entry = {"median_ms": round(statistics.median(times), 2), "p90_ms": round(quantile(times, 0.9), 2)}
            if tool == "autoapply":
                entry["round_trips"] = statistics.median(run["round_trips"][name] for run in runs)
                ops = {}
                for op in sorted({op for run in runs for op in run["ops"][name]}):
                    spent = [run["ops"][name].get(op, {}).get("ms", 0.0) for run in runs]
                    count = [run["ops"][name].get(op, {}).get("count", 0) for run in runs]
                    ops[op] = {"median_ms": round(statistics.median(spent), 2), "count": statistics.median(count)}
                entry["ops"] = ops
            summary[name] = entry
        totals = [run["total_ms"] for run in runs]
        summary["total"] = {"median_ms": round(statistics.median(totals), 2), "p90_ms": round(quantile(totals, 0.9), 2)}
        if tool == "autoapply":
            summary["total"]["round_trips"] = statistics.median(sum(run["round_trips"].values()) for run in runs)
        merged[tool] = dict(first, runs=runs, rounds=len(results), summary=summary)

    ours, theirs = merged["autoapply"]["summary"], merged["playwright"]["summary"]
    names = merged["autoapply"]["phases"] + ["total"]
    n_ours, n_theirs = len(merged["autoapply"]["runs"]), len(merged["playwright"]["runs"])
    print(f"\nmock ATS generic flow ({merged['autoapply']['pages']} pages), headless Chromium, same machine, "
          f"{merged['autoapply']['rounds']} interleaved rounds: autoapply {n_ours} runs, Playwright {n_theirs} runs")
    print(f"{'phase':<8} {'autoapply ms':>13} {'(p90)':>8} {'Playwright ms':>14} {'(p90)':>8} {'ours/theirs':>12} {'WD trips':>9}")
    for name in names:
        a, b = ours[name], theirs[name]
        ratio = a["median_ms"] / b["median_ms"] if b["median_ms"] else float("nan")
        print(f"{name:<8} {a['median_ms']:>13.1f} {a['p90_ms']:>8.1f} {b['median_ms']:>14.1f} {b['p90_ms']:>8.1f} "
              f"{ratio:>12.2f} {a.get('round_trips', ''):>9}")
    print("\nautoapply, where each phase's time goes (median ms, and number of calls):")
    ops = ["open", "snapshot", "analyse", "fill", "click", "pause", "close"]
    print(f"{'phase':<8} " + " ".join(f"{op:>12}" for op in ops))
    for name in merged["autoapply"]["phases"]:
        cells = []
        for op in ops:
            entry = ours[name]["ops"].get(op)
            cells.append(f"{entry['median_ms']:.1f} ({entry['count']:g})" if entry else "")
        print(f"{name:<8} " + " ".join(f"{cell:>12}" for cell in cells))
    if note:
        print(f"\n{note}")
    out = Path(json_dir)
    out.mkdir(parents=True, exist_ok=True)
    for tool, result in merged.items():
        (out / f"{tool}.json").write_text(json.dumps(result, indent=2) + "\n")
    comparison = {
        name: {"autoapply_ms": ours[name]["median_ms"], "playwright_ms": theirs[name]["median_ms"]} for name in names
    }
    (out / "compare.json").write_text(json.dumps(comparison, indent=2) + "\n")
    print(f"wrote {out / 'autoapply.json'}, {out / 'playwright.json'}, {out / 'compare.json'}")


def main():
    target = Path(os.environ.get("CARGO_TARGET_DIR", ROOT / "target"))
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--mock-url", default=os.environ.get("MOCK_URL"), help="root URL of a running mock ATS (env MOCK_URL)")
    parser.add_argument("--runs", type=int, default=int(os.environ.get("FLOW_RUNS", "10")))
    parser.add_argument("--warmup", type=int, default=int(os.environ.get("FLOW_WARMUP", "1")))
    parser.add_argument("--chromium", default=os.environ.get("CHROMIUM", "/usr/bin/chromium"))
    parser.add_argument(
        "--json",
        default=os.environ.get("FLOW_OUT", str(target / "flow-bench" / "playwright.json")),
        help="where to write the result",
    )
    parser.add_argument(
        "--shared-context",
        action="store_true",
        help="one browser context for all runs (a new page per run, cookies cleared after), "
        "instead of a fresh context per run",
    )
    parser.add_argument("--merge", metavar="DIR", help="merge compare_flow.sh's rounds in DIR and print both tools")
    parser.add_argument("--json-dir", default=str(target / "flow-bench"), help="where --merge writes the merged JSON")
    parser.add_argument("--note", default="", help="a line --merge prints under the table")
    args = parser.parse_args()
    if args.merge:
        merge(args.merge, args.json_dir, args.note)
        return
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        sys.exit("playwright is not installed: pip install playwright (compare_flow.sh does it in a venv)")
    if not args.mock_url:
        sys.exit("no mock ATS: start one (cargo run -p mock-ats --example serve) and pass MOCK_URL=http://127.0.0.1:PORT/")
    start_url = urljoin(args.mock_url, START_PATH)
    names = phase_names(PAGES)

    with tempfile.TemporaryDirectory(prefix="flow-bench-") as scratch:
        resume_path = os.path.join(scratch, "resume.pdf")
        with open(resume_path, "wb") as f:
            f.write(RESUME)
        with sync_playwright() as p:
            launched = time.perf_counter()
            browser = p.chromium.launch(executable_path=args.chromium, headless=True, args=CHROME_FLAGS)
            launch_ms = (time.perf_counter() - launched) * 1000.0
            clocks = []
            try:
                shared = browser.new_context(viewport=VIEWPORT) if args.shared_context else None
                for index in range(args.warmup + max(1, args.runs)):
                    clock = run_once(browser, start_url, resume_path, shared)
                    if index >= args.warmup:
                        clocks.append(clock)
                info = {
                    "browser": f"chromium {browser.version} (headless) via Playwright {playwright_version()}",
                    "browser_start_ms": round(launch_ms, 2),
                    "mock": "external",
                    "context": "shared" if args.shared_context else "per run",
                }
            finally:
                browser.close()

    result = report(names, clocks, args.warmup, info)
    out = Path(args.json)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(result, indent=2) + "\n")
    print(f"wrote {out}")


def playwright_version():
    try:
        from importlib.metadata import version

        return version("playwright")
    except Exception:  # noqa: BLE001 - the version is only informative
        return "?"


if __name__ == "__main__":
    main()
