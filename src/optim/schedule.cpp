#include "nnlab/optim/schedule.h"

#include <charconv>
#include <cmath>
#include <numbers>
#include <stdexcept>
#include <vector>

#include "checks.h"
#include "nnlab/io/number_text.h"

namespace nnlab {
namespace {

using detail::format_number;

void require_step(int64_t step) {
  if (step < 0) throw std::invalid_argument("schedule: step must be >= 0, got " + std::to_string(step));
}

void require_lr(const std::string& schedule, const std::string& name, double value) {
  if (!(value >= 0) || !std::isfinite(value)) {
    throw std::invalid_argument(schedule + ": " + name + " must be a finite number >= 0, got " + format_number(value));
  }
}

void require_gamma(const std::string& schedule, double gamma) {
  if (!(gamma > 0) || !std::isfinite(gamma)) {
    throw std::invalid_argument(schedule + ": gamma must be a finite number > 0, got " + format_number(gamma));
  }
}

void require_count(const std::string& schedule, const std::string& name, int64_t value) {
  if (value < 1) throw std::invalid_argument(schedule + ": " + name + " must be >= 1, got " + std::to_string(value));
}

}  // namespace

Constant::Constant(double base_lr) : base_lr_(base_lr) { require_lr("constant schedule", "base lr", base_lr); }

double Constant::lr(int64_t step) const {
  require_step(step);
  return base_lr_;
}

StepDecay::StepDecay(double base_lr, int64_t step_size, double gamma)
    : base_lr_(base_lr), step_size_(step_size), gamma_(gamma) {
  require_lr("step schedule", "base lr", base_lr);
  require_count("step schedule", "step size", step_size);
  require_gamma("step schedule", gamma);
}

double StepDecay::lr(int64_t step) const {
  require_step(step);
  return base_lr_ * std::pow(gamma_, static_cast<double>(step / step_size_));
}

std::string StepDecay::str() const { return "step:" + std::to_string(step_size_) + ":" + round_trip_number(gamma_); }

Exponential::Exponential(double base_lr, double gamma) : base_lr_(base_lr), gamma_(gamma) {
  require_lr("exp schedule", "base lr", base_lr);
  require_gamma("exp schedule", gamma);
}

double Exponential::lr(int64_t step) const {
  require_step(step);
  return base_lr_ * std::pow(gamma_, static_cast<double>(step));
}

std::string Exponential::str() const { return "exp:" + round_trip_number(gamma_); }

Cosine::Cosine(double base_lr, int64_t total_steps, double min_lr)
    : base_lr_(base_lr), total_steps_(total_steps), min_lr_(min_lr) {
  require_lr("cosine schedule", "base lr", base_lr);
  require_count("cosine schedule", "total steps", total_steps);
  require_lr("cosine schedule", "min lr", min_lr);
  if (min_lr > base_lr) {
    throw std::invalid_argument("cosine schedule: min lr " + format_number(min_lr) + " is above the base lr " +
                                format_number(base_lr));
  }
}

double Cosine::lr(int64_t step) const {
  require_step(step);
  if (step >= total_steps_) return min_lr_;
  const double progress = static_cast<double>(step) / static_cast<double>(total_steps_);
  return min_lr_ + (base_lr_ - min_lr_) * 0.5 * (1.0 + std::cos(std::numbers::pi * progress));
}

std::string Cosine::str() const { return min_lr_ == 0.0 ? "cosine" : "cosine:" + round_trip_number(min_lr_); }

LinearWarmup::LinearWarmup(int64_t warmup_steps, std::unique_ptr<LearningRateSchedule> after)
    : warmup_steps_(warmup_steps), after_(std::move(after)) {
  require_count("warmup schedule", "warm-up steps", warmup_steps);
  if (after_ == nullptr) throw std::invalid_argument("warmup schedule: no schedule to follow the warm-up");
}

double LinearWarmup::lr(int64_t step) const {
  require_step(step);
  if (step >= warmup_steps_) return after_->lr(step - warmup_steps_);
  return after_->lr(0) * static_cast<double>(step + 1) / static_cast<double>(warmup_steps_);
}

std::string LinearWarmup::str() const {
  const std::string after = after_->str();
  return "warmup:" + std::to_string(warmup_steps_) + (after == "constant" ? "" : "+" + after);
}

namespace {

std::vector<std::string> split(const std::string& text, char separator) {
  std::vector<std::string> parts;
  size_t start = 0;
  for (size_t end; (end = text.find(separator, start)) != std::string::npos; start = end + 1) {
    parts.push_back(text.substr(start, end - start));
  }
  parts.push_back(text.substr(start));
  return parts;
}

// Splits at the '+' that joins a warm-up to its schedule, not at one in an
// exponent: "warmup:10+exp:1e+308" → "warmup:10", "exp:1e+308".
std::vector<std::string> split_schedules(const std::string& text) {
  std::vector<std::string> parts;
  size_t start = 0;
  for (size_t i = 0; i < text.size(); ++i) {
    const bool exponent = i >= 2 && (text[i - 1] == 'e' || text[i - 1] == 'E') &&
                          ((text[i - 2] >= '0' && text[i - 2] <= '9') || text[i - 2] == '.');
    if (text[i] == '+' && !exponent) {
      parts.push_back(text.substr(start, i - start));
      start = i + 1;
    }
  }
  parts.push_back(text.substr(start));
  return parts;
}

// The whole field as a number, or an error naming the schedule text and the field.
double parse_number(const std::string& text, const std::string& field, const std::string& what) {
  double value = 0;
  if (!read_number(field, value)) {
    throw std::invalid_argument("schedule '" + text + "': " + what + " '" + field + "' is not a number");
  }
  return value;
}

int64_t parse_count(const std::string& text, const std::string& field, const std::string& what) {
  int64_t value = 0;
  const char* end = field.data() + field.size();
  const auto [ptr, error] = std::from_chars(field.data(), end, value);
  if (field.empty() || error != std::errc() || ptr != end || value < 1) {
    throw std::invalid_argument("schedule '" + text + "': " + what + " '" + field + "' is not a whole number >= 1");
  }
  return value;
}

void require_fields(const std::string& text, const std::vector<std::string>& fields, size_t low, size_t high,
                    const std::string& usage) {
  if (fields.size() < low || fields.size() > high) {
    throw std::invalid_argument("schedule '" + text + "': '" + fields[0] + "' takes the form " + usage);
  }
}

// Runs a constructor, naming the schedule text in its error.
template <typename Make>
std::unique_ptr<LearningRateSchedule> build(const std::string& text, Make make) {
  try {
    return make();
  } catch (const std::invalid_argument& error) {
    throw std::invalid_argument("schedule '" + text + "': " + error.what());
  }
}

// One schedule without warm-up, lasting `steps` steps.
std::unique_ptr<LearningRateSchedule> parse_single(const std::string& text, const std::string& part, double base_lr,
                                                   int64_t steps) {
  const std::vector<std::string> fields = split(part, ':');
  const std::string& kind = fields[0];
  if (kind == "constant") {
    require_fields(text, fields, 1, 1, "'constant'");
    return build(text, [&] { return std::make_unique<Constant>(base_lr); });
  }
  if (kind == "step") {
    require_fields(text, fields, 3, 3, "'step:<step_size>:<gamma>'");
    const int64_t step_size = parse_count(text, fields[1], "step size");
    const double gamma = parse_number(text, fields[2], "gamma");
    return build(text, [&] { return std::make_unique<StepDecay>(base_lr, step_size, gamma); });
  }
  if (kind == "exp") {
    require_fields(text, fields, 2, 2, "'exp:<gamma>'");
    const double gamma = parse_number(text, fields[1], "gamma");
    return build(text, [&] { return std::make_unique<Exponential>(base_lr, gamma); });
  }
  if (kind == "cosine") {
    require_fields(text, fields, 1, 2, "'cosine' or 'cosine:<min_lr>'");
    if (steps < 1) {
      throw std::invalid_argument("schedule '" + text + "': cosine needs the number of steps to span, got " +
                                  std::to_string(steps));
    }
    const double min_lr = fields.size() == 2 ? parse_number(text, fields[1], "min lr") : 0.0;
    return build(text, [&] { return std::make_unique<Cosine>(base_lr, steps, min_lr); });
  }
  if (kind == "warmup") {
    throw std::invalid_argument("schedule '" + text + "': warmup must come first, as 'warmup:<steps>+<schedule>'");
  }
  throw std::invalid_argument("schedule '" + text + "': unknown schedule '" + kind +
                              "' (known: constant, step, exp, cosine, warmup)");
}

}  // namespace

std::unique_ptr<LearningRateSchedule> parse_schedule(const std::string& text, double base_lr, int64_t total_steps) {
  const std::vector<std::string> parts = split_schedules(text);
  if (parts.size() > 2) {
    throw std::invalid_argument("schedule '" + text + "': at most one '+', as in 'warmup:200+cosine'");
  }
  const std::vector<std::string> first = split(parts[0], ':');
  if (first[0] != "warmup") {
    if (parts.size() == 2) {
      throw std::invalid_argument("schedule '" + text + "': only a warm-up can come before '+', got '" + parts[0] +
                                  "'");
    }
    return parse_single(text, parts[0], base_lr, total_steps);
  }
  require_fields(text, first, 2, 2, "'warmup:<steps>'");
  const int64_t warmup_steps = parse_count(text, first[1], "warm-up steps");
  const bool needs_length = parts.size() == 2 && split(parts[1], ':')[0] == "cosine";
  if (needs_length && warmup_steps >= total_steps) {
    throw std::invalid_argument("schedule '" + text + "': warm-up of " + std::to_string(warmup_steps) +
                                " steps leaves none of the " + std::to_string(total_steps) + " steps for cosine");
  }
  // What is left after the warm-up, never below 0 (a run shorter than its warm-up, or
  // a negative total, must not wrap around).
  const int64_t steps_after = total_steps > warmup_steps ? total_steps - warmup_steps : 0;
  auto after = parse_single(text, parts.size() == 2 ? parts[1] : "constant", base_lr, steps_after);
  return std::make_unique<LinearWarmup>(warmup_steps, std::move(after));
}

}  // namespace nnlab
