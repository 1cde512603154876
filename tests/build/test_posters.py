"""Printable posters: real PDFs rendered to images, QR codes decoded, fonts read from the PDF itself."""

from __future__ import annotations

import datetime as dt
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pypdfium2 as pdfium
import pytest
import zxingcpp
from pypdf import PdfReader

from conftest import BUILD_DATE, REPO, cli, make_site, run_build
from gongkai import typeset
from gongkai.build import posters, qr
from gongkai.load.loader import load_catalogue
from gongkai.load.packages import package_url

DPI = 150
SCALE = DPI / 72


@pytest.fixture(scope="module")
def cat():
    return load_catalogue(REPO, dt.date.fromisoformat(BUILD_DATE))


@pytest.fixture(scope="module")
def cli_posters(tmp_path_factory) -> dict[str, Path]:
    """`gongkai posters` run on the example bureau, once per paper size."""
    out: dict[str, Path] = {}
    for paper in ("A4", "A3"):
        folder = tmp_path_factory.mktemp(f"posters-{paper}")
        result = cli(REPO, "posters", "--size", paper, "--out", str(folder))
        assert result.returncode == 0, result.stderr
        out[paper] = folder
    return out


def render(path: Path, index: int = 0):
    pdf = pdfium.PdfDocument(str(path))
    page = pdf[index]
    return page.get_size(), page.render(scale=SCALE, grayscale=True).to_pil()


def decode(image) -> list[str]:
    return [b.text for b in zxingcpp.read_barcodes(image) if b.format == zxingcpp.BarcodeFormat.QRCode]


def crop(image, box: posters.Box, page_height: float):
    """The pixels of a box given in PDF points (origin bottom left)."""
    return image.crop((int(box.x * SCALE), int((page_height - box.top) * SCALE),
                       int((box.x + box.w) * SCALE), int((page_height - box.y) * SCALE)))


def dark_pixels(image, threshold: int = 128) -> int:
    return sum(image.convert("L").histogram()[:threshold])


@pytest.mark.parametrize("paper", ["A4", "A3"])
def test_each_poster_scans_to_its_package_url(cat, cli_posters, paper):
    assert len(cat.packages) >= 3
    for pkg in cat.packages:
        path = cli_posters[paper] / f"{pkg.id}-{paper}.pdf"
        assert len(PdfReader(path).pages) == 1
        (w, h), image = render(path)
        # exactly A4 / A3 in points (ISO 216: 210 x 297 mm, 297 x 420 mm)
        expect = {"A4": (595.2756, 841.8898), "A3": (841.8898, 1190.5512)}[paper]
        assert w == pytest.approx(expect[0], abs=0.01) and h == pytest.approx(expect[1], abs=0.01)
        assert decode(image) == [package_url(cat, pkg)] == [f"https://mzj.example.gov.cn/zfxxgk/packages/{pkg.id}/"]
        # the title is printed, not blank: ink in the title box, in the title's own share
        lay = posters.layout(cat, pkg, paper)
        title = crop(image, lay.title, h)
        assert dark_pixels(title) > 0.04 * title.width * title.height, f"{pkg.id}: 标题区域没有墨迹"


@pytest.mark.parametrize("paper", ["A4", "A3"])
def test_combined_poster_has_every_package_in_order(cat, cli_posters, paper):
    path = cli_posters[paper] / f"packages-{paper}.pdf"
    assert len(PdfReader(path).pages) == len(cat.packages)
    for i, pkg in enumerate(cat.packages):
        assert decode(render(path, i)[1]) == [package_url(cat, pkg)]


def test_fonts_are_embedded_truetype_subsets(cli_posters):
    for path in sorted(cli_posters["A4"].glob("*.pdf")):
        reader = PdfReader(path)
        names = set()
        for page in reader.pages:
            fonts = page["/Resources"]["/Font"]
            assert fonts, path.name
            for font in fonts.values():
                font = font.get_object()
                descendants = font.get("/DescendantFonts")
                target = descendants[0].get_object() if descendants else font
                descriptor = target["/FontDescriptor"].get_object()
                assert "/FontFile2" in descriptor, f"{path.name}: {font['/BaseFont']} 未嵌入"
                # a subset (tag+name), never a standard font or a built-in CID font like STSong-Light
                assert "+NotoSansSC-" in str(font["/BaseFont"])
                names.add(str(font["/BaseFont"]).split("+")[1])
        assert names == {"NotoSansSC-Regular", "NotoSansSC-Bold"}, path.name


def test_printed_text_is_extractable_and_complete(cat, cli_posters):
    """Every character the poster prints comes out of the PDF's text layer (ToUnicode maps are right)."""
    pkg = cat.packages[0]
    text = "".join(PdfReader(cli_posters["A4"] / f"{pkg.id}-A4.pdf").pages[0].extract_text().split())
    for expected in [pkg.name, cat.site.name, posters.LABEL_SCAN, package_url(cat, pkg), f"制作日期：{BUILD_DATE}",
                     *pkg.items]:
        assert "".join(expected.split()) in text


def test_posters_are_deterministic_and_dated_by_the_build(cat, tmp_path):
    a = posters.write_posters(cat, tmp_path / "a", "A4")
    b = posters.write_posters(cat, tmp_path / "b", "A4")
    assert [p.read_bytes() for p in a] == [p.read_bytes() for p in b]
    meta = PdfReader(a[0]).metadata
    assert meta["/CreationDate"].startswith("D:20261124")
    assert meta["/Title"] == cat.packages[0].name
    assert b"reportlab.com" not in a[0].read_bytes()  # no outside address in a published file


def test_build_publishes_the_same_posters(example_site, cli_posters, cat):
    for paper in ("A4", "A3"):
        names = sorted(p.name for p in cli_posters[paper].glob("*.pdf"))
        assert names == sorted([f"{p.id}-{paper}.pdf" for p in cat.packages] + [f"packages-{paper}.pdf"])
        for name in names:
            assert (example_site / "posters" / name).read_bytes() == (cli_posters[paper] / name).read_bytes()


def test_qr_on_a4_is_big_enough_with_a_white_quiet_zone(cat, cli_posters):
    for pkg in cat.packages:
        lay = posters.layout(cat, pkg, "A4")
        modules = qr.make(package_url(cat, pkg)).symbol_size(border=qr.BORDER)[0]
        module_mm = lay.qr.w / modules * 25.4 / 72
        assert module_mm >= 1.5, f"{pkg.id}: 模块 {module_mm:.2f} mm 太小，远处扫不出"
        (_, h), image = render(cli_posters["A4"] / f"{pkg.id}-A4.pdf")
        zone = crop(image, lay.qr, h)
        ring = int(zone.width / modules * qr.BORDER) - 2  # 4 modules, less a pixel of anti-aliasing
        zw, zh = zone.size
        strips = [(0, 0, zw, ring), (0, zh - ring, zw, zh), (0, 0, ring, zh), (zw - ring, 0, zw, zh)]
        for strip in strips:
            assert dark_pixels(zone.crop(strip), 200) == 0, f"{pkg.id}: 二维码静区有墨迹"
        assert dark_pixels(zone) > 0.3 * zw * zh  # and the code itself is inside the box


COLUMNS = """\
columns:
  - name: 主题服务包
    id: ztfwb
    kind: packages
"""


def small_site(root: Path, packages_yml: str) -> Path:
    make_site(root, COLUMNS)
    (root / "catalog" / "packages.yml").write_text(textwrap.dedent(packages_yml), encoding="utf-8")
    return root


def test_long_title_and_long_list_fit_the_page(tmp_path):
    items = "".join(f"      - 第{i}项：需要在海报上列出的一件比较长的办理事项名称，用于检查自动换行和缩小字号\n" for i in range(1, 31))
    root = small_site(tmp_path / "site", (
        "packages:\n"
        "  - id: long\n"
        "    name: 新生儿出生医学证明、预防接种证、户口登记、医保参保登记和社会保障卡申领“出生一件事”联办\n"
        "    summary: 一次申请，多项联办。\n"
        "    items:\n" + items))
    cat = load_catalogue(root, dt.date(2026, 11, 24))
    pkg = cat.packages[0]
    lay = posters.layout(cat, pkg, "A4")
    margin = typeset.MARGIN
    for line in lay.lines:
        assert line.x >= margin - 0.01
        assert line.x + typeset.width(line.text, line.font, line.size) <= 595.28 - margin + 0.01, line.text
    title_lines = [ln for ln in lay.lines if ln.font == typeset.BOLD and ln.y > lay.title.y and ln.y < lay.title.top]
    assert 2 <= len(title_lines) <= typeset.MAX_TITLE_LINES
    assert "".join(ln.text for ln in title_lines) == pkg.name  # nothing of the title dropped
    # the list was too long for one page: it says so instead of dropping items silently
    assert any("等共 30 项" in ln.text for ln in lay.lines)
    assert min(ln.y for ln in lay.lines if ln.y > lay.qr.top - 1) > lay.qr.top  # nothing runs into the QR code
    path = posters.write_pdf(cat, [pkg], "A4", tmp_path / "long.pdf")
    (_, h), image = render(path)
    assert decode(image) == ["https://test.example.gov.cn/packages/long/"]
    right_margin = image.crop((int((595.28 - margin / 2) * SCALE), 0, image.width, image.height))
    header_px = int(64 * SCALE) + 2  # the red band runs to the page edge
    assert dark_pixels(right_margin.crop((0, header_px, right_margin.width, right_margin.height)), 200) == 0


def test_wrap_keeps_closing_punctuation_off_the_line_start():
    size = 20.0
    text = "一二三四五六七八九，十"
    w = typeset.width("一二三四五六七八九", typeset.REGULAR, size) + 1
    lines = typeset.wrap(text, typeset.REGULAR, size, w)
    assert "".join(lines) == text
    assert all(not ln.startswith("，") for ln in lines)


def test_character_missing_from_the_font_skips_that_poster_only(tmp_path):
    """One rare character in one package: its poster is not made (gongkai posters fails naming the character and
    line), the other package's poster is; the site builds, with the package page and a warning."""
    root = small_site(tmp_path / "site", """\
        packages:
          - id: rare
            name: 𠮷野家餐饮许可一件事
            summary: 测试
            items: [办理]
          - id: common
            name: 常见一件事
            summary: 测试
            items: [办理]
        """)
    result = cli(root, "posters", "--out", str(tmp_path / "out"))
    assert result.returncode == 1
    assert "错误: 主题服务包「𠮷野家餐饮许可一件事」（rare）中的字符「𠮷」（U+20BB7）不在海报字体中" in result.stderr
    names = sorted(p.name for p in (tmp_path / "out").iterdir())
    assert "common-A4.pdf" in names and not any(n.startswith("rare") for n in names)
    check = cli(root, "check")
    assert check.returncode == 0
    assert "catalog/packages.yml:3: 警告: 字段「name」：主题服务包「𠮷野家餐饮许可一件事」（rare）中的字符「𠮷」" in check.stderr
    build = run_build(root)
    assert build.returncode == 0, build.stderr
    site = root / "site"
    assert (site / "packages" / "rare" / "index.html").is_file()
    assert "𠮷野家" in (site / "packages" / "rare" / "index.html").read_text(encoding="utf-8")
    assert "打印海报" not in (site / "packages" / "rare" / "index.html").read_text(encoding="utf-8")
    posters_made = sorted(p.name for p in (site / "posters").iterdir())
    assert posters_made and not any(name.startswith("rare") for name in posters_made)
    assert any(name.startswith("common") for name in posters_made)


def test_unknown_package_id_is_a_clear_error(tmp_path):
    result = cli(REPO, "posters", "--out", str(tmp_path / "out"), "shjz", "nosuch")
    assert result.returncode == 1
    assert "没有标识为「nosuch」的主题服务包" in result.stderr and "shjz" in result.stderr
    assert not (tmp_path / "out").exists()


def test_chosen_ids_only(tmp_path, cat):
    result = cli(REPO, "posters", "--size", "A3", "--out", str(tmp_path), "jjhmsz", "shjz")
    assert result.returncode == 0, result.stderr
    assert sorted(p.name for p in tmp_path.glob("*.pdf")) == ["jjhmsz-A3.pdf", "packages-A3.pdf", "shjz-A3.pdf"]
    combined = tmp_path / "packages-A3.pdf"
    assert [decode(render(combined, i)[1])[0] for i in range(2)] == [
        "https://mzj.example.gov.cn/zfxxgk/packages/jjhmsz/", "https://mzj.example.gov.cn/zfxxgk/packages/shjz/"]


def test_very_long_summary_and_bureau_name_still_fit(tmp_path):
    summary = "本服务包把多个部门的事项集成办理，" * 100
    root = small_site(tmp_path / "site", (
        "packages:\n"
        "  - id: wordy\n"
        "    name: 长简介一件事\n"
        f"    summary: {summary}\n"
        "    items: [事项一, 事项二]\n"))
    site = root / "catalog" / "site.yml"
    site.write_text(site.read_text(encoding="utf-8").replace("name: 测试市民政局", "name: " + "示例省示例市示例区民政局" * 3),
                    encoding="utf-8")
    cat = load_catalogue(root, dt.date(2026, 11, 24))
    lay = posters.layout(cat, cat.packages[0], "A4")
    right = 595.28 - typeset.MARGIN + 0.01
    for line in lay.lines:
        assert line.x + typeset.width(line.text, line.font, line.size) <= right, line.text
    middle = [ln for ln in lay.lines if lay.qr.top < ln.y < lay.title.y]
    assert middle and min(ln.y for ln in middle) > lay.qr.top
    assert any(ln.text.endswith("……") for ln in middle)  # the summary was shortened visibly, not silently
    # the bureau's name and the series label share the red band without overlapping
    name, series = (ln for ln in lay.lines if ln.y > lay.header.y and ln.y < lay.header.top)
    assert name.x + typeset.width(name.text, name.font, name.size) < series.x
    path = posters.write_pdf(cat, cat.packages, "A4", tmp_path / "wordy.pdf")
    assert decode(render(path)[1]) == ["https://test.example.gov.cn/packages/wordy/"]
    # the list is kept whole: the summary gave way first
    assert [ln.text for ln in middle if ln.text in ("事项一", "事项二")] == ["事项一", "事项二"]


def test_qr_survives_distance_blur_and_a_stain(cat, cli_posters):
    """A phone photo of the whole A4 sheet from afar (30 dpi, blurred) still reads; so does a code with a stain
    over 7 x 7 modules of data (error correction Q)."""
    from PIL import ImageDraw, ImageFilter

    for pkg in cat.packages:
        path = cli_posters["A4"] / f"{pkg.id}-A4.pdf"
        far = pdfium.PdfDocument(str(path))[0].render(scale=30 / 72, grayscale=True).to_pil()
        assert decode(far.filter(ImageFilter.GaussianBlur(1.0))) == [package_url(cat, pkg)]
        (_, h), image = render(path)
        lay = posters.layout(cat, pkg, "A4")
        n = qr.make(package_url(cat, pkg)).symbol_size(border=qr.BORDER)[0]
        mod = lay.qr.w / n * SCALE
        x0 = lay.qr.x * SCALE + (n - qr.BORDER - 13) * mod
        y0 = (h - lay.qr.top) * SCALE + (n - qr.BORDER - 13) * mod
        ImageDraw.Draw(image).rectangle([x0, y0, x0 + 7 * mod, y0 + 7 * mod], fill=0)
        assert decode(image) == [package_url(cat, pkg)]


def test_rare_character_matters_only_where_a_poster_prints_it(tmp_path):
    """The bureau's name is printed on every poster; with no packages, no poster, no font check."""
    root = small_site(tmp_path / "site", "packages: []\n")
    site = root / "catalog" / "site.yml"
    site.write_text(site.read_text(encoding="utf-8").replace("name: 测试市民政局", "name: 𠮷市民政局"), encoding="utf-8")
    assert load_catalogue(root, dt.date(2026, 11, 24)).packages == []
    (root / "catalog" / "packages.yml").write_text("- {id: a, name: 甲, summary: 乙, items: [丙]}\n", encoding="utf-8")
    result = cli(root, "check")
    assert result.returncode == 0  # the site still builds; no poster is made
    assert "catalog/site.yml:1: 警告: 字段「name」：机构名称中的字符「𠮷」（U+20BB7）不在海报字体中" in result.stderr
    assert cli(root, "posters", "--out", str(tmp_path / "out")).returncode == 1


def test_fixed_poster_words_are_in_the_font():
    for label in (posters.LABEL_SERIES, posters.LABEL_ITEMS, posters.LABEL_SCAN, posters.LABEL_PHONE, posters.LABEL_DATE,
                  posters.LABEL_MORE.format(n=99), "0123456789-:/.、……"):
        assert typeset.missing_chars(label) == [], label
    assert typeset.missing_chars("𠮷a䶮") == ["𠮷", "䶮"]  # beyond GB 2312: named, in order


def test_typeset_reads_the_fonts_as_reportlab_does():
    """The checks measure without reportlab (gongkai/typeset.py): the same characters, the same widths to the last
    bit, the same paper sizes, so a title the check lets through is the title the poster draws."""
    import random

    from reportlab.lib.pagesizes import A3, A4
    from reportlab.pdfbase import pdfmetrics

    posters._register_fonts()
    assert typeset.SIZES == {"A4": A4, "A3": A3}
    for name in typeset.FONT_FILES:
        face = pdfmetrics.getFont(name).face
        m = typeset.metrics(name)
        assert m.chars == frozenset(face.charToGlyph) and len(m.chars) > 7000
        assert m.widths == face.charWidths and m.default_width == face.defaultWidth
    chars = [chr(c) for c in sorted(typeset.covered())] + ["𠮷", "\u00a0", "\t"]
    rng = random.Random(11)
    for _ in range(3000):
        text = "".join(rng.choice(chars) for _ in range(rng.randint(0, 30)))
        size = rng.choice([15.0, 34.0, 13 * 297 / 210, rng.uniform(5, 60)])
        for font in typeset.FONT_FILES:
            assert typeset.width(text, font, size) == pdfmetrics.stringWidth(text, font, size), (text, font, size)


def test_gongkai_check_does_not_import_reportlab():
    """`gongkai check` checks the poster fonts (the example has packages) without loading reportlab."""
    code = textwrap.dedent(f"""
        import sys
        import gongkai.cli
        from click.testing import CliRunner
        result = CliRunner().invoke(gongkai.cli.main, ["check", "--root", {str(REPO)!r}])
        assert result.exit_code == 0, result.output
        assert "校验通过" in result.output, result.output
        assert "gongkai.checks.posterfonts" in sys.modules and "gongkai.typeset" in sys.modules
        print(sorted(m for m in sys.modules if m.split(".")[0] == "reportlab"))
    """)
    env = dict(os.environ, GONGKAI_BUILD_DATE=BUILD_DATE, PYTHONPATH=str(REPO))
    out = subprocess.run([sys.executable, "-c", code], cwd=REPO, env=env, capture_output=True, text=True, timeout=300)
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == "[]"


def test_cached_posters_are_the_fresh_ones_and_a_renamed_package_is_drawn_again(cat, tmp_path):
    """A poster linked from .cache/gongkai/ has the bytes of a fresh render; changing a package redraws it."""
    import dataclasses

    from gongkai.build.cache import BuildCache

    fresh = {p.name: p.read_bytes() for p in posters.publish(cat, tmp_path / "fresh")}
    cache = BuildCache(tmp_path / "cache")
    first = posters.publish(cat, tmp_path / "first", cache)
    cache.finish()
    cached_files = sorted((tmp_path / "cache").rglob("*.pdf"))
    assert len(cached_files) == len(fresh)
    stamps = {p: p.stat().st_mtime_ns for p in cached_files}
    cache = BuildCache(tmp_path / "cache")  # a later build
    second = posters.publish(cat, tmp_path / "second", cache)
    cache.finish()
    assert {p.name: p.read_bytes() for p in first} == fresh
    assert {p.name: p.read_bytes() for p in second} == fresh
    assert {p: p.stat().st_mtime_ns for p in sorted((tmp_path / "cache").rglob("*.pdf"))} == stamps  # none redrawn

    renamed = dataclasses.replace(cat.packages[0], name=cat.packages[0].name + "（更新）")
    cat2 = dataclasses.replace(cat, packages=[renamed, *cat.packages[1:]])
    cache = BuildCache(tmp_path / "cache")
    third = {p.name: p.read_bytes() for p in posters.publish(cat2, tmp_path / "third", cache)}
    cache.finish()
    expected = {p.name: p.read_bytes() for p in posters.publish(cat2, tmp_path / "fresh2")}
    assert third == expected
    changed = {name for name in fresh if third[name] != fresh[name]}
    assert changed == {f"{renamed.id}-A4.pdf", f"{renamed.id}-A3.pdf", "packages-A4.pdf", "packages-A3.pdf"}
    assert len(sorted((tmp_path / "cache").rglob("*.pdf"))) == len(fresh)  # the stale ones were dropped
