"""How an intervention was delivered: online only, or not.

A screener does not exclude a study as "online only" because its survey was online, its
participants were recruited through Facebook, or the organisation has a website; nor
because interviews were held by video call. They exclude it when the support itself
happens only online: an internet forum, a Facebook group, an app, "delivered by video
call only", "all contact took place online". This reader does the same with a delivery
concept (:mod:`litsieve.concepts`, ``online_only``):

- ``only`` words are a mode on their own ("a chat room", "by text message");
- ``modifiers`` are a mode only next to a word of the intervention ("online peer support",
  "delivered online", "a web-based programme");
- a mention whose nearest neighbour in its clause is a word of research method or of
  passing reference (survey, recruited, advertisement, interview, data collected,
  information on a website) is not delivery;
- a mode listed among kinds of support ("including self-help groups, internet support
  groups, peer-run services") is one form of several: it is not evidence either way;
- ``unless`` words are another mode (face-to-face, in person, home visits, telephone,
  group meetings held in a venue): one of them, not negated and not about research
  method, keeps the record from "online only". "Avoid face-to-face services", "no
  face-to-face component" and "never met" are negations.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from litsieve.concepts import Concept
from litsieve.screening.terms import is_negated, sentence_spans
from litsieve.text import FieldText, Pattern, compile_pattern

# Words of research method or of passing reference: a mode next to them is not delivery.
METHOD_WORDS = re.compile(
    r"^(?:survey\w*|questionnaire\w*|recruit\w*|advertis\w*|adverts?|flyers?|posters?|interview\w*|data|"
    r"collected|collection|platforms?|qualtrics|surveymonkey|consent\w*|databases?|searched|search\w*|"
    r"invitations?|invited|reminders?|assessments?|measures?|recorded|recordings?|transcri\w*|publicis\w*|"
    r"publiciz\w*|information|resources|handouts|leaflets|videos|available|listed|access|literacy|"
    r"skills|classes|room|page|pages|advertised|sampling|follow-up|administered|completed|responses?|"
    r"hashtags?|collected|analysed|analyzed|coded|posts?\b)$", re.IGNORECASE)
# Words of the intervention: a modifier next to them is delivery.
INTERVENTION_WORDS = re.compile(
    r"^(?:peer\w*|support\w*|groups?|programmes?|programs?|interventions?|mentor\w*|delivered|delivery|"
    r"provided|sessions?|services?|communit\w*|contact|network\w*|course\w*|coaching|counsel\w*|"
    r"befriend\w*|chat\w*|forums?|moderated|conducted|held|took|place|therapy|treatment|exchanges?|"
    r"meetings?|visits?|intervention-|self-help|mutual|exclusively|entirely|solely|only|wholly|purely)$",
    re.IGNORECASE)
_WORD = re.compile(r"[^\W\d_]+(?:[-'][^\W\d_]+)*|\d+")
_CLAUSE = re.compile(r"[;:()]|,\s(?:and|but|while|whereas)\b|\.\s")
_ENUMERATION = re.compile(r"\b(?:including|includes?|included|comprising|comprises?|such as|e\.g\.|for example|"
                          r"ranging from|range of|variety of|various|as well as|and other|or other|forms of|types of|"
                          r"kinds of)\b", re.IGNORECASE)
REACH = 4  # words either side a modifier may be from a word of the intervention


@dataclass(frozen=True)
class Mode:
    field: str
    start: int
    end: int
    term: str


@dataclass(frozen=True)
class DeliveryReading:
    online: tuple[Mode, ...]  # the intervention delivered that way
    other: tuple[Mode, ...]  # another mode of delivery

    @property
    def only(self) -> bool:
        return bool(self.online) and not self.other


class DeliveryReader:
    def __init__(self, concept: Concept) -> None:
        self._only = [(compile_pattern(t), t) for t in concept.list("only")]
        self._modifiers = [(compile_pattern(t), t) for t in concept.list("modifiers")]
        self._unless = [(compile_pattern(t), t) for t in concept.list("unless")]

    def read(self, texts: dict[str, str], fields: dict[str, FieldText]) -> DeliveryReading:
        online: list[Mode] = []
        other: list[Mode] = []
        for name in ("title", "abstract"):
            original = texts.get(name, "")
            if not original.strip():
                continue
            text = fields[name]
            taken: list[tuple[int, int]] = []
            for patterns, standalone in ((self._only, True), (self._modifiers, False)):
                for mode in _found(patterns, name, text, taken):
                    # A mode in a list of kinds of support ("including self-help groups,
                    # internet support groups and peer-run services") says neither way.
                    if _counts(original, mode, standalone) and not _one_of_several(original, mode):
                        online.append(mode)
            for mode in _found(self._unless, name, text, []):
                if not is_negated(original, mode.start) and _nearest(original, mode) != "method":
                    other.append(mode)
        return DeliveryReading(tuple(online), tuple(other))


def _found(patterns: list[tuple[Pattern, str]], field: str, text: FieldText,
           taken: list[tuple[int, int]]) -> list[Mode]:
    modes = []
    for pattern, term in patterns:
        if not pattern.may_occur(text):
            continue
        for start, end in pattern.spans(text):
            if any(start < e and s < end for s, e in taken):
                continue
            taken.append((start, end))
            modes.append(Mode(field, start, end, term))
    return modes


def _counts(original: str, mode: Mode, standalone: bool) -> bool:
    """Whether a mode word is said of the intervention (not negated, not about method)."""
    if is_negated(original, mode.start):
        return False
    nearest = _nearest(original, mode)
    if nearest == "method":
        return False
    return standalone or nearest == "intervention"


def _one_of_several(original: str, mode: Mode) -> bool:
    """Whether the mode is one item of a list of kinds of support in its clause ("including
    self-help groups, internet support groups and peer-run services")."""
    begin, end = _clause(original, mode)
    before, after = original[begin:mode.start], original[mode.end:end]
    if _ENUMERATION.search(before):
        return True
    after_separator = re.search(r"(?:,|\band|\bor)\s*$", before) is not None
    separator_follows = re.search(r"^[^,;]*?(?:,\s|\s(?:and|or)\s)", after) is not None
    return after_separator and (separator_follows or "," in before)


def _nearest(original: str, mode: Mode) -> str | None:
    """``method`` or ``intervention``: which kind of word is closest to the mode in its clause."""
    begin, end = _clause(original, mode)
    before = [m.group() for m in _WORD.finditer(original, begin, mode.start)][::-1]
    after = [m.group() for m in _WORD.finditer(original, mode.end, end)]
    for distance in range(max(len(before), len(after))):
        for words in (before, after):
            if distance < len(words):
                word = words[distance]
                if METHOD_WORDS.match(word):
                    return "method"
                if distance < REACH and INTERVENTION_WORDS.match(word):
                    return "intervention"
    return None


def _clause(original: str, mode: Mode) -> tuple[int, int]:
    begin, end = 0, len(original)
    if mode.field == "abstract":
        begin, end = next(((b, e) for b, e in sentence_spans(original) if b <= mode.start <= e), (0, len(original)))
    for match in _CLAUSE.finditer(original, begin, end):
        if match.end() <= mode.start:
            begin = match.end()
        elif match.start() >= mode.end:
            end = match.start()
            break
    return begin, end


@lru_cache(maxsize=8)
def reader(concept: Concept) -> DeliveryReader:
    return DeliveryReader(concept)
