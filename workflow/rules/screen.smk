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


rule screen_title_abstract:
    input:
        pool="results/screening/pool.csv",
        suggestions="results/screening/suggestions.csv",
        queues=TA_FILES,
        conflicts=f"{PEOPLE}/conflicts/title_abstract.csv",
        workbooks=lambda wildcards: workbooks_of([*TA_FILES, f"{PEOPLE}/conflicts/title_abstract.csv"]),
    output:
        "results/screening/title_abstract.csv",
    params:
        screeners=TA_SCREENERS,
        maybe=PROTOCOL.screeners.maybe,
        criteria=PROTOCOL.criteria,
        ranked=PROTOCOL.ranking.enabled,
        people=lambda wildcards, input: os.path.dirname(os.path.dirname(input.conflicts)),
    log:
        "results/logs/screening/title_abstract.log",
    conda:
        LITSIEVE_ENV
    script:
        "../../scripts/screen_title_abstract.py"


rule screen_full_text:
    input:
        title_abstract="results/screening/title_abstract.csv",
        pool="results/screening/pool.csv",
        other_methods="results/screening/other_methods.csv",
        queues=FT_FILES,
        conflicts=f"{PEOPLE}/conflicts/full_text.csv",
        workbooks=lambda wildcards: workbooks_of([*FT_FILES, f"{PEOPLE}/conflicts/full_text.csv"]),
    output:
        "results/screening/full_text.csv",
    params:
        screeners=FT_SCREENERS,
        criteria=PROTOCOL.criteria,
        people=lambda wildcards, input: os.path.dirname(os.path.dirname(input.conflicts)),
    log:
        "results/logs/screening/full_text.log",
    conda:
        LITSIEVE_ENV
    script:
        "../../scripts/screen_full_text.py"


rule screening_status:
    input:
        title_abstract="results/screening/title_abstract.csv",
        full_text="results/screening/full_text.csv",
    output:
        status="results/screening/status.json",
        agreement="results/screening/agreement.json",
    params:
        screeners=PROTOCOL.screeners,
        ranking=PROTOCOL.ranking,
        people=PEOPLE,
    log:
        "results/logs/screening/status.log",
    conda:
        LITSIEVE_ENV
    script:
        "../../scripts/screen_status.py"
