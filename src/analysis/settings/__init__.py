"""Settings: data/config/*.yaml read into frozen settings, and the run parameters."""
