"""Drive side: what left-hand drive means in Japan, and the optional RHD conversion's cost.

Left-hand drive is legal in Japan, so conversion is a choice (option ``rhd_conversion``). Its
cost is referenced to Australia's factory-backed remanufacture of U.S. pickups, converted from
Australian dollars at a dated exchange-rate parameter. Called from the compliance stage.
"""

from __future__ import annotations

from collections.abc import Mapping

import polars as pl

from jpimport.rules import ParameterValue, Range
from jpimport.stages.context import StageContext

COLUMNS: tuple[str, ...] = (
    "drive_side_notes",
    "rhd_conversion_low_jpy",
    "rhd_conversion_jpy",
    "rhd_conversion_high_jpy",
)


def _note(when: pl.Expr, text: str | pl.Expr) -> pl.Expr:
    """A note shown on the rows where ``when`` holds."""
    value = pl.lit(text) if isinstance(text, str) else text
    return pl.when(when).then(value).otherwise(pl.lit(None, pl.String))


def _legal_note(value: ParameterValue | None) -> str:
    """Whether LHD may be registered, from the dated rule."""
    if value is None:
        return "Whether left-hand drive may be registered is not known for this date."
    if value.value is True:
        return "Left-hand drive is legal to register and drive in Japan; conversion is optional."
    return "Left-hand drive may not be registered on this date."


def _conversion_yen(ctx: StageContext) -> tuple[int | None, int | None, int | None, str]:
    """The conversion cost in yen (low, typical, high) and a sentence saying how it was made."""
    aud = ctx.find("drive_side.rhd_remanufacture_aud")
    rate = ctx.find("drive_side.aud_jpy")
    if aud is None or rate is None or not isinstance(aud.value, Range):
        return (None, None, None, "No RHD-conversion estimate is in force for this date.")
    yen_per_aud = rate.value
    assert isinstance(yen_per_aud, int | float)
    r = aud.value
    low, typical, high = (round(r.part(p) * yen_per_aud) for p in ("low", "typical", "high"))
    how = (
        f"RHD conversion estimate ¥{low:,}–¥{high:,} (typical ¥{typical:,}): "
        f"AUD {r.low:,}–{r.high:,} at ¥{yen_per_aud} per AUD ({rate.start}), referenced to "
        "Australia's factory remanufacture (F-150 by RMA: about 500 parts, 22 hours; RAM by "
        "Walkinshaw: about 85 man-hours); a one-off conversion in Japan is likely dearer "
        "(UNCONFIRMED). Whether a converted vehicle stays within a U.S.-based certification "
        "is UNCONFIRMED."
    )
    return (low, typical, high, how)


def expressions(ctx: StageContext) -> list[pl.Expr]:
    """The drive-side columns for every row."""
    legal = _legal_note(ctx.find("drive_side.lhd_legal"))
    daily = ctx.find("drive_side.lhd_daily_use")
    uses = list(daily.value.values()) if daily and isinstance(daily.value, Mapping) else []
    low, typical, high, how = _conversion_yen(ctx)
    side = pl.col("drive_side")
    lhd = side == "LHD"
    rhd_plant = pl.col("rhd_available")
    convert = pl.col("rhd_conversion").fill_null(False)
    notes = [
        _note(side.is_null(), "Drive side unknown (drive_side missing)."),
        _note(side == "RHD", "Right-hand drive as built: no conversion needed."),
        _note(lhd, legal),
        *(_note(lhd, str(u)) for u in uses),
        _note(lhd & rhd_plant.eq(True), "The plant builds a right-hand-drive version."),
        _note(lhd & rhd_plant.eq(False), "The plant builds no right-hand-drive version."),
        _note(
            lhd & rhd_plant.is_null(),
            "Unknown whether the plant builds RHD (rhd_available missing).",
        ),
        _note(lhd & convert, how),
    ]

    def cost(value: int | None) -> pl.Expr:
        amount = pl.lit(value, pl.Int64)
        return (
            pl.when(convert.not_() | (side == "RHD"))
            .then(pl.lit(0, pl.Int64))
            .when(lhd)
            .then(amount)
            .otherwise(pl.lit(None, pl.Int64))
        )

    return [
        pl.concat_list(notes).list.drop_nulls().alias("drive_side_notes"),
        cost(low).alias("rhd_conversion_low_jpy"),
        cost(typical).alias("rhd_conversion_jpy"),
        cost(high).alias("rhd_conversion_high_jpy"),
    ]
