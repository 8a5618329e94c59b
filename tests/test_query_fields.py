"""Field codes in every syntax: each one litsieve reads is translated per target (with the
stated approximation where a target lacks the field); any other is an error at its
position with "did you mean", never folded into the words it qualifies."""

from __future__ import annotations

import pytest

from litsieve.errors import QueryError
from litsieve.query.lint import lint
from litsieve.query.match import Matcher
from litsieve.query.parser import Heading, parse, render, shape, terms
from litsieve.query.protocol import meaning_differences
from litsieve.query.translate import TARGETS, translate
from litsieve.record import Record


@pytest.mark.parametrize("text, field", [
    ("MW random*", "hw"), ("SU asthma", "su"), ("AU smith", "au"), ("SO lancet", "so"), ("KW asthma", "kw"),
    ("TX asthma", "all"), ("PT review", "pt"), ("LA english", "la"),
    ("asthma.hw.", "hw"), ("asthma.hw,kw.", "su"), ("asthma.kf.", "kw"), ("smith j.au.", "au"), ("lancet.jn.", "so"),
    ("smith j[au]", "au"), ("lancet[ta]", "so"), ("AUTH:smith", "au"), ("JOURNAL:lancet", "so"),
    ("PUB_TYPE:review", "pt"), ("auth:smith", "au"),
])
def test_field_codes_each_syntax(text, field):
    tree = parse(text)
    assert [t.field for t in terms(tree)] == [field]
    assert shape(parse(render(tree))) == shape(tree)  # explain's syntax reads back


# What each target writes for the words of subject headings (EBSCOhost MW, Ovid .hw.).
MW = [
    ("pubmed", "random*[tw]", True),
    ("europepmc", "MESH:random*", True),
    ("ebsco", "MW random*", False),
    ("ovid", "1  random*.hw.", False),
]


@pytest.mark.parametrize("target, expected, approximated", MW)
def test_word_in_subject_heading_per_target(target, expected, approximated):
    result = translate(parse("MW random*"), target)
    assert result.text == expected
    assert bool(result.approximations) == approximated
    assert "MW random" not in result.text.replace("MW random*", "") and '"MW' not in result.text
    if approximated:
        assert "words of the subject headings" in result.approximations[0]


@pytest.mark.parametrize("target", ["ebsco", "ovid"])
def test_new_fields_translate_exactly_where_the_target_has_them(target):
    tree = parse("(MW random* OR AU smith OR SO lancet OR KW asthma) AND TI trial")
    result = translate(tree, target)
    assert result.exact, result.approximations
    assert meaning_differences(parse(result.text), tree, "tiab") == []


def test_subject_terms_are_approximated_where_no_field_matches():
    assert translate(parse("SU asthma"), "pubmed").text == "asthma[tw]"
    assert translate(parse("SU asthma"), "europepmc").text == "(MESH:asthma OR KW:asthma)"
    ovid = translate(parse("SU asthma"), "ovid")
    assert ovid.text == "1  asthma.hw,kw." and "subject terms" in ovid.approximations[0]
    assert translate(parse("SU asthma"), "ebsco").exact


@pytest.mark.parametrize("text, at, says", [
    ("MX random*", "MX", "did you mean"),  # an unknown EBSCOhost code before a term
    ("AF harvard", "AF", "author affiliation"),  # documented by EBSCO, not translatable
    ("ti patient flow", "ti", "lower-case field codes"),  # EBSCOhost reads lower-case codes too
    ("TI asthma OR ZC empirical", "ZC", "not an EBSCOhost field code"),
    ("asthma.tx.", ".tx.", "or .ti.?"),  # an unknown Ovid suffix
    ("(asthma or wheez$).zz.", ".zz.", "not an Ovid field"),
    ("asthma.ot.", ".ot.", "original title"),
    ("asthma[tiabs]", "[tiabs]", "did you mean [tiab]"),  # an unknown PubMed tag
    ("asthma[ad]", "[ad]", "affiliation"),
    ("TITEL:asthma", "TITEL:", "did you mean TITLE:"),  # an unknown Europe PMC field
    ("OPEN_ACCESS:y AND asthma", "OPEN_ACCESS:", "open access"),
    ("asthma:ti,ab,kw", "asthma:ti,ab,kw", "Cochrane Library"),
])
def test_unknown_field_codes_are_errors_at_their_position(text, at, says):
    findings = [f for f in lint(text) if f.code == "unknown-field"]
    assert findings and findings[0].severity == "error"
    start, end = findings[0].span
    assert text[start:end] == at
    assert says in findings[0].message + " " + findings[0].hint
    with pytest.raises(QueryError) as info:
        parse(text)
    assert "character" in info.value.message
    for target in TARGETS:  # nothing reaches a translation
        with pytest.raises(QueryError):
            translate(parse(text), target)


@pytest.mark.parametrize("text, term", [
    ("AD patients[tiab]", "AD patients"),  # the tag after the run says it is one term
    ("(UK adj3 nurs$).ti.", "UK"),  # Ovid has no codes before terms
    ("1 UK nurses.ti.\n2 asthma.ti.\n3 1 or 2", "UK nurses"),
    ("dementia OR AD", "AD"),  # nothing after it
    ("TI AD patients", "AD patients"),  # after a field code it is a word
    ('"MW random*"', "MW random*"),  # quoted: the reviewer says it is words
])
def test_capitals_that_are_words_are_not_codes(text, term):
    assert term in [t.text for t in terms(parse(text))]


def test_web_dashes_and_curly_quotes_read_as_typed():
    tree = parse("1 (antiasthma$ or anti\u2010asthma$).mp.\n2 wheez$.mp.\n3 or/1\u20102")
    assert [t.text for t in terms(tree)] == ["antiasthma*", "anti-asthma*", "wheez*"]
    heading = parse("(MH \u201cprognosis+\u201d)")
    assert isinstance(heading, Heading) and heading.name == "prognosis" and heading.explode


def rec(**kwargs) -> Record:
    return Record(record_id="r", source="s", title="A title", **kwargs)


@pytest.mark.parametrize("query, record, matched, unverified", [
    ("MW random*", rec(keywords=["*Random Assignment", "Humans"]), True, ""),
    ("MW random*", rec(keywords=["*Asthma/drug therapy", "Humans"]), False, ""),
    ("MW random*", rec(keywords=["asthma"]), True, "no-headings"),  # no sign of indexing
    ("AU smith", rec(authors=["Smith, Jane", "Doe, J"]), True, ""),
    ("AU smith", rec(authors=["Doe, J"]), False, ""),
    ("AU smith", rec(), True, "no-authors"),
    ("SO lancet", rec(journal="The Lancet"), True, ""),
    ("SO lancet", rec(journal="BMJ"), False, ""),
])
def test_new_fields_match_the_records_fields(query, record, matched, unverified):
    result = Matcher(parse(query)).match(record)
    assert (result.matched, result.unverified) == (matched, unverified)
