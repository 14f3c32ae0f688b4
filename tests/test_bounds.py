"""The bounded readers agree with the unbounded ones on ordinary input."""

from __future__ import annotations

import re

import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from pressroom.content.markdown import _phone_candidates
from pressroom.content.yamlfile import YamlSyntaxError, parse_yaml

# The phone-number pattern before it was made linear (quadratic on runs such as "1- 1- 1- ...").
BACKTRACKING_PHONE_LIKE = re.compile(r"(?<![\w.,-])\+?\(?\d[\d\-(). ]{5,}\d(?![\w-]|[.,]\d)")


@settings(max_examples=500)
@given(st.text(alphabet="0123456789-(). +,x_\n", max_size=60))
def test_linear_phone_candidates_match_the_backtracking_pattern(text):
    assert list(_phone_candidates(text)) == [m.group(0) for m in BACKTRACKING_PHONE_LIKE.finditer(text)]


yaml_values = st.recursive(
    st.one_of(st.none(), st.booleans(), st.integers(), st.text(max_size=10), st.dates()),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=6), inner, max_size=4),
    max_leaves=20)


@settings(max_examples=200)
@given(yaml_values, st.booleans())
def test_bounded_yaml_reads_what_pyyaml_reads(value, flow):
    text = yaml.safe_dump(value, default_flow_style=flow, allow_unicode=True)
    assert parse_yaml(text)[0] == yaml.safe_load(text)
    assert parse_yaml(text, fast=True)[0] == yaml.safe_load(text)


def test_anchors_and_merge_keys_read_as_pyyaml_reads_them():
    text = "base: &b {x: 1, y: 2}\nlist: &l [1, 2]\nuse: {<<: *b, y: 3}\nagain: *l\nmany: {<<: [*b, {z: 4}]}\n"
    assert parse_yaml(text)[0] == yaml.safe_load(text)


def test_bombs_are_refused_while_composing():
    lines = ["x0: &x0 [1, 2, 3, 4, 5, 6, 7, 8, 9]"] + [f"x{i}: &x{i} [*x{i - 1}, *x{i - 1}, *x{i - 1}]"
                                                       for i in range(1, 12)]
    for text, message in [("\n".join(lines), "over the bound of 50,000 nodes"),
                          ("a: " + "[" * 40 + "]" * 40, "over the bound of 32 levels"),
                          ("&a {k: *a}", "alias *a is inside the value it names")]:
        try:
            parse_yaml(text)
        except YamlSyntaxError as exc:
            assert message in str(exc)
        else:
            raise AssertionError(f"not refused: {message}")
