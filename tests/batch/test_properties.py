"""Property: whatever the rows hold, a batch never drops, duplicates, reorders or crashes."""

from __future__ import annotations

import tempfile
from pathlib import Path

import polars as pl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from polars.testing import assert_frame_equal

from jpimport.batch import assess_frame, run_batch
from jpimport.options import AssessOptions
from tests.batch.conftest import AS_OF, catalog_ids

pytestmark = [
    pytest.mark.usefixtures("fake_stages"),
    pytest.mark.filterwarnings("ignore::jpimport.batch.ColumnWarning"),
]

_JUNK = st.one_of(
    st.none(),
    st.just(""),
    st.text(max_size=12),
    st.integers(-(10**12), 10**12).map(str),
    st.floats(allow_nan=True, allow_infinity=True).map(str),
    st.sampled_from(["13", "true", "no", "2026-02-30", "2026-13", "1e400", "  4700 ", "NaN"]),
)
_IDS = st.one_of(st.sampled_from(catalog_ids()), _JUNK)
_VINS = st.one_of(
    st.sampled_from(["5TFLA5DB0TX123456", "5TFLA5DB5TX123456", "1HGCY1F32TA123456"]),
    st.text(alphabet="ABCDEFGHJKLMNPRSTUVWXYZ0123456789IOQ", min_size=15, max_size=18),
    _JUNK,
)
_COLUMNS = {
    "id": _IDS,
    "vin": _VINS,
    "length_mm": _JUNK,
    "seats": _JUNK,
    "body": st.one_of(st.sampled_from(["pickup", "sedan", "truck"]), _JUNK),
    "as_of": st.one_of(st.sampled_from(["2026-11-21", "1990-01-01", "2027-04-01"]), _JUNK),
    "importer": st.one_of(st.sampled_from(["individual", "dealer"]), _JUNK),
    "volume": _JUNK,
    "usd_jpy": _JUNK,
    "rhd_available": _JUNK,
    "lot": _JUNK,
}


@st.composite
def frames(draw: st.DrawFn) -> pl.DataFrame:
    """A text frame (as from CSV) with a random subset of columns and malformed values."""
    names = draw(st.lists(st.sampled_from(sorted(_COLUMNS)), min_size=1, unique=True))
    n = draw(st.integers(0, 40))
    data = {name: draw(st.lists(_COLUMNS[name], min_size=n, max_size=n)) for name in names}
    return pl.DataFrame(data, schema=dict.fromkeys(names, pl.String))


def _check_invariants(frame: pl.DataFrame, out: pl.DataFrame) -> None:
    assert out.height == frame.height
    assert_frame_equal(out.select(frame.columns), frame)
    assert set(out.get_column("status")) <= {"ok", "error"}
    failed = out.get_column("status") == "error"
    assert (out.get_column("error").is_not_null() == failed).all()
    assert (out.get_column("error_kind").is_not_null() == failed).all()


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(frames(), st.integers(1, 50))
def test_any_input_keeps_rows_in_order(frame: pl.DataFrame, chunk_rows: int) -> None:
    out = assess_frame(frame, as_of=AS_OF, chunk_rows=chunk_rows)
    _check_invariants(frame, out)
    assert_frame_equal(out, assess_frame(frame, as_of=AS_OF))


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(frames(), st.integers(1, 20))
def test_any_csv_file_keeps_rows_in_order(frame: pl.DataFrame, chunk_rows: int) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        source, target = Path(tmp) / "in.csv", Path(tmp) / "out.parquet"
        frame.write_csv(source)
        options = AssessOptions.build(as_of=AS_OF)
        summary = run_batch(source, target, options=options, chunk_rows=chunk_rows)
        out = pl.read_parquet(target)
        expected = pl.read_csv(source, infer_schema=False)
    assert summary.rows == out.height == expected.height
    _check_invariants(expected, out)
