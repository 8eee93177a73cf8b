"""Planning the batch: every (unit, period) briefing with its fingerprint, and the caches that
make a re-run on unchanged inputs cheap (the data fingerprints per unit, recent plans).

A briefing is rebuilt only when its fingerprint changes: the code and templates, the config
files, the notebook, its parameters, and the data it depends on (for a town/street: only its
own rows of each table, plus the tables that have no town column).
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from pathlib import Path

from analysis import folder
from analysis.atomic import write_atomic
from analysis.inputs.fingerprint import code_fingerprint, data_fingerprint, rows_digest
from analysis.inputs.own_files import NotOwnFile, read_own_file
from analysis.inputs.town_rows import rows_of_town
from analysis.settings import config, places
from analysis.settings.params import KIND_MONTHS, RunParams, resolve_params

DATA_CACHE_FILE = ".data-fingerprints.json"
PLAN_CACHE_FILE = ".plans.json"  # recent plans by their inputs' key (see ``plan``)
PLANS_KEPT = 8


@dataclass(frozen=True)
class Job:
    params: RunParams
    fingerprint: str


# ---------------------------------------------------------------- fingerprints


def data_fingerprints(data_dir: Path, district: str) -> dict[str, str]:
    """Per unit ("" = the district, else a town/street): a hash of the data it depends on.

    Parsing the files is the slow part, so the result is cached against the files' hashes."""
    key = data_fingerprint(data_dir)
    cache_path = config.OUTPUTS_DIR / DATA_CACHE_FILE
    try:
        cache = dict(json.loads(read_own_file(cache_path)))  # not another user's, no link
    except (OSError, ValueError, TypeError, NotOwnFile):
        cache = {}
    cached = cache.get(str(data_dir))
    wanted = {"files": key, "towns": ["", *places.towns_of(district)]}  # units.yaml's towns now
    if isinstance(cached, dict) and {k: cached.get(k) for k in wanted} == wanted:
        return cached["units"]

    units = _data_units(data_dir, district, key)
    cache[str(data_dir)] = wanted | {"units": units}
    write_atomic(cache_path, json.dumps(cache, ensure_ascii=False, indent=1))
    return units


def _data_units(data_dir: Path, district: str, all_files_hash: str) -> dict[str, str]:
    from analysis.inputs.cache import load_tables_cached

    result = load_tables_cached(data_dir, strict=False)
    shared = hashlib.sha256()
    per_town = {t: hashlib.sha256() for t in places.towns_of(district)}
    for name in sorted(result.tables):
        frame = result.tables[name]
        if "town" not in frame.columns:
            shared.update(name.encode())
            shared.update(rows_digest(frame))
            continue
        for town, h in per_town.items():
            rows = rows_of_town(frame, town)
            h.update(name.encode())
            h.update(rows_digest(rows))
    # What every briefing shows about the files as a whole (data-quality appendix, banner):
    # rejected rows, each file's name and encoding, the synthetic-data label.
    shared.update(rows_digest(result.rejects))
    files = [(f.name, f.table, f.encoding) for f in result.files]
    shared.update(json.dumps([files, result.synthetic], ensure_ascii=False).encode())
    shared_hex = shared.hexdigest()
    units = {"": all_files_hash}
    for town, h in per_town.items():
        h.update(shared_hex.encode())
        units[town] = h.hexdigest()
    return units


def job_fingerprint(params: RunParams, code: str, data: str) -> str:
    payload = json.dumps(
        {"params": params.as_notebook_parameters(), "code": code, "data": data},
        ensure_ascii=False,
        sort_keys=True,
    )
    return hashlib.sha256(payload.encode()).hexdigest()


def current_fingerprint(params: RunParams) -> str:
    """The fingerprint a briefing for ``params`` built now would have. A district's briefing
    depends on every file, so its data part is the files' hash (as in ``data_fingerprints``)
    and nothing is loaded; a town's needs its own rows."""
    if not params.unit:
        data = data_fingerprint(params.data_dir)
    else:
        data = data_fingerprints(params.data_dir, params.district)[params.unit]
    return job_fingerprint(params, code_fingerprint(), data)


def stored_fingerprint(out_dir: Path) -> str | None:
    """The fingerprint stored with the briefing in ``out_dir`` (None: none stored)."""
    try:
        return json.loads((out_dir / folder.FINGERPRINT).read_text(encoding="utf-8"))["fingerprint"]
    except (OSError, ValueError, KeyError):
        return None


# ---------------------------------------------------------------- planning


def months_to(period: str) -> list[str]:
    """'2020-10' -> ['2020-01', …, '2020-10']"""
    year, month = period.split("-")
    return [f"{year}-{m:02d}" for m in range(1, int(month) + 1)]


def periods_to(period: str, kind: str = "ytd") -> list[str]:
    """The periods of ``kind`` in ``period``'s year up to it: '2020-09', quarter ->
    ['2020-03', '2020-06', '2020-09']; ytd and month -> every month."""
    step = KIND_MONTHS.get(kind, 1) if kind != "month" else 1
    return [p for p in months_to(period) if int(p[5:]) % step == 0]


def plan(
    district: str | None = None,
    period: str | None = None,
    data_dir: str | Path | None = None,
    strict: bool | None = None,
    allow_partial: bool | None = None,
    kind: str | None = None,
    data_as_of: str | None = None,
) -> list[Job]:
    """Every (unit, period) briefing of ``kind`` up to ``period`` (every month for ytd and
    month, every quarter / half for those, the year for year), with its fingerprint.

    The configuration and the data are checked once, before planning: invalid data
    (strict mode) or a period past the data raise here, before anything is built. A plan of
    exactly the same inputs (``_plan_key``) passed these checks already and is reused."""
    last = resolve_params(
        district=district,
        period=period,
        data_dir=data_dir,
        strict=strict,
        allow_partial=allow_partial,
        kind=kind,
        data_as_of=data_as_of,
    )
    key = _plan_key(last, "batch")
    cached = _cached_plan(key)
    units_now = {"", *places.towns_of(last.district)}  # a plan of other towns is not reused
    if cached is not None and {job.params.unit for job in cached} == units_now:
        return cached
    jobs = _new_plan(last)
    _store_plan(key, jobs)
    return jobs


def checked_job(params: RunParams) -> Job:
    """One briefing's parameters after the pre-flight checks (with the coverage note of an
    allowed partial period), and its fingerprint. Like ``plan``, inputs that passed the
    checks before are not checked again, so a re-run of `make report` on unchanged data
    neither loads the data nor imports pandas before its notebook starts."""
    key = _plan_key(params, "one")
    cached = _cached_plan(key)
    if cached is not None and len(cached) == 1:
        return cached[0]
    from analysis.run.preflight import check_inputs

    checked, _ = check_inputs(params)
    job = Job(checked, current_fingerprint(checked))
    _store_plan(key, [job])
    return job


def _new_plan(last: RunParams) -> list[Job]:
    from analysis.run.preflight import check_inputs

    last, coverage = check_inputs(last)
    code = code_fingerprint()
    data = data_fingerprints(last.data_dir, last.district)
    jobs = []
    for unit in ["", *places.towns_of(last.district)]:
        for month in periods_to(last.period, last.kind):
            params = resolve_params(
                district=last.district,
                period=month,
                unit=unit,
                data_dir=last.data_dir,
                strict=last.strict,
                allow_partial=last.allow_partial,
                kind=last.kind,
                data_as_of=last.data_as_of,
            )
            params = coverage.apply(params)
            jobs.append(Job(params, job_fingerprint(params, code, data[unit])))
    return jobs


def _plan_key(last: RunParams, scope: str) -> str:
    """What a plan depends on: the resolved parameters, every data file's bytes, and the
    code, config, notebooks and environment. A plan made from the same key passed the same
    checks, so the no-op re-run (`make reports` on unchanged inputs) reuses it without
    loading the data (nor importing pandas). ``scope``: a batch's plan or one briefing's."""
    payload = {
        "scope": scope,
        "params": last.as_notebook_parameters(),
        "data": data_fingerprint(last.data_dir),
        "code": code_fingerprint(),
    }
    return hashlib.sha256(json.dumps(payload, sort_keys=True).encode()).hexdigest()


def _read_plans() -> dict:
    try:
        plans = json.loads(read_own_file(config.OUTPUTS_DIR / PLAN_CACHE_FILE))
    except (OSError, ValueError, NotOwnFile):
        return {}
    return plans if isinstance(plans, dict) else {}


def _cached_plan(key: str) -> list[Job] | None:
    entry = _read_plans().get(key)
    if not isinstance(entry, list):
        return None
    try:
        return [Job(_params_from(job["params"]), job["fingerprint"]) for job in entry]
    except (KeyError, TypeError, ValueError):
        return None  # an entry of another version: plan afresh


def _params_from(d: dict) -> RunParams:
    coverage = tuple(tuple(pair) for pair in d.get("coverage") or ())
    return RunParams(**(d | {"data_dir": Path(d["data_dir"]), "coverage": coverage}))


def _store_plan(key: str, jobs: list[Job]) -> None:
    plans = {k: v for k, v in _read_plans().items() if k != key}
    plans[key] = [
        {"params": j.params.as_notebook_parameters(), "fingerprint": j.fingerprint} for j in jobs
    ]
    kept = dict(list(plans.items())[-PLANS_KEPT:])
    try:
        write_atomic(config.OUTPUTS_DIR / PLAN_CACHE_FILE, json.dumps(kept, ensure_ascii=False))
    except OSError:
        pass  # a read-only outputs folder only costs speed
