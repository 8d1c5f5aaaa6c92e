#pragma once
// Numbers in the texts nnlab parses back (search spaces, schedules, initialisers):
// the shortest text that reads back as exactly the same double ("0.1", "1e-05",
// "0.12345678901234566"), so that parse(str(x)) == x.
//
// Exponents carry no '+' ("1e308", not "1e+308"): '+' joins schedules
// ("warmup:10+cosine"), and from_chars and strtod read both forms alike.

#include <string>
#include <string_view>

namespace nnlab {

// Finite values only; NaN and infinity come out as "nan", "inf" and "-inf".
std::string round_trip_number(double value);

// The whole text as a finite number, in any form round_trip_number or a person
// writes ("0.5", "+2", "1e-3", "1E+308", subnormals too); false for anything
// else: no whitespace, no "inf" or "nan", nothing left over, nothing out of range.
bool read_number(std::string_view text, double& value);

}  // namespace nnlab
