#include "nnlab/lab/live_view.h"

#include <algorithm>
#include <cmath>
#include <span>
#include <string>
#include <thread>
#include <vector>

#include "nnlab/diagnostics/activation_stats.h"
#include "nnlab/train/evaluate.h"
#include "nnlab/train/history.h"

namespace nnlab::lab {

namespace {

using Clock = std::chrono::steady_clock;

// Softmax of one row of logits, in place.
void softmax_row(float* row, int64_t n) {
  const float top = *std::max_element(row, row + n);
  double sum = 0;
  for (int64_t i = 0; i < n; ++i) sum += row[i] = std::exp(row[i] - top);
  for (int64_t i = 0; i < n; ++i) row[i] = static_cast<float>(row[i] / sum);
}

// The range an activation's histogram covers: its natural one for tanh and sigmoid, the values'
// own otherwise.
std::pair<double, double> histogram_range(const std::string& type, std::span<const float> values) {
  if (type == "Tanh") return {-1, 1};
  if (type == "Sigmoid") return {0, 1};
  float lo = 0, hi = 0;
  for (const float v : values) {
    if (!std::isfinite(v)) continue;
    lo = std::min(lo, v), hi = std::max(hi, v);
  }
  return {lo, hi > lo ? hi : lo + 1};
}

bool is_activation(const std::string& type) { return type == "ReLU" || type == "Tanh" || type == "Sigmoid"; }

constexpr int64_t kFiltersShown = 32;

// A convolution's first kFiltersShown filters (their first input channel), each scaled to 0-255 on
// its own range: {"count", "height", "width", "pixels"}.
nlohmann::json filters_json(Module<float>& conv) {
  const std::vector<Parameter<float>> params = conv.parameters();
  if (params.empty() || params.front().value->shape().rank() != 4) return nullptr;
  const Tensor<float>& w = *params.front().value;
  const Shape& shape = w.shape();
  const int64_t count = std::min(shape[0], kFiltersShown), kh = shape[2], kw = shape[3];
  const int64_t per_filter = shape[1] * kh * kw;
  std::vector<int> pixels;
  for (int64_t f = 0; f < count; ++f) {
    const float* first = w.data() + f * per_filter;
    const auto [lo, hi] = std::minmax_element(first, first + kh * kw);
    const double range = *hi > *lo ? *hi - *lo : 1.0;
    for (int64_t p = 0; p < kh * kw; ++p)
      pixels.push_back(static_cast<int>(std::lround(255 * (first[p] - *lo) / range)));
  }
  return {{"count", count}, {"height", kh}, {"width", kw}, {"pixels", pixels}};
}

}  // namespace

BoundaryGrid grid_around(const Dataset& data, int resolution) {
  BoundaryGrid grid{.resolution = resolution};
  if (data.size() == 0 || data.x.size() != data.size() * 2) return grid;
  const float* x = data.x.data();
  grid.x_min = grid.y_min = 1e30, grid.x_max = grid.y_max = -1e30;
  for (int64_t i = 0; i < data.size(); ++i) {
    grid.x_min = std::min<double>(grid.x_min, x[2 * i]), grid.x_max = std::max<double>(grid.x_max, x[2 * i]);
    grid.y_min = std::min<double>(grid.y_min, x[2 * i + 1]), grid.y_max = std::max<double>(grid.y_max, x[2 * i + 1]);
  }
  const double mx = 0.1 * (grid.x_max - grid.x_min) + 1e-3, my = 0.1 * (grid.y_max - grid.y_min) + 1e-3;
  grid.x_min -= mx, grid.x_max += mx, grid.y_min -= my, grid.y_max += my;
  return grid;
}

LiveView::LiveView(RunFeed& feed, RunControl& control, LiveViewOptions options, Dataset samples,
                   std::shared_ptr<const diagnostics::Monitor> monitor)
    : feed_(feed),
      control_(control),
      options_(std::move(options)),
      samples_(std::move(samples)),
      monitor_(std::move(monitor)) {}

void LiveView::on_step_begin(TrainState& state) {
  if (const auto lr = control_.learning_rate()) state.optimizer.set_lr(*lr);
}

void LiveView::on_step_end(TrainState& state, double loss) {
  step_ = state.optimizer.steps();
  if (std::isfinite(loss)) loss_sum_ += loss, ++loss_count_;
  const auto now = Clock::now();
  const bool paused = control_.state() == RunControl::State::kPaused;
  if (paused || now - last_step_ >= options_.step_every) {
    publish_step(state);
    last_step_ = now;
  }
  if (paused || now - last_map_ >= options_.map_every || step_ == 1) {
    publish_boundary(state);
    publish_layers(state);
    last_map_ = Clock::now();
  }
  if (paused) feed_.publish("status", {{"state", "paused"}, {"step", step_}});
  if (!control_.gate()) {
    state.request_stop("stopped from the lab");
    return;
  }
  if (paused && control_.state() == RunControl::State::kRunning) {
    feed_.publish("status", {{"state", "running"}, {"step", step_}});
  }
  keep_pace();
}

void LiveView::keep_pace() {
  const double pace = control_.pace();
  if (pace <= 0) return;
  const auto period = std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double>(1.0 / pace));
  const auto now = Clock::now();
  if (next_step_ < now - period) next_step_ = now;  // after a pause or a slow step: no catching up
  next_step_ += period;
  std::this_thread::sleep_until(next_step_);
}

void LiveView::publish_step(TrainState& state) {
  if (loss_count_ == 0) return;
  feed_.publish("step", {{"step", step_},
                         {"epoch", state.epoch},
                         {"loss", loss_sum_ / static_cast<double>(loss_count_)},
                         {"lr", state.optimizer.lr()}});
  loss_sum_ = 0, loss_count_ = 0;
}

void LiveView::publish_boundary(TrainState& state) {
  if (!options_.grid) return;
  const BoundaryGrid& g = *options_.grid;
  const int n = g.resolution;
  Tensor<float> points(Shape{static_cast<int64_t>(n) * n, 2});
  float* p = points.data();
  for (int row = 0; row < n; ++row) {  // row 0 at the top: y_max
    for (int col = 0; col < n; ++col, p += 2) {
      p[0] = static_cast<float>(g.x_min + (col + 0.5) * (g.x_max - g.x_min) / n);
      p[1] = static_cast<float>(g.y_max - (row + 0.5) * (g.y_max - g.y_min) / n);
    }
  }
  Tensor<float> out = eval_outputs_in_place(state.model, points);
  const int64_t classes = out.size() / (static_cast<int64_t>(n) * n);
  std::vector<int> quantized;
  quantized.reserve(out.size());
  for (int64_t i = 0; i < static_cast<int64_t>(n) * n; ++i) {
    float* row = out.data() + i * classes;
    softmax_row(row, classes);
    for (int64_t c = 0; c < classes; ++c) quantized.push_back(static_cast<int>(std::lround(255 * row[c])));
  }
  feed_.publish("boundary", {{"step", step_},
                             {"resolution", n},
                             {"classes", classes},
                             {"box", {g.x_min, g.x_max, g.y_min, g.y_max}},
                             {"p", quantized}});
}

void LiveView::publish_layers(TrainState& state) {
  nlohmann::json layers = nlohmann::json::array();
  nlohmann::json parameters = nlohmann::json::array();  // the weights' gradient norms
  if (monitor_ && !monitor_->layer_samples().empty()) {
    const int64_t sampled = monitor_->layer_samples().back().step;
    for (const diagnostics::LayerSample& s : monitor_->layer_samples()) {
      if (s.step != sampled) continue;
      const diagnostics::LayerInfo& info = monitor_->layers()[s.layer];
      layers.push_back({{"name", info.name},
                        {"type", info.type},
                        {"sizes", info.sizes},
                        {"mean", json_number(s.activation_mean)},
                        {"std", json_number(s.activation_std)},
                        {"dead", json_number(s.dead_fraction)},
                        {"saturated", json_number(s.saturated_fraction)},
                        {"grad_norm", json_number(s.input_grad_norm)},
                        {"output_grad_norm", json_number(s.output_grad_norm)}});
    }
    for (const diagnostics::ParameterSample& s : monitor_->parameter_samples()) {
      if (s.step != sampled) continue;
      const diagnostics::ParameterInfo& info = monitor_->parameters()[s.parameter];
      if (!info.name.ends_with(".weight")) continue;
      parameters.push_back({{"name", info.name},
                            {"sizes", monitor_->layers()[info.layer].sizes},
                            {"grad_norm", json_number(s.grad_norm)},
                            {"update_ratio", json_number(s.update_ratio)}});
    }
    const auto& warnings = monitor_->warnings();
    for (; warnings_sent_ < warnings.size(); ++warnings_sent_) {
      const auto& w = warnings[warnings_sent_];
      feed_.publish("warning", {{"step", w.step}, {"kind", w.kind}, {"layer", w.layer}, {"message", w.message}});
    }
  }
  // Histograms: the samples through the top-level layers one by one, in eval mode.
  nlohmann::json histograms = nlohmann::json::array();
  const auto children = state.model.children();
  if (samples_.size() > 0 && state.model.type() == "Sequential" && !children.empty()) {
    const bool training = state.model.training();
    state.model.eval();
    Tensor<float> x = samples_.x;
    for (const auto& [name, child] : children) {
      x = Tensor<float>(child->forward(x));
      const std::string type = child->type();
      if (!is_activation(type)) continue;
      const std::span<const float> values(x.data(), static_cast<size_t>(x.size()));
      const auto [lo, hi] = histogram_range(type, values);
      const diagnostics::BinnedValues bins = diagnostics::bin_values(values, lo, hi, options_.histogram_bins);
      histograms.push_back({{"name", name}, {"type", type}, {"lo", lo}, {"hi", hi}, {"counts", bins.counts}});
    }
    state.model.set_training(training);
  }
  if (layers.empty() && histograms.empty()) return;
  nlohmann::json event = {{"step", step_}, {"layers", layers}, {"parameters", parameters}, {"histograms", histograms}};
  if (!children.empty() && children.front().second->type() == "Conv2d")
    event["filters"] = filters_json(*children.front().second);
  feed_.publish("layers", event);
}

void LiveView::on_epoch_end(TrainState& state, const EpochRecord& r) {
  publish_step(state);
  nlohmann::json epoch = epoch_json(r);  // a row of history.json, and how many epochs the run plans
  epoch["total_epochs"] = state.total_epochs;
  feed_.publish("epoch", epoch);
}

void LiveView::on_train_end(TrainState& state) {
  publish_step(state);
  publish_boundary(state);
  publish_layers(state);
}

}  // namespace nnlab::lab
