// SHA-256 (FIPS 180-4) of a byte string, as lower-case hex.
//
// Used for the scenario's content hash in the run manifest: the hash of the loaded files'
// bytes tells whether two runs read the same scenario.
//
//   Sha256 h;
//   h.update("ab");
//   h.update("c");
//   h.hex_digest();  // "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <string_view>

namespace cascade::scenario {

/// Incremental SHA-256. Not thread-safe; one instance per hash.
class Sha256 {
 public:
  Sha256();
  void update(std::string_view bytes);
  /// Finishes the hash; the object must not be updated afterwards.
  std::string hex_digest();

 private:
  void compress(const std::uint8_t* block);

  std::array<std::uint32_t, 8> state_;
  std::array<std::uint8_t, 64> buffer_{};
  std::size_t buffered_bytes_ = 0;
  std::uint64_t total_bytes_ = 0;
};

/// SHA-256 of `bytes` in one call.
std::string sha256_hex(std::string_view bytes);

}  // namespace cascade::scenario
