"""Studies and their reports, as deduplication links them (PRISMA 2020: records, reports, studies).

Deduplication merges the records of one *report* into a cluster, and links the different
reports of one *study* (an article and its erratum, a trial's conference abstract, its
preprint and its registry entry) with three columns of ``results/dedup/clusters.csv``:
``study_id`` (the cluster id of the study's main report), ``relation`` (``""`` for the
main report, else how this report is linked: ``erratum of``, ``preprint of``...),
``related_to`` (the cluster id of the report it is linked to) and ``study_flags``
(``retracted``, ``expression of concern``; ``;``-separated). Every row of a cluster
carries its cluster's values. A file without these columns (before studies were linked)
makes every record its own study.

Screening, the report and the extraction table share this one reading (:class:`Studies`),
keyed by the record each cluster kept (the id the screening pool and the person files
use), so they agree on which reports belong together:

* a *notice* (:data:`NOTICES`: an erratum, a retraction notice, an expression of concern,
  a comment or a reply) is not screened on its own: it *follows* the report it is about
  (:meth:`Studies.followers`) and takes that report's decisions, and the report's row in
  the queue says it has one (``has erratum``, ``RETRACTED``, ``reply by the authors``);
* every other report (a conference abstract, a preprint, a registry entry, an update, a
  second report of the same study) is screened as a report of its study, its row saying
  which study and how it is linked (:meth:`Studies.cells`).

A notice whose report never reached screening (removed before it, say) has nothing to
follow and is screened on its own, so no record ever goes unscreened.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Collection, Iterable, Mapping, Sequence

from litsieve.stagefiles import ClusterRow, read_clusters

ERRATUM, RETRACTION, CONCERN, COMMENT, REPLY = (
    "erratum of", "retraction notice of", "expression of concern about", "comment on", "reply to")
UPDATE, ABSTRACT, PREPRINT, REGISTRY, SAME = (
    "update of", "conference abstract of", "preprint of", "registry entry of", "same study as")
#: Reports that are notices about another report: they follow it instead of being screened.
NOTICES = (ERRATUM, RETRACTION, CONCERN, COMMENT, REPLY)
#: Reports screened as reports of their study.
REPORTS = (UPDATE, ABSTRACT, PREPRINT, REGISTRY, SAME)
RELATIONS = NOTICES + REPORTS
RETRACTED, EXPRESSION_OF_CONCERN = "retracted", "expression of concern"

#: What the row of the report a notice is about says of it (docs/screening.md).
HAS = {
    ERRATUM: "has erratum",
    RETRACTION: "retraction notice",
    CONCERN: "EXPRESSION OF CONCERN",
    COMMENT: "comment by others",
    REPLY: "reply by the authors",
    UPDATE: "updated by",
    ABSTRACT: "conference abstract",
    PREPRINT: "preprint",
    REGISTRY: "registry entry",
    SAME: "same study as",
}
FLAG_LABELS = {RETRACTED: "RETRACTED", EXPRESSION_OF_CONCERN: "EXPRESSION OF CONCERN"}


@dataclass(frozen=True)
class Report:
    """One report (the record deduplication kept for its cluster) and how it is linked.

    ``related_to`` is the kept record of the report this one is linked to (``""`` for a
    study's main report)."""

    record_id: str
    cluster_id: str
    study_id: str
    relation: str = ""
    related_to: str = ""

    @property
    def is_notice(self) -> bool:
        return self.relation in NOTICES and bool(self.related_to)

    @property
    def label(self) -> str:
        """How the report is linked, for a person (``erratum of r1``; ``""`` for a main report)."""
        return f"{self.relation} {self.related_to}" if self.relation and self.related_to else self.relation


@dataclass(frozen=True)
class Study:
    """One study: its reports (by record id) and its flags (``retracted``...)."""

    study_id: str
    main: str  # the record id of the study's main report
    reports: tuple[Report, ...]
    flags: tuple[str, ...] = ()

    @property
    def retracted(self) -> bool:
        return RETRACTED in self.flags or any(r.relation == RETRACTION for r in self.reports)

    @property
    def record_ids(self) -> tuple[str, ...]:
        return tuple(r.record_id for r in self.reports)

    @property
    def flag_text(self) -> str:
        """The study's flags as the extraction table and the queue show them (``RETRACTED``)."""
        flags = set(self.flags) | ({RETRACTED} if self.retracted else set())
        return "; ".join(FLAG_LABELS.get(f, f.upper()) for f in sorted(flags))


@dataclass
class Studies:
    """Every study of a review, by study id, and every report, by its kept record id.

    A record the clusters file does not know is a study of its own (:meth:`study_of`)."""

    reports: dict[str, Report] = field(default_factory=dict)
    studies: dict[str, Study] = field(default_factory=dict)
    with_study_columns: bool = False  # the clusters file has deduplication's study columns

    @classmethod
    def from_clusters(cls, rows: Iterable[ClusterRow]) -> "Studies":
        rows = list(rows)
        kept = {row.cluster_id: row.record_id for row in rows if row.kept}
        reports: dict[str, Report] = {}
        flags: dict[str, set[str]] = {}
        for row in rows:
            if not row.kept:
                continue
            study, relation = row.study_id, row.relation.casefold()
            reports[row.record_id] = Report(row.record_id, row.cluster_id, study,
                                            relation if relation in RELATIONS else "",
                                            kept.get(row.related_to, "") if relation in RELATIONS else "")
            flags.setdefault(study, set()).update(flag.casefold() for flag in row.study_flags)
        members: dict[str, list[Report]] = {}
        for report in reports.values():
            members.setdefault(report.study_id, []).append(report)
        studies = {}
        for study_id, group in members.items():
            group.sort(key=lambda r: r.record_id)
            main = kept.get(study_id) or next((r.record_id for r in group if not r.relation), group[0].record_id)
            studies[study_id] = Study(study_id, main, tuple(group), tuple(sorted(flags.get(study_id, ()))))
        return cls(reports, studies, any("study_id" in row.explanation for row in rows))

    def report(self, record_id: str) -> Report:
        return self.reports.get(record_id) or Report(record_id, record_id, record_id)

    def study_of(self, record_id: str) -> Study:
        report = self.reports.get(record_id)
        if report is None:
            return Study(record_id, record_id, (Report(record_id, record_id, record_id),))
        return self.studies[report.study_id]

    def study_id(self, record_id: str) -> str:
        return self.study_of(record_id).study_id

    def head(self, record_id: str, screened: Collection[str]) -> str:
        """The report among ``screened`` that ``record_id`` follows (itself when it is no
        notice, or when what it is about is not among ``screened``)."""
        current, seen = record_id, {record_id}
        while True:
            report = self.reports.get(current)
            if report is None or not report.is_notice:
                return current
            target = report.related_to
            if target not in screened or target in seen:
                return current
            seen.add(target)
            current = target

    def followers(self, screened: Iterable[str]) -> dict[str, str]:
        """Each notice among ``screened`` that follows another report, mapped to that report
        (which is screened on its own). Notices that point at each other in a circle are
        each screened on their own."""
        screened = set(screened)
        heads = {}
        for record_id in sorted(screened):
            report = self.reports.get(record_id)
            if report is None or not report.is_notice:
                continue
            head = self.head(record_id, screened)
            if head != record_id and self.head(head, screened) == head:
                heads[record_id] = head
        return heads

    def cells(self, shown: Iterable[str], followers: Mapping[str, str]) -> dict[str, str]:
        """The queue's ``study`` cell of each report ``shown`` (screened on its own): its
        study's flags, how it is linked, the notices that follow it, and the study's other
        reports in the same queue (empty for a study of one report)."""
        shown = set(shown)
        notices: dict[str, list[str]] = {}
        for notice, head in sorted(followers.items()):
            notices.setdefault(head, []).append(notice)
        cells = {}
        for record_id in sorted(shown):
            study = self.study_of(record_id)
            parts = [study.flag_text] if study.flag_text else []
            own = self.report(record_id)
            if own.label:
                parts.append(own.label)
            parts += [f"{HAS[self.report(notice).relation]} {notice}" for notice in notices.get(record_id, ())]
            others = [r for r in study.record_ids if r != record_id and r in shown]
            if others:
                parts.append(f"other report{'s' if len(others) > 1 else ''} of study {study.study_id}: "
                             f"{', '.join(others)}")
            elif own.label:
                parts.append(f"study {study.study_id}")
            cells[record_id] = "; ".join(parts)
        return cells

    def follower_cell(self, record_id: str, head: str) -> str:
        """The ``study`` cell of a notice kept in a queue because someone had decided it."""
        return (f"{self.report(record_id).label}: not screened on its own, it follows {head} "
                f"(what you typed here is kept but not counted)")


def read_studies(path: str | os.PathLike[str] | None) -> Studies:
    """The studies of ``results/dedup/clusters.csv`` (none linked: each record its own
    study, also when ``path`` is ``None`` or missing)."""
    if path is None or not Path(path).exists():
        return Studies()
    return Studies.from_clusters(read_clusters(path))


def reports_text(study: Study, included: Sequence[str] | None = None) -> str:
    """A study's reports for the extraction table: ``r1 (main report); r7 (erratum of r1)``
    (``included``: only these record ids)."""
    wanted = set(included) if included is not None else None
    return "; ".join(f"{r.record_id} ({r.label or 'main report'})" for r in study.reports
                     if wanted is None or r.record_id in wanted)


def retracted_warning(studies: Sequence[str]) -> str:
    """The one sentence every place showing the included studies says about retracted ones."""
    many = len(studies) > 1
    return (f"RETRACTED: {len(studies)} included stud{'ies are' if many else 'y is'} retracted "
            f"({', '.join(studies)}): check the retraction{'s' if many else ''}, and exclude "
            f"{'them' if many else 'it'} at full text or say in the review why not (the extraction table "
            f"marks {'them' if many else 'it'} in study_flags)")
