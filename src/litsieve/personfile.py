"""Files people edit: read what a spreadsheet saved, merge new generated rows in, never lose a typed cell.

Screening queues, conflict sheets, the duplicate review and the extraction sheet live
outside ``results/`` (under ``paths.people``, default ``screening/``) and are edited in
Excel or LibreOffice. Such a file comes back in whatever shape the spreadsheet chose:
comma, semicolon or tab separated, with or without a byte-order mark, CRLF, LF or CR line
ends, UTF-8, UTF-16 or the Windows code page, rows sorted or filtered, columns added or
moved, or as an ``.xlsx`` workbook beside the CSV. This module reads all of those, and
merges freshly generated rows into the file by stable record id so that:

- cells in *person columns* (decision, reason, note, ... and any column the person added)
  are written back exactly as they were read;
- *generated columns* (title, abstract, suggestion, ...) are refreshed from the workflow
  and neutralised against spreadsheet formulas, because they came from a database;
- records new to the workflow are appended; a row whose record no longer exists is moved,
  with everything typed in it, to ``<people>/orphans/...`` with a warning, and moved back
  if the record returns; ``aliases`` carry a row to the id its record has now;
- a row, a column or the whole file that disappeared since the last run comes back with
  what was typed in it (:class:`Ledger`), and a renamed column stops the run;
- the previous version is kept in ``<people>/.history/`` before every rewrite, the rewrite
  is atomic (through a symbolic link, to the file it points to), and an unchanged file is
  not touched (so ``snakemake -n`` stays quiet).

The API other parts build on (the workflow's stages, ``litsieve screen check``, a
screening page): :func:`read_person_state` (the file as the next merge starts from it, with
:meth:`PersonState.problems` to tell a person), :func:`update_person_file` (merge by id and
write), :func:`read_person_file` / :func:`person_csv_bytes` (one file, read or rendered),
and :func:`orphans_path`, :func:`history_dir`, :func:`ledger_path` for where things are kept.

Each area describes its files with :class:`PersonFileSpec` and exposes them through a
``person_files(protocol)`` function; :mod:`litsieve.people` lists them all for a review and
creates the missing ones (header and the row saying what to type) when the Snakefile is
parsed, so person files can be rule inputs from the first run on.

Row numbers in errors are spreadsheet row numbers: the header is row 1, the row saying
what to type (:data:`HELP_KEY`) row 2.
"""

from __future__ import annotations

import contextlib
import csv
import hashlib
import io
import json
import os
import time
from dataclasses import dataclass, field, replace
from functools import cached_property
from pathlib import Path
from typing import Any, Callable, Iterable, Iterator, Mapping, Sequence

from litsieve.errors import ScreeningFileError
from litsieve.fileio import (
    atomic_write_bytes,
    atomic_write_text,
    csv_line,
    file_sha256,
    keep_previous_version,
    neutralise_cell,
    unneutralise_cell,
)
from litsieve.logs import get_logger

LOG = get_logger("personfile")

KEY = "record_id"
HISTORY_DIR = ".history"
ORPHANS_DIR = "orphans"
# Excel needs the byte-order mark to read UTF-8 (otherwise it assumes the Windows code
# page and mangles every non-ASCII letter); LibreOffice accepts it. CRLF is what Excel
# itself writes, so saving from Excel does not change every line of the file.
UTF8_BOM = "\ufeff"
LINE_END = "\r\n"
DELIMITERS = (",", ";", "\t")
# The key cell of the row that says what to type (row 2). It sorts before every record id,
# so a spreadsheet sorting by record_id keeps it on top.
HELP_KEY = "(what to type)"
LEDGER_SUFFIX = ".state.json"
# What a spreadsheet saves when the person keeps its own format instead of CSV.
WORKBOOK_SUFFIXES = (".xlsx", ".ods", ".xls", ".numbers")

@dataclass(frozen=True)
class PersonFileSpec:
    """The shape of one file people edit.

    ``relative`` is the path under the people folder (``title_abstract/ana.csv``).
    ``columns`` is the full column order litsieve writes, starting with the key column;
    ``person_columns`` are the ones people fill (never changed by litsieve); every other
    column is generated and refreshed on each merge. ``choices`` restricts a person column
    to listed values (case, spaces and underscores do not matter; empty always allowed).
    ``help`` says what to type, column by column: it is written as the row under the header
    (key cell :data:`HELP_KEY`), where a screener sees it in any spreadsheet, and that row
    is skipped when the file is read.
    """

    relative: str
    columns: tuple[str, ...]
    person_columns: tuple[str, ...]
    choices: Mapping[str, Sequence[str]] = field(default_factory=dict)
    key: str = KEY
    description: str = ""
    help: Mapping[str, str] = field(default_factory=dict)

    def __post_init__(self) -> None:
        if not self.columns or self.columns[0] != self.key:
            raise ValueError(f"{self.relative}: columns must start with the key column {self.key!r}")
        unknown = [c for c in self.person_columns if c not in self.columns]
        if unknown:
            raise ValueError(f"{self.relative}: person columns {unknown} are not in columns")
        if self.key in self.person_columns:
            raise ValueError(f"{self.relative}: the key column cannot be a person column")

    @cached_property
    def generated_columns(self) -> tuple[str, ...]:
        return tuple(c for c in self.columns if c not in self.person_columns)

    @cached_property
    def _canonical(self) -> dict[str, dict[str, str]]:
        return {column: {_spelling(a): a for a in allowed} for column, allowed in self.choices.items()}

    def path(self, people: str | os.PathLike[str]) -> Path:
        return Path(people) / self.relative

    def choice(self, column: str, value: str) -> str:
        """The canonical spelling of an allowed value (``" Include"`` gives ``include``)."""
        if not value:
            return ""
        return self._canonical.get(column, {}).get(_spelling(value), "")


def _spelling(value: str) -> str:
    """How an allowed value is compared: case, spacing and underscores do not matter, so
    ``Not_Retrieved`` (the spelling results/ files use) is ``not retrieved``."""
    return " ".join(value.replace("_", " ").split()).casefold()


@dataclass
class PersonRow:
    """One row as the person left it: cells by column name, and its spreadsheet row number."""

    key: str
    values: dict[str, str]
    line: int = 0

    def get(self, column: str) -> str:
        return self.values.get(column, "")


@dataclass
class PersonTable:
    """A person file as read: its columns (known ones under their canonical names, then
    the person's own), its rows, and how it was saved."""

    path: Path
    columns: list[str]
    rows: list[PersonRow]
    delimiter: str = ","
    encoding: str = "utf-8-sig"
    help_typed: dict[str, str] = field(default_factory=dict)  # what someone typed into the help row

    def by_key(self) -> dict[str, PersonRow]:
        return {row.key: row for row in self.rows}

    def extra_columns(self, spec: PersonFileSpec) -> list[str]:
        return [c for c in self.columns if c not in spec.columns]


# --------------------------------------------------------------------------- reading

def decode_person_bytes(data: bytes, path: str | os.PathLike[str]) -> tuple[str, str]:
    """Decode what a spreadsheet saved; returns ``(text, encoding)``.

    UTF-8 (with or without BOM) and UTF-16 (Excel's "Unicode text") are read silently;
    anything else is read as Windows-1252 (Excel's plain "CSV" on Windows) with a warning,
    because characters outside that code page were already replaced when it was saved.
    """
    if data.startswith(b"\xef\xbb\xbf"):
        return _decode(data[3:], "utf-8", path), "utf-8-sig"
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return _decode(data, "utf-16", path), "utf-16"
    if len(data) >= 4 and data[1:4:2] == b"\x00\x00" and data[0:4:2] != b"\x00\x00":
        return _decode(data, "utf-16-le", path), "utf-16-le"
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    text = _decode(data, "cp1252", path)
    LOG.warning(
        "%s: not saved as UTF-8; read as Windows-1252. Letters outside that code page may "
        "already have been replaced by '?'. Next time save as 'CSV UTF-8' (Excel) or "
        "'Text CSV, Unicode (UTF-8)' (LibreOffice).", path,
    )
    return text, "cp1252"


def _decode(data: bytes, encoding: str, path: str | os.PathLike[str]) -> str:
    try:
        return data.decode(encoding)
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise ScreeningFileError(
            f"cannot be read as {encoding}: byte {data[exc.start]:#04x} at offset {exc.start}",
            file=str(path), line=line,
            hint="open it in your spreadsheet and save it again as 'CSV UTF-8'",
        ) from None


def _header_rows(text: str, delimiter: str) -> list[str]:
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        return next(reader, [])
    except csv.Error:
        return []


def sniff_delimiter(text: str, key: str, path: str | os.PathLike[str]) -> str:
    """The delimiter that makes the header contain the key column (comma, semicolon or tab)."""
    for delimiter in DELIMITERS:
        header = [h.strip().casefold() for h in _header_rows(text, delimiter)]
        if key.casefold() in header:
            return delimiter
    raise ScreeningFileError(
        f"no '{key}' column in the header",
        file=str(path), row=1, field=key,
        hint=f"the first row must name the columns and one must be '{key}'; restore the file "
             f"from the .history folder if the column was deleted",
    )


def _column_letter(index: int) -> str:
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def _canonical_header(raw: list[str], spec: PersonFileSpec, path: Path) -> list[str]:
    known = {c.casefold(): c for c in spec.columns}
    names: list[str] = []
    for index, cell in enumerate(raw):
        text = cell.strip().lstrip(UTF8_BOM).strip()
        name = known.get(text.casefold(), text) or f"column {_column_letter(index)}"
        if name in names:
            if name in spec.columns:
                raise ScreeningFileError(
                    f"column '{name}' appears twice in the header",
                    file=str(path), row=1, field=name,
                    hint="delete or rename one of the two columns",
                )
            suffix = 2
            while f"{name} ({suffix})" in names:
                suffix += 1
            name = f"{name} ({suffix})"
        names.append(name)
    return names


def parse_person_text(text: str, spec: PersonFileSpec, path: str | os.PathLike[str]) -> PersonTable:
    """Parse decoded text into a :class:`PersonTable`, checking ids and choice columns."""
    path = Path(path)
    text = text.lstrip(UTF8_BOM)
    if "\r" in text and "\n" not in text:
        text = text.replace("\r", "\n")  # Excel for Mac's "CSV (Macintosh)": CR alone ends a line
    if not text.strip():
        return PersonTable(path, list(spec.columns), [])
    delimiter = sniff_delimiter(text, spec.key, path)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        return _parse_rows(reader, spec, path, delimiter)
    except csv.Error as exc:
        raise ScreeningFileError(
            f"not readable as CSV ({exc})", file=str(path), line=reader.line_num,
            hint="open it in your spreadsheet and save it again as 'CSV UTF-8' (comma separated)",
        ) from None


def _parse_rows(reader: Iterator[list[str]], spec: PersonFileSpec, path: Path, delimiter: str) -> PersonTable:
    columns = _canonical_header(next(reader), spec, path)
    generated = [c for c in spec.generated_columns if c in columns and c != spec.key]
    rows: list[PersonRow] = []
    help_typed: dict[str, str] = {}
    seen: dict[str, int] = {}
    for line, cells in enumerate(reader, start=2):
        if not any(c.strip() for c in cells):
            continue  # blank rows a spreadsheet leaves behind
        while len(columns) < len(cells):
            columns.append(f"column {_column_letter(len(columns))}")
        values = {columns[i]: (cells[i] if i < len(cells) else "") for i in range(len(columns))}
        key = unneutralise_cell(values[spec.key].strip())  # the id came from a database too
        if key == HELP_KEY:
            help_typed.update({c: v for c in spec.person_columns if (v := values.get(c, "")).strip()
                               and v != spec.help.get(c, "")})
            continue
        if not key:
            raise ScreeningFileError(
                "this row has cells filled in but no record id",
                file=str(path), row=line, field=spec.key,
                hint="put the row's record_id back (see the .history folder) or clear the row",
            )
        if key in seen:
            raise ScreeningFileError(
                f"record id '{key}' appears twice (rows {seen[key]} and {line})",
                file=str(path), row=line, field=spec.key,
                hint="keep one row per record: merge the decisions into one row and delete the other",
            )
        seen[key] = line
        values[spec.key] = key
        for column in generated:  # litsieve neutralised these on the way out
            values[column] = unneutralise_cell(values[column])
        for column, allowed in spec.choices.items():
            value = values.get(column, "")
            if value.strip() and not spec.choice(column, value):
                raise ScreeningFileError(
                    f"'{value}' is not a valid {column} (record {key})",
                    file=str(path), row=line, field=column,
                    hint=f"use one of: {', '.join(allowed)}, or leave it empty",
                )
        rows.append(PersonRow(key, values, line))
    # A column with neither a header nor a value (a spreadsheet's stray empty column) is dropped.
    unnamed = [c for i, c in enumerate(columns) if c == f"column {_column_letter(i)}"
               and c not in spec.columns and not any(row.values.get(c, "").strip() for row in rows)]
    if unnamed:
        columns = [c for c in columns if c not in unnamed]
        for row in rows:
            for column in unnamed:
                row.values.pop(column, None)
    return PersonTable(path, columns, rows, delimiter, help_typed=help_typed)


def read_person_file(path: str | os.PathLike[str], spec: PersonFileSpec) -> PersonTable:
    """Read a person file as a spreadsheet saved it (see the module docstring)."""
    path = Path(path)
    return person_table(path.read_bytes(), path, spec)


def person_table(data: bytes, path: Path, spec: PersonFileSpec) -> PersonTable:
    """:func:`read_person_file` of bytes already read."""
    text, encoding = decode_person_bytes(data, path)
    table = parse_person_text(text, spec, path)
    table.encoding = encoding
    return table


# --------------------------------------------------------------------------- merging

@dataclass
class Merge:
    """The result of merging generated rows into a person file, before it is written."""

    columns: list[str]
    rows: list[PersonRow]
    orphans: list[PersonRow]
    appended: list[str]
    restored: list[str]
    rekeyed: dict[str, str]
    dropped: list[str]
    delimiter: str = ","

    def by_key(self) -> dict[str, PersonRow]:
        return {row.key: row for row in self.rows}


def has_person_content(row: PersonRow, person_columns: Iterable[str]) -> bool:
    return any(row.get(c).strip() for c in person_columns)


def merge_rows(
    spec: PersonFileSpec,
    existing: PersonTable | None,
    generated: Sequence[Mapping[str, Any]],
    *,
    issued: Iterable[str] | None = None,
    aliases: Mapping[str, str] | None = None,
    orphans: PersonTable | None = None,
) -> Merge:
    """Merge ``generated`` rows (in the order they should appear) into ``existing``.

    ``issued`` is every id litsieve ever wrote into this file: an existing row whose id is
    neither generated now nor issued before was typed or altered by hand and is an error
    (naming the row), because guessing would attach a decision to the wrong record.
    ``aliases`` maps ids that deduplication folded into another record onto the id that
    represents them now, so a decision follows its work when the representative changes.
    ``orphans`` is the orphans file: a returning record gets its old cells back.
    """
    aliases = aliases or {}
    generated_ids = [str(row[spec.key]) for row in generated]
    generated_set = set(generated_ids)
    issued_set = set(issued or ()) | generated_set
    old = existing.by_key() if existing else {}
    orphan_rows = orphans.by_key() if orphans else {}
    extra_columns: list[str] = []
    for table in (existing, orphans):
        if table is not None:
            extra_columns += [c for c in table.extra_columns(spec) if c not in extra_columns]
    person_columns = [*spec.person_columns, *extra_columns]

    for key, row in old.items():
        if key not in generated_set and key not in issued_set and key not in aliases:
            raise ScreeningFileError(
                f"record id '{key}' was never in this file",
                file=str(existing.path) if existing else None, row=row.line, field=spec.key,
                hint="the id was probably edited by hand (or by the spreadsheet, e.g. a number "
                     "reformatted); restore it from the file's copy in the .history folder",
            )

    # Rows kept under an id that no longer exists but whose work is still there.
    rekeyed: dict[str, str] = {}
    carried: dict[str, PersonRow] = {}
    for key, row in [*old.items(), *orphan_rows.items()]:  # an orphan's record may be back under a new id
        target = aliases.get(key)
        if key in generated_set or target is None or target not in generated_set:
            continue
        if target in old and has_person_content(old[target], person_columns):
            continue  # the current id has its own decisions; this one becomes an orphan
        if target in carried or not has_person_content(row, person_columns):
            continue
        carried[target] = row
        rekeyed[key] = target

    rows: list[PersonRow] = []
    appended: list[str] = []
    restored: list[str] = []
    for gen in generated:
        key = str(gen[spec.key])
        source = carried.get(key) or old.get(key)
        if source is None and key in orphan_rows:
            source = orphan_rows[key]
            restored.append(key)
        if source is None:
            appended.append(key)
        values: dict[str, str] = {spec.key: key}
        for column in spec.generated_columns:
            if column != spec.key:
                value = gen.get(column, "")
                values[column] = "" if value is None else str(value)
        for column in person_columns:
            values[column] = source.get(column) if source else ""
        rows.append(PersonRow(key, values, source.line if source else 0))

    used = set(rekeyed)
    new_orphans: list[PersonRow] = []
    dropped: list[str] = []
    for key, row in old.items():
        if key in generated_set or key in used:
            continue
        if has_person_content(row, person_columns):
            new_orphans.append(row)
        else:
            dropped.append(key)
    kept_orphans = [r for k, r in orphan_rows.items() if k not in generated_set and k not in rekeyed]
    orphan_keys = {r.key for r in new_orphans}
    all_orphans = [r for r in kept_orphans if r.key not in orphan_keys] + new_orphans
    return Merge(
        columns=[*spec.columns, *extra_columns],
        rows=rows,
        orphans=all_orphans,
        appended=appended,
        restored=restored,
        rekeyed=rekeyed,
        dropped=dropped,
        delimiter=existing.delimiter if existing else ",",
    )


# --------------------------------------------------------------------------- writing

def person_csv_bytes(
    columns: Sequence[str],
    rows: Iterable[PersonRow],
    *,
    generated: Iterable[str],
    delimiter: str = ",",
    help: Mapping[str, str] | None = None,
) -> bytes:
    """UTF-8 with BOM, CRLF; the help row (if any) under the header; generated cells
    neutralised, person cells exactly as read."""
    guard = set(generated)
    lines = [header_lines(columns, delimiter, help), *(_row_line(row, columns, guard, delimiter) for row in rows)]
    return (UTF8_BOM + "".join(lines)).encode("utf-8")


def header_lines(columns: Sequence[str], delimiter: str, help: Mapping[str, str] | None) -> str:
    """The header, and the row saying what to type when the file has one."""
    text = csv_line(columns, delimiter, LINE_END)
    if help:
        text += csv_line([HELP_KEY if i == 0 else help.get(c, "") for i, c in enumerate(columns)], delimiter, LINE_END)
    return text


def _row_line(row: PersonRow, columns: Sequence[str], guard: set[str], delimiter: str) -> str:
    return csv_line([neutralise_cell(row.get(c)) if c in guard else row.get(c) for c in columns], delimiter, LINE_END)


def history_dir(people: Path, relative: str) -> Path:
    return people / HISTORY_DIR / Path(relative).parent


def orphans_path(people: Path, relative: str) -> Path:
    return people / ORPHANS_DIR / relative


def issued_path(people: Path, relative: str) -> Path:
    return history_dir(people, relative) / f"{Path(relative).name}.ids"


def read_issued(people: Path, relative: str) -> set[str]:
    path = issued_path(people, relative)
    if not path.exists():
        return set()
    return {line for line in path.read_text(encoding="utf-8").splitlines() if line}


def write_if_changed(path: Path, data: bytes, *, history: Path | None, keep: bool = True) -> bool:
    """Atomically replace ``path`` with ``data`` unless it already holds exactly that.

    The previous version is kept in ``history`` first (``keep=False`` for a file holding
    only its header: nothing to keep). Returns whether it was written.
    """
    if path.exists() and path.read_bytes() == data:
        return False
    if keep and path.exists():
        keep_previous_version(path, history)
    atomic_write_bytes(path, data)
    return True


# --------------------------------------------------------------------------- what litsieve last saw

@dataclass
class Ledger:
    """What litsieve saw of a person file at the end of its last run, kept beside the
    file's history (``<name>.state.json``): every typed cell by record id, and the version
    (SHA-256) of each workbook saved beside it. A row or a column that disappears from the
    file between two runs (deleted in the spreadsheet, the file deleted) is put back from
    here; a cell the person cleared is their decision and stays cleared."""

    typed: dict[str, dict[str, str]] = field(default_factory=dict)
    workbooks: dict[str, str] = field(default_factory=dict)

    def to_json(self) -> str:
        return json.dumps({"typed": self.typed, "workbooks": self.workbooks}, indent=1, sort_keys=True,
                          ensure_ascii=False) + "\n"


def ledger_path(people: Path, relative: str) -> Path:
    return history_dir(people, relative) / f"{Path(relative).name}{LEDGER_SUFFIX}"


def read_ledger(people: Path, relative: str) -> Ledger:
    path = ledger_path(people, relative)
    if not path.exists():
        return Ledger()
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        return Ledger(dict(data.get("typed", {})), dict(data.get("workbooks", {})))
    except (json.JSONDecodeError, UnicodeDecodeError, AttributeError) as exc:
        raise ScreeningFileError(f"not readable ({exc})", file=str(path),
                                 hint="litsieve keeps it: restore it from version control, or delete it (rows "
                                      "deleted from the person file can then no longer be put back)") from None


def typed_cells(row: PersonRow, person_columns: Iterable[str]) -> dict[str, str]:
    return {c: row.get(c) for c in person_columns if row.get(c).strip()}


def workbooks_beside(path: Path) -> list[Path]:
    """Workbooks a spreadsheet saved beside a person file (``ana.xlsx`` beside ``ana.csv``)."""
    return [path.with_suffix(suffix) for suffix in WORKBOOK_SUFFIXES if path.with_suffix(suffix).exists()]


def workbooks_of(paths: Iterable[str | os.PathLike[str]]) -> list[str]:
    """The workbooks beside these person files, as rule inputs: saving a queue as .xlsx
    then reruns the rule that reads it."""
    return [str(workbook) for path in paths for workbook in workbooks_beside(Path(path))]


def read_workbook(path: Path, spec: PersonFileSpec, delimiter: str = ",") -> PersonTable:
    """A person file a screener saved as an Excel workbook, read like its CSV."""
    from litsieve.xlsx import read_sheet

    rows = read_sheet(path)
    header = [h.strip().casefold() for h in (rows[0] if rows else [])]
    if spec.key.casefold() not in header:
        raise ScreeningFileError(f"no '{spec.key}' column in the header of the first sheet", file=str(path),
                                 row=1, field=spec.key, hint="the first sheet must be the queue as litsieve wrote it")
    table = _parse_rows(iter(rows), spec, path, delimiter)
    table.encoding = "xlsx"
    return table


@dataclass
class PersonState:
    """A person file as the next merge starts from it (:func:`read_person_state`), with
    what had to be done to get there, so the run and ``litsieve screen check`` say it."""

    path: Path
    table: PersonTable
    ledger: Ledger
    on_disk: int  # rows in the CSV as it is on disk (0: missing or header only)
    version: str = ""  # SHA-256 of the CSV as read ("" when there was none): a later save is detected
    restored_rows: list[str] = field(default_factory=list)
    restored_columns: list[str] = field(default_factory=list)
    workbook: Path | None = None  # read instead of the CSV: saved after it
    unread_workbooks: list[Path] = field(default_factory=list)

    def problems(self) -> list[str]:
        """What the person should know, one line each (the run's notices, ``screen check``)."""
        lines = []
        if self.workbook is not None:
            lines.append(f"{self.workbook} was saved after {self.path}, so litsieve read the workbook; its cells "
                         f"are merged into {self.path.name}: keep working in {self.path.name} (new records are "
                         f"added there, never to the workbook)")
        for workbook in self.unread_workbooks:
            lines.append(f"{workbook} is older than {self.path.name} and was not read (litsieve reads a workbook "
                         f"only when it was saved after the CSV); delete it if {self.path.name} has everything")
        if self.restored_rows and not self.on_disk and self.workbook is None:
            lines.append(f"{self.path} was deleted or emptied since the last run: its {len(self.restored_rows)} "
                         "row(s) with typed cells are put back as they were typed; to start the file over, "
                         "empty its decision cells instead of deleting it")
        elif self.restored_rows:
            lines.append(f"{self.path}: {len(self.restored_rows)} row(s) with typed cells were missing (deleted in "
                         f"the spreadsheet?) and are put back as they were typed ({_some(self.restored_rows)}); "
                         "to undo a decision, empty its cell instead of deleting the row")
        for column in self.restored_columns:
            lines.append(f"{self.path}: the column '{column}' was missing (deleted in the spreadsheet?); its cells are "
                         "put back as they were typed")
        if self.table.help_typed:
            typed = "; ".join(f"{c}: {v!r}" for c, v in self.table.help_typed.items())
            lines.append(f"{self.path}: row 2 ({HELP_KEY}) only says what to type and is rewritten on every run; "
                         f"what was typed there ({typed}) belongs to no record: type it in a record's row")
        return lines


def _some(keys: Sequence[str]) -> str:
    return ", ".join(keys[:5]) + (f" and {len(keys) - 5} more" if len(keys) > 5 else "")


def read_person_state(people: str | os.PathLike[str], spec: PersonFileSpec) -> PersonState:
    """The person file ``spec`` describes, as the next merge starts from it; writes nothing.

    The CSV is read as the spreadsheet saved it, or a workbook saved beside it after it
    (``.xlsx`` is read; ``.ods``, ``.xls`` or ``.numbers`` stop the run, naming the file,
    since their decisions would otherwise be ignored); rows and columns with typed cells
    that disappeared since the last run come back from the :class:`Ledger`. A column that
    disappeared while a column litsieve does not know appeared (``decision`` renamed
    ``Entscheidung`` in a German spreadsheet) is an error naming both: guessing would
    reset or misread every decision.
    """
    people = Path(people)
    path = spec.path(people)
    ledger = read_ledger(people, spec.relative)
    data = path.read_bytes() if path.exists() else None
    csv_table = person_table(data, path, spec) if data is not None else None
    table, workbook, unread = csv_table, None, []
    for candidate in workbooks_beside(path):
        digest = file_sha256(candidate)
        if digest == ledger.workbooks.get(candidate.name):
            continue  # this version was seen by an earlier run
        saved_after = csv_table is None or not csv_table.rows or candidate.stat().st_mtime > path.stat().st_mtime
        if not saved_after:
            unread.append(candidate)
        elif candidate.suffix != ".xlsx":
            raise ScreeningFileError(
                f"saved as {candidate.suffix} after {path.name}; litsieve reads CSV (and .xlsx) only",
                file=str(candidate),
                hint=f"open it and save it as 'Text CSV' / 'CSV UTF-8' under the name {path.name} (replace the "
                     f"old one), then delete {candidate.name}",
            )
        else:
            table = read_workbook(candidate, spec, csv_table.delimiter if csv_table else ",")
            workbook = candidate
    state = PersonState(path, table or PersonTable(path, list(spec.columns), []), ledger,
                        len(csv_table.rows) if csv_table else 0,
                        version=hashlib.sha256(data).hexdigest() if data is not None else "",
                        workbook=workbook, unread_workbooks=unread)
    _put_back(state, spec)
    return state


def _put_back(state: PersonState, spec: PersonFileSpec) -> None:
    """Rows and columns with typed cells that the file lost since the last run, from the ledger."""
    table, typed = state.table, state.ledger.typed
    had_values = sorted({c for cells in typed.values() for c in cells})
    missing = [c for c in had_values if c not in table.columns]
    if missing and table.rows:
        unknown = [c for c in table.extra_columns(spec)
                   if c not in had_values and any(row.get(c).strip() for row in table.rows)]
        if unknown:
            raise ScreeningFileError(
                f"the column '{missing[0]}' is missing from the header and '{unknown[0]}' is new: litsieve finds "
                f"columns by name, so every '{missing[0]}' would be read as empty",
                file=str(table.path), row=1, field=missing[0],
                hint=f"rename '{unknown[0]}' back to '{missing[0]}' (the other columns stay as they are); nothing "
                     "has been changed",
            )
    by_key = table.by_key()
    for column in missing:
        table.columns.append(column)
        for key, row in by_key.items():
            row.values[column] = typed.get(key, {}).get(column, "")
        if any(column in typed.get(key, {}) for key in by_key):
            state.restored_columns.append(column)
    for key, cells in typed.items():
        if key not in by_key:
            table.rows.append(PersonRow(key, {spec.key: key, **cells}))
            state.restored_rows.append(key)
            for column in cells:
                if column not in table.columns:
                    table.columns.append(column)


def update_person_file(
    people: str | os.PathLike[str],
    spec: PersonFileSpec,
    generated: Sequence[Mapping[str, Any]],
    *,
    aliases: Mapping[str, str] | None = None,
    order: Callable[[list[PersonRow]], list[PersonRow]] | None = None,
    state: PersonState | None = None,
) -> Merge:
    """Merge ``generated`` rows into the person file ``spec`` describes, and write it.

    Reads (and validates) the file, its workbook and its orphans file before anything is
    written, so a bad file stops the run with nothing changed (``state``: the file as
    :func:`read_person_state` read it earlier in the same run; a file saved since is not
    written over). ``order`` may rearrange the merged rows (for example undecided rows
    first, by priority); it must return the same rows. The file's lock
    (:func:`person_file_lock`) is held throughout, so the screening page cannot save a
    decision between this read and this write. Everything a person should know (rows put
    back, a workbook read, rows moved to the orphans file) is logged as a warning, which the
    workflow prints at the end of the run.
    """
    people = Path(people)
    with person_file_lock(people, spec.relative):
        return _update_person_file(people, spec, generated, aliases=aliases, order=order, state=state)


def _update_person_file(
    people: Path,
    spec: PersonFileSpec,
    generated: Sequence[Mapping[str, Any]],
    *,
    aliases: Mapping[str, str] | None,
    order: Callable[[list[PersonRow]], list[PersonRow]] | None,
    state: PersonState | None,
) -> Merge:
    path = spec.path(people)
    state = state or read_person_state(people, spec)
    existing = state.table
    orphan_file = orphans_path(people, spec.relative)
    # Orphans are an archive: a reason list changed in the protocol must not block the run.
    orphans = read_person_file(orphan_file, replace(spec, choices={}, help={})) if orphan_file.exists() else None
    issued = read_issued(people, spec.relative)
    if not issued:
        # A file from before litsieve tracked issued ids: trust the ids it holds.
        issued = {row.key for row in existing.rows}
    merge = merge_rows(spec, existing, generated, issued=issued, aliases=aliases, orphans=orphans)
    if order is not None:
        ordered = order(list(merge.rows))
        if sorted(r.key for r in ordered) != sorted(r.key for r in merge.rows):
            raise ValueError("order() must return the same rows it was given")
        merge.rows = ordered

    history = history_dir(people, spec.relative)
    generated_columns = spec.generated_columns
    if merge.orphans or orphan_file.exists():
        write_if_changed(
            orphan_file,
            person_csv_bytes(merge.columns, sorted(merge.orphans, key=lambda r: r.key),
                             generated=generated_columns, delimiter=merge.delimiter),
            history=history_dir(people, f"{ORPHANS_DIR}/{spec.relative}"),
            keep=bool(orphans and orphans.rows),
        )
    issued_now = sorted(issued | {row.key for row in merge.rows})
    ids_file = issued_path(people, spec.relative)
    ids_text = "".join(f"{key}\n" for key in issued_now)
    if not ids_file.exists() or ids_file.read_text(encoding="utf-8") != ids_text:
        atomic_write_text(ids_file, ids_text)
    saved_meanwhile(state)
    write_if_changed(
        path,
        person_csv_bytes(merge.columns, merge.rows, generated=generated_columns, delimiter=merge.delimiter,
                         help=spec.help),
        history=history,
        keep=state.on_disk > 0,
    )
    person_columns = [c for c in merge.columns if c not in generated_columns]
    ledger = Ledger({row.key: cells for row in merge.rows if (cells := typed_cells(row, person_columns))},
                    {wb.name: file_sha256(wb) for wb in workbooks_beside(path)})
    ledger_file = ledger_path(people, spec.relative)
    if not ledger_file.exists() or ledger_file.read_text(encoding="utf-8") != ledger.to_json():
        atomic_write_text(ledger_file, ledger.to_json())
    for line in state.problems():
        LOG.warning("%s", line)
    _log_merge(path, merge, existing, issued, orphan_file, history, state)
    return merge


def saved_meanwhile(state: PersonState) -> None:
    """Refuse to replace a file saved after ``state`` was read (a spreadsheet saving while
    the run merges, a screening page's edit against a file changed on disk): the merge
    would write over what was typed in between."""
    now = file_sha256(state.path) if state.path.exists() else ""
    if now != state.version:
        raise ScreeningFileError(
            "was saved while litsieve was merging it; it has not been overwritten", file=str(state.path),
            hint="close it in the spreadsheet and rerun (`snakemake`): the next run merges what was saved",
        )


def _log_merge(path: Path, merge: Merge, existing: PersonTable, issued: set[str], orphan_file: Path,
               history: Path, state: PersonState) -> None:
    had = existing.by_key()
    new_orphans = [r.key for r in merge.orphans if r.key in had]
    if new_orphans:
        LOG.warning("%s: %d row(s) with decisions belong to records no longer in the review (%s); they were "
                    "moved, with everything typed in them, to %s", path, len(new_orphans), _some(new_orphans),
                    orphan_file)
    if merge.restored:
        LOG.warning("%s: %d record(s) are back in the review; their rows were restored from %s",
                    path, len(merge.restored), orphan_file)
    for old, new in sorted(merge.rekeyed.items()):
        LOG.info("%s: decisions on %s now belong to %s (the same work)", path, old, new)
    vanished = [key for key in merge.appended if state.on_disk and key in issued]
    if vanished:
        LOG.info("%s: %d row(s) without typed cells were missing from the file and were added back (%s)",
                 path, len(vanished), _some(vanished))
    if len(merge.appended) > len(vanished):
        LOG.info("%s: %d new record(s) appended", path, len(merge.appended) - len(vanished))


# --------------------------------------------------------------------------- editing beside the spreadsheet
#
# The screening page (``litsieve screen serve``) writes one decision at a time into a file
# that a spreadsheet may also have open and a workflow run may rewrite. It keeps the file
# as it last read or wrote it (a :class:`Snapshot`) and merges its cells into whatever is
# on disk now (:func:`merge_person_cells`), so an edit made elsewhere is never written over.


@contextlib.contextmanager
def person_file_lock(people: str | os.PathLike[str], relative: str) -> Iterator[None]:
    """Hold the advisory lock of one person file (a ``.lock`` file beside its history).

    Every litsieve writer of a person file takes it (a workflow run, the screening page),
    so neither can write between the other's read and write. Spreadsheets do not take
    it; their saves are detected from the file's content instead. Where the platform has
    no ``fcntl`` (Windows) the lock is a no-op and content detection alone applies.
    """
    try:
        import fcntl
    except ImportError:  # pragma: no cover - Windows
        yield
        return
    lock = history_dir(Path(people), relative) / f"{Path(relative).name}.lock"
    lock.parent.mkdir(parents=True, exist_ok=True)
    with open(lock, "a+b") as handle:
        fcntl.flock(handle.fileno(), fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle.fileno(), fcntl.LOCK_UN)


@dataclass(frozen=True)
class FileStamp:
    """What ``stat`` says about a file: a save by anyone changes at least one of these."""

    inode: int
    size: int
    mtime_ns: int

    @classmethod
    def of(cls, path: str | os.PathLike[str]) -> "FileStamp | None":
        try:
            info = os.stat(path)
        except FileNotFoundError:
            return None
        return cls(info.st_ino, info.st_size, info.st_mtime_ns)


@dataclass
class Snapshot:
    """A person file as a long-running process last read or wrote it.

    ``data`` is the file's bytes then: a file whose ``stat`` changed is compared with it
    byte for byte, so a save that changed nothing is no edit. ``ours`` says this process
    wrote this version (it need not be kept in the history again). ``lines`` caches each
    row as written, so that writing one decision into a file of 10,000 rows encodes one
    row, not 10,000.
    """

    table: PersonTable
    stamp: FileStamp | None
    data: bytes
    ours: bool = False
    lines: dict[str, bytes] = field(default_factory=dict, repr=False)

    def encode(self, spec: PersonFileSpec) -> None:
        """Fill :attr:`lines` now (a long-running process does it before the first write)."""
        if not self.lines and self.table.rows:
            self.lines = _encode_rows(spec, self.table, None, set())

    def row(self, key: str) -> PersonRow | None:
        return self.index().get(key)

    def index(self) -> dict[str, PersonRow]:
        """The rows by key (built once per snapshot)."""
        index = self.__dict__.get("_by_key")
        if index is None or len(index) != len(self.table.rows):
            index = self.table.by_key()
            self.__dict__["_by_key"] = index
        return index


def read_snapshot(path: str | os.PathLike[str], spec: PersonFileSpec) -> Snapshot:
    """Read a person file (see :func:`read_person_file`) and remember its bytes and stamp.

    A missing file reads as a header with no rows."""
    path = Path(path)
    stamp = FileStamp.of(path)
    data = path.read_bytes() if stamp is not None else b""
    return _snapshot_of(path, spec, data, stamp)


def _snapshot_of(path: Path, spec: PersonFileSpec, data: bytes, stamp: FileStamp | None) -> Snapshot:
    if not data:
        return Snapshot(PersonTable(path, list(spec.columns), []), stamp, data)
    text, encoding = decode_person_bytes(data, path)
    table = parse_person_text(text, spec, path)
    table.encoding = encoding
    return Snapshot(table, stamp, data)


def _stable(stamp: FileStamp, settle: float) -> bool:
    """Not being written: changed at least ``settle`` seconds ago, and not empty (a program
    saving in place truncates the file first, and on some file systems the truncation
    leaves the old time stamp: an empty person file is a save in progress)."""
    return stamp.size > 0 and time.time() - stamp.mtime_ns / 1e9 >= settle


def read_settled(path: str | os.PathLike[str], settle: float = 0.0, *, timeout: float = 30.0) -> tuple[bytes, FileStamp | None]:
    """The file's bytes once nobody is writing it (:func:`_stable`, with ``settle`` > 0),
    unchanged while they were read. ``b""`` for a missing file."""
    deadline = time.monotonic() + timeout
    while True:
        stamp = FileStamp.of(path)
        if stamp is None:
            return b"", None
        if settle > 0 and not _stable(stamp, settle) and time.monotonic() < deadline:
            time.sleep(0.1)
            continue
        data = Path(path).read_bytes()
        if FileStamp.of(path) == stamp or time.monotonic() >= deadline:
            return data, stamp


def settled(path: str | os.PathLike[str], settle: float) -> bool:
    """Whether nobody is writing the file now (see :func:`_stable`); a missing file is settled."""
    stamp = FileStamp.of(path)
    return stamp is None or _stable(stamp, settle)


def changed_on_disk(snapshot: Snapshot, path: str | os.PathLike[str]) -> bool:
    """Whether someone saved the file with other content since ``snapshot`` was taken."""
    stamp = FileStamp.of(path)
    if stamp == snapshot.stamp:
        return False
    if stamp is None:
        return True
    return Path(path).read_bytes() != snapshot.data


@dataclass(frozen=True)
class CellConflict:
    """A cell this process wanted to set that someone else set to another value meanwhile.

    ``disk`` (what they typed) stays in the file; ``ours`` was not written."""

    key: str
    column: str
    base: str
    disk: str
    ours: str


@dataclass
class CellMerge:
    """What :func:`merge_person_cells` did.

    ``snapshot`` is the file as it is now (as written, or as read when nothing needed
    writing); ``written`` the keys whose cells now hold the requested values;
    ``conflicts`` the cells left as someone else typed them; ``external`` whether the
    file had been saved by someone else since the base snapshot; ``restored`` the keys
    whose row or cells a save had dropped and that were put back; ``gone`` the keys whose
    rows a workflow run moved to the orphans file (their records left the review).
    """

    snapshot: Snapshot
    written: list[str]
    conflicts: list[CellConflict]
    external: bool
    restored: list[str]
    gone: list[str] = field(default_factory=list)


def merge_person_cells(
    people: str | os.PathLike[str],
    spec: PersonFileSpec,
    changes: Mapping[str, Mapping[str, str]],
    base: Snapshot,
    *,
    templates: Mapping[str, Mapping[str, str]] | None = None,
    settle: float = 0.0,
) -> CellMerge:
    """Set person cells of some rows, merging with whatever the file holds on disk now.

    ``changes`` maps record ids to person columns and the values this process wants;
    ``base`` is the file as this process last read or wrote it. The file is read again
    under its lock (:func:`person_file_lock`); for each cell, with *base* what this
    process saw, *disk* what the file holds and *ours* the value wanted:

    - disk equals base (nobody else touched the cell) or ours: ours is written;
    - disk is empty where base was not (a spreadsheet saved a copy opened before our
      write, or deleted the row): ours is written back, so no save can drop a decision;
    - disk holds another value: someone typed it elsewhere. It is kept, and the row's
      cells are reported as :class:`CellConflict` instead of written (a decision and its
      reason belong together).

    Every other row and cell is left exactly as on disk. A row missing from the file is
    appended again from ``base`` (its generated cells) or, for a record the file never
    had, from ``templates`` (its generated cells by key); an appended key is added to the
    file's issued ids. A row the workflow moved to the orphans file (its record left the
    review) is not brought back: it is reported in ``gone``, and its cells stay in the
    orphans file, which gives them back if the record returns. The version replaced is kept in the history unless this process
    wrote it itself. Raises :class:`ScreeningFileError` when the file on disk cannot be
    read (nothing is written then) and ``ValueError`` for a value the spec does not allow.

    A program that saves in place (rather than by renaming a finished file) leaves a
    half-written file for a moment; a version saved elsewhere is therefore read only once
    it is ``settle`` seconds old and did not change while being read.
    """
    people = Path(people)
    path = spec.path(people)
    templates = templates or {}
    for cells in changes.values():
        for column, value in cells.items():
            if column not in spec.person_columns:
                raise ValueError(f"{column!r} is not a person column of {spec.relative}")
            if value.strip() and column in spec.choices and not spec.choice(column, value):
                raise ValueError(f"{value!r} is not a valid {column} in {spec.relative}")
    with person_file_lock(people, spec.relative):
        stamp = FileStamp.of(path)
        current, external = base, False
        if stamp != base.stamp:
            data, stamp = read_settled(path, settle)
            if data == base.data:
                current = replace(base, stamp=stamp)
            elif not data.strip() and base.table.rows:
                raise ScreeningFileError(
                    "the file is empty on disk (cut short while saving?)", file=str(path),
                    hint="save it again from the spreadsheet, or restore it from the .history folder; "
                         "nothing was written")
            else:
                current, external = _snapshot_of(path, spec, data, stamp), True
        rows = list(current.table.rows)
        position = {row.key: index for index, row in enumerate(rows)}
        columns = list(current.table.columns)
        changed: set[str] = set()
        written: list[str] = []
        restored: list[str] = []
        conflicts: list[CellConflict] = []
        appended: list[str] = []
        gone: list[str] = []
        orphaned: set[str] | None = None
        for key, cells in changes.items():
            seen = base.row(key)
            index = position.get(key)
            if index is None and seen is not None:
                if orphaned is None:
                    orphaned = _orphan_keys(people, spec)
                if key in orphaned:
                    gone.append(key)
                    continue
            if index is None:
                source = seen.values if seen is not None else templates.get(key)
                if source is None:
                    raise ValueError(f"record {key!r} is not in {spec.relative} and has no template")
                values = {column: "" for column in spec.columns}
                values.update({c: str(v) for c, v in source.items()})
                values.update({spec.key: key, **cells})
                position[key] = len(rows)
                rows.append(PersonRow(key, values))
                changed.add(key)
                written.append(key)
                appended.append(key)
                if seen is not None:
                    restored.append(key)
                continue
            row = rows[index]
            wanted: dict[str, str] = {}
            clash: list[CellConflict] = []
            put_back = False
            for column, ours in cells.items():
                disk = row.get(column)
                before = seen.get(column) if seen is not None else ""
                if disk == ours:
                    continue
                if disk == before:
                    wanted[column] = ours
                elif not disk.strip():
                    wanted[column] = ours
                    put_back = True
                else:
                    clash.append(CellConflict(key, column, before, disk, ours))
            if clash:
                conflicts += clash
                continue
            written.append(key)
            if put_back:
                restored.append(key)
            if wanted:
                rows[index] = PersonRow(key, {**row.values, **wanted}, row.line)
                changed.add(key)
        if not changed:
            return CellMerge(current, written, conflicts, external, restored, gone)
        for column in spec.columns:
            if column not in columns:  # a person column deleted in the spreadsheet comes back
                columns.append(column)
        table = PersonTable(path, columns, rows, current.table.delimiter, "utf-8-sig")
        lines = _encode_rows(spec, table, base, changed, compare=external)
        data = b"".join([(UTF8_BOM + header_lines(columns, table.delimiter, spec.help)).encode("utf-8"),
                         *(lines[row.key] for row in rows)])
        if stamp is not None and not (current.ours and not external) and current.table.rows:
            keep_previous_version(path, history_dir(people, spec.relative))
        atomic_write_bytes(path, data)
        _note_in_ledger(people, spec, [c for c in columns if c not in spec.generated_columns],
                        [row for row in rows if row.key in changed])
        if appended:
            issued = read_issued(people, spec.relative) | {row.key for row in current.table.rows} | set(appended)
            atomic_write_text(issued_path(people, spec.relative), "".join(f"{key}\n" for key in sorted(issued)))
        snapshot = Snapshot(table, FileStamp.of(path), data, ours=True, lines=lines)
        return CellMerge(snapshot, written, conflicts, external, restored, gone)


def _note_in_ledger(people: Path, spec: PersonFileSpec, person_columns: Sequence[str],
                    rows: Sequence[PersonRow]) -> None:
    """Record the rows this process just wrote in the file's :class:`Ledger`.

    Without this, a decision made on the screening page and then lost from the CSV (the
    row deleted in a spreadsheet, the file deleted) before the next workflow run could not
    be put back: the ledger would only know what the last run saw. Only the written rows
    change; a row deleted in a spreadsheet meanwhile keeps its entry, so it still comes back.
    """
    ledger = read_ledger(people, spec.relative)
    before = ledger.to_json()
    for row in rows:
        cells = typed_cells(row, person_columns)
        if cells:
            ledger.typed[row.key] = cells
        else:
            ledger.typed.pop(row.key, None)  # cleared on the page: the person's decision
    if ledger.to_json() != before:
        atomic_write_text(ledger_path(people, spec.relative), ledger.to_json())


def _orphan_keys(people: Path, spec: PersonFileSpec) -> set[str]:
    path = orphans_path(people, spec.relative)
    if not path.exists():
        return set()
    return {row.key for row in read_person_file(path, replace(spec, choices={})).rows}




def _encode_rows(spec: PersonFileSpec, table: PersonTable, previous: Snapshot | None, changed: set[str],
                 *, compare: bool = True) -> dict[str, bytes]:
    """Each row as :func:`person_csv_bytes` writes it.

    A row not in ``changed`` reuses its line from ``previous`` when the columns and the
    delimiter are the same and (with ``compare``) its cells are too."""
    guard = set(spec.generated_columns)
    reuse = (previous.lines if previous is not None and previous.table.columns == table.columns
             and previous.table.delimiter == table.delimiter else {})
    if reuse and not compare:
        # The usual case (one decision into the file as this process left it): copy, then
        # encode only the rows that changed or are new.
        lines = dict(reuse)
        todo = [row for row in table.rows if row.key in changed or row.key not in lines]
    else:
        lines, todo = {}, []
        for row in table.rows:
            line = reuse.get(row.key) if row.key not in changed else None
            if line is not None and compare:
                before = previous.row(row.key) if previous is not None else None
                if before is None or before.values != row.values:
                    line = None
            if line is None:
                todo.append(row)
            else:
                lines[row.key] = line
    for row in todo:
        lines[row.key] = _row_line(row, table.columns, guard, table.delimiter).encode("utf-8")
    return lines
