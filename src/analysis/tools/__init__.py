"""Tools reached only from the command line: sample data, scaffold, data dictionary."""
