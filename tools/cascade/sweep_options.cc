// Command-line definitions of the sweep subcommands (design, sweep, merge); the commands
// themselves are in sweep_command.cc and merge_command.cc.
#include "tools/cascade/number_options.h"
#include "tools/cascade/sweep_command.h"

namespace cascade::cli {
namespace {

void add_max_runs(CLI::App& sub, std::uint64_t& max_runs) {
  sub.add_option("--max-runs", max_runs,
                 "Refuse sweeps of more runs than this (default: 1,000,000,000), a guard against a\n"
                 "design far larger than intended")
      ->type_name("N")
      ->check(whole_in(std::uint64_t{1}, std::uint64_t{1} << 62));
}

}  // namespace

CLI::App* add_design_subcommand(CLI::App& app, DesignCommand& command, const std::string& footer) {
  CLI::App* sub = app.add_subcommand(
      "design", "Write a sweep's run plans (run id, design point, replicate, seed, parameter values) to a\n"
                "CSV file without running anything: the design for a model outside Cascade, or a preview.");
  sub->add_option("SWEEP", command.sweep_file, "Sweep YAML file (docs/sweep-format.md)")->type_name("")->required();
  sub->add_option("--out", command.out_file, "CSV file to write")->type_name("FILE")->required();
  sub->add_flag("--force", command.force, "Replace FILE if it exists (default: refuse)");
  add_max_runs(*sub, command.max_runs);
  sub->footer(footer);
  return sub;
}

CLI::App* add_sweep_subcommand(CLI::App& app, SweepCommand& command, const std::string& footer) {
  CLI::App* sub = app.add_subcommand(
      "sweep", "Run a parameter sweep: check every design point, run every run on --threads threads, write\n"
               "results.csv, aggregate.csv, failures.csv and results.sqlite. Interrupted (Ctrl-C, a kill, a\n"
               "lost node), the same command resumes where it stopped.");
  sub->add_option("SWEEP", command.sweep_file, "Sweep YAML file (docs/sweep-format.md)")->type_name("")->required();
  sub->add_option("--out", command.out_dir,
                  "Directory of the sweep: its journal, manifest and results. Reusing it for the same\n"
                  "sweep resumes; for another sweep it is refused")
      ->type_name("DIR")
      ->required();
  sub->add_option("--threads", command.threads, "Runs in parallel (default: 1); results do not depend on it")
      ->type_name("N")
      ->check(whole_in(1, 1024));
  sub->add_option("--shard", command.shard_text,
                  "Run only shard I of N (0-based: 0 <= I < N), for a Slurm job array; combine the\n"
                  "shard directories with `cascade merge`. Default: from SLURM_ARRAY_TASK_ID and\n"
                  "SLURM_ARRAY_TASK_MIN/MAX when set (arrays numbered from 0 or from 1), else the whole sweep")
      ->type_name("I/N");
  sub->add_flag("--force", command.force,
                "Discard what DIR holds (an earlier sweep) and start again (default: resume or refuse)");
  sub->add_flag("--quiet", command.quiet, "No progress display");
  add_max_runs(*sub, command.max_runs);
  sub->footer(footer);
  return sub;
}

CLI::App* add_merge_subcommand(CLI::App& app, MergeCommand& command, const std::string& footer) {
  CLI::App* sub = app.add_subcommand(
      "merge", "Combine the shard directories of one sweep (cascade sweep --shard I/N) into the result files\n"
               "a single process writes. Refuses shards of different sweeps, a missing, unfinished or\n"
               "repeated shard.");
  sub->add_option("DIR", command.shard_dirs, "Shard directories, every shard of the sweep once")
      ->type_name("")
      ->required();
  sub->add_option("--out", command.out_dir, "Directory for the merged results (must not exist, unless --force)")
      ->type_name("DIR")
      ->required();
  sub->add_flag("--force", command.force, "Replace the --out directory if it is empty or holds an earlier merge");
  sub->footer(footer);
  return sub;
}

}  // namespace cascade::cli
