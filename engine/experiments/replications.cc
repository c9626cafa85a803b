#include "engine/experiments/replications.h"

#include <algorithm>
#include <cmath>
#include <tuple>
#include <unordered_map>

#include "engine/core/diagnostics.h"
#include "engine/output/text_format.h"
#include "engine/sweep/results_table.h"

namespace cascade {
namespace {

/// The standard normal quantile at 0.975: the half-width of a two-sided 95% interval in sd.
constexpr double kZ95 = 1.959963984540054;

using output::Json;

/// Column index by name, for the columns a replication sweep records.
class ColumnIndex {
 public:
  explicit ColumnIndex(std::span<const sweep::MetricSet::Column> columns) {
    for (std::size_t i = 0; i < columns.size(); ++i) index_.emplace(columns[i].name, i);
  }
  std::size_t operator[](const std::string& name) const {
    const auto it = index_.find(name);
    CASCADE_ASSERT(it != index_.end(), "replication outputs lack the column " + name);
    return it->second;
  }

 private:
  std::unordered_map<std::string, std::size_t> index_;
};

std::vector<double> column_values(std::span<const std::vector<double>> rows, std::size_t column) {
  std::vector<double> out;
  out.reserve(rows.size());
  for (const std::vector<double>& row : rows) out.push_back(row[column]);
  return out;
}

OutputSpread spread(std::string name, std::span<const std::vector<double>> rows, std::size_t column) {
  return {std::move(name), quantiles_of(column_values(rows, column))};
}

Json quantiles_json(const Quantiles& q) {
  if (std::isnan(q.q50)) return Json(nullptr);
  return Json{{"q05", q.q05}, {"q50", q.q50}, {"q95", q.q95}};
}

Json spreads_json(const std::vector<OutputSpread>& spreads) {
  Json out = Json::object();
  for (const OutputSpread& s : spreads) out[s.name] = quantiles_json(s.usd_bn);
  return out;
}

}  // namespace

std::vector<std::string> replication_outputs() {
  return {"defaults",       "credit_loss_usd_bn", "system_equity_loss_usd_bn",
          "defaulted:*",    "default_tick:*",     "credit_loss_by_holder_type",
          "loss_by_channel"};
}

Quantiles quantiles_of(std::vector<double> values) {
  std::sort(values.begin(), values.end());
  return {sweep::sorted_quantile(values, 0.05), sweep::sorted_quantile(values, 0.5),
          sweep::sorted_quantile(values, 0.95)};
}

std::pair<double, double> wilson_interval_95(std::uint64_t successes, std::uint64_t trials) {
  if (trials == 0) return {0.0, 1.0};
  const double n = static_cast<double>(trials);
  const double p = static_cast<double>(successes) / n;
  const double z2 = kZ95 * kZ95;
  const double denominator = 1.0 + z2 / n;
  const double centre = (p + z2 / (2.0 * n)) / denominator;
  const double half = kZ95 * std::sqrt(p * (1.0 - p) / n + z2 / (4.0 * n * n)) / denominator;
  // The ends are exactly 0 with no successes and 1 with no failures (centre = half there).
  return {successes == 0 ? 0.0 : std::max(0.0, centre - half),
          successes == trials ? 1.0 : std::min(1.0, centre + half)};
}

ReplicationSummary summarize_replications(const Model& model, std::span<const sweep::MetricSet::Column> columns,
                                          std::span<const std::vector<double>> rows) {
  const ColumnIndex column(columns);
  for (const std::vector<double>& row : rows)
    CASCADE_ASSERT(row.size() == columns.size(), "replicate row of the wrong size");
  ReplicationSummary out;
  out.replicates = rows.size();
  for (FirmIdx f = 0; f < model.firms.size(); ++f) {
    const std::string& id = model.firms[f].id;
    const std::size_t defaulted = column["defaulted_" + id], tick = column["default_tick_" + id];
    FirmDefaults d{.firm = f};
    std::vector<double> ticks;
    for (const std::vector<double>& row : rows)
      if (row[defaulted] != 0.0) ticks.push_back(row[tick]);
    d.defaults = ticks.size();
    d.frequency = rows.empty() ? 0.0 : static_cast<double>(d.defaults) / static_cast<double>(rows.size());
    std::tie(d.frequency_low, d.frequency_high) = wilson_interval_95(d.defaults, rows.size());
    d.default_tick = quantiles_of(std::move(ticks));
    out.firms.push_back(d);
  }
  for (FirmType t : all_firm_types()) {
    const std::string type(to_string(t));
    out.by_sector.push_back(spread(type, rows, column["credit_loss_" + type + "_usd_bn"]));
  }
  for (std::size_t c = 1; c < kDefaultChannelCount; ++c) {  // own_operations is no loss channel
    const std::string channel(to_string(static_cast<DefaultChannel>(c)));
    out.by_channel.push_back(spread(channel, rows, column["loss_" + channel + "_usd_bn"]));
  }
  for (const char* total : {"defaults", "credit_loss_usd_bn", "system_equity_loss_usd_bn"})
    out.totals.push_back(spread(total, rows, column[total]));
  return out;
}

std::string distribution_csv(const ReplicationSummary& summary, const Model& model) {
  std::string csv = "group,name,unit,replicates,defaults,frequency,frequency_low,frequency_high,q05,q50,q95\n";
  const std::string replicates = std::to_string(summary.replicates);
  auto cell = [&](double v) {
    csv += ',';
    if (std::isfinite(v)) output::append_number(csv, v);
  };
  auto quantile_cells = [&](const Quantiles& q) {
    cell(q.q05);
    cell(q.q50);
    cell(q.q95);
    csv += '\n';
  };
  for (const FirmDefaults& d : summary.firms) {
    csv += "firm,";
    output::append_csv_field(csv, model.firms[d.firm].id);
    csv += ",tick," + replicates + ',' + std::to_string(d.defaults);
    cell(d.frequency);
    cell(d.frequency_low);
    cell(d.frequency_high);
    quantile_cells(d.default_tick);
  }
  auto spreads = [&](std::string_view group, const std::vector<OutputSpread>& rows) {
    for (const OutputSpread& s : rows) {
      const std::string_view unit = s.name == "defaults" ? "firms" : "USD bn";
      csv += std::string(group) + ',' + s.name + ',' + std::string(unit) + ',' + replicates + ",,,,";
      quantile_cells(s.usd_bn);
    }
  };
  spreads("sector", summary.by_sector);
  spreads("channel", summary.by_channel);
  spreads("total", summary.totals);
  return csv;
}

Json distribution_json(const ReplicationSummary& summary, const Model& model) {
  Json firms = Json::array();
  for (const FirmDefaults& d : summary.firms)
    firms.push_back(Json{{"firm", model.firms[d.firm].id},
                         {"type", to_string(model.firms[d.firm].type)},
                         {"defaults", d.defaults},
                         {"frequency", d.frequency},
                         {"frequency_95", Json::array({d.frequency_low, d.frequency_high})},
                         {"default_tick", quantiles_json(d.default_tick)}});
  return Json{{"scenario", model.info.name},
              {"replicates", summary.replicates},
              {"firms", std::move(firms)},
              {"credit_loss_by_holder_type_usd_bn", spreads_json(summary.by_sector)},
              {"loss_by_channel_usd_bn", spreads_json(summary.by_channel)},
              {"totals", spreads_json(summary.totals)}};
}

}  // namespace cascade
