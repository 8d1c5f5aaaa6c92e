#pragma once
// PNG through libpng. Every colour type (grey, grey + alpha, palette, RGB, RGBA) and bit
// depth (1 to 16), interlaced or not, becomes grey as image_file.h describes; a palette's
// or a tRNS chunk's transparency counts as alpha.
//
// libpng reports errors by longjmp. The frames it jumps out of are libpng's own and this
// reader's callbacks, none of which owns anything; the C++ objects (the image, the row
// buffers) live in the caller, and the libpng structures are freed by a guard there. So
// a damaged file ends in an exception, never a crash or a leak.

#include <string>
#include <string_view>

#include "nnlab/io/image_file.h"

namespace nnlab {

// True when the bytes start with PNG's 8-byte signature.
bool looks_like_png(std::string_view bytes);

// Throws std::runtime_error naming `name` and libpng's reason (a bad CRC, a truncated
// stream, ...), or saying that the image is larger than kMaxImagePixels.
GreyImage decode_png(std::string_view bytes, const std::string& name);
// The same in colour: 1 channel for grey PNGs, 3 (RGB) for the others; alpha laid over white.
ColorImage decode_png_color(std::string_view bytes, const std::string& name);

}  // namespace nnlab
