"""The PRISMA conservation rules, checked before anything is drawn.

A flow diagram whose numbers do not add up is worse than none: a journal editor will spot
it, and it means some stage's file is stale, was edited by hand, or a stage has a bug. So
the report checks, and stops with :class:`~litsieve.errors.ConservationError` showing
every failed sum, each with the name of its check (:data:`CHECKS`, one small function per
rule):

* the sums of ../shared/DESIGN.md ("Numbers"): identified = duplicates + automation +
  other reasons + screened; screened = excluded + sought + awaiting (+ conflicts);
  sought = not retrieved + assessed + awaiting retrieval; assessed = excluded (the sum over
  reasons) + reports of included studies + awaiting (+ conflicts); per-source counts sum
  to the total and agree with deduplication's per-source figures;
* that reports and studies agree: the studies included are exactly the studies of the
  reports included (never more studies than reports), and every notice that follows its
  report (:mod:`litsieve.studies`) has that report's decision at both stages;
* that the ids flow: every record identified is in exactly one cluster, every kept work is
  either in the screening pool or removed before screening (not both), every
  title/abstract decision is on a record of the pool, and every full-text decision on a
  record included at title/abstract. A decision on a record that deduplication removed,
  say, is reported with the record and the file it is in;
* for the second column (other methods: websites, organisations, citation searching):
  identified = duplicates + sought; sought = not retrieved + assessed + awaiting
  retrieval; assessed = excluded (the sum over reasons) + included + awaiting (+
  conflicts); the duplicates of both columns add up to deduplication's; and every work
  sent straight to full text is a work found by other methods only, never screened at
  title/abstract nor removed before screening, with a full-text row.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from typing import Callable, Iterable, Sequence

from litsieve.errors import ConservationError
from litsieve.report.counts import INCLUDE, FlowCounts, FlowInputs, OtherMethodsCounts
from litsieve.screening.decisions import WITH_STUDY
from litsieve.stagefiles import StageDecision

MAX_IDS = 5


def _ids(ids: Iterable[str]) -> str:
    ids = sorted(ids)
    shown = ", ".join(ids[:MAX_IDS])
    return shown + (f" and {len(ids) - MAX_IDS} more" if len(ids) > MAX_IDS else "")


def _sum(total_name: str, total: int, parts: Sequence[tuple[str, int]]) -> str | None:
    """``None`` when ``total`` equals the sum of ``parts``, else the failed sum spelled out."""
    value = sum(n for _, n in parts)
    if value == total:
        return None
    terms = " + ".join(f"{name} {n}" for name, n in parts)
    return f"{total_name} {total} != {terms} = {value}"


def arithmetic_failures(counts: FlowCounts) -> list[str]:
    """The DESIGN.md sums that do not hold."""
    checks = [
        _sum("records identified", counts.identified,
             [("duplicates removed", counts.duplicates), ("marked ineligible by automation", counts.automation),
              ("removed for other reasons", counts.other_reasons), ("records screened", counts.screened)]),
        _sum("records identified", counts.identified,
             [(f"{s.label}", s.records) for s in counts.sources]),
        _sum("records screened", counts.screened,
             [("records excluded", counts.records_excluded), ("reports sought for retrieval", counts.sought),
              ("awaiting screening", counts.screening_awaiting),
              ("conflicts awaiting resolution", counts.screening_conflicts)]),
        _sum("reports sought for retrieval", counts.sought,
             [("reports not retrieved", counts.not_retrieved), ("reports assessed", counts.assessed),
              ("awaiting retrieval", counts.retrieval_awaiting)]),
        _sum("reports assessed for eligibility", counts.assessed,
             [("reports excluded", counts.reports_excluded), ("reports of included studies", counts.dbr_included),
              ("awaiting a decision", counts.assessment_awaiting),
              ("conflicts awaiting resolution", counts.assessment_conflicts)]),
        _sum("reports excluded", counts.reports_excluded, sorted(counts.exclusion_reasons.items())),
    ]
    if counts.other is not None:
        checks += other_method_failures(counts.other)
    return [c for c in checks if c]


def other_method_failures(other: OtherMethodsCounts) -> list[str | None]:
    """The same sums for the second column (other methods), each named as such."""
    return [
        _sum("other methods: records identified", other.identified, [(s.label, s.records) for s in other.sources]),
        _sum("other methods: records identified", other.identified,
             [("duplicate records removed", other.duplicates), ("reports sought for retrieval", other.sought)]),
        _sum("other methods: reports sought for retrieval", other.sought,
             [("reports not retrieved", other.not_retrieved), ("reports assessed", other.assessed),
              ("awaiting retrieval", other.retrieval_awaiting)]),
        _sum("other methods: reports assessed for eligibility", other.assessed,
             [("reports excluded", other.reports_excluded), ("reports of included studies", other.included),
              ("awaiting a decision", other.assessment_awaiting),
              ("conflicts awaiting resolution", other.assessment_conflicts)]),
        _sum("other methods: reports excluded", other.reports_excluded, sorted(other.exclusion_reasons.items())),
    ]


@dataclass(frozen=True)
class Flow:
    """The stage files' ids, read once for every check of how records flow between stages."""

    inputs: FlowInputs
    counts: FlowCounts
    other_sources: frozenset[str]
    total: int
    kept: frozenset[str]
    duplicate_of: dict[str, str]
    removed: dict[str, str]
    pool: frozenset[str]
    direct: frozenset[str]
    title_abstract: dict[str, StageDecision]

    @classmethod
    def of(cls, inputs: FlowInputs, counts: FlowCounts) -> "Flow":
        return cls(
            inputs=inputs, counts=counts,
            other_sources=frozenset(s.name for s in counts.other.sources) if counts.other else frozenset(),
            total=sum(inputs.source_records.values()),
            kept=frozenset(c.record_id for c in inputs.clusters if c.kept),
            duplicate_of={c.record_id: c.cluster_id for c in inputs.clusters if not c.kept},
            removed=dict(inputs.removed),
            pool=frozenset(inputs.pool_ids),
            direct=frozenset(inputs.other_method_ids),
            title_abstract={row.record_id: row for row in inputs.title_abstract},
        )

    def where(self, record_id: str) -> str:
        """A record id with where it went instead, for a failure message."""
        if record_id in self.duplicate_of:
            return f"{record_id} (removed as a duplicate in cluster {self.duplicate_of[record_id]})"
        if record_id in self.removed:
            return f"{record_id} (removed before screening: {self.removed[record_id]})"
        if record_id not in {c.record_id for c in self.inputs.clusters}:
            return f"{record_id} (not a record of this review)"
        return record_id


def sources_agree_with_dedup(flow: Flow) -> list[str]:
    """Deduplication read as many records, per source and in all, as the sources hold."""
    files, dedup, failures = flow.inputs.files, flow.inputs.dedup, []
    records_in = dedup.get("records_in")
    if records_in is not None and records_in != flow.total:
        failures.append(f"{files.dedup_counts}: records_in {records_in} != records identified {flow.total} "
                        f"({files.source_counts})")
    for name, n in sorted(flow.inputs.source_records.items()):
        per_source = (dedup.get("per_source") or {}).get(name)
        if per_source is not None and per_source.get("records") != n:
            failures.append(f"{files.dedup_counts}: {name} has {per_source.get('records')} records "
                            f"!= {n} in {files.source_counts}")
    per_source_dups = [(name, int(v.get("duplicates_removed", 0)))
                       for name, v in sorted((dedup.get("per_source") or {}).items())]
    if per_source_dups:
        failure = _sum(f"{files.dedup_counts}: duplicates removed", int(dedup.get("duplicates_removed", 0)),
                       per_source_dups)
        if failure:
            failures.append(failure)
    return failures


def one_cluster_per_record(flow: Flow) -> list[str]:
    """Every record identified is in exactly one cluster; the records not kept are the duplicates."""
    files, clusters, failures = flow.inputs.files, flow.inputs.clusters, []
    if len(clusters) != flow.total:
        failures.append(f"{files.clusters}: {len(clusters)} rows != records identified {flow.total}")
    ids = Counter(c.record_id for c in clusters)
    repeated = [k for k, n in ids.items() if n > 1]
    if repeated:
        failures.append(f"{files.clusters}: record(s) in more than one row: {_ids(repeated)}")
    removed = int(flow.inputs.dedup.get("duplicates_removed", 0))
    if len(flow.duplicate_of) != removed:
        failures.append(f"{files.clusters}: {len(flow.duplicate_of)} records marked not kept != duplicates removed "
                        f"{removed} in {files.dedup_counts}")
    return failures


def kept_works_go_one_way(flow: Flow) -> list[str]:
    """Every kept work is screened, removed before screening or sent straight to full text:
    exactly one of them."""
    files, failures = flow.inputs.files, []
    if len(flow.pool) != len(flow.inputs.pool_ids):
        failures.append(f"{files.pool}: repeated record ids")
    removed = set(flow.removed)
    both = flow.pool & removed
    if both:
        failures.append(f"records both in the screening pool and removed before screening: {_ids(both)}")
    if len(flow.direct) != len(flow.inputs.other_method_ids):
        failures.append(f"{files.other_methods}: repeated record ids")
    screened_too = flow.direct & (flow.pool | removed)
    if screened_too:
        failures.append(f"{files.other_methods}: works sent straight to full text that are also in the screening "
                        f"pool or removed before screening: {_ids(screened_too)}")
    not_kept = [r for r in (flow.pool | removed | flow.direct) if r not in flow.kept]
    if not_kept:
        failures.append("records screened, removed before screening or sent straight to full text that are not "
                        "kept after deduplication: " + ", ".join(flow.where(r) for r in sorted(not_kept)[:MAX_IDS]))
    unaccounted = flow.kept - flow.pool - removed - flow.direct
    if unaccounted:
        failures.append(f"works kept after deduplication that are neither screened nor removed before "
                        f"screening{' nor sent straight to full text' if flow.other_sources else ''}: "
                        f"{_ids(unaccounted)}")
    return failures


def title_abstract_rows_are_the_pool(flow: Flow) -> list[str]:
    """One title/abstract row per record of the screening pool, and none for another record."""
    files, ta, failures = flow.inputs.files, flow.title_abstract, []
    stray = [r for r in ta if r not in flow.pool]
    if stray:
        decided = [r for r in stray if ta[r].decision != "awaiting"]
        failures.append(f"{files.title_abstract}: decision(s) on records that are not in the screening pool: "
                        + ", ".join(flow.where(r) for r in sorted(decided or stray)[:MAX_IDS]))
    missing = flow.pool - set(ta)
    if missing:
        failures.append(f"{files.title_abstract}: records of the screening pool without a row: {_ids(missing)}")
    return failures


def full_text_rows_are_the_includes(flow: Flow) -> list[str]:
    """One full-text row per record included at title/abstract or sent straight to full text."""
    files, ta, failures = flow.inputs.files, flow.title_abstract, []
    included = {r for r, row in ta.items() if row.decision == INCLUDE}
    ft = {row.record_id for row in flow.inputs.full_text}
    stray_ft = ft - included - flow.direct
    if stray_ft:
        failures.append(f"{files.full_text}: full-text decision(s) on records not included at title/abstract: "
                        + ", ".join(flow.where(r) if r not in ta else f"{r} ({ta[r].decision} at title/abstract)"
                                    for r in sorted(stray_ft)[:MAX_IDS]))
    missing_ft = included - ft
    if missing_ft:
        failures.append(f"{files.full_text}: records included at title/abstract without a row: {_ids(missing_ft)}")
    missing_direct = flow.direct - ft
    if missing_direct:
        failures.append(f"{files.full_text}: works found by other methods (sent straight to full text) without "
                        f"a row: {_ids(missing_direct)}")
    return failures


def other_methods_go_straight_to_full_text(flow: Flow) -> list[str]:
    """A work goes straight to full text exactly when every record of it came from other methods."""
    inputs, other_sources = flow.inputs, flow.other_sources
    members: dict[str, list[str]] = {}
    cluster_of: dict[str, str] = {}
    for row in inputs.clusters:
        members.setdefault(row.cluster_id, []).append(row.source)
        cluster_of[row.record_id] = row.cluster_id
    only_other = {c for c, sources in members.items() if all(s in other_sources for s in sources)}
    direct = set(inputs.other_method_ids)
    kept = {c.record_id for c in inputs.clusters if c.kept}
    failures = []
    wrong = sorted(r for r in direct if r in cluster_of and cluster_of[r] not in only_other)
    if wrong:
        failures.append(f"{inputs.files.other_methods}: works sent straight to full text that a database or "
                        f"register also found (they must be screened at title/abstract): {_ids(wrong)}")
    skipped = sorted(r for r in kept - direct if cluster_of.get(r) in only_other)
    if skipped:
        failures.append(f"works found by other methods only that were not sent straight to full text: "
                        f"{_ids(skipped)}")
    return failures


def duplicates_add_up_across_columns(flow: Flow) -> list[str]:
    """The two columns' duplicates are all of deduplication's, no more and no fewer."""
    counts, inputs = flow.counts, flow.inputs
    if counts.other is None:
        return []
    failure = _sum(f"{inputs.files.dedup_counts}: duplicates removed", int(inputs.dedup.get("duplicates_removed", 0)),
                   [("databases and registers", counts.duplicates), ("other methods", counts.other.duplicates)])
    return [failure] if failure else []


def studies_are_those_of_the_included_reports(flow: Flow) -> list[str]:
    """Studies included = the distinct studies of the reports included, at most one per report."""
    counts, studies = flow.counts, flow.inputs.studies
    included = [row.record_id for row in flow.inputs.full_text if row.decision == INCLUDE]
    expected = {studies.study_id(record_id) for record_id in included}
    failures = []
    if counts.studies_included != len(expected):
        failures.append(f"studies included {counts.studies_included} != {len(expected)} studies of the "
                        f"{len(included)} reports included in {flow.inputs.files.full_text}")
    if counts.studies_included > counts.reports_included:
        failures.append(f"studies included {counts.studies_included} > reports of included studies "
                        f"{counts.reports_included}")
    return failures


def notices_follow_their_report(flow: Flow) -> list[str]:
    """A notice decided ``with its study`` has the decision of the report it follows, at each stage."""
    files, failures = flow.inputs.files, []
    for path, rows in ((files.title_abstract, flow.inputs.title_abstract), (files.full_text, flow.inputs.full_text)):
        by_id = {row.record_id: row for row in rows}
        following = flow.inputs.studies.followers(by_id)
        wrong = [key for key, row in by_id.items() if row.basis == WITH_STUDY
                 and (key not in following or by_id[following[key]].decision != row.decision)]
        if wrong:
            failures.append(f"{path}: notices whose decision is not that of the report they follow: {_ids(wrong)}")
    return failures


def the_sums_hold(flow: Flow) -> list[str]:
    """The DESIGN.md sums of both columns (:func:`arithmetic_failures`)."""
    return arithmetic_failures(flow.counts)


#: Every conservation rule, by name, in the order failures are listed.
CHECKS: tuple[Callable[[Flow], list[str]], ...] = (
    sources_agree_with_dedup,
    one_cluster_per_record,
    kept_works_go_one_way,
    other_methods_go_straight_to_full_text,
    title_abstract_rows_are_the_pool,
    full_text_rows_are_the_includes,
    duplicates_add_up_across_columns,
    studies_are_those_of_the_included_reports,
    notices_follow_their_report,
    the_sums_hold,
)


def conservation_failures(inputs: FlowInputs, counts: FlowCounts) -> list[tuple[str, str]]:
    """``(check name, failure)`` for every rule that does not hold."""
    flow = Flow.of(inputs, counts)
    return [(check.__name__, failure) for check in CHECKS for failure in check(flow)]


def check_conservation(inputs: FlowInputs, counts: FlowCounts) -> None:
    """Raise :class:`ConservationError` listing every failed rule; return quietly if all hold."""
    failures = conservation_failures(inputs, counts)
    if failures:
        raise ConservationError(
            "the PRISMA numbers do not add up, so no diagram was drawn:\n  "
            + "\n  ".join(f"{failure} [{name}]" for name, failure in failures),
            hint="a file under results/ is out of date or was edited by hand: rerun `snakemake` "
                 "(files people edit are never lost); if this persists, report it with these lines",
        )
