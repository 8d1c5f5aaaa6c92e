// A folder of images, a subfolder per class: class names, size and channels, the per-class
// split, and the files and folders it refuses.

#include "nnlab/data/image_folder.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "io/jpeg_builder.h"
#include "io/png_builder.h"
#include "nnlab/data/data_source.h"
#include "temp_dir.h"

namespace nnlab::test {
namespace {

void write_bytes(const std::filesystem::path& path, const std::string& bytes) {
  std::filesystem::create_directories(path.parent_path());
  std::ofstream(path, std::ios::binary) << bytes;
}

// A w×h RGB PNG of one colour.
std::string flat_png(uint32_t w, uint32_t h, uint8_t r, uint8_t g, uint8_t b) {
  PngBuilder png{.width = w, .height = h, .colour_type = kPngRgb};
  for (uint32_t y = 0; y < h; ++y) {
    std::vector<uint8_t> row;
    for (uint32_t x = 0; x < w; ++x) row.insert(row.end(), {r, g, b});
    png.rows.push_back(row);
  }
  return png.bytes();
}

// red/ holds 5 red images, blue/ 5 blue ones (PNG, JPEG and PGM mixed), 40×20 pixels.
std::filesystem::path colour_folder(const TempDir& dir) {
  const std::filesystem::path root = dir.file("shapes");
  for (int i = 0; i < 5; ++i) {
    write_bytes(root / "red" / ("r" + std::to_string(i) + ".png"), flat_png(40, 20, 240, 10, 10));
    std::vector<uint8_t> blue;
    for (int p = 0; p < 40 * 20; ++p) blue.insert(blue.end(), {10, 10, 240});
    write_bytes(root / "blue" / ("b" + std::to_string(i) + ".jpg"), jpeg_bytes(40, 20, 3, blue));
  }
  write_bytes(root / "blue" / ".DS_Store", "hidden, skipped");
  return root;
}

TEST(ImageFolder, ClassesFromSubfoldersAndColourKept) {
  TempDir dir;
  const auto root = colour_folder(dir);
  EXPECT_TRUE(is_image_folder(root.string()));
  const ImageFolderData data = load_image_folder(root.string(), {.test_split = 0.2});
  EXPECT_EQ(data.classes, (std::vector<std::string>{"blue", "red"}));
  EXPECT_EQ(data.channels, 3);
  EXPECT_EQ(data.height, 20);  // the first image's size
  EXPECT_EQ(data.width, 40);
  // One test image per class (20% of 5), four train.
  ASSERT_EQ(data.split.train.size(), 8);
  ASSERT_EQ(data.split.test.size(), 2);
  EXPECT_EQ(data.split.train.x.shape(), (Shape{8, 3, 20, 40}));
  EXPECT_EQ(data.split.test.y[0], 0);
  EXPECT_EQ(data.split.test.y[1], 1);
  // A red image: channel 0 near 240/255, channel 2 near 10/255.
  const float* red = data.split.train.x.row(4);
  EXPECT_NEAR(red[0], 240 / 255.0, 1e-6);
  EXPECT_NEAR(red[2 * 20 * 40], 10 / 255.0, 1e-6);
}

TEST(ImageFolder, SizeAndChannelsAsAsked) {
  TempDir dir;
  const auto root = colour_folder(dir);
  const ImageFolderData grey = load_image_folder(root.string(), {.height = 8, .width = 8, .channels = 1});
  EXPECT_EQ(grey.split.train.sample_shape(), (Shape{1, 8, 8}));
  // The luminance of red (240, 10, 10).
  EXPECT_NEAR(grey.split.train.x.row(grey.split.train.size() - 1)[0], (0.299 * 240 + 0.587 * 10 + 0.114 * 10) / 255,
              1e-5);
  // A large first image is shrunk to 64 on its longer side.
  std::filesystem::remove_all(root / "blue");
  write_bytes(root / "blue" / "0_big.png", flat_png(200, 100, 0, 0, 255));
  write_bytes(root / "blue" / "b.png", flat_png(10, 10, 0, 0, 255));
  const ImageFolderData shrunk = load_image_folder(root.string());
  EXPECT_EQ(shrunk.width, 64);  // the first image read, blue/0_big.png, 200×100
  EXPECT_EQ(shrunk.height, 32);
  int64_t h = 0, w = 0;
  parse_image_size("24x32", h, w);
  EXPECT_EQ(h, 24);
  EXPECT_EQ(w, 32);
  for (const char* bad : {"24", "0x3", "3x", "axb", "2000x2000", "2.5x3"}) {
    EXPECT_THROW(parse_image_size(bad, h, w), std::invalid_argument) << bad;
  }
}

TEST(ImageFolder, RefusesWhatIsNotAnImageFolder) {
  TempDir dir;
  const auto root = colour_folder(dir);
  write_bytes(root / "red" / "notes.txt", "a note");
  try {
    load_image_folder(root.string());
    ADD_FAILURE();
  } catch (const std::runtime_error& e) {
    EXPECT_NE(std::string(e.what()).find("notes.txt is not PNG, JPEG or PGM"), std::string::npos) << e.what();
  }
  std::filesystem::remove(root / "red" / "notes.txt");
  std::filesystem::create_directories(root / "green");
  EXPECT_THROW(load_image_folder(root.string()), std::runtime_error);  // an empty class
  const auto single = std::filesystem::path(dir.file("one"));
  write_bytes(single / "only" / "a.png", flat_png(4, 4, 1, 2, 3));
  try {
    load_image_folder(single.string());
    ADD_FAILURE();
  } catch (const std::runtime_error& e) {
    EXPECT_NE(std::string(e.what()).find("two at least"), std::string::npos) << e.what();
  }
  // An IDX folder is not an image folder.
  write_bytes(std::filesystem::path(dir.file("idx")) / "t10k-images-idx3-ubyte", "x");
  std::filesystem::create_directories(std::filesystem::path(dir.file("idx")) / "sub");
  EXPECT_FALSE(is_image_folder(dir.file("idx")));
}

TEST(ImageFolder, LoadDataKeepsTheSizeAndSplitForEval) {
  TempDir dir;
  const auto root = colour_folder(dir);
  const LoadedData d = load_data(root.string(), {}, {.height = 10, .width = 12});
  EXPECT_EQ(d.name, "shapes");
  EXPECT_EQ(d.classes, (std::vector<std::string>{"blue", "red"}));
  const LoadedData again = load_described_data(d.description());
  EXPECT_EQ(again.split.test.x.shape(), (Shape{2, 3, 10, 12}));
  for (int64_t i = 0; i < d.split.test.x.size(); ++i) ASSERT_EQ(again.split.test.x[i], d.split.test.x[i]);
}

}  // namespace
}  // namespace nnlab::test
