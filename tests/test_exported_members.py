"""The public API is exactly what __all__ lists, and every name resolves."""

import jpimport

EXPECTED = {
    "Assessment",
    "assess",
    "assess_frame",
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
    "catalog",
    "decode_vin",
    "get_vehicle",
    "load_vehicles",
}


def test_all_is_pinned() -> None:
    assert set(jpimport.__all__) == EXPECTED


def test_every_public_name_resolves() -> None:
    for name in jpimport.__all__:
        assert getattr(jpimport, name) is not None, name


def test_errors_share_one_root() -> None:
    for name in jpimport.__all__:
        member = getattr(jpimport, name)
        if isinstance(member, type) and name.endswith("Error"):
            assert issubclass(member, jpimport.JpImportError), name
