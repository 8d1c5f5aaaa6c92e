#pragma once
// JPEG through libjpeg (Debian's libjpeg62-turbo): baseline and progressive, grey or colour
// (YCbCr, CMYK and the rest converted to RGB by libjpeg).
//
// libjpeg reports errors through its error_exit callback, which here longjmps back into the
// decoder's frame, as png.h describes for libpng: only plain values live between the setjmp
// and the longjmp, and the decompressor is destroyed by the caller however decoding ends.

#include <string>
#include <string_view>

#include "nnlab/io/image_file.h"

namespace nnlab {

// True when the bytes start with a JPEG start-of-image marker (FF D8 FF).
bool looks_like_jpeg(std::string_view bytes);

// 1 channel for a grey JPEG, 3 (RGB) for any other. Throws std::runtime_error naming `name`
// and libjpeg's reason, or saying that the image is larger than kMaxImagePixels (checked
// from the header, before any pixel is decoded).
ColorImage decode_jpeg(std::string_view bytes, const std::string& name);

}  // namespace nnlab
