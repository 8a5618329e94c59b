"""Highlighting: the words behind a suggestion and the search string's terms, in place.

Screeners read faster when the words that matter stand out (keyword highlighting is the
feature ASReview users ask for most). Two kinds of words are highlighted, found by the one
term matcher litsieve has (:mod:`litsieve.text`), so a word is highlighted exactly where
it counted:

- ``criterion``: the evidence of every criterion that fired or was countered (the same
  words the queue's ``evidence`` column shows: a phrase saying who took part, an age, a
  delivery mode, a publication kind, a term);
- ``search``: every occurrence of a term of the search string in the fields it searched.

:func:`highlights` is what the screening page calls (record and protocol in, spans out).
The spreadsheet queue cannot show colour, so :func:`bracketed` writes the sentences with
the words in [brackets] (docs/screening.md); :func:`marked_html` writes ``<mark>`` for the
HTML report.
"""

from __future__ import annotations

import html
from dataclasses import dataclass
from functools import lru_cache
from typing import Iterable, Sequence

from litsieve.protocol import CriterionSpec, Protocol, Search
from litsieve.query.match import Matcher
from litsieve.query.protocol import protocol_query
from litsieve.record import Record
from litsieve.screening.criteria import Outcome, compile_criteria, evaluate_all
from litsieve.screening.terms import sentence_spans

CRITERION, SEARCH = "criterion", "search"
HIGHLIGHT_FIELDS = ("title", "abstract")


@dataclass(frozen=True, order=True)
class Highlight:
    """A span of one field of a record to highlight.

    ``kind`` is ``criterion`` (``label``: the criterion's id) or ``search`` (``label``: the
    search term as the query writes it). Offsets index the field's text as the record holds it.
    """

    field: str
    start: int
    end: int
    kind: str
    label: str


def criterion_highlights(outcomes: Iterable[Outcome]) -> list[Highlight]:
    """The evidence spans of every criterion that fired or was countered."""
    found = []
    for outcome in outcomes:
        if not (outcome.fired or outcome.countered):
            continue
        for evidence in (*outcome.evidence, *outcome.blocked_by):
            if evidence.start >= 0 and evidence.field in HIGHLIGHT_FIELDS:
                found.append(Highlight(evidence.field, evidence.start, evidence.end, CRITERION, outcome.criterion.id))
    return sorted(set(found))


def search_highlights(record: Record, matcher: Matcher) -> list[Highlight]:
    """Every occurrence of the search string's terms in the fields the search read."""
    return [Highlight(f, s, e, SEARCH, label) for f, s, e, label in matcher.spans(record) if f in HIGHLIGHT_FIELDS]


@lru_cache(maxsize=8)
def search_matcher(search: Search) -> Matcher:
    """The protocol's query as a matcher, compiled once."""
    return Matcher(protocol_query(search), fields=search.fields)


def highlights(record: Record, protocol: Protocol | tuple[CriterionSpec, ...], search: Search | None = None
               ) -> list[Highlight]:
    """Spans to highlight in one record: the words behind the protocol's suggestion and the
    search string's terms, sorted by field and position (the screening page's function)."""
    specs = protocol.criteria if isinstance(protocol, Protocol) else protocol
    search = protocol.search if isinstance(protocol, Protocol) and search is None else search
    found = criterion_highlights(evaluate_all(record, compile_criteria(specs)))
    if search is not None:
        found += search_highlights(record, search_matcher(search.without_limits()))
    return sorted(found)


def merged(spans: Sequence[Highlight]) -> list[tuple[int, int, tuple[Highlight, ...]]]:
    """Overlapping spans of one field merged: ``(start, end, the highlights in it)``."""
    out: list[tuple[int, int, list[Highlight]]] = []
    for span in sorted(spans, key=lambda h: (h.start, -h.end)):
        if out and span.start < out[-1][1]:
            start, end, members = out[-1]
            out[-1] = (start, max(end, span.end), [*members, span])
        else:
            out.append((span.start, span.end, [span]))
    return [(s, e, tuple(m)) for s, e, m in out]


def bracketed(text: str, spans: Sequence[Highlight], *, field: str, limit: int = 3) -> str:
    """The sentences of ``text`` that hold highlights, the words in [brackets]:
    ``(title) [Peer support] for people with [mental health] problems``. At most ``limit``
    sentences, in order; "…" marks text left out."""
    parts = merged([s for s in spans if s.field == field])
    if not parts:
        return ""
    bounds = [(0, len(text))] if field == "title" else sentence_spans(text)
    shown = []
    for begin, end in bounds:
        inside = [(s, e) for s, e, _ in parts if begin <= s < end]
        if not inside:
            continue
        pieces, position = [], begin
        for s, e in inside:
            pieces += [text[position:s], "[", text[s:min(e, end)], "]"]
            position = min(e, end)
        pieces.append(text[position:end])
        shown.append(" ".join("".join(pieces).split()))
        if len(shown) == limit:
            break
    return f"({field}) " + " … ".join(shown)


def marked_html(text: str, spans: Sequence[Highlight]) -> str:
    """``text`` as HTML with each highlight in ``<mark>``, classed by kind, titled with its
    criteria or search terms."""
    out, position = [], 0
    for start, end, members in merged(spans):
        kinds = sorted({m.kind for m in members})
        labels = ", ".join(dict.fromkeys(f"{m.kind}: {m.label}" for m in members))
        out += [html.escape(text[position:start]),
                f'<mark class="{" ".join(kinds)}" title="{html.escape(labels, quote=True)}">',
                html.escape(text[start:end]), "</mark>"]
        position = end
    out.append(html.escape(text[position:]))
    return "".join(out)


def search_evidence(record: Record, matcher: Matcher) -> str:
    """The search terms as the queue shows them: the sentences with the terms in brackets."""
    spans = search_highlights(record, matcher)
    parts = [bracketed(getattr(record, f), spans, field=f, limit=2) for f in HIGHLIGHT_FIELDS]
    return " / ".join(p for p in parts if p)
