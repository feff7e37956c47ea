"""Stage plans: expressions built once per date and run as a few shallow layers in one query.

An assessment of one vehicle is mostly Polars planning and starting each expression node (a
few µs per node, however few the rows), and planning time grows with the square of an
expression's depth. So a stage keeps its expressions small and shallow: a part shared by
several columns becomes a temporary column of an earlier layer (named with a leading ``__``),
which later layers read with ``pl.col``. The layers run as one lazy query over just the columns
they read, collected in memory, and only the stage's outputs come back.
"""

from __future__ import annotations

import itertools
import weakref
from collections.abc import Sequence
from dataclasses import dataclass

import polars as pl

from jpimport.rules import RuleStore
from jpimport.stages.context import StageContext

Layer = list[pl.Expr]
Layers = list[Layer]

#: How plans run: in memory (the streaming engine costs ~40 ms to start on one row), without
#: the optimiser passes a plan of shallow in-memory layers gains nothing from.
OPTIMIZATIONS = pl.QueryOptFlags.none()


#: A number per rule store, never reused (an ``id`` can be, once a store is collected).
_STORES: weakref.WeakKeyDictionary[RuleStore, int] = weakref.WeakKeyDictionary()
_COUNT = itertools.count()


def memo_key(ctx: StageContext, key: str) -> str:
    """``key`` for ``ctx.memo``, made unique to the context's rule store object.

    The memo tells rule stores apart by ``id``, which a new store can take over from one that
    has been collected (tests build many); the store's own number keeps their plans apart.
    """
    number = _STORES.get(ctx.rules)
    if number is None:
        number = _STORES[ctx.rules] = next(_COUNT)
    return f"{key}#{number}"


def collect(lazy: pl.LazyFrame) -> pl.DataFrame:
    """Run a stage's query in memory."""
    return lazy.collect(engine="in-memory", optimizations=OPTIMIZATIONS)


def attach(frame: pl.DataFrame, columns: Sequence[pl.Series]) -> pl.DataFrame:
    """``frame.with_columns(columns)``: new ones appended, same-named ones replaced in place."""
    if set(frame.columns).isdisjoint(s.name for s in columns):
        return frame.hstack(list(columns))
    return frame.with_columns(columns)


def merge(built: Sequence[Layers]) -> Layers:
    """Layers of parts that run side by side: layer i of each part together."""
    depth = max((len(layers) for layers in built), default=0)
    return [[e for layers in built if i < len(layers) for e in layers[i]] for i in range(depth)]


@dataclass(frozen=True)
class Plan:
    """Ordered layers of expressions, the columns the stage adds (in their output order) and
    the columns of the frame it reads."""

    layers: tuple[tuple[pl.Expr, ...], ...]
    outputs: tuple[str, ...]
    reads: tuple[str, ...] = ()

    @classmethod
    def of(cls, layers: Layers, outputs: Sequence[str]) -> Plan:
        """A plan from lists of layers (empty layers left out)."""
        kept = tuple(tuple(layer) for layer in layers if layer)
        made = {e.meta.output_name() for layer in kept for e in layer}
        roots = (name for layer in kept for e in layer for name in e.meta.root_names())
        reads = tuple(dict.fromkeys(n for n in roots if n not in made))
        return cls(kept, tuple(outputs), reads)

    def lazy(self, frame: pl.DataFrame | pl.LazyFrame) -> pl.LazyFrame:
        """The layers applied to ``frame`` lazily, temporaries still present."""
        lazy = frame.lazy()
        for layer in self.layers:
            lazy = lazy.with_columns(layer)
        return lazy

    def run(self, frame: pl.DataFrame) -> pl.DataFrame:
        """The frame with the outputs added (replacing same-named columns in place).

        The query reads only the columns the layers use, and returns only the outputs.
        """
        columns = set(frame.columns)
        names = [c for c in self.reads if c in columns]
        source = pl.DataFrame([frame.get_column(c) for c in names]) if names else frame
        return attach(frame, collect(self.lazy(source).select(self.outputs)).get_columns())

    def collect(self, frame: pl.DataFrame) -> pl.DataFrame:
        """The frame with every column of the layers added, temporaries included."""
        return collect(self.lazy(frame))


class Layering:
    """Columns placed in the earliest layer their inputs allow, as a stage builds them.

    ``column`` registers an expression under a name and returns ``pl.col(name)``, so a value
    used in several places is computed once and every expression that reads it stays shallow.
    """

    def __init__(self, prefix: str) -> None:
        self.prefix = prefix
        self._levels: dict[str, int] = {}
        self._exprs: dict[str, pl.Expr] = {}

    def level(self, expr: pl.Expr) -> int:
        """The first layer ``expr`` can be in: after every registered column it reads."""
        names = expr.meta.root_names()
        return 1 + max((self._levels[n] for n in names if n in self._levels), default=-1)

    def column(self, name: str, expr: pl.Expr) -> pl.Expr:
        """Register ``expr`` as column ``name`` (an output) and read it back."""
        if name in self._exprs:
            if not self._exprs[name].meta.eq(expr.alias(name)):
                raise ValueError(f"column {name} is built twice, differently")
            return pl.col(name)
        self._levels[name] = self.level(expr)
        self._exprs[name] = expr.alias(name)
        return pl.col(name)

    def temp(self, name: str, expr: pl.Expr) -> pl.Expr:
        """Register ``expr`` as a temporary column (prefixed) and read it back."""
        return self.column(self.prefix + name, expr)

    def layers(self) -> Layers:
        """Every registered column, by layer."""
        depth = max(self._levels.values(), default=-1) + 1
        layers: Layers = [[] for _ in range(depth)]
        for name, expr in self._exprs.items():
            layers[self._levels[name]].append(expr)
        return layers
