"""Live clients fed the real captured answers in ../shared/fixtures (skipped when absent)."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from conftest import shared_path
from fake_services import Article, FakeService, FakeState
from protocols import source_entry
from litsieve.search.europepmc import EuropePmcSearch
from litsieve.search.http import HttpClient, RetryPolicy
from litsieve.search.pubmed import PubmedSearch, parse_esearch
from litsieve.search.snapshot import MANIFEST, PartialSnapshot, read_snapshot_records

pytestmark = pytest.mark.external

FAST = RetryPolicy(attempts=3, backoff=0.001, backoff_max=0.01, jitter=0.0, timeout=2.0)


def _http() -> HttpClient:
    return HttpClient(policy=FAST, per_second=0, sleep=lambda s: None)


def test_real_esearch_answers_are_read() -> None:
    history = parse_esearch(shared_path("fixtures", "eutils", "esearch2_pubmed_usehistory.xml").read_bytes(), "e2")
    assert history.count == 42249 and len(history.ids) == 100
    assert history.webenv.startswith("MCID_") and history.query_key == "1"
    nothing = parse_esearch(shared_path("fixtures", "eutils", "esearch8_notfound_errorlist.xml").read_bytes(), "e8")
    assert nothing.count == 0 and nothing.ids == []


def test_real_efetch_articles_arrive_once_through_date_slices(tmp_path: Path) -> None:
    served: list[Article] = []
    for name in ("efetch_pubmed1_2records.xml", "efetch_pubmed2_2records.xml", "efetch_pubmed6_html_mathml.xml"):
        text = shared_path("fixtures", "pubmed-xml", name).read_text(encoding="utf-8")
        for i, raw in enumerate(re.findall(r"<PubmedArticle>.*?</PubmedArticle>", text, flags=re.S)):
            pmid = re.search(r'<PMID Version="\d+">(\d+)</PMID>', raw).group(1)  # type: ignore[union-attr]
            served.append(Article(pmid, f"{2000 + len(served)}/0{1 + i}/15", raw))
    source = source_entry(name="pubmed_live", database="pubmed")
    with FakeService(FakeState(articles=served, esearch_limit=2)) as service:
        search = PubmedSearch(term='"cancer"[tiab]', base_url=service.url, http=_http(), years=(1990, 2017),
                              batch_size=1, slice_limit=2)
        partial = PartialSnapshot.open(tmp_path / "pubmed_live", search.fingerprint())
        folder = partial.finish({"source": "pubmed_live", **search.run(partial)}, secrets=[])
    records = read_snapshot_records([folder / MANIFEST], source)
    assert sorted(r.pmid for r in records) == sorted(a.pmid for a in served)
    by_pmid = {r.pmid: r for r in records}
    assert by_pmid["11748933"].title.startswith("Is cryopreservation a homogeneous process?")
    assert by_pmid["11748933"].doi == "10.1006/cryo.2001.2328"


def test_real_europepmc_core_page_is_paged_and_converted(tmp_path: Path) -> None:
    page = json.loads(shared_path("fixtures", "europepmc-json", "search_cancer_core.json").read_text(encoding="utf-8"))
    results = page["resultList"]["result"]
    with FakeService(FakeState(epmc_results=results)) as service:
        search = EuropePmcSearch(query="cancer", base_url=service.url, http=_http(), page_size=10)
        partial = PartialSnapshot.open(tmp_path / "epmc", search.fingerprint())
        folder = partial.finish({"source": "epmc", **search.run(partial)}, secrets=[])
    records = read_snapshot_records([folder / MANIFEST], source_entry(name="epmc", database="europepmc"))
    assert len(records) == len(results) == 25
    for record, raw in zip(records, results):
        assert record.record_id == f"epmc:{raw['source']}:{raw['id']}"
        assert record.title and not re.search(r"</?[a-z][a-z0-9]*>", record.title + record.abstract)
        assert record.doi == raw.get("doi", "").lower()
        assert record.year == int(raw["pubYear"])
        assert len(record.authors) == len((raw.get("authorList") or {}).get("author", []))
    tagged = next(r for r, raw in zip(records, results) if "<h4>" in raw.get("abstractText", ""))
    assert re.match(r"^[A-Z][\w ]+: ", tagged.abstract)
    assert any("p <.001" in r.abstract for r in records)  # a bare "<" in text is text
