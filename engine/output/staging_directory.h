// An output directory that appears all at once, or not at all.
//
//   StagingDirectory dir("runs/baseline", /*replace_existing=*/false);  // throws OutputError if it exists
//   write_files_into(dir.path());                                         // "runs/baseline.tmp-<pid>"
//   dir.commit();                                                         // now "runs/baseline"
//
// Files are written into a sibling `<target>.tmp-<pid>` and the finished directory is renamed
// onto the target, so readers never see a half-written target and a crashed run leaves at most
// a `.tmp-<pid>` directory behind. If the object is destroyed before `commit()` (the run threw),
// the staging directory is removed and the target is untouched.
//
// Replacing (`replace_existing`): commit renames the old target aside to `<target>.old-<pid>`,
// renames the new one in, then removes the old one; if the second rename fails the old target
// is put back. Without it, an existing target is refused both at construction and at commit.
// The check and the rename are two steps: a directory created by another process in between
// may be replaced (POSIX rename replaces an empty directory).
//
// Thread safety: none; one owner.
#pragma once

#include <filesystem>
#include <stdexcept>
#include <string>
#include <vector>

namespace cascade::output {

/// The outputs cannot be written: the target exists (and replacing was not asked for), or a
/// file system operation failed. The message names the path and, where it helps, the fix.
class OutputError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

/// Staging and set-aside directories of `target` (`<target>.tmp-<pid>`, `<target>.old-<pid>`)
/// whose process no longer runs on this machine: what a process killed while writing left
/// behind (a whole run, or a merge of a sweep's results). Nothing removes them, as a process of
/// the same name on another machine sharing the file system may still be writing one. In name
/// order.
std::vector<std::filesystem::path> abandoned_staging(const std::filesystem::path& target);

/// Why `path` could not be written, for people: "cannot write 'x/r.html': its directory 'x'
/// does not exist", or the error a failed write or open left in errno when it says something
/// about writing ("No space left on device", "Read-only file system", "Permission denied", ...),
/// else "(disk full or no permission?)". Call it right after the failed operation.
std::string cannot_write(const std::filesystem::path& path);

class StagingDirectory {
 public:
  /// Creates the staging directory (and the target's missing parent directories). Throws
  /// OutputError if the target exists and `replace_existing` is false, or on a file system error.
  StagingDirectory(std::filesystem::path target, bool replace_existing);
  ~StagingDirectory();
  StagingDirectory(const StagingDirectory&) = delete;
  StagingDirectory& operator=(const StagingDirectory&) = delete;

  /// Where to write the files until `commit()`.
  const std::filesystem::path& path() const { return staging_; }
  /// The final directory.
  const std::filesystem::path& target() const { return target_; }

  /// Moves the staging directory onto the target (see the file comment). Call once; the files
  /// in it must be closed. Throws OutputError on failure, leaving the target as it was.
  void commit();

 private:
  std::filesystem::path target_;
  std::filesystem::path staging_;
  bool replace_existing_;
  bool committed_ = false;
};

}  // namespace cascade::output
