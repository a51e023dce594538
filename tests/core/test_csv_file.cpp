// The shared CSV reader (core/csv_file.hpp): RFC 4180 quoting, '#' directives and comments,
// physical line numbers, column lookup, number()/boolean(), and the errors it throws.
#include <catch2/catch.hpp>

#include <array>
#include <string>
#include <string_view>

#include "core/csv_file.hpp"
#include "core/error.hpp"
#include "core/text.hpp"
#include "tests/core/error_message.hpp"
#include "tests/core/temp_dir.hpp"

using namespace lantian;
using lantian::test::message_of;
using lantian::test::TempDir;

namespace {

/// Reads every record of `text` and returns the error message, or "no exception".
std::string read_error(const std::string& text, const CsvOptions& options = {}) {
  return message_of([&] {
    CsvFile csv(text, "t.csv", options);
    while (csv.next()) {
    }
  });
}

}  // namespace

TEST_CASE("csv: quoting, line numbers, blank lines, BOM and CRLF", "[core][csv]") {
  CsvFile csv(
      "\xEF\xBB\xBF"
      "id , Name,note\r\n"
      "\r\n"
      "a,\"x, y\",\"say \"\"hi\"\"\"\r\n"
      "b, \"two\nlines\" ,plain \r\n"
      "\n"
      "c,,\n",
      "t.csv");
  CHECK(csv.columns() == std::vector<std::string>{"id", "Name", "note"});
  CHECK(csv.header_line() == 1);
  CHECK(csv.column("NAME") == 1);  // ASCII case-insensitive
  CHECK(csv.column("missing") == -1);
  REQUIRE(csv.next());
  CHECK(csv.line() == 3);
  CHECK(csv.field(0) == "a");
  CHECK(csv.field(1) == "x, y");
  CHECK(csv.field(2) == "say \"hi\"");
  REQUIRE(csv.next());
  CHECK(csv.line() == 4);
  CHECK(csv.field(1) == "two\nlines");
  CHECK(csv.field(2) == "plain");
  CHECK(csv.field(-1).empty());
  REQUIRE(csv.next());
  CHECK(csv.line() == 7);  // the quoted newline counted
  CHECK(csv.field(1).empty());
  CHECK_FALSE(csv.next());
}

TEST_CASE("csv: '#' directives before the header, comments after it, or '#' as data", "[core][csv]") {
  const std::string text = "# unit: t/yr\n#  Source : survey 2015 \n# plain comment\nid,v\n# skipped\n#3,1\n";
  CsvFile csv(text, "t.csv");
  CHECK(csv.directive("UNIT") == "t/yr");
  CHECK(csv.directive("source") == "survey 2015");
  CHECK_FALSE(csv.directive("plain comment").has_value());
  CHECK(csv.header_line() == 4);
  CHECK_FALSE(csv.next());  // both lines after the header are comments

  CsvOptions data;
  data.comments = false;
  CsvFile raw("id,v\n#3,1\n", "t.csv", data);
  REQUIRE(raw.next());
  CHECK(raw.field(0) == "#3");
  CHECK(raw.line() == 2);
}

TEST_CASE("csv: number() and boolean()", "[core][csv]") {
  CsvFile csv("x,flag\n+1.5e2,YES\n,\n-3,0\n", "t.csv");
  REQUIRE(csv.next());
  CHECK(csv.number(0, "a rate") == 150.0);
  CHECK(csv.boolean(1, false));
  REQUIRE(csv.next());
  CHECK(csv.number(0, "a rate", 7.0) == 7.0);
  CHECK(csv.boolean(1, true));
  CHECK_THAT(message_of([&] { (void)csv.number(0, "a rate"); }),
             Catch::Contains("t.csv:3: column 1 (x): expected a rate, found an empty field"));
  REQUIRE(csv.next());
  CHECK(csv.number(0, "a rate") == -3.0);
  CHECK_FALSE(csv.boolean(1, true));

  CsvFile bad("x,flag\nNaN,maybe\n1.5kg,1\ninf,1\n", "t.csv");
  REQUIRE(bad.next());
  CHECK_THAT(message_of([&] { (void)bad.number(0, "a rate"); }),
             Catch::Contains("t.csv:2: column 1 (x): expected a rate, found 'NaN' (not a number)"));
  CHECK_THAT(message_of([&] { (void)bad.boolean(1, false); }),
             Catch::Contains("t.csv:2: column 2 (flag): expected true/false (or yes/no, 1/0), found 'maybe'"));
  REQUIRE(bad.next());
  CHECK_THAT(message_of([&] { (void)bad.number(0, "a rate"); }), Catch::Contains("found '1.5kg'"));
  REQUIRE(bad.next());
  CHECK_THAT(message_of([&] { (void)bad.number(0, "a rate"); }), Catch::Contains("found 'inf'"));
}

TEST_CASE("csv: check_columns names the column and suggests the nearest", "[core][csv]") {
  static constexpr std::array<std::string_view, 3> kAllowed{"id", "diameter", "height"};
  static constexpr std::array<std::string_view, 1> kRequired{"id"};
  CsvFile ok("ID,height\n", "t.csv");
  CHECK_NOTHROW(ok.check_columns(kRequired, kAllowed));
  CsvFile typo("id,diametre\n", "t.csv");
  CHECK_THAT(message_of([&] { typo.check_columns(kRequired, kAllowed); }),
             Catch::Contains("t.csv:1: column 2: unknown column 'diametre' (did you mean 'diameter'?)"));
  CsvFile missing("height\n", "t.csv");
  CHECK_THAT(message_of([&] { missing.check_columns(kRequired, kAllowed); }),
             Catch::Contains("t.csv:1: header: missing required column 'id'"));
}

TEST_CASE("csv: errors name file, line and column", "[core][csv]") {
  CHECK_THAT(read_error(""), Catch::Contains("t.csv: empty file: expected a header line with column names"));
  CsvOptions hint;
  hint.header_hint = "a header with station and time";
  CHECK_THAT(read_error("\n\n", hint), Catch::Contains("empty file: expected a header with station and time"));
  CHECK_THAT(read_error("a,,b\n"), Catch::Contains("t.csv:1: column 2: empty column name"));
  CHECK_THAT(read_error("a,B,b\n"), Catch::Contains("t.csv:1: column 3: duplicate column 'b' (also column 2)"));
  CsvOptions own_header;
  own_header.unique_columns = false;
  CHECK(read_error("a,a\n", own_header) == "no exception");
  CHECK_THAT(read_error("a,b,c\n1,2,3\n1,2\n"),
             Catch::Contains("t.csv:3: column 3 (c): expected 3 fields as in the header, found 2"));
  CHECK_THAT(read_error("a,b\n1,2,3\n"), Catch::Contains("t.csv:2: column 3: expected 2 fields as in the header, found 3"));
  CHECK_THAT(read_error("a,b\n1,\"open\n\n"),
             Catch::Contains("t.csv:2: column 2: unterminated quoted field"));
  CHECK_THAT(read_error("a,b\n1,\"x\"y\n"),
             Catch::Contains("t.csv:2: column 2: unexpected character 'y' after a closing quote"));
}

TEST_CASE("csv: reading a file", "[core][csv]") {
  const TempDir d;
  CsvFile csv(d.write("in.csv", "# unit: g/s\nid,v\nA,1\n"));
  CHECK(csv.source() == (d.path() / "in.csv").string());
  CHECK(csv.directive("unit") == "g/s");
  REQUIRE(csv.next());
  CHECK(csv.field(0) == "A");
  CHECK_THAT(message_of([&] { CsvFile f((d.path() / "nope.csv").string()); }),
             Catch::Contains("nope.csv: cannot open file: No such file or directory"));
  CHECK_THAT(message_of([&] { CsvFile f(d.path().string()); }), Catch::Contains("is a folder, expected a CSV file"));
}

TEST_CASE("text helpers", "[core][text]") {
  CHECK(iequals("PM2.5", "pm2.5"));
  CHECK_FALSE(iequals("pm25", "pm2.5"));
  CHECK(trim(" \tx y\t ") == "x y");
  CHECK(trim("\rx\r", " \t", " \t\r") == "\rx");
  CHECK(quote_text("abc") == "'abc'");
  CHECK(quote_text("abc", '"') == "\"abc\"");
  const std::string cut = quote_text(std::string(70, 'x'));
  CHECK(cut.size() == 65);  // quote, 60 characters, "...", quote
  CHECK(cut.substr(cut.size() - 5) == "x...'");
  CHECK(parse_finite("+2.5") == 2.5);
  CHECK_FALSE(parse_finite("").has_value());
  CHECK_FALSE(parse_finite("1e999").has_value());
  CHECK_FALSE(parse_finite("nan").has_value());
  // floor_div rounds towards negative infinity: -1 minute is day -1 (1969-12-31).
  CHECK(floor_div(-1, 1440) == -1);
  CHECK(floor_div(-1440, 1440) == -1);
  CHECK(floor_div(1439, 1440) == 0);
  CHECK(floor_div(7, -2) == -4);
}
