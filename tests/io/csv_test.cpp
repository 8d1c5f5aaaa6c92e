#include "nnlab/io/csv.h"

#include "test_util.h"

namespace nnlab::test {

TEST(CsvTable, WritesNumbersTextAndMissingValues) {
  CsvTable table({"name", "loss", "step"});
  table.add_row({std::string("Adam, lr 0.001"), 0.000123456789, 2000LL});
  table.add_row({std::string("say \"hi\""), NAN, 1LL});
  EXPECT_EQ(table.str(), "name,loss,step\n\"Adam, lr 0.001\",0.000123456789,2000\n\"say \"\"hi\"\"\",,1\n");
  EXPECT_THROW(table.add_row({1.0}), std::invalid_argument);
}

}  // namespace nnlab::test
