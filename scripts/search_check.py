"""Snakemake entry: evaluate the protocol's query over one hand-made export's records."""
from litsieve.logs import rule_log
from litsieve.search.check import check_export

with rule_log(snakemake.log[0]):  # noqa: F821 (snakemake injects it)
    check_export(snakemake.input[0], snakemake.params.search, snakemake.output[0],  # noqa: F821
                 snakemake.params.as_run)  # noqa: F821
