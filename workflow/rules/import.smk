# Import: each source's records into the record model (an exported source from its files, a
# live one from its frozen snapshot: the workflow itself never searches), then all in one file.
rule import_source:
    input:
        lambda wildcards: SOURCES[wildcards.source].files,
    output:
        "results/records/sources/{source}.csv",
    log:
        "results/logs/import/{source}.log",
    wildcard_constraints:
        source=one_of(EXPORTED),
    conda:
        LITSIEVE_ENV
    params:
        # What reading the files needs, not the whole source entry: editing its date or
        # label reruns only the rules that show them.
        fmt=lambda wildcards: SOURCES[wildcards.source].format,
    script:
        "../../scripts/import_source.py"


rule import_snapshot:
    input:
        lambda wildcards: snapshot_of(wildcards.source),
    output:
        "results/records/sources/{source}.csv",
    log:
        "results/logs/import/snapshot_{source}.log",
    wildcard_constraints:
        source=one_of(LIVE),
    conda:
        LITSIEVE_ENV
    params:
        source=lambda wildcards: SOURCES[wildcards.source],
    script:
        "../../scripts/import_snapshot.py"


rule import_combine:
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
        "../../scripts/import_combine.py"
