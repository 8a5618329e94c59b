"""Each export dialect, read from a small fixture that has its quirks (tests/data/import)."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest

from litsieve.importers import load
from litsieve.importers.detect import detect_format
from litsieve.importers.encoding import read_export

DATA = Path(__file__).parent / "data" / "import"


def one(name: str, index: int = 0, **kwargs):  # type: ignore[no-untyped-def]
    return load(DATA / name, **kwargs)[index]


@pytest.mark.parametrize(
    ("name", "fmt", "count"),
    [
        ("ris_ebscohost_psycinfo.ris", "ris", 2),
        ("ris_ovid.ris", "ris", 2),
        ("ris_apa_psycnet.ris", "ris", 1),
        ("ris_scopus.ris", "ris", 2),
        ("ris_wos.ris", "ris", 1),
        ("ris_embase.ris", "ris", 1),
        ("medline_pubmed.nbib", "medline", 2),
        ("medline_old.txt", "medline", 1),
        ("pubmed_article.xml", "pubmed-xml", 2),
        ("pubmed_book.xml", "pubmed-xml", 1),
        ("bibtex_scopus.bib", "bibtex", 1),
        ("bibtex_wos.bib", "bibtex", 1),
        ("bibtex_handwritten.bib", "bibtex", 2),
        ("endnote_utf16.xml", "endnote-xml", 2),
        ("wos_tagged.txt", "wos", 2),
        ("csv_scopus.csv", "csv", 2),
        ("csv_embase.csv", "csv", 1),
        ("csv_cinahl.csv", "csv", 1),
        ("csv_pubmed.csv", "csv", 2),
        ("csv_semicolon_cp1252.csv", "csv", 2),
        ("csv_generic.tsv", "csv", 2),
    ],
)
def test_detects_format_from_content_and_counts_records(name: str, fmt: str, count: int) -> None:
    assert detect_format(read_export(DATA / name)) == fmt
    records = load(DATA / name)
    assert len(records) == count
    assert all(r.title for r in records)
    assert len({r.record_id for r in records}) == count


def test_ebscohost_psycinfo_ris() -> None:
    first, second = load(DATA / "ris_ebscohost_psycinfo.ris", source="psycinfo")
    assert first.record_id == "psycinfo:2016-12345-001"  # the AN accession number
    assert first.source == "psycinfo"
    assert first.title == "A review of the literature on peer support in mental health services."
    assert first.authors == ["Repper, Julie", "Carter, Tim"]
    assert first.year == 2011  # from Y1 2011/08//
    assert first.journal == "Journal of Mental Health"  # JF before JO/JA
    assert first.pages == "392-411"
    assert first.issn == "0963-8237; 1360-0567"
    assert first.doi == "10.3109/09638237.2011.583947"
    assert first.url.startswith("https://search.ebscohost.com/")
    # The other UR lines (an e-mail address, an ORCID) are kept, not dropped.
    assert first.extra["UR"] == ["julie.repper@example.org", "ORCID: 0000-0002-1825-0097"]
    assert first.extra["JA"] == "J Ment Health"
    assert first.extra["DB"] == "psyh"
    # A DOI hidden in a doi.org link (no DO line), and the last ER without a newline.
    assert second.doi == "10.1093/schbul/sbj043"
    assert second.year == 2006


def test_ovid_numbered_records_cited_authors_and_references() -> None:
    first, second = load(DATA / "ris_ovid.ris")
    assert first.record_id.endswith(":2018-00011-001")
    assert first.authors == ["Seikkula, Jaakko", "Olson, Mary E"]  # A1, not the cited A2
    assert first.extra["A2"] == "Achenbach, T., Rescorla, L."
    assert len(first.extra["M1"]) == 3  # cited references kept as one list
    assert first.doi == "10.1176/appi.ps.201700034"  # from a full dx.doi.org URL in DO
    assert first.extra["PB"] == ["American Psychiatric Association", "US"]
    assert first.publication_types == ["Journal, Peer Reviewed Journal"]  # PT, not M3 code
    assert first.extra["M3"] == "3210 Psychological Disorders"
    assert first.language == "english"
    assert second.language == "french"


def test_apa_psycnet_header_lines_and_four_letter_pmid_tag() -> None:
    record = one("ris_apa_psycnet.ris")
    assert record.pmid == "24000000"
    assert record.doi == "10.1037/prj0000001"  # from M3 "doi:..."
    assert record.abstract == "Abstract about peer support workers."  # N2
    assert record.issn == "1095-158X; 1559-3126"


def test_scopus_ris_bom_c2_pmid_and_er_without_space() -> None:
    first, second = load(DATA / "ris_scopus.ris", source="scopus")
    assert first.title.startswith("Peer support in adult")  # TI, BOM stripped from TY
    assert first.journal == "Psychiatric Rehabilitation Journal"  # T2
    assert first.year == 2013  # PY
    assert first.pmid == "23477647"  # C2
    assert first.doi == "10.1037/h0094744"  # lower-cased
    assert first.record_id == "scopus:2-s2.0-84875800000"  # the EID from the link
    assert first.authors == ["Walker, G.", "Bryant, W."]
    assert second.pmid == ""
    assert second.extra["C7"] == "39"


def test_web_of_science_ris_continuation_lines() -> None:
    record = one("ris_wos.ris", source="wos")
    assert record.title == ("Peer Support Services for Individuals With Serious Mental "
                            "Illnesses: Assessing the Evidence")
    assert "Methods: Authors reviewed research literature." in record.abstract
    assert record.abstract.endswith("Results: Twenty studies were found.")
    assert record.record_id == "wos:WOS:000333000000001"
    assert record.year == 2014  # PY, not the DA month
    assert record.extra["J9"] == "PSYCHIAT SERV"


def test_embase_ris_l_number_c5_pmid_and_doi_link() -> None:
    record = one("ris_embase.ris", source="embase")
    assert record.record_id == "embase:L611111111"
    assert record.pmid == "27000001"
    assert record.authors == ["Gillard, S.", "Foster, R."]
    assert record.extra["DB"] == ["Embase", "Medline"]
    assert record.extra["M1"].startswith("(Gillard S.)")
    assert record.abstract == "Peer workers were interviewed."


def test_medline_new_tags_crlf_and_continuations() -> None:
    first, second = load(DATA / "medline_pubmed.nbib", source="pubmed")
    assert first.record_id == "pubmed:21827289"
    assert first.pmid == "21827289"
    assert first.title == ("A review of the literature on peer support in mental health "
                           "services: the relevance of lived experience.")
    assert first.authors == ["Repper, Julie", "Carter, Tim"]  # FAU preferred over AU
    assert first.extra["AU"] == ["Repper J", "Carter T"]
    assert first.doi == "10.3109/09638237.2011.583947"  # LID ... [doi]
    assert first.pmcid == "PMC3000000"
    assert first.journal == "Journal of mental health (Abingdon, England)"
    assert (first.volume, first.issue, first.pages, first.year) == ("20", "4", "392-411", 2011)
    assert first.issn == "1360-0567; 0963-8237"
    assert first.language == "english"
    assert first.publication_types == ["Journal Article", "Review"]
    assert "*Mental Health Services" in first.keywords
    assert second.authors == ["Davidson, L", "Chinman, M"]  # AU only: "Surname, Initials"
    assert second.language == "french"


def test_medline_old_tags_and_leading_blank_line() -> None:
    record = one("medline_old.txt")
    assert record.year == 1976
    assert record.authors == ["Strekas, TC"]
    assert record.journal == "Biochim Biophys Acta"  # TA when there is no JT
    assert record.title.endswith("heme-flavin interaction.")


def test_pubmed_xml_keeps_inline_markup_text() -> None:
    first, second = load(DATA / "pubmed_article.xml", source="pubmed")
    assert first.title == "Peer support for adults with CO2 anxiety: the \u03b1 trial."
    assert first.abstract == "BACKGROUND: Peer support is common. RESULTS: Effect size d = 0.3."
    # The collective name is an author too, in its place in the list, kept as written.
    assert first.authors == ["Lloyd-Evans, Brynmor", "Mayo-Wilson, E", "Peer Support Trial Group"]
    assert first.extra["collective_authors"] == "Peer Support Trial Group"
    assert first.doi == "10.1186/1471-244x-14-39"  # not the reference list's DOI
    assert first.pmcid == "PMC3933205"
    assert first.record_id == "pubmed:24000001"
    assert first.issn == "1471-244X"
    assert second.year == 1998  # MedlineDate "1998 Dec-1999 Jan"
    assert second.language == "finnish"


def test_pubmed_book_article() -> None:
    record = one("pubmed_book.xml")
    assert record.pmid == "30000001"
    assert record.title == "Psychosis and schizophrenia in adults"
    assert record.year == 2014
    assert record.isbn == "978-1-4731-0000-0"
    assert record.publication_types == ["Book"]
    assert record.extra["collective_authors"] == "National Collaborating Centre for Mental Health"


def test_bibtex_scopus_preamble_bom_and_en_dash_pages() -> None:
    record = one("bibtex_scopus.bib", source="scopus")
    assert record.record_id == "scopus:2-s2.0-84875800000"
    assert record.pages == "28-34"
    assert record.pmid == "23477647"
    assert record.issn == "1095-3909"
    assert record.keywords == ["peer support", "metasynthesis"]
    assert record.extra["key"] == "Walker2013"


def test_bibtex_wos_folded_fields_and_spaced_key() -> None:
    record = one("bibtex_wos.bib", source="wos")
    assert record.record_id == "wos:WOS:000333000000001"
    assert record.title == ("Peer Support Services for Individuals With Serious Mental "
                            "Illnesses: Assessing the Evidence")
    assert record.issn == "1075-2730; 1557-9700"
    assert "CONSUMER-PROVIDERS" in record.keywords


def test_bibtex_hand_written_latex_macros_and_corporate_authors() -> None:
    first, second = load(DATA / "bibtex_handwritten.bib")
    assert first.authors[4] == "Ker\u00e4nen, Jyrki"
    assert first.title == ("Five-year experience of first-episode nonaffective psychosis in "
                           "Open Dialogue approach")
    assert first.journal == "Journal of Mental Health (Special issue)"  # @string + #
    assert first.year == 2006  # bare number
    assert first.pages == "214-232"
    assert first.doi == "10.1080/10503300500268490"
    assert first.extra["note"] == "Caf\u00e9 culture, na\u00efve readers and \u00e7a \u0161t\u00e9p\u00e1nek \u00df \u00f8 \u00c5"
    assert first.extra["month"] == "Jun"
    assert second.authors == ["World Health Organization and Partners"]
    assert second.title == "Mental health ATLAS 2017"
    assert second.isbn == "978-92-4-151401-9"


def test_endnote_xml_utf16_style_wrappers_and_multi_values() -> None:
    first, second = load(DATA / "endnote_utf16.xml", source="endnote")
    assert first.title == "Peer support: a theoretical perspective in practice"
    assert first.authors == ["Mead, S.", "Hilton, D."]
    assert first.journal == "Psychiatric Rehabilitation Journal"
    assert first.issn == "1095-158X"  # "&#xD;"-separated ISSN list, repeated value once
    assert first.pmid == "11769979"  # accession number of an NLM record
    assert first.record_id == "endnote:11769979"
    assert first.doi == "10.2975/25.2001.134.141"
    assert first.abstract.endswith("help <founded> on respect.")
    assert first.extra["notes"] == ["Mead, S", "Hilton, D", "Curtis, L"]
    assert second.record_id == "endnote:13"  # EndNote's record number
    assert second.isbn == "978-0-9883-0000-1"
    assert second.publication_types == ["Book"]


def test_wos_tagged_plain_text() -> None:
    first, second = load(DATA / "wos_tagged.txt", source="wos")
    assert first.record_id == "wos:WOS:000333000000001"
    assert first.authors == ["Chinman, Matthew", "George, Preethy"]  # AF before AU
    assert first.title.endswith("Illnesses: Assessing the Evidence")
    assert first.keywords == ["peer support", "serious mental illness", "consumer providers"]
    assert first.pmid == "24549400"
    assert first.pages == "429-441"
    assert first.publication_types == ["Review"]
    assert second.pages == "134"  # article number when there are no page numbers


def test_scopus_csv_multiline_cells_and_formula_like_text() -> None:
    first, second = load(DATA / "csv_scopus.csv", source="scopus")
    assert first.record_id == "scopus:2-s2.0-84875800000"
    assert first.authors == ["Walker, G.", "Bryant, W."]
    assert first.abstract == "Peer support is spread over two lines."
    assert first.keywords == ["peer support", "metasynthesis", "Adult", "Humans"]
    assert first.pages == "28-34"
    assert first.extra["Cited by"] == "300"
    assert second.title == "-A title starting with a dash"  # kept as text, not dropped


def test_embase_csv_preamble_and_pui() -> None:
    record = one("csv_embase.csv", source="embase")
    assert record.record_id == "embase:L611111111"
    assert record.authors == ["Gillard, S.", "Foster, R."]
    assert record.pmid == "27000001"
    assert record.issn == "1471-244X"
    assert record.keywords == ["adult", "human", "peer group"]


def test_cinahl_csv_excel_text_cells() -> None:
    record = one("csv_cinahl.csv", source="cinahl")
    assert record.record_id == "cinahl:176404503"
    assert record.issn == "0965-2612"  # from ="09652612"
    assert record.year == 2014  # from ="4/3/2014"
    assert record.authors == ["Curry Rogers, Kristina", "Mart\u00ednez, Ricardo N."]


def test_pubmed_csv_comma_separated_initials() -> None:
    first, second = load(DATA / "csv_pubmed.csv", source="pubmed")
    assert first.authors == ["Repper, J", "Carter, T"]
    assert first.record_id == "pubmed:21827289"
    assert second.authors == ["Davidson, L."]


def test_semicolon_cp1252_csv_with_verbatim_ids(caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.WARNING, logger="litsieve"):
        first, second = load(DATA / "csv_semicolon_cp1252.csv", source="hand")
    assert first.record_id == "r1"  # ID column kept verbatim, no source prefix
    assert first.title == "Peer support pour adultes : \u00e9valuation"  # TI column
    assert first.authors == ["Dupont, H\u00e9l\u00e8ne", "M\u00fcller, J\u00fcrgen"]
    assert first.journal == "Sant\u00e9 mentale"  # "Source title"
    assert first.issue == "3"  # "number"
    assert first.doi == "10.1000/abc.1"
    assert first.extra["Titel"] == "x"  # unknown column kept
    assert second.title == "Groupe d\u2019entraide mutuelle"
    assert "csv_semicolon_cp1252.csv" in caplog.text and "cp1252" in caplog.text


def test_tsv_lower_case_columns_and_repeated_ids() -> None:
    first, second = load(DATA / "csv_generic.tsv")
    assert first.record_id == "mine-1"
    assert second.record_id == "mine-1~2"
    assert first.authors == ["Smith, John", "Doe, Jane"]
    assert first.doi == "10.1000/xyz"


def test_ids_are_stable_and_content_hash_without_identifier(tmp_path: Path) -> None:
    text = "TY  - JOUR\nTI  - No identifier here\nAU  - Doe, Jane\nPY  - 2001\nER  - \n"
    path = tmp_path / "x.ris"
    path.write_text(text)
    first = load(path, source="s")[0].record_id
    assert first.startswith("s:h") and first == load(path, source="s")[0].record_id
    path.write_text(text.replace("2001", "2002"))
    assert load(path, source="s")[0].record_id != first


def test_explicit_format_skips_detection_and_aliases_work() -> None:
    assert len(load(DATA / "medline_pubmed.nbib", fmt="nbib")) == 2
    assert len(load(DATA / "wos_tagged.txt", fmt="wos-tagged")) == 2


def test_repeated_doi_lines_keep_the_other_dois(tmp_path: Path) -> None:
    path = tmp_path / "two.ris"
    path.write_text("TY  - JOUR\nTI  - Two DOIs\nDO  - 10.1000/A\nDO  - https://doi.org/10.1000/a\n"
                    "DO  - 10.2000/B\nER  - \n")
    record = load(path)[0]
    assert record.doi == "10.1000/a"
    assert record.extra["DO"] == "10.2000/B"  # a different DOI is kept; the same one is not


def test_web_of_science_tab_delimited_utf16_reads_as_a_table() -> None:
    record = one("wos_tab_delimited_utf16.txt", source="wos")
    assert detect_format(read_export(DATA / "wos_tab_delimited_utf16.txt")) == "csv"
    assert record.record_id == "wos:WOS:000333000000001"  # UT
    assert record.authors == ["Chinman, Matthew", "George, Preethy"]  # AF, as the tagged reader
    assert record.publication_types == ["Review"]  # DT, not the PT code "J"
    assert (record.year, record.pages, record.pmid) == (2014, "429-441", "24549400")
    assert record.doi == "10.1176/appi.ps.201300244"
    assert record.language == "english"


def test_detection_takes_the_earliest_signature(tmp_path: Path) -> None:
    table = tmp_path / "table.txt"
    table.write_text('Title,Authors,Year,Abstract\n"Peer support",Doe J,2001,"Quoted:\n'
                     '@misc{not, title={bibtex}}\nTY  - JOUR\nPMID- 1"\n')
    assert detect_format(read_export(table)) == "csv"
    assert load(table)[0].abstract.startswith("Quoted: @misc{not")
    ris = tmp_path / "notes.txt"
    ris.write_text("Provider: EBSCO\nDatabase: PsycINFO\n\nTY  - JOUR\nTI  - A\nPMID- 1\nER  - \n")
    assert detect_format(read_export(ris)) == "ris"


def test_csv_cells_longer_than_the_csv_module_default(tmp_path: Path) -> None:
    path = tmp_path / "scopus.csv"
    references = "; ".join(f"Author {i}, Title {i}, Journal (2001)" for i in range(8000))
    path.write_text(f'Title,Authors,Year,References\n"Long",Doe J.,2001,"{references}"\n')
    assert len(references) > 131072
    assert load(path)[0].extra["References"] == references
