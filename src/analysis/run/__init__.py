"""Runs: pre-flight checks, the kernel, executing and exporting, batches, the index page."""
