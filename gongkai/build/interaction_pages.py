"""What the 留言选登 and 常见问题库 column pages show, and the 「我要留言」 link of a policy page (template context)."""

from __future__ import annotations

from typing import Any

from gongkai.model import Catalogue, ColumnKind, Document


def messages_column_context(cat: Catalogue) -> dict[str, Any]:
    return {"messages": cat.interaction.messages}


def faq_column_context(cat: Catalogue) -> dict[str, Any]:
    return {"categories": cat.interaction.categories, "faq_count": len(cat.interaction.faq)}


def is_policy_page(doc: Document) -> bool:
    """A policy (in a 政策文件 column, or a 行政规范性文件) or its 解读: the pages readers ask questions about."""
    return doc.normative or bool(doc.interprets) or any(c.kind is ColumnKind.POLICIES for c in doc.columns)


def interaction_link(cat: Catalogue, doc: Document) -> dict[str, str] | None:
    """The 「我要留言」 link on a policy page (上海民政 2022 #46: 政策发布页面开放网民留言功能), when site.yml has one."""
    i = cat.interaction
    if not i.link_url or not is_policy_page(doc):
        return None
    faq = cat.first_column(ColumnKind.FAQ)
    return {"label": i.link_label, "url": i.link_url, "faq": faq.href if faq is not None and i.faq else ""}


def search_records(cat: Catalogue) -> list[Any]:
    """Each FAQ answer and each published letter as a result of the site search, linked to its anchor."""
    from gongkai.build.searchindex import Entry

    out = []
    faq = cat.first_column(ColumnKind.FAQ)
    if faq is not None:
        for q in cat.interaction.faq:
            out.append(Entry(q.question, f"{q.category} {q.answer}".strip(),
                             {"u": f"{faq.href}#{q.id}", "t": q.question, "k": "常见问题", "p": faq.trail_text(" › ")}))
    col = cat.first_column(ColumnKind.MESSAGES)
    if col is not None:
        for m in cat.interaction.messages:
            out.append(Entry(m.title, f"{m.question} {m.office} {m.answer}",
                             {"u": f"{col.href}#{m.id}", "t": m.title, "k": "留言选登", "d": m.received.isoformat(),
                              "p": col.trail_text(" › ")}))
    return out
