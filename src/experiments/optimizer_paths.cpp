#include "nnlab/experiments/optimizer_paths.h"

#include <cmath>

namespace nnlab {

Surface bowl_surface() {
  Surface s;
  s.name = "bowl";
  s.formula = "f(x, y) = x²/20 + y²";
  s.f = [](double x, double y) { return x * x / 20.0 + y * y; };
  s.gradient = [](double x, double y, double& gx, double& gy) {
    gx = x / 10.0;
    gy = 2.0 * y;
  };
  s.x0 = -7.0;
  s.y0 = 2.0;
  s.xmin = -10;
  s.xmax = 10;
  s.ymin = -10;
  s.ymax = 10;
  s.levels = {0.1, 0.5, 1, 2, 3.5, 5, 7, 10, 15, 25, 40, 60, 80, 100};
  return s;
}

Surface saddle_surface() {
  Surface s;
  s.name = "saddle";
  s.formula = "f(x, y) = x² − y²";
  s.f = [](double x, double y) { return x * x - y * y; };
  s.gradient = [](double x, double y, double& gx, double& gy) {
    gx = 2.0 * x;
    gy = -2.0 * y;
  };
  s.x0 = 1.0;
  s.y0 = 0.001;
  s.xmin = -1.5;
  s.xmax = 1.5;
  s.ymin = -1.5;
  s.ymax = 1.5;
  s.levels = {-2, -1.5, -1, -0.5, -0.2, 0, 0.2, 0.5, 1, 1.5, 2};
  return s;
}

namespace {
PathSetting setting(const std::string& label, const std::string& name, double lr, double momentum = 0.9) {
  OptimizerOptions o;
  o.name = name;
  o.lr = lr;
  o.momentum = momentum;
  return {label, o};
}
}  // namespace

std::vector<PathSetting> bowl_settings() {
  return {setting("SGD", "sgd", 0.95),          setting("Momentum", "momentum", 0.1),
          setting("Nesterov", "nesterov", 0.1), setting("AdaGrad", "adagrad", 1.5),
          setting("RMSProp", "rmsprop", 0.2),   setting("Adam", "adam", 0.3)};
}

std::vector<PathSetting> saddle_settings() {
  return {
      setting("SGD", "sgd", 0.1),         setting("Momentum", "momentum", 0.05), setting("Nesterov", "nesterov", 0.05),
      setting("AdaGrad", "adagrad", 0.3), setting("RMSProp", "rmsprop", 0.03),   setting("Adam", "adam", 0.1)};
}

OptimizerPath run_path(const Surface& surface, const PathSetting& setting, int steps) {
  // The point (x, y) is a two-element parameter; its gradient is filled by hand
  // each step, exactly where backpropagation would put it.
  Tensor<double> point(Shape{2}, std::vector<double>{surface.x0, surface.y0});
  Tensor<double> grad(Shape{2});
  auto optimizer = make_optimizer<double>(setting.options, {Parameter<double>{"xy", &point, &grad, false}});
  OptimizerPath path{setting.label, describe(setting.options), {}, {}, {}, -1};
  auto record = [&] {
    path.x.push_back(point[0]);
    path.y.push_back(point[1]);
    path.loss.push_back(surface.f(point[0], point[1]));
  };
  record();
  for (int step = 1; step <= steps; ++step) {
    surface.gradient(point[0], point[1], grad[0], grad[1]);
    optimizer->step();
    record();
    if (path.escape_step < 0 && std::abs(point[1]) >= 1.0) path.escape_step = step;
  }
  return path;
}

}  // namespace nnlab
