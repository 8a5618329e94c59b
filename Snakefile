# litsieve: a reproducible systematic-review workflow.
# The protocol is config/config.yaml, or the file given with `snakemake --configfile FILE`,
# which then is the whole protocol: nothing of config/config.yaml is merged into it.
# Every rule's logic lives in the litsieve package.
import time

from snakemake.utils import min_version

from litsieve.logs import print_notices
from litsieve.protocol import parse_protocol

# When this run started: the end of the run prints the warnings of the rules run since.
RUN_STARTED = time.time()

min_version("9.0")


if not workflow.overwrite_configfiles:

    configfile: "config/config.yaml"


# Validated against workflow/schemas/config.schema.yaml (defaults filled there) into the
# typed model every rule takes its params from (litsieve.protocol).
PROTOCOL_FILES = [str(f) for f in workflow.overwrite_configfiles] or ["config/config.yaml"]
PROTOCOL = parse_protocol(config, source=", ".join(PROTOCOL_FILES))


include: "workflow/rules/common.smk"
include: "workflow/rules/import.smk"
include: "workflow/rules/dedup.smk"
include: "workflow/rules/search.smk"
include: "workflow/rules/screen.smk"
include: "workflow/rules/report.smk"


rule all:
    default_target: True
    input:
        "results/records/all.csv",
        "results/records/counts.tsv",
        "results/dedup/records.csv",
        "results/dedup/clusters.csv",
        "results/dedup/counts.json",
        "results/search/search_strategy.md",
        "results/search/search_strategy.json",
        "results/search/lint.txt",
        "results/screening/pool.csv",
        "results/screening/removed_before_screening.csv",
        "results/screening/suggestions.csv",
        "results/screening/status.json",
        "results/prisma/flow.svg",
        "results/prisma/flow.pdf",
        "results/prisma/flow.png",
        "results/prisma/counts.json",
        "results/prisma/prisma2020.csv",
        "results/extraction/extraction.csv",
        "results/extraction/extraction.xlsx",
        expand("results/exports/{set}.{fmt}", set=["included", "excluded"], fmt=["ris", "bib"]),
        "results/report/search_strategy.html",
        "results/report/screening.html",
        "results/report/suggestions.html",


onsuccess:
    from litsieve.report.prisma import print_summary as print_report_summary
    from litsieve.screening.status import print_summary
    from litsieve.search.strategy import summary_lines as search_summary

    print("\n".join(search_summary("results")))
    print_summary("results")
    print_report_summary("results")
    print_notices("results/logs", RUN_STARTED)


onerror:
    print_notices("results/logs", RUN_STARTED)
