// What a newcomer types wrong gets a helpful answer: a mistyped command a suggestion,
// --version the version, a second run its own folder (or a refusal without --overwrite),
// --threads beyond the cores a note and the cores.

#include <filesystem>
#include <thread>

#include "cli/cli_runner.h"
#include "nnlab/kernels/isa.h"

namespace nnlab::test {

class CliForgiving : public CliRunner {};

TEST_F(CliForgiving, MistypedCommandGetsASuggestion) {
  const CliResult r = run("trian --epochs 1");
  EXPECT_EQ(r.code, 2);
  EXPECT_EQ(lines(r.err), 1) << r.err;
  EXPECT_NE(r.err.find("unknown command 'trian'; did you mean 'train'?"), std::string::npos) << r.err;
  const CliResult far = run("fly");
  EXPECT_EQ(far.code, 2);
  EXPECT_EQ(far.err.find("did you mean"), std::string::npos) << far.err;
  EXPECT_NE(far.err.find("commands: train, eval, predict, gradcheck, experiment, search, export"), std::string::npos)
      << far.err;
  const CliResult onnx = run("exprot --onnx m.onnx");
  EXPECT_NE(onnx.err.find("did you mean 'export'?"), std::string::npos) << onnx.err;
}

TEST_F(CliForgiving, VersionFlag) {
  const CliResult r = run("--version");
  EXPECT_EQ(r.code, 0) << r.err;
  EXPECT_EQ(r.out.rfind("nnlab 0.", 0), 0u) << r.out;
  EXPECT_NE(r.out.find("(OpenBLAS kernels: "), std::string::npos) << r.out;
}

TEST_F(CliForgiving, VersionNamesNnlabsKernelsAndHowTheyWereChosen) {
  const std::string best(kernel_isa_name(kernel_isa_for(cpu_isa_level())));
  const CliResult chosen = run("--version", "env -u NNLAB_ISA ");
  EXPECT_EQ(chosen.code, 0) << chosen.err;
  EXPECT_NE(chosen.out.find("\nnnlab kernels: " + best + " (chosen for the CPU)"), std::string::npos) << chosen.out;
  const CliResult forced = run("--version", "NNLAB_ISA=generic ");
  EXPECT_EQ(forced.code, 0) << forced.err;
  EXPECT_NE(forced.out.find("\nnnlab kernels: generic (NNLAB_ISA=generic; the CPU runs " + best + ")"),
            std::string::npos)
      << forced.out;
  EXPECT_EQ(forced.err, "");
  EXPECT_NE(chosen.out.find("\noneDNN kernels: "), std::string::npos) << chosen.out;
}

TEST_F(CliForgiving, AnNnlabIsaItDoesNotKnowIsNamedOnce) {
  const std::string best(kernel_isa_name(kernel_isa_for(cpu_isa_level())));
  const CliResult r = run("--version", "NNLAB_ISA=fast ");
  EXPECT_EQ(r.code, 0) << r.err;
  EXPECT_EQ(r.err, "nnlab: warning: NNLAB_ISA=fast is not one of generic, avx2, avx512: using this CPU's kernels, " +
                       best + "\n");
  EXPECT_NE(r.out.find("\nnnlab kernels: " + best + " (chosen for the CPU; NNLAB_ISA=fast ignored)"), std::string::npos)
      << r.out;
}

TEST_F(CliForgiving, TheUsersChoiceOfBlasKernelsIsKeptAndReported) {
  // The tool replaces OpenBLAS's choice only when it is below the CPU, and never the user's.
  const CliResult r = run("--version", "OPENBLAS_CORETYPE=Prescott ");
  EXPECT_EQ(r.code, 0) << r.err;
  EXPECT_NE(r.out.find("(OpenBLAS kernels: Prescott;"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("OPENBLAS_CORETYPE=Prescott (set before nnlab started)"), std::string::npos) << r.out;
}

TEST_F(CliForgiving, ASecondRunNeverReplacesTheFirstSilently) {
  const std::string quick = "train --hidden 8 --iterations 2 --progress quiet";
  // Without --out: runs/train, then runs/train-2 beside it (the tool runs in dir_).
  const std::string in_dir = "cd " + dir_.string() + " && ";
  ASSERT_EQ(run(quick, in_dir).code, 0);
  const CliResult second = run(quick, in_dir);
  ASSERT_EQ(second.code, 0) << second.err;
  EXPECT_NE(second.err.find("writing to runs/train-2"), std::string::npos) << second.err;
  EXPECT_TRUE(std::filesystem::exists(dir_ / "runs" / "train" / "history.json"));
  EXPECT_TRUE(std::filesystem::exists(dir_ / "runs" / "train-2" / "history.json"));
  // With --out: refused, naming the folder and the ways on, unless --overwrite.
  const std::string out = (dir_ / "mine").string();
  ASSERT_EQ(run(quick + " --out " + out).code, 0);
  const CliResult again = run(quick + " --out " + out);
  EXPECT_EQ(again.code, 2);
  EXPECT_NE(again.err.find("--out " + out + " holds a run already: give --overwrite"), std::string::npos) << again.err;
  EXPECT_EQ(run(quick + " --out " + out + " --overwrite").code, 0);
}

TEST_F(CliForgiving, ThreadsAreCappedAtTheCores) {
  const int cores = static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
  const CliResult r =
      run("train --hidden 8 --iterations 1 --progress quiet --threads 1000 --out " + (dir_ / "t").string());
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_NE(r.err.find("--threads 1000: this machine has " + std::to_string(cores) + " cores; using " +
                       std::to_string(cores)),
            std::string::npos)
      << r.err;
  EXPECT_NE(r.err.find(std::to_string(cores) + " threads"), std::string::npos) << r.err;
}

TEST_F(CliForgiving, EpsHasNoMagicZero) {
  const CliResult r = run("train --eps 0 --out " + (dir_ / "e").string());
  EXPECT_EQ(r.code, 2);
  EXPECT_NE(r.err.find("--eps"), std::string::npos) << r.err;
  const CliResult help = run("train --help");
  EXPECT_NE(help.out.find("default: the optimizer's own"), std::string::npos);
}

}  // namespace nnlab::test
