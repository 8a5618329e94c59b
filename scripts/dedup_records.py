"""Snakemake entry: deduplicate the review's records (see litsieve.dedup.workflow)."""
from litsieve.logs import rule_log
from litsieve.dedup.workflow import run_dedup

with rule_log(snakemake.log[0]):  # noqa: F821 (snakemake injects it)
    run_dedup(snakemake.input.records, snakemake.params.people, snakemake.output.records,  # noqa: F821
              snakemake.output.clusters, snakemake.output.counts, snakemake.params.settings)  # noqa: F821
