#pragma once
// The subcommands of the nnlab tool, one file each. Each registers its flags on
// the CLI11 app and returns the function that runs it.

#include <CLI/CLI.hpp>
#include <functional>

namespace nnlab::cli {

using Run = std::function<int()>;

Run add_train(CLI::App& app);
Run add_eval(CLI::App& app);
Run add_gradcheck(CLI::App& app);

// A bad value given by the user: reported as one line, exit code 2.
struct UsageError : std::invalid_argument {
  using std::invalid_argument::invalid_argument;
};

}  // namespace nnlab::cli
