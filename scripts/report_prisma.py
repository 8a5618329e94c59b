"""Snakemake entry: PRISMA 2020 counts, conservation checks, flow diagram and prisma2020.csv."""
from pathlib import Path

from litsieve.logs import rule_log
from litsieve.report.counts import FlowFiles
from litsieve.report.prisma import PrismaOutputs, write_prisma

with rule_log(snakemake.log[0]):  # noqa: F821 (snakemake injects it)
    write_prisma(FlowFiles(**{k: Path(v) for k, v in snakemake.input.items()}),  # noqa: F821
                 snakemake.params.review, snakemake.params.sources,  # noqa: F821
                 PrismaOutputs(**{k: Path(v) for k, v in snakemake.output.items()}))  # noqa: F821
