#pragma once
// For the tests of nnlab under mpirun: the command line that starts N ranks on this machine, and
// the comparison of two runs within float rounding.

#include <cmath>
#include <nlohmann/json.hpp>
#include <string>

#include "cli/cli_runner.h"
#include "nnlab/io/safetensors.h"

namespace nnlab::test {

// OpenMPI refuses root unless told, and shares cores only with --oversubscribe.
inline std::string mpirun(int ranks) {
  return "OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1 OMPI_MCA_btl=self,vader OMP_NUM_THREADS=1 "
         "mpirun --oversubscribe -np " +
         std::to_string(ranks) + " ";
}

// |a − b| ≤ 1e-5 · max(1, |a|): float rounding of sums in another order, not a different run.
constexpr double kTolerance = 1e-5;
inline bool mpi_close(double a, double b) { return std::abs(a - b) <= kTolerance * std::max(1.0, std::abs(a)); }

inline void expect_same_numbers(const nlohmann::json& a, const nlohmann::json& b, const std::string& what) {
  ASSERT_EQ(a.size(), b.size()) << what;
  int differ = 0;
  for (size_t i = 0; i < a.size(); ++i) {
    if (!mpi_close(a[i].get<double>(), b[i].get<double>())) {
      if (++differ <= 3) ADD_FAILURE() << what << "[" << i << "]: " << a[i] << " vs " << b[i];
    }
  }
  EXPECT_EQ(differ, 0) << what;
}

// The losses of every step, the epochs' figures and the test result of two runs, and their weights.
inline void expect_same_run_within_rounding(const std::filesystem::path& one, const std::filesystem::path& many) {
  const nlohmann::json a = nlohmann::json::parse(slurp(one / "history.json"));
  const nlohmann::json b = nlohmann::json::parse(slurp(many / "history.json"));
  expect_same_numbers(a.at("step_loss"), b.at("step_loss"), "step_loss");
  ASSERT_EQ(a.at("epochs").size(), b.at("epochs").size());
  for (size_t e = 0; e < a.at("epochs").size(); ++e) {
    for (const char* key : {"train_loss", "train_accuracy", "val_loss", "val_accuracy"}) {
      const nlohmann::json& x = a.at("epochs")[e];
      if (!x.contains(key) || x.at(key).is_null()) continue;
      EXPECT_TRUE(mpi_close(x.at(key).get<double>(), b.at("epochs")[e].at(key).get<double>()))
          << key << " of epoch " << e + 1 << ": " << x.at(key) << " vs " << b.at("epochs")[e].at(key);
    }
  }
  EXPECT_TRUE(mpi_close(a.at("test").at("loss").get<double>(), b.at("test").at("loss").get<double>()))
      << a.at("test") << " vs " << b.at("test");
  EXPECT_EQ(a.at("test").at("accuracy"), b.at("test").at("accuracy"));
  const SafetensorsContents wa = read_safetensors((one / "model.safetensors").string());
  const SafetensorsContents wb = read_safetensors((many / "model.safetensors").string());
  ASSERT_EQ(wa.tensors.size(), wb.tensors.size());
  double largest = 0, moved = 0;
  for (const auto& [name, tensor] : wa.tensors) {
    const std::vector<float>& x = tensor.data;
    const std::vector<float>& y = wb.tensors.at(name).data;
    ASSERT_EQ(x.size(), y.size()) << name;
    for (size_t i = 0; i < x.size(); ++i) {
      largest = std::max(largest, std::abs(static_cast<double>(x[i]) - y[i]) / std::max(1.0, std::abs(1.0 * x[i])));
      moved += std::abs(x[i]);
    }
  }
  EXPECT_LE(largest, kTolerance) << "the weights differ by up to " << largest;
  EXPECT_GT(moved, 0);
}

inline bool built_with_mpi() { return NNLAB_TEST_MPI != 0; }

}  // namespace nnlab::test
