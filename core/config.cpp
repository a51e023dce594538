// TOML loading helpers: see config.hpp.
#include "core/config.hpp"

#include <toml++/toml.h>

#include <algorithm>
#include <fstream>
#include <limits>
#include <sstream>

namespace lantian {

namespace {

char lower(char c) noexcept { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c; }

std::string quoted(std::string_view s) {
  std::string q;
  q.reserve(s.size() + 2);
  q.push_back('\'');
  q.append(s);
  q.push_back('\'');
  return q;
}

long line_of_node(const toml::node& n) noexcept { return static_cast<long>(n.source().begin.line); }

/// The toml::table behind a TomlSection (config.hpp keeps it as `const void*`).
const toml::table& as_table(const void* p) noexcept { return *static_cast<const toml::table*>(p); }

TomlKind kind_of(const toml::node& node) noexcept {
  switch (node.type()) {
    case toml::node_type::table: return TomlKind::table;
    case toml::node_type::array: return TomlKind::array;
    case toml::node_type::string: return TomlKind::string;
    case toml::node_type::integer: return TomlKind::integer;
    case toml::node_type::floating_point: return TomlKind::floating_point;
    case toml::node_type::boolean: return TomlKind::boolean;
    case toml::node_type::date: return TomlKind::date;
    case toml::node_type::time: return TomlKind::time;
    case toml::node_type::date_time: return TomlKind::date_time;
    case toml::node_type::none: break;
  }
  return TomlKind::none;
}

std::string type_name(const toml::node& node) { return toml_type_name(kind_of(node)); }

template <class Range>
std::string nearest_in(std::string_view name, const Range& candidates) {
  const std::size_t limit = std::max<std::size_t>(2, name.size() / 3);
  std::string best;
  std::size_t best_d = std::numeric_limits<std::size_t>::max();
  for (const auto& c : candidates) {
    const std::size_t d = edit_distance(name, c);
    if (d < best_d) {
      best_d = d;
      best = std::string(c);
    }
  }
  if (best_d <= limit && best_d < name.size()) return best;
  return {};
}

/// A short rendering of a scalar for "found ..." messages.
std::string describe(const toml::node& n) {
  std::string s = type_name(n);
  if (n.is_string()) {
    s += " (\"" + n.as_string()->get() + "\")";
  } else if (const auto* i = n.as_integer()) {
    s += " (" + std::to_string(i->get()) + ")";
  } else if (const auto* f = n.as_floating_point()) {
    std::ostringstream os;
    os << f->get();
    s += " (" + os.str() + ")";
  } else if (const auto* b = n.as_boolean()) {
    s += b->get() ? " (true)" : " (false)";
  }
  return s;
}

void add_lines(std::map<std::string, long, std::less<>>& lines, const toml::node& n, const std::string& path) {
  lines[path] = line_of_node(n);
  if (const auto* t = n.as_table()) {
    for (const auto& [key, value] : *t) add_lines(lines, value, path + "." + std::string(key.str()));
  } else if (const auto* a = n.as_array()) {
    for (std::size_t i = 0; i < a->size(); ++i) add_lines(lines, (*a)[i], path + "[" + std::to_string(i) + "]");
  }
}

/// Reads TOML nodes into the supported types; errors name the file, the node's line and the key
/// path of the section's `where` (the key, or "key[i]" for an array element).
struct Reader {
  const TomlSection& section;

  [[noreturn]] void type_error(const toml::node& n, std::string_view where, const char* expected) const {
    throw Error(ErrorContext{section.file(), line_of_node(n), section.key_path(where)},
                std::string("expected ") + expected + ", found " + describe(n));
  }

  void read(const toml::node& n, std::string_view where, bool& out) const {
    if (const auto* v = n.as_boolean()) {
      out = v->get();
      return;
    }
    type_error(n, where, "a boolean (true or false)");
  }
  void read(const toml::node& n, std::string_view where, long long& out) const {
    if (const auto* v = n.as_integer()) {
      out = static_cast<long long>(v->get());
      return;
    }
    type_error(n, where, "an integer");
  }
  void read(const toml::node& n, std::string_view where, long& out) const {
    long long v = 0;
    read(n, where, v);
    if (v < std::numeric_limits<long>::min() || v > std::numeric_limits<long>::max())
      type_error(n, where, "an integer in the range of a long");
    out = static_cast<long>(v);
  }
  void read(const toml::node& n, std::string_view where, int& out) const {
    long long v = 0;
    read(n, where, v);
    if (v < std::numeric_limits<int>::min() || v > std::numeric_limits<int>::max())
      type_error(n, where, "an integer between -2147483648 and 2147483647");
    out = static_cast<int>(v);
  }
  void read(const toml::node& n, std::string_view where, double& out) const {
    if (const auto* f = n.as_floating_point()) {
      out = f->get();
      return;
    }
    if (const auto* i = n.as_integer()) {
      out = static_cast<double>(i->get());
      return;
    }
    type_error(n, where, "a number");
  }
  void read(const toml::node& n, std::string_view where, std::string& out) const {
    if (const auto* s = n.as_string()) {
      out = s->get();
      return;
    }
    type_error(n, where, "a string");
  }

  template <class T>
  void read_array(const toml::node& n, std::string_view key, std::vector<T>& out) const {
    const toml::array* a = n.as_array();
    if (!a) type_error(n, key, "an array");
    out.clear();
    out.reserve(a->size());
    for (std::size_t i = 0; i < a->size(); ++i) {
      T v{};
      read((*a)[i], std::string(key) + "[" + std::to_string(i) + "]", v);
      out.push_back(std::move(v));
    }
  }
};

}  // namespace

// ---------------------------------------------------------------------------------------------
// TomlDocument

struct TomlDocument::Parsed {
  toml::table table;
};

TomlDocument::TomlDocument() : parsed_(std::make_shared<const Parsed>()) {}

TomlDocument parse_toml_string(std::string_view text, const std::string& source) {
  try {
    return TomlDocument(std::make_shared<const TomlDocument::Parsed>(TomlDocument::Parsed{toml::parse(text, source)}));
  } catch (const toml::parse_error& e) {
    const auto& b = e.source().begin;
    throw Error(ErrorContext{source, static_cast<long>(b.line), "column " + std::to_string(b.column)},
                "TOML syntax error: " + std::string(e.description()));
  }
}

TomlDocument parse_toml_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw Error(ErrorContext{path, 0, ""}, "cannot open the file for reading");
  std::ostringstream buf;
  buf << in.rdbuf();
  if (in.bad()) throw Error(ErrorContext{path, 0, ""}, "error while reading the file");
  return parse_toml_string(buf.str(), path);
}

std::size_t edit_distance(std::string_view a, std::string_view b) {
  // Wagner–Fischer with two rows: prev[j] = distance(a[0..i), b[0..j)).
  std::vector<std::size_t> prev(b.size() + 1), cur(b.size() + 1);
  for (std::size_t j = 0; j <= b.size(); ++j) prev[j] = j;
  for (std::size_t i = 1; i <= a.size(); ++i) {
    cur[0] = i;
    for (std::size_t j = 1; j <= b.size(); ++j) {
      const std::size_t subst = prev[j - 1] + (lower(a[i - 1]) == lower(b[j - 1]) ? 0 : 1);
      cur[j] = std::min({prev[j] + 1, cur[j - 1] + 1, subst});
    }
    std::swap(prev, cur);
  }
  return prev[b.size()];
}

std::string nearest_name(std::string_view name, std::span<const std::string_view> candidates) {
  return nearest_in(name, candidates);
}
std::string nearest_name(std::string_view name, std::span<const std::string> candidates) {
  return nearest_in(name, candidates);
}
std::string nearest_name(std::string_view name, std::initializer_list<std::string_view> candidates) {
  return nearest_in(name, candidates);
}

std::string toml_type_name(TomlKind kind) {
  switch (kind) {
    case TomlKind::table: return "a table";
    case TomlKind::array: return "an array";
    case TomlKind::string: return "a string";
    case TomlKind::integer: return "an integer";
    case TomlKind::floating_point: return "a floating-point number";
    case TomlKind::boolean: return "a boolean";
    case TomlKind::date: return "a date";
    case TomlKind::time: return "a time";
    case TomlKind::date_time: return "a date-time";
    case TomlKind::none: break;
  }
  return "nothing";
}

// ---------------------------------------------------------------------------------------------
// SourceMap

SourceMap::SourceMap(const TomlDocument& doc, std::string file) : file_(std::move(file)) {
  for (const auto& [key, value] : doc.parsed_->table) add_lines(lines_, value, std::string(key.str()));
}

long SourceMap::line(std::string_view key_path) const {
  const auto it = lines_.find(key_path);
  return it == lines_.end() ? 0 : it->second;
}

ErrorContext SourceMap::context(std::string_view key_path) const {
  return ErrorContext{file_, line(key_path), std::string(key_path)};
}

// ---------------------------------------------------------------------------------------------
// TomlSection

TomlSection::TomlSection(const TomlDocument& doc, std::string file, std::string path)
    : TomlSection(doc.parsed_, &doc.parsed_->table, std::move(file), std::move(path)) {}

TomlSection::TomlSection(std::shared_ptr<const TomlDocument::Parsed> doc, const void* table, std::string file,
                         std::string path)
    : doc_(std::move(doc)), table_(table), file_(std::move(file)), path_(std::move(path)) {}

std::string TomlSection::display_name() const { return path_.empty() ? "the top level" : "[" + path_ + "]"; }

long TomlSection::line() const noexcept { return line_of_node(as_table(table_)); }

bool TomlSection::contains(std::string_view key) const { return as_table(table_).contains(key); }

TomlKind TomlSection::kind(std::string_view key) const {
  const toml::node* n = as_table(table_).get(key);
  return n ? kind_of(*n) : TomlKind::none;
}

std::vector<std::string> TomlSection::keys() const {
  // (line, column): keys of an inline table share a line.
  std::vector<std::pair<std::pair<long, long>, std::string>> k;
  for (const auto& [key, value] : as_table(table_))
    k.emplace_back(std::pair<long, long>{static_cast<long>(key.source().begin.line), static_cast<long>(key.source().begin.column)},
                   std::string(key.str()));
  std::stable_sort(k.begin(), k.end(), [](const auto& x, const auto& y) { return x.first < y.first; });
  std::vector<std::string> out;
  out.reserve(k.size());
  for (auto& e : k) out.push_back(std::move(e.second));
  return out;
}

std::string TomlSection::key_path(std::string_view key) const {
  return path_.empty() ? std::string(key) : path_ + "." + std::string(key);
}

long TomlSection::line_of(std::string_view key) const {
  if (const toml::node* n = as_table(table_).get(key)) return line_of_node(*n);
  return line();
}

ErrorContext TomlSection::context(std::string_view key) const { return ErrorContext{file_, line_of(key), key_path(key)}; }

void TomlSection::fail(std::string_view key, const std::string& message) const { throw Error(context(key), message); }

namespace {

/// The node at key of section `s` (its table `t`), nullptr when absent; a missing required key
/// throws.
const toml::node* find_node(const TomlSection& s, const toml::table& t, std::string_view key, bool required) {
  if (const toml::node* n = t.get(key)) return n;
  if (required)
    throw Error(ErrorContext{s.file(), s.line(), ""}, "missing required key " + quoted(key) + " in " + s.display_name());
  return nullptr;
}

}  // namespace

template <class T>
bool TomlSection::read_one(std::string_view key, bool required, T& out) const {
  const toml::node* n = find_node(*this, as_table(table_), key, required);
  if (!n) return false;
  Reader{*this}.read(*n, key, out);
  return true;
}

template <class T>
bool TomlSection::read_many(std::string_view key, bool required, std::vector<T>& out) const {
  const toml::node* n = find_node(*this, as_table(table_), key, required);
  if (!n) return false;
  Reader{*this}.read_array(*n, key, out);
  return true;
}

bool TomlSection::read_value(std::string_view key, bool required, bool& out) const { return read_one(key, required, out); }
bool TomlSection::read_value(std::string_view key, bool required, int& out) const { return read_one(key, required, out); }
bool TomlSection::read_value(std::string_view key, bool required, long& out) const { return read_one(key, required, out); }
bool TomlSection::read_value(std::string_view key, bool required, long long& out) const { return read_one(key, required, out); }
bool TomlSection::read_value(std::string_view key, bool required, double& out) const { return read_one(key, required, out); }
bool TomlSection::read_value(std::string_view key, bool required, std::string& out) const { return read_one(key, required, out); }
bool TomlSection::read_values(std::string_view key, bool required, std::vector<bool>& out) const {
  return read_many(key, required, out);
}
bool TomlSection::read_values(std::string_view key, bool required, std::vector<int>& out) const {
  return read_many(key, required, out);
}
bool TomlSection::read_values(std::string_view key, bool required, std::vector<long>& out) const {
  return read_many(key, required, out);
}
bool TomlSection::read_values(std::string_view key, bool required, std::vector<long long>& out) const {
  return read_many(key, required, out);
}
bool TomlSection::read_values(std::string_view key, bool required, std::vector<double>& out) const {
  return read_many(key, required, out);
}
bool TomlSection::read_values(std::string_view key, bool required, std::vector<std::string>& out) const {
  return read_many(key, required, out);
}

std::optional<TomlSection> TomlSection::table(std::string_view key) const {
  const toml::node* n = as_table(table_).get(key);
  if (!n) return std::nullopt;
  if (const auto* t = n->as_table()) return TomlSection(doc_, t, file_, key_path(key));
  Reader{*this}.type_error(*n, key, "a table");
}

TomlSection TomlSection::require_table(std::string_view key) const {
  const toml::node& n = *find_node(*this, as_table(table_), key, true);
  if (const auto* t = n.as_table()) return TomlSection(doc_, t, file_, key_path(key));
  Reader{*this}.type_error(n, key, "a table");
}

std::vector<TomlSection> TomlSection::array_of_tables(std::string_view key) const {
  std::vector<TomlSection> out;
  const toml::node* n = as_table(table_).get(key);
  if (!n) return out;
  const Reader reader{*this};
  const toml::array* a = n->as_array();
  if (!a) reader.type_error(*n, key, "an array of tables");
  out.reserve(a->size());
  for (std::size_t i = 0; i < a->size(); ++i) {
    const std::string where = std::string(key) + "[" + std::to_string(i) + "]";
    const toml::table* t = (*a)[i].as_table();
    if (!t) reader.type_error((*a)[i], where, "a table");
    out.push_back(TomlSection(doc_, t, file_, key_path(where)));
  }
  return out;
}

void TomlSection::reject_unknown(std::initializer_list<std::string_view> allowed) const {
  reject_unknown(std::span<const std::string_view>(allowed.begin(), allowed.size()));
}

void TomlSection::reject_unknown(std::span<const std::string_view> allowed) const {
  // Report the first unknown key in document order, so the message points at the earliest line.
  const toml::key* first = nullptr;
  for (const auto& [key, value] : as_table(table_)) {
    if (std::find(allowed.begin(), allowed.end(), key.str()) != allowed.end()) continue;
    if (!first || key.source().begin.line < first->source().begin.line) first = &key;
  }
  if (!first) return;
  std::string msg = "unknown key " + quoted(first->str()) + " in " + display_name();
  const std::string hint = nearest_name(first->str(), allowed);
  if (!hint.empty()) msg += " (did you mean " + quoted(hint) + "?)";
  if (!allowed.size()) {
    msg += "; this table takes no keys";
  } else {
    msg += "; valid keys:";
    for (std::size_t i = 0; i < allowed.size(); ++i) msg += (i ? ", " : " ") + std::string(allowed[i]);
  }
  throw Error(ErrorContext{file_, static_cast<long>(first->source().begin.line), ""}, msg);
}

}  // namespace lantian
