"""Evaluate the query over records locally: the same tree the databases were searched with.

Used to check exports made by hand (a record in a PsycINFO export that the query does
not match means the export and the documented search disagree) and to run the demo
without a network. Matching is done on normalised text, so spelling noise that the
databases' indexes ignore does not decide a match:

- case, diacritics (``Pérez`` = ``perez``) and punctuation are ignored;
- a hyphen may be written as a hyphen, a space or nothing: the query ``wellbeing`` finds
  ``well-being`` and ``well-being`` finds ``wellbeing`` and ``well being``;
- phrases match words in order, adjacent (``"mental well*"`` finds ``mental wellbeing``,
  ``mental well-being`` and ``Mental Well Being``), never across title and abstract;
- ``*`` matches any ending of the word it closes.

Regular expressions are compiled once per term and each record's text is normalised once,
so 100,000 records take seconds.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from dataclasses import dataclass
from typing import Callable, Iterable, Sequence

from litsieve.errors import QueryError
from litsieve.fileio import write_csv
from litsieve.query.parser import FIELDS, And, Node, Not, Or, Term, ambiguities, terms
from litsieve.query.translate import Years, normalise_language
from litsieve.record import Record

MATCH_COLUMNS: tuple[str, ...] = ("record_id", "source", "matched", "failed_on", "hits")

_DROP = dict.fromkeys(map(ord, "\u00ad\u200b\u200c\u200d\ufeff"), None)  # soft hyphen, zero widths
_SPECIAL = str.maketrans({"ø": "o", "æ": "ae", "œ": "oe", "ł": "l", "đ": "d", "þ": "th", "ð": "d"})
_COMBINING = re.compile("[\u0300-\u036f]+")
_HYPHENS = re.compile(r"(?<=\w)[-\u2010\u2011\u2012](?=\w)")
_HAS_HYPHEN = re.compile(r"[-\u2010\u2011\u2012]")
_NON_WORD = re.compile(r"[\W_]+")


def fold(text: str) -> str:
    """Lower case without diacritics or invisible characters."""
    if text.isascii():
        return text.lower()
    text = unicodedata.normalize("NFKD", text.translate(_DROP))
    text = _COMBINING.sub("", text)
    if not text.isascii():
        text = "".join(ch for ch in text if not unicodedata.combining(ch))
    return text.casefold().translate(_SPECIAL)


_ASCII_PUNCT = str.maketrans({chr(c): " " for c in range(128) if not chr(c).isalnum()})


def _words_only(folded: str) -> str:
    """Punctuation and runs of space as one space (a translate table is faster for ASCII)."""
    if folded.isascii():
        return " ".join(folded.translate(_ASCII_PUNCT).split())
    return _NON_WORD.sub(" ", folded).strip()


def forms(text: str) -> tuple[str, str]:
    """The two normalised forms of a text: hyphens as spaces, and hyphens removed."""
    folded = fold(text)
    split = _words_only(folded)
    if not _HAS_HYPHEN.search(folded):
        return split, split
    return split, _words_only(_HYPHENS.sub("", folded))


@dataclass(frozen=True)
class MatchResult:
    """``reason`` says why a record did not match: ``query``, ``no-text``, ``year``, ``language``."""

    matched: bool
    hits: tuple[str, ...]
    reason: str


@dataclass(frozen=True)
class _Compiled:
    """A term's two patterns, and ``needle``, a word piece any match must contain."""

    label: str
    field: str
    split: re.Pattern[str]
    joined: re.Pattern[str]
    needle: str


def _pattern(words: list[tuple[str, bool]]) -> re.Pattern[str]:
    """Words in order, whole words unless truncated.

    The pattern starts with the first word as a literal and checks the word start with a
    lookbehind after it: a pattern that opens with a literal lets the regex engine skip
    ahead to candidate positions, which makes the search many times faster.
    """
    parts = [re.escape(stem) + (r"\w*" if truncated else "") for stem, truncated in words]
    first = re.escape(words[0][0])
    parts[0] = first + rf"(?<!\w{first})" + parts[0][len(first):]
    tail = "" if words[-1][1] else r"(?!\w)"
    return re.compile(" ".join(parts) + tail)


def _term_words(text: str, *, joined: bool) -> list[tuple[str, bool]]:
    """The query term's words normalised like record text, each with its truncation flag."""
    words: list[tuple[str, bool]] = []
    for raw in text.split():
        truncated = raw.endswith("*")
        split, glued = forms(raw.rstrip("*"))
        pieces = (glued if joined else split).split()
        if not pieces:
            continue
        words += [(piece, False) for piece in pieces[:-1]] + [(pieces[-1], truncated)]
    return words


def term_label(term: Term) -> str:
    """The term as listed in ``hits``: its words (no quotes, which spreadsheets would double)."""
    return f"{term.text}[{term.field}]" if term.field else term.text


class Matcher:
    """A compiled query with optional year and language limits."""

    def __init__(
        self,
        node: Node,
        *,
        fields: str = "tiab",
        years: Years | None = None,
        languages: Sequence[str] = (),
    ) -> None:
        if ambiguities(node):
            raise QueryError("the query mixes AND/OR without parentheses; it cannot be evaluated",
                             field="query", hint="run `litsieve query lint` and add parentheses")
        if fields not in FIELDS:
            raise QueryError(f"unknown fields {fields!r}", field="fields",
                             hint=f"use one of {', '.join(FIELDS)}")
        self.node = node
        self.years = years
        self.languages = frozenset(normalise_language(lang) for lang in languages if lang.strip())
        self._terms: dict[Term, _Compiled] = {}
        self._order: list[_Compiled] = []
        for term in terms(node):
            key = _key(term)
            if key in self._terms:
                continue
            split_words = _term_words(term.text, joined=False)
            if not split_words:
                raise QueryError(f"the term {term.text!r} has no letters or digits to match",
                                 field="query", hint="remove it or spell it out")
            compiled = _Compiled(
                label=term_label(term),
                field=term.field or fields,
                split=_pattern(split_words),
                joined=_pattern(_term_words(term.text, joined=True)),
                needle=max((stem for stem, _ in split_words), key=len),
            )
            self._terms[key] = compiled
            self._order.append(compiled)
        self._evaluate = _evaluator(node)

    def match(self, record: Record) -> MatchResult:
        texts = _RecordText(record)
        found = {id(c) for c in self._order if texts.contains(c)}
        matched_query = self._evaluate(lambda term: id(self._terms[_key(term)]) in found)
        hits = tuple(dict.fromkeys(c.label for c in self._order if id(c) in found))
        reasons = []
        if not matched_query:
            reasons.append("query" if texts.has_text() else "no-text")
        if self.years and record.year is not None and not self.years[0] <= record.year <= self.years[1]:
            reasons.append("year")
        if self.languages:
            langs = {normalise_language(part) for part in re.split(r"[;,/]", record.language or "") if part.strip()}
            if langs and not langs & self.languages:
                reasons.append("language")
        return MatchResult(not reasons, hits, "; ".join(reasons))


def _key(term: Term) -> Term:
    return Term(term.text.lower(), term.phrase, term.truncated, term.field, (0, 0))


def _evaluator(node: Node) -> Callable[[Callable[[Term], bool]], bool]:
    """A function of "does this term match" that evaluates the whole tree."""
    if isinstance(node, Term):
        return lambda found: found(node)
    children = [_evaluator(child) for child in node.children]  # type: ignore[union-attr]
    if isinstance(node, And):
        return lambda found: all(child(found) for child in children)
    if isinstance(node, Or):
        return lambda found: any(child(found) for child in children)
    assert isinstance(node, Not)
    first, rest = children[0], children[1:]
    return lambda found: first(found) and not any(child(found) for child in rest)


class _FieldText:
    """One field value: folded at once, split into normalised forms only when a term may occur."""

    __slots__ = ("folded", "probe", "_forms")

    def __init__(self, value: str) -> None:
        self.folded = fold(value)
        self.probe = _HYPHENS.sub("", self.folded) if _HAS_HYPHEN.search(self.folded) else self.folded
        self._forms: tuple[str, str] | None = None

    def contains(self, term: _Compiled) -> bool:
        # Substring tests first: most terms are absent from most records.
        if term.needle not in self.probe and term.needle not in self.folded:
            return False
        if self._forms is None:
            split = _words_only(self.folded)
            joined = split if self.probe is self.folded else _words_only(self.probe)
            self._forms = (split, joined)
        split, joined = self._forms
        return bool(term.split.search(split) or term.joined.search(joined))


_FIELD_NAMES = {"ti": ("title",), "ab": ("abstract",), "tiab": ("title", "abstract"),
                "all": ("title", "abstract", "keywords")}


class _RecordText:
    """A record's searchable fields, folded on first use and then reused."""

    def __init__(self, record: Record) -> None:
        self.record = record
        self._cache: dict[str, list[_FieldText]] = {}

    def _fields(self, name: str) -> list[_FieldText]:
        if name not in self._cache:
            values = list(self.record.keywords) if name == "keywords" else [getattr(self.record, name) or ""]
            self._cache[name] = [_FieldText(v) for v in values if v]
        return self._cache[name]

    def has_text(self) -> bool:
        return bool(self._fields("title") or self._fields("abstract"))

    def contains(self, term: _Compiled) -> bool:
        return any(text.contains(term) for name in _FIELD_NAMES[term.field] for text in self._fields(name))


def match_records(matcher: Matcher, records: Iterable[Record]) -> list[dict[str, str]]:
    """One output row per record, in input order."""
    rows = []
    for record in records:
        result = matcher.match(record)
        rows.append({
            "record_id": record.record_id,
            "source": record.source,
            "matched": "true" if result.matched else "false",
            "failed_on": result.reason,
            "hits": "; ".join(result.hits),
        })
    return rows


def write_matches(path: str, rows: list[dict[str, str]]) -> None:
    write_csv(path, rows, MATCH_COLUMNS, neutralise=("source",))


def summarise(rows: Iterable[dict[str, str]]) -> dict[str, Counter[str]]:
    """Per source: ``records``, ``matched``, ``not matched`` and a count per reason."""
    summary: dict[str, Counter[str]] = {}
    for row in rows:
        counts = summary.setdefault(row["source"], Counter())
        counts["records"] += 1
        if row["matched"] == "true":
            counts["matched"] += 1
        else:
            counts["not matched"] += 1
            for reason in row["failed_on"].split("; "):
                counts[f"failed on {reason}"] += 1
    return dict(sorted(summary.items()))


def format_summary(summary: dict[str, Counter[str]]) -> str:
    lines = []
    for source, counts in summary.items():
        reasons = sorted(k for k in counts if k.startswith("failed on "))
        detail = f" ({', '.join(f'{k[10:]}: {counts[k]}' for k in reasons)})" if reasons else ""
        total = counts["records"]
        lines.append(f"{source}: {total} record{'s' if total != 1 else ''}, {counts['matched']} "
                     f"match{'es' if counts['matched'] == 1 else ''} the query, "
                     f"{counts['not matched']} do{'es' if counts['not matched'] == 1 else ''} not{detail}")
    return "\n".join(lines) + ("\n" if lines else "")
