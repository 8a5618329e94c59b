"""Database indexing that PsycINFO exports keep in a note.

EBSCOhost's RIS exports of APA PsycInfo put the database's indexing in the ``N1`` note,
which the RIS reader keeps in the record's ``extra``. It is read here, by the importers
that own the format, for every stage that wants it (the eligibility criteria read document
type, methodology and age groups: indexers assigned them from the full paper).
"""

from __future__ import annotations

import re

from litsieve.record import Record

# PsycINFO (EBSCOhost RIS) puts its indexing in the N1 note: "... Document Type: Chapter.
# ... Age Group: Adolescence (13-17 yrs) (200). Methodology: Literature Review." Document
# type and methodology are publication types in all but name; age groups are assigned by
# indexers who read the whole paper.
_NOTE_FIELD = re.compile(r"(Document Type|Methodology|Age Group):\s*(.*?)(?:\.(?=\s+[A-Z][^.:;]{0,40}:)|\.?\s*$)")


def database_indexing(record: Record) -> dict[str, list[str]]:
    """Document type, methodology and age groups a database put in the record's notes."""
    notes = record.extra.get("N1", "")
    found: dict[str, list[str]] = {}
    for note in notes if isinstance(notes, list) else [notes]:
        for match in _NOTE_FIELD.finditer(str(note)):
            values = [v.strip() for v in match.group(2).split(";") if v.strip()]
            found.setdefault(match.group(1), []).extend(v for v in values if v not in found.get(match.group(1), []))
    return found
