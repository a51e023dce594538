"""Independent pure-Python reference of HJ 633-2012 IAQI, written from the breakpoint table of
../shared/DOMAIN.md §2 (not from the C++ code), in exact rational arithmetic."""
import math
from fractions import Fraction

IAQI_LEVELS = [0, 50, 100, 150, 200, 300, 400, 500]

# (pollutant, averaging) -> concentration breakpoints at IAQI 0, 50, 100, ... (DOMAIN.md §2).
# SO2 1h stops at 800 (IAQI 200) and O3 8h at 800 (IAQI 300): beyond, the standard
# substitutes another IAQI ("*" and "**" in the table).
BREAKPOINTS = {
    ("SO2", "24h"): [0, 50, 150, 475, 800, 1600, 2100, 2620],
    ("SO2", "1h"): [0, 150, 500, 650, 800],
    ("NO2", "24h"): [0, 40, 80, 180, 280, 565, 750, 940],
    ("NO2", "1h"): [0, 100, 200, 700, 1200, 2340, 3090, 3840],
    ("PM10", "24h"): [0, 50, 150, 250, 350, 420, 500, 600],
    ("CO", "24h"): [0, 2, 4, 14, 24, 36, 48, 60],
    ("CO", "1h"): [0, 5, 10, 35, 60, 90, 120, 150],
    ("O3", "1h"): [0, 160, 200, 300, 400, 800, 1000, 1200],
    ("O3", "8h"): [0, 100, 160, 215, 265, 800],
    ("PM2.5", "24h"): [0, 35, 75, 115, 150, 250, 350, 500],
}
# PM has only 24-h breakpoints; the hourly IAQI of PM uses the same table.
BREAKPOINTS[("PM10", "1h")] = BREAKPOINTS[("PM10", "24h")]
BREAKPOINTS[("PM2.5", "1h")] = BREAKPOINTS[("PM2.5", "24h")]


def iaqi_ref(pollutant, averaging, conc):
    """IAQI of a concentration given as a decimal string or number; -1 when missing
    (NaN/negative) or beyond a truncated table (no fallback); 500 above the full scale."""
    if isinstance(conc, float) and (math.isnan(conc) or conc < 0):
        return -1
    c = Fraction(conc)
    if c < 0:
        return -1
    bp = BREAKPOINTS[(pollutant, averaging)]
    if c > bp[-1]:
        return 500 if len(bp) == len(IAQI_LEVELS) else -1
    for k in range(1, len(bp)):
        if c <= bp[k]:
            lo, hi = k - 1, k
            break
    # IAQI = (IAQI_hi - IAQI_lo) / (BP_hi - BP_lo) * (C - BP_lo) + IAQI_lo, rounded up.
    x = Fraction(IAQI_LEVELS[hi] - IAQI_LEVELS[lo], bp[hi] - bp[lo]) * (c - bp[lo]) + IAQI_LEVELS[lo]
    return math.ceil(x)
