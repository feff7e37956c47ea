"""The store: the bundled tree loads cleanly, names follow paths, unknown names are helped."""

from datetime import date
from pathlib import Path

import pytest

from jpimport.errors import RuleFileError, UnknownRuleError
from jpimport.rules import Parameter, RuleStore, load_rule_tree, load_rules
from jpimport.rules.store import DATA_DIR

from .conftest import CITE, WriteTree

AUTO_TAX = "taxes.automobile_tax.passenger_by_displacement"
SMALL = f"""\
title: T
title_ja: テ
description: d
unit: count
kind: scalar
last_verified_on: 2026-11-21
values:
  2020-01-01: {{value: 1, {CITE}, source_kind: weak, status: unconfirmed}}
"""


def test_every_bundled_rule_file_loads() -> None:
    """Every file under rules/data loads and becomes exactly one parameter."""
    store = load_rules()
    files = sorted(DATA_DIR.rglob("*.yaml"))
    assert len(store) == len(files) >= 3
    for file in files:
        name = ".".join(file.relative_to(DATA_DIR).with_suffix("").parts)
        p = store.parameter(name)
        assert p.path == file
        assert p.windows, f"{name} is never in force"
        assert p.last_verified_on <= date.today()


def test_bundled_values_all_carry_a_citation() -> None:
    """Every window of every bundled parameter has a titled http(s) citation and a status."""
    for name in load_rules():
        for w in load_rules().parameter(name).windows:
            assert w.citation.title and w.citation.url.startswith(("http://", "https://"))
            assert w.status in ("confirmed", "unconfirmed", "estimate")


def test_load_rules_parses_once() -> None:
    """The bundled store is cached for the process."""
    assert load_rules() is load_rules()


def test_names_under_and_contains() -> None:
    """Names are dotted paths; ``under`` takes a folder prefix, not a string prefix."""
    store = load_rules()
    assert AUTO_TAX in store
    assert "taxes.automobile" not in store
    assert list(store.names()) == sorted(store.names())
    under = store.under("pathways")
    assert {p.name for p in under} >= {"pathways.php.annual_cap_units"}
    assert all(isinstance(p, Parameter) for p in under)
    assert store.under("taxes.automobile") == ()
    assert [p.name for p in store.under(AUTO_TAX)] == [AUTO_TAX]


def test_unknown_name_suggests_close_names() -> None:
    """A misspelt name fails with the names it was probably meant to be."""
    with pytest.raises(UnknownRuleError, match=f"did you mean '{AUTO_TAX}'"):
        load_rules().parameter("taxes.automobile_tax.passenger_by_displacment")
    with pytest.raises(LookupError, match=r"no rule parameter named 'nothing\.like\.it'$"):
        load_rules().parameter("nothing.like.it")


def test_folder_name_lists_what_is_inside() -> None:
    """Asking for a folder says it is a folder and lists its parameters."""
    with pytest.raises(UnknownRuleError, match=r"'taxes' is a folder of rules.*: taxes\.\w+"):
        load_rules().parameter("taxes")


def test_file_names_must_be_valid_name_parts(write_tree: WriteTree) -> None:
    """A path part with capitals or dashes cannot be a dotted name and fails loading."""
    with pytest.raises(RuleFileError, match="'Bad-Name' cannot be part of a rule name"):
        write_tree({"taxes/Bad-Name.yaml": SMALL})


def test_yml_files_are_refused(write_tree: WriteTree) -> None:
    """A .yml file would be silently skipped otherwise, so it is an error."""
    with pytest.raises(RuleFileError, match=r"rule files end in \.yaml, not \.yml"):
        write_tree({"a.yaml": SMALL, "b.yml": SMALL})


def test_other_files_are_ignored(write_tree: WriteTree) -> None:
    """Notes and hidden files next to rules are not rules."""
    store = write_tree({"a/x.yaml": SMALL, "a/README.md": "# notes", "a/.draft.yaml": "{"})
    assert store.names() == ("a.x",)


def test_missing_directory_fails(tmp_path: Path) -> None:
    """Loading a folder that is not there is an error, not an empty store."""
    with pytest.raises(RuleFileError, match="the rule directory does not exist"):
        load_rule_tree(tmp_path / "absent")


def test_store_can_be_built_from_parameters() -> None:
    """A RuleStore is a plain mapping holder, so tests and reforms can assemble one."""
    p = load_rules().parameter(AUTO_TAX)
    store = RuleStore({p.name: p})
    assert store.names() == (AUTO_TAX,)
    assert len(store) == 1
    assert list(store) == [AUTO_TAX]


def test_package_docstring_example_runs() -> None:
    """The example at the top of jpimport.rules stays true."""
    import doctest

    import jpimport.rules

    result = doctest.testmod(jpimport.rules, raise_on_error=True)
    assert result.failed == 0
    assert result.attempted >= 3
