"""litsieve's exception hierarchy.

Every error a user can cause derives from :class:`LitsieveError`, so the command line
can print one clear line (file, line or row, field, what to do) instead of a traceback.
The location is carried as data, not only in the message, so callers and tests can
check it.
"""

from __future__ import annotations

import errno
from dataclasses import dataclass


@dataclass
class Location:
    """Where in the user's input a problem is: file, line or row, and field."""

    file: str | None = None
    line: int | None = None
    row: int | None = None
    field: str | None = None

    def __str__(self) -> str:
        parts = []
        if self.file:
            parts.append(str(self.file))
        if self.line is not None:
            parts.append(f"line {self.line}")
        if self.row is not None:
            parts.append(f"row {self.row}")
        if self.field:
            parts.append(f"field '{self.field}'")
        return ", ".join(parts)


class LitsieveError(Exception):
    """Base class of every error litsieve reports to a user.

    ``hint`` says what to do about it.
    """

    def __init__(
        self,
        message: str,
        *,
        file: str | None = None,
        line: int | None = None,
        row: int | None = None,
        field: str | None = None,
        hint: str | None = None,
    ) -> None:
        self.message = message
        self.location = Location(
            file=str(file) if file is not None else None, line=line, row=row, field=field
        )
        self.hint = hint
        super().__init__(self.__str__())

    def __str__(self) -> str:
        where = str(self.location)
        text = f"{where}: {self.message}" if where else self.message
        if self.hint:
            text += f" ({self.hint})"
        return text


class ConfigError(LitsieveError):
    """The protocol in config/config.yaml is invalid or inconsistent."""


class TermError(LitsieveError):
    """A search or criterion term cannot be compiled (:mod:`litsieve.text.terms`); the
    caller re-raises it as a :class:`ConfigError` or :class:`QueryError` with its location."""


class ImportFormatError(LitsieveError):
    """An export file cannot be read: unknown format, truncated, binary or malformed."""


class QueryError(LitsieveError):
    """A search string cannot be parsed, or is ambiguous and the protocol does not resolve it."""


class SearchError(LitsieveError):
    """A live search failed: the service refused, kept failing, or the counts do not add up."""


class DedupError(LitsieveError):
    """Deduplication input or a person's duplicate review file is invalid."""


class ScreeningFileError(LitsieveError):
    """A screening, conflict or extraction file a person edited cannot be used as it is."""


class ConservationError(LitsieveError):
    """The PRISMA numbers do not add up; the diagram would be wrong, so none is drawn."""


class FileAccessError(LitsieveError):
    """A file or folder cannot be read or written: missing, a folder where a file is
    expected, no permission, the disk full. Built from the operating system's error by
    :meth:`from_os_error`, so every command says which path and what to do."""

    HINTS = {
        errno.ENOENT: "check the path: nothing of that name exists",
        errno.EISDIR: "give a file name, not a folder",
        errno.ENOTDIR: "a part of the path is a file, not a folder",
        errno.EACCES: "check the permissions of the file and its folder",
        errno.EPERM: "check the permissions of the file and its folder",
        errno.EROFS: "the file system is read-only: write somewhere else",
        errno.ENOSPC: "the disk is full: free some space and rerun",
        errno.EEXIST: "a file of that name is in the way: move it",
    }

    @classmethod
    def from_os_error(cls, exc: OSError) -> "FileAccessError":
        path = None if exc.filename is None else (str(exc.filename) or "''")
        reason = (exc.strerror or type(exc).__name__).rstrip(".")
        return cls(reason[:1].lower() + reason[1:], file=path,
                   hint=cls.HINTS.get(exc.errno or 0, "check the path and rerun"))


class ServeError(LitsieveError):
    """The screening page cannot start (no queue yet, a name not in the protocol) or
    cannot do what was asked (a full-text exclusion without a reason)."""
