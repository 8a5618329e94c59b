"""Database indexing read from PsycINFO notes: document type, methodology, age groups."""

from __future__ import annotations

from collections import Counter

from conftest import shared_path
from litsieve.importers import load
from litsieve.record import Record
from litsieve.importers.psycinfo import database_indexing
from litsieve.screening.criteria import RecordText, parse_criterion

NOTE = ("Accession Number: 2016-55551-187. Partial author list: First Author & Affiliation: Lam, W. "
        "Release Date: 20161228. Publication Type: Journal (0100), Peer Reviewed Journal (0110). "
        "Format Covered: Electronic. Document Type: Chapter. Language: EnglishMajor Descriptor: Peers. "
        "Population: Human (10). Age Group: Adolescence (13-17 yrs) (200). "
        "Methodology: Literature Review; Systematic Review.")


def test_note_fields_are_read() -> None:
    found = database_indexing(Record(extra={"N1": NOTE}))
    assert found == {"Document Type": ["Chapter"], "Age Group": ["Adolescence (13-17 yrs) (200)"],
                     "Methodology": ["Literature Review", "Systematic Review"]}
    text = RecordText.of(Record(publication_types=["Journal Article"], extra={"N1": NOTE}))
    assert text.texts["publication_types"] == "Journal Article; Chapter; Literature Review; Systematic Review"


def test_indexed_age_groups_outrank_the_abstract() -> None:
    children = parse_criterion({"id": "children", "kind": "exclusion", "age": {"below": 18}}, 0)
    abstract = "Youth peer workers aged 18-24 supported adolescent service users in clinics."
    indexed = Record(abstract=abstract, extra={"N1": NOTE})
    outcome = children.evaluate(indexed)
    assert outcome.fired and outcome.decisive
    assert not children.evaluate(Record(abstract=abstract)).fired  # mixed ages in the text alone
    adults_note = NOTE.replace("Adolescence (13-17 yrs) (200)", "Adulthood (18 yrs & older) (300)")
    assert not children.evaluate(Record(abstract="Adolescents took part.", extra={"N1": adults_note})).fired


def test_real_ebscohost_export() -> None:
    records = load(shared_path("fixtures", "ris", "psycinfo_ebscohost.ris"), source="psycinfo")
    methodology = Counter(v for r in records for v in database_indexing(r).get("Methodology", []))
    ages = Counter(v for r in records for v in database_indexing(r).get("Age Group", []))
    assert methodology["Empirical Study"] >= 40 and methodology["Literature Review"] >= 2
    assert any(v.startswith("Adolescence (13-17 yrs)") for v in ages)
    assert all("." not in v for v in (*methodology, *ages))
