"""The import stage's rule functions: one source's exports in, the review's records out.

``import_source`` reads the export files of one configured source into
``results/records/sources/{source}.csv`` (a ``method: live`` source's file is written
from its frozen snapshot by :func:`litsieve.search.snapshot.import_snapshot`);
``combine_sources`` joins the sources in name order into ``results/records/all.csv``,
refuses record ids that two sources share, and writes the per-source counts that the
PRISMA diagram's "records identified from databases" box is built from.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Iterable

from litsieve.errors import ImportFormatError
from litsieve.fileio import atomic_write_text, file_sha256
from litsieve.importers import load_many
from litsieve.logs import get_logger
from litsieve.record import Record
from litsieve.records_io import read_records, write_records

LOG = get_logger("importers.workflow")
COUNTS_COLUMNS = ("source", "files", "records")

PathLike = str | os.PathLike[str]


def export_files(name: str, files: Iterable[PathLike]) -> list[str]:
    """The export files of source ``name``, every one of which must exist (the rule's input).

    Checked here rather than left to Snakemake, which does not notice a missing input of a
    job whose output already exists: the old search documentation and diagram would stay.
    """
    paths = [str(p) for p in files]
    missing = [path for path in paths if not os.path.isfile(path)]
    if missing:
        what = "is a folder, not a file" if os.path.isdir(missing[0]) else "does not exist"
        raise ImportFormatError(
            f"export file of source '{name}' {what}", file=missing[0], field=f"sources.{name}.files",
            hint="put the export there or correct the path under the source's `files:` in the protocol"
                 + (f" ({len(missing) - 1} more missing)" if len(missing) > 1 else ""),
        )
    return paths


def import_source(paths: Iterable[PathLike], name: str, out: PathLike, *, fmt: str | None = None) -> list[Record]:
    """Import one exported source (``name``: its name in the protocol's ``sources``, which
    starts its record ids; ``fmt``: its ``format``, else detected) and write its records."""
    files = [str(p) for p in paths]
    if not files:
        raise ImportFormatError(
            f"source '{name}' lists no export files", field=f"sources.{name}.files",
            hint="add the exported files under `files:` in the protocol",
        )
    records = load_many(once(files, name), fmt=fmt, source=name)
    write_records(out, records)
    LOG.info("%s: %d records from %d file(s)", name, len(records), len(files))
    return records


def once(files: list[str], name: str) -> list[str]:
    """Each export file once: a file listed twice in a source, or the same export saved
    under two names, would count every record twice in the PRISMA diagram."""
    kept: list[str] = []
    by_path: dict[str, str] = {}
    by_content: dict[str, str] = {}
    for path in files:
        real, digest = os.path.realpath(path), file_sha256(path)
        twin = by_path.get(real) or by_content.get(digest)
        if twin is not None:
            what = "is listed twice" if real in by_path else f"has the same content as {twin}"
            LOG.warning("source '%s': %s %s in its `files:`; it is read once (remove the repeat from the "
                        "protocol)", name, path, what)
            continue
        by_path[real], by_content[digest] = path, path
        kept.append(path)
    return kept


def combine_sources(paths: Iterable[PathLike], out_records: PathLike, out_counts: PathLike) -> None:
    """Concatenate per-source record files (sorted by source) and count them per source."""
    by_source = sorted((Path(p).stem, Path(p)) for p in paths)
    owner: dict[str, str] = {}
    combined: list[Record] = []
    lines = ["\t".join(COUNTS_COLUMNS)]
    for name, path in by_source:
        records = read_records(path)
        for row, record in enumerate(records, start=2):
            other = owner.get(record.record_id)
            if other is not None:
                raise ImportFormatError(
                    f"record id '{record.record_id}' occurs in source '{other}' and in "
                    f"source '{name}'", file=str(path), row=row, field="record_id",
                    hint="ids must be unique across the review: give the sources different "
                    "names, or fix the `id` column of a CSV export",
                )
            owner[record.record_id] = name
        files = len({r.source_file for r in records})
        lines.append(f"{name}\t{files}\t{len(records)}")
        LOG.info("%s: %d records from %d file(s)", name, len(records), files)
        combined.extend(records)
    write_records(out_records, combined)
    atomic_write_text(out_counts, "\n".join(lines) + "\n")
    LOG.info("all sources: %d records from %d source(s)", len(combined), len(by_source))
