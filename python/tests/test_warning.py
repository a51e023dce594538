"""Warning classification (DOMAIN.md §3), the response timeline and the rules, through the
bindings, on hand-built PM2.5 series whose block AQIs are worked out in the comments."""
import numpy as np
import pytest

import lantian

# PM2.5 24-h IAQIs used below (HJ 633-2012, breakpoints 115/150/250/350 at 150/200/300/400):
#   200 -> (300-200)/(250-150)*(200-150)+200 = 250
#   260 -> (400-300)/(350-250)*(260-250)+300 = 310   (260 lies above 250, in the 300-400 band)
#   130 -> (200-150)/(150-115)*(130-115)+150 = 171.4 -> 172
#    10 -> 50/35*10 = 14.3 -> 15
#   100 -> 131.25 -> 132


def pm25_series(*runs):
    """Hourly PM2.5 from (hours, value) runs."""
    return np.concatenate([np.full(h, float(v)) for h, v in runs])


def decide(pm25, t0, rules=None):
    daily = lantian.daily_aqi(PM25=pm25)
    return lantian.classify_warning(daily, t0, rules, trailing=True)


def test_national_rules_are_readable():
    r = lantian.WarningRules.national()
    assert [lv.name for lv in r.levels] == ["yellow", "orange", "red"]
    assert [lv.name_zh for lv in r.levels] == ["黄色", "橙色", "红色"]
    yellow, orange, red = r.levels
    assert [(c.above, c.hours) for c in yellow.any_of] == [(200, 24), (150, 48)]
    assert [(c.above, c.hours) for c in orange.any_of] == [(200, 48), (150, 72)]
    assert [(c.above, c.hours, c.and_block_above) for c in red.any_of] == [(200, 72, 300)]
    assert [lv.release_at_or_below for lv in r.levels] == [150, 200, 300]
    assert (r.horizon_hours, r.issue_hour, r.release_hours) == (72, 16, 36)
    assert r.level_index("Orange") == 2 and r.level_index("none") == 0 and r.level_index("blue") == -1
    assert r.level_name(3) == "red" and r.level_name(0) == "none"
    # Lifting from red needs the lowest start standard (yellow 150); downgrading red -> orange 300.
    assert r.release_threshold(3, 0) == 150 and r.release_threshold(3, 2) == 300
    assert "some block > 300" in red.any_of[0].describe()
    assert r == lantian.WarningRules.national()


def test_red_72h_at_310():
    # 72 h of PM2.5 = 260: three blocks of 310 > 200 and a block > 300 -> red.
    d = decide(pm25_series((72, 260)), 0)
    assert (d.level, d.level_name) == (3, "red")
    assert (d.window_start, d.window_hours, d.block_aqis) == (0, 72, [310, 310, 310])
    assert (d.extra_block_start, d.extra_block_aqi) == (0, 310)
    assert d.reason.startswith("red:")


def test_orange_72h_at_250():
    # 72 h of PM2.5 = 200: blocks of 250 > 200 for 72 h, but no block > 300, so not red; orange
    # by "> 200 lasting 48 h" (its first condition), the earliest window starting at 0.
    d = decide(pm25_series((72, 200)), 0)
    assert (d.level_name, d.condition, d.window_start, d.block_aqis) == ("orange", 0, 0, [250, 250])
    # 72 h of PM2.5 = 130: blocks of 172 > 150 for 72 h -> orange by its second condition.
    d = decide(pm25_series((72, 130)), 0)
    assert (d.level_name, d.condition, d.block_aqis) == ("orange", 1, [172, 172, 172])


def test_yellow_and_none():
    # 48 h of 130 then 48 h of 10: blocks [0,24) and [24,48) are 172 > 150 -> yellow by
    # "> 150 lasting 48 h"; the third block [48,72) is 15, so not orange.
    pm = pm25_series((48, 130), (48, 10))
    d = decide(pm, 0)
    assert (d.level_name, d.condition, d.window_start, d.block_aqis) == ("yellow", 1, 0, [172, 172])
    # From t0 = 24 the horizon [24, 96) holds no two consecutive blocks > 150: none.
    d = decide(pm, 24)
    assert (d.level, d.level_name, d.window_start, d.block_aqis) == (0, "none", -1, [])
    # One day of 200 (block 250 > 200 for 24 h) -> yellow by its first condition.
    d = decide(pm25_series((24, 200), (48, 10)), 0)
    assert (d.level_name, d.condition, d.block_aqis) == ("yellow", 0, [250])
    # 72 h of 100 (132): none.
    assert decide(pm25_series((72, 100)), 0).level == 0


def test_block_input_many_issue_times_and_invalid_blocks():
    # Block AQIs given directly: [i, i+24) -> block_aqi[i]. An invalid block (-1) breaks a window.
    block = np.full(120, 250, dtype=np.int32)
    block[24] = -1
    d = lantian.classify_warning(block, 0)
    # The window from 0 needs block 24; the earliest avoiding it starts at 1 (blocks 1 and 25).
    assert (d.level_name, d.window_start, d.block_aqis) == ("orange", 1, [250, 250])
    # At t0 = 100 no 24-h block fits inside the series (block 96 is the last): none.
    many = lantian.classify_warning(block, np.array([0, 30, 100]))
    assert [x.level_name for x in many] == ["orange", "orange", "none"]
    assert [x.issue_index for x in many] == [0, 30, 100]
    with pytest.raises(lantian.LantianError, match="1-D"):
        lantian.classify_warning(np.zeros((2, 72), dtype=np.int32), 0)


def test_custom_rules():
    r = lantian.WarningRules.national()
    r.horizon_hours = 48  # red (72 h) cannot hold inside a 48-h horizon
    d = decide(pm25_series((72, 260)), 0, r)
    assert d.level_name == "orange"
    bad = lantian.WarningRules.national()
    bad.horizon_hours = 10
    with pytest.raises(lantian.LantianError, match="horizon_hours") as err:
        lantian.classify_warning(np.zeros(24, dtype=np.int32), 0, bad)
    assert err.value.where == "warning.horizon_hours"
    # levels is a copy: assign a whole list to change it.
    blue = lantian.WarningLevelRule("blue", "蓝色", [lantian.WarningCondition(above=100, hours=24)], 100)
    r = lantian.WarningRules.national()
    r.levels = [blue] + r.levels
    assert decide(pm25_series((24, 100), (48, 10)), 0, r).level_name == "blue"


def test_response_timeline_upgrade_and_lift():
    # 96 h of PM2.5 = 200 (blocks 250), then 96 h of 20 (IAQI 29); decisions at 16:00 daily
    # (index 0 = 00:00 local): t0 = 16, 40 -> orange (blocks 250, 250 inside the horizon);
    # t0 = 64 -> yellow (block [64,88) = 250; block [88,112) = mean 80 -> 107); t0 = 88 ->
    # none. Orange is kept at 64 and 88 because the trailing daily AQI is still 250 there;
    # at t0 = 112 the trailing block [89,112] has 7 h of 200 and 17 of 20, mean 72.5 -> 97,
    # and it keeps falling, so [112, 148) stays <= 150 (the lift threshold): lifted at 112.
    pm = pm25_series((96, 200), (96, 20))
    daily = lantian.daily_aqi(PM25=pm)
    t0s = np.arange(16, len(pm), 24)
    decisions = lantian.classify_warning(daily, t0s, trailing=True)
    assert [d.level_name for d in decisions[:4]] == ["orange", "orange", "yellow", "none"]
    assert daily.aqi[112] == 97
    periods = lantian.response_timeline(daily, decisions)
    assert [(p.level_name, p.start, p.end) for p in periods] == [("orange", 16, 112)]
    assert "lifted" in periods[0].end_reason
    # A red warning imposed by a higher authority over [130, 150) (given by name).
    periods = lantian.response_timeline(daily, decisions, [(130, 150, "red")])
    assert [(p.level_name, p.start, p.end) for p in periods] == [("orange", 16, 112), ("red", 130, 150)]
    assert "imposed by higher authority" in periods[1].start_reason
    with pytest.raises(lantian.LantianError, match="'purple'"):
        lantian.response_timeline(daily, decisions, [(130, 150, "purple")])
    # Red in force since 8 h before the series: the decisions (orange) are below it, and red drops
    # to orange only after 36 h at or below 300 from a decision. At t0 = 16 the trailing mean has
    # 17 hours (< 20: invalid), so nothing is proved; at t0 = 40 the trailing AQI is 250 at every
    # hour of [40, 76): orange from 40, then lifted at 112 as above.
    periods = lantian.response_timeline(daily, decisions, in_force=("red", -8))
    assert [(p.level_name, p.start, p.end) for p in periods] == [("red", 0, 40), ("orange", 40, 112)]
    assert periods[0].began == -8 and periods[1].began is None
    assert "in force since hour -8" in periods[0].start_reason
    # The decision at 88 sees 104 h left: every level decided; the last ones see the end.
    assert decisions[3].open_level == 0
    with pytest.raises(lantian.LantianError, match="increase"):
        lantian.response_timeline(daily, decisions[::-1])


def test_rules_files(tmp_path, request):
    from conftest import REPO_ROOT

    national = REPO_ROOT / "examples" / "rules" / "national.toml"
    if national.exists():
        r = lantian.load_rules(str(national))
        assert r.warning == lantian.WarningRules.national()
        assert r.validity == lantian.ValidityRules()
    f = tmp_path / "local.toml"
    f.write_text('[warning]\nissue_hour = 10\n[aqi]\nrequired = ["PM2.5", "PM10"]\n', encoding="utf-8")
    r = lantian.load_rules(str(f))
    assert r.warning.issue_hour == 10 and r.validity.required == ["PM2.5", "PM10"]
    with pytest.raises(lantian.LantianError, match="horizon_hours") as err:
        lantian.parse_rules("[warning]\nhorizon_hour = 48\n", "typo.toml")
    assert err.value.file == "typo.toml" and err.value.line == 2
    with pytest.raises(lantian.LantianError, match="missing.toml"):
        lantian.load_rules(str(tmp_path / "missing.toml"))
