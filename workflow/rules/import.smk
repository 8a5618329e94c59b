rule import_source:
    input:
        source_files,
    output:
        "results/records/sources/{source}.csv",
    params:
        source=lambda wildcards: SOURCES[wildcards.source],
    log:
        "results/logs/import/{source}.log",
    conda:
        LITSIEVE_ENV
    script:
        "../../scripts/import_source.py"


rule combine_records:
    input:
        expand("results/records/sources/{source}.csv", source=sorted(SOURCES)),
    output:
        records="results/records/all.csv",
        counts="results/records/counts.tsv",
    log:
        "results/logs/import/combine.log",
    conda:
        LITSIEVE_ENV
    script:
        "../../scripts/combine_records.py"
