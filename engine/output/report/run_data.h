// One finished run read back from its directory (`cascade run --out DIR`), for the report.
//
//   const RunData run = read_run_directory("runs/s8");   // throws output::InputError
//   for (const DefaultRecord& d : run.defaults) use(d.firm, d.tick, d.channel);
//
// Every file is read by column or key name, never by position, so run directories that gain
// columns or keys still read; a missing required column or key, or a file that is not there,
// is an InputError naming the file (bad input: exit code 2). `ablation.csv` and
// `loop_contribution.csv` are read when present. Formats: tools/README.md, "The run directory".
// Money in USD bn. Thread safety: pure functions.
#pragma once

#include <array>
#include <cstdint>
#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "engine/core/types.h"
#include "engine/output/csv_reader.h"

namespace cascade::report {

/// Names with a value each, in the order of the file (e.g. loss by channel).
using NamedValues = std::vector<std::pair<std::string, double>>;

/// One row of defaults.csv.
struct DefaultRecord {
  std::string firm;
  std::string type;
  Tick tick = 0;
  std::string kind;     ///< liquidity, solvency or forced
  std::string channel;  ///< the channel held responsible (docs/model.md, "Loss attribution")
  double shortfall_usd_bn = 0.0;
  std::string detail;
};

/// One row of credit_losses.csv: `holder` lost `loss_usd_bn` on its claim on `obligor`.
struct CreditLossRecord {
  Tick tick = 0;
  std::string holder;
  std::string holder_type;
  std::string obligor;
  std::string exposure;
  std::string kind;
  double claim_usd_bn = 0.0;
  double recovered_usd_bn = 0.0;
  double loss_usd_bn = 0.0;
};

/// A firm's book equity at tick 0 and at the run's last tick (timeseries.csv).
struct FirmOutcome {
  std::string firm;
  std::string type;
  double equity_start_usd_bn = 0.0;
  double equity_end_usd_bn = 0.0;
};

/// manifest.json: how the run was made.
struct ManifestInfo {
  std::string cascade_version;
  std::string build_id;  ///< "" in the manifests of builds before it was recorded
  std::string scenario_name;
  std::string scenario_description;
  std::string scenario_version;
  std::string as_of;
  std::vector<std::string> scenario_files;  ///< main file first, as recorded
  std::string content_hash;                 ///< SHA-256 of the scenario files
  std::uint64_t seed = 0;
  std::vector<std::pair<std::string, std::string>> overrides;   ///< `--set` path and value
  std::vector<std::pair<std::string, std::string>> parameters;  ///< name and value as text
  std::vector<std::pair<std::string, bool>> channels;
  std::vector<std::string> command_line;
};

/// summary.json: the headline figures.
struct SummaryInfo {
  int horizon_ticks = 0;
  int ticks_per_year = 12;
  int ticks_run = 0;
  std::size_t defaults = 0;  ///< entries of its `defaults` list (one per row of defaults.csv)
  double total_credit_loss_usd_bn = 0.0;
  double system_equity_start_usd_bn = 0.0;
  double system_equity_end_usd_bn = 0.0;
  double system_equity_lost_usd_bn = 0.0;  ///< summed over the firms whose equity fell
  double depreciation_usd_bn = 0.0;  ///< ordinary book depreciation
  double writedown_usd_bn = 0.0;     ///< impairments, write-downs and stranded builds
  NamedValues credit_loss_by_holder_type;
  NamedValues credit_loss_by_exposure_kind;
  NamedValues loss_by_channel;  ///< net (gains count negative)
  std::map<std::string, NamedValues> loss_by_firm_and_channel;
};

/// Numeric columns of a CSV by name (system.csv: one value per tick).
struct NumericColumns {
  std::vector<std::string> names;  ///< in file order
  std::map<std::string, std::vector<double>, std::less<>> values;
  /// The column, or nullptr when the file has none of that name.
  const std::vector<double>* find(std::string_view name) const;
};

/// ablation.csv: per row its kind (run, standalone, marginal, interaction), its case or
/// channel, and one value per measure column.
struct AblationRow {
  std::string row;
  std::string label;
  std::vector<double> values;  ///< one per AblationTable::measures
};
struct AblationTable {
  std::vector<std::string> measures;  ///< e.g. equity_lost_usd_bn, ..., defaults
  std::vector<AblationRow> rows;
};

/// The columns of loop_contribution.csv the report reads and shows (`cascade run --cut-loops`
/// writes them): the first kLoopContributionTextColumns are text, the others numbers.
inline constexpr std::array<std::string_view, 7> kLoopContributionColumns{
    "loop",          "firms", "cut_exposure", "usd_bn_per_year", "equity_lost_added_usd_bn", "credit_loss_added_usd_bn",
    "defaults_added"};
inline constexpr std::size_t kLoopContributionTextColumns = 3;

struct RunData {
  std::filesystem::path dir;
  ManifestInfo manifest;
  SummaryInfo summary;
  NumericColumns system;           ///< system.csv
  std::vector<FirmOutcome> firms;  ///< in timeseries.csv order
  std::vector<DefaultRecord> defaults;
  std::vector<CreditLossRecord> credit_losses;
  std::optional<AblationTable> ablation;              ///< with --ablate
  std::optional<output::CsvTable> loop_contribution;  ///< with --cut-loops (kLoopContributionColumns checked)
};

/// Reads every file of `dir` (see the file comment). Throws output::InputError.
RunData read_run_directory(const std::filesystem::path& dir);

}  // namespace cascade::report
