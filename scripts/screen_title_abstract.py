"""Snakemake entry: merge the title/abstract queues, settle decisions, write the stage state."""
from litsieve.logs import rule_log
from litsieve.screening.stages import screen_title_abstract

with rule_log(snakemake.log[0]):  # noqa: F821 (snakemake injects it)
    screen_title_abstract(snakemake.input.pool, snakemake.input.suggestions, snakemake.output[0],  # noqa: F821
                          screeners=snakemake.params.screeners, maybe=snakemake.params.maybe,  # noqa: F821
                          criteria=snakemake.params.criteria, ranked=snakemake.params.ranked,  # noqa: F821
                          people=snakemake.params.people, clusters=snakemake.input.clusters)  # noqa: F821
