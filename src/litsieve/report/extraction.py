"""The extraction table of the included studies: pre-filled, corrected by reviewers, merged.

Reviewers correct the pre-filled values (:mod:`.prefill`) in ``<people>/extraction.csv``,
a :mod:`litsieve.personfile` file: for each field it shows the pre-filled value and the
phrase it came from (generated, refreshed every run) next to an empty column named for the
field, where the reviewer types their value. Their cells are never overwritten; a study
that stops being included keeps its row in the orphans file.

The fields are the protocol's ``extraction.fields``, in its order. The final table
(``results/extraction/extraction.{csv,xlsx}``) has, for each field, the
value, where it came from (``<field>_source``: ``reviewer`` or ``prefilled``) and the
phrase behind a pre-filled value. A reviewer cell wins over the pre-fill; ``none`` in it
means "not reported" and clears the pre-filled value.

Data are extracted per *study* (PRISMA 2020 includes studies; a study may have several
reports): the table has one row per included study (:mod:`litsieve.studies`), listing
its included reports (``reports``: record ids and how each is linked) and its flags
(``study_flags``: ``RETRACTED`` is a warning, also at the end of the run). The citation
and the pre-fill come from the study's *lead* report: its main report when included, else
its first included report that is no notice. The sheet's rows are keyed by the record id of
the study's main report (for a study of one report: that record, so a sheet from before
studies were linked keeps its keys); a row typed under the id of another report of the
study moves to the study's row, and when the study's row has its own edits it waits in the
orphans file: an edit is never lost.
"""

from __future__ import annotations

import io
import os
import zipfile
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import Mapping, Sequence

from litsieve.fileio import atomic_write_bytes, write_csv
from litsieve.logs import get_logger
from litsieve.personfile import PersonFileSpec, update_person_file
from litsieve.protocol import ExtractionField, Protocol
from litsieve.record import Record
from litsieve.stagefiles import read_stage_decisions
from litsieve.report.prefill import prefill
from litsieve.studies import NOTICES, Studies, read_studies, reports_text, retracted_warning
from litsieve.xlsx import text_cell

LOG = get_logger("report.extraction")
RELATIVE = "extraction.csv"
NOT_REPORTED = "none"
PREFILLED, REVIEWER = "prefilled", "reviewer"
CITATION_COLUMNS = ("authors", "year", "title", "journal", "volume", "issue", "pages", "doi", "pmid")
STUDY_COLUMNS = ("study_id", "reports", "study_flags")
PERSON_FILE_CITATION = ("title", "authors", "year")
NOTES = "notes"
EMPTY_NOTICE = ("No study is included at full text yet: the table has its header only and fills in as "
                "full-text screeners include studies.")


def _names(fields: Sequence[ExtractionField]) -> tuple[str, ...]:
    return tuple(f.name for f in fields)


def person_spec(fields: Sequence[ExtractionField]) -> PersonFileSpec:
    columns = ["record_id", *PERSON_FILE_CITATION, *STUDY_COLUMNS]
    for name in _names(fields):
        columns += [f"{name}_prefilled", f"{name}_evidence", name]
    columns.append(NOTES)
    return PersonFileSpec(
        relative=RELATIVE,
        columns=tuple(columns),
        person_columns=(*_names(fields), NOTES),
        description="reviewers' corrections of the pre-filled extraction of included studies",
        help={"title": "this row says what to type in each column; it is no study (litsieve skips it)",
              "reports": "one row per included study (its id: the record id of its main report); its reports",
              **{name: f"your value for {name} when the pre-filled one is wrong or empty; none = not reported"
                 for name in _names(fields)},
              NOTES: "anything you like"},
    )


def person_files(protocol: Protocol) -> list[PersonFileSpec]:
    """The extraction sheet (listed by :func:`litsieve.people.person_file_specs`)."""
    return [person_spec(protocol.extraction.fields)]


def table_columns(fields: Sequence[ExtractionField]) -> list[str]:
    columns = [*STUDY_COLUMNS, "record_id", *CITATION_COLUMNS]
    for name in _names(fields):
        columns += [name, f"{name}_source", f"{name}_evidence"]
    return [*columns, NOTES]


def citation(record: Record) -> dict[str, str]:
    row = record.to_row(with_extra=False)
    return {column: row.get(column, "") for column in ("record_id", *CITATION_COLUMNS)}


@dataclass(frozen=True)
class IncludedStudy:
    """One row of the extraction table: a study, its included reports and the report the
    citation and the pre-fill come from (``lead``)."""

    key: str  # the record id of the study's main report: the sheet's key
    study_id: str
    lead: Record
    reports: str  # "r1 (main report); r7 (erratum of r1)"
    flags: str  # "RETRACTED", ...
    retracted: bool = False

    def cells(self) -> dict[str, str]:
        return {"study_id": self.study_id, "reports": self.reports, "study_flags": self.flags}


def included_studies(records: Sequence[Record], studies: Studies | None = None) -> list[IncludedStudy]:
    """The included records grouped into studies, by key (each record its own study without links)."""
    studies = studies or Studies()
    groups: dict[str, list[Record]] = {}
    for record in records:
        groups.setdefault(studies.study_id(record.record_id), []).append(record)
    rows = []
    def rank(record: Record, main: str) -> tuple[int, str]:
        relation = studies.report(record.record_id).relation
        return (0 if record.record_id == main else 2 if relation in NOTICES else 1, record.record_id)

    for study_id, group in groups.items():
        study = studies.study_of(group[0].record_id)
        lead = min(group, key=partial(rank, main=study.main))
        rows.append(IncludedStudy(study.main, study_id, lead,
                                  reports_text(study, [r.record_id for r in group]), study.flag_text,
                                  study.retracted))
    return sorted(rows, key=lambda s: s.key)


def generated_rows(included: Sequence[IncludedStudy | Record],
                   fields: Sequence[ExtractionField]) -> list[dict[str, str]]:
    """The generated cells of the extraction sheet, one row per study, by key."""
    rows = []
    for study in _as_studies(included):
        row = {"record_id": study.key, **study.cells(),
               **{column: value for column, value in citation(study.lead).items() if column in PERSON_FILE_CITATION}}
        for name, value in prefill(study.lead, fields).items():
            row[f"{name}_prefilled"] = value.value
            row[f"{name}_evidence"] = value.evidence
        rows.append(row)
    return rows


def extraction_rows(included: Sequence[IncludedStudy | Record], fields: Sequence[ExtractionField],
                    reviewer: Mapping[str, Mapping[str, str]]) -> list[dict[str, str]]:
    """The final table: reviewer values over pre-filled ones, each marked with its source."""
    rows = []
    for study in _as_studies(included):
        typed = reviewer.get(study.key, {})
        row = {**study.cells(), **citation(study.lead)}
        for name, value in prefill(study.lead, fields).items():
            mine = (typed.get(name) or "").strip()
            if mine:
                row[name] = "" if mine.casefold() == NOT_REPORTED else mine
                row[f"{name}_source"] = REVIEWER
                row[f"{name}_evidence"] = ""
            else:
                row[name] = value.value
                row[f"{name}_source"] = PREFILLED if value.value else ""
                row[f"{name}_evidence"] = value.evidence
        row[NOTES] = typed.get(NOTES, "")
        rows.append(row)
    return rows


def _as_studies(included: Sequence[IncludedStudy | Record]) -> list[IncludedStudy]:
    """Records on their own are studies of one report (the table of any set of records)."""
    records = [item for item in included if isinstance(item, Record)]
    return sorted([item for item in included if isinstance(item, IncludedStudy)] + included_studies(records),
                  key=lambda s: s.key)


def study_aliases(studies: Studies, included: Sequence[IncludedStudy]) -> dict[str, str]:
    """Every report of an included study mapped onto the study's key, so that a row typed
    under any of them moves to the study's row."""
    keys = {study.study_id: study.key for study in included}
    mapping = {}
    for study_id, key in keys.items():
        for report in studies.studies[study_id].reports if study_id in studies.studies else ():
            if report.record_id != key:
                mapping[report.record_id] = key
    return mapping


def write_extraction_table(rows: Sequence[Mapping[str, str]], fields: Sequence[ExtractionField],
                           csv_path: str | os.PathLike[str], xlsx_path: str | os.PathLike[str] | None = None) -> None:
    columns = table_columns(fields)
    write_csv(csv_path, rows, columns)
    if xlsx_path:
        atomic_write_bytes(xlsx_path, xlsx_bytes(rows, columns))


def xlsx_bytes(rows: Sequence[Mapping[str, str]], columns: Sequence[str]) -> bytes:
    """The table as an Excel workbook, byte-identical for identical rows.

    openpyxl stamps the workbook with the time and the zip entries with the clock; both are
    fixed here (document properties at 2000-01-01, zip entries at 1980-01-01).
    """
    import datetime

    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font

    book = Workbook()
    sheet = book.active
    sheet.title = "extraction"
    sheet.append(list(columns))
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for row in rows:
        # Text stays text: a value such as "=1+1" from a database is never a formula.
        sheet.append([text_cell(str(row.get(c, ""))) for c in columns])  # no \x01: XML cannot hold it
        for cell in sheet[sheet.max_row]:
            cell.data_type = "s"
    if not rows:
        sheet.append([EMPTY_NOTICE])
    sheet.freeze_panes = "B2"
    for index, column in enumerate(columns, start=1):
        letter = sheet.cell(row=1, column=index).column_letter
        sheet.column_dimensions[letter].width = 40 if column.endswith("_evidence") or column == "title" else 18
        for cell in sheet[letter][1:]:
            cell.alignment = Alignment(wrap_text=True, vertical="top")
    fixed = datetime.datetime(2000, 1, 1)
    book.properties.creator = "litsieve"
    book.properties.created = fixed
    book.properties.modified = fixed
    buffer = io.BytesIO()
    book.save(buffer)
    return _fixed_zip(buffer.getvalue())


def _fixed_zip(data: bytes) -> bytes:
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in sorted(source.infolist(), key=lambda i: (i.filename != "[Content_Types].xml", i.filename)):
            content = source.read(info.filename)
            if info.filename == "docProps/core.xml":
                content = _fixed_core(content)
            fixed = zipfile.ZipInfo(info.filename, date_time=(1980, 1, 1, 0, 0, 0))
            fixed.compress_type = zipfile.ZIP_DEFLATED
            fixed.external_attr = 0o600 << 16
            target.writestr(fixed, content)
    return out.getvalue()


def _fixed_core(content: bytes) -> bytes:
    """openpyxl writes the save time as ``dcterms:modified``; pin it."""
    import re

    return re.sub(rb"(<dcterms:modified[^>]*>)[^<]*(</dcterms:modified>)", rb"\g<1>2000-01-01T00:00:00Z\g<2>",
                  content)


def included_ids(full_text: str | os.PathLike[str]) -> list[str]:
    return sorted(row.record_id for row in read_stage_decisions(full_text) if row.decision == "include")


def update_extraction(
    full_text: str | os.PathLike[str],
    pool: str | os.PathLike[str],
    csv_path: str | os.PathLike[str],
    xlsx_path: str | os.PathLike[str],
    *,
    fields: Sequence[ExtractionField],
    people: str,
    root: str | os.PathLike[str] = ".",
    ids: Sequence[str] | None = None,
    other_methods: str | os.PathLike[str] | None = None,
    clusters: str | os.PathLike[str] | None = None,
) -> list[dict[str, str]]:
    """The ``extraction`` rule: merge the sheet people edit, then write the final table.

    ``ids`` replaces the records included at full text (to pre-fill any set of records).
    ``other_methods`` holds the works found by other methods, which skip the pool;
    ``clusters`` deduplication's clusters file, whose study links group the reports.
    The person file is written before the outputs, so they are newer than it.
    """
    from litsieve.records_io import read_records

    wanted = set(ids if ids is not None else included_ids(full_text))
    candidates = read_records(pool) + (read_records(other_methods) if other_methods is not None else [])
    records = [r for r in candidates if r.record_id in wanted]
    missing = wanted - {r.record_id for r in records}
    if missing:
        LOG.warning("included record(s) not in the screening pool, left out: %s", ", ".join(sorted(missing)))
    studies = read_studies(clusters)
    included = included_studies(records, studies)
    spec = person_spec(fields)
    merge = update_person_file(Path(root) / people, spec, generated_rows(included, fields),
                               aliases=study_aliases(studies, included))
    reviewer = {row.key: row.values for row in merge.rows}
    rows = extraction_rows(included, fields, reviewer)
    write_extraction_table(rows, fields, csv_path, xlsx_path)
    if rows:
        edited = sum(1 for row in rows for name in _names(fields) if row[f"{name}_source"] == REVIEWER)
        LOG.info("extraction: %d included studies (%d reports), %d field(s) corrected by reviewers",
                 len(rows), len(records), edited)
    else:
        LOG.info("extraction: %s", EMPTY_NOTICE)
    retracted = sorted(study.study_id for study in included if study.retracted)
    if retracted:
        LOG.warning("%s", retracted_warning(retracted))
    return rows
