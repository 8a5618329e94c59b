"""Snakemake entry: screening progress (status.json) and agreement (agreement.json)."""
from litsieve.logs import rule_log
from litsieve.screening.status import screening_summary

with rule_log(snakemake.log[0]):  # noqa: F821 (snakemake injects it)
    screening_summary(snakemake.input.title_abstract, snakemake.input.full_text,  # noqa: F821
                      snakemake.params.protocol, snakemake.output.status,  # noqa: F821
                      snakemake.output.agreement)  # noqa: F821
