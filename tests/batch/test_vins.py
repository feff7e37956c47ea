"""The vectorised VIN check agrees with ``check_vin``; each prefix is decoded once."""

from __future__ import annotations

import polars as pl
from hypothesis import given, settings
from hypothesis import strategies as st

from jpimport.batch import vins
from jpimport.batch.vins import canonical_vin, normalized, prefix, resolve_vins, structure_ok
from jpimport.vehicles.vindecode import VIN_ORDER, check_digit, check_vin
from tests.batch.conftest import AS_OF

_CHARS = VIN_ORDER + "IOQ io-*"


def _fixed(text: str) -> str:
    """A 17-character VIN with its check digit set."""
    return text[:8] + check_digit(text) + text[9:]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.text(alphabet=_CHARS, min_size=0, max_size=19), min_size=1, max_size=20))
def test_vectorised_check_matches_check_vin(texts: list[str]) -> None:
    frame = pl.DataFrame({"vin": texts}, schema={"vin": pl.String()})
    flags = frame.select(structure_ok(normalized(pl.col("vin")))).to_series().to_list()
    for text, flag in zip(texts, flags, strict=True):
        if not text.strip():
            continue
        assert bool(flag) == (check_vin(text) is None), text


@settings(max_examples=100, deadline=None)
@given(st.text(alphabet=VIN_ORDER, min_size=17, max_size=17))
def test_valid_vins_pass(text: str) -> None:
    vin = _fixed(text)
    assert pl.select(structure_ok(pl.lit(vin))).item()


def test_canonical_vin_keeps_the_prefix_and_is_valid() -> None:
    for vin in ("5TFLA5DB0TX123456", _fixed("YT9NN1U14KA007175")):
        key = pl.select(prefix(pl.lit(vin))).item()
        stand_in = canonical_vin(key)
        assert check_vin(stand_in) is None
        assert pl.select(prefix(pl.lit(stand_in))).item() == key


def test_each_prefix_is_decoded_once() -> None:
    serials = [f"{n:06d}" for n in range(200)]
    column = pl.Series([_fixed(f"5TFLA5DB0TX{s}") for s in serials])
    vins.decode_prefix.cache_clear()
    out = resolve_vins(column, pl.Series([AS_OF] * len(column)))
    assert out.get_column("vin_id").n_unique() == 1
    assert out.get_column("vin_error").null_count() == len(column)
    info = vins.decode_prefix.cache_info()
    assert info.misses == 1
