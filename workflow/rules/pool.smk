# The records that reach screening: automatic criteria and the intended query remove
# records before anyone reads them (PRISMA "automation" / "other reasons"); the rest get
# the protocol's suggestions.
rule screening_pool:
    input:
        "results/dedup/records.csv",
    output:
        pool="results/screening/pool.csv",
        removed="results/screening/removed_before_screening.csv",
        suggestions="results/screening/suggestions.csv",
        # Works found by other methods only (websites, organisations, citation
        # searching): not screened at title/abstract, straight to full text.
        other_methods="results/screening/other_methods.csv",
    params:
        # Only the parts of the protocol the pool depends on, so editing another
        # section does not rebuild it. The search's year and language limits are among
        # the criteria (as the automatic criteria `year` and `language`).
        search=PROTOCOL.search.without_limits(),
        criteria=PROTOCOL.criteria,
        other_sources=sorted(name for name, source in SOURCES.items() if source.other_method),
    log:
        "results/logs/screening/pool.log",
    conda:
        LITSIEVE_ENV
    script:
        "../../scripts/screening_pool.py"
