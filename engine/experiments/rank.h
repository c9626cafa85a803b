// Systemic importance: what each firm's failure does to everyone else.
//
// For each firm f the scenario is run again with f forced into default at `shock_tick` (and,
// optionally, once more with f's revenue cut to `revenue_shock_fraction` from that tick). What
// it causes is measured against the scenario as given, at the end of the horizon, over
// everyone but f and its shareholders (docs/model.md, "Systemic importance"):
//
//   total loss caused = fall in the other firms' capital + loss of creditors outside the network
//                     = credit losses + revenue lost + other equity lost + outside creditors' loss
//
// where capital is book equity plus, for a pass-through fund, its investors' capital (which takes
// the fund's losses), credit losses are the other firms' claims minus recoveries on defaulted
// firms, revenue lost is their revenue_contract channel, and other equity lost is the rest of
// their capital fall (marks, stakes, fire sales, funding costs, funds' investors), net of what
// firms that default pass on to their own creditors. Each firm's DebtRank is computed as well: the share of the
// network's equity (weights: initial book equity) that f's full distress reaches through claims and holdings at tick 0,
// by single-hit DebtRank (Battiston et al. 2012), f's own weight excluded.
//
//   const RankResult r = rank_firms(model, options, agents::standard_behaviours(), {});
//   for (const FirmImpact& i : r.failure) use(i.firm, i.caused.total_usd_bn(), i.caused.defaults_caused);
//
// Rankings are sorted by total loss caused, then defaults caused (then firm order), and do not
// depend on options.threads.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <vector>

#include "engine/model/model.h"
#include "engine/sim/behaviour.h"
#include "engine/sim/simulation.h"

namespace cascade {

struct RankOptions {
  Tick shock_tick = 1;
  /// With a value, also rank by each firm's revenue cut to this fraction (0.5 = a 50% shock).
  std::optional<double> revenue_shock_fraction;
};

/// What one firm's shock causes to the others: the shocked run minus the scenario as given
/// (USD bn; a negative amount is a gain).
struct LossCaused {
  double credit_loss_usd_bn = 0.0;            ///< other firms' claims minus recoveries on defaulted firms
  double revenue_lost_usd_bn = 0.0;           ///< other firms' revenue_contract losses
  double other_equity_lost_usd_bn =
      0.0;  ///< the rest of the other firms' capital fall (net; funds' investors included)
  double outside_creditor_loss_usd_bn = 0.0;  ///< what resolutions leave unpaid to creditors outside the network
  std::size_t defaults_caused = 0;            ///< other firms that default with the shock and not without
  std::size_t defaults_prevented = 0;         ///< other firms that default without the shock and not with it

  /// The fall in the other firms' capital (equity, and a fund's investor capital) plus the outside
  /// creditors' loss: the sum of the four amounts.
  double total_usd_bn() const {
    return credit_loss_usd_bn + revenue_lost_usd_bn + other_equity_lost_usd_bn + outside_creditor_loss_usd_bn;
  }
};

/// What `shocked` did to every firm but `firm`, against `base` (both runs of the same firms).
LossCaused loss_caused(const SimResult& base, const SimResult& shocked, FirmIdx firm);

struct FirmImpact {
  FirmIdx firm = 0;
  LossCaused caused;
  double debtrank = 0.0;  ///< system DebtRank of its failure at tick 0, in [0, 1]
  /// Its place in the ranking, from 1. Firms that cause the same total and the same number of
  /// defaults share the place of the first of them (1, 1, 3): no order is made up between them.
  std::size_t rank = 0;
};

struct RankResult {
  std::vector<FirmImpact> failure;        ///< sole failure of each firm, in ranking order
  std::vector<FirmImpact> revenue_shock;  ///< empty unless RankOptions::revenue_shock_fraction
};

/// System DebtRank of each firm's full distress at tick 0 (see above), by firm index.
std::vector<double> firm_debtranks(const Model& model);

RankResult rank_firms(const Model& model, const RunOptions& options, const Behaviours& behaviours,
                      const RankOptions& rank_options = {});

/// One row per firm and experiment, in ranking order: rank, firm, type, each amount caused,
/// the total, defaults caused and prevented, DebtRank.
std::string rank_csv(const RankResult& result, const Model& model);

}  // namespace cascade
