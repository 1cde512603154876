"""《政府信息公开条例》第二十条 coverage: once a catalogue says which items its columns serve (`art20`), every one
of the fifteen items needs a column, or site.yml's `art20_not_applicable` with the reason 本机关不涉及.

An item without either is a todo (information the rules require that is not written yet), not an error: the site
still builds, and `gongkai check` lists what is missing. A catalogue that declares no `art20` at all is not checked.
"""

from __future__ import annotations

from gongkai.errors import Problems
from gongkai.model import Catalogue, Column
from gongkai.vocab import ART20_ITEMS, art20_label


def art20_columns(cat: Catalogue) -> dict[int, list[Column]]:
    """Item number -> the columns serving it, in catalogue order."""
    out: dict[int, list[Column]] = {n: [] for n in range(1, 16)}
    for col in cat.columns():
        for n in col.art20:
            out[n].append(col)
    return out


def check_art20(cat: Catalogue, problems: Problems) -> None:
    served = art20_columns(cat)
    if not any(served.values()):
        return
    exempt = cat.site.art20_not_applicable
    for n in range(1, 16):
        if served[n] and n in exempt:
            cols = "、".join(c.name for c in served[n])
            problems.warn(cat.site.source.file, cat.site.line_of("art20_not_applicable"), "art20_not_applicable",
                          f"{art20_label(n)}写了本机关不涉及，但栏目「{cols}」标注了对应这一项：请删去其一")
        elif not served[n] and n not in exempt:
            problems.todo("catalog/columns.yml", None, "art20",
                          f"没有栏目对应《政府信息公开条例》{art20_label(n)}（{ART20_ITEMS[n - 1]}）：请在对应栏目写 "
                          f"art20: [{n}]，或在 catalog/site.yml 的 art20_not_applicable 中写明本机关不涉及的理由")
