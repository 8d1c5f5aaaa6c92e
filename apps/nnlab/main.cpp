// nnlab: build, train and study neural networks.
//
// Errors end as one line on stderr: exit code 2 for bad input (a flag, a file,
// a shape), 1 for a failure while running (training that diverged).

#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <map>
#include <memory>
#include <new>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include "commands.h"
#include "nnlab/distributed/launch.h"
#include "nnlab/kernels/blas_core.h"
#include "nnlab/kernels/isa.h"
#include "nnlab/kernels/onednn_conv.h"
#include "nnlab/train/trainer.h"

namespace {

// One line for an allocation that failed, exit code 1 (a failure while running,
// not bad input: the same command may run on a larger machine).
int out_of_memory(const std::string& command, const std::string& what) {
  std::fprintf(stderr,
               "nnlab: error: %s while running nnlab %s: the model, the batch or the data needs more memory than "
               "this machine gives (try a smaller --batch-size or model)\n",
               what.c_str(), command.c_str());
  return 1;
}

// Levenshtein distance, for "did you mean".
size_t edit_distance(const std::string& a, const std::string& b) {
  std::vector<size_t> row(b.size() + 1);
  for (size_t j = 0; j <= b.size(); ++j) row[j] = j;
  for (size_t i = 1; i <= a.size(); ++i) {
    size_t diagonal = row[0];
    row[0] = i;
    for (size_t j = 1; j <= b.size(); ++j) {
      const size_t above = row[j];
      row[j] = std::min({row[j] + 1, row[j - 1] + 1, diagonal + (a[i - 1] == b[j - 1] ? 0 : 1)});
      diagonal = above;
    }
  }
  return row[b.size()];
}

// "nnlab trian": one line naming the word and the command it is closest to.
int unknown_command(const std::string& word, const CLI::App& app) {
  std::string names, closest;
  size_t best = std::string::npos;
  for (const CLI::App* sub : app.get_subcommands({})) {
    const std::string& name = sub->get_name();
    names += (names.empty() ? "" : ", ") + name;
    const size_t d = edit_distance(word, name);
    if (d < best) best = d, closest = name;
  }
  const bool near = best <= std::max<size_t>(2, closest.size() / 3);
  std::fprintf(stderr, "nnlab: error: unknown command '%s'%s (commands: %s; see nnlab --help)\n", word.c_str(),
               near ? ("; did you mean '" + closest + "'?").c_str() : "", names.c_str());
  return 2;
}

// OpenBLAS chose its kernels when it was loaded; when they are below what this CPU runs (Debian's
// 0.3.21 runs SSE3 kernels on current Xeons, at a quarter of the speed), the tool starts itself
// again with OPENBLAS_CORETYPE naming the right ones. A value the user set is left alone.
// NNLAB_BLAS_FALLBACK keeps OpenBLAS's own choice, for --version to report.
void use_the_cpus_blas_kernels(char** argv) {
  if (std::getenv("OPENBLAS_CORETYPE") != nullptr) return;
  const std::string chosen = nnlab::blas_core();
  const std::string better = nnlab::better_blas_core(chosen, nnlab::cpu_isa_level());
  if (better.empty()) return;
  setenv("OPENBLAS_CORETYPE", better.c_str(), 1);
  setenv("NNLAB_BLAS_FALLBACK", chosen.c_str(), 1);
  execv("/proc/self/exe", argv);  // returns only if it failed: go on with the kernels there are
  unsetenv("OPENBLAS_CORETYPE");
  unsetenv("NNLAB_BLAS_FALLBACK");
}

// "nnlab 0.2.0 (OpenBLAS kernels: Haswell; CPU: AVX2 + FMA)", how OpenBLAS's kernels were
// chosen, the variant of nnlab's own kernels in use (kernels/isa.h): "nnlab kernels: avx2
// (chosen for the CPU)", or "generic (NNLAB_ISA=generic; the CPU runs avx2)", and oneDNN's.
std::string version_text() {
  const nnlab::IsaLevel cpu = nnlab::cpu_isa_level();
  std::string text = std::string("nnlab ") + NNLAB_VERSION + " (OpenBLAS kernels: " + nnlab::blas_core() +
                     "; CPU: " + std::string(nnlab::isa_level_name(cpu)) + ")";
  if (const char* fallback = std::getenv("NNLAB_BLAS_FALLBACK")) {
    text += std::string("\nOpenBLAS took this CPU for ") + fallback +
            "; nnlab set OPENBLAS_CORETYPE=" + std::getenv("OPENBLAS_CORETYPE");
  } else if (const char* set = std::getenv("OPENBLAS_CORETYPE")) {
    text += std::string("\nOPENBLAS_CORETYPE=") + set + " (set before nnlab started)";
  }
  const nnlab::KernelIsaChoice& kernels = nnlab::kernel_isa_choice();
  const std::string best(nnlab::kernel_isa_name(nnlab::kernel_isa_for(cpu)));
  text += "\nnnlab kernels: " + std::string(nnlab::kernel_isa_name(kernels.isa));
  if (kernels.forced && kernels.warning.empty()) {
    text += std::string(" (NNLAB_ISA=") + std::getenv("NNLAB_ISA") + "; the CPU runs " + best + ")";
  } else if (kernels.forced) {
    text += std::string(" (the CPU's best; NNLAB_ISA=") + std::getenv("NNLAB_ISA") + " is above it)";
  } else if (!kernels.warning.empty()) {
    text += std::string(" (chosen for the CPU; NNLAB_ISA=") + std::getenv("NNLAB_ISA") + " ignored)";
  } else {
    text += " (chosen for the CPU)";
  }
  const std::string onednn = nnlab::onednn_kernels();
  text += "\noneDNN kernels: " + (onednn.empty() ? std::string("none (not in this build)") : onednn);
  return text;
}

// The library is compiled for NNLAB_BASELINE (x86-64-v2: SSE4.2, POPCNT); on an older CPU its
// first instruction of those would end the program with SIGILL and no word. This file is compiled
// for plain x86-64, so the check runs before any of them.
bool cpu_runs_the_library() {
#ifdef NNLAB_BASELINE
  __builtin_cpu_init();
  if (!__builtin_cpu_supports(NNLAB_BASELINE)) {
    std::fprintf(stderr,
                 "nnlab: error: this CPU lacks instructions of %s, which this build of nnlab is compiled for; "
                 "build it with cmake -DNNLAB_BASELINE=x86-64\n",
                 NNLAB_BASELINE);
    return false;
  }
#endif
  return true;
}

// The error line of a command that failed while running. Alone, printed; in a job of several
// ranks (mpirun), the job ends with MPI_Abort: the other ranks may be waiting for this one. A
// rank other than 0 waits a second first, so that when every rank fails alike (bad input) rank 0's
// line is the one printed and its abort ends the job; alone in failing, it names itself.
int fail(nnlab::Communicator& world, int code, const std::string& message) {
  if (world.size() == 1) {
    std::fprintf(stderr, "nnlab: error: %s\n", message.c_str());
    return code;
  }
  if (world.is_root()) {
    std::fprintf(stderr, "nnlab: error: %s\n", message.c_str());
    std::fflush(stderr);
    // mpirun forwards the ranks' output on its own time: the line first, then OpenMPI's note on the abort.
    std::this_thread::sleep_for(std::chrono::milliseconds(200));
  } else {
    std::this_thread::sleep_for(std::chrono::seconds(1));
    std::fprintf(stderr, "nnlab: error: rank %d of %d: %s\n", world.rank(), world.size(), message.c_str());
  }
  world.abort(code);
  return code;  // not reached: abort ends the process
}

}  // namespace

int main(int argc, char** argv) {
  if (!cpu_runs_the_library()) return 2;
  use_the_cpus_blas_kernels(argv);
  // Under mpirun, this process's rank of the job (MPI_Init); alone, a job of one.
  std::unique_ptr<nnlab::Communicator> world;
  try {
    world = nnlab::launch_communicator(argc, argv);
  } catch (const std::invalid_argument& e) {
    std::fprintf(stderr, "nnlab: error: %s\n", e.what());
    return 2;
  }
  CLI::App app{"nnlab: build, train and study neural networks", "nnlab"};
  app.require_subcommand(1);
  app.set_help_all_flag("--help-all", "Show the help of every command");
  app.set_version_flag("--version", version_text());
  std::map<CLI::App*, nnlab::cli::Run> runs;
  auto add = [&](const char* name, const char* description, const std::function<nnlab::cli::Run(CLI::App&)>& adder) {
    CLI::App* sub = app.add_subcommand(name, description);
    runs[sub] = adder(*sub);
  };
  add("train",
      "Train a model on MNIST, Fashion-MNIST, IDX images, a bundled table (iris, ...) or your own CSV; writes "
      "history, weights and the test accuracy (R² for regression)",
      [&](CLI::App& sub) { return nnlab::cli::add_train(sub, *world); });
  add("eval", "Report a saved model's accuracy (R² for regression) on the test part of its data, or on other data",
      nnlab::cli::add_eval);
  add("predict",
      "Class probabilities of a saved model for your own images (PNG, JPEG, PGM), or its predictions for the rows of a "
      "CSV",
      nnlab::cli::add_predict);
  add("gradcheck", "Compare backpropagation with numerical gradients, for every layer and a whole model",
      nnlab::cli::add_gradcheck);
  add("experiment", "Run a classic demonstration; writes CSV data and SVG charts", nnlab::cli::add_experiment_command);
  add("search", "Hyperparameter search (random, grid, Bayesian, successive halving) on a validation split",
      [&](CLI::App& sub) { return nnlab::cli::add_search(sub, *world); });
  add("export", "Write a saved model as an ONNX file (opset 17, dynamic batch) for onnxruntime and other runtimes",
      nnlab::cli::add_export);
  add("lab", "Train networks in a local web page and watch them learn live; compare runs; run the experiments",
      nnlab::cli::add_lab);

  if (argc > 1 && argv[1][0] != '-') {
    bool known = false;
    for (const CLI::App* sub : app.get_subcommands({})) known |= sub->get_name() == argv[1];
    if (!known) return unknown_command(argv[1], app);
  }
  try {
    app.parse(argc, argv);
  } catch (const CLI::CallForHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForAllHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForVersion& e) {
    return app.exit(e);
  } catch (const CLI::ParseError& e) {
    // Every rank parses the same command line: rank 0 alone says what is wrong, all end with 2.
    if (!world->is_root()) return 2;
    std::fprintf(stderr, "nnlab: error: %s (see nnlab %s--help)\n", e.what(),
                 app.get_subcommands().empty() ? "" : (app.get_subcommands()[0]->get_name() + " ").c_str());
    return 2;
  }

  const std::string command = app.get_subcommands().empty() ? "" : app.get_subcommands()[0]->get_name();
  try {
    for (CLI::App* sub : app.get_subcommands()) return runs.at(sub)();
  } catch (const std::bad_alloc&) {
    // Never a bare "std::bad_alloc": say what ran out, and in which command.
    if (world->size() > 1) return fail(*world, 1, "memory ran out while running nnlab " + command);
    return out_of_memory(command, "memory ran out");
  } catch (const std::length_error& e) {
    // A container asked for more than it can ever hold (vector::reserve): the same
    // cause, a size far beyond this machine, reported the same way.
    if (world->size() > 1) return fail(*world, 1, std::string("a size beyond any memory was asked for: ") + e.what());
    return out_of_memory(command, std::string("a size beyond any memory was asked for (") + e.what() + ")");
  } catch (const nnlab::TrainingDiverged& e) {
    return fail(*world, 1, e.what());
  } catch (const std::invalid_argument& e) {
    return fail(*world, 2, e.what());
  } catch (const std::logic_error& e) {
    return fail(*world, 2, e.what());
  } catch (const std::runtime_error& e) {
    return fail(*world, 2, e.what());
  } catch (const std::exception& e) {
    return fail(*world, 1, e.what());
  }
  return 0;
}
