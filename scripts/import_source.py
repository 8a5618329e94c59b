"""Snakemake entry: import one source's export files into the record model."""
from litsieve.logs import rule_log
from litsieve.importers.workflow import import_source

with rule_log(snakemake.log[0]):  # noqa: F821 (snakemake injects it)
    import_source(snakemake.input, snakemake.wildcards.source, snakemake.output[0],  # noqa: F821
                  fmt=snakemake.params.fmt)  # noqa: F821
