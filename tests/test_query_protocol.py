"""protocol_query: the workflow refuses an ambiguous string unless the protocol says how to read it."""

from __future__ import annotations


import pytest

from litsieve.errors import ConfigError, QueryError
from litsieve.query.parser import Ambiguous, render
from litsieve.query.protocol import protocol_limits, protocol_query
from protocols import demo_protocol, search_section

SEED = "Peer support OR Peer Mentoring OR Open dialogue AND Mental Health OR Mental well*"
INTENDED = '("peer support" OR "peer mentoring" OR "open dialogue") AND ("mental health" OR "mental well*")'


def test_intended_query_is_returned():
    tree = protocol_query(search_section(query=SEED, intended_query=INTENDED))
    assert not isinstance(tree, Ambiguous)
    assert render(tree) == f"({INTENDED})"


def test_ambiguous_query_without_intended_query_shows_the_readings():
    with pytest.raises(QueryError) as info:
        protocol_query(search_section(query=SEED), file="config/config.yaml")
    error = info.value
    assert error.location.file == "config/config.yaml"
    assert error.location.field == "search.query"
    text = str(error)
    assert "(((Peer support OR Peer Mentoring OR Open dialogue) AND Mental Health) OR Mental well*)" in text
    assert "(Peer support OR Peer Mentoring OR (Open dialogue AND Mental Health) OR Mental well*)" in text
    assert "intended_query" in error.hint


def test_unambiguous_query_needs_no_intended_query():
    tree = protocol_query(search_section(query='"peer support" AND "mental health"'))
    assert render(tree) == '("peer support" AND "mental health")'


@pytest.mark.parametrize("intended, message", [
    ('("peer support" OR "peer mentoring") AND "mental health"', "missing"),
    (INTENDED + ' OR "recovery college"', "not in search.query"),
    ('"peer support" OR "peer mentoring" OR "open dialogue" AND "mental health" OR "mental well*"', "itself ambiguous"),
    ('("peer support" OR', "never closed"),
])
def test_bad_intended_query(intended, message):
    with pytest.raises(QueryError) as info:
        protocol_query(search_section(query=SEED, intended_query=intended))
    assert message in str(info.value)
    assert info.value.location.field == "search.intended_query"


def test_unparseable_query_names_the_key():
    with pytest.raises(QueryError) as info:
        protocol_query(search_section(query="peer AND (support"))
    assert info.value.location.field == "search.query"


def test_missing_query():
    with pytest.raises(ConfigError) as info:
        search_section()
    assert info.value.location.field == "search" and "query" in info.value.message
    with pytest.raises(QueryError):
        protocol_query(search_section(query=" "))


def test_the_demo_protocol_resolves():
    search = demo_protocol().search
    tree = protocol_query(search)
    assert not isinstance(tree, Ambiguous)
    years, languages, fields = protocol_limits(search)
    assert years == (1990, 2017) and languages == ("english",) and fields == "tiab"


def test_limits_with_an_open_end():
    assert protocol_limits(search_section(query="x", years={"start": 2000}))[0] == (2000, 3000)
    assert protocol_limits(search_section(query="x"))[0] is None
