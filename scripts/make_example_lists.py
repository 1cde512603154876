"""Make the example bureau's list spreadsheets (content/lists/): a 低保 公示名单, a 双公示 行政许可 table, a 养老机构名录.

The people, organisations and numbers are invented (seeded, so the files are the same each time); the shapes
follow what bureaus publish:
- 低保 公示: a title row above the header, 户主姓名、身份证号、所在街道、社区、保障人口、月保障金额、联系电话,
  公示 at least 7 days (「公示时间不得少于7日」, a provincial 最低生活保障审核审批办法,
  https://m.78911.com.cn/DangAnGuanLiZhiDu/598373-5.html);
- 双公示 行政许可: 「行政许可决定书文号、项目名称、审批类别、许可内容、行政相对人代码和许可机关」
  (https://pfflw.com/zh-hant/guwen/falv/7ege65.html; the same fields in a 双公示 query page,
  KevinLiu2333/Psychology crosswaywebsvc/.../query/sgs/corp_xk_view.jsp), saved by Excel as GBK CSV;
- 养老机构名录: 机构名称、统一社会信用代码、地址、性质、床位数、联系电话 by district.

Run: python scripts/make_example_lists.py
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import random
import sys
from pathlib import Path

import openpyxl

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from gongkai.checks.indexno import credit_check_char  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "content" / "lists"
FIXED = dt.datetime(2026, 11, 20, 9, 0, 0)

SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤"
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀兰霞平刚桂英华玉萍红梅建国志文斌辉鹏宇浩凯秀珍凤霞春花海燕雪梅德福永庆"
STREETS = {"东城街道": ["朝晖社区", "新华社区", "湖滨社区"], "西城街道": ["文晖社区", "和平社区"],
           "南湖镇": ["南湖村", "北山村", "塘栖村"]}
WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)


def id_number(rng: random.Random) -> str:
    born = dt.date(1940, 1, 1) + dt.timedelta(days=rng.randrange(0, 60 * 365))
    body = "330102" + born.strftime("%Y%m%d") + f"{rng.randrange(0, 1000):03d}"
    return body + "10X98765432"[sum(int(c) * w for c, w in zip(body, WEIGHTS, strict=True)) % 11]


def name(rng: random.Random) -> str:
    return rng.choice(SURNAMES) + "".join(rng.choice(GIVEN) for _ in range(rng.choice((1, 2, 2))))


def uscc(rng: random.Random, kind: str) -> str:
    body = kind + "330102" + "".join(rng.choice("0123456789ABCDEFGHJKLMNPQRTUWXY") for _ in range(8))
    body += "0"  # 9-character organisation code: last of it
    return body + (credit_check_char(body) or "0")


def save(wb: openpyxl.Workbook, path: Path) -> None:
    wb.properties.created = FIXED
    wb.properties.modified = FIXED
    wb.properties.creator = "示例市民政局"
    wb.save(path)


def dibao() -> None:
    rng = random.Random(20261120)
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "公示名单"
    ws.append(["示例市2026年11月城乡最低生活保障新增对象公示名单"])
    ws.append(["户主姓名", "身份证号", "所在街道（乡镇）", "所在社区（村）", "保障人口", "月保障金额（元）", "联系电话"])
    for _ in range(64):
        street = rng.choice(sorted(STREETS))
        people = rng.choice((1, 1, 2, 2, 3, 4))
        ws.append([name(rng), id_number(rng), street, rng.choice(STREETS[street]), people, people * 1160 - rng.randrange(0, 5) * 100,
                   f"1{rng.choice('3589')}{rng.randrange(0, 10 ** 9):09d}"])
    save(wb, OUT / "dibao-2026-11.xlsx")


def permits() -> None:
    rng = random.Random(2026)
    items = [("社会团体成立登记", "社会团体登记"), ("民办非企业单位成立登记", "民办非企业单位登记"),
             ("民办非企业单位变更登记", "民办非企业单位登记"), ("社会团体注销登记", "社会团体登记")]
    orgs = ["示例市老年书画研究会", "示例市东城区阳光社会工作服务中心", "示例市南湖镇颐乐居家养老服务中心", "示例市志愿服务联合会",
            "示例市西城区邻里互助服务社", "示例市慈善义工协会", "示例市康宁社区服务中心", "示例市青少年发展促进会",
            "示例市南湖区幸福里养老服务中心", "示例市婚姻家庭咨询服务中心", "示例市殡葬服务行业协会", "示例市地名文化研究会"]
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\r\n")
    w.writerow(["行政许可决定书文号", "项目名称", "审批类别", "许可内容", "行政相对人名称", "统一社会信用代码", "法定代表人",
                "许可决定日期", "许可机关"])
    day = dt.date(2026, 7, 6)
    for i, org in enumerate(orgs, start=1):
        item, kind = rng.choice(items)
        code = uscc(rng, "51" if "会" in org[-2:] else "52")
        w.writerow([f"示民许〔2026〕{40 + i}号", item, kind, f"准予{org}{item.removesuffix('登记')}登记", org, code, name(rng),
                    day.strftime("%Y/%m/%d"), "示例市民政局"])
        day += dt.timedelta(days=rng.randrange(3, 12))
    (OUT / "xzxk-2026.csv").write_bytes(buf.getvalue().encode("gb18030"))


def homes() -> None:
    rng = random.Random(156)
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "养老机构"
    ws.append(["机构名称", "统一社会信用代码", "所在区", "地址", "性质", "床位数", "联系电话"])
    names = ["福寿", "康乐", "颐和", "夕阳红", "松鹤", "长青", "安康", "仁爱", "和美", "乐龄", "慈晖", "金秋"]
    for i in range(24):
        district = rng.choice(["东城区", "西城区", "南湖区"])
        public = rng.random() < 0.4
        ws.append([f"示例市{district}{names[i % 12]}{'老年公寓' if i >= 12 else '养老院'}", uscc(rng, "12" if public else "52"),
                   district, f"{district}{rng.choice(['湖滨路', '文一路', '解放街', '建设路'])}{rng.randrange(1, 400)}号",
                   "公办" if public else "民办", rng.randrange(4, 60) * 10, f"0571-8{rng.randrange(0, 10 ** 7):07d}"])
    save(wb, OUT / "yljg-2026q3.xlsx")


if __name__ == "__main__":
    OUT.mkdir(parents=True, exist_ok=True)
    dibao()
    permits()
    homes()
