"""Running briefings: checks before a run, batches, the index pages."""
