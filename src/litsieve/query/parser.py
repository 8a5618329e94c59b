"""Parse the search strings reviewers write into a tree with character positions.

The language is the common ground of the databases' own syntaxes (docs/query.md): ``AND``,
``OR``, ``NOT`` in any case; parentheses; quoted phrases and unquoted runs of words;
``*`` truncation and the one-character wildcards ``?`` and ``#``; field tags written the
PubMed, Ovid, EBSCOhost or Europe PMC way (``term[tiab]``, ``term.ti,ab.``, ``TI term``,
``TITLE:term``); subject headings (``"Acne Vulgaris"[Mesh]``, ``exp Acne Vulgaris/``,
``(MH "Acne Vulgaris+")``, ``MESH:"Acne Vulgaris"``) with explosion, major topic and
subheadings; proximity (``adj3``, ``N5``, ``W2``, ``NEAR/3``, ``W/3``, ``PRE/3``,
``"hip pain"[tiab:~2]``); and Ovid's or EBSCOhost's numbered lines (``1 exp X/``,
``2 or/1-5``, ``S3 S1 AND S2``). Every token and node keeps its ``span`` (start, end) in
the string, so lint messages can point at it.

Where the databases' syntaxes give one sign two meanings, the string's own syntax decides:
in a string with Ovid's marks (``.ti,ab.``, ``adj3``, ``exp``, ``X/``, numbered lines,
``$``) ``#`` is one character and ``?`` zero or one, as in Ovid; elsewhere ``?`` is one
character and ``#`` zero or one, as in EBSCOhost. The tree holds the second convention.

An unparenthesised chain that mixes operators (``a OR b AND c``) has no single meaning:
PubMed reads it strictly left to right, EBSCOhost and Ovid give AND precedence. The parser
does not pick one. Where the databases' readings differ it returns an :class:`Ambiguous`
node that keeps the flat chain and says where it is; :func:`resolve` gives the tree a
given database would search, and everything that runs a search refuses an ambiguous tree.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from typing import Iterator, Union

from litsieve.errors import QueryError
from litsieve.query.vocabulary import QUALIFIERS, qualifier_name
from litsieve.text import QUERY_TAGS

Span = tuple[int, int]

#: Field values the review's default (``search.fields``) can take.
FIELDS: tuple[str, ...] = QUERY_TAGS
#: Field values a term can carry; ``None`` means "the review's default fields".
TERM_FIELDS: tuple[str, ...] = (*QUERY_TAGS, "tw", "kw", "pt", "la", "dp")
#: Fields that hold a record's metadata rather than its words: a limit, not a text search.
LIMIT_FIELDS = frozenset({"pt", "la", "dp"})
FIELD_NAMES = {"ti": "title", "ab": "abstract", "tiab": "title or abstract", "all": "all fields",
               "tw": "text words", "kw": "keywords", "pt": "publication type", "la": "language",
               "dp": "publication date"}

#: How each database groups an unparenthesised chain: higher binds tighter; equal
#: precedence is read left to right. Sources are cited in docs/query.md.
PRECEDENCE: dict[str, dict[str, int]] = {
    "pubmed": {"AND": 1, "OR": 1, "NOT": 1},
    "ebsco": {"AND": 2, "NOT": 2, "OR": 1},
    "ovid": {"AND": 3, "NOT": 2, "OR": 1},
}
CONVENTION_LABELS = {
    "pubmed": "PubMed (strictly left to right)",
    "ebsco": "EBSCOhost (AND and NOT before OR)",
    "ovid": "Ovid (AND, then NOT, then OR)",
}

OPERATORS = frozenset({"AND", "OR", "NOT"})
QUOTES = '"\u201c\u201d\u201e'
#: The tree's wildcards: ``?`` exactly one character, ``#`` zero or one (EBSCOhost's signs).
WILDCARD_SIGNS = "?#"


@dataclass(frozen=True)
class Term:
    """One search term: a word or phrase, possibly truncated, possibly field-tagged.

    ``text`` is the term as written (whitespace collapsed, ``*`` kept, quotes removed;
    wildcards in the tree's convention, ``?`` one character and ``#`` zero or one);
    ``phrase`` says it was quoted. An unquoted run of words (``Peer support``) is one
    term with ``phrase=False``: databases treat such runs differently, which lint reports.
    """

    text: str
    phrase: bool
    truncated: bool
    field: str | None
    span: Span

    @property
    def words(self) -> tuple[str, ...]:
        return tuple(self.text.split())

    @property
    def multiword(self) -> bool:
        return len(self.words) > 1

    @property
    def wildcards(self) -> bool:
        return any(sign in self.text for sign in WILDCARD_SIGNS)


@dataclass(frozen=True)
class Heading:
    """A subject heading: ``name`` in the searched database's thesaurus.

    ``explode`` includes the narrower headings under it; ``major`` only records where it
    is a major topic; ``qualifiers`` (MeSH subheading names) restrict it to those aspects.
    ``name`` is ``""`` for a subheading searched on its own (PubMed ``therapy[sh]``, Ovid
    ``th.fs.``). ``thesaurus`` is ``"mesh"`` when the syntax itself names MeSH (PubMed's
    ``[mh]``, Europe PMC's ``MESH:``) and ``None`` for "the database's own headings"
    (Ovid ``X/``, EBSCOhost ``MH``/``DE``), whose thesaurus depends on the database.
    """

    name: str
    explode: bool
    major: bool
    qualifiers: tuple[str, ...]
    thesaurus: str | None
    span: Span

    @property
    def floating(self) -> bool:
        return not self.name


@dataclass(frozen=True)
class Near:
    """Terms within ``distance`` words of each other (at most that many words between),
    in the written order when ``ordered``; each child is a term or an OR of terms, and all
    are searched in one field of the record."""

    children: tuple["Node", ...]
    distance: int
    ordered: bool
    span: Span


@dataclass(frozen=True)
class And:
    children: tuple["Node", ...]
    span: Span


@dataclass(frozen=True)
class Or:
    children: tuple["Node", ...]
    span: Span


@dataclass(frozen=True)
class Not:
    """``children[0]`` without any of ``children[1:]`` (``a NOT b NOT c``)."""

    children: tuple["Node", ...]
    span: Span


@dataclass(frozen=True)
class Operator:
    name: str  # AND, OR or NOT
    span: Span


@dataclass(frozen=True)
class Ambiguous:
    """An unparenthesised chain mixing operators that the databases read differently.

    ``operands[i]`` and ``operands[i + 1]`` are joined by ``operators[i]``. Use
    :func:`resolve` for one database's reading.
    """

    operands: tuple["Node", ...]
    operators: tuple[Operator, ...]
    span: Span

    @property
    def turning_point(self) -> Operator:
        """The first operator that differs from the one before it: where grouping matters."""
        first = self.operators[0].name
        for operator in self.operators:
            if operator.name != first:
                return operator
        return self.operators[0]


Node = Union[Term, Heading, Near, And, Or, Not, Ambiguous]
Leaf = Union[Term, Heading]


# --------------------------------------------------------------------------- tokens


@dataclass(frozen=True)
class Token:
    """``kind`` is word, phrase, lparen, rparen, op, near (proximity), prefix (field or
    heading code before), suffix (after), heading (Ovid ``exp X/``) or ref (a line number,
    ``or/1-5``). ``data`` carries a heading's parts or a reference's line numbers."""

    kind: str
    value: str  # word text, phrase text, operator name, field or tag value
    span: Span
    raw: str
    data: tuple[str, ...] = ()


@dataclass(frozen=True)
class Problem:
    """Something that stops the string from parsing; lint reports all of them."""

    code: str
    span: Span
    message: str
    hint: str


# Bracket tags (PubMed). Values are term fields, heading tags or proximity.
_BRACKET_TAGS = {
    "tiab": "tiab", "title/abstract": "tiab", "ti": "ti", "title": "ti",
    "ab": "ab", "abstract": "ab", "all": "all", "all fields": "all",
    "tw": "tw", "text word": "tw", "text words": "tw", "ot": "kw", "other term": "kw", "kw": "kw",
    "pt": "pt", "publication type": "pt", "la": "la", "language": "la",
    "dp": "dp", "pdat": "dp", "publication date": "dp", "date - publication": "dp",
    "mh": "mh", "mesh": "mh", "mesh terms": "mh", "mh:noexp": "mh:noexp", "mesh:noexp": "mh:noexp",
    "mesh terms:noexp": "mh:noexp", "majr": "majr", "mesh major topic": "majr",
    "majr:noexp": "majr:noexp", "mesh major topic:noexp": "majr:noexp",
    "sh": "sh", "subheading": "sh", "mesh subheading": "sh",
}
_BRACKET_NEAR = re.compile(r"^(tiab|title/abstract|ti|title):~(\d+)$")
#: tag -> (explode, major) for headings; "sh"/"fs" is a subheading on its own.
HEADING_TAGS = {"mh": (True, False), "mh:noexp": (False, False), "majr": (True, True),
                "majr:noexp": (False, True), "ovid-sh": (False, False), "ovid-xm": (True, False)}
_FLOATING_TAGS = frozenset({"sh", "fs"})

_OVID_CODES = {"ti": "ti", "ab": "ab", "tw": "tiab", "mp": "all", "kw": "all", "kf": "all", "hw": "all",
               "sh": "ovid-sh", "xm": "ovid-xm", "fs": "fs", "pt": "pt", "lg": "la", "yr": "dp"}
_OVID_CODE = "|".join(_OVID_CODES)
_OVID_SUFFIX = re.compile(rf"\.((?:{_OVID_CODE})(?:,(?:{_OVID_CODE}))*)\.", re.IGNORECASE)
_OVID_SUFFIX_END = re.compile(_OVID_SUFFIX.pattern + "$", re.IGNORECASE)
# Published strategies sometimes drop the closing dot at the end of a line: ").tw"
_OVID_SUFFIX_UNCLOSED = re.compile(rf"\.((?:{_OVID_CODE})(?:,(?:{_OVID_CODE}))*)(?=\s*$)", re.IGNORECASE)
_PREFIX_WORDS = {"TI": "ti", "AB": "ab", "TIAB": "tiab", "TX": "all", "KW": "kw", "SU": "kw",
                 "PT": "pt", "LA": "la", "DT": "dp",
                 "MH": "heading:MH", "MM": "heading:MM", "DE": "heading:DE", "MJ": "heading:MJ"}
_COLON_PREFIX = re.compile(
    r"^(title|ti|abstract|ab|tiab|title_abs|tx|all|mesh|kw|lang|pub_year):(.*)$", re.IGNORECASE
)
_COLON_FIELDS = {"title": "ti", "ti": "ti", "abstract": "ab", "ab": "ab", "tiab": "tiab",
                 "title_abs": "tiab", "tx": "all", "all": "all", "mesh": "heading:MESH", "kw": "kw",
                 "lang": "la", "pub_year": "dp"}
_PUB_YEAR_RANGE = re.compile(r"PUB_YEAR:\s*\[\s*(\d{4})\s+TO\s+(\d{4})\s*\]", re.IGNORECASE)
_WORD_STOP = set(" \t\r\n()[") | set(QUOTES)
# Proximity operators: (pattern, ordered, distance from the number).
_NEAR_FORMS: tuple[tuple[re.Pattern[str], bool, int], ...] = (
    (re.compile(r"^adj$", re.IGNORECASE), True, -1),  # Ovid adj: adjacent, in order
    (re.compile(r"^adj(\d+)$", re.IGNORECASE), False, -1),  # Ovid adjN: N-1 words between
    (re.compile(r"^N(\d+)$"), False, 0),  # EBSCOhost Nn
    (re.compile(r"^W(\d+)$"), True, 0),  # EBSCOhost Wn
    (re.compile(r"^NEAR/?(\d+)$", re.IGNORECASE), False, 0),  # Web of Science, Cochrane
    (re.compile(r"^W/(\d+)$", re.IGNORECASE), False, 0),  # Scopus
    (re.compile(r"^PRE/(\d+)$", re.IGNORECASE), True, 0),  # Scopus
    (re.compile(r"^NEXT$"), True, -1),  # Cochrane: adjacent, in order
)
# An Ovid heading ends with "/" and may carry subheadings: "Vulgaris/", "Vulgaris/dt,th".
_HEADING_END = re.compile(r"^(?P<body>.*[^/\s])/(?P<quals>[A-Za-z]{2}(?:,[A-Za-z]{2})*)?$")
_COMBINE = re.compile(r"^(and|or)/([\d,\-s]+)$", re.IGNORECASE)
_LINE_LABEL = re.compile(r"^[ \t]*(?:#|S)?(\d+)[ \t]*[.):]?[ \t]+(?=\S)", re.IGNORECASE)
_LIMIT_LINE = re.compile(r"^limit\s+([S#]?\d+)\s+to\s+(.+)$", re.IGNORECASE)
_REMOVE_DUPLICATES = re.compile(r"^remove\s+duplicates\s+from\s+([S#]?\d+)$", re.IGNORECASE)
_YEARS_LIMIT = re.compile(r'^yr\s*=\s*"\s*(\d{4})\s*-\s*(\d{4}|current)\s*"$', re.IGNORECASE)
_DATE_TERM = re.compile(r"^(\d{4})(?::(\d{4}))?$")


def _ovid_field(codes: str) -> str:
    values = {_OVID_CODES[c.lower()] for c in codes.split(",")}
    if len(values) == 1:
        return values.pop()
    if values <= {"ti", "ab", "tiab"}:
        return "tiab"
    return "all"


def scan(text: str, *, lines: bool = False) -> tuple[list[Token], list[Problem]]:
    """Split ``text`` into tokens; problems (unclosed quote, unknown tag) do not stop it.

    ``lines``: the text is one line of a numbered strategy, where a bare number or
    ``S1`` is a reference to an earlier line and ``or/1-5`` combines lines.
    """
    tokens: list[Token] = []
    problems: list[Problem] = []
    i, n = 0, len(text)

    def ovid_suffix_at(pos: int) -> int:
        match = _OVID_SUFFIX.match(text, pos) or _OVID_SUFFIX_UNCLOSED.match(text, pos)
        if match and (match.end() == n or text[match.end()] in " \t\r\n)"):
            tokens.append(Token("suffix", _ovid_field(match.group(1)), (pos, match.end()), match.group(0)))
            return match.end()
        return pos

    while i < n:
        char = text[i]
        if char.isspace():
            i += 1
        elif char == "(":
            tokens.append(Token("lparen", "(", (i, i + 1), "("))
            i += 1
        elif char == ")":
            tokens.append(Token("rparen", ")", (i, i + 1), ")"))
            i = ovid_suffix_at(i + 1)
        elif char in QUOTES:
            close = next((j for j in range(i + 1, n) if text[j] in QUOTES), -1)
            if close < 0:
                problems.append(Problem(
                    "unbalanced-quote", (i, n), "quotation mark opened here is never closed",
                    "close the phrase with a second \""))
                inner = text[i + 1:]
                end = n
            else:
                inner = text[i + 1:close]
                end = close + 1
            phrase = " ".join(inner.split())
            if not phrase:
                problems.append(Problem("empty-phrase", (i, end), "empty quoted phrase",
                                        "remove the quotes or put the phrase between them"))
            elif end < n and text[end] == "/" and (end + 1 == n or text[end + 1] in " \t\r\n)"):
                # Ovid: exp "intracranial embolism and thrombosis"/
                tokens.append(Token("hword", phrase, (i, end + 1), text[i:end + 1]))
                end += 1
            else:
                tokens.append(Token("phrase", phrase, (i, end), text[i:end]))
            i = ovid_suffix_at(end)
        elif char == "[":
            close = text.find("]", i + 1)
            if close < 0:
                problems.append(Problem("unbalanced-bracket", (i, n), "field tag opened with [ is never closed",
                                        "write the tag as [tiab], [ti] or [ab]"))
                i = n
                continue
            if tokens and tokens[-1].kind == "hword":
                i = close + 1  # Ovid's spelled-out subheadings after "X/dt": "[Drug Therapy]"
                continue
            raw_tag = text[i + 1:close]
            tag = " ".join(raw_tag.lower().split())
            near = _BRACKET_NEAR.match(tag.replace(" ", ""))
            field = _BRACKET_TAGS.get(tag)
            if near:
                value = f"near:{_BRACKET_TAGS[near.group(1)]}:{near.group(2)}"
                tokens.append(Token("suffix", value, (i, close + 1), text[i:close + 1]))
            elif field is None:
                problems.append(Problem(
                    "unknown-field", (i, close + 1), f"unsupported field tag [{raw_tag}]",
                    "litsieve understands [tiab], [ti], [ab], [tw], [all], [pt], [la], [dp], "
                    "[Mesh], [mh], [mh:noexp], [majr], [majr:noexp], [sh] and [tiab:~N]"))
            else:
                tokens.append(Token("suffix", field, (i, close + 1), text[i:close + 1]))
            i = close + 1
        else:
            years = _PUB_YEAR_RANGE.match(text, i)
            if years:
                tokens.append(Token("prefix", "dp", (i, i + 9), text[i:i + 9]))
                tokens.append(Token("word", f"{years.group(1)}:{years.group(2)}", (i + 9, years.end()),
                                    text[i + 9:years.end()]))
                i = years.end()
                continue
            j = i
            while j < n and text[j] not in _WORD_STOP:
                j += 1
            _word_tokens(text[i:j], i, tokens, lines)
            i = j
    tokens = _merge_headings(tokens, problems)
    problems += _truncation_problems(tokens)
    return tokens, problems


def _truncation_problems(tokens: list[Token]) -> list[Problem]:
    """``*`` and ``$`` are truncation at the end of a word only; elsewhere no database agrees."""
    problems = []
    for token in tokens:
        if token.kind not in ("word", "phrase"):
            continue
        for match in re.finditer(r"[^\s\"\u201c\u201d\u201e]+", token.raw):
            word = match.group(0)
            start = token.span[0] + match.start()
            span = (start, start + len(word))
            stem = word.rstrip("*$")
            if re.search(r"\w[*$]\d+$", word):
                problems.append(Problem(
                    "limited-truncation", span,
                    f"limited truncation ({word}) is not supported",
                    "use unlimited truncation (*) or spell the variants out with OR"))
            elif ("*" in word or "$" in word) and ("*" in stem or "$" in stem or not stem):
                problems.append(Problem(
                    "inner-truncation", span,
                    f"'*' inside or before a word ({word}): only truncation at the end of a word is supported",
                    "put * at the end of the word stem, use ? or # for one character, or spell the "
                    "variants out with OR"))
            elif stem and all(c in WILDCARD_SIGNS for c in stem):
                problems.append(Problem("empty-term", span, f"'{word}' has no letters to search",
                                        "write a word around the wildcard"))
    return problems


def _near_token(raw: str, start: int) -> Token | None:
    for pattern, ordered, offset in _NEAR_FORMS:
        match = pattern.match(raw)
        if match:
            distance = max(int(match.group(1)) + offset, 0) if match.groups() else 0
            return Token("near", f"{'ordered' if ordered else 'any'}:{distance}", (start, start + len(raw)), raw)
    return None


def _word_tokens(raw: str, start: int, tokens: list[Token], lines: bool) -> None:
    """One bare word: an operator, proximity, a field prefix, a line reference, or a word."""
    span = (start, start + len(raw))
    if raw.upper() in OPERATORS:
        tokens.append(Token("op", raw.upper(), span, raw))
        return
    near = _near_token(raw, start)
    if near is not None:
        tokens.append(near)
        return
    if raw in _PREFIX_WORDS:
        tokens.append(Token("prefix", _PREFIX_WORDS[raw], span, raw))
        return
    if lines:
        combine = _COMBINE.match(raw)
        if combine:
            numbers = _line_numbers(combine.group(2))
            tokens.append(Token("ref", combine.group(1).upper(), span, raw, tuple(numbers)))
            return
        if re.fullmatch(r"[S#]?\d+", raw, re.IGNORECASE):
            tokens.append(Token("ref", "LINE", span, raw, (raw.upper().lstrip("S#"),)))
            return
    colon = _COLON_PREFIX.match(raw)
    if colon:
        tag_end = start + len(colon.group(1)) + 1
        tokens.append(Token("prefix", _COLON_FIELDS[colon.group(1).lower()], (start, tag_end),
                            raw[: tag_end - start]))
        if colon.group(2):
            _word_tokens(colon.group(2), tag_end, tokens, lines)
        return
    heading = _HEADING_END.match(raw)
    if heading and _qualifiers_known(heading.group("quals")):
        tokens.append(Token("hword", heading.group("body"), span, raw, tuple(
            q.lower() for q in (heading.group("quals") or "").split(",") if q)))
        return
    word = raw
    suffixes: list[Token] = []
    while (suffix := _OVID_SUFFIX_END.search(word)) and suffix.start() > 0:
        suffixes.insert(0, Token("suffix", _ovid_field(suffix.group(1)),
                                 (start + suffix.start(), start + len(word)), suffix.group(0)))
        word = word[: suffix.start()]
    tokens.append(Token("word", word, (start, start + len(word)), word))
    tokens.extend(suffixes)


def _qualifiers_known(quals: str | None) -> bool:
    return not quals or all(q.lower() in QUALIFIERS for q in quals.split(","))


def _line_numbers(spec: str) -> list[str]:
    numbers: list[str] = []
    for part in filter(None, spec.lower().replace("s", "").split(",")):
        if "-" in part:
            low, _, high = part.partition("-")
            if low.isdigit() and high.isdigit() and int(low) <= int(high):
                numbers += [str(k) for k in range(int(low), int(high) + 1)]
                continue
        numbers.append(part)
    return numbers


def _merge_headings(tokens: list[Token], problems: list[Problem]) -> list[Token]:
    """Ovid's ``exp *Acne Vulgaris/dt``: the words before a word ending in ``/`` (back to
    the last operator or parenthesis) are the heading; ``exp`` explodes it, ``*`` makes it
    a major topic."""
    out: list[Token] = []
    for token in tokens:
        if token.kind != "hword":
            out.append(token)
            continue
        words: list[Token] = []
        while out and out[-1].kind == "word":
            words.insert(0, out.pop())
        start = words[0].span[0] if words else token.span[0]
        explode = bool(words) and words[0].value.lower() == "exp"
        if explode:
            words = words[1:]
        names = [w.value for w in words] + [token.value]
        major = names[0].startswith("*")
        name = " ".join(" ".join(names).lstrip("*").split())
        if not name:
            problems.append(Problem("empty-heading", token.span, "subject heading without a name",
                                    "write the heading before the /, e.g. exp Acne Vulgaris/"))
            continue
        out.append(Token("heading", name, (start, token.span[1]), token.raw,
                         ("exp" if explode else "", "major" if major else "", *token.data)))
    return out


def check_structure(tokens: list[Token], text: str) -> list[Problem]:
    """Parentheses, operator placement and missing operators, all reported at once."""
    problems: list[Problem] = []
    if not tokens:
        return [Problem("empty-query", (0, len(text)), "the query is empty",
                        "write at least one search term")]
    open_parens: list[Token] = []
    expecting = True  # an operand is expected next
    previous: Token | None = None
    for token in tokens:
        kind = token.kind
        if kind in ("op", "near"):
            if expecting:
                if previous is None or previous.kind == "lparen":
                    if token.value == "NOT":
                        problems.append(Problem(
                            "leading-not", token.span,
                            "NOT at the start of a " + ("group" if previous else "query") + " has nothing to subtract from",
                            "write the set first, e.g. 'adults NOT children'"))
                    else:
                        problems.append(Problem("leading-operator", token.span,
                                                f"{token.raw} has no term before it",
                                                "remove the operator or add a term before it"))
                elif previous.kind in ("op", "near"):
                    problems.append(Problem("double-operator", token.span,
                                            f"{previous.raw} is directly followed by {token.raw}",
                                            "remove one operator or put a term between them"))
                else:
                    problems.append(Problem("dangling-field", previous.span,
                                            f"field tag {previous.raw} is followed by {token.raw}, not a term",
                                            "put the term right after the field tag"))
            expecting = True
        elif kind == "lparen":
            if not expecting:
                problems.append(_missing_operator(previous, token))
            open_parens.append(token)
            expecting = True
        elif kind == "rparen":
            if not open_parens:
                problems.append(Problem("unbalanced-parenthesis", token.span,
                                        "closing parenthesis has no opening one",
                                        "remove it or add the missing '('"))
            else:
                opener = open_parens.pop()
                if previous is opener:
                    problems.append(Problem("empty-group", (opener.span[0], token.span[1]),
                                            "empty group ()", "remove it or put terms inside"))
                elif expecting and previous is not None and previous.kind in ("op", "near"):
                    problems.append(Problem("trailing-operator", previous.span,
                                            f"{previous.raw} has no term after it before ')'",
                                            "remove the operator or add a term"))
                elif expecting and previous is not None and previous.kind == "prefix":
                    problems.append(Problem("dangling-field", previous.span,
                                            f"field tag {previous.raw} has no term after it",
                                            "put the term right after the field tag"))
            expecting = False
        elif kind == "prefix":
            if not expecting:
                problems.append(_missing_operator(previous, token))
            expecting = True
        elif kind == "suffix":
            if expecting:
                problems.append(Problem("dangling-field", token.span,
                                        f"field tag {token.raw} does not follow a term",
                                        "put it right after the term or group it applies to"))
            expecting = False
        else:  # word, phrase, heading or ref
            if not expecting and not (kind == "word" and previous is not None and previous.kind == "word"):
                problems.append(_missing_operator(previous, token))
            expecting = False
        previous = token
    if expecting and previous is not None:
        if previous.kind in ("op", "near"):
            problems.append(Problem("trailing-operator", previous.span,
                                    f"the query ends with {previous.raw}",
                                    "remove the operator or add a term after it"))
        elif previous.kind == "prefix":
            problems.append(Problem("dangling-field", previous.span,
                                    f"field tag {previous.raw} has no term after it",
                                    "put the term right after the field tag"))
    for opener in open_parens:
        problems.append(Problem("unbalanced-parenthesis", opener.span,
                                "opening parenthesis is never closed", "add the missing ')'"))
    return problems


def _missing_operator(previous: Token | None, token: Token) -> Problem:
    before = previous.raw if previous else ""
    return Problem("missing-operator", token.span,
                   f"no operator between {before!s} and {token.raw}",
                   "join them with AND or OR, or quote them as one phrase")


# --------------------------------------------------------------------------- lines


@dataclass(frozen=True)
class Line:
    """One statement of a numbered strategy: its label, and where its body is."""

    number: str
    start: int
    end: int


def numbered_lines(text: str) -> list[Line] | None:
    """The statements of a line-by-line strategy (``1 exp X/``, ``S2 TI y``), or ``None``
    when ``text`` is one search string. Every non-blank line must carry a number."""
    if "\n" not in text.strip():
        return None
    found: list[Line] = []
    offset = 0
    for raw in text.splitlines(keepends=True):
        body = raw.rstrip("\r\n")
        if body.strip():
            label = _LINE_LABEL.match(body)
            if not label:
                return None
            end = offset + len(body.rstrip())
            found.append(Line(label.group(1), offset + label.end(), end))
        offset += len(raw)
    return found if len(found) > 1 else None


@dataclass
class Analysis:
    """Everything the scanner found: per statement its tokens, and every problem."""

    text: str
    statements: list[tuple[Line | None, list[Token]]]
    problems: list[Problem]
    dialect: str  # "ovid", "ebsco" or "" (no syntax that decides what ? and # mean)


def analyse(text: str) -> Analysis:
    """Scan ``text`` (one string or numbered lines) and check each statement's structure."""
    lines = numbered_lines(text)
    problems: list[Problem] = []
    statements: list[tuple[Line | None, list[Token]]] = []
    if lines is None:
        tokens, found = scan(text)
        problems += found + check_structure(tokens, text)
        statements.append((None, tokens))
    else:
        for line in lines:
            body = text[line.start:line.end]
            if _LIMIT_LINE.match(body) or _REMOVE_DUPLICATES.match(body):
                statements.append((line, []))
                continue
            tokens, found = scan(body, lines=True)
            found += check_structure(tokens, body)
            tokens = [replace(t, span=(t.span[0] + line.start, t.span[1] + line.start)) for t in tokens]
            problems += [replace(p, span=(p.span[0] + line.start, p.span[1] + line.start)) for p in found]
            statements.append((line, tokens))
    return Analysis(text, statements, problems, _dialect(text, statements, lines is not None))


def _dialect(text: str, statements: list[tuple[Line | None, list[Token]]], numbered: bool) -> str:
    tokens = [t for _, ts in statements for t in ts]
    ovid = (any(t.kind == "heading" or (t.kind == "suffix" and t.raw.startswith("."))
                or (t.kind == "near" and t.raw.lower().startswith("adj"))
                or (t.kind in ("word", "phrase") and "$" in t.raw) for t in tokens)
            or (numbered and not re.search(r"(?m)^\s*[S#]\d", text, re.IGNORECASE)))
    if ovid:
        return "ovid"
    ebsco = any(t.kind == "prefix" and t.value.startswith("heading:") and t.value != "heading:MESH"
                or (t.kind == "near" and re.fullmatch(r"[NW]\d+", t.raw)) for t in tokens)
    return "ebsco" if ebsco or (numbered and re.search(r"(?m)^\s*S\d", text, re.IGNORECASE)) else ""


# --------------------------------------------------------------------------- parsing


def parse(text: str) -> Node:
    """Parse a search string; raise :class:`QueryError` at the first problem, with its position."""
    tree, problems = parse_with_problems(text)
    if problems:
        first = problems[0]
        raise QueryError(
            f"{first.message} ({describe_span(first.span)}: {_excerpt(text, first.span)})",
            field="query", hint=first.hint,
        )
    assert tree is not None
    return tree


def parse_with_problems(text: str) -> tuple[Node | None, list[Problem]]:
    """The tree (``None`` when it cannot be built) and every problem, sorted by position."""
    analysis = analyse(text)
    problems = list(analysis.problems)
    tree: Node | None = None
    if not problems:
        defined: dict[str, Node] = {}
        for line, tokens in analysis.statements:
            parser = _Parser(tokens, analysis.dialect, defined if line else None)
            if line is not None and not tokens:
                node = _special_line(text, line, defined, parser.problems)
            else:
                node = parser.chain()
            problems += parser.problems
            if node is None or problems:
                break
            if line is not None:
                if line.number in defined:
                    problems.append(Problem("duplicate-line", (line.start, line.end),
                                            f"line {line.number} is numbered twice",
                                            "number every line once"))
                    break
                defined[line.number] = node
            tree = node
    if tree is not None and not problems:
        problems += _tree_problems(tree)
    return (tree if not problems else None), sorted(problems, key=lambda p: p.span)


def _tree_problems(tree: Node) -> list[Problem]:
    """What only the whole tree shows: a proximity across fields cannot be searched."""
    problems = []
    for node in walk(tree):
        if isinstance(node, Near):
            fields = {t.field for t in terms(node)}
            if len(fields) > 1:
                problems.append(Problem(
                    "proximity-fields", node.span,
                    "the words of a proximity have different field tags; proximity is within one field",
                    "tag the whole proximity once, e.g. (smok* adj3 cessation).ti,ab."))
    return problems


def _special_line(text: str, line: Line, defined: dict[str, Node], problems: list[Problem]) -> Node | None:
    """``limit N to ...`` and ``remove duplicates from N`` (Ovid)."""
    body = text[line.start:line.end]
    span = (line.start, line.end)
    duplicates = _REMOVE_DUPLICATES.match(body)
    number = (duplicates or _LIMIT_LINE.match(body)).group(1).upper().lstrip("S#")  # type: ignore[union-attr]
    if number not in defined:
        problems.append(Problem("unknown-line", span, f"line {number} is not defined before this line",
                                "refer only to lines above"))
        return None
    if duplicates:
        return defined[number]
    limit = _LIMIT_LINE.match(body)
    assert limit is not None
    parts: list[Node] = [defined[number]]
    for item in re.split(r"\s+and\s+", limit.group(2).strip().strip("()"), flags=re.IGNORECASE):
        item = item.strip().strip("()").strip()
        years = _YEARS_LIMIT.match(item)
        language = re.fullmatch(r"(?:\(?([a-z ]+?)\)?\s+language|([a-z]+))", item, re.IGNORECASE)
        if years:
            end = years.group(2) if years.group(2).isdigit() else "3000"
            parts.append(Term(f"{years.group(1)}:{end}", False, False, "dp", span))
        elif item.lower() == "humans":
            parts.append(Heading("Humans", False, False, (), None, span))
        elif language and (language.group(1) or language.group(2)).lower() not in ("abstracts",):
            names = re.split(r"\s+or\s+", (language.group(1) or language.group(2)).strip(), flags=re.IGNORECASE)
            langs = [Term(name.strip().lower(), False, False, "la", span) for name in names if name.strip()]
            parts.append(langs[0] if len(langs) == 1 else Or(tuple(langs), span))
        else:
            problems.append(Problem("unknown-limit", span, f"litsieve cannot read the Ovid limit '{item}'",
                                    "limits litsieve reads: <language> language, yr=\"YYYY - YYYY\", humans"))
            return None
    return flatten(And(tuple(parts), span))


def describe_span(span: Span) -> str:
    """Human positions, 1-based and inclusive: ``character 5`` or ``characters 3-7``."""
    start, end = span[0] + 1, max(span[1], span[0] + 1)
    return f"character {start}" if start == end else f"characters {start}-{end}"


def _excerpt(text: str, span: Span) -> str:
    return repr(text[span[0]:span[1]] or text[span[0]:span[0] + 1])


class _Parser:
    """Recursive descent over tokens already checked by :func:`check_structure`.

    Problems that need the tree (a proximity between headings, a reference to a line not
    yet written) are collected in ``problems``; the caller decides whether to raise.
    """

    def __init__(self, tokens: list[Token], dialect: str, lines: dict[str, Node] | None) -> None:
        self.tokens = tokens
        self.pos = 0
        self.dialect = dialect
        self.lines = lines
        self.problems: list[Problem] = []

    def peek(self) -> Token | None:
        return self.tokens[self.pos] if self.pos < len(self.tokens) else None

    def take(self) -> Token:
        token = self.tokens[self.pos]
        self.pos += 1
        return token

    def chain(self) -> Node:
        operands = [self.proximity()]
        operators: list[Operator] = []
        while (token := self.peek()) is not None and token.kind == "op":
            self.take()
            operators.append(Operator(token.value, token.span))
            operands.append(self.proximity())
        return combine(operands, operators)

    def proximity(self) -> Node:
        """Proximity binds tighter than AND, OR and NOT (translations parenthesise it anyway)."""
        node = self.unary()
        while (token := self.peek()) is not None and token.kind == "near":
            self.take()
            right = self.unary()
            node = self.near(node, right, token)
        return node

    def near(self, left: Node, right: Node, token: Token) -> Node:
        order, _, distance = token.value.partition(":")
        ordered, number = order == "ordered", int(distance)
        span = (left.span[0], right.span[1])
        for side in (left, right):
            if not _proximity_operand(side) and not (isinstance(side, Near) and side is left):
                self.problems.append(Problem(
                    "proximity-operand", side.span,
                    f"{token.raw} joins {_describe(side)}: proximity needs words, phrases or OR-groups of them",
                    "put the proximity inside each alternative, or AND the parts instead"))
                return And((left, right), span)
        if isinstance(left, Near):
            if (left.distance, left.ordered) != (number, ordered):
                self.problems.append(Problem(
                    "proximity-chain", token.span,
                    "different proximity operators in one chain", "put parentheses around each pair"))
                return left
            return Near(left.children + (right,), number, ordered, span)
        return Near((left, right), number, ordered, span)

    def unary(self) -> Node:
        prefixes: list[Token] = []
        while (token := self.peek()) is not None and token.kind == "prefix":
            prefixes.append(self.take())
        node = self.primary()
        while (token := self.peek()) is not None and token.kind == "suffix":
            suffix = self.take()
            node = self.tagged(node, suffix)
            node = _respan(node, (node.span[0], suffix.span[1]))
        for prefix in reversed(prefixes):
            node = self.tagged(node, prefix)
        if prefixes:
            node = _respan(node, (prefixes[0].span[0], node.span[1]))
        return node

    def tagged(self, node: Node, tag: Token) -> Node:
        value = tag.value
        if value.startswith("heading:"):
            return _map_terms(node, lambda term: _prefix_heading(term, value[8:]))
        if value in HEADING_TAGS or value in _FLOATING_TAGS:
            return _map_terms(node, lambda term: _suffix_heading(term, value))
        if value.startswith("near:"):
            _, field, distance = value.split(":")
            if not isinstance(node, Term) or not node.multiword:
                self.problems.append(Problem("proximity-operand", tag.span,
                                             f"{tag.raw} needs two or more words in quotes before it",
                                             'write it as "hip pain"[tiab:~2]'))
                return node
            words = tuple(Term(w, False, w.endswith("*"), field, node.span) for w in node.words)
            return Near(words, int(distance), False, node.span)
        if value == "dp":
            for term in terms(node):
                if term.field is None and not _DATE_TERM.match(term.text.replace("-", ":")):
                    self.problems.append(Problem(
                        "unknown-date", term.span, f"litsieve cannot read the date '{term.text}'",
                        "write a year or a range of years: 2010[dp], 1990:2017[dp]"))
            node = _map_terms(node, lambda term: replace(term, text=term.text.replace("-", ":"))
                              if term.field is None else term)
        return with_field(node, value)

    def primary(self) -> Node:
        token = self.take()
        if token.kind == "lparen":
            node = self.chain()
            close = self.take()
            return _respan(node, (token.span[0], close.span[1]))
        if token.kind == "phrase":
            return _term(token.value, True, token.span, self.dialect)
        if token.kind == "heading":
            flags, quals = token.data[:2], token.data[2:]
            return Heading(token.value, flags[0] == "exp", flags[1] == "major",
                           tuple(qualifier_name(q) or q for q in quals), None, token.span)
        if token.kind == "ref":
            return self.reference(token)
        words = [token]
        while (following := self.peek()) is not None and following.kind == "word":
            words.append(self.take())
        text = " ".join(w.value for w in words)
        return _term(text, False, (words[0].span[0], words[-1].span[1]), self.dialect)

    def reference(self, token: Token) -> Node:
        lines = self.lines or {}
        found = []
        for number in token.data:
            if number not in lines:
                self.problems.append(Problem("unknown-line", token.span,
                                             f"line {number} is not defined before this line",
                                             "refer only to lines above"))
                return Term(token.raw, False, False, None, token.span)
            found.append(lines[number])
        if len(found) == 1:
            return _respan(found[0], token.span)
        cls = And if token.value == "AND" else Or
        return flatten(cls(tuple(found), token.span))


def _proximity_operand(node: Node) -> bool:
    if isinstance(node, Term):
        return node.field not in LIMIT_FIELDS
    return isinstance(node, Or) and all(isinstance(c, Term) and c.field not in LIMIT_FIELDS
                                        for c in node.children)


def _describe(node: Node) -> str:
    if isinstance(node, Heading):
        return f"the subject heading {node.name or node.qualifiers[0]}"
    return {"And": "an AND group", "Not": "a NOT group", "Near": "a proximity",
            "Or": "an OR group that is not only words", "Term": "a limit"}.get(type(node).__name__, "a group")


def _term(text: str, phrase: bool, span: Span, dialect: str) -> Term:
    if dialect == "ovid":
        # Ovid: # is one character, ? zero or one, $ truncation (docs/query.md).
        text = text.translate(str.maketrans("#?", "?#"))
        text = re.sub(r"\$(?=\s|$)", "*", text)
    truncated = any(word.endswith("*") for word in text.split())
    return Term(text=text, phrase=phrase, truncated=truncated, field=None, span=span)


def _heading_parts(text: str) -> tuple[str, tuple[str, ...], bool]:
    """``Acne Vulgaris/therapy+`` as name, qualifiers and the ``+`` (explode) sign."""
    explode = text.rstrip().endswith("+")
    parts = [p.strip() for p in text.rstrip().rstrip("+").split("/")]
    quals = tuple(qualifier_name(q) or q.lower() for q in parts[1:] if q)
    return parts[0].lstrip("*").strip(), quals, explode


def _prefix_heading(term: Term, code: str) -> Heading:
    """EBSCOhost ``MH "X+"`` (explode with +), ``MM`` major; ``DE``/``MJ`` the same in APA
    PsycInfo; Europe PMC ``MESH:"X"``."""
    name, quals, plus = _heading_parts(term.text)
    if code == "MESH":
        return Heading(name, True, False, quals, "mesh", term.span)
    return Heading(name, plus, code in ("MM", "MJ"), quals, None, term.span)


def _suffix_heading(term: Term, tag: str) -> Heading:
    """PubMed ``"X"[mh]``, ``"X/therapy"[majr:noexp]``, ``therapy[sh]``; Ovid ``X.sh.``, ``dt.fs.``."""
    if tag in _FLOATING_TAGS:
        return Heading("", False, False, (qualifier_name(term.text) or term.text.lower(),), None, term.span)
    name, quals, _ = _heading_parts(term.text)
    explode, major = HEADING_TAGS[tag]
    return Heading(name, explode, major, quals, "mesh" if not tag.startswith("ovid") else None, term.span)


def _map_terms(node: Node, change) -> Node:  # type: ignore[no-untyped-def]
    """``node`` with every term that has no field of its own replaced by ``change(term)``."""
    if isinstance(node, Term):
        return change(node) if node.field is None else node
    if isinstance(node, Heading):
        return node
    if isinstance(node, Ambiguous):
        return replace(node, operands=tuple(_map_terms(c, change) for c in node.operands))
    return replace(node, children=tuple(_map_terms(c, change) for c in node.children))


def _respan(node: Node, span: Span) -> Node:
    return replace(node, span=span)


def with_field(node: Node, field: str) -> Node:
    """Give every term under ``node`` that has no field of its own the field ``field``."""
    return _map_terms(node, lambda term: replace(term, field=field))


def combine(operands: list[Node], operators: list[Operator]) -> Node:
    """The node for a flat chain: one tree if every database reads it alike, else Ambiguous."""
    if not operators:
        return operands[0]
    trees = {name: group(operands, operators, PRECEDENCE[name]) for name in PRECEDENCE}
    shapes = {shape(tree) for tree in trees.values()}
    if len(shapes) == 1:
        return trees["pubmed"]
    return Ambiguous(tuple(operands), tuple(operators), (operands[0].span[0], operands[-1].span[1]))


def group(operands: list[Node], operators: list[Operator], precedence: dict[str, int]) -> Node:
    """Shunting-yard with left associativity at equal precedence."""
    output: list[Node] = [operands[0]]
    stack: list[Operator] = []

    def reduce() -> None:
        operator = stack.pop()
        right = output.pop()
        left = output.pop()
        output.append(join(operator.name, left, right))

    for operator, operand in zip(operators, operands[1:]):
        while stack and precedence[stack[-1].name] >= precedence[operator.name]:
            reduce()
        stack.append(operator)
        output.append(operand)
    while stack:
        reduce()
    return output[0]


def join(name: str, left: Node, right: Node) -> Node:
    """``left name right`` as one node, flattening ``(a OR b) OR c`` into ``a OR b OR c``."""
    span = (left.span[0], right.span[1])
    if name == "NOT":
        if isinstance(left, Not):
            return Not(left.children + (right,), span)
        return Not((left, right), span)
    cls = And if name == "AND" else Or
    children: list[Node] = []
    for side in (left, right):
        children.extend(side.children if isinstance(side, cls) else (side,))
    return cls(tuple(children), span)


# --------------------------------------------------------------------------- trees


def shape(node: Node) -> tuple:
    """The meaning of a tree without positions: equal shapes search the same thing."""
    if isinstance(node, Term):
        # Quoted or not, litsieve searches a term's words as a phrase (translations quote
        # every multi-word term), so quoting does not change the meaning.
        return ("term", " ".join(node.text.lower().split()), node.field)
    if isinstance(node, Heading):
        return ("heading", " ".join(node.name.lower().split()), node.explode, node.major,
                tuple(sorted(node.qualifiers)), node.thesaurus)
    if isinstance(node, Near):
        return ("near", node.distance, node.ordered, tuple(shape(c) for c in node.children))
    if isinstance(node, Ambiguous):
        return ("ambiguous", tuple(shape(c) for c in node.operands),
                tuple(o.name for o in node.operators))
    return (type(node).__name__, tuple(shape(c) for c in node.children))


def resolve(node: Node, convention: str) -> Node:
    """The tree ``convention`` (pubmed, ebsco, ovid) searches: every Ambiguous node grouped its way."""
    if convention not in PRECEDENCE:
        raise QueryError(f"unknown reading {convention!r}", field="reading",
                         hint=f"use one of {', '.join(PRECEDENCE)}")
    if isinstance(node, (Term, Heading)):
        return node
    if isinstance(node, Ambiguous):
        operands = [resolve(c, convention) for c in node.operands]
        return _respan(group(operands, list(node.operators), PRECEDENCE[convention]), node.span)
    if isinstance(node, Near):
        return replace(node, children=tuple(resolve(c, convention) for c in node.children))
    return flatten(replace(node, children=tuple(resolve(c, convention) for c in node.children)))


def flatten(node: And | Or | Not) -> Node:
    """Merge children of the same kind into the parent, as :func:`join` does while parsing."""
    if isinstance(node, Not):
        first = node.children[0]
        if isinstance(first, Not):
            return Not(first.children + node.children[1:], node.span)
        return node
    children: list[Node] = []
    for child in node.children:
        children.extend(child.children if type(child) is type(node) else (child,))
    return replace(node, children=tuple(children))


def readings(node: Node) -> dict[str, Node]:
    """Each database's reading of ``node`` (identical trees when it is unambiguous)."""
    return {name: resolve(node, name) for name in PRECEDENCE}


def walk(node: Node) -> Iterator[Node]:
    """Every node, depth first, parents before children, left to right."""
    yield node
    children = node.operands if isinstance(node, Ambiguous) else getattr(node, "children", ())
    for child in children:
        yield from walk(child)


def terms(node: Node) -> list[Term]:
    return [n for n in walk(node) if isinstance(n, Term)]


def headings(node: Node) -> list[Heading]:
    return [n for n in walk(node) if isinstance(n, Heading)]


def leaves(node: Node) -> list[Leaf]:
    """Terms and headings, in order."""
    return [n for n in walk(node) if isinstance(n, (Term, Heading))]


def ambiguities(node: Node) -> list[Ambiguous]:
    return [n for n in walk(node) if isinstance(n, Ambiguous)]


def _looks_special(text: str) -> bool:
    return (text.upper() in OPERATORS or text in _PREFIX_WORDS or bool(_COLON_PREFIX.match(text))
            or bool(_OVID_SUFFIX_END.search(text)) or _near_token(text, 0) is not None
            or bool(_HEADING_END.match(text)))


def render_term(term: Term) -> str:
    """The term in litsieve's syntax; a word that would read as an operator or tag is quoted."""
    text = f'"{term.text}"' if term.phrase or _looks_special(term.text) else term.text
    return f"{text}[{term.field}]" if term.field else text


def render_heading(heading: Heading) -> str:
    """PubMed's tags for MeSH headings, EBSCOhost's ``MH``/``MM`` for a database's own."""
    if heading.floating:
        return f'"{heading.qualifiers[0]}"[sh]' if " " in heading.qualifiers[0] else f"{heading.qualifiers[0]}[sh]"
    name = "/".join((heading.name, *heading.qualifiers))
    if heading.thesaurus == "mesh":
        tag = ("majr" if heading.major else "mh") + ("" if heading.explode else ":noexp")
        return f'"{name}"[{tag}]'
    return f'{"MM" if heading.major else "MH"} "{name}{"+" if heading.explode else ""}"'


def render(node: Node) -> str:
    """Fully parenthesised text in litsieve's own syntax (parses back to the same tree)."""
    if isinstance(node, Term):
        return render_term(node)
    if isinstance(node, Heading):
        return render_heading(node)
    if isinstance(node, Ambiguous):
        parts = [render(node.operands[0])]
        for operator, operand in zip(node.operators, node.operands[1:]):
            parts += [operator.name, render(operand)]
        return " ".join(parts)
    if isinstance(node, Near):
        joiner = f" {'PRE' if node.ordered else 'NEAR'}/{node.distance} "
        return "(" + joiner.join(render(c) for c in node.children) + ")"
    name = "AND" if isinstance(node, And) else "OR" if isinstance(node, Or) else "NOT"
    return "(" + f" {name} ".join(render(c) for c in node.children) + ")"


def outline(node: Node, indent: int = 0) -> list[str]:
    """An indented, one-node-per-line view with character positions (1-based, inclusive)."""
    pad = "  " * indent
    where = describe_span(node.span)
    if isinstance(node, Term):
        kind = "phrase" if node.phrase else ("words" if node.multiword else "word")
        extras = [kind]
        if node.truncated:
            extras.append("truncated")
        if node.wildcards:
            extras.append("wildcards")
        if node.field:
            extras.append(f"field {node.field}")
        label = f'"{node.text}"' if node.phrase else node.text
        return [f"{pad}{label}  ({', '.join(extras)}; {where})"]
    if isinstance(node, Heading):
        extras = ["subheading" if node.floating else "subject heading",
                  "exploded" if node.explode else "not exploded"]
        if node.major:
            extras.append("major topic")
        if node.qualifiers and not node.floating:
            extras.append("subheadings " + ", ".join(node.qualifiers))
        extras.append("MeSH" if node.thesaurus == "mesh" else "the database's thesaurus")
        return [f"{pad}{node.name or node.qualifiers[0]}  ({', '.join(extras)}; {where})"]
    if isinstance(node, Ambiguous):
        ops = ", ".join(f"{o.name}@{o.span[0] + 1}" for o in node.operators)
        lines = [f"{pad}AMBIGUOUS chain  (operators {ops}; {where})"]
        for child in node.operands:
            lines += outline(child, indent + 1)
        return lines
    if isinstance(node, Near):
        order = "in order" if node.ordered else "any order"
        lines = [f"{pad}NEAR  (at most {node.distance} words between, {order}; {where})"]
    else:
        lines = [f"{pad}{type(node).__name__.upper()}  ({where})"]
    for child in node.children:
        lines += outline(child, indent + 1)
    return lines
