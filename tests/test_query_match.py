"""Local evaluation of the query over records: normalisation, fields, limits, output."""

from __future__ import annotations

import csv
import time

import pytest

from litsieve.cli import main
from litsieve.errors import QueryError
from litsieve.query.match import Matcher, format_summary, match_records, summarise
from litsieve.query.parser import parse
from litsieve.record import Record
from litsieve.records_io import write_records

INTENDED = '("peer support" OR "peer mentoring" OR "open dialogue") AND ("mental health" OR "mental well*")'


def record(title="", abstract="", **kwargs) -> Record:
    return Record(record_id=kwargs.pop("record_id", "r1"), source=kwargs.pop("source", "test"),
                  title=title, abstract=abstract, **kwargs)


@pytest.fixture(scope="module")
def seed():
    return Matcher(parse(INTENDED))


@pytest.mark.parametrize("title", [
    "Peer support and mental wellbeing",
    "Peer-support and Mental Well-Being",
    "PEER SUPPORT, MENTAL WELL BEING",
    "Open dialogue in mental health services",
    "Peer mentoring: mental health outcomes",
    "Peer sup\u00adport and mental\u2010health",  # soft hyphen inside a word, Unicode hyphen
    "Peer support & mental well\u2011being",  # non-breaking hyphen
])
def test_matches_despite_spelling_noise(seed, title):
    result = seed.match(record(title))
    assert result.matched, title
    assert result.reason == ""


@pytest.mark.parametrize("title, abstract", [
    ("Peer supporters in mental health", ""),  # "peer support" is not truncated
    ("Peer support in diabetes", "Outcomes for mental illness"),  # no mental health/well* phrase
    ("Support from peers for mental health", ""),  # words not adjacent in order
    ("Peer support", "for mental\nhealth"[:0] + "about mentalhealth"),  # glued words differ
])
def test_does_not_match(seed, title, abstract):
    result = seed.match(record(title, abstract))
    assert not result.matched
    assert result.reason == "query"


def test_phrase_never_spans_title_and_abstract(seed):
    assert not seed.match(record("Open dialogue and mental", "health of adults")).matched
    assert seed.match(record("Open dialogue", "mental health of adults")).matched


def test_hyphen_variants_both_ways():
    assert Matcher(parse("wellbeing")).match(record("Mental well-being")).matched
    assert Matcher(parse('"well-being"')).match(record("mental wellbeing")).matched
    assert Matcher(parse('"well-being"')).match(record("mental well being")).matched
    assert Matcher(parse("peer-led")).match(record("a peer led group")).matched


def test_diacritics_and_case():
    assert Matcher(parse('"psychiatrie communautaire"')).match(record("Psychiatrie Communautaire")).matched
    assert Matcher(parse("cafe")).match(record("Café groups")).matched


def test_truncation_is_a_prefix_at_a_word_start():
    matcher = Matcher(parse("psychiatr*"))
    assert matcher.match(record("Psychiatric wards")).matched
    assert matcher.match(record("psychiatry")).matched
    assert not matcher.match(record("neuropsychiatric")).matched
    assert not Matcher(parse("peer")).match(record("peers")).matched


def test_hits_list_every_matching_term_in_query_order(seed):
    result = seed.match(record("Open dialogue", "peer support for mental wellbeing and mental health"))
    assert result.hits == ("peer support", "open dialogue", "mental health", "mental well*")


def test_not_and_field_tags():
    matcher = Matcher(parse('"peer support"[ti] NOT (child* OR adolescen*)'))
    assert matcher.match(record("Peer support for adults")).hits == ("peer support[ti]",)
    assert not matcher.match(record("Peer support for adolescents")).matched
    assert not matcher.match(record("Adults", "peer support")).matched  # title only
    assert Matcher(parse('"peer support"'), fields="ab").match(record("x", "peer support")).matched
    assert not Matcher(parse('"peer support"'), fields="ti").match(record("x", "peer support")).matched
    assert Matcher(parse('"peer support"'), fields="all").match(
        record("x", "", keywords=["Peer Support", "Recovery"])).matched


def test_year_and_language_limits():
    matcher = Matcher(parse('"peer support"'), years=(1990, 2017), languages=["english"])
    assert matcher.match(record("Peer support", year=2017, language="eng")).matched
    assert matcher.match(record("Peer support", year=None, language="")).matched  # unknown passes
    assert matcher.match(record("Peer support", year=1995, language="English; French")).matched
    assert matcher.match(record("Peer support", year=2018, language="eng")).reason == "year"
    assert matcher.match(record("Peer support", year=2000, language="ger")).reason == "language"
    result = matcher.match(record("Other", year=1980, language="fre"))
    assert (result.matched, result.reason) == (False, "query; year; language")
    assert matcher.match(record("", "")).reason == "no-text"


def test_ambiguous_query_is_refused():
    with pytest.raises(QueryError):
        Matcher(parse("a OR b AND c"))


def test_rows_and_summary(seed):
    records = [record("Peer support in mental health", record_id="p1", source="pubmed"),
               record("Something else", record_id="p2", source="pubmed"),
               record("Open dialogue mental health", record_id="s1", source="psycinfo")]
    rows = match_records(seed, records)
    assert rows[1] == {"record_id": "p2", "source": "pubmed", "matched": "false", "failed_on": "query", "hits": "",
                       "unverified": ""}
    assert rows[0]["hits"] == "peer support; mental health"
    summary = summarise(rows)
    assert list(summary) == ["psycinfo", "pubmed"]
    assert summary["pubmed"]["matched"] == 1 and summary["pubmed"]["failed on query"] == 1
    assert "pubmed: 2 records, 1 matches the query, 1 does not (query: 1)" in format_summary(summary)


def test_cli_match_writes_csv(tmp_path, capsys, monkeypatch):
    monkeypatch.chdir(tmp_path)
    export = tmp_path / "export.csv"
    write_records(export, [
        record("Peer support and mental well-being", record_id="A1", year=2001, language="eng"),
        record("Peer support for diabetes", record_id="A2", year=2001),
        record("Open dialogue in mental health", record_id="A3", year=2019),
    ])
    out = tmp_path / "match.csv"
    assert main(["query", "match", INTENDED, str(export), "-o", str(out), "--source", "psycinfo",
                 "--years", "1990-2017"]) == 0
    rows = list(csv.DictReader(out.open(newline="", encoding="utf-8")))
    assert list(rows[0]) == ["record_id", "source", "matched", "failed_on", "hits", "unverified"]
    assert [(r["record_id"], r["matched"], r["failed_on"]) for r in rows] == [
        ("A1", "true", ""), ("A2", "false", "query"), ("A3", "false", "year")]
    assert "psycinfo: 3 records, 1 matches the query, 2 do not (query: 1, year: 1)" in capsys.readouterr().out
    first = out.read_bytes()
    assert main(["query", "match", INTENDED, str(export), "-o", str(out), "--source", "psycinfo",
                 "--years", "1990-2017"]) == 0
    assert out.read_bytes() == first  # byte-identical on rerun


def test_speed_is_fit_for_large_exports(seed):
    records = [record(f"Study {i} of peer support", "Mental health outcomes " * 20, record_id=str(i))
               for i in range(5000)]
    start = time.perf_counter()
    rows = match_records(seed, records)
    elapsed = time.perf_counter() - start
    assert all(r["matched"] == "true" for r in rows)
    assert elapsed < 5.0  # about 0.3 s here; 100k records in seconds


@pytest.mark.external
def test_match_over_real_exports_gives_one_row_per_record(tmp_path, capsys):
    from conftest import shared_path

    from litsieve.importers import load_many

    files = [shared_path("fixtures", "ris", "psycinfo_ebscohost.ris"),
             shared_path("fixtures", "medline", "synthesisr_PubMed_example.txt")]
    out = tmp_path / "match.csv"
    assert main(["query", "match", '"mental health" OR depress* OR psychiatr*', *map(str, files),
                 "-o", str(out)]) == 0
    rows = list(csv.DictReader(out.open(newline="", encoding="utf-8")))
    records = load_many(files)
    assert [r["record_id"] for r in rows] == [r.record_id for r in records]
    assert {r["matched"] for r in rows} <= {"true", "false"}
    for row in rows:
        assert (row["matched"] == "true") == (row["failed_on"] == "")
        assert (row["hits"] != "") or row["failed_on"] in ("query", "no-text")
    assert "psycinfo_ebscohost:" in capsys.readouterr().out
