"""Parking types: does the vehicle fit each bundled bay or pallet, and by how much it misses.

Each type is a table rule under ``fit.parking.`` with limits among length_mm, width_mm, height_mm
and weight_kg (a bay's size is its limit; a pallet limits the car itself). Excess is vehicle
minus limit: positive is over, negative is margin; an unknown dimension leaves ``fits`` null
unless a known one already fails.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import polars as pl

from jpimport.errors import DataError
from jpimport.rules import ParameterValue
from jpimport.stages.classify_plan import Layers
from jpimport.stages.classify_rules import RuleNotInForceError, need_int
from jpimport.stages.classify_text import many_rows, text_list
from jpimport.stages.context import StageContext

PREFIX = "fit.parking."

#: The order types are listed in; types not named here follow in name order.
ORDER = (
    "mlit_ordinary",
    "mlit_small",
    "mlit_kei",
    "residential_standard",
    "residential_min",
    "mech_legacy",
    "mech_standard",
    "mech_wide",
    "mech_highroof",
)

#: Limit key in a parking table → (vehicle column, struct field of the excess).
LIMITS = {
    "length_mm": ("length_mm", "excess_length_mm"),
    "width_mm": ("width_mm", "excess_width_mm"),
    "height_mm": ("height_mm", "excess_height_mm"),
    "weight_kg": ("curb_weight_kg", "excess_kg"),
}

STRUCT = pl.Struct(
    {
        "id": pl.String(),
        "fits": pl.Boolean(),
        "excess_length_mm": pl.Int64(),
        "excess_width_mm": pl.Int64(),
        "excess_height_mm": pl.Int64(),
        "excess_kg": pl.Int64(),
        "comfortable": pl.Boolean(),
    }
)


@dataclass(frozen=True)
class ParkingType:
    """One parking type in force: its output id and its limits."""

    id: str
    limits: dict[str, int]

    @property
    def is_open_bay(self) -> bool:
        """A bay marked on the ground: it limits length and width only, and doors open in it."""
        return "height_mm" not in self.limits and "weight_kg" not in self.limits


def _limits(value: ParameterValue) -> dict[str, int]:
    """A parking table's limits as whole numbers (a DataError for anything else)."""
    table = value.value
    if not isinstance(table, Mapping):
        raise DataError(f"{value.name} must be a table of limits")
    out: dict[str, int] = {}
    for key, entry in table.items():
        if str(key) not in LIMITS or isinstance(entry, bool) or not isinstance(entry, int):
            raise DataError(f"{value.name}: {key!r} is not a whole-number limit")
        out[str(key)] = entry
    return out


def parking_types(ctx: StageContext) -> list[ParkingType]:
    """The parking types in force on the assessment date, in listing order (each traced)."""
    names = [p.name.removeprefix(PREFIX) for p in ctx.rules.under(PREFIX.rstrip("."))]
    ranked = sorted(names, key=lambda n: (ORDER.index(n) if n in ORDER else len(ORDER), n))
    found: list[ParkingType] = []
    for short in ranked:
        value = ctx.find(PREFIX + short)
        if value is not None:
            found.append(ParkingType(short.replace("_", "-"), _limits(value)))
    return found


def _comfort(ctx: StageContext) -> tuple[int, int] | None:
    """Side and length clearance for the comfort verdict, or None when not in force."""
    try:
        side = need_int(ctx, "fit.comfort.side_clearance_mm")
        length = need_int(ctx, "fit.comfort.length_clearance_mm")
    except RuleNotInForceError:
        return None
    return side, length


def parking_columns(ctx: StageContext) -> Layers:
    """``parking`` (a list of verdicts) and ``parking_fits`` (ids of the types it fits).

    For many rows each type's verdict is a struct column; for a few rows (``for_rows``) the
    verdicts are one long column (each row repeated once per type, the types' limits gathered
    from literals) reshaped into a list per row: an expression of the same size however many
    types are in force, so quicker to plan. Both give the same lists.
    """
    kinds = parking_types(ctx)
    if not kinds:
        empty = pl.lit([], dtype=pl.List(STRUCT))
        no_ids = pl.lit([], dtype=pl.List(pl.String))
        return [[empty.alias("parking"), no_ids.alias("parking_fits")]]
    clearance = _comfort(ctx)
    if many_rows():
        return _by_type(kinds, clearance)
    long = _Long(kinds)
    verdicts = long.verdicts(clearance).reshape((-1, len(kinds))).arr.to_list()
    flat = pl.col("parking").explode()
    fitting = pl.when(flat.struct.field("fits")).then(flat.struct.field("id"))
    fits = fitting.reshape((-1, len(kinds))).arr.to_list().list.drop_nulls()
    return [[verdicts.alias("parking")], [fits.alias("parking_fits")]]


def _fits_column(index: int) -> str:
    """The temporary column of whether the vehicle fits the ``index``-th type."""
    return f"__fit_parking_{index}_fits"


def _fits(kind: ParkingType) -> pl.Expr:
    """Fits every limit (null when a dimension is unknown and none is known over)."""
    over = [
        (pl.col(column) - kind.limits[key]).cast(pl.Int64) > 0
        for key, (column, _) in LIMITS.items()
        if key in kind.limits
    ]
    return pl.any_horizontal(over).not_()


def _struct(kind: ParkingType, fits: pl.Expr, clearance: tuple[int, int] | None) -> pl.Expr:
    """The verdict for one parking type as a struct expression."""
    excess: dict[str, pl.Expr] = {}
    for key, (column, field) in LIMITS.items():
        if key in kind.limits:
            excess[field] = (pl.col(column) - kind.limits[key]).cast(pl.Int64)
        else:
            excess[field] = pl.lit(None, dtype=pl.Int64)
    if kind.is_open_bay and clearance is not None:
        side_mm, length_mm = clearance
        comfortable = (pl.col("length_mm") + length_mm <= kind.limits["length_mm"]) & (
            pl.col("width_mm") + side_mm <= kind.limits["width_mm"]
        )
    else:
        comfortable = pl.lit(None, dtype=pl.Boolean)
    return pl.struct(
        pl.lit(kind.id).alias("id"),
        fits.alias("fits"),
        *(expr.alias(field) for field, expr in excess.items()),
        comfortable.alias("comfortable"),
    ).cast(STRUCT)


def _by_type(kinds: list[ParkingType], clearance: tuple[int, int] | None) -> Layers:
    """The two columns from one struct per type (cheap per row)."""
    fits = [pl.col(_fits_column(i)) for i in range(len(kinds))]
    verdicts = [_struct(kind, fit, clearance) for kind, fit in zip(kinds, fits, strict=True)]
    ids = [pl.when(fit).then(pl.lit(kind.id)) for kind, fit in zip(kinds, fits, strict=True)]
    return [
        [_fits(kind).alias(_fits_column(i)) for i, kind in enumerate(kinds)],
        [
            pl.concat_arr(verdicts).arr.to_list().alias("parking"),
            text_list(ids).alias("parking_fits"),
        ],
    ]


class _Long:
    """Expressions over rows repeated once per parking type (row-major: a row's types in turn)."""

    def __init__(self, kinds: list[ParkingType]) -> None:
        self.kinds = kinds
        index = pl.int_range(0, pl.len() * len(kinds), dtype=pl.UInt32)
        self.kind, self.row = index % len(kinds), index // len(kinds)

    def per_kind(self, values: list[object], dtype: pl.DataType) -> pl.Expr:
        """One value per type, repeated for every row."""
        return pl.lit(pl.Series(values, dtype=dtype)).gather(self.kind)

    def vehicle(self, column: str) -> pl.Expr:
        """A vehicle column, each row repeated once per type."""
        return pl.col(column).gather(self.row)

    def limit(self, key: str) -> pl.Expr:
        """Each type's limit ``key`` (null where the type has none)."""
        return self.per_kind([k.limits.get(key) for k in self.kinds], pl.Int64())

    def verdicts(self, clearance: tuple[int, int] | None) -> pl.Expr:
        """Each (row, type) verdict as a struct: fits, excess per limit, comfortable."""
        excess: dict[str, pl.Expr] = {}
        over: list[pl.Expr] = []
        for key, (column, field) in LIMITS.items():
            present = [key in k.limits for k in self.kinds]
            if not any(present):
                excess[field] = pl.lit(None, dtype=pl.Int64)
                continue
            excess[field] = (self.vehicle(column) - self.limit(key)).cast(pl.Int64)
            has = self.per_kind(list(present), pl.Boolean())
            over.append(pl.when(has).then(excess[field] > 0).otherwise(pl.lit(False)))
        open_bay = [k.is_open_bay and clearance is not None for k in self.kinds]
        comfortable = pl.lit(None, dtype=pl.Boolean)
        if clearance is not None and any(open_bay):
            side_mm, length_mm = clearance
            room = (self.vehicle("length_mm") + length_mm <= self.limit("length_mm")) & (
                self.vehicle("width_mm") + side_mm <= self.limit("width_mm")
            )
            comfortable = pl.when(self.per_kind(list(open_bay), pl.Boolean())).then(room)
        return pl.struct(
            self.per_kind([k.id for k in self.kinds], pl.String()).alias("id"),
            pl.any_horizontal(over).not_().alias("fits"),
            *(expr.alias(field) for field, expr in excess.items()),
            comfortable.alias("comfortable"),
        ).cast(STRUCT)
