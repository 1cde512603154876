"""The 图解, 视频 and 音频 解读 whose image or player a policy's page shows (SitePlan.remember_media,
media_documents): which documents those are is kept from one build to the next and found from the kept ids and the
changed documents, not by walking every published document. Along a history — an unrelated document edited, the 图解
turned into 问答 (it leaves), back into 图解 (it joins), then the policy it interprets edited — the warm build writes the
bytes of a cold build, no published document is walked after the first build, and no unchanged 解读's body is read
for its media. A selection blind to the changed documents publishes the same site (media_of makes what it misses)
but reads the joined 图解's body again whenever a page that shows its image is made again, and the history says so."""

from __future__ import annotations

from pathlib import Path

from conftest import BUILD_DATE, build_in_process, cold_copy, copy_example, edit, same_site
from gongkai.build import pages

JD = "content/documents/2026/szmz-2026-2-jd.md"  # the 图解 of 示例市社区居家养老服务补贴暂行办法
POLICY = "content/documents/2026/szmz-2026-2.md"  # its page (made again) shows the 图解's image
OTHER = "content/documents/2026/szmz-2026-hydj.md"
STEPS = [
    ("unrelated document edited", lambda r: edit(r / OTHER, "照常办理结婚登记", "照常办理结婚登记和离婚登记预约")),
    ("图解 becomes 问答", lambda r: edit(r / JD, "form: 图解", "form: 问答")),
    ("问答 becomes 图解 again", lambda r: edit(r / JD, "form: 问答", "form: 图解")),
    ("the policy edited", lambda r: edit(r / POLICY, "规范相关管理，制定本办法。", "规范相关管理，特制定本办法。")),
]
MADE = [0, 0, 1, 0]  # media made (a body read) by each warm build: only the 图解 that joined, once


def media_history(tmp_path: Path, monkeypatch) -> list[int]:
    made, walks = [0], [0]
    real_make, real_compress = pages.SitePlan._make_media, pages.compress

    def make(plan, doc, tag):
        made[0] += 1
        return real_make(plan, doc, tag)

    def compress(data, selectors):
        walks[0] += 1
        return real_compress(data, selectors)

    monkeypatch.setattr(pages.SitePlan, "_make_media", make)
    monkeypatch.setattr(pages, "compress", compress)
    root = copy_example(tmp_path / "warm")
    build_in_process(root, BUILD_DATE, {"GONGKAI_SEARCH": "0"})
    assert made[0] >= 2 and walks[0] == 1  # the example's 图解 and 视频: made by the cold build
    out = []
    for n, (_name, change) in enumerate(STEPS):
        change(root)
        made[0] = walks[0] = 0
        build_in_process(root, BUILD_DATE, {"GONGKAI_SEARCH": "0"})
        out.append(made[0])
        assert walks[0] == 0
        cold = cold_copy(root, tmp_path / f"cold-{n}")
        build_in_process(cold, BUILD_DATE, {"GONGKAI_SEARCH": "0"})
        same_site(root, cold)
    return out


def test_media_documents_are_kept_along_a_history(tmp_path, monkeypatch):
    assert media_history(tmp_path, monkeypatch) == MADE


def test_a_selection_blind_to_changed_documents_reads_bodies_again(tmp_path, monkeypatch):
    def blind(plan, kept=None):
        """media_documents without the changed documents: only those kept, and all of them once."""
        before = kept.get(pages.MEDIA)
        if before is pages.MISSING:
            published = plan.cat.published_documents
            docs = list(pages.compress(published, [d.form in pages.MEDIA_TAGS for d in published]))
        else:
            docs = [d for i in before if (d := plan.cat.document(i)) is not None and d.form in pages.MEDIA_TAGS]
        docs = [d for d in docs if d.interprets and d.source_digest]
        if [d.id for d in docs] != before:
            kept.put(pages.MEDIA, [d.id for d in docs])
        return docs

    monkeypatch.setattr(pages.SitePlan, "media_documents", blind)
    assert media_history(tmp_path, monkeypatch) == [0, 0, 1, 1]  # the joined 图解 made on demand again
