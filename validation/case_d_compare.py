#!/usr/bin/env python3
"""Compare `lantian plume` with the AERMOD v23132 peer run of Case D (shared/data/aermod-prime-downwash).

Builds the plume inputs from the case's CSVs (sources, receptors, met as written in the .sfc:
u* , L, w*, zic, zim, VPTG, U, WD, T), runs `lantian plume --dispersion turbulence`, and compares
source by source with AERMOD's hourly values without downwash (caseD_noprime_hourly.csv.gz):
the maximum 1-h value on the ground rings, and FAC2 of the hourly values over the receptors
where AERMOD is above 10 % of its maximum. Stdlib only.

usage: case_d_compare.py LANTIAN_BINARY CASE_D_FOLDER WORK_FOLDER
"""
import csv
import gzip
import math
import os
import subprocess
import sys


def main(lantian, case, work):
    os.makedirs(work, exist_ok=True)
    inp = os.path.join(case, "inputs")
    ref = os.path.join(case, "reference-output")
    sources = list(csv.DictReader(open(os.path.join(inp, "caseD_sources.csv"))))
    receptors = list(csv.DictReader(open(os.path.join(inp, "caseD_receptors.csv"))))
    met = list(csv.DictReader(open(os.path.join(inp, "caseD_met.csv"))))
    with open(os.path.join(work, "m.csv"), "w") as f:
        f.write("time,wind_speed,wind_dir,ref_height,temperature,mixing_height,ustar,L,z0,vptg\n")
        for m in met:
            zic, zim = float(m["zic"]), float(m["zim"])
            # AERMOD: the convective hours' mixing height is max(zic, zim); stable hours zim.
            zi = max(zic, zim) if float(m["L"]) < 0 else zim
            f.write(f'{m["rec"]},{m["U10"]},{m["WD"]},{m["zref"]},{m["T2K"]},{zi},{m["ustar"]},{m["L"]},'
                    f'{m["z0"]},{m["vptg"]}\n')
    results = {}
    for s in sources:
        sid = s["id"]
        with open(os.path.join(work, f"s_{sid}.csv"), "w") as f:
            f.write("id,x,y,height,diameter,velocity,temperature,rate\n")
            f.write(f'{sid},{s["x_m"]},{s["y_m"]},{s["hs_m"]},{s["ds_m"]},{s["vs_m_s"]},{s["ts_K"]},{s["q_g_s"]}\n')
        with open(os.path.join(work, f"r_{sid}.csv"), "w") as f:
            f.write("id,x,y,z\n")
            for r in receptors:
                if r["grid_of_source"] == sid:
                    f.write(f'{r["receptor_id"]},{r["x_m"]},{r["y_m"]},{r["zflag_m"]}\n')
        out = os.path.join(work, f"c_{sid}.csv")
        subprocess.run([lantian, "plume", "--sources", os.path.join(work, f"s_{sid}.csv"), "--met",
                        os.path.join(work, "m.csv"), "--receptors", os.path.join(work, f"r_{sid}.csv"), "--out", out,
                        "--dispersion", "turbulence", "--force"], check=True, stdout=subprocess.DEVNULL)
        for row in csv.DictReader(open(out)):
            results[(int(row["time"]), row["receptor"])] = float(row["conc"])
    ref_vals = {}
    with gzip.open(os.path.join(ref, "caseD_noprime_hourly.csv.gz"), "rt") as f:
        for row in csv.DictReader(f):
            ref_vals[(int(row["hour"]), row["receptor_id"])] = (row["source"], float(row["conc_ug_m3"]),
                                                                  float(row["zflag_m"]))
    print(f'{"source":8} {"AERMOD max":>11} {"lantian max":>11} {"ratio":>6}   {"FAC2 (>10% max)":>15} {"n":>5}')
    for s in sources:
        sid = s["id"]
        keys = [k for k, v in ref_vals.items() if v[0] == sid and v[2] == 0.0]
        amax = max(ref_vals[k][1] for k in keys)
        lmax = max(results[k] for k in keys)
        sel = [k for k in keys if ref_vals[k][1] > 0.1 * amax]
        within = sum(1 for k in sel if 0.5 <= results[k] / ref_vals[k][1] <= 2.0)
        print(f"{sid:8} {amax:11.4g} {lmax:11.4g} {lmax / amax:6.2f}   {within / len(sel):15.3f} {len(sel):5d}")


if __name__ == "__main__":
    if len(sys.argv) != 4:
        sys.exit(__doc__)
    main(*sys.argv[1:])
