// End-to-end tests of `lantian aqi`: the built executable on small fixtures in a temp folder.
// Expected figures are computed by hand from ../shared/DOMAIN.md §2-3 (HJ 633-2012 tables and
// the national warning rule as stated in docs/warning-rules.md).
#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <cstdio>
#include <string>
#include <vector>

#include "cli_support.hpp"

using namespace lantian::test;

namespace {

/// `hours` rows of one station from 2015-12-01T00:00 local with a constant PM2.5.
std::string constant_pm25(const std::string& station, double value, int hours) {
  std::string s = "station,time,PM2.5\n";
  char buf[96];
  for (int h = 0; h < hours; ++h) {
    std::snprintf(buf, sizeof buf, "%s,2015-12-%02dT%02d:00,%g\n", station.c_str(), 1 + h / 24, h % 24, value);
    s += buf;
  }
  return s;
}

std::string args_for(const std::string& input, const std::string& out, const std::string& extra = "") {
  return "aqi " + shell_quote(input) + " --out " + shell_quote(out) + (extra.empty() ? "" : " " + extra);
}

std::string local(int day, int hour) {
  char buf[40];
  std::snprintf(buf, sizeof buf, "2015-12-%02dT%02d:00:00+08:00", day, hour);
  return buf;
}

}  // namespace

TEST_CASE("aqi writes the five outputs with the contract's headers", "[cli]") {
  TempDir tmp;
  write_text(tmp / "obs.csv", constant_pm25("A", 160.0, 96));
  const auto r = run_lantian(args_for(tmp / "obs.csv", tmp / "out"), tmp);
  INFO(r.err);
  REQUIRE(r.status == 0);
  CHECK(first_line(tmp / "out/hourly.csv") == "station,time,aqi,primary,category");
  CHECK(first_line(tmp / "out/daily.csv") == "station,time,aqi_24h,primary_24h,category_24h");
  CHECK(first_line(tmp / "out/decisions.csv") == "station,issue_time,level,window_start,reason,undecided_up_to");
  CHECK(first_line(tmp / "out/timeline.csv") == "station,level,start,end,start_reason,end_reason");
  const auto j = nlohmann::json::parse(read_text(tmp / "out/summary.json"));
  CHECK(j.at("station_count") == 1);
  CHECK(j.at("hours") == 96);
  CHECK(j.at("stations").size() == 1);
  CHECK(j.at("missing_share").contains("PM2.5"));
  CHECK(j.at("decisions").at("orange") == 2);
  CHECK(j.contains("worst_episodes"));
  // Nothing else is left beside the output folder (the temporary folder was renamed).
  std::vector<std::string> names;
  for (const auto& e : fs::directory_iterator(tmp.path())) names.push_back(e.path().filename().string());
  std::sort(names.begin(), names.end());
  CHECK(names == std::vector<std::string>{"obs.csv", "out", "stderr.txt", "stdout.txt"});
  // stdout: the human summary.
  CHECK(r.out.find("stations: 1, hours: 96") != std::string::npos);
  CHECK(r.out.find("orange 2") != std::string::npos);
}

// Constant PM2.5 = 160 µg/m³ for 4 days (96 h from 2015-12-01 00:00 local):
//   IAQI = (300 - 200) / (250 - 150) * (160 - 150) + 200 = 210 (PM2.5 24-h table, 150..250 ->
//   200..300), so every hour and every complete 24-h block has AQI 210, category heavy (重度污染).
// Decisions at 16:00 with the 72-h horizon, clipped at the end of the series (hour 96):
//   Dec 1 16:00 (t0 = 16):  blocks from 16 and 40 (> 200 for 48 h, [16, 64) inside) -> orange
//   Dec 2 16:00 (t0 = 40):  [40, 96) holds two blocks from 40 and 64 -> orange
//   Dec 3 16:00 (t0 = 64):  [64, 96) holds one block -> > 200 for 24 h -> yellow
//   Dec 4 16:00 (t0 = 88):  8 h left, no complete block -> none
// Timeline: orange from Dec 1 16:00; the downgrade to yellow needs the 24-h AQI <= 200 for 36 h,
// which never happens (210, then the end of the series), so orange is still active at the end.
TEST_CASE("aqi on constant PM2.5 160 for 4 days: AQI 210, orange, orange, yellow, none", "[cli]") {
  TempDir tmp;
  write_text(tmp / "obs.csv", constant_pm25("A", 160.0, 96));
  const auto r = run_lantian(args_for(tmp / "obs.csv", tmp / "out"), tmp);
  INFO(r.err);
  REQUIRE(r.status == 0);

  const auto hourly = read_csv(tmp / "out/hourly.csv");
  REQUIRE(hourly.size() == 97);
  CHECK(hourly[1] == std::vector<std::string>{"A", local(1, 0), "210", "PM2.5", "heavy"});
  CHECK(hourly[96] == std::vector<std::string>{"A", local(4, 23), "210", "PM2.5", "heavy"});

  const auto daily = read_csv(tmp / "out/daily.csv");
  REQUIRE(daily.size() == 97);
  CHECK(daily[1] == std::vector<std::string>{"A", local(1, 0), "", "", ""});
  CHECK(daily[23] == std::vector<std::string>{"A", local(1, 22), "", "", ""});  // 23 hours only
  CHECK(daily[24] == std::vector<std::string>{"A", local(1, 23), "210", "PM2.5", "heavy"});
  CHECK(daily[96] == std::vector<std::string>{"A", local(4, 23), "210", "PM2.5", "heavy"});

  const auto dec = read_csv(tmp / "out/decisions.csv");
  REQUIRE(dec.size() == 5);
  const std::vector<std::string> levels{"orange", "orange", "yellow", "none"};
  for (int d = 0; d < 4; ++d) {
    INFO("day " << d + 1 << ": " << dec[d + 1][4]);
    REQUIRE(dec[d + 1].size() == 6);
    CHECK(dec[d + 1][0] == "A");
    CHECK(dec[d + 1][1] == local(d + 1, 16));
    CHECK(dec[d + 1][2] == levels[d]);
    CHECK(dec[d + 1][3] == (d < 3 ? local(d + 1, 16) : std::string()));
    if (d < 3) CHECK(dec[d + 1][4].find("210") != std::string::npos);
  }
  CHECK(dec[1][4].find("210, 210") != std::string::npos);  // the two blocks that prove orange

  const auto tl = read_csv(tmp / "out/timeline.csv");
  REQUIRE(tl.size() == 2);
  CHECK(tl[1][0] == "A");
  CHECK(tl[1][1] == "orange");
  CHECK(tl[1][2] == local(1, 16));
  CHECK(tl[1][3].empty());
  CHECK_FALSE(tl[1][4].empty());
}

// Constant PM2.5 = 260: IAQI = (400 - 300) / (350 - 250) * (260 - 250) + 300 = 310 (severe).
//   Dec 1 16:00: three blocks of 310 in [16, 88) (> 200 for 72 h) and a block > 300 -> red
//   Dec 2 16:00: [40, 96) holds two blocks -> > 200 for 48 h -> orange
//   Dec 3 16:00: one block -> yellow; Dec 4: none.
// With --issue-hour 8, Dec 1 08:00 sees [8, 80): red from 08:00.
TEST_CASE("aqi on constant PM2.5 260: red needs the 72-h window, --issue-hour overrides", "[cli]") {
  TempDir tmp;
  write_text(tmp / "obs.csv", constant_pm25("B", 260.0, 96));
  {
    const auto r = run_lantian(args_for(tmp / "obs.csv", tmp / "out"), tmp);
    INFO(r.err);
    REQUIRE(r.status == 0);
    const auto hourly = read_csv(tmp / "out/hourly.csv");
    CHECK(hourly[1] == std::vector<std::string>{"B", local(1, 0), "310", "PM2.5", "severe"});
    const auto dec = read_csv(tmp / "out/decisions.csv");
    REQUIRE(dec.size() == 5);
    CHECK(dec[1][2] == "red");
    CHECK(dec[1][3] == local(1, 16));
    CHECK(dec[1][4].find("310, 310, 310") != std::string::npos);
    CHECK(dec[1][5].empty());  // decided on the whole horizon
    CHECK(dec[2][2] == "orange");
    CHECK(dec[3][2] == "yellow");
    CHECK(dec[4][2] == "none");
    // The series ends 96 h after its start: from Dec 2 on, red's 72-h window runs past it with
    // every known block at 310, so red is undecided (not ruled out) at each of those decisions.
    CHECK(dec[2][5] == "red");
    CHECK(dec[3][5] == "red");
    CHECK(dec[4][5] == "red");
    const auto tl = read_csv(tmp / "out/timeline.csv");
    REQUIRE(tl.size() == 2);
    CHECK(tl[1][1] == "red");
    CHECK(tl[1][2] == local(1, 16));
    CHECK(tl[1][3].empty());
  }
  {
    const auto r = run_lantian(args_for(tmp / "obs.csv", tmp / "out8", "--issue-hour 8"), tmp);
    INFO(r.err);
    REQUIRE(r.status == 0);
    const auto dec = read_csv(tmp / "out8/decisions.csv");
    REQUIRE(dec.size() == 5);
    CHECK(dec[1][1] == local(1, 8));
    CHECK(dec[1][2] == "red");
    CHECK(dec[1][3] == local(1, 8));
  }
}

// 48 h of PM2.5 = 0, then 96 h of 260 (Dec 1-6). A block [s, s+24) with k hours of 260 has
// mean 260 k / 24: k = 14 -> 151.67 -> IAQI ceil(200 + (151.67 - 150)) = 202; k = 13 -> 140.8
// -> 187; k = 24 -> 310. So blocks from hour 38 (Dec 2 14:00) on are > 200, from 48 on > 300.
//   default horizon 72, Dec 1 16:00 (t0 = 16, [16, 88)): red needs s = 16 (block 0) -> no;
//     > 200 for 48 h from s = 38: blocks 202, 310 -> orange, window Dec 2 14:00.
//   --horizon 96 ([16, 112)): s = 38 gives 202, 310, 310 and blocks > 300 inside -> red.
TEST_CASE("aqi --horizon widens the decision's look-ahead", "[cli]") {
  TempDir tmp;
  std::string csv = "station,time,PM2.5\n";
  for (int h = 0; h < 144; ++h)
    csv += "C,2015-12-0" + std::to_string(1 + h / 24) + "T" + (h % 24 < 10 ? "0" : "") + std::to_string(h % 24) +
           ":00," + (h < 48 ? "0" : "260") + "\n";
  write_text(tmp / "obs.csv", csv);
  {
    const auto r = run_lantian(args_for(tmp / "obs.csv", tmp / "out"), tmp);
    INFO(r.err);
    REQUIRE(r.status == 0);
    const auto dec = read_csv(tmp / "out/decisions.csv");
    REQUIRE(dec.size() == 7);
    CHECK(dec[1][2] == "orange");
    CHECK(dec[1][3] == local(2, 14));
    CHECK(dec[1][4].find("202, 310") != std::string::npos);
  }
  {
    const auto r = run_lantian(args_for(tmp / "obs.csv", tmp / "out96", "--horizon 96"), tmp);
    INFO(r.err);
    REQUIRE(r.status == 0);
    const auto dec = read_csv(tmp / "out96/decisions.csv");
    REQUIRE(dec.size() == 7);
    CHECK(dec[1][2] == "red");
    CHECK(dec[1][3] == local(2, 14));
    CHECK(dec[1][4].find("202, 310, 310") != std::string::npos);
  }
}

// A level imposed by a higher authority (上级预警) holds whatever the local forecast says.
// Constant PM2.5 = 100: IAQI = (150 - 100) / (115 - 75) * (100 - 75) + 100 = 131.25 -> 132
// (light), so every own decision is none; red is imposed over [Dec 2 00:00, Dec 3 00:00).
TEST_CASE("aqi --imposed adds a higher authority's level to the timeline", "[cli]") {
  TempDir tmp;
  write_text(tmp / "obs.csv", constant_pm25("D", 100.0, 96));
  const auto r =
      run_lantian(args_for(tmp / "obs.csv", tmp / "out", "--imposed red,2015-12-02T00:00,2015-12-03T00:00"), tmp);
  INFO(r.err);
  REQUIRE(r.status == 0);
  const auto hourly = read_csv(tmp / "out/hourly.csv");
  CHECK(hourly[1] == std::vector<std::string>{"D", local(1, 0), "132", "PM2.5", "light"});
  const auto dec = read_csv(tmp / "out/decisions.csv");
  REQUIRE(dec.size() == 5);
  for (int d = 1; d <= 4; ++d) CHECK(dec[d][2] == "none");
  CHECK(dec[2][4].find("imposed by a higher authority: red") != std::string::npos);
  CHECK(dec[1][4].find("imposed") == std::string::npos);
  const auto tl = read_csv(tmp / "out/timeline.csv");
  REQUIRE(tl.size() == 2);
  CHECK(tl[1][1] == "red");
  CHECK(tl[1][2] == local(2, 0));
  CHECK(tl[1][3] == local(3, 0));
  CHECK(tl[1][4].find("imposed") != std::string::npos);

  const auto bad =
      run_lantian(args_for(tmp / "obs.csv", tmp / "out2", "--imposed purple,2015-12-02T00:00,2015-12-03T00:00"), tmp);
  CHECK(bad.status == 1);
  CHECK(bad.err.find("purple") != std::string::npos);
  CHECK_FALSE(fs::exists(tmp / "out2"));
}

// --rules reads the issue hour and horizon from a rules file (forecast/rules_file.hpp);
// --issue-hour overrides it. Constant PM2.5 = 160 as above (AQI 210).
TEST_CASE("aqi --rules sets the issue hour, --issue-hour overrides it, a bad rules file exits 1", "[cli]") {
  TempDir tmp;
  write_text(tmp / "obs.csv", constant_pm25("A", 160.0, 96));
  write_text(tmp / "rules.toml", "[warning]\nissue_hour = 10\n");
  {
    const auto r = run_lantian(args_for(tmp / "obs.csv", tmp / "out", "--rules " + shell_quote(tmp / "rules.toml")), tmp);
    INFO(r.err);
    REQUIRE(r.status == 0);
    const auto dec = read_csv(tmp / "out/decisions.csv");
    REQUIRE(dec.size() == 5);
    CHECK(dec[1][1] == local(1, 10));
    CHECK(dec[1][2] == "orange");  // [10, 82): two blocks of 210 from 10
  }
  {
    const auto r = run_lantian(
        args_for(tmp / "obs.csv", tmp / "out16", "--rules " + shell_quote(tmp / "rules.toml") + " --issue-hour 16"), tmp);
    INFO(r.err);
    REQUIRE(r.status == 0);
    CHECK(read_csv(tmp / "out16/decisions.csv")[1][1] == local(1, 16));
  }
  write_text(tmp / "bad.toml", "[warning]\nissue_houre = 10\n");
  const auto bad = run_lantian(args_for(tmp / "obs.csv", tmp / "out2", "--rules " + shell_quote(tmp / "bad.toml")), tmp);
  CHECK(bad.status == 1);
  CHECK(bad.err.find(tmp / "bad.toml") != std::string::npos);
  CHECK(bad.err.find("issue_hour") != std::string::npos);
  CHECK_FALSE(fs::exists(tmp / "out2"));
}

// Two interleaved stations, a gap of 5 hours without rows and NA cells: every hour of the
// axis appears in hourly.csv, and the missing hours are counted, not dropped.
TEST_CASE("aqi keeps gaps and missing values on the hourly axis and counts them", "[cli]") {
  TempDir tmp;
  std::string csv = "time,station,PM2.5,PM10\n";
  char buf[96];
  int na = 0;
  for (int h = 0; h < 60; ++h) {
    const bool gap = h >= 30 && h < 35;  // station X: no rows for 5 hours
    const bool missing = h % 10 == 3;    // station X: PM2.5 NA at 6 hours
    if (!gap) {
      std::snprintf(buf, sizeof buf, "2015-12-%02dT%02d:00,X,%s,100\n", 1 + h / 24, h % 24, missing ? "NA" : "50");
      csv += buf;
      na += missing ? 1 : 0;
    }
    std::snprintf(buf, sizeof buf, "2015-12-%02dT%02d:00,Y,40,\n", 1 + h / 24, h % 24);
    csv += buf;
  }
  write_text(tmp / "obs.csv", csv);
  const auto r = run_lantian(args_for(tmp / "obs.csv", tmp / "out"), tmp);
  INFO(r.err);
  REQUIRE(r.status == 0);
  const auto hourly = read_csv(tmp / "out/hourly.csv");
  REQUIRE(hourly.size() == 1 + 60 + 60);
  // Stations in order of first appearance; X's gap hours are rows with an empty AQI.
  CHECK(hourly[1][0] == "X");
  CHECK(hourly[31] == std::vector<std::string>{"X", local(2, 6), "", "", ""});
  CHECK(hourly[60][0] == "X");
  CHECK(hourly[61][0] == "Y");
  // X at hour 0: PM2.5 50 -> IAQI ceil((100-50)/(75-35)*(50-35) + 50) = ceil(68.75) = 69;
  // PM10 100 -> (100-50)/(150-50)*(100-50) + 50 = 75: AQI 75, primary PM10, good.
  CHECK(hourly[1] == std::vector<std::string>{"X", local(1, 0), "75", "PM10", "good"});
  const auto j = nlohmann::json::parse(read_text(tmp / "out/summary.json"));
  REQUIRE(na == 5);  // hours 3, 13, 23, 43, 53 (33 lies in the gap)
  const auto& x = j.at("stations").at(0);
  CHECK(x.at("station") == "X");
  CHECK(x.at("hours") == 60);
  CHECK(x.at("gap_hours") == 5);
  CHECK(x.at("rows") == 55);
  CHECK(x.at("missing_share").at("PM2.5").get<double>() == Approx(10.0 / 60.0));
  CHECK(x.at("missing_share").at("PM10").get<double>() == Approx(5.0 / 60.0));
  CHECK(x.at("missing_share").at("SO2").is_null());
  const auto& y = j.at("stations").at(1);
  CHECK(y.at("missing_share").at("PM10").get<double>() == Approx(1.0));
}

TEST_CASE("aqi reads times with an offset and writes local times", "[cli]") {
  TempDir tmp;
  write_text(tmp / "obs.csv", "station,time,PM2.5\nA,2015-12-01T00:00:00Z,35\nA,2015-12-01T09:00:00+08:00,35\n");
  const auto r = run_lantian(args_for(tmp / "obs.csv", tmp / "out"), tmp);
  INFO(r.err);
  REQUIRE(r.status == 0);
  const auto hourly = read_csv(tmp / "out/hourly.csv");
  REQUIRE(hourly.size() == 3);
  CHECK(hourly[1] == std::vector<std::string>{"A", local(1, 8), "50", "", "excellent"});
  CHECK(hourly[2][1] == local(1, 9));
}

// Local labels across a daylight-saving change (Europe/Berlin, 2015-03-29 01:00 UTC: +01:00 ->
// +02:00): the hour after 01:00+01:00 is 03:00+02:00, and a local time that does not exist is
// rejected unless it carries an offset.
TEST_CASE("aqi labels hours in local time across a daylight-saving change", "[cli]") {
  TempDir tmp;
  std::string csv = "station,time,PM2.5\n";
  for (int h = 0; h < 4; ++h) csv += "A,2015-03-29T0" + std::to_string(h) + ":00:00Z,10\n";
  write_text(tmp / "obs.csv", csv);
  const auto r = run_lantian(args_for(tmp / "obs.csv", tmp / "out", "--tz Europe/Berlin"), tmp);
  INFO(r.err);
  REQUIRE(r.status == 0);
  const auto hourly = read_csv(tmp / "out/hourly.csv");
  REQUIRE(hourly.size() == 5);
  CHECK(hourly[1][1] == "2015-03-29T01:00:00+01:00");
  CHECK(hourly[2][1] == "2015-03-29T03:00:00+02:00");
  CHECK(hourly[3][1] == "2015-03-29T04:00:00+02:00");
  CHECK(hourly[4][1] == "2015-03-29T05:00:00+02:00");

  write_text(tmp / "bad.csv", "station,time,PM2.5\nA,2015-03-29T02:00,10\n");
  const auto bad = run_lantian(args_for(tmp / "bad.csv", tmp / "out2", "--tz Europe/Berlin"), tmp);
  CHECK(bad.status == 1);
  CHECK(bad.err.find(":2: column 2 (time)") != std::string::npos);
}

namespace {

struct BadCase {
  std::string name, csv, where;  // `where` must appear in the message, e.g. ":3: column 3 (PM2.5)"
};

}  // namespace

TEST_CASE("aqi rejects bad input with file, line and column, exit 1 and no output", "[cli]") {
  const std::string head = "station,time,PM2.5,PM10\n";
  const std::string ok1 = "A,2015-12-01T00:00,10,20\n";
  const std::vector<BadCase> cases{
      {"too few fields", head + ok1 + "A,2015-12-01T01:00,10\n", ":3: column 4 (PM10)"},
      {"too many fields", head + ok1 + "A,2015-12-01T01:00,10,20,30\n", ":3: column 5"},
      {"unknown column", "station,time,PM2_5\nA,2015-12-01T00:00,10\n", ":1: column 3"},
      {"missing station column", "time,PM2.5\n2015-12-01T00:00,10\n", ":1: header"},
      {"missing time column", "station,PM2.5\nA,10\n", ":1: header"},
      {"time going backwards", head + ok1 + "A,2015-12-01T02:00,1,2\nA,2015-12-01T01:00,1,2\n",
       ":4: column 2 (time)"},
      {"duplicate time", head + ok1 + "B,2015-12-01T00:00,1,2\nA,2015-12-01T00:00,1,2\n", ":4: column 2 (time)"},
      {"negative concentration", head + ok1 + "A,2015-12-01T01:00,10,-3\n", ":3: column 4 (PM10)"},
      {"unparseable number", head + ok1 + "A,2015-12-01T01:00,1O,20\n", ":3: column 3 (PM2.5)"},
      {"unparseable time", head + ok1 + "A,2015-13-01T01:00,10,20\n", ":3: column 2 (time)"},
      {"unterminated quote", head + ok1 + "\"A,2015-12-01T01:00,10,20\n", ":3: column 1"},
  };
  for (const auto& c : cases) {
    SECTION(c.name) {
      TempDir tmp;
      const std::string in = tmp / "bad.csv";
      write_text(in, c.csv);
      const auto r = run_lantian(args_for(in, tmp / "out"), tmp);
      INFO(r.err);
      CHECK(r.status == 1);
      CHECK(r.err.rfind("lantian: error: ", 0) == 0);
      CHECK(r.err.find(in + c.where) != std::string::npos);
      CHECK_FALSE(fs::exists(tmp / "out"));
      for (const auto& e : fs::directory_iterator(tmp.path()))
        CHECK(e.path().filename().string().find("out.") != 0);  // no out.tmp-*
    }
  }
  SECTION("the unknown column's message suggests the nearest valid name") {
    TempDir tmp;
    write_text(tmp / "bad.csv", "station,time,PM2_5\nA,2015-12-01T00:00,10\n");
    const auto r = run_lantian(args_for(tmp / "bad.csv", tmp / "out"), tmp);
    CHECK(r.status == 1);
    CHECK(r.err.find("\"PM2.5\"") != std::string::npos);
  }
  SECTION("a missing input file") {
    TempDir tmp;
    const auto r = run_lantian(args_for(tmp / "nope.csv", tmp / "out"), tmp);
    CHECK(r.status == 1);
    CHECK(r.err.find(tmp / "nope.csv") != std::string::npos);
    CHECK_FALSE(fs::exists(tmp / "out"));
  }
}

TEST_CASE("aqi refuses a non-empty output folder unless --force, which replaces it", "[cli]") {
  TempDir tmp;
  write_text(tmp / "a.csv", constant_pm25("A", 160.0, 48));
  write_text(tmp / "b.csv", constant_pm25("B", 20.0, 30));
  const std::string out = tmp / "out";
  REQUIRE(run_lantian(args_for(tmp / "a.csv", out), tmp).status == 0);
  const std::string before = read_text(out + "/hourly.csv");

  const auto refused = run_lantian(args_for(tmp / "b.csv", out), tmp);
  CHECK(refused.status == 1);
  CHECK(refused.err.find("--force") != std::string::npos);
  CHECK(read_text(out + "/hourly.csv") == before);

  write_text(out + "/stale.txt", "left over from an older run");
  const auto forced = run_lantian(args_for(tmp / "b.csv", out, "--force"), tmp);
  INFO(forced.err);
  CHECK(forced.status == 0);
  CHECK(read_csv(out + "/hourly.csv").size() == 31);
  CHECK(read_csv(out + "/hourly.csv")[1][0] == "B");
  CHECK_FALSE(fs::exists(out + "/stale.txt"));  // replaced, not merged
  int siblings = 0;
  for (const auto& e : fs::directory_iterator(tmp.path()))
    if (e.path().filename().string().rfind("out.", 0) == 0) ++siblings;
  CHECK(siblings == 0);  // no out.tmp-* or out.old-* left

  // A failing run with --force leaves the previous outputs in place.
  write_text(tmp / "bad.csv", "station,time,PM2.5\nB,2015-12-01T00:00,-1\n");
  CHECK(run_lantian(args_for(tmp / "bad.csv", out, "--force"), tmp).status == 1);
  CHECK(read_csv(out + "/hourly.csv")[1][0] == "B");

  // An existing empty folder is fine without --force.
  fs::create_directories(tmp / "empty");
  CHECK(run_lantian(args_for(tmp / "a.csv", tmp / "empty"), tmp).status == 0);
  CHECK(fs::exists(tmp / "empty/daily.csv"));
}

TEST_CASE("lantian usage errors exit 2, --help and --version exit 0", "[cli]") {
  TempDir tmp;
  write_text(tmp / "a.csv", constant_pm25("A", 10.0, 24));
  CHECK(run_lantian("", tmp).status == 2);
  CHECK(run_lantian("aqi " + shell_quote(tmp / "a.csv"), tmp).status == 2);  // no --out
  CHECK(run_lantian(args_for(tmp / "a.csv", tmp / "o", "--issue-hour 25"), tmp).status == 2);
  CHECK(run_lantian(args_for(tmp / "a.csv", tmp / "o", "--bogus"), tmp).status == 2);
  CHECK_FALSE(fs::exists(tmp / "o"));

  const auto help = run_lantian("--help", tmp);
  CHECK(help.status == 0);
  CHECK(help.out.find("Examples:") != std::string::npos);
  CHECK(help.out.find("lantian aqi") != std::string::npos);
  const auto aqi_help = run_lantian("aqi --help", tmp);
  CHECK(aqi_help.status == 0);
  CHECK(aqi_help.out.find("--issue-hour") != std::string::npos);
  CHECK(aqi_help.out.find("decisions.csv") != std::string::npos);

  const auto version = run_lantian("--version", tmp);
  CHECK(version.status == 0);
  CHECK(version.out.find(LANTIAN_VERSION) != std::string::npos);

  // OpenMP waits passively unless the user says otherwise (apps/main.cpp re-executes itself with
  // OMP_WAIT_POLICY=passive when it is unset; a set value is kept).
  const std::string out = tmp / "policy.txt";
  REQUIRE(std::system(("env -u OMP_WAIT_POLICY " + shell_quote(lantian_binary()) + " --version >" + shell_quote(out)).c_str()) == 0);
  CHECK(read_text(out).find("OpenMP wait policy: passive") != std::string::npos);
  REQUIRE(std::system(("OMP_WAIT_POLICY=active " + shell_quote(lantian_binary()) + " --version >" + shell_quote(out)).c_str()) == 0);
  CHECK(read_text(out).find("OpenMP wait policy: active") != std::string::npos);
}

TEST_CASE("aqi runs the bundled demo-city example", "[cli][example]") {
  TempDir tmp;
  const std::string in = std::string(LANTIAN_SOURCE_DIR) + "/examples/demo-city/observations.csv";
  const auto r = run_lantian(args_for(in, tmp / "demo"), tmp);
  INFO(r.err);
  REQUIRE(r.status == 0);
  const auto j = nlohmann::json::parse(read_text(tmp / "demo/summary.json"));
  CHECK(j.at("station_count") == 8);
  // The generator (examples/demo-city/make_observations.py) builds a red episode downtown.
  CHECK(j.at("stations").at(0).at("station") == "Chengzhong");
  CHECK(j.at("stations").at(0).at("decisions").at("red").get<int>() >= 1);
  CHECK(j.at("stations").at(2).at("gap_hours") == 6);
}
