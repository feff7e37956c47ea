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

#: The temporary column ``code()`` adds, which ``expressions`` read.
CODE = "__drive_side_code"
COLUMNS: tuple[str, ...] = (
    "drive_side_notes",
    "rhd_conversion_low_jpy",
    "rhd_conversion_jpy",
    "rhd_conversion_high_jpy",
)


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


def code() -> pl.Expr:
    """The row's drive-side facts as one small integer, the column ``CODE``.

    Drive side (0 missing, 1 RHD, 2 LHD, 3 other) × plant builds RHD (0 no, 1 yes, 2 missing)
    × conversion asked for (0/1): everything the notes and costs depend on.
    """
    side = pl.col("drive_side").replace_strict(
        [None, "RHD", "LHD"], [0, 1, 2], default=3, return_dtype=pl.UInt32
    )
    plant = pl.col("rhd_available").cast(pl.UInt32).fill_null(2)
    convert = pl.col("rhd_conversion").fill_null(False).cast(pl.UInt32)
    return (side * 6 + plant * 2 + convert).alias(CODE)


def _cases() -> list[tuple[str | None, bool | None, bool]]:
    """Every (drive side, plant builds RHD, convert) a code stands for, in code order."""
    sides: tuple[str | None, ...] = (None, "RHD", "LHD", "other")
    plants: tuple[bool | None, ...] = (False, True, None)
    return [(s, p, c) for s in sides for p in plants for c in (False, True)]


def _notes(side: str | None, plant: bool | None, convert: bool, texts: list[str]) -> list[str]:
    """The notes for one case; ``texts`` are the per-date legal note, daily uses and cost note."""
    legal, *uses, how = texts
    lhd = side == "LHD"
    notes = []
    if side is None:
        notes.append("Drive side unknown (drive_side missing).")
    if side == "RHD":
        notes.append("Right-hand drive as built: no conversion needed.")
    if lhd:
        notes += [legal, *uses]
        if plant is True:
            notes.append("The plant builds a right-hand-drive version.")
        elif plant is False:
            notes.append("The plant builds no right-hand-drive version.")
        else:
            notes.append("Unknown whether the plant builds RHD (rhd_available missing).")
        if convert:
            notes.append(how)
    return notes


def _cost(side: str | None, convert: bool, amount: int | None) -> int | None:
    """The conversion cost for one case: 0 when not converting or already RHD."""
    if not convert or side == "RHD":
        return 0
    return amount if side == "LHD" else None


def expressions(ctx: StageContext) -> list[pl.Expr]:
    """The drive-side columns for every row, looked up by the column ``CODE``."""
    legal = _legal_note(ctx.find("drive_side.lhd_legal"))
    daily = ctx.find("drive_side.lhd_daily_use")
    uses = list(daily.value.values()) if daily and isinstance(daily.value, Mapping) else []
    with ctx.amount(*COLUMNS[1:]):  # the conversion parameters feed the three cost columns
        low, typical, high, how = _conversion_yen(ctx)
    texts = [legal, *(str(u) for u in uses), how]
    cases = _cases()
    notes = pl.Series([_notes(s, p, c, texts) for s, p, c in cases], dtype=pl.List(pl.String))

    def cost(amount: int | None) -> pl.Expr:
        values = pl.Series([_cost(s, c, amount) for s, _, c in cases], dtype=pl.Int64)
        return pl.lit(values).gather(pl.col(CODE))

    return [
        pl.lit(notes).gather(pl.col(CODE)).alias("drive_side_notes"),
        cost(low).alias("rhd_conversion_low_jpy"),
        cost(typical).alias("rhd_conversion_jpy"),
        cost(high).alias("rhd_conversion_high_jpy"),
    ]
