"""The words beside the landed amounts: why an amount is null, and how a row was priced.

Each message has a per-row condition. The conditions are packed into one integer per row (bit i
set when message i applies) and the integer is decoded once per distinct value, so a million
rows cost a handful of list builds, not a million.
"""

from __future__ import annotations

from collections.abc import Sequence

import polars as pl

from jpimport.stages.context import StageContext
from jpimport.stages.costs.landed_chain import Basis
from jpimport.stages.costs.landed_inputs import IMPORTERS, LandedParams

Message = tuple[pl.Expr, str]


def reasons(params: LandedParams, ctx: StageContext) -> list[Message]:
    """Why amounts are null: missing inputs, unknown options, rules not in force."""
    b, imp, on = Basis, Basis.imports, ctx.as_of.isoformat()
    pathway_known = (
        pl.col("pathway_fixed_cost_jpy").is_not_null()
        & pl.col("pathway_unit_cost_jpy").is_not_null()
    )
    rhd_missing = pl.col("rhd_conversion").fill_null(False) & pl.col("rhd_conversion_jpy").is_null()
    found: list[Message] = [
        (
            b.price_basis.is_null(),
            "no price: msrp_usd is missing and no price_usd option is given",
        ),
        (
            b.jp_comparable & pl.col("jp_price_jpy").is_null(),
            "jp_price_jpy is missing for this Japan-built comparable",
        ),
        (
            imp & b.usd_jpy.is_null(),
            f"no exchange rate: no usd_jpy option and no default in force on {on}",
        ),
        (
            imp & ~pl.col("importer").is_in(IMPORTERS).fill_null(False),
            "importer is missing or not manufacturer, independent or individual",
        ),
        (
            imp & b.volume_basis.is_null(),
            "shipping volume unknown: a dimension and the body style are missing",
        ),
        (
            imp & ~pathway_known,
            "route costs unknown: pathway_fixed_cost_jpy or pathway_unit_cost_jpy missing",
        ),
        (
            imp & pl.col("volume").is_null(),
            "volume missing: the route's fixed cost cannot be spread",
        ),
        (
            imp & pl.col("modifications_jpy").is_null(),
            "modifications_jpy missing: the compliance modifications are not costed",
        ),
        (imp & rhd_missing, "RHD conversion asked for, but rhd_conversion_jpy is missing"),
    ]
    found += [(imp, f"{name} is not in force on {on}") for name in params.missing]
    if params.consumption_tax_rate is None:
        found.append((pl.lit(True), f"landed.consumption_tax_rate is not in force on {on}"))
    return found


def notes() -> list[Message]:
    """How each row was priced, in words, for the reader of the output."""
    b, imp = Basis, Basis.imports
    return [
        (
            b.jp_comparable,
            "Japan-built comparable: priced from jp_price_jpy (tax included); no import costs",
        ),
        (
            b.price_basis == "msrp",
            "FOB derived from the U.S. base MSRP (landed.fob_share_of_msrp, by importer)",
        ),
        (
            b.price_basis == "price_usd",
            "price_usd taken as the FOB price at the U.S. port: no U.S. inland freight added",
        ),
        (
            imp & (b.volume_basis == "body_estimate"),
            "shipping volume estimated from the body style (a dimension is missing)",
        ),
        (
            imp & b.business,
            "business importer: the import consumption tax is credited against its sales tax",
        ),
        (
            imp & b.individual,
            "individual importer: bears the import consumption tax; no dealer sale, so "
            "consumption tax is added on the services bought in Japan",
        ),
        (
            imp & pl.col("rhd_conversion").fill_null(False),
            "RHD conversion included at the compliance stage's typical cost",
        ),
    ]


def code(messages: Sequence[Message]) -> pl.Expr:
    """One UInt64 per row with bit i set when message i applies (at most 64 messages)."""
    if len(messages) > 64:
        raise ValueError(f"{len(messages)} messages do not fit one 64-bit code")
    bits = [
        cond.fill_null(False).cast(pl.UInt64) * pl.lit(1 << i, dtype=pl.UInt64)
        for i, (cond, _) in enumerate(messages)
    ]
    return pl.sum_horizontal(bits) if bits else pl.lit(0, dtype=pl.UInt64)


def decode(codes: pl.Series, texts: Sequence[str]) -> pl.Series:
    """The List(String) of messages each row's code stands for, built once per distinct code."""
    dtype = pl.List(pl.String())
    if codes.len() == 1:
        value = codes[0]
        return pl.Series(codes.name, [[t for i, t in enumerate(texts) if value >> i & 1]], dtype)
    distinct = codes.unique().to_list()
    if not distinct:
        return pl.Series(codes.name, [], dtype=dtype)
    lists = [[t for i, t in enumerate(texts) if value >> i & 1] for value in distinct]
    return codes.replace_strict(distinct, lists, return_dtype=dtype)
