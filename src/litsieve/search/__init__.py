"""Searching: live PubMed and Europe PMC searches frozen as snapshots, checked exports, PRISMA-S.

``litsieve search refresh`` (:mod:`litsieve.search.refresh`) is the only code that talks to
a bibliographic service; the workflow reads sealed snapshots offline
(:mod:`litsieve.search.snapshot`) and documents every source (:mod:`litsieve.search.strategy`).
See docs/search.md.
"""
