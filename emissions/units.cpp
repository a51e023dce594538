#include "emissions/units.hpp"

#include <array>
#include <cctype>
#include <string>

namespace lantian::emissions {

std::optional<RateUnit> parse_rate_unit(std::string_view text) noexcept {
  while (!text.empty() && std::isspace(static_cast<unsigned char>(text.front()))) text.remove_prefix(1);
  while (!text.empty() && std::isspace(static_cast<unsigned char>(text.back()))) text.remove_suffix(1);
  if (text.size() > 16) return std::nullopt;
  char buf[16];
  for (std::size_t i = 0; i < text.size(); ++i)
    buf[i] = static_cast<char>(std::tolower(static_cast<unsigned char>(text[i])));
  const std::string_view t(buf, text.size());
  if (t == "g/s") return RateUnit::g_per_s;
  if (t == "kg/h" || t == "kg/hr") return RateUnit::kg_per_h;
  if (t == "t/yr" || t == "t/a" || t == "t/y" || t == "t/year") return RateUnit::t_per_yr;
  return std::nullopt;
}

std::string_view rate_unit_name(RateUnit unit) noexcept {
  switch (unit) {
    case RateUnit::kg_per_h: return "kg/h";
    case RateUnit::t_per_yr: return "t/yr";
    case RateUnit::g_per_s: break;
  }
  return "g/s";
}

}  // namespace lantian::emissions
