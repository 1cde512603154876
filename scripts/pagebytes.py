"""What a built site's document pages are made of, in bytes: chrome (head, header, tabs, navigation, footer,
scripts) against the document itself (metadata table, body, related links).

    python scripts/pagebytes.py SITE_DIR [--pages 'documents/*.html'] [--json]

SITE_DIR is a built site (e.g. `scripts/bench.py --docs 2000 --keep DIR --cold-only --no-hugo` leaves DIR/site).
Every page is cut into regions by its landmarks (gongkai's and Material's class names); what no region claims is
the frame (Material's wrappers and the whitespace between them). Figures are UTF-8 bytes, averaged over the
pages, with the largest page and the share of each region. Needs nothing beyond the standard library.
"""

from __future__ import annotations

import argparse
import json
import re
import statistics
import sys
from dataclasses import asdict, dataclass, field
from pathlib import Path

# (region, regex of the element's start tag): the first match of each, to its balanced end tag. Order matters
# only for the report; regions never overlap in gongkai's pages (nested ones are subtracted from their parent).
REGIONS: list[tuple[str, str]] = [
    ("head", r"<head>"),
    ("header (skip link, bar, search, 长辈版)", r'<header class="md-header'),
    ("tabs (top-level columns)", r'<nav class="md-tabs"'),
    ("drawer navigation", r'<div class="md-sidebar md-sidebar--primary'),
    ("footer", r'<footer class="md-footer'),
    ("metadata table", r'<table class="gk-docmeta"'),
    ("validity banner", r'<div class="gk-banner'),
    ("body", r'<div class="gk-doc-body"'),
    ("breadcrumb", r'<nav class="gk-breadcrumb"'),
    ("document list (column pages)", r'<table class="gk-doclist'),
    ("pager (column pages)", r'<nav class="gk-pager"'),
]
SKIP_LINK = re.compile(r'<a href="#gk-main" class="md-skip[^"]*">[^<]*</a>')
SCRIPT = re.compile(r"<script\b[^>]*>.*?</script>", re.S)
SVG = re.compile(r"<svg\b.*?</svg>", re.S)
GOV_META = re.compile(r'<meta name="(?:SiteName|SiteDomain|SiteIDCode|ColumnName|ColumnType|ArticleTitle|PubDate|'
                      r'ContentSource)"[^>]*>\n?')
WHITESPACE = re.compile(r">(\s{2,})<")
TAG = re.compile(r"<[^>]+>")


def element_span(text: str, start: int) -> tuple[int, int]:
    """(start, end) of the element whose start tag begins at `start`, to its balanced end tag."""
    name = re.match(r"<([a-zA-Z0-9]+)", text[start:start + 20])
    assert name, text[start:start + 40]
    tag = name.group(1)
    opener = re.compile(rf"<{tag}[\s>]|</{tag}>")
    depth = 0
    for m in opener.finditer(text, start):
        depth += -1 if m.group(0).startswith("</") else 1
        if depth == 0:
            return start, m.end()
    return start, len(text)


def nbytes(s: str) -> int:
    return len(s.encode("utf-8"))


@dataclass
class Breakdown:
    """Bytes of one page by region (nested regions counted once, in the innermost)."""

    total: int
    regions: dict[str, int] = field(default_factory=dict)
    extra: dict[str, int] = field(default_factory=dict)  # measures that cut across regions (svg, whitespace …)


def breakdown(text: str) -> Breakdown:
    spans: list[tuple[str, int, int]] = []
    for name, pattern in REGIONS:
        m = re.search(pattern, text)
        if m:
            spans.append((name, *element_span(text, m.start())))
    m = SKIP_LINK.search(text)
    if m:
        spans.append(("header (skip link, bar, search, 长辈版)", m.start(), m.end()))
    head = next(((a, b) for n, a, b in spans if n == "head"), (0, 0))
    for m in SCRIPT.finditer(text):
        if not head[0] <= m.start() < head[1]:
            spans.append(("scripts (outside head)", m.start(), m.end()))
    # each byte counts once, in the innermost region holding it: a region's size less its direct children's
    sizes: dict[str, int] = {}
    for name, a, b in spans:
        inside = [(c, d) for _, c, d in spans if (c, d) != (a, b) and a <= c and d <= b]
        direct = [(c, d) for c, d in inside if not any((e, f) != (c, d) and e <= c and d <= f for e, f in inside)]
        sizes[name] = sizes.get(name, 0) + nbytes(text[a:b]) - sum(nbytes(text[c:d]) for c, d in direct)
    total = nbytes(text)
    sizes["frame (wrappers, whitespace)"] = total - sum(sizes.values())
    body = next(((a, b) for n, a, b in spans if n == "body"), (0, 0))
    body_text = text[body[0]:body[1]]
    chrome = text[:body[0]] + text[body[1]:]
    extra = {
        "inline SVG (chrome)": sum(nbytes(m.group(0)) for m in SVG.finditer(chrome)),
        "whitespace runs between tags (chrome)": sum(nbytes(m.group(1)) - 1 for m in WHITESPACE.finditer(chrome)),
        "government meta tags": sum(nbytes(m.group(0)) for m in GOV_META.finditer(text)),
        "body: text (white space not counted)": nbytes(re.sub(r"\s+", "", TAG.sub("", body_text))),
        "body: markup": nbytes("".join(TAG.findall(body_text))),
        "body: white space": nbytes(re.sub(r"\S+", "", TAG.sub("", body_text))),
    }
    return Breakdown(total, sizes, extra)


@dataclass
class Report:
    """Averages over the pages measured (bytes)."""

    pages: int
    average: float
    max: int
    max_page: str
    chrome_average: float  # all but the body
    chrome_min: int
    regions: dict[str, float]
    extra: dict[str, float]


def report(pages: list[Path]) -> Report:
    rows = [breakdown(p.read_text(encoding="utf-8")) for p in pages]
    totals = [r.total for r in rows]
    names = list(dict.fromkeys(n for r in rows for n in r.regions))
    extras = list(dict.fromkeys(n for r in rows for n in r.extra))
    regions = {n: statistics.fmean([r.regions.get(n, 0) for r in rows]) for n in names}
    largest = max(range(len(rows)), key=lambda i: totals[i])
    average = statistics.fmean(totals)
    return Report(len(rows), average, totals[largest], str(pages[largest]), average - regions.get("body", 0.0),
                  min(r.total - r.regions.get("body", 0) for r in rows), regions,
                  {n: statistics.fmean([r.extra.get(n, 0) for r in rows]) for n in extras})


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    ap.add_argument("site", type=Path)
    ap.add_argument("--pages", default="documents/*.html", help="glob under SITE of the pages to measure")
    ap.add_argument("--json", action="store_true", help="print the figures as JSON")
    args = ap.parse_args(argv)
    pages = sorted(args.site.glob(args.pages))
    if not pages:
        print(f"{args.site}: 没有匹配 {args.pages} 的页面", file=sys.stderr)
        return 2
    r = report(pages)
    if args.json:
        print(json.dumps(asdict(r), ensure_ascii=False, indent=1))
        return 0
    kb = 1024
    print(f"{r.pages} pages: average {r.average / kb:.1f} KB, max {r.max / kb:.1f} KB ({r.max_page})")
    print(f"chrome (all but the body): average {r.chrome_average / kb:.1f} KB, smallest {r.chrome_min / kb:.1f} KB")
    print()
    print("| region | average KB | share |")
    print("|---|---:|---:|")
    for name, v in sorted(r.regions.items(), key=lambda kv: -kv[1]):
        print(f"| {name} | {v / kb:.2f} | {100 * v / r.average:.1f} % |")
    print()
    for name, v in r.extra.items():
        print(f"- {name}: {v / kb:.2f} KB")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
