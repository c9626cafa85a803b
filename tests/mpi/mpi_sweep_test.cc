// `mpirun -n N cascade sweep`: results byte-identical to one process for N = 2 and 3, and a
// rank killed mid-sweep loses only unfinished work: the same command resumes to the same bytes.
// Runs as root too (OMPI_ALLOW_RUN_AS_ROOT), oversubscribed on a 2-core machine.
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <thread>

#include "tests/support/cli_fixture.h"

namespace {
namespace fs = std::filesystem;
using cascade::testing::Outcome;
using cascade::testing::read_file;

const fs::path kData = fs::path(CASCADE_SOURCE_DIR) / "tests/tools/data";
const std::vector<std::string> kResultFiles{"results.csv", "aggregate.csv", "failures.csv", "results.sqlite"};
const std::string kMpiEnv = "OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1";

/// The pid of the process whose environment says it is MPI rank `rank` and whose command line
/// names `out_dir`, or 0.
pid_t find_rank(int rank, const std::string& out_dir) {
  for (const fs::directory_entry& e : fs::directory_iterator("/proc")) {
    const std::string name = e.path().filename().string();
    if (name.find_first_not_of("0123456789") != std::string::npos) continue;
    std::string cmdline = cascade::testing::read_file(e.path() / "cmdline");
    std::replace(cmdline.begin(), cmdline.end(), '\0', ' ');
    if (cmdline.find("sweep") == std::string::npos || cmdline.find(" " + out_dir + " ") == std::string::npos) continue;
    std::string environ = cascade::testing::read_file(e.path() / "environ");
    std::replace(environ.begin(), environ.end(), '\0', '\n');
    if (environ.find("\nOMPI_COMM_WORLD_RANK=" + std::to_string(rank) + "\n") != std::string::npos)
      return std::stoi(name);
  }
  return 0;
}

class MpiSweep : public cascade::testing::CliFixture {
 protected:
  void SetUp() override {
    CliFixture::SetUp();
    fs::copy_file(kData / "small.yaml", work_ / "small.yaml");
    fs::copy_file(kData / "sweep-small.yaml", work_ / "sweep.yaml");
    fs::copy_file(kData / "sweep-long.yaml", work_ / "long.yaml");
  }
  Outcome mpirun(int ranks, const std::string& args) const {
    const std::string command = "cd '" + work_.string() + "' && " + kMpiEnv + " mpirun --oversubscribe -n " +
                                std::to_string(ranks) + " '" + CASCADE_BINARY + "' " + args + " >'" +
                                (captured_ / "out").string() + "' 2>'" + (captured_ / "err").string() + "'";
    const int status = std::system(command.c_str());
    return {WIFEXITED(status) ? WEXITSTATUS(status) : -1, read_file(captured_ / "out"), read_file(captured_ / "err")};
  }
  void expect_same_results(const fs::path& a, const fs::path& b) const {
    for (const std::string& f : kResultFiles) {
      ASSERT_TRUE(fs::exists(work_ / b / f)) << (b / f);
      EXPECT_EQ(read_file(work_ / a / f), read_file(work_ / b / f)) << f << " differs between " << a << " and " << b;
    }
  }
};

TEST_F(MpiSweep, ResultsAreByteIdenticalToOneProcessOnTwoAndThreeRanks) {
  ASSERT_EQ(cascade("sweep sweep.yaml --quiet --out single").exit_code, 0);
  for (int ranks : {2, 3}) {
    const Outcome o = mpirun(ranks, "sweep sweep.yaml --quiet --out r" + std::to_string(ranks));
    ASSERT_EQ(o.exit_code, 0) << o.err;
    EXPECT_NE(o.err.find("rank 0 of " + std::to_string(ranks) + " hands out chunks"), std::string::npos) << o.err;
    expect_same_results("single", "r" + std::to_string(ranks));
  }
}

TEST_F(MpiSweep, AKilledRankLosesOnlyUnfinishedWorkAndTheSameCommandResumes) {
  ASSERT_EQ(cascade("sweep long.yaml --quiet --out single --threads 2").exit_code, 0);
  const std::string args = "sweep long.yaml --quiet --out killed";
  std::thread launcher([&] { mpirun(3, args); });
  // Wait for chunks to come in, then kill worker rank 2.
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(60);
  pid_t victim = 0;
  while (std::chrono::steady_clock::now() < deadline) {
    const std::string journal = read_file(work_ / "killed/journal.cj");
    if (std::count(journal.begin(), journal.end(), '#') >= 50 && (victim = find_rank(2, "killed")) != 0) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  ASSERT_NE(victim, 0) << "no rank 2 to kill before the sweep ended";
  ::kill(victim, SIGKILL);
  launcher.join();
  EXPECT_FALSE(fs::exists(work_ / "killed/results.csv"));
  const std::string journal = read_file(work_ / "killed/journal.cj");
  EXPECT_GE(std::count(journal.begin(), journal.end(), '#'), 50);  // what was journalled stays
  const Outcome resumed = mpirun(2, args);
  ASSERT_EQ(resumed.exit_code, 0) << resumed.err;
  EXPECT_NE(resumed.err.find("resuming"), std::string::npos) << resumed.err;
  expect_same_results("single", "killed");
}

TEST_F(MpiSweep, SigtermToMpirunStopsCleanlyAndTheSameCommandResumes) {
  // The workers died at SIGTERM (mpirun passes it on), rank 0 waited for them until mpirun killed
  // it: the manifest said "running" and nothing said how to resume.
  ASSERT_EQ(cascade("sweep long.yaml --quiet --out single --threads 2").exit_code, 0);
  const std::string args = "sweep long.yaml --quiet --out stopped";
  Outcome stopped;
  std::thread launcher([&] { stopped = mpirun(2, args); });
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(60);
  while (std::chrono::steady_clock::now() < deadline) {
    const std::string journal = read_file(work_ / "stopped/journal.cj");
    if (std::count(journal.begin(), journal.end(), '#') >= 50) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  ASSERT_EQ(std::system(("pkill -TERM -f '^mpirun --oversubscribe -n 2 .* --out stopped'")), 0);
  launcher.join();
  EXPECT_NE(stopped.exit_code, 0);  // mpirun's own status after passing a signal on (Open MPI: 1)
  EXPECT_NE(stopped.err.find("interrupted: "), std::string::npos) << stopped.err;
  EXPECT_NE(read_file(work_ / "stopped/manifest.json").find("\"status\": \"interrupted\""), std::string::npos);
  const Outcome resumed = mpirun(2, args);
  ASSERT_EQ(resumed.exit_code, 0) << resumed.err;
  expect_same_results("single", "stopped");
}

TEST_F(MpiSweep, AWorkerWithOtherCopiesOfTheFilesStopsTheJob) {
  // A worker reading a node-local copy of the scenario with another figure ran it, and the
  // results mixed the two scenarios under rank 0's hash, exit 0.
  fs::create_directories(work_ / "other");
  fs::copy_file(work_ / "sweep.yaml", work_ / "other/sweep.yaml");
  std::ofstream(work_ / "other/small.yaml") << read_file(work_ / "small.yaml") << "# another copy\n";
  const std::string command = "cd '" + work_.string() + "' && " + kMpiEnv +
                              " timeout 120 mpirun --oversubscribe -n 1 '" + CASCADE_BINARY +
                              "' sweep sweep.yaml --quiet --out r : -n 1 --wdir other '" + CASCADE_BINARY +
                              "' sweep sweep.yaml --quiet --out r 2>'" + (captured_ / "err").string() + "'";
  const int status = std::system(command.c_str());
  EXPECT_EQ(WIFEXITED(status) ? WEXITSTATUS(status) : -1, 2);
  const std::string err = read_file(captured_ / "err");
  EXPECT_NE(err.find("MPI rank 1 read other files than rank 0"), std::string::npos) << err;
  EXPECT_FALSE(fs::exists(work_ / "r/results.csv"));
}

TEST_F(MpiSweep, AJournalThatCannotBeWrittenEndsTheJob) {
  // Rank 0 stopped at the error (a full disk, here a file size limit) while the workers waited
  // for chunks for ever: the job hung until killed.
  const std::string rank_0 =
      "sh -c 'trap \"\" XFSZ; ulimit -f 64; exec \"$0\" \"$@\"' '" + std::string(CASCADE_BINARY) + "'";
  const std::string args = " sweep long.yaml --quiet --out full";
  const std::string command = "cd '" + work_.string() + "' && " + kMpiEnv +
                              " timeout 120 mpirun --oversubscribe -n 1 " + rank_0 + args + " : -n 1 '" +
                              CASCADE_BINARY + "'" + args + " 2>'" + (captured_ / "err").string() + "'";
  const int status = std::system(command.c_str());
  const std::string err = read_file(captured_ / "err");
  EXPECT_EQ(WIFEXITED(status) ? WEXITSTATUS(status) : -1, 2) << err;  // 124 had timeout ended it
  EXPECT_NE(err.find("File too large"), std::string::npos) << err;
  EXPECT_FALSE(fs::exists(work_ / "full/results.csv"));
}

}  // namespace
