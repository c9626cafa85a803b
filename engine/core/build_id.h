// Which build of Cascade this is, beyond its version: 16 hex digits of a hash of its code, the
// compiler, its flags, the build options and the versions of the libraries it links
// (cmake/CascadeBuildId.cmake). Builds of the same sources with the same compiler, flags and
// libraries share it; any change of code gives another. A sweep directory records it, so
// that a resume or a merge never mixes the results of two builds (docs/sweeps.md).
#pragma once

#include <string_view>

namespace cascade {

/// The build id, e.g. "3f9a0c2b7d41e886". Thread safety: a constant.
std::string_view build_id();

}  // namespace cascade
