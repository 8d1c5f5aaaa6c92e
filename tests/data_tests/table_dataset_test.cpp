// CSV tables as datasets: the task, the split, standardisation from the training rows only,
// one-hot text features, class names, and the schema that encodes new rows alike.

#include "nnlab/data/table_dataset.h"

#include <gtest/gtest.h>

#include <cmath>

#include "nnlab/data/data_source.h"

namespace nnlab::test {
namespace {

TableData from_text(const std::string& text, TableOptions options = {}) {
  return table_data(parse_csv_columns(text, "t.csv"), options);
}

TEST(TableDataset, TextTargetIsClassificationWithSortedNames) {
  const TableData d =
      from_text("x,colour,kind\n1,red,pear\n2,blue,apple\n3,red,fig\n4,green,apple\n", {.test_split = 0});
  EXPECT_TRUE(d.schema.classification);
  EXPECT_EQ(d.schema.classes, (std::vector<std::string>{"apple", "fig", "pear"}));
  const Dataset& train = d.split.train;
  ASSERT_EQ(train.size(), 4);
  EXPECT_EQ(train.num_classes, 3);
  EXPECT_EQ(std::vector<float>(train.y.begin(), train.y.end()), (std::vector<float>{2, 0, 1, 0}));
  // x standardised (mean 2.5, std √1.25), colour one-hot over red, blue, green.
  ASSERT_EQ(d.schema.width(), 4);
  EXPECT_EQ(d.schema.features[1].categories, (std::vector<std::string>{"red", "blue", "green"}));
  EXPECT_NEAR(train.x.row(0)[0], (1 - 2.5) / std::sqrt(1.25), 1e-6);
  EXPECT_EQ(std::vector<float>(train.x.row(3) + 1, train.x.row(3) + 4), (std::vector<float>{0, 0, 1}));
}

TEST(TableDataset, TheTaskFollowsTheTarget) {
  // Whole numbers, few distinct: classes ("0" < "2" < "10", sorted as numbers).
  const TableData classes = from_text("a,t\n1,2\n2,10\n3,0\n4,2\n", {.test_split = 0});
  EXPECT_TRUE(classes.schema.classification);
  EXPECT_EQ(classes.schema.classes, (std::vector<std::string>{"0", "2", "10"}));
  // Real numbers: regression, the target standardised with the training rows' mean and std.
  const TableData values = from_text("a,t\n1,0.5\n2,1.5\n3,2.5\n4,3.5\n", {.test_split = 0});
  EXPECT_FALSE(values.schema.classification);
  EXPECT_DOUBLE_EQ(values.schema.target_mean, 2.0);
  EXPECT_NEAR(values.split.train.y[0], (0.5 - 2.0) / std::sqrt(1.25), 1e-6);
  EXPECT_NEAR(values.schema.decode_target(values.split.train.y[3]), 3.5, 1e-6);
  EXPECT_EQ(values.split.train.y.shape(), (Shape{4, 1}));
  // Asked for: whole numbers as values, or refused where they cannot be.
  EXPECT_FALSE(from_text("a,t\n1,2\n2,10\n", {.task = "regression", .test_split = 0}).schema.classification);
  EXPECT_THROW(from_text("a,t\n1,0.5\n2,1\n", {.task = "classification"}), std::invalid_argument);
  EXPECT_THROW(from_text("a,t\n1,x\n2,y\n", {.task = "regression"}), std::invalid_argument);
  EXPECT_THROW(from_text("a,t\n1,x\n2,x\n", {.test_split = 0}), std::invalid_argument);  // one class
  EXPECT_THROW(from_text("a,t\n1,x\n2,y\n", {.target = "price"}), std::runtime_error);
}

TEST(TableDataset, StatisticsComeFromTheTrainingRowsOnly) {
  std::string text = "x,t\n";
  for (int i = 0; i < 10; ++i) text += std::to_string(i * i) + "," + (i % 2 ? "a" : "b") + "\n";
  const TableData d = from_text(text, {.test_split = 0.3, .split_seed = 4});
  ASSERT_EQ(d.split.train.size(), 7);
  ASSERT_EQ(d.split.test.size(), 3);
  // The mean of x over the 7 training rows, recovered from their standardised values.
  const double mean = d.schema.features[0].mean, std = d.schema.features[0].std;
  double sum = 0;
  for (int64_t r = 0; r < 7; ++r) sum += d.split.train.x.row(r)[0] * std + mean;
  EXPECT_NEAR(sum / 7, mean, 1e-4);
  EXPECT_NE(mean, 28.5);  // the mean of all ten rows
  // The same split for the same seed; another for another.
  EXPECT_EQ(from_text(text, {.test_split = 0.3, .split_seed = 4}).schema.features[0].mean, mean);
  EXPECT_NE(from_text(text, {.test_split = 0.3, .split_seed = 5}).schema.features[0].mean, mean);
}

TEST(TableDataset, TheSchemaEncodesNewRowsAlike) {
  const TableData d = from_text("x,colour,kind\n1,red,pear\n2,blue,apple\n3,red,fig\n", {.test_split = 0});
  const TableSchema schema = TableSchema::from_json(nlohmann::json::parse(d.schema.to_json().dump()));
  EXPECT_EQ(schema.to_json(), d.schema.to_json());
  // Columns in another order, an unseen colour (all zeros), the target present.
  const Dataset rows = encode_table(parse_csv_columns("kind,colour,x\nfig,red,3\npear,violet,1\n", "n.csv"), schema);
  ASSERT_EQ(rows.size(), 2);
  for (int64_t k = 0; k < schema.width(); ++k) EXPECT_EQ(rows.x.row(0)[k], d.split.train.x.row(2)[k]) << k;
  EXPECT_EQ(std::vector<float>(rows.x.row(1) + 1, rows.x.row(1) + 3), (std::vector<float>{0, 0}));
  EXPECT_EQ(rows.y[0], 1);  // fig
  // Without the target (rows to predict): zeros as labels; without a feature: refused.
  EXPECT_EQ(encode_table(parse_csv_columns("colour,x\nred,3\n", "n.csv"), schema).size(), 1);
  EXPECT_THROW(encode_table(parse_csv_columns("kind,x\nfig,3\n", "n.csv"), schema), std::runtime_error);
  try {
    encode_table(parse_csv_columns("kind,colour,x\nplum,red,3\n", "n.csv"), schema);
    ADD_FAILURE();
  } catch (const std::runtime_error& e) {
    EXPECT_EQ(std::string(e.what()), "n.csv:2: class 'plum' of column kind is not one the model knows");
  }
  EXPECT_THROW(TableSchema::from_json(nlohmann::json{{"target", "t"}}), std::invalid_argument);
}

TEST(TableDataset, BundledTables) {
  for (const char* name : {"iris", "wine", "breast-cancer", "digits", "diabetes"}) {
    const LoadedData d = load_data(name);
    EXPECT_EQ(d.kind, "table");
    EXPECT_GT(d.split.test.size(), 20) << name;
    EXPECT_EQ(d.split.train.classification(), std::string(name) != "diabetes") << name;
  }
  const LoadedData iris = load_data("iris");
  EXPECT_EQ(iris.split.train.size() + iris.split.test.size(), 150);
  EXPECT_EQ(iris.classes, (std::vector<std::string>{"setosa", "versicolor", "virginica"}));
  EXPECT_EQ(load_data("digits").split.train.sample_shape(), (Shape{64}));
  // The description brings back the same split.
  const LoadedData again = load_described_data(iris.description());
  EXPECT_EQ(again.split.test.y.shape(), iris.split.test.y.shape());
  for (int64_t i = 0; i < iris.split.test.x.size(); ++i) ASSERT_EQ(again.split.test.x[i], iris.split.test.x[i]);
  EXPECT_THROW(load_data("no-such-data.csv"), std::runtime_error);
}

}  // namespace
}  // namespace nnlab::test
