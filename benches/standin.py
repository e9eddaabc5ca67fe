#!/usr/bin/env python3
"""A stand-in for `blomlada build` and `blomlada watch`, to test the benchmark harness.

    python3 benches/standin.py build --bin BLOMLADA --content DIR --out DIR [--no-png]
    python3 benches/standin.py watch --bin BLOMLADA --content DIR --out DIR

`scripts/bench.sh --stand-in` uses it (and falls back to it when the blomlåda binary has no
working `build`), so that the measuring machinery can be run end to end. `build` runs
`blomlada check` on the content, then writes an output folder of the published layout
(municipality pages per year, code redirects, county pages, SVG and PNG files of plausible
sizes) through a sibling temporary folder. `watch` builds, then polls the assessments and
rewrites the page of each one that changed, printing a line with the duration. Its figures
say nothing about blomlåda; only the harness is tested with them.
"""

import argparse
import csv
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

FILLER = "<p>" + "Lorem ipsum dolor sit amet, consectetur adipiscing elit. " * 8 + "</p>\n"


def slug_of(path):
    """`<code>-<slug>.yaml` (as `blomlada generate` names assessments) -> slug."""
    return path.stem.split("-", 1)[1] if "-" in path.stem else path.stem


def answers_of(text):
    return [line.strip() for line in text.splitlines() if line.startswith("  ")]


def page(title, body):
    return (
        f"<!DOCTYPE html>\n<html lang=\"sv\"><head><meta charset=\"utf-8\"><title>{title}</title>"
        f"</head><body><h1>{title}</h1>\n{body}\n{FILLER * 40}</body></html>\n"
    )


def render_assessment(out, path, latest):
    text = path.read_text(encoding="utf-8")
    year = path.parent.name
    slug = slug_of(path)
    body = "<ul>" + "".join(f"<li>{a}</li>" for a in answers_of(text)) + "</ul>"
    target = out / "kommun" / slug / year
    target.mkdir(parents=True, exist_ok=True)
    (target / "index.html").write_text(page(f"{slug} {year}", body), encoding="utf-8")
    if latest:
        (out / "kommun" / slug / "index.html").write_text(page(slug, body), encoding="utf-8")


def build(args):
    check = subprocess.run(
        [args.bin, "check", "--content", str(args.content)],
        stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
    )
    if check.returncode != 0:
        sys.stderr.write(check.stderr.decode("utf-8", "replace")[-2000:])
        return check.returncode
    out = Path(args.out)
    tmp = out.with_name(out.name + ".tmp")
    shutil.rmtree(tmp, ignore_errors=True)
    tmp.mkdir(parents=True)
    svg = "<svg xmlns=\"http://www.w3.org/2000/svg\">" + "<circle r=\"8\"/>" * 400 + "</svg>\n"
    png = os.urandom(24_000)
    years = sorted((args.content / "assessments").iterdir())
    latest_year = years[-1].name
    for year_dir in years:
        for path in sorted(year_dir.glob("*.yaml")):
            latest = year_dir.name == latest_year
            render_assessment(tmp, path, latest)
            pictures = [tmp / "kommun" / slug_of(path) / year_dir.name]
            if latest:
                pictures.append(tmp / "kommun" / slug_of(path))
            for folder in pictures:
                (folder / "blomlada.svg").write_text(svg, encoding="utf-8")
                if not args.no_png:
                    (folder / "blomlada.png").write_bytes(png)
    with open(args.content / "registry" / "municipalities.csv", encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    for row in rows:
        redirect = tmp / "kommun" / row["code"]
        redirect.mkdir(parents=True, exist_ok=True)
        (redirect / "index.html").write_text(
            f"<!DOCTYPE html><meta http-equiv=\"refresh\" content=\"0; url=../{row['code']}/\">\n",
            encoding="utf-8",
        )
    for county in sorted({r["county_code"] for r in rows}):
        folder = tmp / "lan" / county
        folder.mkdir(parents=True, exist_ok=True)
        (folder / "index.html").write_text(page(county, ""), encoding="utf-8")
    (tmp / "index.html").write_text(page("eBlomlådan", ""), encoding="utf-8")
    shutil.rmtree(out, ignore_errors=True)
    tmp.rename(out)
    return 0


def watch(args):
    status = build(args)
    if status:
        return status
    print("stand-in watch: ready", file=sys.stderr, flush=True)
    files = sorted((args.content / "assessments").rglob("*.yaml"))
    latest_year = max(p.parent.name for p in files)
    seen = {p: p.stat().st_mtime_ns for p in files}
    try:
        while True:
            for p in files:
                m = p.stat().st_mtime_ns
                if m != seen[p]:
                    seen[p] = m
                    start = time.perf_counter()
                    render_assessment(Path(args.out), p, p.parent.name == latest_year)
                    took = (time.perf_counter() - start) * 1000
                    print(f"rebuilt {p.name} in {took:.1f} ms", file=sys.stderr, flush=True)
            time.sleep(0.005)
    except KeyboardInterrupt:
        return 0


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("mode", choices=["build", "watch"])
    parser.add_argument("--bin", required=True)
    parser.add_argument("--content", type=Path, required=True)
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--no-png", action="store_true")
    args = parser.parse_args()
    return build(args) if args.mode == "build" else watch(args)


if __name__ == "__main__":
    sys.exit(main())
