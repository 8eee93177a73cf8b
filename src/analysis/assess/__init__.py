"""Judging the data and the figures: coverage, reconciliation, comparability."""
