"""Golden errors: each broken file in invalid/ fails with exactly the message on its first line.

A case is one YAML file whose first line is ``# expect: <message>``; add a case by adding a file.
"""

from pathlib import Path

import pytest
import yaml

from jpimport.errors import RuleError, RuleFileError
from jpimport.rules import load_rule_tree
from jpimport.rules.loader import load_parameter

HERE = Path(__file__).parent
REPO = HERE.parent.parent
CASES = sorted((HERE / "invalid").glob("*.yaml"))
PREFIX = "# expect: "


def _expected(path: Path) -> str:
    first = path.read_text(encoding="utf-8").splitlines()[0]
    assert first.startswith(PREFIX), f"{path.name} must start with '{PREFIX}<message>'"
    return first.removeprefix(PREFIX)


def test_there_is_a_case_for_every_failure_kind() -> None:
    """The folder keeps its coverage: one file per kind of failure the loader knows."""
    names = {p.stem for p in CASES}
    for kind in (
        "duplicate_key_top",
        "duplicate_key_nested",
        "unknown_key_top",
        "missing_top_key",
        "bad_date_key",
        "non_date_key",
        "dates_out_of_order",
        "string_for_number",
        "bool_for_int",
        "up_to_not_ascending",
        "range_out_of_order",
        "citation_missing",
        "citation_missing_url",
        "citation_bad_url",
        "last_verified_missing",
        "last_verified_not_date",
        "unknown_unit",
        "unknown_kind",
        "unknown_status",
        "unknown_source_kind",
        "reads_on_scalar",
    ):
        assert kind in names


@pytest.mark.parametrize("path", CASES, ids=[p.stem for p in CASES])
def test_broken_file_fails_with_the_golden_message(path: Path) -> None:
    """The message names the file (as shown from the repository root), the line and the fault."""
    shown = path.relative_to(REPO).as_posix()
    if "invalid YAML" in _expected(path) and not yaml.__with_libyaml__:
        pytest.skip("syntax-error wording is libyaml's; the pure-Python parser words it otherwise")
    with pytest.raises(RuleFileError) as caught:
        load_parameter(path, path.stem, shown)
    assert str(caught.value) == _expected(path)
    assert caught.value.path == shown
    assert isinstance(caught.value, RuleError)


def test_tree_loading_shows_the_path_from_the_working_directory(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Loading a tree reports the broken file relative to where the user stands."""
    source = HERE / "invalid" / "citation_missing_url.yaml"
    (tmp_path / "taxes").mkdir()
    (tmp_path / "taxes" / "x.yaml").write_bytes(source.read_bytes())
    monkeypatch.chdir(tmp_path)
    with pytest.raises(RuleFileError) as caught:
        load_rule_tree(tmp_path)
    message = _expected(source).replace("tests/rules/invalid/citation_missing_url.yaml", "")
    assert str(caught.value) == "taxes/x.yaml" + message
    assert caught.value.line == 11
    assert caught.value.reason == "values 2013-05-10: citation is missing 'url'"
