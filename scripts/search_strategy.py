"""Snakemake entry: write the PRISMA-S search documentation."""
from litsieve.logs import rule_log
from litsieve.search.strategy import write_strategy_from_inputs

with rule_log(snakemake.log[0]):  # noqa: F821 (snakemake injects it)
    write_strategy_from_inputs(snakemake.params.review, snakemake.params.search,  # noqa: F821
                               snakemake.params.sources, snakemake.input, snakemake.output)  # noqa: F821
