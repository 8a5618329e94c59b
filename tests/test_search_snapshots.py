"""Refreshing live sources into sealed snapshots, secrets kept out, and offline reads."""

from __future__ import annotations

import json
import logging
from pathlib import Path

import pytest

from fake_services import FakeService, FakeState, articles, epmc_results
from litsieve.cli import main
from protocols import demo_mapping, protocol, source_entry
from litsieve.errors import SearchError
from litsieve.search.refresh import refresh_source
from litsieve.search.snapshot import (
    MANIFEST,
    read_snapshot_records,
    select_snapshot,
    snapshot_input_files,
)

REPO = Path(__file__).resolve().parents[1]
KEY = "PLANTEDKEYfeedface0123456789"
EMAIL = "planted.reviewer@example.org"
LIVE_ENTRY = {"name": "pubmed_live", "database": "pubmed", "platform": "pubmed", "method": "live"}
EPMC_ENTRY = {"name": "epmc_live", "database": "europepmc", "platform": "europepmc", "method": "live"}
LIVE, EPMC = source_entry(**LIVE_ENTRY), source_entry(**EPMC_ENTRY)


def _mapping(tmp_path: Path) -> dict:
    config = demo_mapping()
    config["sources"] = [dict(LIVE_ENTRY), dict(EPMC_ENTRY)]
    config["paths"]["snapshots"] = str(tmp_path / "snapshots")
    config["search"]["live"] = dict(backoff=0.001, backoff_max=0.01, jitter=0.0, timeout=2.0,
                                    batch_size=3, page_size=4, slice_limit=6)
    return config


def _config(tmp_path: Path):
    return protocol(_mapping(tmp_path))


def _everything_written(folder: Path) -> bytes:
    return b"".join(p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file())


def test_refresh_seals_snapshots_and_never_writes_the_key_or_email(
        tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG, logger="litsieve")
    config = _config(tmp_path)
    state = FakeState(articles=articles(15, first_pmid=27000001), epmc_results=epmc_results(9), esearch_limit=6)
    with FakeService(state) as service:
        env = {"NCBI_API_KEY": KEY, "NCBI_EMAIL": EMAIL, "LITSIEVE_EUTILS_URL": service.url,
               "LITSIEVE_EUROPEPMC_URL": service.url}
        pubmed_folder = refresh_source(config, config.sources[0], env=env, sleep=lambda s: None)
        epmc_folder = refresh_source(config, config.sources[1], env=env, sleep=lambda s: None)
    # The key and e-mail were sent to NCBI (in POST bodies, not URLs) ...
    assert all(call["api_key"] == KEY and call["email"] == EMAIL for call in state.calls("esearch"))
    assert all(KEY not in raw.split("?")[0] for _, _, raw in state.requests)
    # ... and appear in no snapshot file and no log line.
    for text in (_everything_written(tmp_path / "snapshots"), caplog.text.encode()):
        assert KEY.encode() not in text and EMAIL.encode() not in text
        assert b"planted.reviewer%40example.org" not in text
    manifest = json.loads((pubmed_folder / MANIFEST).read_text())
    assert manifest["parameters"]["api_key_used"] is True
    assert manifest["query"].startswith('(("peer support"[tiab]')
    assert manifest["count_reported"] == manifest["records"] == 15
    assert manifest["litsieve_version"] and manifest["started_at"].endswith("Z")
    assert pubmed_folder.name == manifest["date"]
    assert set(manifest["files"]) == {p.name for p in pubmed_folder.iterdir() if p.name != MANIFEST}
    epmc_manifest = json.loads((epmc_folder / MANIFEST).read_text())
    assert 'PUB_YEAR:[1990 TO 2017]' in epmc_manifest["query"]
    assert epmc_manifest["records"] == 9


def test_read_checks_checksums_and_the_pinned_date(tmp_path: Path) -> None:
    config = _config(tmp_path)
    with FakeService(FakeState(epmc_results=epmc_results(5))) as service:
        folder = refresh_source(config, EPMC, env={"LITSIEVE_EUROPEPMC_URL": service.url}, sleep=lambda s: None)
    root = config.paths.snapshots
    files = snapshot_input_files(root, EPMC)
    assert files[0].endswith(MANIFEST) and len(files) == 1 + len(list(folder.glob("page-*.json")))
    assert len(read_snapshot_records(files, EPMC)) == 5
    page = next(folder.glob("page-*.json"))
    page.write_bytes(page.read_bytes().replace(b"Peer support", b"Peer suppork"))
    with pytest.raises(SearchError, match="checksum differs") as caught:
        read_snapshot_records(files, EPMC)
    assert caught.value.location.file == str(page)
    with pytest.raises(SearchError, match="pins snapshot 1999-01-01"):
        select_snapshot(root, EPMC._replace(snapshot="1999-01-01"))
    with pytest.raises(SearchError, match=r"litsieve search refresh --source other"):
        select_snapshot(root, EPMC._replace(name="other"))


def test_a_second_refresh_on_the_same_day_needs_replace(tmp_path: Path) -> None:
    config = _config(tmp_path)
    with FakeService(FakeState(epmc_results=epmc_results(2))) as service:
        env = {"LITSIEVE_EUROPEPMC_URL": service.url}
        refresh_source(config, EPMC, env=env, sleep=lambda s: None)
        with pytest.raises(SearchError, match="--replace"):
            refresh_source(config, EPMC, env=env, sleep=lambda s: None)
        assert refresh_source(config, EPMC, env=env, replace=True, sleep=lambda s: None).is_dir()


def test_search_cli_refresh_show_and_strings(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                             capsys: pytest.CaptureFixture[str]) -> None:
    config_path = tmp_path / "config.yaml"
    import yaml

    config_path.write_text(yaml.safe_dump(_mapping(tmp_path)), encoding="utf-8")
    with FakeService(FakeState(articles=articles(4), epmc_results=epmc_results(3))) as service:
        monkeypatch.setenv("LITSIEVE_EUTILS_URL", service.url)
        monkeypatch.setenv("LITSIEVE_EUROPEPMC_URL", service.url)
        monkeypatch.setenv("NCBI_API_KEY", KEY)
        assert main(["search", "refresh", "--config", str(config_path), "--source", "pubmed_live"]) == 0
    out = capsys.readouterr()
    assert "pubmed_live: 4 records (reported 4)" in out.out
    assert KEY not in out.out + out.err
    assert main(["search", "show", "--config", str(config_path)]) == 1  # epmc_live has no snapshot yet
    shown = capsys.readouterr().out
    assert "checksums ok" in shown and "litsieve search refresh --source epmc_live" in shown
    assert main(["search", "strings", "--config", str(config_path), "--to", "ovid"]) == 0
    assert 'limit 8 to (english language and yr="1990 - 2017")' in capsys.readouterr().out
    assert main(["search", "refresh", "--config", str(config_path), "--source", "nope"]) == 2


def test_base_url_precedence_environment_then_protocol_then_public_service() -> None:
    from litsieve.search.refresh import base_url

    mirror = LIVE._replace(base_url="https://mirror.example.org/eutils")
    assert base_url(LIVE, {}) == "https://eutils.ncbi.nlm.nih.gov/entrez/eutils"
    assert base_url(mirror, {}) == "https://mirror.example.org/eutils"
    assert base_url(mirror, {"LITSIEVE_EUTILS_URL": "http://127.0.0.1:9"}) == "http://127.0.0.1:9"
    assert base_url(EPMC, {"LITSIEVE_EUTILS_URL": "http://127.0.0.1:9"}).startswith("https://www.ebi.ac.uk/")


MAINTENANCE = f"<html><body><h1>Down for maintenance</h1><p>api_key={KEY}</p></body></html>".encode()


@pytest.mark.parametrize("body", [MAINTENANCE, b"", b'<?xml version="1.0"?><eSearchResult><Count>15'])
def test_a_bad_first_answer_is_not_kept_and_the_next_refresh_fetches_again(tmp_path: Path, body: bytes) -> None:
    """Issue 16.4: a 200 maintenance page, cut XML or empty body was kept in .partial/ before it was
    checked, so every later refresh failed the same way without sending a request."""
    from fake_services import Fault

    config = _config(tmp_path)
    state = FakeState(articles=articles(5, first_pmid=27000001))
    state.faults.append(Fault("esearch", "body", body=body))
    with FakeService(state) as service:
        env = {"NCBI_API_KEY": KEY, "LITSIEVE_EUTILS_URL": service.url}
        with pytest.raises(SearchError) as caught:
            refresh_source(config, config.sources[0], env=env, sleep=lambda s: None)
        message = str(caught.value)
        assert "rerun `litsieve search refresh` later" in message and "nothing of this answer was kept" in message
        assert KEY not in message
        partial = tmp_path / "snapshots" / "pubmed_live" / ".partial"
        assert [p.name for p in partial.iterdir()] == ["state.json"]
        sent = len(state.requests)
        folder = refresh_source(config, config.sources[0], env=env, sleep=lambda s: None)
        assert len(state.requests) > sent
    assert json.loads((folder / MANIFEST).read_text())["records"] == 5


def test_an_unusable_answer_kept_by_an_older_version_is_fetched_again(tmp_path: Path) -> None:
    """Issue 16.4: resuming from a poisoned .partial/ folder (left before answers were checked)."""
    from litsieve.search.refresh import refresh_source as refresh

    config = _config(tmp_path)
    state = FakeState(articles=articles(5, first_pmid=27000001), epmc_results=epmc_results(9),
                      fail_after={"efetch": 0, "search": 1})
    with FakeService(state) as service:
        env = {"LITSIEVE_EUTILS_URL": service.url, "LITSIEVE_EUROPEPMC_URL": service.url}
        for source in config.sources:
            with pytest.raises(SearchError):
                refresh(config, source, env=env, sleep=lambda s: None)
        pubmed_partial = tmp_path / "snapshots" / "pubmed_live" / ".partial"
        (pubmed_partial / "slice-001-esearch.xml").write_bytes(MAINTENANCE)
        epmc_partial = tmp_path / "snapshots" / "epmc_live" / ".partial"
        (epmc_partial / "page-00001.json").write_bytes(b"")
        state.fail_after.clear()
        for source in config.sources:
            folder = refresh(config, source, env=env, sleep=lambda s: None)
            assert json.loads((folder / MANIFEST).read_text())["records"] in (5, 9)


def test_an_answer_that_echoes_the_key_is_kept_without_it(tmp_path: Path) -> None:
    """Issue 16.4: a key echoed in an answer must not stay on disk."""
    from fake_services import ESEARCH_HEAD, Fault

    config = _config(tmp_path)
    state = FakeState(articles=articles(5, first_pmid=27000001))
    echo = (ESEARCH_HEAD + f"<eSearchResult><Count>5</Count><RetMax>0</RetMax><RetStart>0</RetStart><IdList/>"
            f"<TranslationSet/><QueryTranslation>x api_key={KEY}</QueryTranslation></eSearchResult>\n").encode()
    state.faults.append(Fault("esearch", "body", body=echo))
    with FakeService(state) as service:
        env = {"NCBI_API_KEY": KEY, "NCBI_EMAIL": EMAIL, "LITSIEVE_EUTILS_URL": service.url}
        folder = refresh_source(config, config.sources[0], env=env, sleep=lambda s: None)
    assert KEY.encode() not in _everything_written(folder)
    assert b"api_key=***" in (folder / "esearch-count.xml").read_bytes()


def test_two_refreshes_of_one_source_at_once_are_refused_clearly(tmp_path: Path) -> None:
    """Issue 16.2: two concurrent refreshes of one source crashed with FileNotFoundError."""
    from litsieve.search.refresh import refresh_lock

    config = _config(tmp_path)
    with refresh_lock(tmp_path / "snapshots" / "pubmed_live", "pubmed_live"):
        with pytest.raises(SearchError, match="another `litsieve search refresh` of source 'pubmed_live' is running"):
            refresh_source(config, config.sources[0], env={"LITSIEVE_EUTILS_URL": "http://127.0.0.1:9"},
                           sleep=lambda s: None)


def test_a_hit_count_that_changes_between_pages_is_said_in_the_snapshot_and_the_documentation(
        tmp_path: Path) -> None:
    """Issue 16.15: Europe PMC's hit count changing mid-fetch went unnoticed."""
    from litsieve.search.strategy import source_entry as strategy_entry

    config = _config(tmp_path)
    late = epmc_results(1, first_id=39000001)
    state = FakeState(epmc_results=epmc_results(9), epmc_indexed_later=(1, late))
    with FakeService(state) as service:
        folder = refresh_source(config, config.sources[1], env={"LITSIEVE_EUROPEPMC_URL": service.url},
                                sleep=lambda s: None)
    manifest = json.loads((folder / MANIFEST).read_text())
    assert manifest["count_reported"] == 9 and manifest["records"] == 10
    assert manifest["hit_count_changes"] == [{"page": 1, "hit_count": 9}, {"page": 2, "hit_count": 10}]
    records = tmp_path / "records.csv"
    from litsieve.records_io import write_records

    write_records(records, read_snapshot_records(snapshot_input_files(config.paths.snapshots, config.sources[1]),
                                                 config.sources[1]))
    entry = strategy_entry(config.search, config.sources[1], str(records), None, str(folder / MANIFEST))
    assert "hit count changed during the fetch (9 on page 1, 10 on page 2)" in entry["warning"]
