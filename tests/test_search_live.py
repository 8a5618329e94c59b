"""Live PubMed and Europe PMC searches against local fakes: slicing, paging, resuming, counts."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from fake_services import Article, FakeService, FakeState, Fault, articles, epmc_results
from litsieve.protocol import Source
from protocols import source_entry
from litsieve.errors import SearchError
from litsieve.search.europepmc import EuropePmcSearch
from litsieve.search.http import HttpClient, RetryPolicy
from litsieve.search.pubmed import PLAN, PubmedSearch, batch_pmids
from litsieve.search.snapshot import MANIFEST, PartialSnapshot, read_snapshot_records

SOURCE = source_entry(name="pubmed_live", database="pubmed", platform="pubmed", method="live")
EPMC = source_entry(name="epmc", database="europepmc", platform="europepmc", method="live")


def _http(attempts: int = 3) -> HttpClient:
    policy = RetryPolicy(attempts=attempts, backoff=0.001, backoff_max=0.01, jitter=0.0, timeout=0.3)
    return HttpClient(policy=policy, per_second=0, sleep=lambda s: None)


def _pubmed(url: str, **kwargs: object) -> PubmedSearch:
    options = dict(term='"peer support"[tiab]', base_url=url, http=_http(), years=(1990, 2017),
                   batch_size=2, slice_limit=5)
    options.update(kwargs)
    return PubmedSearch(**options)  # type: ignore[arg-type]


def _seal(search: PubmedSearch | EuropePmcSearch, root: Path, source: Source) -> Path:
    partial = PartialSnapshot.open(root / source.name, search.fingerprint())
    fields = search.run(partial)
    return partial.finish({"source": source.name, **fields}, secrets=[])


def _batch_pmids(folder: Path) -> list[str]:
    out: list[str] = []
    for path in sorted(folder.glob("*-batch-*.xml")):
        out.extend(batch_pmids(path.read_bytes(), path.name) or [])
    return out


def test_pubmed_result_over_the_esearch_limit_is_sliced_by_date_and_every_record_arrives_once(tmp_path: Path) -> None:
    state = FakeState(articles=articles(23), esearch_limit=5)
    with FakeService(state) as service:
        folder = _seal(_pubmed(service.url), tmp_path, SOURCE)
    plan = json.loads((folder / PLAN).read_text())
    assert plan["count"] == 23
    assert len(plan["slices"]) >= 5 and all(s["count"] <= 5 for s in plan["slices"])
    assert sum(s["count"] for s in plan["slices"]) == 23
    pmids = _batch_pmids(folder)
    assert sorted(pmids) == sorted(a.pmid for a in state.articles)
    manifest = json.loads((folder / MANIFEST).read_text())
    assert manifest["count_reported"] == manifest["records"] == 23
    assert manifest["parameters"]["mindate"] == "1990/01/01"
    assert all(call.get("datetype") == "pdat" for call in state.calls("esearch") if "mindate" in call)
    records = read_snapshot_records([folder / MANIFEST], SOURCE)
    assert sorted(r.pmid for r in records) == sorted(a.pmid for a in state.articles)
    assert len({r.record_id for r in records}) == 23
    assert all(r.record_id == f"pubmed_live:{r.pmid}" for r in records)
    assert records[0].title.startswith("Peer support study") and records[0].year


def test_pubmed_batches_come_from_the_history_server(tmp_path: Path) -> None:
    state = FakeState(articles=articles(7))
    with FakeService(state) as service:
        _seal(_pubmed(service.url, slice_limit=9999, batch_size=3), tmp_path, SOURCE)
    fetches = state.calls("efetch")
    assert len(fetches) == 3
    assert all("WebEnv" in f and "id" not in f for f in fetches)
    assert [f["retstart"] for f in fetches] == ["0", "3", "6"]
    assert all(f["rettype"] == "abstract" and f["retmode"] == "xml" for f in fetches)


def test_pubmed_without_slicing_loses_records_and_says_so(tmp_path: Path) -> None:
    state = FakeState(articles=articles(8), esearch_limit=5)
    with FakeService(state) as service, pytest.raises(SearchError, match="reported 8 records .* 5 distinct"):
        _seal(_pubmed(service.url, slice_limit=10), tmp_path, SOURCE)


def test_pubmed_run_survives_throttling_500_timeout_and_a_cut_body(tmp_path: Path) -> None:
    state = FakeState(articles=articles(9), esearch_limit=5)
    state.faults += [Fault("esearch", "429"), Fault("efetch", "500"), Fault("efetch", "timeout", stall=0.6),
                     Fault("esearch", "cut"), Fault("efetch", "cut")]
    with FakeService(state) as service:
        folder = _seal(_pubmed(service.url, http=_http(attempts=4)), tmp_path, SOURCE)
    assert not state.faults
    assert sorted(_batch_pmids(folder)) == sorted(a.pmid for a in state.articles)


def test_an_interrupted_pubmed_fetch_resumes_without_fetching_again(tmp_path: Path) -> None:
    data = articles(14)
    first = FakeState(articles=data, esearch_limit=5, fail_after={"efetch": 3})
    with FakeService(first) as service, pytest.raises(SearchError, match="failed 3 times"):
        _seal(_pubmed(service.url), tmp_path, SOURCE)
    partial = tmp_path / SOURCE.name / ".partial"
    kept = _batch_pmids(partial)
    assert len(kept) == 6  # three batches of two
    # A new server: the old history (WebEnv) is gone, as after NCBI's session expiry.
    second = FakeState(articles=data, esearch_limit=5)
    with FakeService(second) as service:
        folder = _seal(_pubmed(service.url), tmp_path, SOURCE)
    refetched = [p for call in second.calls("efetch") for p in call.get("id", "").split(",") if p]
    assert not set(refetched) & set(kept)
    assert len(second.calls("efetch")) == len(list(folder.glob("*-batch-*.xml"))) - 3
    assert not any(call.get("retmax") == "0" for call in second.calls("esearch")), "the plan was recomputed"
    assert sorted(_batch_pmids(folder)) == sorted(a.pmid for a in data)
    assert not partial.exists()


def test_a_partial_fetch_of_another_query_is_discarded(tmp_path: Path) -> None:
    state = FakeState(articles=articles(6), fail_after={"efetch": 1})
    with FakeService(state) as service, pytest.raises(SearchError):
        _seal(_pubmed(service.url, batch_size=2, slice_limit=9999), tmp_path, SOURCE)
    with FakeService(FakeState(articles=articles(6))) as service:
        folder = _seal(_pubmed(service.url, term='"open dialogue"[tiab]', batch_size=2, slice_limit=9999),
                       tmp_path, SOURCE)
    assert json.loads((folder / MANIFEST).read_text())["query"] == '"open dialogue"[tiab]'


def test_europepmc_pages_with_cursor_mark_and_checks_the_hit_count(tmp_path: Path) -> None:
    state = FakeState(epmc_results=epmc_results(7))
    state.faults.append(Fault("search", "429"))
    with FakeService(state) as service:
        search = EuropePmcSearch(query='TITLE_ABS:"peer support"', base_url=service.url, http=_http(), page_size=3)
        folder = _seal(search, tmp_path, EPMC)
    calls = state.calls("search")
    assert [c["cursorMark"] for c in calls][:2] == ["*", "*"]  # the 429 was retried with the same cursor
    assert all(c["resultType"] == "core" and c["synonym"] == "false" and c["format"] == "json" for c in calls)
    assert len(list(folder.glob("page-*.json"))) == 3
    records = read_snapshot_records([folder / MANIFEST], EPMC)
    assert len(records) == 7
    first = records[0]
    assert first.record_id == "epmc:MED:30000001"
    assert first.title == "Peer support for adults using mental health services: trial 30000001"
    assert first.abstract.startswith("Objective: Peer support delivered face to face")
    assert first.authors == ["Rivera-Lopez, Ana", "Okafor, Chidi"]
    assert first.doi == "10.1176/test.30000001" and first.year == 1995 and first.language == "eng"


def test_an_interrupted_europepmc_fetch_resumes_from_the_last_cursor(tmp_path: Path) -> None:
    data = epmc_results(10)
    with FakeService(FakeState(epmc_results=data, fail_after={"search": 2})) as service, pytest.raises(SearchError):
        _seal(EuropePmcSearch(query="q", base_url=service.url, http=_http(), page_size=3), tmp_path, EPMC)
    second = FakeState(epmc_results=data)
    with FakeService(second) as service:
        folder = _seal(EuropePmcSearch(query="q", base_url=service.url, http=_http(), page_size=3), tmp_path, EPMC)
    assert "*" not in [c["cursorMark"] for c in second.calls("search")]
    assert len(second.calls("search")) == 2
    assert len(read_snapshot_records([folder / MANIFEST], EPMC)) == 10


def test_europepmc_with_no_hits_gives_an_empty_snapshot(tmp_path: Path) -> None:
    with FakeService(FakeState()) as service:
        folder = _seal(EuropePmcSearch(query="q", base_url=service.url, http=_http()), tmp_path, EPMC)
    assert read_snapshot_records([folder / MANIFEST], EPMC) == []


def test_more_records_on_one_day_than_esearch_lists_is_a_clear_error(tmp_path: Path) -> None:
    same_day = [Article(str(28000001 + i), "2005/06/15") for i in range(4)]
    with FakeService(FakeState(articles=same_day, esearch_limit=3)) as service:
        with pytest.raises(SearchError, match="single publication date 2005/06/15"):
            _seal(_pubmed(service.url, slice_limit=3), tmp_path, SOURCE)
