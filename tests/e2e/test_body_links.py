"""Links and images in bodies resolve as the author wrote them: relative to the Markdown file.

An image beside the document's .md, a link to ../../files/…, a link to another document's .md and a page column's
link to a document all work on the built pages, in Chromium over file:// and HTTP; a missing target stops
`gongkai check` and the build with file:line.

Texts transcribed from real published documents:
- 《云南省民政厅办公室关于印发重新修订的〈云南省民政厅政府信息主动公开基本目录索引号编制规则〉的通知》,
  怒江州民政局转发, 索引号 01527918X-2020-153077, https://www.nujiang.gov.cn/xxgk/01527918X/info/2020-153077.html
- 《市政府办公厅关于推进城镇燃气居民和餐饮用户“安心用气工程”建设的实施意见》（宁政办规字〔2023〕2号）,
  http://njdaily.cn/news/2023/0928/5565502838015744474.html
"""

from __future__ import annotations

import io
import shutil
from pathlib import Path
from urllib.parse import unquote

import pytest

from conftest import cli, make_site, run_build
from gongkai.errors import GongkaiError
from gongkai.load.loader import load_catalogue

COLUMNS = """\
columns:
  - name: 通知公告
    id: tzgg
    kind: documents
  - name: 公开制度
    id: gkzd
    kind: page
    page: pages/gkzd.md
"""

GUIZE = """\
---
title: 云南省民政厅办公室关于印发重新修订的《云南省民政厅政府信息主动公开基本目录索引号编制规则》的通知
id: syhbzgz
index_no: 11330100002489999F/2020-00001
publisher: 怒江州民政局
published: 2020-10-10
columns: [tzgg]
---

厅机关各处（室、局），各直属事业单位：

因厅机关公文发文字号调整，为确保我厅主动公开信息索引号有关编码与现行公文发文字号保持一致，办公室重新修订了
《云南省民政厅政府信息主动公开基本目录索引号编制规则》，现印发给你们，请严格遵照修订后的编制规则执行。

![索引号编码格式](img/geshi.png)

{extra}- [政府信息公开申请表（公民）](../../files/sqb-gm.txt)
- 参阅：[安心用气工程实施意见](../2023/anxin.md#总体要求)
"""

ANXIN = """\
---
title: 市政府办公厅关于推进城镇燃气居民和餐饮用户“安心用气工程”建设的实施意见
id: ningzhengbangui-2023-2
doc_number: 宁政办规字〔2023〕2号
index_no: 11330100002489999F/2023-00001
published: 2023-09-28
columns: [tzgg]
---

各区人民政府，江北新区管委会，市府各委办局，市各直属单位：

## 总体要求

进一步筑牢燃气安全底线，助力城镇燃气安全领域高质量发展和安全韧性城市建设。

索引号规则见 <a href="../2020/syhbzgz.md">编制规则</a>。
"""

PAGE = """\
# 公开制度

本机关主动公开信息的索引号按[编制规则](../documents/2020/syhbzgz.md)编制。

<img src="img/biaozhi.png" alt="政务公开标志">
"""


def _png(color: tuple[int, int, int], size: tuple[int, int] = (40, 20)) -> bytes:
    from PIL import Image

    buf = io.BytesIO()
    Image.new("RGB", size, color).save(buf, format="PNG")
    return buf.getvalue()


def _site(root: Path, extra: str = "") -> Path:
    make_site(root, COLUMNS, {"2020/syhbzgz.md": GUIZE.replace("{extra}", extra), "2023/anxin.md": ANXIN},
              pages={"pages/gkzd.md": PAGE})
    files = {"documents/2020/img/geshi.png": _png((20, 60, 140)), "pages/img/biaozhi.png": _png((200, 30, 30)),
             "files/sqb-gm.txt": "政府信息公开申请表（公民）\n".encode()}
    for rel, data in files.items():
        (root / "content" / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / "content" / rel).write_bytes(data)
    return root


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> Path:
    root = _site(tmp_path_factory.mktemp("links"))
    result = run_build(root)
    assert result.returncode == 0, result.stderr
    assert "警告" not in result.stderr, result.stderr
    return root


def test_targets_are_rewritten_for_the_output_page(built):
    from bs4 import BeautifulSoup

    site = built / "site"
    soup = BeautifulSoup((site / "documents/syhbzgz.html").read_text(encoding="utf-8"), "lxml")
    body = soup.select_one(".gk-doc-body") or soup
    assert body.find("img", alt="索引号编码格式")["src"] == "2020/img/geshi.png"
    # the Markdown engine percent-encodes non-ASCII in addresses (cmark-gfm); browsers decode them alike
    hrefs = {a.get_text(): unquote(a["href"]) for a in body.find_all("a")}
    assert hrefs["政府信息公开申请表（公民）"] == "../files/sqb-gm.txt"
    assert hrefs["安心用气工程实施意见"] == "ningzhengbangui-2023-2.html#总体要求"
    other = BeautifulSoup((site / "documents/ningzhengbangui-2023-2.html").read_text(encoding="utf-8"), "lxml")
    assert other.find("a", string="编制规则")["href"] == "syhbzgz.html"
    page = BeautifulSoup((site / "gkzd/index.html").read_text(encoding="utf-8"), "lxml")
    assert page.find("a", string="编制规则")["href"] == "../documents/syhbzgz.html"
    assert page.find("img", alt="政务公开标志")["src"] == "../pages/img/biaozhi.png"
    # the targets are copied into the site, under their own paths
    assert (site / "documents/2020/img/geshi.png").read_bytes()[:4] == b"\x89PNG"
    assert (site / "pages/img/biaozhi.png").is_file()
    assert (site / "files/sqb-gm.txt").is_file()


@pytest.mark.parametrize("over", ["file", "http"])
def test_links_and_images_work_in_chromium(over, built, browser):
    from browser import serve

    site = built / "site"

    def check(base: str) -> None:
        page = browser.new_page()
        for path, image in (("documents/syhbzgz.html", "索引号编码格式"), ("gkzd/index.html", "政务公开标志")):
            page.goto(base + path, wait_until="load")
            loaded = page.eval_on_selector(f'img[alt="{image}"]', "img => img.complete && img.naturalWidth")
            assert loaded == 40, (path, image)
            hrefs = page.eval_on_selector_all("article a[href], .md-content a[href]",
                                              "as => as.filter(a => !a.closest('nav')).map(a => a.href)")
            wanted = [h for h in hrefs if any(k in h for k in ("sqb-gm", "ningzhengbangui", "syhbzgz.html"))
                      and not h.endswith(path)]
            assert wanted, hrefs
            for href in wanted:
                target = browser.new_page()
                response = target.goto(href)  # a missing file raises (file://) or answers 404 (HTTP)
                assert response is None or response.ok, href
                target.close()
        page.close()

    if over == "file":
        check(site.as_uri() + "/")
    else:
        with serve(site) as url:
            check(url)


def test_missing_target_stops_check_with_file_and_line(tmp_path):
    root = _site(tmp_path, extra="![旧图](img/jiu.png)\n")
    shutil.rmtree(root / "content/files")
    with pytest.raises(GongkaiError) as info:
        load_catalogue(root, None)
    errors = sorted(p.format() for p in info.value.problems if p.level == "error")
    assert len(errors) == 2, errors
    assert errors[0].startswith("content/documents/2020/syhbzgz.md:17:") and "img/jiu.png" in errors[0], errors
    assert errors[1].startswith("content/documents/2020/syhbzgz.md:18:") and "content/files/sqb-gm.txt" in errors[1]
    result = cli(root, "check", "--root", str(root))
    assert result.returncode != 0
    assert "content/documents/2020/syhbzgz.md:17:" in result.stderr


def test_link_to_a_document_that_is_not_published_is_an_error(tmp_path):
    root = _site(tmp_path)
    anxin = root / "content/documents/2023/anxin.md"
    anxin.write_text(ANXIN.replace("columns: [tzgg]\n", "columns: [tzgg]\ndisclosure: 依申请公开\n"), encoding="utf-8")
    with pytest.raises(GongkaiError) as info:
        load_catalogue(root, None)
    errors = [p.format() for p in info.value.problems if p.level == "error"]
    assert len(errors) == 1 and errors[0].startswith("content/documents/2020/syhbzgz.md:18:"), errors
    assert "依申请公开" in errors[0]
