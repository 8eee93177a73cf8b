"""Checks made before any notebook starts, so that a fault in the configuration, the data
or the period stops the run with one message instead of failing inside a notebook cell
(or in every job of a batch)."""

from __future__ import annotations

from analysis.settings import config, places
from analysis.settings.params import RunParams


def check_inputs(params: RunParams):
    """Load the configuration (units, catalogue, the period's targets, gaps) and the data
    (strictly unless ``params.strict`` is off), check records against the declared
    extraction date and the period against each table's coverage. Returns ``params`` (with
    the coverage note of an allowed partial period) and the coverage (``RunCoverage``);
    raises ConfigError, DataValidationError or ParameterError."""
    from analysis.assess.gaps import load_gaps
    from analysis.assess.run_coverage import RunCoverage
    from analysis.assess.targets import load_targets
    from analysis.assess.vintage import check_records_before, declared_vintage
    from analysis.indicators.catalogue import load_catalogue
    from analysis.inputs.cache import load_tables_cached
    from analysis.present.coverage_marks import tables_shown

    config.check_config_dir()
    places.units()
    catalogue = load_catalogue(district=params.district)
    load_targets(params.district, params.period_end.year, catalogue)
    load_gaps(params.district, params.period_end.year, catalogue)
    # Invalid data stop here with the plain list of problems; the notebook then reads
    # the validated tables from the cache instead of checking them a second time.
    loaded = load_tables_cached(params.data_dir, strict=params.strict)
    vintage = declared_vintage(params.data_dir, params.data_as_of)
    check_records_before(loaded, vintage, params.district)
    coverage = RunCoverage.of(
        loaded, params.district, vintage, tables_shown(params.kind, params.district)
    )
    return coverage.apply(params), coverage
