#!/usr/bin/python3
"""Prints each benchmark kernel against the machine limit measured in the same run (STYLE.md 20).

Input: the JSON of `lantian_bench --benchmark_format=json` (one run: machine limits and kernels
together). Output: a table on stdout and a JSON list of
{name, value, unit, limit, limit_name, ratio, ...} (default build/bench.json).

Rules:
* Repetitions: the best (highest-rate) repetition of each benchmark is used, for limits and
  kernels alike (as STREAM reports its best trial).
* Limits: BM_triad (STREAM triad, 24 B/element, write-allocate not counted, bytes/s) per thread
  count and working set; BM_fma_peak (double FLOP/s) per thread count; BM_file_read (plain read()
  of the met benchmark's wrfout files from the page cache, bytes/s) per thread count;
  BM_exp_ceiling (the plume's two-exponential kernel as a vectorised, exp-bound loop,
  evaluations/s; bench/plume_bench.cpp) per thread count.
* Memory-bound kernels (everything reporting bytes/s: the bytes of input it must read) are
  compared with the triad on the same number of threads whose working set is the smallest one
  at least as large as the kernel's (the memory level the kernel's data lives in; the DRAM
  triad when larger than all). value = input bytes/s, ratio = value / limit.
* Compute-bound kernels (reporting a `flops` counter) are compared with the FMA peak on the
  same number of threads.
* File-reading kernels (reporting a nonzero `file_read` counter; value = bytes of file data they
  must read per second) are compared with BM_file_read on the same number of threads.
* Evaluation-rate kernels (reporting an `evaluations` counter: the Gaussian plume's
  source-receptor-hours/s) are compared with BM_exp_ceiling on the same number of threads.
* Google Benchmark's own name parts (iterations:N, repeats:N) are left out of kernel names.
"""
from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

TRIAD = "BM_triad"
FMA = "BM_fma_peak"
FILE_READ = "BM_file_read"
EXP_CEILING = "BM_exp_ceiling"
LIMITS = (TRIAD, FMA, FILE_READ, EXP_CEILING)
# Name parts that Google Benchmark adds for per-benchmark settings, not arguments.
RUN_SETTINGS = {"iterations", "repeats", "min_time", "min_warmup_time"}


def split_name(run_name: str) -> tuple[str, dict[str, str]]:
    """'BM_triad/n:32768/omp:1/real_time' -> ('BM_triad', {'n': '32768', 'omp': '1'})."""
    base, *parts = run_name.split("/")
    params = {}
    for part in parts:
        key, sep, value = part.partition(":")
        if sep and key not in RUN_SETTINGS:
            params[key] = value
    return base, params


def rate(b: dict) -> float:
    return float(b.get("flops") or b.get("evaluations") or b.get("bytes_per_second") or b.get("items_per_second") or 0.0)


def best_runs(benchmarks: list[dict]) -> dict[str, dict]:
    """Best repetition per benchmark, in order of first appearance."""
    best: dict[str, dict] = {}
    for b in benchmarks:
        if b.get("run_type", "iteration") != "iteration" or b.get("error_occurred"):
            continue
        name = b.get("run_name", b["name"])
        if name not in best or rate(b) > rate(best[name]):
            best[name] = b
    return best


def human_bytes(n: float) -> str:
    for unit in ("B", "KiB", "MiB", "GiB"):
        if n < 1024 or unit == "GiB":
            return f"{n:.0f} {unit}" if unit == "B" else f"{n:.3g} {unit}"
        n /= 1024
    return f"{n:.3g} GiB"


def si(x: float) -> str:
    for factor, prefix in ((1e12, "T"), (1e9, "G"), (1e6, "M"), (1e3, "k")):
        if abs(x) >= factor:
            return f"{x / factor:.3g} {prefix}"
    return f"{x:.3g} "


def kernel_name(base: str, params: dict[str, str]) -> str:
    name = base[3:] if base.startswith("BM_") else base
    return name + "".join(f" {k}={v}" for k, v in params.items())


def build_report(data: dict) -> list[dict]:
    runs = best_runs(data.get("benchmarks", []))
    triads: list[dict] = []
    fmas: dict[int, dict] = {}
    file_reads: dict[int, dict] = {}
    exp_ceilings: dict[int, dict] = {}
    entries: list[dict] = []
    for run_name, b in runs.items():
        base, params = split_name(run_name)
        threads = int(b.get("omp_threads", 1))
        if base == TRIAD:
            ws = float(b["working_set"])
            entry = {
                "name": f"triad {threads}T ws={human_bytes(ws)}",
                "benchmark": run_name,
                "kind": "limit",
                "value": float(b["bytes_per_second"]),
                "unit": "B/s",
                "threads": threads,
                "working_set": ws,
                "limit": None,
                "limit_name": None,
                "ratio": None,
            }
            triads.append(entry)
            entries.append(entry)
        elif base == FMA:
            entry = {
                "name": f"fma_peak {threads}T ({int(b.get('vector_bits', 0))}-bit, double)",
                "benchmark": run_name,
                "kind": "limit",
                "value": float(b["flops"]),
                "unit": "FLOP/s",
                "threads": threads,
                "limit": None,
                "limit_name": None,
                "ratio": None,
            }
            fmas[threads] = entry
            entries.append(entry)
        elif base == FILE_READ:
            resident = b.get("page_cache_resident")
            cached = f" (cached {float(resident):.0%})" if resident is not None else ""
            entry = {
                "name": f"file_read {threads}T{cached}",
                "benchmark": run_name,
                "kind": "limit",
                "value": float(b["bytes_per_second"]),
                "unit": "B/s",
                "threads": threads,
                "page_cache_resident": resident,
                "limit": None,
                "limit_name": None,
                "ratio": None,
            }
            file_reads[threads] = entry
            entries.append(entry)
        elif base == EXP_CEILING:
            entry = {
                "name": f"exp_ceiling {threads}T (vector exp)",
                "benchmark": run_name,
                "kind": "limit",
                "value": float(b["evaluations"]),
                "unit": "eval/s",
                "threads": threads,
                "limit": None,
                "limit_name": None,
                "ratio": None,
            }
            exp_ceilings[threads] = entry
            entries.append(entry)

    for run_name, b in runs.items():
        base, params = split_name(run_name)
        if base in LIMITS:
            continue
        threads = int(b.get("omp_threads", 1))
        entry = {
            "name": kernel_name(base, params),
            "benchmark": run_name,
            "kind": "kernel",
            "threads": threads,
            "items_per_second": float(b.get("items_per_second", 0.0)),
            "item": b.get("label", "items"),
        }
        if "evaluations" in b:
            limit = exp_ceilings.get(threads)
            entry.update(value=float(b["evaluations"]), unit="eval/s", bound="exp")
        elif "flops" in b:
            limit = fmas.get(threads)
            entry.update(value=float(b["flops"]), unit="FLOP/s", bound="compute")
        elif b.get("file_read"):
            limit = file_reads.get(threads) or next(iter(file_reads.values()), None)
            entry.update(value=float(b.get("bytes_per_second", 0.0)), unit="B/s", bound="file read")
        else:
            ws = float(b.get("working_set", 0.0))
            same = sorted((t for t in triads if t["threads"] == threads), key=lambda t: t["working_set"])
            fitting = [t for t in same if t["working_set"] >= ws]
            limit = fitting[0] if fitting else (same[-1] if same else None)
            entry.update(value=float(b.get("bytes_per_second", 0.0)), unit="B/s", bound="memory", working_set=ws)
        entry["limit"] = limit["value"] if limit else None
        entry["limit_name"] = limit["name"] if limit else None
        entry["ratio"] = entry["value"] / limit["value"] if limit and limit["value"] > 0 else None
        entries.append(entry)

    def order(e: dict) -> tuple:
        base, params = split_name(e["benchmark"])
        numbers = tuple(float(v) for v in params.values() if v.replace(".", "", 1).isdigit())
        return (e["kind"] != "limit", e["unit"] if e["kind"] == "limit" else "", base, numbers)

    return sorted(entries, key=order)


def print_table(entries: list[dict], context: dict, out=sys.stdout) -> None:
    host = context.get("host_name", "?")
    print(f"lantian benchmarks on {host}, {context.get('num_cpus', '?')} CPUs, {context.get('date', '')}", file=out)
    print("Machine limits (best repetition):", file=out)
    limits = sorted((e for e in entries if e["kind"] == "limit"),
                    key=lambda e: (e["unit"], e["benchmark"].startswith(FILE_READ), e.get("working_set", 0.0), e["threads"]))
    one_thread = {(e["unit"], e.get("working_set")): e["value"] for e in limits if e["threads"] == 1}
    for e in limits:
        line = f"  {e['name']:<34} {si(e['value'])}{e['unit']}"
        base = one_thread.get((e["unit"], e.get("working_set")))
        if e["threads"] > 1 and base:
            line += f"   ({e['value'] / base:.2f}x 1 thread)"
        print(line, file=out)
    print(file=out)
    header = f"{'kernel':<34} {'figure':>22} {'value':>12} {'limit (same run)':>38} {'ratio':>7}"
    print(header, file=out)
    print("-" * len(header), file=out)
    for e in entries:
        if e["kind"] != "kernel":
            continue
        figure = f"{si(e['items_per_second'])}{e['item']}/s"
        value = f"{si(e['value'])}{e['unit']}"
        limit = f"{e['limit_name']}: {si(e['limit'])}{e['unit']}" if e["limit"] else "n/a"
        ratio = f"{e['ratio']:.3f}" if e["ratio"] is not None else "n/a"
        print(f"{e['name']:<34} {figure:>22} {value:>12} {limit:>38} {ratio:>7}", file=out)
    print(file=out)
    print("value: bytes of input the kernel must read per second (memory-bound kernels) or FLOP/s;", file=out)
    print("limit: STREAM triad (24 B/element, write-allocate not counted) on the same threads at the", file=out)
    print("smallest working set holding the kernel's, or the FMA peak; ratio = value / limit.", file=out)
    if any(e["kind"] == "kernel" and e.get("bound") == "exp" for e in entries):
        print("plume_case_s: value = source-receptor-hours/s of compute_contributions (disp 0 Briggs rural,", file=out)
        print("2 turbulence); limit: the vectorised two-exp loop (exp_ceiling) on the same threads.", file=out)
    if any(e["kind"] == "kernel" and e.get("bound") == "file read" for e in entries):
        print("File-reading kernels (met_read*): value = bytes of variable data they must read (as stored)", file=out)
        print("per second; limit: plain read() of the same files from the page cache (file_read).", file=out)
    if any(e["kind"] == "kernel" and e["benchmark"].startswith("BM_met_regrid") for e in entries):
        print("met_regrid: value = bytes one pass must read and write per hour (the WRF fields it", file=out)
        print("interpolates, as doubles, and the MetState it fills) at the case cell-hours/s measured.", file=out)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("raw", type=Path, help="Google Benchmark JSON from lantian_bench")
    parser.add_argument("--json", type=Path, default=Path("build/bench.json"), help="report JSON to write")
    args = parser.parse_args(argv)
    data = json.loads(args.raw.read_text(encoding="utf-8"))
    entries = build_report(data)
    if not any(e["kind"] == "limit" for e in entries):
        print(f"report: no machine limits (BM_triad, BM_fma_peak, BM_exp_ceiling) in {args.raw}", file=sys.stderr)
        return 1
    print_table(entries, data.get("context", {}))
    args.json.parent.mkdir(parents=True, exist_ok=True)
    args.json.write_text(json.dumps(entries, indent=2) + "\n", encoding="utf-8")
    print(f"\nJSON: {args.json}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
