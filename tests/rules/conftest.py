"""Shared helpers: write small rule trees to a temporary folder."""

from collections.abc import Callable
from pathlib import Path
from textwrap import dedent

import pytest

from jpimport.rules import RuleStore, load_rule_tree

WriteTree = Callable[[dict[str, str]], RuleStore]

CITE = "citation: {title: Test source, url: 'https://example.org/rules'}"


@pytest.fixture
def write_tree(tmp_path: Path) -> WriteTree:
    """Write {relative path: YAML text} under a temporary root and load it as a store."""

    def write(files: dict[str, str]) -> RuleStore:
        for relative, text in files.items():
            target = tmp_path / relative
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(dedent(text), encoding="utf-8")
        return load_rule_tree(tmp_path)

    return write
