"""Snakemake entry: split deduplicated records into the screening pool and removals, with suggestions."""
from litsieve.logs import rule_log
from litsieve.screening.pool import screening_pool

with rule_log(snakemake.log[0]):  # noqa: F821 (snakemake injects it)
    screening_pool(snakemake.input.records, snakemake.output.pool, snakemake.output.removed,  # noqa: F821
                   snakemake.output.suggestions, snakemake.output.other_methods,  # noqa: F821
                   search=snakemake.params.search, criteria=snakemake.params.criteria,  # noqa: F821
                   other_sources=snakemake.params.other_sources,  # noqa: F821
                   clusters=snakemake.input.clusters)  # noqa: F821
