"""Size class (軽 kei / 小型 small / 普通 ordinary) by dimensions and displacement, with reasons.

A vehicle is small when it is within every small-car limit of 道路運送車両法施行規則 別表第一, and
kei when it is also within every kei limit; a known excess decides even when other values are
missing, while a missing value that could change the answer leaves the class null.
"""

from __future__ import annotations

from dataclasses import dataclass

import polars as pl

from jpimport.stages.classify_rules import need, need_int
from jpimport.stages.classify_text import EMPTY_LIST, drop_null_list, int_text, number_text
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


def _applies(limits: Limits) -> pl.Expr:
    """Whether the displacement limit binds the engine: never for an EV; null if fuel unknown."""
    return pl.when(pl.col("powertrain") == "ev").then(pl.lit(False)).otherwise(limits.applies)


def _displacement_over(limits: Limits) -> pl.Expr:
    """True/False/null: the engine is above the limit and the limit binds it."""
    applies = _applies(limits)
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


def _over(limits: Limits) -> pl.Expr:
    """Kleene OR of every excess: True if one is known over, null if one could be."""
    parts = [pl.col(column) > limits.dimension(column) for column, _ in DIMENSIONS]
    return pl.any_horizontal([*parts, _displacement_over(limits)])


def _excess_reasons(limits: Limits) -> pl.Expr:
    """Each limit of ``limits`` the vehicle is known to exceed, as text."""
    items = [
        pl.when(pl.col(column) > limits.dimension(column)).then(
            pl.concat_str(
                pl.lit(f"{word} "),
                int_text(pl.col(column)),
                pl.lit(f" mm > {number_text(limits.dimension(column))} mm {limits.label} limit"),
            )
        )
        for column, word in DIMENSIONS
    ]
    items.append(
        pl.when(_displacement_over(limits)).then(
            pl.concat_str(
                pl.lit("displacement "),
                int_text(pl.col("displacement_cc")),
                pl.lit(f" cc > {number_text(limits.displacement_cc)} cc {limits.label} limit"),
            )
        )
    )
    return drop_null_list(items)


def _missing_reasons(kei: Limits, small: Limits) -> pl.Expr:
    """Columns whose absence leaves the class open, as text."""
    items = [
        pl.when(pl.col(column).is_null()).then(
            pl.lit(f"{column} missing: it could decide the size class")
        )
        for column, _ in DIMENSIONS
    ]
    could_bind = _applies(kei).not_().fill_null(False).not_()
    items.append(
        pl.when(pl.col("displacement_cc").is_null() & could_bind).then(
            pl.lit("displacement_cc missing: it could decide the size class")
        )
    )
    fuel_matters = (
        pl.col("fuel").is_null()
        & (pl.col("powertrain") != "ev").fill_null(True)
        & (pl.col("displacement_cc") > small.displacement_cc)
    )
    items.append(
        pl.when(fuel_matters).then(
            pl.lit("fuel missing: the small-car displacement limit does not bind a diesel")
        )
    )
    return drop_null_list(items)


def size_columns(ctx: StageContext) -> list[pl.Expr]:
    """The ``size_class`` and ``size_class_reasons`` expressions."""
    kei = read_limits(ctx, "kei", "kei")
    small = read_limits(ctx, "small", "small-car")
    over_small, over_kei = _over(small), _over(kei)
    size = (
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
    reasons = (
        pl.when(size == "ordinary")
        .then(_excess_reasons(small))
        .when(size == "small")
        .then(_excess_reasons(kei))
        .when(size == "kei")
        .then(EMPTY_LIST)
        .otherwise(_missing_reasons(kei, small))
    )
    return [size.alias("size_class"), reasons.alias("size_class_reasons")]
