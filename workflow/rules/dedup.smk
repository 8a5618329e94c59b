# Deduplication: one record per work. The duplicate review file (a person's decisions on
# uncertain pairs) is an input, so editing it reruns this rule; it exists from parse time.
rule dedup_records:
    input:
        records="results/records/all.csv",
        review=f"{PEOPLE}/duplicates.csv",
    output:
        records="results/dedup/records.csv",
        clusters="results/dedup/clusters.csv",
        counts="results/dedup/counts.json",
    log:
        "results/logs/dedup/dedup.log",
    conda:
        LITSIEVE_ENV
    params:
        people=lambda wildcards, input: os.path.dirname(input.review),
        settings=PROTOCOL.dedup,
    script:
        "../../scripts/dedup_records.py"
