"""政府信息公开指南: 修订时间 on top, the dated history, the contact block from site.yml, the stale-guide warning."""

from __future__ import annotations

import datetime as dt
import os
import subprocess
import sys

import yaml
from bs4 import BeautifulSoup

from conftest import REPO, cli, copy_example
from gongkai.build.pages import SitePlan
from gongkai.build.render import Renderer
from gongkai.checks.guide import add_months
from gongkai.load.loader import load_catalogue
from gongkai.load.yamlsrc import split_front_matter

SITE_YML = yaml.safe_load((REPO / "catalog" / "site.yml").read_text(encoding="utf-8"))
GUIDE_FM = yaml.safe_load(split_front_matter((REPO / "content" / "guide.md").read_text(encoding="utf-8"))[0])


def guide_page(example_site) -> BeautifulSoup:
    cat = load_catalogue(REPO, dt.date(2026, 11, 24))
    col = next(c for c in cat.columns() if c.kind == "guide")
    return BeautifulSoup((example_site / col.href).read_text(encoding="utf-8"), "lxml")


def test_revised_date_is_shown_first(example_site):
    soup = guide_page(example_site)
    content = soup.select_one("article") or soup
    revised = content.select_one(".gk-revised")
    assert revised.get_text(strip=True).startswith(f"修订时间：{GUIDE_FM['revised']}")
    assert revised.time["datetime"] == str(GUIDE_FM["revised"])
    # before the guide's text: the first thing after the column header
    body = content.select_one(".gk-page-body")
    assert "一、主动公开" in body.get_text()
    order = [el for el in content.find_all(True) if el is revised or el is body]
    assert order == [revised, body]
    assert revised.find_previous("h1").get_text(strip=True) == "政府信息公开指南"


def test_revision_history_is_rendered_newest_first(example_site):
    rows = guide_page(example_site).select("#gk-revisions tbody tr")
    got = [(tr.time["datetime"], tr.find_all("td")[1].get_text(strip=True)) for tr in rows]
    want = sorted(((str(r["date"]), r["note"]) for r in GUIDE_FM["revisions"]), reverse=True)
    assert got == want and len(got) == 3


def test_contact_block_equals_site_yml(example_site):
    soup = guide_page(example_site)
    rows = soup.select("#gk-contact .gk-contact__row")
    shown = {row["data-field"]: row.dd.get_text(strip=True) for row in rows}
    assert shown == {k: str(v) for k, v in SITE_YML["contact"].items()}
    labels = [row.dt.get_text(strip=True) for row in rows]
    assert labels == ["工作机构", "地址", "邮政编码", "办公时间", "联系电话", "传真", "电子邮箱"]
    assert soup.select_one('#gk-contact a[href^="mailto:"]')["href"] == f"mailto:{SITE_YML['contact']['email']}"


def test_contact_block_follows_a_change_in_site_yml(tmp_path):
    """One source: change the phone in site.yml, and the guide shows the new number (the page body as the build
    renders it, in process: the built example above shows that body is what the page carries)."""
    root = copy_example(tmp_path / "site")
    site = root / "catalog" / "site.yml"
    site.write_text(site.read_text(encoding="utf-8").replace("phone: 0571-87000000", "phone: 0571-86999999"), encoding="utf-8")
    cat = load_catalogue(root, dt.date(2026, 11, 24))
    plan = SitePlan(cat, Renderer(root))
    col = next(c for c in cat.columns() if c.kind == "guide")
    soup = BeautifulSoup(plan.render(plan.column_plan(col)), "lxml")
    assert soup.select_one('#gk-contact [data-field="phone"] dd').get_text(strip=True) == "0571-86999999"
    assert "0571-87000000" not in str(soup.select_one("#gk-contact"))


def stale_lines(result) -> list[str]:
    return [ln for ln in result.stderr.splitlines() if "公开指南上次修订于" in ln]


def test_stale_guide_warning_with_a_fixed_build_date():
    # revised 2026-03-01, default 12 months: due on 2027-03-01
    fresh = cli(REPO, "check", build_date="2027-02-28")
    assert fresh.returncode == 0, fresh.stderr
    assert stale_lines(fresh) == []
    stale = cli(REPO, "check", build_date="2027-03-01")
    assert stale.returncode == 0, stale.stderr  # a warning, not an error
    (line,) = stale_lines(stale)
    assert line.startswith("content/guide.md:3: 警告: 字段「revised」")
    assert "2026-03-01" in line and "已超过 12 个月未修订" in line


def test_stale_period_is_configurable(tmp_path):
    root = copy_example(tmp_path / "site")
    site = root / "catalog" / "site.yml"
    text = site.read_text(encoding="utf-8")
    assert "stale_months: 12" in text
    site.write_text(text.replace("stale_months: 12", "stale_months: 6"), encoding="utf-8")
    (line,) = stale_lines(cli(root, "check", build_date="2026-11-24"))
    assert "已超过 6 个月未修订" in line


def test_missing_contact_to_do_points_at_the_contact_block(tmp_path):
    root = copy_example(tmp_path / "site")
    site = root / "catalog" / "site.yml"
    text = site.read_text(encoding="utf-8").replace("  fax: 0571-87000001\n", "")
    site.write_text(text, encoding="utf-8")
    n = text[: text.index("\ncontact:") + 1].count("\n") + 1
    todo = [ln for ln in cli(root, "check").stderr.splitlines() if "联系方式缺少" in ln]
    assert len(todo) == 1 and todo[0].startswith(f"catalog/site.yml:{n}: 待办: 字段「contact」"), (n, todo)


def test_missing_contact_fields_are_a_to_do(tmp_path):
    """Not yet written is not wrong: a to-do in `gongkai check` and on the build's INFO lines, never a warning."""
    root = copy_example(tmp_path / "site")
    site = root / "catalog" / "site.yml"
    site.write_text(site.read_text(encoding="utf-8").replace("  fax: 0571-87000001\n", ""), encoding="utf-8")
    result = cli(root, "check")
    assert result.returncode == 0, result.stderr
    assert any("待办: 字段「contact」：公开指南的联系方式缺少：传真" in ln and ln.startswith("catalog/site.yml")
               for ln in result.stderr.splitlines())
    assert "条警告，1 项待办" in result.stdout
    build = subprocess.run([sys.executable, "-m", "mkdocs", "build"], cwd=root, capture_output=True, text=True,
                           env=dict(os.environ, GONGKAI_BUILD_DATE="2026-11-24", NO_MKDOCS_2_WARNING="1"))
    assert build.returncode == 0, build.stderr
    assert [ln for ln in build.stderr.splitlines() if "联系方式缺少" in ln and ln.startswith("信息")]
    assert [ln for ln in build.stderr.splitlines() if ln.startswith("警告") and "联系方式" in ln] == []


def test_add_months_clamps_to_the_month_end():
    assert add_months(dt.date(2025, 1, 31), 1) == dt.date(2025, 2, 28)
    assert add_months(dt.date(2024, 2, 29), 12) == dt.date(2025, 2, 28)
    assert add_months(dt.date(2026, 3, 1), 12) == dt.date(2027, 3, 1)
    assert add_months(dt.date(2026, 11, 30), 3) == dt.date(2027, 2, 28)


def test_revised_date_that_disagrees_with_the_history_warns(tmp_path):
    root = copy_example(tmp_path / "site")
    guide = root / "content" / "guide.md"
    guide.write_text(guide.read_text(encoding="utf-8").replace("revised: 2026-03-01", "revised: 2025-01-01"), encoding="utf-8")
    cat = load_catalogue(root, dt.date(2026, 11, 24))
    msgs = [w.message for w in cat.warnings if w.file == "content/guide.md" and w.field == "revised"]
    assert any("早于最近一条修订记录的日期 2026-03-01" in m for m in msgs)
    guide.write_text(guide.read_text(encoding="utf-8").replace("revised: 2025-01-01", "revised: 2026-12-15"), encoding="utf-8")
    future = load_catalogue(root, dt.date(2026, 11, 24))
    assert any("晚于生成日期" in w.message for w in future.warnings if w.file == "content/guide.md")


def test_a_guide_no_column_shows_is_a_warning(tmp_path):
    """A catalogue re-imported from a table without kinds left the guide column a plain document list: the
    公开指南 (条例 Art. 12) was published nowhere and the build and `gongkai check` said nothing."""
    root = copy_example(tmp_path / "site")
    cols = root / "catalog" / "columns.yml"
    text = cols.read_text(encoding="utf-8")
    assert text.count("kind: guide") == 1
    cols.write_text(text.replace("kind: guide", "kind: documents"), encoding="utf-8")
    result = cli(root, "check")
    assert result.returncode == 0, result.stderr  # a warning, not an error
    [line] = [ln for ln in result.stderr.splitlines() if "没有公开指南栏目" in ln]
    assert line.startswith("content/guide.md: 警告: ") and "公开指南不会发布到网站上" in line
    assert not [ln for ln in cli(REPO, "check").stderr.splitlines() if "没有公开指南栏目" in ln]
