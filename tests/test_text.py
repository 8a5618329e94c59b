"""The text layer: folding with offsets, terms and their spans, field tags, languages.

The same term must mean the same thing in the query (exports checked against the
search string) and in the criteria (suggestions), and a language code the importer
normalised must be the one the query's limit and a criterion compare with.
"""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from litsieve.errors import TermError
from litsieve.importers.fields import normalize_language
from litsieve.query.match import Matcher
from litsieve.query.parser import parse
from litsieve.query.translate import translate
from litsieve.record import Record
from litsieve.screening.criteria import parse_criterion
from litsieve.text import (
    FIELD_TAGS, FieldText, Folded, compile_pattern, compile_term, fold, language_name, language_names, within,
)


@pytest.mark.parametrize(("text", "folded"), [
    ("Pérez ÆSØ Straße", "perez aeso strasse"),
    ("naïve NAÏVE", "naive naive"),
    ("ﬁndings œdema", "findings oedema"),
    ("well\u2010being well\u2013being", "well-being well-being"),
    ("service user\u2019s", "service user's"),
    ("peer sup\u00adport", "peer support"),
])
def test_fold(text: str, folded: str) -> None:
    assert fold(text) == folded
    assert Folded.of(text).text == folded


@settings(max_examples=200, deadline=None, derandomize=True)
@given(st.text(alphabet=st.sampled_from("aé ßﬁ\u00ad-–Œx’"), max_size=30))
def test_folded_offsets_point_into_the_original(text: str) -> None:
    folded = Folded.of(text)
    assert folded.text == fold(text)
    for index, char in enumerate(folded.text):
        source = text[folded.original_index(index)]
        assert char in fold_char_set(source), (text, index)


def fold_char_set(char: str) -> str:
    return fold(char) or char


@pytest.mark.parametrize(("term", "text", "spans"), [
    ("naive bayes*", "A Naïve Bayesian model; NAIVE BAYES", ["Naïve Bayesian", "NAIVE BAYES"]),
    ("strasse", "Hauptstraße or Straße", ["Straße"]),
    ("findings", "the ﬁndings were", ["ﬁndings"]),
    ("well-being", "well being, wellbeing and well\u2010being", ["well being", "wellbeing", "well\u2010being"]),
    ("wellbeing", "mental well-being", ["well-being"]),
    ("face to face", "face-to-face/online", ["face-to-face"]),
    ("support", "peer sup\u00adport", ["sup\u00adport"]),
    ("psychiatr*", "neuropsychiatric and psychiatric", ["psychiatric"]),
])
def test_spans_are_in_the_original_text(term: str, text: str, spans: list[str]) -> None:
    field = FieldText(text)
    found = compile_pattern(term).spans(field)
    assert [text[a:b] for a, b in found] == spans
    assert compile_pattern(term).search(field)


def test_naive_bayes_matches_the_same_in_query_and_criteria() -> None:
    records = [Record(record_id=str(i), source="t", title=title) for i, title in enumerate(
        ["A naïve Bayes classifier", "NAIVE BAYESIAN screening", "Naive-Bayes", "naivety of bayes"])]
    matcher = Matcher(parse('"naive bayes*"'), fields="ti")
    criterion = parse_criterion({"id": "nb", "kind": "inclusion", "any": ["naive bayes*"], "fields": ["title"]}, 0)
    by_query = [matcher.match(r).matched for r in records]
    by_criterion = [criterion.evaluate(r).fired for r in records]
    assert by_query == by_criterion == [True, True, True, False]


def test_field_tags_are_one_table() -> None:
    assert compile_term("editorial[pt]").fields == FIELD_TAGS["pt"]
    assert compile_term("x[TIAB]").fields == ("title", "abstract")
    with pytest.raises(TermError):
        compile_term("x[zz]")


@pytest.mark.parametrize("bad", ["", "*", "*peer", "pe*er", "--"])
def test_bad_terms(bad: str) -> None:
    with pytest.raises(TermError):
        compile_pattern(bad)


def test_extension_points_for_wildcards_and_proximity() -> None:
    optional = compile_pattern("behavio?r", wildcards={"?": "[^ ]?"})
    assert optional.search(FieldText("Behaviour")) and optional.search(FieldText("behavior"))
    assert not optional.search(FieldText("behaviooor"))
    near = compile_pattern("peer support", gap=within(2))
    assert near.search(FieldText("peer-delivered group support"))
    assert not near.search(FieldText("peer a b c support"))
    text = FieldText("peer-delivered group support")
    assert [text.original[a:b] for a, b in near.spans(text)] == ["peer-delivered group support"]


@pytest.mark.parametrize(("value", "name"), [
    ("fa", "persian"), ("per", "persian"), ("fas", "persian"), ("Farsi", "persian"),
    ("pt", "portuguese"), ("por", "portuguese"),
    ("cs", "czech"), ("cze", "czech"), ("ces", "czech"),
    ("uk", "ukrainian"), ("ukr", "ukrainian"),
    ("EN", "english"), ("eng", "english"), ("English", "english"), ("deu", "german"), ("ger", "german"),
])
def test_one_language_table_everywhere(value: str, name: str) -> None:
    assert language_name(value) == name
    assert normalize_language(value) == name  # the importers
    criterion = parse_criterion({"id": "la", "kind": "exclusion", "language_not": [value]}, 0)
    assert criterion.languages == (name,)
    record = Record(record_id="r", source="t", title="peer support", language=name)
    assert Matcher(parse("peer support"), languages=[value]).match(record).matched  # the query's limit


def test_language_lists() -> None:
    assert language_names("eng; FRE, German and spa") == ["english", "french", "german", "spanish"]
    assert normalize_language("English; eng") == "english"
    assert 'LANG:"por"' in translate(parse("x"), "europepmc", languages=["pt"]).text
