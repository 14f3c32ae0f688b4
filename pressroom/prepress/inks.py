"""Small type in a mix of inks: text under 9 pt whose fill is more than one
CMYK ink. Plates never register exactly, so fine type built from several
inks prints with coloured fringes; black or a single ink keeps it sharp.

Walks a page's content stream (and the forms it draws) keeping the graphics
state a printer's RIP keeps: the transformation matrix, the fill colour and
the text matrix and size; a word's size is measured as printed.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

import pikepdf

SMALL_TYPE_PT = 9.0
INK_THRESHOLD = 0.02  # an ink under 2 % does not print as a separate dot
TEXT_SHOWING = {"Tj", "TJ", "'", '"'}
OPERATORS = "q Q cm BT Tf Tm Td TD T* k g rg cs sc scn Tj TJ ' \" Do"


def _multiply(a, b):
    """Matrix product a x b of PDF matrices [a b c d e f]."""
    return [a[0] * b[0] + a[1] * b[2], a[0] * b[1] + a[1] * b[3], a[2] * b[0] + a[3] * b[2],
            a[2] * b[1] + a[3] * b[3], a[4] * b[0] + a[5] * b[2] + b[4], a[4] * b[1] + a[5] * b[3] + b[5]]


def _scale(matrix) -> float:
    return abs(matrix[0] * matrix[3] - matrix[1] * matrix[2]) ** 0.5


@dataclass(frozen=True)
class _State:
    ctm: tuple = (1, 0, 0, 1, 0, 0)
    fill: tuple = ()  # CMYK, or () for anything else (grey, one ink, a pattern)


def _numbers(operands) -> list[float]:
    numbers = []
    for value in operands:
        try:
            numbers.append(float(value))
        except (TypeError, ValueError):  # names, strings, arrays
            continue
    return numbers


def _inks(fill: tuple) -> int:
    return sum(1 for value in fill if value > INK_THRESHOLD)


def mixed_small_type(holder, resources, state: _State | None = None, seen: set | None = None) -> list[tuple]:
    """(size in pt, CMYK fill) of each text run under SMALL_TYPE_PT in more than one ink."""
    state, seen, stack, found = state or _State(), seen if seen is not None else set(), [], []
    tm, size = [1, 0, 0, 1, 0, 0], 0.0
    try:
        instructions = pikepdf.parse_content_stream(holder, OPERATORS)
    except pikepdf.PdfError:
        return []
    for operands, operator in instructions:
        op, values = str(operator), _numbers(operands)
        if op == "q":
            stack.append(state)
        elif op == "Q" and stack:
            state = stack.pop()
        elif op == "cm" and len(values) == 6:
            state = replace(state, ctm=tuple(_multiply(values, list(state.ctm))))
        elif op == "k" and len(values) == 4:
            state = replace(state, fill=tuple(values))
        elif op in ("g", "rg", "cs", "sc", "scn"):
            state = replace(state, fill=())
        elif op == "BT":
            tm = [1, 0, 0, 1, 0, 0]
        elif op == "Tf" and values:
            size = values[-1]
        elif op == "Tm" and len(values) == 6:
            tm = values
        elif op in TEXT_SHOWING and _inks(state.fill) > 1:
            printed = size * _scale(_multiply(tm, list(state.ctm)))
            if 0 < printed < SMALL_TYPE_PT - 0.05:
                found.append((printed, state.fill))
        elif op == "Do" and operands:
            found += _form(operands[-1], resources, state, seen)
    return found


def _form(name, resources, state: _State, seen: set) -> list[tuple]:
    form = ((resources or {}).get("/XObject") or {}).get(name)
    if form is None or form.get("/Subtype") != "/Form" or form.objgen in seen:
        return []  # seen: the forms being drawn, so a form that draws itself stops (each placement is measured)
    matrix = [float(v) for v in form.get("/Matrix", [1, 0, 0, 1, 0, 0])]
    inner = replace(state, ctm=tuple(_multiply(matrix, list(state.ctm))))
    return mixed_small_type(form, form.get("/Resources") or resources, inner, seen | {form.objgen})
