"""Markup that exports leave in titles and abstracts, turned into plain text.

Databases copy the publisher's markup into text fields: Crossref-fed sources (Lens,
Dimensions, Scopus) keep JATS (``<jats:p>``, ``<jats:title>``, ``<jats:italic>``), PubMed-
fed ones HTML (``<i>``, ``<sub>``, ``<sup>``, ``<b>``), some escape it once more
(``&lt;i&gt;``). Only element names that are known markup are removed, so a literal
``<`` in an abstract ("p <0.05", "(<90 cm total length)") stays as written. Block
elements (paragraphs, section titles, line breaks) become a space, inline ones nothing,
and a section title other than "Abstract" is kept as a heading ("Background: ...").
Every pattern is linear: no backtracking over the text.
"""

from __future__ import annotations

import html
import re

_INLINE = ("i", "b", "u", "em", "strong", "sub", "sup", "sc", "small", "span", "font", "italic",
           "bold", "underline", "monospace", "roman", "sans-serif", "inline-formula", "tex-math",
           "named-content", "styled-content", "ext-link", "uri", "a", "xref", "math", "mi", "mo",
           "mn", "mrow", "msub", "msup", "msubsup", "mfrac", "msqrt", "mtext", "mspace", "mstyle",
           "mover", "munder", "mml:math", "alternatives")
_BLOCK = ("p", "br", "div", "sec", "list", "list-item", "abstract", "trans-abstract", "label",
          "caption", "disp-formula", "li", "ul", "ol")
_PREFIXES = r"(?:jats:|mml:|ns\d?:)?"
_NAMES = "|".join(re.escape(n) for n in sorted(set(_INLINE + _BLOCK), key=len, reverse=True))
_TAG = re.compile(rf"</?{_PREFIXES}(?P<name>{_NAMES})(?:\s[^<>]{{0,500}})?/?>", re.IGNORECASE)
_TITLE = re.compile(rf"<{_PREFIXES}title(?:\s[^<>]{{0,200}})?>([^<>]{{0,200}})</{_PREFIXES}title>",
                    re.IGNORECASE)
_BLOCK_NAMES = frozenset(_BLOCK)
_ENTITY = re.compile(r"&(?:#\d{1,7}|#x[0-9a-fA-F]{1,6}|[A-Za-z]{2,8});")
_SKIPPED_HEADINGS = frozenset({"abstract", "summary", "graphical abstract"})


def strip_markup(text: str) -> str:
    """``text`` with known HTML/JATS/MathML markup removed and character references decoded."""
    if not text or ("<" not in text and "&" not in text):
        return text
    if "&" in text and _ENTITY.search(text):
        text = _ENTITY.sub(lambda m: html.unescape(m.group(0)), text)
    if "<" not in text:
        return text
    text = _TITLE.sub(_heading, text)
    text = _TAG.sub(lambda m: " " if m.group("name").lower() in _BLOCK_NAMES else "", text)
    return text.strip().lstrip(";").strip()


def _heading(match: re.Match[str]) -> str:
    title = " ".join(match.group(1).split()).rstrip(":.")
    if not title or title.casefold() in _SKIPPED_HEADINGS:
        return " "
    return f" {title}: "
