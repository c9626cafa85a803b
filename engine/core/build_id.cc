#include "engine/core/build_id.h"

#include "cascade_build_id.h"  // generated at build time (engine/CMakeLists.txt)

namespace cascade {

std::string_view build_id() { return CASCADE_BUILD_ID; }

}  // namespace cascade
