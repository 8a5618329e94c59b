"""Criteria as data: parsing, validation and each condition's meaning."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from litsieve.config import validate_config
from litsieve.errors import ConfigError
from litsieve.record import Record
from litsieve.protocol import CriterionSpec, criterion_spec
from litsieve.screening.criteria import compile_criteria, exclusion_reasons, parse_criterion
from litsieve.screening.suggest import suggest_records

REPO = Path(__file__).resolve().parents[1]
SCHEMA = REPO / "workflow" / "schemas" / "config.schema.yaml"


def protocol(*criteria: dict[str, Any]) -> dict[str, Any]:
    return {"review": {"title": "t"}, "search": {"query": "a"},
            "sources": [{"name": "s", "database": "d"}], "criteria": list(criteria)}


def specs(entries: list[dict[str, Any]]) -> tuple[CriterionSpec, ...]:
    return tuple(criterion_spec(entry, i) for i, entry in enumerate(entries))


def test_schema_accepts_and_fills_defaults() -> None:
    config = validate_config(protocol({"id": "x", "kind": "exclusion", "any": ["a"]}), SCHEMA)
    assert config["criteria"][0]["fields"] == ["title", "abstract", "keywords"]
    assert config["criteria"][0]["automatic"] is False


@pytest.mark.parametrize(
    "entry",
    [
        {"id": "x", "kind": "maybe", "any": ["a"]},
        {"id": "Bad Id", "kind": "exclusion", "any": ["a"]},
        {"id": "x", "kind": "exclusion", "fields": ["body"], "any": ["a"]},
        {"id": "x", "kind": "exclusion", "anyy": ["a"]},
    ],
)
def test_schema_rejects(entry: dict[str, Any]) -> None:
    with pytest.raises(ConfigError) as info:
        validate_config(protocol(entry), SCHEMA)
    assert info.value.location.field.startswith("criteria")


def test_automatic_only_for_metadata_limits() -> None:
    with pytest.raises(ConfigError, match="automatic"):
        parse_criterion({"id": "x", "kind": "exclusion", "automatic": True, "any": ["online"]}, 0)
    with pytest.raises(ConfigError, match="automatic"):
        parse_criterion({"id": "x", "kind": "inclusion", "automatic": True, "year_outside": {"start": 1990}}, 0)
    assert parse_criterion({"id": "pt", "kind": "exclusion", "automatic": True,
                            "fields": ["publication_types"], "any": ["erratum"]}, 0).automatic


def test_other_config_errors() -> None:
    with pytest.raises(ConfigError, match="no condition"):
        parse_criterion({"id": "x", "kind": "exclusion"}, 3)
    with pytest.raises(ConfigError, match="near"):
        parse_criterion({"id": "x", "kind": "exclusion", "none": ["a"], "near": ["b"]}, 0)
    with pytest.raises(ConfigError, match="twice"):
        compile_criteria(specs([{"id": "x", "kind": "exclusion", "any": ["a"]}] * 2))


def record(text: str, **kw: Any) -> Record:
    return Record(record_id="r", title="t", abstract=text, **kw)


def fired(entry: dict[str, Any], rec: Record) -> bool:
    return parse_criterion(entry, 0).evaluate(rec).fired


def test_any_all_none_combination() -> None:
    entry = {"id": "x", "kind": "exclusion", "any": ["diabet*", "cancer"], "all": ["peer"], "none": ["depress*"]}
    assert fired(entry, record("peer support in diabetes"))
    assert not fired(entry, record("support in diabetes"))  # all: peer missing
    assert not fired(entry, record("peer support in diabetes and depression"))  # none present
    assert fired(entry, record("peer support in diabetes, not depression"))  # negated none


def test_none_only_needs_text() -> None:
    entry = {"id": "x", "kind": "exclusion", "none": ["mental"]}
    assert fired(entry, record("about diabetes"))
    assert not fired(entry, Record(record_id="r"))  # nothing to read is no evidence


def test_ignore_and_near() -> None:
    entry = {"id": "x", "kind": "exclusion", "any": ["online"], "near": ["support*"],
             "ignore": ["online survey*"]}
    assert fired(entry, record("Members used online support. Other text."))
    assert not fired(entry, record("An online survey of peer support users."))
    assert not fired(entry, record("Support groups met weekly. Results were posted online."))


def test_year_and_language_limits() -> None:
    year = {"id": "y", "kind": "exclusion", "year_outside": {"start": 1990, "end": 2017}}
    assert fired(year, record("", year=1989)) and fired(year, record("", year=2018))
    assert not fired(year, record("", year=1990)) and not fired(year, record("", year=None))
    lang = {"id": "l", "kind": "exclusion", "language_not": ["english"]}
    assert fired(lang, record("", language="ger"))
    assert not fired(lang, record("", language="eng"))
    assert not fired(lang, record("", language="English; French"))
    assert not fired(lang, record("", language=""))


def test_field_tagged_terms_read_their_field() -> None:
    entry = {"id": "x", "kind": "exclusion", "fields": ["publication_types"], "any": ["editorial", "commentary[ti]"]}
    assert fired(entry, Record(record_id="r", publication_types=["Editorial"]))
    assert fired(entry, Record(record_id="r", title="A commentary on peer work"))
    assert not fired(entry, Record(record_id="r", abstract="This editorial argues"))


def test_exclusion_reasons_in_protocol_order() -> None:
    config = {"criteria": [
        {"id": "a", "kind": "inclusion", "any": ["x"]},
        {"id": "b", "kind": "exclusion", "any": ["y"], "reason": "Wrong population"},
        {"id": "c", "kind": "exclusion", "any": ["z"], "label": "Online only"},
        {"id": "d", "kind": "exclusion", "any": ["w"], "reason": "Wrong population"},
    ]}
    assert exclusion_reasons(specs(config["criteria"])) == ["Wrong population", "Online only"]


def test_no_inclusion_criteria_means_unsure() -> None:
    config = {"criteria": [{"id": "b", "kind": "exclusion", "any": ["online"]}]}
    [s] = suggest_records([record("face to face groups")], specs(config["criteria"]))
    assert s.suggestion == "unsure"
