#pragma once
// nnlab predict for a model of a CSV table: a prediction for every row of the files given
// (their feature columns found by name, the target column not needed).

#include <string>
#include <vector>

#include "model_data.h"

namespace nnlab::cli {

int predict_table(LoadedModel& loaded, const ModelData& data, const std::string& model_path,
                  const std::vector<std::string>& files, bool json);

}  // namespace nnlab::cli
