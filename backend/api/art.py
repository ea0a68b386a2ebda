"""The fonts of the generated art (backend/api/routers/metadata.py): its names may be Chinese, and a wallet shows the
SVG as an image, which may fetch nothing.

- `font_stack`: the CJK fonts each platform ships (macOS/iOS, Windows, Android/Linux), Traditional or Simplified glyph
  forms first as the text is, after the system's Latin fonts and before the generic family;
- `font_face`: for text beyond ASCII, an @font-face with only the glyphs the text uses, cut from a CJK font the system
  has (Debian's fonts-wqy-microhei or fonts-noto-cjk, first found in FONT_FILES) and embedded as a data: URI, so a
  viewer without any CJK font shows the names too. No such font on the server: the stack alone.
"""
import base64
import io
import logging
from functools import lru_cache
from pathlib import Path

from fontTools import subset
from fontTools.ttLib import TTFont

FAMILY = "Odyssey Art"  # the embedded subset's family name, first in the stack when there is one
FONT_FILES = (
    Path("/usr/share/fonts/truetype/wqy/wqy-microhei.ttc"),  # fonts-wqy-microhei: Simplified and Traditional
    Path("/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc"),  # fonts-noto-cjk
)
_CJK_FONTS = {
    "zh-Hant": "'PingFang TC', 'Hiragino Sans CNS', 'Microsoft JhengHei', 'Noto Sans CJK TC', 'Source Han Sans TC'",
    "zh-Hans": "'PingFang SC', 'Hiragino Sans GB', 'Microsoft YaHei', 'Noto Sans CJK SC', 'Source Han Sans SC'",
}

logging.getLogger("fontTools").setLevel(logging.ERROR)  # "table FFTM not subset": expected, not worth a log line


def font_stack(locale: str, embedded: bool) -> str:
    """A font-family list for text in `locale` (an attribute value, to double-quote), the embedded face first."""
    cjk = [_CJK_FONTS["zh-Hant"], _CJK_FONTS["zh-Hans"]] if locale == "zh-Hant" else [_CJK_FONTS["zh-Hans"], _CJK_FONTS["zh-Hant"]]
    return ", ".join([f"'{FAMILY}'"] * embedded + ["system-ui", "'Helvetica Neue'", "Arial", *cjk,
                                                   "'WenQuanYi Micro Hei'", "sans-serif"])


def font_file() -> Path | None:
    return next((path for path in FONT_FILES if path.exists()), None)


def font_face(text: str) -> str:
    """A <style> with an @font-face of the glyphs of `text`, or "" (ASCII text, or no CJK font on the server)."""
    path = font_file()
    if text.isascii() or path is None:
        return ""
    return f'<style>@font-face{{font-family:"{FAMILY}";src:url(data:font/woff;base64,{_subset(path, "".join(sorted(set(text))))})}}</style>'


@lru_cache(maxsize=1024)
def _subset(path: Path, characters: str) -> str:
    """`characters`' glyphs of the first face of `path`, as base64 WOFF: no hinting, no layout features, two names."""
    options = subset.Options()
    options.flavor, options.hinting, options.layout_features, options.name_IDs = "woff", False, [], [1, 2]
    options.notdef_outline = False
    font = TTFont(path, fontNumber=0, lazy=True)
    subsetter = subset.Subsetter(options)
    subsetter.populate(text=characters)
    subsetter.subset(font)
    out = io.BytesIO()
    font.save(out)
    return base64.b64encode(out.getvalue()).decode()
