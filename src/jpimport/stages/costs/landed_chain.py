"""The landed-cost chain as Polars expressions: FOB → CIF → duty and tax → landed → retail.

The chain is a list of steps; each step's expressions read only columns made by earlier steps,
so the frame computes it column by column for every row at once (no per-row Python, and no
expression tree that repeats its inputs). The parts of the estimate ranges (typical, low, high)
are rows of one stacked frame, each with its own ``part_columns``, so the chain is built once
and runs over all three. A USD amount becomes yen at ``usd_jpy_used``, rounded half up.
"""

from __future__ import annotations

from collections.abc import Callable
from fractions import Fraction

import polars as pl

from jpimport.rules.model import Part
from jpimport.rules.rounding import CUSTOMS_TAX_AMOUNT, CUSTOMS_TAX_BASE
from jpimport.stages.costs import landed_tax as tax
from jpimport.stages.costs.landed_inputs import BUSINESS_IMPORTERS, LandedParams

MM3_PER_M3 = 1_000_000_000
IMPORT_BASES = ("msrp", "price_usd")
Step = list[pl.Expr]


def yen(amount: pl.Expr) -> pl.Expr:
    """A non-negative amount as integer yen, rounded half up (not a legal rounding: estimates)."""
    return (amount + 0.5).floor().cast(pl.Int64)


def price_basis() -> tuple[pl.Expr, pl.Expr]:
    """Whether each row is a Japan-built comparable, and the price it starts from.

    A Japan-built comparable (built in Japan, or priced in Japan and built outside the U.S.)
    starts from ``jp_price_jpy``; otherwise a ``price_usd`` option wins over the MSRP. An
    unknown plant counts as not Japan-built, since jpimport plans imports.
    """
    plant = pl.col("plant_country")
    built_elsewhere = plant.is_not_null() & (plant != "US")
    jp = ((plant == "JP") | (pl.col("jp_price_jpy").is_not_null() & built_elsewhere)).fill_null(
        False
    )
    start = (
        pl.when(jp)
        .then(pl.lit("jp_price"))
        .when(pl.col("price_usd").is_not_null())
        .then(pl.lit("price_usd"))
        .when(pl.col("msrp_usd").is_not_null())
        .then(pl.lit("msrp"))
        .otherwise(pl.lit(None, dtype=pl.String))
    )
    return jp, start


class Basis:
    """Per-row facts every part of the chain shares: the columns ``basis_steps`` makes."""

    jp_comparable = pl.col("__jp")
    price_basis = pl.col("price_basis")
    imports = pl.col("__imports")
    usd_jpy = pl.col("usd_jpy_used")
    business = pl.col("__business")
    individual = pl.col("__individual")
    dims_m3 = pl.col("__dims_m3")
    volume_basis = pl.col("shipping_volume_basis")


def basis_steps(params: LandedParams) -> list[Step]:
    """Price basis, exchange rate, importer kind and measured volume for each row."""
    jp, start = price_basis()
    importer = pl.col("importer")
    dims = [pl.col(c).cast(pl.Float64) for c in ("length_mm", "width_mm", "height_mm")]
    first = [
        jp.alias("__jp"),
        start.alias("price_basis"),
        start.is_in(IMPORT_BASES).fill_null(False).alias("__imports"),
        importer.is_in(BUSINESS_IMPORTERS).fill_null(False).alias("__business"),
        (importer == "individual").fill_null(False).alias("__individual"),
        (dims[0] * dims[1] * dims[2] / MM3_PER_M3).round(2).alias("__dims_m3"),
    ]
    b = Basis
    with params.feeding("usd_jpy_used"):
        default_rate = params.scalar(params.usd_jpy)
    with params.feeding("shipping_volume_basis"):
        body_known = params.by_key(params.volume_by_body, pl.col("body"), "typical").is_not_null()
    second = [
        pl.when(b.imports).then(pl.coalesce(pl.col("usd_jpy"), default_rate)).alias("usd_jpy_used"),
        pl.when(b.imports & b.dims_m3.is_not_null())
        .then(pl.lit("dimensions"))
        .when(b.imports & body_known)
        .then(pl.lit("body_estimate"))
        .otherwise(pl.lit(None, dtype=pl.String))
        .alias("shipping_volume_basis"),
    ]
    return [first, second]


def _suffix(part: Part) -> str:
    """The input-column suffix of a part: the typical point has none (``_low``, ``_high``)."""
    return "" if part == "typical" else f"_{part}"


class PartInputs:
    """The chain's inputs that differ between the parts of the ranges: ``part_columns``."""

    share = pl.col("__share")
    body_m3 = pl.col("__body_m3")
    ocean_rate = pl.col("__ocean_rate")
    inland_rate = pl.col("__inland_rate")
    premium_rate = pl.col("__premium_rate")
    port = pl.col("__port")
    brokerage = pl.col("__brokerage")
    pdi = pl.col("__pdi")
    margin_rate = pl.col("__margin_rate")
    modifications = pl.col("__modifications")
    rhd_cost = pl.col("__rhd_cost")


#: Columns every part of the chain reads as they are (the basis and the plain inputs).
CARRIED = (
    "__jp",
    "price_basis",
    "__imports",
    "usd_jpy_used",
    "__business",
    "__individual",
    "__dims_m3",
    "shipping_volume_basis",
    "importer",
    "price_usd",
    "msrp_usd",
    "jp_price_jpy",
    "pathway_fixed_cost_jpy",
    "pathway_unit_cost_jpy",
    "volume",
    "rhd_conversion",
)


def part_columns(params: LandedParams, part: Part) -> list[pl.Expr]:
    """The inputs of one part of the ranges (``PartInputs``): its estimates and table entries.

    Each is built inside a scope of its own column, so the parameters it takes feed it.
    """
    importer = pl.col("importer")
    made: dict[str, Callable[[], pl.Expr]] = {
        "__share": lambda: params.by_key(params.fob_share, importer, part),
        "__body_m3": lambda: params.by_key(params.volume_by_body, pl.col("body"), part),
        "__ocean_rate": lambda: params.by_key(params.ocean_rate_usd, importer, part),
        "__inland_rate": lambda: params.by_key(params.inland_usd, importer, part),
        "__premium_rate": lambda: (
            params.estimate(params.insurance_rate, part) * params.scalar(params.insured_share)
        ),
        "__port": lambda: yen(params.estimate(params.port_handling, part)),
        "__brokerage": lambda: yen(params.estimate(params.customs_brokerage, part)),
        "__pdi": lambda: yen(params.estimate(params.pdi, part)),
        "__margin_rate": lambda: params.by_key(params.dealer_margin, importer, part),
        "__modifications": lambda: pl.col(f"modifications{_suffix(part)}_jpy"),
        "__rhd_cost": lambda: pl.col(f"rhd_conversion{_suffix(part)}_jpy"),
    }
    columns = []
    for name, make in made.items():
        with params.feeding(name):
            columns.append(make().alias(name))
    return columns


#: The columns each tax rate and legal rounding rule of the chain goes into.
RATE_COLUMNS = {
    "duty": ("duty_jpy",),
    "national": ("import_consumption_tax_national_jpy", "import_consumption_tax_local_jpy"),
    "local": ("import_consumption_tax_local_jpy",),
    "sales": ("retail_consumption_tax_jpy", "retail_price_ex_tax_jpy"),
}
ROUNDING_COLUMNS = {
    CUSTOMS_TAX_BASE.name: ("customs_value_jpy", "import_tax_base_jpy"),
    CUSTOMS_TAX_AMOUNT.name: (
        "duty_jpy",
        "import_consumption_tax_national_jpy",
        "import_consumption_tax_local_jpy",
    ),
}


def _rates(params: LandedParams) -> dict[str, Fraction | None]:
    """The chain's tax rates as exact fractions, each attributed to the columns it goes into."""
    values = {
        "duty": params.duty_rate,
        "national": params.national_rate,
        "local": params.local_rate,
        "sales": params.consumption_tax_rate,
    }
    rates = {}
    for key, value in values.items():
        with params.feeding(*RATE_COLUMNS[key]):
            rates[key] = params.fraction(value)
    for name, columns in ROUNDING_COLUMNS.items():
        if name in params.ctx.used:
            with params.feeding(*columns):
                params.ctx.attribute(name)
    return rates


def chain_steps(params: LandedParams) -> list[Step]:
    """Every amount of the chain, as ordered steps of columns, for rows of any part."""
    b, p = Basis, PartInputs
    c = pl.col
    fx, imports = b.usd_jpy, pl.when(b.imports)
    inland_usd = (
        pl.when(b.price_basis == "msrp")
        .then(p.inland_rate)
        .when(b.price_basis == "price_usd")
        .then(pl.lit(0.0))
    )
    fixed, units = pl.col("pathway_fixed_cost_jpy"), pl.col("volume")
    rates = _rates(params)
    jp_price = pl.col("jp_price_jpy")
    return [
        [
            pl.when(b.price_basis == "price_usd")
            .then(pl.col("price_usd"))
            .when(b.price_basis == "msrp")
            .then(pl.col("msrp_usd").cast(pl.Float64) * p.share)
            .round(2)
            .alias("fob_usd"),
            inland_usd.alias("__inland_usd"),
            imports.then(pl.coalesce(b.dims_m3, p.body_m3)).alias("shipping_volume_m3"),
        ],
        [
            yen(c("fob_usd") * fx).alias("fob_jpy"),
            yen(c("__inland_usd") * fx).alias("inland_freight_jpy"),
            yen(c("shipping_volume_m3") * p.ocean_rate * fx).alias("ocean_freight_jpy"),
        ],
        [(c("inland_freight_jpy") + c("ocean_freight_jpy")).alias("freight_jpy")],
        [
            yen(p.premium_rate * (c("fob_jpy") + c("freight_jpy")).cast(pl.Float64)).alias(
                "insurance_jpy"
            )
        ],
        [(c("fob_jpy") + c("freight_jpy") + c("insurance_jpy")).alias("cif_jpy")],
        [tax.customs_value(c("cif_jpy")).alias("customs_value_jpy")],
        [tax.duty(c("customs_value_jpy"), rates["duty"]).alias("duty_jpy")],
        [
            tax.consumption_tax_base(c("customs_value_jpy"), c("duty_jpy")).alias(
                "import_tax_base_jpy"
            )
        ],
        [
            tax.national_tax(c("import_tax_base_jpy"), rates["national"]).alias(
                "import_consumption_tax_national_jpy"
            )
        ],
        [
            tax.local_tax(
                c("import_consumption_tax_national_jpy"), rates["national"], rates["local"]
            ).alias("import_consumption_tax_local_jpy"),
            imports.then(p.port).alias("port_charges_jpy"),
            imports.then(p.brokerage).alias("customs_brokerage_jpy"),
            # the route's fixed cost spread over the planned volume, rounded up, plus its unit cost
            imports.then((fixed + units - 1) // units + pl.col("pathway_unit_cost_jpy")).alias(
                "pathway_jpy"
            ),
            imports.then(p.modifications).alias("__modifications_jpy"),
            imports.then(pl.when(pl.col("rhd_conversion")).then(p.rhd_cost).otherwise(pl.lit(0)))
            .cast(pl.Int64)
            .alias("landed_rhd_conversion_jpy"),
            imports.then(p.pdi).alias("pdi_jpy"),
        ],
        [
            (
                c("import_consumption_tax_national_jpy") + c("import_consumption_tax_local_jpy")
            ).alias("import_consumption_tax_jpy"),
            (c("port_charges_jpy") + c("customs_brokerage_jpy")).alias("port_handling_jpy"),
        ],
        [
            pl.when(b.business)
            .then(-c("import_consumption_tax_jpy"))
            .when(b.individual)
            .then(c("import_consumption_tax_jpy") * 0)
            .alias("import_tax_credit_jpy"),
            pl.sum_horizontal(
                c("port_handling_jpy"),
                c("pathway_jpy"),
                c("__modifications_jpy"),
                c("landed_rhd_conversion_jpy"),
                c("pdi_jpy"),
                ignore_nulls=False,
            ).alias("__domestic_jpy"),
        ],
        [
            pl.sum_horizontal(
                c("cif_jpy"),
                c("duty_jpy"),
                c("import_consumption_tax_jpy"),
                c("import_tax_credit_jpy"),
                c("__domestic_jpy"),
                ignore_nulls=False,
            ).alias("landed_total_jpy")
        ],
        [
            pl.when(b.business)
            .then(yen(c("landed_total_jpy").cast(pl.Float64) * p.margin_rate / (1 - p.margin_rate)))
            .when(b.individual)
            .then(c("landed_total_jpy") * 0)
            .alias("dealer_margin_jpy")
        ],
        [
            pl.when(b.business)
            .then(tax.times(c("landed_total_jpy") + c("dealer_margin_jpy"), rates["sales"]))
            .when(b.individual)  # no sale: tax on the services the individual buys in Japan
            .then(tax.times(c("__domestic_jpy"), rates["sales"]))
            .alias("retail_consumption_tax_jpy")
        ],
        [
            pl.when(b.jp_comparable)
            .then(jp_price)
            .otherwise(
                c("landed_total_jpy") + c("dealer_margin_jpy") + c("retail_consumption_tax_jpy")
            )
            .alias("retail_price_jpy"),
            pl.when(b.jp_comparable)
            .then(jp_price - tax.tax_included(jp_price, rates["sales"]))
            .otherwise(c("landed_total_jpy") + c("dealer_margin_jpy"))
            .alias("retail_price_ex_tax_jpy"),
        ],
    ]
