"""Checks made before any notebook starts, so that a fault in the configuration, the data
or the period stops the run with one message instead of failing inside a notebook cell
(or in every job of a batch)."""

from __future__ import annotations

from analysis.assess.coverage import Coverage
from analysis.settings import config
from analysis.settings.params import RunParams


def check_inputs(params: RunParams) -> tuple[RunParams, Coverage]:
    """Load the configuration (units, catalogue, the period's targets, gaps) and the data
    (strictly unless ``params.strict`` is off), and check the period against the data's
    coverage. Returns ``params`` (with the coverage note of an allowed partial period) and
    the coverage; raises ConfigError, DataValidationError or ParameterError."""
    from analysis.assess.gaps import load_gaps
    from analysis.assess.targets import load_targets
    from analysis.indicators.catalogue import load_catalogue
    from analysis.inputs.cache import load_tables_cached

    config.check_config_dir()
    config.units()
    catalogue = load_catalogue()
    load_targets(params.district, params.period_end.year, catalogue)
    load_gaps(params.district, params.period_end.year, catalogue)
    # Invalid data stop here with the plain list of problems; the notebook then reads
    # the validated tables from the cache instead of checking them a second time.
    loaded = load_tables_cached(params.data_dir, strict=params.strict)
    coverage = Coverage.of(loaded)
    return coverage.apply(params), coverage
