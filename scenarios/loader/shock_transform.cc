#include "scenarios/loader/shock_transform.h"

#include <string>

namespace cascade::scenario {
namespace {

std::string location_text(const SourceLocation& where) {
  return where.file.str() + ":" + std::to_string(where.line) + ":" + std::to_string(where.column);
}

bool same_location(const SourceLocation& a, const SourceLocation& b) {
  return a.file == b.file && a.line == b.line && a.column == b.column;
}

}  // namespace

ShockTransform ShockTransform::then_outer(const ShockTransform& inner) const {
  ShockTransform out;
  out.shift_ticks = shift_ticks + inner.shift_ticks;
  // 1 + ((1 + (v - 1) s_inner) - 1) s_outer = 1 + (v - 1) s_inner s_outer; likewise for additions.
  out.scale = scale * inner.scale;
  out.set_at = set_at;
  out.set_at.insert(out.set_at.end(), inner.set_at.begin(), inner.set_at.end());
  return out;
}

std::string ShockTransform::describe() const {
  return "shift_ticks " + std::to_string(shift_ticks) + ", scale " + format_number(scale);
}

std::string ShockTransform::origin() const {
  std::string out = set_at.size() == 1 ? "the include at " : "the includes at ";
  for (std::size_t i = 0; i < set_at.size(); ++i) {
    if (i > 0) out += i + 1 == set_at.size() ? " and " : ", ";
    out += location_text(set_at[i]);
  }
  return out;
}

bool same_effect(const ShockTransform& a, const ShockTransform& b) {
  return a.shift_ticks == b.shift_ticks && a.scale == b.scale;
}

std::optional<double> scale_neutral_value(ShockKind k) {
  switch (k) {
    case ShockKind::revenue_multiplier:
    case ShockKind::opex_multiplier:
    case ShockKind::capex_multiplier:
    case ShockKind::payment_fraction:
    case ShockKind::gpu_price_multiplier:
    case ShockKind::sentiment_multiplier:
    case ShockKind::ai_sentiment_multiplier:
    case ShockKind::ai_demand_multiplier:
    case ShockKind::renewal_multiplier:
      return 1.0;
    case ShockKind::cash_change:
    case ShockKind::hardware_writedown:
    case ShockKind::market_stress:
    case ShockKind::construction_delay:
    case ShockKind::rate_change:
      return 0.0;
    case ShockKind::force_default:
    case ShockKind::depreciation_life:
      return std::nullopt;
  }
  return std::nullopt;
}

void ShockTransforms::add(const SourceLocation& shock_item, const ShockTransform& t) {
  entries_.push_back({shock_item, t});
}

const ShockTransform* ShockTransforms::find(const SourceLocation& shock_item) const {
  for (const Entry& e : entries_)
    if (same_location(e.where, shock_item)) return &e.transform;
  return nullptr;
}

void apply_shock_transform(const ShockTransform& t, const YNode& item, const ReadShock& read, Tick horizon,
                           ShockSpec& shock, Diagnostics& diags) {
  if (read.tick_read) {
    const YNode& tick = *item.find("tick");
    const std::int64_t shifted = static_cast<std::int64_t>(shock.tick) + t.shift_ticks;
    if (shifted < 1 || shifted > horizon)
      diags.error(tick.where, tick.path,
                  "tick " + tick.text + " shifted by " + std::to_string(t.shift_ticks) + " (" + t.origin() + ") is " +
                      std::to_string(shifted) + ", outside 1 to simulation.horizon_ticks = " + std::to_string(horizon));
    else
      shock.tick = static_cast<Tick>(shifted);
  }
  if (t.scale == 1.0 || !read.kind) return;
  const std::optional<double> neutral = scale_neutral_value(*read.kind);
  if (!neutral) {
    const YNode& kind = *item.find("kind");
    diags.error(kind.where, kind.path,
                "a " + std::string(to_string(*read.kind)) + " shock cannot be scaled (scale " + format_number(t.scale) +
                    " from " + t.origin() + "); include its file without 'scale'");
    return;
  }
  if (!read.value_read) return;
  const double scaled = *neutral + (shock.value - *neutral) * t.scale;
  if (!read.value_range.contains(scaled)) {
    const YNode& value = *item.find("value");
    diags.error(value.where, value.path,
                "value " + format_number(shock.value) + " scaled by " + format_number(t.scale) + " (" + t.origin() +
                    ") is " + format_number(scaled) + "; must be " + read.value_range.describe());
    return;
  }
  shock.value = scaled;
}

}  // namespace cascade::scenario
