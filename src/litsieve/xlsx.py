"""Excel workbooks: writing text cells that Excel accepts, reading what a person saved.

A workbook is XML, and XML 1.0 cannot hold most control characters (``\\x01``, a vertical
tab) that turn up in database titles and abstracts; openpyxl refuses them. They carry no
meaning, so :func:`text_cell` removes them from a workbook's copy of the text (the CSV
beside it keeps the text as it came). :func:`read_sheet` reads the first sheet of a
workbook a person saved (a screening queue saved as ``.xlsx`` instead of CSV) as rows of
text, every cell as the spreadsheet showed it.
"""

from __future__ import annotations

import datetime
import os
import re

from litsieve.errors import ScreeningFileError

# The characters XML 1.0 excludes (as openpyxl.cell.cell.ILLEGAL_CHARACTERS_RE).
_NOT_IN_XML = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")


def text_cell(value: str) -> str:
    """``value`` without the control characters a workbook cannot hold."""
    return _NOT_IN_XML.sub("", value)


def _text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime.datetime) and value.time() == datetime.time(0):
        return value.date().isoformat()
    return str(value)


def read_sheet(path: str | os.PathLike[str]) -> list[list[str]]:
    """The first sheet of a workbook as rows of text (formulas as their cached value)."""
    from openpyxl import load_workbook

    try:
        book = load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises zipfile, KeyError and its own errors on a bad file
        raise ScreeningFileError(f"cannot be read as an Excel workbook ({type(exc).__name__}: {exc})",
                                 file=str(path), hint="open it in your spreadsheet and save it as 'CSV UTF-8'") from None
    try:
        sheet = book.worksheets[0]
        return [[_text(value) for value in row] for row in sheet.iter_rows(values_only=True)]
    finally:
        book.close()
