"""Snakemake entry: lint the protocol's string and write its translation for each database."""
from pathlib import Path

from litsieve.logs import rule_log
from litsieve.search.strategy import write_lint_and_translations

with rule_log(snakemake.log[0]):  # noqa: F821 (snakemake injects it)
    write_lint_and_translations(snakemake.params.search, snakemake.output.lint,  # noqa: F821
                                Path(snakemake.output.translations[0]).parent)  # noqa: F821
