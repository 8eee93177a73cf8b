"""Assessment: targets, gaps, reconciliation with published figures, coverage."""
