#!/usr/bin/env python3
"""Writes a Hugo site equivalent to a blomlåda content folder, for the benchmark.

    python3 benches/hugo/make_site.py CONTENT_DIR SITE_DIR

CONTENT_DIR is a blomlåda content folder (for instance one made by `blomlada generate`).
SITE_DIR receives a Hugo site: the configuration and layouts of this folder, the indicator
catalogue as a data file (`data/catalog.json`), and one content file per municipality
(`content/kommun/<slug>.md`) holding, in its YAML front matter, the municipality, its county
and the 88 answers of its latest published assessment; the assessment's summary is the page
body (Markdown). Hugo renders each municipality with an inline SVG (one coloured circle per
indicator) and a table of its answers, and one list page per county (the taxonomy `lan`).

Debian's Hugo (0.111) predates content adapters (`_content.gotmpl`, Hugo 0.126), so the pages
come from stub content files with the data in front matter, which is how data-driven Hugo
sites were made before them.

Only the Python 3 standard library is used. The reader of the content folder understands the
YAML that `blomlada generate` writes (and the bundled catalogue), not YAML in general.
"""

import csv
import json
import os
import shutil
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent


def slugify(name: str) -> str:
    """The contract's slug: lower case; å, ä -> a; ö -> o; é -> e; other runs -> one '-'."""
    out = []
    pending = False
    for c in name.lower():
        if c in "åä":
            c = "a"
        elif c == "ö":
            c = "o"
        elif c == "é":
            c = "e"
        if ("a" <= c <= "z") or ("0" <= c <= "9"):
            if pending and out:
                out.append("-")
            pending = False
            out.append(c)
        else:
            pending = True
    return "".join(out)


def scalar(text: str) -> str:
    """A YAML scalar as written by the generator: plain, "double" or 'single' quoted."""
    text = text.strip()
    if text.startswith('"') and text.endswith('"') and len(text) >= 2:
        return json.loads(text)
    if text.startswith("'") and text.endswith("'") and len(text) >= 2:
        return text[1:-1].replace("''", "'")
    return text


def read_catalog(path: Path) -> dict:
    """Areas and indicators (id, text) of a catalogue file, in order."""
    catalog = {"id": "", "areas": []}
    area = None
    indicator = None
    for line in path.read_text(encoding="utf-8").splitlines():
        stripped = line.lstrip()
        if not stripped or stripped.startswith("#"):
            continue
        indent = len(line) - len(stripped)
        key, _, value = stripped.removeprefix("- ").partition(":")
        if indent == 0 and key == "id":
            catalog["id"] = scalar(value)
        elif indent == 2 and stripped.startswith("- id:"):
            area = {"id": scalar(value), "name": "", "level": "", "indicators": []}
            catalog["areas"].append(area)
        elif indent == 4 and area is not None and key in ("name", "level", "short"):
            area[key] = scalar(value)
        elif indent == 6 and area is not None and stripped.startswith("- id:"):
            indicator = {"id": scalar(value), "text": ""}
            area["indicators"].append(indicator)
        elif indent == 8 and indicator is not None and key == "text":
            indicator["text"] = scalar(value)
    return catalog


def read_assessment(path: Path) -> dict:
    """The fields of an assessment the site shows."""
    result = {"answers": {}, "summary": "", "published": None}
    block = None
    summary_lines = []
    for line in path.read_text(encoding="utf-8-sig").splitlines():
        if not line.strip() or line.lstrip().startswith("#"):
            if block == "summary":
                summary_lines.append("")
            continue
        if not line[0].isspace():
            key, _, value = line.partition(":")
            block = None
            if key == "answers":
                block = "answers"
            elif key == "summary":
                block = "summary"
                if value.strip() not in ("|", ">", "|-", ">-"):
                    summary_lines.append(scalar(value))
            elif key in ("municipality", "year", "catalog", "published"):
                result[key] = scalar(value)
            continue
        if block == "answers":
            key, _, value = line.strip().partition(":")
            result["answers"][key.strip()] = value.strip() or "obesvarad"
        elif block == "summary":
            summary_lines.append(line.strip())
    result["summary"] = "\n".join(summary_lines).strip()
    return result


def latest_assessments(content: Path) -> dict:
    """The latest published assessment of each municipality code."""
    latest = {}
    for root, _dirs, files in os.walk(content / "assessments"):
        for name in files:
            if not name.endswith((".yaml", ".yml")):
                continue
            a = read_assessment(Path(root) / name)
            if not a.get("published") or "municipality" not in a:
                continue
            code = a["municipality"]
            if code not in latest or int(a["year"]) > int(latest[code]["year"]):
                latest[code] = a
    return latest


def yaml_str(s: str) -> str:
    return json.dumps(s, ensure_ascii=False)


def write_page(path: Path, m: dict, a: dict) -> None:
    lines = [
        "---",
        f"title: {yaml_str(m['name'])}",
        f"slug: {yaml_str(m['slug'])}",
        f"code: {yaml_str(m['code'])}",
        f"county: {yaml_str(m['county_name'])}",
        f"county_code: {yaml_str(m['county_code'])}",
        f"population: {m['population']}",
        f"year: {a['year']}",
        f"date: {a['published']}",
        f"lan: [{yaml_str(m['county_name'])}]",
        "answers:",
    ]
    lines.extend(f"  {k}: {v}" for k, v in a["answers"].items())
    lines.append("---")
    lines.append(a["summary"])
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def main(argv: list) -> int:
    if len(argv) != 3:
        print(__doc__.strip().splitlines()[2].strip(), file=sys.stderr)
        return 2
    content, site = Path(argv[1]), Path(argv[2])
    if site.exists():
        shutil.rmtree(site)
    (site / "data").mkdir(parents=True)
    (site / "content" / "kommun").mkdir(parents=True)
    shutil.copy(HERE / "config.toml", site / "config.toml")
    shutil.copytree(HERE / "layouts", site / "layouts")

    catalogs = sorted((content / "catalogs").glob("*.yaml"))
    catalog = read_catalog(catalogs[-1])
    # The picture's layout is data: a circle per indicator, 11 to a row.
    indicators = [i for area in catalog["areas"] for i in area["indicators"]]
    for k, indicator in enumerate(indicators):
        indicator["x"], indicator["y"] = 10 + 20 * (k % 11), 10 + 20 * (k // 11)
    (site / "data" / "catalog.json").write_text(
        json.dumps(catalog, ensure_ascii=False), encoding="utf-8"
    )
    (site / "content" / "_index.md").write_text(
        '---\ntitle: "eBlomlådan"\n---\n', encoding="utf-8"
    )
    (site / "content" / "kommun" / "_index.md").write_text(
        '---\ntitle: "Kommuner"\n---\n', encoding="utf-8"
    )

    latest = latest_assessments(content)
    with open(content / "registry" / "municipalities.csv", encoding="utf-8", newline="") as f:
        rows = [row for row in csv.DictReader(f) if row["code"] in latest]
    # Names that share a slug (Håbo and Habo) each get their code added, as in blomlåda.
    counts = {}
    for row in rows:
        row["slug"] = slugify(row["name"])
        counts[row["slug"]] = counts.get(row["slug"], 0) + 1
    for row in rows:
        if counts[row["slug"]] > 1:
            row["slug"] = f"{row['slug']}-{row['code']}"
        write_page(site / "content" / "kommun" / f"{row['slug']}.md", row, latest[row["code"]])
    pages = len(rows)
    print(f"wrote a Hugo site of {pages} municipalities to {site}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
