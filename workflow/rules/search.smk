# Search: the protocol's string checked and translated, hand-made exports checked against it,
# and the PRISMA-S search documentation. Only `litsieve search refresh` touches the network; no
# rule does (live sources are read from their frozen snapshots, import.smk).
SEARCH_TARGETS = ["pubmed", "europepmc", "ebsco", "ovid"]
# Exports of database and register searches are checked against the query; records found by
# other methods (websites, organisations, citation searching) were not found with the string.
CHECKED_SOURCES = sorted(name for name, source in SOURCES.items() if source.checked_against_query)
# Export files are inputs of the documentation so that a replaced export changes its checksum there.
CHECKED_FILES = sorted({path for name in CHECKED_SOURCES for path in SOURCES[name].files})


rule search_translations:
    output:
        lint="results/search/lint.txt",
        translations=expand("results/search/translations/{target}.txt", target=SEARCH_TARGETS),
    log:
        "results/logs/search/translations.log",
    conda:
        LITSIEVE_ENV
    params:
        search=PROTOCOL.search,
    script:
        "../../scripts/search_translations.py"


rule search_check:
    input:
        "results/records/sources/{source}.csv",
    output:
        "results/search/check/{source}.csv",
    log:
        "results/logs/search/check_{source}.log",
    conda:
        LITSIEVE_ENV
    params:
        search=PROTOCOL.search,
        # Checked against the string as run in that database when the protocol gives it.
        as_run=lambda wildcards: SOURCES[wildcards.source].as_run,
    script:
        "../../scripts/search_check.py"


rule search_strategy:
    input:
        records=expand("results/records/sources/{source}.csv", source=sorted(SOURCES)),
        checks=expand("results/search/check/{source}.csv", source=CHECKED_SOURCES),
        # The manifest of each live source's snapshot in use (a new snapshot reruns this).
        manifests=lambda wildcards: [snapshot_of(name)[0] for name in LIVE],
        exports=CHECKED_FILES,
        lint="results/search/lint.txt",
    output:
        md="results/search/search_strategy.md",
        json="results/search/search_strategy.json",
    log:
        "results/logs/search/strategy.log",
    conda:
        LITSIEVE_ENV
    params:
        review=PROTOCOL.review,
        search=PROTOCOL.search,
        sources=PROTOCOL.sources,
    script:
        "../../scripts/search_strategy.py"
