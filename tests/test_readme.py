"""The README's examples really run: every `$ jpimport …` line and every Python block."""

from __future__ import annotations

import contextlib
import io
import re
import shlex
import subprocess
import sys
from pathlib import Path

import pytest

README = Path(__file__).parent.parent / "README.md"
BLOCK = re.compile(r"```(console|python)\n(.*?)```", re.DOTALL)


def _blocks(kind: str) -> list[str]:
    return [
        body for lang, body in BLOCK.findall(README.read_text(encoding="utf-8")) if lang == kind
    ]


def _commands() -> list[tuple[list[str], int]]:
    commands = []
    for block in _blocks("console"):
        for line in block.splitlines():
            if not line.startswith("$ jpimport"):
                continue
            command, _, comment = line[2:].partition("#")
            expected = 2 if "exits 2" in comment else 0
            commands.append((shlex.split(command)[1:], expected))
    return commands


def test_readme_has_examples() -> None:
    assert len(_commands()) >= 4
    assert _blocks("python")


@pytest.mark.parametrize(("args", "expected"), _commands(), ids=lambda v: str(v))
def test_readme_command_runs(args: list[str], expected: int) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "jpimport", *args], capture_output=True, text=True, check=False
    )
    assert result.returncode == expected, result.stderr
    if expected == 0:
        assert result.stdout.strip()
    else:
        assert result.stdout == ""
        assert len(result.stderr.strip().splitlines()) == 1


def test_readme_python_runs() -> None:
    namespace: dict[str, object] = {}
    output = io.StringIO()
    with contextlib.redirect_stdout(output):
        for block in _blocks("python"):
            exec(compile(block, str(README), "exec"), namespace)
    assert output.getvalue().strip()
