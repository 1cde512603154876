"""`gongkai new`'s skeleton carries the participation kinds: their columns, their catalog files (empty, with the
shape explained), their schemas; the new site builds with no warning and each column page says it is empty."""

from __future__ import annotations

import datetime as dt
import json
import re

import jsonschema
import yaml
from bs4 import BeautifulSoup

from conftest import BUILD_DATE, run_build
from gongkai.load.loader import load_catalogue
from gongkai.model import ColumnKind
from gongkai.tools.new import SiteFacts, create_site

DAY = dt.date.fromisoformat(BUILD_DATE)
FACTS = SiteFacts("某某市民政局", "12330100MB0000001N", "https://x.example.gov.cn/")
PAGES = {  # kind -> (page, what it says while empty)
    ColumnKind.DECISIONS: ("fdzdgknr/zdxzjc/index.html", "暂无"),
    ColumnKind.APPLICATION: ("ysqgk/sqxz/index.html", "申请须知"),
    ColumnKind.STATISTICS: ("ysqgk/ysqtj/index.html", "暂无已公布的政府信息公开工作年度报告"),
    ColumnKind.MESSAGES: ("hdhy/lyxd/index.html", "暂无选登的留言"),
    ColumnKind.FAQ: ("hdhy/cjwt/index.html", "暂无"),
}


def test_new_site_has_every_participation_kind_and_builds_without_a_warning(tmp_path):
    root = tmp_path / "demo"
    made = create_site(root, FACTS, DAY)
    for name in ("decisions", "messages", "faq"):
        rel = f"catalog/{name}.yml"
        assert rel in made.files
        data = json.loads(json.dumps(yaml.safe_load((root / rel).read_text(encoding="utf-8")), default=str))
        jsonschema.validate(data, json.loads((root / "schemas" / f"{name}.schema.json").read_text(encoding="utf-8")))
        settings = json.loads((root / ".vscode" / "settings.json").read_text(encoding="utf-8"))["yaml.schemas"]
        assert settings[f"./schemas/{name}.schema.json"] == rel
    cat = load_catalogue(root, DAY)
    kinds = {c.kind for c in cat.columns()}
    assert set(PAGES) <= kinds
    assert cat.warnings == []
    result = run_build(root)
    assert result.returncode == 0, result.stderr
    noise = [ln for ln in re.sub(r"\x1b\[[0-9;]*m", "", result.stderr + result.stdout).splitlines()
             if ln.strip() and not ln.startswith(("信息", "INFO"))]
    assert noise == []
    for kind, (rel, words) in PAGES.items():
        page = BeautifulSoup((root / "site" / rel).read_text(encoding="utf-8"), "html.parser")
        assert words in page.select_one("article").get_text(), (kind, rel)


def test_the_starter_messages_file_explains_the_export_and_loads_once_uncommented(tmp_path):
    root = tmp_path / "demo"
    create_site(root, FACTS, DAY)
    text = (root / "catalog" / "messages.yml").read_text(encoding="utf-8")
    assert "spreadsheets:" in text and "mask_numbers" in text and "header_row" in text
    lines = text.splitlines()
    start = lines.index("# spreadsheets:")
    block = [lines[start][2:]]
    for ln in lines[start + 1:]:  # the commented example, uncommented as a clerk would
        if not ln.startswith("#   "):
            break
        block.append(ln[2:])
    example = "\n".join(block)
    data = yaml.safe_load(example)
    assert data["spreadsheets"][0]["file"] == "messages/12345-2027.xlsx"
    assert data["spreadsheets"][0]["columns"] == {"question": "诉求内容"}
    jsonschema.validate(data, json.loads((root / "schemas" / "messages.schema.json").read_text(encoding="utf-8")))


def test_a_columns_table_with_an_unknown_level_heading_names_it_first(tmp_path):
    """A level under a heading gongkai does not know leaves its rows without a name: the unread heading is said
    before the rows, so the clerk sees why (the headings of a county 公开目录 as bureaus write them)."""
    import pytest

    from gongkai.tools.new import NewSiteError, import_columns

    table = tmp_path / "栏目表.csv"
    table.write_text("序号,栏目名称,下设栏目,更新周期,责任科室\n1,机构信息,机构职能,及时,办公室\n"
                     "2,,领导信息,及时,办公室\n", encoding="utf-8")
    with pytest.raises(NewSiteError) as info:
        import_columns(table)
    lines = str(info.value).splitlines()
    assert lines[1].strip() == ("栏目表.csv: 提示: 表头中这些列没有识别、没有导入：下设栏目"
                                "（栏目的层级请以「一级栏目」「二级栏目」「三级栏目」作表头）"), lines
    assert lines[2].strip().startswith("栏目表.csv:3: 错误: 第 3 行：没有栏目名称"), lines


def test_new_site_has_a_policy_interpretation_column_for_interprets(tmp_path):
    """政策解读 is required with every 政策文件 (三同步): a new site has its column, at an address on record from the
    first day, and an interpretation filed there links its policy both ways, with no warning."""
    root = tmp_path / "demo"
    create_site(root, FACTS, DAY)
    cat = load_catalogue(root, DAY)
    column = next(c for c in cat.columns() if c.name == "政策解读")
    assert (column.id, column.kind, column.path) == ("zcjd", ColumnKind.DOCUMENTS, "zcjd")
    lock = yaml.safe_load((root / "catalog" / "urls.lock.yml").read_text(encoding="utf-8"))
    assert "zcjd" in json.dumps(lock, ensure_ascii=False)
    docs = root / "content" / "documents" / "2026"
    docs.mkdir()
    (docs / "mzj-2026-1.md").write_text("---\ntitle: 某某市最低生活保障办法\ndoc_number: 某民规〔2026〕1号\nindex_no: 12330100MB0000001N/2026-00001\n"
                                        "published: 2026-03-02\ncolumns: [zcwj]\n---\n\n正文。\n",
                                        encoding="utf-8")
    (docs / "mzj-2026-1-jd.md").write_text("---\ntitle: 《某某市最低生活保障办法》政策解读\nindex_no: 12330100MB0000001N/2026-00002\n"
                                           "published: 2026-03-02\n"
                                           "columns: [zcjd]\ninterprets: mzj-2026-1\n---\n\n解读。\n", encoding="utf-8")
    cat = load_catalogue(root, DAY)
    assert [w.format() for w in cat.warnings] == []
    result = run_build(root)
    assert result.returncode == 0, result.stderr
    listing = BeautifulSoup((root / "site" / "zcjd" / "index.html").read_text(encoding="utf-8"), "html.parser")
    assert "《某某市最低生活保障办法》政策解读" in listing.select_one("article").get_text()
    policy = (root / "site" / "documents" / "mzj-2026-1.html").read_text(encoding="utf-8")
    assert 'href="mzj-2026-1-jd.html"' in policy
