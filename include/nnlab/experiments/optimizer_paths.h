#pragma once
// The optimizer-paths demonstration: each optimizer of the library, unchanged,
// minimising a function of two parameters, so its path can be drawn over the
// function's contour lines.
//
//   bowl:   f(x, y) = x²/20 + y², from (−7, 2): steep in y, flat in x. SGD zig-zags
//           across the valley; momentum and the adaptive methods head along it.
//   saddle: f(x, y) = x² − y², from (1, 0.001): near the ridge y = 0 the gradient in
//           y is tiny, so plain SGD lingers by the saddle point while the adaptive
//           methods, which normalise the step, leave at once.

#include <functional>
#include <string>
#include <vector>

#include "nnlab/optim/factory.h"

namespace nnlab {

struct Surface {
  std::string name;     // "bowl", "saddle"
  std::string formula;  // "f(x, y) = x²/20 + y²"
  std::function<double(double, double)> f;
  std::function<void(double, double, double&, double&)> gradient;
  double x0, y0;                    // start
  double xmin, xmax, ymin, ymax;    // the box that is drawn
  std::vector<double> levels;       // contour levels
};

Surface bowl_surface();
Surface saddle_surface();

struct PathSetting {
  std::string label;  // "Momentum"
  OptimizerOptions options;
};

// The textbook's rates on the bowl (SGD 0.95, Momentum 0.1/0.9, AdaGrad 1.5, Adam 0.3) and
// nnlab's choice for Nesterov (0.1/0.9) and RMSProp (0.2): see docs/experiments.md.
std::vector<PathSetting> bowl_settings();
// Rates chosen so that every method is stable on the x-axis of the saddle (docs/experiments.md).
std::vector<PathSetting> saddle_settings();

struct OptimizerPath {
  std::string label;
  std::string optimizer;  // describe(options)
  std::vector<double> x, y, loss;  // the start and every step: steps + 1 points
  // First step with |y| ≥ 1 (left the saddle's neighbourhood); −1 if never.
  int escape_step = -1;
};

OptimizerPath run_path(const Surface& surface, const PathSetting& setting, int steps);

}  // namespace nnlab
