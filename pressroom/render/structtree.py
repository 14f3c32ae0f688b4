"""Reading a tagged PDF's structure tree and its pages' marked content.

What the structure tree (from /StructTreeRoot down /K) says each page holds,
what the ParentTree says, and what each page's content stream actually
marks (textruns.py): the three must agree for assistive technology to read every word.
Used by the checks (accessibility.py) and the fixes (furniture.py,
tagging.py).
"""

from __future__ import annotations

from typing import Iterator

import pikepdf

Matrix = tuple[float, float, float, float, float, float]
IDENTITY: Matrix = (1.0, 0.0, 0.0, 1.0, 0.0, 0.0)


def kids(element: pikepdf.Dictionary) -> list:
    k = element.get("/K")
    if isinstance(k, pikepdf.Array):
        return list(k)
    return [k] if k is not None else []


def is_element(obj) -> bool:
    return isinstance(obj, pikepdf.Dictionary) and "/S" in obj


def elements(pdf: pikepdf.Pdf) -> Iterator[pikepdf.Dictionary]:
    """Every structure element reachable from the root, in reading order."""
    root = pdf.Root.get("/StructTreeRoot")
    stack = [k for k in reversed(kids(root)) if is_element(k)] if root is not None else []
    while stack:
        element = stack.pop()
        yield element
        stack.extend(k for k in reversed(kids(element)) if is_element(k))


def _page_key(page_obj) -> tuple[int, int] | None:
    return page_obj.objgen if isinstance(page_obj, pikepdf.Dictionary) else None


def element_mcids(element: pikepdf.Dictionary) -> Iterator[tuple[tuple[int, int] | None, int]]:
    """(page objgen, MCID) of each marked-content kid of ``element``."""
    page = element.get("/Pg")
    for kid in kids(element):
        if isinstance(kid, int):
            yield _page_key(page), int(kid)
        elif isinstance(kid, pikepdf.Dictionary) and kid.get("/Type") == "/MCR":
            yield _page_key(kid.get("/Pg", page)), int(kid.MCID)


def reachable_mcids(pdf: pikepdf.Pdf) -> dict[tuple[tuple[int, int] | None, int], pikepdf.Dictionary]:
    """(page objgen, MCID) -> the element that lists it, over the tree from its root."""
    return {ref: element for element in elements(pdf) for ref in element_mcids(element)}


def tree_leaves(node, entries: str) -> list[tuple[object, object]]:
    """(key, value) of every leaf of a PDF name or number tree (``entries``
    is "/Names" or "/Nums")."""
    found = []
    stack = [node] if node is not None else []
    while stack:
        node = stack.pop()
        pairs = node.get(entries)
        if pairs is not None:
            found += [(pairs[i], pairs[i + 1]) for i in range(0, len(pairs) - 1, 2)]
        stack.extend(node.get("/Kids", []))
    return found


def number_tree(node) -> dict[int, object]:
    """A number tree (such as the ParentTree) as a dict."""
    return {int(key): value for key, value in tree_leaves(node, "/Nums")}


def multiply(m: Matrix, n: Matrix) -> Matrix:
    a, b, c, d, e, f = m
    A, B, C, D, E, F = n
    return (a * A + b * C, a * B + b * D, c * A + d * C, c * B + d * D,
            e * A + f * C + E, e * B + f * D + F)


def properties(page: pikepdf.Page, operand) -> pikepdf.Dictionary | None:
    if isinstance(operand, pikepdf.Dictionary):
        return operand
    if isinstance(operand, pikepdf.Name):
        props = page.obj.get("/Resources", {}).get("/Properties", {})
        return props.get(operand)
    return None


class TextPlacement:
    """Where text is drawn, followed through q/Q, cm, BT, Tm and Td: the one
    graphics-state walk of textruns.read_content."""

    def __init__(self):
        self.ctm, self.saved, self.text_matrix = IDENTITY, [], IDENTITY

    def follow(self, op: str, operands) -> bool:
        """Take in one operator; True if it was a placement operator."""
        if op == "q":
            self.saved.append(self.ctm)
        elif op == "Q":
            if self.saved:
                self.ctm = self.saved.pop()
        elif op == "cm":
            self.ctm = multiply(tuple(float(v) for v in operands), self.ctm)
        elif op == "BT":
            self.text_matrix = IDENTITY
        elif op == "Tm":
            self.text_matrix = tuple(float(v) for v in operands)
        elif op == "Td":
            self.text_matrix = multiply((1, 0, 0, 1, float(operands[0]), float(operands[1])), self.text_matrix)
        else:
            return False
        return True

    @property
    def y(self) -> float:
        """The baseline's height on the page of the next text drawn."""
        return multiply(self.text_matrix, self.ctm)[5]
