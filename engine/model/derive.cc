#include "engine/model/derive.h"

#include <cmath>
#include <sstream>
#include <string>
#include <vector>

namespace cascade {
namespace {

std::string exposure_path(const Model& m, ExposureIdx e) { return "exposures[" + std::to_string(e) + "] (" + m.exposures[e].id + ")"; }
std::string firm_path(FirmIdx f, const char* field) { return "firms[" + std::to_string(f) + "]." + field; }

bool is_held_security(const ExposureSpec& e, const Model& m) {
  return is_security(e.kind) && (m.enforced(e.status) || e.status == ExposureStatus::settled);
}
bool is_enforced_debt(const ExposureSpec& e, const Model& m) {
  if (!m.enforced(e.status)) return false;
  // Credit lines are undrawn at tick 0; vendor financing is promised funding paid in tranches.
  return is_debt(e.kind) && e.kind != ExposureKind::credit_line;
}

/// Sum with the ids of the contributing exposures, for warnings that name them.
struct Contribution {
  double total_usd_bn = 0.0;
  std::vector<std::string> ids;
  void add(double v, const std::string& id) {
    if (v <= 0.0) return;
    total_usd_bn += v;
    ids.push_back(id);
  }
  std::string names() const {
    std::string out;
    for (const auto& id : ids) out += (out.empty() ? "" : ", ") + id;
    return out;
  }
};

/// reported - carried, floored at 0 with a warning naming the exposures that carry more.
double remainder(double reported, const Contribution& carried, const FirmSpec& firm, FirmIdx f, const char* field,
                 const char* what, Diagnostics& diags) {
  const double rest = reported - carried.total_usd_bn;
  if (rest >= -1e-12 * std::max(1.0, reported)) return std::max(0.0, rest);
  diags.warning(firm.where, firm_path(f, field),
                std::string(what) + " of " + format_quantity(carried.total_usd_bn) + " carried by exposures " + carried.names() +
                    " exceed the reported " + format_quantity(reported) + "; the external remainder is set to 0");
  return 0.0;
}

void derive_exposure(Model& m, ExposureIdx idx, Diagnostics& diags) {
  ExposureSpec& e = m.exposures[idx];
  // Overlaps: this exposure carries only what the listed ones do not already carry.
  double overlapped = 0.0;
  for (ExposureIdx o : e.overlaps) overlapped += m.exposures[o].amount_usd_bn;
  e.effective_amount_usd_bn = e.amount_usd_bn - overlapped;
  if (e.effective_amount_usd_bn < 0.0) {
    diags.warning(e.where, exposure_path(m, idx) + ".overlaps",
                  "the overlapping exposures carry " + format_quantity(overlapped) + ", more than this exposure's amount " +
                      format_quantity(e.amount_usd_bn) + "; its effective amount is set to 0");
    e.effective_amount_usd_bn = 0.0;
  }
  const double scale = e.amount_usd_bn > 0.0 ? e.effective_amount_usd_bn / e.amount_usd_bn : 0.0;

  if (e.kind == ExposureKind::purchase_commitment) {
    const FirmType supplier = m.firms[e.from].type;
    e.purpose = e.purpose_given.value_or(
        supplier == FirmType::chipmaker || supplier == FirmType::memory_maker ? PurchasePurpose::capex
                                                                              : PurchasePurpose::service);
  }
  if (is_debt(e.kind) || e.kind == ExposureKind::vendor_financing)
    e.rate_pct = e.rate_given_pct.value_or(m.params.default_debt_rate_pct);

  const bool paced = is_contract_stream(e.kind) || e.kind == ExposureKind::vendor_financing;
  if (!paced) return;
  if (e.annual_given_usd_bn) {
    e.annual_usd_bn = *e.annual_given_usd_bn * scale;
    if (e.term_years <= 0.0 && e.annual_usd_bn > 0.0) e.term_years = e.effective_amount_usd_bn / e.annual_usd_bn;
  } else if (e.term_years > 0.0) {
    e.annual_usd_bn = e.effective_amount_usd_bn / e.term_years;
  } else {
    e.annual_usd_bn = e.effective_amount_usd_bn;
    e.term_years = 1.0;
    diags.warning(e.where, exposure_path(m, idx),
                  "neither term_years nor annual given: the amount is paid over one year");
  }
}

}  // namespace

void derive_model_quantities(Model& m, Diagnostics& diags) {
  for (ExposureIdx e = 0; e < m.exposures.size(); ++e) derive_exposure(m, e, diags);

  const std::size_t n = m.firms.size();
  std::vector<Contribution> receipts(n), service_payments(n), debt_owed(n), assets_held(n);
  for (const ExposureSpec& e : m.exposures) {
    const bool enforced = m.enforced(e.status);
    const bool active_at_start = e.start_tick <= 1;
    if (enforced && active_at_start && is_contract_stream(e.kind)) {
      receipts[e.from].add(e.annual_usd_bn, e.id);
      // The supplier's reported opex includes the cost of these sales, charged by the engine.
      service_payments[e.from].add(e.annual_usd_bn * m.firms[e.from].params.cost_of_sales_fraction, e.id);
      const bool expensed = e.kind != ExposureKind::purchase_commitment || e.purpose == PurchasePurpose::service;
      if (expensed) service_payments[e.to].add(e.annual_usd_bn, e.id);
    }
    if (is_enforced_debt(e, m)) {
      debt_owed[e.to].add(e.effective_amount_usd_bn, e.id);
      assets_held[e.from].add(e.effective_amount_usd_bn, e.id);
      // A lender's reported revenue is mostly interest: its network interest is carried by the network.
      if (is_lender_type(m.firms[e.from].type) && active_at_start)
        receipts[e.from].add(e.effective_amount_usd_bn * e.rate_pct / 100.0, e.id);
    }
    if (is_held_security(e, m)) assets_held[e.from].add(e.effective_amount_usd_bn, e.id);
  }

  for (FirmIdx f = 0; f < n; ++f) {
    FirmSpec& firm = m.firms[f];
    firm.external_revenue_usd_bn_per_year =
        remainder(firm.revenue_usd_bn_per_year, receipts[f], firm, f, "revenue", "network receipts per year", diags);
    firm.external_opex_usd_bn_per_year = remainder(firm.opex_usd_bn_per_year, service_payments[f], firm, f, "opex",
                                                   "network service and lease payments and cost of network sales per year", diags);
    firm.external_debt_usd_bn = remainder(firm.debt_usd_bn, debt_owed[f], firm, f, "debt", "network debt owed", diags);
    firm.external_other_assets_usd_bn = remainder(firm.other_assets_usd_bn, assets_held[f], firm, f, "other_assets",
                                                  "network claims and stakes held", diags);
    firm.other_liabilities_usd_bn = 0.0;
    if (firm.equity_usd_bn) {
      const double assets = firm.cash_usd_bn + firm.hardware_usd_bn + firm.other_assets_usd_bn;
      const double implied = assets - firm.debt_usd_bn - firm.lease_liabilities_usd_bn - *firm.equity_usd_bn;
      if (implied >= 0.0) {
        firm.other_liabilities_usd_bn = implied;
      } else {
        diags.warning(firm.where, firm_path(f, "equity"),
                      "reported equity " + format_quantity(*firm.equity_usd_bn) + " exceeds assets minus debt and leases (" +
                          format_quantity(assets - firm.debt_usd_bn - firm.lease_liabilities_usd_bn) +
                          "); other liabilities are set to 0 and equity follows from the balance sheet");
      }
    }
  }
}

}  // namespace cascade
