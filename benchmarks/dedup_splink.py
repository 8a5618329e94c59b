"""Splink (probabilistic record linkage, Fellegi-Sunter weights trained by EM) against litsieve's rules.

Run by ``make -C benchmarks splink``, or directly::

    .venv/bin/python benchmarks/dedup_splink.py [--splink-python benchmarks/out/venv-splink/bin/python]
        [--sizes 10000,100000] [--sets asysd_diabetes,...]

For every labelled set in ``<shared>/bench/dedup`` with duplicate groups (and the synthetic
sets of ``dedup.py`` at ``--sizes``), the records are normalised once by litsieve
(``features.py``: the same folded titles, surnames, journal words, page parsing and DOIs
the rules see), so that the two decision procedures are compared, not two normalisers.
Splink 5.0.0 (DuckDB in-process) then trains a model on that file alone, with no labels:
``u`` by random sampling, the prior by deterministic rules (same DOI; same title and
year), and ``m`` by expectation maximisation under two blocking rules (title start; volume
and first page), predicts on blocked pairs and clusters by connected components at a
match probability fixed beforehand (0.95; 0.5 and 0.99 are reported too, to show the
threshold is not what decides). ``litsieve dedup`` runs on the same file. Both are scored
by ``dedup.pair_scores`` (record-level pair precision, recall, F1 against ``dup_group``,
false merges), with each process's CPU time and peak memory (``wait4``).

The figures go to ``benchmarks/out/dedup_splink.{md,json}`` and docs/dedup.md
("Splink comparison"). This file is also Splink's runner inside its environment
(``--splink IN OUT``), so it imports neither litsieve nor Splink at the top.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import sys
import tempfile
from pathlib import Path
from typing import Mapping, Sequence

sys.path.insert(0, str(Path(__file__).resolve().parent))

import dedup as bench  # noqa: E402  (the labelled sets, the synthetic generator, the scoring)
from machine import machine  # noqa: E402

REPO = Path(__file__).resolve().parents[1]
THRESHOLDS = (0.5, 0.95, 0.99)
MAIN_THRESHOLD = 0.95
COLUMNS = ("unique_id", "title", "first_author", "year", "journal", "volume", "issue", "page", "doi")


# ----------------------------------------------------------------------------- litsieve side

def normalised(source: Path, out: Path) -> None:
    """Write litsieve's normalised fields of every record in ``source`` for Splink."""
    from litsieve.dedup.features import features_of
    from litsieve.dedup.workflow import load_inputs

    records = load_inputs([source])
    with open(out, "w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(COLUMNS)
        for i, record in enumerate(records):
            f = features_of(i, record)
            writer.writerow([f.record_id, f.title, f.authors[0] if f.authors else "",
                             "" if f.year is None else str(f.year), " ".join(f.journal), f.volume, f.issue,
                             f.page_start, f.doi])


def run_splink(splink_python: Path, source: Path, work: Path) -> tuple[dict[float, dict[str, str]], float, float, int]:
    """Splink in its own process: clusters per threshold, wall seconds, CPU seconds, peak RSS bytes."""
    prepared = work / f"{source.stem}.splink-in.csv"
    normalised(source, prepared)
    out = work / f"{source.stem}.splink-out.csv"
    command = [str(splink_python), str(Path(__file__).resolve()), "--splink", str(prepared), str(out)]
    seconds, peak = bench.timed(command)
    cpu = bench.CPU_SECONDS[" ".join(command)]
    with open(out, encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    clusters = {t: {row["unique_id"]: row[f"cluster_{t}"] for row in rows} for t in THRESHOLDS}
    return clusters, seconds, cpu, peak


def with_vetoes(source: Path, pairs_path: Path, threshold: float) -> dict[str, str]:
    """Splink's links at ``threshold``, clustered under litsieve's hard conflicts (errata, parts, DOIs...).

    The issue's design keeps the conservative vetoes as rules around a probabilistic
    score: a Splink link whose pair litsieve calls a hard conflict is dropped, and the
    union-find refuses joins that would put two conflicting records in one cluster.
    """
    from litsieve.dedup.cluster import METADATA, Link, cluster
    from litsieve.dedup.compare import compare
    from litsieve.dedup.features import features_of
    from litsieve.dedup.pipeline import field_weights
    from litsieve.dedup.workflow import load_inputs

    records = load_inputs([source])
    features = [features_of(i, r) for i, r in enumerate(records)]
    weights = field_weights(features)
    ids = [r.record_id for r in records]
    position = {rid: i for i, rid in enumerate(ids)}
    links = []
    with open(pairs_path, encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            p = float(row["p"])
            i, j = position[row["a"]], position[row["b"]]
            if p >= threshold and not compare(features[i], features[j], weights).conflict:
                links.append(Link(i, j, METADATA, p, "splink"))

    def conflict(i: int, j: int) -> str:
        result = compare(features[i], features[j], weights)
        return result.rule if result.conflict else ""

    clustering = cluster(len(records), links, ids, conflict, set())
    groups: dict[int, list[str]] = {}
    for index, root in enumerate(clustering.root):
        groups.setdefault(root, []).append(ids[index])
    return {rid: min(members) for members in groups.values() for rid in members}


def run_litsieve(source: Path, work: Path) -> tuple[dict[str, str], float, float, int]:
    clusters_path = work / f"{source.stem}.litsieve.csv"
    predicted, _, seconds, peak = bench.run_litsieve(source, clusters_path)  # record level: cluster_id
    cpu = next(v for k, v in bench.CPU_SECONDS.items() if k.endswith(str(clusters_path)))
    return predicted, seconds, cpu, peak


# ----------------------------------------------------------------------------- Splink side

def splink_worker(source: str, out: str) -> None:
    """Inside the Splink environment: train by EM on this file, predict, cluster, write clusters."""
    import logging

    import duckdb
    import splink.comparison_library as cl
    from splink import DuckDBAPI, Linker, SettingsCreator, block_on

    logging.getLogger("splink").setLevel(logging.WARNING)
    con = duckdb.connect()
    con.execute(f"CREATE TABLE records AS FROM read_csv('{source}', all_varchar = true, header = true)")
    for column in COLUMNS[1:]:
        con.execute(f"UPDATE records SET {column} = NULL WHERE {column} = ''")
    db_api = DuckDBAPI(con)
    table = db_api.register("records")

    def similarity(threshold: float) -> str:
        return (f"1 - levenshtein(title_l, title_r) / greatest(length(title_l), length(title_r)) >= {threshold}")

    title = cl.CustomComparison(output_column_name="title", comparison_levels=[
        {"sql_condition": "title_l IS NULL OR title_r IS NULL", "label_for_charts": "null", "is_null_level": True},
        {"sql_condition": "title_l = title_r", "label_for_charts": "exact"},
        {"sql_condition": similarity(0.95), "label_for_charts": ">= 0.95"},
        {"sql_condition": similarity(0.85), "label_for_charts": ">= 0.85"},
        {"sql_condition": similarity(0.7), "label_for_charts": ">= 0.7"},
        {"sql_condition": "ELSE", "label_for_charts": "else"},
    ])
    year = cl.CustomComparison(output_column_name="year", comparison_levels=[
        {"sql_condition": "year_l IS NULL OR year_r IS NULL", "label_for_charts": "null", "is_null_level": True},
        {"sql_condition": "year_l = year_r", "label_for_charts": "exact"},
        {"sql_condition": "abs(try_cast(year_l AS INTEGER) - try_cast(year_r AS INTEGER)) = 1",
         "label_for_charts": "one apart"},
        {"sql_condition": "ELSE", "label_for_charts": "else"},
    ])
    # Volume, issue and page are one place, not three independent witnesses: as separate
    # comparisons EM counts one supplement's abstracts as matching three times over.
    place = cl.CustomComparison(output_column_name="place", comparison_levels=[
        {"sql_condition": "(volume_l IS NULL OR volume_r IS NULL) AND (page_l IS NULL OR page_r IS NULL)",
         "label_for_charts": "null", "is_null_level": True},
        {"sql_condition": "volume_l = volume_r AND page_l = page_r AND coalesce(issue_l = issue_r, true)",
         "label_for_charts": "same volume, issue and page"},
        {"sql_condition": "page_l = page_r", "label_for_charts": "same page"},
        {"sql_condition": "volume_l = volume_r", "label_for_charts": "same volume, other page"},
        {"sql_condition": "ELSE", "label_for_charts": "else"},
    ])
    settings = SettingsCreator(
        link_type="dedupe_only",
        unique_id_column_name="unique_id",
        comparisons=[
            title,
            cl.JaroWinklerAtThresholds("first_author", [0.88]),
            year,
            cl.JaroWinklerAtThresholds("journal", [0.9]),
            place,
            cl.ExactMatch("doi"),
        ],
        blocking_rules_to_generate_predictions=[
            block_on("doi"),
            block_on("substr(title, 1, 24)"),
            block_on("substr(reverse(title), 1, 24)"),
            block_on("volume", "page"),
            block_on("first_author", "year"),
        ],
        retain_matching_columns=False,
    )
    linker = Linker(table, settings, log_level=logging.WARNING)
    linker.training.estimate_probability_two_random_records_match(
        [block_on("doi"), block_on("title", "year")], recall=0.7)
    linker.training.estimate_u_using_random_sampling(max_pairs=1e6, seed=1)
    linker.training.estimate_parameters_using_expectation_maximisation(block_on("substr(title, 1, 24)"))
    linker.training.estimate_parameters_using_expectation_maximisation(block_on("volume", "page"))
    linker.misc.save_model_to_json(out + ".model.json", overwrite=True)
    predictions = linker.inference.predict(threshold_match_probability=min(THRESHOLDS))
    ids = [row[0] for row in con.execute("SELECT unique_id FROM records").fetchall()]
    columns: dict[float, dict[str, str]] = {}
    for threshold in THRESHOLDS:
        clustered = linker.clustering.cluster_pairwise_predictions_at_threshold(
            predictions, threshold_match_probability=threshold)
        found = {str(u): str(c) for u, c in clustered.as_duckdbpyrelation().select("unique_id, cluster_id").fetchall()}
        columns[threshold] = found
    pairs = predictions.as_duckdbpyrelation().select("unique_id_l, unique_id_r, match_probability").fetchall()
    with open(out + ".pairs.csv", "w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["a", "b", "p"])
        writer.writerows(sorted((str(a), str(b), f"{p:.6f}") for a, b, p in pairs))
    with open(out, "w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["unique_id", *(f"cluster_{t}" for t in THRESHOLDS)])
        for unique_id in sorted(ids):
            writer.writerow([unique_id, *(columns[t].get(unique_id, unique_id) for t in THRESHOLDS)])


# ----------------------------------------------------------------------------- report

def render(results: Mapping[str, Mapping[str, object]]) -> str:
    lines = [f"Machine: {machine()}", "",
             "| set | records | tool | pair precision | pair recall | pair F1 | false-merge pairs (clusters) "
             "| CPU (s) | peak memory (MiB) |",
             "|---|---:|---|---:|---:|---:|---:|---:|---:|"]
    for name, entry in results.items():
        for tool, s in entry["tools"].items():  # type: ignore[union-attr]
            lines.append(f"| {name} | {entry['records']} | {tool} | {s['pair_precision']:.4f} | {s['pair_recall']:.4f} "
                         f"| {s['pair_f1']:.4f} | {s['false_merge_pairs']} ({s['clusters_with_false_merge']}) "
                         f"| {s['cpu_seconds']:.1f} | {s['peak_mb']:.0f} |")
    return "\n".join(lines) + "\n"


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--shared", type=Path, default=Path(os.environ.get("LITSIEVE_SHARED", REPO.parent / "shared")))
    parser.add_argument("--splink-python", type=Path, default=REPO / "benchmarks" / "out" / "venv-splink" / "bin" / "python")
    parser.add_argument("--out", type=Path, default=REPO / "benchmarks" / "out")
    parser.add_argument("--sets", default=",".join(bench.SETS[:4]))
    parser.add_argument("--sizes", default="10000")
    parser.add_argument("--splink", nargs=2, metavar=("IN", "OUT"), help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.splink:
        splink_worker(*args.splink)
        return 0
    if not args.splink_python.exists():
        print(f"no Splink environment at {args.splink_python} (make -C benchmarks splink)", file=sys.stderr)
        return 2
    results: dict[str, dict[str, object]] = {}
    with tempfile.TemporaryDirectory(prefix="litsieve-splink-") as tmp:
        work = Path(tmp)
        inputs: list[tuple[str, Path, dict[str, str]]] = []
        for name in (s for s in args.sets.split(",") if s):
            source, _, labels = bench.labelled_set(args.shared / "bench" / "dedup", name, work)
            inputs.append((name, source, labels))
        for size in (int(s) for s in args.sizes.split(",") if s):
            source, truth = bench.cached_synthetic(size, args.shared, args.out / "cache")
            inputs.append((f"synthetic {size}", source, truth["record"]))  # type: ignore[arg-type]
        for name, source, labels in inputs:
            tools: dict[str, dict[str, float]] = {}
            predicted, seconds, cpu, peak = run_litsieve(source, work)
            tools["litsieve"] = {**bench.pair_scores(predicted, labels), "seconds": seconds, "cpu_seconds": cpu,
                                 "peak_mb": peak / 2**20}
            by_threshold, seconds, cpu, peak = run_splink(args.splink_python, source, work)
            for threshold, clusters in by_threshold.items():
                label = f"Splink p>={threshold}" + (" (fixed)" if threshold == MAIN_THRESHOLD else "")
                tools[label] = {**bench.pair_scores(clusters, labels), "seconds": seconds, "cpu_seconds": cpu,
                                "peak_mb": peak / 2**20}
            for threshold in THRESHOLDS[1:]:
                vetoed = with_vetoes(source, work / f"{source.stem}.splink-out.csv.pairs.csv", threshold)
                tools[f"Splink p>={threshold} + litsieve vetoes"] = {
                    **bench.pair_scores(vetoed, labels), "seconds": seconds, "cpu_seconds": cpu,
                    "peak_mb": peak / 2**20}
            results[name] = {"records": len(labels), "tools": tools}
            for tool, s in tools.items():
                print(f"{name:24} {tool:22} P={s['pair_precision']:.4f} R={s['pair_recall']:.4f} "
                      f"F1={s['pair_f1']:.4f} false merges {s['false_merge_pairs']} ({s['clusters_with_false_merge']}) "
                      f"CPU {s['cpu_seconds']:.1f}s peak {s['peak_mb']:.0f} MiB", file=sys.stderr)
    report = render(results)
    args.out.mkdir(parents=True, exist_ok=True)
    (args.out / "dedup_splink.md").write_text(report, encoding="utf-8")
    (args.out / "dedup_splink.json").write_text(json.dumps({"machine": machine(), "results": results},
                                                           indent=2, sort_keys=True) + "\n", encoding="utf-8")
    print(report)
    return 0


if __name__ == "__main__":
    sys.exit(main())
