#include "engine/analysis/firm_states.h"

#include <charconv>
#include <fstream>
#include <map>
#include <string>

#include "engine/model/model.h"
#include "engine/output/csv_reader.h"

namespace cascade::analysis {
namespace {

template <typename T>
bool parse(const std::string& text, T& value) {
  const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
  return error == std::errc{} && end == text.data() + text.size() && !text.empty();
}

struct Row {
  double capital = 0.0;  ///< book equity + investor capital
  double cash = 0.0;
  bool defaulted = false;
};

}  // namespace

std::string_view to_string(FirmState s) {
  switch (s) {
    case FirmState::healthy:
      return "healthy";
    case FirmState::distressed:
      return "distressed";
    case FirmState::defaulted:
      return "defaulted";
  }
  return "?";
}

FirmState classify_firm(double capital_start_usd_bn, double capital_usd_bn, double cash_usd_bn, bool defaulted) {
  if (defaulted) return FirmState::defaulted;
  const bool capital_gone = capital_usd_bn <= 0.0;
  const bool capital_fell =
      capital_start_usd_bn > 0.0 && capital_usd_bn < (1.0 - kDistressEquityDropFraction) * capital_start_usd_bn;
  const bool no_cash = cash_usd_bn <= kNoCashUsdBn;
  return capital_gone || capital_fell || no_cash ? FirmState::distressed : FirmState::healthy;
}

std::optional<FirmStates> read_firm_states(const std::filesystem::path& timeseries_csv, const Model& model,
                                           std::optional<Tick> tick, Diagnostics& diags) {
  const std::string file = timeseries_csv.string();
  std::ifstream in(timeseries_csv);
  if (!in) {
    diags.error({file, 0, 0}, "", "cannot read the run's timeseries (is it a run directory of `cascade run`?)");
    return std::nullopt;
  }
  std::string line;
  std::getline(in, line);
  const std::vector<std::string> header = output::split_csv_line(line);
  std::map<std::string, std::size_t> column;
  for (std::size_t i = 0; i < header.size(); ++i) column[header[i]] = i;
  for (const char* name : {"tick", "firm", "cash_usd_bn", "equity_usd_bn", "defaulted"})
    if (!column.count(name)) {
      diags.error({file, 1, 0}, "", std::string("missing column '") + name + "'");
      return std::nullopt;
    }
  const std::size_t c_tick = column["tick"], c_firm = column["firm"], c_cash = column["cash_usd_bn"],
                    c_equity = column["equity_usd_bn"], c_default = column["defaulted"];
  // A pass-through fund's book equity is 0 by construction: its investors' capital is its buffer.
  const auto investor_capital = column.find("investor_capital_usd_bn");

  // Rows at tick 0 and at the wanted tick (or the latest one so far), by firm id.
  std::map<std::string, Row> start, at;
  Tick at_tick = -1;
  int line_no = 1;
  while (std::getline(in, line)) {
    ++line_no;
    if (line.empty() || line == "\r") continue;
    const std::vector<std::string> f = output::split_csv_line(line);
    Tick t = 0;
    Row row;
    int defaulted = 0;
    double equity = 0.0, capital_of_investors = 0.0;
    if (f.size() != header.size()) {
      diags.error({file, line_no, 0}, "",
                  "expected " + std::to_string(header.size()) + " fields, got " + std::to_string(f.size()));
      return std::nullopt;
    }
    // The first cell that is not a number, named by its column: what to say, or "".
    std::string bad;
    const auto read = [&](std::size_t c, auto& value) {
      if (bad.empty() && !parse(f[c], value))
        bad = "column '" + header[c] + "': expected a number, got '" + excerpt(f[c]) + "'";
    };
    read(c_tick, t);
    read(c_cash, row.cash);
    read(c_equity, equity);
    read(c_default, defaulted);
    if (investor_capital != column.end()) read(investor_capital->second, capital_of_investors);
    if (!bad.empty()) {
      diags.error({file, line_no, 0}, "", bad);
      return std::nullopt;
    }
    row.capital = equity + capital_of_investors;
    row.defaulted = defaulted != 0;
    if (t == 0) start[f[c_firm]] = row;
    const bool wanted = tick ? t == *tick : t >= at_tick;
    if (!wanted) continue;
    if (t != at_tick) at.clear();
    at_tick = t;
    at[f[c_firm]] = row;
  }
  if (at.empty()) {
    diags.error({file, 0, 0}, "",
                tick ? "tick " + std::to_string(*tick) + " is not in the run" : std::string("the run has no rows"));
    return std::nullopt;
  }
  FirmStates out;
  out.tick = at_tick;
  for (const FirmSpec& firm : model.firms) {
    const auto now = at.find(firm.id);
    const auto then = start.find(firm.id);
    if (now == at.end() || then == start.end()) {
      diags.error({file, 0, 0}, "",
                  "firm '" + firm.id + "' of the scenario is not in the run (was the run made from this scenario?)");
      return std::nullopt;
    }
    out.states.push_back(
        classify_firm(then->second.capital, now->second.capital, now->second.cash, now->second.defaulted));
  }
  return out;
}

}  // namespace cascade::analysis
