"""Nested assessment columns → flat columns that any CSV or spreadsheet can hold.

Rules, the same for every stage, so a new stage column needs no change here:

* a scalar column stays as it is;
* a struct is spread into ``<column>_<field>`` columns (recursively);
* a list of scalars becomes one text cell, items joined by ``"; "`` (``parking_fits``:
  ``"flat; tower"``), empty list → empty text, null → null;
* a list of records with a name and a verdict (a struct field ``id``/``rule``/``name`` and a
  field ``outcome``/``eligible``/``fits``/``status``) becomes ``name=verdict`` pairs, the name
  qualified by ``@pathway`` where the record has one: ``findings`` →
  ``"direct_vision@php=modify; speedometer@php=pass"``, ``pathways`` →
  ``"us_certified=true; php=false"``, ``parking`` → ``"flat=true; tower=false"`` (null →
  ``unknown``). Their long texts (titles, citations, reasons) are the same for every row and
  would make each row tens of kilobytes; ``jpimport assess ID --json`` gives them in full;
* any other list of structs or lists becomes its JSON text (reads back with ``json.loads``).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

import polars as pl
from polars.datatypes import DataTypeClass

JOIN = "; "
NAME_FIELDS = ("id", "rule", "name")
QUALIFIER_FIELDS = ("pathway",)
VERDICT_FIELDS = ("outcome", "eligible", "fits", "status")


def _instance(dtype: pl.DataType | DataTypeClass) -> pl.DataType:
    """A data type instance (nested types may hold bare classes such as ``pl.String``)."""
    return dtype if isinstance(dtype, pl.DataType) else dtype()


def _nested(dtype: pl.DataType) -> bool:
    """True for types a flat file cannot hold as one cell."""
    return isinstance(dtype, pl.Struct | pl.List | pl.Array)


def json_text(expr: pl.Expr) -> pl.Expr:
    """Any value as its JSON text (null stays null)."""
    wrapped = pl.struct(expr.alias("v")).struct.json_encode()
    text = wrapped.str.strip_prefix('{"v":').str.strip_suffix("}")
    return pl.when(expr.is_not_null()).then(text)


def _verdicts(inner: pl.Struct) -> tuple[str, str | None, str] | None:
    """The name, qualifier and verdict fields of a record type, if it has name and verdict."""
    fields = {f.name: _instance(f.dtype) for f in inner.fields}
    scalar = [n for n, d in fields.items() if not _nested(d)]
    key = next((n for n in NAME_FIELDS if n in scalar), None)
    qualifier = next((n for n in QUALIFIER_FIELDS if n in scalar), None)
    verdict = next((n for n in VERDICT_FIELDS if n in scalar), None)
    return (key, qualifier, verdict) if key and verdict else None


def _field(name: str) -> pl.Expr:
    """A field of the current list item, as text."""
    return pl.element().struct.field(name).cast(pl.String)


def _verdict_text(expr: pl.Expr, found: tuple[str, str | None, str]) -> pl.Expr:
    """A list of verdict records as ``name[@qualifier]=verdict`` pairs joined by ``JOIN``."""
    key, qualifier, verdict = found
    label = _field(key).fill_null("?")
    if qualifier is not None:
        at = _field(qualifier)
        label = pl.when(at.is_null()).then(label).otherwise(pl.concat_str(label, pl.lit("@"), at))
    item = pl.concat_str(label, pl.lit("="), _field(verdict).fill_null("unknown"))
    return expr.list.eval(item).list.join(JOIN)


def _list(expr: pl.Expr, name: str, inner: pl.DataType) -> pl.Expr:
    """A list column as one text cell: joined scalars, name=verdict pairs, or JSON."""
    found = _verdicts(inner) if isinstance(inner, pl.Struct) else None
    if found is not None:
        return _verdict_text(expr, found).alias(name)
    if _nested(inner):
        return json_text(expr).alias(name)
    items = expr.list.eval(pl.element().cast(pl.String))
    return items.list.join(JOIN, ignore_nulls=True).alias(name)


def _flat(expr: pl.Expr, name: str, dtype: pl.DataType) -> list[pl.Expr]:
    """The flat columns of one column."""
    if isinstance(dtype, pl.Struct):
        out: list[pl.Expr] = []
        for field in dtype.fields:
            sub = _instance(field.dtype)
            out += _flat(expr.struct.field(field.name), f"{name}_{field.name}", sub)
        return out
    if isinstance(dtype, pl.Array):
        inner = _instance(dtype.inner)
        return [_list(expr.cast(pl.List(inner)), name, inner)]
    if isinstance(dtype, pl.List):
        return [_list(expr, name, _instance(dtype.inner))]
    if isinstance(dtype, pl.Object):
        return [expr.map_elements(str, return_dtype=pl.String).alias(name)]
    return [expr.alias(name)]


def flat_columns(schema: Mapping[str, pl.DataType], names: Iterable[str]) -> list[pl.Expr]:
    """Expressions giving the flat form of the named columns, in order."""
    out: list[pl.Expr] = []
    for name in names:
        out += _flat(pl.col(name), name, schema[name])
    return out


def flat_schema_needed(schema: Mapping[str, pl.DataType]) -> bool:
    """True when some column must be flattened before a CSV can hold it."""
    return any(_nested(dtype) for dtype in schema.values())


def _verdict_lists(schema: Mapping[str, pl.DataType]) -> dict[str, tuple[str, str | None, str]]:
    """The columns that are lists of verdict records, with their name and verdict fields."""
    out = {}
    for name, dtype in schema.items():
        inner = _instance(dtype.inner) if isinstance(dtype, pl.List) else None
        found = _verdicts(inner) if isinstance(inner, pl.Struct) else None
        if found is not None:
            out[name] = found
    return out


def _text_once_per_distinct(column: pl.Series, found: tuple[str, str | None, str]) -> pl.Series:
    """The verdict text of each row, built once per distinct list and joined back.

    Rows repeat the same verdict lists (every catalog vehicle with the same options has the
    same findings), and the text is long (a findings list is kilobytes), so building it once
    per distinct list is several times faster. Lists are told apart by 64-bit hashes of each
    field the text reads (the verdicts twice, with two seeds): two different lists get the
    same text only if all those hashes collide at once.
    """
    fields = [f for f in found if f is not None]

    def hashed(field: str, seed: int) -> pl.Expr:
        items = pl.col("_v").list.eval(pl.element().struct.field(field))
        return items.hash(seed=seed).alias(f"_h{seed}_{field}")

    keys = [hashed(f, 0) for f in fields] + [hashed(found[2], 1)]
    frame = pl.DataFrame([column.alias("_v")]).with_columns(keys)
    names = [str(k.meta.output_name()) for k in keys]
    firsts = frame.filter(pl.struct(names).is_first_distinct())
    texts = firsts.select(*names, _verdict_text(pl.col("_v"), found).alias(column.name))
    joined = frame.select(names).join(texts, on=names, how="left", maintain_order="left")
    return joined.get_column(column.name)


def flatten_frame(frame: pl.DataFrame, names: list[str]) -> pl.DataFrame:
    """The flat form of the named columns of a frame: ``flat_columns``, with each list of
    verdict records turned to text once per distinct list first (same text, less work).
    """
    schema = frame.schema
    lists = _verdict_lists({n: schema[n] for n in names})
    texts = [_text_once_per_distinct(frame.get_column(n), f) for n, f in lists.items()]
    ready = frame.with_columns(texts) if texts else frame
    return ready.select(flat_columns(ready.schema, names))
