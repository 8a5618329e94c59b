"""PubMed XML (E-utilities EFetch ``PubmedArticleSet``), journal articles and book records.

Titles and abstracts carry inline markup (``<i>``, ``<sub>``, ``<sup>``, MathML), so
text is always taken with ``itertext``; ``.text`` would silently cut a title at its
first italic word. Identifiers are read only from the article's own ``PubmedData``
list: the reference list below repeats the same element names for cited works.
"""

from __future__ import annotations

from typing import Iterator
from xml.etree.ElementTree import Element

from litsieve.importers import fields as F
from litsieve.importers.encoding import ExportFile
from litsieve.importers.links import LINKS_KEY, link_from_citation, links_value
from litsieve.importers.registry import REGISTRY_KEY, registry_ids_from_field
from litsieve.importers.xmlstream import iter_elements, text
from litsieve.record import Record, parse_year

_RECORDS = frozenset({"PubmedArticle", "PubmedBookArticle"})
_ROOTS = frozenset({"PubmedArticleSet", "PubmedArticle", "PubmedBookArticle"})


def parse(export: ExportFile) -> Iterator[Record]:
    """Yield one record per ``PubmedArticle`` or ``PubmedBookArticle``."""
    for element in iter_elements(export, _RECORDS, _ROOTS, "PubMed XML"):
        if element.tag == "PubmedArticle":
            yield _article(element, export.path)
        else:
            yield _book(element, export.path)


def _authors(author_list: Element | None) -> tuple[list[str], list[str]]:
    """``(authors in list order, collective names)``: a ``CollectiveName`` (a trial group,
    a consortium) is an author like the people beside it, kept as written."""
    names: list[str] = []
    groups: list[str] = []
    if author_list is None:
        return names, groups
    for author in author_list.findall("Author"):
        last = text(author.find("LastName"))
        given = text(author.find("ForeName")) or text(author.find("Initials"))
        if last:
            names.extend(F.authors([f"{last}, {given}" if given else last]))
        elif text(author.find("CollectiveName")):
            group = text(author.find("CollectiveName"))
            names.append(group)
            groups.append(group)
    return names, groups


def _abstract(abstract: Element | None) -> str:
    if abstract is None:
        return ""
    parts = []
    for section in abstract.findall("AbstractText"):
        body = text(section)
        label = section.get("Label")
        parts.append(f"{label}: {body}" if label and body else body)
    return " ".join(p for p in parts if p)


def _ids(container: Element | None) -> dict[str, str]:
    ids: dict[str, str] = {}
    if container is not None:
        for item in container.findall("ArticleIdList/ArticleId"):
            kind = item.get("IdType", "")
            if kind and kind not in ids and text(item):
                ids[kind] = text(item)
    return ids


def _links(citation: Element | None) -> list[dict[str, str]]:
    """``CommentsCorrectionsList``: errata, retractions, comments, updates (``Cites``, the
    reference list, is left out by :func:`link_from_citation`)."""
    if citation is None:
        return []
    links = [link for item in citation.findall("CommentsCorrectionsList/CommentsCorrections")
             if (link := link_from_citation(item.get("RefType", ""), text(item.find("RefSource")),
                                            text(item.find("PMID"))))]
    return links_value(links)


def _registry_ids(article: Element) -> list[str]:
    """``DataBankList``: trial registries' accession numbers (``ClinicalTrials.gov``: ``NCT...``)."""
    values = [f"{text(bank.find('DataBankName'))}/{text(number)}"
              for bank in article.findall("DataBankList/DataBank")
              for number in bank.findall("AccessionNumberList/AccessionNumber")]
    return registry_ids_from_field(values)


def _year(pub_date: Element | None) -> int | None:
    if pub_date is None:
        return None
    return parse_year(text(pub_date.find("Year")) or text(pub_date.find("MedlineDate")))


def _article(element: Element, path: str) -> Record:
    citation = element.find("MedlineCitation")
    article = citation.find("Article") if citation is not None else None
    ids = _ids(element.find("PubmedData"))
    pmid = text(citation.find("PMID")) if citation is not None else ids.get("pubmed", "")
    if article is None:
        article = Element("Article")
    journal = article.find("Journal")
    issue = journal.find("JournalIssue") if journal is not None else None
    people, groups = _authors(article.find("AuthorList"))
    doi = F.first_doi(
        [text(e) for e in article.findall("ELocationID") if e.get("EIdType") == "doi"]
        + [ids.get("doi", "")]
    )
    year = _year(issue.find("PubDate") if issue is not None else None)
    if year is None:
        year = _year(article.find("ArticleDate"))
    pages = text(article.find("Pagination/MedlinePgn")) or F.pages(
        text(article.find("Pagination/StartPage")), text(article.find("Pagination/EndPage"))
    )
    keywords = [text(k) for k in citation.iter("Keyword")] if citation is not None else []
    mesh = [text(d) for d in citation.findall("MeshHeadingList/MeshHeading/DescriptorName")] \
        if citation is not None else []
    extra = {
        "collective_authors": groups,
        "journal_abbreviation": [text(journal.find("ISOAbbreviation")) if journal is not None else ""],
        "mesh": mesh,
        "other_abstract": [text(a) for a in (citation.findall("OtherAbstract") if citation is not None else [])],
        "status": [citation.get("Status", "") if citation is not None else ""],
        "article_ids": [f"{k}:{v}" for k, v in sorted(ids.items()) if k not in {"pubmed", "doi", "pmc"}],
    }
    compacted = F.compact(extra)
    links = _links(citation)
    if links:
        compacted[LINKS_KEY] = links
    registry = _registry_ids(article)
    if registry:
        compacted[REGISTRY_KEY] = registry
    return Record(
        record_id=pmid,
        source_file=path,
        title=text(article.find("ArticleTitle")) or text(article.find("VernacularTitle")),
        abstract=_abstract(article.find("Abstract")),
        authors=people,
        year=year,
        journal=text(journal.find("Title")) if journal is not None else "",
        volume=text(issue.find("Volume")) if issue is not None else "",
        issue=text(issue.find("Issue")) if issue is not None else "",
        pages=F.pages(pages),
        doi=doi,
        pmid=pmid,
        pmcid=ids.get("pmc", ""),
        issn="; ".join(F.issns(text(e) for e in journal.findall("ISSN"))) if journal is not None else "",
        language=F.normalize_language("; ".join(text(e) for e in article.findall("Language"))),
        keywords=F.split_keywords(keywords + mesh),
        publication_types=[text(e) for e in article.findall("PublicationTypeList/PublicationType")],
        extra=compacted,
    )


def _book(element: Element, path: str) -> Record:
    document = element.find("BookDocument")
    if document is None:
        document = Element("BookDocument")
    book = document.find("Book")
    if book is None:
        book = Element("Book")
    ids = _ids(element.find("PubmedBookData"))
    pmid = text(document.find("PMID"))
    people, groups = _authors(document.find("AuthorList"))
    if not people:
        people, more = _authors(book.find("AuthorList"))
        groups += more
    title = text(document.find("ArticleTitle")) or text(book.find("BookTitle"))
    doi = F.first_doi(
        [text(e) for e in document.findall("ELocationID") if e.get("EIdType") == "doi"]
        + [ids.get("doi", "")]
    )
    extra = {
        "book_title": [text(book.find("BookTitle"))],
        "publisher": [text(book.find("Publisher/PublisherName"))],
        "collective_authors": groups,
    }
    return Record(
        record_id=pmid,
        source_file=path,
        title=title,
        abstract=_abstract(document.find("Abstract")),
        authors=people,
        year=_year(book.find("PubDate")),
        journal=text(book.find("CollectionTitle")),
        doi=doi,
        pmid=pmid,
        pmcid=ids.get("pmc", ""),
        isbn="; ".join(text(e) for e in book.findall("Isbn")),
        language=F.normalize_language("; ".join(text(e) for e in document.findall("Language"))),
        keywords=F.split_keywords(text(k) for k in document.iter("Keyword")),
        publication_types=[text(e) for e in document.findall("PublicationType")] or ["Book"],
        extra=F.compact(extra),
    )
