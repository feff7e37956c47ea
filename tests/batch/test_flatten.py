"""Nested columns flatten the same way for every stage: joined text, verdicts, JSON, fields."""

from __future__ import annotations

import datetime as dt
import json

import polars as pl

from jpimport.batch.flatten import flat_columns, flatten_frame


def test_scalars_lists_structs_and_lists_of_structs() -> None:
    frame = pl.DataFrame(
        {
            "n": [1, None],
            "reasons": [["too long", "too wide"], []],
            "parking": [[{"id": "flat", "fits": True}, {"id": "tower", "fits": None}], None],
            "findings": [
                [
                    {"rule": "lamps", "pathway": "php", "outcome": "modify", "notes": ["amber"]},
                    {"rule": "mirrors", "pathway": None, "outcome": None, "notes": []},
                ],
                [],
            ],
            "legs": [[{"port": "Yokohama", "on": dt.date(2026, 1, 1)}], None],
            "plan": [{"who": "dealer", "units": 3}, None],
        }
    )
    out = frame.select(flat_columns(frame.schema, frame.columns))
    assert out.columns == ["n", "reasons", "parking", "findings", "legs", "plan_who", "plan_units"]
    assert out.row(0) == (
        1,
        "too long; too wide",
        "flat=true; tower=unknown",
        "lamps@php=modify; mirrors=unknown",
        '[{"port":"Yokohama","on":"2026-01-01"}]',
        "dealer",
        3,
    )
    assert out.row(1) == (None, "", None, "", None, None, None)
    assert json.loads(out.item(0, "legs")) == [{"port": "Yokohama", "on": "2026-01-01"}]


def test_arrays_and_empty_frames() -> None:
    frame = pl.DataFrame({"a": [[1, 2]]}, schema={"a": pl.Array(pl.Int64, 2)})
    assert frame.select(flat_columns(frame.schema, ["a"])).item() == "1; 2"
    empty = frame.clear()
    assert empty.select(flat_columns(empty.schema, ["a"])).schema["a"] == pl.String()


def test_a_frame_builds_each_distinct_verdict_list_once_with_the_same_text() -> None:
    lists = [
        [{"rule": "lamps", "pathway": "php", "outcome": "modify", "cost": 1}],
        [{"rule": "lamps", "pathway": "php", "outcome": "modify", "cost": 2}],  # same verdicts
        [{"rule": "lamps", "pathway": "php", "outcome": "pass", "cost": 1}],
        None,
        [],
        [{"rule": "lamps", "pathway": None, "outcome": None, "cost": None}],
    ]
    frame = pl.DataFrame({"n": range(60), "findings": lists * 10})
    expected = frame.select(flat_columns(frame.schema, frame.columns))
    out = flatten_frame(frame, frame.columns)
    assert out.equals(expected, null_equal=True)
    assert out.get_column("findings").to_list()[:6] == [
        "lamps@php=modify",
        "lamps@php=modify",
        "lamps@php=pass",
        None,
        "",
        "lamps=unknown",
    ]


def test_distinct_verdict_lists_tell_null_false_and_order_apart() -> None:
    lists = [
        [{"id": "flat", "fits": True}, {"id": "tower", "fits": None}],
        [{"id": "flat", "fits": True}, {"id": "tower", "fits": False}],
        [{"id": "tower", "fits": None}, {"id": "flat", "fits": True}],
        [{"id": None, "fits": False}],
        [{"id": "?", "fits": False}],
        [None],
    ]
    frame = pl.DataFrame({"parking": lists * 5})
    out = flatten_frame(frame, ["parking"])
    assert out.equals(frame.select(flat_columns(frame.schema, ["parking"])), null_equal=True)
    assert out.get_column("parking").to_list()[:3] == [
        "flat=true; tower=unknown",
        "flat=true; tower=false",
        "tower=unknown; flat=true",
    ]
