"""Reading an export file's bytes as text, whatever the database or reference manager wrote.

Exports arrive as UTF-8 with or without a byte-order mark, UTF-16 (EndNote on Windows),
with CRLF or bare CR line endings, and now and then in Windows-1252 from old tools. The
text is decoded once here, with ``\\n`` line endings, so every parser sees the same
shape and line numbers in error messages match what an editor shows. Files that are not
text at all (a PDF, a zip of exports, an Excel workbook) are refused with a hint.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Iterator

from litsieve.errors import ImportFormatError
from litsieve.logs import get_logger

LOG = get_logger("importers")

# Magic numbers of files people drop into an exports folder by mistake.
_BINARY_SIGNATURES: tuple[tuple[bytes, str], ...] = (
    (b"%PDF", "a PDF document"),
    (b"PK\x03\x04", "a ZIP archive (an .xlsx workbook is one too; save it as CSV)"),
    (b"\x1f\x8b", "a gzip archive (decompress it first)"),
    (b"\xd0\xcf\x11\xe0", "an old Office document (.xls/.doc; save it as CSV or text)"),
    (b"7z\xbc\xaf", "a 7-Zip archive"),
    (b"Rar!", "a RAR archive"),
    (b"\x89PNG", "a PNG image"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"SQLite format 3", "an SQLite database (export the library as RIS or XML instead)"),
)
_NON_ASCII = re.compile(r"[^\x00-\x7f]")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f]")
_XML_DECLARATION = re.compile(r"^(\s*<\?xml[^>]*?)\s+encoding\s*=\s*[\"'][^\"']*[\"']")


@dataclass(frozen=True)
class ExportFile:
    """One export file: where it is, and its text with ``\\n`` line endings."""

    path: str
    text: str
    encoding: str

    def lines(self, start: int = 0) -> Iterator[str]:
        """The lines from character offset ``start`` on, one at a time (no list of all lines)."""
        text = self.text
        end_of_text = len(text)
        while start < end_of_text:
            end = text.find("\n", start)
            if end < 0:
                yield text[start:]
                return
            yield text[start:end]
            start = end + 1

    def head_lines(self, count: int) -> list[str]:
        """The first ``count`` lines, without splitting the whole text."""
        head: list[str] = []
        for line in self.lines():
            if len(head) == count:
                break
            head.append(line)
        return head

    def offset_after_line(self, number: int) -> int:
        """Character offset where line ``number + 1`` starts."""
        offset = 0
        for _ in range(number):
            found = self.text.find("\n", offset)
            if found < 0:
                return len(self.text)
            offset = found + 1
        return offset

    def xml_bytes(self) -> bytes:
        """The text as UTF-8 for an XML parser, its encoding declaration made to match."""
        return _XML_DECLARATION.sub(r"\1", self.text, count=1).encode("utf-8")


def decode(data: bytes, path: str) -> tuple[str, str]:
    """``(text, encoding name)``; raises :class:`ImportFormatError` for non-text files."""
    for signature, what in _BINARY_SIGNATURES:
        if data.startswith(signature):
            raise ImportFormatError(
                f"this is {what}, not a bibliographic export", file=path, line=1,
                hint="export the records from the database as RIS, MEDLINE, XML, BibTeX or CSV",
            )
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        text, encoding = _lenient(data, "utf-16", path), "utf-16"
    elif _looks_like_bomless_utf16(data):
        encoding = "utf-16-le" if data[1:2] == b"\x00" else "utf-16-be"
        text = _lenient(data, encoding, path)
    else:
        # With or without a byte-order mark, a damaged byte is treated alike: a warning
        # naming its line, never a refused file.
        bom = data.startswith(b"\xef\xbb\xbf")
        body = data[3:] if bom else data
        try:
            text, encoding = body.decode("utf-8"), "utf-8-sig" if bom else "utf-8"
        except UnicodeDecodeError as exc:
            line = body.count(b"\n", 0, exc.start) + 1
            text, encoding = _fallback(body)
            LOG.warning("%s: not valid UTF-8 (first bad byte on line %d); read as %s, "
                        "check accented characters", path, line, encoding)
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    _refuse_binary(text, path)
    return text, encoding


def read_export(path: str | Path) -> ExportFile:
    """Read and decode one export file; an unreadable or empty file is an error."""
    name = str(path)
    try:
        data = Path(path).read_bytes()
    except FileNotFoundError:
        raise ImportFormatError("file not found", file=name,
                                hint="check the path in config/config.yaml `sources`") from None
    except IsADirectoryError:
        raise ImportFormatError("is a folder, not an export file", file=name,
                                hint="list the export files themselves") from None
    except OSError as exc:
        raise ImportFormatError(f"cannot read the file: {exc.strerror}", file=name) from None
    text, encoding = decode(data, name)
    if not text.strip():
        raise ImportFormatError("the file is empty", file=name, line=1,
                                hint="export the records again; the download may have failed")
    return ExportFile(path=name, text=text, encoding=encoding)


def _fallback(data: bytes) -> tuple[str, str]:
    """Text from bytes that are not valid UTF-8.

    Mostly-valid UTF-8 with a few damaged bytes stays UTF-8 (the damage becomes U+FFFD);
    otherwise the file is a legacy Windows-1252 (or Latin-1) export.
    """
    lenient = data.decode("utf-8", errors="replace")
    damaged = lenient.count("\ufffd")
    if len(_NON_ASCII.findall(lenient)) - damaged > damaged:
        return lenient, "utf-8 (damaged bytes replaced)"
    try:
        return data.decode("cp1252"), "cp1252"
    except UnicodeDecodeError:
        return data.decode("latin-1"), "latin-1"


def _lenient(data: bytes, encoding: str, path: str) -> str:
    """Text in ``encoding``; damaged bytes become U+FFFD with a warning naming the line."""
    try:
        return data.decode(encoding)
    except UnicodeDecodeError as exc:
        line = data[:exc.start].decode(encoding, errors="replace").count("\n") + 1
        LOG.warning("%s: not valid %s (first bad bytes on line %d); damaged characters "
                    "replaced, check that line", path, encoding, line)
        return data.decode(encoding, errors="replace")


def _looks_like_bomless_utf16(data: bytes) -> bool:
    """Mostly-ASCII UTF-16 has a NUL in every other byte."""
    sample = data[:4096]
    if len(sample) < 8:
        return False
    even, odd = sample[0::2], sample[1::2]
    return (odd.count(0) > 0.9 * len(odd) and even.count(0) == 0) or (
        even.count(0) > 0.9 * len(even) and odd.count(0) == 0
    )


def _refuse_binary(text: str, path: str) -> None:
    """Text with NULs or many control characters is a binary file, not an export."""
    sample = text[:65536]
    controls = _CONTROL.findall(sample)
    if "\x00" in sample or len(controls) > max(8, len(sample) // 100):
        position = _CONTROL.search(sample)
        line = sample.count("\n", 0, position.start() if position else 0) + 1
        raise ImportFormatError(
            "this is a binary file, not a bibliographic export", file=path, line=line,
            hint="export the records from the database as RIS, MEDLINE, XML, BibTeX or CSV",
        )
