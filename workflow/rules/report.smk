# Report: what authors publish. The PRISMA 2020 flow diagram and its numbers (checked
# against the conservation rules before anything is drawn), the extraction table of the
# included studies (merged with the reviewers' corrections in <people>/extraction.csv),
# the records exported back to reference managers, and the pages of `snakemake --report`.
REPORT_CAPTIONS = "../report"


rule report_prisma:
    input:
        source_counts="results/records/counts.tsv",
        dedup_counts="results/dedup/counts.json",
        clusters="results/dedup/clusters.csv",
        pool="results/screening/pool.csv",
        removed="results/screening/removed_before_screening.csv",
        title_abstract="results/screening/title_abstract.csv",
        full_text="results/screening/full_text.csv",
        other_methods="results/screening/other_methods.csv",
    output:
        counts="results/prisma/counts.json",
        svg=report(
            "results/prisma/flow.svg", caption=f"{REPORT_CAPTIONS}/prisma_flow.rst", category="1. PRISMA flow diagram"
        ),
        pdf="results/prisma/flow.pdf",
        png="results/prisma/flow.png",
        csv=report(
            "results/prisma/prisma2020.csv",
            caption=f"{REPORT_CAPTIONS}/prisma_csv.rst",
            category="1. PRISMA flow diagram",
        ),
    log:
        "results/logs/report/prisma.log",
    conda:
        LITSIEVE_ENV
    params:
        # Only what the diagram shows: the review's title, the sources' names and kinds (a
        # source's string as run is search documentation, so editing it does not redraw this).
        review=PROTOCOL.review,
        sources=[source._replace(string_as_run=None) for source in PROTOCOL.sources],
    script:
        "../../scripts/report_prisma.py"


rule report_extraction:
    input:
        full_text="results/screening/full_text.csv",
        pool="results/screening/pool.csv",
        other_methods="results/screening/other_methods.csv",
        # The study links: one row per included study, listing its reports.
        clusters="results/dedup/clusters.csv",
        # Reviewers' corrections: saving the sheet rebuilds the table.
        sheet=f"{PEOPLE}/extraction.csv",
        workbooks=lambda wildcards: workbooks_of([f"{PEOPLE}/extraction.csv"]),
    output:
        csv=report(
            "results/extraction/extraction.csv", caption=f"{REPORT_CAPTIONS}/extraction.rst", category="4. Extraction"
        ),
        xlsx="results/extraction/extraction.xlsx",
    log:
        "results/logs/report/extraction.log",
    conda:
        LITSIEVE_ENV
    params:
        fields=PROTOCOL.extraction.fields,
        people=lambda wildcards, input: os.path.dirname(input.sheet),
    script:
        "../../scripts/report_extraction.py"


rule report_exports:
    input:
        pool="results/screening/pool.csv",
        other_methods="results/screening/other_methods.csv",
        title_abstract="results/screening/title_abstract.csv",
        full_text="results/screening/full_text.csv",
    output:
        included_ris="results/exports/included.ris",
        included_bib="results/exports/included.bib",
        excluded_ris="results/exports/excluded.ris",
        excluded_bib="results/exports/excluded.bib",
    log:
        "results/logs/report/exports.log",
    conda:
        LITSIEVE_ENV
    script:
        "../../scripts/report_exports.py"


rule report_pages:
    input:
        search="results/search/search_strategy.md",
        status="results/screening/status.json",
        agreement="results/screening/agreement.json",
        # The studies included (and a retracted one, loudly).
        prisma="results/prisma/counts.json",
    output:
        search=report(
            "results/report/search_strategy.html", caption=f"{REPORT_CAPTIONS}/search.rst", category="2. Search"
        ),
        screening=report(
            "results/report/screening.html", caption=f"{REPORT_CAPTIONS}/screening.rst", category="3. Screening"
        ),
    log:
        "results/logs/report/pages.log",
    conda:
        LITSIEVE_ENV
    script:
        "../../scripts/report_pages.py"


rule report_suggestions:
    input:
        pool="results/screening/pool.csv",
    output:
        report("results/report/suggestions.html", caption=f"{REPORT_CAPTIONS}/suggestions.rst", category="3. Screening"),
    log:
        "results/logs/report/suggestions.log",
    conda:
        LITSIEVE_ENV
    params:
        search=PROTOCOL.search.without_limits(),
        criteria=PROTOCOL.criteria,
    script:
        "../../scripts/report_suggestions.py"
