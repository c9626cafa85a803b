// The money-flow graph: which way money moves on each exposure, and how much per year.
//
// Circular financing is a cycle of *money*, not of exposure edges. An exposure edge runs from
// the exposed party to the obligor (model.h); money runs along it for financing and against it
// for trade:
//
//   financing  loan, bond, collateralised_loan, credit_line,     exposed -> obligor
//              equity_stake, warrant, vendor_financing, guarantee (lender -> borrower, investor -> investee)
//   commercial purchase_commitment, lease, revenue_share          obligor -> exposed
//                                                                (buyer -> supplier, lessee -> lessor)
//
// so Nvidia's vendor financing of OpenAI (nvidia -> openai) and OpenAI's chip purchases
// (openai -> nvidia) make the loop L1. Each arc carries a per-year amount (docs/circular-financing.md
// says why): streams and vendor financing their `annual_usd_bn`; debt its principal spread over its
// term; stakes, warrants and guarantees their value spread over `spread_years` (or their term).
//
//   MoneyFlowGraph g = build_money_flow(model);                  // every exposure, any status
//   MoneyFlowGraph b = build_money_flow(model, {.enforced_only = true});
//   for (const MoneyArc& a : g.arcs) { /* a.payer pays a.payee a.usd_bn per year */ }
//
// A plain CSV network (engine/network/plain_network.h) becomes a graph of loans creditor ->
// debtor whose arcs carry the nominal amount (the format has no terms): `basis` says which.
//
// Plain data; thread safety as for any value type.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "engine/core/types.h"

namespace cascade {
struct Model;
struct PlainNetwork;
struct ExposureSpec;
}  // namespace cascade

namespace cascade::analysis {

/// Which way money moves on an exposure of a kind.
enum class MoneyDirection : std::uint8_t {
  to_obligor,  ///< financing: lender, investor, guarantor -> borrower, investee, guaranteed party
  to_exposed,  ///< commercial: buyer, lessee, revenue-share payer -> supplier, lessor
};

MoneyDirection money_direction(ExposureKind kind);
/// True for purchase commitments, leases and revenue shares: the payee is paid for goods or services.
constexpr bool is_commercial(ExposureKind kind) { return is_contract_stream(kind); }

/// What an arc's amount measures.
enum class FlowBasis : std::uint8_t {
  usd_bn_per_year,  ///< scenarios: money per year (see money_flow.h header)
  nominal,          ///< plain networks: the nominal liability, in the network's unit
};
std::string_view to_string(FlowBasis basis);

struct MoneyFlowOptions {
  /// Keep only exposures whose status the model enforces (`parameters.enforced_statuses`);
  /// default: every exposure, whatever its status (letters of intent are the circular deals).
  bool enforced_only = false;
  /// Years over which a stock without a term is spread into a per-year flow: equity stakes,
  /// warrants and guarantees without `term_years`, and debt without maturity.
  double spread_years = 5.0;
};

/// Default of MoneyFlowOptions::spread_years: the AI-2026 horizon, and a typical holding or
/// vesting period (docs/circular-financing.md).
inline constexpr double kDefaultSpreadYears = 5.0;

/// Money per year that `e` moves from payer to payee (>= 0): streams and vendor financing
/// `annual_usd_bn`; debt effective principal / term (or / spread_years without maturity);
/// stakes, warrants and guarantees effective value / term (or / spread_years). Uses the
/// derived fields (effective amount after overlaps, annual), so the model must be validated.
double money_per_year_usd_bn(const ExposureSpec& e, double spread_years);

/// One exposure as money moving between two firms.
struct MoneyArc {
  FirmIdx payer = 0;  ///< money leaves this firm
  FirmIdx payee = 0;  ///< and arrives here
  double usd_bn = 0.0;  ///< per year, or nominal (MoneyFlowGraph::basis); >= 0
  ExposureKind kind = ExposureKind::loan;
  ExposureStatus status = ExposureStatus::outstanding;
  bool enforced = true;             ///< status enforced by the model (creates cash flows in a run)
  std::optional<ExposureIdx> exposure;  ///< index in Model::exposures (absent for plain networks)
  std::string exposure_id;          ///< scenario id, or "edge<k>" (1-based file order) for plain networks

  bool commercial() const { return is_commercial(kind); }
};

/// What the analysis needs to know about a firm (tick-0 book figures, USD bn).
struct MoneyFlowFirm {
  std::string id;
  std::string name;
  std::optional<FirmType> type;  ///< absent for plain-network nodes
  /// Revenue from outside the network per year (scenarios: FirmSpec::external_revenue...; plain: 0).
  double external_revenue_usd_bn = 0.0;
  /// Funding from outside the network per year: external debt spread like network debt.
  double outside_funding_usd_bn = 0.0;
  double assets_usd_bn = 0.0;  ///< book assets at tick 0
  double equity_usd_bn = 0.0;  ///< book equity at tick 0
  double hardware_usd_bn = 0.0;

  /// Book equity / assets: the share of its assets a firm can lose before insolvency; 0 when
  /// it has no assets.
  double equity_cushion() const { return assets_usd_bn > 0.0 ? equity_usd_bn / assets_usd_bn : 0.0; }
};

struct MoneyFlowGraph {
  FlowBasis basis = FlowBasis::usd_bn_per_year;
  std::vector<MoneyFlowFirm> firms;  ///< in model (or nodes.csv) order; FirmIdx indexes it
  std::vector<MoneyArc> arcs;        ///< in exposure (or edges.csv) order
  bool enforced_only = false;        ///< the filter it was built with
};

/// Every exposure of a validated model as a money arc (only enforced ones with
/// `options.enforced_only`). Throws InternalError for a non-positive spread_years.
MoneyFlowGraph build_money_flow(const Model& model, const MoneyFlowOptions& options = {});

/// A plain network: each edge a loan, money creditor -> debtor, nominal amount. Book figures:
/// assets = external assets + interbank assets, equity = assets - all liabilities.
MoneyFlowGraph build_money_flow(const PlainNetwork& network);

}  // namespace cascade::analysis
