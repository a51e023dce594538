#pragma once
// lantian::Error — the one exception type for bad input and I/O failures.
// Always-on checks (LANTIAN_CHECK) throw it with context: the file, the line or
// variable, what was expected and what was found. Hot loops use LANTIAN_ASSERT,
// which vanishes in release builds (STYLE.md 13).
#include <cassert>
#include <stdexcept>
#include <string>
#include <utility>

namespace lantian {

struct ErrorContext {
  std::string file;      ///< input file, empty if none
  long line = 0;         ///< 1-based line, 0 if not applicable
  std::string where;     ///< column, key or variable name, empty if none
};

class Error : public std::runtime_error {
 public:
  explicit Error(const std::string& message) : std::runtime_error(message), message_(message) {}
  Error(ErrorContext ctx, const std::string& message)
      : std::runtime_error(format(ctx, message)), ctx_(std::move(ctx)), message_(message) {}

  const ErrorContext& context() const noexcept { return ctx_; }
  /// The message without the file/line prefix.
  const std::string& message() const noexcept { return message_; }

 private:
  static std::string format(const ErrorContext& c, const std::string& m) {
    std::string s;
    if (!c.file.empty()) s += c.file;
    if (c.line > 0) s += (s.empty() ? "line " : ":") + std::to_string(c.line);
    if (!c.where.empty()) s += (s.empty() ? "" : ": ") + c.where;
    return s.empty() ? m : s + ": " + m;
  }
  ErrorContext ctx_;
  std::string message_;
};

}  // namespace lantian

/// Always-on check for inputs and I/O: throws lantian::Error(ctx, msg) when cond is false.
#define LANTIAN_CHECK(cond, ctx, msg)          \
  do {                                         \
    if (!(cond)) throw ::lantian::Error(ctx, msg); \
  } while (0)

/// Debug-only invariant for hot loops.
#define LANTIAN_ASSERT(cond) assert(cond)
