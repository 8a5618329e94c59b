"""Splitting a table's author cell into names, whatever separator (or none) it uses.

Tables put all authors in one cell: ``;`` (Scopus, Lens, CINAHL), ``and`` (BibTeX-minded
tools), commas between initials-style names (PubMed's ``Griffin DK, Larkin DM``) and, in
the worst case, nothing at all: ASySD-style ``Chen R.Wang J. Y.Yan C.`` runs dotted
initials into the next surname, and SpringerLink's CSV glues full names together
(``Vinay RajRavichandra Sadam``). Every step is a single pass or a dynamic programme
over a bounded window, so a cell of any size takes linear time.

Glued full names are split where a lower-case letter (or a closing quote, or a letter
of another script) is directly followed by a capital, choosing among the possible cuts
by principles that hold for names in general, not for one file:

1. every name has at least two words (a given name and a surname);
2. a capital initial with a dot (``A.``) always starts a new name when glued on;
3. as many names as the first two rules allow;
4. a capital kept inside a name is most plausible after a surname prefix (``McDonald``,
   ``DeFranco``, ``MacLeod``), then inside a first word (``JianMin``, Chinese given
   names), least anywhere else.
"""

from __future__ import annotations

import re

_INITIAL_TOKEN = re.compile(r"^(?:[A-Z]\.?-?){1,4}$")
_DOTTED_INITIALS = re.compile(r"^(?:[A-Z]\.[ -]?)+$")
# A dot directly followed by the capital and lower-case letter of a surname.
_DOTTED_RUN = re.compile(r"(?<=\.)(?=[^\W\d_\s](?:['’][^\W\d_]|[^\W\d_\s.]))")
_INITIAL = re.compile(r"^(?:[A-Z]\.-?)+$")
_NAME_WORD = re.compile(r"^(?:[^\W\d_][^\W\d_'’.-]*(?:['’-][^\W\d_]+)*['’]?\.?|\(.*\)|[^\W\d_]['’][^\W\d_]+)$")
_MAX_WORDS = 6
_GLUE = re.compile(r"(?<=[a-zß-ÿ’'\u3000-\u9fff\uac00-\ud7af])(?=[A-ZÀ-Þ])")
_PREFIX = re.compile(r"(?:^|[\s-])(?:Mc|Mac|De|Di|Da|Du|La|Le|Van|Von|Dal|Del|Della|O['’])$")
_FOREIGN_SCRIPT = re.compile(r"^[\u3000-\u9fff\uac00-\ud7af\u0400-\u04ff]+$")
_WINDOW = 8
_MAX_GLUED = 200_000


def split_author_cell(value: str) -> list[str]:
    """The names in one author cell, in order (the cell itself if it holds one name)."""
    value = " ".join(value.split())
    if not value:
        return []
    if ";" in value:
        return [v.strip() for v in value.split(";") if v.strip()]
    if " and " in value:
        return [v.strip() for v in value.split(" and ") if v.strip()]
    if "," in value:
        return _comma_initials(value) or [value]
    dotted = _dotted_run(value)
    if dotted:
        return dotted
    if len(value) <= _MAX_GLUED and _GLUE.search(value):
        return _glued(value)
    return [value]


def _comma_initials(value: str) -> list[str]:
    """``Griffin DK, Larkin DM`` / ``Yang Z., Jiang B.``: every part ends in initials."""
    names = [v.strip() for v in value.split(",") if v.strip()]
    if len(names) < 2:
        return []
    for name in names:
        tokens = name.split(" ")
        if len(tokens) < 2 or not _INITIAL_TOKEN.match(tokens[-1]):
            return []
    # PubMed's "Repper J, Carter T." ends the list with a full stop, not an initial's dot.
    if names[-1].endswith(".") and not any(n.endswith(".") for n in names[:-1]):
        names[-1] = names[-1].rstrip(".")
    return names


def _dotted_run(value: str) -> list[str]:
    """``Chen R.Wang J. Y.Yan C.`` as ``Chen, R.`` / ``Wang, J. Y.`` / ``Yan, C.``."""
    if "." not in value:
        return []
    pieces = [p.strip() for p in _DOTTED_RUN.split(value) if p.strip()]
    if len(pieces) < 2:
        return []
    names = []
    for piece in pieces:
        tokens = piece.split(" ")
        cut = len(tokens)
        while cut > 1 and _INITIAL.match(tokens[cut - 1]):
            cut -= 1
        surname, initials = " ".join(tokens[:cut]), " ".join(tokens[cut:])
        # A surname never holds a dot: "McDonald J.R." is one name, "Smith J.A. Mary" none.
        if not initials or "." in surname:
            return []
        names.append(f"{surname}, {initials}")
    return names


def _glued(value: str) -> list[str]:
    """Full names glued together (SpringerLink), cut by the principles in the docstring."""
    cuts = [0] + [m.start() for m in _GLUE.finditer(value)] + [len(value)]
    count = len(cuts) - 1
    # best[j] = (names, -penalty, previous cut) for the text up to cuts[j].
    best: list[tuple[int, int, int] | None] = [None] * (count + 1)
    best[0] = (0, 0, -1)
    for j in range(1, count + 1):
        for i in range(max(0, j - _WINDOW), j):
            if best[i] is None:
                continue
            segment = value[cuts[i]:cuts[j]]
            if not _looks_like_a_name(segment):
                continue
            inner = cuts[i + 1:j]
            if any(_starts_initial(value, k) for k in inner):
                continue
            penalty = sum(_inner_penalty(value, cuts[i], k) for k in inner)
            previous = best[i]
            assert previous is not None  # checked above
            candidate = (previous[0] + 1, previous[1] - penalty, i)
            current = best[j]
            if current is None or candidate[:2] > current[:2]:
                best[j] = candidate
    last = best[count]
    if last is None or last[0] < 2:
        return [value]
    names: list[str] = []
    j = count
    while j > 0:
        step = best[j]
        assert step is not None  # every cut on the best path was reached
        i = step[2]
        names.append(_without_foreign_script(value[cuts[i]:cuts[j]].strip()))
        j = i
    return names[::-1]


def _looks_like_a_name(segment: str) -> bool:
    """Two to six words of letters (an initial, a particle, a bracketed nickname)."""
    words = segment.split()
    return (2 <= len(words) <= _MAX_WORDS + 1 and len(segment) <= 120
            and all(_NAME_WORD.match(w) or _FOREIGN_SCRIPT.match(w) for w in words))


def _starts_initial(value: str, at: int) -> bool:
    return value[at + 1:at + 2] in {".", " "} or at + 1 == len(value)


def _inner_penalty(value: str, start: int, at: int) -> int:
    """How implausible it is that the capital at ``at`` lies inside one name."""
    before = value[start:at]
    if _PREFIX.search(before[-12:]):
        return 0
    return 1 if " " not in before.strip() else 2


def _without_foreign_script(name: str) -> str:
    """``Jing-wei Hou 侯景伟`` as ``Jing-wei Hou``: the native-script repeat is dropped."""
    tokens = name.split(" ")
    while len(tokens) > 2 and _FOREIGN_SCRIPT.match(tokens[-1]):
        tokens.pop()
    return " ".join(tokens)
