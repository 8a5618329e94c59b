# Screening: each screener's queue (a file people edit, under paths.people) is merged with
# the current pool, decisions are settled (agreement, or the third person's resolution),
# and the state of every record is written for the report. The person files are inputs:
# saving one reruns its stage. Their rules rewrite them only when something changed, and
# before their outputs, so `snakemake -n` stays quiet after a run.
TA_SCREENERS = config["screeners"]["title_abstract"]
FT_SCREENERS = config["screeners"]["full_text"]
# The parts of the protocol screening depends on (a change reruns the stages).
SCREENING_PROTOCOL = {"screeners": config["screeners"], "criteria": config.get("criteria", []),
                      "ranking": config.get("ranking", {}), "paths": {"people": PEOPLE}}


rule screen_title_abstract:
    input:
        pool="results/screening/pool.csv",
        suggestions="results/screening/suggestions.csv",
        queues=expand(f"{PEOPLE}/title_abstract/{{screener}}.csv", screener=TA_SCREENERS),
        conflicts=f"{PEOPLE}/conflicts/title_abstract.csv",
    output:
        "results/screening/title_abstract.csv",
    params:
        protocol=SCREENING_PROTOCOL,
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
        queues=expand(f"{PEOPLE}/full_text/{{screener}}.csv", screener=FT_SCREENERS),
        conflicts=f"{PEOPLE}/conflicts/full_text.csv",
    output:
        "results/screening/full_text.csv",
    params:
        protocol=SCREENING_PROTOCOL,
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
        protocol=SCREENING_PROTOCOL,
    log:
        "results/logs/screening/status.log",
    conda:
        LITSIEVE_ENV
    script:
        "../../scripts/screen_status.py"
