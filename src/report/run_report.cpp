#include "nnlab/report/run_report.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <map>

#include "nnlab/report/palette.h"

namespace nnlab::report {

namespace {

std::string format(double value, const char* pattern = "%.4f") {
  if (std::isnan(value)) return "–";
  char buffer[64];
  std::snprintf(buffer, sizeof buffer, pattern, value);
  return buffer;
}

// "0 Linear 784→100", "3 ReLU": the layer's place in the model (as in the model file and in
// PyTorch's state dict), its type and, where it has weights, what it maps.
std::string layer_name(const diagnostics::Monitor& monitor, size_t layer) {
  const diagnostics::LayerInfo& info = monitor.layers()[layer];
  return info.name + " " + info.type + (info.sizes.empty() ? "" : " " + info.sizes);
}

// "0.weight", "3.body.0.weight": the weights (not biases or BatchNorm's scales) that the gradient
// and update charts follow.
bool is_weight(const std::string& parameter) { return parameter.ends_with(".weight"); }

// Series beyond the palette's eight colours are told apart by their dash.
void style_series(Series& series, size_t index) {
  series.color = series_color(index);
  series.dashed = index >= 8;
}

std::vector<double> epochs_of(const History& history) {
  std::vector<double> xs;
  for (const auto& e : history.epochs) xs.push_back(e.epoch);
  return xs;
}

}  // namespace

LineChart loss_chart(const History& history) {
  LineChart chart{.title = "Loss", .x_label = "epoch", .y_label = "loss"};
  std::vector<double> train, val;
  for (const auto& e : history.epochs) {
    train.push_back(e.train_loss);
    val.push_back(e.val_loss);
  }
  const bool few = history.epochs.size() < 3;
  chart.add("train", epochs_of(history), train).markers = few;
  Series& v = chart.add("validation", epochs_of(history), val);
  v.dashed = true;
  v.markers = few;
  return chart;
}

LineChart accuracy_chart(const History& history) {
  LineChart chart{.title = "Accuracy", .x_label = "epoch", .y_label = "accuracy"};
  std::vector<double> train, val;
  for (const auto& e : history.epochs) {
    train.push_back(e.train_accuracy);
    val.push_back(e.val_accuracy);
  }
  const bool few = history.epochs.size() < 3;
  chart.add("train", epochs_of(history), train).markers = few;
  Series& v = chart.add("validation", epochs_of(history), val);
  v.dashed = true;
  v.markers = few;
  return chart;
}

LineChart step_loss_chart(const History& history) {
  LineChart chart{.title = "Loss of every step", .x_label = "step", .y_label = "loss", .log_y = true};
  std::vector<double> xs, ys;
  for (size_t i = 0; i < history.step_loss.size(); ++i) {
    xs.push_back(static_cast<double>(i + 1));
    ys.push_back(history.step_loss[i]);
  }
  chart.add("train batch", xs, ys).line_width = 1;
  return chart;
}

std::vector<size_t> activation_layers(const diagnostics::Monitor& monitor) {
  const auto& layers = monitor.layers();
  std::vector<size_t> chosen;
  for (size_t i = 1; i < layers.size(); ++i) {
    if (layers[i].observed && !layers[i].has_parameters && layers[i - 1].has_parameters) chosen.push_back(i);
  }
  if (chosen.empty()) {
    for (size_t i = 0; i < layers.size(); ++i) {
      if (layers[i].observed) chosen.push_back(i);
    }
  }
  return chosen;
}

namespace {

LineChart layer_chart(const diagnostics::Monitor& monitor, std::string title, std::string y_label,
                      double diagnostics::LayerSample::*field) {
  LineChart chart{.title = std::move(title), .x_label = "step", .y_label = std::move(y_label)};
  size_t index = 0;
  for (size_t layer : activation_layers(monitor)) {
    std::vector<double> xs, ys;
    for (const auto& s : monitor.layer_samples()) {
      if (s.layer != layer) continue;
      xs.push_back(static_cast<double>(s.step));
      ys.push_back(s.*field);
    }
    style_series(chart.add(layer_name(monitor, layer), xs, ys), index++);
  }
  return chart;
}

LineChart weight_chart(const diagnostics::Monitor& monitor, std::string title, std::string y_label,
                       double diagnostics::ParameterSample::*field) {
  LineChart chart{.title = std::move(title), .x_label = "step", .y_label = std::move(y_label), .log_y = true};
  // One series per weight parameter, in layer order.
  std::map<size_t, std::pair<std::vector<double>, std::vector<double>>> by_parameter;
  for (const auto& s : monitor.parameter_samples()) {
    const std::string& name = monitor.parameters()[s.parameter].name;
    if (!is_weight(name)) continue;
    by_parameter[s.parameter].first.push_back(static_cast<double>(s.step));
    by_parameter[s.parameter].second.push_back(s.*field);
  }
  size_t index = 0;
  for (auto& [parameter, points] : by_parameter) {
    const size_t layer = monitor.parameters()[parameter].layer;
    style_series(chart.add(layer_name(monitor, layer), std::move(points.first), std::move(points.second)), index++);
  }
  return chart;
}

}  // namespace

LineChart activation_mean_chart(const diagnostics::Monitor& monitor) {
  return layer_chart(monitor, "Activation mean per layer", "mean", &diagnostics::LayerSample::activation_mean);
}

LineChart activation_std_chart(const diagnostics::Monitor& monitor) {
  return layer_chart(monitor, "Activation std per layer", "standard deviation",
                     &diagnostics::LayerSample::activation_std);
}

LineChart gradient_norm_chart(const diagnostics::Monitor& monitor) {
  return weight_chart(monitor, "Weight-gradient norm per layer", "‖dL/dW‖", &diagnostics::ParameterSample::grad_norm);
}

LineChart gradient_norm_by_layer_chart(const diagnostics::Monitor& monitor) {
  // The weight parameters in layer order (input first) and their samples by step.
  std::vector<size_t> weights;
  std::map<int64_t, std::map<size_t, double>> by_step;
  for (const auto& s : monitor.parameter_samples()) {
    const std::string& name = monitor.parameters()[s.parameter].name;
    if (!is_weight(name)) continue;
    if (std::find(weights.begin(), weights.end(), s.parameter) == weights.end()) weights.push_back(s.parameter);
    by_step[s.step][s.parameter] = s.grad_norm;
  }
  std::sort(weights.begin(), weights.end());
  LineChart chart{
      .title = "Weight-gradient norm by layer, from the input to the output",
      .x_label = "layer with weights (1: next to the input, " + std::to_string(weights.size()) + ": the output)",
      .y_label = "‖dL/dW‖",
      .log_y = true};
  if (by_step.empty()) return chart;
  // Four moments: the first sampled step, a third and two thirds of the way, and the last.
  std::vector<int64_t> steps;
  for (const auto& [step, norms] : by_step) steps.push_back(step);
  std::vector<int64_t> shown;
  for (const double at : {0.0, 1.0 / 3, 2.0 / 3, 1.0}) {
    const int64_t step = steps[static_cast<size_t>(std::lround(at * static_cast<double>(steps.size() - 1)))];
    if (std::find(shown.begin(), shown.end(), step) == shown.end()) shown.push_back(step);
  }
  size_t index = 0;
  for (const int64_t step : shown) {
    std::vector<double> xs, ys;
    for (size_t w = 0; w < weights.size(); ++w) {
      const auto it = by_step[step].find(weights[w]);
      if (it == by_step[step].end()) continue;
      xs.push_back(static_cast<double>(w + 1));
      ys.push_back(it->second);
    }
    Series& series = chart.add("step " + std::to_string(step), std::move(xs), std::move(ys));
    style_series(series, index++);
    series.markers = true;
  }
  return chart;
}

LineChart update_ratio_chart(const diagnostics::Monitor& monitor) {
  LineChart chart =
      weight_chart(monitor, "Update ratio per layer", "‖Δw‖ / ‖w‖", &diagnostics::ParameterSample::update_ratio);
  chart.horizontal_markers.push_back({1e-3, "1e-3"});
  return chart;
}

Grid activation_histogram_grid(const diagnostics::Monitor& monitor) {
  const std::vector<size_t> layers = activation_layers(monitor);
  Grid grid{.title = "Activation histograms, first and last sampled step"};
  grid.cols = static_cast<int>(std::min<size_t>(layers.size(), 3));
  grid.cols = std::max(grid.cols, 1);
  for (size_t layer : layers) {
    Histogram panel{.title = layer_name(monitor, layer), .x_label = "activation", .y_label = "share"};
    panel.fractions = true;
    for (const auto& h : monitor.histograms()) {
      if (h.layer != layer) continue;
      panel.lo = h.bins.lo;
      panel.hi = h.bins.hi;
      HistogramSeries& series = panel.add_counts("step " + std::to_string(h.step), h.bins.counts);
      series.outside = static_cast<size_t>(h.bins.outside);
    }
    if (!panel.series.empty()) grid.panels.emplace_back(std::move(panel));
  }
  return grid;
}

void write_monitor_charts(const diagnostics::Monitor& monitor, const std::string& folder) {
  write_svg(folder + "/monitor_activation_mean.svg", activation_mean_chart(monitor).render());
  write_svg(folder + "/monitor_activation_std.svg", activation_std_chart(monitor).render());
  write_svg(folder + "/monitor_gradient_norm.svg", gradient_norm_chart(monitor).render());
  write_svg(folder + "/monitor_gradient_norm_by_layer.svg", gradient_norm_by_layer_chart(monitor).render());
  write_svg(folder + "/monitor_update_ratio.svg", update_ratio_chart(monitor).render());
  const Grid grid = activation_histogram_grid(monitor);
  if (!grid.panels.empty()) write_svg(folder + "/monitor_histograms.svg", grid.render());
}

HtmlReport run_report(const RunReportInput& input) {
  HtmlReport page{.title = input.title};
  const History* history = input.history;
  if (history != nullptr) {
    page.subtitle = history->stop_reason;
    if (!history->epochs.empty()) {
      const EpochRecord& last = history->epochs.back();
      page.metrics.push_back({"test accuracy", format(input.test.accuracy)});
      page.metrics.push_back({"test loss", format(input.test.loss)});
      page.metrics.push_back({"validation accuracy", format(last.val_accuracy)});
      page.metrics.push_back({"train loss", format(last.train_loss)});
      page.metrics.push_back({"epochs", std::to_string(last.epoch)});
      page.metrics.push_back({"seconds", format(last.seconds, "%.1f")});
    }
    HtmlSection curves{.heading = "Learning curves"};
    curves.figures.push_back({loss_chart(*history).render(), "Mean loss of each epoch's batches, and on validation."});
    curves.figures.push_back({accuracy_chart(*history).render(), ""});
    curves.figures.push_back({step_loss_chart(*history).render(), ""});
    page.sections.push_back(std::move(curves));
  }
  if (input.monitor != nullptr && !input.monitor->layer_samples().empty()) {
    const diagnostics::Monitor& monitor = *input.monitor;
    for (const auto& w : monitor.warnings())
      page.warnings.push_back("step " + std::to_string(w.step) + ": " + w.message);
    HtmlSection inside{.heading = "Inside the network"};
    inside.paragraphs.push_back("Sampled every " + std::to_string(monitor.options().every) + " steps (" +
                                std::to_string(monitor.sampled_steps().size()) + " samples) on the training batches.");
    inside.figures.push_back({activation_mean_chart(monitor).render(), ""});
    inside.figures.push_back({activation_std_chart(monitor).render(), ""});
    inside.figures.push_back(
        {gradient_norm_by_layer_chart(monitor).render(),
         "Gradients that shrink layer by layer toward the input are vanishing: the first layers hardly learn."});
    inside.figures.push_back({gradient_norm_chart(monitor).render(), ""});
    inside.figures.push_back({update_ratio_chart(monitor).render(), "Around 1e-3 is the rule of thumb."});
    const Grid grid = activation_histogram_grid(monitor);
    if (!grid.panels.empty()) inside.figures.push_back({grid.render(), ""});
    page.sections.push_back(std::move(inside));
  }
  page.settings = input.settings;
  return page;
}

}  // namespace nnlab::report
