# Search: the protocol's string checked and translated, hand-made exports checked against it,
# and the PRISMA-S search documentation. Live sources are read from their frozen snapshots
# (see source_files in common.smk); only `litsieve search refresh` touches the network.
SEARCH_TARGETS = ["pubmed", "europepmc", "ebsco", "ovid"]
# Exports of database and register searches are checked against the query; records found by
# other methods (websites, organisations, citation searching) were not found with the string.
EXPORT_SOURCES = sorted(n for n, s in SOURCES.items() if s.get("method", "export") == "export"
                        and s.get("kind", "database") in ("database", "register"))
LIVE_SOURCES = sorted(n for n, s in SOURCES.items() if s.get("method") == "live")

# Export files are inputs of the documentation so that a replaced export changes its checksum there.
EXPORT_FILES = sorted({path for name in EXPORT_SOURCES for path in SOURCES[name].get("files", [])})


rule search_translations:
    output:
        lint="results/search/lint.txt",
        translations=expand("results/search/translations/{target}.txt", target=SEARCH_TARGETS),
    params:
        search=config["search"],
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
        search=config["search"],
    log:
        "results/logs/search/match_{source}.log",
    conda:
        LITSIEVE_ENV
    script:
        "../../scripts/search_match.py"


rule search_strategy:
    input:
        records=expand("results/records/sources/{source}.csv", source=sorted(SOURCES)),
        matches=expand("results/search/match/{source}.csv", source=EXPORT_SOURCES),
        # The manifest of each live source's snapshot in use (a new snapshot reruns this).
        manifests=lambda wildcards: [source_files_of(name)[0] for name in LIVE_SOURCES],
        exports=EXPORT_FILES,
        lint="results/search/lint.txt",
    output:
        md="results/search/search_strategy.md",
        json="results/search/search_strategy.json",
    params:
        search=config["search"],
        sources=config["sources"],
    log:
        "results/logs/search/strategy.log",
    conda:
        LITSIEVE_ENV
    script:
        "../../scripts/search_strategy.py"
