# litsieve: a reproducible systematic-review workflow.
# The protocol lives in config/config.yaml; every rule's logic lives in the litsieve package.
from snakemake.utils import min_version, validate

min_version("9.0")


configfile: "config/config.yaml"


validate(config, "workflow/schemas/config.schema.yaml")


include: "workflow/rules/common.smk"
include: "workflow/rules/import.smk"


rule all:
    input:
        "results/records/all.csv",
        "results/records/counts.tsv",
    default_target: True
