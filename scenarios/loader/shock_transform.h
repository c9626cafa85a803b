// Shock composition: an include entry `{file: PATH, shift_ticks: N, scale: X}` moves and scales
// the shocks that PATH (and the files it includes) contribute, so that a combined scenario is
// written by including other scenarios' shocks, not by copying them.
//
//   include:
//     - {file: s2-openai-nonpayment.yaml, shift_ticks: 6, scale: 0.5}
//   # S2's payment_fraction 0.3 at tick 13 becomes 1 + (0.3 - 1) x 0.5 = 0.65 at tick 19.
//
// `tick += shift_ticks`; `scale` moves each value from its kind's neutral value towards it:
// 1 + (value - 1) x scale for multipliers and payment_fraction, value x scale for additions
// (market_stress, rate_change, cash_change, construction_delay, hardware_writedown). force_default
// and depreciation_life have no neutral value and cannot be scaled. Transforms compose along an
// include chain: shifts add, scales multiply. docs/scenario-format.md, "include".
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "engine/core/diagnostics.h"
#include "engine/model/model.h"
#include "scenarios/loader/yaml_reader.h"

namespace cascade::scenario {

struct ShockTransform {
  std::int64_t shift_ticks = 0;  ///< added to each shock's tick
  double scale = 1.0;            ///< factor on each shock's distance from its kind's neutral value
  /// The include entries that set a non-identity transform, outermost first (for messages).
  std::vector<SourceLocation> set_at;

  bool is_identity() const { return shift_ticks == 0 && scale == 1.0; }
  /// `inner` (an include inside the file this transform applies to) applied first, then this.
  ShockTransform then_outer(const ShockTransform& inner) const;
  /// "shift_ticks 6, scale 0.5".
  std::string describe() const;
  /// "the include at a.yaml:8:5" or "the includes at a.yaml:8:5 and b.yaml:3:5".
  std::string origin() const;
};

/// Same shift and same scale (where they were set does not matter).
bool same_effect(const ShockTransform& a, const ShockTransform& b);

/// The value a shock of kind `k` scales from: 1 for multipliers and payment_fraction, 0 for
/// additions; nullopt for force_default and depreciation_life, which cannot be scaled.
std::optional<double> scale_neutral_value(ShockKind k);

/// The shocks of a merged document that an include transforms, by the location of their list item
/// (unique: each file is loaded once). Shocks written in the main file or set on the command line
/// are not listed.
class ShockTransforms {
 public:
  void add(const SourceLocation& shock_item, const ShockTransform& t);
  /// The transform of the shock whose list item is at `shock_item`, nullptr when none.
  const ShockTransform* find(const SourceLocation& shock_item) const;

 private:
  struct Entry {
    SourceLocation where;
    ShockTransform transform;
  };
  std::vector<Entry> entries_;
};

/// What a shock read from the list item `item` became before its include's transform.
struct ReadShock {
  std::optional<ShockKind> kind;     ///< nullopt when the kind was invalid
  bool tick_read = false;            ///< `tick` was a valid whole number >= 1 (not yet checked against the horizon)
  bool value_read = false;           ///< `value` was valid for the kind (force_default has none)
  Range value_range = Range::any();  ///< the kind's accepted values
};

/// Shifts and scales `shock` by `t`. Reports, at the shock's own nodes and naming the include,
/// a tick shifted outside 1..horizon, a scale on force_default or depreciation_life, and a
/// scaled value outside the kind's range.
void apply_shock_transform(const ShockTransform& t, const YNode& item, const ReadShock& read, Tick horizon,
                           ShockSpec& shock, Diagnostics& diags);

}  // namespace cascade::scenario
