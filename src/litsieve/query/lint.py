"""Check a search string for what makes databases search something other than intended.

Each finding has a severity (``error``: the string cannot be run as written; ``warning``:
it runs, but some database will read it differently from what the reviewer probably
means), the character span it is about, and for mixed AND/OR chains the
reading of each database, fully parenthesised. The database rules behind each check
are cited in docs/query.md.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace

from litsieve.query.parser import (
    CONVENTION_LABELS,
    PRECEDENCE,
    QUOTES,
    Ambiguous,
    Heading,
    Near,
    Node,
    Span,
    Term,
    Token,
    ambiguities,
    analyse,
    describe_span,
    flatten,
    group,
    headings,
    parse_with_problems,
    render,
    resolve,
    terms,
    walk,
)
from litsieve.query.translate import TARGET_LABELS, TARGETS, translate
from litsieve.query.vocabulary import mesh

SEVERITIES = ("error", "warning")
#: PubMed truncates only when at least this many characters come before ``*``.
PUBMED_MIN_STEM = 4
#: Synonyms OR-ed within each concept, concepts AND-ed: what mixed strings usually mean.
CONCEPT_PRECEDENCE = {"OR": 3, "AND": 2, "NOT": 1}


@dataclass(frozen=True)
class Finding:
    """One lint message. ``marks`` are further spans to underline (the other operators)."""

    code: str
    severity: str
    span: Span
    message: str
    details: tuple[str, ...] = ()
    hint: str = ""
    marks: tuple[Span, ...] = field(default=())


def lint(text: str) -> list[Finding]:
    """All findings for ``text``: errors, then warnings (the precedence warning first), by position."""
    analysis = analyse(text)
    tree, problems = parse_with_problems(text)
    tokens = [t for _, statement in analysis.statements for t in statement]
    findings = [Finding(p.code, "error", p.span, p.message, hint=p.hint) for p in problems]
    ovid = analysis.dialect == "ovid"
    for token in tokens:
        if token.kind == "op" and token.raw != token.value and not ovid:
            findings.append(Finding(
                "lowercase-operator", "warning", token.span,
                f"operator '{token.raw}' is in lower case",
                ("litsieve reads it as the operator " + token.value + "; PubMed requires operators in "
                 "upper case and may search a lower-case one as a word",),
                hint=f"write {token.value}"))
    findings += _token_findings(tokens, unquoted=not ovid)
    if tree is not None:
        findings += _precedence(tree)
        for _, statement in analysis.statements:
            findings += _agreed_mixing(statement, tree)
        findings += _heading_findings(tree)
        findings += _wildcard_findings(tree, analysis.dialect)
        if not ambiguities(tree):
            findings += _approximation_findings(tree, text)
    order = {name: i for i, name in enumerate(SEVERITIES)}
    return sorted(findings, key=lambda f: (order[f.severity], f.code != "precedence", f.span[0], f.code))


def _heading_findings(tree: Node) -> list[Finding]:
    """Every heading checked against the shipped MeSH descriptors, with near misses."""
    vocabulary = mesh()
    findings = []
    for heading in headings(tree):
        if heading.floating or vocabulary.lookup(heading.name):
            continue
        suggestions = vocabulary.suggest(heading.name)
        details = [f"checked against {vocabulary.source}"]
        if heading.thesaurus != "mesh":
            details.append("if the strategy is for a database with its own thesaurus (Embase's Emtree, "
                           "APA PsycInfo's Thesaurus, CINAHL Headings), check it there")
        findings.append(Finding(
            "unknown-heading", "warning", heading.span,
            f"'{heading.name}' is not a MeSH descriptor",
            tuple(details),
            hint=("did you mean " + " or ".join(f"'{s}'" for s in suggestions) + "?") if suggestions
            else "look the heading up in the MeSH Browser and write it as MeSH spells it"))
    return findings


def _wildcard_findings(tree: Node, dialect: str) -> list[Finding]:
    wild = [t for t in terms(tree) if t.wildcards]
    if not wild:
        return []
    if dialect == "ovid":
        reading = ("read as Ovid's signs, because the string uses Ovid syntax: # is exactly one character, "
                   "? is none or one")
    else:
        reading = "read as EBSCOhost's signs: ? is exactly one character, # is none or one"
    return [Finding(
        "wildcard-meaning", "warning", wild[0].span,
        "the wildcards ? and # mean different things in different databases",
        (reading, "Ovid swaps them (# one character, ? none or one); PubMed has neither",
         "translations write each database's own sign, or say what they search instead"),
        hint="check that this is the reading you mean", marks=tuple(t.span for t in wild[1:]))]


def _approximation_findings(tree: Node, text: str) -> list[Finding]:
    """What each target cannot search as written, from its translation (one finding per target)."""
    findings = []
    for target in TARGETS:
        result = translate(tree, target)
        if result.exact:
            continue
        findings.append(Finding(
            "approximation", "warning", _first_approximated(tree, text),
            f"{TARGET_LABELS[target]} cannot search everything in this string as written",
            tuple(result.approximations) + tuple(f"for a person: {item}" for item in result.for_review),
            hint=f"litsieve query translate --to {target} shows the string and what it searches instead"))
    return findings


def _first_approximated(tree: Node, text: str) -> Span:
    """Where to point: the first proximity or wildcard (what targets lack most), else a heading."""
    for kinds in ((Near,), (Term, Heading)):
        for node in walk(tree):
            if isinstance(node, kinds) and (not isinstance(node, Term) or node.wildcards):
                return node.span
    return (0, len(text))


def has_errors(findings: list[Finding]) -> bool:
    return any(f.severity == "error" for f in findings)


def _precedence(tree: Node) -> list[Finding]:
    findings = []
    for chain in ambiguities(tree):
        operators = sorted({o.name for o in chain.operators})
        details = []
        width = max(len(label) for label in CONVENTION_LABELS.values()) + 1
        for name in PRECEDENCE:
            label = CONVENTION_LABELS[name] + ":"
            details.append(f"{label:<{width}} {render(resolve(chain, name))}")
        suggestion = concept_reading(chain)
        findings.append(Finding(
            "precedence", "warning", chain.turning_point.span,
            f"{' and '.join(operators)} are mixed without parentheses: the databases read this "
            "string differently",
            tuple(details),
            hint=("add parentheses for the meaning you intend; grouping synonyms by concept gives "
                  f"{suggestion} (put the intended string in search.intended_query)"),
            marks=tuple(o.span for o in chain.operators),
        ))
    return findings


def _agreed_mixing(tokens: list[Token], tree: Node) -> list[Finding]:
    """OR mixed with AND or NOT in one group where every database reads it alike.

    Not ambiguous between databases, but often not what was meant (``a AND b OR c`` is
    ``(a AND b) OR c`` everywhere, while the author may have meant ``a AND (b OR c)``).
    """
    reported = {o.span for chain in ambiguities(tree) for o in chain.operators}
    levels: list[list[Token]] = [[]]
    groups: list[list[Token]] = []
    for token in tokens:
        if token.kind == "lparen":
            levels.append([])
        elif token.kind == "rparen" and len(levels) > 1:
            groups.append(levels.pop())
        elif token.kind == "op":
            levels[-1].append(token)
    groups += levels
    findings = []
    for operators in groups:
        names = {t.value for t in operators}
        if "OR" not in names or len(names) == 1 or any(t.span in reported for t in operators):
            continue
        first = next(t for t in operators if t.value != operators[0].value)
        node = _smallest_covering(tree, first.span)
        findings.append(Finding(
            "mixed-operators", "warning", first.span,
            f"{' and '.join(sorted(names))} are mixed without parentheses",
            (f"PubMed, EBSCOhost and Ovid all read it as {render(node)}",),
            hint="add parentheses so the grouping you mean is explicit",
            marks=tuple(t.span for t in operators)))
    return findings


def _smallest_covering(tree: Node, span: Span) -> Node:
    best = tree
    for node in walk(tree):
        if not isinstance(node, Term) and node.span[0] <= span[0] and span[1] <= node.span[1]:
            if node.span[1] - node.span[0] <= best.span[1] - best.span[0]:
                best = node
    return best


def concept_reading(chain: Ambiguous) -> str:
    """The chain read as synonyms OR-ed within concepts and concepts AND-ed, phrases quoted."""
    return render_quoted(group(list(chain.operands), list(chain.operators), CONCEPT_PRECEDENCE))


def resolve_by_concept(node: Node) -> Node:
    """``node`` with every ambiguous chain grouped by concept (OR binds first, then AND, then NOT)."""
    if isinstance(node, (Term, Heading)):
        return node
    if isinstance(node, Ambiguous):
        operands = [resolve_by_concept(c) for c in node.operands]
        return replace(group(operands, list(node.operators), CONCEPT_PRECEDENCE), span=node.span)
    resolved = replace(node, children=tuple(resolve_by_concept(c) for c in node.children))
    return resolved if isinstance(resolved, Near) else flatten(resolved)


def render_quoted(node: Node) -> str:
    """Like :func:`render`, but every multi-word term quoted, as translations search it."""
    return render(_quote_multiword(node))


def _quote_multiword(node: Node) -> Node:
    if isinstance(node, Term):
        return replace(node, phrase=True) if node.multiword else node
    if isinstance(node, Heading):
        return node
    if isinstance(node, Ambiguous):
        return replace(node, operands=tuple(_quote_multiword(c) for c in node.operands))
    return replace(node, children=tuple(_quote_multiword(c) for c in node.children))


def _word_spans(token: Token) -> list[tuple[str, Span]]:
    """Each word of a word or phrase token with its position in the query."""
    spans = []
    offset = token.span[0]
    for match in re.finditer(r"\S+", token.raw):
        word = match.group(0).strip("".join(QUOTES))
        if word:
            start = offset + match.start() + match.group(0).index(word)
            spans.append((word, (start, start + len(word))))
    return spans


def _token_findings(tokens: list[Token], *, unquoted: bool = True) -> list[Finding]:
    """Checks that need only the tokens, so they run even when the string does not parse."""
    findings = []
    for token in tokens:
        if token.kind not in ("word", "phrase"):
            continue
        truncated_words = 0
        for word, span in _word_spans(token):
            if "*" not in word:
                continue
            stem = word.rstrip("*")
            if "*" in stem or not stem:
                continue  # reported by the parser as inner-truncation
            truncated_words += 1
            letters = sum(ch.isalnum() for ch in stem)
            if letters < PUBMED_MIN_STEM:
                findings.append(Finding(
                    "short-truncation", "warning", span,
                    f"truncation '{word}' has fewer than {PUBMED_MIN_STEM} characters before *",
                    (f"PubMed ignores truncation of stems shorter than {PUBMED_MIN_STEM} characters, "
                     "so it searches the stem as it stands; other databases expand it to very many words",),
                    hint="lengthen the stem or spell the variants out with OR"))
        if truncated_words > 1 and token.kind == "phrase":
            findings.append(Finding(
                "phrase-truncation", "warning", token.span,
                f"more than one truncated word in the phrase \"{token.value}\"",
                ("PubMed truncates only the last word of a quoted phrase; truncating several words "
                 "of one phrase gives unexpected results there",),
                hint="truncate only the last word, or split the phrase into variants joined by OR"))
    runs = _unquoted_runs(tokens) if unquoted else []
    if runs:
        names = ", ".join(f"'{text}'" for text, _ in runs)
        findings.append(Finding(
            "unquoted-phrase", "warning", runs[0][1],
            f"unquoted multi-word terms are searched differently by each database: {names}",
            ("PubMed: automatic term mapping may map the words to MeSH or search them separately "
             "(quotes turn it off)",
             "EBSCOhost: in Boolean/Phrase mode the default proximity is N5, so the words may be "
             "up to five words apart, in any order",
             "Ovid: adjacent words are searched as a phrase",
             "litsieve translates and matches each as a quoted phrase"),
            hint="quote the words you mean as a phrase, e.g. " + f'"{runs[0][0]}"',
            marks=tuple(span for _, span in runs[1:])))
    return findings


def _unquoted_runs(tokens: list[Token]) -> list[tuple[str, Span]]:
    """Runs of two or more bare words: what the parser makes one unquoted multi-word term."""
    runs: list[tuple[str, Span]] = []
    current: list[Token] = []
    for token in [*tokens, None]:
        if token is not None and token.kind == "word":
            current.append(token)
            continue
        if len(current) > 1:
            runs.append((" ".join(t.value for t in current), (current[0].span[0], current[-1].span[1])))
        current = []
    return runs


def format_report(text: str, findings: list[Finding]) -> str:
    """Findings as people read them: severity, position, the string with carets, details."""
    if not findings:
        return f"Query: {text}\nNo problems found.\n"
    lines = [f"Query: {text}"]
    for finding in findings:
        lines.append("")
        lines.append(f"{finding.severity} [{finding.code}] {describe_span(finding.span)}: {finding.message}")
        lines.append("  " + text)
        lines.append("  " + _carets(len(text), (finding.span, *finding.marks)))
        for detail in finding.details:
            lines.append(f"    {detail}")
        if finding.hint:
            lines.append(f"    fix: {finding.hint}")
    counts = {s: sum(f.severity == s for f in findings) for s in SEVERITIES}
    lines.append("")
    lines.append(", ".join(f"{counts[s]} {s}{'s' if counts[s] != 1 else ''}" for s in SEVERITIES))
    return "\n".join(lines) + "\n"


def _carets(length: int, spans: tuple[Span, ...]) -> str:
    cells = [" "] * max(length, 1)
    for start, end in spans:
        for i in range(start, max(end, start + 1)):
            if i < len(cells):
                cells[i] = "^"
    return "".join(cells).rstrip()
