#include "engine/core/limits.h"

namespace cascade {

std::string limit_message(std::string_view what, std::uint64_t limit, std::string_view flag) {
  return "more than " + std::to_string(limit) + " " + std::string(what) + " (the limit; raise it with " +
         std::string(flag) + ")";
}

}  // namespace cascade
