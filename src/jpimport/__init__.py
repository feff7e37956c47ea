"""jpimport: plan the import of U.S.-built vehicles into Japan.

The public API is what ``__all__`` lists (pinned by ``tests/test_exported_members.py``).
Members load lazily so that ``jpimport --help`` does not pay for Polars or the VIN database.
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

from jpimport.errors import (
    DataError,
    InputError,
    JpImportError,
    NotInForceError,
    RuleError,
    RuleFileError,
    UnknownRuleError,
    UnknownVehicleError,
    VinError,
)

__version__ = "0.1.0"

if TYPE_CHECKING:
    from jpimport.assessment import Assessment, assess
    from jpimport.batch.api import assess_frame
    from jpimport.vehicles.catalog import get_vehicle
    from jpimport.vehicles.catalog import load_catalog as catalog
    from jpimport.vehicles.files import load_vehicles
    from jpimport.vehicles.vehicle import Vehicle
    from jpimport.vehicles.vindecode import VinDecoding, decode_vin

__all__ = [
    "Assessment",
    "DataError",
    "InputError",
    "JpImportError",
    "NotInForceError",
    "RuleError",
    "RuleFileError",
    "UnknownRuleError",
    "UnknownVehicleError",
    "Vehicle",
    "VinDecoding",
    "VinError",
    "__version__",
    "assess",
    "assess_frame",
    "catalog",
    "decode_vin",
    "get_vehicle",
    "load_vehicles",
]

_LAZY: dict[str, tuple[str, str]] = {
    "assess": ("jpimport.assessment", "assess"),
    "assess_frame": ("jpimport.batch.api", "assess_frame"),
    "Assessment": ("jpimport.assessment", "Assessment"),
    "catalog": ("jpimport.vehicles.catalog", "load_catalog"),
    "get_vehicle": ("jpimport.vehicles.catalog", "get_vehicle"),
    "load_vehicles": ("jpimport.vehicles.files", "load_vehicles"),
    "Vehicle": ("jpimport.vehicles.vehicle", "Vehicle"),
    "decode_vin": ("jpimport.vehicles.vindecode", "decode_vin"),
    "VinDecoding": ("jpimport.vehicles.vindecode", "VinDecoding"),
}


def __getattr__(name: str) -> Any:
    """Import a public member on first use."""
    try:
        module, attribute = _LAZY[name]
    except KeyError:
        raise AttributeError(f"module 'jpimport' has no attribute {name!r}") from None
    value = getattr(import_module(module), attribute)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    """List the public members, loaded or not."""
    return sorted(__all__)
