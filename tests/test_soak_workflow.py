"""Soak (``make soak``): real ``snakemake`` runs in random sequences never lose a typed decision.

Each seeded sequence plays screener edits in every kind of person file (saved the ways
spreadsheets save), reruns, ``--forceall``, ``rm -rf results``, exports that gain records,
lose them or re-export one with new pages (a record without a database id, so a new id),
deleted rows, and runs killed with SIGKILL at a random moment, on a copy of the demo
review. After every completed run each typed cell is in its file or in the orphans file,
and ``snakemake -n`` has nothing to do. Deselected from ``make test`` (marker ``soak``);
``LITSIEVE_SOAK_SEQUENCES`` and ``LITSIEVE_SOAK_STEPS`` set its size.
"""

from __future__ import annotations

import os
import random
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from conftest import copy_workflow, run_snakemake
from litsieve.personfile import HELP_KEY
from screening_helpers import read_rows, spreadsheet_edit

pytestmark = pytest.mark.soak
SEQUENCES = int(os.environ.get("LITSIEVE_SOAK_SEQUENCES", "3"))
STEPS = int(os.environ.get("LITSIEVE_SOAK_STEPS", "10"))
EXPORT = "resources/demo/psycinfo_ebscohost.ris"
FILES = {
    "screening/title_abstract/screener_a.csv": [{"decision": "include"}, {"decision": "exclude", "reason": "children"},
                                                {"decision": "maybe", "note": "ask B"}, {"decision": ""}],
    "screening/title_abstract/screener_b.csv": [{"decision": "Include"}, {"decision": "exclude"},
                                                {"note": "=1+1; mine"}],
    "screening/full_text/screener_a.csv": [{"retrieval": "retrieved", "decision": "include"},
                                           {"retrieval": "retrieved", "decision": "exclude", "reason": "not_empirical"},
                                           {"retrieval": "not retrieved", "decision": "", "reason": ""}],
    "screening/conflicts/title_abstract.csv": [{"resolution": "include"}, {"resolution": "exclude", "reason": "other",
                                                                           "note": "family network"}],
}
COLUMNS = ("retrieval", "decision", "reason", "note", "resolution")


def _record(n: int, pages: str) -> str:
    """A RIS record without an accession number or DOI: its id is a hash of its content."""
    return (f"TY  - JOUR\r\nT1  - Peer support groups for adults using mental health services: soak trial {n}\r\n"
            f"A1  - Newcomer, Alex\r\nY1  - 2014///\r\nJF  - Psychiatric Services\r\nSP  - {pages}\r\n"
            f"AB  - A randomised trial of peer support for adult users of mental health services ({n}).\r\n"
            f"LA  - English\r\nM3  - Journal Article\r\nER  - \r\n\r\n")


class Soak:
    def __init__(self, review: Path, rng: random.Random) -> None:
        self.review, self.rng = review, rng
        self.base = (review / EXPORT).read_bytes()
        self.extra: dict[int, str] = {}  # soak records in the export: number -> pages
        self.expected: dict[str, dict[str, dict[str, str]]] = {name: {} for name in FILES}
        self.title_of: dict[str, str] = {}

    def export(self) -> None:
        text = "".join(_record(n, pages) for n, pages in sorted(self.extra.items()))
        (self.review / EXPORT).write_bytes(self.base + text.encode())

    def snakemake(self, *args: str) -> None:
        run_snakemake(self.review, "--rerun-incomplete", *args)
        self.check()

    def killed(self) -> None:
        snakemake = Path(sys.executable).with_name("snakemake")
        process = subprocess.Popen([str(snakemake), "--cores", "2", "--rerun-incomplete", "--directory",
                                    str(self.review), "--snakefile", str(self.review / "Snakefile")],
                                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
        time.sleep(self.rng.uniform(0.5, 12.0))
        os.killpg(process.pid, signal.SIGKILL)
        process.wait()
        run_snakemake(self.review, "--unlock")

    def edit(self) -> None:
        name = self.rng.choice(sorted(FILES))
        path = self.review / name
        _, rows, _ = read_rows(path)
        if not rows:
            return
        edits = {}
        for row in self.rng.sample(rows, min(len(rows), self.rng.randint(1, 4))):
            cells = dict(self.rng.choice(FILES[name]))
            edits[row["record_id"]] = cells
            typed = self.expected[name].setdefault(row["record_id"], {})
            self.title_of[row["record_id"]] = row["title"]
            for column, value in cells.items():
                if value.strip():
                    typed[column] = value
                else:
                    typed.pop(column, None)
        spreadsheet_edit(path, edits, delimiter=self.rng.choice([",", ";", "\t"]), bom=self.rng.random() < 0.5,
                         crlf=self.rng.random() < 0.5, reverse=self.rng.random() < 0.5,
                         encoding=self.rng.choice(["utf-8", "utf-16"]))

    def check(self) -> None:
        for name in FILES:
            found: dict[str, dict[str, str]] = {}
            for path in (self.review / "screening/orphans" / Path(name).relative_to("screening"), self.review / name):
                if path.exists():
                    for row in read_rows(path)[1]:
                        found[row["record_id"]] = {c: row[c] for c in COLUMNS if row.get(c, "").strip()}
            by_title = {self.title_of.get(k): v for k, v in found.items()}
            for record_id, typed in self.expected[name].items():
                if typed and found.get(record_id) != typed:
                    # A re-identified soak record: its cells moved to the record's new id.
                    assert "soak trial" in self.title_of.get(record_id, "") and typed in found.values(), (
                        name, record_id, typed, found.get(record_id), by_title.get(self.title_of.get(record_id)))
        assert not [p for p in (self.review / "screening").rglob("*") if p.name.startswith(".") and
                    p.name.endswith(".tmp")], "a half-written file was left behind"


@pytest.mark.parametrize("seed", range(SEQUENCES))
def test_real_workflow_runs_never_lose_a_typed_decision(tmp_path: Path, seed: int) -> None:
    rng = random.Random(seed)
    soak = Soak(copy_workflow(tmp_path / "review"), rng)
    soak.extra = {n: f"{10 * n}-{10 * n + 9}" for n in range(1, 4)}
    soak.export()
    soak.snakemake()
    for _ in range(STEPS):
        op = rng.choice(["edit", "edit", "edit", "rerun", "forceall", "rm -rf results", "export gains",
                         "export loses", "re-export", "SIGKILL"])
        if op == "edit":
            soak.edit()
            continue
        if op == "export gains":
            soak.extra[max(soak.extra, default=0) + 1] = "1-9"
        elif op == "export loses" and soak.extra:
            del soak.extra[rng.choice(sorted(soak.extra))]
        elif op == "re-export" and soak.extra:
            number = rng.choice(sorted(soak.extra))
            soak.extra[number] = f"{rng.randint(100, 999)}-{rng.randint(1000, 1999)}"
        if op.startswith("export") or op == "re-export":
            soak.export()
        if op == "rm -rf results":
            shutil.rmtree(soak.review / "results")
        if op == "SIGKILL":
            soak.edit()
            soak.killed()
        soak.snakemake(*(["--forceall"] if op == "forceall" else []))
        dry = run_snakemake(soak.review, "-n")
        assert "Nothing to be done" in dry.stdout + dry.stderr, dry.stdout + dry.stderr
    assert HELP_KEY not in soak.expected
