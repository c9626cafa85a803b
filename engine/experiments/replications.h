// The distribution of one scenario's outcomes over replicate seeds (`cascade run FILE
// --replications N`, a sweep of one point): each firm's default frequency with its 95% Wilson
// interval and the 5/50/95% quantiles of its default tick among the replicates where it
// defaulted; the 5/50/95% quantiles of credit losses by sector (holder type), of losses by
// channel and of the totals.
//
//   const std::vector<std::string> outputs = replication_outputs();  // what the sweep records
//   const ReplicationSummary s = summarize_replications(model, metrics.columns(), rows);
//   std::string csv = distribution_csv(s, model);                    // distribution.csv
//
// Quantiles interpolate linearly between order statistics (R's type 7, numpy's default), as
// the sweep's aggregate.csv does. Formats: docs/sweeps.md, "Replications".
//
// Thread safety: pure functions.
#pragma once

#include <cstdint>
#include <limits>
#include <span>
#include <string>
#include <utility>
#include <vector>

#include "engine/model/model.h"
#include "engine/output/json_file.h"
#include "engine/sweep/metrics.h"

namespace cascade {

/// The sweep outputs (engine/sweep/metrics.h) a replication study records.
std::vector<std::string> replication_outputs();

/// 5%, 50% and 95% quantiles; NaN when there are no values.
struct Quantiles {
  double q05 = std::numeric_limits<double>::quiet_NaN();
  double q50 = std::numeric_limits<double>::quiet_NaN();
  double q95 = std::numeric_limits<double>::quiet_NaN();
};
Quantiles quantiles_of(std::vector<double> values);

/// The 95% Wilson score interval of a proportion: `successes` of `trials` (Wilson 1927).
/// Returns {0, 1} for no trials.
std::pair<double, double> wilson_interval_95(std::uint64_t successes, std::uint64_t trials);

struct FirmDefaults {
  FirmIdx firm = 0;
  std::uint64_t defaults = 0;  ///< replicates in which it defaulted
  double frequency = 0.0;      ///< defaults / replicates
  double frequency_low = 0.0;  ///< 95% Wilson interval of the frequency
  double frequency_high = 1.0;
  Quantiles default_tick;  ///< over the replicates where it defaulted
};

/// The quantiles of one output over the replicates.
struct OutputSpread {
  std::string name;  ///< a firm type, a channel, or a total's column name
  Quantiles usd_bn;  ///< (the totals' `defaults` counts firms)
};

struct ReplicationSummary {
  std::uint64_t replicates = 0;          ///< replicates summarised (the successful ones)
  std::vector<FirmDefaults> firms;       ///< every firm, in model order
  std::vector<OutputSpread> by_sector;   ///< credit losses by holder type, USD bn, every firm type
  std::vector<OutputSpread> by_channel;  ///< losses by channel, net, USD bn, every channel
  std::vector<OutputSpread> totals;      ///< defaults, credit_loss_usd_bn, system_equity_loss_usd_bn
};

/// Summarises `rows`: the outputs of each successful replicate, in `columns` order, where
/// `columns` is MetricSet::expand(replication_outputs(), model).columns().
ReplicationSummary summarize_replications(const Model& model, std::span<const sweep::MetricSet::Column> columns,
                                          std::span<const std::vector<double>> rows);

/// distribution.csv: `group,name,unit,replicates,defaults,frequency,frequency_low,frequency_high,q05,q50,q95`,
/// one row per firm (group `firm`: q = default tick), sector, channel and total; empty cells
/// where a value does not apply or does not exist.
std::string distribution_csv(const ReplicationSummary& summary, const Model& model);

/// distribution.json: the same numbers, grouped (null where a value does not exist).
output::Json distribution_json(const ReplicationSummary& summary, const Model& model);

}  // namespace cascade
