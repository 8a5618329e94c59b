"""Snakemake entry: merge the full-text queues, settle decisions, write the stage state."""
from litsieve.logs import rule_log
from litsieve.screening.stages import screen_full_text

with rule_log(snakemake.log[0]):  # noqa: F821 (snakemake injects it)
    screen_full_text(snakemake.input.title_abstract, snakemake.input.pool, snakemake.output[0],  # noqa: F821
                     screeners=snakemake.params.screeners, criteria=snakemake.params.criteria,  # noqa: F821
                     people=snakemake.params.people,  # noqa: F821
                     other_methods=snakemake.input.other_methods,  # noqa: F821
                     clusters=snakemake.input.clusters)  # noqa: F821
