"""The bundled demo review (resources/demo/) and the files of its intended answers.

Every other stage is tested against these files, so they must agree with each other and
with the exports as litsieve imports them: every id exists, the query columns are what the
three readings of the search string give on the imported titles and abstracts, the
duplicate groups and near-misses are consistent, every criterion has records meant for it,
and the extraction answers are stated in the abstracts.
"""

from __future__ import annotations

import csv
import re
from collections import Counter, defaultdict
from pathlib import Path

import pytest
from rapidfuzz import fuzz

from litsieve.importers import load
from litsieve.importers.detect import detect_format
from litsieve.importers.encoding import read_export
from litsieve.record import Record
from protocols import demo_protocol

REPO = Path(__file__).resolve().parents[1]
DEMO = REPO / "resources" / "demo"
PSYCINFO = DEMO / "psycinfo_ebscohost.ris"
PUBMED = DEMO / "pubmed_medline.txt"


def rows(name: str) -> list[dict[str, str]]:
    with (DEMO / name).open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def ids(cell: str) -> list[str]:
    return [part.strip() for part in cell.split(";") if part.strip()]


@pytest.fixture(scope="module")
def records() -> dict[str, Record]:
    loaded = load(PSYCINFO, source="psycinfo") + load(PUBMED, source="pubmed")
    by_id = {record.record_id: record for record in loaded}
    assert len(by_id) == len(loaded), "record ids must be unique across the review"
    return by_id


# ---- the exports ----------------------------------------------------------------------

def test_exports_are_detected_and_import_completely(records: dict[str, Record]) -> None:
    assert detect_format(read_export(PSYCINFO)) == "ris"
    assert detect_format(read_export(PUBMED)) == "medline"
    per_source = Counter(record.source for record in records.values())
    ris_blocks = PSYCINFO.read_bytes().count(b"\r\nER  - \r\n")
    medline_blocks = len(re.findall(rb"(?m)^PMID- ", PUBMED.read_bytes()))
    assert per_source == {"psycinfo": ris_blocks, "pubmed": medline_blocks}
    assert 90 <= ris_blocks <= 110 and 60 <= medline_blocks <= 80
    assert len(records) >= 150
    for record in records.values():
        assert record.title and record.year, record.record_id
        assert record.language, record.record_id
        assert record.authors or record.publication_types == ["Published Erratum"], record.record_id


def test_ris_export_keeps_the_ebscohost_dialect() -> None:
    data = PSYCINFO.read_bytes()
    assert b"\n" not in data.replace(b"\r\n", b""), "EBSCOhost writes CRLF line endings only"
    text = data.decode("utf-8")
    blocks = [b for b in text.split("\r\n\r\n") if b.strip()]
    for block in blocks:
        lines = block.split("\r\n")
        assert lines[0].startswith("TY  - ") and lines[-1] == "ER  - ", lines[:2]
        assert all(re.match(r"^[A-Z][A-Z0-9]  - ", line) for line in lines), block[:80]
        tags = {line[:2] for line in lines}
        assert {"T1", "AN", "Y1", "DB", "DP", "UR", "N1"} <= tags and "TI" not in tags
        assert "DB  - psyh" in lines and "DP  - EBSCOhost" in lines
        y1 = next(line for line in lines if line.startswith("Y1"))
        assert re.fullmatch(r"Y1  - \d{4}/(\d\d)?//", y1), y1


def test_medline_export_keeps_pubmed_layout() -> None:
    text = PUBMED.read_text(encoding="utf-8")
    assert "\r" not in text and text.endswith("\n")
    for block in text.strip("\n").split("\n\n"):
        lines = block.split("\n")
        assert re.fullmatch(r"PMID- 9990\d{4}", lines[0]), "fictional PMIDs live in 99900000-99909999"
        for line in lines:
            assert re.match(r"^[A-Z]{2,4} *- ", line) or re.match(r"^ {6}\S", line), line
            assert len(line) <= 88, line
        tags = [line[:4].strip() for line in lines if not line.startswith(" ")]
        assert {"TI", "DP", "LA", "PT", "TA", "JT", "SO"} <= set(tags)
        assert tags.count("FAU") == tags.count("AU")


# ---- intended_query.csv -----------------------------------------------------------------

def _reads(text: str) -> dict[str, bool]:
    lowered = text.lower()

    def has(pattern: str) -> bool:
        return re.search(pattern, lowered) is not None

    peer = has(r"\bpeer support\b") or has(r"\bpeer mentoring\b")
    dialogue = has(r"\bopen dialogue\b")
    health, wellbeing = has(r"\bmental health\b"), has(r"\bmental well")
    return {
        "matches_intended": (peer or dialogue) and (health or wellbeing),
        "matches_pubmed_left_to_right": ((peer or dialogue) and health) or wellbeing,
        "matches_ebsco_and_first": peer or (dialogue and health) or wellbeing,
    }


def test_query_answers_cover_every_record_and_agree_with_the_three_readings(records: dict[str, Record]) -> None:
    answers = rows("intended_query.csv")
    assert sorted(row["record_id"] for row in answers) == sorted(records)
    for row in answers:
        record = records[row["record_id"]]
        expected = _reads(f"{record.title} {record.abstract}")
        for column, value in expected.items():
            assert row[column] == str(value).lower(), (row["record_id"], column)
        assert row["in_years"] == str(1990 <= (record.year or 0) <= 2017).lower()
        assert row["language"] == record.language
        assert row["source"] == record.source


def test_the_exports_hold_every_kind_of_query_case() -> None:
    answers = rows("intended_query.csv")
    kinds = Counter((row["source"], row["matches_intended"], row["matches_pubmed_left_to_right"],
                     row["matches_ebsco_and_first"]) for row in answers)
    # EBSCOhost (AND first) retrieves peer support with no mental health term.
    assert kinds[("psycinfo", "false", "false", "true")] >= 8
    # Left to right, PubMed retrieves "mental well*" with no peer term.
    assert kinds[("pubmed", "false", "true", "true")] >= 4
    # Found through index terms only: no reading matches title and abstract.
    assert kinds[("pubmed", "false", "false", "false")] >= 1
    intended = [row for row in answers if row["matches_intended"] == "true"]
    assert sum(row["in_years"] == "false" for row in intended) >= 6
    early = [row for row in intended if row["in_years"] == "false" and row["record_id"].split(":")[1] < "1990"]
    assert len(early) >= 2
    languages = {row["language"] for row in intended if row["language"] != "english"}
    assert {"german", "french", "spanish"} <= languages


# ---- duplicates and near-misses ----------------------------------------------------------

def _groups() -> dict[str, list[str]]:
    groups: dict[str, list[str]] = defaultdict(list)
    for row in rows("intended_duplicates.csv"):
        groups[row["group_id"]].append(row["record_id"])
    return groups


def _norm(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", " ", text.lower()).strip()


def test_duplicate_groups_are_consistent_and_realistic(records: dict[str, Record]) -> None:
    table = rows("intended_duplicates.csv")
    for row in table:
        record = records[row["record_id"]]
        assert row["record_id"].startswith(f"{row['source']}:{row['source_id']}")
        assert row["source"] == record.source
    groups = _groups()
    members = [rid for group in groups.values() for rid in group]
    assert len(members) == len(set(members)), "a record belongs to at most one group"
    between = within = 0
    missing_doi = short_pages = initials = 0
    for group in groups.values():
        assert len(group) >= 2
        found = [records[rid] for rid in group]
        titles = [_norm(r.title) for r in found]
        assert min(fuzz.ratio(titles[0], t) for t in titles) >= 90, f"duplicates must be the same work: {group}"
        years = {r.year for r in found}
        assert len(years) == 1, group
        sources = {r.source for r in found}
        between += len(sources) > 1
        within += len(found) > len(sources)
        dois = [r.doi for r in found]
        missing_doi += any(dois) and not all(dois)
        short_pages += len({r.pages for r in found}) > 1
        first_given = {r.authors[0].split(",")[-1].strip() for r in found if r.authors}
        initials += any(len(g.replace(" ", "")) <= 3 for g in first_given) and len(first_given) > 1
    assert between >= 20 and within >= 3
    assert missing_doi >= 5 and short_pages >= 10 and initials >= 3
    assert any(records[rid].language != "english" for rid in members)


def test_near_misses_exist_and_are_never_in_one_group(records: dict[str, Record]) -> None:
    group_of = {rid: gid for gid, group in _groups().items() for rid in group}
    pairs = rows("intended_distinct.csv")
    assert len(pairs) >= 8
    notes = " ".join(row["note"].lower() for row in pairs)
    for kind in ("part", "conference abstract", "erratum", "comment", "dissertation", "same title"):
        assert kind in notes, kind
    for row in pairs:
        a, b = row["record_id_a"], row["record_id_b"]
        assert a in records and b in records and a != b
        assert group_of.get(a, a) != group_of.get(b, b)


# ---- intended_decisions.csv ------------------------------------------------------------

def test_decisions_cover_exactly_the_works_that_reach_screening(records: dict[str, Record]) -> None:
    answers = {row["record_id"]: row for row in rows("intended_query.csv")}
    reach = {rid for rid, row in answers.items()
             if row["matches_intended"] == "true" and row["in_years"] == "true" and row["language"] == "english"}
    decisions = rows("intended_decisions.csv")
    listed = [rid for row in decisions for rid in ids(row["record_ids"])]
    assert len(listed) == len(set(listed))
    assert set(listed) == reach
    group_of = {rid: gid for gid, group in _groups().items() for rid in group}
    for row in decisions:
        members = ids(row["record_ids"])
        assert row["record_id"] in members
        if any(rid.startswith("pubmed:") for rid in members):
            assert row["record_id"].startswith("pubmed:"), "the PubMed record names the work when there is one"
        assert len({group_of.get(rid, rid) for rid in members}) == 1, "one row is one work"
        assert row["decision"] in {"include", "exclude", "maybe"}
        if row["decision"] == "include":
            assert not row["exclusion_criteria"] and not row["unmet_inclusion"]
        else:
            assert row["exclusion_criteria"] or row["unmet_inclusion"], row["record_id"]
        assert row["why"]


def test_every_criterion_has_records_meant_for_it() -> None:
    decisions = rows("intended_decisions.csv")
    excluded_by: Counter[str] = Counter()
    unmet: Counter[str] = Counter()
    guarded: Counter[str] = Counter()
    for row in decisions:
        if row["decision"] == "exclude":
            excluded_by.update(ids(row["exclusion_criteria"]))
            unmet.update(ids(row["unmet_inclusion"]))
        guarded.update(ids(row["must_not_fire"]))
    for criterion in ("not_empirical", "children", "not_service_users", "not_mental_health", "online_only"):
        assert excluded_by[criterion] >= 3, criterion
        assert guarded[criterion] >= 1 or criterion == "not_empirical", f"no include guards {criterion}"
    for criterion in ("peer_support", "mental_health", "service_users", "adults", "empirical"):
        assert unmet[criterion] >= 3, criterion
    counts = Counter(row["decision"] for row in decisions)
    assert counts["include"] >= 25 and counts["exclude"] >= 30 and counts["maybe"] >= 3


def test_decision_criteria_are_the_protocols_criteria() -> None:
    criteria = demo_protocol().criteria
    configured = {criterion.id for criterion in criteria}
    for row in rows("intended_decisions.csv"):
        for column in ("exclusion_criteria", "unmet_inclusion", "must_not_fire"):
            unknown = set(ids(row[column])) - configured
            assert not unknown, f"{row['record_id']} {column}: {unknown} not in the demo protocol's criteria"
    # The year and language limits come from the search section.
    automatic = {c.id for c in criteria if c.automatic}
    assert {"year", "language"} <= automatic


# ---- intended_extraction.csv ------------------------------------------------------------

NUMBER_WORDS = ("zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen "
                "fifteen sixteen seventeen eighteen nineteen twenty").split()
DESIGN_CUES = {"RCT": r"random", "interviews": r"interview", "focus groups": r"focus group",
               "survey": r"survey|questionnaire", "cohort": r"cohort|follow|longitudinal|pre-post"}


def test_extraction_answers_are_stated_in_the_abstracts(records: dict[str, Record]) -> None:
    decisions = {row["record_id"]: row for row in rows("intended_decisions.csv")}
    includes = {rid for rid, row in decisions.items() if row["decision"] == "include"}
    extraction = rows("intended_extraction.csv")
    assert {row["record_id"] for row in extraction} == includes
    for row in extraction:
        assert row["record_ids"] == decisions[row["record_id"]]["record_ids"]
        for column, value in row.items():
            assert value, f"{row['record_id']}: {column} is empty"
        text = " ".join(f"{records[rid].title} {records[rid].abstract}" for rid in ids(row["record_ids"]))
        number = int(row["sample_size"])
        spelled = rf"|\b{NUMBER_WORDS[number]}\b" if number < len(NUMBER_WORDS) else ""
        pattern = rf"(?<![\d,.]){number:,}(?![\d,])|(?<![\d,.]){number}(?![\d,]){spelled}"
        assert re.search(pattern, text, re.IGNORECASE), row["record_id"]
        kind = row["study_design"].split(";")[0]
        assert kind in {"quantitative", "qualitative", "mixed"}
        for design, cue in DESIGN_CUES.items():
            if design in row["study_design"]:
                assert re.search(cue, text, re.IGNORECASE), (row["record_id"], design)
        assert row["age_group"].startswith(("adults", "older adults"))
