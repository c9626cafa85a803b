#include "engine/generate/network_generator.h"

#include <unistd.h>

#include <algorithm>
#include <array>
#include <charconv>
#include <cmath>
#include <cstdio>
#include <memory>
#include <string>
#include <vector>

#include "engine/core/diagnostics.h"
#include "engine/generate/draws.h"
#include "engine/output/staging_directory.h"
#include "engine/output/text_format.h"

namespace cascade::generate {
namespace {

/// What a draw is for (Draws' `what`); the item is the node.
enum Quantity : std::int32_t {
  kEdgeGap = 1,
  kOutDegree,
  kCreditor,
  kAmount,
  kInterbankShare,
  kCapitalRatio,
  kShockHit,
  kShockSize,
};

constexpr double kMinAmount = 0.1, kMaxAmount = 10.0;
constexpr double kMinInterbankShare = 0.1, kMaxInterbankShare = 0.3;
constexpr double kMinCapitalRatio = 0.04, kMaxCapitalRatio = 0.12;
/// Total assets are at least this multiple of interbank liabilities (so el_i >= 0 at c <= 1/6).
constexpr double kMinAssetsPerLiability = 1.2;
constexpr double kScaleFreeGamma = 2.5;
constexpr double kCoreShare = 0.05;
constexpr double kRounding = 1e4;  ///< amounts are rounded to 1 / kRounding

double round_amount(double v) { return std::round(v * kRounding) / kRounding; }

/// Liabilities of debtor i: appends (i, creditor) rows to `edges` (amounts set later).
void add_erdos_renyi(const NetworkSpec& spec, const Draws& draws, std::uint32_t i,
                     std::vector<IndexedPlainNetwork::Edge>& edges) {
  const std::uint32_t n = spec.nodes;
  const double p = spec.mean_degree / (n - 1);
  const double log_miss = std::log1p(-p);
  std::int64_t candidate = -1;  // candidates 0..n-2 are the other nodes in order
  for (std::uint32_t k = 0;; ++k) {
    const double u = draws.uniform(i, k, kEdgeGap);
    candidate += 1 + static_cast<std::int64_t>(std::floor(std::log1p(-u) / log_miss));
    if (candidate >= n - 1) return;
    const auto c = static_cast<std::uint32_t>(candidate);
    edges.push_back({i, c < i ? c : c + 1, 0.0});
  }
}

/// A creditor other than `i` drawn by `pick(u)`; redrawn (next index) when it is `i`.
template <typename Pick>
std::uint32_t other_node(const Draws& draws, std::uint32_t i, std::uint32_t& index, std::uint32_t n, Pick pick) {
  for (int attempt = 0; attempt < 64; ++attempt) {
    const std::uint32_t c = pick(draws.uniform(i, index++, kCreditor));
    if (c != i) return c;
  }
  return (i + 1) % n;  // only reachable with a tiny core or hub weights near 1
}

void add_scale_free(const NetworkSpec& spec, const Draws& draws, const std::vector<double>& cumulative_weight,
                    std::uint32_t i, std::vector<IndexedPlainNetwork::Edge>& edges) {
  const double total = cumulative_weight.back();
  const auto pick = [&](double u) {
    const auto it = std::upper_bound(cumulative_weight.begin(), cumulative_weight.end(), u * total);
    return static_cast<std::uint32_t>(std::min<std::ptrdiff_t>(it - cumulative_weight.begin(), spec.nodes - 1));
  };
  const std::uint32_t degree = draws.poisson(i, kOutDegree, spec.mean_degree);
  std::uint32_t index = 0;
  for (std::uint32_t k = 0; k < degree; ++k) edges.push_back({i, other_node(draws, i, index, spec.nodes, pick), 0.0});
}

void add_core_periphery(const NetworkSpec& spec, const Draws& draws, std::uint32_t i,
                        std::vector<IndexedPlainNetwork::Edge>& edges) {
  const std::uint32_t n = spec.nodes;
  const auto core = std::max<std::uint32_t>(2, static_cast<std::uint32_t>(std::ceil(kCoreShare * n)));
  const auto uniform_in = [](double u, std::uint32_t first, std::uint32_t count) {
    return first + std::min(count - 1, static_cast<std::uint32_t>(u * count));
  };
  const auto pick = [&](double u) {
    // Core nodes: half core, half periphery (u below or above 1/2); periphery: the core only.
    if (i >= core || core == n) return uniform_in(u, 0, core);
    return u < 0.5 ? uniform_in(2 * u, 0, core) : uniform_in(2 * u - 1, core, n - core);
  };
  const std::uint32_t degree = draws.poisson(i, kOutDegree, spec.mean_degree);
  std::uint32_t index = 0;
  for (std::uint32_t k = 0; k < degree; ++k) edges.push_back({i, other_node(draws, i, index, n, pick), 0.0});
}

}  // namespace

std::string_view to_string(NetworkKind kind) {
  switch (kind) {
    case NetworkKind::erdos_renyi:
      return "erdos-renyi";
    case NetworkKind::scale_free:
      return "scale-free";
    case NetworkKind::core_periphery:
      return "core-periphery";
  }
  return "?";
}

std::optional<NetworkKind> parse_network_kind(std::string_view text) {
  for (NetworkKind k : {NetworkKind::erdos_renyi, NetworkKind::scale_free, NetworkKind::core_periphery})
    if (text == to_string(k)) return k;
  return std::nullopt;
}

IndexedPlainNetwork generate_network(const NetworkSpec& spec) {
  const std::uint32_t n = spec.nodes;
  if (n < 2 || !(spec.mean_degree > 0.0 && spec.mean_degree < n - 1) || !(spec.shocked_share >= 0.0) ||
      spec.shocked_share > 1.0 || !(spec.shock_max >= 0.0) || spec.shock_max > 1.0)
    throw InternalError("generate_network: spec out of range");
  const Draws draws(spec.seed);
  IndexedPlainNetwork net;
  net.edges.reserve(static_cast<std::size_t>(n * spec.mean_degree * 1.01) + 16);
  std::vector<double> cumulative_weight;
  if (spec.kind == NetworkKind::scale_free) {
    cumulative_weight.resize(n);
    double sum = 0.0;
    for (std::uint32_t r = 0; r < n; ++r)
      cumulative_weight[r] = sum += std::pow(static_cast<double>(r) + 1.0, -1.0 / (kScaleFreeGamma - 1.0));
  }
  for (std::uint32_t i = 0; i < n; ++i) {
    const std::size_t first = net.edges.size();
    switch (spec.kind) {
      case NetworkKind::erdos_renyi:
        add_erdos_renyi(spec, draws, i, net.edges);
        break;
      case NetworkKind::scale_free:
        add_scale_free(spec, draws, cumulative_weight, i, net.edges);
        break;
      case NetworkKind::core_periphery:
        add_core_periphery(spec, draws, i, net.edges);
        break;
    }
    for (std::size_t k = first; k < net.edges.size(); ++k)
      net.edges[k].amount =
          round_amount(draws.log_uniform(i, static_cast<std::uint32_t>(k - first), kAmount, kMinAmount, kMaxAmount));
  }
  std::vector<double> interbank_assets(n, 0.0), interbank_liabilities(n, 0.0);
  for (const IndexedPlainNetwork::Edge& e : net.edges) {
    interbank_liabilities[e.debtor] += e.amount;
    interbank_assets[e.creditor] += e.amount;
  }
  net.ids.resize(n);
  net.external_assets.resize(n);
  net.external_liabilities.resize(n);
  net.equity.assign(n, std::nullopt);
  net.node_lines.resize(n);
  for (std::uint32_t i = 0; i < n; ++i) {
    net.ids[i] = std::to_string(i);
    net.node_lines[i] = static_cast<int>(i) + 2;
    const double share = draws.uniform(i, 0, kInterbankShare, kMinInterbankShare, kMaxInterbankShare);
    const double capital = draws.uniform(i, 0, kCapitalRatio, kMinCapitalRatio, kMaxCapitalRatio);
    const double total =
        std::max({interbank_assets[i] / share, kMinAssetsPerLiability * interbank_liabilities[i], 1.0});
    net.external_assets[i] = round_amount(total - interbank_assets[i]);
    net.external_liabilities[i] = std::max(0.0, round_amount(total - interbank_liabilities[i] - capital * total));
    if (draws.uniform(i, 0, kShockHit) < spec.shocked_share) {
      net.shocks.push_back({i, round_amount(draws.uniform(i, 0, kShockSize, 0.0, spec.shock_max))});
      net.shock_lines.push_back(static_cast<int>(net.shocks.size()) + 1);
    }
  }
  for (std::size_t k = 0; k < net.edges.size(); ++k) net.edge_lines.push_back(static_cast<int>(k) + 2);
  return net;
}

namespace {

/// Text appended in pieces and written to one file.
class FileWriter {
 public:
  FileWriter(const std::filesystem::path& path) : path_(path), file_(std::fopen(path.c_str(), "wb")) {}
  ~FileWriter() {
    if (file_ != nullptr) std::fclose(file_);
  }
  std::string& text() { return text_; }
  void flush_if_full() {
    if (text_.size() >= (1u << 20)) flush();
  }
  /// Writes what is left and closes; false on any error.
  bool close() {
    if (file_ == nullptr) return false;
    flush();
    const bool ok = !std::ferror(file_);
    const bool closed = std::fclose(file_) == 0;
    file_ = nullptr;
    return ok && closed;
  }

 private:
  void flush() {
    if (file_ != nullptr) std::fwrite(text_.data(), 1, text_.size(), file_);
    text_.clear();
  }
  std::filesystem::path path_;
  std::FILE* file_;
  std::string text_;
};

}  // namespace

bool write_plain_network(const IndexedPlainNetwork& net, const std::filesystem::path& dir, std::string& error) {
  namespace fs = std::filesystem;
  std::error_code ec;
  fs::create_directories(dir, ec);
  // Each file is written under a temporary name; the three are renamed into place only once all
  // are written, and removed otherwise: a half-written network (nodes without their edges, edges
  // without their shock) would read as a whole one.
  const std::string suffix = ".tmp-" + std::to_string(::getpid());
  constexpr std::array<const char*, 3> kNames{"nodes.csv", "edges.csv", "shock.csv"};
  for (const char* name : kNames)  // a rename cannot replace a directory: refused before any write
    if (const fs::path target = dir / name; fs::exists(target, ec) && !fs::is_regular_file(target, ec)) {
      error = "cannot write '" + target.string() + "': it exists and is not a file";
      return false;
    }
  const auto remove_temporaries = [&] {
    for (const char* name : kNames) fs::remove(dir / (name + suffix), ec);
  };
  const auto write = [&](const char* name, auto&& rows) {
    FileWriter out(dir / (name + suffix));
    rows(out);
    if (!out.close()) error = output::cannot_write(dir / name);
    return error.empty();
  };
  const auto field = [](std::string& text, std::string_view id) { output::append_csv_field(text, id); };
  const bool written = write("nodes.csv",
                             [&](FileWriter& out) {
                               out.text() = "id,external_assets,external_liabilities\n";
                               for (std::size_t i = 0; i < net.size(); ++i) {
                                 field(out.text(), net.ids[i]);
                                 out.text() += ',';
                                 output::append_number(out.text(), net.external_assets[i]);
                                 out.text() += ',';
                                 output::append_number(out.text(), net.external_liabilities[i]);
                                 out.text() += '\n';
                                 out.flush_if_full();
                               }
                             }) &&
                       write("edges.csv",
                             [&](FileWriter& out) {
                               out.text() = "debtor,creditor,amount\n";
                               for (const IndexedPlainNetwork::Edge& e : net.edges) {
                                 field(out.text(), net.ids[e.debtor]);
                                 out.text() += ',';
                                 field(out.text(), net.ids[e.creditor]);
                                 out.text() += ',';
                                 output::append_number(out.text(), e.amount);
                                 out.text() += '\n';
                                 out.flush_if_full();
                               }
                             }) &&
                       write("shock.csv", [&](FileWriter& out) {
                         out.text() = "id,fraction\n";
                         for (const IndexedPlainNetwork::Shock& s : net.shocks) {
                           field(out.text(), net.ids[s.node]);
                           out.text() += ',';
                           output::append_number(out.text(), s.fraction);
                           out.text() += '\n';
                           out.flush_if_full();
                         }
                       });
  if (!written) {
    remove_temporaries();
    return false;
  }
  for (const char* name : kNames) {
    fs::rename(dir / (name + suffix), dir / name, ec);
    if (ec) {
      error = "cannot write '" + (dir / name).string() + "': " + ec.message();
      remove_temporaries();
      return false;
    }
  }
  return true;
}

}  // namespace cascade::generate
