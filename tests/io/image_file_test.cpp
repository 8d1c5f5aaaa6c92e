#include "nnlab/io/image_file.h"

#include <gtest/gtest.h>

#include <stdexcept>
#include <string>
#include <vector>

#include "io/jpeg_builder.h"
#include "io/png_builder.h"
#include "nnlab/io/pgm.h"
#include "temp_dir.h"

namespace nnlab::test {
namespace {

// The message of the std::runtime_error that `decode` throws; "" when it throws none.
template <typename F>
std::string error_of(F decode) {
  try {
    decode();
  } catch (const std::runtime_error& e) {
    return e.what();
  }
  return "";
}

void expect_pixels(const GreyImage& image, int64_t width, int64_t height, const std::vector<float>& expected) {
  ASSERT_EQ(image.width, width);
  ASSERT_EQ(image.height, height);
  ASSERT_EQ(image.pixels.size(), expected.size());
  for (size_t i = 0; i < expected.size(); ++i) EXPECT_FLOAT_EQ(image.pixels[i], expected[i]) << "pixel " << i;
}

// ---- PGM ----------------------------------------------------------------------------

TEST(PgmTest, AsciiP2WithCommentsGivesValuesOverMaxval) {
  const GreyImage image = decode_pgm("P2\n# a comment\n3 2 # another\n255\n0 51 255\n102   204\n\t255\n", "a.pgm");
  expect_pixels(image, 3, 2, {0.0f, 0.2f, 1.0f, 0.4f, 0.8f, 1.0f});
}

TEST(PgmTest, AsciiP2WithASmallMaxval) { expect_pixels(decode_pgm("P2 2 1 15 3 15", "small.pgm"), 2, 1, {0.2f, 1.0f}); }

TEST(PgmTest, BinaryP5EightBitTakesExactlyOneWhitespaceByteAfterMaxval) {
  // The first value is 10, a newline byte: it is a pixel, not more whitespace.
  const std::string bytes = std::string("P5 2 2 255\n") + std::string("\x0a\x00\x80\xff", 4);
  expect_pixels(decode_pgm(bytes, "b.pgm"), 2, 2, {10 / 255.0f, 0.0f, 128 / 255.0f, 1.0f});
}

TEST(PgmTest, BinaryP5SixteenBitIsBigEndian) {
  const std::string bytes = std::string("P5\n3 1\n65535\n") + std::string("\x00\x00\x01\x00\xff\xff", 6);
  expect_pixels(decode_pgm(bytes, "deep.pgm"), 3, 1, {0.0f, 256 / 65535.0f, 1.0f});
}

TEST(PgmTest, TruncatedFilesNameTheFileAndSayTruncated) {
  for (const std::string& bytes : {std::string("P5 4 4 255\n") + std::string(10, '\x01'),
                                   std::string("P2 2 2 255 1 2 3"), std::string("P5 4 4"), std::string("P2 4")}) {
    const std::string message = error_of([&] { decode_pgm(bytes, "cut.pgm"); });
    EXPECT_NE(message.find("cut.pgm"), std::string::npos) << message;
    EXPECT_NE(message.find("truncated"), std::string::npos) << message;
  }
}

TEST(PgmTest, BadHeadersAndValuesAreNamed) {
  EXPECT_NE(error_of([] {
              decode_pgm("P2 2 1 255 3 256", "x.pgm");
            }).find("value 256 at row 0, column 1 is above maxval 255"),
            std::string::npos);
  EXPECT_NE(error_of([] { decode_pgm("P2 0 1 255", "x.pgm"); }).find("at least 1"), std::string::npos);
  EXPECT_NE(error_of([] { decode_pgm("P2 1 1 70000 1", "x.pgm"); }).find("maxval must be 1..65535"), std::string::npos);
  EXPECT_NE(error_of([] { decode_pgm("P2 a 1 255", "x.pgm"); }).find("expected width as a number, found 'a'"),
            std::string::npos);
  EXPECT_NE(error_of([] { decode_pgm("P2 1 1 255 1x", "x.pgm"); }).find("after its digits"), std::string::npos);
}

TEST(PgmTest, EncodedEightBitRoundTrips) {
  GreyImage image(3, 1);
  image.pixels = {0.0f, 0.5f, 1.0f};
  const std::string bytes = encode_pgm(image);
  EXPECT_EQ(bytes, std::string("P5\n3 1\n255\n\x00\x80\xff", 14));
  expect_pixels(decode_pgm(bytes, "again.pgm"), 3, 1, {0.0f, 128 / 255.0f, 1.0f});
}

// ---- PNG ----------------------------------------------------------------------------

TEST(PngTest, EightBitGrey) {
  expect_pixels(decode_image(png_grey8(2, 2, {0, 51, 204, 255}), "g.png"), 2, 2, {0.0f, 0.2f, 0.8f, 1.0f});
}

TEST(PngTest, SixteenBitGreyKeepsItsPrecision) {
  PngBuilder png{.width = 2, .height = 1, .bit_depth = 16};
  png.rows = {{0x01, 0x00, 0xff, 0xfe}};
  expect_pixels(decode_image(png.bytes(), "g16.png"), 2, 1, {256 / 65535.0f, 65534 / 65535.0f});
}

TEST(PngTest, OneBitGreyIsExpanded) {
  PngBuilder png{.width = 4, .height = 1, .bit_depth = 1};
  png.rows = {{0b1010'0000}};
  expect_pixels(decode_image(png.bytes(), "bits.png"), 4, 1, {1.0f, 0.0f, 1.0f, 0.0f});
}

TEST(PngTest, ColourBecomesLuminance) {
  PngBuilder png{.width = 4, .height = 1, .colour_type = kPngRgb};
  png.rows = {{255, 0, 0, 0, 255, 0, 0, 0, 255, 255, 255, 255}};
  expect_pixels(decode_image(png.bytes(), "rgb.png"), 4, 1, {0.299f, 0.587f, 0.114f, 1.0f});
}

TEST(PngTest, AlphaIsCompositedOntoWhite) {
  PngBuilder png{.width = 3, .height = 1, .colour_type = kPngRgba};
  // Black at alpha 255, 0 and 51; then the same in grey + alpha.
  png.rows = {{0, 0, 0, 255, 0, 0, 0, 0, 0, 0, 0, 51}};
  expect_pixels(decode_image(png.bytes(), "rgba.png"), 3, 1, {0.0f, 1.0f, 0.8f});
  PngBuilder grey{.width = 2, .height = 1, .colour_type = kPngGreyAlpha};
  grey.rows = {{0, 255, 102, 0}};
  expect_pixels(decode_image(grey.bytes(), "ga.png"), 2, 1, {0.0f, 1.0f});
}

TEST(PngTest, PaletteWithTransparency) {
  PngBuilder png{.width = 3, .height = 1, .colour_type = kPngPalette};
  png.palette = std::string("\x00\x00\x00\xff\x00\x00\x00\x00\x00", 9);  // black, red, black
  png.transparency = std::string("\xff\xff\x00", 3);                     // the third is see-through
  png.rows = {{0, 1, 2}};
  expect_pixels(decode_image(png.bytes(), "palette.png"), 3, 1, {0.0f, 0.299f, 1.0f});
}

TEST(PngTest, InterlacedImage) {
  PngBuilder png{.interlaced = true};
  png.rows = {{51}};
  expect_pixels(decode_image(png.bytes(), "adam7.png"), 1, 1, {0.2f});
}

TEST(PngTest, DamagedOrTruncatedFilesAreErrorsNamingTheFile) {
  std::string damaged = png_grey8(4, 4, std::vector<uint8_t>(16, 7));
  damaged[29] ^= 0x55;  // the first byte of IHDR's CRC (bytes 29..32)
  std::string message = error_of([&] { decode_image(damaged, "crc.png"); });
  EXPECT_NE(message.find("PNG image crc.png: "), std::string::npos) << message;
  EXPECT_NE(message.find("CRC"), std::string::npos) << message;
  damaged = png_grey8(4, 4, std::vector<uint8_t>(16, 7));
  damaged[damaged.find("IDAT") + 6] ^= 0x55;  // inside the compressed pixels, found before IDAT's CRC
  message = error_of([&] { decode_image(damaged, "inflate.png"); });
  EXPECT_NE(message.find("PNG image inflate.png: IDAT"), std::string::npos) << message;

  const std::string whole = png_grey8(8, 8, std::vector<uint8_t>(64, 200));
  for (size_t keep : {size_t{12}, size_t{40}, whole.size() - 20}) {
    message = error_of([&] { decode_image(whole.substr(0, keep), "cut.png"); });
    EXPECT_NE(message.find("PNG image cut.png: "), std::string::npos) << keep << ": " << message;
  }
  message = error_of([&] { decode_image(whole.substr(0, 40), "cut.png"); });
  EXPECT_NE(message.find("truncated"), std::string::npos) << message;

  PngBuilder bad{.bit_depth = 3};  // no such depth
  bad.rows = {{0}};
  message = error_of([&] { decode_image(bad.bytes(), "depth.png"); });
  EXPECT_NE(message.find("PNG image depth.png: "), std::string::npos) << message;
}

// ---- files --------------------------------------------------------------------------

TEST(ImageFileTest, ReadsByContentNotByName) {
  TempDir dir;
  write_bytes(dir.file("really_a_png.pgm"), png_grey8(1, 1, {255}));
  write_bytes(dir.file("really_a_pgm.png"), "P2 1 1 255 0");
  expect_pixels(read_image(dir.file("really_a_png.pgm")), 1, 1, {1.0f});
  expect_pixels(read_image(dir.file("really_a_pgm.png")), 1, 1, {0.0f});
}

TEST(ImageFileTest, WritePgmThenReadBack) {
  TempDir dir;
  GreyImage image(2, 2);
  image.pixels = {0.0f, 1.0f, 0.2f, 0.4f};
  write_pgm(dir.file("out.pgm"), image);
  expect_pixels(read_image(dir.file("out.pgm")), 2, 2, {0.0f, 1.0f, 0.2f, 0.4f});
  EXPECT_EQ(dir.names(), std::vector<std::string>{"out.pgm"});  // no temporary left behind
}

TEST(JpegTest, ColourAndGreyDecodeToTheirChannels) {
  // 8×8 blocks of flat colour survive JPEG's compression within a few levels.
  std::vector<uint8_t> rgb;
  for (int i = 0; i < 16 * 8; ++i) {
    const bool left = i % 16 < 8;
    rgb.insert(rgb.end(), {static_cast<uint8_t>(left ? 250 : 10), 20, static_cast<uint8_t>(left ? 10 : 240)});
  }
  const ColorImage colour = decode_color_image(jpeg_bytes(16, 8, 3, rgb), "c.jpg");
  ASSERT_EQ(colour.channels, 3);
  ASSERT_EQ(colour.width, 16);
  ASSERT_EQ(colour.height, 8);
  EXPECT_NEAR(colour.pixels[0], 250 / 255.0, 0.03);  // red, left
  EXPECT_NEAR(colour.pixels[2], 10 / 255.0, 0.03);
  EXPECT_NEAR(colour.pixels[(8 * 16 - 1) * 3 + 2], 240 / 255.0, 0.03);  // blue, right
  // As grey: the luminance.
  const GreyImage grey = decode_image(jpeg_bytes(16, 8, 3, rgb), "c.jpg");
  EXPECT_NEAR(grey.at(0, 0), (0.299 * 250 + 0.587 * 20 + 0.114 * 10) / 255, 0.03);
  const ColorImage single = decode_color_image(jpeg_bytes(4, 4, 1, std::vector<uint8_t>(16, 128)), "g.jpg");
  EXPECT_EQ(single.channels, 1);
  EXPECT_NEAR(single.pixels[5], 128 / 255.0, 0.01);
}

TEST(JpegTest, DamagedOrTruncatedFilesAreErrorsNamingTheFile) {
  const std::string good = jpeg_bytes(16, 16, 3, std::vector<uint8_t>(16 * 16 * 3, 77));
  for (const std::string& bytes : {std::string("\xFF\xD8\xFF\xE0 a JPEG"), good.substr(0, 40), good.substr(0, 3)}) {
    const std::string message = error_of([&] { decode_image(bytes, "bad.jpg"); });
    EXPECT_NE(message.find("JPEG image bad.jpg: "), std::string::npos) << message;
    EXPECT_EQ(message.find('\n'), std::string::npos) << message;
  }
}

TEST(ImageFileTest, OtherFormatsMissingAndEmptyFilesAreNamed) {
  TempDir dir;
  write_bytes(dir.file("photo.gif"), "GIF89a an animation");
  write_bytes(dir.file("notes.txt"), "hello");
  write_bytes(dir.file("empty.png"), "");
  write_bytes(dir.file("colour.ppm"), "P6 1 1 255 abc");
  EXPECT_NE(error_of([&] { read_image(dir.file("photo.gif")); }).find("photo.gif is a GIF file"), std::string::npos);
  EXPECT_NE(error_of([&] { read_image(dir.file("notes.txt")); }).find("notes.txt is not PNG, JPEG or PGM"),
            std::string::npos);
  EXPECT_NE(error_of([&] { read_image(dir.file("empty.png")); }).find("empty.png is empty"), std::string::npos);
  EXPECT_NE(error_of([&] { read_image(dir.file("colour.ppm")); }).find("PPM"), std::string::npos);
  EXPECT_NE(error_of([&] { read_image(dir.file("missing.png")); }).find("missing.png does not exist"),
            std::string::npos);
}

}  // namespace
}  // namespace nnlab::test
