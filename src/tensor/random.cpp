#include "nnlab/tensor/random.h"

#include <locale>
#include <sstream>
#include <stdexcept>

namespace nnlab {

namespace {

// The classic locale, so that a program's own locale cannot change the text
// (digit grouping, decimal comma) and a file written in one reads in another.
template <typename Object>
std::string to_text(const Object& object) {
  std::ostringstream out;
  out.imbue(std::locale::classic());
  out << object;
  return out.str();
}

// The whole text must read as an object: a truncated state would otherwise
// leave part of the object as it was.
template <typename Object>
Object from_text(const StateDict& state, const std::string& name) {
  std::istringstream in(state.get_bytes(name));
  in.imbue(std::locale::classic());
  Object object;
  in >> object;
  if (in.fail() || !(in >> std::ws).eof()) {
    throw std::runtime_error("random generator: state entry '" + name + "' is not the state of a " +
                             (name == "engine" ? "mt19937_64 engine" : "normal distribution"));
  }
  return object;
}

}  // namespace

StateDict Rng::state_dict() const {
  StateDict state;
  state.put_bytes("engine", to_text(engine_));
  state.put_bytes("normal", to_text(normal_));
  return state;
}

void Rng::load_state_dict(const StateDict& state) {
  state.require_names({"engine", "normal"}, "random generator");
  auto engine = from_text<std::mt19937_64>(state, "engine");
  auto normal = from_text<std::normal_distribution<double>>(state, "normal");
  engine_ = engine;
  normal_ = normal;
}

}  // namespace nnlab
