"""Import speed: 100,000 PsycINFO-sized RIS records through ``litsieve import``.

The export is made deterministically (seed 20171120) from the two EBSCOhost PsycINFO
records of ``tests/data/import/ris_ebscohost_psycinfo.ris``: each synthetic record keeps
their layout (accession number, T1/JF/JO/JA, Y1, several UR lines, N1, CRLF line endings)
with an abstract of 200-420 words and 4-12 more keywords, and with words, authors,
numbers and the DOI varied: about 3 KB a record, 300 MB for 100,000.

Measured, each in a fresh process with its wall time and CPU time (``wait4``, the same as
``/usr/bin/time``) and peak memory:

- ``litsieve import FILE -o OUT.csv`` (decode, detect, parse, map, assign ids, write CSV);
- rispy alone loading the same file, the floor a pure-Python RIS parser reaches
  (skipped when rispy is not installed; it is a test dependency);
- with ``--baseline-src DIR``, the same ``litsieve import`` with another source tree
  first on ``PYTHONPATH`` (e.g. a ``git archive main src`` copy), so a change is compared
  on the same file in the same run.

Figures are printed as Markdown and written to ``benchmarks/out/import.{md,json}``.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from machine import machine

ROOT = Path(__file__).resolve().parents[1]
TEMPLATE = ROOT / "tests" / "data" / "import" / "ris_ebscohost_psycinfo.ris"
OUT = Path(__file__).resolve().parent / "out"


def synthetic_export(path: Path, count: int, seed: int = 20171120) -> int:
    """Write ``count`` RIS records made from the template's records; returns bytes written."""
    blocks = re.findall(r"TY  - .*?ER  - ", TEMPLATE.read_text(encoding="utf-8"), re.DOTALL)
    words = re.findall(r"[A-Za-z]{4,}", TEMPLATE.read_text(encoding="utf-8"))
    rng = random.Random(seed)
    size = 0
    with path.open("w", encoding="utf-8", newline="\r\n") as handle:
        for number in range(count):
            block = blocks[number % len(blocks)]
            abstract = " ".join(rng.choice(words) for _ in range(rng.randint(200, 420)))
            block = re.sub(r"AB  - [^\n]*", f"AB  - {abstract}.", block)
            keywords = "".join(f"KW  - {rng.choice(words)} {rng.choice(words)}\n"
                               for _ in range(rng.randint(4, 12)))
            block = block.replace("ER  - ", keywords + "ER  - ")
            block = re.sub(r"AN  - [^\n]*", f"AN  - {2000 + number % 20}-{number:05d}-001", block)
            block = re.sub(r"T1  - [^\n]*",
                           "T1  - " + " ".join(rng.choice(words) for _ in range(12)) + ".", block)
            block = re.sub(r"DO  - [^\n]*", f"DO  - 10.{1000 + number % 9000}/x.{number}", block)
            block = re.sub(r"(AU  - )[^,\n]*", lambda m: m.group(1) + rng.choice(words), block)
            text = block + "\n\n"
            handle.write(text)
            size += len(text.encode("utf-8")) + text.count("\n")
    return size


def timed(command: list[str], env: dict[str, str] | None = None) -> dict[str, float]:
    """Wall and CPU seconds and peak resident memory (MiB) of one command."""
    start = time.perf_counter()
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                               env=env)
    stderr = process.stderr.read() if process.stderr else b""  # type: ignore[union-attr]
    _, status, usage = os.wait4(process.pid, 0)
    wall = time.perf_counter() - start
    if os.waitstatus_to_exitcode(status) != 0:
        raise RuntimeError(f"{' '.join(command)} failed:\n{stderr.decode(errors='replace')[-2000:]}")
    return {"wall_s": round(wall, 1), "cpu_s": round(usage.ru_utime + usage.ru_stime, 1),
            "peak_mib": round(usage.ru_maxrss / 1024)}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--records", type=int, default=100_000)
    parser.add_argument("--baseline-src", type=Path,
                        help="another litsieve source tree to time on the same file")
    args = parser.parse_args(argv)
    python = sys.executable
    OUT.mkdir(exist_ok=True)
    results: list[dict[str, object]] = []
    with tempfile.TemporaryDirectory() as tmp:
        export = Path(tmp) / "psycinfo.ris"
        size = synthetic_export(export, args.records)
        out_csv = str(Path(tmp) / "records.csv")
        load = os.getloadavg()[0]
        runs = [("litsieve import (this tree)", [python, "-m", "litsieve.cli", "import",
                                                  str(export), "-o", out_csv], None)]
        if args.baseline_src:
            env = dict(os.environ, PYTHONPATH=str(args.baseline_src.resolve()))
            runs.append((f"litsieve import ({args.baseline_src})",
                         [python, "-m", "litsieve.cli", "import", str(export), "-o", out_csv], env))
        try:
            import rispy  # noqa: F401

            runs.append(("rispy.load alone", [python, "-c", "import pathlib,rispy,sys; "
                         "rispy.load(pathlib.Path(sys.argv[1]), encoding='utf-8')", str(export)], None))
        except ImportError:
            pass
        for label, command, env in runs:
            figures = timed(command, env)
            results.append({"what": label, "records": args.records,
                            "file_mb": round(size / 1e6), **figures})
            print(f"{label}: {figures}", flush=True)
        load_after = os.getloadavg()[0]
    lines = [f"Machine: {machine()}; load average {load:.1f} before, {load_after:.1f} after.",
             "", "| what | records | file (MB) | wall (s) | CPU (s) | peak memory (MiB) |",
             "|---|---:|---:|---:|---:|---:|"]
    lines += [f"| {r['what']} | {r['records']:,} | {r['file_mb']} | {r['wall_s']} | {r['cpu_s']} "
              f"| {r['peak_mib']} |" for r in results]
    text = "\n".join(lines) + "\n"
    print(text)
    (OUT / "import.md").write_text(text, encoding="utf-8")
    (OUT / "import.json").write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
