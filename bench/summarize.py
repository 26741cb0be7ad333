#!/usr/bin/env python3
"""Prints the tables, ratios and PASS/FAIL lines of `make bench` from what bench/run.sh left.

    python3 bench/summarize.py target/bench 100 1000 10000

Wall times are hyperfine's mean (min alongside: on a shared machine it is the steadier one);
peak memory is the median run's (the highest for the 64 MiB target);
ratios and targets use the mean. CPU s is user + system time on all threads (from GNU time).
Reads ROOT/N/hyperfine-NAME.json (hyperfine's --export-json), ROOT/N/rss-NAME.txt (the output
of /usr/bin/time -v for every run, appended; rss-memory.txt, of the run for memory alone) and
ROOT/N/python-diff.txt ("files differing").
The targets are printed, never enforced: the exit code is 0 whenever the results were readable.
Standard library only, so it runs with the system's python3.
"""

import json
import os
import re
import sys
from pathlib import Path

COMMANDS = [
    ("text", f"huibao build --format txt,md (jobs {os.cpu_count()})"),
    ("jobs1", "huibao build --format txt --jobs 1"),
    ("docx", f"huibao build --format docx (jobs {os.cpu_count()})"),
    ("floor", "read floor: calamine, 1 thread"),
    ("py-text", "Python: openpyxl + jinja2 (txt, md)"),
    ("py-docx", "Python: python-docx (docx)"),
]
HUIBAO = ("text", "jobs1", "docx")


def median(values):
    ordered = sorted(values)
    middle = len(ordered) // 2
    return ordered[middle] if len(ordered) % 2 else (ordered[middle - 1] + ordered[middle]) / 2


def load(root, n):
    """{name: {"mean", "stddev", "runs", "rss_mib", "rss_max_mib", "cpu"}} for the commands
    measured at N: peak memory of the median run and of the highest."""
    out = {}
    for name, _ in COMMANDS:
        path = root / str(n) / f"hyperfine-{name}.json"
        if not path.exists():
            continue
        result = json.loads(path.read_text())["results"][0]
        rss = root / str(n) / f"rss-{name}.txt"
        text = rss.read_text() if rss.exists() else ""
        kib = [int(k) for k in re.findall(r"Maximum resident set size \(kbytes\): (\d+)", text)]
        user = [float(s) for s in re.findall(r"User time \(seconds\): ([\d.]+)", text)]
        system = [float(s) for s in re.findall(r"System time \(seconds\): ([\d.]+)", text)]
        cpu = [u + s for u, s in zip(user, system)]
        out[name] = {
            "mean": result["mean"],
            "stddev": result.get("stddev") or 0.0,
            "min": result.get("min", result["mean"]),
            "runs": len(result.get("times", [])),
            # The median run's: with two threads and an allocator that gives memory back
            # 10 ms after it is freed, two runs of the same build differ by up to a fifth.
            "rss_mib": median(kib) / 1024 if kib else float("nan"),
            "rss_max_mib": max(kib) / 1024 if kib else float("nan"),
            # CPU time (user + system) on all threads, mean over the runs: a program that
            # spreads its work over more threads than --jobs says shows it here.
            "cpu": sum(cpu) / len(cpu) if cpu else float("nan"),
        }
    # The run for memory alone (bench/run.sh): one job, memory given back when freed.
    rss = root / str(n) / "rss-memory.txt"
    kib = re.findall(r"Maximum resident set size \(kbytes\): (\d+)", rss.read_text()) if rss.exists() else []
    if kib:
        out["memory"] = {"rss_mib": int(kib[-1]) / 1024}
    return out


def main():
    root = Path(sys.argv[1])
    sizes = [int(n) for n in sys.argv[2:]]
    measured = {n: load(root, n) for n in sizes}

    for n in sizes:
        results = measured[n]
        reports = 2 * n
        print()
        print(f"N = {n:,} departments: {reports:,} reports (意识形态工作 + 数据简报), {n + (n + 1) // 2:,} workbooks")
        print(f"  {'command':<44} {'wall s':>9} {'±':>7} {'min s':>9} {'runs':>4} {'ms/report':>10} {'peak MiB':>9} {'CPU s':>7}")
        for name, label in COMMANDS:
            r = results.get(name)
            if r is None:
                print(f"  {label:<44} {'skipped':>9}")
                continue
            print(
                f"  {label:<44} {r['mean']:>9.3f} {r['stddev']:>7.3f} {r['min']:>9.3f} {r['runs']:>4} "
                f"{r['mean'] / reports * 1000:>10.3f} {r['rss_mib']:>9.1f} {r['cpu']:>7.2f}"
            )
        if "memory" in results:
            label = "huibao txt --jobs 1, run for memory alone"
            print(f"  {label:<44}{'':44} {results['memory']['rss_mib']:>9.1f}")
        ratios = [
            ("Python text / huibao txt,md", "py-text", "text"),
            ("python-docx / huibao docx", "py-docx", "docx"),
            ("huibao txt --jobs 1 / read floor", "jobs1", "floor"),
            ("huibao txt,md (parallel) / read floor", "text", "floor"),
        ]
        for label, a, b in ratios:
            if a in results and b in results:
                print(f"  {label:<44} {results[a]['mean'] / results[b]['mean']:>9.2f}×")
        diff = root / str(n) / "python-diff.txt"
        if diff.exists():
            total, differ = (int(x) for x in diff.read_text().split())
            print(f"  Python .txt/.md identical to huibao's: {total - differ:,} of {total:,} files")

    print()
    print("Targets (printed, not enforced):")

    def line(ok, text):
        print(f"  {'PASS' if ok else 'FAIL'}  {text}")

    def skip(text, need):
        print(f"  SKIP  {text} — needs {need}")

    def ratio(n, a, b):
        r = measured.get(n, {})
        return r[a]["mean"] / r[b]["mean"] if a in r and b in r else None

    text = "N=1000: huibao txt+md (default jobs) ≥30× faster than the Python text script"
    x = ratio(1000, "py-text", "text")
    line(x >= 30, f"{text}: {x:.1f}×") if x is not None else skip(text, "N=1000 with Python (BENCH_PYTHON_MAX ≥ 1000)")

    text = "N=1000: huibao docx ≥20× faster than the python-docx script"
    x = ratio(1000, "py-docx", "docx")
    line(x >= 20, f"{text}: {x:.1f}×") if x is not None else skip(text, "N=1000 with Python (BENCH_PYTHON_MAX ≥ 1000)")

    text = "huibao build --format txt --jobs 1 within 1.5× the read floor"
    floor_sizes = [n for n in sizes if ratio(n, "jobs1", "floor") is not None]
    for n in floor_sizes:
        x = ratio(n, "jobs1", "floor")
        line(x <= 1.5, f"N={n}: {text}: {x:.2f}×")
    if not floor_sizes:
        skip(text, "any N")

    text = "time per report at N=10000 within 15% of N=100 (huibao txt+md, default jobs)"
    small, large = measured.get(100, {}).get("text"), measured.get(10000, {}).get("text")
    if small and large:
        a, b = small["mean"] / 200 * 1000, large["mean"] / 20000 * 1000
        line(b <= a * 1.15, f"{text}: {a:.3f} → {b:.3f} ms ({(b / a - 1) * 100:+.0f}%)")
    else:
        skip(text, "N=100 and N=10000")

    text = "huibao peak RSS at N=10000 under 64 MiB"
    r = measured.get(10000, {})
    peaks = {name: r[name]["rss_max_mib"] for name in HUIBAO if name in r}
    if peaks:
        worst = max(peaks, key=peaks.get)
        detail = ", ".join(f"{name} {mib:.1f}" for name, mib in peaks.items())
        line(peaks[worst] < 64, f"{text}: {peaks[worst]:.1f} MiB ({detail})")
    else:
        skip(text, "N=10000")

    # "Not growing with N", read as: ten times the departments, at most a tenth more memory,
    # judged on the run for memory alone (txt, one job, memory given back when freed), whose
    # peak repeats within half a MiB; the timed runs' are shown beside it.
    text = "huibao peak RSS not growing with N (N=10000 within 10% of N=1000; txt --jobs 1, MIMALLOC_PURGE_DELAY=0)"
    small, large = measured.get(1000, {}), measured.get(10000, {})
    names = ("memory",) + HUIBAO
    pairs = {n: (small[n]["rss_mib"], large[n]["rss_mib"]) for n in names if n in small and n in large}
    if "memory" in pairs:
        growth = {n: (b - a) / 9000 * 1024 for n, (a, b) in pairs.items()}
        a, b = pairs["memory"]
        detail = ", ".join(f"{n} {pairs[n][0]:.1f} → {pairs[n][1]:.1f} MiB, {growth[n]:+.2f} KiB/dept" for n in pairs)
        line(b <= a * 1.1, f"{text}: {detail}")
    else:
        skip(text, "N=1000 and N=10000")
    return 0


if __name__ == "__main__":
    sys.exit(main())
