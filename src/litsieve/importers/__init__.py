"""Reading database exports into litsieve's record model.

``load(path)`` reads one export of any supported format (detected from its content
unless ``fmt`` is given) and returns :class:`~litsieve.record.Record` objects with
stable, review-unique ids; ``load_many`` does the same for the several files one
database search was exported in. Each format lives in its own module with a
``parse(export)`` generator, so a new dialect touches one small file.
"""

from __future__ import annotations

import os
import re
from importlib import import_module
from pathlib import Path
from typing import Callable, Iterable, Iterator

from litsieve.errors import ImportFormatError
from litsieve.importers.detect import FORMATS, detect_format, normalize_format
from litsieve.importers.encoding import ExportFile, read_export
from litsieve.logs import get_logger
from litsieve.record import Record, assign_ids

__all__ = ["FORMATS", "load", "load_many", "load_files", "parse_export", "default_source_name"]

LOG = get_logger("importers")

_MODULES: dict[str, str] = {
    "ris": "ris",
    "medline": "medline",
    "pubmed-xml": "pubmed_xml",
    "bibtex": "bibtex",
    "endnote-xml": "endnote_xml",
    "wos": "wos",
    "csv": "csv_table",
}

PathLike = str | os.PathLike[str]


def parser_for(fmt: str) -> Callable[[ExportFile], Iterator[Record]]:
    """The ``parse`` generator of a format's module."""
    module = import_module(f"litsieve.importers.{_MODULES[normalize_format(fmt)]}")
    return module.parse  # type: ignore[no-any-return]


def default_source_name(path: PathLike) -> str:
    """A stable source name from a file name: ``PsycINFO (EBSCO).ris`` gives ``psycinfo_ebsco``."""
    name = re.sub(r"[^a-z0-9]+", "_", Path(path).stem.lower()).strip("_")
    return name or "import"


def parse_export(export: ExportFile, fmt: str | None = None) -> tuple[str, list[Record]]:
    """``(format, records)`` of one decoded export; an export with no records is an error."""
    fmt = normalize_format(fmt) if fmt else detect_format(export)
    records = list(parser_for(fmt)(export))
    if not records:
        raise ImportFormatError(
            f"no records found (read as {fmt})", file=export.path, line=1,
            hint="check that the export finished and that --format is right",
        )
    return fmt, records


def load(path: PathLike, fmt: str | None = None, source: str | None = None) -> list[Record]:
    """The records of one export file, with stable ids prefixed by the source name."""
    return load_many([path], fmt=fmt, source=source)


def load_many(
    paths: Iterable[PathLike], fmt: str | None = None, source: str | None = None
) -> list[Record]:
    """The records of several export files, in file order, ids unique across all of them.

    Without ``source`` each file is its own source, named after the file.
    """
    return [record for _, records in load_files(paths, fmt, source) for record in records]


def load_files(
    paths: Iterable[PathLike], fmt: str | None = None, source: str | None = None
) -> list[tuple[str, list[Record]]]:
    """``(path, records)`` per file, as :func:`load_many` returns them all together."""
    result: list[tuple[str, list[Record]]] = []
    for path in paths:
        export = read_export(Path(path))
        found_fmt, records = parse_export(export, fmt)
        if found_fmt == "csv" and _is_record_file(export) and source is None:
            # litsieve's own output read back: ids and sources stay as they are.
            sources = [r.source for r in records]
            assign_ids(records, default_source_name(path), verbatim=True)
            for record, original in zip(records, sources, strict=True):
                record.source = original or record.source
        else:
            name = source or default_source_name(path)
            verbatim = found_fmt == "csv" and _has_id_column(export)
            assign_ids(records, name, verbatim=verbatim)
        LOG.info("%s: %d records (%s, %s)", export.path, len(records), found_fmt, export.encoding)
        result.append((export.path, records))
    if not result:
        raise ImportFormatError("no export files given", hint="name at least one file")
    _make_unique([record for _, records in result for record in records])
    return result


def _has_id_column(export: ExportFile) -> bool:
    from litsieve.importers.csv_table import id_column

    return id_column(export) is not None


def _is_record_file(export: ExportFile) -> bool:
    from litsieve.importers.csv_table import is_record_file

    return is_record_file(export)


def _make_unique(records: list[Record]) -> None:
    """Ids repeated across files of one source (overlapping export batches) get ``~n``."""
    seen: dict[str, int] = {}
    for record in records:
        count = seen.get(record.record_id, 0) + 1
        seen[record.record_id] = count
        if count > 1:
            candidate = f"{record.record_id}~{count}"
            while candidate in seen:
                count += 1
                candidate = f"{record.record_id}~{count}"
            seen[candidate] = 1
            record.record_id = candidate
