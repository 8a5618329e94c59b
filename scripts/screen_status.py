"""Snakemake entry: screening progress (status.json) and agreement (agreement.json)."""
from litsieve.logs import rule_log
from litsieve.screening.status import screening_summary

with rule_log(snakemake.log[0]):  # noqa: F821 (snakemake injects it)
    screening_summary(snakemake.input.title_abstract, snakemake.input.full_text,  # noqa: F821
                      snakemake.output.status, snakemake.output.agreement,  # noqa: F821
                      screeners=snakemake.params.screeners, ranking=snakemake.params.ranking,  # noqa: F821
                      people=snakemake.params.people)  # noqa: F821
