// Faults under mpirun: a rank killed mid-run ends the job with OpenMPI's message naming it; a
// rank that hangs (stopped with SIGSTOP) ends it after --mpi-timeout with nnlab's message; the
// checkpoint rank 0 wrote before either continues with --resume on another number of ranks, to
// the run of one process within float rounding.

#include <chrono>

#include "mpi_runner.h"

namespace nnlab::test {

class MpiFault : public CliRunner {
 protected:
  void SetUp() override {
    if (!built_with_mpi()) GTEST_SKIP() << "nnlab is built without MPI (NNLAB_MPI=OFF)";
  }

  struct Stopped {
    int code = -1;
    double seconds = 0;  // from the signal to the job's end
    std::string log;
  };

  // Starts `mpirun -np 2 nnlab train ARGS --out OUT`, waits for OUT's first checkpoint and sends
  // `signal` to rank 1; returns how the job ended.
  Stopped run_and_signal_rank_one(const std::string& args, const std::filesystem::path& out,
                                  const std::string& signal) const {
    const std::filesystem::path script = dir_ / "stop.sh", log = dir_ / "job.log";
    std::ofstream(script) << mpirun(2) << NNLAB_CLI << " train " << args << " --out " << out.string() << " >"
                          << log.string() << " 2>&1 &\n"
                          << "job=$!\n"
                          << "while [ ! -f " << (out / "checkpoint.safetensors").string()
                          << " ] && kill -0 $job 2>/dev/null; do sleep 0.01; done\n"
                          << "for p in $(pgrep -P $job); do\n"
                          << "  if tr '\\0' '\\n' </proc/$p/environ | grep -qx OMPI_COMM_WORLD_RANK=1; then\n"
                          << "    kill -" << signal << " $p; date +%s.%N >" << (dir_ / "signalled").string() << "\n"
                          << "  fi\n"
                          << "done\n"
                          << "wait $job; echo $? >" << (dir_ / "code").string() << "\n"
                          << "date +%s.%N >" << (dir_ / "ended").string() << "\n";
    EXPECT_EQ(std::system(("bash " + script.string()).c_str()), 0);
    Stopped stopped;
    stopped.code = std::stoi(slurp(dir_ / "code"));
    stopped.log = slurp(log);
    const std::string signalled = slurp(dir_ / "signalled");
    EXPECT_FALSE(signalled.empty()) << "rank 1 was not found; the job ended first:\n" << stopped.log;
    if (!signalled.empty()) stopped.seconds = std::stod(slurp(dir_ / "ended")) - std::stod(signalled);
    return stopped;
  }

  // The checkpoint continues on 3 ranks, to the uninterrupted run of one process.
  void expect_resumes_on_three_ranks(const std::string& args, const std::filesystem::path& out) {
    const CliResult resumed = run("train --resume " + out.string() + " --progress lines", mpirun(3));
    ASSERT_EQ(resumed.code, 0) << resumed.err;
    EXPECT_NE(resumed.err.find("resuming"), std::string::npos) << resumed.err;
    EXPECT_NE(resumed.err.find("3 ranks"), std::string::npos) << resumed.err;
    const CliResult whole = run("train " + args + " --out " + (dir_ / "whole").string());
    ASSERT_EQ(whole.code, 0) << whole.err;
    expect_same_run_within_rounding(dir_ / "whole", out);
  }
};

// Long enough (60 epochs of 9 steps) that rank 1 is signalled in its first epochs, whatever the load.
constexpr const char* kFaultRun =
    "--train-size 500 --val-split 0.1 --hidden 32 --optimizer sgd --lr 0.05 --batch-size 50 --epochs 60 --seed 2 "
    "--threads 1 --progress lines --checkpoint-every 1";

TEST_F(MpiFault, AKilledRankEndsTheJobNamingItAndTheCheckpointResumesOnThreeRanks) {
  const std::filesystem::path out = dir_ / "run";
  const Stopped stopped = run_and_signal_rank_one(kFaultRun, out, "KILL");
  EXPECT_NE(stopped.code, 0) << stopped.log;
  EXPECT_NE(stopped.log.find("process rank 1"), std::string::npos) << stopped.log;
  EXPECT_NE(stopped.log.find("signal 9"), std::string::npos) << stopped.log;
  EXPECT_LT(stopped.seconds, 10) << stopped.log;
  EXPECT_FALSE(std::filesystem::exists(out / "model.safetensors")) << "the job finished before the kill";
  expect_resumes_on_three_ranks(kFaultRun, out);
}

TEST_F(MpiFault, AHangingRankEndsTheJobAfterTheTimeout) {
  const std::filesystem::path out = dir_ / "run";
  const Stopped stopped = run_and_signal_rank_one(std::string(kFaultRun) + " --mpi-timeout 2", out, "STOP");
  EXPECT_EQ(stopped.code, 1) << stopped.log;
  EXPECT_NE(stopped.log.find("nnlab: error: rank 0 of 2 waited"), std::string::npos) << stopped.log;
  EXPECT_NE(stopped.log.find("a rank has died or hangs"), std::string::npos) << stopped.log;
  EXPECT_GE(stopped.seconds, 1.9) << stopped.log;
  EXPECT_LT(stopped.seconds, 12) << stopped.log;
  expect_resumes_on_three_ranks(kFaultRun, out);
}

}  // namespace nnlab::test
