"""Each database layout of issue 14, read from a small file of that layout.

``tests/data/import/real/`` holds excerpts of real exports (tests/data/import/README.md
says where each came from); ``tests/data/import/hard/`` holds hard cases written from
the formats' documentation before the readers were tuned.
"""

from __future__ import annotations

import logging
from pathlib import Path

import pytest

from litsieve.importers import load
from litsieve.importers.detect import detect_format
from litsieve.importers.encoding import read_export

DATA = Path(__file__).parent / "data" / "import"
REAL = DATA / "real"
HARD = DATA / "hard"


@pytest.mark.parametrize(
    ("path", "fmt", "count"),
    [
        (REAL / "ovid_psycinfo_nl_after_er.ris", "ris", 3),
        (REAL / "dimensions.ris", "ris", 3),
        (REAL / "endnote_embase.ris", "ris", 2),
        (REAL / "springerlink.csv", "csv", 8),
        (REAL / "lens.csv", "csv", 4),
        (REAL / "ovid_embase_direct_export.cgi", "medline", 2),
        (REAL / "wos_plaintext.txt", "wos", 2),
        (REAL / "wos_tab_delimited.txt", "csv", 2),
        (REAL / "trid.ris", "ris", 3),
        (REAL / "citavi.ris", "ris", 2),
        (REAL / "ieee.ris", "ris", 2),
        (REAL / "jstor.ris", "ris", 3),
        (HARD / "eric.nbib", "medline", 2),
        (HARD / "medline_truncated_last.txt", "medline", 3),
        (HARD / "ris_identifiers_names_dates.ris", "ris", 2),
        (HARD / "scopus_extra_field.csv", "csv", 5),
        (HARD / "embase_source_openurl.csv", "csv", 1),
        (HARD / "zotero.bib", "bibtex", 2),
        (HARD / "mendeley_endnote.xml", "endnote-xml", 2),
    ],
)
def test_each_layout_is_detected_and_counted(path: Path, fmt: str, count: int) -> None:
    assert detect_format(read_export(path)) == fmt
    records = load(path)
    assert len(records) == count
    assert all(r.title for r in records)


def test_ovid_ris_nl_after_er_is_kept_with_a_warning(caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.WARNING, logger="litsieve"):
        first, second, third = load(REAL / "ovid_psycinfo_nl_after_er.ris")
    assert "line 51: tag NL outside a record" in caplog.text
    assert "text between records ignored: Link to the Ovid Full Text" in caplog.text
    assert second.extra["after ER: NL"] == "Drug Alcohol Depend"
    assert second.journal == "Drug and Alcohol Dependence"  # NL never replaces JF
    assert second.doi == "10.1016/0376-8716(76)90010-7"  # %28 %29 decoded
    assert (third.record_id.split(":", 1)[1], third.year, third.pages) == (
        "1979-33598-001", 1978, "602-604")


def test_ovid_direct_export_starting_with_angle_bracket() -> None:
    first, second = load(REAL / "ovid_embase_direct_export.cgi", source="embase")
    assert first.record_id == "embase:621381829"  # UI
    assert first.journal == "BMC Proceedings"  # from SO, the conference kept apart
    assert (first.volume, first.issue, first.pages, first.year) == ("12", "Supplement 3", "", 2018)
    assert first.authors == ["Behan, L.", "Rubbo, B.", "Lucas, J.S.", "Galvin, A.D."]
    assert first.issn == "1753-6561"  # IS is the ISSN in this layout
    assert first.doi == "10.1186/s12919-018-0099-8"
    # Unindented lines continue the abstract.
    assert "Method(s): We searched MEDLINE" in first.abstract
    assert first.abstract.endswith("need investigation.")
    assert "*quality of life" in first.keywords
    assert second.title == "Development of a bioinformatics analysis method for diagnosis of."


def test_dimensions_u1_pmid_pmcid_and_markup() -> None:
    first, second, third = load(REAL / "dimensions.ris", source="dimensions")
    assert first.record_id == "dimensions:pub.1140991594"
    assert (first.pmid, first.pmcid) == ("34589295", "PMC8434810")  # U1 ... [PMID] / [PMCID]
    assert "mortality for Mobula mobular, and" in first.abstract  # <i> removed
    assert "METHOD: We report" in first.abstract  # untagged continuation line kept
    assert second.pmid == "19040650" and second.pmcid == ""
    assert "(<90 cm total length)" in second.abstract  # a literal "<" is text, not markup
    assert "112-190 cm LT , respectively" in third.abstract  # <sub>T</sub>
    assert third.authors[0] == "De Wysiecki, A. M."


def test_endnote_ris_multi_value_lines() -> None:
    first, second = load(REAL / "endnote_embase.ris")
    assert first.extra["DB"] == "Embase Medline"
    assert first.keywords[:3] == ["article", "biostratigraphy", "Colorado"]
    assert first.issn == "1932-8494; 1932-8486"
    assert second.issue == "1" and second.volume == "24" and second.pages == "32"


def test_springerlink_csv_authors_run_together() -> None:
    records = load(REAL / "springerlink.csv", source="springer")
    by_doi = {r.doi: r for r in records}
    assert by_doi["10.1007/s42979-021-00767-6"].authors == ["Raj, Vinay", "Sadam, Ravichandra"]
    assert by_doi["10.1007/s11548-020-02171-6"].authors == []
    assert by_doi["10.1007/s11771-018-3926-1"].authors[:2] == ["Hou, Jing-wei", "Sun, Shi-qin"]
    assert by_doi["10.1007/s10845-019-01516-6"].authors == [
        "Redelinghuys, A. J. H.", "Basson, A. H.", "Kruger, K."]
    assert by_doi["10.1007/s11334-017-0301-6"].authors == [
        "DeFranco, J.", "Kassab, M.", "Laplante, P.", "Laplante, N."]
    assert by_doi["10.1007/s11432-014-5064-1"].authors[:3] == [
        "Liu, Lin", "Yang, Chen", "Wang, JianMin"]
    assert by_doi["10.1007/s11219-017-9393-3"].authors[2] == "Di Giandomenico, Felicita"
    assert by_doi["10.1007/s10270-013-0341-9"].authors[0] == "von Detten, Markus"
    first = records[0]
    assert (first.journal, first.volume, first.issue, first.year) == ("SN Computer Science", "2",
                                                                      "5", 2021)
    assert first.publication_types == ["Article"] and first.url.startswith("http://link.springer")


def test_lens_csv_authors_jats_issns_and_pmid() -> None:
    first, second, third, fourth = load(REAL / "lens.csv", source="lens")
    assert first.record_id == "lens:000-015-224-213-921"
    assert first.authors == ["Baetz, Brian W.", "Pas, Eric I.", "Vesilind, P. Aarne"]  # Author/s
    assert first.abstract.startswith("An industry faced") and "jats" not in first.abstract
    assert first.issn == "0734-242X; 1096-3669"
    assert second.abstract.startswith("The issue of construction waste")  # <title>Abstract</title>
    assert third.pmid == "10105986" and third.pages == "179-81, 195"
    assert "Equipment and Supplies, Hospital" in third.keywords  # MeSH terms, split at ";"
    assert fourth.doi == "10.1016/0956-053x(94)90037-x"


def test_wos_tab_delimited_and_tagged_readers_agree() -> None:
    tab = load(REAL / "wos_tab_delimited.txt", source="wos")
    tagged = load(REAL / "wos_plaintext.txt", source="wos")
    for a, b in zip(tab, tagged, strict=True):
        assert a.to_row() | {"source_file": ""} == b.to_row() | {"source_file": ""}
    first = tab[0]
    assert first.record_id == "wos:WOS:000424022700066"  # UT, not ID
    assert first.keywords == ["MENTAL-HEALTH", "STIGMA", "INDIA"]  # ID is Keywords Plus
    assert first.authors[0] == "Asampong, Emmanuel"  # AF before AU
    assert first.publication_types == ["Article"]  # DT, not the code "J"
    assert (first.pmid, first.pages) == ("29377890", "e0006219")


def test_eric_nbib_without_pmid() -> None:
    first, second = load(HARD / "eric.nbib", source="eric")
    assert first.record_id == "eric:EJ1131633" and first.pmid == ""
    assert first.doi == "10.3109/09638237.2011.583947"  # AID link
    assert first.issn == "0963-8237"  # "ISSN-0963-8237"
    assert first.url == "http://eric.ed.gov/?id=EJ1131633"
    assert first.keywords == ["Peer Counseling", "Mental Health Programs"]
    assert (second.record_id, second.pages, second.year) == ("eric:ED571234", "1-20", 2016)
    assert load(HARD / "eric.nbib", fmt="medline")[0].title.startswith("Peer Support Workers")


def test_truncated_last_medline_record_is_warned(caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.WARNING, logger="litsieve"):
        records = load(HARD / "medline_truncated_last.txt")
    assert "line 25: the last record has no SO line" in caplog.text
    assert records[0].authors == ["Repper, Julie", "Peer Support Research Group"]  # CN


def test_identifiers_names_and_dates_in_ris() -> None:
    first, second = load(HARD / "ris_identifiers_names_dates.ris")
    assert first.pmid == "21827289"  # AN with DP - NLM (EndNote's PubMed records)
    assert first.year == 2017  # "Start date: 20170812"
    assert first.issue == "" and first.extra["IS"] == "eag, 7805975"
    assert first.authors == ["Repper, Julie", "World Health Organization"]  # no "and others"
    assert first.doi == "10.1002/(sici)1099-1166(199907)14:7<533::aid-gps983>3.0.co;2-v"
    assert second.doi == "10.1641/0006-3568(2002)052[0044:ptlbtr]2.0.co;2"  # [ kept
    assert second.authors == ["Smith, John", "Peer Support Trial Group"]
    assert second.title == "Seasonal patterns in Mobula catches: CO2 and pH"
    assert second.abstract == "Background: Catches fell (p <0.05) in 2001."
    assert second.pmid == "11111111"  # from the PubMed link


def test_scopus_row_with_one_field_more_is_mended_and_named(
    caplog: pytest.LogCaptureFixture,
) -> None:
    with caplog.at_level(logging.WARNING, logger="litsieve"):
        records = load(HARD / "scopus_extra_field.csv", source="scopus")
    assert "line 4: the row has 13 cells for 12 columns" in caplog.text
    third = records[2]
    assert third.title == ("Peer support among persons with severe mental illnesses: a review "
                           "of evidence, and experience")
    assert (third.language, third.pmid, third.record_id) == ("english", "16540000",
                                                             "scopus:2-s2.0-33745000000")
    assert third.publication_types == ["Review"]
    assert [r.pmid for r in records] == ["23477647", "21827289", "16540000", "24549400",
                                          "11769979"]


def test_row_whose_shift_cannot_be_placed_keeps_only_certain_cells(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    path = tmp_path / "t.csv"
    good = "".join(f"A{i},x,y,200{i}\n" for i in range(5))
    path.write_text(f"Title,Keywords,Notes,Year\nB,p,q,r,2002\n{good}")
    with caplog.at_level(logging.WARNING, logger="litsieve"):
        second, first, *_ = load(path)
    assert "line 2: the row has 5 cells for 4 columns and where they shifted cannot be told" \
        in caplog.text
    # Any of the first three cells may hold the stray comma: only the year is certain, the
    # rest is kept for a person to place, never silently shifted.
    assert (second.title, second.year) == ("", 2002)
    assert second.extra["unaligned cells"] == ["B", "p", "q", "r"]
    assert first.title == "A0"


def test_embase_csv_source_cell_and_openurl_doi() -> None:
    record = load(HARD / "embase_source_openurl.csv", source="embase")[0]
    assert (record.journal, record.year, record.volume, record.issue, record.pages) == (
        "Psychiatric Services", 2014, "65", "4", "429-441")
    assert record.doi == "10.1176/appi.ps.201300244"  # only in the OpenURL link
    assert record.record_id == "embase:L372700000"
    # Commas inside parentheses do not split a keyword.
    assert "mental disease (drug therapy, rehabilitation)" in record.keywords
    assert "recovery (psychology)" in record.keywords


def test_scopus_csv_source_column_is_not_a_citation(tmp_path: Path) -> None:
    path = tmp_path / "scopus.csv"
    path.write_text("Title,Year,Source title,Source\nPeer support,2013,Psychiatr Serv,Scopus\n")
    record = load(path)[0]
    assert record.journal == "Psychiatr Serv" and record.extra["Source"] == "Scopus"


def test_zotero_bibtex_text_macros_math_markup_and_extra_brace(
    caplog: pytest.LogCaptureFixture,
) -> None:
    with caplog.at_level(logging.WARNING, logger="litsieve"):
        first, second = load(HARD / "zotero.bib")
    assert first.abstract == ("Red cells were stored a mean of 6.1 days (P<0.001). At 90 days, "
                              "37.0% had died; ISS > 15 in 24.4%.")
    assert first.title == "Age of Transfused Blood in Critically Ill Adults: in vivo study"
    assert first.authors[-1] == "ABLE Investigators and the Canadian Critical Care Trials Group"
    assert second.title == "A ΣΔ modulator for CO2 sensing at ±5 ppm"
    assert "line 15: an extra '}' ends the entry that starts on line 13" in caplog.text
    # The fields after the stray brace are still read.
    assert (second.authors, second.year, second.pages) == (["Chen, Li"], 2019, "1-4")


def test_mendeley_endnote_xml_issue_and_accession_pmid() -> None:
    first, second = load(HARD / "mendeley_endnote.xml", source="mendeley")
    assert (first.issue, first.pmid, first.record_id) == ("4", "21827289", "mendeley:21827289")
    assert second.issue == "14"
    assert second.pmid == ""  # nine digits: a CINAHL-style accession, not a PMID


def test_names_with_emails_placeholders_and_organisations() -> None:
    from litsieve.importers.fields import authors

    assert authors(["Smith, J. (jsmith@nhm.example.ac.uk)", "Doe J jdoe@example.org",
                    "[No author name available]", "et al.", "and others",
                    "World Health Organization", "Mental Health Foundation of Australia",
                    "Anonymous"]) == [
        "Smith, J.", "Doe, J", "World Health Organization",
        "Mental Health Foundation of Australia", "Anonymous"]


def test_pmid_from_pubmed_europepmc_openurl_and_ovid_medline_links() -> None:
    from litsieve.importers.fields import pmid_from_url

    assert pmid_from_url(["https://www.ncbi.nlm.nih.gov/pubmed/10105986"]) == "10105986"
    assert pmid_from_url(["https://pubmed.ncbi.nlm.nih.gov/29377890/"]) == "29377890"
    assert pmid_from_url(["http://europepmc.org/abstract/MED/10105986"]) == "10105986"
    assert pmid_from_url(["http://sfx.example.org/?rft_id=info:pmid/21827289&x=1"]) == "21827289"
    assert pmid_from_url(["http://ovidsp.ovid.com/ovidweb.cgi?T=JS&PAGE=reference&D=medl&NEWS=N"
                          "&AN=21827289"]) == "21827289"
    # In other Ovid databases the accession number is that database's own.
    assert pmid_from_url(["http://ovidsp.ovid.com/ovidweb.cgi?T=JS&PAGE=reference&D=psyc2&NEWS=N"
                          "&AN=1977-25037-001", "https://doi.org/10.1000/123"]) == ""
    # A malformed link is no identifier, and no error.
    assert pmid_from_url(["http://[ovid.example?D=medl&AN=1"]) == ""


def test_trid_start_date_and_page_labels() -> None:
    first, second, third = load(REAL / "trid.ris", source="trid")
    assert first.year == 2017  # "PY  - Start date: 20170812"
    assert second.pages == "37-64"  # "SP  - pp 37-64"
    assert third.authors[2:] == ["Name of a Research Center", "Name of a University"]


def test_jstor_provider_lines_between_records(caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.WARNING, logger="litsieve"):
        first, second, third = load(REAL / "jstor.ris")
    assert "line 27: text between records ignored: Provider: JSTOR" in caplog.text
    assert second.issn == "2111-1112; 2777-777X" and second.pages == "80-87"
    assert third.extra["SN"] == "9777777777779"  # not an ISSN or ISBN: kept, not dropped


def test_citavi_identifiers_only_in_links() -> None:
    first, second = load(REAL / "citavi.ris")
    assert (first.pmid, first.pmcid) == ("33523284", "PMC8382607")  # Europe PMC, PMC links
    assert (second.pmid, second.pmcid) == ("31793055", "PMC7318295")
    assert "p < 0.001, p < 0.001" in first.abstract  # a literal "<" is kept
    assert first.issn == "0937-4477" and second.authors[2] == "van den Heuvel, Michel M."


def test_ieee_initials_first_names_and_empty_tags() -> None:
    first, second = load(REAL / "ieee.ris")
    assert first.authors[0] == "Author-One, A."  # "A. Author-One"
    assert (first.year, first.volume, first.issue, first.pages) == (2020, "", "", "183-186")
    assert (second.volume, second.issue, second.issn) == ("50", "3", "1111-2222")
