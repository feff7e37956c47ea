"""Loader happy paths: every kind, ends and restarts, and the YAML forms the format allows."""

from datetime import date

import pytest

from jpimport.errors import NotInForceError
from jpimport.rules import Bracket, Citation, Range

from .conftest import CITE, WriteTree

HEAD = """\
title: Test
title_ja: テスト
description: >
  A synthetic parameter
  for tests.
last_verified_on: 2026-11-21
"""


def test_scalar_with_an_end_and_a_restart(write_tree: WriteTree) -> None:
    """``value: null`` ends the rule, bare null ends it without a source, a later date restarts."""
    store = write_tree(
        {
            "a/b.yaml": HEAD
            + f"""\
unit: rate
kind: scalar
values:
  2019-10-01: {{value: 0.1, {CITE}, source_kind: primary, status: confirmed}}
  2026-04-01:
    value: null
    {CITE}
    status: unconfirmed
    note: abolished
  2027-01-01: {{value: 0.05, {CITE}, source_kind: weak, status: estimate}}
  2028-01-01:
"""
        }
    )
    p = store.parameter("a.b")
    assert p.description == "A synthetic parameter for tests."
    assert [(w.start, w.end, w.value) for w in p.windows] == [
        (date(2019, 10, 1), date(2026, 4, 1), 0.1),
        (date(2027, 1, 1), date(2028, 1, 1), 0.05),
    ]
    assert [(e.start, e.status, e.note) for e in p.endings] == [
        (date(2026, 4, 1), "unconfirmed", "abolished"),
        (date(2028, 1, 1), None, None),
    ]
    assert p.endings[0].citation == Citation("Test source", "https://example.org/rules")
    assert p.endings[1].citation is None
    assert p.at(date(2026, 3, 31)).value == 0.1
    assert p.find(date(2026, 4, 1)) is None
    assert p.at(date(2027, 6, 1)).unconfirmed
    with pytest.raises(NotInForceError, match="from 2019-10-01 until 2026-04-01; from 2027"):
        p.at(date(2026, 12, 31))


def test_brackets_with_ranges_and_float_bounds(write_tree: WriteTree) -> None:
    """Brackets may hold ranges; bounds may be fractional; ``reads`` is kept."""
    store = write_tree(
        {
            "w.yaml": HEAD
            + f"""\
unit: jpy
kind: brackets
reads: vehicle_weight_t
values:
  '2020-01-01':
    brackets:
      - up_to: 0.5
        value: {{low: 1, typical: 2, high: 3}}
      - {{up_to: ~, value: {{low: 4, typical: 4, high: 9}}}}
    {CITE}
    source_kind: secondary
    status: estimate
"""
        }
    )
    v = store.parameter("w").at(date(2020, 1, 1))
    assert v.reads == "vehicle_weight_t"
    assert v.brackets == (Bracket(0.5, Range(1, 2, 3)), Bracket(None, Range(4, 4, 9)))
    assert v.lookup(0.5) == Range(1, 2, 3)
    assert v.lookup(0.51) == Range(4, 4, 9)


def test_table_with_integer_keys_and_declared_keys(write_tree: WriteTree) -> None:
    """A table maps integer or string keys; ``keys`` lists what may appear."""
    store = write_tree(
        {
            "t.yaml": HEAD
            + f"""\
unit: jpy
kind: table
keys: [12, 24, 25, 36, 37]
values:
  2023-04-01:
    value: {{24: 17650, 25: 18160, 36: 23690}}
    {CITE}
    source_kind: primary
    status: confirmed
"""
        }
    )
    p = store.parameter("t")
    assert p.keys == (12, 24, 25, 36, 37)
    v = p.at(date(2024, 1, 1))
    assert dict(v.value) == {24: 17650, 25: 18160, 36: 23690}  # type: ignore[arg-type]
    assert v.lookup(36) == 23690
    assert v.lookup(12) is None


def test_range_text_and_bool_scalars(write_tree: WriteTree) -> None:
    """Each unit takes its own type: ranges, text, booleans; an article is kept."""
    store = write_tree(
        {
            "r.yaml": HEAD
            + """\
unit: usd
kind: range
values:
  2026-01-01:
    value: {low: 1500, typical: 2500.5, high: 2500.5}
    citation: {title: T, url: 'http://example.org', article: 第1条}
    source_kind: weak
    status: estimate
""",
            "s.yaml": HEAD
            + f"""\
unit: text
kind: scalar
values:
  2026-01-01: {{value: ordinary, {CITE}, source_kind: weak, status: unconfirmed}}
""",
            "b.yaml": HEAD
            + f"""\
unit: bool
kind: scalar
values:
  2026-01-01: {{value: false, {CITE}, source_kind: primary, status: confirmed}}
""",
        }
    )
    r = store.parameter("r").at(date(2026, 1, 1))
    assert r.value == Range(1500, 2500.5, 2500.5)
    assert r.citation.article == "第1条"
    assert store.parameter("s").at(date(2026, 1, 1)).value == "ordinary"
    assert store.parameter("b").at(date(2026, 1, 1)).value is False


def test_anchors_and_aliases_are_allowed(write_tree: WriteTree) -> None:
    """A citation reused through an anchor loads like a written-out one."""
    store = write_tree(
        {
            "x.yaml": HEAD
            + """\
unit: count
kind: scalar
values:
  2020-01-01:
    value: 1
    citation: &src {title: T, url: 'https://example.org'}
    source_kind: primary
    status: confirmed
  2021-01-01: {value: 2, citation: *src, source_kind: primary, status: confirmed}
"""
        }
    )
    a, b = store.parameter("x").windows
    assert a.citation == b.citation


def test_windows_and_values_are_read_only(write_tree: WriteTree) -> None:
    """Parameters are frozen and tables cannot be changed after loading."""
    store = write_tree(
        {
            "t.yaml": HEAD
            + f"""\
unit: text
kind: table
values:
  2023-04-01: {{value: {{a: x}}, {CITE}, source_kind: weak, status: unconfirmed}}
"""
        }
    )
    v = store.parameter("t").windows[0]
    with pytest.raises(TypeError):
        v.value["a"] = "y"  # type: ignore[index]
    with pytest.raises(AttributeError):
        v.status = "confirmed"  # type: ignore[misc]
