"""Who the participants were, by age, as abstracts say it.

Abstracts state age in numbers ("aged 12-17", "mean age 15.2 years", "18 years and
older", "14- to 17-year-olds") or in words ("adolescents", "undergraduate students",
"older adults"). Each mention becomes an :class:`AgeSignal` with the age range it
implies; the age conditions of a criterion (:func:`all_below`, :func:`none_below`) are
then simple comparisons of ranges. Mentions in a negated or contrasted clause ("unlike
adolescents") and children who are not the participants ("parents of young children")
are left out, because a screener would leave them out too.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from litsieve.screening.terms import is_negated

OPEN = 150.0  # no upper age limit


@dataclass(frozen=True)
class AgeSignal:
    """One statement about participants' age: the range it implies and where it is."""

    low: float
    high: float
    field: str
    start: int
    end: int


_NUM = r"(\d{1,2}(?:\.\d+)?)"
_TO = r"\s*(?:-|\u2013|\u2014|to|and)\s*"
_YEARS = r"(?:\s*-?\s*(?:years?|yrs?|y)(?:[\s-]*(?:old|of\s+age))?)?"
_DIGIT = re.compile(r"\d")
_AGE_WORDS = ("age", "old", "over", "above", "least", "under", "below", "younger", "yrs", "mo)")
# (pattern, how to turn its groups into a range). A pattern is only tried on text that
# has one of the words it needs (or a "+" for "18+").
_NUMERIC: tuple[tuple[re.Pattern[str], str, tuple[str, ...]], ...] = tuple(
    (re.compile(p, re.IGNORECASE), kind,
     ("+",) if p.endswith("\\+") else tuple(w for w in _AGE_WORDS if w in p.replace("(?:aged\\s+)?", "").replace("\\", "")))
    for p, kind in (
        # PsycINFO age groups: "Adolescence (13-17 yrs)", "Adulthood (18 yrs & older)",
        # "Childhood (birth-12 yrs)", "Infancy (2-23 mo)".
        (rf"\((?:{_NUM}|birth)\s*-\s*{_NUM}\s*yrs\)", "range"),
        (rf"\({_NUM}\s*yrs\s*&\s*older\)", "from"),
        (r"\((?:birth|\d{1,2})\s*-\s*(\d{1,2})\s*mo\)", "infant"),
        (rf"\b(?:aged|ages?|age\s+range(?:\s+of)?|age\s+between|between\s+the\s+ages\s+of)\s*"
         rf"(?:of\s+|from\s+|between\s+|range\s+)?{_NUM}{_YEARS}{_TO}{_NUM}", "range"),
        (rf"\b{_NUM}\s*(?:-|\u2013)?\s*(?:to|-|\u2013)\s*{_NUM}[\s-]*(?:years?|yrs?)[\s-]*olds?\b", "range"),
        (rf"\b(?:mean|average|median)\s+(?:age|aged)\b[^0-9.;]{{0,25}}?{_NUM}", "point"),
        (rf"\bM\s*age\s*=\s*{_NUM}|\bage\s*M\s*=\s*{_NUM}", "point"),
        (rf"\b(?:aged|ages?)\s*(?:of\s+)?(?:\u2265|>=|>)\s*{_NUM}", "from"),
        (rf"\b(?:aged\s+)?{_NUM}{_YEARS}\s*(?:and|or)\s+(?:over|above|older)\b", "from"),
        (rf"\b(?:aged\s+)?{_NUM}\s*\+", "from"),
        (rf"\b(?:over|older\s+than|above|at\s+least)\s+(?:the\s+age\s+of\s+)?{_NUM}\s*(?:years?|yrs?)", "from"),
        (rf"\baged\s+(?:over|older\s+than|at\s+least)\s+{_NUM}\b", "from"),
        (rf"\b(?:younger\s+than|(?:under|below)\s+the\s+age\s+of)\s+{_NUM}\b", "under"),
        (rf"\b(?:aged\s+)?(?:under|below)\s+{_NUM}\s*(?:years?|yrs?|s)\b", "under"),
        (rf"\b(?:aged|ages?)\s*(?:<|\u2264|<=)\s*{_NUM}", "under"),
        (rf"\b{_NUM}[\s-]*(?:years?|yrs?)[\s-]*olds?\b", "point"),
        (rf"\baged\s+{_NUM}\b(?!\s*(?:-|\u2013|to|and|\+|or))", "point"),
    )
)

# Words for age groups, with the range a reviewer reads into them.
_WORDS: tuple[tuple[str, float, float], ...] = (
    (r"child(?:ren)?|kids?|boys?|girls?|infants?|toddlers?|pre-?schoolers?|school-?children|pupils?|minors|juveniles?", 0, 17.9),
    (r"(?:primary|elementary|secondary|high|middle)[\s-]+school(?:\s+students?)?|school[\s-]+(?:students?|age[d]?)", 5, 17.9),
    (r"p(?:a)?ediatric|child\s+and\s+adolescent|camhs", 0, 17.9),
    (r"adolescen(?:t|ts|ce)|teen(?:s|agers?|aged)?", 10, 17.9),
    (r"young\s+people|young\s+persons?|children\s+and\s+young\s+people", 10, 17.9),
    (r"youths?", 12, 24),
    (r"young\s+adults?|emerging\s+adults?|early\s+adulthood", 18, 30),
    (r"(?:undergraduate|college|university|graduate|postgraduate)\s+students?|undergraduates?", 18, 30),
    (r"older\s+(?:adults?|people|persons?|patients?|veterans?|men|women)|elderly|seniors?|aged\s+care|late\s+life|later\s+life", 60, OPEN),
    (r"adults?|adulthood|grown-?ups?|men|women|veterans?|mothers?|fathers?|parents?", 18, OPEN),
)
_WORD_PATTERNS = tuple((re.compile(rf"(?<![\w-])(?:{p})(?![\w-])", re.IGNORECASE), lo, hi) for p, lo, hi in _WORDS)
# Children who are not the participants: "parents of young children", "their children".
_NOT_PARTICIPANTS = re.compile(
    r"(?:parents?|mothers?|fathers?|famil(?:y|ies)|carers?|caregivers?|their|her|his)\s+(?:of\s+)?(?:\w+\s+){0,2}$",
    re.IGNORECASE,
)


def _range(kind: str, groups: tuple[str | None, ...]) -> tuple[float, float] | None:
    numbers = [float(g) for g in groups if g is not None]
    if not numbers:
        return None
    if kind == "range" and len(numbers) == 1:  # "(birth-12 yrs)"
        return 0.0, numbers[0]
    if kind == "range" and len(numbers) >= 2:
        low, high = sorted(numbers[:2])
        return low, high
    if kind == "infant":
        return 0.0, 2.0
    value = numbers[0]
    if kind == "point":
        return value, value
    if kind == "from":
        return value, OPEN
    if kind == "under":
        return 0.0, value - 0.1
    return None


def age_signals(text: str, field: str) -> list[AgeSignal]:
    """Every age statement in ``text`` that concerns the participants."""
    signals: list[AgeSignal] = []
    taken: list[tuple[int, int]] = []
    lowered = text.lower()
    numeric = [(p, k) for p, k, needs in _NUMERIC if any(n in lowered for n in needs)] if _DIGIT.search(text) else []
    for pattern, kind in numeric:
        for match in pattern.finditer(text):
            start, end = match.span()
            if any(start < e and s < end for s, e in taken):
                continue
            bounds = _range(kind, match.groups())
            if bounds is None or bounds[0] > 110:
                continue
            taken.append((start, end))
            if not is_negated(text, start):
                signals.append(AgeSignal(bounds[0], bounds[1], field, start, end))
    for pattern, low, high in _WORD_PATTERNS:
        for match in pattern.finditer(text):
            start, end = match.span()
            if any(start < e and s < end for s, e in taken):
                continue
            taken.append((start, end))
            if is_negated(text, start):
                continue
            if high < 18 and _NOT_PARTICIPANTS.search(text[max(0, start - 40):start]):
                continue
            signals.append(AgeSignal(float(low), float(high), field, start, end))
    return sorted(signals, key=lambda s: (s.start, s.end))


def all_below(signals: list[AgeSignal], limit: float) -> bool:
    """True when ages are stated and every one of them is below ``limit``."""
    return bool(signals) and all(s.high < limit for s in signals)


def none_below(signals: list[AgeSignal], limit: float) -> bool:
    """True when no stated age falls below ``limit`` (also when no age is stated)."""
    return all(s.low >= limit for s in signals)
