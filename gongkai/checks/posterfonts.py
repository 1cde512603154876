"""Poster fonts: every character a poster prints is in the poster font, and every package name fits its title.

reportlab draws nothing for a character the font lacks: a poster would go to the printer with blanks. Run
when the catalogue is loaded (`gongkai check` and every build), without reportlab: gongkai/typeset.py reads
the fonts' character maps and widths itself.
"""

from __future__ import annotations

from gongkai.errors import Problems
from gongkai.load.packages import PACKAGES_FILE
from gongkai.model import Package, Site
from gongkai.typeset import MAX_TITLE_LINES, missing_chars, title_fits


def printed_texts(pkg: Package) -> list[tuple[str, str]]:
    """(field, text) of everything the poster of pkg prints that comes from the author."""
    out = [("name", pkg.name), ("summary", pkg.summary)]
    out += [("items", t) for t in pkg.items]
    out += [("phone", t) for t in pkg.phone]
    return out


def check_poster_fonts(site: Site, packages: list[Package], problems: Problems) -> None:
    """Every printed character is in the poster font, and every title fits.

    A poster that would print blanks is not made: the package's poster is left out with a warning naming the
    character and its line (`gongkai posters` then fails for it). One rare character (堃, 𠮷) in one package
    must not keep the whole site from being published; the package page itself shows every character.
    """
    if not packages:
        return  # no posters to print
    site_blocks: list[str] = []
    for fld, label in (("name", "机构名称"), ("site_url", "网站地址")):
        for ch in missing_chars(getattr(site, fld)):
            message = (f"{label}中的字符「{ch}」（U+{ord(ch):04X}）不在海报字体中，海报上会印成空白：所有海报暂不生成，"
                       "请改用常用字")
            problems.warn(site.source.file, site.source.line, fld, message)
            site_blocks.append(message)
    for pkg in packages:
        pkg.poster_blocked = list(site_blocks)
        for fld, text in printed_texts(pkg):
            for ch in missing_chars(text):
                message = (f"主题服务包「{pkg.name}」（{pkg.id}）中的字符「{ch}」（U+{ord(ch):04X}）不在海报字体中，"
                           "海报上会印成空白：这个服务包的海报暂不生成（网页照常发布）；请改用常用字，或写成拼音、英文")
                problems.warn(PACKAGES_FILE, pkg.line_of(fld), fld, message)
                pkg.poster_blocked.append(message)
        if pkg.name and not title_fits(pkg.name):
            message = (f"主题服务包名称「{pkg.name}」太长，海报上 {MAX_TITLE_LINES} 行也放不下：这个服务包的海报暂不生成"
                       "（网页照常发布）；请缩短名称，详细说明写在 summary 中")
            problems.warn(PACKAGES_FILE, pkg.line_of("name"), "name", message)
            pkg.poster_blocked.append(message)
