"""Deduplication: staged matching, clustering with a consistency check, merging, review.

Identifiers first (DOI, PMID, PMCID, normalised), then rapidfuzz over normalised
metadata within blocks, then union-find clustering that refuses to join conflicting
records, then one merged record per work. Pairs in doubt go to a person's review file.
See docs/dedup.md for the rules and the files.
"""

from litsieve.dedup.pipeline import DedupResult, deduplicate

__all__ = ["DedupResult", "deduplicate"]
