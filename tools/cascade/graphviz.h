// Graphviz's `dot` run as a child process, and files written whole (through a temporary name):
// what `cascade graph` and `cascade report` share.
//
//   if (std::optional<std::string> svg = dot_to_svg(dot_text)) use(*svg);
//   else std::cerr << kDotMissingHint;          // dot is not installed
//   if (!write_file_atomically("report.html", html)) return ExitCode::bad_input;
//
// A `dot` that is installed but fails on DOT Cascade wrote is a bug: InternalError.
// Thread safety: none (spawns processes, writes files).
#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <string_view>

namespace cascade::cli {

/// How to install Graphviz, for messages.
inline constexpr std::string_view kDotMissingHint =
    "Graphviz's `dot` is not installed (not on PATH); install it (Debian: apt-get install graphviz)";

enum class DotOutcome { ok, missing, failed };

/// Runs `dot -Tsvg input [-o output]` (stdout inherited when no output); `status` is dot's exit
/// code when it ran.
DotOutcome run_dot(const std::filesystem::path& input, const std::optional<std::filesystem::path>& output, int& status);

/// `dot` as SVG text, through temporary files; nullopt when `dot` is not installed.
std::optional<std::string> dot_to_svg(const std::string& dot);

/// Writes `text` to `path` through a sibling temporary file renamed into place. False (with a
/// message on stderr) when it cannot.
bool write_file_atomically(const std::filesystem::path& path, std::string_view text);

}  // namespace cascade::cli
