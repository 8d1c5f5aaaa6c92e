#include "nnlab/init/initializer.h"

#include <cmath>
#include <sstream>
#include <stdexcept>

namespace nnlab {

namespace {
double parse_number(const std::string& text, const std::string& whole) {
  size_t used = 0;
  double value = 0;
  try {
    value = std::stod(text, &used);
  } catch (const std::exception&) {
    used = 0;
  }
  if (used == 0 || used != text.size() || !std::isfinite(value)) {
    throw std::invalid_argument("bad initialiser '" + whole + "': '" + text + "' is not a number");
  }
  return value;
}
}  // namespace

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
  if (name == "constant") {
    if (!has_arg) throw std::invalid_argument("bad initialiser '" + text + "': use constant:VALUE");
    return constant(parse_number(arg, text));
  }
  if (name == "normal") {
    if (!has_arg) throw std::invalid_argument("bad initialiser '" + text + "': use normal:STD, e.g. normal:0.01");
    const double std = parse_number(arg, text);
    if (std < 0) throw std::invalid_argument("bad initialiser '" + text + "': std must not be negative");
    return normal(std);
  }
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
  std::ostringstream out;
  switch (kind_) {
    case Kind::kConstant: out << "constant:" << value_; break;
    case Kind::kNormal: out << "normal:" << value_; break;
    case Kind::kXavierNormal: out << "xavier-normal"; break;
    case Kind::kXavierUniform: out << "xavier-uniform"; break;
    case Kind::kHeNormal: out << "he-normal"; break;
    case Kind::kHeUniform: out << "he-uniform"; break;
    case Kind::kLecunNormal: out << "lecun-normal"; break;
  }
  return out.str();
}

double Initializer::stddev(int64_t fan_in, int64_t fan_out) const {
  const auto in = static_cast<double>(fan_in);
  const auto out = static_cast<double>(fan_out);
  switch (kind_) {
    case Kind::kConstant: return 0.0;
    case Kind::kNormal: return value_;
    case Kind::kXavierNormal:
    case Kind::kXavierUniform: return std::sqrt(2.0 / (in + out));
    case Kind::kHeNormal:
    case Kind::kHeUniform: return std::sqrt(2.0 / in);
    case Kind::kLecunNormal: return std::sqrt(1.0 / in);
  }
  return 0.0;
}

template <typename T>
void Initializer::fill(Tensor<T>& weight, int64_t fan_in, int64_t fan_out, Rng& rng) const {
  if (fan_in <= 0 || fan_out <= 0) throw std::invalid_argument("initialiser needs positive fan-in and fan-out");
  switch (kind_) {
    case Kind::kConstant: weight.fill(static_cast<T>(value_)); return;
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
