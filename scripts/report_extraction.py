"""Snakemake entry: merge the reviewers' extraction sheet and write the extraction table."""
from litsieve.logs import rule_log
from litsieve.report.extraction import update_extraction

with rule_log(snakemake.log[0]):  # noqa: F821 (snakemake injects it)
    update_extraction(snakemake.input.full_text, snakemake.input.pool,  # noqa: F821
                      snakemake.output.csv, snakemake.output.xlsx,  # noqa: F821
                      fields=snakemake.params.fields, people=snakemake.params.people,  # noqa: F821
                      other_methods=snakemake.input.other_methods,  # noqa: F821
                      clusters=snakemake.input.clusters)  # noqa: F821
