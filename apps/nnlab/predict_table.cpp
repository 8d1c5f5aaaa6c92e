#include "predict_table.h"

#include <algorithm>
#include <cstdio>

#include "commands.h"
#include "nnlab/data/csv_reader.h"
#include "nnlab/layers/softmax.h"

namespace nnlab::cli {

int predict_table(LoadedModel& loaded, const ModelData& data, const std::string& model_path,
                  const std::vector<std::string>& files, bool json) {
  const TableSchema& schema = *data.schema;
  nlohmann::ordered_json out = {{"model", model_path},
                                {"spec", loaded.model.spec()},
                                {"target", schema.target},
                                {"predictions", nlohmann::ordered_json::array()}};
  if (!json) std::printf("model %s: %s → %s\n", model_path.c_str(), loaded.model.spec().c_str(), schema.target.c_str());
  for (const std::string& file : files) {
    CsvColumns table = read_csv_columns(file);
    Dataset rows;
    try {
      rows = encode_table(table, schema);
    } catch (const std::runtime_error& e) {
      throw UsageError(e.what());
    }
    const Tensor<float>& output = loaded.model.forward(rows.x);
    const int64_t k = output.row_size();
    // Models are trained on logits (the loss applies the softmax); one ending in Softmax gives probabilities.
    const bool ends_in_softmax = loaded.model.size() > 0 && loaded.model[loaded.model.size() - 1].type() == "Softmax";
    std::vector<float> probabilities(static_cast<size_t>(k));
    for (int64_t r = 0; r < rows.size(); ++r) {
      const std::string where = file + ":" + std::to_string(table.lines[static_cast<size_t>(r)]);
      if (!schema.classification) {
        const double value = schema.decode_target(output.row(r)[0]);
        if (json) {
          out["predictions"].push_back({{"row", where}, {"value", value}});
        } else {
          std::printf("%s  %s = %.6g\n", where.c_str(), schema.target.c_str(), value);
        }
        continue;
      }
      if (ends_in_softmax) {
        std::copy(output.row(r), output.row(r) + k, probabilities.begin());
      } else {
        softmax_rows(output.row(r), probabilities.data(), 1, k);
      }
      const auto best = std::max_element(probabilities.begin(), probabilities.end()) - probabilities.begin();
      if (json) {
        nlohmann::ordered_json p = {
            {"row", where}, {"class", data.class_name(best)}, {"probability", probabilities[best]}};
        for (int64_t c = 0; c < k; ++c) p["probabilities"][data.class_name(c)] = probabilities[static_cast<size_t>(c)];
        out["predictions"].push_back(p);
      } else {
        std::printf("%s  %s (%.3f)\n", where.c_str(), data.class_name(best).c_str(), probabilities[best]);
      }
    }
  }
  if (json) std::printf("%s\n", out.dump(2).c_str());
  return 0;
}

}  // namespace nnlab::cli
