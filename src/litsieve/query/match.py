"""Evaluate the query over records locally: the same tree the databases were searched with.

Used to check exports made by hand (a record in a PsycINFO export that the query does
not match means the export and the documented search disagree) and to run the demo
without a network. Terms are matched by the text layer (:mod:`litsieve.text.terms`), the
same code the eligibility criteria use, so spelling noise the databases' indexes ignore
does not decide a match: case, diacritics and punctuation are ignored; a hyphen may be a
hyphen, a space or nothing; a phrase's words are adjacent and in order, never across
title and abstract; ``*`` matches any ending of the word it closes, ``?`` one character
and ``#`` none or one. Proximity is evaluated on the words of each field.

Subject headings are compared with the record's subject entries (MEDLINE ``MH``, RIS
``KW``, PubMed XML and Europe PMC MeSH lists): ``Acne Vulgaris/*drug therapy`` is the
heading Acne Vulgaris, a major topic, with the subheading drug therapy. What a record
cannot show is not guessed: without subject headings in the record, without major-topic
marks in it, or for an exploded heading (the narrower headings are in MeSH's tree, which
litsieve does not ship), a heading that is not found is *undetermined*. Undetermined
values follow three-valued logic (``x AND undetermined`` is undetermined unless ``x`` is
false); a record whose result is undetermined is kept, never removed, and its
``unverified`` column says why.

Each leaf is compiled once and each record's field folded once, so 100,000 records take
seconds.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from typing import Any, Callable, Iterable, Sequence

from litsieve.errors import QueryError, TermError
from litsieve.fileio import write_csv
from litsieve.query.parser import (
    FIELDS, And, Heading, Near, Node, Not, Or, Term, ambiguities, shape, walk,
)
from litsieve.query.translate import Years
from litsieve.query.vocabulary import heading_key, qualifier_name
from litsieve.record import Record
from litsieve.text import (
    FIELD_TAGS, WILDCARDS, FieldText, Pattern, compile_near, compile_pattern, language_name, language_names,
)

MATCH_COLUMNS: tuple[str, ...] = ("record_id", "source", "matched", "failed_on", "hits", "unverified")

#: Why a leaf could not be decided from the record.
UNVERIFIED = {
    "explode": "exploded heading not found as such: its narrower headings are not known offline",
    "no-headings": "the record has no subject headings to check a heading against",
    "major-topic": "the record's headings do not mark major topics",
    "no-publication-type": "the record has no publication type",
    "no-language": "the record has no language",
    "no-year": "the record has no publication year",
    "no-authors": "the record has no authors",
    "no-journal": "the record has no journal",
}
#: The record fields each term field is matched in: the text layer's, and the fields only
#: a query has. Words of headings (EBSCOhost MW, SU; Ovid .hw.) are looked for in the
#: record's subject entries, each entry on its own.
_RECORD_FIELDS = {**FIELD_TAGS, "hw": ("keywords",), "su": ("keywords",), "au": ("authors",), "so": ("journal",)}
#: Metadata fields: a record without the field cannot show a match (``unverified``).
_METADATA = {"au": ("authors", "no-authors"), "so": ("journal", "no-journal")}

Value = bool | None  # None: undetermined


@dataclass(frozen=True)
class MatchResult:
    """``reason`` says why a record did not match: ``query``, ``no-text``, ``year``, ``language``.
    ``unverified`` says why a match could not be shown offline (the record is kept)."""

    matched: bool
    hits: tuple[str, ...]
    reason: str
    unverified: str = ""


def term_label(term: Term) -> str:
    """The term as listed in ``hits``: its words (no quotes, which spreadsheets would double)."""
    return f"{term.text}[{term.field}]" if term.field else term.text


def leaf_label(node: Node) -> str:
    if isinstance(node, Term):
        return term_label(node)
    if isinstance(node, Heading):
        name = "/".join((node.name, *node.qualifiers)) if node.name else node.qualifiers[0]
        tag = "sh" if node.floating else ("majr" if node.major else "mh") + ("" if node.explode else ":noexp")
        return f"{name}[{tag}]"
    assert isinstance(node, Near)
    operator = f" {'PRE' if node.ordered else 'NEAR'}/{node.distance} "
    return "(" + operator.join(leaf_label(c) if not isinstance(c, Or) else
                               "(" + " OR ".join(leaf_label(t) for t in c.children) + ")"
                               for c in node.children) + ")"


# --------------------------------------------------------------------------- record side


@dataclass(frozen=True)
class SubjectEntry:
    key: str  # heading_key of the descriptor
    major: bool
    qualifiers: frozenset[str]


@dataclass(frozen=True)
class Subjects:
    """A record's subject entries; ``indexed``: the record evidently carries headings,
    ``marked``: its headings mark major topics with ``*``."""

    entries: tuple[SubjectEntry, ...]
    indexed: bool
    marked: bool


_NOTE = re.compile(r"\s*\[[^\]]*\]")


def subject_entry(value: str) -> SubjectEntry:
    """``*Acne Vulgaris/drug therapy``, ``Acne Vulgaris/*th``, ``Acne Vulgaris/dt [Drug Therapy]``."""
    text = _NOTE.sub("", value).strip()
    parts = [p.strip() for p in text.split("/")]
    major = any(p.startswith("*") for p in parts)
    qualifiers = frozenset(qualifier_name(p.lstrip("*")) or p.lstrip("*").lower() for p in parts[1:] if p.strip("*"))
    return SubjectEntry(heading_key(parts[0].lstrip("*")), major, qualifiers)


def record_subjects(record: Record) -> Subjects:
    """The record's subject entries, and what they can show (see the module docstring)."""
    extra = record.extra or {}
    listed: list[str] = []
    for key in ("mesh", "mesh_headings"):
        value = extra.get(key)
        listed += [value] if isinstance(value, str) else list(value or [])
    values = list(record.keywords) + [v for v in listed if v]
    entries = tuple(subject_entry(v) for v in values if v.strip("*/ "))
    marked = any(v.lstrip().startswith("*") or "/*" in v for v in values)
    with_subheadings = any(e.qualifiers and all(qualifier_name(q) for q in e.qualifiers) for e in entries)
    indexed = bool(listed) or "MHDA" in extra or marked or with_subheadings
    return Subjects(entries, indexed, marked)


class _RecordText:
    """A record's searchable fields, folded on first use and then reused."""

    def __init__(self, record: Record) -> None:
        self.record = record
        self._cache: dict[str, list[FieldText]] = {}
        self._subjects: Subjects | None = None

    def fields(self, name: str) -> list[FieldText]:
        if name not in self._cache:
            value = getattr(self.record, name) or ""
            values = list(value) if isinstance(value, list) else [value]
            self._cache[name] = [FieldText(v) for v in values if v]
        return self._cache[name]

    def has_text(self) -> bool:
        return bool(self.fields("title") or self.fields("abstract"))

    def subjects(self) -> Subjects:
        if self._subjects is None:
            self._subjects = record_subjects(self.record)
        return self._subjects


# --------------------------------------------------------------------------- leaves


@dataclass(frozen=True)
class _Leaf:
    """One compiled leaf: how to decide it for a record, and why it may stay undecided."""

    label: str
    decide: Callable[[_RecordText], tuple[Value, str]]
    pattern: Pattern | None = None  # a leaf matched in text: what and where (for highlighting)
    fields: tuple[str, ...] = ()


def _text_leaf(label: str, pattern: Pattern, fields: tuple[str, ...]) -> _Leaf:
    def decide(texts: _RecordText) -> tuple[Value, str]:
        return any(pattern.search(text) for name in fields for text in texts.fields(name)), ""
    return _Leaf(label, decide, pattern, fields)


def _limit_leaf(term: Term) -> _Leaf:
    label = term_label(term)
    if term.field == "dp":
        start, _, end = term.text.partition(":")
        low, high = int(start), int(end or start)

        def decide_year(texts: _RecordText) -> tuple[Value, str]:
            year = texts.record.year
            return (None, "no-year") if year is None else (low <= year <= high, "")
        return _Leaf(label, decide_year)
    if term.field == "la":
        wanted = language_name(term.text)

        def decide_language(texts: _RecordText) -> tuple[Value, str]:
            names = language_names(texts.record.language or "")
            return (None, "no-language") if not names else (wanted in names, "")
        return _Leaf(label, decide_language)
    pattern = _compile(term.text)

    def decide_type(texts: _RecordText) -> tuple[Value, str]:
        types = texts.fields("publication_types")
        return (None, "no-publication-type") if not types else (any(pattern.search(t) for t in types), "")
    return _Leaf(label, decide_type)


def _heading_leaf(heading: Heading) -> _Leaf:
    key = heading_key(heading.name)
    wanted = frozenset(heading.qualifiers)

    def decide(texts: _RecordText) -> tuple[Value, str]:
        subjects = texts.subjects()
        if heading.floating:
            found = [e for e in subjects.entries if e.qualifiers & wanted]
        else:
            found = [e for e in subjects.entries if e.key == key and (not wanted or e.qualifiers & wanted)]
        if heading.major and any(e.major for e in found) or (not heading.major and found):
            return True, ""
        if not subjects.indexed:
            return None, "no-headings"
        if heading.major and found and not subjects.marked:
            return None, "major-topic"
        if heading.explode:
            return None, "explode"
        return False, ""
    return _Leaf(leaf_label(heading), decide)


def _heading_words_leaf(term: Term) -> _Leaf:
    """Words in the record's subject entries; undetermined when the record shows no indexing."""
    pattern = _compile(term.text)

    def decide(texts: _RecordText) -> tuple[Value, str]:
        if any(pattern.search(text) for text in texts.fields("keywords")):
            return True, ""
        return (False, "") if texts.subjects().indexed else (None, "no-headings")
    return _Leaf(term_label(term), decide)


def _metadata_leaf(term: Term) -> _Leaf:
    """Author or journal words; undetermined when the record has none (an importer gap)."""
    name, why = _METADATA[term.field or ""]
    pattern = _compile(term.text)

    def decide(texts: _RecordText) -> tuple[Value, str]:
        values = texts.fields(name)
        return (None, why) if not values else (any(pattern.search(v) for v in values), "")
    return _Leaf(term_label(term), decide)


def _compile(text: str) -> Pattern:
    try:
        return compile_pattern(text, wildcards=WILDCARDS)
    except TermError as exc:
        raise QueryError(exc.message, field="query", hint="remove it or spell it out") from None


def _near_leaf(near: Near, default: str) -> _Leaf:
    sides = [[t.text for t in (child.children if isinstance(child, Or) else (child,))]  # type: ignore[union-attr]
             for child in near.children]
    field = next((t.field for t in walk(near) if isinstance(t, Term) and t.field), default)
    try:
        pattern = compile_near(sides, near.distance, ordered=near.ordered, wildcards=WILDCARDS)
    except TermError as exc:
        raise QueryError(exc.message, field="query", hint="remove it or spell it out") from None
    return _text_leaf(leaf_label(near), pattern, _RECORD_FIELDS[field])


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
        self._leaves: dict[tuple[Any, ...], _Leaf] = {}
        for leaf in _leaf_nodes(node):
            key = _key(leaf)
            if key in self._leaves:
                continue
            if isinstance(leaf, Near):
                self._leaves[key] = _near_leaf(leaf, fields)
            elif isinstance(leaf, Heading):
                self._leaves[key] = _heading_leaf(leaf)
            elif isinstance(leaf, Term) and leaf.field in ("pt", "la", "dp"):
                self._leaves[key] = _limit_leaf(leaf)
            elif isinstance(leaf, Term) and leaf.field in ("hw", "su"):
                self._leaves[key] = _heading_words_leaf(leaf)
            elif isinstance(leaf, Term) and leaf.field in _METADATA:
                self._leaves[key] = _metadata_leaf(leaf)
            else:
                assert isinstance(leaf, Term)  # _leaf_nodes yields terms, headings and proximity groups
                self._leaves[key] = _text_leaf(term_label(leaf), _compile(leaf.text),
                                               FIELD_TAGS[leaf.field or fields])
        self._evaluate = _evaluator(node)

    def match(self, record: Record) -> MatchResult:
        texts = _RecordText(record)
        values: dict[tuple[Any, ...], tuple[Value, str]] = {}
        for key, leaf in self._leaves.items():
            values[key] = leaf.decide(texts)
        result = self._evaluate(lambda key: values[key][0])
        hits = tuple(dict.fromkeys(leaf.label for key, leaf in self._leaves.items() if values[key][0]))
        unverified = ""
        if result is None:
            unverified = "; ".join(sorted({why for value, why in values.values() if value is None}))
        reasons = []
        if result is False:
            reasons.append("query" if texts.has_text() else "no-text")
        if self.years and record.year is not None and not self.years[0] <= record.year <= self.years[1]:
            reasons.append("year")
        if self.languages:
            langs = set(language_names(record.language or ""))
            if langs and not langs & self.languages:
                reasons.append("language")
        return MatchResult(not reasons, hits, "; ".join(reasons), unverified if not reasons else "")

    def spans(self, record: Record) -> list[tuple[str, int, int, str]]:
        """Where each of the query's text leaves occurs in the record's searched text fields:
        ``(field, start, end, leaf)`` with offsets into the field's text (for highlighting)."""
        found = []
        for leaf in self._leaves.values():
            if leaf.pattern is None:
                continue
            for name in leaf.fields:
                value = getattr(record, name, "")
                if isinstance(value, str) and value:
                    found += [(name, start, end, leaf.label) for start, end in leaf.pattern.spans(FieldText(value))]
        return sorted(found)


def _leaf_nodes(node: Node) -> list[Node]:
    """Terms, headings and proximities; the words inside a proximity are part of it."""
    if isinstance(node, (Term, Heading, Near)):
        return [node]
    return [leaf for child in node.children for leaf in _leaf_nodes(child)]  # type: ignore[union-attr]


def _key(node: Node) -> tuple[Any, ...]:
    return shape(node)


def _evaluator(node: Node) -> Callable[[Callable[[tuple[Any, ...]], Value]], Value]:
    """A function of "what is this leaf (by its key) for the record" that evaluates the
    whole tree (Kleene's three-valued logic: false wins in AND, true wins in OR)."""
    if isinstance(node, (Term, Heading, Near)):
        key = _key(node)
        return lambda value: value(key)
    children = [_evaluator(child) for child in node.children]  # type: ignore[union-attr]
    if isinstance(node, And):
        return lambda value: _all(child(value) for child in children)
    if isinstance(node, Or):
        return lambda value: _any(child(value) for child in children)
    assert isinstance(node, Not)
    first, rest = children[0], children[1:]
    return lambda value: _all((first(value), _negate(_any(child(value) for child in rest))))


def _all(values: Iterable[Value]) -> Value:
    result: Value = True
    for value in values:
        if value is False:
            return False
        if value is None:
            result = None
    return result


def _any(values: Iterable[Value]) -> Value:
    result: Value = False
    for value in values:
        if value is True:
            return True
        if value is None:
            result = None
    return result


def _negate(value: Value) -> Value:
    return None if value is None else not value


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
            "unverified": result.unverified,
        })
    return rows


def write_matches(path: str, rows: list[dict[str, str]]) -> None:
    write_csv(path, rows, MATCH_COLUMNS)


def summarise(rows: Iterable[dict[str, str]]) -> dict[str, Counter[str]]:
    """Per source: ``records``, ``matched``, ``not matched``, ``unverified`` and a count per reason."""
    summary: dict[str, Counter[str]] = {}
    for row in rows:
        counts = summary.setdefault(row["source"], Counter())
        counts["records"] += 1
        if row["matched"] == "true":
            counts["matched"] += 1
            if row.get("unverified"):
                counts["unverified"] += 1
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
        line = (f"{source}: {total} record{'s' if total != 1 else ''}, {counts['matched']} "
                f"match{'es' if counts['matched'] == 1 else ''} the query, "
                f"{counts['not matched']} do{'es' if counts['not matched'] == 1 else ''} not{detail}")
        if counts["unverified"]:
            line += (f"; {counts['unverified']} of the matches could not be verified offline and are kept "
                     "(see the unverified column)")
        lines.append(line)
    return "\n".join(lines) + ("\n" if lines else "")
