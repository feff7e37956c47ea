"""`jpimport assess --explain`: each amount followed by the parameters behind it, with sources."""

from __future__ import annotations

import json
from pathlib import Path

from tests.cli.conftest import Run

PICKUP = """\
id = "explain-pickup"
make = "Test"
model = "Pickup"
body = "pickup"
seats = 5
plant_country = "US"
length_mm = 5340
width_mm = 1855
height_mm = 1800
bed_length_mm = 1565
bed_floor_area_m2 = 2.3
curb_weight_kg = 2100
declared_payload_kg = 500
powertrain = "ice"
fuel = "regular"
displacement_cc = 2393
msrp_usd = 30000
"""
SEDAN = """\
id = "explain-sedan"
make = "Test"
model = "Sedan"
body = "sedan"
seats = 5
plant_country = "US"
length_mm = 4900
width_mm = 1840
height_mm = 1450
curb_weight_kg = 1550
powertrain = "ice"
fuel = "regular"
displacement_cc = 2487
msrp_usd = 28000
"""


def test_explain_puts_the_weight_tax_parameter_and_its_url_under_the_weight_tax(
    run_cli: Run, tmp_path: Path
) -> None:
    path = tmp_path / "sedan.toml"
    path.write_text(SEDAN, encoding="utf-8")
    document = json.loads(run_cli("assess", str(path), "--json").stdout)
    entry = document["explanations"]["costs.registration.weight_tax_jpy"]
    name = "taxes.weight_tax.passenger_per_half_tonne"
    assert name in entry["parameters"]
    url = next(t for t in document["trace"] if t["name"] == name)["citation"]["url"]

    result = run_cli("assess", str(path), "--explain")
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    start = next(i for i, line in enumerate(lines) if "[costs.registration.weight_tax_jpy]" in line)
    assert f"¥{entry['value_jpy']:,}" in lines[start]
    block = []
    for line in lines[start + 1 :]:
        if not line.startswith(" "):
            break
        block.append(line)
    text = "\n".join(block)
    assert name in text
    assert url in text
    assert "in force" in text
    # the full trace table is still printed
    assert "Rules and parameters used" in result.stdout


def test_explain_of_a_cargo_pickup_names_the_cargo_table(run_cli: Run, tmp_path: Path) -> None:
    path = tmp_path / "pickup.toml"
    path.write_text(PICKUP, encoding="utf-8")
    result = run_cli("assess", str(path), "--registration", "cargo", "--explain")
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    start = next(i for i, line in enumerate(lines) if "[costs.registration.weight_tax_jpy]" in line)
    following = "\n".join(lines[start : start + 20])
    assert "taxes.weight_tax.cargo_per_tonne" in following
    assert "taxes.weight_tax.passenger_per_half_tonne" not in following


def test_explain_section_fits_160_columns_except_urls(tmp_path: Path) -> None:
    from rich.cells import cell_len

    import jpimport

    path = tmp_path / "sedan.toml"
    path.write_text(SEDAN, encoding="utf-8")
    text = jpimport.assess(path).table(explain=True, width=160)
    section = text[text.index("Why these amounts") : text.index("Rules and parameters used")]
    lines = section.splitlines()
    assert len(lines) > 20
    too_wide = [
        line for line in lines if cell_len(line) > 160 and not line.lstrip().startswith("http")
    ]
    assert too_wide == []
    assert all(line == line.rstrip() for line in lines)
