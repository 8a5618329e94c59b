"""The query parser: trees, positions, field tags, truncation and where ambiguity is kept."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from litsieve.errors import QueryError
from litsieve.query.parser import (
    Ambiguous,
    And,
    Not,
    Or,
    Term,
    parse,
    readings,
    render,
    resolve,
    shape,
    terms,
)

SEED = "Peer support OR Peer Mentoring OR Open dialogue AND Mental Health OR Mental well*"
INTENDED = '("peer support" OR "peer mentoring" OR "open dialogue") AND ("mental health" OR "mental well*")'


def test_seed_string_is_kept_ambiguous_and_says_where():
    tree = parse(SEED)
    assert isinstance(tree, Ambiguous)
    assert [o.name for o in tree.operators] == ["OR", "OR", "AND", "OR"]
    # The AND is where grouping starts to matter; its position is exact.
    assert tree.turning_point.name == "AND"
    start, end = tree.turning_point.span
    assert SEED[start:end] == "AND"
    assert [t.text for t in tree.operands] == [
        "Peer support", "Peer Mentoring", "Open dialogue", "Mental Health", "Mental well*"]


def test_seed_string_readings_per_database():
    got = {name: render(tree) for name, tree in readings(parse(SEED)).items()}
    assert got["pubmed"] == ("(((Peer support OR Peer Mentoring OR Open dialogue) AND Mental Health) "
                             "OR Mental well*)")
    assert got["ebsco"] == ("(Peer support OR Peer Mentoring OR (Open dialogue AND Mental Health) "
                            "OR Mental well*)")
    assert got["ovid"] == got["ebsco"]


def test_parse_is_deterministic():
    assert parse(SEED) == parse(SEED)
    assert shape(parse(SEED)) == shape(parse(SEED))


@pytest.mark.parametrize("text, pubmed, ebsco, ovid", [
    ("a OR b AND c", "((a OR b) AND c)", "(a OR (b AND c))", "(a OR (b AND c))"),
    ("a OR b NOT c", "((a OR b) NOT c)", "(a OR (b NOT c))", "(a OR (b NOT c))"),
    ("a NOT b AND c", "((a NOT b) AND c)", "((a NOT b) AND c)", "(a NOT (b AND c))"),
])
def test_precedence_conventions(text, pubmed, ebsco, ovid):
    tree = parse(text)
    assert isinstance(tree, Ambiguous)
    assert render(resolve(tree, "pubmed")) == pubmed
    assert render(resolve(tree, "ebsco")) == ebsco
    assert render(resolve(tree, "ovid")) == ovid


@pytest.mark.parametrize("text, expected", [
    ("a AND b NOT c", "((a AND b) NOT c)"),  # every database agrees
    ("a OR b OR c", "(a OR b OR c)"),
    ("(a OR b) AND c", "((a OR b) AND c)"),
    ("a NOT b NOT c", "(a NOT b NOT c)"),
    ("a AND b OR c", "((a AND b) OR c)"),  # left to right and AND-first agree
    ("a OR b AND c", None),
])
def test_chains_every_database_reads_alike_are_not_ambiguous(text, expected):
    tree = parse(text)
    if expected is None:
        assert isinstance(tree, Ambiguous)
    else:
        assert not isinstance(tree, Ambiguous)
        assert render(tree) == expected


def test_nested_ambiguity_is_found_inside_parentheses():
    tree = parse('x AND (a OR b AND c)')
    assert isinstance(tree, And)
    assert isinstance(tree.children[1], Ambiguous)
    assert render(resolve(tree, "pubmed")) == "(x AND (a OR b) AND c)"
    assert render(resolve(tree, "ebsco")) == "(x AND (a OR (b AND c)))"


def test_intended_query_tree_and_spans():
    tree = parse(INTENDED)
    assert isinstance(tree, And)
    left, right = tree.children
    assert isinstance(left, Or) and isinstance(right, Or)
    well = right.children[1]
    assert well == Term("mental well*", phrase=True, truncated=True, field=None, span=well.span)
    assert INTENDED[well.span[0]:well.span[1]] == '"mental well*"'
    for term in terms(tree):
        assert INTENDED[term.span[0]:term.span[1]].strip('"') == term.text
    # A group's span includes its parentheses.
    assert INTENDED[left.span[0]] == "(" and INTENDED[left.span[1] - 1] == ")"


def test_truncation_inside_phrases_and_words():
    tree = parse('"mental well*" OR wellbeing OR "well being"')
    flags = {t.text: t.truncated for t in terms(tree)}
    assert flags == {"mental well*": True, "wellbeing": False, "well being": False}
    assert terms(tree)[0].words == ("mental", "well*")


def test_operators_any_case_and_unquoted_runs():
    tree = parse("peer support or Open Dialogue")
    assert isinstance(tree, Or)
    assert [(t.text, t.phrase, t.multiword) for t in tree.children] == [
        ("peer support", False, True), ("Open Dialogue", False, True)]


def test_curly_quotes_from_word_processors():
    tree = parse("\u201cpeer support\u201d AND x")
    assert terms(tree)[0].text == "peer support" and terms(tree)[0].phrase


@pytest.mark.parametrize("text, fields", [
    ('TI "peer support" OR AB x', ["ti", "ab"]),
    ('TI("peer support" OR x) AND y', ["ti", "ti", None]),
    ("title:peer AND abstract:\"open dialogue\"", ["ti", "ab"]),
    ('"peer support"[tiab] OR x[Title] OR y[Title/Abstract] OR z[ab]', ["tiab", "ti", "tiab", "ab"]),
    ("peer support.ti,ab. OR (x OR y).ti. OR z.ab. OR w.tw.", ["tiab", "ti", "ti", "ab", "tiab"]),
    ('TI (a OR b[ab])', ["ti", "ab"]),  # the innermost tag wins
])
def test_field_tags(text, fields):
    assert [t.field for t in terms(parse(text))] == fields


def test_field_tag_spans_cover_the_tag():
    text = 'x OR "peer support"[tiab]'
    term = terms(parse(text))[1]
    assert text[term.span[0]:term.span[1]] == '"peer support"[tiab]'


@pytest.mark.parametrize("text, message, position", [
    ("NOT children", "NOT at the start", "characters 1-3"),
    ("(a OR b", "never closed", "character 1"),
    ("a OR b)", "no opening one", "character 7"),
    ("a OR ()", "empty group", "characters 6-7"),
    ("a OR", "ends with OR", "characters 3-4"),
    ("a AND OR b", "directly followed by OR", "characters 7-8"),
    ('a OR "b c', "never closed", "characters 6-9"),
    ('a "b"', "no operator between", "characters 3-5"),
    ("a[au]", "unsupported field tag", "characters 2-5"),
    ("", "empty", "character 1"),
    ("(NOT a)", "NOT at the start of a group", "characters 2-4"),
    ("a OR ps*ch", "'*' inside or before a word", "characters 6-10"),
    ('"*ache" OR b', "'*' inside or before a word", "characters 2-6"),
])
def test_errors_name_the_problem_and_its_position(text, message, position):
    with pytest.raises(QueryError) as info:
        parse(text)
    assert message in str(info.value)
    assert position in str(info.value)
    assert info.value.location.field == "query"
    assert info.value.hint


def test_not_is_binary_subtraction():
    tree = parse("adults NOT (children OR adolescents)")
    assert isinstance(tree, Not)
    assert render(tree) == "(adults NOT (children OR adolescents))"


_words = st.sampled_from(["peer", "support", "mental", "well*", "health", "dialogue", "adult*"])


def _query(depth: int = 0) -> st.SearchStrategy[str]:
    leaf = st.one_of(
        _words,
        st.lists(_words, min_size=2, max_size=3).map(lambda ws: '"' + " ".join(ws) + '"'),
    )
    if depth >= 2:
        return leaf
    group = st.lists(st.one_of(leaf, _query(depth + 1).map(lambda q: f"({q})")), min_size=1, max_size=4)
    ops = st.lists(st.sampled_from(["AND", "OR", "NOT", "and", "or"]), min_size=3, max_size=3)
    return st.tuples(group, ops).map(
        lambda pair: " ".join(
            item for i, operand in enumerate(pair[0])
            for item in ((pair[1][i % 3], operand) if i else (operand,))))


@settings(max_examples=150, deadline=None)
@given(_query())
def test_render_parses_back_to_the_same_meaning(text):
    tree = parse(text)
    for name in ("pubmed", "ebsco", "ovid"):
        resolved = resolve(tree, name)
        assert shape(parse(render(resolved))) == shape(resolved)


_noise = st.lists(
    st.sampled_from(list('ab* ()"[]:.,-\u201c') + ["AND", "OR", "NOT", "TI", "[tiab]", ".ti,ab.", "title:"]),
    max_size=30,
).map("".join)


@settings(max_examples=400, deadline=None)
@given(_noise)
def test_any_string_parses_or_fails_with_a_query_error(text):
    from litsieve.query.lint import has_errors, lint

    findings = lint(text)
    try:
        tree = parse(text)
    except QueryError:
        assert has_errors(findings)
        return
    assert not has_errors(findings)
    for name in ("pubmed", "ebsco", "ovid"):
        assert shape(parse(render(resolve(tree, name)))) == shape(resolve(tree, name))
