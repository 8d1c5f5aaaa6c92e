// nnlab eval: a saved model's loss and accuracy (for regression: R², MSE, MAE) on test data,
// by default the test part of the data the model was trained on.

#include <cmath>
#include <cstdio>
#include <filesystem>

#include "commands.h"
#include "model_data.h"
#include "nnlab/data/data_source.h"
#include "nnlab/io/model_file.h"
#include "nnlab/kernels/threads.h"
#include "nnlab/losses/loss_factory.h"
#include "nnlab/train/evaluate.h"

namespace nnlab::cli {

namespace {
struct EvalSettings {
  std::string model;
  std::string data;
  int threads = 0;
};

int run_eval(const EvalSettings& s) {
  const ThreadScope threads(capped_threads(s.threads));
  LoadedModel loaded = load_model(s.model);
  const ModelData model = model_data(loaded, s.model);
  const std::optional<TableSchema>& schema = model.schema;
  Dataset test;
  std::shared_ptr<TableStream> table;     // a table streamed from its file
  std::unique_ptr<DataStream> test_rows;  // its rows to evaluate
  std::string about;
  try {
    if (schema && !s.data.empty()) {
      // Another table of the same columns: every row of it, encoded as the model's training rows were.
      std::error_code error;
      const auto bytes = std::filesystem::file_size(s.data, error);
      if (!error && static_cast<int64_t>(bytes) >= kStreamAutoBytes) {
        table = TableStream::open_with_schema(s.data, *schema);
        test_rows = table->test();
        about = s.data + " (" + std::to_string(test_rows->size()) + " rows, streamed)";
      } else {
        test = encode_table(read_csv_columns(s.data), *schema);
        about = s.data + " (" + std::to_string(test.size()) + " rows)";
      }
    } else {
      LoadedData data =
          s.data.empty() && model.description ? load_described_data(*model.description) : load_data(s.data);
      table = data.stream;
      if (table) test_rows = table->test();
      test = std::move(data.split.test);
      about = data.split.description;
    }
  } catch (const std::invalid_argument& e) {
    throw UsageError(e.what());
  }
  const Shape sample = test_rows ? test_rows->sample_shape() : test.sample_shape();
  const int num_classes = test_rows ? test_rows->num_classes() : test.num_classes;
  const int64_t rows = test_rows ? test_rows->size() : test.size();
  if (loaded.model.input_shape().numel() != sample.numel()) {
    throw UsageError("model " + s.model + " takes inputs of shape " + loaded.model.input_shape().str() +
                     ", the data has " + sample.str());
  }
  const int64_t outputs = loaded.model.output_shape().numel();
  if (num_classes > 0 && outputs != num_classes) {
    throw UsageError("model " + s.model + " has " + std::to_string(outputs) + " outputs, the data has " +
                     std::to_string(num_classes) + " classes");
  }
  const auto loss_name = loaded.metadata.find("nnlab.loss");
  std::unique_ptr<Loss<float>> loss;
  try {
    loss = make_loss<float>(loss_name != loaded.metadata.end() ? loss_name->second : "cross-entropy");
  } catch (const std::invalid_argument& e) {
    throw UsageError("model " + s.model + ": " + e.what());
  }
  Metrics m;
  if (test_rows) {
    Rng unused(0);
    const std::unique_ptr<BatchSource> batches = test_rows->loader(kEvaluationBatch, unused, /*shuffle=*/false);
    m = evaluate_in_place(loaded.model, *loss, *batches);
  } else {
    m = evaluate(loaded.model, *loss, test);
  }
  std::printf("model: %s\n", loaded.model.spec().c_str());
  if (num_classes > 0) {
    std::printf("test accuracy %.4f (%lld/%lld), loss %.4f on %s\n", m.accuracy,
                static_cast<long long>(std::llround(m.accuracy * static_cast<double>(rows))),
                static_cast<long long>(rows), m.loss, about.c_str());
  } else {
    const double scale = schema ? schema->target_std : 1.0;
    std::printf("test R² %.4f, MSE %.6g, MAE %.6g (in %s's units) on %s\n", m.r2, m.mse * scale * scale, m.mae * scale,
                schema ? schema->target.c_str() : "the target", about.c_str());
  }
  return 0;
}
}  // namespace

Run add_eval(CLI::App& app) {
  auto s = std::make_shared<EvalSettings>();
  app.add_option("--model", s->model, "A model saved by nnlab train (safetensors)")->required();
  app.add_option("--data", s->data,
                 "The data (as for nnlab train); default: the test part of the data the model was trained on. "
                 "For a model of a CSV table: another CSV with the same columns, every row of it");
  app.add_option("--threads", s->threads, "Threads (default: all cores)")->check(positive_integer());
  return [s] { return run_eval(*s); };
}

}  // namespace nnlab::cli
