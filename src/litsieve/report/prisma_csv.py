"""``prisma2020.csv``: the flow diagram's numbers in the PRISMA2020 R package's template.

The R package (and its Shiny app) reads a CSV with the columns
``data,node,box,description,boxtext,tooltips,url,n``, one row per number; its
``PRISMA_data()`` turns it into the inputs of ``PRISMA_flowdiagram()``. Writing the same
layout lets R users redraw or restyle litsieve's diagram with their own tools:

    data <- PRISMA2020::PRISMA_data(read.csv("results/prisma/prisma2020.csv"))
    PRISMA2020::PRISMA_flowdiagram(data, previous = FALSE, other = FALSE)

Rows, node and box names follow the template; lists (records per database, reports
excluded per reason) go in ``n`` as ``Name, count; Name, count``, as the template asks.
The other-methods rows (``website_results``, ``organisation_results``,
``citations_results``, ``other_sought_reports``, ``other_notretrieved_reports``,
``other_assessed``, ``other_excluded``) hold the second column's numbers when the protocol
has such sources (draw with ``other = TRUE``); the arm litsieve does not have (previous
versions of the review) and other methods in a review without them are written with 0,
so the file stays complete.
"""

from __future__ import annotations

import os
from typing import Iterable

from litsieve.fileio import write_csv
from litsieve.report.counts import FlowCounts, OtherMethodsCounts

COLUMNS = ("data", "node", "box", "description", "boxtext", "tooltips", "url", "n")
NA = "NA"


def _pairs(items: Iterable[tuple[str, int]]) -> str:
    """``Name, 12; Other, 3``; commas and semicolons inside names would split them, so they go."""
    return "; ".join(f"{name.replace(';', ' ').replace(',', ' -')}, {count}" for name, count in items)


def prisma2020_rows(counts: FlowCounts) -> list[dict[str, str]]:
    other = counts.other or OtherMethodsCounts(sources=[], identified=0, duplicates=0, sought=0, not_retrieved=0,
                                               retrieval_awaiting=0, assessed=0, reports_excluded=0)
    databases = [(s.label, s.records) for s in counts.sources if s.kind == "database"]
    registers = [(s.label, s.records) for s in counts.sources if s.kind == "register"]
    # data, node, box, description, boxtext, n
    table: list[tuple[str, str, str, str, str, str | int]] = [
        (NA, "node4", "prevstud", "Grey title box; previous studies", "Previous studies", 0),
        ("previous_studies", "node5", "box1", "Studies included in the previous version of the review",
         "Studies included in previous version of review", 0),
        ("previous_reports", NA, "box1", "Reports of studies included in the previous version of the review",
         "Reports of studies included in previous version of review", 0),
        (NA, "node6", "newstud", "Yellow title box; identification of new studies via databases and registers",
         "Identification of new studies via databases and registers", 0),
        ("database_results", "node7", "box2", "Records identified from databases", "Databases", counts.databases),
        ("database_specific_results", NA, "box2", "Records identified from each database",
         "Specific Databases", _pairs(databases)),
        ("register_results", NA, "box2", "Records identified from registers", "Registers", counts.registers),
        ("register_specific_results", NA, "box2", "Records identified from each register",
         "Specific Registers", _pairs(registers)),
        (NA, "node16", "othstud", "Grey title box; identification of new studies via other methods",
         "Identification of new studies via other methods", 0),
        ("website_results", "node17", "box11", "Records identified from websites", "Websites",
         other.by_kind("website")),
        ("organisation_results", NA, "box11", "Records identified from organisations", "Organisations",
         other.by_kind("organisation")),
        ("citations_results", NA, "box11", "Records identified from citation searching", "Citation searching",
         other.by_kind("citation_search")),
        ("duplicates", "node8", "box3", "Duplicate records removed before screening", "Duplicate records",
         counts.duplicates),
        ("excluded_automatic", NA, "box3", "Records marked as ineligible by automation tools (protocol limits "
         "applied automatically)", "Records marked as ineligible by automation tools", counts.automation),
        ("excluded_other", NA, "box3", "Records removed for other reasons (not matched by the intended query)",
         "Records removed for other reasons", counts.other_reasons),
        ("records_screened", "node9", "box4", "Records screened at title and abstract (databases and registers)",
         "Records screened", counts.screened),
        ("records_excluded", "node10", "box5", "Records excluded at title and abstract (databases and registers)",
         "Records excluded", counts.records_excluded),
        ("dbr_sought_reports", "node11", "box6", "Reports sought for retrieval (databases and registers)",
         "Reports sought for retrieval", counts.sought),
        ("dbr_notretrieved_reports", "node12", "box7", "Reports not retrieved (databases and registers)",
         "Reports not retrieved", counts.not_retrieved),
        ("other_sought_reports", "node18", "box12", "Reports sought for retrieval (other methods)",
         "Reports sought for retrieval", other.sought),
        ("other_notretrieved_reports", "node19", "box13", "Reports not retrieved (other methods)",
         "Reports not retrieved", other.not_retrieved),
        ("dbr_assessed", "node13", "box8", "Reports assessed for eligibility (databases and registers)",
         "Reports assessed for eligibility", counts.assessed),
        ("dbr_excluded", "node14", "box9", "Reports excluded with reasons (databases and registers): "
         "reason, count; reason, count", "Reports excluded", _pairs(counts.exclusion_reasons.items())),
        ("other_assessed", "node20", "box14", "Reports assessed for eligibility (other methods)",
         "Reports assessed for eligibility", other.assessed),
        ("other_excluded", "node21", "box15", "Reports excluded with reasons (other methods)",
         "Reports excluded", _pairs(other.exclusion_reasons.items())),
        ("new_studies", "node15", "box10", "New studies included in the review",
         "New studies included in review", counts.studies_included),
        ("new_reports", NA, "box10", "Reports of new included studies", "Reports of new included studies",
         counts.reports_included),
        ("total_studies", "node22", "box16", "Total studies included in the review",
         "Total studies included in review", counts.studies_included),
        ("total_reports", NA, "box16", "Reports of all included studies", "Reports of total included studies",
         counts.reports_included),
        ("identification", "node1", "identification", "Blue identification box", "Identification", 0),
        ("screening", "node2", "screening", "Blue screening box", "Screening", 0),
        ("included", "node3", "included", "Blue included box", "Included", 0),
    ]
    rows = []
    for data, node, box, description, boxtext, value in table:
        tooltip = description if node != NA else NA
        url = f"{data if data != NA else box}.html" if node != NA else NA
        rows.append({"data": data, "node": node, "box": box, "description": description, "boxtext": boxtext,
                     "tooltips": tooltip, "url": url, "n": str(value)})
    return rows


def write_prisma2020_csv(path: str | os.PathLike[str], counts: FlowCounts) -> None:
    write_csv(path, prisma2020_rows(counts), COLUMNS)
