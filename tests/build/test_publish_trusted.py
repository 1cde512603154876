"""publish.trusted (gongkai/build/publish.py): the kept page keys (load token, salt, keys) — and the listing and
paged keys kept the same way (bodykeys.py) — are trusted only by Changes.keeps and the same salt; each condition
alone makes them not trusted."""

from __future__ import annotations

import dataclasses

from gongkai.build.publish import trusted
from gongkai.model import Changes

EDITED = Changes(known=True, token="t2", since="t1", documents=frozenset({"content/documents/2026/a.md"}))
KEPT = ("t1", "salt", {"content/documents/2026/b.md": "key"})


def test_kept_keys_are_trusted_only_by_their_load_and_salt_when_only_documents_changed():
    assert trusted(KEPT, EDITED, "salt")
    assert not trusted(None, EDITED, "salt")  # nothing kept
    assert not trusted(("t0", *KEPT[1:]), EDITED, "salt")  # kept by another load
    assert not trusted(KEPT, EDITED, "other salt")  # another template, site.yml, code …
    assert not trusted(KEPT, dataclasses.replace(EDITED, inputs=frozenset({"catalog/columns.yml"})), "salt")
    assert not trusted(KEPT, dataclasses.replace(EDITED, build_date=True), "salt")
