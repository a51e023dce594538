#!/usr/bin/env python3
"""Compare `lantian plume` with the AERMOD v23132 peer run of Case D (shared/data/aermod-prime-downwash).

Builds the plume inputs from the case's CSVs (sources, receptors, met as written in the .sfc:
u*, L, w*, zic, zim, VPTG, U, WD, T), runs `lantian plume --dispersion turbulence` three times:
without buildings, with BPIPPRM's dims (`--building-dims`, from inputs/caseD_bpip_dirs.csv) and
with the footprints (`--buildings`, lantian's own BPIP-style dims from inputs/caseD_buildings.csv),
and compares source by source with AERMOD's hourly values without and with downwash
(caseD_noprime_hourly.csv.gz, caseD_prime_hourly.csv.gz): the maximum 1-h value on the ground
rings, FAC2 of the hourly values over the ground receptors where AERMOD is above 10 % of its
maximum, and the ratio of the maxima with/without downwash against AERMOD's. Stdlib only.

usage: case_d_compare.py LANTIAN_BINARY CASE_D_FOLDER WORK_FOLDER
"""
import csv
import gzip
import os
import subprocess
import sys

WSTAR = os.environ.get("NOWSTAR") is None


def write_inputs(case, work):
    inp = os.path.join(case, "inputs")
    sources = list(csv.DictReader(open(os.path.join(inp, "caseD_sources.csv"))))
    receptors = list(csv.DictReader(open(os.path.join(inp, "caseD_receptors.csv"))))
    met = list(csv.DictReader(open(os.path.join(inp, "caseD_met.csv"))))
    with open(os.path.join(work, "m.csv"), "w") as f:
        f.write("time,wind_speed,wind_dir,ref_height,temperature,mixing_height,ustar,L,z0,vptg,wstar\n")
        for m in met:
            zic, zim = float(m["zic"]), float(m["zim"])
            # AERMOD: the convective hours' mixing height is max(zic, zim); stable hours zim.
            zi = max(zic, zim) if float(m["L"]) < 0 else zim
            f.write(f'{m["rec"]},{m["U10"]},{m["WD"]},{m["zref"]},{m["T2K"]},{zi},{m["ustar"]},{m["L"]},'
                    f'{m["z0"]},{m["vptg"]},{m["wstar"] if WSTAR else ""}\n')
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
    dims = list(csv.DictReader(open(os.path.join(inp, "caseD_bpip_dirs.csv"))))
    for s in sources:
        with open(os.path.join(work, f'dims_{s["id"]}.csv'), "w") as f:
            f.write("source,direction,height,width,length,xbadj,ybadj\n")
            for d in dims:
                if d["source"] == s["id"]:
                    f.write(f'{d["source"]},{d["flow_vector_deg"]},{d["buildhgt_m"]},{d["buildwid_m"]},'
                            f'{d["buildlen_m"]},{d["xbadj_m"]},{d["ybadj_m"]}\n')
    corners = {}
    heights = {}
    for b in csv.DictReader(open(os.path.join(inp, "caseD_buildings.csv"))):
        corners.setdefault(b["building"], []).append((b["x_m"], b["y_m"]))
        heights[b["building"]] = b["height_m"]
    with open(os.path.join(work, "buildings.csv"), "w") as f:
        f.write("id,height,footprint\n")
        for bid, cs in corners.items():
            ring = ", ".join(f"{x} {y}" for x, y in cs + cs[:1])
            f.write(f'{bid},{heights[bid]},"POLYGON (({ring}))"\n')
    return sources


def run(lantian, work, sources, tag, extra):
    results = {}
    for s in sources:
        sid = s["id"]
        out = os.path.join(work, f"c_{tag}_{sid}.csv")
        subprocess.run([lantian, "plume", "--sources", os.path.join(work, f"s_{sid}.csv"), "--met",
                        os.path.join(work, "m.csv"), "--receptors", os.path.join(work, f"r_{sid}.csv"), "--out", out,
                        "--dispersion", "turbulence", "--force"] + [e.replace("{sid}", sid) for e in extra], check=True,
                       stdout=subprocess.DEVNULL)
        for row in csv.DictReader(open(out)):
            results[(int(row["time"]), row["receptor"])] = float(row["conc"])
    return results


def reference(case, name):
    vals = {}
    with gzip.open(os.path.join(case, "reference-output", name), "rt") as f:
        for row in csv.DictReader(f):
            vals[(int(row["hour"]), row["receptor_id"])] = (row["source"], float(row["conc_ug_m3"]),
                                                            float(row["zflag_m"]))
    return vals


def stats(ref, res, sid):
    keys = [k for k, v in ref.items() if v[0] == sid and v[2] == 0.0]
    amax = max(ref[k][1] for k in keys)
    lmax = max(res[k] for k in keys)
    sel = [k for k in keys if ref[k][1] > 0.1 * amax]
    within = sum(1 for k in sel if 0.5 <= res[k] / ref[k][1] <= 2.0)
    return amax, lmax, within / len(sel)


def main(lantian, case, work):
    os.makedirs(work, exist_ok=True)
    sources = write_inputs(case, work)
    noprime = reference(case, "caseD_noprime_hourly.csv.gz")
    prime = reference(case, "caseD_prime_hourly.csv.gz")
    base = run(lantian, work, sources, "none", [])
    print("Without buildings (AERMOD noprime):")
    print(f'{"source":8} {"AERMOD max":>11} {"lantian max":>11} {"ratio":>6}   {"FAC2 (>10% max)":>15}')
    for s in sources:
        amax, lmax, fac2 = stats(noprime, base, s["id"])
        print(f'{s["id"]:8} {amax:11.4g} {lmax:11.4g} {lmax / amax:6.2f}   {fac2:15.3f}')
    for tag, extra, what in (("dims", ["--building-dims", os.path.join(work, "dims_{sid}.csv")], "BPIPPRM's dims"),
                             ("bldg", ["--buildings", os.path.join(work, "buildings.csv")], "lantian's BPIP")):
        res = run(lantian, work, sources, tag, extra)
        print(f"\nWith buildings, {what} (AERMOD prime):")
        print(f'{"source":8} {"AERMOD max":>11} {"lantian max":>11} {"ratio":>6}   {"FAC2":>6}   '
              f'{"AERMOD w/wo":>11} {"lantian w/wo":>12} {"ratio":>6}')
        for s in sources:
            sid = s["id"]
            amax, lmax, fac2 = stats(prime, res, sid)
            a0, l0, _ = stats(noprime, base, sid)
            ra, rl = amax / a0, lmax / l0
            print(f"{sid:8} {amax:11.4g} {lmax:11.4g} {lmax / amax:6.2f}   {fac2:6.3f}   {ra:11.2f} {rl:12.2f} "
                  f"{rl / ra:6.2f}")


if __name__ == "__main__":
    if len(sys.argv) != 4:
        sys.exit(__doc__)
    main(*sys.argv[1:])
