"""Write the review's query in each database's own syntax.

Every translation starts from one unambiguous tree and parenthesises every group, so no
database's own precedence rules can change its meaning; phrases are quoted (PubMed's
automatic term mapping and EBSCOhost's N5 proximity do not apply to quoted phrases);
terms carry explicit field tags. The syntax facts behind each target, with their
sources, are in docs/query.md.

- ``pubmed``: ``"peer support"[tiab]``, ``1990:2017[dp]``, ``english[la]``.
- ``europepmc``: ``(TITLE:"peer support" OR ABSTRACT:"peer support")``,
  ``PUB_YEAR:[1990 TO 2017]``, ``LANG:"eng"``; request parameter ``synonym=false``.
- ``ebsco``: ``(TI "peer support" OR AB "peer support")``; limiters listed beside the string.
- ``ovid``: numbered lines, ``peer support.ti,ab.``, ``1 or 2``, and a final
  ``limit N to (english language and yr="1990 - 2017")``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Callable, Iterable, Mapping, Sequence

from litsieve.errors import QueryError
from litsieve.text import bibliographic_code, language_name
from litsieve.query.parser import (
    CONVENTION_LABELS,
    FIELDS,
    Ambiguous,
    And,
    Node,
    Or,
    Term,
    ambiguities,
    render,
    resolve,
    terms,
)

TARGETS: tuple[str, ...] = ("pubmed", "europepmc", "ebsco", "ovid")
TARGET_LABELS = {
    "pubmed": "PubMed",
    "europepmc": "Europe PMC",
    "ebsco": "EBSCOhost",
    "ovid": "Ovid",
}

Years = tuple[int, int]


@dataclass(frozen=True)
class Translation:
    """One database's version of the query.

    ``text`` is what to paste or send (Ovid: the numbered lines); ``core`` is the query
    without year and language limits (for clients that pass dates as request
    parameters); ``lines`` are Ovid's search statements in order; ``limits`` describe the
    limits as the database applies them; ``parameters`` are request parameters an API
    client must send with the string; ``notes`` say what the reviewer should know.
    """

    target: str
    text: str
    core: str
    lines: tuple[str, ...] = ()
    limits: tuple[str, ...] = ()
    notes: tuple[str, ...] = ()
    parameters: Mapping[str, str] = field(default_factory=dict)

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
) -> Translation:
    """Translate an unambiguous tree for ``target``; ``fields`` is the default for untagged terms."""
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
    langs = tuple(dict.fromkeys(language_name(lang) for lang in languages if lang.strip()))
    builder = {"pubmed": _pubmed, "europepmc": _europepmc, "ebsco": _ebsco, "ovid": _ovid}[target]
    return builder(node, years, langs, fields)


# --------------------------------------------------------------------------- shared


def _field(term: Term, default: str) -> str:
    return term.field or default


def _needs_quotes(term: Term) -> bool:
    return term.multiword or bool(re.search(r"[^\w*]", term.text))


def _single_line(node: Node, leaf: Callable[[Term], str]) -> str:
    """Fully parenthesised rendering with a per-target leaf function."""
    if isinstance(node, Term):
        return leaf(node)
    name = "AND" if isinstance(node, And) else "OR" if isinstance(node, Or) else "NOT"
    assert not isinstance(node, Ambiguous), "ambiguous trees are resolved before translation"
    return "(" + f" {name} ".join(_single_line(c, leaf) for c in node.children) + ")"


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


# --------------------------------------------------------------------------- PubMed

_PUBMED_TAGS = {"ti": "ti", "tiab": "tiab", "ab": "tiab", "all": "all"}


def _pubmed(node: Node, years: Years | None, langs: tuple[str, ...], fields: str) -> Translation:
    def leaf(term: Term) -> str:
        text = f'"{term.text}"' if _needs_quotes(term) else term.text
        return f"{text}[{_PUBMED_TAGS[_field(term, fields)]}]"

    core = _single_line(node, leaf)
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
    if any(_field(t, fields) == "ab" for t in terms(node)):
        notes.append("PubMed has no abstract-only field tag; abstract terms are searched with [tiab] (title or abstract).")
    phrases = _truncated_phrases(node)
    if phrases:
        notes.append("Truncated phrases (" + ", ".join(f'"{t.text}"' for t in phrases) + "): PubMed "
                     "truncates the last word of a quoted, field-tagged phrase; only one truncated word "
                     "per phrase is searched as expected. Check the phrase's count in Advanced Search > "
                     "History and Search Details.")
    return Translation("pubmed", " AND ".join(parts), core, limits=tuple(limits), notes=tuple(notes))


def _field_leaf(codes: dict[str, tuple[str, ...]], joiner: str, fields: str) -> Callable[[Term], str]:
    """A term written with each field code of its field (``TITLE:x``, ``TI x``), OR-ed
    when the field is title-and-abstract: Europe PMC and EBSCOhost both search that way."""

    def leaf(term: Term) -> str:
        text = f'"{term.text}"' if _needs_quotes(term) else term.text
        names = codes[_field(term, fields)]
        if not names:
            return text
        parts = [f"{name}{joiner}{text}" for name in names]
        return parts[0] if len(parts) == 1 else "(" + " OR ".join(parts) + ")"

    return leaf


# --------------------------------------------------------------------------- Europe PMC

_EPMC_FIELDS = {"ti": ("TITLE",), "ab": ("ABSTRACT",), "tiab": ("TITLE", "ABSTRACT"), "all": ()}


def _europepmc(node: Node, years: Years | None, langs: tuple[str, ...], fields: str) -> Translation:
    core = _single_line(node, _field_leaf(_EPMC_FIELDS, ":", fields))
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
    return Translation("europepmc", " AND ".join(parts), core, limits=tuple(limits),
                       notes=tuple(notes), parameters={"synonym": "false"})


# --------------------------------------------------------------------------- EBSCOhost

_EBSCO_CODES = {"ti": ("TI",), "ab": ("AB",), "tiab": ("TI", "AB"), "all": ()}


def _ebsco(node: Node, years: Years | None, langs: tuple[str, ...], fields: str) -> Translation:
    core = _single_line(node, _field_leaf(_EBSCO_CODES, " ", fields))
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
    return Translation("ebsco", core, core, limits=tuple(limits), notes=tuple(notes))


# --------------------------------------------------------------------------- Ovid

_OVID_SUFFIX = {"ti": ".ti.", "ab": ".ab.", "tiab": ".ti,ab.", "all": ".mp."}
_OVID_RESERVED = re.compile(r"\b(and|or|not|adj\d*|near|freq|with|same)\b|\d", re.IGNORECASE)


def _ovid(node: Node, years: Years | None, langs: tuple[str, ...], fields: str) -> Translation:
    lines: list[str] = []
    numbers: dict[str, int] = {}

    def add(line: str) -> int:
        if line not in numbers:
            lines.append(line)
            numbers[line] = len(lines)
        return numbers[line]

    def emit(current: Node) -> int:
        if isinstance(current, Term):
            text = current.text
            if _OVID_RESERVED.search(text.replace("*", "")):
                text = f'"{text}"'
            return add(f"{text}{_OVID_SUFFIX[_field(current, fields)]}")
        name = "and" if isinstance(current, And) else "or" if isinstance(current, Or) else "not"
        assert not isinstance(current, Ambiguous), "ambiguous trees are resolved before translation"
        refs = [emit(child) for child in current.children]
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
    core_lines = lines[:-1] if limit_parts else lines
    return Translation("ovid", numbered, "\n".join(f"{i}  {line}" for i, line in enumerate(core_lines, 1)),
                       lines=tuple(lines), limits=tuple(limits), notes=tuple(notes))


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
