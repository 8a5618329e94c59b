"""The PRISMA conservation rules, checked before anything is drawn.

A flow diagram whose numbers do not add up is worse than none: a journal editor will spot
it, and it means some stage's file is stale, was edited by hand, or a stage has a bug. So
the report checks, and stops with :class:`~litsieve.errors.ConservationError` showing
every failed sum:

* the sums of ../shared/DESIGN.md ("Numbers"): identified = duplicates + automation +
  other reasons + screened; screened = excluded + sought + awaiting (+ conflicts);
  sought = not retrieved + assessed + awaiting retrieval; assessed = excluded (the sum over
  reasons) + included + awaiting (+ conflicts); per-source counts sum to the total and
  agree with deduplication's per-source figures;
* that the ids flow: every record identified is in exactly one cluster, every kept work is
  either in the screening pool or removed before screening (not both), every
  title/abstract decision is on a record of the pool, and every full-text decision on a
  record included at title/abstract. A decision on a record that deduplication removed,
  say, is reported with the record and the file it is in.
"""

from __future__ import annotations

from collections import Counter
from typing import Sequence

from litsieve.errors import ConservationError
from litsieve.report.counts import INCLUDE, FlowCounts, FlowInputs

MAX_IDS = 5


def _ids(ids: Sequence[str]) -> str:
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
             [("reports excluded", counts.reports_excluded), ("studies included", counts.studies_included),
              ("awaiting a decision", counts.assessment_awaiting),
              ("conflicts awaiting resolution", counts.assessment_conflicts)]),
        _sum("reports excluded", counts.reports_excluded, sorted(counts.exclusion_reasons.items())),
    ]
    return [c for c in checks if c]


def flow_failures(inputs: FlowInputs) -> list[str]:
    """Ids that do not flow from one stage to the next, and stage files that disagree."""
    files = inputs.files
    failures: list[str] = []
    dedup = inputs.dedup
    total = sum(inputs.source_records.values())

    records_in = dedup.get("records_in")
    if records_in is not None and records_in != total:
        failures.append(f"{files.dedup_counts}: records_in {records_in} != records identified {total} "
                        f"({files.source_counts})")
    if len(inputs.clusters) != total:
        failures.append(f"{files.clusters}: {len(inputs.clusters)} rows != records identified {total}")
    for name, n in sorted(inputs.source_records.items()):
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

    ids = Counter(c.record_id for c in inputs.clusters)
    repeated = [k for k, n in ids.items() if n > 1]
    if repeated:
        failures.append(f"{files.clusters}: record(s) in more than one row: {_ids(repeated)}")
    dropped = [c for c in inputs.clusters if not c.kept]
    if len(dropped) != int(dedup.get("duplicates_removed", 0)):
        failures.append(f"{files.clusters}: {len(dropped)} records marked not kept != duplicates removed "
                        f"{dedup.get('duplicates_removed', 0)} in {files.dedup_counts}")
    kept = {c.record_id for c in inputs.clusters if c.kept}
    duplicate_of = {c.record_id: c.cluster_id for c in dropped}
    removed_ids = dict(inputs.removed)

    def where(record_id: str) -> str:
        if record_id in duplicate_of:
            return f"{record_id} (removed as a duplicate in cluster {duplicate_of[record_id]})"
        if record_id in removed_ids:
            return f"{record_id} (removed before screening: {removed_ids[record_id]})"
        if record_id not in ids:
            return f"{record_id} (not a record of this review)"
        return record_id

    pool = set(inputs.pool_ids)
    if len(pool) != len(inputs.pool_ids):
        failures.append(f"{files.pool}: repeated record ids")
    both = pool & set(removed_ids)
    if both:
        failures.append(f"records both in the screening pool and removed before screening: {_ids(both)}")
    not_kept = [r for r in (pool | set(removed_ids)) if r not in kept]
    if not_kept:
        failures.append(f"records screened or removed before screening that are not kept after deduplication: "
                        + ", ".join(where(r) for r in sorted(not_kept)[:MAX_IDS]))
    unaccounted = kept - pool - set(removed_ids)
    if unaccounted:
        failures.append(f"works kept after deduplication that are neither screened nor removed before "
                        f"screening: {_ids(unaccounted)}")

    ta = {row["record_id"]: row for row in inputs.title_abstract}
    stray = [r for r in ta if r not in pool]
    if stray:
        decided = [r for r in stray if ta[r]["decision"] != "awaiting"]
        failures.append(f"{files.title_abstract}: decision(s) on records that are not in the screening pool: "
                        + ", ".join(where(r) for r in sorted(decided or stray)[:MAX_IDS]))
    missing = pool - set(ta)
    if missing:
        failures.append(f"{files.title_abstract}: records of the screening pool without a row: {_ids(missing)}")
    included = {r for r, row in ta.items() if row["decision"] == INCLUDE}
    ft = {row["record_id"] for row in inputs.full_text}
    stray_ft = ft - included
    if stray_ft:
        failures.append(f"{files.full_text}: full-text decision(s) on records not included at title/abstract: "
                        + ", ".join(where(r) if r not in ta else f"{r} ({ta[r]['decision']} at title/abstract)"
                                    for r in sorted(stray_ft)[:MAX_IDS]))
    missing_ft = included - ft
    if missing_ft:
        failures.append(f"{files.full_text}: records included at title/abstract without a row: {_ids(missing_ft)}")
    return failures


def check_conservation(inputs: FlowInputs, counts: FlowCounts) -> None:
    """Raise :class:`ConservationError` listing every failed rule; return quietly if all hold."""
    failures = flow_failures(inputs) + arithmetic_failures(counts)
    if failures:
        raise ConservationError(
            "the PRISMA numbers do not add up, so no diagram was drawn:\n  " + "\n  ".join(failures),
            hint="a file under results/ is out of date or was edited by hand: rerun `snakemake` "
                 "(files people edit are never lost); if this persists, report it with these lines",
        )
