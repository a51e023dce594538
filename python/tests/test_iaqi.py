"""IAQI (HJ 633-2012) through the bindings: hand calculations and an independent reference."""
from fractions import Fraction

import numpy as np
import pytest

import lantian
from reference import BREAKPOINTS, iaqi_ref


@pytest.mark.parametrize(
    "conc, expected",
    [
        # PM2.5 24h, breakpoints 0/35/75/115/150/250/350/500 at IAQI 0/50/100/150/200/300/400/500:
        (0.0, 0),      # bottom of the scale
        (35.0, 50),    # exactly a breakpoint
        (35.1, 51),    # (100-50)/(75-35)*(35.1-35)+50 = 50.125 -> ceil 51
        (100.0, 132),  # (150-100)/(115-75)*(100-75)+100 = 131.25 -> ceil 132
        (115.0, 150),  # exactly a breakpoint
        (260.0, 310),  # (400-300)/(350-250)*(260-250)+300 = 310
        (500.0, 500),  # top breakpoint
        (600.0, 500),  # above the scale: 500
    ],
)
def test_pm25_24h_hand_values(conc, expected):
    assert lantian.iaqi("PM2.5", np.array([conc]))[0] == expected


def test_other_pollutants_hand_values():
    # NO2 1h 150: (100-50)/(200-100)*(150-100)+50 = 75
    assert lantian.iaqi("NO2", [150.0], "1h")[0] == 75
    # CO 24h 5 mg/m3: (150-100)/(14-4)*(5-4)+100 = 105
    assert lantian.iaqi("CO", [5.0], "24h")[0] == 105
    # O3 8h 200: (150-100)/(215-160)*(200-160)+100 = 136.36 -> 137
    assert lantian.iaqi("O3", [200.0], "8h")[0] == 137
    # SO2 1h 700: (200-150)/(800-650)*(700-650)+150 = 166.67 -> 167
    assert lantian.iaqi("SO2", [700.0], "1h")[0] == 167
    # PM10 1h uses the 24-h table; 300 lies in 250..350 (IAQI 150..200):
    # (200-150)/(350-250)*(300-250)+150 = 175
    assert lantian.iaqi("PM10", [300.0], "1h")[0] == 175


def test_missing_and_dtype_and_shape():
    out = lantian.iaqi("pm25", np.array([[np.nan, -1.0], [75.0, np.inf]]))
    assert out.dtype == np.int32
    assert out.shape == (2, 2)  # any shape, element-wise
    assert out.tolist() == [[-1, -1], [100, -1]]
    # Integer and list inputs are converted (forcecast).
    assert lantian.iaqi("PM2.5", [35, 75]).tolist() == [50, 100]
    assert lantian.iaqi("PM2.5", np.array([], dtype=float)).shape == (0,)


def test_table_ends_need_a_fallback():
    # SO2 1h above 800: the standard reports the 24-h SO2 IAQI instead. Without one: missing.
    assert lantian.iaqi("SO2", [900.0], "1h").tolist() == [-1]
    # With a 24-h SO2 of 100: (100-50)/(150-50)*(100-50)+50 = 75. The fallback is used only
    # above 800: 1-h 100 stays on the 1-h table, (50-0)/(150-0)*(100-0)+0 = 33.3 -> 34.
    assert lantian.iaqi("SO2", [900.0, 100.0], "1h", fallback=100.0).tolist() == [75, 34]
    # O3 8h above 800: the 1-h O3 IAQI; 1-h 1100: (500-400)/(1200-1000)*(1100-1000)+400 = 450.
    assert lantian.iaqi("O3", [850.0], "8h", fallback=[1100.0]).tolist() == [450]
    with pytest.raises(lantian.LantianError, match="fallback"):
        lantian.iaqi("SO2", [900.0, 1.0, 2.0], "1h", fallback=[1.0, 2.0])


@pytest.mark.parametrize("pollutant, averaging", sorted(BREAKPOINTS))
def test_vectorised_equals_reference(pollutant, averaging):
    # Concentrations with one decimal (as monitoring data), from 0 to 1.2x the last breakpoint,
    # plus every breakpoint and its neighbours; the reference is exact (fractions).
    rng = np.random.default_rng(20241122)
    top = BREAKPOINTS[(pollutant, averaging)][-1]
    tenths = rng.integers(0, int(12 * top) + 1, size=5000)
    edges = [10 * b + d for b in BREAKPOINTS[(pollutant, averaging)] for d in (-1, 0, 1) if 10 * b + d >= 0]
    tenths = np.concatenate([tenths, edges])
    conc = tenths / 10.0
    got = lantian.iaqi(pollutant, conc, averaging)
    expected = [iaqi_ref(pollutant, averaging, Fraction(int(t), 10)) for t in tenths]
    mismatch = [(c, g, e) for c, g, e in zip(conc, got, expected) if g != e]
    assert not mismatch, mismatch[:5]


def test_unknown_pollutant_names_it():
    with pytest.raises(lantian.LantianError, match="PM3") as err:
        lantian.iaqi("PM3", [1.0])
    assert isinstance(err.value, ValueError)
    assert err.value.where == "pollutant"
    assert "expected one of" in err.value.message


def test_unknown_averaging_and_missing_table():
    with pytest.raises(ValueError, match="'2h'"):
        lantian.iaqi("PM2.5", [1.0], "2h")
    # HJ 633-2012 has no 8-h PM2.5 table; the engine says so even for an empty array.
    with pytest.raises(lantian.LantianError, match="no 8-h breakpoints for PM2.5"):
        lantian.iaqi("PM2.5", np.array([]), "8h", fallback=1.0)
    with pytest.raises(lantian.LantianError, match="no 24-h breakpoints for O3"):
        lantian.iaqi("O3", [1.0], "24h")
