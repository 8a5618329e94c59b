"""Terms as reviewers write them, matched the same way everywhere.

A term is a word or a phrase (``"peer support"``, ``peer support``), with ``*`` closing a
word to truncate it (``schizophren*``, ``"mental well*"``). The search string's terms (the
query checked against imported records), the eligibility criteria's terms and keyword
highlighting all compile here, so one term means one thing in every part of litsieve:

- both sides are folded (:mod:`litsieve.text.fold`): ``naive bayes*`` finds "Naïve Bayes";
- punctuation separates words and is otherwise ignored: a phrase's words must be adjacent
  and in order, whatever spaces, dashes, slashes or commas stand between them
  ("face-to-face/online" holds the phrase ``face to face``);
- a hyphen may be written as a hyphen, a space or nothing: ``well-being`` finds
  "wellbeing" and "well being", and ``wellbeing`` finds "well-being";
- a term matches whole words; ``*`` matches any ending of the word it closes.

:class:`Pattern` is the compiled form and reports matches as spans of the *original*
text (what highlighting needs). :class:`Term` adds an optional field tag from
:data:`litsieve.text.fields.FIELD_TAGS` (``editorial[pt]``).

Richer query syntax: :func:`compile_pattern` takes ``wildcards`` (characters allowed
inside a word, each with the regular expression over folded word characters it stands
for; :data:`WILDCARDS` are the query language's ``?``, exactly one character, and ``#``,
zero or one) and ``gap`` (what may stand between the written words: :data:`ADJACENT`, or
:func:`within` for up to ``n`` other words between them). :func:`compile_near` is
proximity between alternatives (``(smok* OR tobacco) adj3 (cessation OR quit*)``): the
same words, matched the same way, within ``n`` words of each other in one field.

Speed on 100,000 records: a field is folded once (:class:`FieldText`); a pattern first
checks, with a substring test, for its longest literal piece, which rules out most terms
for most records before any regular expression runs; and a pattern starts with a literal
where it can, which lets the regex engine skip ahead to candidate positions.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass
from itertools import permutations
from typing import Mapping, Sequence

from litsieve.errors import TermError
from litsieve.text.fields import FIELD_TAGS
from litsieve.text.fold import Folded, fold

Span = tuple[int, int]

# The "split" form of a folded text has a space for every character that is not a letter
# or digit: the same length as the folded text, so offsets carry over unchanged.
_NOT_WORD = re.compile(r"[\W_]")
_ASCII_SPLIT = str.maketrans({chr(c): " " for c in range(128) if not chr(c).isalnum()})
# A hyphen between two letters or digits; the "joined" form drops it.
_INNER_HYPHEN = re.compile(r"(?<=[^\W_])-(?=[^\W_])")
_TAG = re.compile(r"\[([A-Za-z]+)\]\s*$")
_QUOTES = "\"\u201c\u201d\u201e"
_WORD_CHAR = re.compile(r"[^\W_]")
# Wildcards stand in the term's text as private-use characters while it is folded and split.
_PLACEHOLDER = 0xE000

#: Written words directly after one another (any punctuation or spacing between them).
ADJACENT = " +"
#: The query language's wildcards inside a word: ``?`` exactly one character, ``#`` zero or one.
WILDCARDS: Mapping[str, str] = {"?": "[^ ]", "#": "[^ ]?"}


def within(words: int) -> str:
    """A gap of up to ``words`` other words between two written words (proximity)."""
    if words < 0:
        raise ValueError("a proximity distance is at least 0")
    return f" +(?:[^ ]+ +){{0,{words}}}"


def split_form(folded: str) -> str:
    """Folded text with every character that is not a letter or digit as a space."""
    if folded.isascii():
        return folded.translate(_ASCII_SPLIT)
    return _NOT_WORD.sub(" ", folded)


class FieldText:
    """One field's text, folded once; its split and joined forms are built on first use.

    ``probe`` is the folded text without the hyphens inside words (the folded text itself
    when it has none): a joined word piece of a term must occur in it.
    """

    __slots__ = ("original", "folded", "text", "probe", "hyphenated", "_split", "_joined")

    def __init__(self, original: str) -> None:
        self.original = original
        self.folded = Folded.of(original)
        self.text = self.folded.text
        self.probe = _INNER_HYPHEN.sub("", self.text) if "-" in self.text else self.text
        self.hyphenated = len(self.probe) != len(self.text)
        self._split: str | None = None
        self._joined: tuple[str, tuple[int, ...]] | None = None

    @property
    def split(self) -> str:
        if self._split is None:
            self._split = split_form(self.text)
        return self._split

    @property
    def joined(self) -> tuple[str, tuple[int, ...]]:
        """The split form of :attr:`probe`, and where each dropped hyphen was (as an index
        of the joined form: the character after it)."""
        if self._joined is None:
            dropped = [m.start() for m in _INNER_HYPHEN.finditer(self.text)] if self.hyphenated else []
            self._joined = (split_form(self.probe), tuple(p - i for i, p in enumerate(dropped)))
        return self._joined


def _unjoin(index: int, dropped: tuple[int, ...]) -> int:
    """An index of the joined form as an index of the folded text."""
    return index + bisect_right(dropped, index)


@dataclass(frozen=True)
class Pattern:
    """A compiled word or phrase (see the module docstring)."""

    text: str
    split: re.Pattern[str]
    joined: re.Pattern[str]  # the same object as ``split`` when the term has no inner hyphen
    needle: str  # a literal piece every split match contains
    joined_needle: str  # the same for a joined match

    def may_occur(self, text: FieldText) -> bool:
        """A cheap test (substring checks only): ``False`` means the pattern cannot match."""
        return self.needle in text.text or (
            (text.hyphenated or self.joined is not self.split) and self.joined_needle in text.probe)

    def search(self, text: FieldText) -> bool:
        """Whether the pattern occurs in ``text``."""
        if self.needle in text.text and self.split.search(text.split):
            return True
        return ((text.hyphenated or self.joined is not self.split) and self.joined_needle in text.probe
                and bool(self.joined.search(text.joined[0])))

    def spans(self, text: FieldText, start: int = 0, end: int | None = None) -> list[Span]:
        """Every occurrence as a span of the original text, in order and without overlaps
        (the longer of two that start together). ``start``/``end`` keep the ones within
        that part of the original (a sentence)."""
        split_may = self.needle in text.text
        joined_may = ((text.hyphenated or self.joined is not self.split)
                      and self.joined_needle in text.probe)
        if not (split_may or joined_may):
            return []
        found: list[Span] = []
        if split_may:
            found += [text.folded.original_span(*m.span()) for m in self.split.finditer(text.split)]
        if joined_may:
            joined, dropped = text.joined
            for match in self.joined.finditer(joined):
                begin = _unjoin(match.start(), dropped)
                finish = _unjoin(match.end() - 1, dropped) + 1
                found.append(text.folded.original_span(begin, finish))
        if len(found) > 1:
            found = sorted(set(found), key=lambda s: (s[0], -s[1]))
        out: list[Span] = []
        for span in found:
            if out and span[0] < out[-1][1]:
                continue
            if span[0] >= start and (end is None or span[1] <= end):
                out.append(span)
        return out


@dataclass(frozen=True)
class Term:
    """A term of a criterion: its text as written, its pattern, and the fields of its tag
    (``None``: the fields the criterion reads)."""

    text: str
    pattern: Pattern
    fields: tuple[str, ...] | None = None

    def reads(self, field: str, default_fields: tuple[str, ...]) -> bool:
        return field in (self.fields if self.fields is not None else default_fields)


def compile_term(text: str) -> Term:
    """A criterion's term as written (``editorial[pt]``, ``"peer support*"``)."""
    raw = str(text).strip()
    fields: tuple[str, ...] | None = None
    tag = _TAG.search(raw)
    if tag:
        key = tag.group(1).lower()
        if key not in FIELD_TAGS:
            raise TermError(f"unknown field tag [{tag.group(1)}] in term {text!r}",
                            hint=f"use one of {', '.join(f'[{t}]' for t in FIELD_TAGS)}")
        fields = FIELD_TAGS[key]
        raw = raw[: tag.start()]
    return Term(str(text).strip(), compile_pattern(raw), fields)


def _written_words(text: str) -> tuple[str, list[str]]:
    """The term without quotes, and its words; raises :class:`TermError` as documented."""
    raw = str(text).strip().strip(_QUOTES).strip()
    written = raw.split()
    if not written or not any(_WORD_CHAR.search(w.strip("*")) for w in written):
        raise TermError(f"the term {text!r} has no letters or digits to match",
                        hint="write words or a phrase, with * only at the end of a word")
    for word in written:
        if "*" in word.rstrip("*") or word.startswith("*"):
            raise TermError(f"'*' inside or before a word in the term {text!r}",
                            hint="put * at the end of a word: schizophren*")
    return raw, written


def _codes(wildcards: Mapping[str, str] | None) -> tuple[dict[str, str], dict[str, str]]:
    wildcards = dict(wildcards or {})
    if "*" in wildcards:
        raise ValueError("'*' is truncation; it cannot be redefined as a wildcard")
    codes = {char: chr(_PLACEHOLDER + i) for i, char in enumerate(wildcards)}
    return codes, {codes[char]: rx for char, rx in wildcards.items()}


def compile_pattern(text: str, *, wildcards: Mapping[str, str] | None = None, gap: str = ADJACENT) -> Pattern:
    """A word or phrase (quotes optional) compiled for :class:`FieldText`.

    Raises :class:`~litsieve.errors.TermError` for a term without letters or digits, or
    with ``*`` anywhere but at the end of a word.
    """
    raw, written = _written_words(text)
    codes, regexes = _codes(wildcards)
    split_words = [_pieces(w, codes, joined=False) for w in written]
    joined_words = [_pieces(w, codes, joined=True) for w in written]
    split = _regex(split_words, regexes, gap)
    joined = _regex(joined_words, regexes, gap)
    split_rx = re.compile(split)
    return Pattern(
        text=raw,
        split=split_rx,
        joined=split_rx if joined == split else re.compile(joined),
        needle=_needle(split_words, regexes),
        joined_needle=_needle(joined_words, regexes),
    )


def compile_near(sides: Sequence[Sequence[str]], distance: int, *, ordered: bool = False,
                 wildcards: Mapping[str, str] | None = None) -> Pattern:
    """Proximity: each side is a list of alternative words or phrases (an OR), and at most
    ``distance`` other words stand between one side and the next; in the written order
    when ``ordered``, else in any order. Each alternative is matched as
    :func:`compile_pattern` matches it (folding, hyphens, ``*``, wildcards)."""
    if len(sides) < 2 or any(not side for side in sides):
        raise ValueError("proximity needs two or more sides, each with at least one term")
    codes, regexes = _codes(wildcards)
    gap = within(distance)

    def side_regex(side: Sequence[str], joined: bool) -> str:
        alternatives = []
        for text in side:
            words = [_pieces(w, codes, joined=joined) for w in _written_words(text)[1]]
            body = _body(words, regexes, ADJACENT)
            ends_truncated = next(t for pieces, t in reversed(words) if pieces)
            alternatives.append(body if ends_truncated else body + "(?![^ ])")
        return "(?:" + "|".join(alternatives) + ")"

    def near_regex(joined: bool) -> str:
        bodies = [side_regex(side, joined) for side in sides]
        orders = [bodies] if ordered else [list(p) for p in permutations(bodies)]
        return "(?<![^ ])(?:" + "|".join(gap.join(order) for order in orders) + ")"

    split, joined = near_regex(False), near_regex(True)
    split_rx = re.compile(split)
    label = f" {'PRE' if ordered else 'NEAR'}/{distance} ".join("(" + " OR ".join(side) + ")" for side in sides)
    return Pattern(text=label, split=split_rx, joined=split_rx if joined == split else re.compile(joined),
                   needle="", joined_needle="")


def _pieces(word: str, codes: Mapping[str, str], *, joined: bool) -> tuple[list[str], bool]:
    """A written word folded and split like record text; and whether it is truncated."""
    truncated = word.endswith("*")
    body = fold("".join(codes.get(c, c) for c in word.rstrip("*")))
    if joined:
        body = re.sub(r"(?<=[^\W_]|[\ue000-\uf8ff])-(?=[^\W_]|[\ue000-\uf8ff])", "", body)
    return re.sub(r"[^\w\ue000-\uf8ff]|_", " ", body).split(), truncated


def _body(words: list[tuple[list[str], bool]], regexes: Mapping[str, str], gap: str) -> str:
    """The written words as a regular expression, without the word boundaries around it."""
    parts: list[str] = []
    for pieces, truncated in words:
        if not pieces:
            continue
        body = [("".join(regexes.get(c) or re.escape(c) for c in piece)) for piece in pieces]
        if truncated:
            body[-1] += "[^ ]*"
        parts.append(ADJACENT.join(body))
    return gap.join(parts)


def _regex(words: list[tuple[list[str], bool]], regexes: Mapping[str, str], gap: str) -> str:
    regex = _body(words, regexes, gap)
    ends_truncated = next(t for pieces, t in reversed(words) if pieces)
    if not ends_truncated:
        regex += "(?![^ ])"
    first = next(piece for pieces, _ in words for piece in pieces)
    literal = re.escape(first[: next((i for i, c in enumerate(first) if c in regexes), len(first))])
    if literal:
        # The literal first, then the check that it starts a word: fast to find.
        return literal + f"(?<![^ ]{literal})" + regex[len(literal):]
    return "(?<![^ ])" + regex


def _needle(words: list[tuple[list[str], bool]], regexes: Mapping[str, str]) -> str:
    """The longest literal run of any piece (every match contains it)."""
    runs = [run for pieces, _ in words for piece in pieces
            for run in re.split("|".join(map(re.escape, regexes)) or "(?!)", piece)]
    return max(runs, key=len, default="")
