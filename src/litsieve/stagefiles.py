"""The files one stage writes for the next, as typed rows.

Each file between stages has one row type here with one ``to_row`` (what the writer puts
in the CSV) and one ``from_row`` (what every reader gets back), as
:class:`litsieve.record.Record` has for the record-model files, so the columns of a file
are defined once and a reader never guesses at a cell. docs/architecture.md lists the
files and their columns.

- :class:`Suggestion`: ``results/screening/suggestions.csv`` (the criteria's suggestion
  for each record in the pool; also ``litsieve suggest``'s output);
- :class:`StageDecision`: ``results/screening/{title_abstract,full_text}.csv`` (the final
  decision of every record at one screening stage, with each screener's);
- :class:`ClusterRow`: ``results/dedup/clusters.csv`` (which work each record belongs to).

Reading goes through :func:`litsieve.fileio.iter_csv`, so a missing file or column is an
error naming the file.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from typing import Iterable, Iterator, Mapping, Sequence

from litsieve.errors import LitsieveError
from litsieve.fileio import iter_csv, write_csv

LIST_SEPARATOR = "; "
EVIDENCE_SEPARATOR = " | "


def _split(value: str, separator: str) -> tuple[str, ...]:
    return tuple(part for part in value.split(separator) if part) if value else ()


# --------------------------------------------------------------------------- suggestions

SUGGESTION_COLUMNS: tuple[str, ...] = (
    "record_id", "suggestion", "criteria", "evidence", "reason", "automatic", "unmet", "why", "search_terms",
)
#: The label of the search string's terms in the screening queue's ``evidence`` cell.
SEARCH_EVIDENCE = "search"


@dataclass(frozen=True)
class Suggestion:
    """The suggestion for one record, with the criteria that fired and their evidence.

    DESIGN.md fixes the first four columns (``record_id``, ``suggestion``, ``criteria``
    joined with ``; ``, ``evidence``); ``evidence`` holds one entry per criterion, joined
    with `` | ``.
    """

    record_id: str
    suggestion: str  # include, exclude or unsure
    criteria: tuple[str, ...]
    evidence: tuple[str, ...]
    automatic: str | None = None
    reason: str = ""  # the exclusion reason a screener would pick, when suggesting exclude
    unmet: tuple[str, ...] = ()  # inclusion criteria the record shows no evidence for
    why: str = ""
    search_terms: str = ""  # the sentences where the search string's terms occur, terms in [brackets]
    excluded_by: str = ""  # the criterion whose reason ``reason`` is (not written: it is the reason's id)

    @property
    def highlighted(self) -> str:
        """The screening queue's ``evidence`` cell: each criterion's words, then the search
        string's terms, all in [brackets] (a spreadsheet cannot colour words; docs/screening.md)."""
        parts = list(self.evidence)
        if self.search_terms:
            parts.append(f"{SEARCH_EVIDENCE}: {self.search_terms}")
        return EVIDENCE_SEPARATOR.join(parts)

    def to_row(self) -> dict[str, str]:
        return {
            "record_id": self.record_id,
            "suggestion": self.suggestion,
            "criteria": LIST_SEPARATOR.join(self.criteria),
            "evidence": EVIDENCE_SEPARATOR.join(self.evidence),
            "reason": self.reason,
            "automatic": self.automatic or "",
            "unmet": LIST_SEPARATOR.join(self.unmet),
            "why": self.why,
            "search_terms": self.search_terms,
        }

    @classmethod
    def from_row(cls, row: Mapping[str, str]) -> "Suggestion":
        return cls(
            record_id=row["record_id"],
            suggestion=row.get("suggestion") or "",
            criteria=_split(row.get("criteria") or "", LIST_SEPARATOR),
            evidence=_split(row.get("evidence") or "", EVIDENCE_SEPARATOR),
            automatic=row.get("automatic") or None,
            reason=row.get("reason") or "",
            unmet=_split(row.get("unmet") or "", LIST_SEPARATOR),
            why=row.get("why") or "",
            search_terms=row.get("search_terms") or "",
        )


def write_suggestions(path: str | os.PathLike[str], suggestions: Iterable[Suggestion]) -> int:
    """Write the suggestions file (DESIGN.md columns first); returns the number of rows."""
    rows = [s.to_row() for s in suggestions]
    write_csv(path, rows, SUGGESTION_COLUMNS)
    return len(rows)


def read_suggestions(path: str | os.PathLike[str]) -> dict[str, Suggestion]:
    """The suggestions file by record id."""
    return {row["record_id"]: Suggestion.from_row(row)
            for row in iter_csv(path, required=("record_id", "suggestion"))}


# --------------------------------------------------------------------------- stage decisions

@dataclass(frozen=True)
class ScreenerDecision:
    """One screener's decision on a record, and when they made it (1 = their first)."""

    decision: str = ""
    reason: str = ""
    order: int | None = None


@dataclass(frozen=True)
class StageDecision:
    """Where one record stands at a screening stage.

    ``decision``: ``include``, ``exclude``, ``not_retrieved`` (full text only),
    ``conflict`` or ``awaiting``; ``reason``: the exclusion reason reported; ``basis``:
    ``agreement``, ``single screener`` or ``resolution``; ``screeners``: each screener's
    own decision, in the protocol's order; ``resolution``: the third person's.
    """

    record_id: str
    decision: str
    reason: str = ""
    basis: str = ""
    screeners: Mapping[str, ScreenerDecision] = field(default_factory=dict)
    resolution: str = ""

    def by(self, name: str) -> ScreenerDecision:
        """The decision of screener ``name`` (empty when they have none)."""
        return self.screeners.get(name) or ScreenerDecision()

    def to_row(self) -> dict[str, str]:
        row = {"record_id": self.record_id, "decision": self.decision, "reason": self.reason,
               "basis": self.basis, "resolution": self.resolution}
        for name, mine in self.screeners.items():
            row[f"decision_{name}"] = mine.decision
            row[f"reason_{name}"] = mine.reason
            row[f"order_{name}"] = "" if mine.order is None else str(mine.order)
        return row

    @classmethod
    def from_row(cls, row: Mapping[str, str]) -> "StageDecision":
        names = [key[len("decision_"):] for key in row if key and key.startswith("decision_")]
        screeners = {}
        for name in names:
            order = (row.get(f"order_{name}") or "").strip()
            screeners[name] = ScreenerDecision(row.get(f"decision_{name}") or "", row.get(f"reason_{name}") or "",
                                               int(order) if order.isdigit() else None)
        return cls(row["record_id"], row.get("decision") or "", row.get("reason") or "", row.get("basis") or "",
                   screeners, row.get("resolution") or "")


def stage_columns(names: Sequence[str]) -> list[str]:
    """The columns of a stage file with these screeners."""
    columns = ["record_id", "decision", "reason", "basis"]
    for name in names:
        columns += [f"decision_{name}", f"reason_{name}", f"order_{name}"]
    return [*columns, "resolution"]


def write_stage_decisions(path: str | os.PathLike[str], rows: Iterable[StageDecision], names: Sequence[str]) -> None:
    write_csv(path, (row.to_row() for row in rows), stage_columns(names))


def iter_stage_decisions(path: str | os.PathLike[str], *,
                         error: type[LitsieveError] = LitsieveError) -> Iterator[StageDecision]:
    for row in iter_csv(path, required=("record_id", "decision"), error=error):
        yield StageDecision.from_row(row)


def read_stage_decisions(path: str | os.PathLike[str], *,
                         error: type[LitsieveError] = LitsieveError) -> list[StageDecision]:
    """Every row of a stage file (``error``: the error class for a missing file or column)."""
    return list(iter_stage_decisions(path, error=error))


# --------------------------------------------------------------------------- clusters

@dataclass(frozen=True)
class ClusterRow:
    """One record of ``results/dedup/clusters.csv``: its work (``cluster_id``), whether it
    is the record kept for the work, and its source. Deduplication writes more columns
    (the rule that decided, the score, the study columns...); they are kept in
    ``explanation`` and the study's are read by the properties below (a file written before
    studies existed reads as one study per work)."""

    record_id: str
    cluster_id: str
    kept: bool
    source: str = ""
    explanation: Mapping[str, str] = field(default_factory=dict)

    def to_row(self) -> dict[str, str]:
        return {"record_id": self.record_id, "cluster_id": self.cluster_id,
                "kept": "true" if self.kept else "false", "source": self.source, **self.explanation}

    @property
    def study_id(self) -> str:
        """The study: the cluster id of its main report (this cluster's own when on its own)."""
        return (self.explanation.get("study_id") or "").strip() or self.cluster_id

    @property
    def relation(self) -> str:
        """How this report relates to ``related_to`` (``"erratum of"``...); ``""`` for a main report."""
        return (self.explanation.get("relation") or "").strip()

    @property
    def related_to(self) -> str:
        return (self.explanation.get("related_to") or "").strip()

    @property
    def study_flags(self) -> tuple[str, ...]:
        """``("retracted",)``, ``("expression of concern",)`` or empty."""
        return tuple(f.strip() for f in (self.explanation.get("study_flags") or "").split(";") if f.strip())

    @classmethod
    def from_row(cls, row: Mapping[str, str]) -> "ClusterRow":
        known = {"record_id", "cluster_id", "kept", "source"}
        return cls(row["record_id"], row["cluster_id"], (row.get("kept") or "").strip().lower() == "true",
                   row.get("source") or "", {k: v for k, v in row.items() if k and k not in known})


def read_clusters(path: str | os.PathLike[str], *, error: type[LitsieveError] = LitsieveError) -> list[ClusterRow]:
    return [ClusterRow.from_row(row) for row in iter_csv(path, required=("record_id", "cluster_id", "kept"),
                                                         error=error)]
