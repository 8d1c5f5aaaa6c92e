#pragma once
// The space a hyperparameter search samples from, parsed from text:
//
//   space     := dimension ("," dimension)*
//   dimension := NAME "=" LOW ".." HIGH (":" scale)*  |  NAME "=" "{" CHOICE ("," CHOICE)* "}"
//   scale     := "log" | "linear" | "int"
//
//   "lr=1e-6..1e-2:log,weight_decay=1e-8..1e-4:log,dropout=0..0.5,hidden=50..200:int,optimizer={sgd,adam}"
//
// A log range is sampled log-uniformly (10^U(log10 LOW, log10 HIGH)), as the
// course does for learning rates: each decade is equally likely. "int" rounds to
// whole numbers (and may combine with log); its ends must lie within ±2^53. A
// choice is uniform over its items. Names hold letters, digits, '_' and '-';
// choices anything but ',', '{' and '}'.
//
// A point holds one number per dimension: the value itself for ranges, the index
// of the item for choices. Model-based search works on the unit cube instead:
// to_unit/from_unit map a value to [0, 1] linearly in the sampling scale, so a GP
// sees 1e-5 → 1e-4 as the same step as 1e-4 → 1e-3.

#include <string>
#include <vector>

#include "nnlab/tensor/random.h"

namespace nnlab {

struct Dimension {
  std::string name;
  bool log = false;
  bool integer = false;
  double low = 0;
  double high = 0;
  std::vector<std::string> choices{};  // non-empty: a choice dimension

  bool is_choice() const { return !choices.empty(); }
  double to_unit(double value) const;
  double from_unit(double unit) const;
  // "0.0093", "7.2e-06", "120", "adam".
  std::string format(double value) const;
  // The dimension back as space text, e.g. "lr=1e-06..0.01:log", with every digit
  // needed to parse back to exactly this dimension.
  std::string str() const;
  bool operator==(const Dimension&) const = default;
};

using Point = std::vector<double>;

class SearchSpace {
 public:
  SearchSpace() = default;
  explicit SearchSpace(std::vector<Dimension> dimensions);
  // Throws std::invalid_argument naming the bad part of the text.
  static SearchSpace parse(const std::string& text);

  const std::vector<Dimension>& dimensions() const { return dimensions_; }
  size_t size() const { return dimensions_.size(); }
  // Index of the dimension with this name, or -1.
  int find(const std::string& name) const;

  Point sample(Rng& rng) const;
  std::vector<double> to_unit(const Point& point) const;
  Point from_unit(const std::vector<double>& unit) const;
  // "lr: 0.0093, weight decay: 7.2e-06" (the course's ranking form: underscores read as spaces).
  std::string describe(const Point& point) const;
  // The space as text that parses back to exactly this space: parse(str()) == *this.
  std::string str() const;
  bool operator==(const SearchSpace&) const = default;

 private:
  std::vector<Dimension> dimensions_;
};

}  // namespace nnlab
