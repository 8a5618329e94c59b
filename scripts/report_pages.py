"""Snakemake entry: the search documentation and screening progress as pages of the HTML report."""
from litsieve.logs import rule_log
from litsieve.report.pages import write_pages

with rule_log(snakemake.log[0]):  # noqa: F821 (snakemake injects it)
    write_pages(snakemake.input.search, snakemake.input.status, snakemake.input.agreement,  # noqa: F821
                snakemake.output.search, snakemake.output.screening, snakemake.input.prisma)  # noqa: F821
