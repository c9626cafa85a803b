#include "tools/cascade/sweep_command.h"

#include <spdlog/spdlog.h>
#include <unistd.h>

#include <algorithm>
#include <charconv>
#include <chrono>
#include <csignal>
#include <cstdlib>
#include <cstring>
#include <iostream>

#include "agents/firm_types.h"
#include "engine/core/build_id.h"
#include "engine/output/csv_file.h"
#include "engine/output/staging_directory.h"
#include "engine/output/text_format.h"
#include "engine/sweep/results_table.h"
#include "engine/sweep/runner.h"
#include "engine/sweep/sweep_directory.h"
#include "scenarios/loader/document.h"
#include "scenarios/loader/sweep_models.h"
#include "scenarios/loader/sweep_reader.h"
#include "tools/cascade/limit_options.h"
#include "tools/cascade/progress.h"
#include "tools/cascade/sweep_support.h"
#ifdef CASCADE_WITH_MPI
#include "engine/sweep/mpi_runner.h"
#endif

namespace cascade::cli {
namespace {

namespace fs = std::filesystem;
using output::Json;

/// Set by SIGINT or SIGTERM (Ctrl-C; a batch system's time limit) while a sweep runs: no new
/// chunk starts; running ones finish and are kept.
std::atomic<bool> g_interrupted{false};
extern "C" void on_interrupt(int) { g_interrupted.store(true); }

/// Installs the SIGINT and SIGTERM handler for its lifetime.
class InterruptGuard {
 public:
  InterruptGuard() {
    g_interrupted = false;
    struct sigaction action {};
    action.sa_handler = on_interrupt;
    sigemptyset(&action.sa_mask);
    sigaction(SIGINT, &action, &previous_int_);
    sigaction(SIGTERM, &action, &previous_term_);
  }
  ~InterruptGuard() {
    sigaction(SIGINT, &previous_int_, nullptr);
    sigaction(SIGTERM, &previous_term_, nullptr);
  }

 private:
  struct sigaction previous_int_ {};
  struct sigaction previous_term_ {};
};

std::optional<std::uint32_t> parse_u32(std::string_view text) {
  std::uint32_t v = 0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
  if (text.empty() || ec != std::errc{} || end != text.data() + text.size()) return std::nullopt;
  return v;
}

/// "1 replication", "20 replications".
std::string replications_text(std::uint32_t replications) {
  return std::to_string(replications) + (replications == 1 ? " replication" : " replications");
}

ScenarioError shard_error(std::string message) {
  return ScenarioError({"<command line>", 0, 0}, "--shard", std::move(message));
}

Json sweep_manifest(const sweep::SweepPlan& plan, const sweep::SweepIdentity& identity,
                    std::span<const sweep::MetricSet::Column> outputs, const SweepCommand& command) {
  const sweep::SweepSpec& spec = plan.spec();
  Json manifest = sweep::SweepDirectory::identity_json(identity);
  Json columns = Json::array();
  for (const auto& c : outputs) columns.push_back(Json{{"name", c.name}, {"unit", c.unit}});
  manifest["status"] = "running";
  manifest["name"] = spec.name;
  manifest["sweep_file"] = spec.file;
  manifest["scenario_file"] = spec.scenario_text;
  manifest["design"] = design_json(spec);
  manifest["replications"] = spec.replications;
  manifest["seed"] = spec.seed;
  manifest["points"] = plan.point_count();
  manifest["chunks"] = plan.chunk_count();
  manifest["chunk_runs"] = plan.chunk_runs();
  manifest["outputs"] = std::move(columns);
  manifest["threads"] = command.threads;
  manifest["command_line"] = command.command_line;
  return manifest;
}

}  // namespace

sweep::Shard resolve_shard(const std::optional<std::string>& shard_text,
                           const std::function<const char*(const char*)>& environment) {
  if (shard_text) {
    const std::size_t slash = shard_text->find('/');
    const auto index = parse_u32(std::string_view(*shard_text).substr(0, slash));
    const auto count = slash == std::string::npos ? std::nullopt : parse_u32(std::string_view(*shard_text).substr(slash + 1));
    if (!index || !count || *count == 0)
      throw shard_error("expected I/N with whole numbers, N >= 1, got '" + *shard_text + "'");
    if (*index >= *count)
      throw shard_error("shards are numbered from 0: I/N needs 0 <= I < N, got '" + *shard_text + "'" +
                        (*index == *count ? " (for 1-based numbering write " + std::to_string(*index - 1) + "/" +
                                                std::to_string(*count) + ")"
                                          : ""));
    return {*index, *count};
  }
  const char* id = environment("SLURM_ARRAY_TASK_ID");
  if (!id) return {0, 1};
  const char* min = environment("SLURM_ARRAY_TASK_MIN");
  const char* max = environment("SLURM_ARRAY_TASK_MAX");
  const char* count = environment("SLURM_ARRAY_TASK_COUNT");
  const char* step = environment("SLURM_ARRAY_TASK_STEP");
  const auto id_v = parse_u32(id);
  const auto min_v = parse_u32(min ? min : "");
  const auto max_v = parse_u32(max ? max : "");
  if (!id_v || !min_v || !max_v || *max_v < *min_v || *id_v < *min_v || *id_v > *max_v)
    throw shard_error("SLURM_ARRAY_TASK_ID is set but SLURM_ARRAY_TASK_MIN/MAX are missing or inconsistent; "
                      "pass --shard I/N explicitly");
  const std::uint32_t first = *min_v;
  const std::uint32_t last = *max_v;
  const std::uint32_t n = last - first + 1;
  // A whole array is numbered from 0 or 1; one starting later is a resubmission of some of its
  // tasks (--array=41-42), which cannot say how many shards the sweep has: taken as an array of
  // its own, it would run the sweep in 2 shards (or, --array=2-2, whole).
  if (first > 1)
    throw shard_error("the Slurm array starts at " + std::to_string(first) +
                      ": a resubmission of some tasks cannot say how many shards the sweep has; give the shard "
                      "count (array-job.sh's third argument, or --shard I/N)");
  if ((step && parse_u32(step) != 1u) || (count && parse_u32(count) != n))
    throw shard_error("the Slurm array has a step or gaps (SLURM_ARRAY_TASK_COUNT " + std::string(count ? count : "?") +
                      " for ids " + std::to_string(first) + "-" + std::to_string(last) + "); submit it as --array=0-" +
                      std::to_string(n - 1) + " (or 1-" + std::to_string(n) + "), or pass --shard I/N");
  return {*id_v - first, n};
}

ExitCode design(const DesignCommand& command) {
  std::optional<sweep::SweepSpec> spec = load_sweep_or_report(command.sweep_file, sweep_limits(command.max_runs));
  if (!spec) return ExitCode::bad_input;
  const sweep::SweepPlan plan(std::move(*spec));
  std::error_code ec;
  const fs::file_status target = fs::status(command.out_file, ec);
  if (fs::is_directory(target)) {
    std::cerr << "error: --out '" << command.out_file.string() << "' is a directory; give the CSV file to write\n";
    return ExitCode::bad_input;
  }
  // A device or FIFO (`--out /dev/stdout`), or a file through a symbolic link, is written in
  // place (a rename would replace the link); a file is replaced whole, through a temporary name
  // of this process's own. An existing file is replaced only with --force.
  const bool device = fs::exists(target) && !fs::is_regular_file(target);
  const bool in_place = device || fs::is_symlink(fs::symlink_status(command.out_file, ec));
  if (!command.force && !device && fs::exists(fs::symlink_status(command.out_file, ec))) {
    std::cerr << "error: '" << command.out_file.string() << "' already exists; pass --force to replace it\n";
    return ExitCode::bad_input;
  }
  const fs::path tmp =
      in_place ? command.out_file : fs::path(command.out_file.string() + ".tmp-" + std::to_string(::getpid()));
  try {
    if (command.out_file.has_parent_path()) fs::create_directories(command.out_file.parent_path());
    std::string header = sweep::results_header(plan.spec(), {});
    header.pop_back();
    output::CsvFile csv(tmp, header);
    for (std::uint64_t r = 0; r < plan.run_count(); ++r) {
      const sweep::RunPlan run = plan.run(r);
      std::string& row = csv.begin_row();
      row += std::to_string(run.run_id) + ',' + std::to_string(run.point) + ',' + std::to_string(run.replicate) + ',' +
             std::to_string(run.seed);
      for (const std::string& v : run.value_texts) {
        row += ',';
        output::append_csv_field(row, v);
      }
      csv.end_row();
    }
    csv.close();
    if (!in_place) fs::rename(tmp, command.out_file);
  } catch (const std::exception& e) {
    if (!in_place) fs::remove(tmp, ec);
    std::cerr << "error: " << e.what() << '\n';
    return ExitCode::bad_input;
  }
  (in_place ? std::cerr : std::cout) << command.out_file.string() << ": " << with_thousands(plan.run_count())
                                     << " runs (" << with_thousands(plan.point_count()) << " points x "
                                     << replications_text(plan.spec().replications) << ", "
                                     << to_string(plan.spec().design.method) << " design)\n";
  return ExitCode::ok;
}

namespace {

/// Everything a process needs to run the sweep's chunks.
struct LoadedSweep {
  std::optional<sweep::SweepPlan> plan;
  std::optional<scenario::SweepModels> models;
  std::optional<sweep::MetricSet> metrics;
  sweep::Shard shard;
  sweep::SweepIdentity identity;
  std::string sweep_bytes;  ///< the sweep file, kept in the directory as sweep.yaml
};

/// Checks the scenario of `spec` and gets its chunks ready to run; reports problems (when
/// `report`) and returns nothing on bad input.
std::optional<LoadedSweep> prepare(sweep::SweepSpec spec, std::string sweep_bytes, sweep::Shard shard, bool report) {
  LoadedSweep out;
  try {
    out.models.emplace(spec, scenario_limits());
  } catch (const ScenarioError& e) {
    if (report) report_sweep_error(e);
    return std::nullopt;
  }
  out.shard = shard;
  out.sweep_bytes = std::move(sweep_bytes);
  out.plan.emplace(std::move(spec));
  const sweep::SweepSpec& s = out.plan->spec();
  out.metrics.emplace(sweep::MetricSet::expand(s.outputs.empty() ? sweep::default_outputs() : s.outputs, out.models->base()));
  out.identity = {.sweep_hash = s.content_hash,
                  .scenario_hash = out.models->base().info.content_hash,
                  .version = CASCADE_VERSION,
                  .build = std::string(build_id()),
                  .shard = out.shard,
                  .runs = out.plan->run_count()};
  return out;
}

/// Loads and checks the sweep file, the shard and the scenario; reports problems (when
/// `report`) and returns nothing on bad input.
std::optional<LoadedSweep> load_for_running(const SweepCommand& command, bool report) {
  try {
    const InputLimits limits = sweep_limits(command.max_runs);
    sweep::SweepSpec spec = scenario::load_sweep(command.sweep_file, limits);
    const sweep::Shard shard = resolve_shard(command.shard_text, [](const char* name) { return std::getenv(name); });
    std::string bytes, read_error;
    scenario::read_file_bytes(command.sweep_file, bytes, read_error, limits.max_file_bytes);  // just read by load_sweep
    return prepare(std::move(spec), std::move(bytes), shard, report);
  } catch (const ScenarioError& e) {
    if (report) report_sweep_error(e);
    return std::nullopt;
  }
}

/// Checks the design points the shard runs (unless an earlier attempt did): ok, or bad_input
/// after reporting invalid ones, or interrupted (SIGINT or SIGTERM) with nothing run or written.
/// A shard checks only its own points, so that an array of N shards checks each point once,
/// not N times.
ExitCode check_points(const SweepCommand& command, const LoadedSweep& s) {
  const sweep::SweepPlan& plan = *s.plan;
  const auto [first_chunk, last_chunk] = sweep::shard_chunks(plan.chunk_count(), s.shard);
  if (first_chunk == last_chunk) return ExitCode::ok;
  const std::uint64_t first_point = plan.run(plan.chunk_begin(first_chunk)).point;
  const std::uint64_t end_point = plan.run(plan.chunk_end(last_chunk - 1) - 1).point + 1;
  std::atomic<std::uint64_t> checked{0};
  std::uint64_t invalid = 0;
  std::vector<Diagnostic> problems;
  {
    InterruptGuard interrupt;
    ProgressDisplay progress("points checked", end_point - first_point, checked, command.quiet);
    problems = s.models->check(plan, first_point, end_point, command.threads, invalid, &checked, 10, &g_interrupted);
    if (g_interrupted) {
      std::cerr << "interrupted while checking the design's points (" << with_thousands(checked.load()) << " of "
                << with_thousands(end_point - first_point) << "): nothing was run or written\n";
      return ExitCode::interrupted;
    }
  }
  if (invalid == 0) return ExitCode::ok;
  for (const Diagnostic& d : problems) std::cerr << d.format() << '\n';
  std::cerr << with_thousands(invalid) << " of " << with_thousands(end_point - first_point)
            << " points make the scenario invalid" << (invalid > 10 ? " (the first 10 are listed)" : "")
            << "; nothing was run\n";
  return ExitCode::bad_input;
}

/// Runs the shard's pending chunks: on this process's threads, or with MPI workers.
using ChunkScheduler = std::function<sweep::LocalRunOutcome(const LoadedSweep&, sweep::Journal&, sweep::RunnerProgress&)>;

/// The sweep on the process that owns the directory (the only one, or MPI rank 0), from the
/// directory check to the result files. `ready` is called once it is decided whether chunks run.
ExitCode run_owned(const SweepCommand& command, const LoadedSweep& s, const std::function<void(bool)>& ready,
                   const ChunkScheduler& schedule) {
  const sweep::SweepPlan& plan = *s.plan;
  const sweep::SweepSpec& spec = plan.spec();
  // A finished sweep is not run again; one whose points were all checked before is not checked again.
  const PreviousSweep previous = peek_sweep_directory(command.out_dir, s.identity);
  if (previous.complete && !command.force) {
    const std::optional<std::string> damage = sweep::result_files_damage(command.out_dir, previous.result_files);
    if (!damage) {
      ready(false);
      std::cout << command.out_dir.string() << ": this sweep is already complete (" << with_thousands(plan.run_count())
                << " runs" << (previous.other_build.empty() ? "" : ", by build " + previous.other_build)
                << "); pass --force to run it again" << (previous.other_build.empty() ? "" : " with this build")
                << '\n';
      return ExitCode::ok;
    }
    std::error_code ec;
    if (fs::exists(command.out_dir / "journal.cj", ec))
      spdlog::warn("{}: {}; the result files are written again from the journal", command.out_dir.string(), *damage);
    else
      spdlog::warn("{}: {}, and there is no journal.cj to write them again from: every run is run again",
                   command.out_dir.string(), *damage);
  }
  if (!previous.points_checked || command.force)
    if (const ExitCode checked = check_points(command, s); checked != ExitCode::ok) {
      ready(false);
      return checked;
    }
  std::optional<sweep::SweepDirectory> dir;
  try {
    dir.emplace(sweep::SweepDirectory::open(command.out_dir, s.identity, s.sweep_bytes, command.force));
  } catch (const std::runtime_error& e) {  // SweepDirectoryError, JournalError, OutputError
    ready(false);
    std::cerr << "error: " << e.what() << '\n';
    return ExitCode::bad_input;
  }
  ready(true);
  Json manifest;
  try {
    manifest = sweep_manifest(plan, s.identity, s.metrics->columns(), command);
    manifest["points_checked"] = true;
    const auto [first_chunk, last_chunk] = sweep::shard_chunks(plan.chunk_count(), s.shard);
    const std::uint64_t shard_runs =
        first_chunk == last_chunk ? 0 : plan.chunk_end(last_chunk - 1) - plan.chunk_begin(first_chunk);
    std::uint64_t already = 0;
    for (const auto& [chunk, record] : dir->journal().records())
      if (chunk >= first_chunk && chunk < last_chunk) already += record.run_end - record.run_begin;
    dir->write_manifest(manifest);
    if (dir->journal().dropped_bytes() > 0)
      spdlog::warn("{}: the last {} bytes of {} did not check out (a torn or damaged record) and were dropped; "
                   "their runs run again",
                   command.out_dir.string(), with_thousands(dir->journal().dropped_bytes()),
                   dir->journal().file().filename().string());
    if (already > 0)
      spdlog::info("resuming {}: {} of {} runs already done", command.out_dir.string(), with_thousands(already),
                   with_thousands(shard_runs));
    spdlog::info("sweep {}: {} runs ({} points x {}){}, {} thread(s)", spec.name, with_thousands(plan.run_count()),
                 with_thousands(plan.point_count()), replications_text(spec.replications),
                 s.shard.count > 1 ? ", shard " + std::to_string(s.shard.index) + "/" + std::to_string(s.shard.count) : "",
                 command.threads);

    sweep::RunnerProgress counters;
    counters.runs_done = already;
    const auto start = std::chrono::steady_clock::now();
    sweep::LocalRunOutcome outcome;
    {
      InterruptGuard interrupt;
      ProgressDisplay progress("runs", shard_runs, counters.runs_done, command.quiet);
      outcome = schedule(s, dir->journal(), counters);
    }
    const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    const std::uint64_t done = counters.runs_done.load();
    manifest["runs_done"] = done;
    if (outcome.interrupted || outcome.stopped_on_failure) {
      manifest["status"] = outcome.interrupted ? "interrupted" : "stopped";
      dir->write_manifest(manifest);
      if (outcome.stopped_on_failure)
        std::cerr << "stopped: " << *outcome.first_error << "\n(on_failure: stop) " << with_thousands(done) << " of "
                  << with_thousands(shard_runs) << " runs are kept; fix the cause and run the same command to resume\n";
      else
        std::cerr << "interrupted: " << with_thousands(done) << " of " << with_thousands(shard_runs)
                  << " runs are done and kept; run the same command to resume\n";
      return outcome.interrupted ? ExitCode::interrupted : ExitCode::runs_failed;
    }
    std::string summary =
        "Sweep " + spec.name + ": " + with_thousands(outcome.runs) + " runs in " + format_duration(seconds) + " (" +
        with_thousands(static_cast<std::uint64_t>(static_cast<double>(outcome.runs) / std::max(seconds, 1e-9))) +
        " runs/s)";
    if (already > 0) summary += ", " + with_thousands(already) + " done before";
    if (s.shard.count > 1) {
      std::cout << summary << '\n';
      if (outcome.first_error)  // the shard's earlier attempts are counted when the shards are merged
        std::cout << "  " << with_thousands(outcome.failed) << " run(s) failed"
                  << (already > 0 ? " in this attempt" : "") << "; the first: " << *outcome.first_error << '\n';
      manifest["status"] = "complete";
      dir->write_manifest(manifest);
      std::cout << "Shard " << s.shard.index << "/" << s.shard.count << " is complete in " << command.out_dir.string()
                << "; when every shard is, combine them with: cascade merge DIR... --out DIR\n";
      return ExitCode::ok;
    }
    const sweep::Journal* journals[] = {&dir->journal()};
    const sweep::FailedRuns failed = sweep::write_sweep_results(plan, s.metrics->columns(), journals,
                                                                {.version = CASCADE_VERSION,
                                                                 .build = s.identity.build,
                                                                 .name = spec.name,
                                                                 .scenario_file = spec.scenario_text,
                                                                 .scenario_hash = s.identity.scenario_hash},
                                                                command.out_dir);
    manifest["result_files"] = sweep::result_file_fingerprints(command.out_dir, sweep::kSweepResultFiles);
    manifest["status"] = "complete";
    dir->write_manifest(manifest);
    std::cout << summary << '\n';                    // once the files are there
    print_results_written(command.out_dir, failed);  // every attempt's failures, resumed ones too
  } catch (const std::runtime_error& e) {  // JournalError, OutputError
    std::cerr << "error: " << e.what() << '\n';
    // Not left "running" for whoever watches the manifests; the same command resumes.
    if (manifest.is_object()) try {
        manifest["status"] = "failed";
        manifest["error"] = e.what();
        dir->write_manifest(manifest);
      } catch (const std::runtime_error&) {  // the disk that failed the files may refuse the manifest too
      }
    return ExitCode::bad_input;
  }
  return ExitCode::ok;
}

sweep::LocalRunOutcome run_on_threads(const SweepCommand& command, const LoadedSweep& s, sweep::Journal& journal,
                                      sweep::RunnerProgress& counters) {
  return sweep::run_pending_chunks(*s.plan, *s.metrics, *s.models, agents::standard_behaviours(), journal,
                                   {.threads = command.threads,
                                    .shard = s.shard,
                                    .stop_requested = &g_interrupted,
                                    .progress = &counters});
}

/// The sweep on this process alone.
ExitCode run_locally(const SweepCommand& command, const std::optional<LoadedSweep>& s) {
  if (!s) return ExitCode::bad_input;
  return run_owned(
      command, *s, [](bool) {},
      [&](const LoadedSweep& l, sweep::Journal& j, sweep::RunnerProgress& p) {
        return run_on_threads(command, l, j, p);
      });
}

}  // namespace

ExitCode run_sweep(const SweepCommand& command, sweep::SweepSpec spec, std::string sweep_bytes) {
  return run_locally(command, prepare(std::move(spec), std::move(sweep_bytes), {}, /*report=*/true));
}

ExitCode sweep(const SweepCommand& command) {
#ifdef CASCADE_WITH_MPI
  if (sweep::mpi::launched_by_mpi()) {
    const sweep::mpi::Session session(nullptr, nullptr);
    if (session.size() > 1) {
      constexpr int kGo = 1, kStop = 0;
      // The sweep's identity (its file's and its scenario's hashes): every rank must run the
      // sweep rank 0 journals, from its own copies of the files.
      const auto identity_text = [](const LoadedSweep& l) {
        return "sweep " + l.identity.sweep_hash + ", scenario " + l.identity.scenario_hash;
      };
      if (session.rank() != 0) {
        // Workers follow rank 0's verdict; it reports every problem of the sweep itself, so a
        // worker speaks only of what it sees differently.
        if (session.broadcast(kStop) != kGo) return ExitCode::ok;
        const std::string expected = session.broadcast(std::string());
        std::optional<LoadedSweep> s = load_for_running(command, /*report=*/false);
        if (!s) {  // rank 0 could read what this rank cannot: say why, once
          load_for_running(command, /*report=*/true);
          std::cerr << "error: MPI rank " << session.rank() << " cannot load the sweep rank 0 runs (above)\n";
          session.abort(static_cast<int>(ExitCode::bad_input));
        }
        if (identity_text(*s) != expected) {
          std::cerr << "error: MPI rank " << session.rank() << " read other files than rank 0 (" << identity_text(*s)
                    << "; rank 0: " << expected << "): every rank must read the same sweep and scenario files\n";
          session.abort(static_cast<int>(ExitCode::bad_input));
        }
        // SIGINT and SIGTERM reach every rank (mpirun and Slurm pass them on): rank 0 stops
        // handing out chunks, and a worker finishes its own and is told there is nothing left.
        const InterruptGuard rank_0_decides;
        sweep::mpi::work(*s->plan, *s->metrics, *s->models, agents::standard_behaviours(), command.threads, session);
        return ExitCode::ok;
      }
      std::optional<LoadedSweep> s = load_for_running(command, /*report=*/true);
      bool told = false, going = false, workers_released = false;
      const auto ready = [&](bool go) {
        session.broadcast(go ? kGo : kStop);
        if (go) session.broadcast(identity_text(*s));
        told = true;
        going = go;
      };
      if (!s) {
        ready(false);
        return ExitCode::bad_input;
      }
      spdlog::info("MPI: rank 0 of {} hands out chunks; {} rank(s) run them", session.size(), session.size() - 1);
      const ExitCode code =
          run_owned(command, *s, ready, [&](const LoadedSweep& l, sweep::Journal& j, sweep::RunnerProgress& p) {
            const sweep::LocalRunOutcome outcome =
                sweep::mpi::coordinate(*l.plan, j, l.shard, session, &g_interrupted, &p);
            workers_released = true;  // each was told there is nothing left
            return outcome;
          });
      if (!told) ready(false);
      // An error after the go (a journal that cannot be written, a full disk) leaves the
      // workers waiting for chunks: they would wait for ever, so the job ends here.
      if (going && !workers_released) session.abort(static_cast<int>(code));
      return code;
    }
  }
#else
  // Started as several processes by mpirun or srun, a build without MPI would run the whole
  // sweep in each, all racing for one directory. Each says no (rank 0 says why).
  const auto number_in = [](const char* variable) {
    const char* text = std::getenv(variable);
    long value = 0;
    if (text == nullptr || std::from_chars(text, text + std::strlen(text), value).ec != std::errc()) return -1L;
    return value;
  };
  const long processes = std::max(number_in("OMPI_COMM_WORLD_SIZE"), number_in("PMI_SIZE"));
  if (processes > 1) {
    if (std::max(number_in("OMPI_COMM_WORLD_RANK"), number_in("PMI_RANK")) <= 0)
      std::cerr << "error: started as " << processes
                << " MPI processes, but this cascade was built without MPI (cascade --version): each would run "
                   "the whole sweep. Rebuild with -DCASCADE_WITH_MPI=ON, or run one process with --threads "
                   "(docs/sweeps.md)\n";
    return ExitCode::bad_input;
  }
#endif
  return run_locally(command, load_for_running(command, /*report=*/true));
}

}  // namespace cascade::cli
