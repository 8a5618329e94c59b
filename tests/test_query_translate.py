"""Translations of the protocol's intended query, checked against each database's syntax.

The golden strings follow the documented syntax recorded in docs/query.md: PubMed field
tags and ``[dp]`` ranges, Europe PMC's ``TITLE:``/``ABSTRACT:``/``PUB_YEAR``/``LANG``
fields, EBSCOhost's ``TI``/``AB`` codes, Ovid's ``.ti,ab.`` lines and ``limit`` line.
"""

from __future__ import annotations

import pytest

from litsieve.cli import main
from litsieve.errors import QueryError
from litsieve.query.parser import parse
from litsieve.query.translate import TARGETS, parse_years, translate, translate_all

SEED = "Peer support OR Peer Mentoring OR Open dialogue AND Mental Health OR Mental well*"
INTENDED = '("peer support" OR "peer mentoring" OR "open dialogue") AND ("mental health" OR "mental well*")'
LIMITS = {"years": (1990, 2017), "languages": ["english"], "fields": "tiab"}

PUBMED = ('(("peer support"[tiab] OR "peer mentoring"[tiab] OR "open dialogue"[tiab]) AND '
          '("mental health"[tiab] OR "mental well*"[tiab])) AND 1990:2017[dp] AND english[la]')
EUROPEPMC = (
    '(((TITLE:"peer support" OR ABSTRACT:"peer support") OR '
    '(TITLE:"peer mentoring" OR ABSTRACT:"peer mentoring") OR '
    '(TITLE:"open dialogue" OR ABSTRACT:"open dialogue")) AND '
    '((TITLE:"mental health" OR ABSTRACT:"mental health") OR '
    '(TITLE:"mental well*" OR ABSTRACT:"mental well*"))) AND PUB_YEAR:[1990 TO 2017] AND LANG:"eng"')
EBSCO = ('(((TI "peer support" OR AB "peer support") OR (TI "peer mentoring" OR AB "peer mentoring") OR '
         '(TI "open dialogue" OR AB "open dialogue")) AND ((TI "mental health" OR AB "mental health") OR '
         '(TI "mental well*" OR AB "mental well*")))')
OVID_LINES = (
    "peer support.ti,ab.",
    "peer mentoring.ti,ab.",
    "open dialogue.ti,ab.",
    "1 or 2 or 3",
    "mental health.ti,ab.",
    "mental well*.ti,ab.",
    "5 or 6",
    "4 and 7",
    'limit 8 to (english language and yr="1990 - 2017")',
)


@pytest.fixture
def intended():
    return parse(INTENDED)


def test_pubmed(intended):
    result = translate(intended, "pubmed", **LIMITS)
    assert result.text == PUBMED
    assert result.core == PUBMED.split(" AND 1990")[0]
    assert any("automatic term mapping" in note for note in result.notes)
    assert any('"mental well*"' in note for note in result.notes)  # phrase truncation explained


def test_europepmc(intended):
    result = translate(intended, "europepmc", **LIMITS)
    assert result.text == EUROPEPMC
    assert result.parameters == {"synonym": "false"}
    assert "PUB_YEAR" not in result.core


def test_ebsco_limiters_beside_the_string(intended):
    result = translate(intended, "ebsco", **LIMITS)
    assert result.text == EBSCO
    assert result.limits == ("Published Date: January 1990 to December 2017", "Language: English")
    report = result.report()
    assert "Limiters to set beside the search:" in report and EBSCO in report


def test_ovid_numbered_lines_and_limit_line(intended):
    result = translate(intended, "ovid", **LIMITS)
    assert result.lines == OVID_LINES
    assert result.text.splitlines()[0] == "1  peer support.ti,ab."
    assert result.text.splitlines()[-1] == '9  limit 8 to (english language and yr="1990 - 2017")'
    assert "limit" not in result.core


def test_without_limits(intended):
    assert translate(intended, "pubmed").text == PUBMED.split(" AND 1990")[0]
    ovid = translate(intended, "ovid")
    assert ovid.lines == OVID_LINES[:-1]
    assert not ovid.limits


def test_field_tags_and_defaults():
    tree = parse('peer[ti] OR support[ab] OR "open dialogue"')
    assert translate(tree, "pubmed", fields="ti").text == '(peer[ti] OR support[tiab] OR "open dialogue"[ti])'
    assert any("no abstract-only field" in n for n in translate(tree, "pubmed").notes)
    assert translate(tree, "ebsco").text == '(TI peer OR AB support OR (TI "open dialogue" OR AB "open dialogue"))'
    assert translate(tree, "europepmc").text.startswith("(TITLE:peer OR ABSTRACT:support OR ")
    assert translate(tree, "ovid").lines == ("peer.ti.", "support.ab.", "open dialogue.ti,ab.", "1 or 2 or 3")
    assert translate(tree, "ovid", fields="all").lines[2] == "open dialogue.mp."


def test_not_and_several_languages():
    tree = parse("adult* NOT (child* OR adolescen*)")
    pubmed = translate(tree, "pubmed", languages=["English", "fre"])
    assert pubmed.text == "(adult*[tiab] NOT (child*[tiab] OR adolescen*[tiab])) AND (english[la] OR french[la])"
    assert translate(tree, "europepmc", languages=["english", "french"]).text.endswith(
        '(LANG:"eng" OR LANG:"fre")')
    assert translate(tree, "ovid", languages=["english", "french"]).lines[-1] == (
        "limit 5 to (english language or french language)")
    assert translate(tree, "ovid").lines[-1] == "1 not 4"


def test_ovid_quotes_phrases_with_operator_words_or_numbers():
    lines = translate(parse('"sensitivity and specificity" OR "covid 19"'), "ovid").lines
    assert lines[:2] == ('"sensitivity and specificity".ti,ab.', '"covid 19".ti,ab.')


def test_ambiguous_tree_is_refused(intended):
    with pytest.raises(QueryError) as info:
        translate(parse(SEED), "pubmed")
    assert "PubMed (strictly left to right)" in str(info.value)
    with pytest.raises(QueryError):
        translate(intended, "scopus")


def test_translate_all(intended):
    assert set(translate_all(intended, years=(1990, 2017))) == set(TARGETS)


@pytest.mark.parametrize("value, expected", [("1990-2017", (1990, 2017)), ("1990:2017", (1990, 2017))])
def test_parse_years(value, expected):
    assert parse_years(value) == expected


@pytest.mark.parametrize("value", ["2017-1990", "90-17", "1990"])
def test_parse_years_rejects(value):
    with pytest.raises(QueryError):
        parse_years(value)


def test_cli_translates_intended_query(capsys, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    assert main(["query", "translate", "--to", "pubmed", "--years", "1990-2017",
                 "--language", "english", INTENDED]) == 0
    assert PUBMED in capsys.readouterr().out


def test_cli_refuses_ambiguous_string_without_a_reading(capsys, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    assert main(["query", "translate", "--to", "pubmed", SEED]) == 2
    err = capsys.readouterr().err
    assert "--reading" in err and "EBSCOhost (AND and NOT before OR)" in err


def test_cli_reading_options(capsys, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    assert main(["query", "translate", "--to", "ebsco", "--reading", "concept", SEED]) == 0
    assert capsys.readouterr().out.count("(TI ") == 5
    assert main(["query", "translate", "--to", "pubmed", "--reading", "pubmed", SEED]) == 0
    assert ('((("Peer support"[tiab] OR "Peer Mentoring"[tiab] OR "Open dialogue"[tiab]) AND '
            '"Mental Health"[tiab]) OR "Mental well*"[tiab])') in capsys.readouterr().out


def test_cli_uses_the_protocols_intended_query(capsys, tmp_path):
    from pathlib import Path

    repo = Path(__file__).resolve().parents[1]
    config = repo / "tests" / "data" / "protocols" / "demo.yaml"
    assert main(["query", "translate", "--to", "ovid", "--config", str(config), "--years", "1990-2017",
                 "--language", "english", SEED]) == 0
    captured = capsys.readouterr()
    assert "intended_query" in captured.err
    assert '9  limit 8 to (english language and yr="1990 - 2017")' in captured.out
