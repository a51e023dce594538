"""The package surface: helpers, input conversion, errors, threads."""
from concurrent.futures import ThreadPoolExecutor

import numpy as np
import pandas as pd
import pytest

import lantian


def test_package_surface():
    assert lantian.__version__.count(".") == 2
    assert lantian.POLLUTANTS == ("SO2", "NO2", "PM10", "CO", "O3", "PM2.5")
    assert lantian.CATEGORIES[1:] == ("excellent", "good", "light", "moderate", "heavy", "severe")
    assert lantian.MISSING == -1
    assert issubclass(lantian.LantianError, ValueError)
    # Bit i of a primary mask is POLLUTANTS[i]; reports list particulates first.
    assert lantian.primary_names(0b100100) == "PM2.5;PM10"


def test_rolling_mean_hand_values():
    # Window 2, at least 1 valid: h=0 starts before the series -> NaN; (1+2)/2; (2+3)/2; [3, nan]
    # -> 3; [nan, 5] -> 5.
    out = lantian.rolling_mean([1.0, 2.0, 3.0, np.nan, 5.0], 2, 1)
    np.testing.assert_array_equal(out, [np.nan, 1.5, 2.5, 3.0, 5.0])
    with pytest.raises(lantian.LantianError, match="window"):
        lantian.rolling_mean([1.0], 0, 1)


def test_block_from_trailing():
    # block[i] = trailing[i + 23]: the 24-h block starting at i is the one ending at i + 23.
    trailing = np.array([-1] * 23 + [100, 110], dtype=np.int32)
    block = lantian.block_aqi_from_trailing(trailing)
    assert block.tolist() == [100, 110] + [-1] * 23
    assert block.dtype == np.int32


def test_pandas_and_list_inputs():
    idx = pd.date_range("2015-12-01", periods=24, freq="h")
    df = pd.DataFrame({"PM2.5": np.full(24, 100.0), "PM10": list(range(24))}, index=idx)
    s = lantian.daily_aqi(df)  # a DataFrame whose columns are pollutant names
    assert s.aqi[-1] == 132  # PM2.5 24-h mean 100 -> 131.25 -> 132 (PM10 mean 11.5 -> 12)
    s = lantian.hourly_aqi(PM25=df["PM2.5"], PM10=[0] * 24)
    assert (s.aqi == 132).all()


def test_threads_give_the_same_results():
    # The loops release the GIL; concurrent calls must not interfere.
    rng = np.random.default_rng(1)
    arrays = [rng.uniform(0, 600, 200_000) for _ in range(4)]
    serial = [lantian.iaqi("PM2.5", a) for a in arrays]
    with ThreadPoolExecutor(max_workers=2) as pool:
        threaded = list(pool.map(lambda a: lantian.iaqi("PM2.5", a), arrays))
    for x, y in zip(serial, threaded):
        np.testing.assert_array_equal(x, y)


def test_error_carries_the_engine_context():
    with pytest.raises(lantian.LantianError) as err:
        lantian.hourly_aqi(PM25=np.zeros(24), NO2=np.zeros(12))
    e = err.value
    assert e.where == "NO2" and "expected 24 values" in e.message and str(e).startswith("NO2: ")
