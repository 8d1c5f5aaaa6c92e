#pragma once
// The subcommands of the nnlab tool, one file each. Each registers its flags on
// the CLI11 app and returns the function that runs it.

#include <CLI/CLI.hpp>
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <functional>
#include <string>
#include <thread>
#include <type_traits>
#include <utility>

namespace nnlab {
class Communicator;
}

namespace nnlab::cli {

using Run = std::function<int()>;

// `world`: the ranks of the job (mpirun -np N nnlab train: data-parallel training), which
// must outlive the Run.
Run add_train(CLI::App& app, Communicator& world);
Run add_eval(CLI::App& app);
Run add_predict(CLI::App& app);
Run add_gradcheck(CLI::App& app);
Run add_experiment_command(CLI::App& app);
Run add_search(CLI::App& app, Communicator& world);  // mpirun: trials over the ranks
Run add_export(CLI::App& app);
Run add_lab(CLI::App& app);

// A number as a person writes it: 0.1, 1e-05, 3.
inline std::string number(double value) {
  char buffer[32];
  std::snprintf(buffer, sizeof buffer, "%g", value);
  return buffer;
}

// A validator that parses the whole text as a Number (std::stoll for integers, std::stod
// otherwise) and accepts it when `ok` holds: "must be REQUIREMENT, got 'TEXT'" otherwise.
template <typename Number, typename Accept>
CLI::Validator number_validator(std::string requirement, std::string name, Accept ok) {
  return CLI::Validator(
      [requirement = std::move(requirement), ok](std::string& text) -> std::string {
        try {
          size_t used = 0;
          Number value;
          if constexpr (std::is_integral_v<Number>) {
            value = std::stoll(text, &used);
          } else {
            value = std::stod(text, &used);
          }
          if (used == text.size() && ok(value)) return "";
        } catch (const std::exception&) {
        }
        return "must be " + requirement + ", got '" + text + "'";
      },
      std::move(name));
}

// Counts: "must be a positive integer, got '0'".
inline CLI::Validator positive_integer() {
  return number_validator<long long>("a positive integer", "POSITIVE", [](long long v) { return v > 0; });
}

// Rates and the like: "must be a number above 0, got 'abc'". (CLI11's own PositiveNumber
// answers a word with "Value abc not in range 0.000000 to 1797…" and 300 digits.)
inline CLI::Validator positive_number() {
  return number_validator<double>("a number above 0", "POSITIVE", [](double v) { return v > 0 && std::isfinite(v); });
}

// Counts where 0 means "none" or "all": "must be 0 or a positive integer, got 'x'".
inline CLI::Validator non_negative_integer() {
  return number_validator<long long>("0 or a positive integer", "NONNEGATIVE", [](long long v) { return v >= 0; });
}

// The thread count a command runs on: `requested` (0: every core), at most the cores, with a
// note on stderr when more were asked for.
inline int capped_threads(int requested) {
  const int cores = static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
  if (requested <= 0) return cores;
  if (requested > cores) {
    std::fprintf(stderr, "nnlab: --threads %d: this machine has %d cores; using %d\n", requested, cores, cores);
    return cores;
  }
  return requested;
}

// A bad value given by the user: reported as one line, exit code 2.
struct UsageError : std::invalid_argument {
  using std::invalid_argument::invalid_argument;
};

}  // namespace nnlab::cli
