#include "nnlab/search/gaussian_process.h"

#include <cmath>
#include <limits>
#include <numbers>
#include <stdexcept>

namespace nnlab {

namespace {

double distance(const std::vector<double>& a, const std::vector<double>& b) {
  double sum = 0;
  for (size_t i = 0; i < a.size(); ++i) sum += (a[i] - b[i]) * (a[i] - b[i]);
  return std::sqrt(sum);
}

}  // namespace

double GaussianProcess::matern52(double r, double length_scale) {
  const double s = std::sqrt(5.0) * r / length_scale;
  return (1 + s + s * s / 3) * std::exp(-s);
}

bool GaussianProcess::factorise(double length_scale, double noise, double& log_likelihood) {
  const size_t n = x_.size();
  chol_.assign(n * n, 0.0);
  for (size_t i = 0; i < n; ++i) {
    for (size_t j = 0; j <= i; ++j) {
      double sum = matern52(distance(x_[i], x_[j]), length_scale) + (i == j ? noise : 0.0);
      for (size_t k = 0; k < j; ++k) sum -= chol_[i * n + k] * chol_[j * n + k];
      if (i == j) {
        if (!(sum > 0)) return false;
        chol_[i * n + i] = std::sqrt(sum);
      } else {
        chol_[i * n + j] = sum / chol_[j * n + j];
      }
    }
  }
  // alpha = L⁻ᵀ L⁻¹ y by two triangular solves.
  std::vector<double> z(n);
  for (size_t i = 0; i < n; ++i) {
    double sum = y_[i];
    for (size_t k = 0; k < i; ++k) sum -= chol_[i * n + k] * z[k];
    z[i] = sum / chol_[i * n + i];
  }
  alpha_.assign(n, 0.0);
  for (size_t i = n; i-- > 0;) {
    double sum = z[i];
    for (size_t k = i + 1; k < n; ++k) sum -= chol_[k * n + i] * alpha_[k];
    alpha_[i] = sum / chol_[i * n + i];
  }
  log_likelihood = -0.5 * static_cast<double>(n) * std::log(2 * std::numbers::pi);
  for (size_t i = 0; i < n; ++i) log_likelihood -= 0.5 * y_[i] * alpha_[i] + std::log(chol_[i * n + i]);
  return true;
}

void GaussianProcess::fit(const std::vector<std::vector<double>>& x, const std::vector<double>& y) {
  if (x.empty() || x.size() != y.size()) throw std::invalid_argument("GaussianProcess::fit needs as many x as y, > 0");
  x_ = x;
  const double n = static_cast<double>(y.size());
  y_mean_ = 0;
  for (double v : y) y_mean_ += v / n;
  double variance = 0;
  for (double v : y) variance += (v - y_mean_) * (v - y_mean_) / n;
  y_scale_ = variance > 0 ? std::sqrt(variance) : 1.0;
  y_.clear();
  for (double v : y) y_.push_back((v - y_mean_) / y_scale_);

  double best = -std::numeric_limits<double>::infinity();
  for (double length : options_.length_scales) {
    for (double noise : options_.noise_variances) {
      double likelihood = 0;
      if (factorise(length, noise, likelihood) && likelihood > best) {
        best = likelihood;
        length_scale_ = length;
        noise_ = noise;
      }
    }
  }
  if (!std::isfinite(best)) throw std::runtime_error("GaussianProcess::fit: no kernel setting is positive definite");
  factorise(length_scale_, noise_, log_likelihood_);
}

void GaussianProcess::predict(const std::vector<double>& x, double& mean, double& sd) const {
  const size_t n = x_.size();
  std::vector<double> k(n);
  for (size_t i = 0; i < n; ++i) k[i] = matern52(distance(x, x_[i]), length_scale_);
  double m = 0;
  for (size_t i = 0; i < n; ++i) m += k[i] * alpha_[i];
  // Variance 1 − vᵀv with v = L⁻¹k.
  double explained = 0;
  std::vector<double> v(n);
  for (size_t i = 0; i < n; ++i) {
    double sum = k[i];
    for (size_t j = 0; j < i; ++j) sum -= chol_[i * n + j] * v[j];
    v[i] = sum / chol_[i * n + i];
    explained += v[i] * v[i];
  }
  mean = y_mean_ + y_scale_ * m;
  sd = y_scale_ * std::sqrt(std::max(1e-12, 1.0 - explained));
}

double expected_improvement(double mean, double sd, double best, double xi) {
  const double gain = mean - best - xi;
  if (sd <= 0) return std::max(0.0, gain);
  const double z = gain / sd;
  const double cdf = 0.5 * std::erfc(-z / std::sqrt(2.0));
  const double pdf = std::exp(-0.5 * z * z) / std::sqrt(2 * std::numbers::pi);
  return gain * cdf + sd * pdf;
}

}  // namespace nnlab
