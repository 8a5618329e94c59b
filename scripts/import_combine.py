"""Snakemake entry: combine every source's records and count them per source."""
from litsieve.logs import rule_log
from litsieve.importers.workflow import combine_sources

with rule_log(snakemake.log[0]):  # noqa: F821
    combine_sources(snakemake.input, snakemake.output.records, snakemake.output.counts)  # noqa: F821
