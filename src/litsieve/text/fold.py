"""Unicode folding with a map back to the original text.

Every comparison of words in litsieve (the query over imported records, the eligibility
criteria, highlighting in the screening page) folds both sides the same way, so that
``naïve``, ``Naive`` and ``NAÏVE`` are one word, ``ﬁndings`` is ``findings``, ``œdema`` is
``oedema`` and a hyphen typed as U+2010 or an en dash is a hyphen:

- case (``str.casefold``, so ``ß`` is ``ss``);
- diacritics (NFKD decomposition, combining marks dropped) and compatibility forms
  (ligatures, full-width letters, superscript digits);
- letters NFKD leaves alone that readers treat as plain ones (``ø æ œ ł đ þ ð ı``);
- hyphen-like dashes (U+2010-2013, U+2212) as ``-``; em dashes as a space; curly quotes
  and primes as ``'``; soft hyphens and zero-width characters dropped.

Folding may change the length of a text (``ß`` -> ``ss``, a soft hyphen -> nothing), so
:class:`Folded` keeps where each folded character came from: a match found in folded text
is reported at its place in the original (what highlighting needs). ASCII text folds to
``text.lower()`` with the identity map, which keeps the common case fast.
"""

from __future__ import annotations

import re
import unicodedata
from bisect import bisect_right
from dataclasses import dataclass

_DROPPED = "\u00ad\u200b\u200c\u200d\u2060\ufeff"  # soft hyphen, zero widths, word joiner, BOM
_TABLE: dict[str, str] = {
    **dict.fromkeys(_DROPPED, ""),
    **dict.fromkeys("\u2010\u2011\u2012\u2013\u2212", "-"),
    **dict.fromkeys("\u2014\u2015", " "),
    **dict.fromkeys("\u2018\u2019\u201a\u201b\u02bc\u2032", "'"),
    "ø": "o", "æ": "ae", "œ": "oe", "ł": "l", "đ": "d", "þ": "th", "ð": "d", "ı": "i",
}
_NON_ASCII = re.compile(r"[^\x00-\x7f]+")
_CACHE: dict[str, str] = {}


def fold_char(char: str) -> str:
    """One character folded (possibly to zero or several characters)."""
    cached = _CACHE.get(char)
    if cached is not None:
        return cached
    if char in _TABLE:
        folded = _TABLE[char]
    else:
        decomposed = unicodedata.normalize("NFKD", char)
        stripped = "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()
        folded = "".join(_TABLE.get(c, c) for c in stripped)
    if len(_CACHE) < 65536:
        _CACHE[char] = folded
    return folded


def fold(text: str) -> str:
    """``text`` folded for comparison (see the module docstring)."""
    if text.isascii():
        return text.lower()
    return Folded.of(text).text


@dataclass(frozen=True)
class Folded:
    """A text and its folded form, with the offsets of one mapped to the other.

    ``_marks`` and ``_shifts`` are parallel: from folded index ``_marks[i]`` on, a folded
    character sits ``_shifts[i]`` characters later in the original. Empty for texts that
    fold character for character (all ASCII text, most accented text).
    """

    original: str
    text: str
    _marks: tuple[int, ...] = ()
    _shifts: tuple[int, ...] = ()

    @classmethod
    def of(cls, original: str) -> "Folded":
        if original.isascii():
            return cls(original, original.lower())
        pieces: list[str] = []
        marks: list[int] = []
        shifts: list[int] = []
        position = 0  # folded length so far
        last = 0  # original index already copied
        for match in _NON_ASCII.finditer(original):
            head = original[last:match.start()].lower()
            pieces.append(head)
            position += len(head)
            for index in range(match.start(), match.end()):
                folded = fold_char(original[index])
                if len(folded) != 1:
                    # Each character of an expansion points at its source character;
                    # the first character after it (or after a dropped one) at the next.
                    for offset in range(len(folded)):
                        marks.append(position + offset)
                        shifts.append(index - position - offset)
                    marks.append(position + len(folded))
                    shifts.append(index + 1 - position - len(folded))
                pieces.append(folded)
                position += len(folded)
            last = match.end()
        pieces.append(original[last:].lower())
        # A later entry for the same folded index wins (a dropped character, then a change).
        merged = dict(zip(marks, shifts))
        return cls(original, "".join(pieces), tuple(merged), tuple(merged.values()))

    def original_index(self, index: int) -> int:
        """Where folded character ``index`` comes from in the original."""
        if not self._marks:
            return index
        at = bisect_right(self._marks, index) - 1
        return index + (self._shifts[at] if at >= 0 else 0)

    def original_span(self, start: int, end: int) -> tuple[int, int]:
        """The original span of the folded characters ``start:end``."""
        if not self._marks:
            return start, end
        if start >= end:
            return self.original_index(start), self.original_index(start)
        return self.original_index(start), self.original_index(end - 1) + 1

