"""A mistake in the protocol reads as a few lines: which key, where, what is allowed, and
the nearest allowed key or value for a typo (not the schema and the whole configuration)."""

from __future__ import annotations

from pathlib import Path

import pytest

from litsieve.cli import main
from litsieve.errors import ConfigError
from litsieve.protocol import load_protocol
from protocols import DEMO


def protocol_with(tmp_path: Path, old: str, new: str) -> Path:
    text = DEMO.read_text(encoding="utf-8")
    assert text.count(old) >= 1, old
    path = tmp_path / "protocol.yaml"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return path


def line_of(path: Path, key: str) -> int:
    """The line where ``key:`` is written (a comment mentioning it does not count)."""
    lines = path.read_text(encoding="utf-8").splitlines()
    return next(i for i, line in enumerate(lines, start=1) if line.strip().lstrip("- ").startswith(f"{key}:"))


@pytest.mark.parametrize(("old", "new", "field", "says", "suggests"), [
    ("  query:", "  qeury:", "search.qeury", "unknown key 'qeury' in 'search'", "did you mean 'query'?"),
    ("screeners:\n", "screenrs:\n", "screenrs", "unknown key 'screenrs'", "did you mean 'screeners'?"),
    ("fields: tiab", "fields: tiabs", "search.fields", "'tiabs' is not allowed here; allowed: tiab, ti, ab, all",
     "did you mean 'tiab'?"),
    ("    kind: inclusion", "    kind: inclusive", "criteria.0.kind", "'inclusive' is not allowed here",
     "did you mean 'inclusion'?"),
    ("  maybe: include", "  maybe: [include]", "screeners.maybe", "expected text, found a list", "config/README.md"),
])
def test_a_typo_names_the_key_the_line_and_the_fix(tmp_path: Path, old: str, new: str, field: str, says: str,
                                                   suggests: str) -> None:
    path = protocol_with(tmp_path, old, new)
    with pytest.raises(ConfigError) as info:
        load_protocol(path)
    error = info.value
    assert error.location.file == str(path) and error.location.field == field
    assert error.location.line == line_of(path, new.strip().split(":")[0])
    assert says in error.message and suggests in (error.hint or "")
    assert len(str(error)) < 400


def test_a_missing_key_says_which(tmp_path: Path) -> None:
    path = tmp_path / "protocol.yaml"
    path.write_text("review: {title: t}\nsources: [{name: s, database: d}]\n", encoding="utf-8")
    with pytest.raises(ConfigError, match="the protocol needs the key 'search'"):
        load_protocol(path)


def test_the_command_line_prints_a_few_lines(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = protocol_with(tmp_path, "  query:", "  qeury:")
    assert main(["search", "strings", "--config", str(path)]) == 2
    err = capsys.readouterr().err
    assert "did you mean 'query'?" in err and "Traceback" not in err
    assert len(err.strip().splitlines()) <= 3
