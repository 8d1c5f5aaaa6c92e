// The parts of a streamed table (DataStream) and the loader that reads them a window of
// blocks at a time (BatchSource); table_stream.h says how rows are split and shuffled.

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <exception>
#include <numeric>
#include <stdexcept>

#include "nnlab/data/table_stream.h"
#include "nnlab/kernels/threads.h"

namespace nnlab {

namespace {

// The rows of a table whose split key lies in [low, high).
class TableRows final : public DataStream {
 public:
  TableRows(std::shared_ptr<const TableStream> table, double low, double high)
      : table_(std::move(table)), low_(low), high_(high) {
    for (const auto& block : table_->blocks()) {
      int64_t n = 0;
      for (int64_t r = block.first_row; r < block.first_row + block.rows; ++r) {
        const double k = table_->key(r);
        n += k >= low_ && k < high_;
      }
      counts_.push_back(n);
      size_ += n;
    }
  }

  int64_t size() const override { return size_; }
  int num_classes() const override {
    return table_->schema().classification ? static_cast<int>(table_->schema().classes.size()) : 0;
  }
  int64_t outputs() const override { return classification() ? num_classes() : 1; }
  Shape sample_shape() const override { return Shape{table_->schema().width()}; }

  Parts split(double share) const override {
    if (!(share >= 0 && share < 1)) throw std::invalid_argument("a split share must be in [0, 1)");
    const double middle = high_ - share * (high_ - low_);
    return {std::make_unique<TableRows>(table_, low_, middle), std::make_unique<TableRows>(table_, middle, high_)};
  }

  std::unique_ptr<BatchSource> loader(int64_t batch_size, Rng& rng, bool shuffle) const override;

  const TableStream& table() const { return *table_; }
  double low() const { return low_; }
  double high() const { return high_; }
  const std::vector<int64_t>& counts() const { return counts_; }

 private:
  std::shared_ptr<const TableStream> table_;
  double low_, high_;
  std::vector<int64_t> counts_;  // rows of each block in this part
  int64_t size_ = 0;
};

// Batches of a TableRows: each epoch the blocks in a new order, a window of them at a time,
// the window's rows shuffled. Its state dict ("epoch", "position", "seed", and "batch_size",
// "shuffle", "samples" to check it loads into the same kind of loader) restores it mid-epoch:
// the seed gives the epoch's order of blocks and of rows in every window.
class TableStreamLoader final : public BatchSource {
 public:
  TableStreamLoader(const TableRows& rows, int64_t batch_size, Rng& rng, bool shuffle)
      : rows_(rows), table_(rows_.table()), rng_(rng), shuffle_(shuffle) {
    if (batch_size < 1) throw std::invalid_argument("batch size must be at least 1, got " + std::to_string(batch_size));
    fd_ = ::open(table_.path().c_str(), O_RDONLY | O_CLOEXEC);
    if (fd_ < 0) {
      throw std::runtime_error(table_.path() + ": cannot open it again to read the rows: " + std::strerror(errno));
    }
    batch_size_ = rows.size() > 0 ? std::min(batch_size, rows.size()) : batch_size;
    for (size_t b = 0; b < rows.counts().size(); ++b) {
      if (rows.counts()[b] > 0) blocks_.push_back(b);
    }
    const int64_t per_row = (table_.schema().width() + 1) * static_cast<int64_t>(sizeof(float));
    const int64_t rows_per_block = blocks_.empty() ? 1 : std::max<int64_t>(1, rows.size() / std::ssize(blocks_));
    window_blocks_ = std::max<int64_t>(1, table_.options().window_bytes / (per_row * rows_per_block));
  }

  ~TableStreamLoader() override { ::close(fd_); }
  TableStreamLoader(const TableStreamLoader&) = delete;
  TableStreamLoader& operator=(const TableStreamLoader&) = delete;

  void start_epoch() override {
    ++epoch_;
    position_ = 0;
    seed_ = shuffle_ ? rng_.next_seed() : 0;
    plan_epoch();
  }

  bool next(Tensor<float>& x, Tensor<float>& y) override {
    if (epoch_ == 0) start_epoch();
    const int64_t count = std::min(batch_size_, rows_.size() - position_);
    if (count <= 0) return false;
    const int64_t width = table_.schema().width();
    x.resize(Shape{count, width});
    y.resize(table_.schema().classification ? Shape{count} : Shape{count, 1});
    for (int64_t i = 0; i < count; ++i) {
      while (cursor_ >= std::ssize(window_order_)) load_window(window_ + 1);
      const auto r = static_cast<size_t>(window_order_[static_cast<size_t>(cursor_++)]);
      std::copy_n(window_x_.data() + r * static_cast<size_t>(width), width, x.row(i));
      y[i] = window_y_[r];
    }
    position_ += count;
    return true;
  }

  int64_t batch_size() const override { return batch_size_; }
  int64_t batches_per_epoch() const override { return (rows_.size() + batch_size_ - 1) / batch_size_; }
  int64_t samples() const override { return rows_.size(); }
  int64_t position() const override { return position_; }
  int num_classes() const override { return rows_.num_classes(); }
  Shape sample_shape() const override { return rows_.sample_shape(); }

  StateDict state_dict() const override {
    StateDict state;
    state.put_int("epoch", epoch_);
    state.put_int("position", position_);
    state.put_int("seed", static_cast<int64_t>(seed_));
    state.put_int("batch_size", batch_size_);
    state.put_int("shuffle", shuffle_);
    state.put_int("samples", rows_.size());
    return state;
  }

  void load_state_dict(const StateDict& state) override {
    try {
      state.require_names({"epoch", "position", "seed", "batch_size", "shuffle", "samples"}, "the state dict");
      for (const auto& [name, mine] : {std::pair<const char*, int64_t>{"batch_size", batch_size_},
                                       {"shuffle", shuffle_},
                                       {"samples", rows_.size()}}) {
        if (state.get_int(name) != mine) {
          throw std::runtime_error("entry '" + std::string(name) + "' is " + std::to_string(state.get_int(name)) +
                                   ", this loader has " + std::to_string(mine));
        }
      }
      const int64_t epoch = state.get_int("epoch");
      const int64_t position = state.get_int("position");
      if (epoch < 0) throw std::runtime_error("entry 'epoch' is negative: " + std::to_string(epoch));
      if (position < 0 || position > (epoch > 0 ? rows_.size() : 0)) {
        throw std::runtime_error("entry 'position' " + std::to_string(position) + " is outside the epoch's samples");
      }
      epoch_ = epoch;
      position_ = position;
      seed_ = static_cast<uint64_t>(state.get_int("seed"));
      if (epoch_ == 0) return;
      // Where the position stands: the window that holds it, and the rows of it before it.
      plan_epoch();
      int64_t before = 0;
      for (int64_t w = 0;; ++w) {
        const int64_t rows = window_rows(w);
        if (before + rows > position_ || rows == 0) {
          if (rows > 0) load_window(w);
          cursor_ = position_ - before;
          return;
        }
        before += rows;
      }
    } catch (const std::runtime_error& error) {
      throw std::runtime_error("table stream loader: cannot load the state: " + std::string(error.what()));
    }
  }

 private:
  // The epoch's order of blocks; no window read yet.
  // A part that fits in one window is read once and kept: its blocks stay in file order, and
  // each epoch shuffles only its rows (the validation and test rows of most tables).
  void plan_epoch() {
    const bool one_window = std::ssize(blocks_) <= window_blocks_;
    order_ = blocks_;
    if (shuffle_ && !one_window) {
      Rng order_rng(seed_);
      std::shuffle(order_.begin(), order_.end(), order_rng.engine());
    }
    cursor_ = 0;
    if (one_window && window_ == 0) {
      order_rows(0);
      return;
    }
    window_ = -1;
    window_order_.clear();
  }

  // The order of the window's rows in the epoch.
  void order_rows(int64_t w) {
    window_order_.resize(window_y_.size());
    std::iota(window_order_.begin(), window_order_.end(), int64_t{0});
    if (shuffle_) {
      Rng window_rng(seed_ ^ (0x9E3779B97F4A7C15ULL * static_cast<uint64_t>(w + 1)));
      std::shuffle(window_order_.begin(), window_order_.end(), window_rng.engine());
    }
  }

  int64_t window_rows(int64_t w) const {
    int64_t n = 0;
    const int64_t begin = w * window_blocks_;
    for (int64_t i = begin; i < std::min<int64_t>(begin + window_blocks_, std::ssize(order_)); ++i) {
      n += rows_.counts()[order_[static_cast<size_t>(i)]];
    }
    return n;
  }

  void load_window(int64_t w) {
    const int64_t begin = w * window_blocks_;
    if (begin >= std::ssize(order_)) {
      throw std::logic_error("table stream loader: read past the epoch's last block");
    }
    table_.check_unchanged();
    // The window's blocks, parsed on the run's threads, each into its place in the window.
    const int64_t end = std::min<int64_t>(begin + window_blocks_, std::ssize(order_));
    std::vector<int64_t> start(static_cast<size_t>(end - begin + 1), 0);
    for (int64_t i = begin; i < end; ++i) {
      start[static_cast<size_t>(i - begin + 1)] =
          start[static_cast<size_t>(i - begin)] + rows_.counts()[order_[static_cast<size_t>(i)]];
    }
    const auto width = static_cast<size_t>(table_.schema().width());
    window_x_.resize(static_cast<size_t>(start.back()) * width);
    window_y_.resize(static_cast<size_t>(start.back()));
    std::vector<std::exception_ptr> errors(static_cast<size_t>(end - begin));
    run_parallel(num_threads(), [&](int part, int parts) {
      for (int64_t i = begin + part; i < end; i += parts) {
        const auto at = static_cast<size_t>(i - begin);
        try {
          table_.read_block(fd_, order_[static_cast<size_t>(i)], rows_.low(), rows_.high(), start[at + 1] - start[at],
                            window_x_.data() + static_cast<size_t>(start[at]) * width, window_y_.data() + start[at]);
        } catch (...) {
          errors[at] = std::current_exception();
        }
      }
    });
    for (const auto& error : errors) {
      if (error) std::rethrow_exception(error);
    }
    order_rows(w);
    window_ = w;
    cursor_ = 0;
  }

  const TableRows rows_;  // a copy: the loader may outlive the DataStream it came from
  const TableStream& table_;
  Rng& rng_;
  bool shuffle_;
  int fd_ = -1;
  int64_t batch_size_ = 1;
  std::vector<size_t> blocks_;  // those holding rows of the part
  int64_t window_blocks_ = 1;
  int64_t epoch_ = 0, position_ = 0;
  uint64_t seed_ = 0;
  std::vector<size_t> order_;  // the epoch's blocks
  int64_t window_ = -1, cursor_ = 0;
  std::vector<float> window_x_, window_y_;
  std::vector<int64_t> window_order_;
};

std::unique_ptr<BatchSource> TableRows::loader(int64_t batch_size, Rng& rng, bool shuffle) const {
  return std::make_unique<TableStreamLoader>(*this, batch_size, rng, shuffle);
}

}  // namespace

std::unique_ptr<DataStream> TableStream::train() const {
  return std::make_unique<TableRows>(shared_from_this(), test_split_, 1.0);
}

std::unique_ptr<DataStream> TableStream::test() const {
  return std::make_unique<TableRows>(shared_from_this(), 0.0, test_split_);
}

}  // namespace nnlab
