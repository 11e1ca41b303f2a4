#pragma once
// A value or the reason there is none. g++ 12 has no std::expected; this is the subset we use.
#include <cassert>
#include <utility>
#include <variant>

#include "core/common/reason.hpp"

namespace n2nkit {

struct Failure {
  Reason reason;
};

inline Failure fail(Reason r) {
  return Failure{r};
}

template <class T>
class [[nodiscard]] Result {
 public:
  Result(T value) : v_(std::in_place_index<0>, std::move(value)) {}  // NOLINT: implicit on purpose
  Result(Failure f) : v_(std::in_place_index<1>, f.reason) {}        // NOLINT: implicit on purpose

  bool has_value() const { return v_.index() == 0; }
  explicit operator bool() const { return has_value(); }

  T& value() & {
    assert(has_value());
    return std::get<0>(v_);
  }
  const T& value() const& {
    assert(has_value());
    return std::get<0>(v_);
  }
  T&& value() && {
    assert(has_value());
    return std::get<0>(std::move(v_));
  }
  T& operator*() & { return value(); }
  const T& operator*() const& { return value(); }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }

  Reason error() const { return has_value() ? Reason::ok : std::get<1>(v_); }

 private:
  std::variant<T, Reason> v_;
};

// For operations that return nothing but may fail.
class [[nodiscard]] Status {
 public:
  Status() = default;
  Status(Failure f) : reason_(f.reason) {}  // NOLINT: implicit on purpose
  bool ok() const { return reason_ == Reason::ok; }
  explicit operator bool() const { return ok(); }
  Reason error() const { return reason_; }

 private:
  Reason reason_ = Reason::ok;
};

}  // namespace n2nkit
