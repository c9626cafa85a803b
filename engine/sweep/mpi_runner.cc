#include "engine/sweep/mpi_runner.h"

#include <mpi.h>
#include <tbb/enumerable_thread_specific.h>
#include <tbb/task_arena.h>

#include <chrono>
#include <cstdlib>
#include <cstring>
#include <deque>
#include <thread>
#include <vector>

#include "engine/core/diagnostics.h"
#include "engine/core/parallel_for.h"

namespace cascade::sweep::mpi {
namespace {

constexpr int kTagRequest = 1;
constexpr int kTagAssign = 2;
constexpr int kTagResult = 3;
/// How long rank 0 sleeps when no message is waiting: it coordinates, it does not compute, and
/// should not take a core from the ranks that do.
constexpr auto kIdleSleep = std::chrono::microseconds(500);

void put_u64(std::string& out, std::uint64_t v) { out.append(reinterpret_cast<const char*>(&v), sizeof v); }
std::uint64_t get_u64(const char* p) {
  std::uint64_t v = 0;
  std::memcpy(&v, p, sizeof v);
  return v;
}

std::string encode(std::uint64_t chunk, const ChunkResult& r) {
  std::string out;
  put_u64(out, chunk);
  put_u64(out, r.runs);
  put_u64(out, r.failed);
  const std::string error = r.first_error.value_or("");
  put_u64(out, error.size());
  out += error;
  out += r.payload;
  return out;
}

/// Receives a message of unknown size from `source` with `tag` (already probed).
std::string receive_bytes(const MPI_Status& probed) {
  int bytes = 0;
  MPI_Get_count(&probed, MPI_BYTE, &bytes);
  std::string buffer(static_cast<std::size_t>(bytes), '\0');
  MPI_Recv(buffer.data(), bytes, MPI_BYTE, probed.MPI_SOURCE, probed.MPI_TAG, MPI_COMM_WORLD, MPI_STATUS_IGNORE);
  return buffer;
}

void send_bytes(const std::string& bytes, int destination, int tag) {
  MPI_Send(bytes.data(), static_cast<int>(bytes.size()), MPI_BYTE, destination, tag, MPI_COMM_WORLD);
}

}  // namespace

bool launched_by_mpi() {
  for (const char* variable : {"OMPI_COMM_WORLD_SIZE", "PMIX_RANK", "PMI_SIZE"})
    if (std::getenv(variable) != nullptr) return true;
  return false;
}

Session::Session(int* argc, char*** argv) {
  int provided = 0;
  MPI_Init_thread(argc, argv, MPI_THREAD_FUNNELED, &provided);
  MPI_Comm_rank(MPI_COMM_WORLD, &rank_);
  MPI_Comm_size(MPI_COMM_WORLD, &size_);
}

Session::~Session() { MPI_Finalize(); }

int Session::broadcast(int value) const {
  MPI_Bcast(&value, 1, MPI_INT, 0, MPI_COMM_WORLD);
  return value;
}

std::string Session::broadcast(std::string text) const {
  std::uint64_t bytes = text.size();
  MPI_Bcast(&bytes, 1, MPI_UINT64_T, 0, MPI_COMM_WORLD);
  text.resize(bytes);
  MPI_Bcast(text.data(), static_cast<int>(bytes), MPI_BYTE, 0, MPI_COMM_WORLD);
  return text;
}

void Session::abort(int code) const {
  MPI_Abort(MPI_COMM_WORLD, code);
  std::abort();  // MPI_Abort does not return
}

LocalRunOutcome coordinate(const SweepPlan& plan, Journal& journal, Shard shard, const Session& session,
                           const std::atomic<bool>* stop_requested, RunnerProgress* progress) {
  const std::vector<std::uint64_t> chunks = pending_chunks(plan, journal, shard);
  std::deque<std::uint64_t> queue(chunks.begin(), chunks.end());
  LocalRunOutcome outcome;
  bool stop_on_failure = false;
  int working = session.size() - 1;
  auto last_sync = std::chrono::steady_clock::now();
  while (working > 0) {
    int waiting = 0;
    MPI_Status status;
    MPI_Iprobe(MPI_ANY_SOURCE, MPI_ANY_TAG, MPI_COMM_WORLD, &waiting, &status);
    if (!waiting) {
      std::this_thread::sleep_for(kIdleSleep);
      continue;
    }
    const std::string message = receive_bytes(status);
    if (status.MPI_TAG == kTagRequest) {
      std::uint32_t capacity = 0;
      std::memcpy(&capacity, message.data(), std::min(message.size(), sizeof capacity));
      std::string assign;
      const bool stopping = stop_on_failure || (stop_requested && stop_requested->load());
      for (std::uint32_t k = 0; k < capacity && !stopping && !queue.empty(); ++k) {
        put_u64(assign, queue.front());
        queue.pop_front();
      }
      if (assign.empty()) --working;  // the worker stops once told there is nothing left
      send_bytes(assign, status.MPI_SOURCE, kTagAssign);
    } else if (status.MPI_TAG == kTagResult) {
      CASCADE_ASSERT(message.size() >= 32, "truncated result message from rank " + std::to_string(status.MPI_SOURCE));
      const std::uint64_t chunk = get_u64(message.data()), runs = get_u64(message.data() + 8),
                          failed = get_u64(message.data() + 16), error_bytes = get_u64(message.data() + 24);
      CASCADE_ASSERT(message.size() >= 32 + error_bytes, "malformed result message");
      const bool journaled = journals_chunk(plan.spec(), failed);
      if (journaled)
        journal.append({.chunk = chunk, .run_begin = plan.chunk_begin(chunk), .run_end = plan.chunk_end(chunk)},
                       std::string_view(message).substr(32 + error_bytes));
      ++outcome.chunks_run;
      outcome.runs += runs;
      outcome.failed += failed;
      if (error_bytes > 0 && !outcome.first_error) outcome.first_error = message.substr(32, error_bytes);
      if (!journaled) stop_on_failure = true;
      if (progress && journaled) {
        progress->runs_done += runs;
        progress->runs_failed += failed;
      }
      const auto now = std::chrono::steady_clock::now();
      if (now - last_sync >= std::chrono::seconds(2)) {
        journal.sync();
        last_sync = now;
      }
    } else {
      CASCADE_ASSERT(false, "unexpected MPI message tag " + std::to_string(status.MPI_TAG));
    }
  }
  journal.sync();
  outcome.stopped_on_failure = stop_on_failure;
  outcome.interrupted = !stop_on_failure && outcome.chunks_run < chunks.size();
  return outcome;
}

void work(const SweepPlan& plan, const MetricSet& metrics, const PointModels& models, const Behaviours& behaviours,
          int threads, const Session&) {
  tbb::task_arena arena(threads);
  tbb::enumerable_thread_specific<PointCache> caches;
  const auto capacity = static_cast<std::uint32_t>(threads);
  for (;;) {
    MPI_Send(&capacity, sizeof capacity, MPI_BYTE, 0, kTagRequest, MPI_COMM_WORLD);
    MPI_Status status;
    MPI_Probe(0, kTagAssign, MPI_COMM_WORLD, &status);
    const std::string assign = receive_bytes(status);
    if (assign.empty()) return;
    std::vector<std::uint64_t> chunks(assign.size() / sizeof(std::uint64_t));
    for (std::size_t i = 0; i < chunks.size(); ++i) chunks[i] = get_u64(assign.data() + i * sizeof(std::uint64_t));
    std::vector<std::string> results(chunks.size());
    parallel_for_index(arena, chunks.size(), 1, [&](std::size_t i) {
      results[i] = encode(chunks[i], run_chunk(plan, metrics, models, behaviours, chunks[i], caches.local()));
    });
    for (const std::string& r : results) send_bytes(r, 0, kTagResult);
  }
}

}  // namespace cascade::sweep::mpi
