"""The screening queues: what each screener's file holds and in what order.

A screener's file is a :mod:`litsieve.personfile` file: the generated columns describe the
record (and the protocol's suggestion with the words behind it), the person columns hold
the decision. Each screener gets their own file and never sees another screener's
decisions (the order of their rows is learnt from their own decisions only).

Rows are written undecided first, in priority order, then the rows already decided, so a
screener always works from the top. The priority is the ranker's order once the
screener has made at least one include and one exclude decision
(:func:`litsieve.ranking.order_queue`), before that its stable order (suggested includes
first).
"""

from __future__ import annotations

from functools import lru_cache
from typing import TYPE_CHECKING, Callable, Mapping, Sequence

from litsieve.personfile import PersonFileSpec, PersonRow, PersonTable
from litsieve.protocol import CriterionSpec, Protocol
from litsieve.record import LIST_SEPARATOR, Record
from litsieve.screening.criteria import compile_criteria
from litsieve.stagefiles import Suggestion

if TYPE_CHECKING:
    from litsieve.ranking import Ranker

TITLE_ABSTRACT = "title_abstract"
FULL_TEXT = "full_text"
STAGES = (TITLE_ABSTRACT, FULL_TEXT)

DECISIONS_TA = ("include", "exclude", "maybe")
DECISIONS_FT = ("include", "exclude")
RETRIEVAL = ("retrieved", "not retrieved")
OTHER_REASON = "other"

# What a screener types comes right after the record id and the title, before the wide
# cells (abstract, evidence), so it is on screen without scrolling sideways; ``why`` says
# what an ``unsure`` suggestion found missing. Files written in an earlier order are read
# by column name and rewritten in this one.
TA_PERSON = ("decision", "reason", "note")
# ``study``: the study the record is a report of, when deduplication linked it to others
# (``RETRACTED``, ``has erratum r7``, ``conference abstract of r1``; docs/screening.md).
TA_COLUMNS = ("record_id", "title", *TA_PERSON, "suggestion", "why", "study", "priority", "abstract", "authors",
              "year", "journal", "doi", "link", "criteria", "evidence")
# ``sources``: the databases and other methods that found the work, so a screener
# retrieving the report knows where to look (a citation search, an export's own link).
FT_PERSON = ("retrieval", "decision", "reason", "note")
FT_COLUMNS = ("record_id", "title", *FT_PERSON, "study", "authors", "year", "journal", "doi", "link", "sources")
HELP_TITLE = "this row says what to type in each column; it is no record (litsieve skips it)"


def reason_names(criteria: tuple[CriterionSpec, ...]) -> dict[str, str]:
    """Every name a screener may give as an exclusion reason, mapped to the reason reported.

    The reasons are the protocol's exclusion criteria and flags with a ``reason``
    (``criteria:`` in the config), each accepted by its id or its ``reason`` text so a
    screener may type the short id;
    an inclusion criterion by its id, reported as "Not met: <label>" (the record shows no
    peer support, say); and ``other`` (say what in the note).
    """
    return dict(_reason_names(criteria))


@lru_cache(maxsize=8)
def _reason_names(criteria: tuple[CriterionSpec, ...]) -> tuple[tuple[str, str], ...]:
    names: dict[str, str] = {}
    for criterion in compile_criteria(criteria):
        if criterion.kind != "inclusion" and criterion.reason:
            # Exclusion criteria, and flags that name a reason (a protocol, a conference
            # abstract): a screener may exclude for them by id or by the reason text.
            names.setdefault(criterion.id, criterion.reason)
            names.setdefault(criterion.reason, criterion.reason)
        else:
            # Typed back as litsieve reports it ("Not met: peer support") or by the id.
            names.setdefault(criterion.id, f"Not met: {criterion.label}")
            names.setdefault(f"Not met: {criterion.label}", f"Not met: {criterion.label}")
    names[OTHER_REASON] = OTHER_REASON
    return tuple(names.items())


def reason_help(criteria: tuple[CriterionSpec, ...], *, required: bool) -> str:
    """What the help row says under ``reason``: the ids a screener may type."""
    compiled = compile_criteria(criteria)
    excluding = [c.id for c in compiled if c.kind != "inclusion" and c.reason]
    unmet = [c.id for c in compiled if c.kind == "inclusion"]
    text = ("required for every exclusion: " if required else "for an exclusion (optional): ")
    text += ", ".join([*excluding, f"{OTHER_REASON} (say what in note)"])
    if unmet:
        text += f"; or an inclusion criterion not met: {', '.join(unmet)}"
    return text + "; the reason's text works too"


def queue_spec(stage: str, screener: str, criteria: tuple[CriterionSpec, ...]) -> PersonFileSpec:
    reasons = tuple(reason_names(criteria))
    if stage == TITLE_ABSTRACT:
        return PersonFileSpec(
            relative=f"{TITLE_ABSTRACT}/{screener}.csv",
            columns=TA_COLUMNS,
            person_columns=TA_PERSON,
            choices={"decision": DECISIONS_TA, "reason": reasons},
            description=f"title/abstract queue of {screener}",
            help={"title": HELP_TITLE, "decision": "include, exclude or maybe (empty: not screened yet)",
                  "reason": reason_help(criteria, required=False), "note": "anything you like"},
        )
    return PersonFileSpec(
        relative=f"{FULL_TEXT}/{screener}.csv",
        columns=FT_COLUMNS,
        person_columns=FT_PERSON,
        choices={"retrieval": RETRIEVAL, "decision": DECISIONS_FT, "reason": reasons},
        description=f"full-text queue of {screener}",
        help={"title": HELP_TITLE, "retrieval": "retrieved or not retrieved (then no decision)",
              "decision": "include or exclude", "reason": reason_help(criteria, required=True),
              "note": "anything you like"},
    )


def person_files(protocol: Protocol) -> list[PersonFileSpec]:
    """Every screening file people edit (the provider :mod:`litsieve.personfile` calls)."""
    from litsieve.screening.conflicts import conflict_spec

    specs = []
    for stage in STAGES:
        names = protocol.screeners.of(stage)
        specs += [queue_spec(stage, name, protocol.criteria) for name in names]
        specs.append(conflict_spec(stage, names, protocol.criteria))
    return specs


def link(record: Record) -> str:
    """Where the screener can read the record: DOI, else the source's URL, else PubMed."""
    if record.doi:
        return f"https://doi.org/{record.doi}"
    if record.url:
        return record.url
    if record.pmid:
        return f"https://pubmed.ncbi.nlm.nih.gov/{record.pmid}/"
    return ""


def record_cells(record: Record) -> dict[str, str]:
    return {
        "record_id": record.record_id,
        "title": record.title,
        "abstract": record.abstract,
        "authors": LIST_SEPARATOR.join(record.authors),
        "year": "" if record.year is None else str(record.year),
        "journal": record.journal,
        "doi": record.doi,
        "link": link(record),
    }


def record_sources(record: Record) -> str:
    """The sources that found the work, ``"; "``-joined in name order (``psycinfo; pubmed``):
    every source deduplication merged into the record, else the record's own source."""
    merged = record.extra.get("dedup_source_ids")
    names = sorted(merged) if isinstance(merged, dict) else []
    return LIST_SEPARATOR.join(names or ([record.source] if record.source else []))


def aliases(records: Sequence[Record]) -> dict[str, str]:
    """Ids deduplication folded into each record, mapped onto the record's own id."""
    mapping: dict[str, str] = {}
    for record in records:
        members = record.extra.get("dedup_source_ids") or []
        if isinstance(members, dict):  # {source: [ids]}, as deduplication writes it
            members = [m for ids in members.values() for m in ids]
        if isinstance(members, str):
            members = [m.strip() for m in members.split(";")]
        for member in members:
            if member and member != record.record_id:
                mapping[member] = record.record_id
    return mapping


def queue_ranker(records: Sequence[Record], suggestions: Mapping[str, Suggestion]) -> "Ranker":
    """The ranker of a title/abstract queue (features computed once, retrained per call)."""
    # Imported here: the Snakefile imports this module at parse time (person_files) and
    # should not pay for loading the ranking stack.
    from litsieve.ranking import Ranker

    return Ranker.from_records(list(records), {i: (s.suggestion or None) for i, s in suggestions.items()})


def priority_order(
    records: Sequence[Record], suggestions: Mapping[str, Suggestion], labels: Mapping[str, str],
    *, ranked: bool = True, ranker: "Ranker | None" = None,
) -> list[str]:
    """Every record id in queue order, learnt from this screener's own labels only.

    :func:`litsieve.ranking.order_queue` keeps a stable order (suggested includes first)
    until the labels hold an include and an exclude, then ranks by predicted relevance;
    with ``ranked=False`` (ranking disabled in the protocol) it keeps the stable order.
    ``ranker`` (from :func:`queue_ranker` over the same records and suggestions) saves
    recomputing the features: the screening page retrains after each decision.
    """
    ranker = ranker or queue_ranker(records, suggestions)
    return ranker.order({i: int(label == "include") for i, label in labels.items()}, ranked=ranked)


def labels_from(table: PersonTable | None, spec: PersonFileSpec, alias_map: Mapping[str, str], policy: str) -> dict[str, str]:
    """A screener's decisions as ranking labels (a "maybe" counts as include unless a third person decides)."""
    if table is None:
        return {}
    return labels_of({row.key: spec.choice("decision", row.get("decision")) for row in table.rows}, alias_map, policy)


def labels_of(decisions: Mapping[str, str], alias_map: Mapping[str, str], policy: str) -> dict[str, str]:
    """:func:`labels_from` over canonical decisions by record id (the screening page keeps them)."""
    labels: dict[str, str] = {}
    for key, decision in decisions.items():
        if decision == "maybe":
            decision = "include" if policy == "include" else ""
        if decision in ("include", "exclude"):
            labels[alias_map.get(key, key)] = decision
    return labels


def title_abstract_rows(
    records: Sequence[Record], suggestions: Mapping[str, Suggestion], order: Sequence[str],
    study: Callable[[str], str] | None = None,
) -> list[dict[str, str]]:
    """The generated cells of a title/abstract queue, in ``order`` (``study``: the ``study``
    cell of a record, :meth:`litsieve.studies.Studies.cells`)."""
    by_id = {r.record_id: r for r in records}
    rows = []
    for priority, record_id in enumerate(order, start=1):
        suggestion = suggestions.get(record_id) or Suggestion(record_id, "", (), ())
        rows.append({
            **record_cells(by_id[record_id]),
            "priority": str(priority),
            "suggestion": suggestion.suggestion,
            "why": suggestion.why,
            "study": study(record_id) if study else "",
            "criteria": LIST_SEPARATOR.join(suggestion.criteria),
            "evidence": suggestion.highlighted,
        })
    return rows


def undecided_first(rows: list[PersonRow]) -> list[PersonRow]:
    """Undecided rows at the top (in the order given), decided ones after them."""
    return [r for r in rows if not r.get("decision").strip()] + [r for r in rows if r.get("decision").strip()]
