# Search: the protocol's string checked and translated, hand-made exports checked against it,
# live sources read from their frozen snapshots, and the PRISMA-S search documentation.
# Only `litsieve search refresh` touches the network; no rule does.
SEARCH_TARGETS = ["pubmed", "europepmc", "ebsco", "ovid"]
# Exports of database and register searches are checked against the query; records found by
# other methods (websites, organisations, citation searching) were not found with the string.
CHECKED_SOURCES = sorted(name for name, source in SOURCES.items() if source.checked_against_query)
# Export files are inputs of the documentation so that a replaced export changes its checksum there.
CHECKED_FILES = sorted({path for name in CHECKED_SOURCES for path in SOURCES[name].files})


rule import_snapshot:
    input:
        lambda wildcards: snapshot_of(wildcards.source),
    output:
        "results/records/sources/{source}.csv",
    wildcard_constraints:
        source=one_of(LIVE),
    params:
        source=lambda wildcards: SOURCES[wildcards.source],
    log:
        "results/logs/search/snapshot_{source}.log",
    conda:
        LITSIEVE_ENV
    script:
        "../../scripts/import_snapshot.py"


rule search_translations:
    output:
        lint="results/search/lint.txt",
        translations=expand("results/search/translations/{target}.txt", target=SEARCH_TARGETS),
    params:
        search=PROTOCOL.search,
    log:
        "results/logs/search/translations.log",
    conda:
        LITSIEVE_ENV
    script:
        "../../scripts/search_translations.py"


rule search_match:
    input:
        "results/records/sources/{source}.csv",
    output:
        "results/search/match/{source}.csv",
    params:
        search=PROTOCOL.search,
        # Checked against the string as run in that database when the protocol gives it.
        as_run=lambda wildcards: SOURCES[wildcards.source].as_run,
    log:
        "results/logs/search/match_{source}.log",
    conda:
        LITSIEVE_ENV
    script:
        "../../scripts/search_match.py"


rule search_strategy:
    input:
        records=expand("results/records/sources/{source}.csv", source=sorted(SOURCES)),
        matches=expand("results/search/match/{source}.csv", source=CHECKED_SOURCES),
        # The manifest of each live source's snapshot in use (a new snapshot reruns this).
        manifests=lambda wildcards: [snapshot_of(name)[0] for name in LIVE],
        exports=CHECKED_FILES,
        lint="results/search/lint.txt",
    output:
        md="results/search/search_strategy.md",
        json="results/search/search_strategy.json",
    params:
        review=PROTOCOL.review,
        search=PROTOCOL.search,
        sources=PROTOCOL.sources,
    log:
        "results/logs/search/strategy.log",
    conda:
        LITSIEVE_ENV
    script:
        "../../scripts/search_strategy.py"
