"""Write the review's query in each database's own syntax, and say what could not be.

Every translation starts from one unambiguous tree and parenthesises every group, so no
database's own precedence rules can change its meaning; phrases are quoted (PubMed's
automatic term mapping and EBSCOhost's N5 proximity do not apply to quoted phrases);
terms carry explicit field tags. The syntax facts behind each target, with their
sources, are in docs/query.md.

- ``pubmed``: ``"peer support"[tiab]``, ``"Acne Vulgaris"[Mesh]``, ``"hip pain"[tiab:~2]``,
  ``1990:2017[dp]``, ``english[la]``.
- ``europepmc``: ``(TITLE:"peer support" OR ABSTRACT:"peer support")``, ``MESH:"Acne Vulgaris"``,
  ``PUB_YEAR:[1990 TO 2017]``, ``LANG:"eng"``; request parameter ``synonym=false``.
- ``ebsco``: ``(TI "peer support" OR AB "peer support")``, ``(MH "Acne Vulgaris+")``,
  ``TI (smok* N3 cessation)``; limiters listed beside the string.
- ``ovid``: numbered lines, ``peer support.ti,ab.``, ``exp Acne Vulgaris/``,
  ``(smok* adj4 cessation).ti,ab.``, ``1 or 2``, and a final
  ``limit N to (english language and yr="1990 - 2017")``.

A construct a target cannot search (proximity in Europe PMC, a one-character wildcard in
PubMed, a MeSH heading in PsycInfo) is never dropped silently: the translation searches
the nearest broader thing it can (AND within the field, truncation at the wildcard, the
heading's words as free text) and lists each change in ``approximations``; a heading
that would have to move between thesauri is listed in ``for_review`` for a person to
choose, not guessed.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from typing import Callable, Iterable, Mapping, Sequence

from litsieve.errors import QueryError
from litsieve.query.parser import (
    CONVENTION_LABELS,
    FIELD_NAMES,
    FIELDS,
    And,
    Heading,
    Near,
    Node,
    Or,
    Term,
    ambiguities,
    render,
    resolve,
    terms,
)
from litsieve.query.vocabulary import mesh, qualifier_abbreviation
from litsieve.text import bibliographic_code, language_name

TARGETS: tuple[str, ...] = ("pubmed", "europepmc", "ebsco", "ovid")
TARGET_LABELS = {
    "pubmed": "PubMed",
    "europepmc": "Europe PMC",
    "ebsco": "EBSCOhost",
    "ovid": "Ovid",
}
#: The thesaurus each database indexes with (for headings moved between databases).
DATABASE_THESAURI = {
    "pubmed": "mesh", "medline": "mesh", "europepmc": "mesh", "cochrane": "mesh", "central": "mesh",
    "psycinfo": "apa", "embase": "emtree", "cinahl": "cinahl", "eric": "eric",
}
THESAURUS_LABELS = {
    "mesh": "MeSH", "apa": "the APA Thesaurus of Psychological Index Terms", "emtree": "Emtree",
    "cinahl": "CINAHL Subject Headings", "eric": "the ERIC Thesaurus",
}

Years = tuple[int, int]


@dataclass(frozen=True)
class Translation:
    """One database's version of the query.

    ``text`` is what to paste or send (Ovid: the numbered lines); ``core`` is the query
    without year and language limits (for clients that pass dates as request
    parameters); ``lines`` are Ovid's search statements in order; ``limits`` describe the
    limits as the database applies them; ``parameters`` are request parameters an API
    client must send with the string; ``notes`` say what the reviewer should know;
    ``approximations`` each say where the string searches something other than the query
    (what the target lacks and what was searched instead); ``for_review`` are the
    subject headings a person must choose in the target's thesaurus.
    """

    target: str
    text: str
    core: str
    lines: tuple[str, ...] = ()
    limits: tuple[str, ...] = ()
    notes: tuple[str, ...] = ()
    parameters: Mapping[str, str] = field(default_factory=dict)
    approximations: tuple[str, ...] = ()
    for_review: tuple[str, ...] = ()

    @property
    def exact(self) -> bool:
        """The string searches what the query means (no approximation, nothing to review)."""
        return not self.approximations and not self.for_review

    def report(self) -> str:
        """The translation as printed and written to results/search/translations/."""
        label = TARGET_LABELS[self.target]
        out = [f"# {label}", ""]
        if self.target == "ovid":
            out.append("Search statements (type one line at a time; the last line is the result):")
        elif self.target == "ebsco":
            out.append("Search string (Advanced Search, search mode Boolean/Phrase):")
        else:
            out.append("Search string:")
        out += ["", self.text, ""]
        if self.for_review:
            out.append("For a person to decide (subject headings not translated between thesauri):")
            out += [f"- {item}" for item in self.for_review]
            out.append("")
        if self.approximations:
            out.append("Approximations (where this string searches something other than the query, "
                       "and what it searches instead):")
            out += [f"- {item}" for item in self.approximations]
            out.append("")
        if self.limits:
            heading = "Limiters to set beside the search:" if self.target == "ebsco" else "Limits:"
            out.append(heading)
            out += [f"- {limit}" for limit in self.limits]
            out.append("")
        if self.parameters:
            out.append("Request parameters:")
            out += [f"- {key}={value}" for key, value in sorted(self.parameters.items())]
            out.append("")
        if self.notes:
            out.append("Notes:")
            out += [f"- {note}" for note in self.notes]
            out.append("")
        return "\n".join(out)


def parse_years(value: str) -> Years:
    """``"1990-2017"`` (or ``1990:2017``) as ``(1990, 2017)``."""
    match = re.fullmatch(r"\s*(\d{4})\s*[-:]\s*(\d{4})\s*", value or "")
    if not match:
        raise QueryError(f"cannot read the year range {value!r}", field="years",
                         hint="write it as START-END, e.g. 1990-2017")
    start, end = int(match.group(1)), int(match.group(2))
    if start > end:
        raise QueryError(f"year range {value!r} ends before it starts", field="years",
                         hint="write the earlier year first")
    return start, end


def translate(
    node: Node,
    target: str,
    *,
    years: Years | None = None,
    languages: Sequence[str] = (),
    fields: str = "tiab",
    database: str | None = None,
) -> Translation:
    """Translate an unambiguous tree for ``target``; ``fields`` is the default for untagged
    terms; ``database`` (``psycinfo``, ``cinahl``, ...) decides the thesaurus headings need."""
    if target not in TARGETS:
        raise QueryError(f"unknown database {target!r}", field="--to",
                         hint=f"use one of {', '.join(TARGETS)}")
    if fields not in FIELDS:
        raise QueryError(f"unknown fields {fields!r}", field="--fields",
                         hint=f"use one of {', '.join(FIELDS)}")
    chains = ambiguities(node)
    if chains:
        readings = "; ".join(f"{CONVENTION_LABELS[c]}: {render(resolve(chains[0], c))}"
                             for c in CONVENTION_LABELS)
        raise QueryError(
            f"the query mixes AND/OR without parentheses, so databases read it differently ({readings})",
            field="query",
            hint="add parentheses for the meaning you intend (litsieve query lint suggests one)",
        )
    node, years, languages = _lift_limits(node, years, languages)
    langs = tuple(dict.fromkeys(language_name(lang) for lang in languages if lang.strip()))
    builder = {"pubmed": _pubmed, "europepmc": _europepmc, "ebsco": _ebsco, "ovid": _ovid}[target]
    thesaurus = "mesh" if target in ("pubmed", "europepmc") else DATABASE_THESAURI.get((database or "").lower())
    writer = _WRITERS[target](fields, thesaurus, database)
    return builder(node, years, langs, writer)


def _lift_limits(node: Node, years: Years | None, languages: Sequence[str]) -> tuple[Node, Years | None, Sequence[str]]:
    """Date and language terms AND-ed at the top (``... AND 1990:2017[dp] AND english[la]``)
    become the translation's limits, written the way each database sets them, when no
    limits of the same kind were given."""
    if not isinstance(node, And):
        return node, years, languages
    kept: list[Node] = []
    found_years: list[Years] = []
    found_langs: list[str] = []
    for child in node.children:
        if isinstance(child, Term) and child.field == "dp" and years is None:
            start, _, end = child.text.partition(":")
            found_years.append((int(start), int(end or start)))
        elif isinstance(child, Term) and child.field == "la" and not languages:
            found_langs.append(child.text)
        elif (isinstance(child, Or) and not languages and child.children
              and all(isinstance(c, Term) and c.field == "la" for c in child.children)):
            found_langs += [c.text for c in child.children]  # type: ignore[union-attr]
        else:
            kept.append(child)
    if len(found_years) > 1 or not kept:
        return node, years, languages
    rest = kept[0] if len(kept) == 1 else And(tuple(kept), node.span)
    return rest, (found_years[0] if found_years else years), (found_langs or languages)


# --------------------------------------------------------------------------- shared


class _Writer:
    """Leaves in one target's syntax; collects what the reviewer must know."""

    target = ""
    #: MeSH heading syntax the target accepts: explode, no-explode, major, subheadings.
    supports: frozenset[str] = frozenset()

    def __init__(self, fields: str, thesaurus: str | None, database: str | None) -> None:
        self.fields = fields
        self.thesaurus = thesaurus  # what the searched database indexes with; None: unknown
        self.database = database
        self.notes: list[str] = []
        self.approximations: list[str] = []
        self.for_review: list[str] = []

    # Subclasses write these.
    def term(self, term: Term) -> str:
        raise NotImplementedError

    def heading(self, heading: Heading) -> str:
        raise NotImplementedError

    def near(self, near: Near) -> str:
        raise NotImplementedError

    def leaf(self, node: Node) -> str:
        if isinstance(node, Term):
            return self.term(node)
        if isinstance(node, Heading):
            return self.heading_or_text(node)
        assert isinstance(node, Near)
        return self.near(node)

    def note(self, text: str) -> None:
        if text not in self.notes:
            self.notes.append(text)

    def approximate(self, text: str) -> None:
        if text not in self.approximations:
            self.approximations.append(text)

    def field(self, term: Term) -> str:
        return term.field or self.fields

    def heading_or_text(self, heading: Heading) -> str:
        """The heading in the target's syntax, or its words as free text when its
        thesaurus is not the database's (listed for a person) or the target has none."""
        label = _heading_label(heading)
        if heading.floating:
            if "floating" in self.supports:
                return self.heading(heading)
            self.approximate(f"the subheading {heading.qualifiers[0]} on its own: {TARGET_LABELS[self.target]} "
                             "has no field for it that litsieve knows; searched as free text")
            return self.free_text(heading.qualifiers[0])
        source = heading.thesaurus
        known = mesh().lookup(heading.name)
        if known is not None and (source == "mesh" or self.thesaurus in (None, "mesh")):
            heading = replace(heading, name=known.name)  # as MeSH spells it
        if source == "mesh" and self.thesaurus not in (None, "mesh"):
            return self.needs_person(heading, f"{label} is a MeSH heading, but {self.database} is indexed "
                                              f"with {THESAURUS_LABELS[self.thesaurus]}")
        if source is None and self.thesaurus == "mesh" and known is None:
            suggestions = mesh().suggest(heading.name)
            hint = f" (did you mean {', '.join(suggestions)}?)" if suggestions else ""
            return self.needs_person(heading, f"{label} is not a MeSH descriptor{hint}; choose the MeSH "
                                              "heading for it")
        if source is None and self.thesaurus == "mesh":
            self.note(f"{label} is written in the database's own heading syntax; it is a MeSH descriptor, "
                      f"so it is searched as MeSH in {TARGET_LABELS[self.target]}.")
        if source == "mesh" and self.thesaurus is None and self.target in ("ebsco", "ovid"):
            self.note(f"MeSH headings are written for a MEDLINE database on {TARGET_LABELS[self.target]}; "
                      "searching another database there needs its own thesaurus's headings.")
        return self.heading(heading)

    def needs_person(self, heading: Heading, why: str) -> str:
        self.for_review.append(f"{why}. Meanwhile its words are searched as free text.")
        self.approximate(f"{_heading_label(heading)}: searched as free text ({FIELD_NAMES[self.fields]}) "
                         "instead of as a subject heading")
        return self.free_text(heading.name)

    def free_text(self, words: str) -> str:
        return self.term(Term(words, True, False, None, (0, 0)))

    def no_proximity(self, near: Near, why: str) -> str:
        """Proximity as AND of its parts within the field: broader, and said so."""
        self.approximate(f"{_near_label(near)}: {why}; searched as AND within {FIELD_NAMES[_near_field(near, self.fields)]} "
                         "(the words anywhere in the field, so broader)")
        parts = [self.leaf(c) if isinstance(c, Term) else "(" + " OR ".join(self.term(t) for t in _side(c)) + ")"
                 for c in near.children]
        return "(" + " AND ".join(parts) + ")"

    def wildcard_as_truncation(self, term: Term) -> Term:
        """``wom?n`` -> ``wom*``: truncation where the first wildcard stands (broader)."""
        words = []
        for word in term.words:
            cut = min((word.index(c) for c in "?#" if c in word), default=-1)
            words.append(word if cut < 0 else word[:cut] + "*")
        new = " ".join(words)
        self.approximate(f"{term.text}: {TARGET_LABELS[self.target]} has no one-character wildcard; "
                         f"searched as {new} (any ending, so broader)")
        return replace(term, text=new, truncated=True)


def _side(node: Node) -> tuple[Term, ...]:
    return node.children if isinstance(node, Or) else (node,)  # type: ignore[return-value]


def _near_field(near: Near, default: str) -> str:
    return next((t.field for t in terms(near) if t.field), default)


def _heading_label(heading: Heading) -> str:
    name = heading.name or heading.qualifiers[0]
    parts = ["exploded" if heading.explode else "not exploded"]
    if heading.major:
        parts.append("major topic")
    if heading.qualifiers and heading.name:
        parts.append("subheadings " + ", ".join(heading.qualifiers))
    return f"the heading {name} ({', '.join(parts)})"


def _near_label(near: Near) -> str:
    """``smok* within 2 words of cessation, any order``: the proximity in words."""
    sides = [" or ".join(t.text for t in _side(c)) for c in near.children]
    order = "in that order" if near.ordered else "in any order"
    return f"{' near '.join(sides)} (at most {near.distance} words between, {order})"


def _needs_quotes(term: Term) -> bool:
    return term.multiword or bool(re.search(r"[^\w*?#]", term.text))


def _single_line(node: Node, leaf: Callable[[Node], str]) -> str:
    """Fully parenthesised rendering with a per-target leaf function."""
    if isinstance(node, (Term, Heading, Near)):
        return leaf(node)
    name = "AND" if isinstance(node, And) else "OR" if isinstance(node, Or) else "NOT"
    return "(" + f" {name} ".join(_single_line(c, leaf) for c in node.children) + ")"  # type: ignore[union-attr]


def _common_notes(node: Node) -> list[str]:
    notes = ["Every group is in parentheses, so the database's own operator precedence cannot change the meaning."]
    short = sorted({w for t in terms(node) for w in t.words
                    if w.endswith("*") and sum(c.isalnum() for c in w.rstrip("*")) < 4})
    if short:
        notes.append(f"Truncated stems shorter than four characters ({', '.join(short)}): PubMed does not "
                     "truncate them; other databases expand them to very many words.")
    return notes


def _truncated_phrases(node: Node) -> list[Term]:
    return [t for t in terms(node) if t.truncated and t.multiword]


def _finish(writer: _Writer, base: Translation) -> Translation:
    notes = list(base.notes) + [n for n in writer.notes if n not in base.notes]
    return replace(base, notes=tuple(notes), approximations=tuple(writer.approximations),
                   for_review=tuple(dict.fromkeys(writer.for_review)))


# --------------------------------------------------------------------------- PubMed

_PUBMED_TAGS = {"ti": "ti", "tiab": "tiab", "ab": "tiab", "all": "all", "tw": "tw", "kw": "ot",
                "pt": "pt", "la": "la", "dp": "dp"}


class _PubMedWriter(_Writer):
    target = "pubmed"
    supports = frozenset({"floating"})

    def term(self, term: Term) -> str:
        if term.wildcards:
            term = self._wildcards(term)
        text = f'"{term.text}"' if _needs_quotes(term) and term.field not in ("dp",) else term.text
        tag = _PUBMED_TAGS[self.field(term)]
        if self.field(term) == "ab":
            self.note("PubMed has no abstract-only field tag; abstract terms are searched with [tiab] "
                      "(title or abstract).")
        return f"{text}[{tag}]"

    def _wildcards(self, term: Term) -> Term:
        """PubMed has ``*`` inside words (0 or more characters, at least 4 before it) but no
        one-character wildcard (NLM Technical Bulletin 2024; tutorial 020_460)."""
        new = term.text.replace("?", "*").replace("#", "*")
        stems = [w[: w.index("*")] for w in new.split() if "*" in w]
        if any(sum(ch.isalnum() for ch in stem) < 4 for stem in stems):
            self.approximate(f"{term.text}: PubMed has no one-character wildcard and needs four characters "
                             f"before a * wildcard, so it cannot search this word; written as {new}, which "
                             "PubMed will reject or search literally: spell the variants out with OR")
        else:
            self.approximate(f"{term.text}: PubMed has no one-character wildcard; searched as {new} "
                             "(* inside a word stands for any number of characters, so broader)")
        return replace(term, text=new, truncated=True)

    def heading(self, heading: Heading) -> str:
        if heading.floating:
            qualifier = heading.qualifiers[0]
            return f'"{qualifier}"[sh]' if " " in qualifier else f"{qualifier}[sh]"
        tag = ("Majr" if heading.major else "Mesh") + ("" if heading.explode else ":NoExp")
        names = [f"{heading.name}/{q}" for q in heading.qualifiers] or [heading.name]
        parts = [f'"{name}"[{tag}]' for name in names]
        return parts[0] if len(parts) == 1 else "(" + " OR ".join(parts) + ")"

    def near(self, near: Near) -> str:
        """``"hip pain"[tiab:~2]``: words in quotes, [ti] or [tiab], any order (NLM
        Technical Bulletin 2022 Nov-Dec). Truncation and wildcards in it are not described."""
        field_ = _near_field(near, self.fields)
        children = near.children
        if not all(isinstance(c, Term) and not c.multiword for c in children):
            return self.no_proximity(near, "PubMed's proximity takes single words, not phrases or OR-groups")
        if any(c.truncated or c.wildcards for c in children):  # type: ignore[union-attr]
            return self.no_proximity(near, "PubMed's proximity search is documented for words in quotes; "
                                           "truncation and wildcards in it are not")
        if field_ not in ("ti", "tiab", "ab"):
            return self.no_proximity(near, "PubMed's proximity works in [ti] and [tiab] only")
        if field_ == "ab":
            self.approximate(f"{_near_label(near)}: PubMed has no abstract-only proximity; searched in [tiab]")
        if near.ordered:
            self.approximate(f"{_near_label(near)}: PubMed's proximity ignores word order; the words may "
                             "come in any order")
        words = " ".join(c.text for c in children)  # type: ignore[union-attr]
        return f'"{words}"[{"ti" if field_ == "ti" else "tiab"}:~{near.distance}]'


def _pubmed(node: Node, years: Years | None, langs: tuple[str, ...], writer: _Writer) -> Translation:
    core = _single_line(node, writer.leaf)
    limits, parts = [], [core]
    if years:
        parts.append(f"{years[0]}:{years[1]}[dp]")
        limits.append(f"publication date {years[0]} to {years[1]}: {years[0]}:{years[1]}[dp]")
    if langs:
        la = " OR ".join(f"{lang}[la]" for lang in langs)
        parts.append(f"({la})" if len(langs) > 1 else la)
        limits.append(f"language: {la}")
    notes = ["Phrases are in double quotes and every term has a field tag, which turns PubMed's "
             "automatic term mapping off: PubMed searches exactly these words."]
    notes += _common_notes(node)
    phrases = _truncated_phrases(node)
    if phrases:
        notes.append("Truncated phrases (" + ", ".join(f'"{t.text}"' for t in phrases) + "): PubMed "
                     "truncates the last word of a quoted, field-tagged phrase; only one truncated word "
                     "per phrase is searched as expected. Check the phrase's count in Advanced Search > "
                     "History and Search Details.")
    base = Translation("pubmed", " AND ".join(parts), core, limits=tuple(limits), notes=tuple(notes))
    return _finish(writer, base)


class _FieldCodeWriter(_Writer):
    """A term written with each field code of its field (``TITLE:x``, ``TI x``), OR-ed
    when the field is several: Europe PMC and EBSCOhost both search that way."""

    codes: dict[str, tuple[str, ...]] = {}
    joiner = ""

    def text(self, term: Term) -> str:
        return f'"{term.text}"' if _needs_quotes(term) else term.text

    def term(self, term: Term) -> str:
        text = self.text(term)
        names = self.codes[self.field(term)]
        if not names:
            return text
        parts = [f"{name}{self.joiner}{text}" for name in names]
        return parts[0] if len(parts) == 1 else "(" + " OR ".join(parts) + ")"


# --------------------------------------------------------------------------- Europe PMC

_EPMC_FIELDS = {"ti": ("TITLE",), "ab": ("ABSTRACT",), "tiab": ("TITLE", "ABSTRACT"), "all": (),
                "tw": ("TITLE", "ABSTRACT", "KW"), "kw": ("KW",), "pt": ("PUB_TYPE",), "la": ("LANG",),
                "dp": ("PUB_YEAR",)}


class _EuropePMCWriter(_FieldCodeWriter):
    target = "europepmc"
    codes = _EPMC_FIELDS
    joiner = ":"

    def text(self, term: Term) -> str:
        if term.field == "dp":
            start, _, end = term.text.partition(":")
            return f"[{start} TO {end or start}]"
        if term.field == "la":
            return f'"{bibliographic_code(term.text) or term.text}"'
        return super().text(term)

    def term(self, term: Term) -> str:
        if term.wildcards:
            term = self.wildcard_as_truncation(term)
        return super().term(term)

    def heading(self, heading: Heading) -> str:
        name = heading.name
        if heading.qualifiers or heading.major or not heading.explode:
            lost = [what for what, on in (("subheadings " + ", ".join(heading.qualifiers), heading.qualifiers),
                                          ("major topic", heading.major),
                                          ("not exploded", not heading.explode)) if on]
            self.approximate(f"{_heading_label(heading)}: Europe PMC's MESH field takes the heading only; "
                             f"searched without {' and '.join(lost)}")
        self.note("MESH: searches Europe PMC's MeSH field; the sources litsieve found do not say whether it "
                  "includes narrower headings, so compare its count with PubMed's [Mesh] search.")
        return f'MESH:"{name}"'

    def near(self, near: Near) -> str:
        return self.no_proximity(near, "proximity search is not described in the Europe PMC documentation "
                                       "litsieve found")


def _europepmc(node: Node, years: Years | None, langs: tuple[str, ...], writer: _Writer) -> Translation:
    core = _single_line(node, writer.leaf)
    limits, parts = [], [core]
    if years:
        parts.append(f"PUB_YEAR:[{years[0]} TO {years[1]}]")
        limits.append(f"publication year {years[0]} to {years[1]}: PUB_YEAR:[{years[0]} TO {years[1]}]")
    if langs:
        codes = [f'LANG:"{bibliographic_code(lang) or lang}"' for lang in langs]
        la = " OR ".join(codes)
        parts.append(f"({la})" if len(codes) > 1 else la)
        limits.append(f"language: {la}")
    notes = ["Terms are searched in the TITLE and ABSTRACT fields explicitly; without a field "
             "Europe PMC would also search full text."]
    notes += _common_notes(node)
    notes.append("Send synonym=false with the REST request so Europe PMC does not expand terms with synonyms "
                 "(the API's documented default); the europepmc.org website expands them, so a count "
                 "taken there is higher.")
    if _truncated_phrases(node):
        notes.append("Europe PMC's documentation describes * truncation for words; for truncated "
                     "phrases compare the hit count with the same phrase spelled out.")
    unknown = [lang for lang in langs if not bibliographic_code(lang)]
    if unknown:
        notes.append(f"No ISO 639-2 code known for {', '.join(unknown)}; the name was used as it is.")
    base = Translation("europepmc", " AND ".join(parts), core, limits=tuple(limits),
                       notes=tuple(notes), parameters={"synonym": "false"})
    return _finish(writer, base)


# --------------------------------------------------------------------------- EBSCOhost

_EBSCO_CODES = {"ti": ("TI",), "ab": ("AB",), "tiab": ("TI", "AB"), "all": (), "tw": ("TI", "AB", "SU"),
                "kw": ("SU",), "pt": ("PT",), "la": ("LA",), "dp": ("DT",)}


class _EbscoWriter(_FieldCodeWriter):
    target = "ebsco"
    codes = _EBSCO_CODES
    joiner = " "
    supports = frozenset()

    def text(self, term: Term) -> str:
        if term.field == "dp":
            start, _, end = term.text.partition(":")
            self.note("Dates inside the search use EBSCOhost's DT field (DT 1990-2017); the Published Date "
                      "limiter is the documented way to set them.")
            return f"{start}-{end or start}" if end else start
        return super().text(term)

    def heading(self, heading: Heading) -> str:
        """``(MH "X+")`` exploded, ``(MM ...)`` major; APA PsycInfo's ``DE``/``MJ`` (EBSCO help)."""
        psycinfo = self.thesaurus == "apa"
        code = ("MJ" if heading.major else "DE") if psycinfo else ("MM" if heading.major else "MH")
        plus = "+" if heading.explode else ""
        names = [f"{heading.name}/{qualifier_abbreviation(q).upper()}" for q in heading.qualifiers] or [heading.name]
        if heading.qualifiers:
            self.note("Subheadings are written as EBSCOhost's MEDLINE and CINAHL headings take them "
                      "(MH \"Heading/DT\"); check the heading in the database's thesaurus view.")
        parts = [f'({code} "{name}{plus}")' for name in names]
        return parts[0] if len(parts) == 1 else "(" + " OR ".join(parts) + ")"

    def near(self, near: Near) -> str:
        """``N3`` any order, ``W3`` in order, at most that many words between (EBSCO help)."""
        field_ = _near_field(near, self.fields)
        operator = f" {'W' if near.ordered else 'N'}{near.distance} "
        inner = operator.join(
            self.text(c) if isinstance(c, Term) else "(" + " OR ".join(self.text(t) for t in _side(c)) + ")"
            for c in near.children)
        codes = self.codes[field_]
        if not codes:
            return f"({inner})"
        parts = [f"{code} ({inner})" for code in codes]
        return parts[0] if len(parts) == 1 else "(" + " OR ".join(parts) + ")"


def _ebsco(node: Node, years: Years | None, langs: tuple[str, ...], writer: _Writer) -> Translation:
    core = _single_line(node, writer.leaf)
    limits = []
    if years:
        limits.append(f"Published Date: January {years[0]} to December {years[1]}")
    if langs:
        limits.append("Language: " + ", ".join(lang.capitalize() for lang in langs))
    notes = ["Quoted phrases are searched as exact phrases, so the default N5 proximity of "
             "Boolean/Phrase mode does not apply to them.",
             "TI searches the title, AB the abstract; set no other search field in the drop-down "
             "(leave it at 'Select a Field (optional)')."]
    notes += _common_notes(node)
    if limits:
        notes.append("Set the limiters on the search screen or in Refine Results, not in the search box.")
    return _finish(writer, Translation("ebsco", core, core, limits=tuple(limits), notes=tuple(notes)))


# --------------------------------------------------------------------------- Ovid

_OVID_SUFFIX = {"ti": ".ti.", "ab": ".ab.", "tiab": ".ti,ab.", "all": ".mp.", "tw": ".mp.", "kw": ".kw.",
                "pt": ".pt.", "la": ".lg.", "dp": ".yr."}
_OVID_RESERVED = re.compile(r"\b(and|or|not|adj\d*|near|freq|with|same)\b|\d", re.IGNORECASE)
#: The tree's wildcards in Ovid's signs: one character is #, zero or one is ?.
_OVID_WILDCARDS = str.maketrans({"?": "#", "#": "?"})


class _OvidWriter(_Writer):
    target = "ovid"
    supports = frozenset({"floating"})

    def words(self, term: Term) -> str:
        text = term.text.translate(_OVID_WILDCARDS)
        if term.field == "dp":
            start, _, end = term.text.partition(":")
            return f'"{start}-{end}"' if end else start
        if _OVID_RESERVED.search(text.replace("*", "")):
            text = f'"{text}"'
        return text

    def term(self, term: Term) -> str:
        return f"{self.words(term)}{_OVID_SUFFIX[self.field(term)]}"

    def heading(self, heading: Heading) -> str:
        if heading.floating:
            return f"{qualifier_abbreviation(heading.qualifiers[0])}.fs."
        quals = ",".join(qualifier_abbreviation(q) for q in heading.qualifiers)
        name = f'"{heading.name}"' if _OVID_RESERVED.search(heading.name) else heading.name
        return f"{'exp ' if heading.explode else ''}{'*' if heading.major else ''}{name}/{quals}"

    def near(self, near: Near) -> str:
        """``adjN``: the words in any order with at most N-1 words between (Ovid training
        guide); plain ``adj`` is the words next to each other in the order written."""
        if near.ordered and near.distance == 0:
            operator = " adj "
        else:
            if near.ordered:
                self.approximate(f"{_near_label(near)}: Ovid's adjN ignores word order; the words may come "
                                 "in any order")
            operator = f" adj{near.distance + 1} "
        inner = operator.join(
            self.side(c) if isinstance(c, Term) else "(" + " or ".join(self.side(t) for t in _side(c)) + ")"
            for c in near.children)
        return f"({inner}){_OVID_SUFFIX[_near_field(near, self.fields)]}"

    def side(self, term: Term) -> str:
        text = self.words(term)
        return f'"{text}"' if term.multiword and not text.startswith('"') else text


def _ovid(node: Node, years: Years | None, langs: tuple[str, ...], writer: _Writer) -> Translation:
    lines: list[str] = []
    numbers: dict[str, int] = {}

    def add(line: str) -> int:
        if line not in numbers:
            lines.append(line)
            numbers[line] = len(lines)
        return numbers[line]

    def emit(current: Node) -> int:
        if isinstance(current, (Term, Heading, Near)):
            return add(writer.leaf(current))
        name = "and" if isinstance(current, And) else "or" if isinstance(current, Or) else "not"
        refs = [emit(child) for child in current.children]  # type: ignore[union-attr]
        return add(f" {name} ".join(str(r) for r in refs))

    final = emit(node)
    limits = []
    limit_parts = []
    if langs:
        la = " or ".join(f"{lang} language" for lang in langs)
        limit_parts.append(f"({la})" if len(langs) > 1 else la)
        limits.append(f"language: {la}")
    if years:
        limit_parts.append(f'yr="{years[0]} - {years[1]}"')
        limits.append(f"publication year {years[0]} to {years[1]}")
    if limit_parts:
        body = limit_parts[0] if len(limit_parts) == 1 else "(" + " and ".join(limit_parts) + ")"
        final = add(f"limit {final} to {body}")
    numbered = "\n".join(f"{i}  {line}" for i, line in enumerate(lines, 1))
    notes = ["Words typed next to each other are searched by Ovid as an adjacent phrase; phrases "
             "with numbers or operator words are quoted.",
             f"Line {final} is the result of the search."]
    notes += _common_notes(node)[1:]
    if any(t.wildcards for t in terms(node)):
        notes.append("Wildcards are written in Ovid's signs: # for exactly one character, ? for none or one.")
    core_lines = lines[:-1] if limit_parts else lines
    base = Translation("ovid", numbered, "\n".join(f"{i}  {line}" for i, line in enumerate(core_lines, 1)),
                       lines=tuple(lines), limits=tuple(limits), notes=tuple(notes))
    return _finish(writer, base)


_WRITERS: dict[str, type[_Writer]] = {"pubmed": _PubMedWriter, "europepmc": _EuropePMCWriter,
                                      "ebsco": _EbscoWriter, "ovid": _OvidWriter}


def translate_all(
    node: Node,
    *,
    years: Years | None = None,
    languages: Iterable[str] = (),
    fields: str = "tiab",
) -> dict[str, Translation]:
    """Every target's translation, for the search documentation."""
    langs = tuple(languages)
    return {target: translate(node, target, years=years, languages=langs, fields=fields)
            for target in TARGETS}
