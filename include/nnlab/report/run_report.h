#pragma once
// The charts of a training run and the report page that gathers them:
// loss and accuracy curves from the History, and the Monitor's views inside the network
// (activation mean and std per layer, gradient norm per layer, update ratios, activation
// histograms at the start and the end).

#include <string>
#include <utility>
#include <vector>

#include "nnlab/diagnostics/monitor.h"
#include "nnlab/report/grid.h"
#include "nnlab/report/html_report.h"
#include "nnlab/report/line_chart.h"
#include "nnlab/train/history.h"
#include "nnlab/train/trainer.h"

namespace nnlab::report {

// Train and validation loss per epoch.
LineChart loss_chart(const History& history);
// Train and validation accuracy per epoch (classification only: empty series otherwise).
LineChart accuracy_chart(const History& history);
// The loss of every step (log y).
LineChart step_loss_chart(const History& history);

// The layers whose activations the charts show: those without parameters right after one
// with parameters (the activation functions of an MLP or a CNN); all layers if there are none.
std::vector<size_t> activation_layers(const diagnostics::Monitor& monitor);
LineChart activation_mean_chart(const diagnostics::Monitor& monitor);
LineChart activation_std_chart(const diagnostics::Monitor& monitor);
// ‖dL/dW‖ of each layer's weights over training (log y).
LineChart gradient_norm_chart(const diagnostics::Monitor& monitor);
// ‖dL/dW‖ against the layer, input to output, at four moments of training (log y): the
// vanishing-gradient picture, a slope down toward the input.
LineChart gradient_norm_by_layer_chart(const diagnostics::Monitor& monitor);
// ‖Δw‖/‖w‖ of each layer's weights over training (log y).
LineChart update_ratio_chart(const diagnostics::Monitor& monitor);
// One panel per activation layer: its histogram at the first and the last sampled step.
Grid activation_histogram_grid(const diagnostics::Monitor& monitor);

struct RunReportInput {
  std::string title = "nnlab training run";
  std::vector<std::pair<std::string, std::string>> settings{};
  const History* history = nullptr;
  Metrics test{};
  const diagnostics::Monitor* monitor = nullptr;  // optional
};

HtmlReport run_report(const RunReportInput& input);

// Writes monitor_activation_mean.svg, monitor_activation_std.svg, monitor_gradient_norm.svg,
// monitor_gradient_norm_by_layer.svg, monitor_update_ratio.svg and monitor_histograms.svg into `folder`.
void write_monitor_charts(const diagnostics::Monitor& monitor, const std::string& folder);

}  // namespace nnlab::report
