"""Study links: a study's reports linked, each with its relation, and nothing else joined."""

from __future__ import annotations

import csv
import random
from dataclasses import replace
from pathlib import Path

from litsieve.dedup import deduplicate
from litsieve.dedup.notices import target_title
from litsieve.dedup.workflow import load_inputs
from litsieve.importers import load_many
from litsieve.importers.links import RecordLink, record_links
from litsieve.importers.registry import record_registry_ids, registry_ids_in
from litsieve.record import Record
from litsieve.records_io import read_records, write_records
from litsieve.stagefiles import read_clusters

from test_dedup_rules import TITLE, article

DATA = Path(__file__).parent / "data" / "dedup"


def studies(records: list[Record], decisions: dict[tuple[str, str], str] | None = None) -> dict[str, dict[str, str]]:
    return {row["record_id"]: row for row in deduplicate(records, decisions).clusters}


def paper(record_id: str, **fields: object) -> Record:
    return article(record_id, **{"doi": "", **fields})


# --------------------------------------------------------------------------- link fields

def test_nbib_and_pubmed_xml_keep_link_fields_and_registrations():
    records = {r.pmid: r for r in load_many([DATA / "study_links.nbib", DATA / "study_links.xml"])}
    assert record_links(records["30000001"]) == [
        RecordLink("comment in", "30000003", "", "Br J Psychiatry. 2016 Mar;208(3):290. PMID: 30000003"),
        RecordLink("erratum in", "30000002", "", "Br J Psychiatry. 2016 Jan;208(1):99. PMID: 30000002"),
        RecordLink("retraction in", "30000004", "", "Br J Psychiatry. 2018 May;212(5):320. PMID: 30000004"),
    ]
    assert [link.relation for link in record_links(records["30000004"])] == ["retraction of"]
    assert record_links(records["30000004"])[0].doi == "10.1192/bjp.bp.114.150000"
    # PubMed XML: CommentsCorrections kept, the reference list ("Cites") left out.
    assert [(link.relation, link.pmid) for link in record_links(records["30000003"])] == [("comment on", "30000001")]
    assert record_registry_ids(records["30000001"]) == ["NCT01234567", "ISRCTN12345678"]
    assert record_registry_ids(records["30000003"]) == ["NCT01234567"]
    assert "EIN" not in records["30000001"].extra  # kept once, as links


def test_link_fields_survive_the_records_csv(tmp_path):
    records = load_many([DATA / "study_links.nbib"])
    write_records(tmp_path / "records.csv", records)
    again = read_records(tmp_path / "records.csv")
    assert [record_links(r) for r in again] == [record_links(r) for r in records]
    assert [record_registry_ids(r) for r in again] == [record_registry_ids(r) for r in records]


def test_link_fields_make_one_retracted_study(tmp_path):
    rows = studies(load_inputs([DATA / "study_links.nbib", DATA / "study_links.xml"]))
    ids = {row["record_id"].split(":")[-1]: row for row in rows.values()}
    main = ids["30000001"]["cluster_id"]
    assert ids["30000001"]["relation"] == "" and ids["30000001"]["study_id"] == main
    assert (ids["30000002"]["relation"], ids["30000002"]["related_to"]) == ("erratum of", main)
    assert ids["30000004"]["relation"] == "retraction notice of"
    assert ids["30000003"]["relation"] == "comment on"  # the link field beats the shared registration
    assert {row["study_id"] for row in rows.values()} == {main}
    assert {row["study_flags"] for row in rows.values()} == {"retracted"}
    assert "says: erratum" in ids["30000002"]["study_rule"]
    assert len({row["cluster_id"] for row in rows.values()}) == 4  # linked, not merged


def test_europe_pmc_comment_corrections_are_kept():
    from litsieve.search.europepmc_records import result_to_record

    record = result_to_record({"id": "39709208", "source": "MED", "pmid": "39709208", "title": "Department of Error.",
                               "commentCorrectionList": {"commentCorrection": [
                                   {"id": "39293462", "source": "MED", "type": "Erratum for",
                                    "reference": "Lancet. 2024 Sep 28;404(10459):1227-1239."}]}})
    assert [(link.relation, link.pmid) for link in record_links(record)] == [("erratum for", "39293462")]


# --------------------------------------------------------------------------- each relation

ERRATUM = dict(title=f"Erratum: {TITLE}", authors=[], pages="1020", volume="208", year=2016, abstract="")


def test_erratum_by_its_title_goes_to_a_person():
    result = deduplicate([paper("a"), paper("b", **ERRATUM)])
    rows = {row["record_id"]: row for row in result.clusters}
    assert rows["b"]["study_id"] == "b" and rows["b"]["cluster_id"] == "b"
    (row,) = result.review_rows
    assert row["pair_id"] == "a | b" and row["reason"].startswith("same study? erratum of: erratum of title names it")
    assert result.counts["study_links_awaiting_review"] == 1
    # The person's "same study" links it.
    rows = studies([paper("a"), paper("b", **ERRATUM)], {("a", "b"): "same study"})
    assert (rows["b"]["relation"], rows["b"]["related_to"], rows["b"]["study_id"]) == ("erratum of", "a", "a")


def test_retraction_notice_flags_the_study():
    rows = studies([paper("a"), paper("b", title=f"Retraction notice to: {TITLE}", authors=[], pages="12",
                                       year=2019, volume="214", abstract="")])
    assert rows["b"]["relation"] == "retraction notice of"
    assert rows["a"]["study_flags"] == rows["b"]["study_flags"] == "retracted"


def test_retraction_banner_flags_the_main_report():
    rows = studies([paper("a", title=f"RETRACTED: {TITLE}")])
    assert rows["a"]["study_flags"] == "retracted" and rows["a"]["relation"] == ""


def test_letter_and_reply():
    letter = paper("b", title="Peer support workers need supervision", authors=["Brown, Alan"],
                   publication_types=["Letter"], pages="90", volume="208", year=2016, abstract="")
    reply = paper("c", title="Peer support workers need supervision - Reply", pages="90-91", volume="208",
                  year=2016, abstract="")
    # Printed with the letter (same volume, its page or the next two): the reply to it.
    rows = studies([paper("a"), letter, reply])
    assert (rows["c"]["relation"], rows["c"]["related_to"]) == ("reply to", "b")
    assert rows["c"]["study_id"] == "b"  # the letter is a study of its own here: nothing links it to "a"
    # Elsewhere (another volume), a person is asked.
    later = paper("c", title="Peer support workers need supervision - Reply", pages="12", volume="209",
                  year=2016, abstract="")
    result = deduplicate([paper("a"), letter, later])
    assert {row["record_id"]: row["relation"] for row in result.clusters}["c"] == ""
    assert [r["pair_id"] for r in result.review_rows] == ["b | c"]
    rows = studies([paper("a"), letter, later], {("b", "c"): "same study"})
    assert (rows["c"]["relation"], rows["c"]["related_to"]) == ("reply to", "b")


def test_a_response_after_a_full_article_is_not_a_reply_to_a_letter():
    # "Response to <title>" on the pages after a 28-page article comments on the article:
    # reviewers keep it as a report of its own, so a person decides.
    article_ = paper("a", title="Ideational influence, connectedness and venue representation", pages="1-28",
                     volume="17", issue="1", authors=["Clarke, R"], abstract="")
    response = paper("b", title='Response to "Ideational influence, connectedness and venue representation"',
                     pages="29-33", volume="17", issue="1", authors=["Tan, B"], abstract="")
    result = deduplicate([article_, response])
    rows = {row["record_id"]: row for row in result.clusters}
    assert rows["b"]["study_id"] == "b"
    assert any(r["reason"].startswith("same study?") for r in result.review_rows)


def test_meeting_abstract_in_the_same_volume_links_elsewhere_goes_to_a_person():
    same_volume = paper("b", pages="S12", issue="Suppl 1", abstract="")
    rows = studies([paper("a"), same_volume])
    assert (rows["b"]["relation"], rows["b"]["study_id"]) == ("conference abstract of", "a")
    other_journal = paper("b", pages="S12", issue="Suppl 1", journal="European Psychiatry", volume="30",
                          year=2014, abstract="")
    result = deduplicate([paper("a"), other_journal])
    rows = {row["record_id"]: row for row in result.clusters}
    assert rows["b"]["study_id"] == "b"
    assert [row["reason"].startswith("same study?") for row in result.review_rows] == [True]


def test_two_abstracts_of_one_meeting_with_other_authors_stay_apart():
    # One supplement, two pages, the title nearly the same, another author list: two abstracts.
    a = paper("a", title="The effects of incretin on artery lesions in diabetic mice", pages="52", issue="Suppl 1",
              authors=["Lee, A", "Kim, B", "Park, C", "Cho, D", "Yoon, E"], abstract="")
    b = paper("b", title="Effects of incretin on artery lesions in diabetic mice", pages="51", issue="Suppl 1",
              authors=["Lee, A", "Kim, B", "Han, F"], abstract="")
    rows = studies([a, b])
    assert rows["a"]["study_id"] != rows["b"]["study_id"]


def test_preprint_of_the_journal_article():
    preprint = paper("b", journal="medRxiv", doi="10.1101/2014.06.01.14000001", volume="", issue="", pages="",
                     year=2014)
    rows = studies([paper("a"), preprint])
    assert (rows["b"]["relation"], rows["b"]["study_id"]) == ("preprint of", "a")


def test_registry_entries_and_report_share_a_registration():
    registry = Record(record_id="ctgov", source="central", title="Peer Support in Severe Mental Illness",
                      journal="ClinicalTrials.gov", year=2012, url="https://clinicaltrials.gov/show/NCT01234567")
    other = Record(record_id="isrctn", source="central", title="PEER-SMI trial",
                   journal="ISRCTN registry", year=2012, abstract="Registered as ISRCTN12345678 and NCT01234567.")
    report = paper("a", abstract="Trial registration: NCT01234567. " + paper("x").abstract)
    rows = studies([report, registry, other])
    assert rows["ctgov"]["relation"] == rows["isrctn"]["relation"] == "registry entry of"
    assert {row["study_id"] for row in rows.values()} == {"a"}


def test_two_registrations_of_one_registry_are_two_studies():
    one = paper("a", abstract="Registered: NCT01234567.")
    two = paper("b", title="Peer support for adolescents with psychosis: a randomised trial", journal="Lancet Psychiatry",
                abstract="Registered: NCT07654321.")
    review = paper("c", title="Peer support: a systematic review", journal="Cochrane", abstract="NCT01234567, NCT07654321")
    rows = studies([one, two, review])
    assert len({row["study_id"] for row in rows.values()}) == 3


def test_erratum_printed_after_its_article_in_the_same_issue_is_linked():
    # The article ends on page 228; the erratum names it and starts two pages later, one issue.
    erratum = paper("b", title=f"Erratum to - {TITLE}", pages="230", volume="207", issue="3", year=2015,
                    abstract="")
    rows = studies([paper("a"), erratum])
    assert (rows["b"]["relation"], rows["b"]["related_to"], rows["b"]["study_id"]) == ("erratum of", "a", "a")
    # Three pages on, another issue of the volume, or an issue the erratum does not share: a person.
    for place in (dict(pages="231", issue="3"), dict(pages="229", issue="6"), dict(pages="400", issue="")):
        result = deduplicate([paper("a"), paper("b", **{**ERRATUM, "volume": "207", "year": 2015, **place})])
        assert {row["record_id"]: row["study_id"] for row in result.clusters}["b"] == "b", place
        assert [row["reason"].split(":")[0] for row in result.review_rows] == ["same study? erratum of"], place


def test_a_comment_printed_after_the_article_is_its_own_report():
    # Commentaries by other people printed right after the article are pieces of their own.
    comment = paper("b", title=f"Commentary on {TITLE}", authors=["Weick, Karl"], pages="229-231",
                    abstract="")
    result = deduplicate([paper("a"), comment])
    assert {row["record_id"]: row["study_id"] for row in result.clusters}["b"] == "b"


def test_an_article_reprinted_by_its_journal_is_one_study():
    # The same title, every author in order and the same length, in a later volume.
    again = paper("b", volume="210", issue="1", pages="56-63", year=2017, doi="10.1192/bjp.bp.116.000002")
    first = paper("a", doi="10.1192/bjp.bp.114.150000")
    rows = studies([first, again])
    assert rows["a"]["study_id"] == rows["b"]["study_id"]
    assert "reprinted in one journal" in rows["a"]["study_rule"] + rows["b"]["study_rule"]
    # Another length (a correction titled like its article, a recurring column), an author
    # more or missing, or another journal: not a reprint, a person decides.
    for changed in (dict(pages="56"), dict(pages="56-70"), dict(authors=["Smith, Jane A", "Okafor, Chidi"]),
                    dict(journal="Postgraduate Medical Journal")):
        rows = studies([first, replace(again, **changed)])
        assert rows["a"]["study_id"] != rows["b"]["study_id"], changed


def test_a_heading_printed_with_the_same_authors_piece_is_one_study():
    authors = ["Avison, David E", "Fitzgerald, Guy", "Powell, Philip"]
    heading = paper("h", title="Editorial", authors=authors, volume="11", issue="4", pages="271", abstract="",
                    doi="10.1046/j.1365-2575.2001.00112.x")
    guest = paper("g", title="Guest editorial: open source software and its economic issues", authors=authors,
                  volume="11", issue="4", pages="273-276", abstract="", doi="10.1046/j.1365-2575.2001.00109.x")
    rows = studies([heading, guest])
    assert (rows["h"]["relation"], rows["h"]["related_to"], rows["h"]["study_id"]) == ("same study as", "g", "g")
    # Another issue, pages apart, or one author (an editor writes one in every issue): apart.
    for changed in (dict(issue="3"), dict(pages="280"), dict(authors=authors[:1])):
        other = replace(heading, **changed)
        assert studies([other, replace(guest, authors=other.authors)])["h"]["study_id"] == "h", changed


def test_same_title_and_authors_in_one_volume_is_one_study():
    split = paper("b", pages="230", abstract="")  # a one-page item under the same title, same volume
    rows = studies([paper("a"), split])
    assert (rows["b"]["relation"], rows["b"]["related_to"]) == ("same study as", "a")
    # Two full papers under one title by other people: different studies.
    other = paper("c", authors=["Nguyen, T", "Garcia, M"], journal="Psychiatric Services", volume="66", pages="1-9")
    assert studies([paper("a"), other])["c"]["study_id"] == "c"


# --------------------------------------------------------------------------- a person decides

def test_a_person_links_or_unlinks_a_pair():
    other_journal = paper("b", pages="S12", issue="Suppl 1", journal="European Psychiatry", volume="30", year=2014,
                          abstract="")
    linked = studies([paper("a"), other_journal], {("a", "b"): "same study"})
    assert (linked["b"]["relation"], linked["b"]["study_id"]) == ("conference abstract of", "a")
    assert linked["b"]["study_rule"] == "a person decided: same study"
    notice = paper("b", title=f"Retraction notice to: {TITLE}", authors=[], pages="12", year=2019, volume="214",
                   abstract="")
    assert studies([paper("a"), notice])["b"]["study_id"] == "a"
    apart = studies([paper("a"), notice], {("a", "b"): "different"})
    assert apart["b"]["study_id"] == "b" and apart["a"]["study_flags"] == ""


# --------------------------------------------------------------------------- order and notices

def test_any_input_order_gives_the_same_clusters_studies_and_kept_records():
    records = load_inputs([DATA / "study_links.nbib", DATA / "study_links.xml"]) + [
        paper("a"), paper("b", **ERRATUM),
        paper("c", pages="S12", issue="Suppl 1", abstract=""), paper("d", journal="medRxiv", volume="", pages="",
                                                                     doi="10.1101/2014.06.01.14000001", year=2014)]
    first = deduplicate(records)
    for seed in range(3):
        shuffled = list(records)
        random.Random(seed).shuffle(shuffled)
        again = deduplicate(shuffled)
        assert again.clusters == first.clusters
        assert [r.record_id for r in again.records] == [r.record_id for r in first.records]
        assert again.review_rows == first.review_rows


def test_notice_titles_name_the_report():
    assert target_title('Corrigendum to "Peer support for adults" [Br J Psychiatry 207 (2015) 221-8]') == \
        "peer support for adults"
    assert target_title("Peer support for adults - Authors' reply") == "peer support for adults"
    assert target_title("Retraction Note to: Peer support for adults") == "peer support for adults"


def test_registration_numbers_in_text():
    text = "Trial registration: ISRCTN 12345678; EudraCT 2004-000123-45; ACTRN12610000123456; UMIN000012345"
    assert registry_ids_in(text) == ["ISRCTN12345678", "ACTRN12610000123456", "UMIN000012345",
                                     "EUDRACT2004-000123-45"]
    assert registry_ids_in("in 2004-000123-45 patients") == []


def test_cluster_rows_read_the_study_columns(tmp_path):
    result = deduplicate([paper("a"), paper("b", **ERRATUM)], {("a", "b"): "same study"})
    from litsieve.dedup.workflow import write_outputs
    write_outputs(result, clusters=tmp_path / "clusters.csv")
    rows = {row.record_id: row for row in read_clusters(tmp_path / "clusters.csv")}
    assert (rows["b"].study_id, rows["b"].relation, rows["b"].related_to) == ("a", "erratum of", "a")
    assert rows["a"].study_flags == ()
    with open(tmp_path / "clusters.csv", newline="", encoding="utf-8") as handle:
        header = next(csv.reader(handle))
    assert header[-5:] == ["study_id", "relation", "related_to", "study_flags", "study_rule"]


def test_expression_of_concern_and_update_from_link_fields():
    concern = paper("b", title="Expression of concern", authors=[], pages="400", volume="210", year=2017,
                    abstract="", pmid="222", extra={"links": [{"relation": "expression of concern for", "pmid": "111"}]})
    update = paper("c", title="Peer support for adults with severe mental illness: an updated trial report",
                   journal="Cochrane Database Syst Rev", volume="", pages="CD000001", year=2020, doi="10.1002/cd.2",
                   extra={"links": [{"relation": "update of", "doi": "10.1192/bjp.bp.114.150000"}]})
    rows = studies([paper("a", pmid="111", doi="10.1192/bjp.bp.114.150000"), concern, update])
    assert (rows["b"]["relation"], rows["b"]["related_to"]) == ("expression of concern about", "a")
    assert (rows["c"]["relation"], rows["c"]["related_to"]) == ("update of", "a")
    assert {row["study_id"] for row in rows.values()} == {"a"}
    assert rows["c"]["study_flags"] == "expression of concern"
