"""Term lists as reviewers write them, read the way a screener reads an abstract.

Terms compile and match in the text layer (:mod:`litsieve.text.terms`), the same code the
query uses: a word or phrase with optional ``*`` truncation and an optional PubMed-style
field tag (``editorial[pt]``, ``commentary[ti]``; the tags are
:data:`litsieve.text.fields.FIELD_TAGS`). Case, diacritics and punctuation do not matter,
and a hyphen, a space and nothing are alike, so ``face-to-face`` finds "face to face" and
``peer-led`` finds "peer led" and "peerled".

What this module adds is the screener's reading: every hit also says whether it sits in
a negated or contrasted clause ("unlike online-only programmes", "rather than
internet-based", "no face-to-face contact", "avoid face-to-face services"): a screener
reads such a mention as the opposite of the word, so the criteria do too. "not only
online" is not a negation, and "non-affective" is a word, not "not".
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Sequence

from litsieve.errors import ConfigError, TermError
from litsieve.text import FieldText, Term
from litsieve.text import compile_term as compile_text_term

# Cues that turn the following words of the clause into their opposite. Contrast cues
# reach further than plain negation, which only covers the next few words ("not
# delivered online", "without face-to-face contact") so that "no significant change in
# depression" still counts as a study of depression.
CONTRAST_CUES: tuple[tuple[str, ...], ...] = (
    ("unlike",), ("rather", "than"), ("instead", "of"), ("as", "opposed", "to"),
    ("in", "contrast", "to"), ("in", "contrast", "with"), ("other", "than"),
    ("apart", "from"), ("excluding",), ("excluded",), ("exclusion", "of"),
)
NEGATION_CUES: frozenset[str] = frozenset({
    "not", "no", "without", "never", "neither", "nor", "non", "cannot", "lack", "lacked",
    "lacking", "absence", "absent", "didn't", "don't", "doesn't", "wasn't", "weren't",
    "isn't", "aren't", "avoid", "avoids", "avoided", "avoiding",
})
# "not only online", "not just staff": the word after the cue undoes the negation.
NEGATION_UNDONE: frozenset[str] = frozenset({"only", "just", "merely", "solely", "limited", "exclusively"})
_CUE_WORDS: frozenset[str] = NEGATION_CUES | {cue[0] for cue in CONTRAST_CUES}
CONTRAST_REACH = 8
NEGATION_REACH = 3
_CLAUSE_BREAK = re.compile(r"[.;:!?()\[\]]|,\s|\bbut\b|\bwhereas\b|\bwhile\b|\bhowever\b", re.IGNORECASE)
_WORD = re.compile(r"[a-z]+(?:'[a-z]+)?")
_NON_PREFIX = re.compile(r"\bnon-(?=[a-z])")
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[A-Z0-9(\"'])")


@dataclass(frozen=True)
class Hit:
    """Where a term occurs in one field of a record."""

    term: str
    field: str
    start: int
    end: int
    negated: bool


def compile_term(text: str, *, where: str = "criteria") -> Term:
    """Compile a term as written in the protocol; a malformed one is a :class:`ConfigError`."""
    try:
        return compile_text_term(text)
    except TermError as exc:
        raise ConfigError(exc.message, field=where, hint=exc.hint) from None


def compile_terms(texts: Sequence[str], *, where: str) -> tuple[Term, ...]:
    return tuple(compile_term(t, where=where) for t in texts)


def find_hits(term: Term, field: str, text: str | FieldText, *,
              blocked: Sequence[tuple[int, int]] = ()) -> list[Hit]:
    """Every occurrence of ``term`` in ``text`` that does not overlap a ``blocked`` span."""
    field_text = text if isinstance(text, FieldText) else FieldText(text)
    spans = term.pattern.spans(field_text)
    if not spans:
        return []
    hits = []
    for start, end in spans:
        if any(start < b_end and b_start < end for b_start, b_end in blocked):
            continue
        hits.append(Hit(term=term.text, field=field, start=start, end=end,
                        negated=is_negated(field_text.original, start)))
    return hits


def is_negated(text: str, start: int) -> bool:
    """Whether the words before ``start`` in its clause negate or contrast it away."""
    clause_start = max(0, start - 160)
    if _CUE_WORDS.isdisjoint(_words(text[clause_start:start])):
        return False
    for brk in _CLAUSE_BREAK.finditer(text, clause_start, start):
        clause_start = brk.end()
    before = _words(text[clause_start:start])
    after = _WORD.findall(text[start:start + 40].lower())
    if after and after[0] in NEGATION_UNDONE:
        return False
    window = before[-CONTRAST_REACH:]
    for cue in CONTRAST_CUES:
        n = len(cue)
        for i in range(len(window) - n + 1):
            if tuple(window[i:i + n]) == cue:
                return True
    near = before[-NEGATION_REACH:]
    for i, word in enumerate(near):
        if word in NEGATION_CUES:
            following = near[i + 1] if i + 1 < len(near) else (after[0] if after else "")
            if following in NEGATION_UNDONE:
                continue
            return True
    return False


def _words(text: str) -> list[str]:
    """Lower-case words; "non-" before a word is a prefix of it ("non-affective"), not "not"."""
    return _WORD.findall(_NON_PREFIX.sub("non", text.lower().replace("\u2019", "'")))


def sentence_spans(text: str) -> list[tuple[int, int]]:
    """Sentence boundaries (offsets) of ``text``; good enough for abstracts."""
    spans = []
    begin = 0
    for brk in _SENTENCE_END.finditer(text):
        spans.append((begin, brk.start()))
        begin = brk.end()
    spans.append((begin, len(text)))
    return spans


def snippet(text: str, start: int, end: int, *, width: int = 60) -> str:
    """The matched words in brackets, with a little context either side."""
    left = max(0, start - width)
    right = min(len(text), end + width)
    if left > 0:
        space = text.find(" ", left, start)
        left = space + 1 if space != -1 else left
    if right < len(text):
        space = text.rfind(" ", end, right)
        right = space if space != -1 else right
    prefix = "…" if left > 0 else ""
    suffix = "…" if right < len(text) else ""
    body = f"{text[left:start]}[{text[start:end]}]{text[end:right]}"
    return prefix + " ".join(body.split()) + suffix
