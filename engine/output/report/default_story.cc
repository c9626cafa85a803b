#include "engine/output/report/default_story.h"

#include <algorithm>
#include <functional>

namespace cascade::report {
namespace {

enum class SumBy { obligor, holder };

/// The credit losses that `keep` selects, summed per obligor or per holder, in order of occurrence.
std::vector<CreditLink> sum_losses(const std::vector<CreditLossRecord>& losses, SumBy by,
                                   const std::function<bool(const CreditLossRecord&)>& keep) {
  std::vector<CreditLink> out;
  for (const CreditLossRecord& l : losses) {
    if (!keep(l)) continue;
    auto it = std::find_if(out.begin(), out.end(), [&](const CreditLink& c) {
      return by == SumBy::obligor ? c.obligor == l.obligor : c.holder == l.holder;
    });
    if (it == out.end()) it = out.insert(out.end(), CreditLink{l.obligor, l.holder, l.holder_type, l.tick, {}, 0.0});
    it->first_tick = std::min(it->first_tick, l.tick);
    if (std::find(it->exposures.begin(), it->exposures.end(), l.exposure) == it->exposures.end())
      it->exposures.push_back(l.exposure);
    it->loss_usd_bn += l.loss_usd_bn;
  }
  return out;
}

}  // namespace

std::vector<DefaultStory> explain_defaults(const std::vector<DefaultRecord>& defaults,
                                           const std::vector<CreditLossRecord>& credit_losses) {
  std::vector<DefaultStory> stories;
  for (const DefaultRecord& d : defaults) {
    DefaultStory story{.event = d, .cause = std::nullopt, .passed_on = {}, .passed_on_usd_bn = 0.0};

    const std::vector<CreditLink> suffered = sum_losses(credit_losses, SumBy::obligor, [&](const CreditLossRecord& l) {
      return l.holder == d.firm && l.tick <= d.tick;
    });
    // Largest loss first; ties: earliest, then by obligor id.
    const auto worst = std::min_element(suffered.begin(), suffered.end(), [](const CreditLink& a, const CreditLink& b) {
      if (a.loss_usd_bn != b.loss_usd_bn) return a.loss_usd_bn > b.loss_usd_bn;
      if (a.first_tick != b.first_tick) return a.first_tick < b.first_tick;
      return a.obligor < b.obligor;
    });
    if (worst != suffered.end() && worst->loss_usd_bn > 0.0) story.cause = *worst;

    story.passed_on =
        sum_losses(credit_losses, SumBy::holder, [&](const CreditLossRecord& l) { return l.obligor == d.firm; });
    std::stable_sort(story.passed_on.begin(), story.passed_on.end(), [](const CreditLink& a, const CreditLink& b) {
      return a.loss_usd_bn != b.loss_usd_bn ? a.loss_usd_bn > b.loss_usd_bn : a.holder < b.holder;
    });
    for (const CreditLink& c : story.passed_on) story.passed_on_usd_bn += c.loss_usd_bn;
    stories.push_back(std::move(story));
  }
  return stories;
}

}  // namespace cascade::report
