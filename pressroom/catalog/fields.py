"""Form values checked on the server: each becomes a typed value or a
FieldError with a message for the field, never a silently changed value."""

from __future__ import annotations

import re
import unicodedata

# ASCII digits only: str.isdigit() and int() also take Arabic-Indic, Devanagari
# and full-width digits, which nobody types into a quantity on purpose.
DIGITS = re.compile(r"[0-9]+")
# Characters that draw nothing but are letters or symbols to Unicode.
INVISIBLE_LETTERS = {"\u115f", "\u1160", "\u3164", "\uffa0", "\u2800"}
# Control (Cc), format such as zero-width and direction marks (Cf), surrogates
# (Cs), private use (Co), unassigned (Cn), line and paragraph separators.
REFUSED_CATEGORIES = {"Cc", "Cf", "Cs", "Co", "Cn", "Zl", "Zp"}


class FieldError(ValueError):
    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


def quantity(raw: object, limit: int, over_limit: str | None = None) -> int:
    """A number of copies from 1 to ``limit``, written in ASCII digits."""
    text = raw.strip() if isinstance(raw, str) else ""
    asked = f"Enter a number of copies from 1 to {limit}."
    if not text:
        raise FieldError(f"Enter the number of copies (1 to {limit}).")
    if not DIGITS.fullmatch(text) or len(text) > 9:
        raise FieldError(f"Enter the number of copies in digits. {asked}")
    value = int(text)
    if value < 1:
        raise FieldError(asked)
    if value > limit:
        raise FieldError(over_limit or asked)
    return value


def text_problem(value: str) -> str | None:
    """Why ``value`` cannot be kept as typed text, or None when it can."""
    refused = next((c for c in value if unicodedata.category(c) in REFUSED_CATEGORIES), None)
    if refused is not None:
        if refused in "\t\r\n":
            return "Use one line only: remove the line breaks and tabs."
        return (f"Remove the invisible or control character ({_code(refused)}); it may have come in with "
                f"pasted text.")
    if value and all(c.isspace() or c in INVISIBLE_LETTERS for c in value):
        return "Enter visible letters or numbers, not only spaces or blank characters."
    return None


def _code(char: str) -> str:
    return f"U+{ord(char):04X}" + (f" {unicodedata.name(char)}" if unicodedata.name(char, "") else "")
