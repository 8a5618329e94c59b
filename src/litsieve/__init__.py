"""litsieve: a reproducible literature search and screening pipeline for systematic reviews."""

__version__ = "0.1.0"
