"""Snakemake entry: the screening pool's records with their suggestions, highlighted, as a page of the HTML report."""
from litsieve.logs import rule_log
from litsieve.report.pages import write_suggestions_page

with rule_log(snakemake.log[0]):  # noqa: F821 (snakemake injects it)
    write_suggestions_page(snakemake.input.pool, snakemake.output[0],  # noqa: F821
                           search=snakemake.params.search, criteria=snakemake.params.criteria)  # noqa: F821
