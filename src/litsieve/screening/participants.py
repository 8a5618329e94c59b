"""Who took part: the population a record describes, read the way a screener reads it.

A screener decides "who took part" from the sentences that describe the sample (who was
recruited, interviewed, randomised or surveyed; "n =", "aged", "participants were") and
from the title's "for nurses", "among police officers", "parents' views", not from every
role word in the abstract. This module does the same:

1. **People** are found by the role concepts' nouns (:mod:`litsieve.concepts`:
   service users, staff, carers and family, students, police and military, the general
   public), and by neutral nouns (people, adults, women, participants...) whose role the
   rest of the phrase decides. The longest noun wins: "student nurses" are students,
   "peer support workers" are service users (peer workers are past service users).
2. A mention is one of the **participants** only when the sentence links it to taking
   part: a count ("212 nurses"), "(n = 45)", a verb of taking part ("we interviewed ...",
   "... were randomised", "... completed"), "interviews with", "a sample of", "among",
   "for" after a programme ("a peer support group for siblings"), a possessive view
   ("nurses' views"). A mention after "facilitated by", "co-taught with", "working with",
   "about", "attitudes to", "carers of", "assaulted by" describes someone else.
3. A group's **own condition** is one said of it ("parents *with* serious mental illness",
   "students *who used* mental health services", "All *had* a diagnosis of..."). A
   condition after "of", "whose", "caring for" belongs to the person cared for, so it
   makes no one a service user ("partners of veterans with PTSD").
4. **Ages** come from the same sentences and groups: numbers ("aged 12-17", "mean age
   15.3", "grades 9 through 12", "Year 9 pupils") outrank words ("adolescents", "young
   people", "older adults"), and ages of people who are not the participants ("parents of
   children aged 5 to 12", "whose children were aged 12 to 17") are left out.

The reading is conservative where it matters: participants are "only staff" when every
group found is staff and nothing says any of them uses services or has a condition; a
counted group of unknown role ("42 adults") keeps that from being said. The same reading
gives the extraction table its population and sample size (:mod:`litsieve.report.prefill`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Iterable, Sequence

from litsieve.screening.age import AgeSignal, age_signals, grade_ages, group_age
from litsieve.concepts import SERVICE_USERS, Concept
from litsieve.screening.terms import sentence_spans
from litsieve.text import FieldText, compile_pattern

# Nouns for people whose role the rest of their phrase decides (or leaves unknown).
NEUTRAL_PEOPLE: tuple[str, ...] = (
    "people", "persons", "person", "individuals", "adults", "men", "women", "participants", "respondents",
    "subjects", "interviewees", "attendees", "attenders", "members", "mentees", "callers", "users", "guests",
    "residents", "veterans", "refugees", "asylum seekers",
    "prisoners", "offenders", "inmates", "youth", "youths", "young people", "young persons",
    "adolescents", "teenagers", "teens", "children", "boys", "girls", "infants",
    "babies", "older adults", "older people", "elderly", "young adults", "couples", "volunteers",
    "survivors", "tenants", "smokers", "homeless adults", "mentors", "mentor", "peers", "lay leaders", "those",
    "child", "son", "daughter", "loved one", "loved ones",
    *(f"peer {noun}{plural}" for noun in ("mentor", "supporter", "volunteer", "leader", "helper", "educator",
                                         "counsellor", "counselor", "navigator", "listener", "facilitator",
                                         "trainer", "advocate", "companion", "bridger", "coach", "visitor",
                                         "befriender", "tutor", "assistant", "partner", "buddy")
      for plural in ("", "s")),
)
NUMBER_WORDS: dict[str, int] = {w: i for i, w in enumerate(
    "zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen "
    "sixteen seventeen eighteen nineteen".split())}
NUMBER_WORDS.update({"twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70,
                     "eighty": 80, "ninety": 90, "hundred": 100})

# Verbs and nouns of taking part.
_PARTICIPLES = (
    "recruited", "interviewed", "surveyed", "randomised", "randomized", "randomly", "assigned", "allocated",
    "asked", "invited", "enrolled", "included", "sampled", "selected", "studied", "followed", "assessed",
    "contacted", "approached", "observed", "matched", "paired", "offered", "visited", "telephoned",
    "consulted", "compared", "eligible", "trained", "referred", "screened", "identified", "questioned",
    "tested", "treated", "mentored", "supported", "evaluated", "examined", "measured", "retained",
)
_ACTIVE_TAKING_PART = frozenset({
    "interviewed", "surveyed", "recruited", "randomised", "randomized", "enrolled", "sampled", "studied",
    "followed", "asked", "invited", "included", "compared", "observed", "matched", "assigned", "allocated",
    "visited", "contacted", "approached", "consulted", "telephoned", "mentored", "examined",
    "assessed", "involving", "involved", "including", "comprising", "comprised", "among", "amongst", "across",
    "between", "questioned", "tested", "analysed", "analyzed", "evaluated", "offered", "screened",
    "identified", "interviewing", "surveying", "recruiting", "randomising", "randomizing", "following",
    "engaged", "reached", "served",
})
_SUBJECT_VERBS = frozenset({
    "took", "participated", "completed", "responded", "attended", "joined", "received", "used", "reported",
    "described", "said", "rated", "valued", "felt", "perceived", "expressed", "returned", "answered",
    "filled", "scored", "trusted", "cited", "completing", "attending", "agreed", "consented", "met",
    "posted", "sent", "shared", "worried", "spoke", "experienced", "wanted", "preferred", "identified",
    "highlighted", "emphasised", "emphasized", "stressed", "indicated", "noted", "showed", "had", "were",
})
_PARTICIPATION_NOUNS = frozenset({
    "interview", "interviews", "focus", "group", "groups", "survey", "surveys", "questionnaire",
    "questionnaires", "consultation", "consultations", "discussion", "discussions", "workshop", "workshops",
    "sample", "samples", "cohort", "total", "panel", "census", "study", "trial", "design", "conducted",
    "held", "undertaken", "carried", "performed", "data", "responses", "feedback", "reports", "accounts",
    "views", "experiences", "experience", "perspectives", "perceptions", "attitudes", "narratives",
    "voices", "needs", "records", "posts", "messages", "compared", "contrasted", "together",
    "consisted", "consisting", "comprised", "comprising", "evaluation", "analysis", "observations",
})
_INTERVENTION_NOUNS = frozenset({
    "support", "programme", "program", "programmes", "programs", "group", "groups", "service", "services",
    "scheme", "schemes", "course", "courses", "intervention", "interventions", "training", "mentoring",
    "network", "networks", "team", "teams", "sessions", "classes", "initiative", "initiatives", "education",
    "counselling", "counseling", "help", "resource", "resources", "app", "forum", "forums",
    "project", "projects", "circles", "listening", "navigation", "coaching", "visits",
    "befriending", "workshops", "clinic", "clinics", "model", "approach", "system", "systems", "respite",
    "centre", "center", "centres", "centers", "line", "lines", "warmline", "helpline",
})
_PERSPECTIVE_NOUNS = frozenset({
    "views", "view", "experiences", "experience", "perspectives", "perspective", "attitudes", "attitude",
    "perceptions", "perception", "accounts", "account", "beliefs", "knowledge", "satisfaction", "wellbeing",
    "well", "stress", "burnout", "mental", "needs", "use", "voices", "narratives", "stories", "opinions",
    "preferences", "priorities", "understanding", "understandings", "reflections", "coping", "health",
    "recovery", "outcomes", "quality", "distress", "resilience", "engagement", "help", "involvement",
})
# Words that say a noun is a modifier, not a person ("staff support", "police force").
_NOT_HEAD = frozenset({
    "network", "networks", "team", "teams", "programme", "programmes", "program", "programs", "scheme",
    "schemes", "service", "services", "role", "roles", "training", "model", "models", "organisation",
    "organisations", "organization", "organizations", "association", "associations", "union", "unions",
    "support", "supervision", "meetings", "meeting", "handbook", "charity", "charities", "movement",
    "college", "colleges", "school", "schools", "station", "stations", "force", "forces", "department",
    "departments", "ratings", "rating", "records", "record", "notes", "involvement", "education",
    "advocacy", "safety", "care", "group", "groups", "workforce", "work", "satisfaction", "centred",
    "centered", "led", "run", "delivered", "facilitated", "rated", "administered", "reported",
    "initiated", "operated", "directed", "provided", "focused", "focussed", "level", "population",
    "populations", "body", "bodies", "council", "councils", "agency", "agencies", "unit", "units",
    "ward", "wards", "hours", "shifts", "numbers", "turnover", "attitudes", "burnout", "stress",
    "wellbeing", "health", "experience", "peer", "peers", "to", "mentoring", "supporter", "supporters",
})
_DETERMINERS = frozenset({
    "a", "an", "the", "all", "some", "many", "most", "both", "each", "every", "our", "these", "those",
    "other", "their", "its", "his", "her", "several", "few", "total", "further", "additional", "another",
    "approximately", "about", "around", "nearly", "almost", "over", "under", "only", "just", "of", "n",
})
# Adjectives formed like verbs that belong to a noun phrase ("212 registered nurses").
_PARTICIPIAL_ADJECTIVES = frozenset({
    "registered", "trained", "qualified", "experienced", "licensed", "certified", "retired", "unpaid",
    "paid", "employed", "unemployed", "bereaved", "married", "detained", "discharged", "hospitalised",
    "hospitalized", "institutionalised", "institutionalized", "sworn", "enlisted", "deployed", "injured",
    "affected", "diagnosed", "untreated", "working", "caring", "serving", "practising", "practicing",
    "participating", "consenting", "remaining", "existing", "consecutive", "referred", "matched",
    "incarcerated", "homeless", "housed", "isolated", "selected", "recruited", "enrolled", "interviewed",
    "surveyed", "randomised", "randomized", "eligible", "assaulted", "exposed", "hearing",
})
_FINITE = frozenset({"is", "are", "was", "were", "be", "been", "being", "has", "have", "had", "do", "does",
                     "did", "can", "could", "will", "would", "may", "might", "should", "must", "who",
                     "which", "that", "whose", "whom", "where", "when", "than", "if", "because", "as",
                     "while", "whereas", "although", "though", "since", "after", "before", "until"})
_CONTEXT_LINKS = frozenset({"about", "regarding", "concerning", "towards", "toward", "on", "like", "unlike",
                            "whom", "than", "alongside", "beside", "behind", "against", "into", "onto",
                            "at", "in", "within", "under", "over", "via", "through", "without", "per"})
_CARE_VERBS = re.compile(
    r"^(?:work\w*|care|caring|cared|look\w*|support\w*|treat\w*|serv\w*|help\w*|teach\w*|taught|"
    r"co-\w+|facilitat\w*|led|run|deliver\w*|train\w*|supervis\w*|assault\w*|attack\w*|harm\w*|"
    r"encounter\w*|respond\w*|deal\w*|contact|relationship\w*|partnership\w*|interact\w*|"
    r"communicat\w*|colleague\w*|together|alongside|employ\w*|hir\w*|referr\w*|refer\w*)$")
_CLAUSE_BREAK_TOKENS = frozenset({";", ":", "(", ")", "[", "]", "but", "whereas", "however", "although"})
_TOKEN = re.compile(r"\d[\d,]*(?:\.\d+)?|[^\W\d_]+(?:['\u2019-][^\W\d_]+)*|[^\w\s]")
_N_EQUALS = re.compile(r"^\s*(?:,\s*)?\(?\s*(?:[nN]\s*=|total\s+[nN]\s*=)\s*(\d[\d,]*)")
_STATEMENT_VERB = re.compile(
    r"^(?:\W*[\w%-]+){0,5}?\s+(?:had|have|has|were|was|are|reported|described|self-identified|identified|"
    r"scored|met|used|received|attended)\b", re.IGNORECASE)
_POSSESSIVE = re.compile(r"^(?:'s|\u2019s|'|\u2019)(?=\s|$)")
_PERCENT_SUBJECT = re.compile(r"^(?:all|most|many|nearly all|almost all|half|a majority|the majority|"
                              r"participants|respondents|interviewees|members|they|the sample|these|"
                              r"\d+(?:\.\d+)?%|\d+ of \d+|one|two|three|four|five|several|some)\b",
                              re.IGNORECASE)

# How a phrase after a person says that a condition or a service is theirs, or someone else's.
_OWN_LINK = re.compile(
    r"\b(?:with|having|had|has|have|diagnosed|diagnosis|living with|experiencing|experience of|suffering|in|"
    r"affected by|recovering|recovery|at (?:clinical )?(?:high )?risk|screened positive|scor\w+ above|"
    r"hear(?:d)? voices|self-harm\w*|history of|lived experience|who (?:were|are|was) (?:current|former|previous))\b",
    re.IGNORECASE)
_USE_LINK = (r"us(?:e|ed|ing|ers? of)|attend\w*|receiv\w*|referred|discharged|admitted|leaving|left|under the care|"
             r"in the care|caseload|in contact with|known to|registered with|clients? of|patients? of|treated|"
             r"in treatment|treatment|seeking help|accessing|accessed|detained|moved|transferred|sick leave")
_SERVICE_LINK = re.compile(rf"\b(?:{_USE_LINK}|recruited|from|at|in)\b", re.IGNORECASE)
# Staff are in services by their work: only using them makes them service users.
_STAFF_SERVICE_LINK = re.compile(rf"\b(?:{_USE_LINK})\b", re.IGNORECASE)
# Links after which a condition is someone else's ("whose", "caring for", "working with");
# a condition after another person noun is that person's ("carers of people with psychosis").
_OTHERS_LINK = re.compile(
    r"(?:^|\s)(?:whose|caring|care for|cared for|who care|who cared|look\w* after|working|work|worked|employed|"
    r"employing|supporting|support|supported|treating|about|regarding|towards?|by|alongside|with whom|serving|"
    r"teaching|teach|on behalf)\b", re.IGNORECASE)
_RELATION_ROLE = re.compile(
    r"\b(?:whose (?:\w+ ){0,2}(?:partners?|spouses?|husbands?|wives|wife|child|children|sons?|daughters?|"
    r"relatives?|family members?|parents?|mothers?|fathers?|siblings?|brothers?|sisters?|loved ones?)|"
    r"who care[ds]? for|caring for|who look(?:ed)? after|looking after)\b", re.IGNORECASE)
# Organisations run by service users: their staff and directors are peers.
_PEER_RUN = re.compile(r"\b(?:consumer|user|survivor|service user)[- ](?:run|operated|led|controlled|managed)\b|"
                       r"consumer/survivor|consumer organi[sz]ation", re.IGNORECASE)
_PUBLIC_ROLE = re.compile(r"\b(?:general (?:population|public)|members of the public|population-based|"
                          r"representative sample|community-dwelling|community sample)\b", re.IGNORECASE)
_STAFF_ROLE = re.compile(r"\b(?:working (?:in|at|for|on|as)|employed (?:in|by|at|as)|who work(?:ed)? (?:in|at|for|on|as))\b",
                         re.IGNORECASE)
_POLICE_ROLE = re.compile(r"\bpolice\b", re.IGNORECASE)
# A phrase that says who people are.
_DESCRIBED = re.compile(r"^\s*(?:\([^)]*\)\s*)?,?\s*(?:with|who|whose|having|aged|from|living|diagnosed|"
                        r"experiencing|in|on|at|receiving|using|attending|referred|under)\b", re.IGNORECASE)

# Sentences that describe the sample.
_SAMPLE_CUE = re.compile(
    r"\b(?:recruit\w*|interview\w*|survey\w*|randomi[sz]\w*|randomly|allocated|enrol\w*|took part|"
    r"participa\w*|respond\w*|questionnaire\w*|focus groups?|sample\w*|cohort|completed|consented|"
    r"attended|attending|aged|mean age|ages|age range|were (?:asked|invited|followed|assessed|included|studied|"
    r"selected|approached|identified|matched|paired|offered|referred|visited|telephoned|compared|trained|"
    r"mentored|supported|screened|treated|eligible)|data (?:were|was) (?:collected|obtained|gathered|analysed|"
    r"analyzed)|we (?:studied|followed|asked|observed|compared|examined|evaluated|analysed|analyzed)|"
    r"[nN]\s*=|\d[\d,]* (?:\w+ ){0,4}?(?:adults|people|participants|patients|women|men))\b",
    re.IGNORECASE)
# A noun after these is the same people again ("students who identified as current users
# of mental health services"): what is said of it is said of them.
_PREDICATE = re.compile(r"\b(?:as|were|are|was|is|being|been|become|became)\s+(?:\w+\s+){0,2}$", re.IGNORECASE)
_RANGE_END = re.compile(r"^(?:\d+(?:st|nd|rd|th)?|first|second|third|fourth|fifth|sixth|seventh|eighth|ninth|"
                        r"tenth|eleventh|twelfth|-|\u2013)$")
# A number after these is not a count of people ("Year 10 pupils", "aged 18 adults").
_NOT_COUNTS = frozenset({"year", "years", "grade", "grades", "aged", "age", "ages", "phase", "study", "wave",
                         "part", "stage", "week", "weeks", "day", "days", "month", "months", "level", "type",
                         "session", "sessions", "step", "class", "form", "ward", "unit", "over", "under"})
_PARTICIPANT_NOUNS = frozenset({"participants", "respondents", "interviewees", "subjects"})
# Pronouns for people already described: they say who has a condition ("those with a
# lifetime mental disorder"), never that the participants are someone new.
_ANAPHORS = frozenset({"those"})
_BACK_TO_GROUP = re.compile(r"\b(?:and each|and all|each|all of whom|most of whom|both of whom|and were|and had|and are)\b",
                            re.IGNORECASE)
_CHILD_BEFORE = re.compile(r"\b(?:child|children|sons?|daughters?|infants?|bab(?:y|ies)|kids?|grandchildren)\b[^.;]*$",
                           re.IGNORECASE)
# Children who are never the ones receiving peer support.
_INFANTS = frozenset({"infants", "infant", "babies", "baby", "newborns", "toddlers"})


@dataclass(frozen=True)
class Token:
    text: str
    lower: str
    start: int
    end: int


@dataclass(frozen=True)
class Mention:
    """A noun for people in one field of a record."""

    field: str
    start: int
    end: int
    role: str | None  # None: a neutral noun ("people", "adults")
    term: str


@dataclass
class Group:
    """People a record says took part, as one phrase ("19 parents receiving care from...")."""

    mention: Mention
    role: str | None
    own: bool  # a condition or mental health service use is said of them
    count: int | None
    phrase: tuple[int, int]  # the span of its phrase: count and modifiers, noun, what is said of them
    ages: list[AgeSignal] = field(default_factory=list)
    described: bool = False  # its phrase says who they are ("people who...", "adults with...")

    @property
    def service_users(self) -> bool:
        return self.role == SERVICE_USERS or self.own

    def text(self, texts: dict[str, str]) -> str:
        return texts[self.mention.field][self.phrase[0]:self.phrase[1]]


@dataclass(frozen=True)
class Evidence:
    field: str
    start: int
    end: int


@dataclass
class Reading:
    """Who took part in one record."""

    groups: list[Group]
    service_user_evidence: list[Evidence]  # statements that participants use services / have a condition
    ages: list[AgeSignal]  # participants' ages (numbers outrank words)
    context: list[Mention]  # people mentioned who are not the participants
    conditions: list[Evidence] = field(default_factory=list)  # mental health conditions or service users named

    @property
    def other_roles(self) -> list[Group]:
        """Participant groups of a known role other than service users."""
        return [g for g in self.groups if g.role is not None and not g.service_users]

    @property
    def service_users(self) -> bool:
        return any(g.service_users for g in self.groups) or bool(self.service_user_evidence)

    @property
    def unknown(self) -> list[Group]:
        """Groups of unknown role that count (a count or a description), not mere anaphora."""
        return [g for g in self.groups if g.role is None and not g.own and g.mention.term not in _ANAPHORS
                and (g.count is not None or g.described)]

    def only(self, roles: Sequence[str]) -> bool:
        """Every participant group is in one of ``roles`` and none is a service user."""
        known = [g for g in self.groups if g.role is not None or g.own]
        return (bool(known) and not self.service_users and not self.unknown
                and all(g.role in roles for g in known))


class ParticipantReader:
    """Compiled role nouns, conditions and services (one per set of role concepts)."""

    def __init__(self, roles: Sequence[Concept]) -> None:
        self.roles = {c.name: c for c in roles if c.type == "role"}
        terms: list[tuple[str, str | None]] = [(t, name) for name, c in self.roles.items() for t in c.list("people")]
        terms += [(t, None) for t in NEUTRAL_PEOPLE]
        self._people = [(compile_pattern(t), role, t) for t, role in terms]
        users = self.roles.get(SERVICE_USERS)
        self._conditions = [compile_pattern(t) for t in (users.list("conditions") if users else ())]
        self._problems = [compile_pattern(t) for t in (users.list("problems") if users else ())]
        self._services = [compile_pattern(t) for t in (users.list("services") if users else ())]

    # ---------------------------------------------------------------- mentions
    def mentions(self, field_name: str, text: FieldText) -> list[Mention]:
        found: list[tuple[int, int, str | None, str]] = []
        for pattern, role, term in self._people:
            if pattern.may_occur(text):
                found += [(s, e, role, term) for s, e in pattern.spans(text)]
        # The longest noun wins; of two alike, a role over a neutral noun.
        found.sort(key=lambda m: (m[0], -(m[1] - m[0]), m[2] is None))
        out: list[Mention] = []
        for start, end, role, term in found:
            if out and start < out[-1].end:
                continue
            out.append(Mention(field_name, start, end, role, term))
        return out

    def _spans(self, patterns: list, text: FieldText, start: int, end: int) -> list[tuple[int, int]]:
        return [s for p in patterns if p.may_occur(text) for s in p.spans(text, start, end)]

    def _field_spans(self, text: FieldText) -> "_Found":
        """Every condition, problem and service named in a field, found once per record."""
        return _Found(sorted(self._spans(self._conditions, text, 0, len(text.original))),
                      sorted(self._spans(self._problems, text, 0, len(text.original))),
                      sorted(self._spans(self._services, text, 0, len(text.original))))

    # ---------------------------------------------------------------- reading
    def read(self, texts: dict[str, str], fields: dict[str, FieldText]) -> Reading:
        record_text = f"{texts.get('title', '')} {texts.get('abstract', '')}"
        every = {name: self.mentions(name, fields[name]) for name in ("title", "abstract") if texts.get(name, "").strip()}
        # A short form takes the role of its full form in the same record: "officers" after
        # "correctional officers" are correctional officers.
        full_forms: dict[str, str] = {}
        for name, people in every.items():
            for m in people:
                words = texts[name][m.start:m.end].lower().split()
                if len(words) > 1 and m.role is not None:
                    full_forms.setdefault(words[-1], m.role)
        spans_of: dict[str, _Found] = {}
        groups: list[Group] = []
        context: list[Mention] = []
        evidence: list[Evidence] = []
        ages: list[AgeSignal] = []
        word_ages: list[AgeSignal] = []
        for field_name in ("title", "abstract"):
            original = texts.get(field_name, "")
            if not original.strip():
                continue
            text = fields[field_name]
            found = spans_of[field_name] = self._field_spans(text)
            mentions = [_full_form(m, original, full_forms) for m in every[field_name]]
            spans = [(0, len(original))] if field_name == "title" else sentence_spans(original)
            for begin, end in spans:
                in_sentence = [m for m in mentions if begin <= m.start < end]
                tokens = _tokens(original, begin, end)
                is_sample = bool(_SAMPLE_CUE.search(original, begin, end))
                sentence_groups: list[Group] = []
                linked: dict[int, bool] = {}
                for mention in in_sentence:
                    status = self._link(mention, tokens, original, field_name, linked, in_sentence)
                    linked[mention.start] = status
                    if status:
                        later = next((m.start for m in in_sentence if m.start >= mention.end
                                      and not _modifier(m, tokens, original)
                                      and not _PREDICATE.search(original, max(begin, m.start - 20), m.start)), end)
                        sentence_groups.append(self._group(mention, tokens, original, found, begin, end,
                                                           record_text, later))
                    else:
                        context.append(mention)
                groups += sentence_groups
                if field_name == "abstract":
                    # "All students were current users of mental health services".
                    evidence += self._statements(original, found, begin, end)
                    if is_sample:
                        ages += self._sample_ages(original, field_name, begin, end, in_sentence, linked)
                for group in sentence_groups:
                    word_ages += group.ages
        # Numbers outrank words, and words outrank what a role implies (staff are adults).
        # A group's own age and its sample sentence's can be the same statement: once each.
        ages = list(dict.fromkeys((*ages, *word_ages)))
        numeric = [a for a in ages if a.numeric]
        stated = [a for a in ages if not a.numeric and not a.implied]
        implied = [a for a in ages if a.implied]
        named = [Evidence(name, a, b) for name, found in spans_of.items()
                 for a, b in sorted(found.conditions + found.problems)[:1]]
        named += [Evidence(m.field, m.start, m.end) for m in context if m.role == SERVICE_USERS][:1]
        return Reading(groups, evidence, numeric or stated or implied, context, named)

    def _link(self, mention: Mention, tokens: list[Token], original: str, field_name: str,
              linked: dict[int, bool], in_sentence: list[Mention]) -> bool:
        """Whether the sentence links this mention to taking part."""
        index = next((i for i, t in enumerate(tokens) if t.start >= mention.start), len(tokens))
        after_index = next((i for i, t in enumerate(tokens) if t.start >= mention.end), len(tokens))
        rest = original[mention.end:mention.end + 40]
        if _modifier(mention, tokens, original):
            return False
        if mention.term in _PARTICIPANT_NOUNS:
            return True  # "participants", "respondents": the people who took part, by definition
        possessive = _POSSESSIVE.match(rest)
        if possessive:
            # "nurses' views", "nurses' and patients' views": whose views the study reports.
            service = re.match(r"^(?:'s|\u2019s|'|\u2019)\s+(?:mental health |psychiatric )?(?:services?|teams?|units?|"
                               r"wards?|hospitals?|clinics?|centres?|centers?|homes?|charit\w+)\b", rest)
            if service:
                return False
            for tok in tokens[after_index + 1:after_index + 8]:
                if tok.lower in _PERSPECTIVE_NOUNS:
                    return True
                if tok.lower not in ("and", ",", "or", "'", "\u2019", "s") and not any(
                        m.start <= tok.start < m.end for m in in_sentence):
                    return False
            return False
        decision = self._scan_back(tokens, index, in_sentence, linked, field_name)
        if decision is not None:
            return decision
        if _n_equals(original, mention.end) is not None:
            return True
        if field_name == "title":
            return _at_clause_start(tokens, index)
        return self._subject_of_taking_part(tokens, after_index) and _at_clause_start(tokens, index)

    def _scan_back(self, tokens: list[Token], index: int, in_sentence: list[Mention],
                   linked: dict[int, bool], field_name: str) -> bool | None:
        """The word before the noun phrase decides: ``True`` participants, ``False`` someone
        else, ``None`` no link word (the phrase may be a subject)."""
        starts = {m.start: m for m in in_sentence}
        i = index - 1
        steps = 0
        while i >= 0 and steps < 10:
            tok = tokens[i]
            low = tok.lower
            if low in _CLAUSE_BREAK_TOKENS or low == ".":
                return None
            if _is_number(low):
                return True  # a count of people
            earlier = next((m for s, m in starts.items() if s <= tok.start < m.end), None)
            if earlier is not None:
                # Part of a list of people ("nurses and patients"): the list's link decides.
                if earlier.start in linked:
                    return linked[earlier.start]
                i -= 1
                continue
            if low in (",", "and", "or", "&", "plus", "/", "versus", "vs", "including"):
                if low == "including" and steps == 0:
                    return True
                # A list goes on only from another person ("nurses, psychiatrists and social
                # workers"); after a list of things ("mental illness, their families") the
                # noun has no link of its own.
                previous = tokens[i - 1] if i > 0 else None
                if previous is None or not any(m.start <= previous.start < m.end for m in in_sentence):
                    return None
                i -= 1
                steps += 1
                continue
            if low in _ACTIVE_TAKING_PART:
                return True
            if low in ("to", "through") and i > 0 and _RANGE_END.match(tokens[i - 1].lower):
                i -= 1  # "sixth- to eighth-grade", "14 to 17": a range, not a link
                continue
            if low in ("with", "of", "for", "by", "from", "to", "among", "amongst"):
                before = tokens[i - 1].lower if i > 0 else ""
                before_mention = next((m for s, m in starts.items() if i > 0 and s <= tokens[i - 1].start < m.end), None)
                if low in ("among", "amongst"):
                    return True
                if before_mention is not None:
                    return False  # "carers of", "parents with": the earlier person's phrase
                if low == "with":
                    if before in _PARTICIPATION_NOUNS or before in ("held", "conducted", "undertaken", "carried",
                                                                     "design", "trial", "study", "sample"):
                        return True
                    return False
                if low == "of":
                    return before in _PARTICIPATION_NOUNS or before in ("consisted", "consisting", "comprised",
                                                                         "composed", "made", "up")
                if low == "for":
                    if _CARE_VERBS.match(before):
                        return False  # "who care for a parent with mental illness"
                    return before in _INTERVENTION_NOUNS or field_name == "title"
                if low == "by":
                    return before in ("completed", "answered", "returned", "filled", "out", "in")
                if low == "from":
                    return before in _PARTICIPATION_NOUNS
                if low == "to":
                    return before in ("offered", "delivered", "provided", "given", "sent", "distributed",
                                      "administered", "mailed", "posted", "introduced", "allocated", "assigned",
                                      "randomised", "randomized", "open", "available")
            if low in _CONTEXT_LINKS:
                return False
            if low in _FINITE:
                return None if low in ("who", "which", "that", "whose", "whom") else _finite(low)
            if low not in _PARTICIPIAL_ADJECTIVES and (low.endswith("ed") or low.endswith("ing")) and len(low) > 4:
                return False  # the object of some other verb ("clinicians identified eligible clients")
            i -= 1
            if low not in _DETERMINERS:
                steps += 1
        return None

    def _subject_of_taking_part(self, tokens: list[Token], after: int) -> bool:
        """Whether the phrase is the subject of a verb of taking part in its clause ("...
        were interviewed", "Adults who heard voices (N = 62) completed measures", "Young
        carers who care for a parent attended groups")."""
        depth = 0
        for tok in tokens[after:after + 40]:
            low = tok.lower
            if low in ("(", "["):
                depth += 1
            elif low in (")", "]"):
                depth = max(0, depth - 1)
            elif depth:
                continue
            elif low in (";", ":", "."):
                return False
            elif low in _PARTICIPLES or low in _SUBJECT_VERBS and low not in ("had", "were"):
                return True
        return False

    def _group(self, mention: Mention, tokens: list[Token], original: str, found: "_Found",
               begin: int, end: int, record_text: str, next_person: int) -> Group:
        """The phrase of a participant mention: its count, its role, whether a condition or
        service use is said of it, and its ages. A condition belongs to the nearest person
        before it: in "partners of veterans with PTSD" it is the veterans'."""
        count = _count_before(tokens, mention) or _n_equals(original, mention.end)
        clause_end = _clause_end(original, mention.end, end)
        phrase_end = _qualifier_end(original, mention.end, clause_end)
        qualifier = original[mention.end:phrase_end]
        role = mention.role
        others = _OTHERS_LINK.search(qualifier)
        limit = min(mention.end + (others.start() if others else len(qualifier)), max(next_person, mention.end))
        own = self._own(original, found, mention.end, limit, role)
        if not own and limit < phrase_end:
            # "parents, each with a child under 18 and each on the caseload of a mental
            # health team": "each" goes back to the parents after the child.
            back = _BACK_TO_GROUP.search(original, limit, phrase_end)
            if back:
                own = self._own(original, found, back.end(), phrase_end, role)
        if not own and _PEER_RUN.search(original, mention.start, phrase_end):
            own = True
        if role is None:
            role = _role_from(qualifier, original[max(begin, mention.start - 40):mention.start])
            if role is None and self.roles:
                apposed = re.match(r"^\s*[,(]\s*(?:all|both|mostly|mainly|predominantly|each)\b", qualifier)
                if apposed:
                    later = [m for m in self.mentions(mention.field, FieldText(original[:phrase_end]))
                             if m.start >= mention.end and m.role is not None]
                    if later:
                        role = later[0].role
        if role == "police_military" and mention.term.startswith("officer") and not _POLICE_ROLE.search(record_text):
            role = None  # "officers" of what is not said
        phrase_start = _phrase_start(tokens, mention)
        own_end = max(mention.end, min(limit, phrase_end))
        ages = group_age(original[phrase_start:own_end], mention.field, phrase_start, role,
                         (mention.start - phrase_start, mention.end - phrase_start))
        ages += grade_ages(original, mention.field, phrase_start, own_end)
        described = bool(_DESCRIBED.match(qualifier))
        # The phrase ends where it turns to someone else or to a topic ("212 nurses about
        # peer support", "42 carers of people with psychosis").
        end_of_phrase = len(original[:own_end].rstrip(" ,;.:"))
        return Group(mention, role, own, count, (phrase_start, max(mention.end, end_of_phrase)), ages, described)

    def _own(self, original: str, found: "_Found", start: int, stop: int, role: str | None) -> bool:
        """Whether ``start:stop`` says a condition or use of mental health services is the
        group's own ("with serious mental illness", "receiving care from a mental health team").
        A diagnosis makes anyone a service user; problems and symptoms only people the record
        gives no other role ("students with mental health difficulties" are students)."""
        if stop <= start:
            return False
        conditions = sorted(found.within("conditions", start, stop)
                            + (found.within("problems", start, stop) if role is None else []))
        if conditions:
            link = _OWN_LINK.search(original, start, conditions[0][1] + 1)
            if link is not None and link.start() < conditions[0][1]:
                return True
        services = found.within("services", start, stop)
        if services:
            links = _STAFF_SERVICE_LINK if role == "staff" else _SERVICE_LINK
            link = links.search(original, start, services[0][1] + 1)
            return link is not None and link.start() <= services[0][0]
        return False

    def _statements(self, original: str, found: "_Found", begin: int, end: int) -> list[Evidence]:
        """"All had a diagnosis of...", "Most were current users of mental health services":
        a condition or service use said of the participants as a whole."""
        statements: list[Evidence] = []
        for clause_start, clause_end in _clauses(original, begin, end):
            while clause_start < clause_end and original[clause_start] in " ,":
                clause_start += 1
            clause = original[clause_start:clause_end]
            if not _PERCENT_SUBJECT.match(clause):
                continue
            verb = _STATEMENT_VERB.match(clause)
            if not verb:
                continue
            start = clause_start + verb.end()
            others = _OTHERS_LINK.search(original, start, clause_end)
            limit = others.start() if others else clause_end
            for kind in ("conditions", "services"):
                spans = found.within(kind, start, limit)
                if spans:
                    statements.append(Evidence("abstract", clause_start, spans[0][1]))
                    break
        return statements

    def _sample_ages(self, original: str, field_name: str, begin: int, end: int,
                     in_sentence: list[Mention], linked: dict[int, bool]) -> list[AgeSignal]:
        """Numeric ages in a sample sentence, except those of people who are not the
        participants (the nearest person before the age is someone else, or an infant)."""
        kept = []
        for signal in age_signals(original[begin:end], field_name, numeric_only=True):
            start = begin + signal.start
            if _CHILD_BEFORE.search(original[max(begin, start - 25):start]):
                continue  # "each with a child under 18", "their sons aged 12-16"
            before = [m for m in in_sentence if m.end <= start and start - m.end <= 30
                      and not re.search(r"[;.]", original[m.end:start])]
            if before and (not linked.get(before[-1].start, False) or before[-1].term in _INFANTS):
                continue
            kept.append(AgeSignal(signal.low, signal.high, field_name, start, begin + signal.end, True))
        return kept


@dataclass(frozen=True)
class _Found:
    """Spans of the conditions, problems and services named in one field."""

    conditions: list[tuple[int, int]]
    problems: list[tuple[int, int]]
    services: list[tuple[int, int]]

    def within(self, kind: str, start: int, stop: int) -> list[tuple[int, int]]:
        return [s for s in getattr(self, kind) if s[0] >= start and s[1] <= stop]


@lru_cache(maxsize=8)
def reader(roles: tuple[Concept, ...]) -> ParticipantReader:
    return ParticipantReader(roles)


# ------------------------------------------------------------------------ helpers
def _tokens(text: str, begin: int, end: int) -> list[Token]:
    return [Token(m.group(), m.group().lower(), m.start(), m.end()) for m in _TOKEN.finditer(text, begin, end)]


def _modifier(mention: Mention, tokens: list[Token], original: str) -> bool:
    """A person noun used as a modifier is no one: "staff support", "nurse-led", "police force"."""
    rest = original[mention.end:mention.end + 2]
    if rest[:1] == "-" and re.match(r"-[^\W\d_]", rest):
        return True
    following = next((t for t in tokens if t.start >= mention.end), None)
    return following is not None and following.lower in _NOT_HEAD and following.start - mention.end <= 1


def _full_form(mention: Mention, original: str, full_forms: dict[str, str]) -> Mention:
    word = original[mention.start:mention.end].lower()
    if " " in word or word not in full_forms or full_forms[word] == mention.role:
        return mention
    return Mention(mention.field, mention.start, mention.end, full_forms[word], mention.term)


def _is_number(word: str) -> bool:
    return word[:1].isdigit() and "." not in word or word in NUMBER_WORDS or bool(
        re.fullmatch(r"(?:twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety)-\w+", word))


def _number(word: str) -> int | None:
    word = word.lower()
    if word[:1].isdigit():
        try:
            return int(word.replace(",", ""))
        except ValueError:
            return None
    if word in NUMBER_WORDS:
        return NUMBER_WORDS[word]
    parts = word.split("-")
    if len(parts) == 2 and parts[0] in NUMBER_WORDS and parts[1] in NUMBER_WORDS:
        return NUMBER_WORDS[parts[0]] + NUMBER_WORDS[parts[1]]
    return None


def _count_before(tokens: list[Token], mention: Mention) -> int | None:
    """A number directly before the noun phrase ("212 registered mental health nurses")."""
    index = next((i for i, t in enumerate(tokens) if t.start >= mention.start), len(tokens))
    for position in range(index - 1, max(0, index - 6) - 1, -1):
        tok = tokens[position]
        low = tok.lower
        if _is_number(low):
            value = _number(low)
            previous = tokens[position - 1].lower if position > 0 else ""
            if value is not None and not 1900 <= value <= 2100 and previous not in _NOT_COUNTS:
                return value
            return None
        if low in _CLAUSE_BREAK_TOKENS or low in _FINITE or low in (",", "with", "of", "for", "by", "from", "to",
                                                                     "in", "at", "on", "and", "or"):
            return None
    return None


def _n_equals(original: str, end: int) -> int | None:
    match = re.match(r"^[^.;]{0,80}?\(\s*[nN]\s*=\s*(\d[\d,]*)", original[end:end + 90])
    if match and "(" not in original[end:end + match.start(1) - 5]:
        return int(match.group(1).replace(",", ""))
    match = _N_EQUALS.match(original[end:])
    return int(match.group(1).replace(",", "")) if match else None


def _clause_end(original: str, start: int, end: int) -> int:
    match = re.compile(r"[;:]|\.\s|\s(?:but|whereas|however)\s").search(original, start, end)
    return match.start() if match else end


def _qualifier_end(original: str, start: int, clause_end: int) -> int:
    """Where the phrase after a person noun ends: before the main verb of the clause."""
    verbs = re.compile(r",\s*(?:including|such as|e\.g\.)|\b(?:were|was|are|is|took|completed|participated|reported|described|attended|"
                       r"received|showed|had(?! (?:a|an|been|used|received|experienced|\w+ed\b))|"
                       r"met|joined|rated|valued|said|felt|scored|used|responded)\b")
    relative = re.compile(r"\b(?:who|that|which|whose|whom)\s+$")
    position = start
    while True:
        match = verbs.search(original, position, clause_end)
        if not match:
            return clause_end
        # A verb in a relative clause ("who attended") belongs to the phrase.
        if relative.search(original[max(start, match.start() - 25):match.start()]):
            position = match.end()
            continue
        if re.search(r"\b(?:who|that|which|whose|whom)\b[^,]*$", original[start:match.start()]) and \
                original[start:match.start()].count(",") == 0:
            position = match.end()
            continue
        return match.start()


def _phrase_start(tokens: list[Token], mention: Mention) -> int:
    """Where the noun phrase begins: its count, determiners and modifiers, not a verb."""
    index = next((i for i, t in enumerate(tokens) if t.start >= mention.start), len(tokens))
    start = mention.start
    for tok in reversed(tokens[max(0, index - 5):index]):
        low = tok.lower
        verb_like = (low.endswith("ed") or low.endswith("ing")) and len(low) > 4 and low not in _PARTICIPIAL_ADJECTIVES
        if (low in _CLAUSE_BREAK_TOKENS or low in _FINITE or verb_like or low in _ACTIVE_TAKING_PART
                or low in _SUBJECT_VERBS or low in (",", "with", "of", "for", "by", "from", "to", "and", "or",
                                                     "among", "in", "at", "we", "they", "i")):
            break
        start = tok.start
    return start


def _at_clause_start(tokens: list[Token], index: int) -> bool:
    """Nothing but a count, determiners and modifiers stands between the clause start and the noun."""
    for tok in reversed(tokens[:index]):
        low = tok.lower
        if low in _CLAUSE_BREAK_TOKENS or low == ".":
            return True
        if low in (",",):
            continue
        if low in _FINITE or low in ("with", "of", "for", "by", "from", "to", "in", "at", "on", "about"):
            return False
    return True


def _finite(word: str) -> bool | None:
    return False if word in ("than", "if", "because", "as", "while", "whereas", "although", "though") else None


def _role_from(qualifier: str, before: str) -> str | None:
    """The role a neutral noun's phrase gives ("women whose partners were...", "adults from
    the general population", "officers in three police services")."""
    if _RELATION_ROLE.search(qualifier):
        return "carers_family"
    if _PUBLIC_ROLE.search(qualifier) or _PUBLIC_ROLE.search(before):
        return "general_public"
    if _STAFF_ROLE.search(qualifier):
        return "staff"
    return None


def _clauses(original: str, begin: int, end: int) -> Iterable[tuple[int, int]]:
    position = begin
    for match in re.finditer(r"[;:]|,\s(?=(?:and|but|while|whereas)\b)|\.\s", original[begin:end]):
        yield position, begin + match.start()
        position = begin + match.end()
    yield position, end
