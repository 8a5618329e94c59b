"""The field codes of each database's syntax: what litsieve reads each as, and the ones it cannot.

A field code litsieve does not know is never folded into the text it qualifies: EBSCOhost's
``MW random*`` read as the phrase "MW random*" would search something else without a word
of warning. So every syntax has two tables: the codes litsieve translates and matches
(their values are the tree's term fields, or heading and proximity tags), and the codes
the database documents that litsieve cannot translate (named, so the error says what they
are). Anything else is an error with "did you mean". Sources are cited in docs/query.md.
"""

from __future__ import annotations

import difflib

#: PubMed's bracket tags (NLM PubMed Help, "Search Field Descriptions and Tags").
PUBMED_TAGS: dict[str, str] = {
    "tiab": "tiab", "title/abstract": "tiab", "ti": "ti", "title": "ti",
    "ab": "ab", "abstract": "ab", "all": "all", "all fields": "all",
    "tw": "tw", "text word": "tw", "text words": "tw", "ot": "kw", "other term": "kw", "kw": "kw",
    "pt": "pt", "publication type": "pt", "la": "la", "language": "la",
    "dp": "dp", "pdat": "dp", "publication date": "dp", "date - publication": "dp",
    "au": "au", "author": "au", "ta": "so", "journal": "so", "jour": "so",
    # litsieve's own, so that every term field has a tag its explain output can write:
    "hw": "hw", "su": "su", "so": "so",
    "mh": "mh", "mesh": "mh", "mesh terms": "mh", "mh:noexp": "mh:noexp", "mesh:noexp": "mh:noexp",
    "mesh terms:noexp": "mh:noexp", "majr": "majr", "mesh major topic": "majr",
    "majr:noexp": "majr:noexp", "mesh major topic:noexp": "majr:noexp",
    "sh": "sh", "subheading": "sh", "mesh subheading": "sh",
}
PUBMED_OTHER: dict[str, str] = {
    "ad": "affiliation", "aid": "article identifier", "cn": "corporate author", "rn": "EC/RN number",
    "edat": "Entrez date", "crdt": "create date", "mhda": "MeSH date", "filter": "filter", "sb": "subset",
    "1au": "first author", "fau": "full author name", "lastau": "last author", "gr": "grant number",
    "ir": "investigator", "fir": "full investigator name", "ip": "issue", "jid": "NLM unique ID",
    "lid": "location ID", "nm": "substance name", "pa": "pharmacological action", "pg": "pagination",
    "pl": "place of publication", "ps": "personal name as subject", "si": "secondary source ID",
    "tt": "transliterated title", "pmid": "PMID", "uid": "PMID", "vi": "volume", "pytyp": "publication type filter",
}

#: Ovid's field suffixes (``term.ti,ab.``), as the Ovid MEDLINE field guide names them.
OVID_CODES: dict[str, str] = {
    "ti": "ti", "ab": "ab", "tw": "tiab", "mp": "all", "af": "all", "kw": "kw", "kf": "kw", "hw": "hw",
    "sh": "ovid-sh", "xm": "ovid-xm", "fs": "fs", "pt": "pt", "lg": "la", "yr": "dp",
    "au": "au", "jn": "so", "so": "so",
}
OVID_OTHER: dict[str, str] = {
    "ot": "original title", "nm": "name of substance word", "rn": "registry number", "ui": "unique identifier",
    "an": "accession number", "in": "institution", "ed": "entry date", "dp": "date of publication",
    "ep": "electronic date of publication", "cp": "country of publication", "jw": "journal word", "is": "ISSN",
    "ip": "issue", "pg": "page", "vo": "volume", "sb": "subset", "st": "status", "sy": "synonyms",
    "ox": "organism supplementary concept word", "rx": "protocol supplementary concept word",
    "px": "rare disease supplementary concept word", "ja": "journal abbreviation", "id": "identifier",
}

#: EBSCOhost's field codes written before a term (``TI x``), in upper case. MH, MM, DE and
#: MJ are subject headings; MW (word in subject heading) and SU (subject terms) search the
#: words of the headings. CINAHL's MJ is "word in major subject heading", APA PsycInfo's a
#: major descriptor; litsieve reads it as the major heading (docs/query.md).
EBSCO_CODES: dict[str, str] = {
    "TI": "ti", "AB": "ab", "TIAB": "tiab", "TX": "all", "KW": "kw", "SU": "su", "MW": "hw",
    "AU": "au", "SO": "so", "PT": "pt", "LA": "la", "DT": "dp",
    "MH": "heading:MH", "MM": "heading:MM", "DE": "heading:DE", "MJ": "heading:MJ",
}
EBSCO_OTHER: dict[str, str] = {
    "AN": "accession number", "AG": "age group", "AF": "author affiliation", "AR": "author, exact",
    "CA": "corporate author", "DH": "exact minor subject heading", "DN": "dissertation number",
    "EM": "entry date", "GI": "grant information", "IB": "ISBN", "IN": "instrumentation", "IP": "issue",
    "IS": "ISSN", "JN": "publication name, exact", "JT": "journal title abbreviation", "NP": "named person",
    "NT": "notes", "PB": "publisher", "PG": "number of pages", "PM": "MEDLINE PMID", "PY": "year of publication",
    "SB": "journal subset", "SC": "special interest", "SE": "series title", "SP": "start page",
    "TC": "table of contents", "VI": "volume", "ZU": "subject terms (unmapped)", "ZY": "country or region",
}
#: Lower-case codes EBSCOhost also accepts (``ti patient flow``) that are not ordinary words.
EBSCO_LOWERCASE = frozenset({"ti", "ab", "tx", "mh", "mw", "su", "kw"})

#: Europe PMC's fields (``TITLE:x``), compared without case as Europe PMC does.
EUROPEPMC_FIELDS: dict[str, str] = {
    "TITLE": "ti", "ABSTRACT": "ab", "TITLE_ABS": "tiab", "KW": "kw", "MESH": "heading:MESH",
    "LANG": "la", "PUB_YEAR": "dp", "PUB_TYPE": "pt", "AUTH": "au", "JOURNAL": "so",
    # Not Europe PMC's, but written by reviewers and read the same way.
    "TI": "ti", "AB": "ab", "TIAB": "tiab", "TX": "all", "ALL": "all",
}
EUROPEPMC_OTHER: dict[str, str] = {
    "AUTH_FIRST": "first author", "AUTH_LAST": "last author", "AUTHORID": "author identifier",
    "AFF": "affiliation", "ISSN": "ISSN", "FIRST_PDATE": "first publication date", "E_PDATE": "electronic date",
    "P_PDATE": "print date", "CHEM": "chemical", "DOI": "DOI", "PMID": "PMID", "PMCID": "PMCID",
    "EXT_ID": "external identifier", "SRC": "source", "HAS_ABSTRACT": "has an abstract",
    "HAS_FT": "has full text", "OPEN_ACCESS": "open access", "IN_EPMC": "full text in Europe PMC",
    "IN_PMC": "full text in PMC", "LICENSE": "licence", "GRANT_AGENCY": "grant agency", "GRANT_ID": "grant number",
    "ORGANISM": "organism", "GENE_PROTEIN": "gene or protein", "DISEASE": "disease", "INVESTIGATOR": "investigator",
    "METHODS": "methods section", "INTRO": "introduction section", "RESULTS": "results section",
    "DISCUSS": "discussion section", "FIG": "figures", "TABLE": "tables", "SUPPL": "supplementary material",
    "ACK_FUND": "acknowledgements and funding", "BODY": "full text body", "REF": "references",
}

_SYNTAX = {
    "pubmed": ("PubMed field tag", "[{}]", PUBMED_TAGS, PUBMED_OTHER),
    "ovid": ("Ovid field", ".{}.", OVID_CODES, OVID_OTHER),
    "ebsco": ("EBSCOhost field code", "{}", EBSCO_CODES, EBSCO_OTHER),
    "europepmc": ("Europe PMC field", "{}:", EUROPEPMC_FIELDS, EUROPEPMC_OTHER),
}


def unknown_code(syntax: str, code: str) -> tuple[str, str]:
    """The message and hint for a field code ``syntax`` does not translate: named when the
    database documents it, with "did you mean" otherwise."""
    label, form, known, other = _SYNTAX[syntax]
    written = form.format(code)
    key = code.upper() if syntax in ("ebsco", "europepmc") else code.lower()
    usable = ", ".join(form.format(c) for c in _canonical(known))
    if key in other:
        return (f"the {label} {written} ({other[key]}) is not one litsieve can translate or match",
                f"search it in that database directly and leave it out of the string; litsieve reads {usable}")
    close = difflib.get_close_matches(key, list(known), n=3, cutoff=0.5)
    guess = f"did you mean {' or '.join(form.format(c) for c in close)}? " if close else ""
    article = "an" if label[0] in "AEIOU" else "a"
    return (f"{written} is not {article} {label} litsieve knows",
            f"{guess}litsieve reads {usable}; if it is a word, not a field, put the words in quotes")


def _canonical(known: dict[str, str]) -> list[str]:
    """One code per value (the database's own, listed first), so hints stay short."""
    best: dict[str, str] = {}
    for code, value in known.items():
        best.setdefault(value, code)
    return list(best.values())
