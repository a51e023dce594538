#pragma once
// Small text and number helpers shared by the readers: ASCII case-insensitive comparison,
// trimming, quoting a value for an error message, parsing a finite number, floor division.
#include <charconv>
#include <cmath>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <system_error>

namespace lantian {

/// ASCII lower case of `c`; other bytes (UTF-8 included) unchanged.
constexpr char ascii_lower(char c) noexcept { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c; }

/// ASCII lower case of `s`; other bytes (UTF-8 included) unchanged.
inline std::string ascii_lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = ascii_lower(c);
  return out;
}

/// True when `a` and `b` are equal ignoring ASCII case.
constexpr bool iequals(std::string_view a, std::string_view b) noexcept {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i)
    if (ascii_lower(a[i]) != ascii_lower(b[i])) return false;
  return true;
}

/// True when `c` is one of `set` (a plain loop: with a literal set it inlines to compares).
constexpr bool is_one_of(char c, std::string_view set) noexcept {
  for (char x : set)
    if (c == x) return true;
  return false;
}

/// `s` without leading characters of `front` and trailing characters of `back` (both default to
/// blanks: space and tab).
constexpr std::string_view trim(std::string_view s, std::string_view front = " \t",
                                std::string_view back = " \t") noexcept {
  while (!s.empty() && is_one_of(s.front(), front)) s.remove_prefix(1);
  while (!s.empty() && is_one_of(s.back(), back)) s.remove_suffix(1);
  return s;
}

/// `text` between two `quote` characters, truncated to 60 characters ("..." marks the cut), for
/// error messages.
inline std::string quote_text(std::string_view text, char quote = '\'') {
  std::string out(1, quote);
  out.append(text.substr(0, 60));
  if (text.size() > 60) out += "...";
  out += quote;
  return out;
}

/// A finite number parsed from the whole of `text` (a leading '+' allowed); nullopt when `text`
/// is not one (empty, "nan", "inf", trailing characters, out of range). Inline: it runs for
/// every cell of the observation files.
inline std::optional<double> parse_finite(std::string_view text) noexcept {
  if (!text.empty() && text.front() == '+') text.remove_prefix(1);
  double v = 0.0;
  const auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
  if (text.empty() || ec != std::errc{} || ptr != text.data() + text.size() || !std::isfinite(v)) return std::nullopt;
  return v;
}

/// a / b rounded towards negative infinity (b != 0), e.g. days before 1970 from minutes.
constexpr std::int64_t floor_div(std::int64_t a, std::int64_t b) noexcept {
  const std::int64_t q = a / b;
  return (a % b != 0 && ((a < 0) != (b < 0))) ? q - 1 : q;
}

}  // namespace lantian
