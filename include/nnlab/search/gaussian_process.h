#pragma once
// Gaussian-process regression on the unit cube, the surrogate of Bayesian search.
//
// Kernel: Matérn 5/2 with one length scale ℓ for all dimensions,
//   k(x, x') = (1 + √5 r/ℓ + 5r²/(3ℓ²)) exp(−√5 r/ℓ),   r = |x − x'|,
// a common choice for hyperparameters (Snoek et al., 2012): smooth enough to
// extrapolate, rough enough for the kinks of real validation curves. Targets are
// standardised (mean 0, variance 1), so the signal variance is 1; ℓ and the noise
// variance σ² are chosen from a small grid by the log marginal likelihood,
//   log p(y) = −½ yᵀ(K + σ²I)⁻¹y − Σ log L_ii − (n/2) log 2π,
// which is cheap for the few hundred trials a search has (one Cholesky per pair).

#include <vector>

namespace nnlab {

class GaussianProcess {
 public:
  struct Options {
    std::vector<double> length_scales = {0.05, 0.1, 0.2, 0.35, 0.6, 1.0};
    // Validation accuracy on a few hundred images is noisy: a percent or so.
    std::vector<double> noise_variances = {1e-3, 1e-2, 0.05, 0.2};
  };

  GaussianProcess() = default;
  explicit GaussianProcess(Options options) : options_(std::move(options)) {}

  // x: points in [0, 1]^d; y: their values. Throws std::invalid_argument when empty or mismatched.
  void fit(const std::vector<std::vector<double>>& x, const std::vector<double>& y);
  // Posterior mean and standard deviation of the latent function at x, in y's units.
  void predict(const std::vector<double>& x, double& mean, double& sd) const;

  double length_scale() const { return length_scale_; }
  double noise_variance() const { return noise_; }
  double log_marginal_likelihood() const { return log_likelihood_; }

  static double matern52(double distance, double length_scale);

 private:
  // Factorises K + σ²I for ℓ; false when not positive definite. Leaves chol_ and alpha_ set.
  bool factorise(double length_scale, double noise, double& log_likelihood);

  Options options_{};
  std::vector<std::vector<double>> x_;
  std::vector<double> y_;  // standardised
  double y_mean_ = 0, y_scale_ = 1;
  double length_scale_ = 0.2, noise_ = 1e-2, log_likelihood_ = 0;
  std::vector<double> chol_;   // n×n lower triangle, row-major
  std::vector<double> alpha_;  // (K + σ²I)⁻¹ y
};

// Expected improvement over `best` for maximisation, with exploration margin xi:
//   EI = (μ − best − ξ) Φ(z) + σ φ(z),   z = (μ − best − ξ)/σ.
double expected_improvement(double mean, double sd, double best, double xi);

}  // namespace nnlab
