"""Ranking benchmark: litsieve's ranker against ASReview LAB's default model, same data, same seeds.

Usage (``make bench`` runs the first form)::

    python benchmarks/ranking.py [--seeds 1 2 3] [--bench-python .venv-bench/bin/python]
    .venv-bench/bin/python benchmarks/ranking.py --asreview-worker DATA.csv --priors I J -o ORDER.csv

The first form prepares the benchmark subsets of ../shared/bench/screening (see its
PROVENANCE.md), runs ``litsieve simulate`` for every data set and seed, runs ASReview's
default model ("ELAS u4") with the same two prior records in the benchmark's own
environment (the second form, executed by that environment's Python), and prints one
table. Priors are not counted in any measure. ASReview stops once the last relevant
record is found; records after that do not change any measure.
"""

from __future__ import annotations

import argparse
import csv
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


def prepare(name: str) -> Path:
    """Write the benchmark subset as CSV (record_id = row number from 0, so ASReview's row index = id)."""
    import pandas as pd

    OUT.joinpath("data").mkdir(parents=True, exist_ok=True)
    target = OUT / "data" / f"{name}.csv"
    if name == "PTSD":
        frame = pd.read_csv(SCREENING / "van_de_Schoot_2017_PTSD.csv.gz")
        frame = frame[frame["duplicate_record_id"].isna()]
        frame = frame[frame["abstract"].fillna("").str.strip() != ""]
        frame = frame.drop_duplicates("abstract")
    elif name == "ACE":
        frame = pd.read_csv(SCREENING / "Ferdinands_ace_Cohen2006_ACEInhibitors.csv.gz")
    else:
        raise ValueError(name)
    frame = frame.reset_index(drop=True)
    columns = [c for c in ("title", "abstract", "keywords") if c in frame.columns]
    subset = frame[columns].copy()
    subset.insert(0, "record_id", range(len(frame)))
    subset[LABEL] = frame[LABEL].astype(int)
    subset.to_csv(target, index=False)
    return target


def read_order(path: Path) -> tuple[list[str], list[int]]:
    with open(path, newline="", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    return [r["record_id"] for r in rows], [int(r["label"]) for r in rows]


def run_litsieve(data: Path, seed: int) -> tuple[list[str], list[int], float]:
    order = OUT / "orders" / f"litsieve-{data.stem}-{seed}.csv"
    order.parent.mkdir(parents=True, exist_ok=True)
    started = time.perf_counter()
    subprocess.run([sys.executable, "-m", "litsieve.cli", "simulate", str(data), "--label-column", LABEL,
                    "--seed", str(seed), "-o", str(order)], check=True, stderr=subprocess.DEVNULL)
    ids, labels = read_order(order)
    return ids, labels, time.perf_counter() - started


def run_asreview(bench_python: str, data: Path, priors: list[str], seed: int) -> tuple[list[str], list[int], float]:
    order = OUT / "orders" / f"asreview-{data.stem}-{seed}.csv"
    started = time.perf_counter()
    # cwd: importing asreview leaves a synergy_cache.sqlite in the working folder
    subprocess.run([bench_python, str(Path(__file__).resolve()), "--asreview-worker", str(data.resolve()),
                    "--priors", *priors, "--seed", str(seed), "-o", str(order.resolve())], check=True, cwd=OUT)
    ids, labels = read_order(order)
    return ids, labels, time.perf_counter() - started


def asreview_worker(data: Path, priors: list[int], seed: int, output: Path) -> None:
    """Runs inside the benchmark environment: ASReview's default cycle, exactly as `asreview simulate` builds it."""
    import numpy as np
    import pandas as pd
    from asreview.learner import ActiveLearningCycle
    from asreview.models.models import get_ai_config
    from asreview.simulation.simulate import Simulate

    np.random.seed(seed)
    frame = pd.read_csv(data)
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


def measures(labels: list[int], total: int) -> dict[str, float]:
    from litsieve.ranking.metrics import ranking_metrics

    padded = labels + [0] * (total - len(labels))  # ASReview stops at the last relevant record
    found = ranking_metrics(padded[2:])
    return {"WSS@95": found.wss95, "WSS@100": found.wss100, "RRF@10": found.rrf10, "ATD": found.atd,
            "n@95": found.screened_for_95}


def queue_speed(size: int = 10_000) -> None:
    """Time one retrain of the real queue (``order_queue``) on ``size`` records of real abstracts."""
    import pandas as pd

    from litsieve.ranking import order_queue
    from litsieve.record import Record

    frames = [pd.read_csv(OUT / "data" / f"{name}.csv") for name in ("PTSD", "ACE")]
    texts = [(str(t), str(a)) for frame in frames for t, a in zip(frame["title"].fillna(""), frame["abstract"].fillna(""))]
    records = [Record(record_id=f"r{i:05d}", title=texts[i % len(texts)][0], abstract=texts[i % len(texts)][1])
               for i in range(size)]
    labels = {f"r{i:05d}": int(i % 40 == 0) for i in range(400)}
    wall, cpu = time.perf_counter(), time.process_time()
    order_queue(records, {}, labels)
    print(f"order_queue on {size} records (400 decided): {time.perf_counter() - wall:.1f} s wall, "
          f"{time.process_time() - cpu:.1f} s CPU")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--seeds", type=int, nargs="+", default=[1, 2, 3])
    parser.add_argument("--datasets", nargs="+", default=["PTSD", "ACE"])
    parser.add_argument("--bench-python", default=str(REPO / ".venv-bench" / "bin" / "python"))
    parser.add_argument("--asreview-worker", type=Path, metavar="DATA.csv")
    parser.add_argument("--priors", nargs="+")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("-o", "--output", type=Path)
    args = parser.parse_args()
    if args.asreview_worker:
        asreview_worker(args.asreview_worker, [int(p) for p in args.priors], args.seed, args.output)
        return 0
    if not SCREENING.exists():
        print(f"ranking benchmark: {SCREENING} not found (set LITSIEVE_SHARED)", file=sys.stderr)
        return 1

    from litsieve.ranking.simulate import read_simulation_data

    print(f"ranking benchmark on {machine()}")
    print(f"{'data':6} {'tool':22} {'seed':>4} {'WSS@95':>7} {'WSS@100':>7} {'RRF@10':>7} {'ATD':>6} {'n@95':>5} {'time s':>7}")
    failures = []
    for name in args.datasets:
        data = prepare(name)
        total = len(read_simulation_data(data, LABEL).record_ids)
        per_tool: dict[str, list[dict[str, float]]] = {"litsieve": [], "asreview elas_u4": []}
        for seed in args.seeds:
            ids, labels, seconds = run_litsieve(data, seed)
            runs = [("litsieve", labels, seconds)]
            _, asr_labels, asr_seconds = run_asreview(args.bench_python, data, ids[:2], seed)
            runs.append(("asreview elas_u4", asr_labels, asr_seconds))
            for tool, tool_labels, took in runs:
                found = measures(tool_labels, total)
                per_tool[tool].append(found)
                print(f"{name:6} {tool:22} {seed:>4} {found['WSS@95']:7.1f} {found['WSS@100']:7.1f} "
                      f"{found['RRF@10']:7.1f} {found['ATD']:6.1f} {found['n@95']:5.0f} {took:7.1f}", flush=True)
        means = {tool: {k: statistics.mean(r[k] for r in rows) for k in rows[0]} for tool, rows in per_tool.items()}
        for tool, found in means.items():
            print(f"{name:6} {tool:22} {'mean':>4} {found['WSS@95']:7.2f} {found['WSS@100']:7.1f} "
                  f"{found['RRF@10']:7.1f} {found['ATD']:6.1f} {found['n@95']:5.0f}")
        if means["litsieve"]["WSS@95"] < means["asreview elas_u4"]["WSS@95"]:
            failures.append(name)
    queue_speed()
    if failures:
        print(f"BAR NOT MET: mean WSS@95 below ASReview's default on {', '.join(failures)}")
        return 1
    print("bar met: mean WSS@95 >= ASReview's default on every data set")
    return 0


if __name__ == "__main__":
    sys.exit(main())
