"""Every `litsieve` command, fed bad input, answers with one line naming the file and what to do.

No command may end in a traceback on bad input (issue 16, "the bar"): litsieve's own errors
and the operating system's errors about files are one line on stderr with exit status 2;
a bug would be one line saying so (exit 70), which these cases must never reach.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from litsieve.cli import main
from protocols import demo_mapping, write_protocol

DATA = Path(__file__).parent / "data" / "import"


@pytest.fixture
def bad(tmp_path: Path) -> dict[str, Path]:
    folder = tmp_path / "folder"
    folder.mkdir()
    binary = tmp_path / "export.ris"
    binary.write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)))
    yaml_broken = tmp_path / "broken.yaml"
    yaml_broken.write_text("review: [unclosed\n", encoding="utf-8")
    invalid = write_protocol(tmp_path / "invalid.yaml", {"review": {"title": "x"}, "sources": "none"})
    labels = tmp_path / "labels.csv"
    labels.write_text("record_id,title\nr1,a\n", encoding="utf-8")
    protocol = write_protocol(tmp_path / "config" / "config.yaml", demo_mapping())
    corrupt = tmp_path / "results"
    (corrupt / "screening").mkdir(parents=True)
    (corrupt / "screening" / "status.json").write_text('{"title_abstract": ', encoding="utf-8")
    return {"corrupt": corrupt, "folder": folder, "binary": binary, "missing": tmp_path / "missing.ris", "broken": yaml_broken,
            "invalid": invalid, "labels": labels, "protocol": protocol, "root": tmp_path}


CASES = {
    "import a missing file": lambda b: ["import", str(b["missing"]), "-o", str(b["root"] / "o.csv")],
    "import a folder": lambda b: ["import", str(b["folder"]), "-o", str(b["root"] / "o.csv")],
    "import a binary file": lambda b: ["import", str(b["binary"]), "-o", str(b["root"] / "o.csv")],
    "import -o a folder": lambda b: ["import", str(DATA / "ris_ovid.ris"), "-o", str(b["folder"])],
    "import -o ''": lambda b: ["import", str(DATA / "ris_ovid.ris"), "-o", ""],
    "import -o under a file": lambda b: ["import", str(DATA / "ris_ovid.ris"), "-o", str(b["labels"] / "o.csv")],
    "query match a missing file": lambda b: ["query", "match", "peer support", str(b["missing"]), "-o",
                                             str(b["root"] / "m.csv")],
    "query translate bad syntax": lambda b: ["query", "translate", "peer AND (support", "--to", "pubmed"],
    "search show, no protocol": lambda b: ["search", "show", "--config", str(b["root"] / "nope.yaml")],
    "search strings, broken YAML": lambda b: ["search", "strings", "--config", str(b["broken"])],
    "search refresh, invalid protocol": lambda b: ["search", "refresh", "--config", str(b["invalid"])],
    "dedup a missing file": lambda b: ["dedup", str(b["missing"]), "--clusters", str(b["root"] / "c.csv")],
    "dedup a binary file": lambda b: ["dedup", str(b["binary"]), "--clusters", str(b["root"] / "c.csv")],
    "suggest, broken YAML": lambda b: ["suggest", str(DATA / "ris_ovid.ris"), "--config", str(b["broken"]),
                                       "-o", str(b["root"] / "s.csv")],
    "status, a corrupt status.json": lambda b: ["status", "--results", str(b["corrupt"]), "--config",
                                                str(b["protocol"])],
    "screen check a file of no review": lambda b: ["screen", "check", str(b["labels"]), "--config",
                                                    str(b["protocol"])],
    "simulate without the label column": lambda b: ["simulate", str(b["labels"]), "--label-column", "label",
                                                    "--seed", "1", "-o", str(b["root"] / "order.csv")],
    "simulate a missing file": lambda b: ["simulate", str(b["missing"]), "--label-column", "label",
                                          "--seed", "1", "-o", str(b["root"] / "order.csv")],
    "prisma on an empty results folder": lambda b: ["prisma", "--results", str(b["folder"]), "--config",
                                                    str(b["protocol"]), "-o", str(b["root"] / "p")],
    "extract a missing file": lambda b: ["extract", str(b["missing"]), "--config", str(b["protocol"]),
                                         "-o", str(b["root"] / "e.csv")],
    "export to an unknown format": lambda b: ["export", str(DATA / "ris_ovid.ris"), "-o", str(b["root"] / "x.docx")],
    "export a binary file": lambda b: ["export", str(b["binary"]), "-o", str(b["root"] / "x.ris")],
}


@pytest.mark.parametrize("case", sorted(CASES))
def test_bad_input_is_one_clear_line(case: str, bad: dict[str, Path], capsys: pytest.CaptureFixture[str]) -> None:
    status = main(CASES[case](bad))
    err = capsys.readouterr().err
    assert status not in (0, 70), err
    assert "Traceback" not in err and "internal error" not in err, err
    lines = [line for line in err.splitlines() if "error:" in line]
    assert lines, err
    assert lines[0].startswith("litsieve ") and "error: " in lines[0]
