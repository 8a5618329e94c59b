"""Fuzzing every importer: whatever bytes arrive, only ImportFormatError may escape.

Random bytes and mutated small fixtures (bytes flipped, lines dropped, duplicated or
cut) go to detection and to each format's parser.

``make test`` runs a fixed, seeded set: :data:`EXAMPLES` inputs per target drawn from
seed 0, the same inputs on every run and machine, so a failure reproduces and the
suite's time does not depend on the clock. ``make fuzz`` hunts for new failures: it sets
``LITSIEVE_FUZZ_SECONDS`` (a time budget spread evenly over the targets) and each target
then runs unseeded rounds until its share is used.
"""

from __future__ import annotations

import os
import time
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, seed, settings
from hypothesis import strategies as st

from litsieve.errors import ImportFormatError
from litsieve.importers import parse_export
from litsieve.importers.detect import FORMATS
from litsieve.importers.encoding import ExportFile, decode

pytestmark = pytest.mark.fuzz

DATA = Path(__file__).parent / "data" / "import"
TARGETS = (None, *FORMATS)  # None: detect the format first
EXAMPLES = 150
BUDGET = float(os.environ.get("LITSIEVE_FUZZ_SECONDS", "0")) / len(TARGETS)
SEEDS = sorted(p.read_bytes() for p in DATA.rglob("*")
               if p.is_file() and p.suffix != ".md" and p.stat().st_size < 20_000)


def _import_bytes(data: bytes, fmt: str | None) -> None:
    """Decode and parse like ``load`` does; only ImportFormatError is an acceptable failure."""
    try:
        text, encoding = decode(data, "fuzz.bin")
        export = ExportFile(path="fuzz.bin", text=text, encoding=encoding)
        _, records = parse_export(export, fmt)
        for record in records:
            record.to_row()
    except ImportFormatError:
        pass


@st.composite
def mutated(draw: st.DrawFn) -> bytes:
    data = bytearray(draw(st.sampled_from(SEEDS)))
    for _ in range(draw(st.integers(1, 6))):
        action = draw(st.sampled_from(("flip", "cut", "insert", "drop_line", "dup_line")))
        position = draw(st.integers(0, max(len(data) - 1, 0)))
        if action == "flip" and data:
            data[position] = draw(st.integers(0, 255))
        elif action == "cut":
            del data[position:]
        elif action == "insert":
            data[position:position] = draw(st.binary(min_size=1, max_size=16))
        else:
            lines = bytes(data).split(b"\n")
            index = draw(st.integers(0, len(lines) - 1))
            if action == "drop_line":
                del lines[index]
            else:
                lines.insert(index, lines[index])
            data = bytearray(b"\n".join(lines))
    return bytes(data)


def _seeded(fmt: str | None) -> None:
    @seed(0)
    @settings(max_examples=EXAMPLES, deadline=None, database=None,
              suppress_health_check=list(HealthCheck))
    @given(st.one_of(st.binary(max_size=2048), mutated()))
    def run(data: bytes) -> None:
        _import_bytes(data, fmt)

    run()


def _run_for(budget: float, fmt: str | None) -> int:
    @settings(max_examples=40, deadline=None, database=None,
              suppress_health_check=list(HealthCheck))
    @given(st.one_of(st.binary(max_size=2048), mutated()))
    def round_(data: bytes) -> None:
        _import_bytes(data, fmt)

    rounds = 0
    end = time.monotonic() + budget
    while True:
        round_()
        rounds += 1
        if time.monotonic() >= end:
            return rounds


def test_fixture_seeds_exist() -> None:
    assert len(SEEDS) >= 10, "tests/data/import should hold the small fixtures used as seeds"


@pytest.mark.parametrize("fmt", TARGETS, ids=lambda f: f or "detect")
def test_only_import_errors_escape(fmt: str | None) -> None:
    if BUDGET > 0:  # make fuzz
        assert _run_for(BUDGET, fmt) >= 1
    else:
        _seeded(fmt)
