"""Legal rounding of yen amounts: one named helper per rule, each with its citation for the trace.

Japanese tax law truncates (切り捨て): fractions below the unit are dropped, never rounded up.
Every helper has a scalar form and a Polars form that give the same integer yen.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

import polars as pl

from jpimport.rules.model import Citation
from jpimport.rules.schema import SourceKind, Status

_ZEIKEN = (  # https://www.zeiken.co.jp/yougo/国税通則法/端数計算/
    "https://www.zeiken.co.jp/yougo/"
    "%E5%9B%BD%E7%A8%8E%E9%80%9A%E5%89%87%E6%B3%95/%E7%AB%AF%E6%95%B0%E8%A8%88%E7%AE%97/"
)
_EGOV_NOTE = (
    "Article text as summarised by 税務研究会 (zeiken.co.jp), whose page warns it may predate "
    "later amendments; the statute itself (国税通則法, 昭和37年法律第66号, e-Gov "
    "https://laws.e-gov.go.jp/law/337AC0000000066) was not consulted. That Customs applies it "
    "to customs duty and import consumption tax was not confirmed from a Customs page."
)


@dataclass(frozen=True, slots=True)
class RoundingRule:
    """A legal rounding rule: truncate to a multiple of ``unit_jpy``, with where the law says so."""

    name: str
    unit_jpy: int
    citation: Citation
    source_kind: SourceKind
    status: Status
    note: str

    def trace(self) -> dict[str, Any]:
        """JSON-ready record for the assessment trace, shaped like ParameterValue.trace()."""
        return {
            "name": self.name,
            "value": self.unit_jpy,
            "unit": "jpy",
            "start": None,
            "end": None,
            "citation": self.citation.to_dict(),
            "source_kind": self.source_kind,
            "status": self.status,
            "note": self.note,
        }


CUSTOMS_TAX_BASE = RoundingRule(
    name="rounding.customs_tax_base",
    unit_jpy=1000,
    citation=Citation(
        title="国税の課税標準の端数計算: 1,000円未満の端数又は全額を切り捨て (税務研究会 税務用語)",
        url=_ZEIKEN  # 課税標準の端数計算.html
        + "%E8%AA%B2%E7%A8%8E%E6%A8%99%E6%BA%96%E3%81%AE%E7%AB%AF%E6%95%B0%E8%A8%88%E7%AE%97"
        + ".html",
        article="国税通則法 第118条第1項",
    ),
    source_kind="secondary",
    status="unconfirmed",
    note=_EGOV_NOTE,
)

CUSTOMS_TAX_AMOUNT = RoundingRule(
    name="rounding.customs_tax_amount",
    unit_jpy=100,
    citation=Citation(
        title="国税の確定金額の端数計算: 100円未満の端数又は全額を切り捨て (税務研究会 税務用語)",
        url=_ZEIKEN  # 確定金額の端数計算.html
        + "%E7%A2%BA%E5%AE%9A%E9%87%91%E9%A1%8D%E3%81%AE%E7%AB%AF%E6%95%B0%E8%A8%88%E7%AE%97"
        + ".html",
        article="国税通則法 第119条第1項",
    ),
    source_kind="secondary",
    status="unconfirmed",
    note="Does not apply to the automobile weight tax or stamp tax, whose amounts are set by "
    "their own laws (same source). " + _EGOV_NOTE,
)


def floor_to_unit(amount: int | float, unit: int) -> int:
    """Truncate a yen amount to a multiple of ``unit`` toward zero (切り捨て), as integer yen.

    Generic helper; use the named rules below so the trace can cite the law. A float amount is
    first truncated to whole yen, which does not change the result. NaN or infinity fails.
    """
    if isinstance(unit, bool) or not isinstance(unit, int) or unit <= 0:
        raise ValueError(f"unit must be a positive integer, got {unit!r}")
    if isinstance(amount, bool) or not isinstance(amount, int | float):
        raise TypeError(f"amount must be a number of yen, got {amount!r}")
    if isinstance(amount, float) and not math.isfinite(amount):
        raise ValueError(f"amount must be finite, got {amount!r}")
    magnitude = int(abs(amount)) // unit * unit
    return magnitude if amount >= 0 else -magnitude


def floor_to_unit_expr(amount: pl.Expr, unit: int) -> pl.Expr:
    """``floor_to_unit`` over a column, as Int64; null, NaN or infinity gives null."""
    if isinstance(unit, bool) or not isinstance(unit, int) or unit <= 0:
        raise ValueError(f"unit must be a positive integer, got {unit!r}")
    magnitude = (amount.abs() // unit * unit).cast(pl.Int64, strict=False)
    return pl.when(amount < 0).then(-magnitude).otherwise(magnitude).cast(pl.Int64)


def customs_tax_base(amount_jpy: int | float) -> int:
    """A national tax base (e.g. customs value, import consumption tax base) cut below ¥1,000.

    国税通則法 第118条第1項: when a national tax base has a fraction below ¥1,000, or is below
    ¥1,000 in full, the fraction or the whole is truncated. Source: ``CUSTOMS_TAX_BASE``
    (a secondary summary of the article; the statute text itself was not consulted).
    """
    return floor_to_unit(amount_jpy, CUSTOMS_TAX_BASE.unit_jpy)


def customs_tax_amount(amount_jpy: int | float) -> int:
    """A national tax amount (e.g. customs duty, consumption tax) cut below ¥100.

    国税通則法 第119条第1項: when a fixed national tax amount has a fraction below ¥100, or is
    below ¥100 in full, it is truncated; the weight tax and stamp tax are exempt from this.
    Source: ``CUSTOMS_TAX_AMOUNT`` (a secondary summary; the statute text was not consulted).
    """
    return floor_to_unit(amount_jpy, CUSTOMS_TAX_AMOUNT.unit_jpy)


def customs_tax_base_expr(amount_jpy: pl.Expr) -> pl.Expr:
    """``customs_tax_base`` over a column (国税通則法 第118条第1項)."""
    return floor_to_unit_expr(amount_jpy, CUSTOMS_TAX_BASE.unit_jpy)


def customs_tax_amount_expr(amount_jpy: pl.Expr) -> pl.Expr:
    """``customs_tax_amount`` over a column (国税通則法 第119条第1項)."""
    return floor_to_unit_expr(amount_jpy, CUSTOMS_TAX_AMOUNT.unit_jpy)


_LOCAL_TAX_ACT = "https://laws.e-gov.go.jp/law/325AC0000000226"  # 地方税法 (昭和25年法律第226号)

LOCAL_TAX_BASE = RoundingRule(
    name="rounding.local_tax_base",
    unit_jpy=1000,
    citation=Citation(
        title="地方税法 第20条の4の2第1項: 地方税の課税標準額の1,000円未満の端数を切り捨て",
        url=_LOCAL_TAX_ACT,
        article="地方税法 第20条の4の2第1項",
    ),
    source_kind="primary",
    status="unconfirmed",
    note="The article number and rule are as commonly cited; the statute text on e-Gov was "
    "not read in the session that added this rule. jpimport applies it to the tax base of "
    "the environmental performance tax.",
)

LOCAL_TAX_AMOUNT = RoundingRule(
    name="rounding.local_tax_amount",
    unit_jpy=100,
    citation=Citation(
        title=(
            "東京都主税局 自動車税種別割: 税率表の年額 × 課税される月数/12 = 税額 (100円未満切捨て)"
        ),
        url="https://www.tax.metro.tokyo.lg.jp/kazei/car_shubetsu.html",
        article="地方税法 第20条の4の2第3項",
    ),
    source_kind="primary",
    status="confirmed",
    note="The Tokyo tax bureau states the truncation for the monthly automobile tax; the "
    "general rule for local-tax amounts (the article cited) was not read on e-Gov. jpimport "
    "also applies it to the environmental performance tax and the aged surcharge.",
)


def local_tax_base(amount_jpy: int | float) -> int:
    """A local tax base (e.g. the environmental performance tax base) cut below ¥1,000.

    地方税法 第20条の4の2第1項. Source: ``LOCAL_TAX_BASE`` (statute text not read).
    """
    return floor_to_unit(amount_jpy, LOCAL_TAX_BASE.unit_jpy)


def local_tax_amount(amount_jpy: int | float) -> int:
    """A local tax amount (automobile tax, environmental performance tax) cut below ¥100.

    地方税法 第20条の4の2第3項; the Tokyo tax bureau applies it to the monthly automobile tax.
    Source: ``LOCAL_TAX_AMOUNT``.
    """
    return floor_to_unit(amount_jpy, LOCAL_TAX_AMOUNT.unit_jpy)


def local_tax_base_expr(amount_jpy: pl.Expr) -> pl.Expr:
    """``local_tax_base`` over a column (地方税法 第20条の4の2第1項)."""
    return floor_to_unit_expr(amount_jpy, LOCAL_TAX_BASE.unit_jpy)


def local_tax_amount_expr(amount_jpy: pl.Expr) -> pl.Expr:
    """``local_tax_amount`` over a column (地方税法 第20条の4の2第3項)."""
    return floor_to_unit_expr(amount_jpy, LOCAL_TAX_AMOUNT.unit_jpy)
