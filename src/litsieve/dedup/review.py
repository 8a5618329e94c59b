"""The duplicate review file: pairs the matcher is unsure of, decided by a person.

``<people>/duplicates.csv`` (default ``screening/duplicates.csv``) lists each uncertain
pair side by side: titles, authors, years, journals, pages, DOIs and the reason it is in
doubt. A reviewer writes ``same`` or ``different`` in ``decision`` (and a note if they
like); the next run applies it: ``same`` merges the two records (one report exported
twice), ``same study`` links them as two reports of one study (an article and its erratum,
a meeting abstract and the paper), ``different`` keeps them apart and unlinked even if the
automatic rules would have merged or linked them. Study links the matcher is unsure of
are listed here too (their reason starts ``same study?``). Row 2 says what to type and is
skipped when the file is read. Decided rows stay in the file for the record. The file is
merged and written through :mod:`litsieve.personfile`, so nothing typed in it is ever lost.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Mapping, Sequence

from litsieve.personfile import PersonFileSpec, read_person_file, update_person_file
from litsieve.record import Record

RELATIVE = "duplicates.csv"
KEY = "pair_id"
PAIR_SEPARATOR = " | "
SAME = "same"
SAME_STUDY = "same study"
DIFFERENT = "different"
HELP_RECORD = "this row says what to type; it is no pair (litsieve skips it)"

SPEC = PersonFileSpec(
    relative=RELATIVE,
    key=KEY,
    columns=(
        KEY, "decision", "note", "reason", "score",
        "record_a", "record_b", "title_a", "title_b", "authors_a", "authors_b",
        "year_a", "year_b", "journal_a", "journal_b", "volume_issue_pages_a", "volume_issue_pages_b",
        "doi_a", "doi_b", "pmid_a", "pmid_b", "source_a", "source_b",
    ),
    person_columns=("decision", "note"),
    choices={"decision": (SAME, SAME_STUDY, DIFFERENT)},
    description="uncertain duplicate pairs and study links: write same, same study or different in 'decision'",
    help={"decision": f"{SAME} (one report, merged), {SAME_STUDY} (two reports of one study, linked) "
                      f"or {DIFFERENT} (neither); empty: not decided yet",
          "note": "anything you like", "reason": HELP_RECORD},
)


def person_files(protocol: object) -> list[PersonFileSpec]:
    """The person files deduplication needs (listed by :func:`litsieve.people.person_file_specs`)."""
    return [SPEC]


def pair_id(a: str, b: str) -> str:
    """The stable key of a pair: both record ids, smaller first."""
    first, second = sorted((a, b))
    return f"{first}{PAIR_SEPARATOR}{second}"


def split_pair_id(value: str) -> tuple[str, str] | None:
    parts = value.split(PAIR_SEPARATOR)
    return (parts[0].strip(), parts[1].strip()) if len(parts) == 2 else None


def read_decisions(people: str | os.PathLike[str]) -> dict[tuple[str, str], str]:
    """Decided pairs in the review file: ``{(id_a, id_b): "same" | "same study" | "different"}``."""
    path = SPEC.path(people)
    if not Path(path).exists():
        return {}
    decisions: dict[tuple[str, str], str] = {}
    for row in read_person_file(path, SPEC).rows:
        decision = SPEC.choice("decision", row.get("decision"))
        pair = split_pair_id(row.key)
        if decision and pair:
            decisions[pair] = decision
    return decisions


def review_row(a: Record, b: Record, reason: str, score: float) -> dict[str, str]:
    """One generated row: the two records side by side (``a`` has the smaller id)."""
    if b.record_id < a.record_id:
        a, b = b, a
    row = {KEY: pair_id(a.record_id, b.record_id), "reason": reason, "score": f"{score:.3f}"}
    for suffix, record in (("a", a), ("b", b)):
        details = " / ".join(x for x in (record.volume, record.issue, record.pages) if x)
        row.update({
            f"record_{suffix}": record.record_id,
            f"title_{suffix}": record.title,
            f"authors_{suffix}": "; ".join(record.authors[:6]) + ("; et al." if len(record.authors) > 6 else ""),
            f"year_{suffix}": "" if record.year is None else str(record.year),
            f"journal_{suffix}": record.journal,
            f"volume_issue_pages_{suffix}": details,
            f"doi_{suffix}": record.doi,
            f"pmid_{suffix}": record.pmid,
            f"source_{suffix}": record.source,
        })
    return row


def write_review_file(people: str | os.PathLike[str], rows: Sequence[Mapping[str, str]]) -> None:
    """Merge ``rows`` into the review file (decided rows kept as they are)."""
    update_person_file(people, SPEC, rows)
