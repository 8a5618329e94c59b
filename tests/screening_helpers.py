"""Helpers for the screening tests: a small review on disk, and a screener who edits like a spreadsheet."""

from __future__ import annotations

import csv
import io
from pathlib import Path
from typing import Any, Mapping

from litsieve.fileio import write_csv
from litsieve.people import ensure_person_files
from litsieve.personfile import HELP_KEY
from litsieve.protocol import Protocol
from litsieve.record import Record
from litsieve.records_io import write_records
from litsieve.screening.stages import screen_full_text, screen_title_abstract
from litsieve.screening.status import screening_summary
from protocols import demo_mapping
from protocols import protocol as build_protocol

REPO = Path(__file__).resolve().parents[1]


def protocol_mapping(title_abstract: list[str], full_text: list[str] | None = None, **screeners: Any) -> dict[str, Any]:
    """The tests' demo protocol (its real criteria and reasons) with the given screeners, as YAML gives it."""
    config = demo_mapping()
    config["screeners"] = {"title_abstract": title_abstract, "full_text": full_text or title_abstract[:1],
                           "maybe": "include", **screeners}
    config["paths"] = {"people": "screening", "snapshots": "resources/snapshots"}
    return config


def protocol(title_abstract: list[str], full_text: list[str] | None = None, **screeners: Any) -> Protocol:
    """:func:`protocol_mapping` as the typed protocol."""
    return build_protocol(protocol_mapping(title_abstract, full_text, **screeners))


def record(i: int, **fields: Any) -> Record:
    values: dict[str, Any] = dict(
        record_id=f"pubmed:{i}", source="pubmed", title=f"Peer support study {i}",
        abstract=f"Adults using mental health services in a peer support group ({i}).",
        authors=["Smith, Ann", "Jones, Bo"], year=2000 + i % 17, journal="Psychiatr Serv", doi=f"10.1000/{i}",
    )
    values.update(fields)
    return Record(**values)


def write_pool(root: Path, records: list[Record]) -> tuple[Path, Path]:
    """``results/screening/pool.csv`` and ``suggestions.csv`` as the pool stage writes them."""
    pool = root / "results/screening/pool.csv"
    suggestions = root / "results/screening/suggestions.csv"
    write_records(pool, records)
    rows = []
    for r in records:
        number = r.record_id.split(":")[1]
        suggestion = ("include", "unsure", "exclude")[(int(number) if number.isdigit() else sum(map(ord, number))) % 3]
        rows.append({"record_id": r.record_id, "suggestion": suggestion, "criteria": "peer_support",
                     "evidence": "=[peer support]", "why": "no evidence for: adults" if suggestion == "unsure" else ""})
    write_csv(suggestions, rows, ["record_id", "suggestion", "criteria", "evidence", "why"])
    return pool, suggestions


CLUSTER_COLUMNS = ("record_id", "cluster_id", "kept", "source", "study_id", "relation", "related_to", "study_flags")


def write_clusters(root: Path, links: Mapping[str, tuple[str, str, str]], ids: list[str],
                   flags: Mapping[str, str] | None = None, *, study_columns: bool = True) -> Path:
    """``results/dedup/clusters.csv`` with one cluster per record and the study links
    deduplication writes: ``links`` maps a record to (study id, relation, related to);
    ``flags`` a study to its ``study_flags``; ``study_columns=False`` writes a file from
    before studies were linked."""
    flags = flags or {}
    rows = []
    for record_id in ids:
        study, relation, related = links.get(record_id, (record_id, "", ""))
        rows.append({"record_id": record_id, "cluster_id": record_id, "kept": "true", "source": "pubmed",
                     "study_id": study, "relation": relation, "related_to": related,
                     "study_flags": flags.get(study, "")})
    path = root / "results/dedup/clusters.csv"
    write_csv(path, rows, CLUSTER_COLUMNS if study_columns else CLUSTER_COLUMNS[:4])
    return path


def read_rows(path: Path, *, records_only: bool = True) -> tuple[list[str], list[dict[str, str]], str]:
    """Header, rows and delimiter of a person file, however it was saved (without the
    row that says what to type, unless ``records_only`` is false)."""
    data = path.read_bytes()
    text = data.decode("utf-16") if data.startswith((b"\xff\xfe", b"\xfe\xff")) else data.decode("utf-8-sig")
    delimiter = max((",", ";", "\t"), key=lambda d: text.splitlines()[0].count(d))
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    header = next(reader)
    rows = [dict(zip(header, cells)) for cells in reader if any(cells)]
    if records_only:
        rows = [row for row in rows if row.get("record_id") != HELP_KEY]
    return header, rows, delimiter


def spreadsheet_edit(
    path: Path,
    edits: Mapping[str, Mapping[str, str]],
    *,
    delimiter: str = ",",
    bom: bool = True,
    crlf: bool = True,
    reverse: bool = False,
    sort_by: str | None = None,
    extra_column: str | None = None,
    encoding: str = "utf-8",
) -> None:
    """Fill cells by record id and save the way a spreadsheet might (any delimiter, BOM, order)."""
    header, rows, _ = read_rows(path, records_only=False)
    for row in rows:
        for column, value in edits.get(row["record_id"], {}).items():
            if column not in header:
                header.append(column)
            row[column] = value
    if extra_column and extra_column not in header:
        header.append(extra_column)
    if sort_by:
        rows.sort(key=lambda r: r.get(sort_by, ""))
    if reverse:
        rows.reverse()
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=delimiter, lineterminator="\r\n" if crlf else "\n")
    writer.writerow(header)
    writer.writerows([[row.get(c, "") for c in header] for row in rows])
    text = buffer.getvalue()
    if encoding == "utf-16":
        path.write_bytes(text.encode("utf-16"))
    else:
        path.write_bytes((("\ufeff" if bom and encoding == "utf-8" else "") + text).encode(encoding))


def person_cells(path: Path, columns: tuple[str, ...] = ("decision", "reason", "note")) -> dict[str, dict[str, str]]:
    """What people typed in a file, by record id (rows with nothing typed left out)."""
    _, rows, _ = read_rows(path)
    cells = {row["record_id"]: {c: row.get(c, "") for c in columns} for row in rows}
    return {k: v for k, v in cells.items() if any(v.values())}


def state(path: Path) -> dict[str, dict[str, str]]:
    with open(path, newline="", encoding="utf-8") as handle:
        return {row["record_id"]: row for row in csv.DictReader(handle)}


def run(root: Path, protocol: Protocol) -> dict[str, Any]:
    """One workflow run of the three screening rules, as the Snakefile wires them; returns the status.
    The study links are read from ``results/dedup/clusters.csv`` when a test wrote one."""
    ensure_person_files(protocol, root)
    results = root / "results/screening"
    clusters = root / "results/dedup/clusters.csv"
    people = protocol.paths.people
    screen_title_abstract(results / "pool.csv", results / "suggestions.csv", results / "title_abstract.csv",
                          screeners=protocol.screeners.title_abstract, maybe=protocol.screeners.maybe,
                          criteria=protocol.criteria, ranked=protocol.ranking.enabled, people=people, root=root,
                          clusters=clusters)
    screen_full_text(results / "title_abstract.csv", results / "pool.csv", results / "full_text.csv",
                     screeners=protocol.screeners.full_text, criteria=protocol.criteria, people=people, root=root,
                     clusters=clusters)
    return screening_summary(results / "title_abstract.csv", results / "full_text.csv",
                             results / "status.json", results / "agreement.json",
                             screeners=protocol.screeners, ranking=protocol.ranking, people=people)
