"""BibTeX as Scopus, Web of Science and people write it.

A careful hand-written reader rather than a general BibTeX library: exports put text
before the first entry (Scopus's ``Scopus`` / ``EXPORT DATE`` lines, a UTF-8 BOM), use
keys with a leading space (``@article{ WOS:000...,``), fold values over indented lines,
and the 2017 Scopus exporter glued affiliation letters to author names and separated
authors with commas instead of ``and``. Values are read brace- and quote-aware with
``#`` concatenation and ``@string`` macros, LaTeX accents and escapes become Unicode,
and an entry that is never closed is reported with the line it starts on.
"""

from __future__ import annotations

import re
import unicodedata
from typing import Iterator

from litsieve.errors import ImportFormatError
from litsieve.importers import fields as F
from litsieve.importers.encoding import ExportFile
from litsieve.importers.markup import strip_markup
from litsieve.logs import get_logger
from litsieve.record import Record, parse_year

LOG = get_logger("importers.bibtex")

_ENTRY = re.compile(r"@\s*([A-Za-z][\w-]*)\s*([{(])")
_KEY = re.compile(r"[^,={}()\n]*")
# Greedy (the next character must be "="), so a run of spaces is scanned once.
_NAME = re.compile(r"[^=,{}()\"#\n]*")
# After an entry's closer: more "name = " before the next "@" means the closer was stray.
_STRAY_FIELD = re.compile(r"[ \t]*,?[ \t]*\n?[ \t]*,?[ \t]*(?=[A-Za-z][\w-]{0,40}[ \t]*=)")
_BRACE_SCAN = re.compile(r"\\.|[{}]", re.DOTALL)
_QUOTE_SCAN = re.compile(r"\\.|[{}\"]", re.DOTALL)
_MONTHS = {m: m.capitalize() for m in
           ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")}

_ACCENTS = {
    "'": "\u0301", "`": "\u0300", "^": "\u0302", '"': "\u0308", "~": "\u0303", "=": "\u0304",
    ".": "\u0307", "u": "\u0306", "v": "\u030c", "H": "\u030b", "c": "\u0327", "k": "\u0328",
    "r": "\u030a", "d": "\u0323", "b": "\u0331",
}
_SYMBOL_ACCENT = re.compile(
    r"\\([`'^\"~=.])\s*(?:\{\s*(\\?[A-Za-z])\s*\}|(\\?[A-Za-z]))")
_LETTER_ACCENT = re.compile(r"\\([uvHckrdb])(?:\s*\{\s*(\\?[A-Za-z])\s*\}|\s+([A-Za-z]))")
_SYMBOLS = {
    "ss": "ß", "o": "ø", "O": "Ø", "ae": "æ", "AE": "Æ", "oe": "œ", "OE": "Œ", "aa": "å",
    "AA": "Å", "l": "ł", "L": "Ł", "i": "ı", "j": "ȷ", "textendash": "–", "textemdash": "—",
    "textquoteright": "’", "textquoteleft": "‘", "textregistered": "®", "copyright": "©",
    "textdegree": "°", "texttimes": "×", "pounds": "£", "S": "§", "P": "¶", "dag": "†",
    # Zotero writes "<", ">" and friends as text macros: "p {\textless} 0.001".
    "textless": "<", "textgreater": ">", "textbar": "|", "textbackslash": "\\",
    "textasciitilde": "\ue07e", "textasciicircum": "^", "textunderscore": "_",
    "textbullet": "•", "textperiodcentered": "·", "textmu": "µ", "textpm": "±",
    "textquotedbl": '"', "textellipsis": "…", "dots": "…", "ldots": "…", "textdagger": "†",
    "textsection": "§", "texttrademark": "™", "textcopyright": "©", "textonehalf": "½",
    "textperthousand": "‰", "textminus": "−", "textdiv": "÷", "textsuperscript": "",
    "textsubscript": "",
    # Math-mode symbols seen in titles and abstracts ("$\Sigma\Delta$ modulators").
    "alpha": "α", "beta": "β", "gamma": "γ", "delta": "δ", "epsilon": "ε", "varepsilon": "ε",
    "zeta": "ζ", "eta": "η", "theta": "θ", "vartheta": "ϑ", "iota": "ι", "kappa": "κ",
    "lambda": "λ", "mu": "μ", "nu": "ν", "xi": "ξ", "pi": "π", "rho": "ρ", "sigma": "σ",
    "tau": "τ", "upsilon": "υ", "phi": "φ", "varphi": "φ", "chi": "χ", "psi": "ψ",
    "omega": "ω", "Gamma": "Γ", "Delta": "Δ", "Theta": "Θ", "Lambda": "Λ", "Xi": "Ξ",
    "Pi": "Π", "Sigma": "Σ", "Upsilon": "Υ", "Phi": "Φ", "Psi": "Ψ", "Omega": "Ω",
    "pm": "±", "mp": "∓", "times": "×", "div": "÷", "cdot": "·", "circ": "∘", "leq": "≤",
    "le": "≤", "geq": "≥", "ge": "≥", "neq": "≠", "ne": "≠", "approx": "≈", "sim": "∼",
    "simeq": "≃", "equiv": "≡", "propto": "∝", "infty": "∞", "partial": "∂", "nabla": "∇",
    "sum": "∑", "prod": "∏", "int": "∫", "sqrt": "√", "rightarrow": "→", "to": "→",
    "leftarrow": "←", "leftrightarrow": "↔", "Rightarrow": "⇒", "uparrow": "↑",
    "downarrow": "↓", "degree": "°", "prime": "′", "ell": "ℓ", "hbar": "ℏ", "in": "∈",
    "cap": "∩", "cup": "∪", "ll": "≪", "gg": "≫", "lesssim": "≲", "gtrsim": "≳",
    "langle": "⟨", "rangle": "⟩", "percent": "%", "textpercent": "%",
}
_SYMBOL = re.compile(r"\\(" + "|".join(sorted(_SYMBOLS, key=len, reverse=True))
                     + r")(?![A-Za-z])(?:\{\}|\s)?")
_ESCAPE = re.compile(r"\\([&%$_#{} ])")
_ESCAPED = {char: chr(0xE000 + index) for index, char in enumerate("&%$_#{} ")}
_RESTORE = str.maketrans({v: k for k, v in _ESCAPED.items()} | {"\ue07e": "~"})
_COMMAND = re.compile(r"\\[A-Za-z]+\*?\s*")
_MATH = re.compile(r"(?<!\\)\$([^$]*)\$")
_RAW_FIELDS = frozenset({"url", "doi", "link", "file", "eprint", "unique-id"})
_AFFILIATION_LETTERS = re.compile(r"(?<=\.)[a-z]{1,2}$")
_INITIALS = re.compile(r"^(?:[A-Z\u00c0-\u024f][a-z\u00e0-\u024f]?\.?[\s-]*){1,5}$")

_MAPPED = frozenset({
    "title", "abstract", "author", "year", "date", "journal", "journaltitle", "booktitle",
    "volume", "number", "issue", "pages", "doi", "pmid", "pubmed_id", "pubmed-id", "pmcid",
    "issn", "eissn", "isbn", "language", "langid", "keywords", "author_keywords",
    "keywords-plus", "document_type", "type", "url",
})


def decode_latex(value: str, *, dashes: bool = True) -> str:
    """Unicode text from a BibTeX value: accents, escapes, text and math symbols decoded,
    math delimiters, sub/superscript marks and braces gone (``H$_2$O`` gives ``H2O``,
    ``{\textless}`` gives ``<``). Whitespace runs are collapsed first, so no pattern
    ever scans a long run more than once."""
    value = " ".join(value.split())
    if "\\" in value:
        value = _ESCAPE.sub(lambda m: _ESCAPED[m.group(1)], value)
        value = _SYMBOL_ACCENT.sub(_accent, value)
        value = _LETTER_ACCENT.sub(_accent, value)
        value = _SYMBOL.sub(lambda m: _SYMBOLS[m.group(1)], value)
        value = _COMMAND.sub("", value)
    if "$" in value:
        value = _MATH.sub(lambda m: m.group(1).replace("^", "").replace("_", ""), value)
    value = value.replace("{", "").replace("}", "")
    if dashes:
        value = value.replace("---", "\u2014").replace("--", "\u2013")
        value = value.replace("``", "\u201c").replace("''", "\u201d").replace("~", " ")
    return unicodedata.normalize("NFC", value.translate(_RESTORE))


def _accent(match: re.Match[str]) -> str:
    base = match.group(2) or match.group(3)
    base = {"\\i": "i", "\\j": "j"}.get(base, base)
    return base + _ACCENTS[match.group(1)]


class _Scanner:
    """Positions in the text with line numbers counted incrementally (never from 0)."""

    def __init__(self, export: ExportFile) -> None:
        self.text = export.text
        self.path = export.path
        self._pos = 0
        self._line = 1
        self.stray_closers = 0  # extra closing braces found (warned about once)

    def line(self, pos: int) -> int:
        if pos < self._pos:
            self._pos, self._line = 0, 1
        self._line += self.text.count("\n", self._pos, pos)
        self._pos = pos
        return self._line

    def error(self, message: str, pos: int, field: str | None = None) -> ImportFormatError:
        return ImportFormatError(message, file=self.path, line=self.line(pos), field=field,
                                 hint="the file may be truncated or hand-edited; check the "
                                 "braces and commas around that line")

    def closing(self, pos: int, opener: str, start: int) -> int:
        """Index just past the brace (or parenthesis) group that opened before ``pos``."""
        depth = 1
        if opener == "(":
            pattern = re.compile(r"\\.|[{}()]", re.DOTALL)
        else:
            pattern = _BRACE_SCAN
        for match in pattern.finditer(self.text, pos):
            char = match.group(0)
            if char in "{(" and (char == "{" or opener == "("):
                depth += 1
            elif char in "})" and (char == "}" or opener == "("):
                depth -= 1
                if depth == 0:
                    return match.end()
        raise self.error("an entry is never closed (missing '}'); the file is truncated", start)


def parse(export: ExportFile) -> Iterator[Record]:
    """Yield one record per BibTeX entry (``@comment``, ``@preamble``, ``@string`` skipped)."""
    scanner = _Scanner(export)
    text = export.text
    macros: dict[str, str] = dict(_MONTHS)
    pos = 0
    while True:
        at = text.find("@", pos)
        if at < 0:
            return
        match = _ENTRY.match(text, at)
        if not match:
            pos = at + 1
            continue
        kind = match.group(1).lower()
        opener = match.group(2)
        closer = "}" if opener == "{" else ")"
        body_start = match.end()
        if kind in {"comment", "preamble"}:
            pos = scanner.closing(body_start, opener, at)
            continue
        if kind == "string":
            fields, pos = _fields(scanner, body_start, closer, macros, at)
            macros.update({k.lower(): v for k, v in fields.items()})
            continue
        comma = _key_end(text, body_start, closer)
        if comma < 0:
            raise scanner.error(f"@{kind} entry without a citation key", at)
        key = text[body_start:comma].strip()
        fields, pos = _fields(scanner, comma + 1 if text[comma] == "," else comma, closer, macros, at)
        yield to_record(kind, key, fields, export.path)


def _key_end(text: str, start: int, closer: str) -> int:
    """Index of the comma ending the citation key (or of the closer for an empty entry)."""
    match = _KEY.match(text, start)
    end = match.end() if match else start
    if end < len(text) and (text[end] == "," or text[end] == closer):
        return end
    return -1


def _fields(
    scanner: _Scanner, pos: int, closer: str, macros: dict[str, str], start: int
) -> tuple[dict[str, str], int]:
    """Parse ``name = value`` pairs up to the entry's closing delimiter."""
    text = scanner.text
    fields: dict[str, str] = {}
    while True:
        while pos < len(text) and text[pos] in " \t\n,":
            pos += 1
        if pos >= len(text):
            raise scanner.error("an entry is never closed; the file is truncated", start)
        if text[pos] == closer:
            after = _STRAY_FIELD.match(text, pos + 1)
            if after is None:
                return fields, pos + 1
            # "title = {A}}," closed the entry early; the fields after it are still its own.
            scanner.stray_closers += 1
            if scanner.stray_closers == 1:
                entry_line = scanner.line(start)  # before pos: lines are counted forwards
                LOG.warning("%s line %d: an extra '%s' ends the entry that starts on line %d "
                            "before its last fields; they were read into it: check the braces",
                            scanner.path, scanner.line(pos), closer, entry_line)
            pos = after.end()
            continue
        name_match = _NAME.match(text, pos)
        name = "_".join(name_match.group(0).lower().split()) if name_match else ""
        if not name or text[name_match.end():name_match.end() + 1] != "=":  # type: ignore[union-attr]
            raise scanner.error(f"expected 'name = value' but found {text[pos:pos + 30]!r}", pos)
        pos = name_match.end() + 1  # type: ignore[union-attr]
        value, pos = _value(scanner, pos, macros, start, name)
        if name in fields and fields[name] and value:
            fields[name] = f"{fields[name]}; {value}"
        else:
            fields[name] = value


def _value(
    scanner: _Scanner, pos: int, macros: dict[str, str], start: int, name: str
) -> tuple[str, int]:
    """A field value: braced, quoted, a number or a macro, joined by ``#``."""
    text = scanner.text
    parts: list[str] = []
    while True:
        while pos < len(text) and text[pos] in " \t\n":
            pos += 1
        if pos >= len(text):
            raise scanner.error("an entry is never closed; the file is truncated", start, name)
        char = text[pos]
        if char == "{":
            end = scanner.closing(pos + 1, "{", start)
            parts.append(text[pos + 1:end - 1])
            pos = end
        elif char == '"':
            end = _quoted_end(scanner, pos + 1, start)
            parts.append(text[pos + 1:end - 1])
            pos = end
        else:
            token = re.match(r"[^\s,#{}()\"=]+", text[pos:pos + 200])
            if not token:
                raise scanner.error(f"no value for field '{name}'", pos, name)
            word = token.group(0)
            parts.append(word if word.isdigit() else macros.get(word.lower(), word))
            pos += len(word)
        while pos < len(text) and text[pos] in " \t\n":
            pos += 1
        if pos < len(text) and text[pos] == "#":
            pos += 1
            continue
        return "".join(parts), pos


def _quoted_end(scanner: _Scanner, pos: int, start: int) -> int:
    depth = 0
    for match in _QUOTE_SCAN.finditer(scanner.text, pos):
        char = match.group(0)
        if char == "{":
            depth += 1
        elif char == "}":
            depth -= 1
        elif char == '"' and depth <= 0:
            return match.end()
    raise scanner.error("a quoted value is never closed; the file is truncated", start)


def split_authors(value: str) -> list[str]:
    """Names from an author field: ``and``-separated, or the comma-separated 2017 Scopus form."""
    names = _split_top_level(value, re.compile(r"\s+and\s+", re.IGNORECASE))
    if len(names) == 1 and value.count(",") >= 3:
        parts = [_AFFILIATION_LETTERS.sub("", p.strip()) for p in value.split(",")]
        parts = [p for p in parts if p]
        givens = parts[1::2]
        if len(parts) % 2 == 0 and all(_INITIALS.match(g) for g in givens):
            return [f"{parts[i]}, {parts[i + 1]}" for i in range(0, len(parts), 2)]
    return [_AFFILIATION_LETTERS.sub("", n.strip()) if "," in n else n.strip() for n in names]


def _split_top_level(value: str, separator: re.Pattern[str]) -> list[str]:
    """Split on ``separator`` outside braces (``{Smith and Sons}`` stays one name)."""
    depth = 0
    outside: list[str] = []
    for char in value:  # braced text is masked, so the separator cannot match inside it
        if char == "{":
            depth += 1
        elif char == "}" and depth:
            depth -= 1
            outside.append("\x00")
            continue
        outside.append("\x00" if depth else char)
    masked = "".join(outside)
    pieces: list[str] = []
    current = 0
    for match in separator.finditer(masked):
        pieces.append(value[current:match.start()])
        current = match.end()
    pieces.append(value[current:])
    return [p for p in (piece.strip() for piece in pieces) if p]


def _author(name: str) -> str:
    """``Surname, Given``; a fully braced name is a corporate author, kept as written."""
    if name.startswith("{") and name.endswith("}"):
        return F.clean(decode_latex(name))
    return next(iter(F.authors([decode_latex(name)])), "")


def to_record(kind: str, key: str, raw: dict[str, str], path: str) -> Record:
    """Map one entry onto the record model; unmapped fields (and the key) go to ``extra``."""
    values = {name: F.clean(decode_latex(v, dashes=name not in _RAW_FIELDS))
              for name, v in raw.items()}
    authors = [_author(name) for name in split_authors(raw.get("author", ""))]
    journal = values.get("journal") or values.get("journaltitle") or values.get("booktitle", "")
    pmid = F.digits_only(values.get("pmid") or values.get("pubmed_id") or values.get("pubmed-id", ""))
    url = values.get("url", "").split(";")[0].strip()
    doi = F.first_doi([values.get("doi", "")], [url])
    issn, isbn = F.split_identifiers([values.get("issn", ""), values.get("eissn", ""),
                                      values.get("isbn", "")])
    doc_type = values.get("document_type") or values.get("type") or kind.capitalize()
    own_id = values.get("unique-id") or F.accession_from_url([url]) or pmid or key
    extra = {name: [value] for name, value in values.items()
             if name not in _MAPPED or (name == "booktitle" and journal != value)}
    extra["entry_type"] = [kind]
    extra["key"] = [key]
    return Record(
        record_id=own_id,
        source_file=path,
        title=F.clean(strip_markup(values.get("title", ""))),
        abstract=F.clean(strip_markup(values.get("abstract", ""))),
        authors=[a for a in authors if a],
        year=parse_year(values.get("year") or values.get("date", "")),
        journal=journal,
        volume=values.get("volume", ""),
        issue=values.get("number") or values.get("issue", ""),
        pages=F.pages(values.get("pages", "")),
        doi=doi,
        pmid=pmid,
        pmcid=values.get("pmcid", ""),
        issn=issn,
        isbn=isbn,
        language=F.normalize_language(values.get("language") or values.get("langid", "")),
        keywords=F.split_keywords([values.get("keywords", ""), values.get("author_keywords", ""),
                                   values.get("keywords-plus", "")]),
        publication_types=[doc_type],
        url=url,
        extra=F.compact(extra),
    )
