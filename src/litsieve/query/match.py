"""Evaluate the query over records locally: the same tree the databases were searched with.

Used to check exports made by hand (a record in a PsycINFO export that the query does
not match means the export and the documented search disagree) and to run the demo
without a network. Terms are matched by the text layer (:mod:`litsieve.text.terms`), the
same code the eligibility criteria use, so spelling noise the databases' indexes ignore
does not decide a match: case, diacritics and punctuation are ignored; a hyphen may be a
hyphen, a space or nothing; a phrase's words are adjacent and in order, never across
title and abstract; ``*`` matches any ending of the word it closes.

Each term is compiled once and each record's field folded once, so 100,000 records take
seconds.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from typing import Callable, Iterable, Sequence

from litsieve.errors import QueryError, TermError
from litsieve.fileio import write_csv
from litsieve.query.parser import FIELDS, And, Node, Not, Or, Term, ambiguities, terms
from litsieve.query.translate import Years
from litsieve.record import Record
from litsieve.text import FIELD_TAGS, FieldText, Pattern, compile_pattern, language_name, language_names

MATCH_COLUMNS: tuple[str, ...] = ("record_id", "source", "matched", "failed_on", "hits")


@dataclass(frozen=True)
class MatchResult:
    """``reason`` says why a record did not match: ``query``, ``no-text``, ``year``, ``language``."""

    matched: bool
    hits: tuple[str, ...]
    reason: str


@dataclass(frozen=True)
class _Compiled:
    label: str
    fields: tuple[str, ...]
    pattern: Pattern


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
        self.languages = frozenset(language_name(lang) for lang in languages if lang.strip())
        self._terms: dict[Term, _Compiled] = {}
        self._order: list[_Compiled] = []
        for term in terms(node):
            key = _key(term)
            if key in self._terms:
                continue
            try:
                pattern = compile_pattern(term.text)
            except TermError as exc:
                raise QueryError(exc.message, field="query", hint="remove it or spell it out") from None
            compiled = _Compiled(label=term_label(term), fields=FIELD_TAGS[term.field or fields], pattern=pattern)
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
            langs = set(language_names(record.language or ""))
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


class _RecordText:
    """A record's searchable fields, folded on first use and then reused."""

    def __init__(self, record: Record) -> None:
        self.record = record
        self._cache: dict[str, list[FieldText]] = {}

    def _fields(self, name: str) -> list[FieldText]:
        if name not in self._cache:
            values = list(self.record.keywords) if name == "keywords" else [getattr(self.record, name) or ""]
            self._cache[name] = [FieldText(v) for v in values if v]
        return self._cache[name]

    def has_text(self) -> bool:
        return bool(self._fields("title") or self._fields("abstract"))

    def contains(self, term: _Compiled) -> bool:
        return any(term.pattern.search(text) for name in term.fields for text in self._fields(name))


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
    write_csv(path, rows, MATCH_COLUMNS)


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
