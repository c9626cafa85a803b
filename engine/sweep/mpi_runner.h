// A sweep over MPI ranks (Open MPI): rank 0 hands out chunks and journals the rows it gets
// back; every other rank runs the chunks it is given, on oneTBB threads.
//
//   mpi::Session session(&argc, &argv);              // MPI_Init_thread ... MPI_Finalize
//   if (session.rank() == 0) outcome = mpi::coordinate(plan, journal, shard, session, &stop, &progress);
//   else mpi::work(plan, metrics, models, behaviours, threads, session);
//
// Chunks are handed out on request (dynamic assignment: a fast rank takes more), in chunk
// order; results are journalled by rank 0 as they arrive, in any order. The result files are
// then written from the journal exactly as on one process, so they are byte-identical for any
// number of ranks. A rank that dies loses the chunks it was running; everything journalled
// before stays, and the same command (with any number of ranks) resumes.
//
// Messages (MPI_BYTE): a worker asks for work with its capacity (uint32: chunks it runs at
// once); rank 0 answers with chunk ids (uint64 each; none = no more work, the worker stops); a
// worker returns each finished chunk as [chunk, runs, failed, error bytes, error, payload].
//
// Built only with -DCASCADE_WITH_MPI=ON. Thread safety: MPI is called from the main thread only
// (MPI_THREAD_FUNNELED); chunks run on oneTBB threads.
#pragma once

#include <atomic>
#include <cstdint>
#include <string>

#include "engine/sweep/journal.h"
#include "engine/sweep/runner.h"
#include "engine/sweep/sweep.h"

namespace cascade::sweep::mpi {

/// True when an MPI launcher started this process (mpirun / mpiexec, or srun with PMIx/PMI),
/// judged from the environment without initialising MPI.
bool launched_by_mpi();

/// MPI for the lifetime of the object.
class Session {
 public:
  Session(int* argc, char*** argv);
  ~Session();
  Session(const Session&) = delete;
  Session& operator=(const Session&) = delete;

  int rank() const { return rank_; }
  int size() const { return size_; }
  /// Rank 0's `value` on every rank (a verdict every rank must follow).
  int broadcast(int value) const;
  /// Rank 0's `text` on every rank (the others' `text` is ignored).
  std::string broadcast(std::string text) const;
  /// Ends every rank of the job with `code`.
  [[noreturn]] void abort(int code) const;

 private:
  int rank_ = 0;
  int size_ = 1;
};

/// Rank 0: hands out the shard's pending chunks to ranks 1..size-1 until all are done (or
/// `stop_requested`, or a failed run under on_failure: stop), journalling each result.
LocalRunOutcome coordinate(const SweepPlan& plan, Journal& journal, Shard shard, const Session& session,
                           const std::atomic<bool>* stop_requested, RunnerProgress* progress);

/// Ranks 1..size-1: asks for chunks, runs them on `threads` threads, returns the rows, until
/// rank 0 has no more work.
void work(const SweepPlan& plan, const MetricSet& metrics, const PointModels& models, const Behaviours& behaviours,
          int threads, const Session& session);

}  // namespace cascade::sweep::mpi
