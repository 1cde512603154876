"""How gongkai/build/fonts/ was made: a static TrueType subset of Noto Sans SC Regular and Bold.

This script is documentation: the fonts it writes are committed, and gongkai uses them at run time,
so users never run it (set-up stays pip-only). Re-run it only to change the coverage.

Source: the npm package @expo-google-fonts/noto-sans-sc 0.4.3 (licence "MIT AND OFL-1.1"), which ships
Google Fonts' static instances of Noto Sans SC 2.004 with TrueType (glyf) outlines:
400Regular/NotoSansSC_400Regular.ttf and 700Bold/NotoSansSC_700Bold.ttf, plus LICENSE_FONT (OFL-1.1).
TrueType outlines matter: reportlab embeds only glyf fonts, not CFF .otf (DESIGN §6).

    cd "$(mktemp -d)" && npm pack @expo-google-fonts/noto-sans-sc@0.4.3 && tar xzf expo-google-fonts-noto-sans-sc-0.4.3.tgz
    python scripts/make_poster_font.py package/

Coverage: printable ASCII, every character of GB 2312 (rows 1-9 symbols and punctuation, all 6,763
hanzi of levels 1 and 2) and a few punctuation marks that Chinese official text uses beyond GB 2312.
Layout tables (GSUB/GPOS), vertical metrics and hinting are dropped: posters set horizontal text only.
"""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

from fontTools import subset
from fontTools.ttLib import TTFont

OUT = Path(__file__).resolve().parent.parent / "gongkai" / "build" / "fonts"
SOURCES = {
    "NotoSansSC-Regular-subset.ttf": "400Regular/NotoSansSC_400Regular.ttf",
    "NotoSansSC-Bold-subset.ttf": "700Bold/NotoSansSC_700Bold.ttf",
}
EXTRA = "–—‘’“”…·•〇─━│┃　、。〈〉《》「」『』【】〔〕〖〗！（），．：；？～￥℃№※→←↑↓①②③④⑤⑥⑦⑧⑨⑩"


def gb2312_chars() -> list[str]:
    out: list[str] = []
    for row in list(range(0xA1, 0xAA)) + list(range(0xB0, 0xF8)):
        for cell in range(0xA1, 0xFF):
            try:
                out.append(bytes([row, cell]).decode("gb2312"))
            except UnicodeDecodeError:
                pass
    return out


def coverage() -> list[int]:
    chars = {chr(c) for c in range(0x20, 0x7F)} | set(gb2312_chars()) | set(EXTRA)
    return sorted(ord(c) for c in chars)


def make(src_dir: Path) -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    for out_name, rel in SOURCES.items():
        font = TTFont(src_dir / rel, recalcTimestamp=False)
        opts = subset.Options()
        opts.layout_features = []
        opts.hinting = False
        opts.name_IDs = ["*"]
        opts.name_languages = ["*"]
        opts.notdef_outline = True
        opts.drop_tables += ["vhea", "vmtx", "BASE", "STAT", "GSUB", "GPOS", "GDEF"]
        subsetter = subset.Subsetter(opts)
        subsetter.populate(unicodes=coverage())
        subsetter.subset(font)
        # Fixed timestamps: the same input makes the same bytes.
        font["head"].created = font["head"].modified = 0
        font.save(OUT / out_name, reorderTables=True)
        print(f"{out_name}: {(OUT / out_name).stat().st_size} bytes, {len(font.getBestCmap())} characters")
    shutil.copy(src_dir / "LICENSE_FONT", OUT / "OFL.txt")


if __name__ == "__main__":
    make(Path(sys.argv[1] if len(sys.argv) > 1 else "package"))
