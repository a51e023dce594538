#pragma once
// A minimal reader of OGC Well-Known Text geometries for area and road sources:
// POLYGON ((x y, x y, ...), (hole ...)), MULTIPOLYGON (((...)), ((...))), LINESTRING (x y, ...).
// Keywords are case-insensitive; the closing vertex of a ring may be repeated (it is dropped).
// Z/M coordinates are not accepted.
#include <string_view>
#include <vector>

#include "core/grid.hpp"
#include "emissions/inventory.hpp"

namespace lantian::emissions {

/// Parses a POLYGON or MULTIPOLYGON. Throws lantian::Error(message) saying what was expected
/// and at which character; callers add the file and line. Rings need >= 3 distinct vertices.
std::vector<Polygon> parse_wkt_polygons(std::string_view text);

/// Parses a LINESTRING (>= 2 vertices). Throws lantian::Error(message) as above.
std::vector<XY> parse_wkt_linestring(std::string_view text);

}  // namespace lantian::emissions
