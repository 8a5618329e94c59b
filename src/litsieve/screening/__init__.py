"""Screening: criteria, suggestions, queues, decisions, agreement, full text, status."""
