"""索引号: organisation codes (GB 32100-2015 / GB 11714), index-number checks and assignment.

The common form of an index number is ``{org_code}/{YYYY or YYYYMM}-{serial}``, e.g.
``11341700003244799H/202102-00014``. A published index number never changes: the build
only checks them; ``gongkai assign`` writes the missing ones into the documents' front matter.
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

from gongkai.errors import Problems
from gongkai.model import Catalogue, Document, Site

# GB 32100-2015: 统一社会信用代码, 18 characters from this alphabet (no I, O, S, V, Z).
CREDIT_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
CREDIT_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)
# GB 11714-1997: 组织机构代码, 8 characters and a check character (0-9 or X).
ORG_WEIGHTS = (3, 7, 9, 10, 5, 8, 4, 2)

INDEX_RE = re.compile(r"^(?P<prefix>[0-9A-Za-z-]+)/(?P<period>\d{4}|\d{6})-(?P<serial>\d{1,8})$")
SERIAL_DIGITS = 5


def credit_check_char(first17: str) -> str | None:
    """The check character of a 统一社会信用代码 from its first 17 characters (None if invalid chars)."""
    if len(first17) != 17 or any(ch not in CREDIT_ALPHABET for ch in first17):
        return None
    total = sum(CREDIT_ALPHABET.index(ch) * w for ch, w in zip(first17, CREDIT_WEIGHTS, strict=True))
    return CREDIT_ALPHABET[(31 - total % 31) % 31]


def org_check_char(first8: str) -> str | None:
    """The check character of a 9-character 组织机构代码 from its first 8 characters."""
    if len(first8) != 8 or not all(ch.isdigit() or "A" <= ch <= "Z" for ch in first8):
        return None
    total = sum((int(ch) if ch.isdigit() else ord(ch) - 55) * w for ch, w in zip(first8, ORG_WEIGHTS, strict=True))
    c = (11 - total % 11) % 11
    return "X" if c == 10 else str(c)


def code_problem(code: str) -> str | None:
    """None if code is a valid 统一社会信用代码 or 组织机构代码, else a Chinese explanation."""
    if len(code) == 18:
        bad = [ch for ch in code if ch not in CREDIT_ALPHABET]
        if bad:
            return (f"「{code}」含有统一社会信用代码不使用的字符「{''.join(dict.fromkeys(bad))}」"
                    "（只用数字和除 I、O、S、V、Z 以外的大写字母）")
        expected = credit_check_char(code[:17])
        if code[17] != expected:
            return f"「{code}」的校验码（第 18 位）应为「{expected}」，实际是「{code[17]}」，请核对是否抄错（GB 32100-2015）"
        return None
    plain = code.replace("-", "")
    if len(plain) == 9 and (len(code) == 9 or code[8] == "-"):
        expected = org_check_char(plain[:8])
        if expected is None:
            return f"组织机构代码「{code}」只能由数字和大写字母组成"
        if plain[8] != expected:
            return f"组织机构代码「{code}」的校验码应为「{expected}」，实际是「{plain[8]}」（GB 11714）"
        return None
    return f"「{code}」不是 18 位统一社会信用代码，也不是 9 位组织机构代码"


@dataclass(frozen=True)
class IndexNo:
    prefix: str
    period: str  # YYYY or YYYYMM
    serial: int

    @property
    def year(self) -> int:
        return int(self.period[:4])


def parse(index_no: str) -> IndexNo | None:
    m = INDEX_RE.match(index_no)
    if not m:
        return None
    return IndexNo(m["prefix"], m["period"], int(m["serial"]))


def format_index(org_code: str, year: int, serial: int) -> str:
    return f"{org_code}/{year:04d}-{serial:0{SERIAL_DIGITS}d}"


def index_problem(index_no: str) -> str | None:
    """None for a well-formed index number, else the reason in Chinese."""
    parsed = parse(index_no)
    example = "11330100002489999F/2024-00001"
    if parsed is None:
        return f"索引号「{index_no}」格式不对，应写作“机构代码/年份-序号”，例如 {example}"
    if len(parsed.period) == 6 and not 1 <= int(parsed.period[4:]) <= 12:
        return f"索引号「{index_no}」中的年月「{parsed.period}」月份无效"
    if not 1900 <= parsed.year <= 2100:
        return f"索引号「{index_no}」中的年份「{parsed.period[:4]}」无效"
    reason = code_problem(parsed.prefix)
    if reason:
        return f"索引号「{index_no}」的机构代码部分有误：{reason}"
    return None


def check_index_numbers(site: Site, documents: list[Document], problems: Problems) -> None:
    """The org_code's check character; well-formed and unique index numbers."""
    if site.org_code:
        reason = code_problem(site.org_code)
        if reason:
            problems.error(site.source.file, site.line_of("org_code"), "org_code", reason)
    seen: dict[str, Document] = {}
    missing: list[Document] = []
    for doc in documents:
        if not doc.index_no:
            missing.append(doc)
            continue
        reason = index_problem(doc.index_no)
        if reason:
            problems.error(doc.source.file, doc.line_of("index_no"), "index_no", reason)
        key = doc.index_no.upper()
        if key in seen:
            other = seen[key]
            problems.error(doc.source.file, doc.line_of("index_no"), "index_no",
                           f"索引号「{doc.index_no}」重复：已被 {other.source.file}（第 {other.line_of('index_no')} 行）使用；"
                           "索引号一经公布不再改变，请为新文件改用其他序号")
        else:
            seen[key] = doc
    if missing:
        first = sorted(d.source.file for d in missing)[0]
        problems.warn(first, None, "index_no",
                      f"{len(missing)} 份文件还没有索引号（第一份：{first}）；请运行 gongkai assign 生成并提交，"
                      "生成网站时不会自动编号")


def plan_assignments(cat: Catalogue) -> list[tuple[Document, str]]:
    """Index numbers for the documents that have none: {org_code}/{YYYY}-{NNNNN}, continuing each year's series."""
    used: dict[int, int] = defaultdict(int)
    for doc in cat.documents:
        parsed = parse(doc.index_no) if doc.index_no else None
        if parsed and parsed.prefix.upper() == cat.site.org_code.upper():
            used[parsed.year] = max(used[parsed.year], parsed.serial)
    out: list[tuple[Document, str]] = []
    for doc in sorted((d for d in cat.documents if not d.index_no), key=lambda d: (d.published, d.source.file)):
        year = doc.published.year
        used[year] += 1
        out.append((doc, format_index(cat.site.org_code, year, used[year])))
    return out


def source_path(cat: Catalogue, doc: Document) -> Path:
    return cat.root_dir / doc.source.file
