"""Snakemake entry: a live source's records, read offline from its frozen snapshot."""
from litsieve.logs import rule_log
from litsieve.search.snapshot import import_snapshot

with rule_log(snakemake.log[0]):  # noqa: F821 (snakemake injects it)
    import_snapshot(snakemake.input, snakemake.params.source, snakemake.output[0])  # noqa: F821
