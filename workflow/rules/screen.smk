# Screening: each screener's queue (a file people edit, under paths.people) is merged with
# the current pool, decisions are settled (agreement, or the third person's resolution),
# and the state of every record is written for the report. The person files are inputs:
# saving one reruns its stage. Their rules rewrite them only when something changed, and
# before their outputs, so `snakemake -n` stays quiet after a run.
# Each rule's params are the parts of the protocol it reads, so editing a part reruns
# exactly the rules that depend on it.
TA_SCREENERS = PROTOCOL.screeners.title_abstract
FT_SCREENERS = PROTOCOL.screeners.full_text
TA_FILES = [f"{PEOPLE}/title_abstract/{name}.csv" for name in TA_SCREENERS]
FT_FILES = [f"{PEOPLE}/full_text/{name}.csv" for name in FT_SCREENERS]


# The records that reach screening: automatic criteria and the intended query remove
# records before anyone reads them (PRISMA "automation" / "other reasons"); the rest get
# the protocol's suggestions.
rule screen_pool:
    input:
        records="results/dedup/records.csv",
        # The study links: a notice (erratum, retraction, comment, reply) joins the pool
        # with the report it is about.
        clusters="results/dedup/clusters.csv",
    output:
        pool="results/screening/pool.csv",
        removed="results/screening/removed_before_screening.csv",
        suggestions="results/screening/suggestions.csv",
        # Works found by other methods only (websites, organisations, citation
        # searching): not screened at title/abstract, straight to full text.
        other_methods="results/screening/other_methods.csv",
    log:
        "results/logs/screening/pool.log",
    conda:
        LITSIEVE_ENV
    params:
        # Only the parts of the protocol the pool depends on, so editing another
        # section does not rebuild it. The search's year and language limits are among
        # the criteria (as the automatic criteria `year` and `language`).
        search=PROTOCOL.search.without_limits(),
        criteria=PROTOCOL.criteria,
        other_sources=sorted(name for name, source in SOURCES.items() if source.other_method),
    script:
        "../../scripts/screen_pool.py"


rule screen_title_abstract:
    input:
        pool="results/screening/pool.csv",
        suggestions="results/screening/suggestions.csv",
        # The study links: notices follow their report, rows say which study.
        clusters="results/dedup/clusters.csv",
        queues=TA_FILES,
        conflicts=f"{PEOPLE}/conflicts/title_abstract.csv",
        workbooks=lambda wildcards: workbooks_of([*TA_FILES, f"{PEOPLE}/conflicts/title_abstract.csv"]),
    output:
        "results/screening/title_abstract.csv",
    log:
        "results/logs/screening/title_abstract.log",
    conda:
        LITSIEVE_ENV
    params:
        screeners=TA_SCREENERS,
        maybe=PROTOCOL.screeners.maybe,
        criteria=PROTOCOL.criteria,
        ranked=PROTOCOL.ranking.enabled,
        people=lambda wildcards, input: os.path.dirname(os.path.dirname(input.conflicts)),
    script:
        "../../scripts/screen_title_abstract.py"


rule screen_full_text:
    input:
        title_abstract="results/screening/title_abstract.csv",
        pool="results/screening/pool.csv",
        other_methods="results/screening/other_methods.csv",
        clusters="results/dedup/clusters.csv",
        queues=FT_FILES,
        conflicts=f"{PEOPLE}/conflicts/full_text.csv",
        workbooks=lambda wildcards: workbooks_of([*FT_FILES, f"{PEOPLE}/conflicts/full_text.csv"]),
    output:
        "results/screening/full_text.csv",
    log:
        "results/logs/screening/full_text.log",
    conda:
        LITSIEVE_ENV
    params:
        screeners=FT_SCREENERS,
        criteria=PROTOCOL.criteria,
        people=lambda wildcards, input: os.path.dirname(os.path.dirname(input.conflicts)),
    script:
        "../../scripts/screen_full_text.py"


rule screen_status:
    input:
        title_abstract="results/screening/title_abstract.csv",
        full_text="results/screening/full_text.csv",
    output:
        status="results/screening/status.json",
        agreement="results/screening/agreement.json",
    log:
        "results/logs/screening/status.log",
    conda:
        LITSIEVE_ENV
    params:
        screeners=PROTOCOL.screeners,
        ranking=PROTOCOL.ranking,
        people=PEOPLE,
    script:
        "../../scripts/screen_status.py"
