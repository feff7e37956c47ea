"""One exception tree for the whole package, so callers can catch what they can handle.

    JpImportError
    ├── InputError            the caller's input is wrong (file, row, field, VIN position)
    │   ├── VinError          a VIN is malformed or its check digit is wrong
    │   └── UnknownVehicleError   a catalog id that the catalog does not hold
    ├── DataError             bundled data (catalog, tables) is broken: a bug in the package
    └── RuleError             the rule store cannot answer
        ├── RuleFileError     a rule file is malformed (file and line)
        ├── UnknownRuleError  no rule or parameter of that name
        └── NotInForceError   the rule exists but is not in force on the date asked

Every message says what was wrong and where; the CLI prints ``str(error)`` on one line.
"""

from __future__ import annotations

from pathlib import Path

__all__ = [
    "DataError",
    "InputError",
    "JpImportError",
    "NotInForceError",
    "RuleError",
    "RuleFileError",
    "UnknownRuleError",
    "UnknownVehicleError",
    "VinError",
]


def _where(
    source: str | Path | None, row: int | None, field: str | None, line: int | None = None
) -> str:
    """Format a location prefix such as ``cars.csv, row 3, field width_mm: ``."""
    parts: list[str] = []
    if source is not None:
        parts.append(str(source))
    if line is not None:
        parts.append(f"line {line}")
    if row is not None:
        parts.append(f"row {row}")
    if field is not None:
        parts.append(f"field {field}")
    return (", ".join(parts) + ": ") if parts else ""


class JpImportError(Exception):
    """Base of every error jpimport raises on purpose."""


class InputError(JpImportError, ValueError):
    """Input from the caller is invalid; the message names the file, row and field."""

    def __init__(
        self,
        message: str,
        *,
        source: str | Path | None = None,
        row: int | None = None,
        field: str | None = None,
    ) -> None:
        self.reason = message
        self.source = None if source is None else str(source)
        self.row = row
        self.field = field
        super().__init__(_where(source, row, field) + message)


class VinError(InputError):
    """A VIN is malformed; ``position`` is the 1-based VIN position at fault, if any."""

    def __init__(
        self,
        vin: str,
        message: str,
        *,
        position: int | None = None,
        expected: str | None = None,
        source: str | Path | None = None,
        row: int | None = None,
        field: str | None = None,
    ) -> None:
        self.vin = vin
        self.position = position
        self.expected = expected
        where = f" at position {position}" if position is not None else ""
        super().__init__(
            f"invalid VIN {vin!r}{where}: {message}", source=source, row=row, field=field
        )


class UnknownVehicleError(InputError, LookupError):
    """A vehicle id that is not in the catalog."""


class DataError(JpImportError):
    """Bundled data is broken: a packaging bug, never the caller's fault."""


class RuleError(JpImportError):
    """The rule store cannot give an answer."""


class RuleFileError(RuleError):
    """A rule file is malformed; the message names the file and line."""

    def __init__(self, message: str, *, path: str | Path, line: int | None = None) -> None:
        self.reason = message
        self.path = str(path)
        self.line = line
        super().__init__(_where(path, None, None, line) + message)


class UnknownRuleError(RuleError, LookupError):
    """No rule or parameter of the given name."""


class NotInForceError(RuleError):
    """The rule exists but has no value in force on the date asked."""
