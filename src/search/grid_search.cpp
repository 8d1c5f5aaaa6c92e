#include "nnlab/search/grid_search.h"

#include <cmath>
#include <set>
#include <stdexcept>

namespace nnlab {

namespace {

// The values one dimension takes on the grid.
std::vector<double> grid_values(const Dimension& d, int points) {
  std::vector<double> values;
  if (d.is_choice()) {
    for (size_t i = 0; i < d.choices.size(); ++i) values.push_back(static_cast<double>(i));
    return values;
  }
  std::set<double> seen;  // an integer range narrower than the grid would repeat values
  for (int k = 0; k < points; ++k) {
    const double unit = points == 1 ? 0.5 : static_cast<double>(k) / (points - 1);
    double value;
    if (d.log) {
      value = std::exp(std::log(d.low) + unit * (std::log(d.high) - std::log(d.low)));
    } else {
      value = d.low + unit * (d.high - d.low);
    }
    if (k == 0) value = d.low;  // the ends exactly, not exp(log(end))
    if (k == points - 1 && points > 1) value = d.high;
    if (d.integer) value = std::round(value);
    if (seen.insert(value).second) values.push_back(value);
  }
  return values;
}

}  // namespace

GridSearch::GridSearch(const SearchSpace& space, int points_per_range, int epochs) : epochs_(epochs) {
  if (points_per_range < 1) throw std::invalid_argument("grid search needs at least 1 point per range");
  // Each point is a trial to train: a grid beyond a million is a mistake, and is
  // refused before it is built (a billion points would not fit in memory).
  if (points_per_range > kMaxGridPoints) {
    throw std::invalid_argument("grid search: " + std::to_string(points_per_range) +
                                " points per range, more than the " + std::to_string(kMaxGridPoints) +
                                " trials a grid may hold");
  }
  std::vector<std::vector<double>> axes;
  int64_t total = 1;
  for (const Dimension& d : space.dimensions()) {
    axes.push_back(grid_values(d, points_per_range));
    total *= static_cast<int64_t>(axes.back().size());
    if (total > kMaxGridPoints) {
      throw std::invalid_argument("grid search: " + std::to_string(points_per_range) + " points per range over " +
                                  space.str() + " make more than the " + std::to_string(kMaxGridPoints) +
                                  " trials a grid may hold");
    }
  }
  points_.push_back({});
  for (const auto& axis : axes) {
    std::vector<Point> next;
    for (const Point& prefix : points_) {
      for (double value : axis) {
        Point p = prefix;
        p.push_back(value);
        next.push_back(std::move(p));
      }
    }
    points_ = std::move(next);
  }
}

PlanRequest GridSearch::plan(int index, const std::vector<TrialRecord>& /*finished*/) {
  if (index >= static_cast<int>(points_.size())) return PlanRequest::done();
  return PlanRequest::run({points_[index], epochs_});
}

}  // namespace nnlab
