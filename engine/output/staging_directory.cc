#include "engine/output/staging_directory.h"

#include <signal.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <charconv>
#include <cstring>
#include <string>
#include <system_error>
#include <utility>

#include "engine/core/diagnostics.h"

namespace cascade::output {

std::string cannot_write(const std::filesystem::path& path) {
  const int error = errno;  // before the checks below change it
  const std::filesystem::path dir = path.parent_path().empty() ? std::filesystem::path(".") : path.parent_path();
  std::error_code ec;
  const std::string what = "cannot write '" + path.string() + "'";
  if (!std::filesystem::exists(dir, ec)) return what + ": its directory '" + dir.string() + "' does not exist";
  if (!std::filesystem::is_directory(dir, ec)) return what + ": '" + dir.string() + "' is not a directory";
  // Only errors a write or an open for writing gives: errno may hold something older otherwise.
  switch (error) {
    case ENOSPC:
    case EDQUOT:
    case EROFS:
    case EACCES:
    case EPERM:
    case EFBIG:
    case EIO:
    case EISDIR:
    case ENAMETOOLONG:
    case ETXTBSY:
      return what + ": " + std::strerror(error);
    default:
      return what + " (disk full or no permission?)";
  }
}
namespace fs = std::filesystem;

namespace {

/// "runs/x/" and "runs/./x" name the same directory as "runs/x"; siblings need the plain form.
fs::path plain_directory_path(const fs::path& path) {
  fs::path normal = path.lexically_normal();
  if (!normal.has_filename()) normal = normal.parent_path();  // drop a trailing separator
  return normal;
}

fs::path sibling(const fs::path& target, std::string_view tag) {
  fs::path result = target;
  result += std::string(tag) + std::to_string(::getpid());
  return result;
}

std::string quoted(const fs::path& p) { return "'" + p.string() + "'"; }

void refuse_existing(const fs::path& target) {
  throw OutputError("output directory " + quoted(target) + " already exists; pass --force to replace it");
}

}  // namespace

std::vector<fs::path> abandoned_staging(const fs::path& target) {
  std::vector<fs::path> found;
  const fs::path plain = plain_directory_path(target);
  const fs::path parent = plain.parent_path().empty() ? fs::path(".") : plain.parent_path();
  const std::string name = plain.filename().string();
  std::error_code ec;
  for (const fs::directory_entry& e : fs::directory_iterator(parent, ec)) {
    const std::string entry = e.path().filename().string();
    for (std::string_view tag : {".tmp-", ".old-"}) {
      if (entry.size() <= name.size() + tag.size() || !entry.starts_with(name) ||
          entry.compare(name.size(), tag.size(), tag) != 0)
        continue;
      const std::string_view digits = std::string_view(entry).substr(name.size() + tag.size());
      pid_t pid = 0;
      const auto [end, error] = std::from_chars(digits.data(), digits.data() + digits.size(), pid);
      if (error != std::errc() || end != digits.data() + digits.size() || pid <= 0 || pid == ::getpid()) continue;
      if (::kill(pid, 0) != 0 && errno == ESRCH) found.push_back(plain.parent_path() / entry);
    }
  }
  std::sort(found.begin(), found.end());
  return found;
}

StagingDirectory::StagingDirectory(fs::path target, bool replace_existing)
    : target_(plain_directory_path(target)), replace_existing_(replace_existing) {
  if (target_.empty() || target_ == "." || target_ == "..")
    throw OutputError("output directory " + quoted(target) + " is not a usable directory name");
  std::error_code ec;
  if (fs::exists(fs::symlink_status(target_, ec)) && !replace_existing_) refuse_existing(target_);

  staging_ = sibling(target_, ".tmp-");
  const fs::path parent = target_.parent_path();
  if (!parent.empty()) {
    fs::create_directories(parent, ec);
    if (ec) throw OutputError("cannot create directory " + quoted(parent) + ": " + ec.message());
  }
  // A leftover with our pid can only come from an earlier process that died: it is ours to clear.
  fs::remove_all(staging_, ec);
  if (!fs::create_directory(staging_, ec) || ec)
    throw OutputError("cannot create directory " + quoted(staging_) + ": " +
                      (ec ? ec.message() : std::string("it already exists")));
}

StagingDirectory::~StagingDirectory() {
  if (committed_) return;
  std::error_code ignored;  // best effort: a destructor must not throw
  fs::remove_all(staging_, ignored);
}

void StagingDirectory::commit() {
  CASCADE_ASSERT(!committed_, "StagingDirectory::commit called twice");
  std::error_code ec;
  const bool target_exists = fs::exists(fs::symlink_status(target_, ec));
  if (!target_exists) {
    fs::rename(staging_, target_, ec);
    if (ec) throw OutputError("cannot move " + quoted(staging_) + " to " + quoted(target_) + ": " + ec.message());
    committed_ = true;
    return;
  }
  if (!replace_existing_) refuse_existing(target_);

  const fs::path old = sibling(target_, ".old-");
  fs::remove_all(old, ec);  // a leftover of an earlier process with our pid
  fs::rename(target_, old, ec);
  if (ec) throw OutputError("cannot move the existing " + quoted(target_) + " aside: " + ec.message());
  fs::rename(staging_, target_, ec);
  if (ec) {
    std::error_code restore_ec;
    fs::rename(old, target_, restore_ec);
    throw OutputError("cannot move " + quoted(staging_) + " to " + quoted(target_) + ": " + ec.message() +
                      (restore_ec ? "; the previous outputs are left in " + quoted(old) : std::string()));
  }
  committed_ = true;
  fs::remove_all(old, ec);
  if (ec)
    throw OutputError("new outputs are in " + quoted(target_) + ", but the previous ones could not be removed from " +
                      quoted(old) + ": " + ec.message());
}

}  // namespace cascade::output
