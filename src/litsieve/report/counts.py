"""The PRISMA 2020 numbers, computed from the workflow's own files and nothing else.

Every box of the flow diagram is a count over one of the files the earlier stages write
(docs/architecture.md, "Files between stages"):

=================================  ==========================================================
records identified, per source     ``results/records/counts.tsv``
duplicate records removed          ``results/dedup/counts.json`` (checked against clusters.csv)
automation / other reasons         ``results/screening/removed_before_screening.csv``
records screened                   ``results/screening/pool.csv`` (= rows of title_abstract.csv)
records excluded, awaiting         ``results/screening/title_abstract.csv``
reports sought ... included        ``results/screening/full_text.csv``
other methods, sought for reports  ``results/screening/other_methods.csv``
=================================  ==========================================================

Sources of ``kind`` website, organisation or citation_search are PRISMA 2020's "other
methods": their records are deduplicated with the rest, and a work found only by other
methods skips title/abstract screening (PRISMA 2020 counts no screening for them) and goes
straight to full text, counted in the diagram's second column (:class:`OtherMethodsCounts`).
A work found by a database and by another method is the database's, screened like the
others: the other method's record is counted as a duplicate in the second column.

The record ids themselves are kept (:class:`FlowInputs`) so that :mod:`.conservation` can
check not only that the sums hold but that every decision is on a record that is really in
the screening pool.

Records, reports and studies (PRISMA 2020's glossary, Page et al. 2021, BMJ 372:n71 and
the explanation paper n160): a record is the title/abstract of a report in a database, a
report "a document supplying information about a particular study" (journal article,
preprint, conference abstract, register entry "or any other document providing relevant
information"), a study may have several reports. One kept record after deduplication is
one report; deduplication's study links (:mod:`litsieve.studies`) group reports into
studies. "Studies included in review" counts the studies with at least one report
included at full text; "Reports of included studies" counts those reports. A notice (an
erratum, a retraction notice, an expression of concern, a comment or a reply) is a report
of its study by that definition: it is counted where its report is, in every box from
"records screened" to "reports of included studies", since it is screened, retrieved and
assessed with that report (docs/report.md, "Reports and studies"), so every sum holds
with notices in it and none is hidden among the records removed before screening.
"""

from __future__ import annotations

import json
import os
from collections import Counter
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any, Sequence

from litsieve.errors import ConservationError
from litsieve.fileio import read_csv
from litsieve.protocol import OTHER_METHODS, Source
from litsieve.stagefiles import ClusterRow, StageDecision
from litsieve.studies import Studies

# Final decisions in results/screening/{stage}.csv (litsieve.screening.decisions).
INCLUDE, EXCLUDE, AWAITING, CONFLICT, NOT_RETRIEVED = "include", "exclude", "awaiting", "conflict", "not_retrieved"
STAGE_DECISIONS = (INCLUDE, EXCLUDE, AWAITING, CONFLICT, NOT_RETRIEVED)
AUTOMATION, OTHER = "automation", "other"
NO_REASON = "Reason not given"



@dataclass(frozen=True)
class FlowFiles:
    """Where the numbers come from (defaults: the workflow's files under ``results``)."""

    source_counts: Path
    dedup_counts: Path
    clusters: Path
    pool: Path
    removed: Path
    title_abstract: Path
    full_text: Path
    # Works found only by other methods, sent straight to full text (absent: none).
    other_methods: Path | None = None

    @classmethod
    def under(cls, results: str | os.PathLike[str] = "results") -> "FlowFiles":
        root = Path(results)
        return cls(
            source_counts=root / "records" / "counts.tsv",
            dedup_counts=root / "dedup" / "counts.json",
            clusters=root / "dedup" / "clusters.csv",
            pool=root / "screening" / "pool.csv",
            removed=root / "screening" / "removed_before_screening.csv",
            title_abstract=root / "screening" / "title_abstract.csv",
            full_text=root / "screening" / "full_text.csv",
            other_methods=root / "screening" / "other_methods.csv",
        )


@dataclass
class FlowInputs:
    """What the stage files say, id by id (read by :func:`read_flow_inputs`)."""

    files: FlowFiles
    source_records: dict[str, int]
    dedup: dict[str, Any]
    clusters: list[ClusterRow]
    pool_ids: list[str]
    removed: list[tuple[str, str]]  # (record_id, category)
    title_abstract: list[StageDecision]
    full_text: list[StageDecision]
    other_method_ids: list[str] = field(default_factory=list)
    studies: Studies = field(default_factory=Studies)  # the study links of clusters.csv


@dataclass(frozen=True)
class SourceCount:
    """Records identified from one database or register."""

    name: str
    label: str
    kind: str  # "database", "register" or one of litsieve.protocol.OTHER_METHODS
    records: int


@dataclass
class OtherMethodsCounts:
    """The second column of the PRISMA 2020 diagram: studies identified via other methods.

    ``duplicates`` are records of these sources that are one work with a record found
    earlier (by a database, or by another of these sources); the rest are the reports
    sought for retrieval, since PRISMA 2020 screens no titles and abstracts here.
    """

    sources: list[SourceCount]
    identified: int
    duplicates: int
    sought: int
    not_retrieved: int
    retrieval_awaiting: int
    assessed: int
    reports_excluded: int
    exclusion_reasons: dict[str, int] = field(default_factory=dict)
    assessment_awaiting: int = 0
    assessment_conflicts: int = 0
    included: int = 0  # reports included (their studies are in the one "studies included" box)

    def by_kind(self, kind: str) -> int:
        return sum(s.records for s in self.sources if s.kind == kind)


@dataclass
class FlowCounts:
    """Every number in the PRISMA 2020 flow diagram (new review, databases and registers)."""

    sources: list[SourceCount]
    identified: int
    duplicates: int
    automation: int
    other_reasons: int
    screened: int
    records_excluded: int
    screening_awaiting: int
    screening_conflicts: int
    sought: int
    not_retrieved: int
    retrieval_awaiting: int
    assessed: int
    reports_excluded: int
    exclusion_reasons: dict[str, int] = field(default_factory=dict)
    assessment_awaiting: int = 0
    assessment_conflicts: int = 0
    studies_included: int = 0
    reports_included: int = 0  # "reports of included studies", both columns
    # Included studies that are retracted (study ids): a loud warning everywhere the
    # included studies are shown (docs/report.md).
    retracted_included: list[str] = field(default_factory=list)
    duplicate_pairs_awaiting_review: int = 0
    # The other-methods column; None when the protocol has no such source (then the
    # diagram, counts.json and prisma2020.csv are those of a databases-only review).
    other: OtherMethodsCounts | None = None

    @property
    def dbr_included(self) -> int:
        """Reports included that came through the databases and registers column."""
        return self.reports_included - (self.other.included if self.other else 0)

    @property
    def databases(self) -> int:
        return sum(s.records for s in self.sources if s.kind == "database")

    @property
    def registers(self) -> int:
        return sum(s.records for s in self.sources if s.kind == "register")

    @property
    def removed_before_screening(self) -> int:
        return self.duplicates + self.automation + self.other_reasons

    @property
    def waiting(self) -> dict[str, int]:
        """What still waits for people, by step (empty when the review is complete)."""
        other = self.other
        items = {
            "records awaiting screening": self.screening_awaiting,
            "screening conflicts awaiting resolution": self.screening_conflicts,
            "reports awaiting retrieval": self.retrieval_awaiting + (other.retrieval_awaiting if other else 0),
            "reports awaiting an eligibility decision": (self.assessment_awaiting
                                                         + (other.assessment_awaiting if other else 0)),
            "eligibility conflicts awaiting resolution": (self.assessment_conflicts
                                                          + (other.assessment_conflicts if other else 0)),
            "possible duplicate pairs awaiting review": self.duplicate_pairs_awaiting_review,
        }
        return {k: v for k, v in items.items() if v}

    @property
    def in_progress(self) -> bool:
        return bool(self.waiting)

    def to_json(self) -> dict[str, Any]:
        data = asdict(self)
        data["sources"] = [asdict(s) for s in self.sources]
        data.pop("other")
        if self.other is not None:
            data["other_methods"] = asdict(self.other)
            data["other_methods"]["sources"] = [asdict(s) for s in self.other.sources]
        data.update(databases=self.databases, registers=self.registers,
                    removed_before_screening=self.removed_before_screening,
                    status="in progress" if self.in_progress else "complete",
                    waiting=self.waiting)
        return data


# --------------------------------------------------------------------------- reading

def _rows(path: Path, columns: Sequence[str], delimiter: str = ",") -> list[dict[str, str]]:
    """A stage file's rows; a missing file or column stops the report with the file named."""
    if not path.exists():
        raise ConservationError("missing", file=str(path),
                                hint="run `snakemake` so every stage before the report has run")
    return read_csv(path, required=columns, delimiter=delimiter, error=ConservationError,
                    hint="rerun `snakemake`: the file is from another version")


def _int(value: Any, path: Path, row: int, column: str) -> int:
    try:
        return int(str(value).strip())
    except ValueError:
        raise ConservationError(f"'{value}' is not a count", file=str(path), row=row, field=column,
                                hint="rerun `snakemake`: this file is written by the workflow") from None


def _ids_only(path: Path) -> list[str]:
    """The ``record_id`` column of a record-model CSV (the rest is not needed for counting)."""
    return [row["record_id"] for row in _rows(path, ["record_id"])]


def read_flow_inputs(files: FlowFiles) -> FlowInputs:
    """Read every file the diagram's numbers come from."""
    source_rows = _rows(files.source_counts, ["source", "records"], "\t")
    sources = {row["source"]: _int(row["records"], files.source_counts, i, "records")
               for i, row in enumerate(source_rows, start=2)}
    try:
        dedup = json.loads(files.dedup_counts.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ConservationError("missing", file=str(files.dedup_counts), hint="run `snakemake`") from None
    clusters = [ClusterRow.from_row(r) for r in _rows(files.clusters, ["record_id", "cluster_id", "kept"])]
    removed_rows = _rows(files.removed, ["record_id", "category"])
    other_ids: list[str] = []
    if files.other_methods is not None and files.other_methods.exists():
        other_ids = _ids_only(files.other_methods)
    stages = {}
    for name, path in (("title_abstract", files.title_abstract), ("full_text", files.full_text)):
        rows = [StageDecision.from_row(row) for row in _rows(path, ["record_id", "decision", "reason"])]
        for line, row in enumerate(rows, start=2):
            if row.decision not in STAGE_DECISIONS:
                raise ConservationError(f"unknown decision '{row.decision}' for record {row.record_id}",
                                        file=str(path), row=line, field="decision",
                                        hint=f"expected one of {', '.join(STAGE_DECISIONS)}; rerun `snakemake`")
        stages[name] = rows
    return FlowInputs(
        files=files,
        source_records=sources,
        dedup=dedup,
        clusters=clusters,
        pool_ids=_ids_only(files.pool),
        removed=[(r["record_id"], r["category"]) for r in removed_rows],
        title_abstract=stages["title_abstract"],
        full_text=stages["full_text"],
        other_method_ids=other_ids,
        studies=Studies.from_clusters(clusters),
    )


# --------------------------------------------------------------------------- counting

def cluster_duplicates(clusters: Sequence[ClusterRow], other_sources: set[str]) -> tuple[int, int]:
    """Duplicates removed in the (databases and registers, other methods) columns.

    A cluster with a record from a database or register is that column's work: its other
    database and register records are its duplicates, and every other-method record in it
    is a duplicate in the other column (the work was found already). A cluster of
    other-method records only is an other-methods work, with size - 1 duplicates.
    """
    members: dict[str, list[ClusterRow]] = {}
    for row in clusters:
        members.setdefault(row.cluster_id, []).append(row)
    dbr = other = 0
    for rows in members.values():
        found_by_other = sum(1 for r in rows if r.source in other_sources)
        if found_by_other < len(rows):
            dbr += len(rows) - found_by_other - 1
            other += found_by_other
        else:
            other += found_by_other - 1
    return dbr, other


def _screener_decisions(row: StageDecision) -> list[str]:
    return [mine.decision for mine in row.screeners.values() if mine.decision]


def full_text_state(row: StageDecision) -> str:
    """Where a full-text row stands: included, excluded, not_retrieved, retrieval_awaiting,
    assessment_awaiting or assessment_conflict.

    An undecided report counts as assessed once a screener has made an eligibility decision
    on it (they had the full text); a disagreement about retrieval itself waits at retrieval.
    """
    decision = row.decision
    if decision in (INCLUDE, EXCLUDE, NOT_RETRIEVED):
        return {INCLUDE: "included", EXCLUDE: "excluded", NOT_RETRIEVED: "not_retrieved"}[decision]
    by_screener = _screener_decisions(row)
    if any(d == "not retrieved" for d in by_screener):
        return "retrieval_awaiting"
    if decision == CONFLICT:
        return "assessment_conflict"
    return "assessment_awaiting" if by_screener else "retrieval_awaiting"


def _reasons(rows: Sequence[StageDecision]) -> dict[str, int]:
    """Full-text exclusion reasons, largest first."""
    reasons = Counter((row.reason.strip() or NO_REASON) for row in rows if row.decision == EXCLUDE)
    return dict(sorted(reasons.items(), key=lambda item: (-item[1], item[0].casefold())))


def _assessed(states: Counter[str]) -> int:
    return states["included"] + states["excluded"] + states["assessment_awaiting"] + states["assessment_conflict"]


def compute_counts(inputs: FlowInputs, protocol_sources: Sequence[Source] = ()) -> FlowCounts:
    """The diagram's numbers from the stage files (check them with :mod:`.conservation`);
    a source the records name but the protocol does not list is a database of that name."""
    configured = {s.name: s for s in protocol_sources}
    order = list(configured)
    all_sources = []
    for name in sorted(inputs.source_records, key=lambda n: (order.index(n) if n in configured else len(order), n)):
        source = configured.get(name) or Source.unlisted(name)
        all_sources.append(SourceCount(name, source.label, source.kind, inputs.source_records[name]))
    sources = [s for s in all_sources if s.kind not in OTHER_METHODS]
    other_sources = [s for s in all_sources if s.kind in OTHER_METHODS]
    dbr_duplicates, other_duplicates = cluster_duplicates(inputs.clusters, {s.name for s in other_sources})
    direct = set(inputs.other_method_ids)
    dbr_rows = [row for row in inputs.full_text if row.record_id not in direct]
    other_rows = [row for row in inputs.full_text if row.record_id in direct]
    categories = Counter(category for _, category in inputs.removed)
    ta = Counter(row.decision for row in inputs.title_abstract)
    ft_states = Counter(full_text_state(row) for row in dbr_rows)
    other = None
    if other_sources or direct:
        states = Counter(full_text_state(row) for row in other_rows)
        other = OtherMethodsCounts(
            sources=other_sources,
            identified=sum(s.records for s in other_sources),
            duplicates=other_duplicates,
            sought=len(direct),
            not_retrieved=states["not_retrieved"],
            retrieval_awaiting=states["retrieval_awaiting"],
            assessed=_assessed(states),
            reports_excluded=states["excluded"],
            exclusion_reasons=_reasons(other_rows),
            assessment_awaiting=states["assessment_awaiting"],
            assessment_conflicts=states["assessment_conflict"],
            included=states["included"],
        )
    included = [row.record_id for row in inputs.full_text if full_text_state(row) == "included"]
    studies = {study.study_id: study for study in map(inputs.studies.study_of, included)}
    return FlowCounts(
        sources=sources,
        identified=sum(s.records for s in sources),
        # Without other methods every duplicate is the first column's: dedup's own total.
        duplicates=dbr_duplicates if other else int(inputs.dedup.get("duplicates_removed", 0)),
        automation=categories[AUTOMATION],
        other_reasons=categories[OTHER],
        screened=len(inputs.pool_ids),
        records_excluded=ta[EXCLUDE],
        screening_awaiting=ta[AWAITING],
        screening_conflicts=ta[CONFLICT],
        sought=ta[INCLUDE],
        not_retrieved=ft_states["not_retrieved"],
        retrieval_awaiting=ft_states["retrieval_awaiting"],
        assessed=_assessed(ft_states),
        reports_excluded=ft_states["excluded"],
        exclusion_reasons=_reasons(dbr_rows),
        assessment_awaiting=ft_states["assessment_awaiting"],
        assessment_conflicts=ft_states["assessment_conflict"],
        studies_included=len(studies),
        reports_included=len(included),
        retracted_included=sorted(key for key, study in studies.items() if study.retracted),
        duplicate_pairs_awaiting_review=int(inputs.dedup.get("pairs_awaiting_review", 0) or 0),
        other=other,
    )
