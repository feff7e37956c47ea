"""Size class (軽 kei / 小型 small / 普通 ordinary) by dimensions and displacement, with reasons.

A vehicle is small when it is within every small-car limit of 道路運送車両法施行規則 別表第一, and
kei when it is also within every kei limit; a known excess decides even when other values are
missing, while a missing value that could change the answer leaves the class null.
"""

from __future__ import annotations

from dataclasses import dataclass

import polars as pl

from jpimport.stages.classify_plan import Layers
from jpimport.stages.classify_rules import need, need_int
from jpimport.stages.classify_text import int_text, number_text, text_list
from jpimport.stages.context import StageContext

DIMENSIONS = (("length_mm", "length"), ("width_mm", "width"), ("height_mm", "height"))


@dataclass(frozen=True)
class Limits:
    """One size class's limits, read from the rules in force."""

    label: str
    length_mm: int
    width_mm: int
    height_mm: int
    displacement_cc: int
    applies: pl.Expr

    def dimension(self, column: str) -> int:
        """The limit for one dimension column."""
        value: int = getattr(self, column)
        return value


def read_limits(ctx: StageContext, size: str, label: str) -> Limits:
    """The limits of ``size`` (kei or small) in force, each parameter traced."""
    prefix = f"classification.{size}"
    return Limits(
        label=label,
        length_mm=need_int(ctx, f"{prefix}.max_length_mm"),
        width_mm=need_int(ctx, f"{prefix}.max_width_mm"),
        height_mm=need_int(ctx, f"{prefix}.max_height_mm"),
        displacement_cc=need_int(ctx, f"{prefix}.max_displacement_cc"),
        applies=need(ctx, f"{prefix}.displacement_applies").table_expr(pl.col("fuel")),
    )


KEI_APPLIES = "__classify_kei_applies"
SMALL_APPLIES = "__classify_small_applies"
KEI_DISPLACEMENT = "__classify_kei_displacement_over"
SMALL_DISPLACEMENT = "__classify_small_displacement_over"
OVER_KEI = "__classify_over_kei"
OVER_SMALL = "__classify_over_small"

size_col = pl.col("size_class")


def _applies(limits: Limits) -> pl.Expr:
    """Whether the displacement limit binds the engine: never for an EV; null if fuel unknown."""
    return pl.when(pl.col("powertrain") == "ev").then(pl.lit(False)).otherwise(limits.applies)


def _displacement_over(limits: Limits, applies: pl.Expr) -> pl.Expr:
    """True/False/null: the engine is above the limit and the limit binds it."""
    displacement = pl.col("displacement_cc")
    return (
        pl.when(applies.not_())
        .then(pl.lit(False))
        .when(displacement.is_null())
        .then(pl.lit(None, dtype=pl.Boolean))
        .when(displacement <= limits.displacement_cc)
        .then(pl.lit(False))
        .otherwise(applies)
    )


def _over(limits: Limits, displacement_over: pl.Expr) -> pl.Expr:
    """Kleene OR of every excess: True if one is known over, null if one could be."""
    parts = [pl.col(column) > limits.dimension(column) for column, _ in DIMENSIONS]
    return pl.any_horizontal([*parts, displacement_over])


def _size(over_small: pl.Expr, over_kei: pl.Expr) -> pl.Expr:
    """Ordinary over a small-car limit, else kei within every kei limit, else small."""
    return (
        pl.when(over_small)
        .then(pl.lit("ordinary"))
        .when(over_small.is_null())
        .then(pl.lit(None, dtype=pl.String))
        .when(over_kei.not_())
        .then(pl.lit("kei"))
        .when(over_kei)
        .then(pl.lit("small"))
        .otherwise(pl.lit(None, dtype=pl.String))
    )


def _excess(over_small: pl.Expr, over_kei: pl.Expr, what: pl.Expr, small: str, kei: str) -> pl.Expr:
    """The reason an ordinary vehicle exceeds a small-car limit or a small one a kei limit."""
    ordinary = size_col == "ordinary"
    over = pl.when(ordinary).then(over_small).when(size_col == "small").then(over_kei)
    limit = pl.when(ordinary).then(pl.lit(small)).otherwise(pl.lit(kei))
    return pl.when(over).then(pl.concat_str(what, limit))


def _limit_text(unit: str, value: int, limits: Limits) -> str:
    """The rule side of an excess: ' mm > 1,700 mm small-car limit'."""
    return f" {unit} > {number_text(value)} {unit} {limits.label} limit"


def _excess_reasons(kei: Limits, small: Limits) -> list[pl.Expr]:
    """Each limit of the next class down that the vehicle is known to exceed, as text."""
    items: list[pl.Expr] = [
        _excess(
            pl.col(column) > small.dimension(column),
            pl.col(column) > kei.dimension(column),
            pl.concat_str(pl.lit(f"{word} "), int_text(pl.col(column))),
            _limit_text("mm", small.dimension(column), small),
            _limit_text("mm", kei.dimension(column), kei),
        )
        for column, word in DIMENSIONS
    ]
    items.append(
        _excess(
            pl.col(SMALL_DISPLACEMENT),
            pl.col(KEI_DISPLACEMENT),
            pl.concat_str(pl.lit("displacement "), int_text(pl.col("displacement_cc"))),
            _limit_text("cc", small.displacement_cc, small),
            _limit_text("cc", kei.displacement_cc, kei),
        )
    )
    return items


def _missing_reasons(small: Limits) -> list[pl.Expr]:
    """Columns whose absence leaves the class open, as text (only when the class is open)."""
    unknown = size_col.is_null()
    items: list[pl.Expr] = [
        pl.when(unknown & pl.col(column).is_null()).then(
            pl.lit(f"{column} missing: it could decide the size class")
        )
        for column, _ in DIMENSIONS
    ]
    could_bind = pl.col(KEI_APPLIES).not_().fill_null(False).not_()
    items.append(
        pl.when(unknown & pl.col("displacement_cc").is_null() & could_bind).then(
            pl.lit("displacement_cc missing: it could decide the size class")
        )
    )
    fuel_matters = (
        pl.col("fuel").is_null()
        & (pl.col("powertrain") != "ev").fill_null(True)
        & (pl.col("displacement_cc") > small.displacement_cc)
    )
    items.append(
        pl.when(unknown & fuel_matters).then(
            pl.lit("fuel missing: the small-car displacement limit does not bind a diesel")
        )
    )
    return items


def size_columns(ctx: StageContext) -> Layers:
    """The ``size_class`` and ``size_class_reasons`` columns, with their temporaries."""
    kei = read_limits(ctx, "kei", "kei")
    small = read_limits(ctx, "small", "small-car")
    return [
        [_applies(kei).alias(KEI_APPLIES), _applies(small).alias(SMALL_APPLIES)],
        [
            _displacement_over(kei, pl.col(KEI_APPLIES)).alias(KEI_DISPLACEMENT),
            _displacement_over(small, pl.col(SMALL_APPLIES)).alias(SMALL_DISPLACEMENT),
        ],
        [
            _over(kei, pl.col(KEI_DISPLACEMENT)).alias(OVER_KEI),
            _over(small, pl.col(SMALL_DISPLACEMENT)).alias(OVER_SMALL),
        ],
        [_size(pl.col(OVER_SMALL), pl.col(OVER_KEI)).alias("size_class")],
        [
            text_list([*_excess_reasons(kei, small), *_missing_reasons(small)]).alias(
                "size_class_reasons"
            )
        ],
    ]
