"""The flat record a remembered document is kept as (gongkai/load/doccache.py encode/decode): it gives back exactly
the document the loader made, and a document it cannot hold exactly is simply not remembered (loaded every time),
never remembered wrong."""

from __future__ import annotations

import dataclasses
import datetime as dt
import marshal

import pytest
from test_doccache import DAY, DOC, assert_same_report, warm_load

from conftest import copy_example, opened_documents
from gongkai.errors import Problem
from gongkai.links import Target
from gongkai.load import doccache
from gongkai.load.doccache import decode, encode
from gongkai.load.yamlsrc import TextInt
from gongkai.model import Attachment, Document, PrivacyAllowance, Source


def every_field_set() -> Document:
    """A document as load_document makes it, with a value other than the default in every field it can have."""
    doc = Document(
        id="szmz-2024-3", title="示例市民政局关于印发《示例市最低生活保障审核确认办法》的通知",
        published=dt.date(2024, 3, 15), source=Source("content/documents/2024/szmz-2024-3.md", 2),
        doc_number="示民规〔2024〕3号", index_no="11330100MB1234567X/2024-00003", publisher="示例市民政局 示例市财政局",
        written=dt.date(2024, 3, 1), topic="民政、扶贫、救灾\\社会救助", column_refs=["gfxwj", "zcjd"],
        disclosure="依申请公开", normative=True, effective=dt.date(2024, 4, 15), expires=dt.date(2029, 4, 14),
        expires_default=True, status="修改", status_date=dt.date(2025, 1, 1), replaced_by="szmz-2025-1",
        interprets="szmz-2023-9", attachments=[Attachment("附件1：申请表", "files/dibao-shenqing.txt")],
        privacy_ok=[PrivacyAllowance("0571-87654321", "单位办公电话，依《条例》第二十条公开", 14)], year=2024,
        summary="规定最低生活保障的申请、审核和确认。", body="正文\n", body_line=18, scheduled=True, embargoed=True,
        field_lines={"title": 2, "published": 6}, source_digest="ab" * 32, form="文字解读", decision="jc-2024-1",
        stage="决策文件", id_from="index_no",
    )
    doc.front_matter = {"title": doc.title}
    return doc


def test_a_record_gives_back_every_field():
    """Every field of Document is held (a new field of a kind the record cannot hold fails here, not silently)."""
    doc = every_field_set()
    defaults = Document(id="", title="", published=dt.date(1970, 1, 1), source=Source(""))
    per_build = {"columns", "interpretations", "replaces", "withdrawn", "body", "front_matter"}
    for f in dataclasses.fields(Document):
        if f.name not in per_build:
            assert getattr(doc, f.name) != getattr(defaults, f.name), f"every_field_set() leaves {f.name} at its default"
    targets = (Target("../../files/dibao-shenqing.txt", 40, 70),)
    replay = (Problem(doc.source.file, 9, "expires", "行政规范性文件没有写有效期至", "warning"),
              Problem(doc.source.file, None, None, "待补充", "todo", after=("catalog/columns.yml", "gfxwj")))
    record = encode(doc, (("zcwj/gfxwj",), ("zcjd", "renamed", "政策解读", "zcjd")), targets, replay)
    # plain values, as marshal gives them back: marshalled with their folder's part of the snapshot (load/snapshot.py)
    assert isinstance(record, tuple) and marshal.loads(marshal.dumps(record)) == record
    again, deps, body_size, targets2, replay2 = decode(record)
    assert deps == (("zcwj/gfxwj",), ("zcjd", "renamed", "政策解读", "zcjd")) and body_size == len("正文\n")
    assert targets2 == targets and replay2 == replay and [p.after for p in replay2] == [None, ("catalog/columns.yml", "gfxwj")]
    for f in dataclasses.fields(Document):
        if f.name not in ("columns", "interpretations", "replaces", "body", "front_matter"):
            assert getattr(again, f.name) == getattr(doc, f.name), f.name
            assert type(getattr(again, f.name)) is type(getattr(doc, f.name)), f.name
    assert again.columns == [] and again.interpretations == [] and again.replaces == []
    # the source is made without Source.__init__ (doccache._where): still the frozen, hashable value it is
    assert hash(again.source) == hash(doc.source) and vars(again.source) == vars(doc.source)
    # and so is each link target (doccache._target)
    assert [hash(t) for t in targets2] == [hash(t) for t in targets] and type(targets2[0]) is Target
    with pytest.raises(dataclasses.FrozenInstanceError):
        targets2[0].start = 1  # type: ignore[misc]
    try:
        again.source.line = 3  # type: ignore[misc]
    except dataclasses.FrozenInstanceError:
        pass
    else:
        raise AssertionError("a decoded Source can be changed")
    # each decode is a fresh document: later load steps change their own copy only
    other, *_ = decode(record)
    other.attachments.append(Attachment("x", "y"))
    other.column_refs.append("z")
    other.field_lines["x"] = 1
    assert decode(record)[0].attachments == doc.attachments and decode(record)[0].column_refs == doc.column_refs
    assert decode(record)[0].field_lines == doc.field_lines


def test_a_value_the_record_cannot_hold_is_not_remembered():
    """A str subclass (as YAML's nodes are), a datetime for a date or an unknown object: no record at all."""
    for name, value in (("title", TextInt(7)), ("published", dt.datetime(2024, 3, 15, 8, 0)), ("withdrawn", object()),
                        ("summary", type("Text", (str,), {})("内容"))):
        doc = every_field_set()
        setattr(doc, name, value)
        assert encode(doc, (), (), ()) is None, name


def test_a_document_the_record_cannot_hold_is_loaded_every_time(tmp_path, monkeypatch):
    """Not remembered, loaded afresh on every warm build: the same model and report as a cold load."""
    site = copy_example(tmp_path / "site")
    real = doccache._plain_value

    def refuse(name, value):  # as if the document's summary were of a kind the record cannot hold
        if name == "summary" and value:
            raise TypeError(name)
        return real(name, value)

    monkeypatch.setattr(doccache, "_plain_value", refuse)
    warm_load(site)
    warm_load(site)
    seen = opened_documents(monkeypatch)
    counting = assert_same_report(site)
    cat, _ = warm_load(site)
    with_summary = {d.source.file for d in cat.documents if d.summary}
    assert with_summary and DOC in counting.reused and set(counting.loaded) == with_summary  # parsed every time
    assert set(counting.reused) == {d.source.file for d in cat.documents} - with_summary
    assert with_summary <= set(seen)  # read and parsed again
    assert with_summary <= cat.changes.documents  # what the model holds of them is not known: counted as changed


def test_a_year_is_a_plain_number(tmp_path):
    """报告年度 is a number: cold and warm give the same int (the YAML node's TextInt is not kept)."""
    site = copy_example(tmp_path / "site")
    warm_load(site)
    cat, counting = warm_load(site)
    years = {d.source.file: d.year for d in cat.documents if d.year is not None}
    assert years and all(type(y) is int for y in years.values())
    assert set(years) <= set(counting.reused)
    from gongkai.load.loader import load_catalogue

    assert {d.source.file: d.year for d in load_catalogue(site, DAY).documents if d.year is not None} == years


def test_the_load_timers_cover_every_step(tmp_path):
    """GONGKAI_TIMING's load line (gongkai/mkdocs/plugin.py): each step once, in the loader's order, timed."""
    from gongkai.load.loader import Laps, load_catalogue

    site = copy_example(tmp_path / "site")
    laps = Laps()
    load_catalogue(site, DAY, None, None, laps)
    assert [step for step, _, _ in laps.items] == [
        "content tree", "catalog", "documents", "other steps", "snapshot", "publication", "privacy"]
    assert all(wall >= 0 and cpu >= 0 for _, wall, cpu in laps.items) and sum(c for _, _, c in laps.items) > 0
    assert laps.text().startswith("content tree ") and "; privacy " in laps.text()
