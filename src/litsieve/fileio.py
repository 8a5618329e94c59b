"""Atomic, reproducible file writing and spreadsheet-safe CSV.

Every file litsieve writes goes through :func:`atomic_write_text` (write to a temporary
file in the same folder, fsync, rename), so an interrupted run never leaves half a file,
and a person's file is never seen half-written. Files people edit also get their previous
version kept (:func:`keep_previous_version`).

Every CSV litsieve writes is safe to open in a spreadsheet (formula injection): a cell a
spreadsheet would evaluate gets a leading apostrophe, which Excel and LibreOffice show as
text (:func:`neutralise_cell`), and every reader takes it off again
(:func:`unneutralise_cell`), so the round trip is exact for any text. Cells people typed
in their own files are written back exactly as typed. A cell holding a comma, semicolon,
tab, quote or line break is quoted whatever the delimiter, so a spreadsheet in a locale
that splits on semicolons does not cut ``a;=1+1`` into a formula cell.

The files the workflow writes for its next stage are read back with :func:`read_csv` /
:func:`iter_csv` (required columns checked, neutralised cells restored, an error naming
the file), and every CSV reader in litsieve shares one field-size limit
(:data:`CSV_FIELD_LIMIT`, set when this module is imported).
"""

from __future__ import annotations

import contextlib
import csv
import hashlib
import io
import json
import os
import re
import shutil
import tempfile
from pathlib import Path
from typing import IO, Any, Iterable, Iterator, Mapping, Sequence

from litsieve.errors import FileAccessError, LitsieveError

# What Excel and LibreOffice evaluate when they open a CSV (docs/screening.md, "Formulas"):
# a cell starting with = or @ (Excel's @ functions), tab or CR (they hide the formula
# behind whitespace); one starting with + or - when it is an expression, not a plain
# number (-5, +1.5e3, -12%) or a word (-omics): an operator, parenthesis, reference mark
# or quote after the sign (-1+1, -A1:A9, +cmd|' /C calc'!A0, -HYPERLINK("x")), or a cell
# reference (-A1).
ALWAYS_EVALUATED = ("=", "@", "\t", "\r")
_SIGNED_EXPRESSION = re.compile(r"[+\-](?:.*[()=+\-*/^&<>!|:\"';,]|\$?[A-Za-z]{1,3}\$?[0-9]+\b)", re.DOTALL)
_NEEDS_QUOTES = re.compile(r'[,;\t"\r\n]')
#: The largest CSV cell litsieve reads: an abstract with a reference list, or a Scopus
#: export's references, runs to megabytes, well past the csv module's 128 KiB default.
CSV_FIELD_LIMIT = 1 << 30
csv.field_size_limit(CSV_FIELD_LIMIT)


@contextlib.contextmanager
def atomic_open(path: str | os.PathLike[str], mode: str = "wb", **kwargs: Any) -> Iterator[IO[Any]]:
    """Open a temporary file beside ``path`` and move it over ``path`` only on success.

    Readers see the old file or the complete new one, never half of it; a failure leaves
    the old file untouched. Streaming through this keeps memory flat for large outputs.
    """
    target = writable_target(path)
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    try:
        os.chmod(tmp, _file_mode(target))
        with os.fdopen(fd, mode, **kwargs) as handle:
            yield handle
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, target)
    except BaseException:
        if os.path.exists(tmp):
            os.unlink(tmp)
        raise


def writable_target(path: str | os.PathLike[str]) -> Path:
    """The file a write to ``path`` replaces: a symbolic link is followed, so the file it
    points to is updated (replacing the link with a file would leave later edits made at
    the target unread); an empty name or a folder is refused before anything is written."""
    if not os.fspath(path):
        raise FileAccessError("no file name given", file="''", hint="give the path of the file to write")
    target = Path(path)
    if target.is_symlink():
        target = target.resolve()
    if target.is_dir():
        raise FileAccessError("is a folder, not a file", file=str(path),
                              hint="give a file name inside the folder, for example one ending in .csv")
    return target


def _file_mode(target: Path) -> int:
    """The mode a new file would get (mkstemp makes 0600), or the existing file's mode."""
    if target.exists():
        return target.stat().st_mode & 0o777
    umask = os.umask(0)
    os.umask(umask)
    return 0o666 & ~umask


def atomic_write_bytes(path: str | os.PathLike[str], data: bytes) -> None:
    """Replace ``path`` with ``data`` in one step; readers see the old or the new file."""
    with atomic_open(path, "wb") as handle:
        handle.write(data)


def atomic_write_text(path: str | os.PathLike[str], text: str, encoding: str = "utf-8") -> None:
    """Text version of :func:`atomic_write_bytes` (``\\n`` line endings, no BOM)."""
    atomic_write_bytes(path, text.encode(encoding))


def write_json(path: str | os.PathLike[str], data: Any) -> None:
    """Deterministic JSON: sorted keys, two-space indent, trailing newline."""
    atomic_write_text(path, json.dumps(data, indent=2, sort_keys=True, ensure_ascii=False) + "\n")


def evaluated(value: str) -> bool:
    """Would a spreadsheet run this cell as a formula (the rules above ``ALWAYS_EVALUATED``)?"""
    return value.startswith(ALWAYS_EVALUATED) or bool(_SIGNED_EXPRESSION.match(value))


def _guarded(value: str) -> bool:
    # A text that already starts with apostrophes before a formula is guarded once more,
    # so unneutralise_cell(neutralise_cell(v)) == v for every v.
    return evaluated(value.lstrip("'"))


_FORMULA_STARTS = frozenset("'+-").union(ALWAYS_EVALUATED)


def neutralise_cell(value: str) -> str:
    """Prefix a cell a spreadsheet would run as a formula with ``'`` (shown as text)."""
    if not value or value[0] not in _FORMULA_STARTS:
        return value  # the common case, decided by one character (millions of cells per file)
    return "'" + value if _guarded(value) else value


def unneutralise_cell(value: str) -> str:
    """Undo :func:`neutralise_cell` when reading back a file litsieve wrote."""
    if value[:1] == "'" and _guarded(value[1:]):
        return value[1:]
    return value


def csv_line(cells: Sequence[str], delimiter: str = ",", line_terminator: str = "\n") -> str:
    """One CSV row: a cell is quoted when it holds a comma, semicolon, tab, quote or line
    break, whatever ``delimiter`` is (see the module docstring); nothing else changes."""
    quoted = [f'"{cell.replace(chr(34), chr(34) * 2)}"' if _NEEDS_QUOTES.search(cell) else cell for cell in cells]
    line = delimiter.join(quoted)
    return (line if line or len(cells) != 1 else '""') + line_terminator


def _write_csv_rows(handle: IO[str], rows: Iterable[Mapping[str, Any]], columns: Sequence[str],
                    line_terminator: str) -> None:
    handle.write(csv_line([neutralise_cell(c) for c in columns], line_terminator=line_terminator))
    for row in rows:
        cells = []
        for column in columns:
            value = row.get(column, "")
            cells.append(neutralise_cell("" if value is None else str(value)))
        handle.write(csv_line(cells, line_terminator=line_terminator))


def csv_text(rows: Iterable[Mapping[str, Any]], columns: Sequence[str], *, line_terminator: str = "\n") -> str:
    """Render rows as formula-safe CSV text."""
    buffer = io.StringIO()
    _write_csv_rows(buffer, rows, columns, line_terminator)
    return buffer.getvalue()


def write_csv(path: str | os.PathLike[str], rows: Iterable[Mapping[str, Any]], columns: Sequence[str]) -> None:
    """Atomically write a formula-safe UTF-8 CSV with ``\\n`` line endings (byte-stable across runs).

    Rows are streamed to disk, so a generator of rows never sits in memory whole.
    """
    with atomic_open(path, "w", encoding="utf-8", newline="") as handle:
        _write_csv_rows(handle, rows, columns, "\n")


def iter_csv(
    path: str | os.PathLike[str],
    *,
    required: Sequence[str] = (),
    delimiter: str = ",",
    error: type[LitsieveError] = LitsieveError,
    hint: str = "rerun `snakemake`: this file is written by the workflow",
) -> Iterator[dict[str, str]]:
    """The rows of a CSV file litsieve wrote, as column -> cell, neutralised cells restored.

    A missing file, or one without every ``required`` column, is an ``error`` naming the
    file (and the column). Rows stream, so a large file never sits in memory whole.
    """
    try:
        handle = open(path, newline="", encoding="utf-8")
    except FileNotFoundError:
        raise error("missing", file=str(path), hint=hint) from None
    with handle:
        reader = csv.reader(handle, delimiter=delimiter)
        columns = [unneutralise_cell(c) for c in next(reader, [])]
        missing = [c for c in required if c not in columns]
        if missing:
            raise error(f"missing column(s) {', '.join(missing)}", file=str(path), line=1,
                        field=missing[0], hint=hint)
        for cells in reader:
            if cells:
                yield {column: unneutralise_cell(cells[i]) if i < len(cells) else ""
                       for i, column in enumerate(columns)}


def read_csv(path: str | os.PathLike[str], **options: Any) -> list[dict[str, str]]:
    """Every row of :func:`iter_csv` (same options)."""
    return list(iter_csv(path, **options))


def file_sha256(path: str | os.PathLike[str]) -> str:
    """Hex SHA-256 of a file, for provenance records and change detection."""
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def keep_previous_version(path: str | os.PathLike[str], history_dir: str | os.PathLike[str] | None = None) -> Path | None:
    """Copy ``path`` into its ``.history/`` folder under a content-addressed name.

    Called before litsieve rewrites a file a person edits, so every earlier state can be
    recovered. Content addressing keeps this idempotent: rerunning does not pile up copies
    of an unchanged file.
    """
    source = Path(path)
    if not source.exists():
        return None
    folder = Path(history_dir) if history_dir else source.parent / ".history"
    folder.mkdir(parents=True, exist_ok=True)
    digest = file_sha256(source)[:16]
    backup = folder / f"{source.stem}.{digest}{source.suffix}"
    if not backup.exists():
        tmp = backup.with_name(backup.name + ".tmp")
        shutil.copy2(source, tmp)
        os.replace(tmp, backup)
    return backup
