"""Snakemake entry: included and excluded records as RIS and BibTeX with their decisions."""
from litsieve.logs import rule_log
from litsieve.report.export import write_exports

with rule_log(snakemake.log[0]):  # noqa: F821 (snakemake injects it)
    write_exports(snakemake.input.pool, snakemake.input.title_abstract, snakemake.input.full_text,  # noqa: F821
                  dict(snakemake.output.items()), other_methods=snakemake.input.other_methods)  # noqa: F821
