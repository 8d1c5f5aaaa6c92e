#pragma once
// PGM, the Netpbm grey map (netpbm.sourceforge.net/doc/pgm.html):
//   "P2" (values in ASCII decimal) or "P5" (binary), whitespace, width, height, maxval
//   (1..65535), each separated by whitespace, with "#" comments to the end of a line;
//   then height × width values, row by row. P5 stores one byte per value when
//   maxval < 256, else two, most significant first, after exactly one whitespace byte.
// Values are scaled by 1/maxval to [0, 1].

#include <string>
#include <string_view>

#include "nnlab/io/image_file.h"

namespace nnlab {

// True when the bytes start like a PGM ("P2" or "P5").
bool looks_like_pgm(std::string_view bytes);

// Throws std::runtime_error naming `name`: a bad header, a value above maxval, or too
// few values (truncated).
GreyImage decode_pgm(std::string_view bytes, const std::string& name);

// An 8-bit P5 file: values clamped to [0, 1] and rounded to 0..255.
std::string encode_pgm(const GreyImage& image);

}  // namespace nnlab
