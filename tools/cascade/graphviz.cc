#include "tools/cascade/graphviz.h"

#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <fstream>
#include <iostream>
#include <iterator>
#include <vector>

#include "engine/core/diagnostics.h"
#include "engine/output/staging_directory.h"

extern char** environ;

namespace cascade::cli {
namespace fs = std::filesystem;
namespace {
constexpr const char* kDotProgram = "dot";
}  // namespace

bool write_file_atomically(const fs::path& path, std::string_view text) {
  // A device or FIFO (`--out /dev/stdout`) is written in place, never replaced by a file.
  std::error_code ec;
  const fs::file_status target = fs::status(path, ec);
  const bool in_place = fs::exists(target) && !fs::is_regular_file(target);
  const fs::path tmp = in_place ? path : fs::path(path.string() + ".tmp-" + std::to_string(::getpid()));
  {
    std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
    out << text;
    out.close();
    if (!out) {
      std::cerr << "error: " << output::cannot_write(path) << '\n';
      std::error_code ignored;
      if (!in_place) fs::remove(tmp, ignored);
      return false;
    }
  }
  if (in_place) return true;
  fs::rename(tmp, path, ec);
  if (ec) {
    std::cerr << "error: cannot write '" << path.string() << "': " << ec.message() << '\n';
    fs::remove(tmp, ec);
    return false;
  }
  return true;
}

DotOutcome run_dot(const fs::path& input, const std::optional<fs::path>& output, int& status) {
  std::vector<std::string> args{kDotProgram, "-Tsvg", input.string()};
  if (output) {
    args.push_back("-o");
    args.push_back(output->string());
  }
  std::vector<char*> argv;
  for (std::string& a : args) argv.push_back(a.data());
  argv.push_back(nullptr);
  std::cout.flush();
  pid_t pid = 0;
  const int spawn_error = ::posix_spawnp(&pid, kDotProgram, nullptr, nullptr, argv.data(), environ);
  if (spawn_error == ENOENT) return DotOutcome::missing;
  if (spawn_error != 0) throw InternalError(std::string("cannot start dot: ") + std::strerror(spawn_error));
  int wait_status = 0;
  while (::waitpid(pid, &wait_status, 0) < 0)
    if (errno != EINTR) throw InternalError(std::string("waiting for dot: ") + std::strerror(errno));
  // posix_spawnp may report a missing program as the child's exit code 127.
  if (WIFEXITED(wait_status) && WEXITSTATUS(wait_status) == 127) return DotOutcome::missing;
  status = WIFEXITED(wait_status) ? WEXITSTATUS(wait_status) : -1;
  return status == 0 ? DotOutcome::ok : DotOutcome::failed;
}

std::optional<std::string> dot_to_svg(const std::string& dot) {
  const fs::path stem = fs::temp_directory_path() / ("cascade-dot-" + std::to_string(::getpid()));
  const fs::path dot_file = stem.string() + ".dot", svg_file = stem.string() + ".svg";
  struct Cleanup {
    fs::path a, b;
    ~Cleanup() {
      std::error_code ignored;
      fs::remove(a, ignored);
      fs::remove(b, ignored);
    }
  } cleanup{dot_file, svg_file};
  if (!write_file_atomically(dot_file, dot))
    throw InternalError("cannot write a temporary DOT file in " + fs::temp_directory_path().string());
  int status = 0;
  const DotOutcome outcome = run_dot(dot_file, svg_file, status);
  if (outcome == DotOutcome::missing) return std::nullopt;
  if (outcome == DotOutcome::failed)
    throw InternalError("dot -Tsvg failed (exit " + std::to_string(status) + ") on the DOT Cascade wrote");
  std::ifstream in(svg_file, std::ios::binary);
  return std::string{std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

}  // namespace cascade::cli
