#include "core/mss/clamp_outcome.hpp"

namespace n2nkit::mss {

std::string_view clamp_status_name(ClampStatus status) {
  switch (status) {
    case ClampStatus::clamped:
      return "clamped";
    case ClampStatus::within_limit:
      return "within_limit";
    case ClampStatus::no_mss_option:
      return "no_mss_option";
    case ClampStatus::not_syn:
      return "not_syn";
    case ClampStatus::not_tcp:
      return "not_tcp";
    case ClampStatus::not_ip:
      return "not_ip";
    case ClampStatus::fragment:
      return "fragment";
    case ClampStatus::malformed:
      return "malformed";
  }
  return "invalid";
}

}  // namespace n2nkit::mss
