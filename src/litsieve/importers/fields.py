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
_ISSN_LABEL = re.compile(r"\bE?ISSN[-:\s]*(?=\d)", re.IGNORECASE)
_PAGE_LABEL = re.compile(r"^(?:pp?\.?\s*)(?=\d)", re.IGNORECASE)  # TRID's "pp 37-64"
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
    found: dict[str, None] = {}
    for value in values:
        for first, second in _ISSN.findall(value or ""):
            found.setdefault(f"{first}-{second.upper()}", None)
    return list(found)


def is_isbn(value: str) -> bool:
    """True for a 10- or 13-character ISBN, with or without hyphens."""
    compact_value = re.sub(r"[\s-]", "", value or "")
    return bool(re.fullmatch(r"\d{9}[\dXx]|97[89]\d{10}", compact_value))


def split_identifiers(values: Iterable[str]) -> tuple[str, str]:
    """Sort serial-number values (RIS ``SN``, EndNote ``isbn``) into ISSNs and ISBNs."""
    issn_list: dict[str, None] = {}
    isbn_list: dict[str, None] = {}
    for value in values:
        value = _ISSN_LABEL.sub("", value or "")  # ERIC's "ISSN-0963-8237", "EISSN-..."
        for part in re.split(r"[;,\r\n]+|\s(?=\d)", value):
            part = re.sub(r"\([^()]{0,200}\)", "", part).strip()
            if not part:
                continue
            if is_isbn(part):
                isbn_list.setdefault(re.sub(r"\s", "", part), None)
            else:
                for issn in issns([part]):
                    issn_list.setdefault(issn, None)
    return "; ".join(issn_list), "; ".join(isbn_list)


def pages(start: str, end: str = "") -> str:
    """``start-end`` with en dashes and spaces normalised; one page stays one page."""
    start = _DASHES.sub("-", _PAGE_LABEL.sub("", clean(start)))
    end = _DASHES.sub("-", _PAGE_LABEL.sub("", clean(end)))
    if start and end and "-" not in start and start != end:
        return f"{start}-{end}"
    return start or end


_INITIALS = re.compile(r"^(?:[A-Z]\.?-?){1,4}$")
_EMAIL = re.compile(r"[\w.+-]{1,64}@[\w-]{1,63}(?:\.[\w-]{1,63}){1,8}")
# What exports write where there is no (further) author: not a name.
_NO_AUTHOR = re.compile(
    r"^(?:\[?no authors? (?:name )?(?:available|listed|given)\]?|et al\.?|"
    r"and others|others|\[?et al\.?\]?|n/?a|unknown)\.?$", re.IGNORECASE)
_NO_AUTHOR_START = frozenset("[NnEeAaOoUu")
# Words that make a name an organisation ("Peer Support Trial Group", "World Health
# Organization"): such a name is kept as written, never turned into "Surname, Given".
_ORGANISATION_WORDS = frozenset("""
organization organisation group consortium collaboration collaborative committee society
association institute institution university council foundation investigators team network
centre center department ministry agency trust alliance federation board panel task force
office programme program initiative services service hospital college academy commission
collaborators trialists working party authority corporation company inc ltd llc gmbh
bureau unit laboratory laboratories council coalition partnership project registry
""".split())


_ORGANISATION = re.compile(
    r"\b(?:" + "|".join(sorted(_ORGANISATION_WORDS, key=len, reverse=True)) + r")\b"
    r"|\s(?:of|for|on|&)\s", re.IGNORECASE)


def is_organisation(name: str) -> bool:
    """True for a group author written in one piece (no comma): kept as written."""
    return "," not in name and _ORGANISATION.search(name) is not None


def clean_name(name: str) -> str:
    """A name without e-mail addresses, brackets left empty by them, or placeholder text."""
    name = clean(name)
    if "@" in name:
        name = clean(_EMAIL.sub("", name).replace("()", "").replace("[]", "")).strip(" ,;")
    if len(name) < 40 and name[:1] in _NO_AUTHOR_START and _NO_AUTHOR.match(name.rstrip(" .")):
        return ""
    return name


def authors(names: Iterable[str]) -> list[str]:
    """``Surname, Given`` names, blanks and placeholders dropped, order kept.

    ``Wilson L.N.`` (Scopus) is read as surname plus initials, like MEDLINE's ``Smith JA``;
    an organisation is kept as written; e-mail addresses inside a name (Zoological Record)
    and "[No author name available]" / "et al." / "and others" are not authors.
    """
    result = []
    for raw in names:
        name = clean_name(raw)
        if not name:
            continue
        if is_organisation(name):
            result.append(name)
            continue
        tokens = name.split(" ")
        if "," not in name and len(tokens) > 1 and _INITIALS.match(tokens[-1]):
            name = f"{' '.join(tokens[:-1])}, {tokens[-1]}"
        author = normalize_author(name)
        if author:
            result.append(author)
    return result


def split_outside_parentheses(value: str, separator: str = ",") -> list[str]:
    """Split at ``separator`` where it is not inside parentheses or brackets (one pass)."""
    parts: list[str] = []
    depth = 0
    start = 0
    for index, char in enumerate(value):
        if char in "([":
            depth += 1
        elif char in ")]" and depth:
            depth -= 1
        elif char == separator and depth == 0:
            parts.append(value[start:index])
            start = index + 1
    parts.append(value[start:])
    return [clean(p) for p in parts if clean(p)]


def split_keywords(values: Iterable[str]) -> list[str]:
    """Keywords from fields that hold one or several (``;``-separated), without repeats."""
    result: list[str] = []
    seen: set[str] = set()
    for value in values:
        parts = re.split(r";|\r|\n", value) if value and (";" in value or "\n" in value
                                                             or "\r" in value) else [value]
        for part in parts:
            keyword = clean(part)
            if keyword and keyword not in seen:
                seen.add(keyword)
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



_PMID_IN_URL = re.compile(
    r"(?:ncbi\.nlm\.nih\.gov/(?:pubmed|entrez/query\.fcgi\?[^#]{0,300}?list_uids=)|"
    r"pubmed\.ncbi\.nlm\.nih\.gov|europepmc\.org/(?:abstract|article)/med|"
    r"info:pmid|[?&](?:pmid|pubmed_?id)=)/?(\d{1,8})(?!\d)", re.IGNORECASE)
# "34589295 [PMID]", "PMC8434810 [PMCID]", "10.1000/x [DOI]" (Dimensions U1, MEDLINE AID).
_TAGGED_ID = re.compile(r"^\s*(\S{1,200})\s*\[(PMID|PMCID|PMC|DOI)\]\s*$", re.IGNORECASE)


def pmid_from_url(urls: Iterable[str]) -> str:
    """The PMID in a PubMed / Europe PMC link or an OpenURL ``rft_id=info:pmid/...``."""
    for url in urls:
        if url and ("pubmed" in url or "pmid" in url.casefold() or "europepmc" in url
                    or "uids" in url):
            match = _PMID_IN_URL.search(unquote(url))
            if match:
                return match.group(1)
        if url and "ovid" in url and "AN=" in url:
            # Ovid's own link: in its MEDLINE segments (D=medl, medc, prem, mesz...) the
            # accession number is the PMID.
            params = _query(url)
            database = params.get("d", [""])[0].casefold()
            accession = params.get("an", [""])[0]
            if database.startswith(("med", "prem", "mesz")) and accession.isdigit() \
                    and len(accession) <= 8:
                return accession
    return ""


_PMCID_IN_URL = re.compile(r"(?:/pmc/articles/|europepmc\.org/articles?/(?:pmc/)?)(PMC\d{1,9})",
                           re.IGNORECASE)


def pmcid_from_url(urls: Iterable[str]) -> str:
    """The PMCID in a PubMed Central or Europe PMC link."""
    for url in urls:
        if url and "PMC" in url.upper():
            match = _PMCID_IN_URL.search(url)
            if match:
                return match.group(1).upper()
    return ""


def tagged_identifiers(values: Iterable[str]) -> dict[str, str]:
    """``{"pmid"|"pmcid"|"doi": value}`` from values that say what they are in brackets."""
    found: dict[str, str] = {}
    for value in values:
        if "[" not in value:
            continue
        match = _TAGGED_ID.match(value)
        if not match:
            continue
        kind = match.group(2).casefold()
        ident = match.group(1)
        if kind == "pmid" and ident.isdigit():
            found.setdefault("pmid", ident)
        elif kind in {"pmcid", "pmc"} and re.fullmatch(r"PMC\d+", ident, re.IGNORECASE):
            found.setdefault("pmcid", ident.upper())
        elif kind == "doi" and normalize_doi(ident):
            found.setdefault("doi", normalize_doi(ident))
    return found


# An issue number, not a status code: Ovid writes "eag, 7805975" (epub ahead of print and
# the NLM journal id) into the issue of records not yet in an issue.
_NOT_AN_ISSUE = re.compile(r"^[a-z]{2,5},\s*\d{5,}$")


def issue(value: str) -> str:
    """The issue, unless the value is a database status code rather than an issue."""
    value = clean(value)
    return "" if _NOT_AN_ISSUE.match(value) else value


_CITATIONS = (
    # Embase.com: "Psychiatric Services (2014) 65:4 (429-441). Date of Publication: ..."
    re.compile(r"^(?P<journal>[^()]{2,300}?) \((?P<year>\d{4})\)(?: (?P<volume>[^\s:(]+))?"
               r"(?::(?P<issue>[^\s(]+))?(?: \((?P<pages>[^()]*)\))?"),
    # Ovid MEDLINE: "Journal of Mental Health. 20(4):392-411, 2011 Aug."
    re.compile(r"^(?P<journal>.{2,300}?)\. (?P<volume>[\w-]+)\((?P<issue>[^()]*)\):"
               r"(?P<pages>[\w-]+), (?P<year>\d{4})"),
    # Ovid Embase/PsycINFO: "BMC Proceedings. 12 (Supplement 3) (no pagination), 2018."
    re.compile(r"^(?P<journal>.{2,300}?)\. (?P<volume>[\w-]+)(?: \((?P<issue>[^()]*)\))?"
               r"(?: \((?:pp |p )?(?P<pages>[^()]*)\))?, (?P<year>\d{4})"),
    # PubMed SO: "Proc Natl Acad Sci U S A. 1996 Jul 9;93(14):6913-7."
    re.compile(r"^(?P<journal>.{2,300}?)\. (?P<year>\d{4})[^;]{0,40};(?P<volume>[^(:;]+)?"
               r"(?:\((?P<issue>[^()]+)\))?(?::(?P<pages>[^.;\s]+))?"),
    # ERIC SO: "v10 n1 p1-9 2000", "p1-20 2016"
    re.compile(r"^(?=[vnp]\d)(?:v(?P<volume>\S+) ?)?(?:n(?P<issue>\S+) ?)?(?:p(?P<pages>\S+) ?)?"
               r"[^\d]{0,80}(?P<year>\d{4})\b"),
)


def parse_citation(text: str) -> dict[str, str]:
    """Journal, year, volume, issue and pages from a one-line source citation (or ``{}``)."""
    text = clean(text)[:600]
    for pattern in _CITATIONS:
        match = pattern.match(text)
        if match:
            parts = {k: clean(v) for k, v in match.groupdict().items() if v}
            # Embase conference abstracts: "BMC Proceedings. Conference: <name>. <place>."
            journal, _, conference = parts.get("journal", "").partition(". Conference: ")
            if conference:
                parts["journal"], parts["conference"] = journal, conference
            if parts.get("pages", "").casefold() in {"no pagination", "var.pagings"}:
                parts.pop("pages")
            return parts
    return {}


def accession_from_url(urls: Iterable[str]) -> str:
    """A database's own record number carried in its link (Scopus ``eid=``, EBSCO/Ovid ``AN=``)."""
    for url in urls:
        params = _query(url) if "?" in url else {}
        for key in ("eid", "an"):
            value = clean(params.get(key, [""])[0])
            if value and re.fullmatch(r"[\w.:-]+", value):
                return value
    return ""


def _query(url: str) -> dict[str, list[str]]:
    """A link's query parameters, keys lower-cased; ``{}`` for a malformed link."""
    try:
        return {k.lower(): v for k, v in parse_qs(urlsplit(clean(url)).query).items()}
    except ValueError:  # "http://[..." is not a URL urlsplit accepts
        return {}
