"""Parse the search string reviewers write into a tree with character positions.

The language is the common ground of the databases' own syntaxes (see docs/query.md):
``AND``, ``OR``, ``NOT`` in any case; parentheses; quoted phrases and unquoted runs of
words; ``*`` truncation at the end of a word, also inside phrases (``"mental well*"``);
and field tags, written in any of the familiar ways: ``TI term``, ``TI(...)``,
``title:term``, ``term[tiab]``, ``"phrase"[Title/Abstract]``, ``term.ti,ab.``. Every token
and node keeps its ``span`` (start, end) in the string, so lint messages can point at it.

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
from litsieve.text import QUERY_TAGS

Span = tuple[int, int]

#: Field values a term can carry; ``None`` means "the review's default fields".
FIELDS: tuple[str, ...] = QUERY_TAGS
FIELD_NAMES = {"ti": "title", "ab": "abstract", "tiab": "title or abstract", "all": "all fields"}

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


@dataclass(frozen=True)
class Term:
    """One search term: a word or phrase, possibly truncated, possibly field-tagged.

    ``text`` is the term as written (whitespace collapsed, ``*`` kept, quotes removed);
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


Node = Union[Term, And, Or, Not, Ambiguous]


# --------------------------------------------------------------------------- tokens


@dataclass(frozen=True)
class Token:
    """``kind`` is word, phrase, lparen, rparen, op, prefix (field before) or suffix (after)."""

    kind: str
    value: str  # word text, phrase text, operator name or field value
    span: Span
    raw: str


@dataclass(frozen=True)
class Problem:
    """Something that stops the string from parsing; lint reports all of them."""

    code: str
    span: Span
    message: str
    hint: str


_BRACKET_TAGS = {
    "tiab": "tiab", "title/abstract": "tiab", "ti": "ti", "title": "ti",
    "ab": "ab", "abstract": "ab", "all": "all", "all fields": "all",
}
_OVID_CODES = {"ti": "ti", "ab": "ab", "tw": "tiab", "mp": "all"}
_OVID_SUFFIX = re.compile(r"\.((?:ti|ab|tw|mp)(?:,(?:ti|ab|tw|mp))*)\.", re.IGNORECASE)
_OVID_SUFFIX_END = re.compile(_OVID_SUFFIX.pattern + "$", re.IGNORECASE)
_PREFIX_WORDS = {"TI": "ti", "AB": "ab", "TIAB": "tiab", "TX": "all"}
_COLON_PREFIX = re.compile(
    r"^(title|ti|abstract|ab|tiab|title_abs|tx|all):(.*)$", re.IGNORECASE
)
_COLON_FIELDS = {"title": "ti", "ti": "ti", "abstract": "ab", "ab": "ab", "tiab": "tiab",
                 "title_abs": "tiab", "tx": "all", "all": "all"}
_WORD_STOP = set(" \t\r\n()[") | set(QUOTES)


def _ovid_field(codes: str) -> str:
    values = {_OVID_CODES[c.lower()] for c in codes.split(",")}
    if "all" in values:
        return "all"
    return "tiab" if ("tiab" in values or values == {"ti", "ab"}) else values.pop()


def scan(text: str) -> tuple[list[Token], list[Problem]]:
    """Split ``text`` into tokens; problems (unclosed quote, unknown tag) do not stop it."""
    tokens: list[Token] = []
    problems: list[Problem] = []
    i, n = 0, len(text)

    def ovid_suffix_at(pos: int) -> int:
        match = _OVID_SUFFIX.match(text, pos)
        if match and (match.end() == n or text[match.end()] in " \t\r\n)"):
            tokens.append(Token("suffix", _ovid_field(match.group(1)),
                                (pos, match.end()), match.group(0)))
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
            tag = " ".join(text[i + 1:close].lower().split())
            field = _BRACKET_TAGS.get(tag)
            if field is None:
                problems.append(Problem(
                    "unknown-field", (i, close + 1), f"unsupported field tag [{text[i + 1:close]}]",
                    "litsieve understands [tiab], [ti], [ab], [Title/Abstract], [Title], [Abstract], [all]"))
            else:
                tokens.append(Token("suffix", field, (i, close + 1), text[i:close + 1]))
            i = close + 1
        else:
            j = i
            while j < n and text[j] not in _WORD_STOP:
                j += 1
            raw = text[i:j]
            _word_tokens(raw, i, tokens)
            i = j
    problems += _truncation_problems(tokens)
    return tokens, problems


def _truncation_problems(tokens: list[Token]) -> list[Problem]:
    """``*`` is truncation at the end of a word only; anywhere else no database agrees on it."""
    problems = []
    for token in tokens:
        if token.kind not in ("word", "phrase"):
            continue
        for match in re.finditer(r"[^\s\"\u201c\u201d\u201e]+", token.raw):
            word = match.group(0)
            if "*" in word and ("*" in word.rstrip("*") or not word.rstrip("*")):
                start = token.span[0] + match.start()
                problems.append(Problem(
                    "inner-truncation", (start, start + len(word)),
                    f"'*' inside or before a word ({word}): only truncation at the end of a word is supported",
                    "put * at the end of the word stem, or spell the variants out with OR"))
    return problems


def _word_tokens(raw: str, start: int, tokens: list[Token]) -> None:
    """One bare word: an operator, a field prefix, or a word with an Ovid suffix."""
    if raw.upper() in OPERATORS:
        tokens.append(Token("op", raw.upper(), (start, start + len(raw)), raw))
        return
    if raw in _PREFIX_WORDS:
        tokens.append(Token("prefix", _PREFIX_WORDS[raw], (start, start + len(raw)), raw))
        return
    colon = _COLON_PREFIX.match(raw)
    if colon:
        tag_end = start + len(colon.group(1)) + 1
        tokens.append(Token("prefix", _COLON_FIELDS[colon.group(1).lower()], (start, tag_end), raw[: tag_end - start]))
        if colon.group(2):
            _word_tokens(colon.group(2), tag_end, tokens)
        return
    word = raw
    suffixes: list[Token] = []
    while (suffix := _OVID_SUFFIX_END.search(word)) and suffix.start() > 0:
        suffixes.insert(0, Token("suffix", _ovid_field(suffix.group(1)),
                                 (start + suffix.start(), start + len(word)), suffix.group(0)))
        word = word[: suffix.start()]
    tokens.append(Token("word", word, (start, start + len(word)), word))
    tokens.extend(suffixes)


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
        if kind == "op":
            if expecting:
                if previous is None or previous.kind == "lparen":
                    if token.value == "NOT":
                        problems.append(Problem(
                            "leading-not", token.span,
                            "NOT at the start of a " + ("group" if previous else "query") + " has nothing to subtract from",
                            "write the set first, e.g. 'adults NOT children'"))
                    else:
                        problems.append(Problem("leading-operator", token.span,
                                                f"{token.value} has no term before it",
                                                "remove the operator or add a term before it"))
                elif previous.kind == "op":
                    problems.append(Problem("double-operator", token.span,
                                            f"{previous.value} is directly followed by {token.value}",
                                            "remove one operator or put a term between them"))
                else:
                    problems.append(Problem("dangling-field", previous.span,
                                            f"field tag {previous.raw} is followed by {token.value}, not a term",
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
                elif expecting and previous is not None and previous.kind == "op":
                    problems.append(Problem("trailing-operator", previous.span,
                                            f"{previous.value} has no term after it before ')'",
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
        else:  # word or phrase
            if not expecting and not (kind == "word" and previous is not None and previous.kind == "word"):
                problems.append(_missing_operator(previous, token))
            expecting = False
        previous = token
    if expecting and previous is not None:
        if previous.kind == "op":
            problems.append(Problem("trailing-operator", previous.span,
                                    f"the query ends with {previous.value}",
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


# --------------------------------------------------------------------------- parsing


def parse(text: str) -> Node:
    """Parse a search string; raise :class:`QueryError` at the first problem, with its position."""
    tokens, problems = scan(text)
    problems = sorted(problems + check_structure(tokens, text), key=lambda p: p.span)
    if problems:
        first = problems[0]
        raise QueryError(
            f"{first.message} ({describe_span(first.span)}: {_excerpt(text, first.span)})",
            field="query", hint=first.hint,
        )
    parser = _Parser(tokens)
    return parser.chain()


def describe_span(span: Span) -> str:
    """Human positions, 1-based and inclusive: ``character 5`` or ``characters 3-7``."""
    start, end = span[0] + 1, max(span[1], span[0] + 1)
    return f"character {start}" if start == end else f"characters {start}-{end}"


def _excerpt(text: str, span: Span) -> str:
    return repr(text[span[0]:span[1]] or text[span[0]:span[0] + 1])


class _Parser:
    """Recursive descent over tokens already checked by :func:`check_structure`."""

    def __init__(self, tokens: list[Token]) -> None:
        self.tokens = tokens
        self.pos = 0

    def peek(self) -> Token | None:
        return self.tokens[self.pos] if self.pos < len(self.tokens) else None

    def take(self) -> Token:
        token = self.tokens[self.pos]
        self.pos += 1
        return token

    def chain(self) -> Node:
        operands = [self.unary()]
        operators: list[Operator] = []
        while (token := self.peek()) is not None and token.kind == "op":
            self.take()
            operators.append(Operator(token.value, token.span))
            operands.append(self.unary())
        return combine(operands, operators)

    def unary(self) -> Node:
        prefixes: list[Token] = []
        while (token := self.peek()) is not None and token.kind == "prefix":
            prefixes.append(self.take())
        node = self.primary()
        while (token := self.peek()) is not None and token.kind == "suffix":
            suffix = self.take()
            node = with_field(node, suffix.value)
            node = _respan(node, (node.span[0], suffix.span[1]))
        for prefix in reversed(prefixes):
            node = with_field(node, prefix.value)
        if prefixes:
            node = _respan(node, (prefixes[0].span[0], node.span[1]))
        return node

    def primary(self) -> Node:
        token = self.take()
        if token.kind == "lparen":
            node = self.chain()
            close = self.take()
            return _respan(node, (token.span[0], close.span[1]))
        if token.kind == "phrase":
            return _term(token.value, True, token.span)
        words = [token]
        while (following := self.peek()) is not None and following.kind == "word":
            words.append(self.take())
        text = " ".join(w.value for w in words)
        return _term(text, False, (words[0].span[0], words[-1].span[1]))


def _term(text: str, phrase: bool, span: Span) -> Term:
    truncated = any(word.endswith("*") for word in text.split())
    return Term(text=text, phrase=phrase, truncated=truncated, field=None, span=span)


def _respan(node: Node, span: Span) -> Node:
    return replace(node, span=span)


def with_field(node: Node, field: str) -> Node:
    """Give every term under ``node`` that has no field of its own the field ``field``."""
    if isinstance(node, Term):
        return node if node.field is not None else replace(node, field=field)
    if isinstance(node, Ambiguous):
        return replace(node, operands=tuple(with_field(c, field) for c in node.operands))
    return replace(node, children=tuple(with_field(c, field) for c in node.children))


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
    if isinstance(node, Ambiguous):
        return ("ambiguous", tuple(shape(c) for c in node.operands),
                tuple(o.name for o in node.operators))
    return (type(node).__name__, tuple(shape(c) for c in node.children))


def resolve(node: Node, convention: str) -> Node:
    """The tree ``convention`` (pubmed, ebsco, ovid) searches: every Ambiguous node grouped its way."""
    if convention not in PRECEDENCE:
        raise QueryError(f"unknown reading {convention!r}", field="reading",
                         hint=f"use one of {', '.join(PRECEDENCE)}")
    if isinstance(node, Term):
        return node
    if isinstance(node, Ambiguous):
        operands = [resolve(c, convention) for c in node.operands]
        return _respan(group(operands, list(node.operators), PRECEDENCE[convention]), node.span)
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


def ambiguities(node: Node) -> list[Ambiguous]:
    return [n for n in walk(node) if isinstance(n, Ambiguous)]


def render_term(term: Term) -> str:
    """The term in litsieve's syntax; a word that would read as an operator or tag is quoted."""
    looks_special = (term.text.upper() in OPERATORS or term.text in _PREFIX_WORDS
                     or bool(_COLON_PREFIX.match(term.text)) or bool(_OVID_SUFFIX_END.search(term.text)))
    text = f'"{term.text}"' if term.phrase or looks_special else term.text
    return f"{text}[{term.field}]" if term.field else text


def render(node: Node) -> str:
    """Fully parenthesised text in litsieve's own syntax (parses back to the same tree)."""
    if isinstance(node, Term):
        return render_term(node)
    if isinstance(node, Ambiguous):
        parts = [render(node.operands[0])]
        for operator, operand in zip(node.operators, node.operands[1:]):
            parts += [operator.name, render(operand)]
        return " ".join(parts)
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
        if node.field:
            extras.append(f"field {node.field}")
        label = f'"{node.text}"' if node.phrase else node.text
        return [f"{pad}{label}  ({', '.join(extras)}; {where})"]
    if isinstance(node, Ambiguous):
        ops = ", ".join(f"{o.name}@{o.span[0] + 1}" for o in node.operators)
        lines = [f"{pad}AMBIGUOUS chain  (operators {ops}; {where})"]
        for child in node.operands:
            lines += outline(child, indent + 1)
        return lines
    name = type(node).__name__.upper()
    lines = [f"{pad}{name}  ({where})"]
    for child in node.children:
        lines += outline(child, indent + 1)
    return lines
