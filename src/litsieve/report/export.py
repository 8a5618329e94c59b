"""Records back to reference managers: RIS and BibTeX with the screening decision in a note.

Zotero, EndNote, Mendeley and JabRef all import RIS; BibTeX serves LaTeX users and
JabRef. Each record carries its decision and reason (``N1`` in RIS, ``note`` in BibTeX),
so that a reference library built from the exports shows why each study is in or out.

RIS is written with CRLF line ends (EndNote's own), two-letter tags, ``AU`` once per
author and ``ER`` closing each reference. BibTeX escapes the characters LaTeX treats as
commands and protects title capitalisation with braces; keys are ``surname + year + first
title word``, made unique with a/b/c suffixes, and stable for the same records.
"""

from __future__ import annotations

import os
import re
import unicodedata
from pathlib import Path
from typing import Mapping, Sequence

from litsieve.fileio import atomic_write_text
from litsieve.record import Record
from litsieve.stagefiles import StageDecision, read_stage_decisions

RIS_TYPES = (  # publication type words -> RIS reference type, first match wins
    ("dissertation", "THES"), ("thesis", "THES"), ("chapter", "CHAP"), ("book", "BOOK"),
    ("conference", "CONF"), ("proceedings", "CONF"), ("report", "RPRT"),
)
BIBTEX_TYPES = {"JOUR": "article", "THES": "phdthesis", "CHAP": "incollection", "BOOK": "book",
                "CONF": "inproceedings", "RPRT": "techreport"}
LATEX_SPECIAL = {"\\": r"\textbackslash{}", "{": r"\{", "}": r"\}", "&": r"\&", "%": r"\%", "$": r"\$",
                 "#": r"\#", "_": r"\_", "~": r"\textasciitilde{}", "^": r"\textasciicircum{}"}


def ris_type(record: Record) -> str:
    text = " ".join(record.publication_types).casefold()
    return next((code for word, code in RIS_TYPES if word in text), "JOUR")


def _pages(pages: str) -> tuple[str, str]:
    start, _, end = pages.replace("\u2013", "-").partition("-")
    return start.strip(), end.strip()


def _one_line(text: str) -> str:
    return " ".join(str(text).split())


def ris_entry(record: Record, note: str) -> str:
    lines = [("TY", ris_type(record))]
    lines += [("AU", author) for author in record.authors]
    lines.append(("TI", record.title))
    if record.journal:
        lines.append(("T2" if ris_type(record) in ("CHAP", "CONF") else "JO", record.journal))
    if record.year:
        lines.append(("PY", str(record.year)))
    start, end = _pages(record.pages)
    lines += [("VL", record.volume), ("IS", record.issue), ("SP", start), ("EP", end), ("SN", record.issn or record.isbn),
              ("DO", record.doi), ("UR", record.url or (f"https://doi.org/{record.doi}" if record.doi else "")),
              ("LA", record.language), ("AB", record.abstract)]
    lines += [("KW", keyword) for keyword in record.keywords]
    if record.pmid:
        lines.append(("AN", f"PMID:{record.pmid}"))
    lines += [("ID", record.record_id), ("N1", note), ("ER", "")]
    return "".join(f"{tag}  - {_one_line(value)}\r\n" for tag, value in lines if value or tag == "ER")


def latex(text: str) -> str:
    return "".join(LATEX_SPECIAL.get(ch, ch) for ch in _one_line(text))


def _ascii(text: str) -> str:
    return unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")


def bibtex_key(record: Record) -> str:
    surname = record.authors[0].split(",")[0] if record.authors else "anon"
    word = next((w for w in re.findall(r"[A-Za-z]+", _ascii(record.title))
                 if w.casefold() not in {"a", "an", "the", "of", "on", "in", "for", "and"}), "untitled")
    return re.sub(r"[^A-Za-z0-9]", "", _ascii(surname)).lower() + str(record.year or "nd") + word.lower()


def bibtex_entry(record: Record, key: str, note: str) -> str:
    kind = BIBTEX_TYPES[ris_type(record)]
    container = {"article": "journal", "incollection": "booktitle", "inproceedings": "booktitle"}.get(kind, "publisher")
    start, end = _pages(record.pages)
    fields = [
        ("author", " and ".join(latex(a) for a in record.authors)),
        ("title", "{" + latex(record.title) + "}"),
        (container, latex(record.journal)),
        ("year", str(record.year or "")),
        ("volume", latex(record.volume)),
        ("number", latex(record.issue)),
        ("pages", f"{latex(start)}--{latex(end)}" if end else latex(start)),
        ("doi", latex(record.doi)),
        ("issn", latex(record.issn)),
        ("isbn", latex(record.isbn)),
        ("pmid", latex(record.pmid)),
        ("url", latex(record.url)),
        ("language", latex(record.language)),
        ("keywords", latex(", ".join(record.keywords))),
        ("abstract", latex(record.abstract)),
        ("note", latex(note)),
    ]
    body = ",\n".join(f"  {name} = {{{value}}}" for name, value in fields if value)
    return f"@{kind}{{{key},\n{body}\n}}\n"


def bibtex_text(entries: Sequence[tuple[Record, str]]) -> str:
    seen: dict[str, int] = {}
    parts = []
    for record, note in entries:
        base = bibtex_key(record)
        count = seen.get(base, 0)
        seen[base] = count + 1
        key = base if count == 0 else base + chr(ord("a") + count - 1) if count <= 26 else f"{base}{count}"
        parts.append(bibtex_entry(record, key, note))
    return "\n".join(parts)


def write_export(path: str | os.PathLike[str], entries: Sequence[tuple[Record, str]]) -> None:
    """Write ``(record, note)`` pairs as RIS or BibTeX, chosen by the file's extension."""
    suffix = Path(path).suffix.lower()
    if suffix == ".ris":
        atomic_write_text(path, "".join(ris_entry(record, note) + "\r\n" for record, note in entries))
    elif suffix == ".bib":
        atomic_write_text(path, bibtex_text(entries))
    else:
        from litsieve.errors import LitsieveError

        raise LitsieveError(f"unknown export format '{suffix}'", file=str(path), hint="name the output .ris or .bib")


# --------------------------------------------------------------------------- the workflow's exports

def _state(path: str | os.PathLike[str]) -> dict[str, StageDecision]:
    return {row.record_id: row for row in read_stage_decisions(path)}


def decision_notes(title_abstract: str | os.PathLike[str],
                   full_text: str | os.PathLike[str]) -> tuple[dict[str, str], dict[str, str]]:
    """Notes for included and for excluded records, by record id."""
    ta, ft = _state(title_abstract), _state(full_text)
    included: dict[str, str] = {}
    excluded: dict[str, str] = {}
    for record_id, row in ft.items():
        if row.decision == "include":
            included[record_id] = "litsieve: included (full text)"
        elif row.decision == "exclude":
            excluded[record_id] = f"litsieve: excluded at full text: {row.reason or 'reason not given'}"
    for record_id, row in ta.items():
        if row.decision == "exclude":
            excluded[record_id] = f"litsieve: excluded at title/abstract: {row.reason or 'reason not given'}"
    return included, excluded


def write_exports(pool: str | os.PathLike[str], title_abstract: str | os.PathLike[str],
                  full_text: str | os.PathLike[str], outputs: Mapping[str, str | os.PathLike[str]],
                  *, other_methods: str | os.PathLike[str] | None = None) -> dict[str, int]:
    """The ``exports`` rule: ``outputs`` has ``included_ris``, ``included_bib``,
    ``excluded_ris``, ``excluded_bib``. Returns how many records each set has.
    ``other_methods`` holds the works found by other methods, which skip the pool."""
    from litsieve.records_io import read_records

    records = {r.record_id: r for r in read_records(pool)}
    if other_methods is not None:
        records.update((r.record_id, r) for r in read_records(other_methods))
    included, excluded = decision_notes(title_abstract, full_text)
    sizes = {}
    for name, notes in (("included", included), ("excluded", excluded)):
        entries = [(records[k], notes[k]) for k in sorted(notes) if k in records]
        for fmt in ("ris", "bib"):
            write_export(outputs[f"{name}_{fmt}"], entries)
        sizes[name] = len(entries)
    return sizes

