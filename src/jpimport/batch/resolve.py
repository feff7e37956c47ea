"""Input rows → vehicles: a VIN, else a catalog id, else the canonical columns, per row.

Precedence (issue 5): a ``vin`` is decoded and matched to its best catalog entry; else a known
``id`` takes the catalog row; else the canonical columns are the vehicle. Any non-null
canonical column in the input overrides the catalog's value, and any option column overrides
the run's default for that row. A row that cannot be used gets an error naming the column,
never an exception: every step is a Polars expression or a join.
"""

from __future__ import annotations

from functools import cache
from typing import Any

import polars as pl

from jpimport.batch.specs import option_specs, parse, vehicle_specs
from jpimport.batch.vins import VIN_COLUMN, normalized, resolve_vins
from jpimport.options import OPTION_SCHEMA, AssessOptions
from jpimport.vehicles.schema import FRAME_SCHEMA
from jpimport.vehicles.vehicle import EXTRA_SCHEMA

ERROR = "_jpb_error"
KIND = "_jpb_kind"

#: Columns the resolution adds to the output, beside ``status`` and ``error``.
RESOLUTION_SCHEMA: dict[str, pl.DataType] = {
    "vehicle_id": pl.String(),
    "vehicle_source": pl.String(),
    "vin_match_confidence": pl.Float64(),
}

#: Error kinds, in the order that decides a row's kind when several things are wrong.
KINDS = ("vin", "unknown_id", "missing_columns", "invalid_value")

#: Option fields applied to the vehicle columns here, so a per-row value can win.
_VEHICLE_OPTIONS = ("declared_payload_kg", "manufactured")


def used_columns() -> frozenset[str]:
    """Every input column the resolution reads."""
    return frozenset({VIN_COLUMN, *vehicle_specs(), *option_specs()})


def input_warnings(columns: list[str]) -> list[str]:
    """Warnings about input columns that are passed through but not used."""
    known = used_columns()
    lowered = {name.lower(): name for name in known}
    warnings = []
    for column in columns:
        if column in known:
            continue
        hint = lowered.get(column.strip().lower())
        also = f"; did you mean {hint!r}?" if hint else ""
        warnings.append(
            f"column {column!r} is not a vehicle or option column: kept, not used{also}"
        )
    return warnings


def stage_options(options: AssessOptions) -> AssessOptions:
    """The options handed to ``run_stages`` once the vehicle overrides are applied per row."""
    return options.model_copy(update=dict.fromkeys(_VEHICLE_OPTIONS))


@cache
def _catalog() -> pl.DataFrame:
    """The catalog's vehicle columns, keyed by id, with the join columns renamed."""
    from jpimport.vehicles.catalog import load_catalog

    # The source notes (kilobytes per vehicle) are for people: no stage reads them and the
    # output leaves them out, so the batch does not copy them into every row.
    frame = load_catalog().drop("sources")
    return frame.rename({c: f"_jpb_cat_{c}" for c in frame.columns if c != "id"}).rename(
        {"id": "_jpb_base_id"}
    )


def _parsed(raw: pl.DataFrame, options: AssessOptions) -> tuple[pl.DataFrame, list[pl.Expr]]:
    """Parse the vin, vehicle and option columns present; return them and their error columns."""
    schema = raw.schema
    columns: list[pl.Series] = []
    errors: list[pl.Series] = []
    given: list[pl.Series] = []
    for name, spec in {**vehicle_specs(), **option_specs()}.items():
        if name not in schema:
            continue
        parsed = parse(spec, raw.get_column(name))
        columns.append(parsed.value.alias(f"_jpb_in_{name}"))
        if parsed.error is not None:
            errors.append(parsed.error.alias(f"_jpb_err_{name}"))
        if name in vehicle_specs() and name != "id":
            given.append(parsed.present.alias(name))
    n = raw.height
    if VIN_COLUMN in schema:
        vin = raw.select(normalized(pl.col(VIN_COLUMN))).to_series()
    else:
        vin = pl.repeat(None, n, dtype=pl.String, eager=True)
    if given:
        has_columns = pl.DataFrame(given).select(pl.any_horizontal(pl.all())).to_series()
    else:
        has_columns = pl.repeat(False, n, eager=True)
    as_of = pl.col("_jpb_in_as_of") if "as_of" in schema else pl.lit(None, pl.Date)
    frame = pl.DataFrame(
        [vin.alias("_jpb_vin"), has_columns.alias("_jpb_has_columns"), *columns, *errors]
    ).with_columns(as_of.fill_null(options.as_of).alias("_jpb_as_of"))
    vins = resolve_vins(frame.get_column("_jpb_vin"), frame.get_column("_jpb_as_of"))
    return frame.hstack(vins), [pl.col(e.name) for e in errors]


def _source(frame: pl.DataFrame) -> pl.DataFrame:
    """Decide each row's source and base catalog id, and the errors of identity."""
    ids = _catalog().get_column("_jpb_base_id")
    id_text = pl.col("_jpb_in_id") if "_jpb_in_id" in frame.columns else pl.lit(None, pl.String)
    has_vin = pl.col("_jpb_vin").is_not_null()
    known = id_text.is_in(ids.implode()).fill_null(False)
    has_columns = pl.col("_jpb_has_columns")
    unknown = has_vin.not_() & id_text.is_not_null() & known.not_() & has_columns.not_()
    missing = has_vin.not_() & id_text.is_null() & has_columns.not_()
    return frame.with_columns(
        pl.when(has_vin).then(pl.col("vin_id")).when(known).then(id_text).alias("_jpb_base_id"),
        pl.when(has_vin)
        .then(pl.lit("vin"))
        .when(known)
        .then(pl.lit("catalog"))
        .when(has_columns)
        .then(pl.lit("columns"))
        .alias("vehicle_source"),
        pl.when(has_vin).then(pl.col("vin_id")).otherwise(id_text).alias("vehicle_id"),
        pl.when(has_vin).then(pl.col("vin_confidence")).alias("vin_match_confidence"),
        pl.when(unknown)
        .then(pl.format("column id: no catalog entry '{}' (see `jpimport catalog list`)", id_text))
        .alias("_jpb_err_unknown_id"),
        pl.when(missing)
        .then(pl.lit("row has no vin, no id and no vehicle columns"))
        .alias("_jpb_err_missing"),
    )


def _vehicle_columns(frame: pl.DataFrame, options: AssessOptions) -> list[pl.Expr]:
    """The VehicleFrame columns: the input's value, else the option's, else the catalog's."""
    present = set(frame.columns)

    def given(name: str) -> pl.Expr | None:
        column = f"_jpb_in_{name}"
        return pl.col(column) if column in present else None

    exprs: list[pl.Expr] = []
    for name, dtype in FRAME_SCHEMA.items():
        if name == "id":
            exprs.append(pl.col("vehicle_id").alias("id"))
            continue
        layers = [given(name)]
        if name == "declared_payload_kg":
            layers.append(pl.lit(options.declared_payload_kg, pl.Int64))
        if name == "manufacture_date":
            layers = [given("manufactured"), given(name), pl.lit(options.manufactured, pl.String)]
        layers.append(pl.col(f"_jpb_cat_{name}"))
        chosen = [layer for layer in layers if layer is not None]
        exprs.append(pl.coalesce(chosen).cast(dtype).alias(name))
    exprs += [
        pl.col("_jpb_cat_verified_on").alias("verified_on"),
        pl.col("_jpb_estimated").alias("estimated"),
        pl.lit("{}", EXTRA_SCHEMA["sources"]).alias("sources"),
    ]
    return exprs


@cache
def _catalog_estimated_sorted() -> bool:
    """Whether every catalog ``estimated`` list is sorted without repeats (so removing names
    in order leaves each list sorted, and ``_remove_in_order`` gives what a set difference
    and a sort would)."""
    lists = _catalog().get_column("_jpb_cat_estimated").to_list()
    return all(
        None not in items and items == sorted(set(items)) for items in lists if items is not None
    )


def _remove_in_order(given: pl.DataFrame, overridden: pl.Expr) -> pl.Series:
    """``_jpb_est`` of each row without the ``overridden`` names, in the list's own order.

    Done on the exploded items with an anti-join: ``list.set_difference`` does not keep the
    order and ``list.sort`` costs about 15 µs a row (48 ms for 3,000 short lists, most of
    resolving a chunk); this is a few milliseconds.
    """
    rows = given.with_row_index("_jpb_r")
    items = rows.select("_jpb_r", "_jpb_est").explode("_jpb_est")
    drop = rows.select("_jpb_r", overridden.alias("_jpb_est")).explode("_jpb_est").drop_nulls()
    kept = (
        items.join(drop, on=["_jpb_r", "_jpb_est"], how="anti", maintain_order="left")
        .drop_nulls("_jpb_est")
        .group_by("_jpb_r", maintain_order=True)
        .agg("_jpb_est")
    )
    out = rows.select("_jpb_r").join(kept, on="_jpb_r", how="left", maintain_order="left")
    empty = pl.lit([], pl.List(pl.String))
    return out.select(pl.col("_jpb_est").fill_null(empty)).to_series()


def _estimated(frame: pl.DataFrame) -> pl.Series:
    """The catalog's estimated columns, less those the input overrides (few rows change)."""
    estimated = frame.get_column("_jpb_cat_estimated").fill_null(pl.lit([], pl.List(pl.String)))
    estimated = estimated.cast(EXTRA_SCHEMA["estimated"])
    names = [n for n in FRAME_SCHEMA if f"_jpb_in_{n}" in frame.columns and n != "id"]
    if not names:
        return estimated
    touched = pl.any_horizontal(pl.col(f"_jpb_in_{n}").is_not_null() for n in names)
    rows = frame.select(pl.arg_where(touched & (estimated.list.len() > 0))).to_series()
    rows = rows.cast(pl.UInt32)
    if rows.is_empty():
        return estimated
    overridden = pl.concat_list(
        pl.when(pl.col(f"_jpb_in_{n}").is_not_null()).then(pl.lit(n)) for n in names
    ).list.drop_nulls()
    given = frame.select(f"_jpb_in_{n}" for n in names)[rows]
    given = given.with_columns(estimated[rows].alias("_jpb_est"))
    if _catalog_estimated_sorted():
        changed = _remove_in_order(given, overridden)
    else:
        remaining = pl.col("_jpb_est").list.set_difference(overridden).list.sort()
        changed = given.select(remaining).to_series()
    patch = pl.DataFrame({"_jpb_row": rows, "_jpb_est": changed})
    positions = pl.DataFrame({"_jpb_row": pl.arange(0, frame.height, dtype=pl.UInt32, eager=True)})
    full = positions.join(patch, on="_jpb_row", how="left", maintain_order="left")
    return (
        pl.DataFrame([full.get_column("_jpb_est"), estimated.alias("_jpb_old")])
        .select(pl.coalesce("_jpb_est", "_jpb_old"))
        .to_series()
    )


def _option_columns(frame: pl.DataFrame, options: AssessOptions) -> list[pl.Expr]:
    """The option columns: the row's value, else the run's default."""
    defaults: dict[str, Any] = options.model_dump()
    exprs = []
    for name, dtype in OPTION_SCHEMA.items():
        default = pl.lit(defaults[name], dtype)
        column = f"_jpb_in_{name}"
        value = pl.coalesce(pl.col(column), default) if column in frame.columns else default
        exprs.append(value.cast(dtype).alias(name))
    return exprs


def _error_columns(errors: list[pl.Expr]) -> list[pl.Expr]:
    """All of a row's problems in one message, and the kind of the most telling one."""
    identity = [pl.col("vin_error"), pl.col("_jpb_err_unknown_id"), pl.col("_jpb_err_missing")]
    values = pl.any_horizontal(e.is_not_null() for e in errors) if errors else pl.lit(False)
    message = pl.concat_str([*identity, *errors], separator="; ", ignore_nulls=True)
    kind = (
        pl.when(pl.col("vin_error").is_not_null())
        .then(pl.lit(KINDS[0]))
        .when(pl.col("_jpb_err_unknown_id").is_not_null())
        .then(pl.lit(KINDS[1]))
        .when(pl.col("_jpb_err_missing").is_not_null())
        .then(pl.lit(KINDS[2]))
        .when(values)
        .then(pl.lit(KINDS[3]))
    )
    return [pl.when(kind.is_not_null()).then(message).alias(ERROR), kind.alias(KIND)]


def resolve(raw: pl.DataFrame, options: AssessOptions) -> pl.DataFrame:
    """One row per input row: vehicle and option columns, resolution columns, error and kind."""
    parsed, errors = _parsed(raw, options)
    frame = _source(parsed).join(_catalog(), on="_jpb_base_id", how="left", maintain_order="left")
    frame = frame.with_columns(_estimated(frame).alias("_jpb_estimated"))
    return frame.select(
        *_vehicle_columns(frame, options),
        *_option_columns(frame, options),
        *[pl.col(name) for name in RESOLUTION_SCHEMA],
        *_error_columns(errors),
    )
