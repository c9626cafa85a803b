// Why each firm defaulted and what its default passed on, from a run's defaults.csv and
// credit_losses.csv: the timeline of the report.
//
//   for (const DefaultStory& s : explain_defaults(run.defaults, run.credit_losses))
//     print(s.event.firm, s.event.channel, s.cause ? s.cause->obligor : s.event.detail, s.passed_on_usd_bn);
//
// The cause is the channel the engine named (docs/model.md, "Loss attribution") and, when the
// outputs show one, the counterparty most responsible: the obligor whose default cost the firm
// the largest credit loss (summed over exposures) at or before its own default tick. Ties go to
// the obligor that defaulted first, then to its id. Without such a loss the default's detail
// text is the explanation. What a default passed on is every credit loss whose obligor is the
// firm, summed by holder (largest first, ties by holder id). Money in USD bn.
// Thread safety: pure function.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "engine/output/report/run_data.h"

namespace cascade::report {

/// Credit losses between one obligor and one holder, summed over their exposures.
struct CreditLink {
  std::string obligor;
  std::string holder;
  std::string holder_type;
  Tick first_tick = 0;                 ///< the earliest loss between them
  std::vector<std::string> exposures;  ///< in order of occurrence, each once
  double loss_usd_bn = 0.0;
};

struct DefaultStory {
  DefaultRecord event;
  std::optional<CreditLink> cause;    ///< the obligor most responsible (see above), if any
  std::vector<CreditLink> passed_on;  ///< losses of its creditors on it, by holder
  double passed_on_usd_bn = 0.0;      ///< their sum
};

/// One story per default, in the order of `defaults`.
std::vector<DefaultStory> explain_defaults(const std::vector<DefaultRecord>& defaults,
                                           const std::vector<CreditLossRecord>& credit_losses);

}  // namespace cascade::report
