// What the libFuzzer targets share: a scratch directory per process for the files an input
// becomes, and the limits they load with (small, so that one input costs milliseconds).
//
//   const std::filesystem::path file = fuzz::scratch() / "input.yaml";
//   fuzz::write_file(file, data, size);
//   scenario::load_file(file, {.overrides = {}, .limits = fuzz::limits()});
//
// A target catches ScenarioError (the input was refused, as bad input should be) and nothing
// else: any other exception, a crash or a sanitizer report is a finding.
#pragma once

#include <unistd.h>

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <string>
#include <string_view>

#include "engine/core/limits.h"

namespace cascade::fuzz {

/// A directory of this process's own, created on first use.
inline const std::filesystem::path& scratch() {
  static const std::filesystem::path dir = [] {
    std::filesystem::path d = std::filesystem::temp_directory_path() / ("cascade-fuzz-" + std::to_string(::getpid()));
    std::filesystem::create_directories(d);
    return d;
  }();
  return dir;
}

inline void write_file(const std::filesystem::path& path, std::string_view bytes) {
  std::ofstream(path, std::ios::binary | std::ios::trunc)
      .write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
}

/// Limits that keep one input cheap: the readers must refuse anything larger with a message.
inline InputLimits limits() {
  InputLimits l;
  l.max_firms = 2'000;
  l.max_exposures = 20'000;
  l.max_ticks = 120;
  l.max_include_depth = 8;
  l.max_file_bytes = 1 << 20;
  l.max_yaml_values = 200'000;
  l.max_sweep_runs = 20'000;
  return l;
}

}  // namespace cascade::fuzz
