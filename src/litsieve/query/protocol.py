"""The protocol's query: the string the authors wrote, and the reading they intend.

A review's search string is often written without parentheses (``a OR b AND c``), and
PubMed, EBSCOhost and Ovid then search different things. The workflow does not guess:
an ambiguous ``search.query`` needs ``search.intended_query``, the same terms with the
parentheses the authors mean, and that tree is what every database is searched with.
"""

from __future__ import annotations

from litsieve.errors import QueryError
from litsieve.query.lint import concept_reading
from litsieve.query.parser import CONVENTION_LABELS, Node, ambiguities, parse, render, resolve, terms
from litsieve.protocol import Search
from litsieve.query.translate import Years


def protocol_query(search: Search, *, file: str | None = None) -> Node:
    """The tree to search with, from the protocol's ``search`` section."""
    query = search.query
    if not query.strip():
        raise QueryError("the protocol has no search string", file=file, field="search.query",
                         hint="write the review's search string in search.query")
    try:
        written = parse(query)
    except QueryError as exc:
        raise QueryError(exc.message, file=file, field="search.query", hint=exc.hint) from None
    intended_text = search.intended_query
    chains = ambiguities(written)
    if not intended_text:
        if chains:
            raise QueryError(
                "search.query mixes AND and OR without parentheses, so databases read it "
                "differently: " + _readings(chains[0]),
                file=file, field="search.query",
                hint=("add search.intended_query with the parentheses you mean, e.g. "
                      f"intended_query: '{concept_reading(chains[0])}'"),
            )
        return written
    try:
        intended = parse(intended_text)
    except QueryError as exc:
        raise QueryError(exc.message, file=file, field="search.intended_query", hint=exc.hint) from None
    if ambiguities(intended):
        raise QueryError(
            "search.intended_query is itself ambiguous: " + _readings(ambiguities(intended)[0]),
            file=file, field="search.intended_query",
            hint="put parentheses around every group that mixes AND, OR and NOT",
        )
    written_terms, intended_terms = _term_keys(written), _term_keys(intended)
    if written_terms != intended_terms:
        missing = sorted(written_terms - intended_terms)
        extra = sorted(intended_terms - written_terms)
        parts = []
        if missing:
            parts.append("missing " + ", ".join(missing))
        if extra:
            parts.append("not in search.query: " + ", ".join(extra))
        raise QueryError(
            "search.intended_query does not use the same terms as search.query (" + "; ".join(parts) + ")",
            file=file, field="search.intended_query",
            hint="the intended query should only add parentheses and quotes to the written one",
        )
    return intended


def _readings(chain: Node) -> str:
    return "; ".join(f"{CONVENTION_LABELS[name]}: {render(resolve(chain, name))}" for name in CONVENTION_LABELS)


def _term_keys(node: Node) -> set[str]:
    """Terms compared without case, quotes or spacing: ``Peer  support`` equals ``"peer support"``."""
    return {" ".join(term.text.lower().split()) for term in terms(node)}


def protocol_limits(search: Search) -> tuple[Years | None, tuple[str, ...], str]:
    """``(years, languages, fields)`` from the protocol, as :func:`translate` takes them
    (a range with one open end closed as :meth:`~litsieve.protocol.YearRange.closed` says)."""
    return (search.years.closed() if search.years else None), search.languages, search.fields

