#pragma once
// What a saved model says about the data it was trained on (nnlab.data in its file): eval and
// predict read new data the way the model was trained on it.

#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "nnlab/data/table_dataset.h"
#include "nnlab/io/model_file.h"

namespace nnlab::cli {

struct ModelData {
  std::string kind = "images";  // "images" or "table"
  std::string name = "MNIST";   // models saved before nnlab kept this were trained on MNIST
  std::vector<std::string> classes;
  std::optional<TableSchema> schema;
  std::optional<nlohmann::json> description;  // as saved; none for older models

  // The name of class k: the saved one, else k itself.
  std::string class_name(int64_t k) const {
    return k >= 0 && k < static_cast<int64_t>(classes.size()) ? classes[static_cast<size_t>(k)] : std::to_string(k);
  }
};

// Throws UsageError naming the model's path for a damaged description.
ModelData model_data(const LoadedModel& loaded, const std::string& path);

}  // namespace nnlab::cli
