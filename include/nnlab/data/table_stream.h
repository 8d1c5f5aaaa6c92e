#pragma once
// A CSV table larger than memory as training data: read through once to check every row and
// fit the schema, then block by block, every epoch.
//
//   auto table = TableStream::open("big.csv", {.target = "label"});
//   std::unique_ptr<DataStream> train = table->train(), test = table->test();
//   std::unique_ptr<BatchSource> batches = train->loader(128, rng, /*shuffle=*/true);
//
// Memory: the schema, and an index of the file's blocks (about 256 KB of text each, cut at
// row ends); a loader holds one window of encoded rows (64 MB by default), never the table.
//
// The split: each row's index and the split seed hash to a key in [0, 1); the rows with a key
// under test_split are the test rows, about that share of them (a table in memory holds out
// exactly round(test_split × rows), drawn by a generator instead). A part of the training rows
// (DataStream::split, the validation data) is a range of keys too, so every part is the same
// whenever the file is read.
//
// Shuffling: each epoch visits the blocks in a new order, a window of them at a time, and
// shuffles the rows within the window. A window of 64 MB holds rows from hundreds of places in
// the file, which mixes well unless the file is sorted by its target and small blocks of it
// all belong to one class; shuffle such a file first (shuf) or give --stream off.
//
// The schema is fitted as for a table in memory (table_dataset.h) on the training rows: numeric
// features standardised, text features one-hot (at most max_categories values), classes sorted.
// Bad input gets the same one-line messages with the file, line and column, before training
// starts; a file that changes between epochs is refused with a message naming it.

#include <cstdint>
#include <memory>
#include <string>
#include <unordered_map>
#include <vector>

#include "nnlab/data/batch_source.h"
#include "nnlab/data/table_dataset.h"

namespace nnlab {

struct TableStreamOptions {
  int64_t block_bytes = int64_t{256} << 10;  // of CSV text per block
  int64_t window_bytes = int64_t{64} << 20;  // of encoded rows shuffled together
  int64_t max_categories = 1000;             // distinct values of a text feature
  int64_t max_classes = 10000;               // of a classification target
  CsvLimits limits{};
};

class TableStream : public std::enable_shared_from_this<TableStream> {
 public:
  // Reads `path` once: checks every row, chooses the task and fits the schema on the training
  // rows. Throws std::runtime_error naming the file, line and column for bad data, and
  // std::invalid_argument for options that do not fit the table (as load_table).
  static std::shared_ptr<TableStream> open(const std::string& path, const TableOptions& options,
                                           const TableStreamOptions& stream = {});
  // Every row of `path` encoded with a saved schema (eval on a table of the same columns): the
  // target column, when there, gives the labels (y holds zeros without it).
  static std::shared_ptr<TableStream> open_with_schema(const std::string& path, const TableSchema& schema,
                                                       const TableStreamOptions& stream = {});

  const std::string& path() const { return path_; }
  const TableSchema& schema() const { return schema_; }
  int64_t rows() const { return rows_; }
  int64_t train_rows() const { return train_rows_; }
  int64_t test_rows() const { return rows_ - train_rows_; }
  // As describe_table, with "streamed in N blocks".
  std::string description() const;

  // The training rows and the test rows (with open_with_schema: no rows, and every row).
  std::unique_ptr<DataStream> train() const;
  std::unique_ptr<DataStream> test() const;

  // What the parts and loaders read (table_stream_loader.cpp).
  struct Block {
    int64_t offset = 0, bytes = 0;  // of the file
    int64_t first_row = 0, rows = 0;
    int64_t first_line = 1;
  };
  const std::vector<Block>& blocks() const { return blocks_; }
  const TableStreamOptions& options() const { return options_; }
  // The split key in [0, 1) of data row `row`.
  double key(int64_t row) const;
  // Encodes the `rows` rows of block `block` whose key lies in [low, high) into x
  // (schema().width() values each) and y (a class index, or the standardised target), reading
  // from `fd` (an open descriptor of the file; safe from several threads at once). Throws
  // std::runtime_error when the file no longer holds what the first reading found.
  void read_block(int fd, size_t block, double low, double high, int64_t rows, float* x, float* y) const;
  // Throws std::runtime_error when the file's size or time of change differ from the first reading's.
  void check_unchanged() const;

 private:
  TableStream() = default;
  void index(const TableOptions* options);
  void make_lookups();

  std::string path_;
  TableSchema schema_;
  TableStreamOptions options_;
  char delimiter_ = ',';
  bool has_header_ = true;
  bool with_saved_schema_ = false;
  double test_split_ = 0;
  uint64_t split_seed_ = 0;
  int64_t rows_ = 0, train_rows_ = 0;
  int64_t file_bytes_ = 0;
  int64_t file_time_ = 0;
  std::vector<Block> blocks_;
  // The file's column of each feature, and of the target (-1 when absent).
  std::vector<size_t> feature_columns_;
  int64_t target_column_ = -1;
  bool target_numeric_ = true;
  size_t columns_ = 0;
  // The encoding's lookups: each text feature's categories, and the class names.
  std::vector<std::unordered_map<std::string, int64_t>> category_index_;
  std::unordered_map<std::string, int64_t> class_index_;
};

}  // namespace nnlab
