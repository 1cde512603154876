"""The extra pages of paged columns from the build cache (gongkai/build/publish.py write_paged_columns, pages.py
subpage_list): a rebuild makes only the pages whose inputs changed, and writes exactly what a cold build writes
after each kind of change a page shows - a row's document, a 解读's address, the validity a new build date gives,
the bureau's page templates, the column's description - each change alone, so that a page keyed without it would be
left stale and fail here.

In-process `mkdocs build`s of one site: a paged 政策文件 column (tests/fixtures/policies_large.py) and a paged
documents column beside it; each warm build is compared with a cold build of a copy of the same inputs.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from fixtures.policies_large import COLUMNS as POLICY_COLUMNS
from fixtures.policies_large import DAY, ORG
from fixtures.policies_large import documents as policy_documents

from conftest import build_in_process, cold_copy, edit, make_site, same_site
from gongkai.build import publish
from gongkai.build.paging import ONE_PAGE_MAX, PAGE_ROWS

POLICIES = 340  # documents in 政策文件: both of its lists and several browse listings are paged
NOTICES = ONE_PAGE_MAX + 30  # documents in 通知公告: pages 2 … of a plain documents column
COLUMNS = POLICY_COLUMNS + """\
  - name: 通知公告
    id: tzgg
    frequency: 及时更新
    office: 办公室
    description: 本机关发布的通知、公告。
"""


def notices(n: int) -> dict[str, str]:
    """n notices in 通知公告, newest first by their number (synthetic, in the shapes of the example's documents)."""
    out = {}
    for i in range(n):
        published = DAY - dt.timedelta(days=2 * i + 1)
        out[f"tz/t{i:04d}.md"] = (f"---\ntitle: 关于开展第{i}批社区养老服务评估工作的通知\nindex_no: {ORG}/{published.year}-{70000 + i}\n"
                                  f"publisher: 测试市民政局\npublished: {published}\ntopic: 综合政务\ncolumns: [tzgg]\n---\n\n正文。\n")
    return out


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Path:
    root = make_site(tmp_path_factory.mktemp("paged-cache"), COLUMNS, policy_documents(POLICIES) | notices(NOTICES))
    build(root)
    return root


def build(root: Path, day: dt.date = DAY, counts: list | None = None) -> None:
    """An in-process build without the search index; counts: gets write_paged_columns' counts."""
    real = publish.write_paged_columns

    def counting(*args, **kwargs):
        out = real(*args, **kwargs)
        if counts is not None:
            counts.append(out)
        return out

    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(publish, "write_paged_columns", counting)
        build_in_process(root, day.isoformat(), {"GONGKAI_SEARCH": "0"})


def rebuilt(root: Path, tmp_path: Path, day: dt.date = DAY) -> dict[str, int]:
    """Build root (warm) and a cold copy of it: the trees must be the same bytes. Returns the warm build's counts."""
    counts: list[dict[str, int]] = []
    build(root, day, counts)
    cold = cold_copy(root, tmp_path / "cold")
    build(cold, day)
    same_site(root, cold)
    return counts[0]


def page(root: Path, rel: str) -> str:
    return (root / "site" / rel).read_text(encoding="utf-8")


def doc_file(root: Path, doc_id: str) -> Path:
    return next((root / "content" / "documents").rglob(f"{doc_id}.md"))


def listed_on(root: Path, rel: str) -> list[str]:
    """Ids of the documents a list page links in its rows, in order."""
    from bs4 import BeautifulSoup

    soup = BeautifulSoup(page(root, rel), "lxml")
    return [a["href"].rsplit("/", 1)[1].removesuffix(".html") for a in soup.select("tbody td.gk-col-title > a")]


def test_nothing_changed_makes_no_page_and_a_body_edit_none_either(site):
    counts: list[dict[str, int]] = []
    build(site, counts=counts)
    assert counts[0]["pages"] > 20 and counts[0]["rendered"] == 0
    assert counts[0]["cached"] == counts[0]["pages"]
    # a document's body is on no list page: its own page is made again, no list page
    doc = listed_on(site, "zcwj/normative-2.html")[0]
    path = doc_file(site, doc)
    path.write_text(path.read_text(encoding="utf-8") + "\n补充说明有关事项。\n", encoding="utf-8")
    counts.clear()
    build(site, counts=counts)
    assert counts[0]["rendered"] == 0
    assert "补充说明有关事项。" in page(site, f"documents/{doc}.html")


def test_a_listed_title_changes_only_the_pages_that_show_it(site, tmp_path):
    policy = listed_on(site, "zcwj/normative-2.html")[3]
    notice = listed_on(site, "tzgg/page-2.html")[5]
    edit(doc_file(site, policy), "title: ", "title: 修订：")
    edit(doc_file(site, notice), "title: ", "title: 更正：")
    counts = rebuilt(site, tmp_path)
    # the policy's main list page and its browse pages (year, topic, publisher: the same row), the notice's page
    assert 2 <= counts["rendered"] <= 8 < counts["pages"]
    assert "修订：" in page(site, "zcwj/normative-2.html") and "更正：" in page(site, "tzgg/page-2.html")


def test_validity_follows_the_build_date(site, tmp_path):
    """No input file changes: a later build date makes normative documents on the paged lists 已失效."""
    later = DAY + dt.timedelta(days=400)
    browse = "zcwj/year-2022.html"  # documents of 2022: five-year terms that end in the next 400 days
    before = page(site, browse).count("已失效")
    counts = rebuilt(site, tmp_path, later)
    assert 0 < counts["rendered"] < counts["pages"]
    assert page(site, browse).count("已失效") > before
    build(site)  # back to the fixture's day for the tests below
    assert page(site, browse).count("已失效") == before


def test_an_interpretations_new_address_is_on_the_row_of_its_policy(site, tmp_path):
    """A 解读 (in the small 政策解读 column) gets another id: the rows of the policy it interprets link it anew."""
    jd = next((site / "content" / "documents").rglob("*-jd.md"))
    policy = jd.stem.removesuffix("-jd")
    pages = [p for p in (site / "site" / "zcwj").glob("*.html") if policy in listed_on(site, f"zcwj/{p.name}")]
    assert pages and all(f"{jd.stem}.html" in p.read_text(encoding="utf-8") for p in pages)
    jd.rename(jd.with_name(f"{policy}-jiedu.md"))
    counts = rebuilt(site, tmp_path)
    assert 0 < counts["rendered"] < counts["pages"]
    assert all(f"{policy}-jiedu.html" in p.read_text(encoding="utf-8") for p in pages)


def test_the_bureaus_page_templates_and_the_columns_description(site, tmp_path):
    """overrides/gongkai/: the bureau's own templates of the extra pages' bodies; the documents column's
    description, shown at the top of each of its pages."""
    from gongkai.build.render import TEMPLATE_DIR

    own = site / "overrides" / "gongkai"
    own.mkdir(parents=True, exist_ok=True)
    for name in ("column_policies_page.html", "column_documents_page.html"):
        (own / name).write_text((TEMPLATE_DIR / name).read_text(encoding="utf-8") + "<p>本页由本局自行维护。</p>\n",
                                encoding="utf-8")
    counts = rebuilt(site, tmp_path / "own")
    assert counts["rendered"] == counts["pages"]
    assert "本页由本局自行维护。" in page(site, "zcwj/others-2.html")
    assert "本页由本局自行维护。" in page(site, "tzgg/page-2.html")
    edit(site / "catalog" / "columns.yml", "本机关发布的通知、公告。", "本机关发布的通知、公告和通报。")
    counts = rebuilt(site, tmp_path / "description")
    assert 0 < counts["rendered"] < counts["pages"]
    assert "本机关发布的通知、公告和通报。" in page(site, f"tzgg/page-{-(-NOTICES // PAGE_ROWS)}.html")
