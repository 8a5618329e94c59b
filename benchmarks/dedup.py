"""Deduplication benchmark: litsieve against bib-dedupe on labelled sets, and at scale.

Run by ``make bench`` (``benchmarks/Makefile``), or directly::

    .venv/bin/python benchmarks/dedup.py [--shared ../shared] [--bench-python .venv-bench/bin/python]

1. Every labelled set in ``<shared>/bench/dedup`` is written out without its label columns
   and deduplicated by the command ``litsieve dedup FILE --clusters OUT.csv`` (what any
   user runs), and by bib-dedupe 0.11.0 (automatic merges only: its "maybe" pairs are not
   merged) in a separate virtual environment. Both are scored against ``dup_group`` with
   pairwise precision, recall and F1, the number of false merges (wrongly joined pairs and
   the clusters holding them), and record-level sensitivity and specificity as in ASySD
   (Hair et al. 2023; the definition is in docs/benchmarks.md).
   The IEBH sets only flag records that belong to *some* duplicate set (the first copy
   included) without saying which: they are scored at record level only (a record counts
   as found when it lands in a cluster of two or more), and a cluster holding an unflagged
   record is a certain false merge.
2. A deterministic synthetic set (``dedup_synthetic.py``: works built from those real
   records, each report exported by several databases with realistic perturbations, and
   studies with several reports: errata, retraction notices, comments and replies, meeting
   abstracts, preprints, registry entries), abstracts uncut. ``litsieve dedup`` runs on
   10,000, 100,000 and 1,000,000 records (``--sizes``) in a fresh process each, bib-dedupe
   up to ``--bib-dedupe-max`` (100,000: it needs 5.7 GB there). ``cluster_id`` is scored
   against the record-level truth, ``study_id`` against the study-level truth; wall and CPU
   time come from ``wait4``, peak memory from ``wait4`` and the summed PSS of the process
   tree (:func:`timed`). Generated files are cached in ``benchmarks/out/cache``.

The figures are printed as a Markdown table and written to ``benchmarks/out/dedup.{md,json}``.
This file also serves as bib-dedupe's runner inside its own environment (``--bib-dedupe``),
so it imports neither litsieve nor bib-dedupe at the top.
"""

from __future__ import annotations

import argparse
import csv
import gzip
import json
import os
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter, defaultdict
from pathlib import Path

from typing import Iterable, Mapping, Sequence

from dedup_synthetic import GENERATOR_VERSION, SEED, abstract_text, synthetic, write_synthetic
from machine import machine

REPO = Path(__file__).resolve().parents[1]
LABEL_COLUMNS = ("dup_group", "group_size", "gold_label", "original_human_label", "caption_gold")
ID_COLUMNS = ("ID", "record_id", "rec_number")
SETS = ("asysd_diabetes", "sra_cytology_screening", "sra_haematology", "colrev_digital_work",
        "iebh_copper", "iebh_tafenoquine")
# bib-dedupe 0.11.0's pair F1 on each set (asysd's labels split the two page-51/52 abstracts, PROVENANCE.md).
BIB_DEDUPE_BAR = {"asysd_diabetes": 0.9969, "sra_cytology_screening": 0.9922, "sra_haematology": 0.9073,
                  "colrev_digital_work": 0.9991}
SIZES = (10_000, 100_000, 1_000_000)
BIB_DEDUPE_MAX = 100_000
CPU_SECONDS: dict[str, float] = {}

csv.field_size_limit(1 << 30)


# ----------------------------------------------------------------------------- scoring

def pair_scores(predicted: Mapping[str, str], truth: Mapping[str, str]) -> dict[str, float]:
    """Pairwise precision/recall/F1 and false merges; both maps cover the same record ids."""
    def pairs(sizes: Iterable[int]) -> int:
        return sum(n * (n - 1) // 2 for n in sizes)

    ids = list(truth)
    both = Counter((predicted[i], truth[i]) for i in ids)
    predicted_pairs = pairs(Counter(predicted[i] for i in ids).values())
    true_pairs = pairs(Counter(truth.values()).values())
    correct = pairs(both.values())
    precision = correct / predicted_pairs if predicted_pairs else 1.0
    recall = correct / true_pairs if true_pairs else 1.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    groups_per_cluster: dict[str, set[str]] = defaultdict(set)
    for i in ids:
        groups_per_cluster[predicted[i]].add(truth[i])
    return {
        "pair_precision": precision, "pair_recall": recall, "pair_f1": f1,
        "true_pairs": true_pairs, "predicted_pairs": predicted_pairs,
        "false_merge_pairs": predicted_pairs - correct,
        "clusters_with_false_merge": sum(1 for g in groups_per_cluster.values() if len(g) > 1),
        **record_scores(predicted, truth),
    }


def record_scores(predicted: Mapping[str, str], truth: Mapping[str, str]) -> dict[str, float]:
    """ASySD-style record-level sensitivity and specificity.

    Each predicted cluster keeps one record and removes the rest. The kept record is taken
    from the cluster's largest true group (the choice that favours no tool). A removed record
    of that group is a true positive; a removed record of another work is a false positive
    (a unique record removed); true duplicates not removed are false negatives; the rest are
    true negatives (unique records kept).
    """
    members: dict[str, Counter[str]] = defaultdict(Counter)
    for record_id, cluster in predicted.items():
        members[cluster][truth[record_id]] += 1
    tp = fp = 0
    for counts in members.values():
        largest = max(counts.values())
        tp += largest - 1
        fp += sum(counts.values()) - largest
    true_duplicates = len(truth) - len(set(truth.values()))
    fn = true_duplicates - tp
    tn = len(truth) - tp - fp - fn
    return {
        "sensitivity": tp / (tp + fn) if tp + fn else 1.0,
        "specificity": tn / (tn + fp) if tn + fp else 1.0,
        "tp": tp, "fp": fp, "fn": fn, "tn": tn,
    }


def flag_scores(predicted: Mapping[str, str], flagged: set[str]) -> dict[str, float]:
    """IEBH sets: only "belongs to some duplicate set" is known."""
    sizes = Counter(predicted.values())
    in_cluster = {i for i, c in predicted.items() if sizes[c] > 1}
    unflagged = set(predicted) - flagged
    certain_false = {predicted[i] for i in unflagged & in_cluster}
    return {
        "sensitivity": len(flagged & in_cluster) / len(flagged) if flagged else 1.0,
        "specificity": len(unflagged - in_cluster) / len(unflagged) if unflagged else 1.0,
        "flagged": len(flagged), "in_clusters": len(in_cluster),
        "clusters_with_certain_false_merge": len(certain_false),
    }


# ----------------------------------------------------------------------------- labelled sets

def read_table(path: Path) -> tuple[list[str], list[dict[str, str]]]:
    opener = gzip.open if path.suffix == ".gz" else open
    with opener(path, "rt", encoding="utf-8", newline="") as handle:  # type: ignore[operator]
        reader = csv.DictReader(handle)
        return list(reader.fieldnames or []), list(reader)


def write_table(path: Path, columns: Sequence[str], rows: Iterable[Mapping[str, str]]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(columns), extrasaction="ignore")
        writer.writeheader()
        writer.writerows(rows)


def labelled_set(shared: Path, name: str, work: Path) -> tuple[Path, str, dict[str, str]]:
    """Write the set without labels; return (input file, id column, labels by id)."""
    path = next(p for p in (shared / f"{name}.csv.gz", shared / f"{name}.csv") if p.exists())
    columns, rows = read_table(path)
    id_column = next(c for c in ID_COLUMNS if c in columns)
    label = "dup_group" if "dup_group" in columns else "caption_gold"
    labels = {row[id_column]: row[label] for row in rows}
    clean = work / "inputs" / f"{name}.csv"
    # The id column under the name DESIGN.md promises to keep (`ID`), labels left out.
    kept = ["ID" if c == id_column else c for c in columns if c not in LABEL_COLUMNS]
    write_table(clean, kept, ({**row, "ID": row[id_column]} for row in rows))
    return clean, "ID", labels


def run_litsieve(source: Path, clusters: Path) -> tuple[dict[str, str], dict[str, str] | None, float, int]:
    """``litsieve dedup`` in a fresh process.

    Returns (record_id -> cluster_id, record_id -> study_id or None when the clusters file
    has no ``study_id`` column, wall seconds, peak RSS bytes).
    """
    command = [sys.executable, "-m", "litsieve.cli", "dedup", str(source), "--clusters", str(clusters)]
    seconds, peak = timed(command)
    columns, rows = read_table(clusters)
    by_cluster = {row["record_id"]: row["cluster_id"] for row in rows}
    by_study = {row["record_id"]: row["study_id"] for row in rows} if "study_id" in columns else None
    return by_cluster, by_study, seconds, peak


def timed(command: Sequence[str]) -> tuple[float, int]:
    """Run ``command``; its wall time and its peak memory in bytes.

    ``wait4`` reports the process's CPU time (user + system, with any worker processes it
    waited for), which :data:`CPU_SECONDS` keeps for the report (wall time depends on what
    else runs on the machine), and the largest single process's peak resident memory.
    litsieve forks a worker for its costly passes, and the two share memory until written,
    so the memory of the whole process tree is sampled too, once a second, as the sum of
    each process's proportional set size (shared pages counted once); the larger of the two
    is reported.
    """
    start = time.perf_counter()
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    sampler = _TreeMemory(process.pid)
    sampler.start()
    stderr = process.stderr.read() if process.stderr else b""  # type: ignore[union-attr]
    _, status, usage = os.wait4(process.pid, 0)
    seconds = time.perf_counter() - start
    sampler.stop.set()
    sampler.join()
    CPU_SECONDS[" ".join(command)] = usage.ru_utime + usage.ru_stime
    process.returncode = os.waitstatus_to_exitcode(status)
    if process.returncode != 0:
        raise RuntimeError(f"{' '.join(command)} failed:\n{stderr.decode(errors='replace')[-3000:]}")
    return seconds, max(usage.ru_maxrss * 1024, sampler.peak)


class _TreeMemory(threading.Thread):
    """The peak summed PSS of a process and its descendants (Linux ``smaps_rollup``), in bytes."""

    def __init__(self, pid: int) -> None:
        super().__init__(daemon=True)
        self.pid, self.peak, self.stop = pid, 0, threading.Event()

    def run(self) -> None:
        while not self.stop.wait(1.0):
            self.peak = max(self.peak, sum(_pss(p) for p in _tree(self.pid)))


def _tree(pid: int) -> list[int]:
    found = [pid]
    try:
        for task in os.listdir(f"/proc/{pid}/task"):
            with open(f"/proc/{pid}/task/{task}/children") as handle:
                for child in handle.read().split():
                    found += _tree(int(child))
    except OSError:
        pass  # gone, or not Linux
    return found


def _pss(pid: int) -> int:
    try:
        with open(f"/proc/{pid}/smaps_rollup") as handle:
            for line in handle:
                if line.startswith("Pss:"):
                    return int(line.split()[1]) * 1024
    except OSError:
        pass
    return 0


def run_bib_dedupe(bench_python: Path, source: Path, id_column: str, out: Path) -> tuple[dict[str, str], float, int]:
    command = [str(bench_python), str(Path(__file__).resolve()), "--bib-dedupe", str(source), id_column, str(out)]
    seconds, peak = timed(command)
    _, rows = read_table(out)
    return {row["ID"]: row["cluster"] for row in rows}, seconds, peak


def bib_dedupe_worker(source: str, id_column: str, out: str) -> None:
    """Inside the benchmark environment: bib-dedupe's automatic merges, one row per record."""
    import pandas as pd
    from bib_dedupe.bib_dedupe import block, cluster, match, prep

    frame = pd.read_csv(source, dtype=str, keep_default_na=False)
    if "authors" in frame.columns:  # a litsieve record file: authors joined with "; "
        frame["authors"] = frame["authors"].str.replace("; ", " and ", regex=False)
    frame = frame.rename(columns={id_column: "ID", "authors": "author", "issue": "number"})
    if "ENTRYTYPE" not in frame.columns:  # EndNote's ref_type ("Journal Article") is not BibTeX's
        frame["ENTRYTYPE"] = "article"
    frame["ID"] = frame["ID"].astype(str)
    for column in ("title", "author", "year"):
        if column not in frame.columns:
            frame[column] = ""
    matched = match(block(prep(frame, cpu=2, verbosity_level=0), cpu=2, verbosity_level=0),
                    cpu=2, verbosity_level=0)
    cluster_of = {record_id: record_id for record_id in frame["ID"]}
    for group in cluster(matched, verbosity_level=0):
        first = min(group)
        for record_id in group:
            cluster_of[record_id] = first
    write_table(Path(out), ["ID", "cluster"], ({"ID": k, "cluster": v} for k, v in sorted(cluster_of.items())))


# ----------------------------------------------------------------------------- report

def fmt(value: float | int | None, digits: int = 3) -> str:
    if value is None:
        return "–"
    if isinstance(value, float):
        return f"{value:.{digits}f}"
    return str(value)


def cached_synthetic(size: int, shared: Path, cache: Path) -> tuple[Path, dict[str, object]]:
    """The synthetic set's record file and truth, generated once per size, seed and generator version."""
    stem = cache / f"synthetic_{size}_seed{SEED}_v{GENERATOR_VERSION}"
    source, truth_path = stem.with_suffix(".csv"), stem.with_suffix(".truth.json.gz")
    if not (source.exists() and truth_path.exists()):
        data = synthetic(size, shared, SEED)
        cache.mkdir(parents=True, exist_ok=True)
        write_synthetic(source.with_suffix(".tmp"), data)
        os.replace(source.with_suffix(".tmp"), source)
        lengths = [len(abstract_text(r["abstract"], data.abstracts)) for r in data.rows]
        truth = {"record": data.record_truth, "study": data.study_truth, "reports_by_kind": data.reports_by_kind,
                 "longest_abstract": max(lengths), "abstracts_over_30k": sum(1 for n in lengths if n >= 30_000)}
        with gzip.open(truth_path, "wt", encoding="utf-8") as handle:
            json.dump(truth, handle)
        del data
    with gzip.open(truth_path, "rt", encoding="utf-8") as handle:
        return source, json.load(handle)


def cut_abstracts(source: Path, out: Path, chars: int) -> Path:
    """A copy of a record file with every abstract cut to ``chars`` characters."""
    with open(source, encoding="utf-8", newline="") as handle, open(out, "w", encoding="utf-8", newline="") as sink:
        reader, writer = csv.reader(handle), csv.writer(sink, lineterminator="\n")
        header = next(reader)
        writer.writerow(header)
        column = header.index("abstract")
        for row in reader:
            row[column] = row[column][:chars]
            writer.writerow(row)
    return out


def both_levels(clusters: Mapping[str, str], studies: Mapping[str, str] | None,
                record_truth: Mapping[str, str], study_truth: Mapping[str, str]) -> dict[str, object]:
    """Scores of ``cluster_id`` against the record truth and of ``study_id`` against the study truth.

    Without a ``study_id`` column the clusters stand in for studies (every record its own
    study's only report is what a tool without study links says).
    """
    record = pair_scores(clusters, record_truth)
    study = pair_scores(studies if studies is not None else clusters, study_truth)
    return {"record_level": record, "study_level": study, "study_id_column": studies is not None}


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--shared", type=Path, default=Path(os.environ.get("LITSIEVE_SHARED", REPO.parent / "shared")))
    parser.add_argument("--bench-python", type=Path, default=REPO / ".venv-bench" / "bin" / "python")
    parser.add_argument("--out", type=Path, default=REPO / "benchmarks" / "out")
    parser.add_argument("--sizes", default=",".join(str(s) for s in SIZES),
                        help="synthetic set sizes, comma-separated ('' for none)")
    parser.add_argument("--bib-dedupe-max", type=int, default=BIB_DEDUPE_MAX,
                        help="largest synthetic set bib-dedupe runs on (it needs 5.7 GB at 100,000)")
    parser.add_argument("--bib-dedupe-abstract-chars", type=int, default=10_000,
                        help="abstracts are cut to this length for bib-dedupe on the synthetic sets")
    parser.add_argument("--skip-labelled", action="store_true", help="only the synthetic sets")
    parser.add_argument("--skip-bib-dedupe", action="store_true")
    parser.add_argument("--bib-dedupe", nargs=3, metavar=("IN", "ID_COLUMN", "OUT"), help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.bib_dedupe:
        bib_dedupe_worker(*args.bib_dedupe)
        return 0

    shared = args.shared / "bench" / "dedup"
    if not shared.exists():
        print(f"no labelled sets at {shared} (set LITSIEVE_SHARED)", file=sys.stderr)
        return 2
    use_bib = not args.skip_bib_dedupe and args.bench_python.exists()
    if not use_bib and not args.skip_bib_dedupe:
        print(f"bib-dedupe skipped: {args.bench_python} not found (make -C benchmarks bench-env)", file=sys.stderr)
    started = time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime())
    results: dict[str, dict[str, object]] = {}
    scale: dict[str, dict[str, object]] = {}
    with tempfile.TemporaryDirectory(prefix="litsieve-bench-") as tmp:
        work = Path(tmp)
        for name in () if args.skip_labelled else SETS:
            results[name] = labelled_entry(name, shared, work, args.bench_python if use_bib else None)
        for size in (int(s) for s in args.sizes.split(",") if s):
            scale[str(size)] = synthetic_entry(size, args, work, use_bib and size <= args.bib_dedupe_max)

    finished = time.strftime("%H:%M UTC", time.gmtime())
    when = f"{started} to {finished}"
    report = render(results, scale, when)
    args.out.mkdir(parents=True, exist_ok=True)
    (args.out / "dedup.md").write_text(report, encoding="utf-8")
    (args.out / "dedup.json").write_text(json.dumps({"machine": machine(), "when": when, "labelled": results,
                                                     "synthetic": scale}, indent=2, sort_keys=True) + "\n",
                                         encoding="utf-8")
    print(report)
    return 0


def labelled_entry(name: str, shared: Path, work: Path, bench_python: Path | None) -> dict[str, object]:
    """One labelled set through litsieve (both levels) and bib-dedupe, scored against ``dup_group``."""
    source, id_column, labels = labelled_set(shared, name, work)
    entry: dict[str, object] = {"records": len(labels)}
    tools = ["litsieve"] + (["bib-dedupe"] if bench_python else [])
    for tool in tools:
        load = os.getloadavg()[0]
        if tool == "litsieve":
            clusters, studies, seconds, peak = run_litsieve(source, work / f"{name}.litsieve.csv")
            key = f"{name}.litsieve.csv"
        else:
            assert bench_python is not None
            clusters, seconds, peak = run_bib_dedupe(bench_python, source, id_column, work / f"{name}.bib.csv")
            studies, key = None, f"{name}.bib.csv"
        cpu = next(v for k, v in CPU_SECONDS.items() if k.endswith(key) or f" {work / key} " in f"{k} ")
        missing = set(labels) - set(clusters)
        if missing:
            raise RuntimeError(f"{tool} on {name}: {len(missing)} records missing from its output")
        if name.startswith("iebh"):
            flagged = {i for i, v in labels.items() if v == "Duplicate"}
            scores: dict[str, object] = {"record_level": flag_scores(clusters, flagged),
                                         "study_level": flag_scores(studies or clusters, flagged),
                                         "study_id_column": studies is not None}
        else:
            scores = both_levels(clusters, studies, labels, labels)
        entry[tool] = {**scores, "seconds": seconds, "cpu_seconds": cpu, "peak_mb": peak / 2**20,
                       "load_average": max(load, os.getloadavg()[0])}
        study = scores["study_level"]
        assert isinstance(study, dict)
        print(f"{name:24} {tool:10} " + " ".join(f"{k}={fmt(v)}" for k, v in study.items() if k in (
            "pair_f1", "pair_precision", "pair_recall", "clusters_with_false_merge", "sensitivity",
            "specificity", "clusters_with_certain_false_merge")) + f" {seconds:.1f}s", file=sys.stderr)
    return entry


def synthetic_entry(size: int, args: argparse.Namespace, work: Path, with_bib: bool) -> dict[str, object]:
    """One synthetic size: litsieve (and bib-dedupe when asked), scored at both levels."""
    source, truth = cached_synthetic(size, args.shared, args.out / "cache")
    record_truth, study_truth = truth["record"], truth["study"]
    assert isinstance(record_truth, dict) and isinstance(study_truth, dict)
    entry: dict[str, object] = {
        "records": size, "reports": len(set(record_truth.values())), "studies": len(set(study_truth.values())),
        "reports_by_kind": truth["reports_by_kind"], "longest_abstract": truth["longest_abstract"],
        "abstracts_over_30k": truth["abstracts_over_30k"], "bib_dedupe_run": with_bib,
    }
    for tool in ("litsieve", "bib-dedupe") if with_bib else ("litsieve",):
        load = os.getloadavg()[0]
        if tool == "litsieve":
            key = f"synthetic_{size}.litsieve.csv"
            clusters, studies, seconds, peak = run_litsieve(source, work / key)
        else:
            key = f"synthetic_{size}.bib.csv"
            # bib-dedupe is given abstracts cut to --bib-dedupe-abstract-chars: uncut, it passed 16 GB
            # at 50,000 records (issue 4) and was killed for lack of memory at 100,000 (24 GB).
            cut = cut_abstracts(source, work / f"synthetic_{size}.cut.csv", args.bib_dedupe_abstract_chars)
            try:
                clusters, seconds, peak = run_bib_dedupe(args.bench_python, cut, "record_id", work / key)
            except RuntimeError as failure:
                entry[tool] = {"failed": str(failure)[-300:]}
                print(f"synthetic {size:>8} bib-dedupe failed: {str(failure)[-300:]}", file=sys.stderr)
                continue
            studies = None
        cpu = next(v for k, v in CPU_SECONDS.items() if k.endswith(key))
        scores = both_levels(clusters, studies, record_truth, study_truth)
        entry[tool] = {**scores, "seconds": seconds, "cpu_seconds": cpu, "peak_mb": peak / 2**20,
                       "load_average": max(load, os.getloadavg()[0])}
        record, study = scores["record_level"], scores["study_level"]
        assert isinstance(record, dict) and isinstance(study, dict)
        print(f"synthetic {size:>8} {tool:10}: {seconds:.1f}s wall, {cpu:.1f}s CPU, peak {peak / 2**20:.0f} MiB, "
              f"record F1 {record['pair_f1']:.4f} ({record['clusters_with_false_merge']} false-merge clusters), "
              f"study F1 {study['pair_f1']:.4f} ({study['clusters_with_false_merge']})", file=sys.stderr)
    return entry


def render(results: Mapping[str, Mapping[str, object]], scale: Mapping[str, Mapping[str, object]], when: str) -> str:
    lines = [f"Machine: {machine()}; measured {when}.", ""]
    if results:
        lines += ["Labelled sets (`dup_group` groups a study's records): study level is `study_id` "
                  "(`cluster_id` when the file has no `study_id`), record level is `cluster_id`; "
                  "a false-merge cluster spans two labelled groups.", "",
                  "| set | records | tool | study pair precision | study pair recall | study pair F1 "
                  "| false-merge clusters: study (record) | sensitivity | specificity | CPU (s) | bar (bib-dedupe F1) |",
                  "|---|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|"]
        for name, entry in results.items():
            for tool in ("litsieve", "bib-dedupe"):
                s = entry.get(tool)
                if not isinstance(s, Mapping):
                    continue
                study, record = s["study_level"], s["record_level"]
                if "pair_f1" in study:
                    lines.append(
                        f"| {name} | {entry['records']} | {tool} | {fmt(study['pair_precision'], 4)} "
                        f"| {fmt(study['pair_recall'], 4)} | {fmt(study['pair_f1'], 4)} "
                        f"| {study['clusters_with_false_merge']} ({record['clusters_with_false_merge']}) "
                        f"| {fmt(study['sensitivity'])} | {fmt(study['specificity'])} | {fmt(s['cpu_seconds'], 1)} "
                        f"| {fmt(BIB_DEDUPE_BAR.get(name), 4)} |")
                else:
                    lines.append(
                        f"| {name} | {entry['records']} | {tool} | – | – | – "
                        f"| {study['clusters_with_certain_false_merge']} ({record['clusters_with_certain_false_merge']})"
                        f" certain | {fmt(study['sensitivity'])} | {fmt(study['specificity'])} "
                        f"| {fmt(s['cpu_seconds'], 1)} | – |")
    if scale:
        lines += ["", "Synthetic sets: record level is `cluster_id` against the report each copy was made from, "
                  "study level `study_id` against the study. False-merge clusters span two truth groups.", "",
                  "| records | reports | studies | tool | wall (s) | CPU (s) | peak RSS (MiB) | record P / R / F1 "
                  "| record false-merge clusters | study P / R / F1 | study false-merge clusters | load |",
                  "|---:|---:|---:|---|---:|---:|---:|---|---:|---|---:|---:|"]
        for size, entry in scale.items():
            tools = ("litsieve", "bib-dedupe")
            for tool in tools:
                s = entry.get(tool)
                if isinstance(s, Mapping) and "failed" in s:
                    lines.append(f"| {size} | {entry['reports']} | {entry['studies']} | bib-dedupe | failed "
                                 f"({str(s['failed']).splitlines()[-1][:80]}) | | | | | | | |")
                    continue
                if not isinstance(s, Mapping):
                    if tool == "bib-dedupe" and int(size) > BIB_DEDUPE_MAX:
                        lines.append(f"| {size} | {entry['reports']} | {entry['studies']} | bib-dedupe "
                                     "| not run (it needs 5.7 GB at 100,000) | | | | | | | |")
                    continue
                r, st = s["record_level"], s["study_level"]
                lines.append(
                    f"| {size} | {entry['reports']} | {entry['studies']} | {tool} | {fmt(s['seconds'], 1)} "
                    f"| {fmt(s['cpu_seconds'], 1)} | {fmt(s['peak_mb'], 0)} "
                    f"| {fmt(r['pair_precision'], 4)} / {fmt(r['pair_recall'], 4)} / {fmt(r['pair_f1'], 4)} "
                    f"| {r['clusters_with_false_merge']} "
                    f"| {fmt(st['pair_precision'], 4)} / {fmt(st['pair_recall'], 4)} / {fmt(st['pair_f1'], 4)} "
                    f"| {st['clusters_with_false_merge']} | {fmt(s['load_average'], 1)} |")
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    sys.exit(main())
