"""AQI of concentration columns: element-wise, real-time hourly and trailing daily (24-h)."""
import numpy as np
import pytest

import lantian


def test_aqi_elementwise_primary_and_category():
    # PM2.5 24h 100 -> 132 (see test_iaqi); PM10 24h 200 -> (150-100)/(250-150)*(200-150)+100 = 125.
    # PM2.5 24h 20 -> 50/35*20 = 28.6 -> 29; PM10 24h 40 -> 50/50*40 = 40: AQI 40 <= 50, no primary.
    # PM2.5 24h 75 -> 100; PM10 24h 150 -> 100: a tie, both primary.
    s = lantian.aqi(PM25=[100.0, 20.0, 75.0], PM10=[200.0, 40.0, 150.0])
    aqi, primary, category = s
    assert aqi.dtype == np.int32
    assert aqi.tolist() == [132, 40, 100]
    assert primary.tolist() == ["PM2.5", "", "PM2.5;PM10"]
    assert category.tolist() == ["light", "excellent", "good"]
    assert s.category_zh.tolist() == ["轻度污染", "优", "良"]
    assert s.above_scale.tolist() == [False, False, False]


def test_aqi_daily_o3_uses_8h_and_above_scale():
    # With averaging "24h" O3 is its 8-h value: 300 -> (300-200)/(800-265)*(300-265)+200 = 206.5 -> 207.
    # PM2.5 600 is above the scale: IAQI 500, flagged.
    s = lantian.aqi({"PM2.5": [10.0, 600.0], "O3": [300.0, 10.0]})
    assert s.aqi.tolist() == [207, 500]
    assert s.primary.tolist() == ["O3", "PM2.5"]
    assert s.above_scale.tolist() == [False, True]
    # Hourly tables: O3 1h 300 -> 150 exactly.
    assert lantian.aqi(O3=[300.0], averaging="1h").aqi.tolist() == [150]
    # Per-pollutant averaging and an element-wise 2-D field.
    grid = np.full((2, 3), 100.0)
    g = lantian.aqi(PM25=grid, NO2=grid, averaging={"PM25": "24h", "NO2": "1h"})
    assert g.aqi.shape == (2, 3) and (g.aqi == 132).all()


def test_hourly_aqi_constant_series():
    # Hourly PM uses the 24-h table with the 1-h value: PM2.5 150 -> 200; NO2 1h 150 -> 75.
    n = 48
    s = lantian.hourly_aqi({"PM2.5": np.full(n, 150.0), "NO2": np.full(n, 150.0)})
    assert s.aqi.tolist() == [200] * n
    assert set(s.primary.tolist()) == {"PM2.5"}
    assert set(s.category.tolist()) == {"moderate"}
    # A missing required PM2.5 hour makes the hour missing although NO2 is valid.
    pm = np.full(n, 150.0)
    pm[5] = np.nan
    s = lantian.hourly_aqi(PM25=pm, NO2=np.full(n, 150.0))
    assert s.aqi[5] == -1 and s.category[5] == "" and s.aqi[4] == 200


def test_daily_aqi_trailing_against_numpy_means():
    # The block ending at hour h is [h-23, h]; valid with >= 20 valid hours (GB 3095-2012 §8).
    # Reference: NumPy means over the same windows, then the IAQI of each mean; AQI = max.
    rng = np.random.default_rng(7)
    n = 24 * 10
    cols = {
        "PM2.5": rng.uniform(10, 300, n),
        "PM10": rng.uniform(20, 400, n),
        "NO2": rng.uniform(5, 150, n),
    }
    cols["PM2.5"][rng.choice(n, 40, replace=False)] = np.nan
    got = lantian.daily_aqi(cols).aqi
    for h in range(n):
        if h < 23:
            assert got[h] == -1
            continue
        iaqis = []
        for name, x in cols.items():
            w = x[h - 23 : h + 1]
            ok = ~np.isnan(w)
            if ok.sum() >= 20:
                iaqis.append(int(lantian.iaqi(name, [w[ok].mean()], "24h")[0]))
            elif name == "PM2.5":  # required pollutant invalid: the block is invalid
                iaqis = None
                break
        expected = -1 if iaqis is None else max(iaqis)
        assert got[h] == expected, h


def test_daily_aqi_validity_rules_and_hand_value():
    # 24 h of PM2.5 = 100 with 5 missing hours: 19 valid < 20 -> invalid by default; valid with
    # min_hours_24h = 19, mean 100 -> IAQI 132.
    x = np.full(24, 100.0)
    x[:5] = np.nan
    assert lantian.daily_aqi(PM25=x).aqi[23] == -1
    v = lantian.ValidityRules()
    v.min_hours_24h = 19
    assert lantian.daily_aqi(PM25=x, validity=v).aqi[23] == 132
    v.min_hours_24h = 30
    with pytest.raises(lantian.LantianError, match="min_hours_24h"):
        lantian.daily_aqi(PM25=x, validity=v)


def test_series_errors():
    with pytest.raises(lantian.LantianError, match="1-D"):
        lantian.hourly_aqi(PM25=np.zeros((2, 24)))
    with pytest.raises(ValueError, match="PM2.5"):
        lantian.daily_aqi({"PM2.5": np.zeros(24), "PM25": np.zeros(24)})
    with pytest.raises(lantian.LantianError, match="expected 24 values"):
        lantian.daily_aqi(PM25=np.zeros(24), PM10=np.zeros(23))
    with pytest.raises(lantian.LantianError, match="'benzene'"):
        lantian.hourly_aqi(benzene=np.zeros(3))
    with pytest.raises(lantian.LantianError, match="at least one"):
        lantian.hourly_aqi({})
