"""PubMed searched live through the NCBI E-utilities, frozen slice by slice.

How the HTTP is done: litsieve sends the requests with its own :class:`HttpClient` and
lets ``Bio.Entrez.read`` interpret the ESearch answers (it knows NCBI's DTDs, types the
fields and raises on ``<ERROR>``). Biopython's own request functions hard-code NCBI's URL
and retry only on a few errors, so using them would mean patching ``urllib`` globally to
reach a mirror or a test server; the session gives retries on 429/5xx/timeouts/cut
connections, the rate limit, POST bodies that keep the API key out of URLs, and a base URL
that is just configuration. Every answer is screened by ``defusedxml`` before it is parsed.

Why date slices: ESearch returns at most 9,999 ids per query. The whole result is counted
first; a date range holding more is halved by publication date (``datetype=pdat``) until
each slice fits. Slices may overlap (PubMed's publication date covers both print and
electronic dates), so a record seen in an earlier slice is kept once, and the number of
distinct PMIDs must equal the count reported for the whole query.

Each slice is searched with the history server (``usehistory=y``) and fetched in batches
of ``rettype=abstract`` XML. A batch must hold exactly the PMIDs ESearch listed for it. A
run interrupted midway resumes from the kept ESearch answers and batches; because NCBI's
history (``WebEnv``) expires, a batch whose history is gone is fetched by its PMIDs instead.
"""

from __future__ import annotations

import datetime as dt
import functools
import io
import json
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Mapping, TypeVar

from defusedxml import ElementTree as SafeET
from defusedxml.common import DefusedXmlException
from tqdm import tqdm

from litsieve.errors import SearchError
from litsieve.logs import get_logger
from litsieve.record import Record
from litsieve.search.http import HttpClient, answer_start
from litsieve.search.snapshot import PartialSnapshot

LOG = get_logger("search.pubmed")
DEFAULT_URL = "https://eutils.ncbi.nlm.nih.gov/entrez/eutils"
ENV_URL = "LITSIEVE_EUTILS_URL"
ESEARCH_LIMIT = 9999
BATCH_SIZE = 500
PLAN = "slices.json"
T = TypeVar("T")
DATE_FORMAT = "%Y/%m/%d"


@dataclass(frozen=True)
class Slice:
    """A publication-date range whose result fits in one ESearch answer."""

    mindate: str
    maxdate: str
    count: int

    def name(self, index: int) -> str:
        return f"slice-{index:03d}"


@dataclass
class EsearchAnswer:
    count: int
    ids: list[str]
    webenv: str
    query_key: str
    translation: str


UNUSABLE_HINT = ("nothing of this answer was kept; the service may be down for maintenance: rerun "
                 "`litsieve search refresh` later (it resumes); if it keeps happening, check the base URL "
                 "(sources[].base_url or LITSIEVE_EUTILS_URL)")


def _screen_xml(data: bytes, where: str) -> Any:
    """Parse with defusedxml (refuses entity tricks); the root element, or a SearchError."""
    try:
        return SafeET.fromstring(data)
    except (SafeET.ParseError, DefusedXmlException) as exc:
        raise SearchError(f"E-utilities answered something that is not usable XML ({exc}): it began with "
                          f"{answer_start(data)}", file=where, hint=UNUSABLE_HINT) from None


def parse_esearch(data: bytes, where: str) -> EsearchAnswer:
    """An ESearch answer through ``Bio.Entrez.read`` after a defusedxml screening."""
    from Bio import Entrez

    _screen_xml(data, where)
    try:
        parsed = Entrez.read(io.BytesIO(data))
    except RuntimeError as exc:  # <ERROR> element
        raise SearchError(f"PubMed refused the search: {exc}", file=where,
                          hint="check the PubMed translation with `litsieve search strings`") from None
    except Exception as exc:  # Bio.Entrez raises its own parser errors on malformed answers
        raise SearchError(f"cannot read the ESearch answer ({exc}): it began with {answer_start(data)}",
                          file=where, hint=UNUSABLE_HINT) from None
    for problem in (parsed.get("ErrorList") or {}).get("PhraseNotFound", []):
        LOG.warning("PubMed did not find the phrase %r", str(problem))
    return EsearchAnswer(
        count=int(parsed["Count"]),
        ids=[str(i) for i in parsed.get("IdList", [])],
        webenv=str(parsed.get("WebEnv", "")),
        query_key=str(parsed.get("QueryKey", "")),
        translation=str(parsed.get("QueryTranslation", "")),
    )


def batch_pmids(data: bytes, where: str) -> list[str] | None:
    """The PMIDs of an EFetch answer, or ``None`` if it is not a ``PubmedArticleSet``."""
    root = _screen_xml(data, where)
    if root.tag != "PubmedArticleSet":
        return None
    pmids = []
    for article in root:
        pmid = article.find("MedlineCitation/PMID")
        if pmid is None:
            pmid = article.find("BookDocument/PMID")
        if pmid is not None and pmid.text:
            pmids.append(pmid.text.strip())
    return pmids


@dataclass
class PubmedSearch:
    """One query against PubMed, limited to a publication-date range when ``years`` is set."""

    term: str
    base_url: str
    http: HttpClient
    years: tuple[int, int] | None = None
    api_key: str = ""
    email: str = ""
    batch_size: int = BATCH_SIZE
    slice_limit: int = ESEARCH_LIMIT
    today: dt.date = field(default_factory=dt.date.today)

    def parameters(self) -> dict[str, Any]:
        """What the manifest records about the requests (never the key or e-mail)."""
        params: dict[str, Any] = {"db": "pubmed", "datetype": "pdat", "usehistory": "y",
                                  "rettype": "abstract", "retmode": "xml", "batch_size": self.batch_size,
                                  "slice_limit": self.slice_limit, "api_key_used": bool(self.api_key)}
        if self.years:
            params["mindate"], params["maxdate"] = self._range()
        return params

    def fingerprint(self) -> dict[str, Any]:
        params = self.parameters()
        params.pop("api_key_used")
        return {"platform": "pubmed", "term": self.term, **params}

    def _range(self) -> tuple[str, str]:
        start, end = self.years if self.years else (1800, self.today.year)
        return f"{start}/01/01", f"{end}/12/31"

    def _common(self) -> dict[str, str]:
        common = {"tool": "litsieve"}
        if self.email:
            common["email"] = self.email
        if self.api_key:
            common["api_key"] = self.api_key
        return common

    def _url(self, utility: str) -> str:
        return f"{self.base_url.rstrip('/')}/{utility}.fcgi"

    def _esearch(self, mindate: str | None, maxdate: str | None, retmax: int) -> bytes:
        data: dict[str, str | int] = {"db": "pubmed", "term": self.term, "retmax": retmax,
                                      "usehistory": "y" if retmax else "n", **self._common()}
        if mindate and maxdate:
            data.update(datetype="pdat", mindate=mindate, maxdate=maxdate)
        return self.http.post(self._url("esearch"), data).content

    def _efetch(self, extra: Mapping[str, str | int]) -> bytes:
        data = {"db": "pubmed", "rettype": "abstract", "retmode": "xml", **self._common(), **extra}
        return self.http.post(self._url("efetch"), data).content

    def plan(self, partial: PartialSnapshot) -> tuple[int, list[Slice]]:
        """Count the whole result and cut it into slices that fit (kept for resuming)."""
        if partial.has(PLAN):
            plan = json.loads(partial.read(PLAN))
            return plan["count"], [Slice(**s) for s in plan["slices"]]
        mindate, maxdate = self._range() if self.years else (None, None)
        data = self._esearch(mindate, maxdate, 0)
        total = parse_esearch(data, "esearch (whole query)").count  # checked before it is kept
        partial.write("esearch-count.xml", data)
        if total <= self.slice_limit:
            slices = [Slice(mindate or "", maxdate or "", total)]
        else:
            lo, hi = self._range()
            slices = self._split(dt.datetime.strptime(lo, DATE_FORMAT).date(),
                                 dt.datetime.strptime(hi, DATE_FORMAT).date())
            LOG.info("PubMed: %d records, more than %d, so searched in %d date slices",
                     total, self.slice_limit, len(slices))
        partial.write(PLAN, (json.dumps({"count": total, "slices": [s.__dict__ for s in slices]},
                                        indent=2, sort_keys=True) + "\n").encode())
        return total, slices

    def _split(self, lo: dt.date, hi: dt.date) -> list[Slice]:
        lo_text, hi_text = lo.strftime(DATE_FORMAT), hi.strftime(DATE_FORMAT)
        count = parse_esearch(self._esearch(lo_text, hi_text, 0), f"esearch {lo_text}-{hi_text}").count
        if count <= self.slice_limit:
            return [Slice(lo_text, hi_text, count)] if count else []
        if lo == hi:
            raise SearchError(
                f"PubMed holds {count} records for the single publication date {lo_text}, more than "
                f"ESearch can list ({self.slice_limit})",
                hint="narrow the query (e.g. by language or publication type) and refresh again",
            )
        middle = lo + (hi - lo) // 2
        return self._split(lo, middle) + self._split(middle + dt.timedelta(days=1), hi)

    def run(self, partial: PartialSnapshot) -> dict[str, Any]:
        """Fetch every slice and batch not yet in ``partial``; return the manifest fields."""
        total, slices = self.plan(partial)
        fetched: set[str] = set()
        translation = ""
        bar = tqdm(total=total, unit="rec", desc="PubMed", file=sys.stderr, disable=None, leave=False)
        try:
            for index, piece in enumerate(slices, start=1):
                prefix = piece.name(index)
                esearch_file = f"{prefix}-esearch.xml"
                answer = self._kept(partial, esearch_file, parse_esearch)
                fresh = answer is None
                if answer is None:
                    data = self._esearch(piece.mindate or None, piece.maxdate or None, max(piece.count, 1))
                    answer = parse_esearch(data, f"esearch {prefix}")  # checked before it is kept
                    partial.write(esearch_file, data)
                translation = translation or answer.translation
                # The history server of an earlier process may have expired: go by PMIDs then.
                webenv = answer.webenv if fresh else ""
                for start in range(0, len(answer.ids), self.batch_size):
                    expected = answer.ids[start:start + self.batch_size]
                    name = f"{prefix}-batch-{start // self.batch_size + 1:04d}.xml"
                    pmids = self._kept(partial, name, functools.partial(_whole_batch, expected=expected))
                    if pmids is None:
                        data, webenv = self._fetch_batch(expected, start, webenv, answer.query_key, name)
                        partial.write(name, data)
                        pmids = batch_pmids(data, name) or []
                    bar.update(len(set(pmids) - fetched))
                    fetched.update(pmids)
        finally:
            bar.close()
        if len(fetched) != total:
            raise SearchError(
                f"PubMed reported {total} records for the query but {len(fetched)} distinct PMIDs arrived",
                file=str(partial.folder),
                hint="PubMed may have changed during the fetch; delete the .partial folder and refresh again",
            )
        return {"platform": "pubmed", "service": self._url("esearch"), "query": self.term,
                "query_translation": translation, "parameters": self.parameters(),
                "count_reported": total, "records": len(fetched),
                "slices": [dict(s.__dict__, file=f"{s.name(i)}-esearch.xml") for i, s in enumerate(slices, 1)],
                "batches": [n for n in partial.files() if "-batch-" in n]}

    @staticmethod
    def _kept(partial: PartialSnapshot, name: str, parse: Callable[[bytes, str], T]) -> T | None:
        """A kept answer, parsed; ``None`` when there is none or it is not usable (then it is
        discarded and fetched again)."""
        if not partial.has(name):
            return None
        try:
            return parse(partial.read(name), str(partial.folder / name))
        except SearchError as exc:
            partial.discard(name, exc.message)
            return None

    def _fetch_batch(self, expected: list[str], start: int, webenv: str, query_key: str,
                     name: str) -> tuple[bytes, str]:
        """One batch, from the history server while it lasts, else by PMID; checked."""
        if webenv:
            data = self._efetch({"WebEnv": webenv, "query_key": query_key, "retstart": start,
                                 "retmax": len(expected)})
            pmids = batch_pmids(data, name)
            if pmids is not None and sorted(pmids) == sorted(expected):
                return data, webenv
            LOG.warning("PubMed history gave an unexpected batch for %s; fetching it by PMID", name)
        data = self._efetch({"id": ",".join(expected)})
        pmids = batch_pmids(data, name)
        if pmids is None or sorted(pmids) != sorted(expected):
            got = set(pmids or [])
            missing = [p for p in expected if p not in got]
            raise SearchError(
                f"EFetch did not return the records ESearch listed (missing: {', '.join(missing[:10]) or 'none'};"
                f" {len(pmids or [])} returned for {len(expected)} asked)",
                file=name, hint="PubMed may have changed during the fetch; refresh again",
            )
        return data, ""


def _whole_batch(data: bytes, where: str, expected: list[str]) -> list[str]:
    """The PMIDs of a kept batch, which must be exactly the ones its slice listed."""
    pmids = batch_pmids(data, where)
    if pmids is None or sorted(pmids) != sorted(expected):
        raise SearchError("the batch does not hold the PMIDs its slice listed", file=where)
    return pmids


def snapshot_records(folder: Path, manifest: Mapping[str, Any]) -> list[Record]:
    """Records of a sealed PubMed snapshot, parsed by the PubMed XML importer, in fetch order."""
    from litsieve.importers import load

    records: list[Record] = []
    for name in manifest.get("batches", []):
        records.extend(load(folder / name, fmt="pubmed-xml", source=manifest["source"]))
    return records
