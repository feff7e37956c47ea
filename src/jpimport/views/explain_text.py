"""``assess --explain``: why each amount — its parameters, with value, window, status and source.

Reads the document's ``explanations`` and ``trace``. A total names the amounts it is made of
and lists only the parameters its parts do not already show.
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Mapping, Sequence
from typing import Any

from rich.console import Console
from rich.text import Text

from jpimport.views.format import fmt

#: Widest shown value of a parameter, and of a citation title (characters).
VALUE_WIDTH = 70
TITLE_WIDTH = 110


def _short(text: str, width: int) -> str:
    """``text`` cut to ``width`` characters with an ellipsis."""
    return text if len(text) <= width else text[: width - 1] + "…"


def _yen(value: Any) -> str:
    """Yen with a ¥ sign, or the unknown dash (a list of yearly amounts joined)."""
    if isinstance(value, list):
        return ", ".join(_yen(v) for v in value)
    if value is None or isinstance(value, (str, bool)):
        return fmt(value)
    if isinstance(value, float):
        return f"¥{value:,.2f}"
    return f"−¥{-value:,}" if value < 0 else f"¥{value:,}"


def _used(parameter: Mapping[str, Any], applied: Mapping[str, Any] | None) -> str:
    """The value used, short: the applied row or bracket when known, else the whole value."""
    if applied:
        entry = json.dumps(applied.get("entry"), ensure_ascii=False)
        shown = f"{applied.get('column')}={applied.get('key')} → {entry}"
    else:
        shown = json.dumps(parameter.get("value"), ensure_ascii=False)
    return f"{_short(shown, VALUE_WIDTH)} {parameter.get('unit') or ''}".rstrip()


def parameter_lines(
    name: str, parameter: Mapping[str, Any] | None, applied: Mapping[str, Any] | None
) -> list[str]:
    """Two lines for one parameter: name, value, window, status; then its citation."""
    if parameter is None:
        return [f"    • {name}"]
    window = f"{parameter.get('start') or '…'} → {parameter.get('end') or '…'}"
    status = parameter.get("status") or "?"
    citation = parameter.get("citation") or {}
    title = _short(str(citation.get("title") or ""), TITLE_WIDTH)
    article = f" ({citation['article']})" if citation.get("article") else ""
    return [
        f"    • {name} = {_used(parameter, applied)} · in force {window} · {status}",
        f"      {title}{article}",
        f"      {citation.get('url') or '(no URL)'}",
    ]


def amount_lines(
    label: str,
    path: str,
    entry: Mapping[str, Any],
    trace: Mapping[str, Mapping[str, Any]],
    shown_by_parts: set[str],
) -> list[str]:
    """The lines explaining one amount: value, what it is made of, inputs, parameters."""
    lines = [f"{label} — {_yen(entry.get('value_jpy'))}   [{path}]"]
    amounts: Sequence[str] = entry.get("amounts") or []
    if amounts:
        lines.append("    from: " + ", ".join(a.removeprefix("costs.") for a in amounts))
    inputs: Mapping[str, Any] = entry.get("inputs") or {}
    if inputs and len(inputs) <= 12:
        lines.append("    inputs: " + ", ".join(f"{k}={fmt(v)}" for k, v in inputs.items()))
    if entry.get("rules"):
        lines.append("    compliance rules costed: " + ", ".join(entry["rules"]))
    for name, why in (entry.get("not_in_force") or {}).items():
        lines.append(f"    • {name}: {why}")
    applied: Mapping[str, Any] = entry.get("applied") or {}
    own = [n for n in entry.get("parameters") or [] if n not in shown_by_parts]
    if amounts and len(own) < len(entry.get("parameters") or []):
        lines.append(
            f"    rests on the parameters of its parts above ({len(entry['parameters'])} in all)"
        )
    for name in own:
        lines.extend(parameter_lines(name, trace.get(name), applied.get(name)))
    return lines


def _shown(
    explanations: Mapping[str, Mapping[str, Any]], amounts: Sequence[str], seen: set[str]
) -> set[str]:
    """The parameters the named amounts list, when each was printed before (else none)."""
    if not amounts or any(a not in seen for a in amounts):
        return set()
    return {n for a in amounts for n in explanations.get(a, {}).get("parameters") or []}


def explanation_lines(
    document: Mapping[str, Any], rows: Sequence[tuple[str, str]]
) -> Iterator[str]:
    """Lines for each (label, amount path) in ``rows`` that the document explains."""
    explanations: Mapping[str, Mapping[str, Any]] = document.get("explanations") or {}
    trace = {str(t.get("name")): t for t in document.get("trace") or []}
    seen: set[str] = set()
    for label, path in rows:
        entry = explanations.get(path)
        if entry is None:
            continue
        shown = _shown(explanations, entry.get("amounts") or [], seen)
        yield from amount_lines(label, path, entry, trace, shown)
        seen.add(path)


def render_explanations(
    document: Mapping[str, Any], out: Console, rows: Sequence[tuple[str, str]]
) -> None:
    """Print the "Why these amounts" section, wrapped to the console (URLs kept whole)."""
    lines = list(explanation_lines(document, rows))
    if not lines:
        return
    out.print("Why these amounts 根拠 (each amount, then the parameters behind it)")
    for line in lines:
        body = line.lstrip(" ")
        if body.startswith(("http://", "https://")):
            out.print(line, soft_wrap=True)  # a URL is never broken, even past the width
        else:  # wrapped by display cells (Japanese is two wide), continuation lines indented
            indent = " " * (len(line) - len(body))
            for part in Text(body).wrap(out, max(out.width - len(indent), 20)):
                out.print(indent + part.plain.rstrip(), soft_wrap=True)
