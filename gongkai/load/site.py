"""catalog/site.yml: the bureau, its contact block and the site-wide rules."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path
from typing import Any

from gongkai.application import parse_application
from gongkai.errors import Problems
from gongkai.fsutil import rel_posix
from gongkai.load.allowances import read_allowances
from gongkai.load.fields import Fields, type_name
from gongkai.load.inspection_rules import parse_rules
from gongkai.load.portal import PORTAL_FIELDS, parse_portal
from gongkai.load.sources import read_yaml_file
from gongkai.load.yamlsrc import Node, Seq, as_text
from gongkai.memo import Memo
from gongkai.model import Contact, Site, Source
from gongkai.vocab import GOV_CN_TOPICS

SITE_FILE = "catalog/site.yml"
SITE_FIELDS = {
    "name": "机构名称", "org_code": "统一社会信用代码", "site_url": "网站地址", "site_id": "网站标识码",
    "description": "网站简介", "contact": "联系方式", "host": "主办单位", "icp": "ICP备案号",
    "psb": "公安机关备案号", "topics": "主题分类", "validity": "有效期规则", "guide": "公开指南规则",
    "privacy_ok": "全站个人信息公开许可（由隐私检查读取）", "inspection": "检查规则（gongkai inspect）",
    "calendar": "放假安排补充（gongkai 尚未收录的年份）",
    "art20_not_applicable": "本机关不涉及的《条例》第二十条各项（项号: 理由）",
    "interaction": "「我要留言」链接（url 平台地址、label 链接文字），显示在政策文件页面",
    "application": "依申请公开（受理渠道 channels、网上申请地址 online）",
    "standards": "本机关采用的基层政务公开标准目录（领域，如 [社会救助, 养老服务]）",
    "standards_not_applicable": "标准目录中本机关不落实的事项（事项标识: 理由）",
    "assets": "网站资源（content/ 中不属于任何文件或单页、但网站需要的文件或目录，如标志）",
    **PORTAL_FIELDS,
}
CONTACT_FIELDS = {
    "office": "政府信息公开工作机构", "address": "地址", "postcode": "邮编", "hours": "办公时间",
    "phone": "电话", "fax": "传真", "email": "电子邮箱",
}
VALIDITY_FIELDS = {"default_term_years": "默认有效期（年）", "provisional_term_years": "暂行/试行有效期（年）"}
GUIDE_RULE_FIELDS = {"stale_months": "指南修订提醒（月）"}


def site_url_problem(site_url: str) -> str | None:
    """None for a usable site address (absolute http/https), else the reason in Chinese (also for `gongkai new`)."""
    if not re.match(r"^https?://[^/\s]+", site_url):
        return f"「{site_url}」不是以 http:// 或 https:// 开头的绝对地址"
    if re.search(r"\s", site_url):
        return f"「{site_url}」中有空格"
    if "?" in site_url or "#" in site_url:
        # every page address is site_url + path: a query or fragment would end up in the middle of them
        return f"「{site_url}」不能带 ? 或 # 之后的部分，应是网站（或专栏）的目录地址，如 https://www.example.gov.cn/zfxxgk/"
    return None


CALENDAR_FIELDS = {"holidays": "放假日期（法定节假日，含调休放假）", "workdays": "调休上班日期（周六、周日上班）"}
_DAY = r"(\d{4})-(\d{1,2})-(\d{1,2})"
_RANGE_RE = re.compile(rf"^{_DAY}(?:\s*(?:~|～|至|--)\s*{_DAY})?$")


def read_calendar(f: Fields) -> dict[dt.date, bool]:
    """`calendar:` of site.yml: the year's 放假安排 as the State Council publishes it, for a year gongkai does not
    know yet: `holidays` (days off, a range written 2027-02-06~2027-02-13) and `workdays` (调休 weekends)."""
    out: dict[dt.date, bool] = {}
    where: dict[dt.date, str] = {}
    for key, working in (("holidays", False), ("workdays", True)):
        raw = f.raw(key)
        items = raw if isinstance(raw, list) else [] if raw is None else [raw]
        for i, item in enumerate(items):
            line = raw.line_of(i) if isinstance(raw, Seq) else f.line(key)
            text = item.isoformat() if isinstance(item, dt.date) else as_text(item).strip() if isinstance(item, (str, int)) else ""
            m = _RANGE_RE.match(text)
            try:
                first = dt.date(int(m[1]), int(m[2]), int(m[3])) if m else None
                last = dt.date(int(m[4]), int(m[5]), int(m[6])) if m and m[4] else first
            except ValueError:
                first = last = None
            if first is None or last is None or last < first or (last - first).days > 60:
                f.err(key, f"第 {i + 1} 项「{text or item}」无效：应写日期 YYYY-MM-DD，或日期范围 2027-02-06~2027-02-13", line)
                continue
            day = first
            while day <= last:
                if day in out and out[day] != working:
                    f.err(key, f"{day} 同时写在 holidays 和 workdays 中（另见第 {where[day]} 项）", line)
                out[day] = working
                where[day] = f"{key} {i + 1}"
                day += dt.timedelta(days=1)
    return out


def read_standards(f: Fields) -> list[str]:
    """`standards: [社会救助, 养老服务]`: 领域 gongkai ships a national 标准目录 for, each once."""
    from gongkai.standards import available

    out: list[str] = []
    for written in f.str_list("standards"):
        if written not in available():
            f.err("standards", f"gongkai 没有「{written}」领域的标准目录，可选：{'、'.join(available())}")
        elif written not in out:
            out.append(written)
    return out


def read_reasons(f: Fields, key: str) -> dict[str, str]:
    """`key: {shjz-05: 理由}`: each standard item id with the reason it does not apply (ids checked once the
    standards are loaded, gongkai/load/standards.py)."""
    raw = f.raw(key)
    if raw is None:
        return {}
    if not isinstance(raw, dict):
        f.err(key, f"应为“事项标识: 理由”的键值对象，如 {{ylfw-03: 由省民政厅统一公布}}，实际是{type_name(raw)}")
        return {}
    out: dict[str, str] = {}
    for item_id, reason in raw.items():
        line = raw.line_of(item_id) if isinstance(raw, Node) else f.line(key)
        text = as_text(reason).strip() if isinstance(reason, (str, int)) and not isinstance(reason, bool) else ""
        if not text:
            f.err(key, f"事项「{item_id}」没有写不落实的理由", line)
        else:
            out[str(item_id)] = text
    return out


def read_not_applicable(f: Fields) -> dict[int, str]:
    """`art20_not_applicable: {8: 本机关无行政事业性收费项目}`: each item with the reason 本机关不涉及."""
    raw = f.raw("art20_not_applicable")
    if not isinstance(raw, dict):
        f.err("art20_not_applicable", "应为“项号: 理由”的键值对象，如 {10: 本机关无重大建设项目}")
        return {}
    out: dict[int, str] = {}
    for key, reason in raw.items():
        line = raw.line_of(key) if isinstance(raw, Node) else f.line("art20_not_applicable")
        text = as_text(reason).strip() if isinstance(reason, (str, int)) and not isinstance(reason, bool) else ""
        written = "" if isinstance(key, bool) else as_text(key).strip()
        key = int(written) if written.isdigit() else key  # a number the YAML reader kept as written text
        if not isinstance(key, int) or isinstance(key, bool) or not 1 <= key <= 15:
            f.err("art20_not_applicable", f"「{key}」不是第二十条的项号（1—15）", line)
        elif not text:
            f.err("art20_not_applicable", f"第 {key} 项没有写不涉及的理由", line)
        else:
            out[key] = text
    return out


def load_site(root: Path, problems: Problems, memo: Memo | None = None, keep: dict[str, Any] | None = None) -> Site:
    path = root / SITE_FILE
    name = rel_posix(root, path)
    data = read_yaml_file(root, path, problems, memo=memo, keep=keep)
    if data is None:
        # missing, not UTF-8 or not YAML: that problem is the cause; "name is missing" and the like would only
        # echo it (and were listed before it), so the empty stand-in's problems go to a list nobody reads
        problems = Problems()
    f = Fields(problems, name, data if data is not None else {}, SITE_FIELDS, "site.yml")
    site_url = f.str("site_url", required=True)
    reason = site_url_problem(site_url) if site_url else None
    if reason:
        f.err("site_url", reason)
    if site_url and not site_url.endswith("/"):
        site_url += "/"
    contact = Contact()
    if f.has("contact"):
        c = Fields(problems, name, f.raw("contact"), CONTACT_FIELDS, "contact")
        contact = Contact(**{k: c.str(k) for k in CONTACT_FIELDS})
    topics = f.str_list("topics") or list(GOV_CN_TOPICS)
    site = Site(
        name=f.str("name", required=True),
        org_code=f.str("org_code", required=True),
        site_url=site_url,
        site_id=f.str("site_id"),
        description=f.str("description"),
        contact=contact,
        host=f.str("host"),
        icp=f.str("icp"),
        psb=f.str("psb"),
        topics=topics,
        privacy_ok=read_allowances(f),
        source=Source(name, f.start_line),
        field_lines=dict(f.node.key_lines),
    )
    if not site.host:
        site.host = site.name
    if f.has("validity"):
        v = Fields(problems, name, f.raw("validity"), VALIDITY_FIELDS, "validity")
        site.default_term_years = v.int("default_term_years", 5, minimum=1)
        site.provisional_term_years = v.int("provisional_term_years", 2, minimum=1)
    if f.has("guide"):
        g = Fields(problems, name, f.raw("guide"), GUIDE_RULE_FIELDS, "guide")
        site.guide_stale_months = g.int("stale_months", 12, minimum=1)
    site.application = parse_application(problems, name, f.raw("application"), site)
    if f.has("inspection"):
        site.inspection = parse_rules(problems, name, f.raw("inspection"))
    if f.has("art20_not_applicable"):
        site.art20_not_applicable = read_not_applicable(f)
    site.standards = read_standards(f)
    site.standards_not_applicable = read_reasons(f, "standards_not_applicable")
    if f.has("calendar"):
        site.calendar = read_calendar(Fields(problems, name, f.raw("calendar"), CALENDAR_FIELDS, "calendar"))
    if f.str_list("assets"):  # reports items that are not text; the paths are checked by checks/publication.py
        raw = f.raw("assets")
        items = raw if isinstance(raw, list) else [raw]
        for i, item in enumerate(items):
            if isinstance(item, str) and item.strip():
                site.assets.append((item.strip(), raw.line_of(i) if isinstance(raw, Seq) else f.line("assets")))
    site.portal = parse_portal(problems, name, f, root / "content", site.assets)  # its images: site assets
    return site

