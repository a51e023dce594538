#!/usr/bin/env python3
"""Generates the synthetic emission inventory of the demo city (examples/demo-city/inventory/).

Everything here is SYNTHETIC: a plausible mid-size Chinese city, not a real one. The figures are
round numbers of the order of MEIC-like city inventories for an industrial Yangtze River Delta
city (see README.md in this folder), spread over fictitious enterprises, districts and roads with
random.Random(SEED), so the files are reproducible byte for byte.

Grid (state it in the case file): CRS "+proj=lcc +lat_1=25 +lat_2=47 +lat_0=32 +lon_0=118.8
+datum=WGS84 +units=m", x0 = y0 = -40000 m, 80 x 80 cells of 1 km. All x, y below are metres in
that CRS (two enterprises are given in lon/lat to exercise the `crs = lonlat` path).

Writes: enterprises.csv, stacks.csv, lines.csv, plans.csv, area_sources.csv, roads.csv,
profiles.csv and totals.csv (the totals of the figures written, in t/yr, computed here
independently of the C++ reader; tests/emissions/test_demo_inventory.cpp compares them).

Usage: /usr/bin/python3 examples/demo-city/inventory/make_inventory.py [--out DIR]
"""
import argparse
import csv
import math
import os
import random

SEED = 20241210
POLLUTANTS = ["so2", "nox", "pm25", "pm10", "vocs", "nh3"]
HALF = 40000.0  # the domain is [-40 km, 40 km]^2

# City totals, t/yr (synthetic, MEIC-like order for a city of ~5 million people; README.md).
CITY = {"so2": 10000.0, "nox": 40000.0, "pm25": 15000.0, "pm10": 25000.0, "vocs": 50000.0, "nh3": 12000.0}

# Sector shares of the city totals, % (each pollutant sums to 100). "industry" is the enterprises.
SECTOR_SHARE = {
    "industry":            {"so2": 80, "nox": 48, "pm25": 38, "pm10": 30, "vocs": 38, "nh3": 4},
    "residential_heating": {"so2": 15, "nox": 2,  "pm25": 14, "pm10": 9,  "vocs": 4,  "nh3": 2},
    "construction_dust":   {"so2": 0,  "nox": 0,  "pm25": 9,  "pm10": 19, "vocs": 0,  "nh3": 0},
    "road_dust":           {"so2": 0,  "nox": 0,  "pm25": 12, "pm10": 22, "vocs": 0,  "nh3": 0},
    "road_traffic":        {"so2": 1,  "nox": 30, "pm25": 6,  "pm10": 4,  "vocs": 15, "nh3": 3},
    "non_road_machinery":  {"so2": 4,  "nox": 20, "pm25": 6,  "pm10": 4,  "vocs": 3,  "nh3": 0},
    "agriculture":         {"so2": 0,  "nox": 0,  "pm25": 7,  "pm10": 6,  "vocs": 2,  "nh3": 90},
    "solvent_use":         {"so2": 0,  "nox": 0,  "pm25": 0,  "pm10": 0,  "vocs": 33, "nh3": 0},
    "catering":            {"so2": 0,  "nox": 0,  "pm25": 8,  "pm10": 6,  "vocs": 5,  "nh3": 1},
}
# Share of road traffic and road dust on the major roads (roads.csv); the rest is area sources.
ON_MAJOR_ROADS = 0.6

# Districts (fictitious names): rectangle x0, y0, x1, y1 in km (edges off the 1 km grid lines so
# that overlaps are fractional), built-up centre and radius (km), population weight, rural weight.
DISTRICTS = [
    ("Chengzhong", (-12.35, -10.4, 12.3, 12.2), (0.0, 0.5), 8.0, 0.30, 0.02),
    ("Beiyuan",    (-12.35, 12.2, 12.3, 40.0), (1.5, 19.0), 4.5, 0.12, 0.17),
    ("Nanhu",      (-12.35, -40.0, 12.3, -10.4), (-2.0, -18.0), 4.5, 0.12, 0.17),
    ("Xishan",     (-40.0, -10.4, -12.35, 40.0), (-22.0, 6.0), 4.0, 0.10, 0.20),
    ("Jiangbei",   (-40.0, -40.0, -12.35, -10.4), (-22.0, -22.0), 4.0, 0.10, 0.16),
    ("Donggang",   (12.3, -10.4, 40.0, 40.0), (22.0, 4.0), 5.0, 0.14, 0.16),
    ("Lingang",    (12.3, -40.0, 40.0, -10.4), (22.0, -22.0), 4.0, 0.12, 0.12),
]

# Industries: count, SO2/NOx/PM2.5/PM10/VOCs/NH3 shares of the industrial total (%), grade
# weights (A, B, C, D, leading, none), home districts, stack template, lines.
# Stack template: (height range m, diameter range m, velocity range m/s, temperature range K).
# Lines: (name, weights per pollutant, stack key or None for ground level, can_stop, min_load,
# lost output value yuan/h, role). Stack keys name the stacks of the enterprise.
INDUSTRIES = {
    "power": dict(
        count=6, share=dict(so2=30, nox=32, pm25=8, pm10=7, vocs=1, nh3=30),
        grades=dict(A=3, B=2, leading=1), districts=["Donggang", "Jiangbei", "Lingang", "Xishan"],
        stacks={"main": ((150, 240), (5, 7), (18, 22), (320, 400))},
        lines=[("Unit 1", dict(so2=1, nox=1, pm25=0.9, pm10=0.8, vocs=1, nh3=1), "main", True, 0.5, 150000, "main"),
               ("Unit 2", dict(so2=1, nox=1, pm25=0.9, pm10=0.8, vocs=1, nh3=1), "main", True, 0.5, 150000, "main"),
               ("Coal yard and conveyors", dict(pm25=0.2, pm10=0.4), None, True, 0.0, 2000, "aux")]),
    "steel": dict(
        count=3, share=dict(so2=25, nox=18, pm25=30, pm10=30, vocs=4, nh3=10),
        grades=dict(B=1, C=2), districts=["Donggang", "Lingang"],
        stacks={"sinter": ((80, 120), (4, 6), (12, 16), (400, 430)),
                "bf": ((60, 80), (2.5, 3.5), (10, 12), (430, 470)),
                "bof": ((50, 70), (2.5, 3.5), (14, 16), (340, 360)),
                "mill": ((35, 45), (1.5, 2.5), (9, 11), (400, 430))},
        lines=[("Sinter machine", dict(so2=6, nox=5, pm25=3, pm10=3, vocs=2, nh3=1), "sinter", True, 0.0, 90000, "main"),
               ("Blast furnace", dict(so2=2, nox=2, pm25=2, pm10=2, vocs=2, nh3=1), "bf", False, 0.6, 200000, "main"),
               ("Converter", dict(so2=1, nox=1, pm25=2, pm10=2, vocs=1), "bof", True, 0.0, 120000, "main"),
               ("Hot rolling mill", dict(so2=1, nox=2, pm25=1, pm10=1, vocs=2), "mill", True, 0.0, 80000, "main"),
               ("Stockyard", dict(pm25=2, pm10=3), None, True, 0.0, 3000, "aux")]),
    "cement": dict(
        count=6, share=dict(so2=8, nox=22, pm25=18, pm10=18, vocs=1, nh3=3),
        grades=dict(A=1, B=2, C=2, D=1), districts=["Xishan", "Nanhu", "Lingang"],
        stacks={"kiln": ((80, 120), (3.5, 4.5), (12, 15), (380, 420)),
                "mill": ((30, 40), (1.5, 2.0), (11, 13), (350, 370))},
        lines=[("Clinker kiln line", dict(so2=1, nox=1, pm25=2, pm10=2, vocs=1, nh3=1), "kiln", True, 0.0, 40000, "main"),
               ("Cement grinding", dict(pm25=1, pm10=1), "mill", True, 0.0, 15000, "aux"),
               ("Raw material yard", dict(pm25=0.5, pm10=1), None, True, 0.0, 1000, "aux")]),
    "glass": dict(
        count=4, share=dict(so2=8, nox=10, pm25=5, pm10=4, vocs=1, nh3=2),
        grades=dict(B=1, C=2, D=1), districts=["Donggang", "Nanhu"],
        stacks={"furnace": ((80, 110), (2.5, 3.5), (8, 10), (430, 460))},
        lines=[("Float glass furnace", dict(so2=1, nox=1, pm25=1, pm10=1, vocs=1, nh3=1), "furnace", False, 0.7, 30000, "main"),
               ("Batch house", dict(pm25=0.1, pm10=0.2), None, True, 0.0, 2000, "aux")]),
    "coking": dict(
        count=2, share=dict(so2=10, nox=5, pm25=8, pm10=8, vocs=8, nh3=30),
        grades=dict(B=1, C=1), districts=["Lingang"],
        stacks={"oven": ((100, 125), (3.5, 4.5), (10, 12), (450, 500)),
                "push": ((30, 40), (2, 3), (12, 15), (330, 360))},
        lines=[("Coke oven battery", dict(so2=3, nox=3, pm25=2, pm10=2, vocs=2, nh3=1), "oven", False, 0.6, 60000, "main"),
               ("Coke pushing and quenching", dict(so2=1, nox=0.2, pm25=2, pm10=2, vocs=1), "push", True, 0.0, 10000, "aux"),
               ("By-product plant", dict(vocs=3, nh3=2), None, True, 0.0, 8000, "aux")]),
    "chemicals": dict(
        count=12, share=dict(so2=6, nox=4, pm25=3, pm10=3, vocs=35, nh3=25),
        grades=dict(A=1, B=3, C=5, D=2, leading=1), districts=["Jiangbei"],
        stacks={"process": ((30, 60), (0.8, 1.5), (8, 14), (300, 380)),
                "boiler": ((45, 60), (1.2, 2.0), (10, 14), (390, 420))},
        lines=[("Synthesis unit", dict(so2=0.5, nox=0.5, pm25=1, pm10=1, vocs=3, nh3=2), "process", True, 0.0, 25000, "main"),
               ("Steam boiler", dict(so2=3, nox=3, pm25=1, pm10=1, vocs=0.1, nh3=0.2), "boiler", True, 0.3, 5000, "aux"),
               ("Tank farm and loading", dict(vocs=2), None, True, 0.0, 3000, "aux")]),
    "ceramics": dict(
        count=8, share=dict(so2=6, nox=4, pm25=8, pm10=8, vocs=1, nh3=0),
        grades=dict(B=2, C=4, D=2), districts=["Xishan", "Nanhu"],
        stacks={"kiln": ((30, 45), (1.2, 2.0), (8, 12), (380, 450)),
                "dryer": ((25, 35), (1.0, 1.5), (9, 12), (340, 370))},
        lines=[("Roller kiln", dict(so2=3, nox=3, pm25=1, pm10=1, vocs=1), "kiln", True, 0.0, 8000, "main"),
               ("Spray dryer", dict(so2=1, nox=1, pm25=2, pm10=2), "dryer", True, 0.0, 4000, "aux")]),
    "foundry": dict(
        count=10, share=dict(so2=2, nox=1, pm25=8, pm10=9, vocs=3, nh3=0),
        grades=dict(B=2, C=5, D=3), districts=["Donggang", "Nanhu", "Beiyuan", "Xishan"],
        stacks={"furnace": ((20, 35), (0.8, 1.5), (10, 14), (310, 360))},
        lines=[("Melting furnace", dict(so2=1, nox=1, pm25=2, pm10=2, vocs=0.3), "furnace", True, 0.0, 6000, "main"),
               ("Moulding and sand processing", dict(pm25=1, pm10=1.5, vocs=1), "furnace", True, 0.0, 3000, "aux")]),
    "coating_printing": dict(
        count=15, share=dict(so2=0, nox=0, pm25=2, pm10=2, vocs=30, nh3=0),
        grades=dict(A=1, B=3, C=6, D=5), districts=["Beiyuan", "Chengzhong", "Donggang", "Nanhu"],
        stacks={"booth": ((15, 25), (0.6, 1.2), (10, 14), (295, 320))},
        lines=[("Coating line", dict(pm25=1, pm10=1, vocs=3), "booth", True, 0.0, 5000, "main"),
               ("Drying oven", dict(vocs=1), "booth", True, 0.0, 2000, "aux")],
        profile="day_shift"),
    "pharmaceuticals": dict(
        count=8, share=dict(so2=1, nox=1, pm25=1, pm10=1, vocs=14, nh3=0),
        grades=dict(A=1, B=3, C=3, leading=1), districts=["Jiangbei", "Beiyuan"],
        stacks={"process": ((20, 40), (0.6, 1.2), (8, 12), (300, 330))},
        lines=[("Synthesis workshop", dict(so2=1, nox=1, pm25=1, pm10=1, vocs=3), "process", True, 0.0, 20000, "main"),
               ("Solvent recovery", dict(vocs=1), "process", True, 0.0, 4000, "aux")]),
    "waste_incineration": dict(
        count=2, share=dict(so2=1, nox=1, pm25=1, pm10=1, vocs=0.5, nh3=0),
        grades=dict(none=2), districts=["Xishan", "Chengzhong"],
        stacks={"main": ((60, 80), (1.2, 2.0), (15, 18), (410, 440))},
        lines=[("Incinerator", dict(so2=1, nox=1, pm25=1, pm10=1, vocs=1), "main", False, 0.8, 5000, "main")]),
    "brick": dict(
        count=4, share=dict(so2=2, nox=1, pm25=5, pm10=6, vocs=0.5, nh3=0),
        grades=dict(C=2, D=2), districts=["Xishan", "Nanhu", "Jiangbei"],
        stacks={"kiln": ((25, 35), (1.0, 1.5), (7, 9), (360, 400))},
        lines=[("Tunnel kiln", dict(so2=1, nox=1, pm25=1, pm10=1, vocs=1), "kiln", True, 0.0, 2000, "main"),
               ("Clay preparation", dict(pm25=0.5, pm10=1), None, True, 0.0, 500, "aux")]),
    "asphalt": dict(
        count=3, share=dict(so2=1, nox=1, pm25=3, pm10=3, vocs=1, nh3=0),
        grades=dict(C=1, D=2), districts=["Beiyuan", "Lingang", "Nanhu"],
        stacks={"dryer": ((15, 20), (0.9, 1.2), (11, 13), (380, 420))},
        lines=[("Mixing plant", dict(so2=1, nox=1, pm25=1, pm10=1, vocs=1), "dryer", True, 0.0, 3000, "main")]),
}

EXEMPT = {  # industry -> (number exempt, reason); exemption applies to the first enterprises
    "power": (3, "heat and power supply to residents (民生保障)"),
    "waste_incineration": (2, "medical and municipal waste disposal (城市运行保障)"),
}
NAME_STEM = {"power": "Thermal Power", "steel": "Iron and Steel", "cement": "Cement", "glass": "Glass",
             "coking": "Coking", "chemicals": "Chemical", "ceramics": "Ceramics", "foundry": "Foundry",
             "coating_printing": "Coating and Printing", "pharmaceuticals": "Pharmaceutical",
             "waste_incineration": "Waste Incineration", "brick": "Brick and Tile", "asphalt": "Asphalt Mixing"}
# Industrial park centres (km) inside the home districts, where enterprises cluster.
PARKS = {"Donggang": [(24.0, 6.0), (30.0, -4.0)], "Jiangbei": [(-24.0, -24.0), (-18.0, -30.0)],
         "Lingang": [(24.0, -24.0), (30.0, -32.0)], "Xishan": [(-26.0, 10.0), (-30.0, 24.0)],
         "Nanhu": [(-4.0, -22.0), (6.0, -30.0)], "Beiyuan": [(-4.0, 22.0), (6.0, 30.0)],
         "Chengzhong": [(-6.0, -6.0), (7.0, 5.0)]}

# Plans by grade (一厂一策): for main and auxiliary lines at yellow / orange / red.
# "none" = no mandatory measure, "stop", "limit N" = run at N % of the normal load.
PLANS = {
    "A":       {"main": ("none", "none", "none"),         "aux": ("none", "none", "none")},
    "leading": {"main": ("none", "none", "none"),         "aux": ("none", "none", "none")},
    "B":       {"main": ("none", "limit 80", "limit 70"), "aux": ("limit 80", "stop", "stop")},
    "C":       {"main": ("limit 80", "limit 70", "stop"), "aux": ("stop", "stop", "stop")},
    "D":       {"main": ("limit 70", "stop", "stop"),     "aux": ("stop", "stop", "stop")},
    "none":    {"main": ("limit 80", "limit 70", "stop"), "aux": ("stop", "stop", "stop")},
}

AREA_SECTORS = ["residential_heating", "construction_dust", "road_dust", "road_traffic", "non_road_machinery",
                "agriculture", "solvent_use", "catering"]
URBAN_SECTORS = {"construction_dust", "road_dust", "road_traffic", "solvent_use", "catering"}

# Major roads, km vertices: (id, name, district, vertices). Traffic shares by length x lanes.
ROADS = [
    ("R01", "Inner ring road", "Chengzhong", [(-6, -5), (6, -5), (7, 0), (6, 6), (-6, 6), (-7, 0), (-6, -5)], 6),
    ("R02", "North expressway", "Beiyuan", [(0.5, 6), (1, 18), (2, 30), (2.5, 39.5)], 6),
    ("R03", "South expressway", "Nanhu", [(-0.5, -5), (-1, -18), (-3, -30), (-4, -39.5)], 6),
    ("R04", "East harbour road", "Donggang", [(7, 0.5), (18, 2), (28, 3), (39.5, 4)], 6),
    ("R05", "West expressway", "Xishan", [(-7, 0.5), (-18, 4), (-30, 8), (-39.5, 10)], 6),
    ("R06", "River bridge and Jiangbei avenue", "Jiangbei", [(-6, -5), (-14, -14), (-24, -22), (-36, -32)], 4),
    ("R07", "Lingang logistics road", "Lingang", [(6, -5), (14, -14), (24, -22), (36, -34)], 4),
    ("R08", "Outer ring road (north)", "Beiyuan", [(-15, 14), (0, 16), (15, 14)], 8),
    ("R09", "Outer ring road (south)", "Nanhu", [(-15, -13), (0, -15.5), (15, -13)], 8),
    ("R10", "Outer ring road (west)", "Xishan", [(-15, -13), (-17, 0), (-15, 14)], 8),
    ("R11", "Outer ring road (east)", "Donggang", [(15, -13), (17, 0), (15, 14)], 8),
    ("R12", "Steel works freight road", "Donggang", [(18, 2), (24, 6), (30, -4)], 2),
]

PROFILES = [
    ("industry", "month", [1.05, 1.0, 1.0, 1.0, 0.95, 0.95, 0.95, 0.95, 1.0, 1.0, 1.05, 1.1]),
    ("industry", "weekday", [1, 1, 1, 1, 1, 0.95, 0.95]),
    ("industry", "hour", [1] * 24),
    ("day_shift", "weekday", [1.1, 1.1, 1.1, 1.1, 1.1, 0.8, 0.7]),
    ("day_shift", "hour", [0.3] * 7 + [1.2] + [1.8] * 10 + [1.2] + [0.3] * 5),
    ("residential_heating", "month", [2.0, 1.7, 1.0, 0.5, 0.4, 0.4, 0.4, 0.4, 0.4, 0.6, 1.2, 1.9]),
    ("residential_heating", "hour", [0.6, 0.5, 0.5, 0.5, 0.6, 0.9, 1.6, 1.8, 1.3, 0.9, 0.8, 1.1,
                                     1.3, 0.9, 0.7, 0.7, 0.9, 1.6, 1.9, 1.7, 1.4, 1.1, 0.9, 0.7]),
    ("road_traffic", "weekday", [1.05, 1.05, 1.05, 1.05, 1.1, 0.9, 0.8]),
    ("road_traffic", "hour", [0.3, 0.2, 0.2, 0.2, 0.3, 0.6, 1.2, 1.9, 1.8, 1.3, 1.1, 1.1,
                              1.1, 1.1, 1.2, 1.3, 1.5, 1.9, 1.8, 1.4, 1.1, 0.9, 0.6, 0.4]),
    ("road_dust", "hour", [0.3, 0.2, 0.2, 0.2, 0.3, 0.6, 1.2, 1.9, 1.8, 1.3, 1.1, 1.1,
                           1.1, 1.1, 1.2, 1.3, 1.5, 1.9, 1.8, 1.4, 1.1, 0.9, 0.6, 0.4]),
    ("construction_dust", "month", [0.7, 0.5, 1.0, 1.1, 1.1, 1.1, 1.0, 1.0, 1.1, 1.2, 1.1, 1.1]),
    ("construction_dust", "hour", [0.6] * 6 + [1.0] + [1.4] * 11 + [1.0] * 2 + [0.6] * 4),
    ("non_road_machinery", "hour", [0.4] * 6 + [1.0] + [1.6] * 11 + [1.0] * 2 + [0.4] * 4),
    ("agriculture", "month", [0.4, 0.5, 0.9, 1.5, 1.6, 1.5, 1.1, 1.0, 1.2, 1.2, 0.7, 0.4]),
    ("agriculture", "hour", [0.5] * 6 + [0.8, 1.0, 1.3, 1.6, 1.8, 1.9, 1.9, 1.8, 1.6, 1.3, 1.0, 0.8] + [0.5] * 6),
    ("solvent_use", "weekday", [1.1, 1.1, 1.1, 1.1, 1.1, 0.8, 0.7]),
    ("solvent_use", "hour", [0.3] * 8 + [1.9] * 10 + [0.3] * 6),
    ("catering", "hour", [0.2, 0.1, 0.1, 0.1, 0.2, 0.4, 0.8, 1.0, 0.8, 0.7, 1.2, 2.4,
                          2.6, 1.3, 0.7, 0.7, 1.2, 2.4, 2.8, 2.2, 1.2, 0.8, 0.5, 0.3]),
]


def fmt(v, nd=3):
    return f"{v:.{nd}f}"


def weighted_choice(rng, weights):
    keys = list(weights)
    total = sum(weights.values())
    r = rng.random() * total
    for k in keys:
        r -= weights[k]
        if r <= 0:
            return k
    return keys[-1]


def rect(x0, y0, x1, y1):
    return [(x0, y0), (x1, y0), (x1, y1), (x0, y1)]


def builtup(cx, cy, r):
    """An irregular octagon (km) around a district's built-up centre."""
    pts = []
    for k in range(8):
        a = 2 * math.pi * k / 8 + 0.3
        rr = r * (0.8 + 0.4 * ((k * 37) % 5) / 4)
        pts.append((cx + rr * math.cos(a), cy + rr * math.sin(a)))
    return pts


def ring_wkt(pts):
    pts = list(pts) + [pts[0]]
    return "(" + ", ".join(f"{x * 1000:.1f} {y * 1000:.1f}" for x, y in pts) + ")"


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--out", default=os.path.dirname(os.path.abspath(__file__)))
    out = ap.parse_args().out
    rng = random.Random(SEED)

    totals = {}  # key -> [t/yr per pollutant], from the figures as written

    def add(key, rates):
        acc = totals.setdefault(key, [0.0] * 6)
        for i, p in enumerate(POLLUTANTS):
            acc[i] += rates[p]

    # ---- enterprises, stacks, lines, plans ---------------------------------------------------
    industrial = {p: CITY[p] * SECTOR_SHARE["industry"][p] / 100 for p in POLLUTANTS}
    share_sum = {p: sum(ind["share"].get(p, 0) for ind in INDUSTRIES.values()) for p in POLLUTANTS}
    ent_rows, stack_rows, line_rows, plan_rows = [], [], [], []
    grade_count = {}
    eid = 0
    for industry, spec in INDUSTRIES.items():
        n = spec["count"]
        # Enterprise sizes: a common lognormal weight per enterprise times a smaller lognormal
        # factor per pollutant; PM10 follows PM2.5 so that PM10 / PM2.5 is the industry's ratio.
        size = [rng.lognormvariate(0.0, 0.6) for _ in range(n)]
        f = {p: [w * rng.lognormvariate(0.0, 0.25) for w in size] for p in POLLUTANTS}
        f["pm10"] = f["pm25"]
        per = {}
        for p in POLLUTANTS:
            total = industrial[p] * spec["share"].get(p, 0) / share_sum[p]
            per[p] = [total * v / sum(f[p]) for v in f[p]]
        # Grades: the weights give the counts exactly, shuffled.
        grades = [g for g, c in spec["grades"].items() for _ in range(c)]
        rng.shuffle(grades)
        n_exempt, reason = EXEMPT.get(industry, (0, ""))
        for k in range(n):
            eid += 1
            ent = f"E{eid:03d}"
            district = spec["districts"][k % len(spec["districts"])]
            px, py = rng.choice(PARKS[district])
            x = min(HALF - 2000, max(-HALF + 2000, (px + rng.gauss(0, 1.5)) * 1000))
            y = min(HALF - 2000, max(-HALF + 2000, (py + rng.gauss(0, 1.5)) * 1000))
            grade = grades[k]
            exempt = k < n_exempt
            rates = {p: round(per[p][k], 3) for p in POLLUTANTS}
            grade_count[grade] = grade_count.get(grade, 0) + 1
            add("total", rates)
            add("sector:industry", rates)
            add("district:" + district, rates)
            add("grade:" + grade, rates)
            add("industry:" + industry, rates)
            if exempt:
                add("exempt", rates)
            name = f"Demo {NAME_STEM[industry]} Co. No. {k + 1}"
            crs, cx, cy = "grid", fmt(x, 1), fmt(y, 1)
            if industry == "waste_incineration":
                # Given in lon/lat (WGS 84), projected by the reader (approximate inverse of the lcc
                # near the origin: 1 degree of latitude ~ 110.9 km, of longitude ~ 94.4 km at 32N).
                crs, cx, cy = "lonlat", f"{118.8 + x / 94400:.5f}", f"{32.0 + y / 110900:.5f}"
            ent_rows.append([ent, name, industry, grade, "true" if exempt else "false", reason if exempt else "",
                             district, "", "", cx, cy, crs] + [fmt(rates[p]) for p in POLLUTANTS] +
                            [spec.get("profile", "")])
            # Stacks: one per template key (power plants: one per unit).
            stack_ids = {}
            keys = list(spec["stacks"])
            if industry == "power":
                keys = ["main", "main"]
            for si, key in enumerate(keys):
                (h0, h1), (d0, d1), (v0, v1), (t0, t1) = spec["stacks"][key]
                sid = f"{ent}-S{si + 1}"
                stack_ids.setdefault(key, []).append(sid)
                stack_rows.append([sid, ent, fmt(x + rng.uniform(-150, 150), 1), fmt(y + rng.uniform(-150, 150), 1),
                                   fmt(rng.uniform(h0, h1), 0), fmt(rng.uniform(d0, d1), 1),
                                   fmt(rng.uniform(v0, v1), 1), fmt(rng.uniform(t0, t1), 0)])
            # Lines: shares = line weights normalised per pollutant, written with 4 decimals; the
            # last line with a weight takes the rest so the shares sum to 1.
            lines = spec["lines"]
            shares = []
            for p in POLLUTANTS:
                w = [ln[1].get(p, 0.0) for ln in lines]
                s = sum(w)
                col = [round(v / s, 4) if s > 0 else 0.0 for v in w]
                if s > 0:
                    last = max(i for i, v in enumerate(w) if v > 0)
                    col[last] = round(1.0 - sum(c for i, c in enumerate(col) if i != last), 4)
                shares.append(col)
            for li, (lname, _w, skey, can_stop, min_load, lost, role) in enumerate(lines):
                lid = f"{ent}-L{li + 1}"
                if skey is None:
                    stacks = ""
                elif industry == "power":
                    stacks = stack_ids["main"][li]  # unit i -> stack i
                else:
                    stacks = ";".join(stack_ids[skey])
                scale = rng.uniform(0.6, 1.6)
                line_rows.append([lid, ent, lname, stacks] + [fmt(shares[pi][li], 4) for pi in range(6)] +
                                 ["true" if can_stop else "false", fmt(min_load, 2), fmt(lost * scale, 0)])
                plan = ("none", "none", "none") if exempt else PLANS[grade][role]
                if not can_stop:  # a furnace that cannot stop is limited to its minimum load
                    plan = tuple(f"limit {round(min_load * 100)}" if a == "stop" else a for a in plan)
                plan_rows.append([lid, ent, *plan])

    # ---- area sources -------------------------------------------------------------------------
    area_rows = []
    pop = sum(d[4] for d in DISTRICTS)
    rural = sum(d[5] for d in DISTRICTS)
    aid = 0
    for sector in AREA_SECTORS:
        frac = {p: CITY[p] * SECTOR_SHARE[sector][p] / 100 for p in POLLUTANTS}
        if sector in ("road_traffic", "road_dust"):
            frac = {p: v * (1 - ON_MAJOR_ROADS) for p, v in frac.items()}
        if all(v == 0 for v in frac.values()):
            continue
        for name, (x0, y0, x1, y1), (cx, cy), r, popw, ruralw in DISTRICTS:
            weight = ruralw / rural if sector == "agriculture" else popw / pop
            rates = {p: round(frac[p] * weight, 3) for p in POLLUTANTS}
            outer = rect(x0, y0, x1, y1)
            town = builtup(cx, cy, r)
            if sector in URBAN_SECTORS:
                wkt = "POLYGON(" + ring_wkt(town) + ")"
            elif sector == "agriculture":  # farmland: the district without its built-up area
                wkt = "POLYGON(" + ring_wkt(outer) + ", " + ring_wkt(town) + ")"
            else:
                wkt = "POLYGON(" + ring_wkt(outer) + ")"
            aid += 1
            area_rows.append([f"A{aid:03d}", f"{name} {sector.replace('_', ' ')}", sector, name, wkt] +
                             [fmt(rates[p]) for p in POLLUTANTS])
            add("total", rates)
            add("sector:" + sector, rates)
            add("district:" + name, rates)

    # ---- roads ---------------------------------------------------------------------------------
    road_rows = []
    weights = []
    for rid, name, district, pts, lanes in ROADS:
        length = sum(math.hypot(pts[i][0] - pts[i - 1][0], pts[i][1] - pts[i - 1][1]) for i in range(1, len(pts)))
        weights.append(length * lanes)
    wsum = sum(weights)
    for sector in ("road_traffic", "road_dust"):
        frac = {p: CITY[p] * SECTOR_SHARE[sector][p] / 100 * ON_MAJOR_ROADS for p in POLLUTANTS}
        for (rid, name, district, pts, lanes), w in zip(ROADS, weights):
            rates = {p: round(frac[p] * w / wsum, 3) for p in POLLUTANTS}
            geom = "LINESTRING(" + ", ".join(f"{x * 1000:.1f} {y * 1000:.1f}" for x, y in pts) + ")"
            suffix = "" if sector == "road_traffic" else "-D"
            road_rows.append([rid + suffix, name + (" (dust)" if suffix else ""), sector, district, geom,
                              fmt(3.5 * lanes, 1)] + [fmt(rates[p]) for p in POLLUTANTS])
            add("total", rates)
            add("sector:" + sector, rates)
            add("district:" + district, rates)

    # ---- write ---------------------------------------------------------------------------------
    def write(name, header, rows, preamble=()):
        with open(os.path.join(out, name), "w", newline="") as f:
            for line in preamble:
                f.write(line + "\n")
            w = csv.writer(f, lineterminator="\n")
            w.writerow(header)
            w.writerows(rows)

    unit = ["# unit: t/yr", "# SYNTHETIC demo data: generated by make_inventory.py (see README.md)"]
    write("enterprises.csv", ["id", "name", "industry", "grade", "exempt", "exempt_reason", "district", "category",
                              "department", "x", "y", "crs"] + POLLUTANTS + ["profile"], ent_rows, unit)
    write("stacks.csv", ["id", "enterprise", "x", "y", "height", "diameter", "velocity", "temperature"], stack_rows,
          unit[1:])
    write("lines.csv", ["id", "enterprise", "name", "stacks"] + ["share_" + p for p in POLLUTANTS] +
          ["can_stop", "min_load", "lost_output_per_hour"], line_rows, unit[1:])
    write("plans.csv", ["line", "enterprise", "yellow", "orange", "red"], plan_rows, unit[1:])
    write("area_sources.csv", ["id", "name", "sector", "district", "geometry"] + POLLUTANTS, area_rows, unit)
    write("roads.csv", ["id", "name", "sector", "district", "geometry", "width"] + POLLUTANTS, road_rows, unit)
    write("profiles.csv", ["profile", "axis", "factors"],
          [[p, a, " ".join(f"{v:g}" for v in f)] for p, a, f in PROFILES], unit[1:])
    rows = [[k] + [repr(v) for v in vals] for k, vals in sorted(totals.items())]
    rows += [["count:" + g, str(c), "0", "0", "0", "0", "0"] for g, c in sorted(grade_count.items())]
    rows += [["count:enterprises", str(len(ent_rows)), str(len(stack_rows)), str(len(line_rows)), str(len(area_rows)),
              str(len(road_rows)), "0"]]
    write("totals.csv", ["key"] + POLLUTANTS, rows,
          ["# Totals (t/yr) of the figures written, summed by make_inventory.py; count:enterprises holds the",
           "# numbers of enterprises, stacks, lines, area sources and roads; count:<grade> enterprises per grade."])
    t = totals["total"]
    print(f"{len(ent_rows)} enterprises in {len(INDUSTRIES)} industries, {len(stack_rows)} stacks, "
          f"{len(line_rows)} lines, {len(area_rows)} area sources, {len(road_rows)} road sources")
    print("city totals, t/yr: " + ", ".join(f"{p.upper()} {v:.0f}" for p, v in zip(POLLUTANTS, t)))


if __name__ == "__main__":
    main()
