"""The second level: reports of one study linked, each with its relation and evidence.

Deduplication merges records of one *report* (the same article exported twice). A study
has several reports: the article, its erratum, a retraction notice, letters and the
authors' reply, the conference abstract and the preprint that came first, the trial's
registry entries. They stay separate records (screening a retraction notice as a study
of its own would be wrong, and merging it into the article would hide it), and are linked
here into studies, strongest evidence first:

1. **What the records say** (``links`` kept by the importers: MEDLINE ``EFR``/``EIN``,
   ``ROF``/``RIN``, ``CON``/``CIN``, ``UOF``/``UIN``..., PubMed XML ``CommentsCorrections``,
   Europe PMC ``commentCorrectionList``): the other record's PMID or DOI.
2. **Notice titles**: a retraction notice or expression of concern (its kind from
   :mod:`litsieve.dedup.features`) links to the report its title names
   (:func:`litsieve.dedup.notices.target_title`) when that title matches and the journal or
   first author agrees, and so does a notice printed with the report it names (one
   volume, the report's pages or the next two): an authors' reply with its letter, an
   erratum with its article in one issue; any other erratum, comment or reply found so is
   offered to a person.
3. **A shared trial registration number**, when each record names one trial only (and,
   between two publications, their people agree).
4. **A preprint** links to the journal version with its title and author list.
5. **Same title, same authors, one volume of one journal**: a meeting abstract printed in
   the journal, a one-page item or a split record is one study with the article, and so is
   the article reprinted by its journal in another volume (every author, the same length);
   a meeting abstract elsewhere is offered to a person.
6. **A heading printed with a piece**: a record titled ``Editorial`` and nothing else, by
   the same two or more authors as the piece beside it in one issue.

Being conservative matters more here than finding every link: a wrong link hides a report
under another study. So a notice, an abstract or a preprint attaches to *one* report only;
reports that are studies of their own join only through evidence that names one study
(a link field, a registration, the same title and authors), and never when that would give
one study two numbers from one registry or join what a person called different; two
abstracts of one meeting at different pages are different abstracts, never joined
automatically. Anything short of the rules (a similar title, a first author alone) goes
to a person in the duplicate review file (decision ``same study``), never linked
automatically. Everything is decided in an order fixed by evidence, score and cluster id,
so the input order never matters.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Iterable, Iterator, Mapping, Sequence

from litsieve.dedup.compare import journals_compatible, similarity
from litsieve.dedup.features import Features
from litsieve.dedup.notices import (
    COMMENT_ON,
    CONCERN_ABOUT,
    CONFERENCE_OF,
    ERRATUM_OF,
    NOTICES,
    PREPRINT_OF,
    REGISTRY_OF,
    REPLY_TO,
    RETRACTION_OF,
    SAME_STUDY,
    UPDATE_OF,
    notice_relation,
    report_relation,
    retracted_banner,
    target_title,
)
from litsieve.dedup.review import DIFFERENT as DIFFERENT_DECISION
from litsieve.dedup.review import SAME_STUDY as SAME_STUDY_DECISION
from litsieve.importers.links import RecordLink, record_links
from litsieve.importers.registry import is_registry_entry, record_registry_ids
from litsieve.record import Record

STUDY_COLUMNS = ("study_id", "relation", "related_to", "study_flags", "study_rule")
RETRACTED = "retracted"
CONCERN = "expression of concern"

# Evidence tiers, strongest first (a person's decision beats every rule).
PERSON, LINK_FIELD, NOTICE_TITLE, REGISTRY, EARLY_REPORT, SAME_TITLE = range(6)

# A link field, as the record carrying it states it: (the relation, whether the carrier is
# the dependent report). "erratum for" on X: X is the erratum; "erratum in" on X: the other is.
_FIELD_RELATIONS: dict[str, tuple[str, bool]] = {
    "erratum for": (ERRATUM_OF, True), "erratum in": (ERRATUM_OF, False),
    "partial retraction of": (ERRATUM_OF, True), "partial retraction in": (ERRATUM_OF, False),
    "retraction of": (RETRACTION_OF, True), "retraction in": (RETRACTION_OF, False),
    "expression of concern for": (CONCERN_ABOUT, True), "expression of concern in": (CONCERN_ABOUT, False),
    "comment on": (COMMENT_ON, True), "comment in": (COMMENT_ON, False),
    "original report in": (COMMENT_ON, True), "summary for patients in": (COMMENT_ON, False),
    "update of": (UPDATE_OF, True), "update in": (UPDATE_OF, False),
    "republished from": (SAME_STUDY, True), "republished in": (SAME_STUDY, False),
    "corrected and republished from": (SAME_STUDY, True), "corrected and republished in": (SAME_STUDY, False),
    "retracted and republished from": (SAME_STUDY, True), "retracted and republished in": (SAME_STUDY, False),
}
# Relations by which a report attaches to another (it is not a study of its own); the
# others (an update, a republication, the same study in another export) join two studies.
_ATTACHING = NOTICES | {CONFERENCE_OF, PREPRINT_OF, REGISTRY_OF}
_BUCKET_CAP = 64  # a title start shared by more records than this says nothing


@dataclass(frozen=True, slots=True)
class StudyEdge:
    """``source`` (a cluster index) is ``relation`` ``target``; ``sure`` links, others go to a person."""

    source: int
    relation: str
    target: int
    tier: int
    score: float
    rule: str
    sure: bool = True


@dataclass
class StudyResult:
    """Study columns of the linked clusters, uncertain links for a person, and counts."""

    columns: dict[str, dict[str, str]]  # only clusters linked or flagged: :meth:`of` for any
    review: list[tuple[str, str, str, float]] = field(default_factory=list)  # (record a, record b, reason, score)
    counts: dict[str, int] = field(default_factory=dict)

    def of(self, cluster_id: str) -> dict[str, str]:
        """The study columns of a cluster (one on its own is its own study)."""
        found = self.columns.get(cluster_id)
        if found is not None:
            return found
        return {"study_id": cluster_id, "relation": "", "related_to": "", "study_flags": "", "study_rule": ""}


@dataclass(slots=True)
class _Cluster:
    cluster_id: str
    members: list[int]
    kept: int
    kinds: frozenset[str]
    role: str                # notice / conference / preprint / registry relation; "" for a full report
    ids: frozenset[str]      # registration numbers (empty when the record names several trials)
    retracted: bool
    concern: bool


def _author_agreement(a: Features, b: Features) -> tuple[bool | None, float]:
    """(first authors agree, shared surnames over the longer list); None without authors."""
    if not a.authors or not b.authors:
        return None, 0.0
    first = a.authors[0] in b.first_author or b.authors[0] in a.first_author
    shared = len(set(a.authors) & set(b.authors))
    return first, shared / max(len(a.authors), len(b.authors))


def _single_trial(ids: Sequence[str]) -> frozenset[str]:
    """A record naming two numbers of one registry is about several trials (a review, a
    pooled analysis): its numbers say nothing about which study it reports."""
    prefixes = [i.rstrip("0123456789-/")[:4] for i in ids]
    return frozenset(ids) if len(set(prefixes)) == len(prefixes) else frozenset()


@dataclass(frozen=True, slots=True)
class _Facts:
    """What one record says about other reports (kept only for records that say something)."""

    links: tuple[RecordLink, ...] = ()
    registrations: frozenset[str] = frozenset()
    notice: str = ""                 # the kind of notice its title or type makes it
    targets: tuple[str, ...] = ()    # the titles a notice names
    registry_entry: bool = False
    retracted: bool = False


_NOTHING = _Facts()  # what almost every record says


class RecordFacts:
    """The study evidence of every record, gathered in the pass that computes the features.

    Records may be read from a file on demand, so each is looked at once, here; most say
    nothing about another report and cost one shared empty entry.
    """

    def __init__(self) -> None:
        self._facts: dict[int, _Facts] = {}

    def note(self, index: int, record: Record, features: Features) -> None:
        notice = notice_relation(record, features.kinds) if features.kinds else ""
        links = tuple(record_links(record)) if record.extra else ()
        registrations = _single_trial(record_registry_ids(record))
        registry_entry, retracted = is_registry_entry(record), retracted_banner(record)
        if notice or links or registrations or registry_entry or retracted:
            target = target_title(record.title) if notice else ""
            self._facts[index] = _Facts(links, registrations, notice, (target,) if len(target.split()) >= 4 else (),
                                        registry_entry, retracted)

    def __getitem__(self, index: int) -> _Facts:
        return self._facts.get(index, _NOTHING)

    def update(self, other: RecordFacts) -> None:
        """Take in what another pass noted (a worker's chunk of records)."""
        self._facts.update(other._facts)


def link_studies(
    facts: RecordFacts,
    features: Sequence[Features],
    rows: Sequence[Mapping[str, str]],
    decisions: Mapping[tuple[str, str], str] | None = None,
    position: Mapping[str, int] | None = None,
) -> StudyResult:
    """Study columns for every cluster of ``rows`` (clusters.csv rows, record order free);
    ``facts`` and ``features`` are indexed like the records, ``position`` (record id to that
    index) is built when not given."""
    if position is None:
        position = {f.record_id: i for i, f in enumerate(features)}
    by_cluster: dict[str, list[int]] = {}
    kept_of: dict[str, int] = {}
    for row in rows:
        index = position[row["record_id"]]
        by_cluster.setdefault(row["cluster_id"], []).append(index)
        if row["kept"] == "true":
            kept_of[row["cluster_id"]] = index
    clusters = [_describe(cid, _by_id(by_cluster[cid], features), kept_of[cid], facts, features)
                for cid in sorted(by_cluster)]
    of_record = {i: c for c, cluster in enumerate(clusters) for i in cluster.members}

    forbidden: set[frozenset[int]] = set()
    edges: list[StudyEdge] = []
    for (a, b), decision in sorted((decisions or {}).items()):
        if a not in position or b not in position:
            continue
        ca, cb = of_record[position[a]], of_record[position[b]]
        if ca == cb:
            continue
        if decision == DIFFERENT_DECISION:
            forbidden.add(frozenset((ca, cb)))
        elif decision == SAME_STUDY_DECISION:
            edges.append(_person_edge(clusters, ca, cb))
    edges += _field_edges(clusters, facts, features)
    edges += _title_edges(clusters, facts, features)
    edges += _registry_edges(clusters, features)
    edges += _heading_edges(clusters, features)
    edges = [e for e in edges if frozenset((e.source, e.target)) not in forbidden or e.tier == PERSON]
    return _resolve(clusters, features, edges, forbidden)


def _by_id(members: list[int], features: Sequence[Features]) -> list[int]:
    """A cluster's members in record id order."""
    return members if len(members) == 1 else sorted(members, key=lambda i: features[i].record_id)


def _describe(cluster_id: str, members: list[int], kept: int, facts: RecordFacts,
              features: Sequence[Features]) -> _Cluster:
    if len(members) == 1 and facts[kept] is _NOTHING:  # most clusters: what the general path gives them
        kinds = features[kept].kinds
        return _Cluster(cluster_id, members, kept, kinds, report_relation(kinds), frozenset(), False, False)
    kinds = frozenset().union(*(features[i].kinds for i in members))
    said = [facts[i] for i in members]
    role = facts[kept].notice or next((f.notice for f in said if f.notice), "")
    if not role and any(f.registry_entry for f in said):
        role = REGISTRY_OF
    role = role or report_relation(kinds)
    ids = frozenset().union(*(f.registrations for f in said))
    links = [link for f in said for link in f.links]
    retracted = any(f.retracted for f in said) or any(link.relation == "retraction in" for link in links)
    concern = any(link.relation == "expression of concern in" for link in links)
    return _Cluster(cluster_id, members, kept, kinds, role, ids, retracted, concern)


def _person_edge(clusters: Sequence[_Cluster], a: int, b: int) -> StudyEdge:
    """A person's "same study": the dependent report is the one with a role (an erratum, an abstract...)."""
    if clusters[b].role and not clusters[a].role:
        a, b = b, a
    elif clusters[a].role == clusters[b].role and clusters[b].cluster_id < clusters[a].cluster_id:
        a, b = b, a
    return StudyEdge(a, clusters[a].role or SAME_STUDY, b, PERSON, 1.0, "a person decided: same study")


def _field_edges(clusters: Sequence[_Cluster], facts: RecordFacts, features: Sequence[Features]) -> list[StudyEdge]:
    """Links the records state, to a record in the review by PMID or DOI."""
    stating = [(c, i) for c, cluster in enumerate(clusters) for i in cluster.members if facts[i].links]
    if not stating:
        return []
    by_pmid: dict[str, int] = {}
    by_doi: dict[str, int] = {}
    for c, cluster in enumerate(clusters):
        for i in cluster.members:
            if features[i].pmid:
                by_pmid.setdefault(features[i].pmid, c)
            if features[i].doi:
                by_doi.setdefault(features[i].doi, c)
    edges = []
    for c, i in stating:
        for link in facts[i].links:
            other = by_pmid.get(link.pmid) if link.pmid else None
            if other is None and link.doi:
                other = by_doi.get(link.doi)
            known = _FIELD_RELATIONS.get(link.relation)
            if other is None or other == c or known is None:
                continue
            relation, carrier_depends = known
            source, target = (c, other) if carrier_depends else (other, c)
            if relation == COMMENT_ON and clusters[source].role == REPLY_TO:
                relation = REPLY_TO
            tag = "PMID" if link.pmid and by_pmid.get(link.pmid) == other else "DOI"
            edges.append(StudyEdge(source, relation, target, LINK_FIELD, 1.0,
                                   f"{features[i].record_id} says: {link.relation} {tag} {link.pmid or link.doi}"))
    return edges


def _block_keys(title: str) -> tuple[tuple[str, str], tuple[str, str]]:
    words = title.split()
    return ("<", " ".join(words[:3])), (">", " ".join(words[-3:]))


class _TitleIndex:
    """Clusters by normalised title, and by their first and last three words for the few
    titles looked for more widely (what notices name, early reports' titles): a million
    records cost one entry per distinct title, sharing the features' strings."""

    def __init__(self, clusters: Sequence[_Cluster], features: Sequence[Features], wide: Iterable[str]) -> None:
        self.exact: dict[str, int | list[int]] = {}
        self.blocks: dict[tuple[str, str], set[int]] = {}
        wanted = {key for title in wide for key in _block_keys(title)}
        for c, cluster in enumerate(clusters):
            for i in cluster.members:
                f = features[i]
                if f.generic_title or f.title_words < 4:
                    continue
                found = self.exact.get(f.title)
                if found is None:
                    self.exact[f.title] = c
                elif isinstance(found, int):
                    if found != c:
                        self.exact[f.title] = [found, c]
                elif found[-1] != c:  # clusters come in order, a cluster's members together
                    found.append(c)
                if wanted:
                    for key in _block_keys(f.title):
                        if key in wanted:
                            self.blocks.setdefault(key, set()).add(c)

    def same(self, title: str) -> set[int]:
        found = self.exact.get(title)
        return set() if found is None else {found} if isinstance(found, int) else set(found)

    def near(self, title: str) -> set[int]:
        found = self.same(title)
        for key in _block_keys(title):
            bucket = self.blocks.get(key, set())
            if len(bucket) <= _BUCKET_CAP:
                found |= bucket
        return found


# The least title similarity any study rule reads (an early report's); below it, no link.
_TITLE_FLOOR = 0.75


def _members_by_title(title: str, cluster: _Cluster, features: Sequence[Features]) -> list[tuple[float, Features]]:
    """The cluster's records with a usable title at least :data:`_TITLE_FLOOR` alike to ``title``,
    each with how alike."""
    found = []
    for i in cluster.members:
        f = features[i]
        if f.title and not f.generic_title:
            tsim = similarity(title, f.title, _TITLE_FLOOR)
            if tsim:
                found.append((tsim, f))
    return found


def _strongest(edges: Iterable[StudyEdge | None]) -> StudyEdge | None:
    """The best of the edges one pair gives through the members of its clusters."""
    found = [e for e in edges if e is not None]
    return max(found, key=lambda e: (e.sure, e.score, e.rule)) if found else None


def _title_edges(clusters: Sequence[_Cluster], facts: RecordFacts, features: Sequence[Features]) -> list[StudyEdge]:
    """Notices to the report their title names; abstracts and preprints to their full report;
    the same title by the same authors."""
    wide = [t for cluster in clusters if cluster.role in NOTICES for i in cluster.members for t in facts[i].targets]
    wide += [features[cluster.kept].title for cluster in clusters if cluster.role in (CONFERENCE_OF, PREPRINT_OF)]
    index = _TitleIndex(clusters, features, wide)

    return [edge for c in range(len(clusters)) for edge in _edges_by_title(c, clusters, facts, features, index)]


def _edges_by_title(c: int, clusters: Sequence[_Cluster], facts: RecordFacts, features: Sequence[Features],
                    index: _TitleIndex) -> Iterator[StudyEdge]:
    """The title edges of cluster ``c`` (:func:`_title_edges`)."""
    cluster = clusters[c]
    own = features[cluster.kept]
    if cluster.role in NOTICES:
        titles = {t for i in cluster.members for t in facts[i].targets}
        for title in sorted(titles):
            for other in sorted(index.near(title) - {c}):
                edge = _strongest(_notice_edge(c, cluster, other, clusters[other], tsim, own, found)
                                  for tsim, found in _members_by_title(title, clusters[other], features))
                if edge:
                    yield edge
        return
    if cluster.role == REGISTRY_OF or own.generic_title or own.title_words < 4:
        return
    # A full report is looked for under its exact title; an early report more widely.
    if not cluster.role and index.exact.get(own.title) == c:
        return  # no other cluster has its title (most clusters)
    candidates = index.near(own.title) if cluster.role else index.same(own.title)
    for other in sorted(candidates - {c}):
        if other < c and cluster.role == clusters[other].role:
            continue  # a pair of like reports is looked at once
        if not _reports_may_link(cluster, clusters[other]):
            continue
        edge = _strongest(_report_edge(c, cluster, other, clusters[other], features[i], b, tsim)
                          for i in cluster.members if not features[i].generic_title
                          for tsim, b in _members_by_title(features[i].title, clusters[other], features))
        if edge:
            yield edge


def _notice_edge(c: int, cluster: _Cluster, other: int, target: _Cluster, tsim: float, own: Features,
                 found: Features) -> StudyEdge | None:
    """A notice to the report its title names.

    A title names a title, not a record, so the link is certain only where missing it costs
    more than a wrong one: a retraction notice or expression of concern left unlinked lets a
    retracted study through silently, while a wrong link raises a loud warning a person
    checks. An erratum, comment or reply found by its title alone goes to a person (screening
    it on its own costs one decision; reviewers, and the labelled sets, differ on grouping it).
    """
    if target.role in (ERRATUM_OF, RETRACTION_OF, CONCERN_ABOUT):
        return None  # a notice is about a report, not about another notice
    if tsim < 0.85:  # tsim: how alike the title the notice names is to the report's
        return None
    first, _ = _author_agreement(own, found)
    journal = journals_compatible(own, found)
    after = own.year is None or found.year is None or own.year >= found.year - 1
    corroborated = [what for what, ok in (("journal", journal is True), ("first author", first is True)) if ok]
    sure = tsim >= 0.95 and bool(corroborated) and after and (
        cluster.role in (RETRACTION_OF, CONCERN_ABOUT) or _printed_with(cluster.role, target.role, own, found))
    rule = (f"{cluster.role} title names it ({tsim:.2f})" + (f", {' and '.join(corroborated)} agree" if corroborated else ""))
    return StudyEdge(c, cluster.role, other, NOTICE_TITLE, round(tsim, 4), rule, sure)


def _reports_may_link(cluster: _Cluster, target: _Cluster) -> bool:
    """Whether :func:`_report_edge` looks at any records of the two clusters: not at a notice or a
    registry entry, and a full report is looked at from the other report's side."""
    if target.role in NOTICES or target.role == REGISTRY_OF:
        return False
    return bool(cluster.role) or not target.role


def _printed_with(role: str, target_role: str, notice: Features, report: Features) -> bool:
    """A notice printed with the report its title names: one volume (and issue) of one journal,
    starting on the report's pages or the next two. Its place then names one report, which a
    title alone does not.

    - The authors' reply to a letter (``... - Reply``, page 945 after the letter's 943-944). The
      letter may carry no kind of its own (typed ``Letter`` only, titled like the article it
      discusses), so a full report short enough to be a letter qualifies too; a response
      printed after a full article comments on the article, which reviewers (and the
      labelled sets) keep as a report of its own.
    - An erratum printed right after its article in the same issue (``Erratum to - <title>``
      on page 171 after 151-170). An erratum in a later issue names a title that the journal
      may have printed more than once, and reviewers differ on grouping it: a person decides.

    A comment is a piece of its own by other people wherever it is printed, so it never
    qualifies.
    """
    if journals_compatible(notice, report) is not True or not _follows(notice, report):
        return False
    if role == REPLY_TO:
        return target_role in (COMMENT_ON, "") and _pages(report) <= 3
    if role == ERRATUM_OF:
        return target_role == "" and (not notice.issue or not report.issue or notice.issue == report.issue)
    return False


def _follows(later: Features, earlier: Features) -> bool:
    """``later`` starts on ``earlier``'s pages or the next two, in the same volume."""
    if not (later.volume and later.volume == earlier.volume and later.page_start.isdigit()
            and earlier.page_start.isdigit()):
        return False
    end = int(earlier.page_end) if earlier.page_end.isdigit() else int(earlier.page_start)
    return int(earlier.page_start) <= int(later.page_start) <= end + 2


def _report_edge(c: int, cluster: _Cluster, other: int, target: _Cluster, a: Features, b: Features,
                 tsim: float) -> StudyEdge | None:
    """A preprint to its journal version; an abstract or a one-page item to the report with its
    title and authors in the same volume of the same journal; two such reports to each other.

    One title by one author list in one volume of one journal is one study (a split record,
    the meeting abstract printed in the journal's own pages, a one-page notice). Elsewhere (a
    meeting abstract in another journal or year, the same title in two journals) reviewers
    differ: the abstract may report interim or other results, so a person decides.
    """
    if not _reports_may_link(cluster, target):
        return None
    early = cluster.role in (CONFERENCE_OF, PREPRINT_OF) and not target.role
    # An early report is often retitled ("Preliminary results of ..."): alike enough to ask.
    if tsim < (0.75 if early else 0.9) or a.part != b.part:
        return None
    first, overlap = _author_agreement(a, b)
    if first is not True:
        return None
    if a.title_numbers != b.title_numbers and not early:
        return None
    same_people = overlap >= 0.75
    gap = None if a.year is None or b.year is None else b.year - a.year
    if cluster.role == PREPRINT_OF and not target.role:
        # The same manuscript before peer review: its title and its author list.
        sure = (tsim >= 0.95 and same_people and gap is not None and -1 <= gap <= 3
                and a.title_numbers == b.title_numbers)
        return StudyEdge(c, PREPRINT_OF, other, EARLY_REPORT, round(tsim, 4),
                         f"preprint: titles alike ({tsim:.2f}), authors shared ({overlap:.2f})", sure)
    journal = journals_compatible(a, b)
    same_place = journal is True and (a.volume == b.volume if a.volume and b.volume else gap == 0)
    reprinted = journal is True and not same_place and not cluster.role and not target.role and _reprint(a, b)
    sure = (tsim >= 0.95 and (same_people and same_place or reprinted) and a.title_words >= 5
            and a.title_numbers == b.title_numbers)
    where = ("reprinted in one journal, same length" if reprinted
             else "in one volume of one journal" if same_place else "in another journal or volume")
    rule = f"titles alike ({tsim:.2f}), authors shared ({overlap:.2f}), {where}"
    if cluster.role == CONFERENCE_OF and not target.role:
        return StudyEdge(c, CONFERENCE_OF, other, SAME_TITLE, round(tsim, 4), rule, sure)
    # The shorter report (an abstract, a one-page item) depends on the fuller one.
    source, target_index = c, other
    if _pages(b) < _pages(a) or (_pages(b) == _pages(a) and target.cluster_id > cluster.cluster_id):
        source, target_index = other, c
    return StudyEdge(source, SAME_STUDY, target_index, SAME_TITLE, round(tsim, 4), rule, sure)


def _reprint(a: Features, b: Features) -> bool:
    """The same article printed twice by its journal (a publisher's repeat in a later volume):
    every author in the same order and the same number of pages, two or more.

    The length is what tells a reprint from the same title used again (a recurring column,
    a correction titled like its article, a follow-up): the same text in the journal's own
    layout takes the same pages. Another journal's reprint goes to a person, as reviewers
    differ on it (a secondary journal reprinting a review is a report of its own to some).
    """
    return bool(a.authors) and a.authors == b.authors and _pages(a) >= 2 and _pages(a) == _pages(b) \
        and a.page_start.isdigit() and b.page_start.isdigit()


def _pages(f: Features) -> int:
    if f.page_start.isdigit() and f.page_end.isdigit():
        return max(1, int(f.page_end) - int(f.page_start) + 1)
    return 1 if f.page_start else 0


def _heading_edges(clusters: Sequence[_Cluster], features: Sequence[Features]) -> list[StudyEdge]:
    """A record titled only by a heading (``Editorial``) printed with a piece by the same people.

    A heading names nothing, so the record is matched by where it is printed: one issue of
    one journal, the same two or more authors in the same order, and the piece starting on
    the heading's pages or the next two (or the heading on the piece's): the first page of
    a guest editorial exported on its own, or an editorial in two parts. One author, or
    another issue, is not enough: an editor writes a heading in every issue.
    """
    def place(f: Features) -> tuple[str, str, tuple[str, ...]] | None:
        if len(f.authors) < 2 or not f.volume or not f.issue or not f.page_start.isdigit():
            return None
        return f.volume, f.issue, f.authors

    headings: dict[tuple[str, str, tuple[str, ...]], list[int]] = {}
    for c, cluster in enumerate(clusters):
        f = features[cluster.kept]
        key = place(f) if f.generic_title and not cluster.role else None
        if key:
            headings.setdefault(key, []).append(c)
    edges: list[StudyEdge] = []
    if not headings:
        return edges
    for c, cluster in enumerate(clusters):
        f = features[cluster.kept]
        if f.generic_title or cluster.role:
            continue
        key = place(f)
        for h in headings.get(key, ()) if key else ():
            heading = features[clusters[h].kept]
            if journals_compatible(heading, f) is True and (_follows(f, heading) or _follows(heading, f)):
                edges.append(StudyEdge(h, SAME_STUDY, c, SAME_TITLE, 1.0,
                                       "a heading printed with the same authors' piece (one issue, next pages)"))
    return edges


def _registry_edges(clusters: Sequence[_Cluster], features: Sequence[Features]) -> list[StudyEdge]:
    """Reports naming the same registration: a registry entry attaches, two reports join.

    A registry's own record *is* the trial, so its number suffices. Two publications naming
    one number are two reports of that trial only when their people or titles agree too (the
    first author or two surnames; a title says less, as one trial's reports are titled
    differently and other trials alike): an abstract also names the trial it is compared
    with or extends, and a copied abstract names the trial of another record.
    """
    by_id: dict[str, list[int]] = {}
    for c, cluster in enumerate(clusters):
        for number in sorted(cluster.ids):
            by_id.setdefault(number, []).append(c)
    edges = []
    for number, members in sorted(by_id.items()):
        if len(members) > _BUCKET_CAP:
            continue
        for x, a in enumerate(members):
            for b in members[x + 1:]:
                source, target = a, b
                # The dependent report is the source: a registry entry, else an abstract or preprint.
                rank = {REGISTRY_OF: 0, CONFERENCE_OF: 1, PREPRINT_OF: 1}
                if rank.get(clusters[b].role, 2) < rank.get(clusters[a].role, 2):
                    source, target = b, a
                if clusters[source].role == REGISTRY_OF:
                    edges.append(StudyEdge(source, REGISTRY_OF, target, REGISTRY, 1.0, f"both name {number}"))
                    continue
                fa, fb = features[clusters[source].kept], features[clusters[target].kept]
                first, _ = _author_agreement(fa, fb)
                shared = len(set(fa.authors) & set(fb.authors))
                tsim = similarity(fa.title, fb.title) if fa.title and fb.title else 0.0
                agree = [what for what, ok in (("first author", first is True), ("authors", shared >= 2)) if ok]
                rule = f"both name {number}" + (f", {' and '.join(agree)} agree" if agree else ", nothing else agrees")
                relation = clusters[source].role or SAME_STUDY
                if relation not in (CONFERENCE_OF, PREPRINT_OF):
                    relation = SAME_STUDY
                edges.append(StudyEdge(source, relation, target, REGISTRY, round(max(tsim, 0.5 if agree else 0.0), 4),
                                       rule, sure=bool(agree)))
    return edges


def _resolve(clusters: Sequence[_Cluster], features: Sequence[Features], edges: list[StudyEdge],
             forbidden: set[frozenset[int]]) -> StudyResult:
    n = len(clusters)
    ids = [c.cluster_id for c in clusters]
    order = sorted(edges, key=lambda e: (e.tier, -e.score, ids[e.source], ids[e.target], e.relation))
    sure = [e for e in order if e.sure]

    # 1. Attachments: each dependent report to one report (its best evidence).
    attached: dict[int, StudyEdge] = {}
    for edge in sure:
        if edge.relation in _ATTACHING or (edge.relation == SAME_STUDY and edge.tier == SAME_TITLE):
            if edge.target not in attached or attached[edge.target].target != edge.source:
                attached.setdefault(edge.source, edge)
    # Two abstracts of one meeting (same journal and year, different pages) on one report:
    # the best stays, the other goes to a person.
    demoted: list[StudyEdge] = []
    by_target: dict[int, list[StudyEdge]] = {}
    for edge in attached.values():
        if edge.relation in (CONFERENCE_OF, SAME_STUDY):
            by_target.setdefault(edge.target, []).append(edge)
    for _, competing in sorted(by_target.items()):
        competing.sort(key=lambda e: (e.tier, -e.score, ids[e.source]))
        for k, edge in enumerate(competing):
            for best in competing[:k]:
                if best.source in attached and _same_meeting(clusters[best.source], clusters[edge.source], features):
                    demoted.append(edge)
                    attached.pop(edge.source, None)
                    break
    # A chain that comes back to itself (bad data) is cut at its smallest cluster id.
    for start in sorted(attached, key=lambda c: ids[c]):
        seen = [start]
        node = attached[start].target
        while node in attached and node not in seen:
            seen.append(node)
            node = attached[node].target
        if node in seen:
            attached.pop(min(seen[seen.index(node):], key=lambda c: ids[c]), None)

    def root(c: int) -> int:
        visited: set[int] = set()
        while c in attached and c not in visited:
            visited.add(c)
            c = attached[c].target
        return c

    # 2. Joins between studies, refused when they would give one study two numbers of one
    # registry or put together what a person called different.
    parent = list(range(n))
    group_members: dict[int, list[int]] = {}  # groups of two or more, by their union-find root

    def find(c: int) -> int:
        while parent[c] != c:
            parent[c] = parent[parent[c]]
            c = parent[c]
        return c

    tree: dict[int, list[tuple[int, StudyEdge]]] = {}
    for edge in sure:
        if edge.relation in _ATTACHING or (edge.relation == SAME_STUDY and edge.tier == SAME_TITLE):
            continue
        # A report attached to another joins through the report it is attached to.
        source, target = root(edge.source), root(edge.target)
        ra, rb = find(source), find(target)
        if ra == rb or _clash(group_members.get(ra, [ra]), group_members.get(rb, [rb]), clusters, forbidden):
            continue
        if len(group_members.get(ra, [ra])) < len(group_members.get(rb, [rb])):
            ra, rb = rb, ra
        parent[rb] = ra
        group_members[ra] = group_members.get(ra, [ra]) + group_members.pop(rb, [rb])
        if source != edge.source:
            edge = StudyEdge(source, SAME_STUDY, target, edge.tier, edge.score, edge.rule)
        tree.setdefault(source, []).append((target, edge))
        tree.setdefault(target, []).append((source, edge))

    # 3. Columns: the study id is the smallest cluster id among its main reports.
    relation: dict[int, tuple[str, int, str]] = {}
    study_root: dict[int, str] = {}
    for group in group_members.values():
        main = min(group, key=lambda c: ids[c])
        for c in group:
            study_root[c] = ids[main]
        queue, reached = [main], {main}
        while queue:
            node = queue.pop(0)
            for other, joined in sorted(tree.get(node, ()), key=lambda t: ids[t[0]]):
                if other in reached:
                    continue
                reached.add(other)
                queue.append(other)
                relation[other] = (joined.relation if joined.source == other else SAME_STUDY, node, joined.rule)
    def study_of(c: int) -> str:
        top = find(root(c))
        return study_root.get(top, ids[top])

    # Only clusters that are linked, or whose study is, get columns (most are studies of
    # their own: StudyResult.of gives theirs).
    columns: dict[str, dict[str, str]] = {}
    flags: dict[str, set[str]] = {}
    for c in sorted({*attached, *relation, *study_root}):
        if c in attached:
            edge = attached[c]
            rel, related, rule = edge.relation, ids[edge.target], edge.rule
        else:
            rel, related, rule = (relation[c][0], ids[relation[c][1]], relation[c][2]) if c in relation else ("", "", "")
        columns[ids[c]] = {"study_id": study_of(c), "relation": rel, "related_to": related, "study_flags": "",
                           "study_rule": rule}
    for c, cluster in enumerate(clusters):
        main_report = c not in attached
        notice = attached.get(c)
        on_main = notice is not None and notice.target not in attached
        found = set()
        if (main_report and cluster.retracted) or (on_main and notice is not None and notice.relation == RETRACTION_OF):
            found.add(RETRACTED)
        if (main_report and cluster.concern) or (on_main and notice is not None and notice.relation == CONCERN_ABOUT):
            found.add(CONCERN)
        if found:
            flags.setdefault(study_of(c), set()).update(found)
    for study in flags:
        columns.setdefault(study, {"study_id": study, "relation": "", "related_to": "", "study_flags": "",
                                   "study_rule": ""})
    for values in columns.values():
        values["study_flags"] = "; ".join(sorted(flags.get(values["study_id"], ())))

    # 4. What a person should look at: the best doubtful link of each report not linked.
    review: list[tuple[str, str, str, float]] = []
    offered: set[frozenset[int]] = set()
    for edge in [e for e in order if not e.sure] + demoted:
        pair = frozenset((edge.source, edge.target))
        if pair in offered or pair in forbidden:
            continue
        if study_of(edge.source) == study_of(edge.target):
            continue
        if edge.source in attached:
            continue
        offered.add(pair)
        a, b = features[clusters[edge.source].kept], features[clusters[edge.target].kept]
        review.append((a.record_id, b.record_id, f"same study? {edge.relation}: {edge.rule}", edge.score))
    linked = sum(1 for v in columns.values() if v["relation"])
    counts = {
        "studies": n - linked,
        "reports_linked_to_studies": linked,
        "studies_retracted": sum(1 for found in flags.values() if RETRACTED in found),
        "study_links_awaiting_review": len(review),
    }
    return StudyResult(columns, review, counts)


def _same_meeting(a: _Cluster, b: _Cluster, features: Sequence[Features]) -> bool:
    """Two abstracts of one meeting: the same journal and year, different pages."""
    x, y = features[a.kept], features[b.kept]
    return x.year == y.year and x.journal == y.journal and x.page_start != y.page_start


def _clash(one: Iterable[int], other: Iterable[int], clusters: Sequence[_Cluster], forbidden: set[frozenset[int]]) -> bool:
    """Joining would give one study two registrations of one registry, or join what a person called different."""
    one, other = list(one), list(other)
    if any(frozenset((x, y)) in forbidden for x in one for y in other):
        return True
    numbers_one = {n for c in one for n in clusters[c].ids}
    numbers_other = {n for c in other for n in clusters[c].ids}
    if numbers_one & numbers_other:
        return False
    registries = {n.rstrip("0123456789-/")[:4] for n in numbers_one}
    return any(n.rstrip("0123456789-/")[:4] in registries for n in numbers_other)
