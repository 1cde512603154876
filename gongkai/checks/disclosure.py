"""公开属性: what of a 依申请公开 / 不予公开 document must be kept out of the built site (no MkDocs)."""

from __future__ import annotations

from gongkai.model import Catalogue


def withheld_files(cat: Catalogue) -> set[str]:
    """Attachments (paths under content/) of non-public documents that no public document also attaches.

    MkDocs copies every non-Markdown file under content/ into the site; these must not be copied.
    """
    attaching = [d for d in cat.documents if d.attachments]  # (a minority: is_public asked of those only)
    public = {a.path for d in attaching if d.is_public for a in d.attachments}
    return {a.path for d in attaching if not d.is_public for a in d.attachments} - public
