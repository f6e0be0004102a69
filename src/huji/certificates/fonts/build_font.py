"""Build the subset CJK font that certificates embed.

Source: Noto Sans CJK SC Regular (SIL Open Font License 1.1), from Debian's
``fonts-noto-cjk`` package (``apt-get install -y fonts-noto-cjk``). The subset keeps
GB 2312 (every hanzi and symbol in it), ASCII and the punctuation documents use, and
converts the CFF outlines to TrueType (quadratic) outlines so that every PDF library
and viewer embeds and renders it the same way.

Run: ``.venv/bin/python src/huji/certificates/fonts/build_font.py``
Output: ``HujiSansSC-Regular.ttf`` next to this script (commit it with OFL.txt).
"""

import sys
from pathlib import Path

from fontTools import subset
from fontTools.pens.cu2quPen import Cu2QuPen
from fontTools.pens.ttGlyphPen import TTGlyphPen
from fontTools.ttLib import TTCollection, newTable

SOURCE = Path("/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc")
HERE = Path(__file__).resolve().parent
OUTPUT = HERE / "HujiSansSC-Regular.ttf"
EXTRA = "，。、；：？！“”‘’（）《》〈〉【】—…·￥　－／℃№〇"


def gb2312_characters() -> str:
    chars = []
    for high in range(0xA1, 0xF8):
        for low in range(0xA1, 0xFF):
            try:
                chars.append(bytes([high, low]).decode("gb2312"))
            except UnicodeDecodeError:
                continue
    return "".join(chars)


def pick_sc(collection: TTCollection):
    for font in collection.fonts:
        if "SC" in font["name"].getDebugName(1):
            return font
    raise SystemExit("Noto Sans CJK SC not found in the collection")


def cff_to_glyf(font) -> None:
    """Replace the CFF table with TrueType outlines (max error 1 unit)."""
    glyph_order = font.getGlyphOrder()
    glyph_set = font.getGlyphSet()
    glyphs = {}
    for name in glyph_order:
        pen = TTGlyphPen(glyph_set)
        glyph_set[name].draw(Cu2QuPen(pen, max_err=1.0, reverse_direction=True))
        glyphs[name] = pen.glyph()
    font["loca"] = newTable("loca")
    glyf = font["glyf"] = newTable("glyf")
    glyf.glyphOrder = glyph_order
    glyf.glyphs = glyphs
    del font["CFF "]
    if "VORG" in font:
        del font["VORG"]
    maxp = font["maxp"]
    maxp.tableVersion = 0x00010000
    for attr in (
        "maxZones",
        "maxTwilightPoints",
        "maxStorage",
        "maxFunctionDefs",
        "maxInstructionDefs",
        "maxStackElements",
        "maxSizeOfInstructions",
        "maxComponentElements",
    ):
        setattr(maxp, attr, 0)
    maxp.maxZones = 1
    maxp.maxComponentDepth = 0
    maxp.maxPoints = maxp.maxContours = 0
    maxp.maxCompositePoints = maxp.maxCompositeContours = 0
    font["head"].indexToLocFormat = 1
    font["head"].glyphDataFormat = 0
    post = font["post"]
    post.formatType = 2.0
    post.extraNames = []
    post.mapping = {}
    post.glyphOrder = glyph_order
    font.sfntVersion = "\x00\x01\x00\x00"


def rename(font) -> None:
    """A modified font carries its own name (OFL 1.1, condition 3 in spirit)."""
    names = {
        1: "Huji Sans SC",
        3: "HujiSansSC-Regular",
        4: "Huji Sans SC",
        6: "HujiSansSC-Regular",
        16: "Huji Sans SC",
    }
    table = font["name"]
    for record in list(table.names):
        if record.nameID in names:
            table.setName(
                names[record.nameID],
                record.nameID,
                record.platformID,
                record.platEncID,
                record.langID,
            )
        elif record.nameID == 17:
            table.setName(
                "Regular", 17, record.platformID, record.platEncID, record.langID
            )


def main() -> int:
    if not SOURCE.exists():
        print(f"{SOURCE} missing: apt-get install -y fonts-noto-cjk", file=sys.stderr)
        return 1
    font = pick_sc(TTCollection(str(SOURCE)))
    text = gb2312_characters() + "".join(chr(c) for c in range(0x20, 0x7F)) + EXTRA
    options = subset.Options()
    options.layout_features = ["kern", "vert", "vrt2"]
    options.name_IDs = ["*"]
    options.notdef_outline = True
    options.hinting = False
    options.desubroutinize = True
    subsetter = subset.Subsetter(options)
    subsetter.populate(text=text)
    subsetter.subset(font)
    cff_to_glyf(font)
    rename(font)
    font.save(str(OUTPUT))
    print(f"{OUTPUT.name}: {OUTPUT.stat().st_size // 1024} KiB, {len(set(text))} chars")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
