"""The protocol's query: the string the authors wrote, and the reading they intend.

A review's search string is often written without parentheses (``a OR b AND c``), and
PubMed, EBSCOhost and Ovid then search different things. The workflow does not guess:
an ambiguous ``search.query`` needs ``search.intended_query``, the same terms with the
parentheses the authors mean, and that tree is what every database is searched with.
"""

from __future__ import annotations

from typing import Any

from litsieve.errors import QueryError
from litsieve.query.lint import concept_reading
from litsieve.query.parser import (
    CONVENTION_LABELS, PRECEDENCE, And, Heading, Near, Node, Or, Term, ambiguities, leaves, parse, render,
    resolve,
)
from litsieve.protocol import Search, StringAsRun
from litsieve.query.translate import Years
from litsieve.text import language_name


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
    return {" ".join((leaf.text if isinstance(leaf, Term) else leaf.name or leaf.qualifiers[0]).lower().split())
            for leaf in leaves(node)}


def string_as_run(run: StringAsRun, *, file: str | None = None) -> Node:
    """The tree of the string a source was searched with (``sources[].string_as_run``, or
    a live search's frozen request). A string that mixes AND and OR without parentheses
    is read the way the source's interface read it when it was run."""
    field = f"sources.{run.source}.string_as_run"
    try:
        tree = parse(run.text)
    except QueryError as exc:
        raise QueryError(exc.message, file=file, field=field, hint=exc.hint) from None
    if ambiguities(tree):
        if run.platform not in PRECEDENCE:
            raise QueryError(
                "the string as run mixes AND and OR without parentheses, and litsieve does not know how "
                f"the interface '{run.platform}' reads that: " + _readings(ambiguities(tree)[0]),
                file=file, field=field, hint="set the source's platform, or add the parentheses it was run with")
        tree = resolve(tree, run.platform)
    return tree


def meaning_differences(run: Node, query: Node, fields: str, *, years: Years | None = None,
                        languages: tuple[str, ...] = ()) -> list[str]:
    """How the string as run and the protocol's query differ in meaning (empty: they agree).

    Compared as searched: without case, quotes or order within AND and OR; a term without
    a field tag takes the protocol's ``fields``; ``TI x OR AB x`` is ``x`` in title or
    abstract; dates and languages AND-ed at the top are limits, compared with ``years``
    and ``languages`` (the protocol's) when the string as run has them.
    """
    out = _limit_differences(run, years, languages)
    a, b = _meaning(run, fields, top=True), _meaning(query, fields, top=True)
    if a == b:
        return out
    only_run = sorted(_leaf_keys(a) - _leaf_keys(b))
    only_query = sorted(_leaf_keys(b) - _leaf_keys(a))
    if only_run:
        out.append("only in the string as run: " + "; ".join(only_run))
    if only_query:
        out.append("only in the protocol's query: " + "; ".join(only_query))
    if not out:
        out.append("the same terms, combined differently (compare the parentheses and operators)")
    return out


def _limit_differences(run: Node, years: Years | None, languages: tuple[str, ...]) -> list[str]:
    top = run.children if isinstance(run, And) else (run,)
    out = []
    run_years = [t.text for t in top if isinstance(t, Term) and t.field == "dp"]
    run_langs = {language_name(t.text) for c in top for t in (c.children if isinstance(c, Or) else (c,))
                 if isinstance(t, Term) and t.field == "la"}
    if run_years and years and run_years != [f"{years[0]}:{years[1]}"]:
        out.append(f"publication years as run {', '.join(run_years)}, the protocol's {years[0]}-{years[1]}")
    if run_langs and languages and run_langs != set(languages):
        out.append(f"languages as run {', '.join(sorted(run_langs))}, the protocol's {', '.join(languages)}")
    return out


def _meaning(node: Node, fields: str, top: bool = False) -> Any:
    if isinstance(node, Term):
        return ("term", " ".join(node.text.lower().split()), node.field or fields)
    if isinstance(node, Heading):
        return ("heading", " ".join(node.name.lower().split()), node.explode, node.major,
                tuple(sorted(node.qualifiers)))
    if isinstance(node, Near):
        return ("near", node.distance, node.ordered, tuple(_meaning(c, fields) for c in node.children))
    children = [_meaning(c, fields) for c in node.children]  # type: ignore[union-attr]
    if isinstance(node, And) and top:
        children = [c for c in children if not (c[0] == "term" and c[2] in ("dp", "la"))]
        if len(children) == 1:
            return children[0]
    if isinstance(node, (And, Or)):
        children = _merged_fields(children) if isinstance(node, Or) else children
        if len(children) == 1:
            return children[0]
        return (type(node).__name__, frozenset(children))
    return ("Not", children[0], frozenset(children[1:]))


def _merged_fields(children: list[Any]) -> list[Any]:
    """``x[ti] OR x[ab]`` is ``x[tiab]`` (also for a proximity, which is always within one
    field): how EBSCOhost and Europe PMC write title-or-abstract."""
    merged = list(children)
    for child in children:
        if _fields_of(child) == {"ti"}:
            twin = _with_field(child, "ab")
            if twin in merged and child in merged:
                merged.remove(child)
                merged.remove(twin)
                merged.append(_with_field(child, "tiab"))
    return merged


def _fields_of(meaning: Any) -> set[str]:
    if meaning[0] == "term":
        return {meaning[2]}
    if meaning[0] == "near":
        return {f for c in meaning[3] for f in _fields_of(c)}
    if meaning[0] in ("Or", "And"):
        return {f for c in meaning[1] for f in _fields_of(c)}
    return {"-"}


def _with_field(meaning: Any, field: str) -> Any:
    if meaning[0] == "term":
        return ("term", meaning[1], field)
    if meaning[0] == "near":
        return ("near", meaning[1], meaning[2], tuple(_with_field(c, field) for c in meaning[3]))
    if meaning[0] in ("Or", "And"):
        return (meaning[0], frozenset(_with_field(c, field) for c in meaning[1]))
    return meaning


def _leaf_keys(meaning: Any) -> set[str]:
    if meaning[0] == "term":
        return {f"{meaning[1]}[{meaning[2]}]"}
    if meaning[0] == "heading":
        flags = ("exploded" if meaning[2] else "not exploded") + (", major" if meaning[3] else "")
        quals = f"/{'/'.join(meaning[4])}" if meaning[4] else ""
        return {f"heading {meaning[1]}{quals} ({flags})"}
    if meaning[0] == "near":
        return {f"proximity {meaning[1]} ({'in order' if meaning[2] else 'any order'}) of "
                + " / ".join(sorted(k for c in meaning[3] for k in _leaf_keys(c)))}
    if meaning[0] == "Not":
        return _leaf_keys(meaning[1]) | {k for c in meaning[2] for k in _leaf_keys(c)}
    return {k for c in meaning[1] for k in _leaf_keys(c)}


def protocol_limits(search: Search) -> tuple[Years | None, tuple[str, ...], str]:
    """``(years, languages, fields)`` from the protocol, as :func:`translate` takes them
    (a range with one open end closed as :meth:`~litsieve.protocol.YearRange.closed` says)."""
    return (search.years.closed() if search.years else None), search.languages, search.fields

