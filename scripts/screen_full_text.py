"""Snakemake entry: merge the full-text queues, settle decisions, write the stage state."""
from litsieve.logs import rule_log
from litsieve.screening.stages import screen_full_text

with rule_log(snakemake.log[0]):  # noqa: F821 (snakemake injects it)
    screen_full_text(snakemake.input.title_abstract, snakemake.input.pool,  # noqa: F821
                     snakemake.params.protocol, snakemake.output[0],  # noqa: F821
                     other_methods=snakemake.input.other_methods)  # noqa: F821
