"""privacy_ok entries (in a document's front matter and in catalog/site.yml): read here, judged by the privacy gate."""

from __future__ import annotations

from gongkai.load.fields import Fields
from gongkai.model import PrivacyAllowance

ALLOWANCE_FIELDS = {"match": "允许公开的内容", "reason": "依据"}
ALLOWANCE_HINT = "每项包含 match（允许公开的内容）和 reason（依据）"


def read_allowances(f: Fields) -> list[PrivacyAllowance]:
    """The privacy_ok list of a mapping; problems name file, line and field."""
    return [PrivacyAllowance(p.str("match", required=True), p.str("reason", required=True), p.start_line)
            for p in f.records("privacy_ok", ALLOWANCE_FIELDS, "privacy_ok", ALLOWANCE_HINT)]
