"""Normalising field values the same way whatever format they came from.

Every importer hands raw strings to these helpers, so a DOI hidden in a link-resolver
URL, an ISSN printed as ``01678809`` or a language given as ``eng`` end up identical in
the record model, and deduplication can compare records from different databases.
"""

from __future__ import annotations

import re
from typing import Any, Iterable
from urllib.parse import parse_qs, unquote, urlsplit

from litsieve.record import normalize_author, normalize_doi
from litsieve.text import language_names

_ISSN = re.compile(r"(?<![\dXx-])(\d{4})-?(\d{3}[\dXx])(?![\dXx-])")
_DASHES = re.compile(r"\s*(?:--|[\u2010-\u2015\u2212])\s*")


def clean(value: Any) -> str:
    """Text with runs of whitespace (line folds, tabs, NBSP) collapsed to one space."""
    if value is None:
        return ""
    return " ".join(str(value).split())


def normalize_language(value: str) -> str:
    """Lower-case English language name(s): ``eng`` and ``English`` both give ``english``
    (the one table of :mod:`litsieve.text.languages`)."""
    return "; ".join(language_names(clean(value)))


def doi_from_url(url: str) -> str:
    """The DOI in a link, if it carries one (doi.org path, a ``doi=`` parameter, ``/doi/``)."""
    text = clean(url)
    if "10." not in text:
        return ""
    try:
        parts = urlsplit(text)
    except ValueError:
        return ""
    if parts.scheme.lower() not in {"http", "https", "ftp"}:
        return normalize_doi(text)
    host = parts.netloc.lower()
    if host.endswith("doi.org"):
        return normalize_doi(unquote(parts.path.lstrip("/")))
    for key, values in parse_qs(parts.query).items():
        if key.lower() in {"doi", "id", "rft_id", "rft.doi"}:
            for candidate in values:
                doi = normalize_doi(candidate.removeprefix("doi:"))
                if doi:
                    return doi
    match = re.search(r"/doi/(?:abs/|full/|pdf/|epdf/)?(10\.\d{4,9}/[^?#]+)", parts.path)
    return normalize_doi(unquote(match.group(1))) if match else ""


def first_doi(direct: Iterable[str], links: Iterable[str] = ()) -> str:
    """The first DOI from fields that hold one, else from link fields."""
    for value in direct:
        doi = normalize_doi(value)
        if doi:
            return doi
    for value in links:
        doi = doi_from_url(value)
        if doi:
            return doi
    return ""


def issns(values: Iterable[str]) -> list[str]:
    """ISSNs in ``NNNN-NNNC`` form found in the values, in order, without repeats."""
    found: list[str] = []
    for value in values:
        for first, second in _ISSN.findall(value or ""):
            issn = f"{first}-{second.upper()}"
            if issn not in found:
                found.append(issn)
    return found


def is_isbn(value: str) -> bool:
    """True for a 10- or 13-character ISBN, with or without hyphens."""
    compact_value = re.sub(r"[\s-]", "", value or "")
    return bool(re.fullmatch(r"\d{9}[\dXx]|97[89]\d{10}", compact_value))


def split_identifiers(values: Iterable[str]) -> tuple[str, str]:
    """Sort serial-number values (RIS ``SN``, EndNote ``isbn``) into ISSNs and ISBNs."""
    issn_list: list[str] = []
    isbn_list: list[str] = []
    for value in values:
        for part in re.split(r"[;,\r\n]+|\s(?=\d)", value or ""):
            part = re.sub(r"\(.*?\)", "", part).strip()
            if not part:
                continue
            if is_isbn(part):
                isbn = re.sub(r"\s", "", part)
                if isbn not in isbn_list:
                    isbn_list.append(isbn)
            else:
                for issn in issns([part]):
                    if issn not in issn_list:
                        issn_list.append(issn)
    return "; ".join(issn_list), "; ".join(isbn_list)


def pages(start: str, end: str = "") -> str:
    """``start-end`` with en dashes and spaces normalised; one page stays one page."""
    start = _DASHES.sub("-", clean(start))
    end = _DASHES.sub("-", clean(end))
    if start and end and "-" not in start and start != end:
        return f"{start}-{end}"
    return start or end


_INITIALS = re.compile(r"^(?:[A-Z]\.?-?){1,4}$")


def authors(names: Iterable[str]) -> list[str]:
    """``Surname, Given`` names, blanks dropped, order kept.

    ``Wilson L.N.`` (Scopus) is read as surname plus initials, like MEDLINE's ``Smith JA``.
    """
    result = []
    for name in names:
        tokens = clean(name).split(" ")
        if "," not in name and len(tokens) > 1 and _INITIALS.match(tokens[-1]):
            name = f"{' '.join(tokens[:-1])}, {tokens[-1]}"
        author = normalize_author(name)
        if author:
            result.append(author)
    return result


def split_keywords(values: Iterable[str]) -> list[str]:
    """Keywords from fields that hold one or several (``;``-separated), without repeats."""
    result: list[str] = []
    for value in values:
        for part in re.split(r";|\r|\n", value or ""):
            keyword = clean(part)
            if keyword and keyword not in result:
                result.append(keyword)
    return result


def digits_only(value: str) -> str:
    """``value`` stripped, if it is a plain number (a PMID), else ``""``."""
    value = clean(value)
    return value if value.isdigit() and len(value) <= 9 else ""


def compact(extra: dict[str, list[str]]) -> dict[str, Any]:
    """Extra fields as a plain mapping: one value as a string, several as a list."""
    result: dict[str, Any] = {}
    for key, values in extra.items():
        kept = [v for v in values if v != ""]
        if not kept:
            continue
        result[key] = kept[0] if len(kept) == 1 else kept
    return result



def accession_from_url(urls: Iterable[str]) -> str:
    """A database's own record number carried in its link (Scopus ``eid=``, EBSCO/Ovid ``AN=``)."""
    for url in urls:
        query = urlsplit(clean(url)).query if "?" in url else ""
        params = {k.lower(): v for k, v in parse_qs(query).items()}
        for key in ("eid", "an"):
            value = clean(params.get(key, [""])[0])
            if value and re.fullmatch(r"[\w.:-]+", value):
                return value
    return ""
