"""Sub-stage ``costs.landed``: what a vehicle costs landed in Japan, and its retail price.

FOB (from the U.S. base MSRP, or the ``price_usd`` option) → U.S. inland and Ro-Ro ocean freight
→ marine insurance → CIF → customs duty and import consumption tax (credited back for a business
importer) → port handling and brokerage → the route's costs, compliance modifications, optional
RHD conversion, PDI → landed total → dealer margin and consumption tax → retail price. A
Japan-built comparable is priced from its Japanese retail price instead. Every amount is Int64
yen, null with a reason in ``landed_reasons`` when an input or a parameter is missing.
"""

from __future__ import annotations

import functools
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import polars as pl

from jpimport.rules.model import Part
from jpimport.stages.classify_plan import Plan, collect, memo_key
from jpimport.stages.context import StageContext
from jpimport.stages.costs import landed_messages as messages
from jpimport.stages.costs.landed_chain import (
    CARRIED,
    IMPORT_BASES,
    basis_steps,
    chain_steps,
    part_columns,
    price_basis,
)
from jpimport.stages.costs.landed_inputs import (
    BUSINESS_IMPORTERS,
    INPUT_SCHEMA,
    LandedParams,
    with_inputs,
)

NAME = "landed"
COSTS = "costs"

#: The chain's outputs kept at the typical point, in order (docs/stages.md, costs → landed).
AMOUNTS = (
    "fob_usd",
    "fob_jpy",
    "inland_freight_jpy",
    "ocean_freight_jpy",
    "freight_jpy",
    "insurance_jpy",
    "cif_jpy",
    "customs_value_jpy",
    "duty_jpy",
    "import_tax_base_jpy",
    "import_consumption_tax_national_jpy",
    "import_consumption_tax_local_jpy",
    "import_consumption_tax_jpy",
    "import_tax_credit_jpy",
    "port_charges_jpy",
    "customs_brokerage_jpy",
    "port_handling_jpy",
    "pathway_jpy",
    "landed_rhd_conversion_jpy",
    "pdi_jpy",
    "landed_total_jpy",
    "dealer_margin_jpy",
    "retail_consumption_tax_jpy",
    "retail_price_ex_tax_jpy",
    "retail_price_jpy",
    "shipping_volume_m3",
)
#: Totals also given at the low and high ends of the estimate ranges.
RANGED = ("landed_total_jpy", "retail_price_jpy")
MODIFICATIONS = ("modifications_low_jpy", "modifications_jpy", "modifications_high_jpy")
PARTS: tuple[Part, ...] = ("typical", "low", "high")
ENDS: tuple[Part, ...] = ("low", "high")


#: The outputs read from the typical rows, before the range totals and the messages.
TYPICAL = ("price_basis", "usd_jpy_used", *AMOUNTS, "shipping_volume_basis")
CODES = ("__reasons", "__notes")


@dataclass(frozen=True)
class LandedPlan:
    """The chain for one date and kind of rows, and the texts of the message bits.

    ``basis`` runs over the input rows; ``parts`` are the selects that stack them once per part
    of the ranges (typical, low, high, in that order); ``chain`` runs over the stacked rows.
    """

    basis: Plan
    parts: tuple[tuple[pl.Expr, ...], ...]
    chain: Plan
    reasons: tuple[str, ...]
    notes: tuple[str, ...]

    def query(self, source: pl.DataFrame) -> pl.LazyFrame:
        """The stacked rows (typical, then low, then high) with every amount of the chain.

        ``source`` holds the input columns (``landed_inputs.INPUT_SCHEMA``).
        """
        base = self.basis.lazy(source).cache()
        stacked = pl.concat([base.select(part) for part in self.parts])
        return self.chain.lazy(stacked).select([*TYPICAL, *CODES])


def run(frame: pl.DataFrame, ctx: StageContext) -> pl.DataFrame:
    """Add the landed-cost and retail-price columns to every row (vectorised, one query)."""
    source = with_inputs(frame)
    inputs = pl.DataFrame([source.get_column(name) for name in INPUT_SCHEMA])
    imports, sales = _needs(inputs)
    key = memo_key(ctx, f"{COSTS}.{NAME}|imports={imports}|sales={sales}")
    built = ctx.memo(key, lambda c: build(c, imports=imports, sales=sales))
    stacked = collect(built.query(inputs))
    rows = frame.height
    typical = stacked.slice(0, rows)
    ends = {part: stacked.slice(rows * (i + 1), rows) for i, part in enumerate(ENDS)}
    added = [
        *(typical[name] for name in TYPICAL),
        *(ends[part][name].alias(ranged(name, part)) for part in ENDS for name in RANGED),
        messages.decode(typical["__reasons"], built.reasons).alias("landed_reasons"),
        messages.decode(typical["__notes"], built.notes).alias("landed_notes"),
    ]
    names = {s.name for s in added}
    columns = frame.columns
    kept = frame if names.isdisjoint(columns) else frame.drop([c for c in columns if c in names])
    missing = [source[c] for c in MODIFICATIONS if c not in columns]
    return kept.hstack([*missing, *added])


def build(ctx: StageContext, *, imports: bool, sales: bool) -> LandedPlan:
    """The chain for rows that import (or not) and sell (or not), from the rules in force."""
    params = LandedParams.load(ctx, imports=imports, sales=sales)
    reasons, notes = messages.reasons(params, ctx), messages.notes()
    basis = basis_steps(params)
    basis.append([messages.code(reasons).alias(CODES[0]), messages.code(notes).alias(CODES[1])])
    carried = [pl.col(name) for name in (*CARRIED, *CODES)]
    parts = tuple((*carried, *part_columns(params, part)) for part in PARTS)
    texts = tuple(text for _, text in reasons), tuple(text for _, text in notes)
    steps = chain_steps(params)
    ctx.link_exprs(e for step in (*basis, parts[0], *steps) for e in step)
    for name in RANGED:  # the ends of the ranges run the same chain on the ends' estimates
        for end in ENDS:
            ctx.link(ranged(name, end), (name,))
    chain = Plan.of(steps, TYPICAL)
    return LandedPlan(Plan.of(basis, ()), parts, chain, *texts)


def ranged(name: str, part: Part) -> str:
    """The column of a total at one end of the ranges: ``landed_total_low_jpy``."""
    return name.removesuffix("_jpy") + f"_{part}_jpy"


def _needs(source: pl.DataFrame) -> tuple[bool, bool]:
    """Whether any row imports (import parameters needed) and any imports for sale (margins)."""
    imports, sales = source.select(_need_exprs()).row(0)
    return bool(imports), bool(sales)


@functools.cache
def _need_exprs() -> tuple[pl.Expr, pl.Expr]:
    """The two questions of ``_needs`` as aggregate expressions (built once)."""
    _, start = price_basis()
    imports = start.is_in(IMPORT_BASES).fill_null(False)
    business = pl.col("importer").is_in(BUSINESS_IMPORTERS).fill_null(False)
    return imports.any().alias("imports"), (imports & business).any().alias("sales")


def to_json(row: Mapping[str, Any]) -> dict[str, Any]:
    """The landed, retail and assumption keys of ``costs`` for one assessed row."""
    jp = row.get("price_basis") == "jp_price"

    def get(name: str) -> Any:
        return None if jp and name in MODIFICATIONS else row.get(name)

    landed = {
        "fob_jpy": get("fob_jpy"),
        "inland_freight_jpy": get("inland_freight_jpy"),
        "ocean_freight_jpy": get("ocean_freight_jpy"),
        "freight_jpy": get("freight_jpy"),
        "insurance_jpy": get("insurance_jpy"),
        "cif_jpy": get("cif_jpy"),
        "duty_jpy": get("duty_jpy"),
        "import_consumption_tax_jpy": get("import_consumption_tax_jpy"),
        "import_consumption_tax_parts_jpy": {
            "national": get("import_consumption_tax_national_jpy"),
            "local": get("import_consumption_tax_local_jpy"),
            "tax_base": get("import_tax_base_jpy"),
        },
        "import_tax_credit_jpy": get("import_tax_credit_jpy"),
        "port_handling_jpy": get("port_handling_jpy"),
        "port_handling_parts_jpy": {
            "port_charges": get("port_charges_jpy"),
            "customs_brokerage": get("customs_brokerage_jpy"),
        },
        "pathway_jpy": get("pathway_jpy"),
        "modifications_jpy": get("modifications_jpy"),
        "modifications_range_jpy": {
            "low": get("modifications_low_jpy"),
            "high": get("modifications_high_jpy"),
        },
        "rhd_conversion_jpy": get("landed_rhd_conversion_jpy"),
        "pdi_jpy": get("pdi_jpy"),
        "total_jpy": get("landed_total_jpy"),
        "total_range_jpy": {
            "low": get("landed_total_low_jpy"),
            "high": get("landed_total_high_jpy"),
        },
    }
    retail = {
        "landed_total_jpy": get("landed_total_jpy"),
        "dealer_margin_jpy": get("dealer_margin_jpy"),
        "consumption_tax_jpy": get("retail_consumption_tax_jpy"),
        "total_jpy": get("retail_price_jpy"),
        "total_ex_tax_jpy": get("retail_price_ex_tax_jpy"),
        "total_range_jpy": {
            "low": get("retail_price_low_jpy"),
            "high": get("retail_price_high_jpy"),
        },
    }
    assumptions = {
        "usd_jpy": get("usd_jpy_used"),
        "price_basis": get("price_basis"),
        "fob_usd": get("fob_usd"),
        "importer": get("importer"),
        "volume": get("volume"),
        "rhd_conversion": get("rhd_conversion"),
        "shipping_volume_m3": get("shipping_volume_m3"),
        "shipping_volume_basis": get("shipping_volume_basis"),
    }
    return {
        "landed": landed,
        "retail_price_jpy": get("retail_price_jpy"),
        "retail": retail,
        "assumptions": assumptions,
        "landed_reasons": list(row.get("landed_reasons") or []),
        "landed_notes": list(row.get("landed_notes") or []),
    }
