#include "nnlab/data/table_stream.h"

#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cmath>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <limits>
#include <map>
#include <set>
#include <stdexcept>
#include <unordered_map>

#include "nnlab/io/number_text.h"

namespace nnlab {

namespace {

// The end of the last whole record in `text`, which starts at a record's start: just after
// the last line end outside quotes (0 when there is none).
size_t last_record_end(const std::string& text) {
  bool quoted = false;
  size_t end = 0;
  for (size_t i = 0; i < text.size(); ++i) {
    const char ch = text[i];
    if (ch == '"') {
      quoted = !quoted;
    } else if (!quoted && (ch == '\n' || (ch == '\r' && i + 1 < text.size() && text[i + 1] != '\n'))) {
      end = i + 1;
    }
  }
  return end;
}

// A mean and a standard deviation in one pass (Welford's algorithm: as exact as the two passes
// of a table in memory, to rounding).
struct Moments {
  double mean_ = 0, m2 = 0;
  int64_t n = 0;
  void add(double v) {
    ++n;
    const double d = v - mean_;
    mean_ += d / static_cast<double>(n);
    m2 += d * (v - mean_);
  }
  double mean() const { return mean_; }
  double std() const {
    const double s = n > 0 ? std::sqrt(m2 / static_cast<double>(n)) : 0;
    return s > 1e-12 ? s : 1;  // a constant column: centred, not scaled
  }
};

// One column as the first reading finds it.
struct ColumnFit {
  std::string name;
  bool numeric = true;
  Moments moments{};                                        // numeric, training rows
  std::vector<std::string> categories{};                    // text, training rows, in order of appearance
  std::unordered_map<std::string, int64_t> category_set{};  // of `categories`
  // The target's: its distinct values over all rows (up to a cap), and whether all are whole.
  std::set<float> distinct_values{};
  std::set<std::string> distinct_texts{};
  bool whole = true;
};

int64_t modification_time(const std::string& path) {
  std::error_code error;
  const auto time = std::filesystem::last_write_time(path, error);
  return error ? 0 : static_cast<int64_t>(time.time_since_epoch().count());
}

// A label as the class names hold it: a number in its shortest form ("3" for "3.0"), text as it is.
std::string label_of(const std::string& cell, bool numeric) {
  double value = 0;
  if (!numeric || !read_number(cell, value)) return cell;
  return round_trip_number(static_cast<float>(value));
}

std::string cell_where(size_t column, const std::string& name) {
  return "column " + std::to_string(column + 1) + " (" + printable(name) + ")";
}

}  // namespace

double TableStream::key(int64_t row) const {
  // splitmix64 of the row and the seed: a uniform key, independent between rows.
  uint64_t z = static_cast<uint64_t>(row) + split_seed_ * 0xD1B54A32D192ED03ULL + 0x9E3779B97F4A7C15ULL;
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
  z ^= z >> 31;
  return static_cast<double>(z >> 11) * 0x1.0p-53;
}

std::shared_ptr<TableStream> TableStream::open(const std::string& path, const TableOptions& options,
                                               const TableStreamOptions& stream) {
  if (!(options.test_split >= 0 && options.test_split < 1)) {
    throw std::invalid_argument("--test-split must be in [0, 1), got " + round_trip_number(options.test_split));
  }
  std::shared_ptr<TableStream> table(new TableStream());
  table->path_ = path;
  table->options_ = stream;
  table->test_split_ = options.test_split;
  table->split_seed_ = options.split_seed;
  table->index(&options);
  return table;
}

std::shared_ptr<TableStream> TableStream::open_with_schema(const std::string& path, const TableSchema& schema,
                                                           const TableStreamOptions& stream) {
  std::shared_ptr<TableStream> table(new TableStream());
  table->path_ = path;
  table->options_ = stream;
  table->schema_ = schema;
  table->with_saved_schema_ = true;
  table->test_split_ = 1;  // every row is a test row
  table->index(nullptr);
  return table;
}

void TableStream::check_unchanged() const {
  std::error_code error;
  const auto bytes = std::filesystem::file_size(path_, error);
  if (error || static_cast<int64_t>(bytes) != file_bytes_ || modification_time(path_) != file_time_) {
    throw std::runtime_error(path_ + ": the file changed (or went) since it was first read; start the run again");
  }
}

// The first reading: every record parsed and checked, the blocks indexed, and either the schema
// fitted (`options`) or the saved one matched to the header.
void TableStream::index(const TableOptions* options) {
  std::ifstream in(path_, std::ios::binary);  // read in order: a stream
  if (!in) throw std::runtime_error(path_ + ": cannot open: " + std::strerror(errno));
  file_bytes_ = static_cast<int64_t>(std::filesystem::file_size(path_));
  file_time_ = modification_time(path_);
  {
    std::string start(static_cast<size_t>(std::min<int64_t>(file_bytes_, 1 << 20)), '\0');
    in.read(start.data(), static_cast<std::streamsize>(start.size()));
    delimiter_ = detect_delimiter(std::string_view(start).substr(0, start.find('\n')));
    in.clear();
    in.seekg(0);
  }

  std::vector<ColumnFit> fits;
  bool header_done = false;
  int64_t first_data_line = 0;
  size_t target = 0;
  const auto fail = [&](int64_t line, const std::string& what) {
    throw std::runtime_error(path_ + ":" + std::to_string(line) + ": " + what);
  };
  const auto take_header = [&](const std::vector<std::string>& row, int64_t line) {
    double unused = 0;
    has_header_ = !std::all_of(row.begin(), row.end(), [&](const std::string& c) { return read_number(c, unused); });
    CsvColumns names;  // for CsvColumns::index_of and its messages
    names.path = path_;
    std::set<std::string> seen;
    for (size_t i = 0; i < row.size(); ++i) {
      CsvColumn column;
      column.name = has_header_ && !row[i].empty() ? row[i] : std::to_string(i);
      if (!seen.insert(column.name).second) {
        fail(line, "column " + std::to_string(i + 1) + ": the name '" + printable(column.name) +
                       "' is taken by an earlier column");
      }
      fits.emplace_back().name = column.name;
      names.columns.push_back(std::move(column));
    }
    columns_ = row.size();
    if (options != nullptr) {
      if (columns_ < 2)
        throw std::invalid_argument(path_ + ": one column only: a table needs features and a target column");
      target = options->target.empty() ? columns_ - 1 : names.index_of(options->target);
      target_column_ = static_cast<int64_t>(target);
      for (size_t c = 0; c < columns_; ++c) {
        if (c != target) feature_columns_.push_back(c);
      }
      return;
    }
    for (const auto& f : schema_.features) {
      size_t c = 0;
      try {
        c = names.index_of(f.name);
      } catch (const std::runtime_error&) {
        throw std::runtime_error(path_ + ": no column '" + printable(f.name) + "', a feature the model was trained on");
      }
      feature_columns_.push_back(c);
    }
    for (size_t c = 0; c < columns_; ++c) {
      if (names.columns[c].name == schema_.target) target_column_ = static_cast<int64_t>(c);
    }
    for (size_t c = 0; c < schema_.classes.size(); ++c) class_index_[schema_.classes[c]] = static_cast<int64_t>(c);
  };

  double value = 0;
  const auto take_row = [&](const std::vector<std::string>& row, int64_t line) {
    if (row.size() != columns_) fail(line, ragged_row(row.size(), columns_));
    const bool training = key(rows_) >= test_split_;
    for (size_t c = 0; c < row.size(); ++c) {
      ColumnFit& fit = fits[c];
      const std::string& cell = row[c];
      if (rows_ == 0) fit.numeric = !cell.empty() && read_number(cell, value);
      const std::string problem =
          cell_problem(cell, c, fit.name, fit.numeric, rows_ == 0 ? line : first_data_line, value);
      if (!problem.empty()) fail(line, problem);
      const auto v = static_cast<float>(value);
      if (options == nullptr) continue;
      if (c == target) {
        if (fit.numeric) {
          fit.whole = fit.whole && v == std::round(v);
          if (static_cast<int64_t>(fit.distinct_values.size()) <= options_.max_classes) fit.distinct_values.insert(v);
          if (training) fit.moments.add(v);
        } else if (static_cast<int64_t>(fit.distinct_texts.size()) <= options_.max_classes) {
          fit.distinct_texts.insert(cell);
        }
      } else if (training) {
        if (fit.numeric) {
          fit.moments.add(v);
        } else if (fit.category_set.try_emplace(cell, static_cast<int64_t>(fit.categories.size())).second) {
          fit.categories.push_back(cell);
          if (static_cast<int64_t>(fit.categories.size()) > options_.max_categories) {
            fail(line, cell_where(c, fit.name) + ": more than " + std::to_string(options_.max_categories) +
                           " distinct values in a text column (each would be an input of its own): drop the column");
          }
        }
      }
    }
    if (options == nullptr) {
      // The saved schema's kinds, and the labels it knows.
      if (rows_ == 0) {
        for (size_t f = 0; f < schema_.features.size(); ++f) {
          const bool numeric = fits[feature_columns_[f]].numeric;
          if (numeric != schema_.features[f].numeric) {
            fail(line, "column " + printable(schema_.features[f].name) + " holds " + (numeric ? "numbers" : "text") +
                           ", the model was trained on " + (schema_.features[f].numeric ? "numbers" : "text") +
                           " there");
          }
        }
      }
      if (target_column_ >= 0) {
        const auto t = static_cast<size_t>(target_column_);
        target_numeric_ = fits[t].numeric;
        if (!schema_.classification && !fits[t].numeric) {
          throw std::runtime_error(path_ + ": the target column " + printable(schema_.target) + " holds text");
        }
        if (schema_.classification) {
          const std::string label = label_of(row[t], fits[t].numeric);
          if (!class_index_.contains(label)) {
            fail(line, "class '" + printable(label) + "' of column " + printable(schema_.target) +
                           " is not one the model knows");
          }
        }
      }
    }
    train_rows_ += training;
    rows_ += 1;
  };

  int64_t line = 1;
  int64_t offset = 0;  // of `text` in the file
  std::string text;
  bool at_end = false;
  const auto block_bytes = static_cast<size_t>(std::max<int64_t>(options_.block_bytes, 1));
  // A record longer than this without a line end (outside quotes) is refused.
  const int64_t max_record = options_.limits.max_field_bytes * 4 + (int64_t{64} << 20);
  while (!at_end || !text.empty()) {
    if (!at_end) {
      const size_t old = text.size();
      text.resize(old + block_bytes);
      in.read(text.data() + old, static_cast<std::streamsize>(block_bytes));
      text.resize(old + static_cast<size_t>(in.gcount()));
      at_end = static_cast<size_t>(in.gcount()) < block_bytes;
    }
    const size_t cut = at_end ? text.size() : last_record_end(text);
    if (cut == 0) {
      if (static_cast<int64_t>(text.size()) > max_record) {
        fail(line, "a record of more than " + std::to_string(max_record) +
                       " bytes without a line end (a quoted field not closed?)");
      }
      continue;
    }
    Block block{.offset = offset, .bytes = static_cast<int64_t>(cut), .first_row = rows_, .first_line = line};
    CsvRecordParser parser(path_, delimiter_, options_.limits, line, [&](std::vector<std::string>& row, int64_t at) {
      if (!header_done) {
        header_done = true;
        take_header(row, at);
        if (has_header_) return;
      }
      if (rows_ == 0) first_data_line = at;
      take_row(row, at);
    });
    parser.feed(text.data(), cut);
    parser.finish();
    line = parser.line();
    block.rows = rows_ - block.first_row;
    if (block.rows > 0) blocks_.push_back(block);
    text.erase(0, cut);
    offset += static_cast<int64_t>(cut);
  }
  if (!header_done) throw std::runtime_error(path_ + ": empty file: no header and no rows");
  if (rows_ == 0) throw std::runtime_error(path_ + ": a header and no rows of data");
  if (options == nullptr) {
    make_lookups();
    return;
  }
  if (train_rows_ < 1) {
    throw std::invalid_argument(path_ + ": " + std::to_string(rows_) + " rows leave none for training");
  }

  // The schema, as table_data fits it on a table in memory.
  const ColumnFit& t = fits[target];
  schema_.target = t.name;
  target_numeric_ = t.numeric;
  TargetSummary summary{.name = t.name, .numeric = t.numeric, .whole_numbers = t.whole};
  summary.distinct = static_cast<int64_t>(t.numeric ? t.distinct_values.size() : t.distinct_texts.size());
  if (!t.numeric) summary.first_text = *t.distinct_texts.begin();
  schema_.classification = choose_classification(summary, options->task, path_);
  if (schema_.classification) {
    if (summary.distinct > options_.max_classes) {
      throw std::invalid_argument(path_ + ": the target column " + printable(t.name) + " holds more than " +
                                  std::to_string(options_.max_classes) + " classes");
    }
    if (t.numeric) {
      for (float v : t.distinct_values) schema_.classes.push_back(round_trip_number(v));
    } else {
      schema_.classes.assign(t.distinct_texts.begin(), t.distinct_texts.end());
    }
    if (schema_.classes.size() < 2) {
      throw std::invalid_argument(path_ + ": the target column " + printable(t.name) + " holds one class only ('" +
                                  printable(schema_.classes.front()) + "')");
    }
  } else {
    schema_.target_mean = t.moments.mean();
    schema_.target_std = t.moments.std();
  }
  for (size_t c : feature_columns_) {
    const ColumnFit& fit = fits[c];
    TableFeature feature;
    feature.name = fit.name;
    feature.numeric = fit.numeric;
    if (fit.numeric) {
      feature.mean = fit.moments.mean();
      feature.std = fit.moments.std();
    } else {
      feature.categories = fit.categories;
    }
    schema_.features.push_back(std::move(feature));
  }
  make_lookups();
}

void TableStream::make_lookups() {
  category_index_.assign(schema_.features.size(), {});
  for (size_t f = 0; f < schema_.features.size(); ++f) {
    for (size_t c = 0; c < schema_.features[f].categories.size(); ++c) {
      category_index_[f][schema_.features[f].categories[c]] = static_cast<int64_t>(c);
    }
  }
  class_index_.clear();
  for (size_t c = 0; c < schema_.classes.size(); ++c) class_index_[schema_.classes[c]] = static_cast<int64_t>(c);
}

std::string TableStream::description() const {
  return describe_table(path_, schema_, train_rows_, test_rows()) + ", streamed in " + std::to_string(blocks_.size()) +
         " blocks";
}

void TableStream::read_block(int fd, size_t index, double low, double high, int64_t rows, float* x, float* y) const {
  const Block& block = blocks_.at(index);
  std::string text(static_cast<size_t>(block.bytes), '\0');
  for (int64_t done = 0; done < block.bytes;) {
    const ssize_t got = ::pread(fd, text.data() + done, static_cast<size_t>(block.bytes - done), block.offset + done);
    if (got <= 0) {
      check_unchanged();
      throw std::runtime_error(path_ + ": cannot read: " + std::strerror(errno));
    }
    done += got;
  }
  const auto changed = [&](int64_t line) {
    check_unchanged();
    throw std::runtime_error(path_ + ":" + std::to_string(line) +
                             ": not the row the first reading found there (has the file changed?)");
  };
  const auto width = static_cast<size_t>(schema_.width());

  int64_t row = block.first_row;
  int64_t taken = 0;
  bool skip_header = block.offset == 0 && has_header_;
  double value = 0;
  CsvRecordParser parser(
      path_, delimiter_, options_.limits, block.first_line, [&](std::vector<std::string>& fields, int64_t line) {
        if (skip_header) {
          skip_header = false;
          return;
        }
        const double k = key(row++);
        if (k < low || k >= high) return;
        if (fields.size() != columns_ || taken == rows) changed(line);
        float* out = x + static_cast<size_t>(taken) * width;
        float& target = y[taken++];
        for (size_t f = 0; f < schema_.features.size(); ++f) {
          const TableFeature& feature = schema_.features[f];
          const std::string& cell = fields[feature_columns_[f]];
          if (feature.numeric) {
            if (!read_number(cell, value)) changed(line);
            *out++ = static_cast<float>((static_cast<float>(value) - feature.mean) / feature.std);
          } else {
            std::fill(out, out + feature.categories.size(), 0.0f);
            const auto it = category_index_[f].find(cell);
            if (it != category_index_[f].end()) out[it->second] = 1.0f;
            out += feature.categories.size();
          }
        }
        if (target_column_ < 0) {
          target = 0.0f;
          return;
        }
        const std::string& cell = fields[static_cast<size_t>(target_column_)];
        if (schema_.classification) {
          const auto it = class_index_.find(label_of(cell, target_numeric_));
          if (it == class_index_.end()) changed(line);
          target = static_cast<float>(it->second);
        } else {
          if (!read_number(cell, value)) changed(line);
          target = static_cast<float>((static_cast<float>(value) - schema_.target_mean) / schema_.target_std);
        }
      });
  parser.feed(text.data(), text.size());
  parser.finish();
  if (row != block.first_row + block.rows || taken != rows) changed(block.first_line);
}

}  // namespace nnlab
