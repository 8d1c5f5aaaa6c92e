#include "nnlab/data/mnist.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <numeric>
#include <optional>
#include <stdexcept>

#include "nnlab/data/data_source.h"
#include "nnlab/data/idx.h"
#include "temp_dir.h"

namespace nnlab::test {
namespace {

const std::string kBundledFolder = NNLAB_SOURCE_DIR "/data/mnist";

// Read once: the bundled set takes a noticeable fraction of a second to inflate.
const TrainTest& bundled() {
  static const TrainTest data = load_mnist(kBundledFolder);
  return data;
}

double pixel_sum(const Tensor<float>& x, int64_t image) {
  return std::accumulate(x.row(image), x.row(image) + x.row_size(), 0.0);
}

// load_mnist(folder) fails with a message that contains each of `words`.
void expect_mnist_error(const std::string& folder, const std::vector<std::string>& words) {
  try {
    load_mnist(folder);
    ADD_FAILURE() << "no error loading " << folder;
  } catch (const std::runtime_error& error) {
    const std::string message = error.what();
    for (const auto& word : words) EXPECT_NE(message.find(word), std::string::npos) << message;
    EXPECT_EQ(message.find('\n'), std::string::npos) << message;
  }
}

// Image i of a fake set holds bytes (i * 10 + k) % 256 for its pixels k.
std::vector<uint8_t> fake_pixels(int64_t n, int64_t pixels) {
  std::vector<uint8_t> bytes(static_cast<size_t>(n * pixels));
  for (int64_t i = 0; i < n; ++i) {
    for (int64_t k = 0; k < pixels; ++k)
      bytes[static_cast<size_t>(i * pixels + k)] = static_cast<uint8_t>((i * 10 + k) % 256);
  }
  return bytes;
}

TEST(Mnist, BundledSampleSplitShapes) {
  const TrainTest& data = bundled();
  EXPECT_EQ(data.train.size(), 8000);
  EXPECT_EQ(data.test.size(), 2000);
  EXPECT_EQ(data.train.x.shape(), (Shape{8000, 1, 28, 28}));
  EXPECT_EQ(data.train.y.shape(), (Shape{8000}));
  EXPECT_EQ(data.test.x.shape(), (Shape{2000, 1, 28, 28}));
  EXPECT_EQ(data.test.y.shape(), (Shape{2000}));
  EXPECT_EQ(data.train.num_classes, 10);
  EXPECT_EQ(data.test.num_classes, 10);
  EXPECT_EQ(data.description, "MNIST sample: 8000 train / 2000 test from " + kBundledFolder);
}

// Reference values computed independently with Python's gzip module from
// data/mnist/t10k-*.gz (md5 9fb629c4…, ec29112d…):
//   labels[0:10] = [7, 2, 1, 0, 4, 1, 4, 9, 5, 9], labels[8000] = 4, labels[9999] = 6;
//   sum of the bytes of image 0 = 18454, of image 8000 = 37689;
//   label counts of the first 8000: 0:773 1:905 5:723 9:818.
TEST(Mnist, BundledValuesMatchAnIndependentReading) {
  const TrainTest& data = bundled();
  const std::vector<float> first_labels(data.train.y.begin(), data.train.y.begin() + 10);
  EXPECT_EQ(first_labels, (std::vector<float>{7, 2, 1, 0, 4, 1, 4, 9, 5, 9}));
  EXPECT_EQ(data.test.y[0], 4.0f);
  EXPECT_EQ(data.test.y[1999], 6.0f);
  EXPECT_NEAR(pixel_sum(data.train.x, 0), 18454.0 / 255.0, 1e-4);
  EXPECT_NEAR(pixel_sum(data.test.x, 0), 37689.0 / 255.0, 1e-4);
  const auto [low, high] = std::minmax_element(data.train.x.begin(), data.train.x.end());
  EXPECT_EQ(*low, 0.0f);
  EXPECT_EQ(*high, 1.0f);
  const auto count = [&](float label) { return std::count(data.train.y.begin(), data.train.y.end(), label); };
  EXPECT_EQ(count(0), 773);
  EXPECT_EQ(count(1), 905);
  EXPECT_EQ(count(5), 723);
  EXPECT_EQ(count(9), 818);
}

TEST(Mnist, FullMnistIsUsedWhenTheTrainingFilesArePresent) {
  TempDir folder;
  // Mixed raw and gzip files, and 4×3 images: nothing assumes 28×28.
  write_idx_u8(folder.file("train-images-idx3-ubyte"), {5, 4, 3}, fake_pixels(5, 12));
  write_idx_u8(folder.file("train-labels-idx1-ubyte.gz"), {5}, {3, 1, 4, 1, 5});
  write_idx_u8(folder.file("t10k-images-idx3-ubyte.gz"), {2, 4, 3}, fake_pixels(2, 12));
  write_idx_u8(folder.file("t10k-labels-idx1-ubyte"), {2}, {9, 2});
  const TrainTest data = load_mnist(folder.str());
  EXPECT_EQ(data.description, "MNIST: 5 train / 2 test from " + folder.str());
  EXPECT_EQ(data.train.x.shape(), (Shape{5, 1, 4, 3}));
  EXPECT_EQ(data.test.x.shape(), (Shape{2, 1, 4, 3}));
  EXPECT_EQ(std::vector<float>(data.train.y.begin(), data.train.y.end()), (std::vector<float>{3, 1, 4, 1, 5}));
  EXPECT_EQ(std::vector<float>(data.test.y.begin(), data.test.y.end()), (std::vector<float>{9, 2}));
  EXPECT_FLOAT_EQ(data.train.x.row(4)[2], 42.0f / 255.0f);  // image 4, pixel 2: byte 4·10 + 2
  EXPECT_FLOAT_EQ(data.test.x.row(1)[11], 21.0f / 255.0f);
}

TEST(Mnist, MissingFolderNamesTheExpectedFiles) {
  TempDir folder;
  const std::string absent = folder.file("no-such-folder");
  expect_mnist_error(absent, {absent, "does not exist", "t10k-images-idx3-ubyte", "t10k-labels-idx1-ubyte"});
}

TEST(Mnist, MissingLabelFile) {
  TempDir folder;
  write_idx_u8(folder.file("t10k-images-idx3-ubyte.gz"), {2, 2, 2}, fake_pixels(2, 4));
  expect_mnist_error(folder.str(), {folder.str(), "has no t10k-labels-idx1-ubyte[.gz]"});
}

TEST(Mnist, HalfATrainingSetIsAnError) {
  TempDir folder;
  write_idx_u8(folder.file("t10k-images-idx3-ubyte"), {2, 2, 2}, fake_pixels(2, 4));
  write_idx_u8(folder.file("t10k-labels-idx1-ubyte"), {2}, {0, 1});
  write_idx_u8(folder.file("train-images-idx3-ubyte"), {2, 2, 2}, fake_pixels(2, 4));
  expect_mnist_error(folder.str(), {folder.str(), "but no train-labels-idx1-ubyte"});
}

TEST(Mnist, SampleSplitNeedsMoreThan8000Images) {
  TempDir folder;
  write_idx_u8(folder.file("t10k-images-idx3-ubyte"), {2, 2, 2}, fake_pixels(2, 4));
  write_idx_u8(folder.file("t10k-labels-idx1-ubyte"), {2}, {0, 1});
  expect_mnist_error(folder.str(), {folder.str(), "more than 8000 images", "found 2"});
}

TEST(Mnist, LabelOutOfRangeNamesItsIndex) {
  TempDir folder;
  const std::string images = folder.file("images");
  const std::string labels = folder.file("labels");
  write_idx_u8(images, {3, 2, 2}, fake_pixels(3, 4));
  write_idx_u8(labels, {3}, {3, 10, 1});
  // Without a class count the labels give it: 11 classes.
  EXPECT_EQ(load_idx_classification(images, labels).num_classes, 11);
  try {
    load_idx_classification(images, labels, 10);
    ADD_FAILURE() << "no error for label 10";
  } catch (const std::runtime_error& error) {
    const std::string message = error.what();
    EXPECT_NE(message.find(labels), std::string::npos) << message;
    EXPECT_NE(message.find("at index 1"), std::string::npos) << message;
  }
}

TEST(Mnist, ImagesAndLabelsMustAgree) {
  TempDir folder;
  const std::string images = folder.file("images");
  const std::string flat_images = folder.file("flat-images");
  const std::string labels = folder.file("labels");
  write_idx_u8(images, {3, 2, 2}, fake_pixels(3, 4));
  write_idx_u8(flat_images, {3, 4}, fake_pixels(3, 4));
  write_idx_u8(labels, {2}, {0, 1});
  try {
    load_idx_classification(images, labels);
    ADD_FAILURE() << "no error for 3 images and 2 labels";
  } catch (const std::runtime_error& error) {
    EXPECT_NE(std::string(error.what()).find("3 images but 2 labels"), std::string::npos) << error.what();
  }
  try {
    load_idx_classification(flat_images, labels);
    ADD_FAILURE() << "no error for 2-D images";
  } catch (const std::runtime_error& error) {
    EXPECT_NE(std::string(error.what()).find(flat_images + ": images must have 3"), std::string::npos) << error.what();
  }
}

// Headers that promise what the loader will not take are refused before their
// data is read: here the data is not even there (a raw header alone), so a
// loader that read it first would report a truncated file instead.
TEST(Mnist, HeadersAreCheckedBeforeAnyDataIsRead) {
  TempDir folder;
  auto header = [](uint8_t type_code, const std::vector<uint32_t>& dims) {
    std::string bytes = {'\0', '\0', static_cast<char>(type_code), static_cast<char>(dims.size())};
    for (uint32_t d : dims) {
      for (int shift = 24; shift >= 0; shift -= 8) bytes += static_cast<char>((d >> shift) & 0xFF);
    }
    return bytes;
  };
  auto expect_error = [&](const std::string& images, const std::string& labels, const std::string& words) {
    write_bytes(folder.file("images"), images);
    write_bytes(folder.file("labels"), labels);
    try {
      load_idx_classification(folder.file("images"), folder.file("labels"));
      ADD_FAILURE() << "no error, expected " << words;
    } catch (const std::runtime_error& error) {
      EXPECT_NE(std::string(error.what()).find(words), std::string::npos) << error.what();
    }
  };
  // 2^28 floats (1 GiB) promised.
  expect_error(header(0x0D, {16384, 128, 128}), header(0x08, {16384}), "images must be unsigned bytes");
  expect_error(header(0x08, {16384, 16384}), header(0x08, {16384}), "images must have 3");
  // 256 MB of images promised, and labels that disagree: found from the labels' header.
  expect_error(header(0x08, {16384, 128, 128}), header(0x08, {16383}), "16384 images but 16383 labels");
  expect_error(header(0x08, {16384, 128, 128}), header(0x08, {16384, 1}), "labels must have 1 dimension");
  // Headers that fit: now the missing data is found.
  expect_error(header(0x08, {16384, 128, 128}), header(0x08, {16384}), "truncated");
}

TEST(Mnist, ChannelImagesKeepTheirShape) {
  TempDir folder;
  write_idx_u8(folder.file("images"), {2, 3, 2, 2}, fake_pixels(2, 12));
  write_idx_u8(folder.file("labels"), {2}, {1, 0});
  const Dataset data = load_idx_classification(folder.file("images"), folder.file("labels"), 2);
  EXPECT_EQ(data.x.shape(), (Shape{2, 3, 2, 2}));
  EXPECT_EQ(data.num_classes, 2);
}

TEST(Mnist, DefaultFolderFollowsNnlabData) {
  const char* before = std::getenv("NNLAB_DATA");
  const std::optional<std::string> saved = before ? std::optional<std::string>(before) : std::nullopt;
  ::setenv("NNLAB_DATA", "/somewhere/mnist", 1);
  EXPECT_EQ(default_mnist_folder(), "/somewhere/mnist");
  ::unsetenv("NNLAB_DATA");
  // The build folder's share/nnlab/data links to the source's data/, as an installed prefix has it.
  EXPECT_TRUE(std::filesystem::equivalent(default_mnist_folder(), kBundledFolder)) << default_mnist_folder();
  if (saved) ::setenv("NNLAB_DATA", saved->c_str(), 1);
}

}  // namespace
}  // namespace nnlab::test

namespace nnlab {
namespace {

// Only where Debian's dataset-fashion-mnist is installed (make test does not need it).
TEST(FashionMnist, LoadsByNameWithItsClassesAndSettingsOfItsOwn) {
  if (!std::filesystem::exists("/usr/share/datasets/fashion-mnist/train-images-idx3-ubyte.gz"))
    GTEST_SKIP() << "dataset-fashion-mnist is not installed";
  const LoadedData d = load_data("fashion-mnist");
  EXPECT_EQ(d.name, "Fashion-MNIST");
  EXPECT_EQ(d.split.train.size(), 60000);
  EXPECT_EQ(d.split.test.size(), 10000);
  ASSERT_EQ(d.classes.size(), 10u);
  EXPECT_EQ(d.classes[9], "Ankle boot");
  // The residual preset's 0.92 in under 10 minutes: 10 epochs, no shifted copies.
  EXPECT_EQ(d.hints.epochs, 10);
  EXPECT_EQ(d.hints.augment, "none");
}

}  // namespace
}  // namespace nnlab
