# Import: each exported source's files into the record model, then all sources in one file.
rule import_source:
    input:
        lambda wildcards: SOURCES[wildcards.source].files,
    output:
        "results/records/sources/{source}.csv",
    wildcard_constraints:
        source=one_of(EXPORTED),
    params:
        # What reading the files needs, not the whole source entry: editing its date or
        # label reruns only the rules that show them.
        fmt=lambda wildcards: SOURCES[wildcards.source].format,
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
