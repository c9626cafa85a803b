#include "scenarios/loader/model_builder.h"

#include <array>
#include <unordered_map>

#include "agents/firm_types.h"
#include "engine/core/limits.h"
#include "engine/network/plain_network.h"
#include "scenarios/loader/settings_reader.h"
#include "scenarios/loader/yaml_reader.h"

namespace cascade::scenario {
namespace {

namespace fs = std::filesystem;

// Money is bounded (engine/core/limits.h) so that no sum over firms and ticks can overflow.
const Range kMoney = Range::between(0.0, kMaxInputAmount);
const Range kPositiveMoney = Range{0.0, kMaxInputAmount, true};
const Range kSignedMoney = Range::between(-kMaxInputAmount, kMaxInputAmount);
const Range kFraction = Range::between(0.0, 1.0);
const Range kRatePct = Range::between(0.0, 100.0);
const Range kYears = Range::between(0.0, 100.0);

/// Above this many candidates, unknown ids get no did-you-mean (it would compare against all).
constexpr std::size_t kMaxSuggestionCandidates = 100'000;

std::string format_location(const SourceLocation& where) {
  std::string out = where.file;
  if (where.line > 0) out += ":" + std::to_string(where.line) + ":" + std::to_string(where.column);
  return out;
}

/// Firm ids are lower_snake_case; other ids use letters, digits, '_' and '-'. Both keep
/// `--set firms.<id>.cash` paths unambiguous.
enum class IdStyle : std::uint8_t { firm, plain };

bool check_id(const YNode& node, const std::string& id, IdStyle style, Diagnostics& diags) {
  bool ok = !id.empty();
  for (std::size_t i = 0; ok && i < id.size(); ++i) {
    const char c = id[i];
    const bool lower = c >= 'a' && c <= 'z', upper = c >= 'A' && c <= 'Z', digit = c >= '0' && c <= '9';
    ok = style == IdStyle::firm ? lower || (i > 0 && (digit || c == '_')) : lower || upper || digit || c == '_' || c == '-';
  }
  if (!ok)
    diags.error(
        node.where, node.path,
        style == IdStyle::firm
            ? "firm ids are lower_snake_case (a-z, 0-9 and '_', starting with a letter), got '" + excerpt(id) + "'"
            : "ids use letters, digits, '_' and '-', got '" + excerpt(id) + "'");
  return ok;
}

/// The ids of one kind of entity, with where each was defined.
class IdRegistry {
 public:
  explicit IdRegistry(std::string noun) : noun_(std::move(noun)) {}

  /// Registers entity `index` under `id`; a duplicate is reported at `where`.
  void add(const std::string& id, std::uint32_t index, const SourceLocation& where, const std::string& path,
           Diagnostics& diags) {
    const auto [it, inserted] = index_.emplace(id, Entry{index, where});
    if (!inserted) {
      const SourceLocation& first = it->second.where;
      // An alias repeats its anchor's value, locations included: the two entries share one.
      const bool aliased = first.file == where.file && first.line == where.line && first.column == where.column;
      diags.error(where, path,
                  "duplicate " + noun_ + " id '" + excerpt(id) + "' " +
                      (aliased ? "(this entry is a YAML alias of the one written here)"
                               : "(first at " + format_location(first) + ")"));
      return;
    }
    ids_.push_back(id);
  }

  std::optional<std::uint32_t> find(const std::string& id) const {
    const auto it = index_.find(id);
    return it == index_.end() ? std::nullopt : std::optional<std::uint32_t>(it->second.index);
  }

  /// Resolves the reference written at `node`; an unknown id is reported with did-you-mean.
  std::optional<std::uint32_t> resolve(const YNode& node, Diagnostics& diags) const {
    if (!node.is_scalar()) {
      read_string(node, diags);  // reports what it is instead
      return std::nullopt;
    }
    const std::string& id = node.text;  // not copied: most references resolve
    if (std::optional<std::uint32_t> found = find(id)) return found;
    // Edit distances cost about |id| x |candidate| each; candidates can be at most a third longer.
    const std::size_t cost = ids_.size() * (id.size() + 1) * (id.size() + id.size() / 3 + 2);
    const bool suggest =
        ids_.size() <= kMaxSuggestionCandidates && diags.listing_errors() && cost <= suggestion_budget_;
    if (suggest) suggestion_budget_ -= cost;
    diags.error(node.where, node.path,
                suggest ? unknown_name_message(noun_, id, ids_) : "unknown " + noun_ + " '" + excerpt(id) + "'");
    return std::nullopt;
  }

 private:
  struct Entry {
    std::uint32_t index;
    SourceLocation where;
  };
  std::string noun_;
  /// Edit-distance cells left for did-you-mean (about a second's worth), then no more.
  mutable std::size_t suggestion_budget_ = 1'000'000'000;
  std::unordered_map<std::string, Entry> index_;
  std::vector<std::string> ids_;  ///< in definition order, for did-you-mean
};

// --- exposure fields that only some kinds take

bool is_paced(ExposureKind k) { return is_contract_stream(k) || k == ExposureKind::vendor_financing; }
bool takes_rate(ExposureKind k) { return is_debt(k) || k == ExposureKind::vendor_financing; }
bool is_purchase(ExposureKind k) { return k == ExposureKind::purchase_commitment; }
bool is_vendor_financing(ExposureKind k) { return k == ExposureKind::vendor_financing; }
bool is_guarantee(ExposureKind k) { return k == ExposureKind::guarantee; }

struct KindRule {
  std::string_view key;
  bool (*applies)(ExposureKind);
  std::string_view kinds;  ///< for the message
};

constexpr std::string_view kDebtKinds = "loan, bond, collateralised_loan and credit_line";
constexpr std::array<KindRule, 13> kKindRules{{
    {"annual", is_paced, "lease, purchase_commitment, revenue_share and vendor_financing"},
    {"rate_pct", takes_rate, "loan, bond, collateralised_loan, credit_line and vendor_financing"},
    {"spread_pct", is_debt, kDebtKinds},
    {"amortisation", is_debt, kDebtKinds},
    {"collateral", is_debt, kDebtKinds},
    {"ltv_max", is_debt, kDebtKinds},
    {"purpose", is_purchase, "purchase_commitment"},
    {"form", is_vendor_financing, "vendor_financing"},
    {"beneficiary", is_guarantee, "guarantee"},
    {"take_or_pay", is_contract_stream, "lease, purchase_commitment and revenue_share"},
    {"share_pct", is_security, "equity_stake and warrant"},
    {"basis", is_security, "equity_stake and warrant"},
    {"value_estimate", is_security, "equity_stake and warrant"},
}};

Seniority default_seniority(ExposureKind k) {
  if (k == ExposureKind::collateralised_loan) return Seniority::secured;
  if (is_security(k)) return Seniority::equity;
  return Seniority::senior;
}

/// The accepted `value` of each shock kind (force_default takes none).
Range shock_value_range(ShockKind k) {
  switch (k) {
    case ShockKind::payment_fraction:
    case ShockKind::hardware_writedown:
    case ShockKind::market_stress: return kFraction;
    case ShockKind::cash_change:
      return kSignedMoney;
    case ShockKind::rate_change:
      return Range::between(-20.0, 50.0);
    case ShockKind::depreciation_life:
      return Range::between(0.1, 100.0);
    default:
      return Range::between(0.0, kMaxInputAmount);  // multipliers: bounded like amounts
  }
}

constexpr std::array<std::string_view, 20> kFirmKeys{
    "id",         "name",      "type",    "cash",       "hardware",       "other_assets", "debt",
    "lease_liabilities", "equity", "market_cap", "valuation", "revenue", "ai_revenue", "ai_capacity_gw",
    "opex",       "capex",     "hardware_life_years", "params", "facts", "note"};

constexpr std::array<std::string_view, 25> kExposureKeys{
    "id",          "kind",       "from",      "to",         "status",  "amount",       "annual",
    "term_years",  "start_tick", "rate_pct",  "spread_pct", "seniority", "amortisation", "purpose",
    "form",        "beneficiary", "collateral", "ltv_max",   "take_or_pay", "share_pct", "basis",
    "value_estimate", "overlaps", "loop",      "note"};

class ModelBuilder {
 public:
  ModelBuilder(const ScenarioDocument& doc, Diagnostics& diags) : doc_(doc), diags_(diags) {}

  BuiltModel build() {
    const SourceLocation main_file{doc_.files.front().name, 0, 0};
    if (const YNode* s = section("scenario"))
      m_.info = read_scenario_info(*s, diags_);
    else
      diags_.error(main_file, "", "missing required key 'scenario' (it needs at least a 'name')");
    for (const YNode& included : doc_.included_scenarios) read_scenario_info(included, diags_);

    if (const YNode* s = section("simulation")) read_simulation(*s, m_.params, diags_);
    if (const YNode* s = section("parameters")) read_parameters(*s, m_.params, diags_);
    if (const YNode* s = section("channels")) read_channels(*s, m_.channels, diags_);
    if (const YNode* s = section("agent_defaults")) type_params_ = read_agent_defaults(*s, diags_);

    for_each_item("firms", &ModelBuilder::read_firm);
    for_each_item("networks", &ModelBuilder::read_network);
    for_each_item("exposures", &ModelBuilder::read_exposure);
    for (ExposureSpec& e : network_exposures_) add_exposure(std::move(e), "id");
    resolve_overlaps();
    for_each_item("shocks", &ModelBuilder::read_shock);
    for (ShockSpec& s : network_shocks_) add_shock(std::move(s), "id");
    for_each_item("loops", &ModelBuilder::read_loop);
    resolve_loop_tags();
    for_each_item("projects", &ModelBuilder::read_project);
    if (const YNode* s = section("facts")) m_.facts = read_recorded_facts(*s, diags_);

    if (m_.firms.empty()) diags_.error(main_file, "", "a scenario needs at least one firm (in 'firms' or 'networks')");
    return std::move(out_);
  }

 private:
  const YNode* section(std::string_view key) const { return doc_.root.find(key); }

  void for_each_item(std::string_view key, void (ModelBuilder::*read)(const YNode&)) {
    if (const YNode* list = section(key))
      for (const YNode& item : list->items) (this->*read)(item);
  }

  AgentParams effective_params(FirmType type, const ParamOverrides& own) const {
    AgentParams p = agents::defaults_for(type);
    apply_param_overrides(type_params_[static_cast<std::size_t>(type)], p);
    apply_param_overrides(own, p);
    return p;
  }

  // --- firms

  void read_firm(const YNode& node) {
    const MapReader r(node, kFirmKeys, diags_);
    if (!r.is_mapping()) return;
    FirmSpec f;
    f.where = node.where;
    const bool id_ok = r.string("id", f.id, Need::required) && check_id(*r.get("id"), f.id, IdStyle::firm, diags_);
    if (!r.string("name", f.name)) f.name = f.id;
    r.choice("type", "firm type", parse_firm_type, std::span(firm_types_), f.type, Need::required);
    r.figure("cash", kMoney, f.cash_usd_bn, f.sources);
    r.figure("hardware", kMoney, f.hardware_usd_bn, f.sources);
    r.figure("other_assets", kMoney, f.other_assets_usd_bn, f.sources);
    r.figure("debt", kMoney, f.debt_usd_bn, f.sources);
    r.figure("lease_liabilities", kMoney, f.lease_liabilities_usd_bn, f.sources);
    double equity_usd_bn = 0.0;
    if (r.figure("equity", kSignedMoney, equity_usd_bn, f.sources)) f.equity_usd_bn = equity_usd_bn;
    if (r.figure("market_cap", kMoney, f.market_cap_usd_bn, f.sources)) f.listed = f.market_cap_usd_bn > 0.0;
    r.figure("valuation", kMoney, f.valuation_usd_bn, f.sources);
    if (f.listed && f.valuation_usd_bn > 0.0)
      diags_.error(r.get("valuation")->where, r.get("valuation")->path,
                   "a listed firm (market_cap > 0) is valued by the market: give market_cap or valuation, not both");
    r.figure("revenue", kMoney, f.revenue_usd_bn_per_year, f.sources);
    r.figure("ai_revenue", kMoney, f.ai_revenue_usd_bn_per_year, f.sources);
    r.figure("ai_capacity_gw", kMoney, f.ai_capacity_gw, f.sources);
    r.figure("opex", kMoney, f.opex_usd_bn_per_year, f.sources);
    r.figure("capex", kMoney, f.capex_usd_bn_per_year, f.sources);
    r.figure("hardware_life_years", Range{0.0, 100.0, true}, f.hardware_useful_life_years, f.sources);
    ParamOverrides own;
    if (const YNode* params = r.get("params")) own = read_param_overrides(*params, diags_);
    if (const YNode* facts = r.get("facts")) f.facts = read_fact_map(*facts, diags_);
    r.string("note", f.note);
    f.params = effective_params(f.type, own);
    if (id_ok) firms_.add(f.id, static_cast<FirmIdx>(m_.firms.size()), r.get("id")->where, r.get("id")->path, diags_);
    m_.firms.push_back(std::move(f));
  }

  // --- plain CSV networks

  void read_network(const YNode& node) {
    const MapReader r(node, {"dir", "firm_type", "id_prefix"}, diags_);
    if (!r.is_mapping()) return;
    std::string dir, prefix;
    FirmType type = FirmType::bank;
    const bool dir_ok = r.string("dir", dir, Need::required);
    const bool type_ok = !r.get("firm_type") || r.choice("firm_type", "firm type", parse_firm_type, std::span(firm_types_), type);
    r.string("id_prefix", prefix);
    if (!dir_ok || !type_ok) return;

    const YNode& dir_node = *r.get("dir");
    const fs::path resolved = (fs::path(node.where.file.str()).parent_path() / dir).lexically_normal();
    std::error_code ec;
    if (!fs::is_directory(resolved, ec)) {
      diags_.error(dir_node.where, dir_node.path,
                   "network directory '" + dir + "' not found (looked for '" + resolved.string() + "')");
      return;
    }
    Diagnostics csv_diags;
    const PlainNetwork net = read_plain_network(resolved, csv_diags, doc_.limits);
    diags_.append(csv_diags);
    for (const char* file : {"nodes.csv", "edges.csv", "shock.csv"})
      if (fs::exists(resolved / file, ec)) out_.network_files.push_back(resolved / file);
    if (!csv_diags.has_errors()) add_network(net, type, prefix);
  }

  /// Nodes become firms (cash = external assets, debt = external + interbank liabilities,
  /// other assets = interbank assets), edges loans from creditor to debtor, shock rows
  /// cash_change shocks at tick 1.
  void add_network(const PlainNetwork& net, FirmType type, const std::string& prefix) {
    std::unordered_map<std::string_view, FirmIdx> firm_of;
    for (const PlainNetwork::Node& node : net.nodes) {
      FirmSpec f;
      f.id = prefix + node.id;
      f.name = f.id;
      f.type = type;
      f.cash_usd_bn = node.external_assets;
      f.debt_usd_bn = node.external_liabilities;
      f.equity_usd_bn = node.equity;
      f.params = effective_params(type, {});
      f.where = node.where;
      firm_of.emplace(node.id, static_cast<FirmIdx>(m_.firms.size()));
      firms_.add(f.id, static_cast<FirmIdx>(m_.firms.size()), f.where, "id", diags_);
      m_.firms.push_back(std::move(f));
    }
    for (std::size_t k = 0; k < net.edges.size(); ++k) {
      const PlainNetwork::Edge& edge = net.edges[k];
      ExposureSpec e;
      e.id = prefix + "edge" + std::to_string(k + 1);
      e.kind = ExposureKind::loan;
      e.status = ExposureStatus::outstanding;
      e.from = firm_of.at(edge.creditor);
      e.to = firm_of.at(edge.debtor);
      e.amount_usd_bn = edge.amount;
      e.rate_given_pct = 0.0;
      e.seniority = default_seniority(e.kind);
      e.where = edge.where;
      m_.firms[e.to].debt_usd_bn += edge.amount;
      m_.firms[e.from].other_assets_usd_bn += edge.amount;
      network_exposures_.push_back(std::move(e));
    }
    for (std::size_t k = 0; k < net.shocks.size(); ++k) {
      const PlainNetwork::ShockRow& row = net.shocks[k];
      ShockSpec s;
      s.id = prefix + "shock" + std::to_string(k + 1);
      s.kind = ShockKind::cash_change;
      s.tick = 1;
      const FirmIdx target = firm_of.at(row.id);
      s.targets = {target};
      s.value = -row.fraction * m_.firms[target].cash_usd_bn;
      s.description = "plain network shock: loses " + format_number(row.fraction) + " of its external assets";
      s.where = row.where;
      network_shocks_.push_back(std::move(s));
    }
  }

  // --- exposures

  /// True when `key` is absent or applies to `kind`; otherwise reports it.
  bool fits(const MapReader& r, std::string_view key, std::optional<ExposureKind> kind) const {
    const YEntry* entry = r.node().find_entry(key);
    if (!entry || !kind) return true;
    for (const KindRule& rule : kKindRules) {
      if (rule.key != key || rule.applies(*kind)) continue;
      diags_.error(entry->key_where, entry->value.path,
                   "'" + std::string(key) + "' applies only to " + std::string(rule.kinds) + ", not to " +
                       std::string(to_string(*kind)));
      return false;
    }
    return true;
  }

  /// A figure kept for the record in `facts[key]`.
  void record_fact(const MapReader& r, std::string_view key, Range range, std::map<std::string, Fact>& facts) const {
    if (const YNode* n = r.get(key))
      if (std::optional<Figure> f = read_figure(*n, range, diags_))
        facts[std::string(key)] = Fact{f->value, f->source.value_or(SourceNote{})};
  }

  void read_exposure(const YNode& node) {
    const MapReader r(node, kExposureKeys, diags_);
    if (!r.is_mapping()) return;
    ExposureSpec e;
    e.where = node.where;
    const ExposureIdx idx = static_cast<ExposureIdx>(m_.exposures.size());
    const bool id_ok = r.string("id", e.id, Need::required) && check_id(*r.get("id"), e.id, IdStyle::plain, diags_);

    std::optional<ExposureKind> kind;
    if (r.choice("kind", "exposure kind", parse_exposure_kind, std::span(kinds_), e.kind, Need::required)) kind = e.kind;
    std::optional<FirmIdx> from, to;
    if (const YNode* n = r.get("from", Need::required)) from = firms_.resolve(*n, diags_);
    if (const YNode* n = r.get("to", Need::required)) to = firms_.resolve(*n, diags_);
    if (from && to && *from == *to)
      diags_.error(r.get("to")->where, r.get("to")->path,
                   "'from' and 'to' are the same firm '" + m_.firms[*to].id + "'");
    e.from = from.value_or(0);
    e.to = to.value_or(0);
    r.choice("status", "exposure status", parse_exposure_status, std::span(statuses_), e.status, Need::required);
    r.figure("amount", kPositiveMoney, e.amount_usd_bn, e.sources, Need::required);

    double v = 0.0;
    if (fits(r, "annual", kind) && r.figure("annual", kPositiveMoney, v, e.sources)) e.annual_given_usd_bn = v;
    r.figure("term_years", kYears, e.term_years, e.sources);
    r.integer<Tick>("start_tick", 1, kMaxTicks, e.start_tick);

    const bool vendor = kind == ExposureKind::vendor_financing;
    const bool form_ok = fits(r, "form", kind) &&
                         r.choice("form", "financing form", parse_financing_form, std::span(forms_), e.form,
                                  vendor ? Need::required : Need::optional);
    if (fits(r, "rate_pct", kind) && r.figure("rate_pct", kRatePct, v, e.sources)) {
      if (vendor && form_ok && e.form != FinancingForm::debt)
        diags_.error(r.get("rate_pct")->where, r.get("rate_pct")->path,
                     "'rate_pct' applies to vendor_financing only when its form is debt");
      e.rate_given_pct = v;
    }
    if (fits(r, "spread_pct", kind)) record_fact(r, "spread_pct", kRatePct, e.facts);

    e.seniority = default_seniority(e.kind);
    r.choice("seniority", "seniority", parse_seniority, std::span(seniorities_), e.seniority);
    if (fits(r, "amortisation", kind))
      r.choice("amortisation", "amortisation", parse_amortisation, std::span(amortisations_), e.amortisation);
    PurchasePurpose purpose{};
    if (fits(r, "purpose", kind) && r.choice("purpose", "purchase purpose", parse_purchase_purpose, std::span(purposes_), purpose))
      e.purpose_given = purpose;

    if (fits(r, "beneficiary", kind)) read_beneficiary(r, e, kind == ExposureKind::guarantee, from, to);

    const bool collateralised = kind == ExposureKind::collateralised_loan;
    if (fits(r, "collateral", kind))
      r.figure("collateral", collateralised ? kPositiveMoney : kMoney, e.collateral_usd_bn, e.sources,
               collateralised ? Need::required : Need::optional);
    if (fits(r, "ltv_max", kind) && r.figure("ltv_max", Range{0.0, 1.0, true}, e.ltv_max_fraction, e.sources) &&
        !r.get("collateral"))
      diags_.error(r.get("ltv_max")->where, r.get("ltv_max")->path,
                   "'ltv_max' is a covenant on collateral: give 'collateral' too");
    if (fits(r, "take_or_pay", kind)) r.figure("take_or_pay", kFraction, e.take_or_pay_fraction, e.sources);
    if (fits(r, "share_pct", kind) && r.figure("share_pct", Range{0.0, 100.0, true}, v, e.sources))
      e.share_fraction = v / 100.0;
    if (fits(r, "value_estimate", kind)) record_fact(r, "value_estimate", kMoney, e.facts);

    r.string("note", e.note);
    if (fits(r, "basis", kind)) read_basis(r, e);
    if (const YNode* overlaps = r.get("overlaps"))
      if (std::optional<std::vector<NameRef>> ids = read_name_list(*overlaps, diags_))
        pending_overlaps_.push_back({idx, std::move(*ids)});
    if (r.string("loop", e.loop)) loop_tags_.push_back(r.get("loop"));

    if (id_ok) exposures_.add(e.id, idx, r.get("id")->where, r.get("id")->path, diags_);
    m_.exposures.push_back(std::move(e));
  }

  void read_beneficiary(const MapReader& r, ExposureSpec& e, bool required, std::optional<FirmIdx> from,
                        std::optional<FirmIdx> to) {
    const YNode* n = r.get("beneficiary", required ? Need::required : Need::optional);
    if (!n) return;
    e.beneficiary = firms_.resolve(*n, diags_);
    if (!e.beneficiary) return;
    if (*e.beneficiary == from)
      diags_.error(n->where, n->path, "the beneficiary cannot be the guarantor ('from') itself");
    else if (*e.beneficiary == to)
      diags_.error(n->where, n->path, "the beneficiary cannot be the guaranteed party ('to') itself");
  }

  /// `basis: cost | value` describes the amount; it is kept at the front of the note.
  void read_basis(const MapReader& r, ExposureSpec& e) {
    const YNode* n = r.get("basis");
    if (!n) return;
    const std::optional<std::string> basis = read_string(*n, diags_);
    if (!basis) return;
    if (*basis != "cost" && *basis != "value") {
      diags_.error(n->where, n->path, unknown_name_message("basis", *basis, {"cost", "value"}));
      return;
    }
    e.note = "basis: " + *basis + (e.note.empty() ? "" : "; " + e.note);
  }

  void add_exposure(ExposureSpec e, const std::string& path) {
    exposures_.add(e.id, static_cast<ExposureIdx>(m_.exposures.size()), e.where, path, diags_);
    m_.exposures.push_back(std::move(e));
  }

  void resolve_overlaps() {
    for (const PendingOverlaps& p : pending_overlaps_) {
      for (const NameRef& ref : p.ids) {
        const std::optional<ExposureIdx> other = exposures_.resolve(*ref.node, diags_);
        if (!other) continue;
        if (*other == p.exposure) {
          diags_.error(ref.node->where, ref.node->path, "an exposure cannot overlap itself");
          continue;
        }
        m_.exposures[p.exposure].overlaps.push_back(*other);
      }
    }
  }

  // --- shocks

  void read_shock(const YNode& node) {
    const MapReader r(node, {"id", "kind", "targets", "tick", "duration_ticks", "ramp_ticks", "value", "description"},
                      diags_);
    if (!r.is_mapping()) return;
    ShockSpec s;
    s.where = node.where;
    const bool id_ok = r.string("id", s.id, Need::required) && check_id(*r.get("id"), s.id, IdStyle::plain, diags_);
    std::optional<ShockKind> kind;
    if (r.choice("kind", "shock kind", parse_shock_kind, std::span(shock_kinds_), s.kind, Need::required)) kind = s.kind;
    if (kind && is_market_wide(*kind)) {
      if (const YEntry* entry = node.find_entry("targets"))
        diags_.error(entry->key_where, entry->value.path,
                     "'targets' does not apply to the market-wide kind '" + std::string(to_string(*kind)) + "'");
    } else if (const YNode* targets = r.get("targets", Need::required)) {
      s.targets = read_targets(*targets);
    }

    const Tick horizon = m_.params.horizon_ticks;
    const ShockTransform* transform = doc_.shock_transforms.find(node.where);
    ReadShock read{.kind = kind, .value_range = kind ? shock_value_range(*kind) : Range::any()};
    if (const YNode* tick = r.get("tick", Need::required)) {
      if (std::optional<std::int64_t> t = read_integer(*tick, 1, kMaxTicks, diags_)) {
        read.tick_read = true;
        if (transform)  // checked against the horizon once shifted
          s.tick = static_cast<Tick>(*t);
        else if (*t > horizon)
          diags_.error(tick->where, tick->path,
                       "must be within the horizon (1 to simulation.horizon_ticks = " + std::to_string(horizon) +
                           "), got " + tick->text);
        else
          s.tick = static_cast<Tick>(*t);
      }
    }
    for (const char* key : {"duration_ticks", "ramp_ticks"}) {
      if (kind && is_one_off(*kind) && r.get(key)) {
        const YEntry& entry = *node.find_entry(key);
        diags_.error(entry.key_where, entry.value.path,
                     "'" + std::string(key) + "' does not apply to the one-off kind '" + std::string(to_string(*kind)) + "'");
      } else {
        r.integer<Tick>(key, 0, kMaxTicks, key == std::string_view("ramp_ticks") ? s.ramp_ticks : s.duration_ticks);
      }
    }
    if (kind == ShockKind::force_default) {
      if (const YEntry* entry = node.find_entry("value"))
        diags_.error(entry->key_where, entry->value.path, "'value' does not apply to force_default");
    } else {
      read.value_read = r.number("value", read.value_range, s.value, Need::required);
    }
    if (transform) apply_shock_transform(*transform, node, read, horizon, s, diags_);
    r.string("description", s.description);
    if (id_ok) shocks_.add(s.id, static_cast<std::uint32_t>(m_.shocks.size()), r.get("id")->where, r.get("id")->path, diags_);
    m_.shocks.push_back(std::move(s));
  }

  void add_shock(ShockSpec s, const std::string& path) {
    shocks_.add(s.id, static_cast<std::uint32_t>(m_.shocks.size()), s.where, path, diags_);
    m_.shocks.push_back(std::move(s));
  }

  /// `[firm ids]`, `{type: <firm type>}` or `all`.
  std::vector<FirmIdx> read_targets(const YNode& node) {
    std::vector<FirmIdx> out;
    if (node.is_scalar() && node.plain && node.text == "all") {
      for (FirmIdx f = 0; f < m_.firms.size(); ++f) out.push_back(f);
    } else if (node.is_mapping()) {
      const MapReader r(node, {"type"}, diags_);
      FirmType type{};
      if (!r.choice("type", "firm type", parse_firm_type, std::span(firm_types_), type, Need::required)) return out;
      for (FirmIdx f = 0; f < m_.firms.size(); ++f)
        if (m_.firms[f].type == type) out.push_back(f);
      if (out.empty())
        diags_.error(node.where, node.path, "no firm has type '" + std::string(to_string(type)) + "'");
    } else if (node.is_sequence()) {
      if (std::optional<std::vector<NameRef>> ids = read_name_list(node, diags_))
        for (const NameRef& ref : *ids)
          if (std::optional<FirmIdx> f = firms_.resolve(*ref.node, diags_)) out.push_back(*f);
    } else {
      diags_.error(node.where, node.path,
                   "expected a list of firm ids, {type: <firm type>} or all, got " + node.describe());
    }
    return out;
  }

  // --- loops and projects

  void read_loop(const YNode& node) {
    const MapReader r(node, {"id", "name", "edges", "source", "note"}, diags_);
    if (!r.is_mapping()) return;
    LoopSpec loop;
    loop.where = node.where;
    const bool id_ok = r.string("id", loop.id, Need::required) && check_id(*r.get("id"), loop.id, IdStyle::plain, diags_);
    r.string("name", loop.name);
    if (const YNode* edges = r.get("edges", Need::required))
      if (std::optional<std::vector<NameRef>> ids = read_name_list(*edges, diags_))
        for (const NameRef& ref : *ids)
          if (std::optional<ExposureIdx> e = exposures_.resolve(*ref.node, diags_)) loop.edges.push_back(*e);
    r.string("source", loop.source.source);
    r.string("note", loop.source.note);
    if (id_ok) loops_.add(loop.id, static_cast<std::uint32_t>(m_.loops.size()), r.get("id")->where, r.get("id")->path, diags_);
    m_.loops.push_back(std::move(loop));
  }

  /// Each exposure's `loop:` tag must name a loop.
  void resolve_loop_tags() {
    for (const YNode* tag : loop_tags_) loops_.resolve(*tag, diags_);
  }

  void read_project(const YNode& node) {
    const MapReader r(node, {"id", "owners", "capacity_gw", "cost", "note"}, diags_);
    if (!r.is_mapping()) return;
    ProjectSpec p;
    p.where = node.where;
    const bool id_ok = r.string("id", p.id, Need::required) && check_id(*r.get("id"), p.id, IdStyle::plain, diags_);
    if (const YNode* owners = r.get("owners", Need::required))
      if (std::optional<std::vector<NameRef>> ids = read_name_list(*owners, diags_))
        for (const NameRef& ref : *ids)
          if (std::optional<FirmIdx> f = firms_.resolve(*ref.node, diags_)) p.owners.push_back(*f);
    record_fact(r, "capacity_gw", kMoney, p.figures);
    record_fact(r, "cost", kMoney, p.figures);
    r.string("note", p.note);
    if (id_ok) projects_.add(p.id, static_cast<std::uint32_t>(m_.projects.size()), r.get("id")->where, r.get("id")->path, diags_);
    m_.projects.push_back(std::move(p));
  }

  struct PendingOverlaps {
    ExposureIdx exposure;
    std::vector<NameRef> ids;
  };

  const ScenarioDocument& doc_;
  Diagnostics& diags_;
  BuiltModel out_;
  Model& m_ = out_.model;
  TypeParamOverrides type_params_;
  IdRegistry firms_{"firm"}, exposures_{"exposure"}, shocks_{"shock"}, loops_{"loop"}, projects_{"project"};
  /// Network edges and shocks, appended after the YAML ones so that those keep their order.
  std::vector<ExposureSpec> network_exposures_;
  std::vector<ShockSpec> network_shocks_;
  std::vector<PendingOverlaps> pending_overlaps_;  ///< resolved once every exposure is known
  std::vector<const YNode*> loop_tags_;            ///< resolved once every loop is known

  const std::vector<std::string> firm_types_ = enum_names<FirmType>(kFirmTypeCount);
  const std::vector<std::string> kinds_ = enum_names<ExposureKind>(kExposureKindCount);
  const std::vector<std::string> statuses_ = enum_names<ExposureStatus>(kExposureStatusCount);
  const std::vector<std::string> seniorities_ = enum_names<Seniority>(kSeniorityCount);
  const std::vector<std::string> amortisations_ = enum_names<Amortisation>(2);
  const std::vector<std::string> purposes_ = enum_names<PurchasePurpose>(2);
  const std::vector<std::string> forms_ = enum_names<FinancingForm>(2);
  const std::vector<std::string> shock_kinds_ = enum_names<ShockKind>(kShockKindCount);
};

}  // namespace

BuiltModel build_model(const ScenarioDocument& doc, Diagnostics& diags) { return ModelBuilder(doc, diags).build(); }

}  // namespace cascade::scenario
