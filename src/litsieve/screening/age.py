"""Ages as abstracts state them; :mod:`.participants` decides whose they are.

Abstracts state age in numbers ("aged 12-17", "mean age 15.2 years", "18 years and
older", "14- to 17-year-olds") or in words ("adolescents", "undergraduate students",
"older adults"). Each mention becomes an :class:`AgeSignal` with the age range it
implies; the age conditions of a criterion (:func:`all_below`, :func:`none_below`) are
then simple comparisons of ranges. Numbers and school grades are marked ``numeric``: they
outrank words. :func:`group_age` reads one participant group's phrase, :func:`grade_ages`
school grades and years. Mentions in a negated or contrasted clause ("unlike
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
    numeric: bool = False  # stated in numbers (or school grades), which outrank words
    implied: bool = False  # implied by a role (staff, parents), not stated


_NUM = r"(\d{1,2}(?:\.\d+)?)"
_TO = r"\s*(?:-|\u2013|\u2014|to|and)\s*"
_YEARS = r"(?:\s*-?\s*(?:years?|yrs?|y)(?:[\s-]*(?:old|of\s+age))?)?"
_DIGIT = re.compile(r"\d")
_AGE_WORDS = ("age", "old", "over", "above", "least", "under", "below", "younger", "yrs", "year", "mo)")
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
        # "(12-17 years)", "between 13 and 17 years of age"
        (rf"\(\s*{_NUM}\s*(?:-|\u2013|to)\s*{_NUM}\s*(?:years?|yrs?)\b", "range"),
        (rf"\bbetween\s+{_NUM}\s+and\s+{_NUM}\s+(?:years?|yrs?)\b", "range"),
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

# Words for age groups, with the range a reviewer reads into them. Phrases come first so
# that "children and young people" is read as one group. "Young people" and "youth" span
# both sides of 18 in UK and youth-service usage (16-25, 12-24): alone they decide nothing.
_WORDS: tuple[tuple[str, float, float], ...] = (
    (r"children\s+and\s+young\s+people|child\s+and\s+adolescent|p(?:a)?ediatric|camhs|young\s+carers?", 0, 17.9),
    (r"child(?:ren)?|kids?|boys?|girls?|infants?|toddlers?|pre-?schoolers?|school-?children|pupils?|minors|juveniles?", 0, 17.9),
    (r"(?:primary|elementary|secondary|high|middle|junior\s+high|senior\s+high)[\s-]+school(?:\s+students?)?"
     r"|school[\s-]+(?:students?|age[d]?)|sixth[\s-]+form(?:ers?)?", 5, 17.9),
    (r"adolescen(?:t|ts|ce)|teen(?:s|agers?|aged)?", 10, 17.9),
    (r"young\s+people|young\s+persons?|youths?", 12, 25),
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


def age_signals(text: str, field: str, *, numeric_only: bool = False) -> list[AgeSignal]:
    """Every age statement in ``text`` that concerns the participants (numbers first, then
    age words unless ``numeric_only``)."""
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
                signals.append(AgeSignal(bounds[0], bounds[1], field, start, end, True))
    if not numeric_only:
        signals += _word_signals(text, field, taken)
    return sorted(signals, key=lambda s: (s.start, s.end))


def _word_signals(text: str, field: str, taken: list[tuple[int, int]], offset: int = 0) -> list[AgeSignal]:
    signals = []
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
            signals.append(AgeSignal(float(low), float(high), field, offset + start, offset + end))
    return signals


# Infants and babies are never the ones receiving peer support: they are someone's children.
_INFANT_WORDS = re.compile(r"infants?|babies|baby|toddlers?|newborns?", re.IGNORECASE)
#: Roles whose members are adults by what they are (staff, police, parents, carers).
ADULT_ROLES = frozenset({"staff", "police_military", "carers_family", "general_public"})


def group_age(phrase: str, field: str, offset: int, role: str | None,
              head: tuple[int, int] | None = None) -> list[AgeSignal]:
    """The ages a participant group's own phrase states ("adolescent inpatients", "adults
    (≥18 years)", "older adults aged 60 and over"). A staff, police, carer or family group is
    adult unless its own noun says otherwise ("young carers"): the school of "secondary
    school teachers" and the child of "parents who had raised a child" are not their age.
    Role-implied ages are marked ``implied`` (they decide only when nothing else does)."""
    signals = [AgeSignal(s.low, s.high, field, offset + s.start, offset + s.end, s.numeric)
               for s in age_signals(phrase, field, numeric_only=True)]
    words = [w for w in _word_signals(phrase, field, [(s.start - offset, s.end - offset) for s in signals], offset)
             if not _INFANT_WORDS.fullmatch(phrase[w.start - offset:w.end - offset])]
    if role in ADULT_ROLES:
        lo, hi = head or (0, len(phrase))
        words = [w for w in words if lo <= w.start - offset and w.end - offset <= hi]
        if not words and not signals:
            words = [AgeSignal(18.0, OPEN, field, offset + lo, offset + hi, implied=True)]
    return signals + words


_ORDINALS = {w: i for i, w in enumerate(
    "zeroth first second third fourth fifth sixth seventh eighth ninth tenth eleventh twelfth".split())}
_GRADE = re.compile(
    r"\b(?:grades?|years?)\s+(\d{1,2})(?:\s*(?:-|\u2013|to|through|and|or)\s*(?:grade\s+|year\s+)?(\d{1,2}))?\b"
    r"|\b(\d{1,2}(?:st|nd|rd|th)|first|second|third|fourth|fifth|sixth|seventh|eighth|ninth|tenth|eleventh|twelfth)"
    r"(?:[\s-]*(?:grade)?[\s-]*(?:-|\u2013|to|through|and)\s*(\d{1,2}(?:st|nd|rd|th)|first|second|third|fourth|fifth|"
    r"sixth|seventh|eighth|ninth|tenth|eleventh|twelfth))?[\s-]*grade(?:rs?|s)?\b",
    re.IGNORECASE)
_SCHOOL = re.compile(r"\b(?:pupils?|students?|school\w*|graders?|classes|classrooms?)\b", re.IGNORECASE)


def grade_ages(text: str, field: str, start: int, end: int) -> list[AgeSignal]:
    """School grades and years ("grades 9 through 12", "Year 9 and Year 10 pupils",
    "seventh and eighth graders") in a phrase about pupils or students: minors."""
    if not _SCHOOL.search(text, start, end):
        return []
    signals = []
    for match in _GRADE.finditer(text, start, end):
        numbers = [_grade_number(g) for g in match.groups() if g]
        if not numbers or max(numbers) > 13:
            continue
        signals.append(AgeSignal(float(min(numbers) + 4), 17.9, field, match.start(), match.end(), True))
    return signals


def _grade_number(token: str) -> int:
    token = token.lower()
    return _ORDINALS[token] if token in _ORDINALS else int(re.sub(r"\D", "", token))


def all_below(signals: list[AgeSignal], limit: float) -> bool:
    """True when ages are stated and every one of them is below ``limit``."""
    return bool(signals) and all(s.high < limit for s in signals)


def none_below(signals: list[AgeSignal], limit: float) -> bool:
    """True when no stated age falls below ``limit`` (also when no age is stated)."""
    return all(s.low >= limit for s in signals)
