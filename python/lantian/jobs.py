"""Every ``lantian`` command as a Python function: the same arguments, outputs, summary and errors.

Each function makes the one library call the command makes (forecast/run_job.hpp,
forecast/aqi_job.hpp, forecast/case_check.hpp; plume, screen and plan in python/src/
tools_bindings.cpp), writes the same files under the same output rule (never over an input;
``force`` replaces only a folder lantian wrote; all or nothing), and returns the summary the
command prints as a dict, with its printed text under ``"text"``. Bad input raises
``lantian.LantianError`` with the message the command prints after ``lantian: error:``.

>>> import lantian.jobs as jobs
>>> jobs.check("examples/demo-city/case.toml")["valid"]
True
>>> s = jobs.run("examples/demo-city/case.toml", "out/demo", force=True, reruns=False)
>>> s["peak_pm25"], s["city_level"], [o["name"] for o in s["options"]]
>>> jobs.report("out/demo")["path"]
>>> jobs.evaluate("case.toml", "done.csv", "out/eval")["achieved"]["SO2"]
>>> jobs.aqi("observations.csv", "out/aqi")["decisions"]
>>> jobs.verify(["out/demo"], "observations.csv", "out/verify")["warning"]["lantian"]["pod"]
"""
from __future__ import annotations

import os
from typing import Any, Callable, Iterable

from . import _lantian

__all__ = ["check", "run", "evaluate", "report", "aqi", "verify", "hindcast"]

Progress = Callable[[dict], Any] | None


def _p(path: Any) -> str:
    return "" if path is None else os.fspath(path)


def check(case: Any) -> dict:
    """``lantian check CASE``: valid, errors, warnings, the figures, text."""
    return _lantian.check_case(_p(case))


def run(case: Any, out: Any, *, force: bool = False, scenarios: bool = True, reruns: bool = True,
        progress: Progress = None) -> dict:
    """``lantian run CASE --out OUT [--no-scenarios] [--no-reruns]``."""
    return _lantian.run_case(_p(case), _p(out), force, scenarios, reruns, progress)


def evaluate(case: Any, measures: Any, out: Any, *, force: bool = False, progress: Progress = None) -> dict:
    """``lantian evaluate CASE --measures DONE.csv --out OUT``."""
    return _lantian.evaluate_case(_p(case), _p(measures), _p(out), force, progress)


def report(run_dir: Any, *, case: Any = None, screen: Any = None, option: str = "", out: Any = None,
           stagnation: bool = True, force: bool = False) -> dict:
    """``lantian report RUN_DIR [--case] [--screen] [--option] [--out] [--no-stagnation]``."""
    return _lantian.write_report(_p(run_dir), _p(case), _p(screen), option, _p(out), stagnation, force)


def aqi(observations: Any, out: Any, *, tz: str = "Asia/Shanghai", rules: Any = None,
        issue_hour: int | None = None, horizon: int | None = None, imposed: Iterable[str] = (),
        force: bool = False) -> dict:
    """``lantian aqi OBS.csv --out OUT [--tz] [--rules] [--issue-hour] [--horizon] [--imposed]``."""
    return _lantian.aqi_files(_p(observations), _p(out), tz, _p(rules), issue_hour, horizon, list(imposed), force)


def verify(runs: Any, observations: Any, out: Any, *, tz: str = "Asia/Shanghai", rules: Any = None,
           kf_ratio: float | None = None, force: bool = False) -> dict:
    """``lantian verify RUN_DIR... --observations OBS --out OUT [--tz] [--rules] [--kf-ratio]``.

    ``runs`` is one run folder or a list of them (one per issue). Returns the scores (a list of
    dicts with the columns of skill.csv), the daily category hits per forecast as (hits, days),
    the warning contingency per forecast (hits, misses, ..., pod, far, csi) and the warnings.
    """
    if isinstance(runs, (str, os.PathLike)):
        runs = [runs]
    kwargs = {} if kf_ratio is None else {"kf_ratio": kf_ratio}
    return _lantian.verify_runs([_p(r) for r in runs], _p(observations), _p(out), tz, _p(rules), force=force, **kwargs)


def hindcast(case: Any, out: Any, *, from_date: str, to_date: str, issue_hour: int | None = None,
             hours: int | None = None, kf_ratio: float | None = None, calibrate: bool = False,
             force: bool = False, progress: Progress = None) -> dict:
    """``lantian hindcast CASE --from D --to D --out OUT [--issue-hour] [--hours] [--kf-ratio] [--calibrate]``.

    Returns what :func:`verify` returns, with the issue times, one line per issue (the levels
    decided) and the wall time; ``progress`` gets a dict after each run (done, issues,
    issue_time, run_s, elapsed_s, remaining_s).
    """
    return _lantian.hindcast_case(_p(case), _p(out), from_date, to_date, issue_hour, hours, kf_ratio, calibrate, force,
                                  progress)
