"""Bad input gets an ImportFormatError naming file and line: never a traceback, never nothing."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest

from litsieve.errors import ImportFormatError
from litsieve.importers import load
from litsieve.importers.encoding import decode

DATA = Path(__file__).parent / "data" / "import"


@pytest.mark.parametrize(
    ("name", "fmt", "line", "words"),
    [
        ("ris_truncated.ris", None, 5, "no 'ER  -'"),
        ("pubmed_truncated.xml", None, 3, "truncated"),
        ("bibtex_truncated.bib", None, 5, "never closed"),
        ("wos_truncated.txt", None, 9, "no 'EF'"),
        ("billion_laughs.xml", None, 3, "entities"),
        ("external_entity.xml", "endnote-xml", 2, "entities"),
        ("binary.bin", None, 1, "binary file"),
        ("document.pdf", None, 1, "PDF"),
        ("empty.txt", None, 1, "empty"),
        ("unknown.txt", None, 1, "supported formats: ris, medline"),
    ],
)
def test_bad_files_raise_import_format_error_with_location(
    name: str, fmt: str | None, line: int, words: str
) -> None:
    with pytest.raises(ImportFormatError) as caught:
        load(DATA / name, fmt=fmt)
    error = caught.value
    assert error.location.file == str(DATA / name)
    assert error.location.line == line
    assert words in str(error)


def test_entity_expansion_never_reaches_the_record() -> None:
    with pytest.raises(ImportFormatError):
        load(DATA / "billion_laughs.xml", fmt="pubmed-xml")


def test_wrong_explicit_format_is_an_error_not_an_empty_result(tmp_path: Path) -> None:
    with pytest.raises(ImportFormatError, match="no RIS records"):
        load(DATA / "medline_pubmed.nbib", fmt="ris")
    with pytest.raises(ImportFormatError, match="no RIS records"):
        load(DATA / "csv_pubmed.csv", fmt="ris")
    header_only = tmp_path / "header.csv"
    header_only.write_text("Title,Authors,Year\n")
    with pytest.raises(ImportFormatError, match="no records found"):
        load(header_only)
    with pytest.raises(ImportFormatError, match="root element is <PubmedArticleSet>"):
        load(DATA / "pubmed_article.xml", fmt="endnote-xml")
    with pytest.raises(ImportFormatError, match="an RIS file, not MEDLINE"):
        load(DATA / "ris_scopus.ris", fmt="medline")


def test_unknown_format_name_lists_supported_ones() -> None:
    with pytest.raises(ImportFormatError, match="use one of: ris, medline, pubmed-xml"):
        load(DATA / "ris_scopus.ris", fmt="marc21")


def test_missing_file_and_folder(tmp_path: Path) -> None:
    with pytest.raises(ImportFormatError, match="file not found"):
        load(tmp_path / "nope.ris")
    with pytest.raises(ImportFormatError, match="folder"):
        load(tmp_path)


def test_unknown_xml_names_its_root(tmp_path: Path) -> None:
    path = tmp_path / "feed.xml"
    path.write_text('<?xml version="1.0"?>\n<rss><channel/></rss>\n')
    with pytest.raises(ImportFormatError, match="<rss>"):
        load(path)


def test_tag_outside_record_in_ris_is_a_warning_and_kept(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    path = tmp_path / "bad.ris"
    path.write_text("TY  - JOUR\nTI  - One\nER  - \nAU  - Stray, Author\nTY  - JOUR\nTI  - Two\nER  - \n")
    with caplog.at_level(logging.WARNING, logger="litsieve"):
        first, second = load(path)
    assert "line 4: tag AU outside a record" in caplog.text
    assert first.extra["after ER: AU"] == "Stray, Author" and first.authors == []  # kept, not an author
    assert second.title == "Two"


def test_medline_record_without_pmid_is_kept_with_a_warning(
    caplog: pytest.LogCaptureFixture,
) -> None:
    with caplog.at_level(logging.WARNING, logger="litsieve"):
        first, second = load(DATA / "medline_no_pmid.txt")
    assert "line 4: a MEDLINE record without a PMID line" in caplog.text
    assert first.pmid == "1" and second.pmid == "" and second.record_id.startswith("medline_no_pmid:h")


def test_ris_record_without_end_before_next_record(tmp_path: Path) -> None:
    path = tmp_path / "bad.ris"
    path.write_text("TY  - JOUR\nTI  - One\nTY  - JOUR\nTI  - Two\nER  - \n")
    with pytest.raises(ImportFormatError, match="missing 'ER  -'") as caught:
        load(path)
    assert caught.value.location.line == 3


def test_csv_with_unclosed_quote(tmp_path: Path) -> None:
    path = tmp_path / "bad.csv"
    path.write_text('Title,Authors,Year\n"Closed",A,2001\n"Never closed,B,2002\n')
    with pytest.raises(ImportFormatError, match="never closed"):
        load(path)


def test_encodings_decode_to_the_same_text() -> None:
    text = "TI  - Caf\u00e9 \u2013 na\u00efve\nER  - \n"
    expected = text
    assert decode(text.encode("utf-8"), "f")[0] == expected
    assert decode(b"\xef\xbb\xbf" + text.encode("utf-8"), "f")[0] == expected
    assert decode(text.encode("utf-16"), "f")[0] == expected
    assert decode(text.encode("utf-16-le"), "f")[0] == expected  # no BOM
    assert decode(text.replace("\n", "\r\n").encode("utf-8"), "f")[0] == expected
    assert decode(text.replace("\n", "\r").encode("utf-8"), "f")[0] == expected
    assert decode(text.encode("cp1252"), "f") == (expected, "cp1252")


def test_utf8_with_one_damaged_byte_stays_utf8() -> None:
    data = "TI  - Caf\u00e9 na\u00efve \u00e9t\u00e9\n".encode("utf-8") + b"AB  - bad \xff byte\n"
    text, encoding = decode(data, "f")
    assert text.startswith("TI  - Caf\u00e9 na\u00efve \u00e9t\u00e9\n")  # no mojibake
    assert "\ufffd" in text and encoding.startswith("utf-8")
