"""What the 依申请公开 column page shows: the 申请须知, the 流程图 and the 申请表 downloads (template context)."""

from __future__ import annotations

from typing import Any

from gongkai.application import FORMS, ApplicationRules, flow_steps, notice_sections, office_name
from gongkai.build.application_forms import form_files
from gongkai.model import Catalogue


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
