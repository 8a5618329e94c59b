"""Writing RIS: records back to reference managers (the reader is :mod:`.ris`).

Written with CRLF line ends (EndNote's own), two-letter tags, ``AU`` once per author and
``ER`` closing each reference; the reference type comes from the record's publication
types, as one of the type codes the reader knows (:data:`litsieve.importers.ris.REFERENCE_TYPES`;
``tests/test_report_exports.py`` checks that each written record reads back with its type).
"""

from __future__ import annotations

from litsieve.record import Record

# Publication-type words -> RIS type code, first match wins ("Book Chapter" is a chapter);
# each code is one the reader knows.
RIS_TYPES = (
    ("dissertation", "THES"), ("thesis", "THES"), ("chapter", "CHAP"), ("book", "BOOK"),
    ("conference", "CONF"), ("proceedings", "CONF"), ("report", "RPRT"),
)

def ris_type(record: Record) -> str:
    text = " ".join(record.publication_types).casefold()
    return next((code for word, code in RIS_TYPES if word in text), "JOUR")


def pages_range(pages: str) -> tuple[str, str]:
    start, _, end = pages.replace("\u2013", "-").partition("-")
    return start.strip(), end.strip()


def one_line(text: str) -> str:
    return " ".join(str(text).split())


def ris_entry(record: Record, note: str) -> str:
    lines = [("TY", ris_type(record))]
    lines += [("AU", author) for author in record.authors]
    lines.append(("TI", record.title))
    if record.journal:
        lines.append(("T2" if ris_type(record) in ("CHAP", "CONF") else "JO", record.journal))
    if record.year:
        lines.append(("PY", str(record.year)))
    start, end = pages_range(record.pages)
    lines += [("VL", record.volume), ("IS", record.issue), ("SP", start), ("EP", end), ("SN", record.issn or record.isbn),
              ("DO", record.doi), ("UR", record.url or (f"https://doi.org/{record.doi}" if record.doi else "")),
              ("LA", record.language), ("AB", record.abstract)]
    lines += [("KW", keyword) for keyword in record.keywords]
    if record.pmid:
        lines.append(("AN", f"PMID:{record.pmid}"))
    lines += [("ID", record.record_id), ("N1", note), ("ER", "")]
    return "".join(f"{tag}  - {one_line(value)}\r\n" for tag, value in lines if value or tag == "ER")
