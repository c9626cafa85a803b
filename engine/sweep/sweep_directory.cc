#include "engine/sweep/sweep_directory.h"

#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <iterator>
#include <optional>
#include <utility>
#include <vector>

#include "engine/output/staging_directory.h"

namespace cascade::sweep {
namespace {

namespace fs = std::filesystem;

constexpr std::string_view kLockFile = ".lock";
constexpr std::string_view kManifestFile = "manifest.json";
constexpr std::string_view kSweepCopy = "sweep.yaml";
constexpr std::string_view kJournalFile = "journal.cj";

/// The manifest as an object ({} when the file cannot be opened); nullopt when it is not JSON.
std::optional<output::Json> parse_manifest(const fs::path& file) {
  std::ifstream in(file, std::ios::binary);
  if (!in) return output::Json::object();
  const std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  output::Json j = output::Json::parse(text, nullptr, /*allow_exceptions=*/false);
  if (j.is_discarded() || !j.is_object()) return std::nullopt;
  return j;
}

SweepDirectoryError unreadable_manifest(const fs::path& file, std::string_view what_to_do) {
  return SweepDirectoryError("'" + file.string() + "' is not a readable sweep manifest (edited or corrupt?); " +
                             std::string(what_to_do));
}

/// Why --out may not become a sweep directory before anything is written into it, or "": it
/// must be missing, empty (a lock left by an earlier sweep aside) or hold a sweep's manifest.json
/// (or one damaged beside a sweep's journal).
std::string not_a_sweep_directory(const fs::path& dir) {
  std::error_code ec;
  if (!fs::exists(fs::symlink_status(dir, ec))) return {};
  if (!fs::is_directory(dir, ec)) return "'" + dir.string() + "' exists and is not a directory; choose another --out";
  if (fs::exists(dir / kManifestFile, ec)) {
    const std::optional<output::Json> manifest = parse_manifest(dir / kManifestFile);
    if (manifest && !manifest->empty() && manifest->value("kind", "") != kSweepManifestKind)
      return "'" + dir.string() +
             "' is not a sweep directory (its manifest.json is another kind); choose another --out";
    if (!manifest && !fs::exists(dir / kJournalFile, ec))
      return unreadable_manifest(dir / kManifestFile, "move the directory aside").what();
    return {};
  }
  for (const fs::directory_entry& e : fs::directory_iterator(dir, ec))
    if (e.path().filename() != kLockFile)
      return "'" + dir.string() + "' is not empty and holds no sweep; choose another --out";
  return {};
}

/// fsync(2) of a file or directory; false with errno set when it fails. A file system that
/// cannot sync (EINVAL, ENOTSUP: some network and special file systems) is not a failure.
bool sync_to_disk(const fs::path& path) {
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return false;
  const bool synced = ::fsync(fd) == 0 || errno == EINVAL || errno == ENOTSUP;
  const int saved = errno;
  ::close(fd);
  errno = saved;
  return synced;
}

std::string describe_shard(const Shard& s) { return std::to_string(s.index) + "/" + std::to_string(s.count); }

}  // namespace

std::string resume_mismatch(const SweepIdentity& found, const SweepIdentity& wanted) {
  if (found.sweep_hash != wanted.sweep_hash)
    return "it holds another sweep, whose sweep.yaml is not this command's (another sweep file, or other "
           "--replications, --seed or --set values of `cascade run`)";
  if (found.scenario_hash != wanted.scenario_hash) return "its scenario has changed since (different file contents)";
  if (found.version != wanted.version)
    return "it was written by Cascade " + found.version + ", this is " + wanted.version;
  if (found.build != wanted.build)
    return "it was written by another build of Cascade (build " + found.build_name() + ", this is build " +
           wanted.build + "), whose results may differ from this one's";
  if (found.shard.index != wanted.shard.index || found.shard.count != wanted.shard.count)
    return "it holds shard " + describe_shard(found.shard) + ", not " + describe_shard(wanted.shard);
  if (found.runs != wanted.runs) return "it holds a sweep of another size";
  return "";
}

output::Json SweepDirectory::identity_json(const SweepIdentity& id) {
  return output::Json{{"kind", kSweepManifestKind},
                      {"cascade_version", id.version},
                      {"cascade_build", id.build},
                      {"sweep_sha256", id.sweep_hash},
                      {"scenario_sha256", id.scenario_hash},
                      {"runs", id.runs},
                      {"shard", output::Json{{"index", id.shard.index}, {"count", id.shard.count}}}};
}

SweepIdentity SweepDirectory::identity_of(const output::Json& m) {
  SweepIdentity id;
  id.version = m.value("cascade_version", "");
  id.build = m.value("cascade_build", "");
  id.sweep_hash = m.value("sweep_sha256", "");
  id.scenario_hash = m.value("scenario_sha256", "");
  id.runs = m.value("runs", std::uint64_t{0});
  if (m.contains("shard") && m["shard"].is_object()) {
    id.shard.index = m["shard"].value("index", 0u);
    id.shard.count = m["shard"].value("count", 1u);
  }
  return id;
}

SweepDirectory SweepDirectory::open(const fs::path& dir, const SweepIdentity& identity,
                                    const std::string& sweep_file_bytes, bool replace) {
  SweepDirectory d;
  d.dir_ = dir;
  std::error_code ec;
  // Checked again under the lock; here so that a refused directory is left as it was (no lock file).
  if (const std::string why = not_a_sweep_directory(dir); !why.empty()) throw SweepDirectoryError(why);
  fs::create_directories(dir, ec);
  if (ec) throw SweepDirectoryError("cannot create '" + dir.string() + "': " + ec.message());

  d.lock_fd_ = ::open((dir / kLockFile).c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644);
  if (d.lock_fd_ < 0)
    throw SweepDirectoryError("cannot write to '" + dir.string() + "': " + std::strerror(errno));
  if (::flock(d.lock_fd_, LOCK_EX | LOCK_NB) != 0)
    throw SweepDirectoryError("another process is writing to '" + dir.string() +
                              "' (it holds the lock " + (dir / kLockFile).string() +
                              "); wait for it to finish, or choose another --out");

  const bool has_manifest = fs::exists(dir / kManifestFile, ec);
  std::optional<output::Json> parsed = has_manifest ? parse_manifest(dir / kManifestFile) : std::nullopt;
  // A sweep directory whose manifest was damaged (it has a journal) is started again with --force.
  const bool damaged_sweep = has_manifest && !parsed && fs::exists(dir / kJournalFile, ec);
  if (!has_manifest) {
    if (const std::string why = not_a_sweep_directory(dir); !why.empty()) throw SweepDirectoryError(why);
  } else if (!parsed) {
    if (!damaged_sweep) throw unreadable_manifest(dir / kManifestFile, "move the directory aside");
    if (!replace)
      throw unreadable_manifest(dir / kManifestFile,
                                "move the directory aside, or pass --force to start the sweep again there");
    for (const fs::directory_entry& e : fs::directory_iterator(dir, ec))
      if (e.path().filename() != kLockFile) fs::remove_all(e.path(), ec);
  } else {
    output::Json found = std::move(*parsed);
    if (found.value("kind", "") != kSweepManifestKind)
      throw SweepDirectoryError("'" + dir.string() + "' is not a sweep directory (its manifest.json is another " +
                                "kind); choose another --out");
    if (const std::string why = resume_mismatch(identity_of(found), identity); !why.empty() || replace) {
      if (!replace)
        throw SweepDirectoryError("'" + dir.string() + "' cannot be resumed with this command: " + why +
                                  ". Choose another --out, or pass --force to discard it and start again");
      for (const fs::directory_entry& e : fs::directory_iterator(dir, ec))
        if (e.path().filename() != kLockFile) fs::remove_all(e.path(), ec);
    } else {
      d.previous_manifest_ = std::move(found);
    }
  }
  // The identity goes in first, so that a directory killed at any moment is recognised.
  if (d.previous_manifest_.empty()) {
    output::Json manifest = identity_json(identity);
    manifest["status"] = "running";
    d.write_manifest(manifest);
  }
  if (!fs::exists(dir / kSweepCopy, ec)) {
    const fs::path tmp = dir / (std::string(kSweepCopy) + ".tmp");
    std::ofstream copy(tmp, std::ios::binary | std::ios::trunc);
    copy.write(sweep_file_bytes.data(), static_cast<std::streamsize>(sweep_file_bytes.size()));
    copy.close();
    if (!copy) throw SweepDirectoryError(output::cannot_write(tmp));
    fs::rename(tmp, dir / kSweepCopy, ec);
    if (ec) throw SweepDirectoryError("cannot write '" + (dir / kSweepCopy).string() + "': " + ec.message());
  }
  d.journal_.emplace(Journal::open(dir / kJournalFile));
  return d;
}

SweepDirectory SweepDirectory::open_read_only(const fs::path& dir) {
  SweepDirectory d;
  d.dir_ = dir;
  std::error_code ec;
  if (!fs::is_directory(dir, ec)) throw SweepDirectoryError("'" + dir.string() + "' is not a directory");
  if (!fs::exists(dir / kManifestFile, ec))
    throw SweepDirectoryError("'" + dir.string() + "' holds no sweep (no manifest.json)");
  std::optional<output::Json> manifest = parse_manifest(dir / kManifestFile);
  if (!manifest) throw unreadable_manifest(dir / kManifestFile, "move the directory aside");
  d.previous_manifest_ = std::move(*manifest);
  if (d.previous_manifest_.value("kind", "") != kSweepManifestKind)
    throw SweepDirectoryError("'" + dir.string() + "' is not a sweep directory");
  if (!fs::exists(dir / kJournalFile, ec))
    throw SweepDirectoryError("'" + dir.string() + "' has no journal.cj: no run of it has finished");
  d.journal_.emplace(Journal::open_read_only(dir / kJournalFile));
  return d;
}

SweepDirectory::SweepDirectory(SweepDirectory&& o) noexcept
    : dir_(std::move(o.dir_)),
      lock_fd_(std::exchange(o.lock_fd_, -1)),
      journal_(std::move(o.journal_)),
      previous_manifest_(std::move(o.previous_manifest_)) {}

SweepDirectory::~SweepDirectory() {
  if (lock_fd_ >= 0) ::close(lock_fd_);  // releases the flock
}

void SweepDirectory::write_manifest(const output::Json& manifest) const {
  const fs::path tmp = dir_ / (std::string(kManifestFile) + ".tmp");
  output::write_json_file(tmp, manifest);
  // On disk before it replaces the old one, and the rename on disk before the sweep goes on: a
  // crash (a lost node) must not leave an empty manifest beside a journal that holds its runs.
  if (!sync_to_disk(tmp))
    throw output::OutputError("cannot write '" + tmp.string() + "' to disk: " + std::strerror(errno));
  std::error_code ec;
  fs::rename(tmp, dir_ / kManifestFile, ec);
  if (ec) throw output::OutputError("cannot write '" + (dir_ / kManifestFile).string() + "': " + ec.message());
  if (!sync_to_disk(dir_))
    throw output::OutputError("cannot write the directory '" + dir_.string() + "' to disk: " + std::strerror(errno));
}

namespace {

struct Fingerprint {
  std::uint64_t bytes = 0;
  std::string crc32_hex;
};

/// Size and CRC-32 of `file`; nullopt when it cannot be opened or read to the end.
std::optional<Fingerprint> fingerprint(const fs::path& file) {
  std::ifstream in(file, std::ios::binary);
  if (!in) return std::nullopt;
  std::vector<char> buffer(1 << 20);
  Fingerprint f;
  std::uint32_t crc = 0;
  while (in) {
    in.read(buffer.data(), static_cast<std::streamsize>(buffer.size()));
    const auto got = static_cast<std::size_t>(in.gcount());
    crc = crc32(std::string_view(buffer.data(), got), crc);
    f.bytes += got;
  }
  if (in.bad()) return std::nullopt;
  char hex[9];
  std::snprintf(hex, sizeof hex, "%08x", crc);
  f.crc32_hex = hex;
  return f;
}

}  // namespace

output::Json result_file_fingerprints(const fs::path& dir, std::span<const std::string_view> files) {
  output::Json out = output::Json::object();
  for (std::string_view name : files) {
    const std::optional<Fingerprint> f = fingerprint(dir / name);
    if (!f) throw output::OutputError("cannot read '" + (dir / name).string() + "' back: " + std::strerror(errno));
    out[std::string(name)] = {{"bytes", f->bytes}, {"crc32", f->crc32_hex}};
  }
  return out;
}

std::optional<std::string> result_files_damage(const fs::path& dir, const output::Json& recorded) {
  if (!recorded.is_object()) return std::nullopt;
  for (const auto& [name, want] : recorded.items()) {
    const std::optional<Fingerprint> found = fingerprint(dir / name);
    if (!found) return name + " is missing or cannot be read";
    const std::uint64_t bytes = want.value("bytes", std::uint64_t{0});
    if (found->bytes != bytes)
      return name + " has " + std::to_string(found->bytes) + " bytes, " + std::to_string(bytes) + " were written";
    if (found->crc32_hex != want.value("crc32", ""))
      return name + " has changed since it was written (its CRC-32 is " + found->crc32_hex + ", was " +
             want.value("crc32", "") + ")";
  }
  return std::nullopt;
}

}  // namespace cascade::sweep
