"""Snakemake entry: merge the title/abstract queues, settle decisions, write the stage state."""
from litsieve.logs import rule_log
from litsieve.screening.stages import screen_title_abstract

with rule_log(snakemake.log[0]):  # noqa: F821 (snakemake injects it)
    screen_title_abstract(snakemake.input.pool, snakemake.input.suggestions,  # noqa: F821
                          snakemake.params.protocol, snakemake.output[0])  # noqa: F821
