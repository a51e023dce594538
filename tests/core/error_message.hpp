#pragma once
// The message of the lantian::Error a piece of test code throws, for asserting on file, line,
// column and expected-vs-found.
#include <functional>
#include <string>

#include "core/error.hpp"

namespace lantian::test {

/// e.what() of the lantian::Error that `f` throws, or "no exception".
inline std::string message_of(const std::function<void()>& f) {
  try {
    f();
  } catch (const Error& e) {
    return e.what();
  }
  return "no exception";
}

}  // namespace lantian::test
