#include "nnlab/data/table_dataset.h"

#include <algorithm>
#include <cmath>
#include <map>
#include <numeric>
#include <set>
#include <stdexcept>
#include <unordered_map>

#include "nnlab/io/number_text.h"
#include "nnlab/tensor/random.h"

namespace nnlab {

namespace {

bool whole_numbers(const std::vector<float>& values) {
  return std::all_of(values.begin(), values.end(), [](float v) { return std::isfinite(v) && v == std::round(v); });
}

// The class names of a target column, sorted (numbers numerically), and each row's class.
std::vector<std::string> class_names(const CsvColumn& target, std::vector<int64_t>& row_class) {
  row_class.resize(target.numeric ? target.values.size() : target.codes.size());
  std::vector<std::string> names;
  if (target.numeric) {
    const std::set<float> distinct(target.values.begin(), target.values.end());
    std::map<float, int64_t> index;
    for (float v : distinct) {
      index[v] = static_cast<int64_t>(names.size());
      names.push_back(round_trip_number(v));
    }
    for (size_t r = 0; r < row_class.size(); ++r) row_class[r] = index.at(target.values[r]);
  } else {
    std::vector<int64_t> order(target.categories.size());
    std::iota(order.begin(), order.end(), int64_t{0});
    std::sort(order.begin(), order.end(),
              [&](int64_t a, int64_t b) { return target.categories[a] < target.categories[b]; });
    std::vector<int64_t> rank(order.size());
    for (size_t i = 0; i < order.size(); ++i) {
      rank[static_cast<size_t>(order[i])] = static_cast<int64_t>(i);
      names.push_back(target.categories[static_cast<size_t>(order[i])]);
    }
    for (size_t r = 0; r < row_class.size(); ++r) row_class[r] = rank[static_cast<size_t>(target.codes[r])];
  }
  return names;
}

TableFeature fit_feature(const CsvColumn& column, const std::vector<int64_t>& rows) {
  TableFeature f;
  f.name = column.name;
  f.numeric = column.numeric;
  if (column.numeric) {
    double sum = 0, squares = 0;
    for (int64_t r : rows) sum += column.values[static_cast<size_t>(r)];
    const double n = static_cast<double>(rows.size());
    f.mean = sum / n;
    for (int64_t r : rows) {
      const double d = column.values[static_cast<size_t>(r)] - f.mean;
      squares += d * d;
    }
    f.std = std::sqrt(squares / n);
    if (!(f.std > 1e-12)) f.std = 1;  // a constant column: centred, not scaled
  } else {
    std::vector<bool> seen(column.categories.size(), false);
    for (int64_t r : rows) {
      const auto code = static_cast<size_t>(column.codes[static_cast<size_t>(r)]);
      if (!seen[code]) {
        seen[code] = true;
        f.categories.push_back(column.categories[code]);
      }
    }
  }
  return f;
}

// Writes the encoded features of `row` of `table` (columns matched to the schema by `columns`) at `out`.
void encode_row(const CsvColumns& table, const TableSchema& schema, const std::vector<size_t>& columns,
                const std::vector<std::unordered_map<std::string, int64_t>>& category_index, int64_t row, float* out) {
  for (size_t f = 0; f < schema.features.size(); ++f) {
    const TableFeature& feature = schema.features[f];
    const CsvColumn& column = table.columns[columns[f]];
    if (feature.numeric) {
      *out++ = static_cast<float>((column.values[static_cast<size_t>(row)] - feature.mean) / feature.std);
    } else {
      std::fill(out, out + feature.categories.size(), 0.0f);
      const std::string& value = column.categories[static_cast<size_t>(column.codes[static_cast<size_t>(row)])];
      const auto it = category_index[f].find(value);
      if (it != category_index[f].end()) out[it->second] = 1.0f;
      out += feature.categories.size();
    }
  }
}

std::vector<std::unordered_map<std::string, int64_t>> category_indexes(const TableSchema& schema) {
  std::vector<std::unordered_map<std::string, int64_t>> all(schema.features.size());
  for (size_t f = 0; f < schema.features.size(); ++f) {
    for (size_t c = 0; c < schema.features[f].categories.size(); ++c) {
      all[f][schema.features[f].categories[c]] = static_cast<int64_t>(c);
    }
  }
  return all;
}

}  // namespace

bool choose_classification(const TargetSummary& target, const std::string& task, const std::string& path) {
  if (task == "classification") {
    if (target.numeric && !target.whole_numbers) {
      throw std::invalid_argument(path + ": --task classification, but the target column " + printable(target.name) +
                                  " holds real numbers (classes are text or whole numbers); use --task regression");
    }
    return true;
  }
  if (task == "regression") {
    if (!target.numeric) {
      throw std::invalid_argument(path + ": --task regression, but the target column " + printable(target.name) +
                                  " holds text ('" + printable(target.first_text) + "'); use --task classification");
    }
    return false;
  }
  if (task != "auto")
    throw std::invalid_argument("--task must be auto, classification or regression, got '" + task + "'");
  if (!target.numeric) return true;
  return target.whole_numbers && target.distinct <= kMaxAutoClasses;
}

std::string describe_table(const std::string& path, const TableSchema& schema, int64_t train, int64_t test) {
  std::string what = path + ": " + std::to_string(train) + " train / " + std::to_string(test) + " test rows, " +
                     std::to_string(schema.features.size()) + " features (" + std::to_string(schema.width()) +
                     " inputs) → ";
  if (!schema.classification) return what + printable(schema.target) + " (regression)";
  std::string names;
  for (size_t i = 0; i < schema.classes.size() && i < 6; ++i) names += (i ? ", " : "") + printable(schema.classes[i]);
  if (schema.classes.size() > 6) names += ", ...";
  return what + std::to_string(schema.classes.size()) + " classes of " + printable(schema.target) + " (" + names + ")";
}

int64_t TableSchema::width() const {
  int64_t width = 0;
  for (const auto& f : features) width += f.numeric ? 1 : static_cast<int64_t>(f.categories.size());
  return width;
}

nlohmann::json TableSchema::to_json() const {
  nlohmann::json features_json = nlohmann::json::array();
  for (const auto& f : features) {
    if (f.numeric) {
      features_json.push_back({{"name", f.name}, {"kind", "numeric"}, {"mean", f.mean}, {"std", f.std}});
    } else {
      features_json.push_back({{"name", f.name}, {"kind", "categories"}, {"categories", f.categories}});
    }
  }
  nlohmann::json j = {
      {"target", target}, {"task", classification ? "classification" : "regression"}, {"features", features_json}};
  if (classification) {
    j["classes"] = classes;
  } else {
    j["target_mean"] = target_mean;
    j["target_std"] = target_std;
  }
  return j;
}

TableSchema TableSchema::from_json(const nlohmann::json& j) {
  try {
    TableSchema s;
    s.target = j.at("target").get<std::string>();
    const std::string task = j.at("task").get<std::string>();
    if (task != "classification" && task != "regression") throw std::invalid_argument("task '" + task + "'");
    s.classification = task == "classification";
    if (s.classification) {
      s.classes = j.at("classes").get<std::vector<std::string>>();
    } else {
      s.target_mean = j.at("target_mean").get<double>();
      s.target_std = j.at("target_std").get<double>();
    }
    for (const auto& f : j.at("features")) {
      TableFeature feature;
      feature.name = f.at("name").get<std::string>();
      feature.numeric = f.at("kind").get<std::string>() == "numeric";
      if (feature.numeric) {
        feature.mean = f.at("mean").get<double>();
        feature.std = f.at("std").get<double>();
        if (!std::isfinite(feature.mean) || !(feature.std > 0) || !std::isfinite(feature.std)) {
          throw std::invalid_argument("feature " + feature.name + ": mean and std must be finite, std above 0");
        }
      } else {
        feature.categories = f.at("categories").get<std::vector<std::string>>();
      }
      s.features.push_back(std::move(feature));
    }
    return s;
  } catch (const nlohmann::json::exception& e) {
    throw std::invalid_argument(std::string("table schema: ") + e.what());
  }
}

TableData load_table(const std::string& path, const TableOptions& options) {
  return table_data(read_csv_columns(path), options);
}

TableData table_data(const CsvColumns& table, const TableOptions& options) {
  if (!(options.test_split >= 0 && options.test_split < 1)) {
    throw std::invalid_argument("--test-split must be in [0, 1), got " + round_trip_number(options.test_split));
  }
  if (table.columns.size() < 2) {
    throw std::invalid_argument(table.path + ": one column only: a table needs features and a target column");
  }
  const size_t target_index = options.target.empty() ? table.columns.size() - 1 : table.index_of(options.target);
  const CsvColumn& target = table.columns[target_index];
  TableData data;
  TableSchema& schema = data.schema;
  schema.target = target.name;
  TargetSummary summary{.name = target.name, .numeric = target.numeric};
  if (target.numeric) {
    summary.whole_numbers = whole_numbers(target.values);
    summary.distinct = static_cast<int64_t>(std::set<float>(target.values.begin(), target.values.end()).size());
  } else {
    summary.distinct = static_cast<int64_t>(target.categories.size());
    summary.first_text = target.categories.front();
  }
  schema.classification = choose_classification(summary, options.task, table.path);

  // The split: its own generator, so that every training seed sees the same test rows.
  std::vector<int64_t> order(static_cast<size_t>(table.rows));
  std::iota(order.begin(), order.end(), int64_t{0});
  Rng split_rng(options.split_seed);
  std::shuffle(order.begin(), order.end(), split_rng.engine());
  const auto test_rows = static_cast<int64_t>(std::llround(options.test_split * static_cast<double>(table.rows)));
  if (table.rows - test_rows < 1) {
    throw std::invalid_argument(table.path + ": " + std::to_string(table.rows) + " rows leave none for training");
  }
  std::vector<int64_t> test(order.begin(), order.begin() + test_rows);
  std::vector<int64_t> train(order.begin() + test_rows, order.end());
  // In file order within each part, as a reader expects.
  std::sort(test.begin(), test.end());
  std::sort(train.begin(), train.end());

  std::vector<size_t> columns;
  for (size_t c = 0; c < table.columns.size(); ++c) {
    if (c == target_index) continue;
    columns.push_back(c);
    schema.features.push_back(fit_feature(table.columns[c], train));
  }
  std::vector<int64_t> row_class;
  if (schema.classification) {
    schema.classes = class_names(target, row_class);
    if (schema.classes.size() < 2) {
      throw std::invalid_argument(table.path + ": the target column " + printable(target.name) +
                                  " holds one class only ('" + printable(schema.classes.front()) + "')");
    }
  } else {
    const TableFeature t = fit_feature(target, train);
    schema.target_mean = t.mean;
    schema.target_std = t.std;
  }

  const auto indexes = category_indexes(schema);
  auto encode = [&](const std::vector<int64_t>& rows) {
    Dataset d;
    const auto n = static_cast<int64_t>(rows.size());
    d.x = Tensor<float>(Shape{n, schema.width()});
    d.y = schema.classification ? Tensor<float>(Shape{n}) : Tensor<float>(Shape{n, 1});
    d.num_classes = schema.classification ? static_cast<int>(schema.classes.size()) : 0;
    for (int64_t i = 0; i < n; ++i) {
      const int64_t r = rows[static_cast<size_t>(i)];
      encode_row(table, schema, columns, indexes, r, d.x.row(i));
      d.y[i] =
          schema.classification
              ? static_cast<float>(row_class[static_cast<size_t>(r)])
              : static_cast<float>((target.values[static_cast<size_t>(r)] - schema.target_mean) / schema.target_std);
    }
    return d;
  };
  data.split.train = encode(train);
  data.split.test = encode(test);
  data.split.description = describe_table(table.path, schema, data.split.train.size(), data.split.test.size());
  return data;
}

Dataset encode_table(const CsvColumns& table, const TableSchema& schema) {
  std::vector<size_t> columns;
  for (const auto& f : schema.features) {
    size_t c = 0;
    try {
      c = table.index_of(f.name);
    } catch (const std::runtime_error&) {
      throw std::runtime_error(table.path + ": no column '" + printable(f.name) +
                               "', a feature the model was trained on");
    }
    if (table.columns[c].numeric != f.numeric) {
      throw std::runtime_error(table.path + ": column " + printable(f.name) + " holds " +
                               (table.columns[c].numeric ? "numbers" : "text") + ", the model was trained on " +
                               (f.numeric ? "numbers" : "text") + " there");
    }
    columns.push_back(c);
  }
  const auto indexes = category_indexes(schema);
  Dataset d;
  d.x = Tensor<float>(Shape{table.rows, schema.width()});
  d.y = schema.classification ? Tensor<float>(Shape{table.rows}) : Tensor<float>(Shape{table.rows, 1});
  d.num_classes = schema.classification ? static_cast<int>(schema.classes.size()) : 0;
  const CsvColumn* target = nullptr;
  for (const auto& column : table.columns) {
    if (column.name == schema.target) target = &column;
  }
  std::unordered_map<std::string, int64_t> class_index;
  for (size_t c = 0; c < schema.classes.size(); ++c) class_index[schema.classes[c]] = static_cast<int64_t>(c);
  for (int64_t r = 0; r < table.rows; ++r) {
    encode_row(table, schema, columns, indexes, r, d.x.row(r));
    if (target == nullptr) continue;
    const auto row = static_cast<size_t>(r);
    if (schema.classification) {
      const std::string label = target->numeric ? round_trip_number(target->values[row])
                                                : target->categories[static_cast<size_t>(target->codes[row])];
      const auto it = class_index.find(label);
      if (it == class_index.end()) {
        throw std::runtime_error(table.path + ":" + std::to_string(table.lines[row]) + ": class '" + printable(label) +
                                 "' of column " + printable(schema.target) + " is not one the model knows");
      }
      d.y[r] = static_cast<float>(it->second);
    } else {
      if (!target->numeric)
        throw std::runtime_error(table.path + ": the target column " + printable(schema.target) + " holds text");
      d.y[r] = static_cast<float>((target->values[row] - schema.target_mean) / schema.target_std);
    }
  }
  return d;
}

}  // namespace nnlab
