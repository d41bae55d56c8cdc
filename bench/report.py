#!/usr/bin/env python3
# SPDX-License-Identifier: MIT OR Apache-2.0
"""Turns bench/run's results.tsv (clean corpus) and dense.tsv (dense
workloads) into markdown tables (stdout) and a small SVG chart of wall time
against corpus size."""

import argparse
import csv

TOOLS = [  # column, label, colour
    ("corefence_no_cache", "corefence check --no-cache", "#d62728"),
    ("corefence", "corefence check, cached", "#e377c2"),
    ("hawkeye", "hawkeye check (2 editions)", "#1f77b4"),
    ("reuse", "reuse lint", "#7f7f7f"),
    ("rg", "rg (read every file)", "#2ca02c"),
    ("one_file", "corefence check one file", "#ff7f0e"),
    ("one_file_no_cache", "one file, --no-cache", "#9467bd"),
]


def seconds(v: float) -> str:
    return f"{v:.2f} s" if v < 10 else f"{v:.1f} s"


def table(rows, args) -> str:
    lines = [
        f"Measured on {args.machine}, warm page cache; median of {args.runs} runs after one warm-up "
        f"(reuse lint: {args.reuse_runs} run{'s' if args.reuse_runs != 1 else ''}, no warm-up).",
        "",
        "| corpus | .rs files | MB | corefence check `--no-cache` | corefence check, cached, nothing changed | hawkeye check | reuse lint | rg (I/O floor) | one file | one file, `--no-cache` | corefence peak memory (`--no-cache`) | corefence `--no-cache` / hawkeye | reuse / corefence `--no-cache` |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for r in rows:
        first, c = float(r["corefence_no_cache"]), float(r["corefence"])
        h, u = float(r["hawkeye"]), float(r["reuse"])
        lines.append(
            f"| {r['size']} ({r['crates']} crates) | {int(r['files']):,} | {r['mb']} | {seconds(first)} | {seconds(c)} | {seconds(h)} | "
            f"{seconds(u)} | {seconds(float(r['rg']))} | {seconds(float(r['one_file']))} | {seconds(float(r['one_file_no_cache']))} | {r['peak_mb']} MB | "
            f"{first / h:.1f}x | {u / first:.1f}x |"
        )
    return "\n".join(lines) + "\n"


def dense_table(rows, args) -> str:
    lines = [
        f"Dense workloads, measured on {args.machine}, warm page cache: nearly every crate names the enterprise "
        "feature, so the pre-filter lets it through. "
        f"Median of {args.runs} runs after one warm-up; naive-syn walks, reads and `syn::parse_file`s every "
        "`.rs` file on every core and does nothing else.",
        "",
        "| workload | .rs files | MB | corefence `--no-cache` | corefence, cached, nothing changed | one file, cached | one file just edited, cached | naive-syn | rg (I/O floor) | hawkeye check | corefence peak memory | naive-syn peak memory | corefence / naive-syn | findings |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for r in rows:
        c, n = float(r["uncached"]), float(r["naive"])
        lines.append(
            f"| {r['workload']} | {int(r['files']):,} | {r['mb']} | {seconds(c)} | {seconds(float(r['cached']))} | "
            f"{seconds(float(r['one_file']))} | {seconds(float(r['one_edited']))} | {seconds(n)} | {seconds(float(r['rg']))} | {seconds(float(r['hawkeye']))} | "
            f"{r['peak_mb']} MB | {r['naive_peak_mb']} MB | {c / n:.1f}x | {r['findings']} |"
        )
    return "\n".join(lines) + "\n"


def svg(rows) -> str:
    """Wall time (log scale) against the number of .rs files, one line per
    tool: linear growth shows as parallel straight-ish lines."""
    import math

    w, h, left, bottom, top, right = 640, 360, 70, 40, 20, 190
    xs = [int(r["files"]) for r in rows]
    values = [float(r[k]) for r in rows for k, _, _ in TOOLS]
    lo, hi = math.floor(math.log10(min(values))), math.ceil(math.log10(max(values)))
    x_max = max(xs)

    def px(files):
        return left + (w - left - right) * files / x_max

    def py(sec):
        return top + (h - top - bottom) * (hi - math.log10(sec)) / (hi - lo)

    out = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{w}" height="{h}" font-family="sans-serif" font-size="11">']
    out.append(f'<rect width="{w}" height="{h}" fill="white"/>')
    for e in range(lo, hi + 1):
        y = py(10**e)
        out.append(f'<line x1="{left}" x2="{w - right}" y1="{y:.1f}" y2="{y:.1f}" stroke="#ddd"/>')
        out.append(f'<text x="{left - 6}" y="{y + 4:.1f}" text-anchor="end">{10**e:g} s</text>')
    for x in xs:
        out.append(f'<text x="{px(x):.1f}" y="{h - bottom + 16}" text-anchor="middle">{x:,}</text>')
    out.append(f'<text x="{(left + w - right) / 2}" y="{h - 6}" text-anchor="middle">.rs files in the corpus</text>')
    for i, (key, label, colour) in enumerate(TOOLS):
        pts = " ".join(f"{px(int(r['files'])):.1f},{py(float(r[key])):.1f}" for r in rows)
        out.append(f'<polyline points="{pts}" fill="none" stroke="{colour}" stroke-width="2"/>')
        for r in rows:
            out.append(f'<circle cx="{px(int(r["files"])):.1f}" cy="{py(float(r[key])):.1f}" r="3" fill="{colour}"/>')
        ly = top + 14 + 18 * i
        out.append(f'<line x1="{w - right + 12}" x2="{w - right + 30}" y1="{ly - 4}" y2="{ly - 4}" stroke="{colour}" stroke-width="2"/>')
        out.append(f'<text x="{w - right + 36}" y="{ly}">{label}</text>')
    out.append("</svg>")
    return "\n".join(out) + "\n"


def update_readme(path: str, block: str, text: str) -> None:
    """Replaces what README.md holds between `<!-- bench:BLOCK:start ... -->`
    and `<!-- bench:BLOCK:end -->` with `text`."""
    import re

    with open(path, encoding="utf-8") as f:
        readme = f.read()
    pattern = re.compile(rf"(<!-- bench:{block}:start[^>]*-->\n).*?(<!-- bench:{block}:end -->)", re.S)
    if not pattern.search(readme):
        raise SystemExit(f"{path}: no bench:{block} block")
    readme = pattern.sub(lambda m: m.group(1) + text + m.group(2), readme, count=1)
    with open(path, "w", encoding="utf-8") as f:
        f.write(readme)


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__)
    p.add_argument("--clean", required=True, help="results.tsv")
    p.add_argument("--dense", required=True, help="dense.tsv")
    p.add_argument("--runs", type=int, required=True)
    p.add_argument("--reuse-runs", type=int, required=True)
    p.add_argument("--machine", required=True)
    p.add_argument("--svg")
    p.add_argument("--readme", help="also write the tables into this README's bench blocks")
    args = p.parse_args()
    with open(args.clean, newline="") as f:
        rows = list(csv.DictReader(f, delimiter="\t"))
    with open(args.dense, newline="") as f:
        dense = list(csv.DictReader(f, delimiter="\t"))
    if rows:
        print(table(rows, args), end="")
    if dense:
        print("\n" if rows else "", end="")
        print(dense_table(dense, args), end="")
    if args.readme:
        # Only the workloads measured: a run of one kind keeps the other's table.
        if rows:
            update_readme(args.readme, "clean", table(rows, args))
        if dense:
            update_readme(args.readme, "dense", dense_table(dense, args))
    if args.svg and rows:
        with open(args.svg, "w") as f:
            f.write(svg(rows))


if __name__ == "__main__":
    main()
