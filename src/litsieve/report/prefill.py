"""Study characteristics pre-filled from a record's title and abstract, each with its phrase.

A reviewer extracting data reads every included study anyway; what saves time is a first
guess they can confirm at a glance, with the words it came from next to it so that a wrong
guess is obvious. So each field is a small set of named patterns, and the value carries
the phrase each tag came from (:class:`Prefill`). Nothing here decides anything: the
reviewer's correction in ``<people>/extraction.csv`` always wins.

The protocol's ``extraction.fields`` says which fields the table has (:func:`prefill`):

- built-in extractors (:data:`BUILTIN`): study design (quantitative / qualitative /
  mixed, and RCT, quasi-experimental, cohort, survey, interviews, focus groups), sample
  size, population, age group, setting (community, inpatient, outpatient), country,
  delivery (group, one-to-one, face-to-face, telephone, online, blended) and outcomes
  (wellbeing, recovery, hope, empowerment, self-esteem, social inclusion, symptoms,
  hospital use);
- a review's own field with ``values``: each tag whose terms occur (terms as the criteria
  write them, matched by :mod:`litsieve.text`), e.g. the demo's peer-support model;
- a field with neither: an empty column the reviewers fill.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Callable, Sequence

from litsieve.protocol import ExtractionField
from litsieve.record import Record
from litsieve.concepts import concepts
from litsieve.screening.participants import Group
from litsieve.screening.participants import reader as participant_reader
from litsieve.text import FieldText, Pattern, compile_pattern

SNIPPET_WORDS = 4


@dataclass
class Prefill:
    """One field's pre-filled value: its tags in a fixed order and the phrase behind each."""

    tags: list[str] = field(default_factory=list)
    phrases: list[str] = field(default_factory=list)

    def add(self, tag: str, phrase: str) -> None:
        if tag not in self.tags:
            self.tags.append(tag)
            self.phrases.append(phrase)

    @property
    def value(self) -> str:
        return "; ".join(self.tags)

    @property
    def evidence(self) -> str:
        return " | ".join(f'{tag}: "{phrase}"' for tag, phrase in zip(self.tags, self.phrases))


def _rx(*patterns: str) -> re.Pattern[str]:
    return re.compile("|".join(f"(?:{p})" for p in patterns), re.IGNORECASE)


def snippet(text: str, start: int, end: int, words: int = SNIPPET_WORDS) -> str:
    """The matched words with a few words of context either side, within one sentence,
    exactly as they stand in ``text`` (so a reader can find them)."""
    while start > 0 and text[start - 1].isalnum():
        start -= 1
    while end < len(text) and text[end].isalnum():
        end += 1
    sentence_start = max(text.rfind(". ", 0, start), text.rfind("; ", 0, start), text.rfind(": ", 0, start))
    sentence_start = sentence_start + 2 if sentence_start >= 0 else 0
    lo = start
    for _ in range(words):
        previous = text.rfind(" ", sentence_start, lo - 1)
        if previous < 0:
            lo = min(lo, sentence_start)
            break
        lo = previous + 1
    ends = [m.start() for m in re.finditer(r"[.;:](?:\s|$)", text[end:])]
    sentence_end = end + ends[0] if ends else len(text)
    hi = end
    for _ in range(words):
        following = text.find(" ", hi + 1, sentence_end)
        if following < 0:
            hi = sentence_end
            break
        hi = following
    return text[lo:hi].strip(" .;:,")


# Tags in the order they are reported; each with the patterns that show it.
DESIGN_RULES: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("RCT", _rx(r"randomi[sz]ed (?:controlled |clinical |multisite |pilot )?trial(?! is (?:under way|needed|planned))",
                r"randomly (?:assigned|allocated)",
                r"\bRCT\b", r"were randomi[sz]ed", r"multisite randomi[sz]ed")),
    ("quasi-experimental", _rx(r"quasi-experimental", r"non-?randomi[sz]ed (?:controlled |comparison )?(?:trial|study)")),
    ("cohort", _rx(r"\bcohort", r"longitudinal study", r"pre-post(?! survey)", r"pre- and post-", r"before-and-after",
                   r"\bwe followed\b", r"\bfollowed \d[\d,]* ", r"this study followed", r"prospective")),
    ("survey", _rx(r"\bsurvey", r"questionnaire survey")),
    ("interviews", _rx(r"\binterviews\b", r"\binterviewed\b(?! at baseline)")),
    ("focus groups", _rx(r"focus groups?")),
)
QUALITATIVE = _rx(r"qualitative (?:study|research|interviews|design|part|methods?|data|analysis)",
                  r"thematic(?:ally)? analys", r"analysed thematically", r"phenomenolog", r"grounded theory")
MIXED = _rx(r"mixed[- ]methods?")
QUANTITATIVE_TAGS = ("RCT", "quasi-experimental", "cohort", "survey")
QUALITATIVE_TAGS = ("interviews", "focus groups")

NUMBER_WORDS = {"eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12}
PERSON_NOUNS = (
    r"adults?|participants?|patients?|people|persons|individuals|members?|veterans?|women|men|mothers|"
    r"fathers|service users?|users?|clients?|consumers?|inpatients?|outpatients?|respondents?|tenants?|"
    r"students?|mentees?|peer (?:support )?workers?|peers|carers?|young adults|older adults|survivors?|guests?"
)
SAMPLE = re.compile(
    r"(?<![\w-])[nN]\s*=\s*(?P<n1>\d{1,3}(?:,\d{3})+|\d+)(?![\d.])|"
    r"(?<![\w.-])(?<!Study )(?<!Part )(?<!Phase )(?P<n2>\d{1,3}(?:,\d{3})+|\d+|eight|nine|ten|eleven|twelve)\s+"
    r"(?P<phrase>(?:[\w/-]+\s+){0,4}?(?:" + PERSON_NOUNS + r")\b(?:\s*\([^)]*\))?(?:\s+(?:with|who|in|on|of|from)\s+[^,.;()]{3,80})?)",
    re.IGNORECASE,
)
POPULATION_FALLBACK = re.compile(r"\b(?:" + PERSON_NOUNS + r")\s+(?:\([^)]*\)\s+)?(?:with|who)\s+[^,.;()]{3,80}",
                                 re.IGNORECASE)
POPULATION_STOP = re.compile(
    r"\s+(?:receiving|who were|were|was|at|over|across|using|attending|referred|recruited|from|for|into|"
    r"enrolled|randomi[sz]ed|allocated|assigned|interviewed|surveyed|took|completed|participated|"
    r"to|during|after|and (?:their|\d)|in (?:the|a|an|four|two|three|\w+ \w+, )|joining|living in|under|"
    r"compared|followed)\b.*$",
    re.IGNORECASE,
)

# What follows a group in its sentence but is not about who they are ("... and analysed
# thematically", "..., 16 mentees", "... aged 19-47").
GROUP_TAIL = re.compile(r"(?:\s+and\s+(?:\w+ed\b|\w+ing\b|qualitative|quantitative|semi-structured)|,\s*\d|"
                        r"\s+aged\b|\s+who$).*$", re.IGNORECASE)
AGE_RANGE = re.compile(r"(?:aged(?: between)?|age range(?: of| was)?|ages(?: of)?)\s+(?P<a>\d{1,2})\s*(?:-|\u2013|to|and)\s*"
                       r"(?P<b>\d{1,3})(?:\s*years)?", re.IGNORECASE)
AGE_OVER = re.compile(r"aged\s+(?P<a>\d{2})\s*(?:and over|and older|\+|or over|or older)", re.IGNORECASE)
AGE_MEAN = re.compile(r"mean age(?: of| was| =|:)?\s*(?P<m>\d{1,2}(?:\.\d+)?)", re.IGNORECASE)
OLDER = _rx(r"older adults", r"late-life", r"later life", r"elderly")
YOUNG = _rx(r"young adults")
ADULT = _rx(r"\badults?\b", r"\bwomen\b", r"\bmen\b", r"\bmothers\b", r"\bveterans\b")
CHILD = _rx(r"\bchildren\b", r"\badolescents?\b", r"\bpupils\b", r"\byouths?\b")

SETTING_RULES: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("community", _rx(r"\bcommunity\b(?! of)", r"drop-in", r"at home", r"supported housing", r"shelters?",
                      r"on the street", r"primary care", r"recovery college", r"consumer organi[sz]ation", r"voluntary organi[sz]ation",
                      r"mental health trust", r"crisis respite", r"peer respite")),
    ("inpatient", _rx(r"\binpatients?\b", r"\bwards?\b", r"secure (?:hospital|mental health services|services|unit)",
                      r"acute (?:adult )?mental health unit", r"discharged from", r"psychiatric admission",
                      r"hospitali[sz]ed")),
    ("outpatient", _rx(r"\boutpatients?\b", r"\bclinics?\b", r"early intervention service")),
)

US_STATES = ("Alabama|Alaska|Arizona|Arkansas|California|Colorado|Connecticut|Delaware|Florida|Georgia, USA|Hawaii|"
             "Idaho|Illinois|Indiana|Iowa|Kansas|Kentucky|Louisiana|Maine|Maryland|Massachusetts|Michigan|Minnesota|"
             "Mississippi|Missouri|Montana|Nebraska|Nevada|New Hampshire|New Jersey|New Mexico|New York|"
             "North Carolina|North Dakota|Ohio|Oklahoma|Oregon|Pennsylvania|Rhode Island|South Carolina|"
             "South Dakota|Tennessee|Texas|Utah|Vermont|Virginia|Washington State|West Virginia|Wisconsin|Wyoming|"
             "Chicago|Boston|Los Angeles|Philadelphia|San Francisco|Seattle|Baltimore|New Haven|Veterans Affairs|VA")
COUNTRY_RULES: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("USA", _rx(r"\bUSA\b", r"\bU\.S\.A?\.?", r"United States", r"\b(?:" + US_STATES + r")\b")),
    ("UK", _rx(r"\bUK\b", r"United Kingdom", r"\bEngland\b", r"\bEnglish Midlands\b", r"\bScotland\b", r"\bWales\b",
               r"Northern Ireland", r"\bLondon\b", r"\bGlasgow\b", r"\bCardiff\b", r"\bBristol\b", r"\bLeeds\b",
               r"\bManchester\b", r"\bNHS\b", r"Mental Health Act")),
    ("Canada", _rx(r"\bCanada\b", r"\bOntario\b", r"\bQuebec\b", r"\bVancouver\b", r"\bMontreal\b", r"\bToronto\b",
                   r"British Columbia", r"\bAlberta\b")),
    ("Australia", _rx(r"\bAustralia\b", r"\bSydney\b", r"\bMelbourne\b", r"\bQueensland\b", r"\bVictoria, Australia\b")),
    ("New Zealand", _rx(r"New Zealand", r"\bAuckland\b", r"\bWellington\b")),
    ("Ireland", _rx(r"(?<!Northern )\bIreland\b", r"\bDublin\b")),
    ("Finland", _rx(r"\bFinland\b", r"\bLapland\b", r"\bHelsinki\b")),
    ("Germany", _rx(r"\bGermany\b", r"\bHamburg\b", r"\bBerlin\b", r"\bMunich\b")),
    ("Netherlands", _rx(r"\bNetherlands\b", r"\bDutch\b", r"\bAmsterdam\b")),
    ("Japan", _rx(r"\bJapan\b", r"\bTokyo\b")),
    ("Uganda", _rx(r"\bUganda\b")),
    ("Sweden", _rx(r"\bSweden\b")), ("Norway", _rx(r"\bNorway\b")), ("Denmark", _rx(r"\bDenmark\b")),
    ("France", _rx(r"\bFrance\b")), ("Spain", _rx(r"\bSpain\b")), ("Italy", _rx(r"\bItaly\b")),
    ("Switzerland", _rx(r"\bSwitzerland\b")), ("Belgium", _rx(r"\bBelgium\b")), ("Israel", _rx(r"\bIsrael\b")),
    ("China", _rx(r"\bChina\b", r"Hong Kong")), ("India", _rx(r"\bIndia\b")), ("South Africa", _rx(r"South Africa")),
    ("Kenya", _rx(r"\bKenya\b")), ("Brazil", _rx(r"\bBrazil\b")), ("Chile", _rx(r"\bChile\b")),
)

DELIVERY_RULES: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("group", _rx(r"(?<!focus )(?<!control )(?<!comparison )(?<!two )(?<!both )(?<!intervention )(?<!age )"
                  r"\bgroups?\b(?! of)(?! (?:members?|differ))", r"group-based", r"network meetings")),
    ("one-to-one", _rx(r"one-to-one", r"one to one", r"\bindividual(?:ly)? (?:sessions?|support|meetings?)")),
    ("face-to-face", _rx(r"face-to-face", r"face to face", r"in person", r"in-person", r"drop-in", r"home visits?")),
    ("telephone", _rx(r"telephone", r"\bphone\b", r"voice call")),
    ("online", _rx(r"(?<!unlike )(?<!not an )\bonline(?!-only)", r"internet", r"web-based", r"video-?conferenc\w*",
                   r"smartphone", r"\bapp\b")),
    ("blended", _rx(r"blended", r"hybrid")),
)

OUTCOME_RULES: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("wellbeing", _rx(r"well-?being")),
    ("recovery", _rx(r"(?<!in )\brecovery\b")),
    ("hope", _rx(r"\bhope\b", r"hopeful", r"hopelessness")),
    ("empowerment", _rx(r"empower\w*")),
    ("self-esteem", _rx(r"self-esteem", r"self esteem", r"confidence as")),
    ("social inclusion", _rx(r"social inclusion", r"community integration", r"community participation",
                             r"social functioning", r"part of the community", r"reduced isolation")),
    ("symptoms", _rx(r"symptoms?\b", r"distress from voices")),
    ("hospital use", _rx(r"hospital use", r"readmissions?", r"rehospitali[sz]\w+", r"days in (?:psychiatric )?hospital",
                         r"hospital (?:beds|days)", r"admissions? to hospital", r"admitted to hospital",
                         r"inpatient psychiatric care \(mean", r"emergency (?:hospital|department) (?:use|visits)",
                         r"fewer admissions", r"bed[- ]days")),
)


def _text(record: Record) -> str:
    abstract = re.sub(r"\s*\((?:PsycINFO Database Record|c\)).*$", "", record.abstract or "")
    return " ".join(f"{record.title}. {abstract}".split())


def _tagged(text: str, rules: tuple[tuple[str, re.Pattern[str]], ...]) -> Prefill:
    result = Prefill()
    for tag, pattern in rules:
        match = pattern.search(text)
        if match:
            result.add(tag, snippet(text, match.start(), match.end()))
    return result


def design(text: str) -> Prefill:
    specific = _tagged(text, DESIGN_RULES)
    if "RCT" in specific.tags and "quasi-experimental" in specific.tags:
        index = specific.tags.index("quasi-experimental")
        del specific.tags[index], specific.phrases[index]
    if any(t in specific.tags for t in ("RCT", "quasi-experimental")) and "cohort" in specific.tags:
        index = specific.tags.index("cohort")
        del specific.tags[index], specific.phrases[index]
    quantitative = any(t in specific.tags for t in QUANTITATIVE_TAGS) or re.search(r"\bquantitative\b", text, re.I)
    qualitative_match = QUALITATIVE.search(text)
    qualitative = any(t in specific.tags for t in QUALITATIVE_TAGS) or qualitative_match
    mixed = MIXED.search(text)
    result = Prefill()
    if mixed or (quantitative and qualitative):
        if mixed:
            result.add("mixed", snippet(text, mixed.start(), mixed.end()))
        else:  # both kinds of method: the qualitative one is the evidence (the other has its own tag)
            qualitative_tag = next((t for t in specific.tags if t in QUALITATIVE_TAGS), "")
            if qualitative_tag:
                result.add("mixed", specific.phrases[specific.tags.index(qualitative_tag)])
            else:
                assert qualitative_match is not None  # qualitative without a tag: the word itself
                result.add("mixed", snippet(text, qualitative_match.start(), qualitative_match.end()))
    elif quantitative:
        tag = next((t for t in specific.tags if t in QUANTITATIVE_TAGS), "")
        result.add("quantitative", specific.phrases[specific.tags.index(tag)] if tag else "quantitative")
    elif qualitative:
        if qualitative_match:
            result.add("qualitative", snippet(text, qualitative_match.start(), qualitative_match.end()))
        else:
            tag = next(t for t in specific.tags if t in QUALITATIVE_TAGS)
            result.add("qualitative", specific.phrases[specific.tags.index(tag)])
    for tag, phrase in zip(specific.tags, specific.phrases):
        result.add(tag, phrase)
    return result


def _number(token: str) -> int:
    token = token.lower()
    return NUMBER_WORDS[token] if token in NUMBER_WORDS else int(token.replace(",", ""))


def sample(text: str) -> tuple[Prefill, Prefill]:
    """Sample size and population: the first counted group of participants, as the
    eligibility criteria read who took part (:mod:`litsieve.screening.participants`); else
    the first count of people in the abstract."""
    size, population = Prefill(), Prefill()
    group = _first_counted_group(text)
    if group is not None:
        phrase = snippet(text, group.mention.start, group.mention.end, 2)
        size.add(str(group.count), phrase)
        described = text[group.mention.start:group.phrase[1]]
        described = re.sub(r"\s*\([^)]*\)", "", described)
        described = GROUP_TAIL.sub("", POPULATION_STOP.sub("", described))
        population.add(described.strip(" ,;."), phrase)
        return size, population
    for match in SAMPLE.finditer(text):
        token = match.group("n1") or match.group("n2")
        value = _number(token)
        if match.group("n2") and 1900 <= value <= 2100:
            continue
        phrase = snippet(text, match.start(), match.end(), 2)
        if not size.tags:
            size.add(str(value), phrase)
        described = match.group("phrase")
        if described:
            described = re.sub(r"\s*\([^)]*\)", "", described)
            described = re.sub(r"^.*?\b(?:interviews?|focus groups?|sessions?|meetings?)\s+with\s+", "", described)
            population.add(POPULATION_STOP.sub("", described).strip(" ,"), phrase)
            break
    if not population.tags:
        fallback = POPULATION_FALLBACK.search(text)
        if fallback:
            described = re.sub(r"\s*\([^)]*\)", "", fallback.group(0))
            population.add(POPULATION_STOP.sub("", described).strip(" ,"),
                           snippet(text, fallback.start(), fallback.end(), 2))
    return size, population


def _first_counted_group(text: str) -> Group | None:
    """The first group of participants the abstract counts ("260 adults with...")."""
    roles = tuple(c for c in concepts().values() if c.type == "role")
    texts = {"title": "", "abstract": text}
    reading = participant_reader(roles).read(texts, {k: FieldText(v) for k, v in texts.items()})
    return next((g for g in reading.groups if g.count is not None), None)


def age_group(text: str) -> Prefill:
    result = Prefill()
    over = AGE_OVER.search(text)
    if over or OLDER.search(text):
        match = over or OLDER.search(text)
        assert match is not None
        lower = over.group("a") if over else "65"
        result.add(f"older adults ({lower}+)", snippet(text, match.start(), match.end(), 2))
        return result
    ranged = AGE_RANGE.search(text)
    if ranged:
        low, high = int(ranged.group("a")), int(ranged.group("b"))
        label = "children and young people" if high < 18 else "adults" if low >= 18 else "mixed ages"
        result.add(f"{label} ({low}-{high})", snippet(text, ranged.start(), ranged.end(), 2))
        return result
    mean = AGE_MEAN.search(text)
    if mean:
        result.add(f"adults (mean {mean.group('m')})", snippet(text, mean.start(), mean.end(), 2))
        return result
    for label, pattern in (("children and young people", CHILD), ("adults", YOUNG), ("adults", ADULT)):
        match = pattern.search(text)
        if match:
            result.add(label, snippet(text, match.start(), match.end(), 2))
            return result
    return result


def country(text: str) -> Prefill:
    """The first country named (a city or region counts for its country)."""
    result = Prefill()
    found = [(m.start(), m.end(), tag) for tag, pattern in COUNTRY_RULES for m in [pattern.search(text)] if m]
    if found:
        start, end, tag = min(found)
        result.add(tag, snippet(text, start, end, 2))
    return result


#: The built-in extractors, by the name a protocol's ``extraction.fields`` gives them.
BUILTIN: dict[str, Callable[[str], Prefill]] = {
    "study_design": design,
    "sample_size": lambda text: sample(text)[0],
    "population": lambda text: sample(text)[1],
    "age_group": age_group,
    "setting": lambda text: _tagged(text, SETTING_RULES),
    "country": country,
    "delivery": lambda text: _tagged(text, DELIVERY_RULES),
    "outcomes": lambda text: _tagged(text, OUTCOME_RULES),
}


@lru_cache(maxsize=32)
def _value_patterns(values: tuple[tuple[str, tuple[str, ...]], ...]) -> tuple[tuple[str, tuple[Pattern, ...]], ...]:
    return tuple((tag, tuple(compile_pattern(term) for term in terms)) for tag, terms in values)


def tagged_by_terms(text: str, values: tuple[tuple[str, tuple[str, ...]], ...]) -> Prefill:
    """Each tag whose terms occur in ``text``, in the protocol's order, with the first phrase."""
    result = Prefill()
    field_text = FieldText(text)
    for tag, patterns in _value_patterns(values):
        spans = [span for pattern in patterns for span in pattern.spans(field_text)[:1]]
        if spans:
            start, end = min(spans)
            result.add(tag, snippet(text, start, end))
    return result


def prefill(record: Record, fields: Sequence[ExtractionField]) -> dict[str, Prefill]:
    """Every field's pre-filled value for one record (empty :class:`Prefill` when not stated
    or filled by hand)."""
    text = _text(record)
    values: dict[str, Prefill] = {}
    for spec in fields:
        if spec.builtin:
            values[spec.name] = BUILTIN[spec.name](text)
        elif spec.values:
            values[spec.name] = tagged_by_terms(text, spec.values)
        else:
            values[spec.name] = Prefill()
    return values
