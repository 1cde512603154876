"""依申请公开 kit: the 申请表 PDF (embedded poster font, every character drawn) and DOCX (python-docx), and the
application column page with its 须知 and 流程图, from catalog/site.yml and the 条例."""

from __future__ import annotations

import datetime as dt
import io
import zipfile

import pypdfium2 as pdfium
import pytest
from bs4 import BeautifulSoup
from docx import Document as DocxDocument
from pypdf import PdfReader

from conftest import BUILD_DATE, REPO, copy_example
from gongkai.application import FORMS, form_texts
from gongkai.build.application_forms import docx_bytes, form_files, pdf_bytes
from gongkai.errors import GongkaiError
from gongkai.load.loader import load_catalogue
from gongkai.typeset import missing_chars

DAY = dt.date.fromisoformat(BUILD_DATE)
GM, FR = FORMS


@pytest.fixture(scope="module")
def cat():
    return load_catalogue(REPO, DAY)


def pdf_text(data: bytes) -> str:
    pdf = pdfium.PdfDocument(data)
    assert len(pdf) == 1
    page = pdf[0]
    text = page.get_textpage().get_text_range()
    # it renders: some ink on the page, not a blank sheet
    image = page.render(scale=0.5).to_pil().convert("L")
    assert image.getextrema()[0] < 60
    return text.replace("\r", "").replace("\n", "")


@pytest.mark.parametrize("kind", FORMS, ids=lambda k: k.key)
def test_pdf_form_renders_with_every_character(cat, kind):
    data = pdf_bytes(cat, kind)
    text = pdf_text(data)
    assert f"示例市民政局政府信息公开申请表（{kind.label}）" in text
    for field in kind.fields:
        assert field in text, field
    for word in ("所需信息描述", "□ 纸质", "□ 电子邮件", "申请人签名（盖章）", "20 个工作日", "0571-87000000"):
        assert word in text, word
    # the fonts are embedded TrueType subsets (never a font the reader's computer must have), and every
    # character printed is in them
    names = set()
    for font in PdfReader(io.BytesIO(data)).pages[0]["/Resources"]["/Font"].values():
        font = font.get_object()
        descendants = font.get("/DescendantFonts")
        target = descendants[0].get_object() if descendants else font
        assert "/FontFile2" in target["/FontDescriptor"].get_object(), font["/BaseFont"]
        names.add(str(font["/BaseFont"]).split("+")[1])
    assert names == {"NotoSansSC-Regular", "NotoSansSC-Bold"}
    assert [missing_chars(t) for t in form_texts(cat.site, cat.site.application) if missing_chars(t)] == []


def test_forms_are_deterministic(cat):
    assert pdf_bytes(cat, GM) == pdf_bytes(cat, GM)
    assert docx_bytes(cat, FR) == docx_bytes(cat, FR)
    later = load_catalogue(REPO, DAY + dt.timedelta(days=1))
    assert pdf_bytes(later, GM) != pdf_bytes(cat, GM)  # the build date is in the PDF's dates


@pytest.mark.parametrize("kind", FORMS, ids=lambda k: k.key)
def test_docx_opens_with_the_expected_fields(cat, kind):
    data = docx_bytes(cat, kind)
    doc = DocxDocument(io.BytesIO(data))
    assert doc.paragraphs[0].text == f"示例市民政局政府信息公开申请表（{kind.label}）"
    (table,) = doc.tables
    cells = [c.text for row in table.rows for c in row.cells]
    for field in kind.fields:
        assert any(c.strip("* ") == field for c in cells), field
    # every field has an empty cell beside it to fill in
    for row in table.rows[1:1 + len(kind.fields) // 2]:
        texts = [c.text for c in row.cells]
        assert texts[1] == "" and texts[3] == ""
    assert any("□ 纸质" in c for c in cells) and any("□ 当面领取" in c for c in cells)
    assert doc.core_properties.author == "示例市民政局"
    assert doc.core_properties.created == dt.datetime(2026, 11, 24, tzinfo=dt.UTC)
    notes = "\n".join(p.text for p in doc.paragraphs)
    assert "示例市人民大道100号市民中心C座5楼" in notes
    # the ZIP entries carry the build date, not the time of saving
    assert {i.date_time[:3] for i in zipfile.ZipFile(io.BytesIO(data)).infolist()} == {(2026, 11, 24)}


def test_the_example_publishes_both_forms_in_both_formats(example_site):
    for rel in ("forms/sqb-gm.pdf", "forms/sqb-gm.docx", "forms/sqb-fr.pdf", "forms/sqb-fr.docx"):
        assert (example_site / rel).stat().st_size > 5000, rel
    manifest = (example_site.parent / "site.manifest.json").read_text(encoding="utf-8")
    assert '"forms/sqb-fr.docx"' in manifest and "application-form" in manifest


def test_application_page_shows_notice_flow_and_forms(example_site):
    href = "ysqgk/sqxz/index.html"
    page = BeautifulSoup((example_site / href).read_text(encoding="utf-8"), "lxml")
    body = page.select_one(".gk-application")
    headings = [h.get_text() for h in body.select("h3")]
    assert headings == ["申请内容", "申请方式", "补正", "收到申请的日期", "答复期限", "收费", "救济途径"]
    text = body.get_text()
    for words in ("信函申请：将填好的申请表邮寄至 示例市人民大道100号市民中心C座5楼（邮编 310000）", "传真至 0571-87000001",
                  "https://zwfw.example.gov.cn/ysqgk/", "7 个工作日内一次性告知", "以双方确认之日为收到申请之日",
                  "20 个工作日内予以答复", "最长不超过 20 个工作日", "不收取费用", "信息处理费"):
        assert words in text, words
    assert "电子邮件申请" not in text  # not a channel of this bureau
    # the 流程图 is text: an ordered list of steps, the outcomes of a step listed under it
    steps = body.select("ol.gk-flow > li.gk-flow__step")
    assert [s.select_one(".gk-flow__title").get_text(" ", strip=True) for s in steps] == [
        "第 1 步 提出申请", "第 2 步 登记受理", "第 3 步 审查申请", "第 4 步 办理", "第 5 步 作出答复", "第 6 步 送达"]
    assert len(steps[4].select(".gk-flow__branches li")) == 5
    assert not body.select("ol.gk-flow img")
    links = {a["href"] for a in body.select("#gk-forms a")}
    assert links == {"../../forms/sqb-gm.pdf", "../../forms/sqb-gm.docx", "../../forms/sqb-fr.pdf", "../../forms/sqb-fr.docx"}


# --- site.yml mistakes, font coverage --------------------------------------------------------------------


def with_site(tmp_path, edit):
    root = copy_example(tmp_path / "site")
    p = root / "catalog" / "site.yml"
    p.write_text(edit(p.read_text(encoding="utf-8")), encoding="utf-8")
    return root


def test_channel_mistakes_name_the_line(tmp_path):
    root = with_site(tmp_path, lambda s: s.replace("  channels: [当面, 信函, 传真, 网上]\n  online: https://zwfw.example.gov.cn/ysqgk/\n",
                                                   "  channels: [当面, 微信, 电子邮件, 网上]\n  online: zwfw.example.gov.cn\n")
                     .replace("  email: zwgk@mzj.example.gov.cn\n", ""))
    with pytest.raises(GongkaiError) as info:
        load_catalogue(root, DAY)
    found = [(p.field, p.message) for p in info.value.problems if p.file == "catalog/site.yml" and p.level == "error"]
    assert any(f == "channels" and "「微信」无效" in m for f, m in found)
    warned = [(p.field, p.message) for p in info.value.problems if p.file == "catalog/site.yml" and p.level == "warning"]
    assert any(f == "channels" and "「电子邮件」" in m and "contact.email" in m for f, m in warned)
    assert any(f == "online" and "http://" in m for f, m in found)


def test_default_channels_follow_the_contact_block(tmp_path):
    root = with_site(tmp_path, lambda s: s.replace("  channels: [当面, 信函, 传真, 网上]\n", ""))
    assert load_catalogue(root, DAY).site.application.channels == ["当面", "信函", "传真", "网上"]


def test_a_character_the_font_lacks_leaves_the_pdf_out_with_a_warning(tmp_path):
    root = with_site(tmp_path, lambda s: s.replace("  office: 示例市民政局办公室（政务公开办）", "  office: 示例市民政局办公室（堃园）"))
    cat = load_catalogue(root, DAY)
    assert any("「堃」" in w.message and "PDF 申请表暂不生成" in w.message for w in cat.warnings)
    assert [fmt for _, fmt, _ in form_files(cat)] == ["DOCX", "DOCX"]


def test_no_application_column_means_no_forms(tmp_path):
    root = copy_example(tmp_path / "site")
    p = root / "catalog" / "columns.yml"
    p.write_text(p.read_text(encoding="utf-8").replace("        kind: application\n", "        kind: page\n        page: pages/sqbxz.md\n"),
                 encoding="utf-8")
    page = root / "content" / "pages" / "sqbxz.md"  # its links to the forms would now lead nowhere (an error)
    page.write_text("\n".join(ln for ln in page.read_text(encoding="utf-8").split("\n") if "forms/" not in ln),
                    encoding="utf-8")
    assert form_files(load_catalogue(root, DAY)) == []
