"""What the 重大行政决策事项目录 column page, each decision's page and a stage document's box show (template
context; no MkDocs)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from gongkai.checks.validity import validity
from gongkai.model import Catalogue, ColumnKind, Document
from gongkai.participation import STAGES, Decision


def decision_src_uri(decision: Decision) -> str:
    """decisions/{id}/index.md: the URL follows the id, never the name or the column's place."""
    return decision.url_path + "index.md"


def progress(decision: Decision) -> str:
    """The furthest stage with a published document (事项目录's 进展 column), or 未公开 when none."""
    done = [s.label for s in STAGES if decision.stage_documents(s.key)]
    return done[-1] if done else "尚无公开信息"


def decisions_column_context(cat: Catalogue) -> dict[str, Any]:
    years = [{"year": y, "rows": [{"d": d, "progress": progress(d)} for d in y.decisions]}
             for y in reversed(cat.decisions.years)]
    return {"decision_years": years}


def consultation_context(decision: Decision, today: dt.date) -> dict[str, Any] | None:
    c = decision.consultation
    if c is None:
        return None
    return {"c": c, "state": c.state(today), "channels": c.channels}


def decision_context(cat: Catalogue, decision: Decision, today: dt.date) -> dict[str, Any]:
    stages = []
    for s in STAGES:
        docs = decision.stage_documents(s.key)
        stages.append({"stage": s, "rows": [{"doc": d, "validity": validity(d, today)} for d in docs]})
    return {
        "decision": decision,
        "column": cat.first_column(ColumnKind.DECISIONS),
        "stages": stages,
        "consultation": consultation_context(decision, today),
    }


def document_decision(cat: Catalogue, doc: Document, today: dt.date) -> dict[str, Any] | None:
    """The box on a stage document's page: which decision, which stage, the link back; for a 征求意见 notice
    also the period, its state and the channels. Part of the document's context (the build cache keys on it)."""
    found = cat.decisions.of_document(doc)
    if found is None:
        return None
    decision, stage = found
    return {
        "id": decision.id, "name": decision.name, "href": decision.href, "stage": stage.label,
        "consultation": consultation_context(decision, today) if stage.key == "consultation" else None,
    }
