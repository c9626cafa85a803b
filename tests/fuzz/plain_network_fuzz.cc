// libFuzzer target: the plain network reader (engine/network/plain_network.h) on any bytes as
// nodes.csv, edges.csv and shock.csv, then, for small networks it accepts, every reference model
// of `cascade clear`, whose outputs must be finite numbers. An input without CR bytes is also
// read with every LF made CRLF, which the reader's shortcut for plain rows
// (engine/network/plain_rows.h) declines, so that the checked path reads every row: both reads
// must give the same network and the same diagnostics. The network built from an accepted read
// (on one thread and on two) must hold both sorted forms as their definition gives them
// (engine/contagion/interbank_network.h), computed here directly from the edge rows.
//
//   build-asan/tests/fuzz/plain_network_fuzz CORPUS_DIR     # tools/test-suites.sh fuzz
//
// An input is the three files joined by the line "%%" (kSeparator): nodes, then edges, then
// optionally shocks (tests/fuzz/run_fuzz.sh builds seeds that way from network directories).
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <map>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "engine/contagion/interbank_network.h"
#include "engine/contagion/plain_models.h"
#include "engine/core/diagnostics.h"
#include "engine/network/plain_network.h"
#include "tests/fuzz/fuzz_support.h"

namespace {

using namespace cascade;

constexpr std::string_view kSeparator = "\n%%\n";
/// Networks up to this size also run through the models (larger ones cost too much per input).
constexpr std::size_t kMaxModelNodes = 64;

/// Part `index` of `input` split at kSeparator ("" when there are fewer parts).
std::string_view part(std::string_view input, int index) {
  for (int i = 0; i < index; ++i) {
    const std::size_t at = input.find(kSeparator);
    if (at == std::string_view::npos) return {};
    input.remove_prefix(at + kSeparator.size());
  }
  return input.substr(0, input.find(kSeparator));
}

/// Writes the files of `input` into `dir`, each LF made CRLF when `crlf`.
void write_network(const std::filesystem::path& dir, std::string_view input, bool crlf) {
  const auto text = [crlf](std::string_view bytes) {
    std::string out;
    for (const char c : bytes) {
      if (c == '\n' && crlf) out += '\r';
      out += c;
    }
    return out;
  };
  std::filesystem::create_directories(dir);
  fuzz::write_file(dir / "nodes.csv", text(part(input, 0)));
  fuzz::write_file(dir / "edges.csv", text(part(input, 1)));
  const std::string_view shocks = part(input, 2);
  if (shocks.empty())
    std::filesystem::remove(dir / "shock.csv");
  else
    fuzz::write_file(dir / "shock.csv", text(shocks));
}

/// Every diagnostic as "file name:line:col: path: message", without its directory.
std::vector<std::string> located_messages(const Diagnostics& diags) {
  std::vector<std::string> out;
  for (Diagnostic d : diags.errors()) {
    d.where.file = std::filesystem::path(d.where.file.str()).filename().string();
    out.push_back(d.format());
  }
  return out;
}

void expect_same_reads(const IndexedPlainNetwork& a, const Diagnostics& a_diags, const IndexedPlainNetwork& b,
                       const Diagnostics& b_diags) {
  CASCADE_ASSERT(located_messages(a_diags) == located_messages(b_diags), "LF and CRLF: different diagnostics");
  CASCADE_ASSERT(a.ids == b.ids && a.external_assets == b.external_assets &&
                     a.external_liabilities == b.external_liabilities && a.equity == b.equity &&
                     a.node_lines == b.node_lines,
                 "LF and CRLF: different nodes");
  CASCADE_ASSERT(a.edges == b.edges && a.edge_lines == b.edge_lines, "LF and CRLF: different edges");
  CASCADE_ASSERT(a.shocks == b.shocks && a.shock_lines == b.shock_lines, "LF and CRLF: different shocks");
}

void expect_finite(double v, const char* what) { CASCADE_ASSERT(std::isfinite(v), std::string("non-finite ") + what); }

/// The network's two sorted forms and per-node sums against their definition, from the edge
/// rows: each debtor's pairs in order of first appearance, a pair's rows summed in row order;
/// each creditor's pairs by ascending debtor; each total summed in its form's order.
void expect_forms_by_definition(const std::vector<IndexedPlainNetwork::Edge>& rows,
                                const contagion::InterbankNetwork& net) {
  const std::size_t n = net.size();
  std::vector<std::vector<std::pair<std::uint32_t, double>>> owed(n), held(n);  // per node: (other node, amount)
  std::map<std::pair<std::uint32_t, std::uint32_t>, std::size_t> entry;         // pair -> its place in owed
  for (const IndexedPlainNetwork::Edge& row : rows) {
    const auto [at, first] = entry.try_emplace({row.debtor, row.creditor}, owed[row.debtor].size());
    if (first)
      owed[row.debtor].emplace_back(row.creditor, row.amount);
    else
      owed[row.debtor][at->second].second += row.amount;
  }
  for (std::uint32_t debtor = 0; debtor < n; ++debtor)
    for (const auto& [creditor, amount] : owed[debtor]) held[creditor].emplace_back(debtor, amount);
  const auto expect_form = [&](const auto& by_node, const std::vector<std::size_t>& offsets,
                               const std::vector<std::uint32_t>& other, const std::vector<double>& amount,
                               const std::vector<double>& totals, const char* what) {
    std::vector<std::size_t> want_offsets{0};
    std::vector<std::uint32_t> want_other;
    std::vector<double> want_amount, want_totals;
    for (const auto& node_row : by_node) {
      double total = 0.0;
      for (const auto& [node, value] : node_row) {
        want_other.push_back(node);
        want_amount.push_back(value);
        total += value;
      }
      want_offsets.push_back(want_other.size());
      want_totals.push_back(total);
    }
    CASCADE_ASSERT(offsets == want_offsets && other == want_other && amount == want_amount && totals == want_totals,
                   std::string("the ") + what + " form differs from its definition");
  };
  expect_form(owed, net.owed_offsets, net.owed_creditor, net.owed_amount, net.interbank_liabilities, "debtor-ordered");
  expect_form(held, net.held_offsets, net.held_debtor, net.held_amount, net.interbank_assets, "creditor-ordered");
}

void run_models(const contagion::InterbankNetwork& net) {
  using contagion::PlainModel;
  for (const PlainModel model : {PlainModel::eisenberg_noe, PlainModel::rogers_veraart, PlainModel::furfine,
                                 PlainModel::debtrank, PlainModel::debtrank_single_hit}) {
    contagion::PlainModelOptions options{.model = model};
    options.clearing.alpha = 0.5;
    options.clearing.beta = 0.8;
    const contagion::PlainModelResult r = contagion::run_plain_model(net, options);
    expect_finite(r.total_loss, "total loss");
    for (const std::vector<double>* column :
         {&r.payment, &r.recovery_rate, &r.external_payment, &r.equity_before, &r.equity_after, &r.debtrank})
      for (double v : *column) expect_finite(v, "node output");
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view input(reinterpret_cast<const char*>(data), size);
  const std::filesystem::path dir = fuzz::scratch() / "network";
  write_network(dir, input, false);
  Diagnostics diags;
  IndexedPlainNetwork plain = read_indexed_plain_network(dir, diags, fuzz::limits());
  // Within half the longest line, so that no line becomes too long by its CR.
  if (input.find('\r') == std::string_view::npos && input.size() < kMaxCsvLineBytes / 2) {
    const std::filesystem::path crlf_dir = fuzz::scratch() / "network-crlf";
    write_network(crlf_dir, input, true);
    Diagnostics crlf_diags;
    const IndexedPlainNetwork crlf = read_indexed_plain_network(crlf_dir, crlf_diags, fuzz::limits());
    expect_same_reads(plain, diags, crlf, crlf_diags);
  }
  if (diags.has_errors() || plain.size() > kMaxModelNodes) return 0;
  const std::vector<IndexedPlainNetwork::Edge> rows = plain.edges;
  const contagion::InterbankNetwork on_two = contagion::make_interbank_network(IndexedPlainNetwork(plain), diags, 2);
  expect_forms_by_definition(rows, on_two);
  const contagion::InterbankNetwork net = contagion::make_interbank_network(std::move(plain), diags);
  expect_forms_by_definition(rows, net);
  if (!diags.has_errors()) run_models(net);
  return 0;
}
