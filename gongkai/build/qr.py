"""QR codes for package pages and posters (segno), tuned for print.

- Error correction Q (25 % of the code may be dirty, torn or covered by a pin) suits a poster on a wall.
- Quiet zone of 4 modules, the size ISO/IEC 18004 asks for: a phone finds the code on a busy notice board.
- Version chosen by segno from the data, so a short URL gives big modules.
"""

from __future__ import annotations

import io
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import segno

ERROR = "q"
BORDER = 4  # modules of quiet zone on each side


def make(url: str) -> segno.QRCode:
    import segno  # here, not at the top: it pulls in urllib, http and ssl, and a rebuild takes its codes from the memo

    return segno.make_qr(url, error=ERROR, boost_error=False)


def svg(url: str, title: str = "") -> str:
    """An inline, scalable SVG (no fixed size: CSS sizes it), dark modules as one path."""
    buf = io.BytesIO()
    make(url).save(buf, kind="svg", xmldecl=False, svgns=False, border=BORDER, omitsize=True, title=title or None,
                   svgclass="gk-qr__svg", lineclass="gk-qr__modules", light="#fff", dark="#000", nl=False)
    return buf.getvalue().decode("utf-8")


def matrix(url: str) -> list[list[bool]]:
    """The modules without quiet zone, True for dark: for drawing in a PDF."""
    return [[bool(v) for v in row] for row in make(url).matrix]
