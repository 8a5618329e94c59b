"""``litsieve suggest FILE... [--config] -o OUT.csv`` (DESIGN.md form and columns)."""

from __future__ import annotations

import argparse
import csv
from pathlib import Path

from litsieve.cli import main
from litsieve.screening import suggest_cli
from litsieve.screening.suggest import Suggestion, write_suggestions

REPO = Path(__file__).resolve().parents[1]
DATA = REPO / "tests" / "data" / "suggest" / "records.csv"
CONFIG = REPO / "tests" / "data" / "protocols" / "demo.yaml"


def read(path: Path) -> tuple[list[str], dict[str, dict[str, str]]]:
    with open(path, newline="", encoding="utf-8") as handle:
        reader = csv.DictReader(handle)
        rows = {row["record_id"]: row for row in reader}
        return list(reader.fieldnames or []), rows


def test_cli_writes_design_columns_first(tmp_path: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    out = tmp_path / "out.csv"
    assert main(["suggest", str(DATA), "--config", str(CONFIG), "-o", str(out)]) == 0
    columns, rows = read(out)
    assert columns[:4] == ["record_id", "suggestion", "criteria", "evidence"]
    assert set(rows) == {"s1", "s2", "s3", "s4", "s5"}
    assert rows["s1"]["suggestion"] == "include"
    assert rows["s2"]["suggestion"] == "exclude" and "online_only" in rows["s2"]["criteria"].split("; ")
    assert "[online]" in rows["s2"]["evidence"].lower() or "[internet]" in rows["s2"]["evidence"].lower()
    assert rows["s3"]["suggestion"] == "exclude" and rows["s3"]["reason"] == "Peer support not about mental health"
    assert rows["s4"]["automatic"] == "year" and rows["s4"]["suggestion"] == "exclude"
    assert rows["s5"]["suggestion"] == "exclude" and rows["s5"]["criteria"].split("; ")[0] == "not_empirical"
    assert "5 record(s): 1 include, 4 exclude (1 by automatic criteria), 0 unsure" in capsys.readouterr().err
    first = out.read_bytes()
    assert main(["suggest", str(DATA), "--config", str(CONFIG), "-o", str(out)]) == 0
    assert out.read_bytes() == first


def test_cli_errors_name_the_file(tmp_path: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    missing = tmp_path / "nope.yaml"
    assert main(["suggest", str(DATA), "--config", str(missing), "-o", str(tmp_path / "o.csv")]) != 0
    assert str(missing) in capsys.readouterr().err
    bad = tmp_path / "bad.yaml"
    bad.write_text(CONFIG.read_text(encoding="utf-8").replace("kind: exclusion", "kind: excluded", 1),
                   encoding="utf-8")
    assert main(["suggest", str(DATA), "--config", str(bad), "-o", str(tmp_path / "o.csv")]) != 0
    assert "criteria" in capsys.readouterr().err
    assert not (tmp_path / "o.csv").exists()


def test_register_adds_the_subcommand() -> None:
    parser = argparse.ArgumentParser()
    suggest_cli.register(parser.add_subparsers(dest="command"))
    args = parser.parse_args(["suggest", "a.ris", "b.txt", "-o", "x.csv"])
    assert args.files == ["a.ris", "b.txt"] and args.config == "config/config.yaml"
    assert args.func is suggest_cli.run


def test_writer_neutralises_nothing_it_should_not(tmp_path: Path) -> None:
    out = tmp_path / "s.csv"
    write_suggestions(out, [Suggestion("r1", "unsure", ("a", "b"), ("a: x", "b: =y"), unmet=("c",))])
    columns, rows = read(out)
    assert rows["r1"]["criteria"] == "a; b"
    assert rows["r1"]["evidence"] == "a: x | b: =y"
    assert rows["r1"]["unmet"] == "c" and rows["r1"]["automatic"] == ""
