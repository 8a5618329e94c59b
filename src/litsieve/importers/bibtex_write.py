"""Writing BibTeX: records back to reference managers (the reader is :mod:`.bibtex`).

Escapes the characters LaTeX treats as commands and protects title capitalisation with
braces; keys are ``surname + year + first title word``, made unique with a/b/c suffixes
and stable for the same records. The entry type follows the RIS type
(:func:`litsieve.importers.ris_write.ris_type`), so both exports agree.
"""

from __future__ import annotations

import re
import unicodedata
from typing import Sequence

from litsieve.importers.ris_write import pages_range, ris_type, one_line
from litsieve.record import Record

BIBTEX_TYPES = {"JOUR": "article", "THES": "phdthesis", "CHAP": "incollection", "BOOK": "book",
                "CONF": "inproceedings", "RPRT": "techreport"}
LATEX_SPECIAL = {"\\": r"\textbackslash{}", "{": r"\{", "}": r"\}", "&": r"\&", "%": r"\%", "$": r"\$",
                 "#": r"\#", "_": r"\_", "~": r"\textasciitilde{}", "^": r"\textasciicircum{}"}


def latex(text: str) -> str:
    return "".join(LATEX_SPECIAL.get(ch, ch) for ch in one_line(text))


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
    start, end = pages_range(record.pages)
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
