"""The records that reach screening: automation, the intended query, suggestions."""

from __future__ import annotations

import csv
from pathlib import Path

from protocols import demo_protocol
from litsieve.record import Record
from litsieve.records_io import read_records, write_records
from litsieve.screening.pool import build_pool, screening_pool

REPO = Path(__file__).resolve().parents[1]


def records() -> list[Record]:
    return [
        Record(record_id="a", title="Peer support in mental health services",
               abstract="Interviews with 12 service users with psychosis about peer support.",
               year=2010, language="English"),
        Record(record_id="b", title="Peer support and mental health", abstract="A survey of 40 patients.",
               year=1985, language="English"),
        Record(record_id="c", title="Peer support and mental health", abstract="Befragung von 40 Patienten.",
               year=2005, language="ger"),
        # PubMed's left-to-right reading retrieves "... OR mental well*" alone; the protocol does not.
        Record(record_id="d", title="Mental wellbeing of nurses on night shifts",
               abstract="A survey of 300 nurses.", year=2012, language="English"),
        Record(record_id="e", title="Open dialogue for first-episode psychosis",
               abstract="Outcomes of open dialogue for mental health service users.", year=2016,
               language="English"),
    ]


def test_build_pool_splits_by_reason() -> None:
    config = demo_protocol()
    pool = build_pool(records(), config.search, config.criteria)
    assert [r.record_id for r in pool.records] == ["a", "e"]
    removed = {r.record_id: (r.category, r.criterion) for r in pool.removed}
    assert removed == {"b": ("automation", "year"), "c": ("automation", "language"),
                       "d": ("other", "intended_query")}
    assert [s.record_id for s in pool.suggestions] == ["a", "e"]
    assert all(s.automatic is None for s in pool.suggestions)
    assert next(r for r in pool.removed if r.record_id == "b").evidence.startswith("year:")


def test_screening_pool_files(tmp_path: Path) -> None:
    config = demo_protocol()
    source = tmp_path / "records.csv"
    write_records(source, records())
    out = {name: tmp_path / f"{name}.csv" for name in ("pool", "removed", "suggestions")}
    screening_pool(source, out["pool"], out["removed"], out["suggestions"], search=config.search,
                   criteria=config.criteria)
    assert [r.record_id for r in read_records(out["pool"])] == ["a", "e"]
    with open(out["removed"], newline="", encoding="utf-8") as handle:
        reader = csv.DictReader(handle)
        assert reader.fieldnames == ["record_id", "category", "criterion", "evidence"]
        assert [row["category"] for row in reader] == ["automation", "automation", "other"]
    with open(out["suggestions"], newline="", encoding="utf-8") as handle:
        reader = csv.DictReader(handle)
        assert reader.fieldnames[:4] == ["record_id", "suggestion", "criteria", "evidence"]
        assert [row["record_id"] for row in reader] == ["a", "e"]
    before = {name: path.read_bytes() for name, path in out.items()}
    screening_pool(source, out["pool"], out["removed"], out["suggestions"], search=config.search,
                   criteria=config.criteria)
    assert {name: path.read_bytes() for name, path in out.items()} == before
