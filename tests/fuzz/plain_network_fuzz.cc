// libFuzzer target: the plain network reader (engine/network/plain_network.h) on any bytes as
// nodes.csv, edges.csv and shock.csv, then, for small networks it accepts, every reference model
// of `cascade clear`, whose outputs must be finite numbers.
//
//   build-asan/tests/fuzz/plain_network_fuzz CORPUS_DIR     # tools/test-suites.sh fuzz
//
// An input is the three files joined by the line "%%" (kSeparator): nodes, then edges, then
// optionally shocks (tests/fuzz/run_fuzz.sh builds seeds that way from network directories).
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <string_view>

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

void expect_finite(double v, const char* what) { CASCADE_ASSERT(std::isfinite(v), std::string("non-finite ") + what); }

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
  std::filesystem::create_directories(dir);
  fuzz::write_file(dir / "nodes.csv", part(input, 0));
  fuzz::write_file(dir / "edges.csv", part(input, 1));
  const std::string_view shocks = part(input, 2);
  if (shocks.empty())
    std::filesystem::remove(dir / "shock.csv");
  else
    fuzz::write_file(dir / "shock.csv", shocks);

  Diagnostics diags;
  IndexedPlainNetwork plain = read_indexed_plain_network(dir, diags, fuzz::limits());
  if (diags.has_errors() || plain.size() > kMaxModelNodes) return 0;
  const contagion::InterbankNetwork net = contagion::make_interbank_network(std::move(plain), diags);
  if (!diags.has_errors()) run_models(net);
  return 0;
}
