"""Deduplication under combined perturbations: every duplicate has them all at once.

Issue 10's independent set lost most pairs where one copy combined a publication year one
off (online first, then print) with several title typos, an abbreviated journal and another
page format. ``dedup_synthetic.py`` applies each perturbation to some copies; here every
work of the labelled sets (``../shared/bench/dedup``, one record per work, the real record
unchanged) gets one copy that has all of them:

- the year one later (when the work has a year);
- two to four keyboard slips in the title (swapped, dropped, doubled or replaced letters);
- the venue abbreviated in one of three styles (``Euro. Jour. Info. Syst.``, ``Eur Jou Inf
  Sys``, upper case), or left out;
- the pages as ``123-29``, ``123–129``, ``pp. 123-129`` or the first page only;
- authors as initials, the DOI left out, the issue left out for three copies in ten.

The other works of the sets are the negatives: many are alike (abstracts of one meeting,
yearly editorials, one group's papers). The same seed always gives the same file.

Run (``make -C benchmarks dedup`` runs it after ``dedup.py``)::

    .venv/bin/python benchmarks/dedup_combined.py [--shared ../shared] [--bench-python .venv-bench/bin/python]

It prints pair precision, recall and F1 (one true pair per work), the clusters holding two
works, and writes ``benchmarks/out/dedup_combined.{md,json}``.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import re
import sys
import tempfile
from pathlib import Path
from typing import Iterator, Sequence

from dedup import REPO, pair_scores, run_bib_dedupe, run_litsieve
from dedup_synthetic import _STOP, _initials, _typos, real_records
from machine import machine

SEED = 20171121


def _venue(journal: str, rng: random.Random) -> str:
    words = [w for w in re.split(r"[\s.]+", journal) if w and w.lower() not in _STOP]
    style = rng.randrange(4)
    if style == 0:
        return " ".join(w[:4] + "." if len(w) > 5 else w for w in words)
    if style == 1:
        return " ".join(w[:3] if len(w) > 4 else w for w in words)
    if style == 2:
        return journal.upper()
    return ""


def _pages(pages: str, rng: random.Random) -> str:
    match = re.fullmatch(r"(\d+)-(\d+)", pages)
    if not match:
        return pages
    start, end = match.groups()
    return (f"{start}-{end[-2:] if len(end) > 2 else end}", f"{start}\u2013{end}", f"pp. {start}-{end}",
            start)[rng.randrange(4)]


def rows(shared: Path, seed: int = SEED) -> Iterator[dict[str, object]]:
    """Each real work, then its perturbed copy, as record fields with the work as truth."""
    rng = random.Random(seed)
    works, _ = real_records(shared)
    for n, work in enumerate(works):
        if not work["title"]:
            continue
        authors = list(work["authors"])  # type: ignore[call-overload]
        year = str(work["year"])
        yield {"ID": f"w{n:05d}a", "work": f"w{n:05d}", "title": work["title"], "authors": authors, "year": year,
               "journal": work["journal"], "volume": work["volume"], "issue": work["issue"],
               "pages": work["pages"], "doi": work["doi"]}
        yield {"ID": f"w{n:05d}b", "work": f"w{n:05d}", "title": _typos(str(work["title"]), rng.choice((2, 3, 4)), rng),
               "authors": [_initials(a) for a in authors], "year": str(int(year) + 1) if year.isdigit() else year,
               "journal": _venue(str(work["journal"]), rng) if work["journal"] else "", "volume": work["volume"],
               "issue": work["issue"] if rng.random() < 0.7 else "", "pages": _pages(str(work["pages"]), rng),
               "doi": ""}


def write(path: Path, data: Sequence[dict[str, object]]) -> None:
    """As ``results/records/all.csv``, the file the workflow's dedup rule reads."""
    from litsieve.record import Record, normalize_author, parse_year
    from litsieve.records_io import write_records

    write_records(path, (Record(record_id=str(r["ID"]), source="db1" if str(r["ID"]).endswith("a") else "db2",
                                title=str(r["title"]), year=parse_year(str(r["year"])),
                                authors=[normalize_author(a) for a in r["authors"] if a],  # type: ignore[attr-defined]
                                journal=str(r["journal"]), volume=str(r["volume"]), issue=str(r["issue"]),
                                pages=str(r["pages"]), doi=str(r["doi"])) for r in data))


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--shared", type=Path, default=Path(os.environ.get("LITSIEVE_SHARED", REPO.parent / "shared")))
    parser.add_argument("--bench-python", type=Path, default=REPO / ".venv-bench" / "bin" / "python")
    parser.add_argument("--out", type=Path, default=REPO / "benchmarks" / "out")
    args = parser.parse_args(argv)
    if not (args.shared / "bench" / "dedup").is_dir():
        print(f"skipped: {args.shared / 'bench' / 'dedup'} not found (set --shared or LITSIEVE_SHARED)")
        return 0
    data = list(rows(args.shared))
    truth = {str(r["ID"]): str(r["work"]) for r in data}
    results: dict[str, dict[str, object]] = {}
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        source = work / "combined.csv"
        write(source, data)
        clusters, _, seconds, _ = run_litsieve(source, work / "litsieve.csv")
        results["litsieve"] = {**pair_scores(clusters, truth), "seconds": seconds}
        if args.bench_python.exists():
            clusters, seconds, _ = run_bib_dedupe(args.bench_python, source, "record_id", work / "bib.csv")
            results["bib-dedupe"] = {**pair_scores(clusters, truth), "seconds": seconds}
    lines = [f"Machine: {machine()}.", "",
             f"Combined perturbations: {len(data) // 2} real works, each with one copy that has every "
             f"perturbation (seed {SEED}).", "",
             "| tool | pair precision | pair recall | pair F1 | false-merge clusters | wall (s) |",
             "|---|---:|---:|---:|---:|---:|"]
    for tool, r in results.items():
        lines.append(f"| {tool} | {r['pair_precision']:.4f} | {r['pair_recall']:.4f} | {r['pair_f1']:.4f} | "
                     f"{r['clusters_with_false_merge']} | {r['seconds']:.1f} |")
    if "bib-dedupe" not in results:
        lines += ["", f"(bib-dedupe not run: {args.bench_python} not found.)"]
    text = "\n".join(lines) + "\n"
    print(text)
    args.out.mkdir(parents=True, exist_ok=True)
    (args.out / "dedup_combined.md").write_text(text, encoding="utf-8")
    (args.out / "dedup_combined.json").write_text(json.dumps(results, indent=2, sort_keys=True) + "\n",
                                                  encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
