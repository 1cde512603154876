"""Phone cards in real Chromium: the validity badge sits on the line of the text it follows (the title of a document
list card, a package's 政策依据), never on a line of its own, at 375 and 320 px, standard and 长辈版."""

from __future__ import annotations

import pytest

from browser import new_context
from pagetypes import page_types

# every badge that follows a title: its box, the last line box of the text before it, and its card's left edge
BADGES = """sel => [...document.querySelectorAll(sel)].filter(b => b.getClientRects().length).map(b => {
    const r = b.getClientRects(), box = b.getBoundingClientRect();
    let prev = b.previousSibling;
    while (prev && prev.nodeType === 3 && !prev.textContent.replace(/[\\s\\u2060]/g, '')) prev = prev.previousSibling;
    const range = document.createRange();
    range.selectNodeContents(prev);
    const lines = [...range.getClientRects()].filter(x => x.width > 0);
    const last = lines[lines.length - 1];
    return {badge: b.textContent, rects: r.length, top: box.top, bottom: box.bottom, left: box.left, right: box.right,
            textTop: last.top, textBottom: last.bottom, textRight: last.right, lines: lines.length,
            cardLeft: b.parentElement.getBoundingClientRect().left, vw: document.documentElement.clientWidth};
})"""


@pytest.mark.parametrize("width", [375, 320])
@pytest.mark.parametrize("mode", ["standard", "elder"])
def test_the_badge_stays_on_the_line_of_the_title(browser, example_url, example_site, width, mode):
    ctx = new_context(browser, width, mode)
    page = ctx.new_page()
    checked = wrapped = 0
    # a column's document list; the 社会救助 package, whose 政策依据 carry badges
    for href, sel in ((page_types(example_site)["documents"], "td.gk-col-title .gk-badge"),
                      ("packages/shjz/index.html", ".gk-package__policies .gk-badge")):
        page.goto(example_url + href)
        badges = page.evaluate(BADGES, sel)
        assert badges, (href, sel)
        for b in badges:
            where = (href, width, mode, b)
            assert b["rects"] == 1, where  # one piece, never split over two lines
            # on the last line of the text before it, to the right of that text, inside the window
            middle = (b["top"] + b["bottom"]) / 2
            assert b["textTop"] <= middle <= b["textBottom"], where
            assert b["left"] >= b["textRight"] - 1 and b["right"] <= b["vw"], where
            checked += 1
            wrapped += b["lines"] > 1
    ctx.close()
    # the case the rule is for: titles that wrap, whose last line would have left the badge alone on the next one
    assert checked >= 6 and wrapped >= 3, (checked, wrapped)
