// JSON files with Cascade's number format: shortest round-trip numbers (nlohmann's own float
// printing is not std::to_chars'), computed amounts cleaned of round-off (JsonFloats), non-finite
// numbers as null, two-space indentation, keys in the order they were added (ordered_json),
// invalid UTF-8 in strings replaced.
//
//   output::Json doc{{"runs", 10}, {"mean", 0.1}};
//   output::write_json_file(dir / "summary.json", doc);   // throws OutputError
//
// Thread safety: pure functions.
#pragma once

#include <filesystem>
#include <string>

#include <nlohmann/json.hpp>

namespace cascade::output {

using Json = nlohmann::ordered_json;  // keys stay in the order written: stable, readable files

/// How floats are written. `amounts`: as computed amounts, |x| < kAmountZeroTolerance as 0
/// (output/text_format.h), except under keys ending in "_relative" (ratios whose smallness is
/// the point, a conservation residual); `exact`: every float as it is (inputs, as a manifest
/// records them).
enum class JsonFloats { amounts, exact };

/// Appends `value` as indented JSON text, `depth` levels in.
void write_json(std::string& out, const Json& value, int depth = 0, JsonFloats floats = JsonFloats::amounts);

/// Writes `document` and a final newline to `path`. Throws OutputError.
void write_json_file(const std::filesystem::path& path, const Json& document, JsonFloats floats = JsonFloats::amounts);

}  // namespace cascade::output
