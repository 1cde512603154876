"""What the 依申请公开 column page shows: the 申请须知, the 流程图 and the 申请表 downloads (template context)."""

from __future__ import annotations

from typing import Any

from gongkai.annual_report import SUMMARY_ROWS, Report, application_summary
from gongkai.application import FORMS, ApplicationRules, flow_steps, notice_sections, office_name
from gongkai.build.application_forms import form_files
from gongkai.model import Catalogue, ColumnKind, Document


def application_context(cat: Catalogue) -> dict[str, Any]:
    site = cat.site
    rules = site.application if site.application is not None else ApplicationRules()
    files = form_files(cat)
    forms = [{"kind": k, "files": [(fmt, rel) for kk, fmt, rel in files if kk is k]} for k in FORMS]
    return {
        "office": office_name(site, rules),
        "online": rules.online,
        "sections": notice_sections(site, rules),
        "flow": flow_steps(),
        "forms": forms,
        "contact": site.contact,
    }


def published_reports(cat: Catalogue) -> list[tuple[Report, Document]]:
    """The annual reports whose document is published (a report in a `reports` column with its `year`), newest
    first: a report's numbers appear nowhere before the report itself does."""
    docs = {d.year: d for d in sorted(cat.published_documents, key=lambda d: d.sort_key)
            if d.year and any(c.kind is ColumnKind.REPORTS for c in d.columns)}
    return [(r, docs[r.year]) for r in sorted(cat.reports, key=lambda r: r.year, reverse=True) if r.year in docs]


def statistics_context(cat: Catalogue) -> dict[str, Any]:
    """The 依申请公开 statistics column: part 三 of each published report in brief, one column per year."""
    years = [(rep.year, doc, application_summary(rep)) for rep, doc in published_reports(cat)]
    rows = [{"key": key, "label": label, "indent": indent, "counts": [s[key] for _, _, s in years]}
            for key, label, indent in SUMMARY_ROWS]
    return {"years": [(y, d) for y, d, _ in years], "stat_rows": rows}
