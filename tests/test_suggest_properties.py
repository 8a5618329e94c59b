"""Suggestions on arbitrary text: never an error, always explained, conservative."""

from __future__ import annotations

from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from litsieve.record import Record
from litsieve.screening.criteria import compile_criteria
from protocols import demo_protocol
from litsieve.screening.suggest import suggest_record

REPO = Path(__file__).resolve().parents[1]
CONFIG = demo_protocol()
CRITERIA = compile_criteria(CONFIG.criteria)
# Words the criteria look for, mixed with noise, so criteria actually fire.
VOCABULARY = ["peer support", "online", "face-to-face", "not", "unlike", "adolescents", "aged 12-17",
              "adults", "nurses", "service users", "diabetes", "schizophrenia", "we interviewed",
              "review", "mental health", "(n = 40)", ".", ",", "é", "İ", "\u2013", "18+", "mean age 15.2"]
TEXT = st.lists(st.one_of(st.sampled_from(VOCABULARY), st.text(max_size=12)), max_size=40).map(" ".join)


@given(title=TEXT, abstract=TEXT, year=st.one_of(st.none(), st.integers(1900, 2030)),
       pt=st.lists(st.sampled_from(["Editorial", "Review", "Journal Article", "Randomized Controlled Trial"])))
@settings(max_examples=150, deadline=None)
def test_any_record_gets_an_explained_suggestion(title: str, abstract: str, year: int | None,
                                                  pt: list[str]) -> None:
    record = Record(record_id="r", title=title, abstract=abstract, year=year, publication_types=pt,
                    language="English")
    suggestion = suggest_record(record, CRITERIA)
    assert suggestion.suggestion in ("include", "exclude", "unsure")
    assert suggestion.why
    if suggestion.suggestion == "exclude":
        assert suggestion.reason
        fired = {c.id: c for c in CRITERIA if c.id in suggestion.criteria}
        assert any(c.kind == "exclusion" for c in fired.values())
        if not abstract.strip():
            # Without an abstract only metadata (year, publication type) can exclude.
            assert suggestion.automatic or any("(publication_types)" in e for e in suggestion.evidence)
    if suggestion.suggestion == "include":
        assert abstract.strip() and not suggestion.unmet
    assert (suggestion.automatic == "year") == (year is not None and not 1990 <= year <= 2017)
