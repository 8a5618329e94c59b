"""A small results folder as the stages before the report write it, for the report tests.

Ten records from two sources: two duplicates, one removed by automation, one for other
reasons, six screened. Tests change single cells to build other states.
"""

from __future__ import annotations

import csv
import json
from pathlib import Path
from typing import Mapping, Sequence

from litsieve.fileio import write_csv, write_json
from litsieve.record import Record
from litsieve.records_io import write_records

SOURCES = {"pubmed": 6, "psycinfo": 4}
DUPLICATES = {"psycinfo:1": "pubmed:1", "psycinfo:2": "pubmed:2"}  # removed -> kept in its cluster
REMOVED = [("pubmed:3", "automation"), ("psycinfo:3", "other")]
POOL = ["pubmed:1", "pubmed:2", "pubmed:4", "pubmed:5", "pubmed:6", "psycinfo:4"]
TA_COLUMNS = ["record_id", "decision", "reason", "basis", "decision_a", "reason_a", "order_a",
              "decision_b", "reason_b", "order_b", "resolution"]


def record(record_id: str, **fields: object) -> Record:
    source, number = record_id.split(":")
    values: dict[str, object] = dict(
        record_id=record_id, source=source, title=f"Peer support study {number}",
        abstract="A randomised controlled trial of 120 adults (aged 18-65) with psychosis in London, UK.",
        authors=["Smith, Ann", "Jones, Bo"], year=2010, journal="Psychiatric Services", doi=f"10.5555/{number}",
    )
    values.update(fields)
    return Record(**values)  # type: ignore[arg-type]


def stage_row(record_id: str, decision: str, reason: str = "", **screeners: str) -> dict[str, str]:
    row = {"record_id": record_id, "decision": decision, "reason": reason}
    for name in ("a", "b"):
        row[f"decision_{name}"] = screeners.get(name, decision if decision in ("include", "exclude") else "")
    return row


def write_results(root: Path, ta: Sequence[dict[str, str]] | None = None,
                  ft: Sequence[dict[str, str]] | None = None,
                  links: Mapping[str, tuple[str, str, str]] | None = None,
                  flags: Mapping[str, str] | None = None) -> Path:
    """Write the stage files under ``root/results``; default: all screened, none decided.
    ``links``: the study links of kept records, (study id, relation, related to), as
    deduplication writes them in clusters.csv (none: a file without the study columns);
    ``flags``: a study's ``study_flags``."""
    results = root / "results"
    (results / "records").mkdir(parents=True, exist_ok=True)
    (results / "records" / "counts.tsv").write_text(
        "source\tfiles\trecords\n" + "".join(f"{s}\t1\t{n}\n" for s, n in SOURCES.items()), encoding="utf-8")
    ids = [f"{s}:{i}" for s, n in SOURCES.items() for i in range(1, n + 1)]
    clusters = []
    for record_id in ids:
        kept = record_id not in DUPLICATES
        clusters.append({"record_id": record_id, "cluster_id": DUPLICATES.get(record_id, record_id),
                         "kept": "true" if kept else "false", "source": record_id.split(":")[0]})
    columns = ["record_id", "cluster_id", "kept", "source"]
    if links is not None:
        columns += ["study_id", "relation", "related_to", "study_flags"]
        for row in clusters:
            study, relation, related = links.get(row["cluster_id"], (row["cluster_id"], "", ""))
            row.update(study_id=study, relation=relation, related_to=related, study_flags=(flags or {}).get(study, ""))
    write_csv(results / "dedup" / "clusters.csv", clusters, columns)
    per_source = {s: {"records": n, "duplicates_removed": sum(1 for d in DUPLICATES if d.startswith(s)),
                      "kept": n - sum(1 for d in DUPLICATES if d.startswith(s))} for s, n in SOURCES.items()}
    write_json(results / "dedup" / "counts.json", {
        "records_in": len(ids), "duplicates_removed": len(DUPLICATES), "works_out": len(ids) - len(DUPLICATES),
        "pairs_awaiting_review": 0, "per_source": per_source})
    write_records(results / "screening" / "pool.csv", [record(r) for r in POOL])
    write_csv(results / "screening" / "removed_before_screening.csv",
              [{"record_id": r, "category": c, "criterion": "x", "evidence": ""} for r, c in REMOVED],
              ["record_id", "category", "criterion", "evidence"])
    ta_rows = list(ta) if ta is not None else [stage_row(r, "awaiting") for r in POOL]
    write_csv(results / "screening" / "title_abstract.csv", ta_rows, TA_COLUMNS)
    write_csv(results / "screening" / "full_text.csv", list(ft or []), TA_COLUMNS)
    return results


def read_csv(path: Path) -> list[dict[str, str]]:
    with open(path, newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def read_json(path: Path) -> dict:
    return json.loads(path.read_text(encoding="utf-8"))
