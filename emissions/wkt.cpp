#include "emissions/wkt.hpp"

#include <charconv>
#include <cmath>
#include <string>

#include "core/error.hpp"
#include "core/text.hpp"

namespace lantian::emissions {

namespace {

class WktCursor {
 public:
  explicit WktCursor(std::string_view s) : s_(s) {}

  void skip() noexcept {
    while (pos_ < s_.size() && (s_[pos_] == ' ' || s_[pos_] == '\t' || s_[pos_] == '\n' || s_[pos_] == '\r')) ++pos_;
  }
  bool done() noexcept {
    skip();
    return pos_ == s_.size();
  }
  bool accept(char c) noexcept {
    skip();
    if (pos_ < s_.size() && s_[pos_] == c) {
      ++pos_;
      return true;
    }
    return false;
  }
  void expect(char c) {
    if (!accept(c)) fail(std::string("expected '") + c + "'");
  }
  std::string_view word() noexcept {
    skip();
    const std::size_t start = pos_;
    while (pos_ < s_.size() && ((s_[pos_] >= 'A' && s_[pos_] <= 'Z') || (s_[pos_] >= 'a' && s_[pos_] <= 'z'))) ++pos_;
    return s_.substr(start, pos_ - start);
  }
  double number() {
    skip();
    std::size_t p = pos_;
    if (p < s_.size() && s_[p] == '+') ++p;
    double v = 0.0;
    const auto [ptr, ec] = std::from_chars(s_.data() + p, s_.data() + s_.size(), v);
    if (ec != std::errc{} || !std::isfinite(v)) fail("expected a coordinate (a finite number)");
    pos_ = static_cast<std::size_t>(ptr - s_.data());
    return v;
  }
  /// "(x y, x y, ...)"
  std::vector<XY> point_list() {
    expect('(');
    std::vector<XY> pts;
    do {
      XY p;
      p.x = number();
      p.y = number();
      pts.push_back(p);
    } while (accept(','));
    skip();
    if (pos_ < s_.size() && s_[pos_] != ')') fail("expected ',' or ')' after an x y pair (only 2-D coordinates are accepted)");
    expect(')');
    return pts;
  }
  [[noreturn]] void fail(const std::string& what) const {
    std::string near(s_.substr(pos_, 20));
    throw Error("WKT: " + what + " at character " + std::to_string(pos_ + 1) +
                (near.empty() ? std::string(" (end of text)") : " near '" + near + "'"));
  }

 private:
  std::string_view s_;
  std::size_t pos_ = 0;
};

Ring ring(WktCursor& c) {
  Ring r = c.point_list();
  if (r.size() >= 2 && r.front().x == r.back().x && r.front().y == r.back().y) r.pop_back();
  if (r.size() < 3) c.fail("a polygon ring needs at least 3 distinct vertices");
  if (signed_area(r) == 0.0) c.fail("a polygon ring has zero area");
  return r;
}

Polygon polygon(WktCursor& c) {
  c.expect('(');
  Polygon p;
  p.outer = ring(c);
  while (c.accept(',')) p.holes.push_back(ring(c));
  c.expect(')');
  return p;
}

}  // namespace

std::vector<Polygon> parse_wkt_polygons(std::string_view text) {
  WktCursor c(text);
  const std::string_view kw = c.word();
  std::vector<Polygon> out;
  if (iequals(kw, "POLYGON")) {
    out.push_back(polygon(c));
  } else if (iequals(kw, "MULTIPOLYGON")) {
    c.expect('(');
    do out.push_back(polygon(c));
    while (c.accept(','));
    c.expect(')');
  } else {
    throw Error("WKT: expected POLYGON ((x y, ...)) or MULTIPOLYGON (((x y, ...))), found '" +
                std::string(text.substr(0, 30)) + "'");
  }
  if (!c.done()) c.fail("unexpected text after the geometry");
  return out;
}

std::vector<XY> parse_wkt_linestring(std::string_view text) {
  WktCursor c(text);
  const std::string_view kw = c.word();
  if (!iequals(kw, "LINESTRING"))
    throw Error("WKT: expected LINESTRING (x y, x y, ...), found '" + std::string(text.substr(0, 30)) + "'");
  std::vector<XY> pts = c.point_list();
  if (pts.size() < 2) c.fail("a LINESTRING needs at least 2 vertices");
  if (!c.done()) c.fail("unexpected text after the geometry");
  return pts;
}

}  // namespace lantian::emissions
