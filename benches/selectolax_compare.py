#!/usr/bin/env python3
"""Times selectolax (lexbor backend) parsing each page and listing its inputs.

The baseline for the detectors' bench: `LexborHTMLParser(html).css("input, select, textarea")`
per page of ../shared/corpus and fixtures/, median of several timed runs. With
--criterion-dir it also reads the `detect` bench's results (cargo bench -p autoapply-benches
--bench detect) and prints both side by side. `compare_detect.sh` does all of it.

    python3 benches/selectolax_compare.py [--criterion-dir target/criterion] [--json FILE]
"""

import argparse
import json
import os
import statistics
import sys
import timeit
from pathlib import Path

try:
    from selectolax.lexbor import LexborHTMLParser
except ImportError:
    sys.exit("selectolax is not installed: pip install selectolax (compare_detect.sh does it in a venv)")

ROOT = Path(__file__).resolve().parent.parent
SOURCES = {"corpus": ROOT.parent / "shared" / "corpus", "fixture": ROOT / "fixtures"}


def pages():
    """(ats, source, name, html) for every <root>/<ats>/*.html, sorted like the bench."""
    found = []
    for source, root in SOURCES.items():
        if not root.is_dir():
            continue
        for path in root.glob("*/*.html"):
            found.append((path.parent.name, source, path.name[: -len(".html")], path.read_text("utf-8")))
    return sorted(found, key=lambda page: page[:3])


def parse_and_list(html):
    return LexborHTMLParser(html).css("input, select, textarea")


def time_page(html, repeat=7, min_total=0.2):
    """Median seconds per parse+list, over `repeat` runs of enough loops for `min_total` s."""
    loops = 1
    while timeit.timeit(lambda: parse_and_list(html), number=loops) < min_total / repeat:
        loops *= 2
    runs = timeit.repeat(lambda: parse_and_list(html), number=loops, repeat=repeat)
    return statistics.median(runs) / loops


def criterion_results(directory):
    """{(bench, ats, "source/name"): median seconds} from criterion's */new/ files."""
    results = {}
    for benchmark in Path(directory).glob("**/new/benchmark.json"):
        meta = json.loads(benchmark.read_text())
        estimates = json.loads((benchmark.parent / "estimates.json").read_text())
        key = (meta.get("function_id"), meta["group_id"], meta.get("value_str"))
        results[key] = estimates["median"]["point_estimate"] / 1e9
    return results


def rate(size, seconds):
    return f"{size / seconds / 1e6:6.1f}" if seconds else "     -"


def shorten(text, width):
    return text if len(text) <= width else text[: width - 1] + "…"


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--criterion-dir", help="criterion output (target/criterion) to compare with")
    parser.add_argument("--json", help="write the figures to this file as JSON")
    args = parser.parse_args()

    ours = criterion_results(args.criterion_dir) if args.criterion_dir else {}
    rows = []
    for ats, source, name, html in pages():
        size = len(html.encode("utf-8"))
        count = len(parse_and_list(html))
        theirs = time_page(html)
        mine = ours.get(("detect", ats, f"{source}/{name}"))
        parse_only = ours.get(("scraper-parse", ats, f"{source}/{name}"))
        rows.append(
            {
                "ats": ats,
                "source": source,
                "page": name,
                "bytes": size,
                "inputs": count,
                "selectolax_s": theirs,
                "detect_s": mine,
                "scraper_parse_s": parse_only,
            }
        )

    header = f"{'page':<72} {'KiB':>6} {'inputs':>6} {'lexbor µs':>10} {'MB/s':>6}"
    if ours:
        header += f" {'detect µs':>10} {'MB/s':>6} {'ratio':>6} {'parse µs':>9} {'parse %':>7}"
    print(header)
    total_theirs = total_mine = total_parse = 0.0
    faster = compared = 0
    for row in rows:
        line = (
            f"{shorten(row['ats'] + '/' + row['source'] + '/' + row['page'], 72):<72} {row['bytes'] / 1024:6.1f} "
            f"{row['inputs']:6d} {row['selectolax_s'] * 1e6:10.1f} {rate(row['bytes'], row['selectolax_s'])}"
        )
        if ours:
            mine = row["detect_s"]
            parse_only = row["scraper_parse_s"]
            if mine is None:
                line += f" {'-':>10} {'-':>6} {'-':>6} {'-':>9} {'-':>7}"
            else:
                compared += 1
                faster += mine < row["selectolax_s"]
                total_theirs += row["selectolax_s"]
                total_mine += mine
                line += f" {mine * 1e6:10.1f} {rate(row['bytes'], mine)} {mine / row['selectolax_s']:6.2f}"
                if parse_only is not None:
                    total_parse += parse_only
                    line += f" {parse_only * 1e6:9.1f} {100 * parse_only / mine:6.0f}%"
        print(line)
    if compared:
        print(
            f"\n{compared} pages: detect (full analysis) took {total_mine * 1e3:.2f} ms in all, "
            f"selectolax parse+list {total_theirs * 1e3:.2f} ms (ratio {total_mine / total_theirs:.2f}; "
            f"< 1 means the detectors are faster); detect faster on {faster} of {compared} pages"
        )
        if total_parse:
            print(f"scraper's parse alone: {total_parse * 1e3:.2f} ms ({100 * total_parse / total_mine:.0f}% of detect)")
    print("(medians; ratio = detect time / selectolax time)")
    if args.json:
        Path(args.json).write_text(json.dumps(rows, indent=2) + "\n")


if __name__ == "__main__":
    main()
