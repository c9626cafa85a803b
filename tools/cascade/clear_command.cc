#include "tools/cascade/clear_command.h"

#include <spdlog/spdlog.h>
#include <tbb/info.h>
#include <tbb/parallel_pipeline.h>
#include <tbb/task_arena.h>

#include <algorithm>
#include <array>
#include <charconv>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <iostream>
#include <limits>
#include <optional>
#include <string_view>

#include "engine/contagion/interbank_network.h"
#include "engine/contagion/plain_models.h"
#include "engine/core/diagnostics.h"
#include "engine/core/huge_pages.h"
#include "engine/network/plain_network.h"
#include "engine/output/text_format.h"
#include "tools/cascade/limit_options.h"
#include "tools/cascade/number_options.h"

namespace cascade::cli {
namespace {

using contagion::PlainModel;

/// The node list is formatted in blocks of this many nodes (about 1.5 MB of text), at most
/// kJsonBlocksInFlight at a time (a 10^6-node answer is ~180 MB).
constexpr std::size_t kJsonNodesPerBlock = 8192;
constexpr std::size_t kJsonBlocksInFlight = 4;
/// Room reserved per node in a block: a node's line is about 200-230 bytes (its id, five or
/// six numbers, the field names), so a block is written without growing its buffer.
constexpr std::size_t kJsonBytesPerNode = 256;
constexpr double kDefaultClearingTolerance = contagion::ClearingModelOptions{}.tolerance;
constexpr double kDefaultDebtRankTolerance = contagion::PlainModelOptions{}.debtrank_tolerance;

CLI::Validator whole_number_at_least_one() {
  return CLI::Validator(
      [](const std::string& text) -> std::string {
        int value = 0;
        const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
        return !text.empty() && text.front() != '-' && error == std::errc{} && end == text.data() + text.size() &&
                       value >= 1
                   ? std::string()
                   : "must be a whole number >= 1, got '" + text + "'";
      },
      "", "a whole number >= 1");
}

// --- JSON text: numbers in the engine's shortest round-trip form.

/// Appends JSON pieces to a string.
class JsonText {
 public:
  explicit JsonText(std::string& text) : text_(text) {}
  JsonText& raw(std::string_view s) {
    text_ += s;
    return *this;
  }
  JsonText& key(std::string_view key) {
    text_ += '"';
    text_ += key;
    text_ += "\": ";
    return *this;
  }
  JsonText& number(double value) {
    if (std::isfinite(value))
      output::append_number(text_, value);
    else
      text_ += "null";  // JSON has no infinity; only reachable with sums that overflow
    return *this;
  }
  JsonText& integer(std::size_t value) {
    std::array<char, 24> digits{};
    const auto end = std::to_chars(digits.data(), digits.data() + digits.size(), value).ptr;
    text_.append(digits.data(), end);
    return *this;
  }
  JsonText& string(std::string_view text) {
    output::append_json_string(text_, text);
    return *this;
  }

 private:
  std::string& text_;
};

/// About what `cascade clear` holds at its peak: 2.1 to 3.2 times its input files on the
/// Erdős–Rényi networks of bench/run_clear_bench.sh at 10^6 and 10^5 nodes (peak RSS against the
/// files' sizes). Missing files count 0 (the reader reports them).
std::size_t expected_peak_bytes(const std::filesystem::path& dir) {
  std::size_t bytes = 0;
  for (const char* name : {"nodes.csv", "edges.csv", "shock.csv"}) {
    std::error_code ec;
    const std::uintmax_t size = std::filesystem::file_size(dir / name, ec);
    if (!ec) bytes += size;
  }
  return 3 * bytes;
}

void write_stdout(const std::string& text) { std::fwrite(text.data(), 1, text.size(), stdout); }

/// The top-level figures and the parameters, up to the opening of the node list.
std::string json_head(const contagion::InterbankNetwork& net, const contagion::PlainModelOptions& options,
                      const contagion::PlainModelResult& r) {
  const bool clearing = r.model == PlainModel::eisenberg_noe || r.model == PlainModel::rogers_veraart;
  const bool debtrank = r.model == PlainModel::debtrank || r.model == PlainModel::debtrank_single_hit;
  std::string text;
  JsonText out(text);
  out.raw("{").key("model").string(contagion::to_string(r.model));
  out.raw(", ").key("institutions").integer(net.size());
  out.raw(", ").key("exposures").integer(net.edge_rows);
  out.raw(", ").key("iterations").integer(static_cast<std::size_t>(r.iterations));
  out.raw(", ").key("converged").raw(r.converged ? "true" : "false");
  out.raw(", ").key("total_loss").number(r.total_loss);
  out.raw(", ").key("defaults").integer(r.defaults);
  if (debtrank) {
    out.raw(", ").key("system_debtrank").number(r.system_debtrank.value_or(0.0));
    out.raw(", ").key("system_distress").number(r.system_distress.value_or(0.0));
  }
  out.raw(",\n ").key("parameters").raw("{");
  if (clearing) {
    const bool rv = r.model == PlainModel::rogers_veraart;
    out.key("alpha").number(rv ? options.clearing.alpha : 1.0);
    out.raw(", ").key("beta").number(rv ? options.clearing.beta : 1.0);
    out.raw(", ").key("external_priority").string(contagion::to_string(options.clearing.external_priority));
    out.raw(", ").key("method").string(contagion::to_string(r.method.value_or(contagion::ClearingMethod::automatic)));
    out.raw(", ").key("tolerance").number(options.clearing.tolerance);
    out.raw(", ").key("max_iterations").integer(static_cast<std::size_t>(options.clearing.max_iterations));
  } else if (r.model == PlainModel::furfine) {
    out.key("recovery").number(options.furfine.recovery);
  } else {
    out.key("weights").string(contagion::to_string(options.weights));
    if (r.model == PlainModel::debtrank) {
      out.raw(", ").key("tolerance").number(options.debtrank_tolerance);
      out.raw(", ").key("max_iterations").integer(static_cast<std::size_t>(options.debtrank_max_iterations));
    } else {
      out.raw(", ").key("impact_cap").raw(options.debtrank_impact_cap ? "true" : "false");
    }
  }
  out.raw("},\n ").key("nodes").raw("[");
  return text;
}

/// Room made for a node's line after its id: the fixed text (about 150 bytes), seven numbers
/// and `false`, with margin.
constexpr std::size_t kNodeLineAfterIdBytes = 192 + 7 * output::kMaxNumberChars;

/// Node i's line, with the separator before it. After the id, the text is written through a
/// pointer into room made once per line: an append per piece (a capacity check and a copy
/// each, about forty per line) cost as much as formatting the numbers.
void append_node(std::string& text, const contagion::InterbankNetwork& net, const contagion::PlainModelResult& r,
                 contagion::NodeIdx i) {
  text += i == 0 ? std::string_view("\n  {\"id\": ") : std::string_view(",\n  {\"id\": ");
  output::append_json_string(text, net.ids[i]);
  const std::size_t start = text.size();
  text.resize(start + kNodeLineAfterIdBytes);
  char* out = text.data() + start;
  const auto put = [&out](std::string_view piece) { out = std::copy(piece.begin(), piece.end(), out); };
  const auto number = [&](double value) {  // JSON has no infinity: only reachable with sums that overflow
    if (std::isfinite(value))
      out = output::write_number(out, value);
    else
      put("null");
  };
  const auto number_or_null = [&](const std::vector<double>& values) {  // null when the model has no such field
    if (values.empty())
      put("null");
    else
      number(values[i]);
  };
  put(", \"payment\": ");
  number_or_null(r.payment);
  put(", \"recovery_rate\": ");
  number_or_null(r.recovery_rate);
  put(", \"external_payment\": ");
  number_or_null(r.external_payment);
  put(", \"defaulted\": ");
  put(r.defaulted[i] ? "true" : "false");
  put(", \"equity_before\": ");
  number(r.equity_before[i]);
  put(", \"equity_after\": ");
  number(r.equity_after[i]);
  put(", \"debtrank\": ");
  number_or_null(r.debtrank);
  put(", \"default_round\": ");
  if (r.default_round.empty() || r.default_round[i] < 0)
    put("null");
  else
    out = std::to_chars(out, out + output::kMaxNumberChars, r.default_round[i]).ptr;
  put("}");
  text.resize(static_cast<std::size_t>(out - text.data()));
}

/// The result as one JSON object on stdout: top-level figures first, one node per line. The
/// node lines are formatted in blocks on the TBB worker threads and written in node order, a
/// few blocks in flight at a time, so memory stays bounded whatever the size.
void print_json(const contagion::InterbankNetwork& net, const contagion::PlainModelOptions& options,
                const contagion::PlainModelResult& r) {
  write_stdout(json_head(net, options, r));
  const std::size_t n = net.size();
  std::size_t next = 0;
  tbb::parallel_pipeline(
      kJsonBlocksInFlight,
      tbb::make_filter<void, std::size_t>(tbb::filter_mode::serial_in_order,
                                          [&](tbb::flow_control& control) -> std::size_t {
                                            if (next >= n) control.stop();
                                            const std::size_t first = next;
                                            next += kJsonNodesPerBlock;
                                            return first;
                                          }) &
          tbb::make_filter<std::size_t, std::string>(tbb::filter_mode::parallel,
                                                     [&](std::size_t first) {
                                                       std::string text;
                                                       const std::size_t last = std::min(n, first + kJsonNodesPerBlock);
                                                       text.reserve((last - first) * kJsonBytesPerNode +
                                                                    kNodeLineAfterIdBytes);
                                                       for (std::size_t i = first; i < last; ++i)
                                                         append_node(text, net, r, static_cast<contagion::NodeIdx>(i));
                                                       return text;
                                                     }) &
          tbb::make_filter<std::string, void>(tbb::filter_mode::serial_in_order,
                                              [](const std::string& text) { write_stdout(text); }));
  write_stdout(n == 0 ? "]}\n" : "\n ]}\n");
  std::fflush(stdout);
}

}  // namespace

ClearCommand::ClearCommand(CLI::App& app, const std::string& footer) {
  command_ =
      app.add_subcommand("clear",
                         "Run one reference contagion model on a plain network directory (nodes.csv, edges.csv,\n"
                         "optional shock.csv) and print the result as one JSON object (docs/plain-network.md).");
  command_->add_option("DIR", dir_, "Plain network directory (docs/plain-network.md)")->type_name("")->required();
  command_
      ->add_option("--model", model_,
                   "eisenberg-noe: greatest clearing vector (Eisenberg & Noe 2001);\n"
                   "rogers-veraart: the same with default costs --alpha, --beta (Rogers & Veraart 2013);\n"
                   "furfine: sequential defaults, claims on defaulters recover --recovery (Furfine 2003);\n"
                   "debtrank: linear DebtRank (Bardoscia et al. 2015);\n"
                   "debtrank-single-hit: each node passes its distress on once (Battiston et al. 2012).\n"
                   "Required.")
      ->type_name("MODEL")
      ->required()
      ->check(CLI::IsMember({"eisenberg-noe", "rogers-veraart", "furfine", "debtrank", "debtrank-single-hit"}));
  alpha_option_ = command_
                      ->add_option("--alpha", alpha_,
                                   "rogers-veraart: share of its post-shock external assets a defaulting institution\n"
                                   "realises, in [0, 1] (default: 1)")
                      ->type_name("A")
                      ->check(number_in(0.0, 1.0, "a number in [0, 1]"));
  beta_option_ =
      command_
          ->add_option("--beta", beta_,
                       "rogers-veraart: share of the value of its interbank claims a defaulting institution\n"
                       "realises, in [0, 1] (default: 1; alpha = beta = 1 is eisenberg-noe)")
          ->type_name("B")
          ->check(number_in(0.0, 1.0, "a number in [0, 1]"));
  external_priority_option_ =
      command_
          ->add_option("--external-priority", external_priority_,
                       "eisenberg-noe, rogers-veraart: how external liabilities rank in a default: pari-passu\n"
                       "(pro rata with interbank ones) or senior (paid first) (default: pari-passu)")
          ->type_name("PRIORITY")
          ->check(CLI::IsMember({"pari-passu", "senior"}));
  method_option_ =
      command_
          ->add_option("--method", method_,
                       "eisenberg-noe, rogers-veraart: fictitious-default (exact, at most n rounds), fixed-point\n"
                       "(Gauss-Seidel sweeps from full payment, for very large networks) or auto (fictitious-default\n"
                       "up to " +
                           std::to_string(contagion::kAutoFixedPointAboveInstitutions) +
                           " institutions, fixed-point above) (default: auto)")
          ->type_name("METHOD")
          ->check(CLI::IsMember({"auto", "fictitious-default", "fixed-point"}));
  recovery_option_ =
      command_
          ->add_option("--recovery", recovery_,
                       "furfine: share of a claim on a defaulted institution that is recovered, in [0, 1]\n"
                       "(default: 0)")
          ->type_name("R")
          ->check(number_in(0.0, 1.0, "a number in [0, 1]"));
  weights_option_ =
      command_
          ->add_option("--weights", weights_,
                       "debtrank, debtrank-single-hit: weights of system DebtRank: equity (initial equity,\n"
                       "institutions without equity weigh 0) or assets (total assets before the shock)\n"
                       "(default: equity)")
          ->type_name("WEIGHTS")
          ->check(CLI::IsMember({"equity", "assets"}));
  impact_cap_option_ =
      command_
          ->add_option("--impact-cap", impact_cap_,
                       "debtrank-single-hit: on: impact min(1, claim / equity), as in Battiston et al. 2012;\n"
                       "off: claim / equity uncapped, as in NetworkRiskMeasures (R) and neva (Python)\n"
                       "(default: on)")
          ->type_name("on|off")
          ->check(CLI::IsMember({"on", "off"}));
  tolerance_option_ =
      command_
          ->add_option("--tolerance", tolerance_,
                       "eisenberg-noe, rogers-veraart, debtrank: iterations stop when no recovery rate (distress)\n"
                       "moves by more than this in a sweep (step), from 0 to 1 (default: " +
                           output::format_number(kDefaultClearingTolerance) + " for clearing, " +
                           output::format_number(kDefaultDebtRankTolerance) + " for debtrank)")
          ->type_name("T")
          ->check(number_in(0.0, 1.0, "a number in [0, 1]"));
  max_iterations_option_ =
      command_
          ->add_option("--max-iterations", max_iterations_,
                       "eisenberg-noe, rogers-veraart, debtrank: cap on sweeps (steps) of an iterative solve;\n"
                       "reaching it gives \"converged\": false (default: 100000)")
          ->type_name("N")
          ->check(whole_number_at_least_one());
  command_
      ->add_option("--threads", threads_,
                   "Threads for the model's passes over every node or claim and for the JSON, 1 to 1024\n"
                   "(default: every core this process may use). The answer is byte-identical for any value.")
      ->type_name("N")
      ->check(whole_in(1, 1024));
  command_->add_flag("--json", json_, "Print JSON (the default and only format; accepted for explicitness)");
  command_->footer(footer);
}

ExitCode ClearCommand::run() const {
  const std::optional<PlainModel> model = contagion::parse_plain_model(model_);
  if (!model) throw InternalError("clear: --model passed the CLI check but is unknown: " + model_);
  // An option that does not apply to the model is a mistake worth reporting, not ignoring.
  const auto applies = [&](const CLI::Option* option, std::initializer_list<PlainModel> models) {
    if (option->count() == 0) return true;
    for (PlainModel m : models)
      if (m == *model) return true;
    std::string names;
    for (PlainModel m : models) names += (names.empty() ? "" : ", ") + std::string(contagion::to_string(m));
    std::cerr << "error: " << option->get_name() << " does not apply to --model " << model_ << " (only to " << names
              << ")\n";
    return false;
  };
  constexpr auto en = PlainModel::eisenberg_noe, rv = PlainModel::rogers_veraart, lin = PlainModel::debtrank,
                 single = PlainModel::debtrank_single_hit;
  const bool options_apply =
      applies(alpha_option_, {rv}) && applies(beta_option_, {rv}) && applies(external_priority_option_, {en, rv}) &&
      applies(method_option_, {en, rv}) && applies(recovery_option_, {PlainModel::furfine}) &&
      applies(weights_option_, {lin, single}) && applies(impact_cap_option_, {single}) &&
      applies(tolerance_option_, {en, rv, lin}) && applies(max_iterations_option_, {en, rv, lin});
  if (!options_apply) return ExitCode::bad_input;

  contagion::PlainModelOptions options;
  options.model = *model;
  options.clearing.alpha = *parse_finite(alpha_);
  options.clearing.beta = *parse_finite(beta_);
  options.clearing.external_priority = *contagion::parse_external_priority(external_priority_);
  options.clearing.method = *contagion::parse_clearing_method(method_);
  options.furfine.recovery = *parse_finite(recovery_);
  options.weights = *contagion::parse_debtrank_weights(weights_);
  options.debtrank_impact_cap = impact_cap_ == "on";
  const int max_iterations = std::stoi(max_iterations_);
  options.clearing.max_iterations = max_iterations;
  options.debtrank_max_iterations = max_iterations;
  if (!tolerance_.empty()) options.clearing.tolerance = options.debtrank_tolerance = *parse_finite(tolerance_);

  using Clock = std::chrono::steady_clock;
  const auto seconds_since = [](Clock::time_point t) {
    return std::chrono::duration<double>(Clock::now() - t).count();
  };
  const Clock::time_point start = Clock::now();
  keep_freed_memory_for_reuse(expected_peak_bytes(dir_));  // each phase reuses what the one before freed
  const int cores = tbb::info::default_concurrency();
  options.threads = threads_ == 0 ? cores : std::min(threads_, cores);
  Diagnostics diags;
  IndexedPlainNetwork plain = read_indexed_plain_network(dir_, diags, plain_network_limits(), options.threads);
  const double read_seconds = seconds_since(start);
  contagion::InterbankNetwork net;
  if (!diags.has_errors()) net = contagion::make_interbank_network(std::move(plain), diags, options.threads);
  if (diags.has_errors()) {
    for (const Diagnostic& d : diags.items()) std::cerr << d.format() << '\n';
    std::cerr << diags.error_count() << " error(s)\n";
    return ExitCode::bad_input;
  }
  for (const Diagnostic& d : diags.items()) std::cerr << d.format() << '\n';  // warnings
  const double network_seconds = seconds_since(start) - read_seconds;

  const contagion::PlainModelResult result = contagion::run_plain_model(net, options);
  const double model_seconds = seconds_since(start) - read_seconds - network_seconds;
  spdlog::info("{}: {} institutions, {} exposures, {} iterations{}, {} defaults ({} thread(s))", model_, net.size(),
               net.edge_rows, result.iterations, result.converged ? "" : " (not converged)", result.defaults,
               options.threads);
  if (!result.converged)
    spdlog::warn(
        "{} stopped at --max-iterations {} before converging (\"converged\": false): the answers are "
        "not exact; raise --max-iterations",
        model_, max_iterations);
  tbb::task_arena(options.threads).execute([&] { print_json(net, options, result); });
  spdlog::debug("seconds: read {:.4f}, network {:.4f}, model {:.4f}, output {:.4f}", read_seconds, network_seconds,
                model_seconds, seconds_since(start) - read_seconds - network_seconds - model_seconds);
  return ExitCode::ok;
}

}  // namespace cascade::cli
