#include "engine/sweep/results_table.h"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <limits>

#include "engine/core/diagnostics.h"
#include "engine/output/csv_file.h"
#include "engine/output/csv_reader.h"
#include "engine/output/sqlite_file.h"
#include "engine/output/staging_directory.h"
#include "engine/output/text_format.h"

namespace cascade::sweep {
namespace {

namespace fs = std::filesystem;
using output::append_csv_field;
using output::append_number;
using output::split_csv_line;

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
constexpr std::array<double, 3> kQuantiles{0.05, 0.5, 0.95};
constexpr std::array<std::string_view, 5> kStatistics{"mean", "sd", "q05", "q50", "q95"};

/// A number cell: empty for a missing (non-finite) value, which pandas and R read as missing.
void append_cell(std::string& out, double v) {
  if (std::isfinite(v)) output::append_amount(out, v);
}

void append_plan_fields(std::string& out, const RunPlan& run) {
  out += std::to_string(run.run_id);
  out += ',';
  out += std::to_string(run.point);
  out += ',';
  out += std::to_string(run.replicate);
  out += ',';
  out += std::to_string(run.seed);
  for (const std::string& text : run.value_texts) {
    out += ',';
    append_csv_field(out, text);
  }
}

double parse_double(const std::string& text) {
  if (text.empty()) return kNaN;
  double v = kNaN;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
  return ec == std::errc{} && end == text.data() + text.size() ? v : kNaN;
}
std::int64_t parse_int(const std::string& text) {
  std::int64_t v = 0;
  std::from_chars(text.data(), text.data() + text.size(), v);
  return v;
}

std::string distribution_name(DistributionKind k) {
  switch (k) {
    case DistributionKind::uniform: return "uniform";
    case DistributionKind::log_uniform: return "log-uniform";
    case DistributionKind::normal: return "normal";
    case DistributionKind::discrete: return "discrete";
  }
  return "?";
}

/// Builds results.sqlite alongside the CSV files.
class Database {
 public:
  Database(const fs::path& path, const SweepPlan& plan, std::span<const MetricSet::Column> outputs, const SweepInfo& info)
      : db_(path), params_(plan.spec().parameters.size()), outputs_(outputs.size()) {
    const SweepSpec& spec = plan.spec();
    db_.exec("CREATE TABLE sweep (key TEXT NOT NULL, value TEXT NOT NULL)");
    auto meta = db_.prepare("INSERT INTO sweep VALUES (?, ?)");
    auto put = [&](std::string_view key, const std::string& value) {
      meta.bind_text(1, key);
      meta.bind_text(2, value);
      meta.step();
    };
    std::string levels;
    for (std::uint32_t l : plan.design().spec().levels) levels += (levels.empty() ? "" : " ") + std::to_string(l);
    put("name", info.name);
    put("sweep_hash", spec.content_hash);
    put("scenario_file", info.scenario_file);
    put("scenario_hash", info.scenario_hash);
    put("cascade_version", info.version);
    put("cascade_build", info.build);
    put("design_method", std::string(to_string(spec.design.method)));
    put("design_samples", std::to_string(spec.design.samples));
    put("design_seed", std::to_string(spec.design.seed));
    put("design_levels", levels);
    put("design_second_order", spec.design.second_order ? "true" : "false");
    put("design_scramble", spec.design.scramble ? "true" : "false");
    put("replications", std::to_string(spec.replications));
    put("seed", std::to_string(spec.seed));
    put("points", std::to_string(plan.point_count()));
    put("runs", std::to_string(plan.run_count()));

    db_.exec("CREATE TABLE parameters (position INTEGER NOT NULL, path TEXT NOT NULL, distribution TEXT NOT NULL, "
             "min REAL, max REAL, mean REAL, sd REAL, \"values\" TEXT)");
    auto param = db_.prepare("INSERT INTO parameters VALUES (?, ?, ?, ?, ?, ?, ?, ?)");
    for (std::size_t i = 0; i < spec.parameters.size(); ++i) {
      const Distribution& d = spec.parameters[i].distribution;
      param.bind_int(1, static_cast<std::int64_t>(i));
      param.bind_text(2, spec.parameters[i].path);
      param.bind_text(3, distribution_name(d.kind));
      if (d.is_discrete()) {
        std::string values;
        for (const std::string& v : d.values) values += (values.empty() ? "" : "\n") + v;
        param.bind_text(8, values);
      } else {
        param.bind_double(4, d.min);
        param.bind_double(5, d.max);
        if (d.kind == DistributionKind::normal) {
          param.bind_double(6, d.mean);
          param.bind_double(7, d.sd);
        }
      }
      param.step();
    }
    db_.exec("CREATE TABLE outputs (position INTEGER NOT NULL, name TEXT NOT NULL, unit TEXT NOT NULL)");
    auto out = db_.prepare("INSERT INTO outputs VALUES (?, ?, ?)");
    for (std::size_t i = 0; i < outputs.size(); ++i) {
      out.bind_int(1, static_cast<std::int64_t>(i));
      out.bind_text(2, outputs[i].name);
      out.bind_text(3, outputs[i].unit);
      out.step();
    }

    std::string runs = "CREATE TABLE runs (run_id INTEGER PRIMARY KEY, point INTEGER NOT NULL, replicate INTEGER NOT NULL, "
                       "seed INTEGER NOT NULL";
    std::string aggregate = "CREATE TABLE aggregate (point INTEGER PRIMARY KEY";
    for (const SweepParameter& p : spec.parameters) {
      runs += ", " + output::SqliteFile::quote_identifier(p.path);
      aggregate += ", " + output::SqliteFile::quote_identifier(p.path);
    }
    aggregate += ", runs INTEGER NOT NULL, failed INTEGER NOT NULL";
    for (const MetricSet::Column& c : outputs) {
      runs += ", " + output::SqliteFile::quote_identifier(c.name) + " REAL";
      for (std::string_view s : kStatistics)
        aggregate += ", " + output::SqliteFile::quote_identifier(c.name + "_" + std::string(s)) + " REAL";
    }
    db_.exec(runs + ", error TEXT)");
    db_.exec(aggregate + ")");
    insert_run_ = std::make_unique<output::SqliteFile::Statement>(
        db_.prepare("INSERT INTO runs VALUES (" + placeholders(4 + params_ + outputs_ + 1) + ")"));
    insert_point_ = std::make_unique<output::SqliteFile::Statement>(
        db_.prepare("INSERT INTO aggregate VALUES (" + placeholders(1 + params_ + 2 + 5 * outputs_) + ")"));
  }

  /// `fields`: a results row split into cells.
  void add_run(const std::vector<std::string>& fields, const std::string& error) {
    auto& s = *insert_run_;
    for (int i = 0; i < 4; ++i) s.bind_int(i + 1, parse_int(fields[i]));
    bind_values(s, 5, fields, 4);
    for (std::size_t k = 0; k < outputs_; ++k) s.bind_double(static_cast<int>(5 + params_ + k), parse_double(fields[4 + params_ + k]));
    if (error.empty()) s.bind_null(static_cast<int>(5 + params_ + outputs_));
    else s.bind_text(static_cast<int>(5 + params_ + outputs_), error);
    s.step();
  }
  void add_point(const std::vector<std::string>& first_row, std::int64_t runs, std::int64_t failed,
                 const std::vector<double>& statistics) {
    auto& s = *insert_point_;
    s.bind_int(1, parse_int(first_row[1]));
    bind_values(s, 2, first_row, 4);
    s.bind_int(static_cast<int>(2 + params_), runs);
    s.bind_int(static_cast<int>(3 + params_), failed);
    for (std::size_t k = 0; k < statistics.size(); ++k) s.bind_double(static_cast<int>(4 + params_ + k), statistics[k]);
    s.step();
  }
  void commit() {
    insert_run_.reset();
    insert_point_.reset();
    db_.commit();
  }

 private:
  static std::string placeholders(std::size_t n) {
    std::string out;
    for (std::size_t i = 0; i < n; ++i) out += i == 0 ? "?" : ", ?";
    return out;
  }
  /// Parameter values: numbers as REAL, anything else (a discrete name) as TEXT.
  void bind_values(output::SqliteFile::Statement& s, int first_index, const std::vector<std::string>& fields,
                   std::size_t first_field) {
    for (std::size_t i = 0; i < params_; ++i) {
      const std::string& text = fields[first_field + i];
      const double v = parse_double(text);
      if (std::isfinite(v)) s.bind_double(first_index + static_cast<int>(i), v);
      else s.bind_text(first_index + static_cast<int>(i), text);
    }
  }

  output::SqliteFile db_;
  std::size_t params_;
  std::size_t outputs_;
  std::unique_ptr<output::SqliteFile::Statement> insert_run_;
  std::unique_ptr<output::SqliteFile::Statement> insert_point_;
};

std::string aggregate_header(const SweepSpec& spec, std::span<const MetricSet::Column> outputs) {
  std::string h = "point";
  for (const SweepParameter& p : spec.parameters) {
    h += ',';
    append_csv_field(h, p.path);
  }
  h += ",runs,failed";
  for (const MetricSet::Column& c : outputs)
    for (std::string_view s : kStatistics) {
      h += ',';
      append_csv_field(h, c.name + "_" + std::string(s));
    }
  return h;
}

/// Accumulates one point's runs and writes its aggregate row.
struct PointAccumulator {
  std::vector<std::string> first_row;
  std::int64_t runs = 0;
  std::int64_t failed = 0;
  std::vector<std::vector<double>> values;  ///< per output, the successful runs' values

  void flush(output::CsvFile& csv, Database& db, std::size_t params) {
    if (runs == 0) return;
    std::vector<double> stats;
    std::string& row = csv.begin_row();
    row += first_row[1];
    for (std::size_t i = 0; i < params; ++i) {
      row += ',';
      append_csv_field(row, first_row[4 + i]);
    }
    row += ',' + std::to_string(runs) + ',' + std::to_string(failed);
    for (std::vector<double>& v : values) {
      std::sort(v.begin(), v.end());
      const double n = static_cast<double>(v.size());
      double sum = 0.0;
      for (double x : v) sum += x;
      const double mean = v.empty() ? kNaN : sum / n;
      double squares = 0.0;
      for (double x : v) squares += (x - mean) * (x - mean);
      const double sd = v.size() < 2 ? kNaN : std::sqrt(squares / (n - 1.0));
      for (double s : {mean, sd, sorted_quantile(v, kQuantiles[0]), sorted_quantile(v, kQuantiles[1]),
                       sorted_quantile(v, kQuantiles[2])}) {
        row += ',';
        append_cell(row, s);
        stats.push_back(output::clean_amount(s));  // the database holds what aggregate.csv shows
      }
      v.clear();
    }
    csv.end_row();
    db.add_point(first_row, runs, failed, stats);
    runs = failed = 0;
  }
};

}  // namespace

double sorted_quantile(std::span<const double> sorted, double p) {
  if (sorted.empty()) return kNaN;
  const double h = (static_cast<double>(sorted.size()) - 1.0) * p;
  const auto lo = static_cast<std::size_t>(std::floor(h));
  const std::size_t hi = std::min(lo + 1, sorted.size() - 1);
  return sorted[lo] + (h - static_cast<double>(lo)) * (sorted[hi] - sorted[lo]);
}

std::string results_header(const SweepSpec& spec, std::span<const MetricSet::Column> outputs) {
  std::string h = "run_id,point,replicate,seed";
  for (const SweepParameter& p : spec.parameters) {
    h += ',';
    append_csv_field(h, p.path);
  }
  for (const MetricSet::Column& c : outputs) {
    h += ',';
    append_csv_field(h, c.name);
  }
  return h + '\n';
}

void append_run_row(std::string& payload, const RunPlan& run, std::span<const double> outputs) {
  payload += 'R';
  append_plan_fields(payload, run);
  for (double v : outputs) {
    payload += ',';
    append_cell(payload, v);
  }
  payload += '\n';
}

void append_failed_row(std::string& payload, const RunPlan& run, std::size_t output_count, std::string_view error) {
  payload += 'R';
  append_plan_fields(payload, run);
  payload.append(output_count, ',');
  payload += "\nF";
  payload += std::to_string(run.run_id);
  payload += ',';
  std::string flat(error);
  std::replace(flat.begin(), flat.end(), '\n', ' ');
  append_csv_field(payload, flat);
  payload += '\n';
}

std::vector<std::uint64_t> missing_chunks(const SweepPlan& plan, std::span<const Journal* const> journals) {
  std::vector<std::uint64_t> out;
  for (std::uint64_t c = 0; c < plan.chunk_count(); ++c)
    if (std::none_of(journals.begin(), journals.end(), [&](const Journal* j) { return j->has(c); })) out.push_back(c);
  return out;
}

FailedRuns write_sweep_results(const SweepPlan& plan, std::span<const MetricSet::Column> outputs,
                               std::span<const Journal* const> journals, const SweepInfo& info, const fs::path& dir) {
  if (const std::vector<std::uint64_t> missing = missing_chunks(plan, journals); !missing.empty())
    throw JournalError(std::to_string(missing.size()) + " of " + std::to_string(plan.chunk_count()) +
                       " chunks have not run yet (the first is chunk " + std::to_string(missing.front()) + ")");
  const SweepSpec& spec = plan.spec();
  const std::size_t params = spec.parameters.size();
  const std::string header = results_header(spec, outputs);
  // A write that fails (a full disk) leaves no half-written file behind: the next attempt writes
  // them all again. After the renames below there is nothing left to remove.
  struct RemoveTemporaries {
    const fs::path& dir;
    ~RemoveTemporaries() {
      std::error_code ignored;
      for (std::string_view name : kSweepResultFiles) fs::remove(dir / (std::string(name) + ".tmp"), ignored);
    }
  } const temporaries{dir};
  output::CsvFile results(dir / "results.csv.tmp", std::string_view(header).substr(0, header.size() - 1));
  output::CsvFile failures(dir / "failures.csv.tmp", "run_id,point,replicate,seed,error");
  output::CsvFile aggregate(dir / "aggregate.csv.tmp", aggregate_header(spec, outputs));
  Database db(dir / "results.sqlite.tmp", plan, outputs, info);

  FailedRuns failed_runs;
  PointAccumulator point;
  point.values.resize(outputs.size());
  std::vector<std::string> pending_row;  // a failed run's row waits for its error line
  auto add_row = [&](const std::vector<std::string>& fields, const std::string& error) {
    CASCADE_ASSERT(fields.size() == 4 + params + outputs.size(), "journal row with the wrong number of cells");
    if (point.runs > 0 && fields[1] != point.first_row[1]) point.flush(aggregate, db, params);
    if (point.runs == 0) point.first_row = fields;
    ++point.runs;
    if (!error.empty()) ++point.failed;
    else
      for (std::size_t k = 0; k < outputs.size(); ++k)
        if (const double v = parse_double(fields[4 + params + k]); std::isfinite(v)) point.values[k].push_back(v);
    db.add_run(fields, error);
  };

  for (std::uint64_t c = 0; c < plan.chunk_count(); ++c) {
    const Journal* source = *std::find_if(journals.begin(), journals.end(), [&](const Journal* j) { return j->has(c); });
    const std::string payload = source->read_payload(source->records().at(c));
    std::size_t begin = 0;
    while (begin < payload.size()) {
      const std::size_t end = payload.find('\n', begin);
      CASCADE_ASSERT(end != std::string::npos, "journal payload without a final newline");
      const std::string_view line(payload.data() + begin + 1, end - begin - 1);
      if (payload[begin] == 'R') {
        if (!pending_row.empty()) throw InternalError("a failed run's row has no error line");
        std::string& row = results.begin_row();
        row.append(line);
        results.end_row();
        std::vector<std::string> fields = split_csv_line(line);
        // A failed run's outputs are all empty and an F line follows.
        const bool failed = end + 1 < payload.size() && payload[end + 1] == 'F';
        if (failed) pending_row = std::move(fields);
        else add_row(fields, "");
      } else if (payload[begin] == 'F') {
        const std::vector<std::string> error = split_csv_line(line);
        CASCADE_ASSERT(error.size() == 2 && !pending_row.empty() && error[0] == pending_row[0],
                       "journal error line without its run");
        std::string& row = failures.begin_row();
        for (int i = 0; i < 4; ++i) row += pending_row[i] + ',';
        append_csv_field(row, error[1]);
        failures.end_row();
        if (failed_runs.count++ == 0)  // fields: run_id, point, replicate, seed
          failed_runs.first =
              "run " + pending_row[0] + " (point " + pending_row[1] + ", seed " + pending_row[3] + "): " + error[1];
        add_row(pending_row, error[1].empty() ? "failed" : error[1]);
        pending_row.clear();
      } else {
        throw InternalError("journal line of unknown kind in chunk " + std::to_string(c));
      }
      begin = end + 1;
    }
  }
  point.flush(aggregate, db, params);
  results.close();
  failures.close();
  aggregate.close();
  db.commit();
  for (std::string_view name : kSweepResultFiles) {
    std::error_code ec;
    fs::rename(dir / (std::string(name) + ".tmp"), dir / name, ec);
    if (ec) throw output::OutputError("cannot move '" + (dir / name).string() + "' into place: " + ec.message());
  }
  return failed_runs;
}

}  // namespace cascade::sweep
