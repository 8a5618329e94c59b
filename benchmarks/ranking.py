"""Ranking benchmark: litsieve against ASReview LAB's default model, same data, same priors, same run.

Usage (``make bench`` runs the first form)::

    python benchmarks/ranking.py [--seeds 1 2 3] [--datasets NAME ...] [--bench-python PY]
    PY benchmarks/ranking.py --asreview-worker DATA.csv --priors I J --seed N -o ORDER.csv

The first form prepares the twelve reviews of ../shared/bench/screening (PTSD as the
5,031-record subset its PROVENANCE.md defines, the others whole), runs ``litsieve
simulate`` for every review and seed, runs ASReview's default model (ELAS u4) with the
same two prior records in the benchmark's own environment (the second form, executed by
that environment's Python), evaluates the stopping rules on litsieve's orders, times one
retrain of the queue on 10,000 records, and prints the tables docs/benchmarks.md shows.

Subsets for quick iteration: ``--datasets`` (or ``LITSIEVE_BENCH_DATASETS``, comma
separated) takes names or unique parts of names; ``--seeds`` (or ``LITSIEVE_BENCH_SEEDS``).
ASReview's orders are cached under benchmarks/out/ranking/asreview/, keyed by the data's
sha256, the seed, the priors and ASReview's version, so reruns only redo litsieve.
Priors are not counted in any measure. ASReview stops once the last relevant record is
found; records after that do not change any measure.
"""

from __future__ import annotations

import argparse
import csv
import hashlib
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

from machine import machine

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
SHARED = Path(os.environ.get("LITSIEVE_SHARED", REPO.parent / "shared"))
SCREENING = SHARED / "bench" / "screening"
OUT = HERE / "out" / "ranking"
LABEL = "label_included"
PTSD = "van_de_Schoot_2017_PTSD"


def dataset_names() -> list[str]:
    """Every labelled review in ../shared/bench/screening, by file stem."""
    return sorted(path.name.removesuffix(".csv.gz") for path in SCREENING.glob("*.csv.gz"))


def select(names: list[str], wanted: list[str]) -> list[str]:
    """The reviews named in ``wanted`` (whole names or a part that picks out one name)."""
    chosen = []
    for part in wanted:
        exact = [n for n in names if n == part]
        matches = exact or [n for n in names if part.lower() in n.lower()]
        if len(matches) != 1:
            raise SystemExit(f"--datasets {part!r} matches {matches or 'nothing'}; names are {', '.join(names)}")
        chosen.append(matches[0])
    return chosen


def prepare(name: str) -> Path:
    """Write the review as CSV (record_id = row number from 0, so ASReview's row index = id).

    PTSD is reduced to the 5,031-record subset of Ferdinands et al. (PROVENANCE.md): rows
    without ``duplicate_record_id``, non-empty and distinct abstracts. Every other file is
    used whole, records without an abstract included.
    """
    import pandas as pd

    OUT.joinpath("data").mkdir(parents=True, exist_ok=True)
    target = OUT / "data" / f"{name}.csv"
    frame = pd.read_csv(SCREENING / f"{name}.csv.gz")
    if name == PTSD:
        frame = frame[frame["duplicate_record_id"].isna()]
        frame = frame[frame["abstract"].fillna("").str.strip() != ""]
        frame = frame.drop_duplicates("abstract")
    frame = frame.reset_index(drop=True)
    columns = [c for c in ("title", "abstract", "keywords") if c in frame.columns]
    subset = frame[columns].fillna("").copy()
    subset.insert(0, "record_id", range(len(frame)))
    subset[LABEL] = frame[LABEL].astype(int)
    text = subset.to_csv(index=False, lineterminator="\n")
    if not target.exists() or target.read_text(encoding="utf-8") != text:
        target.write_text(text, encoding="utf-8")
    return target


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def read_order(path: Path) -> tuple[list[str], list[int], list[int]]:
    """record ids, labels and (litsieve only) trained_on of an order file."""
    with open(path, newline="", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    return ([r["record_id"] for r in rows], [int(r["label"]) for r in rows],
            [int(r.get("trained_on") or 0) for r in rows])


def draw_priors(data: Path, seed: int) -> list[str]:
    """The two priors ``litsieve simulate`` draws with ``seed`` (one relevant, one irrelevant)."""
    from litsieve.ranking.simulate import LabelOracle, read_simulation_data

    simulation = read_simulation_data(data, LABEL)
    return list(LabelOracle(simulation.labels).draw_priors(simulation.record_ids, seed))


def asreview_version(bench_python: str) -> str:
    OUT.mkdir(parents=True, exist_ok=True)
    result = subprocess.run([bench_python, "-c", "import asreview; print(asreview.__version__)"], check=True,
                            capture_output=True, text=True, cwd=OUT)
    return result.stdout.strip()


def run_asreview(bench_python: str, version: str, data: Path, priors: list[str], seed: int) -> tuple[list[int], float | None]:
    """ASReview's order for ``data`` and ``seed``, from the cache when this data, seed, priors and version ran before.

    Returns the labels in screening order and the wall time (None when cached).
    """
    cache = OUT / "asreview" / f"{data.stem}-{sha256(data)[:16]}-seed{seed}-priors{'-'.join(priors)}-asreview{version}.csv"
    seconds = None
    if not cache.exists():
        cache.parent.mkdir(parents=True, exist_ok=True)
        partial = cache.with_suffix(".partial")
        started = time.perf_counter()
        # cwd: importing asreview leaves a synergy_cache.sqlite in the working folder
        subprocess.run([bench_python, str(Path(__file__).resolve()), "--asreview-worker", str(data.resolve()),
                        "--priors", *priors, "--seed", str(seed), "-o", str(partial.resolve())], check=True, cwd=OUT)
        partial.replace(cache)
        seconds = time.perf_counter() - started
    return read_order(cache)[1], seconds


def asreview_worker(data: Path, priors: list[int], seed: int, output: Path) -> None:
    """Runs inside the benchmark environment: ASReview's default cycle, exactly as `asreview simulate` builds it."""
    import numpy as np
    import pandas as pd
    from asreview.learner import ActiveLearningCycle
    from asreview.models.models import get_ai_config
    from asreview.simulation.simulate import Simulate

    np.random.seed(seed)
    frame = pd.read_csv(data, keep_default_na=False)
    config = get_ai_config()
    cycle = ActiveLearningCycle.from_meta(config["value"])
    simulation = Simulate(frame[[c for c in ("title", "abstract") if c in frame.columns]], frame[LABEL].to_numpy(),
                          [cycle], print_progress=False)
    simulation.label(priors)
    simulation.review()
    results = simulation._results
    with open(output, "w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(["record_id", "label", "model"])
        for record_id, label in zip(results["record_id"], results["label"]):
            writer.writerow([int(record_id), int(label), config["name"]])


def run_litsieve(data: Path, seed: int) -> tuple[list[str], list[int], list[int], float]:
    """``litsieve simulate`` exactly as a user runs it: ids, labels and trained_on in screening order."""
    order = OUT / "orders" / f"litsieve-{data.stem}-{seed}.csv"
    order.parent.mkdir(parents=True, exist_ok=True)
    started = time.perf_counter()
    subprocess.run([sys.executable, "-m", "litsieve.cli", "simulate", str(data), "--label-column", LABEL,
                    "--seed", str(seed), "-o", str(order)], check=True, stderr=subprocess.DEVNULL)
    ids, labels, trained_on = read_order(order)
    return ids, labels, trained_on, time.perf_counter() - started


def measures(labels: list[int], total: int) -> dict[str, float]:
    from litsieve.ranking.metrics import ranking_metrics

    padded = labels + [0] * (total - len(labels))  # ASReview stops at the last relevant record
    found = ranking_metrics(padded[2:])
    return {"WSS@95": found.wss95, "WSS@100": found.wss100, "RRF@10": found.rrf10, "ATD": found.atd,
            "n@95": found.screened_for_95}


MEASURES = ("WSS@95", "WSS@100", "RRF@10", "ATD", "n@95")


def print_ranking_table(results: dict[tuple[str, str], list[dict[str, float]]], names: list[str]) -> list[str]:
    """Per review and tool: mean of each measure over the seeds; returns the reviews below the bar."""
    print("\n## Ranking (mean over seeds; WSS@95 per seed in brackets)")
    print("| review | tool | WSS@95 (seeds) | mean WSS@95 | WSS@100 | RRF@10 | ATD | n@95 |")
    print("|---|---|---|---:|---:|---:|---:|---:|")
    below = []
    overall: dict[str, list[float]] = {}
    for name in names:
        means = {}
        for tool in TOOLS:
            rows = results[(name, tool)]
            mean = {k: statistics.mean(r[k] for r in rows) for k in MEASURES}
            means[tool] = mean
            overall.setdefault(tool, []).append(mean["WSS@95"])
            seeds = " ".join(f"{r['WSS@95']:.1f}" for r in rows)
            print(f"| {name} | {tool} | {seeds} | {mean['WSS@95']:.2f} | {mean['WSS@100']:.1f} | "
                  f"{mean['RRF@10']:.1f} | {mean['ATD']:.1f} | {mean['n@95']:.1f} |", flush=True)
        if means[TOOLS[0]]["WSS@95"] < means[TOOLS[1]]["WSS@95"]:
            below.append(name)
    ours, theirs = (statistics.mean(overall[t]) for t in TOOLS)
    print(f"\nmean WSS@95 over {len(names)} reviews: litsieve {ours:.2f}, ASReview {theirs:.2f} "
          f"(difference {ours - theirs:+.2f}; the bar is +2.00)")
    margins = [a - b for a, b in zip(overall[TOOLS[0]], overall[TOOLS[1]])]
    print(f"smallest per-review margin {min(margins):+.2f} ({names[margins.index(min(margins))]})")
    if ours - theirs < 2:
        below.append("overall mean")
    return below


TOOLS = ("litsieve", "ASReview 3.0.8 ELAS u4")


def queue_speed(size: int = 10_000) -> None:
    """Time the queue's ranking on ``size`` records of real abstracts (every review's texts, repeated).

    Three figures: building the features (once per record set: a workflow run, or once per
    server process), one retrain on 400 decisions with the features built (what a server
    does after each decision), and ``order_queue`` from scratch (what a workflow run does).
    """
    import pandas as pd

    from litsieve.ranking import Ranker, order_queue
    from litsieve.record import Record

    texts = []
    for path in sorted((OUT / "data").glob("*.csv")):
        frame = pd.read_csv(path, keep_default_na=False)
        texts += list(zip(frame["title"], frame["abstract"]))
    records = [Record(record_id=f"r{i:05d}", title=texts[i % len(texts)][0], abstract=texts[i % len(texts)][1])
               for i in range(size)]
    labels = {f"r{i:05d}": int(i % 40 == 0) for i in range(400)}
    print(f"\n## Retraining on {size} records (400 decided), {os.cpu_count()} CPUs, load average "
          f"{os.getloadavg()[0]:.1f}")
    wall, cpu = time.perf_counter(), time.process_time()
    ranker = Ranker.from_records(records, {})
    ranker.features  # noqa: B018 - built on first use
    print(f"features (once per record set): {time.perf_counter() - wall:.2f} s wall, "
          f"{time.process_time() - cpu:.2f} s CPU")
    wall, cpu = time.perf_counter(), time.process_time()
    ranker.order(labels)
    print(f"one retrain with the features built (a server, after each decision): "
          f"{time.perf_counter() - wall:.2f} s wall, {time.process_time() - cpu:.2f} s CPU")
    wall, cpu = time.perf_counter(), time.process_time()
    order_queue(records, {}, labels)
    print(f"order_queue from scratch (a workflow run): {time.perf_counter() - wall:.2f} s wall, "
          f"{time.process_time() - cpu:.2f} s CPU")


def env_list(name: str) -> list[str]:
    return [part.strip() for part in os.environ.get(name, "").split(",") if part.strip()]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--seeds", type=int, nargs="+",
                        default=[int(s) for s in env_list("LITSIEVE_BENCH_SEEDS")] or [1, 2, 3])
    parser.add_argument("--datasets", nargs="+", default=env_list("LITSIEVE_BENCH_DATASETS"),
                        help="reviews to run (names or unique parts of names; default: all)")
    parser.add_argument("--bench-python", default=str(HERE / "out" / "venv-asreview" / "bin" / "python"))
    parser.add_argument("--skip-timing", action="store_true", help="leave out the 10,000-record timing")
    parser.add_argument("--check-bar", action="store_true",
                        help="exit 1 when the bar is not met (by default the verdict is printed and the "
                             "other benchmarks of `make bench` still run)")
    args = parser.parse_args()
    if not SCREENING.exists():
        print(f"ranking benchmark: {SCREENING} not found (set LITSIEVE_SHARED)", file=sys.stderr)
        return 1
    from stopping_rules import RULES, print_stopping_table, stopping_runs

    names = select(dataset_names(), args.datasets) if args.datasets else dataset_names()
    version = asreview_version(args.bench_python)
    print(f"ranking benchmark on {machine()}, load average {os.getloadavg()[0]:.1f}; ASReview {version}; "
          f"seeds {' '.join(map(str, args.seeds))}")
    print(f"{'review':42} {'tool':24} {'seed':>4} {'WSS@95':>7} {'WSS@100':>7} {'RRF@10':>7} {'ATD':>6} {'n@95':>5} {'s':>6}")
    results: dict[tuple[str, str], list[dict[str, float]]] = {}
    stops: list[dict[str, object]] = []
    for name in names:
        data = prepare(name)
        for seed in args.seeds:
            ids, labels, trained_on, seconds = run_litsieve(data, seed)
            asr_labels, asr_seconds = run_asreview(args.bench_python, version, data, ids[:2], seed)
            for tool, tool_labels, took in ((TOOLS[0], labels, seconds), (TOOLS[1], asr_labels, asr_seconds)):
                found = measures(tool_labels, len(labels))
                results.setdefault((name, tool), []).append(found)
                shown = "cached" if took is None else f"{took:6.1f}"
                print(f"{name:42} {tool:24} {seed:>4} {found['WSS@95']:7.1f} {found['WSS@100']:7.1f} "
                      f"{found['RRF@10']:7.1f} {found['ATD']:6.1f} {found['n@95']:5.0f} {shown:>6}", flush=True)
            stops += stopping_runs(name, seed, labels, trained_on)
    below = print_ranking_table(results, names)
    print_stopping_table(stops, RULES)
    if not args.skip_timing:
        queue_speed()
    if below:
        print(f"BAR NOT MET: {', '.join(below)}")
        return 1 if args.check_bar else 0
    print("bar met: mean WSS@95 >= ASReview's default on every review, and the mean at least 2 points above it")
    return 0


def worker_main(argv: list[str]) -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--asreview-worker", type=Path, required=True)
    parser.add_argument("--priors", nargs=2, type=int, required=True)
    parser.add_argument("--seed", type=int, required=True)
    parser.add_argument("-o", "--output", type=Path, required=True)
    args = parser.parse_args(argv)
    asreview_worker(args.asreview_worker, args.priors, args.seed, args.output)


if __name__ == "__main__":
    if "--asreview-worker" in sys.argv:
        worker_main(sys.argv[1:])
        sys.exit(0)
    sys.exit(main())
