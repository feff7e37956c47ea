"""Users' vehicle files: the same columns from TOML, JSON or CSV; errors name file, row, field."""

from pathlib import Path

import polars as pl
import pytest

import jpimport
from jpimport.errors import InputError


def write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_csv_reads_typed_columns(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "cars.csv",
        "make,model,model_year,length_mm,width_mm,rhd_available,powertrain\n"
        "Ford,F-150,2026,5885,2029,false,ice\n"
        "Toyota,Camry,2026,4920,,true,hev\n",
    )
    frame = jpimport.load_vehicles(path)
    assert frame.height == 2
    assert frame["length_mm"].to_list() == [5885, 4920]
    assert frame["width_mm"].to_list() == [2029, None]
    assert frame["rhd_available"].to_list() == [False, True]
    assert frame["id"].to_list() == ["ford-f-150-2026", "toyota-camry-2026"]
    assert frame.schema["length_mm"] == pl.Int64


def test_toml_single_and_array(tmp_path: Path) -> None:
    one = write(tmp_path, "one.toml", 'id = "mine"\nmake = "Honda"\nwidth_mm = 1900\n')
    many = write(
        tmp_path, "many.toml", '[[vehicles]]\nmake = "Honda"\n\n[[vehicles]]\nmake = "Nissan"\n'
    )
    assert jpimport.load_vehicles(one)["id"].to_list() == ["mine"]
    assert jpimport.load_vehicles(many)["make"].to_list() == ["Honda", "Nissan"]


def test_json_list_with_sources(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "cars.json",
        '[{"make": "Honda", "length_mm": 4846, "sources": {"dimensions": '
        '{"url": "https://example.org/p", "title": "spec", "verified_on": "2026-11-01"}}}]',
    )
    assert jpimport.load_vehicles(path)["verified_on"].to_list()[0].isoformat() == "2026-11-01"


@pytest.mark.parametrize(
    ("name", "text", "expected"),
    [
        (
            "bad.csv",
            "make,width_mm\nFord,2029\nToyota,wide\n",
            "bad.csv, row 2, field width_mm: expected a whole number, got 'wide'",
        ),
        (
            "neg.csv",
            "make,length_mm\nFord,-5\n",
            "neg.csv, row 1, field length_mm: expected a whole number between 1 and 30000, "
            "got '-5'",
        ),
        (
            "body.json",
            '{"make": "Ford", "body": "truck"}',
            "body.json, row 1, field body: expected one of sedan, hatchback, coupe, convertible, "
            "wagon, suv, minivan, pickup, van, got 'truck'",
        ),
        (
            "extra.toml",
            'make = "Ford"\ncolour = "red"\n',
            "extra.toml, row 1, field colour: unknown column",
        ),
        (
            "month.csv",
            "make,manufacture_date\nFord,2026-13\n",
            "month.csv, row 1, field manufacture_date: expected a month as YYYY-MM",
        ),
        (
            "src.json",
            '{"make": "Ford", "sources": {"identity": {"url": "ftp://x", "title": "t", '
            '"verified_on": "2026-01-01"}}}',
            "src.json, row 1, field sources.identity: expected an http(s) URL, got 'ftp://x'",
        ),
        ("cars.xlsx", "", "cars.xlsx: unsupported file type '.xlsx'"),
        ("empty.json", "[]", "empty.json: no vehicles in the file"),
        ("broken.json", "{", "broken.json: not valid JSON"),
    ],
)
def test_bad_files_name_file_row_and_field(
    tmp_path: Path, name: str, text: str, expected: str
) -> None:
    path = write(tmp_path, name, text)
    with pytest.raises(InputError) as info:
        jpimport.load_vehicles(path)
    message = str(info.value)
    assert message.startswith(str(tmp_path / name) + expected.removeprefix(name)), message


def test_missing_file(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="file not found"):
        jpimport.load_vehicles(tmp_path / "nope.csv")
