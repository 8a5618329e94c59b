"""The default protocol's criteria on realistic records (tests/data/suggest/realistic.yaml).

The records are written the way real abstracts put things (negation, contrast, blended
delivery, comorbidity, staff-facilitated groups, "peer" in other senses), not in the
demo's words, so the criteria are checked for the review rather than for its demo.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
import yaml

from litsieve.record import Record
from litsieve.screening.criteria import compile_criteria
from protocols import demo_protocol
from litsieve.screening.suggest import suggest_records

REPO = Path(__file__).resolve().parents[1]
CASES: list[dict[str, Any]] = yaml.safe_load(
    (REPO / "tests" / "data" / "suggest" / "realistic.yaml").read_text(encoding="utf-8")
)


@pytest.fixture(scope="module")
def config() -> dict[str, Any]:
    return demo_protocol()


def as_record(case: dict[str, Any]) -> Record:
    return Record(record_id=case["id"], title=case["title"], abstract=case.get("abstract", ""),
                  year=case.get("year"), language=case.get("language", ""),
                  publication_types=list(case.get("publication_types", [])),
                  keywords=list(case.get("keywords", [])))


@pytest.fixture(scope="module")
def suggestions(config: dict[str, Any]) -> dict[str, Any]:
    return {s.record_id: s for s in suggest_records([as_record(c) for c in CASES], config.criteria)}


@pytest.mark.parametrize("case", CASES, ids=[c["id"] for c in CASES])
def test_realistic_record(case: dict[str, Any], suggestions: dict[str, Any]) -> None:
    suggestion = suggestions[case["id"]]
    detail = f"{suggestion.why}; fired {suggestion.criteria}; {suggestion.evidence}"
    assert suggestion.suggestion == case["expect"], detail
    for criterion in case.get("fires", []):
        assert criterion in suggestion.criteria, detail
    for criterion in case.get("not_fires", []):
        assert criterion not in suggestion.criteria, detail
    assert suggestion.automatic == case.get("automatic"), detail


def test_every_criterion_fires_on_some_realistic_record(suggestions: dict[str, Any],
                                                        config: dict[str, Any]) -> None:
    fired = {c for s in suggestions.values() for c in s.criteria}
    assert {c.id for c in compile_criteria(config.criteria)} <= fired


def test_no_include_is_suggested_exclude(suggestions: dict[str, Any]) -> None:
    wrongly = [c["id"] for c in CASES if c["expect"] == "include" and suggestions[c["id"]].suggestion == "exclude"]
    assert wrongly == []


def test_evidence_shows_the_words(suggestions: dict[str, Any]) -> None:
    online = suggestions["online_only_forum"]
    assert online.reason == "Delivered by computer, online or social media only"
    evidence = next(e for e in online.evidence if e.startswith("online_only:"))
    assert "[online]" in evidence.lower() or "[internet]" in evidence.lower()
    children = next(e for e in suggestions["adolescents_numbers"].evidence if e.startswith("children:"))
    assert "[aged 12-17]" in children or "[Pupils]" in children


def test_missing_abstract_never_excluded_on_title_words(config: dict[str, Any]) -> None:
    record = Record(record_id="t1", title="An online peer support forum for people with depression",
                    year=2012, language="English")
    [suggestion] = suggest_records([record], config.criteria)
    assert suggestion.suggestion == "unsure"
    assert "online_only" in suggestion.criteria
    assert "no abstract" in suggestion.why


def test_countered_exclusions_are_explained(suggestions: dict[str, Any]) -> None:
    assert "online_only countered" in suggestions["blended_delivery"].why
    assert "not_mental_health countered" in suggestions["comorbid_smi_diabetes"].why
    assert re.search(r"\bchildren\b[^;]*countered", suggestions["young_people_mixed_ages"].why)
    assert "countered" not in suggestions["rct_smi_peer"].why
