// A CSV table streamed from its file: the same schema and encoding as the table read into
// memory, every training row once per epoch in a new order, parts that never overlap, a loader
// that resumes mid-epoch, and bad files refused with the in-memory reader's message.

#include "nnlab/data/table_stream.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <fstream>
#include <map>
#include <set>
#include <stdexcept>

#include "nnlab/data/csv_reader.h"
#include "nnlab/train/train.h"
#include "temp_dir.h"

namespace nnlab::test {
namespace {

// Small blocks and windows, so that a table of a few hundred rows spans many of each.
constexpr TableStreamOptions kTinyBlocks{.block_bytes = 200, .window_bytes = 2000};

// id, x (numeric), colour (text), label (text): `rows` rows; a quoted field with a newline and
// a delimiter every 7th row, so that some block holds one.
std::string stream_table(int64_t rows) {
  std::string text = "id,x,colour,label\n";
  const char* colours[] = {"red", "\"green, dark\"", "\"blue\nish\""};
  for (int64_t i = 0; i < rows; ++i) {
    const double x = std::sin(static_cast<double>(i)) * 3 + 1;
    text += std::to_string(i) + "," + std::to_string(x) + "," + colours[i % 7 == 0 ? 1 + (i / 7) % 2 : 0] + "," +
            (x > 1 ? "up" : "down") + "\n";
  }
  return text;
}

std::string stream_write(TempDir& dir, const std::string& name, const std::string& text) {
  const std::string path = dir.file(name);
  std::ofstream(path, std::ios::binary) << text;
  return path;
}

// Every batch of one epoch: x rows and y values, in order.
struct StreamEpoch {
  std::vector<std::vector<float>> x;
  std::vector<float> y;
};
StreamEpoch stream_epoch(BatchSource& loader, bool start = true) {
  if (start) loader.start_epoch();
  StreamEpoch epoch;
  Tensor<float> x, y;
  while (loader.next(x, y)) {
    for (int64_t r = 0; r < x.rows(); ++r) {
      epoch.x.emplace_back(x.row(r), x.row(r) + x.row_size());
      epoch.y.push_back(y[r]);
    }
  }
  return epoch;
}

std::string stream_error(const std::string& path, const TableOptions& options = {}) {
  try {
    TableStream::open(path, options, kTinyBlocks);
  } catch (const std::exception& e) {
    return e.what();
  }
  return "";
}

TEST(TableStream, SameSchemaAndRowsAsTheTableInMemory) {
  TempDir dir;
  const std::string path = stream_write(dir, "t.csv", stream_table(300));
  const TableOptions options{.target = "label", .test_split = 0};
  const auto stream = TableStream::open(path, options, kTinyBlocks);
  const TableData memory = load_table(path, options);
  EXPECT_GT(stream->blocks().size(), 20u);
  EXPECT_EQ(stream->rows(), 300);
  EXPECT_EQ(stream->train_rows(), 300);
  const TableSchema& s = stream->schema();
  const TableSchema& m = memory.schema;
  EXPECT_EQ(s.classes, m.classes);
  ASSERT_EQ(s.features.size(), m.features.size());
  for (size_t f = 0; f < s.features.size(); ++f) {
    EXPECT_EQ(s.features[f].name, m.features[f].name);
    EXPECT_EQ(s.features[f].numeric, m.features[f].numeric);
    EXPECT_NEAR(s.features[f].mean, m.features[f].mean, 1e-9 * (1 + std::abs(m.features[f].mean)));
    EXPECT_NEAR(s.features[f].std, m.features[f].std, 1e-9 * m.features[f].std);
    EXPECT_EQ(s.features[f].categories, m.features[f].categories);
  }
  EXPECT_EQ(s.features[2].categories, (std::vector<std::string>{"green, dark", "red", "blue\nish"}));
  // Unshuffled, the rows come in file order, encoded as in memory.
  Rng rng(0);
  const auto train = stream->train();
  const auto loader = train->loader(32, rng, /*shuffle=*/false);
  const StreamEpoch epoch = stream_epoch(*loader);
  const Dataset& d = memory.split.train;
  ASSERT_EQ(epoch.y.size(), 300u);
  for (int64_t r = 0; r < d.size(); ++r) {
    EXPECT_EQ(epoch.y[static_cast<size_t>(r)], d.y[r]) << "row " << r;
    for (int64_t c = 0; c < d.x.row_size(); ++c) {
      EXPECT_NEAR(epoch.x[static_cast<size_t>(r)][static_cast<size_t>(c)], d.x.row(r)[c], 1e-5) << r << "," << c;
    }
  }
}

TEST(TableStream, EveryTrainingRowOncePerEpochInANewOrder) {
  TempDir dir;
  const std::string path = stream_write(dir, "t.csv", stream_table(500));
  const auto stream = TableStream::open(path, {.target = "label", .test_split = 0.2}, kTinyBlocks);
  const auto train = stream->train();
  Rng rng(3);
  const auto loader = train->loader(17, rng, /*shuffle=*/true);
  EXPECT_EQ(loader->samples(), stream->train_rows());
  EXPECT_EQ(loader->batches_per_epoch(), (stream->train_rows() + 16) / 17);
  // The id column (standardised, still distinct) names each row.
  const auto ids = [](const StreamEpoch& e) {
    std::vector<float> id;
    for (const auto& row : e.x) id.push_back(row[0]);
    return id;
  };
  const std::vector<float> first = ids(stream_epoch(*loader));
  const std::vector<float> second = ids(stream_epoch(*loader));
  ASSERT_EQ(static_cast<int64_t>(first.size()), stream->train_rows());
  EXPECT_NE(first, second);
  std::vector<float> a = first, b = second;
  std::sort(a.begin(), a.end());
  std::sort(b.begin(), b.end());
  EXPECT_EQ(a, b);
  EXPECT_EQ(std::adjacent_find(a.begin(), a.end()), a.end()) << "a row came twice";
  // The first batch mixes rows from far apart in the file (windows of many blocks).
  const auto [low, high] = std::minmax_element(first.begin(), first.begin() + 17);
  EXPECT_GT(*high - *low, 1.0f);
}

TEST(TableStream, APartThatFitsOneWindowIsReadOnceAndReshuffled) {
  TempDir dir;
  const std::string path = stream_write(dir, "t.csv", stream_table(500));
  const auto stream = TableStream::open(path, {.target = "label", .test_split = 0.2});
  const auto train = stream->train();
  Rng rng(3);
  const auto loader = train->loader(17, rng, /*shuffle=*/true);
  const StreamEpoch first = stream_epoch(*loader);
  // Kept in memory: a change to the file no longer matters to it.
  stream_write(dir, "t.csv", "changed\n");
  const StreamEpoch second = stream_epoch(*loader);
  ASSERT_EQ(static_cast<int64_t>(second.y.size()), stream->train_rows());
  EXPECT_NE(first.x, second.x);
  auto a = first.x, b = second.x;
  std::sort(a.begin(), a.end());
  std::sort(b.begin(), b.end());
  EXPECT_EQ(a, b);
}

TEST(TableStream, TestTrainAndValidationPartsCoverTheRowsOnce) {
  TempDir dir;
  const std::string path = stream_write(dir, "t.csv", stream_table(2000));
  const auto stream = TableStream::open(path, {.target = "label", .test_split = 0.25, .split_seed = 5}, kTinyBlocks);
  EXPECT_NEAR(static_cast<double>(stream->test_rows()) / 2000, 0.25, 0.04);
  const auto train = stream->train();
  const auto test = stream->test();
  const DataStream::Parts parts = train->split(0.1);
  EXPECT_EQ(parts.first->size() + parts.second->size(), train->size());
  EXPECT_NEAR(static_cast<double>(parts.second->size()) / static_cast<double>(train->size()), 0.1, 0.03);
  Rng rng(0);
  std::set<float> seen;
  for (const DataStream* part : {parts.first.get(), parts.second.get(), test.get()}) {
    const auto loader = part->loader(100, rng, false);
    for (const auto& row : stream_epoch(*loader).x) EXPECT_TRUE(seen.insert(row[0]).second) << "a row in two parts";
  }
  EXPECT_EQ(seen.size(), 2000u);
  // The same seed, the same parts; another seed, others.
  EXPECT_EQ(TableStream::open(path, {.target = "label", .test_split = 0.25, .split_seed = 5})->test_rows(),
            stream->test_rows());
  EXPECT_NE(TableStream::open(path, {.target = "label", .test_split = 0.25, .split_seed = 6})->test_rows(),
            stream->test_rows());
}

TEST(TableStream, ALoaderResumesMidEpochWithTheSameBatches) {
  TempDir dir;
  const std::string path = stream_write(dir, "t.csv", stream_table(400));
  const auto stream = TableStream::open(path, {.target = "label"}, kTinyBlocks);
  const auto train = stream->train();
  Rng rng(7);
  const auto loader = train->loader(10, rng, true);
  stream_epoch(*loader);
  loader->start_epoch();
  Tensor<float> x, y;
  for (int i = 0; i < 13; ++i) ASSERT_TRUE(loader->next(x, y));
  const StateDict saved = loader->state_dict();
  const StateDict saved_rng = rng.state_dict();
  const StreamEpoch rest = stream_epoch(*loader, /*start=*/false);
  const StreamEpoch next = stream_epoch(*loader);

  Rng other_rng(99);
  const auto restored = train->loader(10, other_rng, true);
  restored->load_state_dict(saved);
  other_rng.load_state_dict(saved_rng);
  EXPECT_EQ(restored->position(), 130);
  const StreamEpoch rest_again = stream_epoch(*restored, false);
  EXPECT_EQ(rest_again.x, rest.x);
  EXPECT_EQ(rest_again.y, rest.y);
  EXPECT_EQ(stream_epoch(*restored).x, next.x);
  // A state of another kind of loader is refused, naming the entry.
  const auto other = train->loader(11, rng, true);
  try {
    other->load_state_dict(saved);
    FAIL() << "loaded a state of batch size 10 into a loader of 11";
  } catch (const std::runtime_error& e) {
    EXPECT_NE(std::string(e.what()).find("'batch_size' is 10"), std::string::npos) << e.what();
  }
}

TEST(TableStream, BadRowsGetTheInMemoryReadersMessage) {
  TempDir dir;
  std::string text = stream_table(300);
  // A ragged row deep in the file, then a word in the numeric column x.
  for (const std::string& bad : {std::string("301,1.5,red\n"), std::string("301,abc,red,up\n"),
                                 std::string("301,,red,up\n"), std::string("301,1,\"red,up\n")}) {
    const std::string path = stream_write(dir, "bad.csv", text + bad + "302,1,red,up\n");
    std::string memory;
    try {
      read_csv_columns(path);
    } catch (const std::runtime_error& e) {
      memory = e.what();
    }
    ASSERT_FALSE(memory.empty()) << bad;
    EXPECT_EQ(stream_error(path), memory) << bad;
  }
  EXPECT_EQ(stream_error(stream_write(dir, "empty.csv", "")),
            dir.file("empty.csv") + ": empty file: no header and no rows");
  EXPECT_NE(stream_error(stream_write(dir, "h.csv", "a,b\n")).find("a header and no rows"), std::string::npos);
  EXPECT_NE(stream_error(stream_write(dir, "t.csv", text), {.target = "price"}).find("no column 'price'"),
            std::string::npos);
  EXPECT_NE(stream_error(stream_write(dir, "t.csv", text), {.target = "x", .task = "classification"})
                .find("holds real numbers"),
            std::string::npos);
  // A text feature of a value per row would be an input per row.
  std::string ids = "name,y\n";
  for (int i = 0; i < 1100; ++i) ids += "n" + std::to_string(i) + "," + std::to_string(i % 2) + "\n";
  EXPECT_NE(stream_error(stream_write(dir, "ids.csv", ids), {.test_split = 0}).find("more than 1000 distinct values"),
            std::string::npos);
}

TEST(TableStream, AFileChangedAfterTheFirstReadingIsRefused) {
  TempDir dir;
  const std::string path = stream_write(dir, "t.csv", stream_table(300));
  const auto stream = TableStream::open(path, {.target = "label"}, kTinyBlocks);
  stream_write(dir, "t.csv", stream_table(301));
  Rng rng(0);
  const auto loader = stream->train()->loader(10, rng, true);
  try {
    stream_epoch(*loader);
    FAIL() << "read a changed file";
  } catch (const std::runtime_error& e) {
    EXPECT_NE(std::string(e.what()).find("t.csv: the file changed"), std::string::npos) << e.what();
  }
}

TEST(TableStream, EveryRowOfAnotherFileWithASavedSchema) {
  TempDir dir;
  const auto stream = TableStream::open(stream_write(dir, "t.csv", stream_table(300)), {.target = "label"});
  const std::string other = stream_write(dir, "o.csv", "label,x,colour,id\nup,2,red,1\ndown,0,red,2\nup,3,pink,3\n");
  const auto table = TableStream::open_with_schema(other, stream->schema());
  EXPECT_EQ(table->rows(), 3);
  Rng rng(0);
  const auto loader = table->test()->loader(10, rng, false);
  const StreamEpoch e = stream_epoch(*loader);
  const auto& classes = stream->schema().classes;
  ASSERT_EQ(e.y.size(), 3u);
  EXPECT_EQ(classes[static_cast<size_t>(e.y[0])], "up");
  EXPECT_EQ(classes[static_cast<size_t>(e.y[1])], "down");
  // pink is no colour of the training rows: all its one-hot inputs are 0.
  EXPECT_EQ(e.x[2][2] + e.x[2][3] + e.x[2][4], 0.0f);
  try {
    TableStream::open_with_schema(stream_write(dir, "u.csv", "label,x,colour,id\nup,2,red,1\nsideways,1,red,2\n"),
                                  stream->schema());
    FAIL() << "an unknown class";
  } catch (const std::runtime_error& e) {
    EXPECT_NE(std::string(e.what()).find("u.csv:3: class 'sideways' of column label is not one the model knows"),
              std::string::npos)
        << e.what();
  }
}

TEST(TableStream, TrainsAModelWithValidationFromTheStream) {
  TempDir dir;
  const auto stream = TableStream::open(stream_write(dir, "t.csv", stream_table(2000)), {.target = "label"});
  const auto train = stream->train();
  TrainConfig config;
  config.hidden = {16};
  config.optimizer.lr = 0.01;
  config.epochs = 5;
  config.batch_size = 32;
  config.val_split = 0.1;
  config.early_stopping = 3;
  config.threads = 1;
  Training run(config, *train);
  EXPECT_NEAR(static_cast<double>(run.validation_size()), 0.1 * static_cast<double>(train->size()), 60);
  const History history = run.fit();
  ASSERT_EQ(history.epochs.size(), 5u);
  EXPECT_GT(history.epochs.back().val_accuracy, 0.9);
  Rng unused(0);
  const auto test = stream->test()->loader(500, unused, false);
  const Metrics m = evaluate_in_place(run.model(), run.loss(), *test);
  EXPECT_GT(m.accuracy, 0.9);
  config.train_size = 100;
  EXPECT_THROW(Training(config, *train), std::invalid_argument);
}

}  // namespace
}  // namespace nnlab::test
