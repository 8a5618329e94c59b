"""Term lists as reviewers write them, matched in the language of real abstracts.

A term is a word or phrase with optional truncation (``peer support*``, ``schizophren*``)
and an optional field tag in the PubMed style reviewers already know
(``editorial[pt]``, ``commentary[ti]``; tags: ti, ab, tiab, kw, pt, la). Matching is
case-insensitive and treats a hyphen, a space and nothing alike, so ``face-to-face``
finds "face to face" and ``peer-led`` finds "peer led" and "peerled".

Every hit also says whether it sits in a negated or contrasted clause ("unlike
online-only programmes", "rather than internet-based", "no face-to-face contact"): a
screener reads such a mention as the opposite of the word, so the criteria do too.
"not only online" is not a negation.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Sequence

from litsieve.errors import ConfigError

FIELD_TAGS: dict[str, tuple[str, ...]] = {
    "ti": ("title",),
    "ab": ("abstract",),
    "tiab": ("title", "abstract"),
    "kw": ("keywords",),
    "pt": ("publication_types",),
    "la": ("language",),
}
_TAG = re.compile(r"\[([a-z]+)\]\s*$", re.IGNORECASE)
_DASHES = "\\-\u2010\u2011\u2012\u2013\u2014"
# Between two words of a phrase: spaces and/or dashes (and a slash: "face-to-face/online").
_WORD_GAP = f"[\\s{_DASHES}/]+"
# Where the term itself has a hyphen: a dash, a space or nothing.
_HYPHEN_GAP = f"[\\s{_DASHES}]?"
_TERM_TEXT = re.compile(r"^[\w' .\-*/+&]+$", re.UNICODE)

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
    "isn't", "aren't",
})
# "not only online", "not just staff": the word after the cue undoes the negation.
NEGATION_UNDONE: frozenset[str] = frozenset({"only", "just", "merely", "solely", "limited", "exclusively"})
_CUE_WORDS: frozenset[str] = NEGATION_CUES | {cue[0] for cue in CONTRAST_CUES}
CONTRAST_REACH = 8
NEGATION_REACH = 3
_CLAUSE_BREAK = re.compile(r"[.;:!?()\[\]]|,\s|\bbut\b|\bwhereas\b|\bwhile\b|\bhowever\b", re.IGNORECASE)
_WORD = re.compile(r"[a-z]+(?:'[a-z]+)?")
_WORD_PIECES = re.compile(r"[^\W_]+", re.UNICODE)
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[A-Z0-9(\"'])")


@dataclass(frozen=True)
class Term:
    """One entry of a term list, compiled."""

    text: str
    pattern: re.Pattern[str]
    fields: tuple[str, ...] | None  # from a [tag]; None = the criterion's fields
    key: str  # lower-case literal the text must contain: a cheap test before the regex

    def reads(self, field: str, default_fields: tuple[str, ...]) -> bool:
        return field in (self.fields if self.fields is not None else default_fields)


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
    raw = str(text).strip()
    fields: tuple[str, ...] | None = None
    tag = _TAG.search(raw)
    if tag:
        key = tag.group(1).lower()
        if key not in FIELD_TAGS:
            raise ConfigError(f"unknown field tag [{tag.group(1)}] in term {text!r}", field=where,
                              hint=f"use one of {', '.join(f'[{t}]' for t in FIELD_TAGS)}")
        fields = FIELD_TAGS[key]
        raw = raw[: tag.start()].strip()
    raw = raw.strip('"')
    if not raw or not _TERM_TEXT.match(raw) or raw.startswith("*") or not _WORD_PIECES.search(raw.split()[0]):
        raise ConfigError(f"cannot use term {text!r}", field=where,
                          hint="write words or a phrase, with * only at the end of a word")
    if any("*" in word.rstrip("*") for word in raw.split()):
        raise ConfigError(f"truncation * inside a word in term {text!r}", field=where,
                          hint="put * at the end of a word: schizophren*")
    words = raw.lower().split()
    parts = []
    for word in words:
        truncated = word.endswith("*")
        word = word.rstrip("*")
        pieces = [re.escape(p) for p in re.split(f"[{_DASHES}]", word)]
        body = _HYPHEN_GAP.join(p for p in pieces if p)
        parts.append(body + (r"[\w'\u2019]*" if truncated else ""))
    regex = r"(?<![\w])" + _WORD_GAP.join(parts) + r"(?![\w])"
    key = _WORD_PIECES.findall(words[0].rstrip("*"))[0]
    return Term(text=str(text).strip(), pattern=re.compile(regex, re.IGNORECASE), fields=fields, key=key)


def compile_terms(texts: list[str] | tuple[str, ...], *, where: str) -> tuple[Term, ...]:
    return tuple(compile_term(t, where=where) for t in texts)


def is_negated(text: str, start: int) -> bool:
    """Whether the words before ``start`` in its clause negate or contrast it away."""
    clause_start = max(0, start - 160)
    if _CUE_WORDS.isdisjoint(_WORD.findall(text[clause_start:start].lower().replace("\u2019", "'"))):
        return False
    for brk in _CLAUSE_BREAK.finditer(text, clause_start, start):
        clause_start = brk.end()
    before = _WORD.findall(text[clause_start:start].lower().replace("\u2019", "'"))
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


def word_prefixes(text: str) -> frozenset[str]:
    """Every prefix of every word of ``text``, lower-cased.

    A term whose :attr:`Term.key` is not among them cannot match, so most terms of a long
    list are ruled out by one set lookup instead of a regular-expression scan.
    """
    out: set[str] = set()
    for word in _WORD_PIECES.findall(text.lower()):
        out.update(word[:i] for i in range(1, len(word) + 1))
    return frozenset(out)


def same_length_lower(text: str) -> str:
    """``text.lower()`` with offsets unchanged (the few letters that grow stay as they are)."""
    lowered = text.lower()
    if len(lowered) == len(text):
        return lowered
    return "".join(c.lower() if len(c.lower()) == 1 else c for c in text)


def find_hits(term: Term, field: str, text: str, *, blocked: Sequence[tuple[int, int]] = (),
              lowered: str | None = None) -> list[Hit]:
    """Every occurrence of ``term`` in ``text`` that does not overlap a ``blocked`` span.

    The regular expression is only tried where the term's first word starts (found with
    ``str.find`` in ``lowered``, :func:`same_length_lower` of ``text``): much faster than
    a case-insensitive scan of a whole abstract for each of hundreds of terms.
    """
    lowered = lowered if lowered is not None else same_length_lower(text)
    hits = []
    position = lowered.find(term.key)
    matches = []
    while position != -1:
        match = term.pattern.match(text, position)
        if match:
            matches.append(match)
            position = lowered.find(term.key, match.end())
        else:
            position = lowered.find(term.key, position + 1)
    for match in matches:
        start, end = match.span()
        if any(start < b_end and b_start < end for b_start, b_end in blocked):
            continue
        hits.append(Hit(term=term.text, field=field, start=start, end=end,
                        negated=is_negated(text, start)))
    return hits


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
