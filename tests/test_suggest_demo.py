"""The default protocol's suggestions against the demo's intended decisions.

resources/demo/intended_decisions.csv lists, for every work that reaches screening, the
decision a careful reviewer makes at title/abstract and the exclusion criteria meant to
fire. Every record of each work (PubMed and PsycINFO copies alike) is checked, so the
result does not depend on which copy deduplication keeps:

* no record a person would include is suggested for exclusion;
* on every record a person would exclude, each criterion meant for it fires;
* criteria listed as ``must_not_fire`` do not fire;
* records a person would mark "maybe" are never suggested for inclusion;
* the automatic limits remove exactly the records outside 1990-2017 or not in English.
"""

from __future__ import annotations

import csv
from collections import Counter
from pathlib import Path
from typing import Any

import pytest

from litsieve.importers import load
from litsieve.screening.criteria import compile_criteria
from protocols import demo_protocol
from litsieve.screening.suggest import Suggestion, suggest_records

REPO = Path(__file__).resolve().parents[1]
DEMO = REPO / "resources" / "demo"


def rows(name: str) -> list[dict[str, str]]:
    with open(DEMO / name, newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def ids(cell: str) -> set[str]:
    return {part.strip() for part in cell.split(";") if part.strip()}


@pytest.fixture(scope="module")
def config() -> dict[str, Any]:
    return demo_protocol()


@pytest.fixture(scope="module")
def suggestions(config: dict[str, Any]) -> dict[str, Suggestion]:
    records = [record for source in config.sources for path in source.files
               for record in load(REPO / path, source=source.name)]
    return {s.record_id: s for s in suggest_records(records, config.criteria)}


@pytest.fixture(scope="module")
def compared(suggestions: dict[str, Suggestion]) -> list[tuple[dict[str, str], Suggestion]]:
    pairs = []
    for row in rows("intended_decisions.csv"):
        for record_id in sorted(ids(row["record_ids"])):
            assert record_id in suggestions, f"{record_id} is not in the demo exports"
            pairs.append((row, suggestions[record_id]))
    return pairs


def test_agreement_figures(compared: list[tuple[dict[str, str], Suggestion]]) -> None:
    table = Counter((row["decision"], s.suggestion) for row, s in compared)
    print("\nintended decision x suggestion (records):",
          ", ".join(f"{d}->{s}: {n}" for (d, s), n in sorted(table.items())))
    assert table[("include", "exclude")] == 0
    assert table[("maybe", "include")] == 0
    assert table[("exclude", "include")] == 0
    # Most intended decisions are suggested outright; the rest go to a person as unsure.
    agreed = table[("include", "include")] + table[("exclude", "exclude")]
    assert agreed >= 0.9 * sum(n for (d, _), n in table.items() if d != "maybe")


def test_criteria_meant_to_fire_do_fire(compared: list[tuple[dict[str, str], Suggestion]]) -> None:
    missed = [(s.record_id, sorted(ids(row["exclusion_criteria"]) - set(s.criteria)))
              for row, s in compared
              if row["decision"] == "exclude" and ids(row["exclusion_criteria"]) - set(s.criteria)]
    assert missed == []


def test_suggested_exclusions_give_an_intended_reason(compared: list[tuple[dict[str, str], Suggestion]]) -> None:
    """A suggested exclusion names the reason a person would give (the first criterion that
    fired, in protocol order, is one of those meant for the record)."""
    wrong = [(s.record_id, s.excluded_by) for row, s in compared
             if s.suggestion == "exclude" and not s.automatic and ids(row["exclusion_criteria"])
             and s.excluded_by not in ids(row["exclusion_criteria"])]
    assert wrong == []


def test_must_not_fire(compared: list[tuple[dict[str, str], Suggestion]]) -> None:
    fired = [(s.record_id, sorted(ids(row["must_not_fire"]) & set(s.criteria)))
             for row, s in compared if ids(row["must_not_fire"]) & set(s.criteria)]
    assert fired == []


def test_every_exclusion_criterion_is_exercised(compared: list[tuple[dict[str, str], Suggestion]],
                                                config: dict[str, Any]) -> None:
    meant = {c for row, _ in compared for c in ids(row["exclusion_criteria"])}
    exclusions = {c.id for c in compile_criteria(config.criteria) if c.kind == "exclusion" and not c.automatic}
    assert exclusions <= meant, "the demo has no record meant for some criteria"


def test_automatic_limits_match_the_demo(suggestions: dict[str, Suggestion]) -> None:
    for row in rows("intended_query.csv"):
        suggestion = suggestions[row["record_id"]]
        expected = set()
        if row["in_years"] == "false":
            expected.add("year")
        if row["language"] != "english":
            expected.add("language")
        fired = {c for c in suggestion.criteria if c in ("year", "language")}
        assert fired == expected, row["record_id"]
        assert (suggestion.automatic is not None) == bool(expected)
