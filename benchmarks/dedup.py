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
2. A deterministic synthetic set of works built from those real records (new works made by
   swapping title words, authors and pages between real records) with duplicates made by
   the perturbations databases really apply, with the real abstracts uncut and 0.5% of
   works carrying 30,000-65,000-character abstracts (conference proceedings). ``litsieve
   dedup`` runs on 10,000, 50,000 and 100,000 records in a fresh process each; wall time
   and the process's peak resident memory (``wait4`` rusage) are reported with the scores.

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
import random
import re
import subprocess
import sys
import tempfile
import time
from collections import Counter, defaultdict
from pathlib import Path

from machine import machine
from typing import Iterable, Mapping, Sequence

REPO = Path(__file__).resolve().parents[1]
LABEL_COLUMNS = ("dup_group", "group_size", "gold_label", "original_human_label", "caption_gold")
ID_COLUMNS = ("ID", "record_id", "rec_number")
SETS = ("asysd_diabetes", "sra_cytology_screening", "sra_haematology", "colrev_digital_work",
        "iebh_copper", "iebh_tafenoquine")
BIB_DEDUPE_BAR = {"asysd_diabetes": 1.000, "sra_cytology_screening": 0.992, "sra_haematology": 0.907,
                  "colrev_digital_work": 0.999}
SIZES = (10_000, 50_000, 100_000)
CPU_SECONDS: dict[str, float] = {}
SEED = 20171120

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


def run_litsieve(source: Path, clusters: Path) -> tuple[dict[str, str], float, int]:
    """``litsieve dedup`` in a fresh process: (record_id -> cluster_id, seconds, peak RSS bytes)."""
    command = [sys.executable, "-m", "litsieve.cli", "dedup", str(source), "--clusters", str(clusters)]
    seconds, peak = timed(command)
    _, rows = read_table(clusters)
    return {row["record_id"]: row["cluster_id"] for row in rows}, seconds, peak


def timed(command: Sequence[str]) -> tuple[float, int]:
    """Run ``command``; its wall time and its peak resident memory (Linux ru_maxrss in KiB).

    ``wait4`` also reports the process's CPU time, which :data:`CPU_SECONDS` keeps for the
    report (wall time depends on what else runs on the machine).
    """
    start = time.perf_counter()
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    stderr = process.stderr.read() if process.stderr else b""  # type: ignore[union-attr]
    _, status, usage = os.wait4(process.pid, 0)
    seconds = time.perf_counter() - start
    CPU_SECONDS[" ".join(command)] = usage.ru_utime + usage.ru_stime
    process.returncode = os.waitstatus_to_exitcode(status)
    if process.returncode != 0:
        raise RuntimeError(f"{' '.join(command)} failed:\n{stderr.decode(errors='replace')[-3000:]}")
    return seconds, usage.ru_maxrss * 1024


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


# ----------------------------------------------------------------------------- synthetic set

_SPLIT_AUTHORS = re.compile(r"\s+and\s+|;\s*")
_STOP = {"of", "the", "and", "in", "for", "on", "a", "an", "with", "to", "by", "from", "at"}


def real_records(shared: Path) -> tuple[list[dict[str, str]], list[str]]:
    """One record per real work from the labelled sets, and real abstracts from the screening sets."""
    works: list[dict[str, str]] = []
    known: set[tuple[str, str]] = set()
    for name in SETS[:4]:
        path = next(p for p in (shared / "bench" / "dedup" / f"{name}.csv.gz",
                                shared / "bench" / "dedup" / f"{name}.csv") if p.exists())
        _, rows = read_table(path)
        seen: set[str] = set()
        for row in rows:
            # One record per work; the same work in two sets (same title and year) once.
            title_key = (re.sub(r"\W+", "", row.get("title", "").casefold()), row.get("year", "")[:4])
            if row["dup_group"] in seen or not row.get("title") or title_key in known:
                continue
            seen.add(row["dup_group"])
            known.add(title_key)
            authors = [a.strip() for a in _SPLIT_AUTHORS.split(row.get("author", "")) if a.strip()]
            works.append({
                "title": row["title"].strip(), "authors": authors, "year": row.get("year", "")[:4],
                "journal": row.get("journal", "") or row.get("booktitle", ""), "volume": row.get("volume", ""),
                "issue": row.get("number", ""), "pages": row.get("pages", "").replace("--", "-"),
                "doi": row.get("doi", ""), "abstract": row.get("abstract", ""),
            })
    abstracts: list[str] = []
    for name in ("van_de_Schoot_2017_PTSD.csv.gz", "Ferdinands_ace_Cohen2006_ACEInhibitors.csv.gz"):
        path = shared / "bench" / "screening" / name
        if path.exists():
            _, rows = read_table(path)
            abstracts += [r["abstract"] for r in rows if len(r.get("abstract", "")) > 200]
    abstracts += [w["abstract"] for w in works if len(w["abstract"]) > 200]
    return works, abstracts


def _abbreviate(journal: str) -> str:
    words = [w for w in re.split(r"[\s.]+", journal) if w and w.lower() not in _STOP]
    return " ".join(w if len(w) <= 4 else w[:4] for w in words)


def _initials(author: str) -> str:
    if "," not in author:
        return author
    surname, given = author.split(",", 1)
    initials = "".join(part[0] for part in re.split(r"[\s.-]+", given.strip()) if part)
    return f"{surname.strip()} {initials.upper()}".strip()


def _typo(text: str, rng: random.Random) -> str:
    if len(text) < 20:
        return text
    i = rng.randrange(5, len(text) - 5)
    return text[:i] + text[i + 1] + text[i] + text[i + 2:]


def synthetic(size: int, shared: Path, seed: int = SEED) -> tuple[list[dict[str, str]], dict[str, str]]:
    """``size`` records (works and their duplicates) and the true work of each record."""
    rng = random.Random(seed)
    base, abstracts = real_records(shared)
    vocabulary = sorted({w for b in base for w in b["title"].split() if len(w) > 4 and w.isalpha()})
    surnames = sorted({a.split(",")[0].strip() for b in base for a in b["authors"] if "," in a})
    records: list[dict[str, str]] = []
    truth: dict[str, str] = {}
    work_number = 0
    while len(records) < size:
        real = base[work_number % len(base)]
        generation = work_number // len(base)
        work = dict(real)
        work["authors"] = list(real["authors"])
        if generation:  # a new work made from a real one: other words, people, place
            words = work["title"].split()
            for _ in range(3):
                words[rng.randrange(len(words))] = rng.choice(vocabulary)
            words.insert(rng.randrange(len(words) + 1), rng.choice(vocabulary))
            work["title"] = " ".join(words)
            work["authors"] = [f"{rng.choice(surnames)}, {rng.choice('ABCDEFGHJKLMNPRST')}."
                               for _ in range(rng.randint(1, 6))]
            work["year"] = str(rng.randint(1990, 2023))
            work["volume"] = str(rng.randint(1, 300))
            work["issue"] = str(rng.randint(1, 12))
            start = rng.randint(1, 3000)
            work["pages"] = f"{start}-{start + rng.randint(3, 20)}"
            work["doi"] = f"10.{rng.randint(1000, 9999)}/synthetic.{work_number}" if rng.random() < 0.7 else ""
        if not work["abstract"] or generation:
            work["abstract"] = abstracts[rng.randrange(len(abstracts))] if rng.random() < 0.85 else ""
        if rng.random() < 0.005:  # conference proceedings: a whole programme in one record
            target = rng.randint(30_000, 65_000)
            parts: list[str] = []
            while sum(len(p) + 1 for p in parts) < target:
                parts.append(abstracts[rng.randrange(len(abstracts))])
            work["abstract"] = " ".join(parts)[:target]
        copies = 1 + (rng.choices((0, 1, 2, 3), weights=(60, 28, 9, 3))[0])
        for copy in range(copies):
            record = perturb(work, rng) if copy else dict(work)
            record_id = f"w{work_number:06d}c{copy}"
            record["ID"] = record_id
            record["authors"] = "; ".join(record["authors"]) if isinstance(record["authors"], list) else record["authors"]
            records.append(record)
            truth[record_id] = f"w{work_number:06d}"
            if len(records) == size:
                break
        work_number += 1
    rng.shuffle(records)
    return records, truth


def perturb(work: Mapping[str, object], rng: random.Random) -> dict[str, object]:
    """A copy of ``work`` as another database would export it."""
    record: dict[str, object] = dict(work)
    title = str(record["title"])
    choice = rng.random()
    if choice < 0.15:
        title = title.upper()
    elif choice < 0.30:
        title = title.lower()
    elif choice < 0.40:
        title = _typo(title, rng)
    if rng.random() < 0.3:
        title = title.rstrip(".") + "."
    if rng.random() < 0.1:
        title = title.replace(":", " -")
    if rng.random() < 0.05:
        title = f"{title} [Review]"
    record["title"] = title
    authors = list(work["authors"])  # type: ignore[call-overload]
    if rng.random() < 0.5:
        authors = [_initials(a) for a in authors]
    if len(authors) > 3 and rng.random() < 0.2:
        authors = authors[:3]
    record["authors"] = authors
    if rng.random() < 0.4 and record["journal"]:
        record["journal"] = _abbreviate(str(record["journal"]))
    pages = str(record["pages"])
    match = re.fullmatch(r"(\d+)-(\d+)", pages)
    if match and rng.random() < 0.5 and len(match.group(2)) == len(match.group(1)):
        start, end = match.groups()
        common = len(os.path.commonprefix([start, end]))
        record["pages"] = f"{start}-{end[common:] or end[-1]}"
    doi = str(record["doi"])
    if doi:
        choice = rng.random()
        if choice < 0.35:
            record["doi"] = ""
        elif choice < 0.55:
            record["doi"] = "https://doi.org/" + doi
        elif choice < 0.65:
            record["doi"] = doi.upper()
    choice = rng.random()
    if choice < 0.3:
        record["abstract"] = ""
    elif choice < 0.45 and record["abstract"]:
        record["abstract"] = f"{record['abstract']} Copyright (c) {record['year']} Elsevier Ltd. All rights reserved."
    if rng.random() < 0.1:
        record["issue"] = ""
    if rng.random() < 0.05:
        record["volume"] = ""
    return record


def write_synthetic(path: Path, records: Sequence[Mapping[str, object]]) -> None:
    """As ``results/records/all.csv``: the file the workflow's dedup rule reads."""
    from litsieve.record import Record, normalize_author, parse_year
    from litsieve.records_io import write_records

    write_records(path, (
        Record(record_id=str(r["ID"]), source=f"db{int(str(r['ID'])[-1]) + 1}", title=str(r["title"]),
               abstract=str(r["abstract"]), authors=[normalize_author(a) for a in str(r["authors"]).split("; ") if a],
               year=parse_year(r["year"]), journal=str(r["journal"]), volume=str(r["volume"]),
               issue=str(r["issue"]), pages=str(r["pages"]), doi=str(r["doi"]))
        for r in records
    ))


# ----------------------------------------------------------------------------- report

def fmt(value: float | int | None, digits: int = 3) -> str:
    if value is None:
        return "–"
    if isinstance(value, float):
        return f"{value:.{digits}f}"
    return str(value)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--shared", type=Path, default=Path(os.environ.get("LITSIEVE_SHARED", REPO.parent / "shared")))
    parser.add_argument("--bench-python", type=Path, default=REPO / ".venv-bench" / "bin" / "python")
    parser.add_argument("--out", type=Path, default=REPO / "benchmarks" / "out")
    parser.add_argument("--sizes", default=",".join(str(s) for s in SIZES))
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
    results: dict[str, dict[str, object]] = {}
    with tempfile.TemporaryDirectory(prefix="litsieve-bench-") as tmp:
        work = Path(tmp)
        for name in SETS:
            source, id_column, labels = labelled_set(shared, name, work)
            entry: dict[str, object] = {"records": len(labels)}
            # Each runner is called within this iteration, so binding the loop variables late is safe.
            tools = [("litsieve", lambda: run_litsieve(source, work / f"{name}.litsieve.csv"))]  # noqa: B023
            if use_bib:
                tools.append(("bib-dedupe", lambda: run_bib_dedupe(args.bench_python, source, id_column,  # noqa: B023
                                                                   work / f"{name}.bib.csv")))  # noqa: B023
            for tool, runner in tools:
                predicted, seconds, peak = runner()
                missing = set(labels) - set(predicted)
                if missing:
                    raise RuntimeError(f"{tool} on {name}: {len(missing)} records missing from its output")
                if name.startswith("iebh"):
                    scores = flag_scores(predicted, {i for i, v in labels.items() if v == "Duplicate"})
                else:
                    scores = pair_scores(predicted, labels)
                entry[tool] = {**scores, "seconds": seconds, "peak_mb": peak / 2**20}
                print(f"{name:24} {tool:10} " + " ".join(f"{k}={fmt(v)}" for k, v in scores.items()
                                                        if k in ("pair_f1", "pair_precision", "pair_recall",
                                                                 "false_merge_pairs", "sensitivity", "specificity",
                                                                 "clusters_with_certain_false_merge"))
                      + f" {seconds:.1f}s", file=sys.stderr)
            results[name] = entry

        scale: dict[str, dict[str, object]] = {}
        for size in (int(s) for s in args.sizes.split(",") if s):
            records, truth = synthetic(size, args.shared)
            source = work / f"synthetic_{size}.csv"
            write_synthetic(source, records)
            longest = max(len(str(r["abstract"])) for r in records)
            load_before = os.getloadavg()[0]
            predicted, seconds, peak = run_litsieve(source, work / f"synthetic_{size}.litsieve.csv")
            load = max(load_before, os.getloadavg()[0])
            cpu = next(v for k, v in CPU_SECONDS.items() if k.endswith(f"synthetic_{size}.litsieve.csv"))
            scores = pair_scores(predicted, truth)
            scale[str(size)] = {"records": size, "works": len(set(truth.values())), "longest_abstract": longest,
                                "abstracts_over_30k": sum(1 for r in records if len(str(r["abstract"])) >= 30_000),
                                "seconds": seconds, "cpu_seconds": cpu, "peak_mb": peak / 2**20,
                                "load_average": load, **scores}
            print(f"synthetic {size:>7}: {seconds:.1f}s wall, {cpu:.1f}s CPU, peak {peak / 2**20:.0f} MiB, "
                  f"pair F1 {scores['pair_f1']:.4f}, "
                  f"false merges {scores['false_merge_pairs']}", file=sys.stderr)

    report = render(results, scale)
    args.out.mkdir(parents=True, exist_ok=True)
    (args.out / "dedup.md").write_text(report, encoding="utf-8")
    (args.out / "dedup.json").write_text(json.dumps({"machine": machine(), "labelled": results, "synthetic": scale},
                                                    indent=2, sort_keys=True) + "\n", encoding="utf-8")
    print(report)
    return 0


def render(results: Mapping[str, Mapping[str, object]], scale: Mapping[str, Mapping[str, object]]) -> str:
    lines = [f"Machine: {machine()}", "",
             "| set | records | tool | pair precision | pair recall | pair F1 | false-merge pairs (clusters) "
             "| sensitivity | specificity | time (s) | bar (bib-dedupe F1) |",
             "|---|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|"]
    for name, entry in results.items():
        for tool in ("litsieve", "bib-dedupe"):
            s = entry.get(tool)
            if not isinstance(s, Mapping):
                continue
            if "pair_f1" in s:
                lines.append(
                    f"| {name} | {entry['records']} | {tool} | {fmt(s['pair_precision'])} | {fmt(s['pair_recall'])} "
                    f"| {fmt(s['pair_f1'])} | {s['false_merge_pairs']} ({s['clusters_with_false_merge']}) "
                    f"| {fmt(s['sensitivity'])} | {fmt(s['specificity'])} | {fmt(s['seconds'], 1)} "
                    f"| {fmt(BIB_DEDUPE_BAR.get(name))} |")
            else:
                lines.append(
                    f"| {name} | {entry['records']} | {tool} | – | – | – "
                    f"| {s['clusters_with_certain_false_merge']} certain (lower bound) | {fmt(s['sensitivity'])} "
                    f"| {fmt(s['specificity'])} | {fmt(s['seconds'], 1)} | – |")
    if scale:
        lines += ["", "| synthetic records | works | abstracts ≥30k chars (longest) | wall time (s) | CPU time (s) "
                  "| peak memory (MiB) | pair F1 | false-merge pairs | load average |",
                  "|---:|---:|---:|---:|---:|---:|---:|---:|---:|"]
        for size, s in scale.items():
            lines.append(f"| {size} | {s['works']} | {s['abstracts_over_30k']} ({s['longest_abstract']}) "
                         f"| {fmt(s['seconds'], 1)} | {fmt(s['cpu_seconds'], 1)} | {fmt(s['peak_mb'], 0)} "
                         f"| {fmt(s['pair_f1'], 4)} "
                         f"| {s['false_merge_pairs']} | {fmt(s['load_average'], 1)} |")
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    sys.exit(main())
