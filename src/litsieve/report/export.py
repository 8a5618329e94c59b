"""Records back to reference managers: RIS and BibTeX with the screening decision in a note.

Zotero, EndNote, Mendeley and JabRef all import RIS; BibTeX serves LaTeX users and
JabRef. Each record carries its decision and reason (``N1`` in RIS, ``note`` in BibTeX),
so that a reference library built from the exports shows why each study is in or out.
The writers sit beside their readers (:mod:`litsieve.importers.ris_write`,
:mod:`litsieve.importers.bibtex_write`), as rispy keeps ``load`` and ``dump`` together.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Mapping, Sequence

from litsieve.fileio import atomic_write_text
from litsieve.importers.bibtex_write import bibtex_text
from litsieve.importers.ris_write import ris_entry
from litsieve.record import Record
from litsieve.stagefiles import StageDecision, read_stage_decisions

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

