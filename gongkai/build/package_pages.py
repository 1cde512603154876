"""What the packages column page and each package page show (template context; no MkDocs)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from gongkai.build import qr
from gongkai.build.posters import COMBINED, POSTER_DIR, poster_name
from gongkai.checks.validity import validity
from gongkai.load.packages import package_url
from gongkai.memo import MISSING, Memo
from gongkai.model import Catalogue, ColumnKind, Package
from gongkai.typeset import SIZES


def package_src_uri(pkg: Package) -> str:
    """packages/{id}/index.md: the page's URL follows the id, never the name or the column's place."""
    return pkg.url_path + "index.md"


def posters_of(pkg: Package) -> list[tuple[str, str]]:
    """(paper, site-relative href) of the printable posters of pkg; none while it cannot be printed."""
    return [(paper, f"{POSTER_DIR}/{poster_name(pkg, paper)}") for paper in SIZES] if pkg.printable else []


def packages_column_context(cat: Catalogue) -> dict[str, Any]:
    return {
        "packages": [{"pkg": p, "posters": posters_of(p)} for p in cat.packages],
        "combined": [(paper, f"{POSTER_DIR}/{COMBINED}-{paper}.pdf") for paper in SIZES]
        if any(p.printable for p in cat.packages) else [],
    }


def qr_svg(url: str, title: str, memo: Memo | None = None) -> str:
    """The package's QR code as SVG, remembered across builds (encoding it is about 30 ms a package)."""
    key = ("qr.svg", url, title)
    found = memo.get(key) if memo is not None else MISSING
    if found is MISSING:
        found = qr.svg(url, title)
        if memo is not None:
            memo.put(key, found)
    return found


def package_context(cat: Catalogue, pkg: Package, today: dt.date, memo: Memo | None = None) -> dict[str, Any]:
    url = package_url(cat, pkg)
    column = cat.first_column(ColumnKind.PACKAGES)
    return {
        "pkg": pkg,
        "column": column,
        "abs_url": url,
        "qr_svg": qr_svg(url, f"{pkg.name}的二维码：{url}", memo),
        "policies": [{"doc": d, "validity": validity(d, today)} for d in pkg.policies],
        "posters": posters_of(pkg),
    }
