"""Concepts: what criteria name instead of word lists; a protocol extends or replaces them."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
import yaml

from litsieve.errors import ConfigError
from litsieve.query.match import Matcher
from litsieve.query.parser import parse
from litsieve.record import Record
from litsieve.concepts import TYPES, concepts
from litsieve.screening.criteria import compile_criteria
from litsieve.screening.suggest import suggest_records
from protocols import DEMO, demo_mapping, minimal_mapping, protocol

REPO = Path(__file__).resolve().parents[1]
NURSES = Record(record_id="n", title="Peer support among lifeguards after drowning incidents",
                abstract="We surveyed 120 lifeguards about peer support after incidents; most valued it.")


def criteria_of(mapping: dict[str, Any]) -> dict[str, Any]:
    return {c.id: c for c in protocol(mapping).criteria}


def test_every_packaged_concept_is_documented() -> None:
    docs = (REPO / "docs" / "criteria.md").read_text(encoding="utf-8")
    for name, concept in concepts().items():
        assert concept.type in TYPES
        assert concept.about, name
        assert f"`{name}`" in docs, f"docs/criteria.md does not describe the concept {name}"


def test_the_default_criteria_are_short_and_state_no_limit_twice() -> None:
    text = DEMO.read_text(encoding="utf-8")
    section = text[text.index("\ncriteria:"):].strip().splitlines()
    assert len(section) < 60
    entries = yaml.safe_load(text)["criteria"]
    assert not any("year_outside" in e or "language_not" in e for e in entries)


def test_year_and_language_limits_come_from_the_search() -> None:
    mapping = minimal_mapping(search={"query": "peer support", "years": {"start": 1990, "end": 2017},
                                      "languages": ["english", "fre"]})
    limits = {c.id: c for c in protocol(mapping).criteria}
    assert limits["year"].automatic and limits["year"].reason == "Published outside 1990-2017"
    assert limits["language"].language_not == ("english", "french")
    assert limits["language"].reason == "Not published in English or French"
    old = Record(record_id="o", title="t", abstract="a", year=1985, language="eng")
    [suggestion] = suggest_records([old], protocol(mapping).criteria)
    assert suggestion.automatic == "year"
    # A protocol that states its own limit keeps it, once.
    mapping["criteria"] = [{"id": "year", "kind": "exclusion", "automatic": True, "fields": ["year"],
                            "year_outside": {"start": 2000}}]
    years = [c for c in protocol(mapping).criteria if c.id == "year"]
    assert len(years) == 1 and years[0].year_outside.start == 2000
    assert [c.id for c in protocol(minimal_mapping()).criteria] == []


def test_a_protocol_adds_words_to_a_role() -> None:
    only_staff = {"id": "not_users", "kind": "exclusion",
                  "participants": {"only": ["staff", "carers_family", "students", "police_military", "general_public"]}}
    base = minimal_mapping(criteria=[only_staff])
    [plain] = suggest_records([NURSES], protocol(base).criteria)
    assert plain.suggestion != "exclude"  # lifeguards are no role litsieve knows
    extended = minimal_mapping(criteria=[only_staff], concepts={"staff": {"people": ["lifeguard*"]}})
    [suggestion] = suggest_records([NURSES], protocol(extended).criteria)
    assert suggestion.suggestion == "exclude" and "[120 lifeguards" in suggestion.evidence[0]


def test_a_terms_concept_is_merged_with_the_criterions_own_words() -> None:
    mapping = minimal_mapping(criteria=[{"id": "mh", "kind": "inclusion", "concept": "mental_health",
                                         "any": ["languishing"]}])
    mh = criteria_of(mapping)["mh"]
    assert "schizophren*" in mh.any and mh.any[-1] == "languishing"
    assert mh.label == concepts()["mental_health"].label
    replaced = minimal_mapping(criteria=[{"id": "mh", "kind": "inclusion", "concept": "mental_health"}],
                               concepts={"mental_health": {"replace": True, "type": "terms", "any": ["gloom"]}})
    assert criteria_of(replaced)["mh"].any == ("gloom",)


def test_concept_references_expand_inside_lists() -> None:
    other = concepts()["other_condition_only"]
    assert "diabet*" in other.list("any") and "schizophren*" in other.list("none")


@pytest.mark.parametrize(("criterion", "overrides", "message"), [
    ({"id": "x", "kind": "inclusion", "concept": "nothing_of_the_sort"}, {}, "unknown terms concept"),
    ({"id": "x", "kind": "inclusion", "concept": "staff"}, {}, "is a role concept"),
    ({"id": "x", "kind": "exclusion", "participants": {"only": ["nurses"]}}, {}, "unknown role concept"),
    ({"id": "x", "kind": "exclusion", "age": "toddlers"}, {}, "unknown age concept"),
    ({"id": "x", "kind": "exclusion", "delivery": "reviews"}, {}, "not a delivery concept"),
    ({"id": "x", "kind": "inclusion", "concept": "mental_health"}, {"mental_health": {"type": "role"}},
     "is a terms concept"),
    ({"id": "x", "kind": "inclusion", "concept": "newish"}, {"newish": {"any": ["a"]}}, "needs a type"),
])
def test_bad_concepts_are_config_errors(criterion: dict[str, Any], overrides: dict[str, Any], message: str) -> None:
    with pytest.raises(ConfigError, match=message):
        protocol(minimal_mapping(criteria=[criterion], concepts=overrides))


def test_the_demo_protocol_names_concepts_not_word_lists() -> None:
    entries = demo_mapping()["criteria"]
    named = [e for e in entries if {"concept", "participants", "age", "delivery", "publication"} & set(e)]
    assert len(named) >= 9
    compiled = compile_criteria(protocol(demo_mapping()).criteria)
    assert {c.id for c in compiled if c.roles} >= {"service_users", "not_service_users", "adults", "children"}


def test_one_term_matcher_for_query_and_criteria() -> None:
    """A term means the same everywhere: ``naive bayes*`` finds "Naïve Bayes" as a query term
    and as a criterion term (the issue that led to one text layer)."""
    record = Record(record_id="r", title="A Naïve Bayesian classifier for screening", abstract="Naïve Bayes works.")
    matcher = Matcher(parse("naive bayes*"), fields="tiab")
    assert matcher.match(record).matched
    assert [record.title[s:e] for f, s, e, _ in matcher.spans(record) if f == "title"] == ["Naïve Bayesian"]
    mapping = minimal_mapping(criteria=[{"id": "nb", "kind": "inclusion", "any": ["naive bayes*"]}])
    [suggestion] = suggest_records([record], protocol(mapping).criteria)
    assert "nb" in suggestion.criteria
    assert re.search(r"\[Naïve Bayesian\]", suggestion.evidence[0])
