#pragma once
// Histograms of activations, weights or gradients. Bins are equal-width over a
// fixed range so that panels side by side (one per layer) compare directly;
// values outside the range are not piled into the edge bins but counted and
// noted under the plot, since an edge spike would misstate the distribution.

#include <optional>
#include <span>
#include <string>
#include <vector>

#include "nnlab/report/axes.h"
#include "nnlab/report/legend.h"
#include "nnlab/report/svg.h"

namespace nnlab::report {

struct HistogramSeries {
  std::string name{};
  std::vector<double> counts{};  // one per bin
  std::string color{};           // empty: the palette colour of its position
  size_t outside = 0;            // values that fell outside the range (or were not finite)
};

struct Histogram {
  std::string title{};
  std::string x_label{};
  std::string y_label = "count";
  double lo = 0;  // range of the bins
  double hi = 1;
  std::vector<HistogramSeries> series{};  // several are drawn as overlaid translucent steps
  bool fractions = false;                 // show each bin's share of its series instead of its count
  bool log_y = false;
  std::optional<Range> y_range{};
  double width = 640;
  double height = 400;

  // Counts `values` into `bins` equal bins over [lo, hi] (hi itself goes in the last bin).
  // Throws std::invalid_argument for bins < 1 or an empty range.
  HistogramSeries& add_values(std::string name, std::span<const double> values, int bins);
  HistogramSeries& add_values(std::string name, std::span<const float> values, int bins);
  // Counts computed elsewhere; their number sets the number of bins.
  HistogramSeries& add_counts(std::string name, std::vector<double> counts);

  std::string render() const;
  void draw(Svg& svg, const Box& box, const PanelOptions& options) const;
  std::vector<LegendEntry> legend() const;
  Range y_extent() const;
};

}  // namespace nnlab::report
