#include "nnlab/init/initializer.h"

#include <cmath>
#include <stdexcept>

#include "nnlab/io/number_text.h"

namespace nnlab {

namespace {
double parse_number(const std::string& text, const std::string& whole) {
  double value = 0;
  if (!read_number(text, value)) {
    throw std::invalid_argument("bad initialiser '" + whole + "': '" + text + "' is not a number");
  }
  return value;
}
}  // namespace

Initializer::Initializer(Kind kind, double value) : kind_(kind), value_(value) {
  if (kind != Kind::kConstant && kind != Kind::kNormal) return;
  const char* what = kind == Kind::kConstant ? "constant" : "std";
  if (!std::isfinite(value) || std::abs(value) > kMaxValue) {
    throw std::invalid_argument(std::string("initialiser ") + what + " " + round_trip_number(value) +
                                " is not a finite number within ±1e18: weights that large overflow float");
  }
  if (kind == Kind::kNormal && value < 0) {
    throw std::invalid_argument("initialiser std " + round_trip_number(value) + " must not be negative");
  }
}

Initializer Initializer::parse(const std::string& text) {
  const auto colon = text.find(':');
  const std::string name = text.substr(0, colon);
  const bool has_arg = colon != std::string::npos;
  const std::string arg = has_arg ? text.substr(colon + 1) : "";
  auto no_arg = [&](Initializer init) {
    if (has_arg) throw std::invalid_argument("bad initialiser '" + text + "': '" + name + "' takes no value");
    return init;
  };
  if (name == "zero" || name == "zeros") return no_arg(zeros());
  auto with_value = [&](Kind kind, const char* usage) {
    if (!has_arg) throw std::invalid_argument("bad initialiser '" + text + "': use " + usage);
    const double value = parse_number(arg, text);
    try {
      return Initializer(kind, value);
    } catch (const std::invalid_argument& e) {
      throw std::invalid_argument("bad initialiser '" + text + "': " + e.what());
    }
  };
  if (name == "constant") return with_value(Kind::kConstant, "constant:VALUE");
  if (name == "normal") return with_value(Kind::kNormal, "normal:STD, e.g. normal:0.01");
  if (name == "xavier" || name == "xavier-normal" || name == "glorot" || name == "glorot-normal") {
    return no_arg(xavier_normal());
  }
  if (name == "xavier-uniform" || name == "glorot-uniform") return no_arg(xavier_uniform());
  if (name == "he" || name == "he-normal" || name == "kaiming" || name == "kaiming-normal") return no_arg(he_normal());
  if (name == "he-uniform" || name == "kaiming-uniform") return no_arg(he_uniform());
  if (name == "lecun" || name == "lecun-normal") return no_arg(lecun_normal());
  throw std::invalid_argument("unknown initialiser '" + text +
                              "' (choose zero, constant:V, normal:STD, xavier-normal, xavier-uniform, he-normal, "
                              "he-uniform, lecun-normal)");
}

std::string Initializer::str() const {
  switch (kind_) {
    case Kind::kConstant:
      return "constant:" + round_trip_number(value_);
    case Kind::kNormal:
      return "normal:" + round_trip_number(value_);
    case Kind::kXavierNormal:
      return "xavier-normal";
    case Kind::kXavierUniform:
      return "xavier-uniform";
    case Kind::kHeNormal:
      return "he-normal";
    case Kind::kHeUniform:
      return "he-uniform";
    case Kind::kLecunNormal:
      return "lecun-normal";
  }
  return "";
}

double Initializer::stddev(int64_t fan_in, int64_t fan_out) const {
  const auto in = static_cast<double>(fan_in);
  const auto out = static_cast<double>(fan_out);
  switch (kind_) {
    case Kind::kConstant:
      return 0.0;
    case Kind::kNormal:
      return value_;
    case Kind::kXavierNormal:
    case Kind::kXavierUniform:
      return std::sqrt(2.0 / (in + out));
    case Kind::kHeNormal:
    case Kind::kHeUniform:
      return std::sqrt(2.0 / in);
    case Kind::kLecunNormal:
      return std::sqrt(1.0 / in);
  }
  return 0.0;
}

template <typename T>
void Initializer::fill(Tensor<T>& weight, int64_t fan_in, int64_t fan_out, Rng& rng) const {
  if (fan_in <= 0 || fan_out <= 0) throw std::invalid_argument("initialiser needs positive fan-in and fan-out");
  switch (kind_) {
    case Kind::kConstant:
      weight.fill(static_cast<T>(value_));
      return;
    case Kind::kXavierUniform:
    case Kind::kHeUniform: {
      // U(-a, a) has std a/√3.
      const double bound = std::sqrt(3.0) * stddev(fan_in, fan_out);
      for (T& w : weight) w = static_cast<T>(rng.uniform(-bound, bound));
      return;
    }
    default: {
      const double std = stddev(fan_in, fan_out);
      for (T& w : weight) w = static_cast<T>(std * rng.normal());
      return;
    }
  }
}

template void Initializer::fill<float>(Tensor<float>&, int64_t, int64_t, Rng&) const;
template void Initializer::fill<double>(Tensor<double>&, int64_t, int64_t, Rng&) const;

}  // namespace nnlab
