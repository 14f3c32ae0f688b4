"""Text is set in the shipped fonts only, SVG figures' text included.

WeasyPrint's fontconfig knows the system's fonts too, and an SVG asking for
``sans-serif`` (or a family that is not shipped) would get whatever the
system prefers, embedded silently. Rules after the system's put a shipped
family first in any font request that names none: serif requests get the
serif, everything else the sans (content/svg.py warns about families that
are not shipped).

Pango's FreeType font map, which WeasyPrint uses, applies fontconfig's
substitution rules from fontconfig's *current* configuration, not from the
one WeasyPrint gives the font map; so the rules go there, through the C
library itself (WeasyPrint's bindings do not declare FcConfigGetCurrent).
Loading them twice changes nothing: once a shipped family is first, no rule
matches.
"""

from __future__ import annotations

import ctypes
import ctypes.util
from xml.sax.saxutils import escape

from ..content.svg import FALLBACK_FAMILY, GENERIC_FAMILIES, SHIPPED_FAMILIES


def _rule(tests: list[tuple[str, str, str]], family: str) -> str:
    conditions = "".join(f'<test qual="{qual}" name="family" compare="{compare}"><string>{escape(value)}</string>'
                         f'</test>' for qual, compare, value in tests)
    return (f'<match target="pattern">{conditions}<edit name="family" mode="prepend_first" binding="strong">'
            f'<string>{escape(family)}</string></edit></match>')


def shipped_fonts_rules() -> bytes:
    none_shipped = [("all", "not_eq", name) for name in SHIPPED_FAMILIES]
    rules = [_rule([("any", "eq", generic), *none_shipped], family)
             for generic, family in GENERIC_FAMILIES.items() if family != FALLBACK_FAMILY]
    rules.append(_rule(none_shipped, FALLBACK_FAMILY))
    return ('<?xml version="1.0"?><!DOCTYPE fontconfig SYSTEM "urn:fontconfig:fonts.dtd"><fontconfig>'
            + "".join(rules) + "</fontconfig>").encode()


def use_shipped_fonts_only() -> None:
    """Adds the rules to fontconfig's current configuration (see above)."""
    library = ctypes.CDLL(ctypes.util.find_library("fontconfig") or "libfontconfig.so.1")
    library.FcConfigGetCurrent.restype = ctypes.c_void_p
    library.FcConfigParseAndLoadFromMemory.argtypes = [ctypes.c_void_p, ctypes.c_char_p, ctypes.c_int]
    if not library.FcConfigParseAndLoadFromMemory(library.FcConfigGetCurrent(), shipped_fonts_rules(), 1):
        raise RuntimeError("fontconfig refused the rules that keep text in the shipped fonts")
