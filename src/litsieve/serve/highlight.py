"""Which words of a record the screening page highlights, and the HTML that marks them.

Two kinds, shown in two styles with a legend: the *evidence* (the words the protocol's
criteria fired on for this record, bracketed in the suggestion's ``evidence`` column) and
the *search* terms (every term of the search string, the intended reading when the
protocol gives one). Both are matched with the text layer (:mod:`litsieve.text`), the same
folding and truncation the query and the criteria use, so a highlighted word is exactly a
word that counted.

:func:`record_highlights` is the one function the page calls. With the record and the
protocol it takes the criteria's own spans (:func:`litsieve.screening.highlight.highlights`:
exactly the words each criterion's evidence came from, and the search terms); with the
queue row alone it finds the bracketed words of the ``evidence`` cell again.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Iterable, Mapping, Sequence

from markupsafe import Markup, escape

from litsieve.errors import LitsieveError
from litsieve.protocol import Protocol
from litsieve.record import Record
from litsieve.screening.highlight import CRITERION, highlights
from litsieve.text import FieldText, Pattern, compile_pattern

EVIDENCE, SEARCH = "evidence", "search"
_BRACKETED = re.compile(r"\[([^\[\]]{1,200})\]")


@dataclass(frozen=True)
class Highlight:
    """A span of one field's text and the kinds of term it matched (``evidence``, ``search``)."""

    start: int
    end: int
    kinds: frozenset[str]


def evidence_words(evidence: str) -> list[str]:
    """The bracketed words of a suggestion's evidence (``…a [peer support] partner…``)."""
    return list(dict.fromkeys(m.group(1).strip() for m in _BRACKETED.finditer(evidence or "") if m.group(1).strip()))


@lru_cache(maxsize=4096)
def _pattern(term: str) -> Pattern | None:
    try:
        return compile_pattern(term)
    except (LitsieveError, ValueError):
        return None


@lru_cache(maxsize=16)
def search_terms(query: str) -> tuple[str, ...]:
    """The terms of a search string as written (``peer support``, ``mental well*``)."""
    from litsieve.query.parser import parse, terms

    try:
        node = parse(query)
    except LitsieveError:
        return ()
    return tuple(dict.fromkeys(term.text for term in terms(node)))


def spans(text: str, patterns: Mapping[str, Sequence[str]]) -> list[Highlight]:
    """Every match in ``text`` of the terms of each kind, as non-overlapping highlights.

    Where matches of different kinds overlap, the union of the overlapping spans is one
    highlight carrying both kinds (a search term inside the evidence is marked as both).
    """
    if not text:
        return []
    field = FieldText(text)
    found: list[tuple[int, int, str]] = []
    for kind, terms in patterns.items():
        for term in terms:
            pattern = _pattern(term)
            if pattern is not None:
                found += [(start, end, kind) for start, end in pattern.spans(field)]
    return _merged(found)


def _merged(found: list[tuple[int, int, str]]) -> list[Highlight]:
    found.sort()
    merged: list[Highlight] = []
    for start, end, kind in found:
        if merged and start < merged[-1].end:
            last = merged[-1]
            merged[-1] = Highlight(last.start, max(last.end, end), last.kinds | {kind})
        else:
            merged.append(Highlight(start, end, frozenset({kind})))
    return merged


def record_highlights(fields: Mapping[str, str], evidence: str, query: str, *,
                      record: Record | None = None, protocol: Protocol | None = None) -> dict[str, list[Highlight]]:
    """Highlights per field (``title``, ``abstract``, ``keywords``) of one record."""
    if record is not None and protocol is not None:
        found: dict[str, list[tuple[int, int, str]]] = {name: [] for name in fields}
        for span in highlights(record, protocol):
            if span.field in found and fields[span.field] == getattr(record, span.field):
                found[span.field].append((span.start, span.end, EVIDENCE if span.kind == CRITERION else SEARCH))
        return {name: _merged(spans_) for name, spans_ in found.items()}
    patterns = {EVIDENCE: evidence_words(evidence), SEARCH: list(search_terms(query))}
    return {name: spans(text, patterns) for name, text in fields.items()}


def marked(text: str, highlights: Iterable[Highlight]) -> Markup:
    """``text`` as HTML, escaped, with each highlight in a ``<mark>`` naming its kinds.

    Every piece of the record goes through :func:`markupsafe.escape`, so a title holding
    ``<script>`` is shown as text; only the ``<mark>`` tags are litsieve's own.
    """
    out: list[str] = []
    position = 0
    for item in highlights:
        out.append(str(escape(text[position:item.start])))
        kinds = " ".join(sorted(item.kinds))
        out.append(f'<mark class="{kinds}">{escape(text[item.start:item.end])}</mark>')
        position = item.end
    out.append(str(escape(text[position:])))
    return Markup("".join(out))
