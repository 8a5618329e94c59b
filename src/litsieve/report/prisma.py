"""The ``prisma`` rule and ``litsieve prisma``: count, check, then draw.

Nothing is written unless the conservation rules hold (:mod:`.conservation`), so a wrong
diagram never replaces a right one.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import Sequence

from litsieve.fileio import atomic_write_bytes, iter_csv, write_json
from litsieve.logs import get_logger
from litsieve.protocol import Review, Source
from litsieve.report.conservation import check_conservation
from litsieve.report.counts import FlowCounts, FlowFiles, compute_counts, read_flow_inputs
from litsieve.report.diagram import layout, render
from litsieve.report.prisma_csv import write_prisma2020_csv
from litsieve.studies import retracted_warning

LOG = get_logger("report.prisma")
FORMATS = ("svg", "pdf", "png")


@dataclass(frozen=True)
class PrismaOutputs:
    counts: Path
    svg: Path
    pdf: Path
    png: Path
    csv: Path

    @classmethod
    def under(cls, folder: str | os.PathLike[str] = "results/prisma") -> "PrismaOutputs":
        root = Path(folder)
        return cls(root / "counts.json", root / "flow.svg", root / "flow.pdf", root / "flow.png",
                   root / "prisma2020.csv")


def checked_counts(files: FlowFiles, sources: Sequence[Source]) -> FlowCounts:
    """The diagram's numbers, after every conservation rule has been checked."""
    inputs = read_flow_inputs(files)
    counts = compute_counts(inputs, sources)
    check_conservation(inputs, counts)
    return counts


def write_prisma(files: FlowFiles, review: Review, sources: Sequence[Source], outputs: PrismaOutputs) -> FlowCounts:
    """The ``prisma`` rule: only what the diagram shows comes from the protocol (the
    review's title and the sources' names and kinds)."""
    counts = checked_counts(files, sources)
    drawing = layout(counts, review.title)
    write_json(outputs.counts, counts.to_json())
    write_prisma2020_csv(outputs.csv, counts)
    for fmt in FORMATS:
        atomic_write_bytes(getattr(outputs, fmt), render(drawing, fmt))
    LOG.info("PRISMA flow: %d identified, %d screened, %d studies included (%d reports)%s", counts.identified,
             counts.screened, counts.studies_included, counts.reports_included,
             "" if not counts.in_progress else " (interim: " + "; ".join(
                 f"{v} {k}" for k, v in counts.waiting.items()) + ")")
    if counts.retracted_included:
        LOG.warning("%s", retracted_warning(counts.retracted_included))
    return counts


def summary_lines(results: str | os.PathLike[str] = "results") -> list[str]:
    """The end-of-run lines about the report (nothing before the diagram has been drawn)."""
    import json

    counts_file = Path(results) / "prisma" / "counts.json"
    if not counts_file.exists():
        return []
    counts = json.loads(counts_file.read_text(encoding="utf-8"))
    state = "interim, review in progress" if counts.get("status") == "in progress" else "complete"
    lines = [f"PRISMA flow diagram ({state}): {Path(results) / 'prisma' / 'flow.svg'} (.pdf, .png); "
             f"{counts['identified']} records identified, {counts['screened']} screened, "
             f"{counts['studies_included']} stud{'y' if counts['studies_included'] == 1 else 'ies'} included"
             + (f" ({counts['reports_included']} reports)"
                if counts.get("reports_included", counts["studies_included"]) != counts["studies_included"] else "")]
    if counts.get("retracted_included"):
        lines.append(f"WARNING: {retracted_warning(counts['retracted_included'])}")
    extraction = Path(results) / "extraction" / "extraction.csv"
    if extraction.exists():
        studies = sum(1 for _ in iter_csv(extraction))
        lines.append(f"Extraction table: {extraction} (.xlsx), {studies} included "
                     f"stud{'y' if studies == 1 else 'ies'}; reviewers correct it in the extraction sheet "
                     f"(docs/report.md)")
    return lines


def print_summary(results: str | os.PathLike[str] = "results") -> None:
    """Printed at the end of every `snakemake` run (the Snakefile's ``onsuccess:``)."""
    lines = summary_lines(results)
    if lines:
        print("\n".join(lines))
