"""Term lists: truncation, phrases, hyphens, field tags, negation and contrast."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from litsieve.errors import ConfigError
from litsieve.screening.terms import compile_term, find_hits, is_negated, snippet


def hits(term: str, text: str) -> list[str]:
    compiled = compile_term(term)
    return [text[h.start:h.end] for h in find_hits(compiled, "abstract", text)]


@pytest.mark.parametrize(
    ("term", "text", "expected"),
    [
        ("peer support*", "Peer supporters and peer-support workers", ["Peer supporters", "peer-support"]),
        ("peer-led", "a peer led group and a peerled one and a Peer-Led trial", ["peer led", "peerled", "Peer-Led"]),
        ("face-to-face", "delivered face to face or face-to-face", ["face to face", "face-to-face"]),
        ("mental well*", "mental well-being and mental wellbeing", ["mental well-being", "mental wellbeing"]),
        ("schizophren*", "Schizophrenia and schizophrenic disorders", ["Schizophrenia", "schizophrenic"]),
        ("staff", "staffing levels of staff", ["staff"]),
        ("HIV", "people with HIV; archives", ["HIV"]),
        ("service user*", "service user's views; service-users", ["service user", "service-users"]),
        ("naive bayes*", "A naïve Bayesian model; NAIVE BAYES", ["naïve Bayesian", "NAIVE BAYES"]),
        ("wellbeing", "mental well-being", ["well-being"]),
    ],
)
def test_matching(term: str, text: str, expected: list[str]) -> None:
    assert hits(term, text) == expected


def test_field_tag_restricts_fields() -> None:
    term = compile_term("editorial[pt]")
    assert term.fields == ("publication_types",)
    assert term.reads("publication_types", ("title",))
    assert not term.reads("title", ("title",))
    assert compile_term("review").fields is None
    assert compile_term("commentary[tiab]").fields == ("title", "abstract")


@pytest.mark.parametrize("bad", ["*support", "sup*port", "peer [xx]", "", "-", "* peer"])
def test_bad_terms_are_config_errors(bad: str) -> None:
    with pytest.raises(ConfigError) as info:
        compile_term(bad, where="criteria.0 (x).any")
    assert info.value.location.field == "criteria.0 (x).any"


def test_blocked_spans_remove_hits() -> None:
    term = compile_term("peer*")
    text = "peer review of peer mentors"
    found = find_hits(term, "abstract", text, blocked=[(0, 11)])
    assert [text[h.start:h.end] for h in found] == ["peer"]
    assert found[0].start == 15


@pytest.mark.parametrize(
    ("text", "word", "negated"),
    [
        ("Unlike online-only programmes, ours met in person.", "online", True),
        ("Support was offered face to face rather than internet-based.", "internet", True),
        ("There was no face-to-face contact between members.", "face", True),
        ("The groups were not delivered online.", "online", True),
        ("Instead of web forums, members met weekly.", "web", True),
        ("Members met weekly online.", "online", False),
        ("Support was not only online but also in person.", "online", False),
        ("There was no significant change in depression scores.", "depression", False),
        ("Unlike online programmes, the groups met weekly; online contact was added later.", "online contact", False),
        ("It was not, however, delivered online.", "online", False),
    ],
)
def test_negation_and_contrast(text: str, word: str, negated: bool) -> None:
    start = text.rfind(word) if word == "online contact" else text.find(word)
    assert is_negated(text, start) is negated


def test_snippet_brackets_the_words() -> None:
    text = "Background. " + "x " * 60 + "an online forum for people " + "y " * 60
    start = text.find("online")
    shown = snippet(text, start, start + 6)
    assert "[online]" in shown
    assert shown.startswith("…") and shown.endswith("…")
    assert len(shown) < 160


WORDS = st.text(alphabet="abcdefghijklmnopqrstuvwxyz", min_size=2, max_size=8)


@given(words=st.lists(WORDS, min_size=1, max_size=3), data=st.data())
@settings(max_examples=60, deadline=None)
def test_phrase_matches_any_case_and_separator(words: list[str], data: st.DataObject) -> None:
    separators = [data.draw(st.sampled_from([" ", "-", "  ", " - ", "\u2013"])) for _ in words[1:]]
    written = words[0] + "".join(sep + word for sep, word in zip(separators, words[1:]))
    cased = "".join(data.draw(st.sampled_from([c.lower(), c.upper()])) for c in written)
    text = f"Before, {cased}; after."
    assert hits(" ".join(words), text) == [cased]
    # A longer word that only starts with the phrase is not a match without truncation.
    assert hits(" ".join(words), f"Before {cased}x after") == []
    assert hits(" ".join(words) + "*", f"Before {cased}x after") == [cased + "x"]
