#pragma once
// A CSV table as training data: features and a target column.
//
//   TableOptions options{.target = "species"};
//   TableData data = load_table("iris.csv", options);
//   // data.split.train / data.split.test: Datasets; data.schema: how the rows were encoded
//
// The task: classification when the target is text, or whole numbers with at most
// kMaxAutoClasses distinct values; regression otherwise, or when options.task says so.
// Classes are the target's distinct values, sorted (numerically for numbers), and keep
// their names. The rows are split into training and test rows with their own seeded
// generator (test_split of them, 0.2 by default), the same whatever the training seed.
//
// Encoding (the schema, fitted on the training rows only, saved with the model so that
// eval and predict encode new rows alike):
//   numeric feature  (x − mean) / std, standardised;
//   text feature     one-hot over the categories of the training rows (an unseen one: all 0);
//   regression target standardised too: the model learns (t − mean) / std, and its outputs
//                    map back with decode_target.

#include <cstdint>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "nnlab/data/csv_reader.h"
#include "nnlab/data/mnist.h"

namespace nnlab {

inline constexpr int64_t kMaxAutoClasses = 50;

struct TableOptions {
  std::string target{};       // a column name or 0-based index; empty: the last column
  std::string task = "auto";  // auto, classification, regression
  double test_split = 0.2;    // share of the rows held out as test data
  uint64_t split_seed = 0;    // of the train/test split
  // A CSV file read into memory ("off"), or streamed from its file each epoch ("on";
  // table_stream.h); "auto" streams files of kStreamAutoBytes or more.
  std::string stream = "auto";
};

inline constexpr int64_t kStreamAutoBytes = int64_t{512} << 20;

struct TableFeature {
  std::string name;
  bool numeric = true;
  double mean = 0, std = 1;             // numeric
  std::vector<std::string> categories;  // text: one input each
};

struct TableSchema {
  std::string target;
  bool classification = true;
  std::vector<std::string> classes;        // classification: the class names, by index
  double target_mean = 0, target_std = 1;  // regression
  std::vector<TableFeature> features;

  // The model's inputs per row.
  int64_t width() const;
  // A regression output back in the target's units.
  double decode_target(double output) const { return output * target_std + target_mean; }
  nlohmann::json to_json() const;
  // Throws std::invalid_argument naming the field that is missing or wrong.
  static TableSchema from_json(const nlohmann::json& j);
};

struct TableData {
  TrainTest split;
  TableSchema schema;
};

// What decides the task of a target column.
struct TargetSummary {
  std::string name;
  bool numeric = true;
  bool whole_numbers = false;  // numeric: every value a whole number
  int64_t distinct = 0;        // distinct values
  std::string first_text{};    // text: the first value, for messages
};
// Whether the target makes a classification (`task`, or with "auto": text, or whole numbers of
// at most kMaxAutoClasses distinct values); std::invalid_argument naming the file when the
// task does not fit the column.
bool choose_classification(const TargetSummary& target, const std::string& task, const std::string& path);
// "houses.csv: 800 train / 200 test rows, 7 features (9 inputs) → price (regression)".
std::string describe_table(const std::string& path, const TableSchema& schema, int64_t train, int64_t test);

// Throws std::runtime_error naming the file (and line and column) for bad data, and
// std::invalid_argument for options that do not fit the table (an unknown target column,
// --task classification on a target of real numbers, a class with one row).
TableData load_table(const std::string& path, const TableOptions& options);
TableData table_data(const CsvColumns& table, const TableOptions& options);

// Rows of a table encoded with a saved schema (eval and predict): its feature columns are
// found by name; the target column is used when present (labels for eval), otherwise the
// Dataset's y holds zeros. Throws std::runtime_error naming a missing column or a class the
// model does not know.
Dataset encode_table(const CsvColumns& table, const TableSchema& schema);

}  // namespace nnlab
