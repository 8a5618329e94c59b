"""Age read from the ways abstracts state it."""

from __future__ import annotations

import pytest

from litsieve.screening.age import OPEN, age_signals, all_below, none_below


def ranges(text: str) -> list[tuple[float, float]]:
    return [(s.low, s.high) for s in age_signals(text, "abstract")]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Participants aged 12-17 took part.", [(12, 17)]),
        ("Participants aged 12 to 17 years took part.", [(12, 17)]),
        ("Those aged 18–65 were eligible.", [(18, 65)]),
        ("the mean age was 15.2 years", None),
        ("(mean age 15.2 years, SD 1.1)", [(15.2, 15.2)]),
        ("Mean age of participants was 42.7", [(42.7, 42.7)]),
        ("14- to 17-year-olds were surveyed.", [(14, 17)]),
        ("People 18 years and older were invited.", [(18, OPEN)]),
        ("patients aged 65 and over", [(65, OPEN)]),
        ("people aged ≥18", [(18, OPEN)]),
        ("young people under the age of 18", None),
        ("a 15-year-old girl", None),
        ("Over 50 participants completed over 12 sessions.", []),
    ],
)
def test_numeric_patterns(text: str, expected: list[tuple[float, float]] | None) -> None:
    found = ranges(text)
    if expected is not None:
        assert found == expected
    else:
        assert found, text


@pytest.mark.parametrize(
    ("text", "minor", "adult"),
    [
        ("A survey of adolescents in schools.", True, False),
        ("Undergraduate students completed the scale.", False, True),
        ("Older adults living alone were interviewed.", False, True),
        ("Peer support for children and young people.", True, False),
        ("Adults with schizophrenia were randomised.", False, True),
        ("Mothers of young children were interviewed.", False, True),
        ("Adults with childhood trauma histories.", False, True),
        ("Young adults with psychosis.", False, True),
        ("Unlike adolescents, adults with depression took part.", False, True),
        ("Child and adolescent mental health services referred 40 pupils.", True, False),
    ],
)
def test_age_words(text: str, minor: bool, adult: bool) -> None:
    signals = age_signals(text, "abstract")
    assert any(s.high < 18 for s in signals) is minor
    assert any(s.low >= 18 for s in signals) is adult


def test_conditions() -> None:
    only_minors = age_signals("Adolescents aged 13-16 (mean age 14.6 years).", "abstract")
    mixed = age_signals("Young people aged 16-25 and adolescents.", "abstract")
    adults = age_signals("Adults aged 18-65.", "abstract")
    assert all_below(only_minors, 18) and not none_below(only_minors, 18)
    assert not all_below(mixed, 18) and not none_below(mixed, 18)
    assert not all_below(adults, 18) and none_below(adults, 18)
    assert not all_below([], 18) and none_below([], 18)
