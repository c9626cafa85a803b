#include "engine/analysis/money_flow.h"

#include <algorithm>
#include <cmath>
#include <string>
#include <unordered_map>

#include "engine/core/diagnostics.h"
#include "engine/model/model.h"
#include "engine/network/plain_network.h"

namespace cascade::analysis {

MoneyDirection money_direction(ExposureKind kind) {
  switch (kind) {
    case ExposureKind::purchase_commitment:
    case ExposureKind::lease:
    case ExposureKind::revenue_share:
      return MoneyDirection::to_exposed;
    case ExposureKind::loan:
    case ExposureKind::bond:
    case ExposureKind::collateralised_loan:
    case ExposureKind::credit_line:
    case ExposureKind::equity_stake:
    case ExposureKind::warrant:
    case ExposureKind::guarantee:
    case ExposureKind::vendor_financing:
      return MoneyDirection::to_obligor;
  }
  throw InternalError("money_direction: unknown exposure kind " + std::to_string(static_cast<int>(kind)));
}

std::string_view to_string(FlowBasis basis) {
  return basis == FlowBasis::usd_bn_per_year ? "usd_bn_per_year" : "nominal";
}

double money_per_year_usd_bn(const ExposureSpec& e, double spread_years) {
  CASCADE_ASSERT(spread_years > 0.0 && std::isfinite(spread_years), "spread_years must be positive");
  if (is_contract_stream(e.kind) || e.kind == ExposureKind::vendor_financing) return std::max(0.0, e.annual_usd_bn);
  // Debt, securities and guarantees: a stock spread over the years it is committed for.
  const double years = e.term_years > 0.0 ? e.term_years : spread_years;
  return std::max(0.0, e.effective_amount_usd_bn) / years;
}

MoneyFlowGraph build_money_flow(const Model& model, const MoneyFlowOptions& options) {
  CASCADE_ASSERT(options.spread_years > 0.0 && std::isfinite(options.spread_years), "spread_years must be positive");
  MoneyFlowGraph g;
  g.basis = FlowBasis::usd_bn_per_year;
  g.enforced_only = options.enforced_only;
  g.firms.reserve(model.firms.size());
  for (const FirmSpec& f : model.firms) {
    MoneyFlowFirm m;
    m.id = f.id;
    m.name = f.name;
    m.type = f.type;
    m.external_revenue_usd_bn = f.external_revenue_usd_bn_per_year;
    m.outside_funding_usd_bn = f.external_debt_usd_bn / options.spread_years;
    m.assets_usd_bn = f.cash_usd_bn + f.hardware_usd_bn + f.other_assets_usd_bn;
    // With reported equity, other liabilities close the balance sheet; without, they are 0.
    m.equity_usd_bn = m.assets_usd_bn - f.debt_usd_bn - f.lease_liabilities_usd_bn - f.other_liabilities_usd_bn;
    m.hardware_usd_bn = f.hardware_usd_bn;
    g.firms.push_back(std::move(m));
  }
  for (ExposureIdx i = 0; i < model.exposures.size(); ++i) {
    const ExposureSpec& e = model.exposures[i];
    const bool enforced = model.enforced(e.status);
    if (options.enforced_only && !enforced) continue;
    CASCADE_ASSERT(e.from < model.firms.size() && e.to < model.firms.size(), "exposure names a firm outside the model");
    MoneyArc a;
    const bool to_obligor = money_direction(e.kind) == MoneyDirection::to_obligor;
    a.payer = to_obligor ? e.from : e.to;
    a.payee = to_obligor ? e.to : e.from;
    a.usd_bn = money_per_year_usd_bn(e, options.spread_years);
    a.kind = e.kind;
    a.status = e.status;
    a.enforced = enforced;
    a.exposure = i;
    a.exposure_id = e.id;
    g.arcs.push_back(std::move(a));
  }
  return g;
}

MoneyFlowGraph build_money_flow(const PlainNetwork& network) {
  MoneyFlowGraph g;
  g.basis = FlowBasis::nominal;
  std::unordered_map<std::string, FirmIdx> index;
  for (const PlainNetwork::Node& node : network.nodes) {
    index.emplace(node.id, static_cast<FirmIdx>(g.firms.size()));
    MoneyFlowFirm m;
    m.id = node.id;
    m.name = node.id;
    m.assets_usd_bn = node.external_assets;
    m.equity_usd_bn = node.external_assets - node.external_liabilities;
    g.firms.push_back(std::move(m));
  }
  const auto find = [&](const std::string& id) {
    const auto it = index.find(id);
    CASCADE_ASSERT(it != index.end(), "plain network edge names an unknown node (the reader checks this)");
    return it->second;
  };
  for (std::size_t k = 0; k < network.edges.size(); ++k) {
    const PlainNetwork::Edge& edge = network.edges[k];
    MoneyArc a;
    a.payer = find(edge.creditor);
    a.payee = find(edge.debtor);
    a.usd_bn = edge.amount;
    a.kind = ExposureKind::loan;
    a.exposure_id = "edge" + std::to_string(k + 1);
    g.firms[a.payer].assets_usd_bn += edge.amount;
    g.firms[a.payer].equity_usd_bn += edge.amount;
    g.firms[a.payee].equity_usd_bn -= edge.amount;
    g.arcs.push_back(std::move(a));
  }
  return g;
}

}  // namespace cascade::analysis
