"""A deterministic synthetic review for the deduplication benchmark, with truth at two levels.

Works are built from the real records of ``../shared/bench/dedup`` (one per labelled work)
and real abstracts from ``../shared/bench/screening``: the real record first, then new
works made from it by swapping title words, authors, year, volume, issue and pages.

**Record level** (what ``cluster_id`` is scored against): one report exported by several
databases, each copy with the perturbations databases really apply (see :func:`perturb`):
upper or lower case, one to three title typos, a subtitle dropped, ``:`` as `` -``, HTML
entities and tags, a ``[Review]`` note, a final period; the publication year one off
(online first vs the print issue); authors as initials, two authors swapped, a list cut
after three; ISO-style journal abbreviations; pages as ``123-9``, ``123-129`` or an
article number ``e123``; DOIs upper case or as ``doi:`` and URL forms; any field missing.

**Study level** (what ``study_id`` is scored against): different reports of one study,
each a record-level group of its own (with its own duplicate copies): an article with its
erratum (``Erratum: <title>``, ``Correction to: ...``, Web of Science's ``<title> (vol 12,
pg 345, 2010)``), a retraction notice (and the article's later copies under a
``RETRACTED:`` banner), a letter commenting on the article and the authors' reply, a
meeting abstract in a journal supplement a year before the paper, a preprint (``10.1101``
DOI, medRxiv or bioRxiv, a year earlier) and its journal version, and one trial's entries
in two or three registries beside its results paper.

Abstracts are uncut; 0.5% of works carry a 30,000-65,000-character abstract (a conference
programme in one record). The same size and seed always give the same file.
"""

from __future__ import annotations

import csv
import gzip
import os
import random
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterator, Sequence

SEED = 20171120
GENERATOR_VERSION = 2  # part of the cache key: bump when the generator changes
SETS = ("asysd_diabetes", "sra_cytology_screening", "sra_haematology", "colrev_digital_work")
# One study in ten has reports besides its article, in these proportions.
COMPANIONS = {"erratum": 25, "retraction": 6, "comment and reply": 15, "meeting abstract": 22,
              "preprint": 17, "registry entries": 15}
STUDY_SHARE = 0.10
# Extra copies of one report (0 = exported once): 40% of articles are exported more than once.
COPIES = ((0, 1, 2, 3), (60, 28, 9, 3))
COMPANION_COPIES = ((0, 1, 2), (70, 25, 5))

_SPLIT_AUTHORS = re.compile(r"\s+and\s+|;\s*")
# ASySD's export glues names together: "Adeli K.Lewis G. F." is "Adeli, K." and "Lewis, G. F.".
_GLUED = re.compile(r"(?<=[A-Z]\.)(?=[A-Z][a-z])")
_GLUED_NAME = re.compile(r"^(\S[^.]*?) ((?:[A-Z]\. ?)+)$")
_MISSING = {"NA", "nan", "NULL"}
_STOP = {"of", "the", "and", "in", "for", "on", "a", "an", "with", "to", "by", "from", "at"}
_REGISTRIES = (("ClinicalTrials.gov", "https://clinicaltrials.gov/show/NCT{:08d}"),
               ("EU Clinical Trials Register", "https://www.clinicaltrialsregister.eu/ctr-search/search?query={:04d}-00{:04d}-12"),
               ("ISRCTN registry", "https://www.isrctn.com/ISRCTN{:08d}"),
               ("ANZCTR", "https://anzctr.org.au/ACTRN126{:011d}.aspx"))


@dataclass
class Report:
    """One report of a study as its first database exports it (later copies are perturbed)."""

    kind: str
    title: str
    authors: list[str]
    year: str
    journal: str = ""
    volume: str = ""
    issue: str = ""
    pages: str = ""
    doi: str = ""
    abstract: int | tuple[int, ...] | None = None  # index into the abstract pool, or a programme
    types: list[str] = field(default_factory=list)
    url: str = ""
    retracted: bool = False


@dataclass
class SyntheticSet:
    """Rows of a record-model file, with the record-level and study-level group of each id."""

    rows: list[dict[str, object]]
    record_truth: dict[str, str]
    study_truth: dict[str, str]
    reports_by_kind: dict[str, int]   # records of each kind of report
    abstracts: list[str]               # the pool the rows' abstract indices point into


def read_table(path: Path) -> list[dict[str, str]]:
    opener = gzip.open if path.suffix == ".gz" else open
    with opener(path, "rt", encoding="utf-8", newline="") as handle:  # type: ignore[operator]
        return list(csv.DictReader(handle))


def real_records(shared: Path) -> tuple[list[dict[str, object]], list[str]]:
    """One record per real work from the labelled sets, and real abstracts from the screening sets."""
    works: list[dict[str, object]] = []
    known: set[tuple[str, str]] = set()
    for name in SETS:
        path = next(p for p in (shared / "bench" / "dedup" / f"{name}.csv.gz",
                                shared / "bench" / "dedup" / f"{name}.csv") if p.exists())
        seen: set[str] = set()
        for row in read_table(path):
            # One record per work; the same work in two sets (same title and year) once.
            title_key = (re.sub(r"\W+", "", row.get("title", "").casefold()), row.get("year", "")[:4])
            if row["dup_group"] in seen or not row.get("title") or title_key in known:
                continue
            seen.add(row["dup_group"])
            known.add(title_key)
            row = {k: ("" if v in _MISSING else v or "") for k, v in row.items()}
            works.append({
                "title": row["title"].strip(), "authors": _authors(row.get("author", "")),
                "year": row.get("year", "")[:4],
                "journal": row.get("journal", "") or row.get("booktitle", ""), "volume": row.get("volume", ""),
                "issue": row.get("number", ""), "pages": row.get("pages", "").replace("--", "-"),
                "doi": row.get("doi", ""), "abstract": row.get("abstract", ""),
            })
    abstracts: list[str] = []
    for name in ("van_de_Schoot_2017_PTSD.csv.gz", "Ferdinands_ace_Cohen2006_ACEInhibitors.csv.gz"):
        path = shared / "bench" / "screening" / name
        if path.exists():
            abstracts += [r["abstract"] for r in read_table(path) if len(r.get("abstract", "")) > 200]
    abstracts += [str(w["abstract"]) for w in works if len(str(w["abstract"])) > 200]
    return works, abstracts


def _authors(text: str) -> list[str]:
    names = [a.strip() for a in _SPLIT_AUTHORS.split(text) if a.strip()]
    if len(names) == 1 and "," not in names[0]:
        names = [a.strip() for a in _GLUED.split(names[0]) if a.strip()]
        names = [_GLUED_NAME.sub(r"\1, \2", n).strip() for n in names]
    return names


# ----------------------------------------------------------------------------- perturbations

def _abbreviate(journal: str) -> str:
    words = [w for w in re.split(r"[\s.]+", journal) if w and w.lower() not in _STOP]
    return " ".join(w if len(w) <= 4 else w[:4] for w in words)


def _initials(author: str) -> str:
    if "," not in author:
        return author
    surname, given = author.split(",", 1)
    initials = "".join(part[0] for part in re.split(r"[\s.-]+", given.strip()) if part)
    return f"{surname.strip()} {initials.upper()}".strip()


def _typos(text: str, count: int, rng: random.Random) -> str:
    """``count`` keyboard slips: a letter swapped with the next, dropped, doubled or replaced."""
    for _ in range(count):
        if len(text) < 20:
            return text
        i = rng.randrange(5, len(text) - 5)
        slip = rng.randrange(4)
        if slip == 0:
            text = text[:i] + text[i + 1] + text[i] + text[i + 2:]
        elif slip == 1:
            text = text[:i] + text[i + 1:]
        elif slip == 2:
            text = text[:i] + text[i] + text[i:]
        else:
            text = text[:i] + rng.choice("etaoinshrdlu") + text[i + 1:]
    return text


def _html(title: str, rng: random.Random) -> str:
    """Entities and tags as some exports leave them (``&amp;``, ``&lt;i&gt;``, ``&#8211;``)."""
    if " and " in title and rng.random() < 0.5:
        return title.replace(" and ", " &amp; ", 1)
    words = title.split()
    i = rng.randrange(len(words))
    if rng.random() < 0.5:
        words[i] = f"<i>{words[i]}</i>"
    else:
        words[i] = f"&lt;i&gt;{words[i]}&lt;/i&gt;"
    return " ".join(words)


def _short_range(pages: str) -> str:
    match = re.fullmatch(r"(\d+)-(\d+)", pages)
    if not match or len(match.group(2)) != len(match.group(1)):
        return pages
    start, end = match.groups()
    common = len(os.path.commonprefix([start, end]))
    return f"{start}-{end[common:] or end[-1]}"


def perturb(report: Report, rng: random.Random, *, article: bool) -> Report:
    """A copy of ``report`` as another database would export it."""
    copy = Report(**{**report.__dict__, "authors": list(report.authors), "types": list(report.types)})
    title = copy.title
    if article and ":" in title and rng.random() < 0.08:
        title = title.split(":", 1)[0].strip()  # subtitle dropped
    choice = rng.random()
    if choice < 0.10:
        title = title.upper()
    elif choice < 0.20:
        title = title.lower()
    if rng.random() < 0.25:
        title = _typos(title, rng.choice((1, 1, 2, 3)), rng)
    if rng.random() < 0.3:
        title = title.rstrip(".") + "."
    if rng.random() < 0.1:
        title = title.replace(":", " -")
    if rng.random() < 0.05:
        title = _html(title, rng)
    if article and rng.random() < 0.03:
        title = f"{title} [Review]"
    copy.title = title
    if copy.year and rng.random() < 0.12:
        copy.year = str(int(copy.year) + 1)  # online first, then the print issue
    authors = copy.authors
    if rng.random() < 0.5:
        authors = [_initials(a) for a in authors]
    if len(authors) >= 3 and rng.random() < 0.05:
        i = rng.randrange(1, len(authors) - 1)
        authors[i], authors[i + 1] = authors[i + 1], authors[i]
    if len(authors) > 3 and rng.random() < 0.15:
        authors = authors[:3]
    if rng.random() < 0.02:
        authors = []
    copy.authors = authors
    if copy.journal and rng.random() < 0.4:
        copy.journal = _abbreviate(copy.journal)
    pages = copy.pages
    choice = rng.random()
    if choice < 0.4:
        pages = _short_range(pages)
    elif choice < 0.45 and re.fullmatch(r"\d+(-\d+)?", pages):
        pages = f"e{pages.split('-')[0]}"  # the article number of an online-first record
    copy.pages = pages
    if copy.doi:
        choice = rng.random()
        if choice < 0.35:
            copy.doi = ""
        elif choice < 0.50:
            copy.doi = "https://doi.org/" + copy.doi
        elif choice < 0.55:
            copy.doi = "doi:" + copy.doi
        elif choice < 0.60:
            copy.doi = "http://dx.doi.org/" + copy.doi
        elif choice < 0.70:
            copy.doi = copy.doi.upper()
    if rng.random() < 0.3:
        copy.abstract = None
    for name, share in (("issue", 0.10), ("volume", 0.05), ("pages", 0.05), ("journal", 0.03), ("year", 0.02)):
        if rng.random() < share:
            setattr(copy, name, "")
    if rng.random() < 0.5:
        copy.types = []
    if copy.retracted and rng.random() < 0.6:
        copy.title = f"RETRACTED: {copy.title}"
    return copy


# ----------------------------------------------------------------------------- studies

class _Builder:
    """Makes works, their companion reports and copies, all from one random stream."""

    def __init__(self, shared: Path, rng: random.Random) -> None:
        self.rng = rng
        self.base, self.abstracts = real_records(shared)
        self.vocabulary = sorted({w for b in self.base for w in str(b["title"]).split() if len(w) > 4 and w.isalpha()})
        self.surnames = sorted({a.split(",")[0].strip() for b in self.base for a in b["authors"]  # type: ignore[attr-defined]
                                if "," in a})
        self.journals = sorted({str(b["journal"]) for b in self.base if len(str(b["journal"])) > 8})

    def person(self) -> str:
        return f"{self.rng.choice(self.surnames)}, {self.rng.choice('ABCDEFGHJKLMNPRST')}."

    def reword(self, title: str, changes: int) -> str:
        words = title.split()
        for _ in range(changes):
            words[self.rng.randrange(len(words))] = self.rng.choice(self.vocabulary)
        return " ".join(words)

    def article(self, number: int) -> Report:
        rng = self.rng
        real = self.base[number % len(self.base)]
        generation = number // len(self.base)
        report = Report("article", str(real["title"]), list(real["authors"]), str(real["year"]),  # type: ignore[call-overload]
                        str(real["journal"]), str(real["volume"]), str(real["issue"]), str(real["pages"]),
                        str(real["doi"]), types=["Journal Article"])
        if generation:  # a new work made from a real one: other words, people, place
            words = self.reword(report.title, 3).split()
            words.insert(rng.randrange(len(words) + 1), rng.choice(self.vocabulary))
            report.title = " ".join(words)
            report.authors = [self.person() for _ in range(rng.randint(1, 6))]
            report.year = str(rng.randint(1990, 2023))
            report.volume = str(rng.randint(1, 300))
            report.issue = str(rng.randint(1, 12))
            start = rng.randint(1, 3000)
            report.pages = f"{start}-{start + rng.randint(3, 20)}"
            report.doi = f"10.{rng.randint(1000, 9999)}/synthetic.{number}" if rng.random() < 0.7 else ""
        if not real["abstract"] or generation or len(str(real["abstract"])) <= 200:
            report.abstract = rng.randrange(len(self.abstracts)) if rng.random() < 0.85 else None
        else:
            report.abstract = self.abstracts.index(str(real["abstract"]))
        if rng.random() < 0.005:  # conference proceedings: a whole programme in one record
            target = rng.randint(30_000, 65_000)
            parts: list[int] = []
            length = 0
            while length < target:
                parts.append(rng.randrange(len(self.abstracts)))
                length += len(self.abstracts[parts[-1]]) + 1
            report.abstract = (target, *parts)
        return report

    def companions(self, kind: str, article: Report, number: int) -> list[Report]:
        rng = self.rng
        year = int(article.year) if article.year.isdigit() else 2015
        start = int(article.pages.split("-")[0]) if article.pages.split("-")[0].isdigit() else rng.randint(1, 900)
        title = article.title.rstrip(".")
        if kind == "erratum":
            form = rng.randrange(4)
            text = (f"Erratum: {title}", f"Correction to: {title}", f'Erratum to "{title}"',
                    f"{title} (vol {article.volume or 1}, pg {start}, {year})")[form]
            return [Report("erratum", text, list(article.authors) if rng.random() < 0.5 else [], str(year + rng.randint(0, 1)),
                           article.journal, str(int(article.volume) + 1) if article.volume.isdigit() else "",
                           str(rng.randint(1, 12)), str(rng.randint(1, 3000)),
                           f"10.{rng.randint(1000, 9999)}/erratum.{number}" if rng.random() < 0.7 else "",
                           types=["Erratum"] if rng.random() < 0.6 else ["Journal Article"])]
        if kind == "retraction":
            form = rng.randrange(3)
            text = (f'Retraction notice to "{title}"', f"Retraction: {title}", f"Notice of retraction: {title}")[form]
            article.retracted = True
            return [Report("retraction notice", text, [], str(year + rng.randint(1, 3)), article.journal,
                           str(int(article.volume) + 2) if article.volume.isdigit() else "", "",
                           str(rng.randint(1, 3000)),
                           f"10.{rng.randint(1000, 9999)}/retraction.{number}" if rng.random() < 0.7 else "",
                           types=["Retraction of Publication"] if rng.random() < 0.6 else [])]
        if kind == "comment and reply":
            letter_title = (f"Comment on: {title}", f"Re: {title}", f'Letter regarding "{title}"')[rng.randrange(3)]
            page = rng.randint(1, 3000)
            volume = str(int(article.volume) + 1) if article.volume.isdigit() else ""
            letter = Report("comment", letter_title, [self.person() for _ in range(rng.randint(1, 3))],
                            str(year + rng.randint(0, 1)), article.journal, volume, str(rng.randint(1, 12)),
                            f"{page}-{page + 1}", types=["Comment", "Letter"] if rng.random() < 0.6 else ["Letter"])
            reply_title = (f"{letter_title} - Reply", f"Reply to: {letter_title}", f"Authors' reply: {title}")[
                rng.randrange(3)]
            reply = Report("reply", reply_title, list(article.authors[:3]), letter.year, article.journal, volume,
                           letter.issue, str(page + 2), types=["Comment"] if rng.random() < 0.5 else [])
            return [letter, reply]
        if kind == "meeting abstract":
            text = title if rng.random() < 0.6 else self.reword(title, 1)
            authors = list(article.authors[:3]) + ([self.person()] if rng.random() < 0.3 else [])
            return [Report("meeting abstract", text, authors, str(year - 1), rng.choice(self.journals),
                           str(rng.randint(1, 300)), f"Suppl {rng.randint(1, 3)}", f"S{rng.randint(1, 999)}",
                           abstract=article.abstract if isinstance(article.abstract, int) and rng.random() < 0.5
                           else rng.randrange(len(self.abstracts)),
                           types=["Conference Abstract"] if rng.random() < 0.6 else [])]
        if kind == "preprint":
            text = title if rng.random() < 0.7 else self.reword(title, 1)
            day = f"{year - 1}.{rng.randint(1, 12):02d}.{rng.randint(1, 28):02d}.{rng.randint(100000, 999999)}"
            return [Report("preprint", text, list(article.authors), str(year - rng.randint(0, 1)),
                           rng.choice(("medRxiv", "bioRxiv", "")), "", "", "", f"10.1101/{day}",
                           abstract=article.abstract, types=["Preprint"] if rng.random() < 0.4 else [])]
        # One trial in two or three registries, beside its results paper.
        entries = []
        for registry, url in rng.sample(_REGISTRIES, rng.choice((2, 2, 3))):
            trial_title = title if rng.random() < 0.6 else f"A randomised trial of {self.reword(title, 1).lower()}"
            entries.append(Report("registry entry", trial_title, [], str(year - rng.randint(1, 4)), registry,
                                  url=url.format(number % 10_000, number) if "{:04d}" in url else url.format(number),
                                  types=["Trial registry record"]))
        return entries


def synthetic(size: int, shared: Path, seed: int = SEED) -> SyntheticSet:
    """``size`` records: studies, their reports, and each report's copies, in shuffled order."""
    rng = random.Random(seed)
    builder = _Builder(shared, rng)
    kinds = list(COMPANIONS)
    weights = list(COMPANIONS.values())
    rows: list[dict[str, object]] = []
    record_truth: dict[str, str] = {}
    study_truth: dict[str, str] = {}
    by_kind: dict[str, int] = {}
    study = 0
    while len(rows) < size:
        article = builder.article(study)
        reports = [article]
        if rng.random() < STUDY_SHARE:
            reports += builder.companions(rng.choices(kinds, weights)[0], article, study)
        for number, report in enumerate(reports):
            is_article = report.kind == "article"
            values, shares = COPIES if is_article else COMPANION_COPIES
            copies = 1 + rng.choices(values, shares)[0]
            for copy in range(copies):
                record = perturb(report, rng, article=is_article) if copy else report
                record_id = f"s{study:07d}r{number}c{copy}"
                rows.append({**record.__dict__, "ID": record_id, "source": f"db{copy + 1}"})
                record_truth[record_id] = f"s{study:07d}r{number}"
                study_truth[record_id] = f"s{study:07d}"
                by_kind[report.kind] = by_kind.get(report.kind, 0) + 1
                if len(rows) == size:
                    break
            if len(rows) == size:
                break
        study += 1
    rng.shuffle(rows)
    return SyntheticSet(rows, record_truth, study_truth, dict(sorted(by_kind.items())), builder.abstracts)


def abstract_text(spec: object, pool: Sequence[str]) -> str:
    """The abstract a row's index (or programme of indices) stands for."""
    if spec is None:
        return ""
    if isinstance(spec, int):
        return pool[spec]
    target, *parts = spec  # type: ignore[misc]
    return " ".join(pool[p] for p in parts)[:target]


def write_synthetic(path: Path, data: SyntheticSet) -> None:
    """As ``results/records/all.csv``: the file the workflow's dedup rule reads."""
    from litsieve.record import Record, normalize_author, parse_year
    from litsieve.records_io import write_records

    pool = data.abstracts

    def records() -> Iterator[Record]:
        for r in data.rows:
            yield Record(record_id=str(r["ID"]), source=str(r["source"]), title=str(r["title"]),
                         abstract=abstract_text(r["abstract"], pool),
                         authors=[normalize_author(a) for a in r["authors"] if a],  # type: ignore[attr-defined]
                         year=parse_year(r["year"]), journal=str(r["journal"]), volume=str(r["volume"]),
                         issue=str(r["issue"]), pages=str(r["pages"]), doi=str(r["doi"]),
                         publication_types=list(r["types"]), url=str(r["url"]))  # type: ignore[call-overload]

    write_records(path, records())

