// Phase 7 of a tick: who defaults, why, and how its estate is shared out.
//
// A firm defaults when it still has arrears after the funding phase (liquidity), when a
// force_default shock hits it (forced), or, with parameters.solvency_default, when its book
// equity is below zero (solvency). With the default_resolution channel on, a defaulted firm
// is resolved at once: its non-cash assets are sold to outside buyers at the liquidation
// fractions, the cash is paid to its creditors by seniority class (secured, senior,
// subordinated, then equity holders), pro rata within a class, and every contract with it
// ends. Resolution can make creditors insolvent, so detection repeats until no firm defaults.
#include <algorithm>
#include <array>
#include <cmath>
#include <cstdio>
#include <string>
#include <string_view>
#include <utility>

#include "engine/sim/phases.h"

namespace cascade::sim {
namespace {

/// A sentence written into a fixed buffer with printf formats: building it allocates nothing;
/// only the copy into the event's string does. Text past the buffer is cut.
class Sentence {
 public:
  template <typename... Args>
  void append(const char* format, Args... args) {
    if (used_ + 1 >= sizeof(text_)) return;
    const int written = std::snprintf(text_ + used_, sizeof(text_) - used_, format, args...);
    if (written > 0) used_ = std::min(sizeof(text_) - 1, used_ + static_cast<std::size_t>(written));
  }
  std::string str() const { return std::string(text_, used_); }

 private:
  char text_[1024] = {};
  std::size_t used_ = 0;
};

/// The channel whose cumulative loss alone exceeds the shortfall ("but for" this loss the firm
/// would not have fallen short); the largest such channel, else the firm's own operations.
DefaultChannel attribute(const ChannelLosses& l, double shortfall_usd_bn) {
  DefaultChannel best = DefaultChannel::own_operations;
  double best_loss = 0.0;
  for (std::size_t c = 1; c < kDefaultChannelCount; ++c)
    if (l.usd_bn[c] > best_loss) {
      best_loss = l.usd_bn[c];
      best = static_cast<DefaultChannel>(c);
    }
  return best_loss > 0.0 && best_loss >= shortfall_usd_bn ? best : DefaultChannel::own_operations;
}

/// One sentence for people; amounts with two decimals in fixed notation ("%.2f").
std::string describe(const DefaultEvent& ev, const FirmState& s, const ChannelLosses& losses, const FirmFlows& flows,
                     bool ran_out_of_runway) {
  Sentence out;
  switch (ev.kind) {
    case DefaultKind::liquidity:
      if (ran_out_of_runway)
        out.append("ran out of runway: cash below its minimum liquidity for %d ticks while losing money (%.2f short)",
                   static_cast<int>(s.ticks_below_minimum_liquidity), ev.shortfall_usd_bn);
      else
        out.append("could not pay %.2f of obligations after raising %.2f", ev.shortfall_usd_bn, flows.funding_usd_bn);
      break;
    case DefaultKind::solvency:
      out.append("book equity fell to %.2f", -ev.shortfall_usd_bn);
      break;
    case DefaultKind::forced:
      out.append("forced by a scenario shock");
      break;
    case DefaultKind::breach:
      out.append("withheld %.2f of binding payments past the cure period (breach)", ev.shortfall_usd_bn);
      break;
  }
  if (flows.refused_rollover_usd_bn > 0.0) out.append("; lenders refused to roll %.2f", flows.refused_rollover_usd_bn);
  if (s.equity_denied_usd_bn >= 0.005)
    out.append("; equity window shut (%.2f could not be raised)", s.equity_denied_usd_bn);
  out.append("; losses so far: ");
  bool listed = false;
  for (std::size_t c = 1; c < kDefaultChannelCount; ++c) {
    if (std::abs(losses.usd_bn[c]) < 0.005) continue;
    const std::string_view name = to_string(static_cast<DefaultChannel>(c));
    out.append("%s%.*s %.2f", listed ? ", " : "", static_cast<int>(name.size()), name.data(), losses.usd_bn[c]);
    listed = true;
  }
  if (!listed) out.append("none");
  return out.str();
}

using Claim = EstateClaim;

/// Sells the defaulted firm's non-cash assets to outside buyers; claims it held on other firms
/// become those firms' external debt.
void liquidate(SimState& state, FirmIdx d) {
  const Model& m = state.model();
  const ModelParameters& p = m.params;
  FirmState& s = state.firms[d];
  auto sell = [&](double book, double value, double fraction) {
    if (book <= 0.0) return;
    state.external_in(d, std::max(0.0, value) * fraction);
    state.ledger.assets_sold_out_usd_bn += book;
  };
  // Hardware goes at the liquidation fraction of what it is worth (GPUs at the GPU price with
  // the fire_sale channel); the GPUs sold move the GPU price at the end of the phase.
  const SimState::HardwareSlice hardware = state.remove_hardware(d, s.hardware_usd_bn);
  state.market.gpu_sold_market_value_usd_bn += hardware.gpu_market_usd_bn;
  sell(hardware.book_usd_bn, hardware.value_usd_bn, p.liquidation_hardware_fraction);
  sell(s.other_assets_usd_bn, s.other_assets_usd_bn, p.liquidation_other_fraction);
  s.other_assets_usd_bn = 0.0;
  // Unfinished builds go for what a stranded build salvages, at the liquidation fraction.
  sell(s.construction_usd_bn, s.construction_usd_bn * p.stranded_salvage_fraction, p.liquidation_hardware_fraction);
  s.construction_usd_bn = 0.0;
  s.builds.clear();

  for (ExposureIdx idx : state.network().held_by(d)) {
    const ExposureSpec& spec = m.exposures[idx];
    const ExposureBook& book = state.books[idx];
    if (!book.active) continue;
    if (carries_value(spec)) sell(book.value_usd_bn, book.value_usd_bn, p.liquidation_securities_fraction);
    if (carries_principal(spec) && book.principal_usd_bn > 0.0) {
      const double claim_book = state.claim_book_usd_bn(idx);
      sell(claim_book, claim_book, p.liquidation_securities_fraction);
      // The outside buyer holds the claim as ordinary external debt (overdue principal is
      // rolled into it); unpaid interest stays due.
      FirmState& obligor = state.firms[spec.to];
      obligor.external_debt_usd_bn += book.principal_usd_bn;
      obligor.external_arrears_usd_bn += state.exposures[idx].arrears_usd_bn;
      obligor.external_interest_arrears_usd_bn += state.exposures[idx].arrears_usd_bn;
    }
    state.end_exposure(idx);  // held claims sold; contracts it supplied end
  }
}

/// Replaces `out` with the claims on d's estate.
void claims_on(const SimState& state, FirmIdx d, std::vector<Claim>& out) {
  const Model& m = state.model();
  const FirmState& s = state.firms[d];
  out.clear();
  for (ExposureIdx idx : state.network().owed_by(d)) {
    const ExposureSpec& spec = m.exposures[idx];
    const ExposureState& e = state.exposures[idx];
    const ExposureBook& book = state.books[idx];
    if (!book.active) continue;
    if (carries_principal(spec)) {
      out.push_back({spec.from, idx, spec.seniority, book.principal_usd_bn + e.arrears_usd_bn, 0.0,
                     e.arrears_usd_bn + e.principal_overdue_usd_bn, book.markdown_usd_bn});
    } else if (is_contract_stream(spec.kind)) {
      const double rejected = std::min(e.remaining_usd_bn * spec.take_or_pay_fraction,
                                       m.params.contract_claim_years * e.annual_usd_bn);
      out.push_back({spec.from, idx, spec.seniority, rejected + e.arrears_usd_bn, 0.0, e.arrears_usd_bn, 0.0});
    } else if (carries_value(spec) && book.value_usd_bn > 0.0) {
      out.push_back({spec.from, idx, Seniority::equity, book.value_usd_bn, book.value_usd_bn, 0.0, 0.0});
    }
  }
  // What d owes as the exposed party: unpaid vendor-financing tranches and guarantee payouts.
  for (ExposureIdx idx : state.network().held_by(d)) {
    const ExposureSpec& spec = m.exposures[idx];
    const ExposureState& e = state.exposures[idx];
    if (e.tranche_arrears_usd_bn > 0.0)
      out.push_back({spec.to, idx, spec.seniority, e.tranche_arrears_usd_bn, 0.0, e.tranche_arrears_usd_bn, 0.0});
    if (e.guarantee_arrears_usd_bn > 0.0 && spec.beneficiary)
      out.push_back({*spec.beneficiary, idx, spec.seniority, e.guarantee_arrears_usd_bn, 0.0, e.guarantee_arrears_usd_bn, 0.0});
  }
  const double external = s.external_debt_usd_bn + s.external_arrears_usd_bn + s.lease_liabilities_usd_bn +
                          s.other_liabilities_usd_bn;
  if (external > 0.0) out.push_back({kExternalCreditor, 0, Seniority::senior, external, 0.0, 0.0, 0.0});
}

/// Guarantees on d pay its beneficiaries' losses on d, up to their caps (guarantees channel).
/// The guarantor pays from cash now; what it cannot pay it owes as arrears.
void call_guarantees(SimState& state, FirmIdx d, std::vector<CreditLoss>& losses, std::size_t first_loss) {
  const Model& m = state.model();
  for (ExposureIdx g : state.network().owed_by(d)) {
    const ExposureSpec& spec = m.exposures[g];
    ExposureBook& book = state.books[g];
    if (spec.kind != ExposureKind::guarantee || !book.active || !spec.beneficiary) continue;
    book.active = false;  // the guaranteed party is gone: the guarantee is called once
    const FirmIdx guarantor = spec.from, beneficiary = *spec.beneficiary;
    if (state.defaulted[guarantor]) continue;
    double beneficiary_loss = 0.0;
    for (std::size_t k = first_loss; k < losses.size(); ++k)
      if (losses[k].holder == beneficiary) beneficiary_loss += losses[k].loss_usd_bn();
    const double payout = std::min(spec.effective_amount_usd_bn, beneficiary_loss);
    if (payout <= 0.0) continue;
    const double now = std::min(payout, std::max(0.0, state.firms[guarantor].cash_usd_bn));
    state.transfer(guarantor, beneficiary, now);
    state.exposures[g].guarantee_arrears_usd_bn = payout - now;
    state.losses[beneficiary][DefaultChannel::payment_clearing] += payout - now;
    // The beneficiary's losses on d shrink by the payout (pro rata over its claims); the
    // guarantor takes it as a loss of its own.
    for (std::size_t k = first_loss; k < losses.size(); ++k)
      if (losses[k].holder == beneficiary) losses[k].recovered_usd_bn += payout * losses[k].loss_usd_bn() / beneficiary_loss;
    state.losses[beneficiary][DefaultChannel::default_resolution] -= payout;
    state.losses[guarantor][DefaultChannel::guarantees] += payout;
    losses.push_back({.tick = state.tick,
                      .holder = guarantor,
                      .obligor = d,
                      .exposure = g,
                      .kind = ExposureKind::guarantee,
                      .claim_usd_bn = payout,
                      .recovered_usd_bn = 0.0});
  }
}

/// Resolves d; returns what its creditors outside the network were left unpaid.
double resolve(SimState& state, FirmIdx d, std::vector<CreditLoss>& losses) {
  const Model& m = state.model();
  std::vector<Claim>& claims = state.scratch.claims;
  claims_on(state, d, claims);  // before liquidation resets what d holds
  liquidate(state, d);
  FirmState& s = state.firms[d];

  std::vector<double>& recovered = state.scratch.recovered_usd_bn;
  recovered.assign(claims.size(), 0.0);
  for (std::size_t cls = 0; cls < kSeniorityCount; ++cls) {
    double total = 0.0;
    for (const Claim& c : claims)
      if (static_cast<std::size_t>(c.seniority) == cls) total += c.amount_usd_bn;
    const double cash = std::max(0.0, s.cash_usd_bn);
    if (total <= 0.0 || cash <= 0.0) continue;
    const double ratio = std::min(1.0, cash / total);
    for (std::size_t k = 0; k < claims.size(); ++k) {
      const Claim& c = claims[k];
      if (static_cast<std::size_t>(c.seniority) != cls) continue;
      recovered[k] = c.amount_usd_bn * ratio;
      if (c.holder == kExternalCreditor) state.external_out(d, recovered[k]);
      else state.transfer(d, c.holder, recovered[k]);
    }
  }
  // What is left after every claim belongs to outside shareholders.
  if (s.cash_usd_bn > 0.0) state.external_out(d, s.cash_usd_bn);

  // Room for d's credit losses (one per claim, one per guarantee on d), grown geometrically:
  // at most one allocation per resolved firm, none once the run's list is large enough.
  const std::size_t needed = losses.size() + claims.size() + state.network().owed_by(d).size();
  if (losses.capacity() < needed) losses.reserve(std::max(needed, 2 * losses.capacity()));
  double external_unpaid_usd_bn = 0.0;
  const std::size_t first_loss = losses.size();
  for (std::size_t k = 0; k < claims.size(); ++k) {
    const Claim& c = claims[k];
    if (c.holder == kExternalCreditor) {
      external_unpaid_usd_bn += c.amount_usd_bn - recovered[k];
      continue;
    }
    const ExposureSpec& spec = m.exposures[c.exposure];
    losses.push_back({.tick = state.tick,
                      .holder = c.holder,
                      .obligor = d,
                      .exposure = c.exposure,
                      .kind = spec.kind,
                      .claim_usd_bn = c.amount_usd_bn,
                      .recovered_usd_bn = recovered[k]});
    // The claim's arrears stop being "unpaid receipts", and its markdown was already taken
    // through the debtrank channel: the rest of the loss is the resolution's.
    ChannelLosses& holder_losses = state.losses[c.holder];
    holder_losses[DefaultChannel::payment_clearing] -= c.unpaid_usd_bn;
    holder_losses[DefaultChannel::default_resolution] += c.amount_usd_bn - recovered[k] - c.markdown_usd_bn;
    // Booked effects: stakes in d are written off; a marked-down claim leaves the holder's books
    // at principal - markdown while d's liability was the full principal.
    state.ledger.resolution_usd_bn += c.markdown_usd_bn - c.booked_value_usd_bn;
  }
  // d's booked external liabilities are extinguished (its network debt goes with the
  // holders' claims, which nets out); every contract with d ends.
  state.ledger.resolution_usd_bn +=
      s.external_debt_usd_bn + s.lease_liabilities_usd_bn + s.other_liabilities_usd_bn + s.investor_capital_usd_bn;
  s.external_debt_usd_bn = s.lease_liabilities_usd_bn = s.other_liabilities_usd_bn = s.external_arrears_usd_bn = 0.0;
  s.external_interest_arrears_usd_bn = 0.0;
  s.investor_capital_usd_bn = 0.0;
  s.cash_usd_bn = 0.0;
  for (ExposureIdx idx : state.network().owed_by(d))
    if (m.exposures[idx].kind != ExposureKind::guarantee) state.end_exposure(idx);
  if (m.channels.guarantees) call_guarantees(state, d, losses, first_loss);
  for (ExposureIdx idx : state.network().owed_by(d)) state.books[idx].active = false;
  return external_unpaid_usd_bn;
}

}  // namespace

void resolve_defaults(SimState& state, const TickInputs& in, std::vector<DefaultEvent>& defaults,
                      std::vector<CreditLoss>& losses) {
  const Model& m = state.model();
  const std::size_t n = m.firms.size();
  // Each round finds the new defaults given the state left by the previous round's
  // resolutions; only solvency defaults can appear after the first round.
  for (std::size_t round = 0; round <= n; ++round) {
    std::vector<DefaultEvent>& found = state.scratch.found_defaults;  // resolve() does not touch it
    found.clear();
    // The state is read only until resolve(): every firm's figures are taken at once.
    std::vector<double>& arrears = state.scratch.arrears_by_firm_usd_bn;
    std::vector<double>& withheld_by_firm = state.scratch.withheld_by_firm_usd_bn;
    arrears_of_every_firm(state, arrears, withheld_by_firm);
    std::vector<double>& performing_marks = state.scratch.performing_marks_usd_bn;
    performing_marks_of_every_firm(state, arrears, performing_marks);
    std::vector<SimState::BalanceSheet>& sheets = state.scratch.balance_sheets;
    state.balance_sheets(sheets);
    for (FirmIdx f = 0; f < n; ++f) {
      const FirmState& s = state.firms[f];
      if (state.defaulted[f]) continue;
      DefaultEvent ev;
      ev.firm = f;
      ev.tick = state.tick;
      bool runway = false;
      const double withheld = withheld_by_firm[f];
      const double owed = arrears[f] - withheld;
      // Book equity for the solvency test: a fund's investor capital absorbs losses first, and
      // marks on performing claims do not count (phase 7).
      const double equity = sheets[f].equity_usd_bn() + s.investor_capital_usd_bn + performing_marks[f];
      if (round == 0 && in.forced_default[f]) {
        ev.kind = DefaultKind::forced;
        ev.channel = DefaultChannel::shock;
      } else if (withheld > 0.0 && state.tick - s.breach_tick >= m.params.breach_cure_ticks) {
        // It withheld binding payments and did not cure within the cure period: in breach, its
        // counterparties terminate and claim, and its other debt is accelerated (cross-default).
        ev.kind = DefaultKind::breach;
        ev.shortfall_usd_bn = withheld;
        ev.channel = DefaultChannel::shock;
      } else if (owed > 1e-9 * std::max(1.0, state.flows[f].due_usd_bn) ||
                 (round == 0 && s.ticks_below_minimum_liquidity >= m.params.liquidity_grace_ticks)) {
        ev.kind = DefaultKind::liquidity;
        // Unpaid obligations, or, for a firm that ran out of runway, the cash its minimum needs.
        const double runway_gap = std::max(0.0, m.firms[f].params.minimum_liquidity_months * m.params.ticks_per_year /
                                                        12.0 * (s.committed_outgoings_usd_bn_per_tick - s.revenue_usd_bn_per_tick) -
                                                    s.cash_usd_bn);
        runway = owed <= 1e-9 * std::max(1.0, state.flows[f].due_usd_bn);
        ev.shortfall_usd_bn = runway ? runway_gap : owed;
        // Only a loss that cost cash can be why cash fell short: marks on claims (debtrank) and
        // on stakes (equity_market) and stranded builds (capacity, paid for earlier) cannot. Funding
        // denied this tick counts as a loss of the channel that denied it: maturing loans its
        // lenders refused to roll (funding), equity it could not raise because the window was
        // shut (equity_market).
        ChannelLosses cash_losses = state.losses[f];
        for (const DefaultChannel c :
             {DefaultChannel::debtrank, DefaultChannel::equity_market, DefaultChannel::capacity})
          cash_losses[c] = 0.0;
        cash_losses[DefaultChannel::funding] += state.flows[f].refused_rollover_usd_bn;
        cash_losses[DefaultChannel::equity_market] += s.equity_denied_usd_bn;
        ev.channel = attribute(cash_losses, ev.shortfall_usd_bn);
      } else if (m.params.solvency_default && equity < -1e-9 * std::max(1.0, sheets[f].assets_usd_bn)) {
        ev.kind = DefaultKind::solvency;
        ev.shortfall_usd_bn = -equity;
        ev.channel = attribute(state.losses[f], -equity);
      } else {
        continue;
      }
      ev.detail = describe(ev, s, state.losses[f], state.flows[f], runway);
      found.push_back(std::move(ev));
    }
    if (found.empty()) return;
    for (DefaultEvent& ev : found) {
      state.defaulted[ev.firm] = true;
      state.firms[ev.firm].default_tick = state.tick;
      if (m.channels.default_resolution) ev.external_creditor_loss_usd_bn = resolve(state, ev.firm, losses);
      defaults.push_back(std::move(ev));
    }
    if (!m.channels.default_resolution) return;  // nothing changes for the others without resolution
  }
}

}  // namespace cascade::sim
