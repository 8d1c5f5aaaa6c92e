#pragma once
// CSV tables as the experiments write them: a header row, then one row per
// record; numbers with enough digits to read back exactly (float precision),
// missing values as empty cells, text quoted when it holds a comma or a quote.

#include <string>
#include <variant>
#include <vector>

namespace nnlab {

class CsvTable {
 public:
  using Cell = std::variant<std::string, double, long long>;

  explicit CsvTable(std::vector<std::string> header);

  // Throws std::invalid_argument when the row's length differs from the header's.
  void add_row(const std::vector<Cell>& row);
  size_t rows() const { return rows_.size(); }
  std::string str() const;
  // Written atomically.
  void save(const std::string& path) const;

 private:
  std::vector<std::string> header_;
  std::vector<std::vector<std::string>> rows_;
};

}  // namespace nnlab
