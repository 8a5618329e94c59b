"""Screening page benchmark: a 10,000-record queue, first page and decision round trips.

Usage (``make bench`` runs it)::

    python benchmarks/serve.py [--records 10000] [--decisions 40]

Builds a synthetic review (10,000 records with abstracts of about 1,300 characters, so the
queue file is about 17 MB), writes the queue with the workflow's own stage function, then
starts the real application on waitress in this process and talks to it over HTTP:

- *start*: building the session (reading the queue file, the pool and the suggestions);
- *first page*: the first ``GET /`` after start, before the ranker's features are ready;
- *round trip*: ``POST /decide`` and the redirect to the next record, as the browser does
  it: the decision written into the 17 MB file (atomic, fsync), the order log, the
  re-ranking when the schedule says so, and the next record's page. Measured early in a
  review (re-ranked after every decision, as for the first 100) and later (after 1,000
  decisions, re-ranked every 20).

Targets (issue 15): first page under 1 s, round trip under 200 ms on two cores.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path

from machine import machine

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
sys.path.insert(0, str(REPO / "src"))

WORDS = ("study trial group patients service users adults recovery outcomes qualitative interviews "
         "participants community programme intervention support care clinical health services "
         "evaluation randomised controlled effect wellbeing quality life social inclusion staff "
         "workers hospital ward discharge follow months baseline measures scale symptoms").split()
TOPIC = ("peer support", "mental health", "peer workers", "serious mental illness", "open dialogue")
OFF_TOPIC = ("diabetes", "school children", "online forum", "police officers", "cancer")


def synthetic_records(n: int, seed: int = 1) -> tuple[list, list[dict[str, str]], set[str]]:
    """Records, their suggestions, and which are relevant (the synthetic screener's answers)."""
    from litsieve.record import Record

    rng = random.Random(seed)
    records, suggestions, relevant = [], [], set()
    for i in range(n):
        on_topic = rng.random() < 0.05
        phrases = TOPIC if on_topic else OFF_TOPIC
        words = [rng.choice(WORDS) for _ in range(190)]
        for _ in range(4):
            words.insert(rng.randrange(len(words)), rng.choice(phrases))
        record_id = f"pubmed:{10_000_000 + i}"
        records.append(Record(
            record_id=record_id, source="pubmed", title=" ".join(rng.choice(WORDS) for _ in range(10)).capitalize()
            + f" {rng.choice(phrases)}", abstract=" ".join(words).capitalize() + ".",
            authors=["Smith, Ann", "Jones, Bo", "Lee, Chi"], year=1990 + i % 28, journal="Psychiatric Services",
            doi=f"10.1000/{i}", pmid=str(10_000_000 + i), keywords=[rng.choice(phrases), rng.choice(WORDS)]))
        suggestion = "include" if on_topic and rng.random() < 0.8 else rng.choice(("unsure", "exclude", "exclude"))
        suggestions.append({"record_id": record_id, "suggestion": suggestion, "criteria": "peer_support",
                            "evidence": f"peer_support: (abstract) …a [{phrases[0]}] group…"})
        if on_topic:
            relevant.add(record_id)
    return records, suggestions, relevant


def build_review(root: Path, n: int) -> tuple[object, set[str]]:
    from litsieve.fileio import write_csv
    from litsieve.protocol import parse_protocol
    from litsieve.records_io import write_records
    from litsieve.screening.stages import screen_title_abstract

    import yaml

    mapping = yaml.safe_load((REPO / "tests/data/protocols/demo.yaml").read_text(encoding="utf-8"))
    mapping["screeners"] = {"title_abstract": ["ana"], "full_text": ["ana"], "maybe": "include"}
    protocol = parse_protocol(mapping)
    records, suggestions, relevant = synthetic_records(n)
    results = root / "results" / "screening"
    write_records(results / "pool.csv", records)
    write_csv(results / "suggestions.csv", suggestions, ["record_id", "suggestion", "criteria", "evidence"])
    screen_title_abstract(results / "pool.csv", results / "suggestions.csv", results / "title_abstract.csv",
                          screeners=["ana"], maybe="include", criteria=protocol.criteria, ranked=True,
                          people="screening", root=root)
    return protocol, relevant


def pre_decide(root: Path, protocol: object, relevant: set[str], count: int) -> None:
    """``count`` decisions typed in the spreadsheet (half from the top of the queue, half from
    its bottom, so both includes and excludes exist), then a workflow run."""
    from litsieve.personfile import merge_person_cells, read_snapshot
    from litsieve.screening.queue import queue_spec
    from litsieve.screening.stages import screen_title_abstract

    spec = queue_spec("title_abstract", "ana", protocol.criteria)  # type: ignore[attr-defined]
    people = root / "screening"
    snapshot = read_snapshot(spec.path(people), spec)
    rows = snapshot.table.rows
    keys = [row.key for row in rows[: count // 2]] + [row.key for row in rows[len(rows) - (count - count // 2):]]
    merge_person_cells(people, spec, {k: {"decision": "include" if k in relevant else "exclude"} for k in keys},
                       snapshot)
    results = root / "results" / "screening"
    screen_title_abstract(results / "pool.csv", results / "suggestions.csv", results / "title_abstract.csv",
                          screeners=["ana"], maybe="include", criteria=protocol.criteria, ranked=True,  # type: ignore[attr-defined]
                          people="screening", root=root)


def serve(root: Path, protocol: object):
    import requests
    from waitress import create_server

    from litsieve.serve.app import create_app
    from litsieve.serve.session import ScreeningSession

    started = time.perf_counter()
    session = ScreeningSession(root, protocol, "title_abstract", "ana")  # type: ignore[arg-type]
    load = time.perf_counter() - started
    token = "bench"
    holder: list = []
    server = create_server(lambda e, s: holder[0](e, s), host="127.0.0.1", port=0, threads=4)
    port = int(server.effective_port)  # type: ignore[union-attr]
    holder.append(create_app(session, token=token, port=port))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    session.start()
    http = requests.Session()
    base = f"http://127.0.0.1:{port}"
    started = time.perf_counter()
    first = http.get(f"{base}/?token={token}", timeout=30)
    first_page = time.perf_counter() - started
    assert first.status_code == 200, first.status_code
    return session, server, http, base, load, first_page


def round_trips(session, http, base: str, relevant: set[str], decisions: int) -> tuple[list[float], int]:
    import re

    html = http.get(f"{base}/", timeout=30).text
    csrf = re.search(r'name="csrf" value="([^"]+)"', html).group(1)
    times, retrains = [], session._ranking.trainings
    for _ in range(decisions):
        key = re.search(r'name="id" value="([^"]+)"', html).group(1)
        started = time.perf_counter()
        response = http.post(f"{base}/decide", timeout=30, headers={"Origin": base},
                             data={"id": key, "decision": "include" if key in relevant else "exclude", "csrf": csrf})
        times.append(time.perf_counter() - started)
        assert response.status_code == 200 and "Saved to your file" in response.text, response.status_code
        html = response.text
    return times, session._ranking.trainings - retrains


def summary(times: list[float]) -> str:
    ordered = sorted(times)
    p95 = ordered[min(len(ordered) - 1, int(round(0.95 * (len(ordered) - 1))))]
    return (f"median {statistics.median(times) * 1000:.0f} ms, p95 {p95 * 1000:.0f} ms, "
            f"max {max(times) * 1000:.0f} ms")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--records", type=int, default=10_000)
    parser.add_argument("--decisions", type=int, default=40)
    args = parser.parse_args()
    load_before = os.getloadavg()[0]
    print(f"machine: {machine()}; load average {load_before:.1f} at start"
          + (" (shared: contended timings)" if load_before > 1.5 else ""))
    with tempfile.TemporaryDirectory(prefix="litsieve-serve-bench-") as folder:
        root = Path(folder)
        protocol, relevant = build_review(root, args.records)
        queue = root / "screening/title_abstract/ana.csv"
        print(f"queue: {args.records} records, {queue.stat().st_size / 1e6:.1f} MB")
        for label, decided in (("early (re-ranked after every decision)", 10), ("later (1,000 decided)", 1000)):
            pre_decide(root, protocol, relevant, decided)
            session, server, http, base, load, first_page = serve(root, protocol)
            assert session.wait_ready(120)
            times, retrains = round_trips(session, http, base, relevant, args.decisions)
            print(f"{label}: start {load:.2f} s; first page {first_page * 1000:.0f} ms; "
                  f"round trip over {len(times)} decisions: {summary(times)} ({retrains} re-rankings)")
            session.stop()  # the server thread is a daemon: it ends with this process
    print(f"load average {os.getloadavg()[0]:.1f} at end")
    return 0


if __name__ == "__main__":
    sys.exit(main())
