"""Exports back to reference managers: RIS and BibTeX that other readers parse, with decisions."""

from __future__ import annotations

from pathlib import Path

import bibtexparser
import rispy

from litsieve.importers import load
from litsieve.record import Record
from litsieve.importers.bibtex_write import bibtex_text
from litsieve.importers.ris_write import ris_entry
from litsieve.report.export import write_exports
from report_helpers import record, stage_row, write_results

TRICKY = record(
    "pubmed:7", title="Peer support & recovery: 100% {braces}, $money_and #hash ~ tilde",
    authors=["Keränen, Jyrki", "O'Brien, Seán"], pages="1179-84", journal="Psychiatr Serv",
    keywords=["peer support", "recovery"], publication_types=["Journal Article"],
)


def test_ris_reads_back_with_rispy_and_litsieve(tmp_path: Path) -> None:
    path = tmp_path / "out.ris"
    path.write_bytes(ris_entry(TRICKY, "litsieve: included (full text)").encode("utf-8"))
    [entry] = rispy.load(path.open(encoding="utf-8", newline=""))
    assert entry["type_of_reference"] == "JOUR"
    assert entry["authors"] == ["Keränen, Jyrki", "O'Brien, Seán"]
    assert entry["title"] == TRICKY.title
    assert (entry["start_page"], entry["end_page"]) == ("1179", "84")
    assert entry["notes"] == ["litsieve: included (full text)"]
    [again] = load(path)
    assert (again.title, again.authors, again.doi, again.year) == (TRICKY.title, TRICKY.authors, TRICKY.doi, 2010)
    assert path.read_bytes().count(b"\r\n") == path.read_bytes().count(b"\n")  # CRLF, as EndNote writes


def test_bibtex_parses_and_escapes_latex(tmp_path: Path) -> None:
    twin = record("pubmed:8", title=TRICKY.title, authors=TRICKY.authors)
    text = bibtex_text([(TRICKY, "litsieve: excluded at full text: Children and young people"), (twin, "x")])
    library = bibtexparser.parse_string(text)
    assert not library.failed_blocks
    keys = [entry.key for entry in library.entries]
    assert keys == ["keranen2010peer", "keranen2010peera"]
    first = library.entries[0]
    assert first["note"] == "litsieve: excluded at full text: Children and young people"
    assert r"100\% \{braces\}, \$money\_and \#hash" in first["title"]
    assert first["pages"] == "1179--84"
    assert first["author"] == "Keränen, Jyrki and O'Brien, Seán"


def test_workflow_exports_carry_decisions_and_reasons(tmp_path: Path) -> None:
    ta = [stage_row("pubmed:1", "include"), stage_row("pubmed:2", "include"), stage_row("pubmed:4", "include"),
          stage_row("pubmed:5", "exclude", "Children and young people"), stage_row("pubmed:6", "awaiting"),
          stage_row("psycinfo:4", "include")]
    ft = [stage_row("pubmed:1", "include"), stage_row("pubmed:2", "exclude", "Peer support not about mental health"),
          stage_row("pubmed:4", "awaiting"), stage_row("psycinfo:4", "not_retrieved")]
    results = write_results(tmp_path, ta, ft)
    outputs = {f"{kind}_{fmt}": tmp_path / f"exports/{kind}.{fmt}" for kind in ("included", "excluded")
               for fmt in ("ris", "bib")}
    sizes = write_exports(results / "screening/pool.csv", results / "screening/title_abstract.csv",
                          results / "screening/full_text.csv", outputs)
    assert sizes == {"included": 1, "excluded": 2}
    included = rispy.load(outputs["included_ris"].open(encoding="utf-8", newline=""))
    assert [(e["id"], e["notes"]) for e in included] == [("pubmed:1", ["litsieve: included (full text)"])]
    excluded = {e["id"]: e["notes"][0] for e in rispy.load(outputs["excluded_ris"].open(encoding="utf-8", newline=""))}
    assert excluded == {"pubmed:2": "litsieve: excluded at full text: Peer support not about mental health",
                        "pubmed:5": "litsieve: excluded at title/abstract: Children and young people"}
    bib = bibtexparser.parse_string(outputs["excluded_bib"].read_text(encoding="utf-8"))
    assert sorted(entry["note"] for entry in bib.entries) == sorted(excluded.values())
    first = {name: path.read_bytes() for name, path in outputs.items()}
    write_exports(results / "screening/pool.csv", results / "screening/title_abstract.csv",
                  results / "screening/full_text.csv", outputs)
    assert first == {name: path.read_bytes() for name, path in outputs.items()}


def test_ris_and_bibtex_writers_use_the_readers_type_codes(tmp_path) -> None:
    from litsieve.importers.ris import REFERENCE_TYPES
    from litsieve.importers.ris_write import RIS_TYPES

    assert all(code in REFERENCE_TYPES for _, code in RIS_TYPES)
    for words, code in RIS_TYPES:
        record = Record(record_id=f"x:{code}", title="A title", publication_types=[words.title()])
        path = tmp_path / f"{code}.ris"
        path.write_text(ris_entry(record, "note"), encoding="utf-8")
        (back,) = load(path, source="x")
        assert back.publication_types == [REFERENCE_TYPES[code]], words
