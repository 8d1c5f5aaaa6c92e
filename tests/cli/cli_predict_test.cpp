// nnlab predict as a user runs it: their own images of digits, in PNG and PGM, drawn
// black on white at another size, and the errors they can make.

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "cli/cli_runner.h"
#include "io/png_builder.h"
#include "nnlab/data/idx.h"
#include "nnlab/data/mnist.h"
#include "nnlab/io/image_file.h"
#include "nnlab/io/model_file.h"
#include "nnlab/model/model_spec.h"

namespace nnlab::test {

class CliPredict : public CliRunner {
 protected:
  // A 784-100-10 network, five epochs on the bundled sample (0.94 test accuracy, half a
  // second); or any model spec, trained briefly.
  std::string trained_model(const std::string& training = "--hidden 100 --epochs 5") {
    const std::string path = (dir_ / "model.safetensors").string();
    const CliResult r = run("train " + training + " --threads 1 --progress quiet --out " + (dir_ / "train").string() +
                            " --save " + path);
    if (r.code != 0) ADD_FAILURE() << "training failed: " << r.err;
    return path;
  }

  // MNIST test image `index` of the sample's test split (never trained on) as a user might
  // draw it: black on white, each pixel 2×2, on a 56×70 page with 10 rows above and 4 below.
  static std::vector<uint8_t> page_of(const Dataset& test, int64_t index) {
    std::vector<uint8_t> page(56 * 70, 255);
    const float* pixels = test.x.row(index);
    for (int r = 0; r < 28; ++r) {
      for (int c = 0; c < 28; ++c) {
        const auto ink = static_cast<uint8_t>(std::lround(pixels[r * 28 + c] * 255.0f));
        for (int dr = 0; dr < 2; ++dr) {
          for (int dc = 0; dc < 2; ++dc) page[static_cast<size_t>((10 + 2 * r + dr) * 56 + 2 * c + dc)] = 255 - ink;
        }
      }
    }
    return page;
  }

  // The page in one of eight encodings, each a path a user could give.
  std::string write_page(const std::vector<uint8_t>& page, int variant) {
    const uint32_t width = 56, height = 70;
    PngBuilder png{.width = width, .height = height};
    std::string name, bytes;
    auto rows_of = [&](int channels, auto sample) {
      for (uint32_t r = 0; r < height; ++r) {
        std::vector<uint8_t> row;
        for (uint32_t c = 0; c < width; ++c) {
          for (int k = 0; k < channels; ++k) sample(row, page[r * width + c], k);
        }
        png.rows.push_back(row);
      }
    };
    switch (variant) {
      case 0:  // grey PNG
        name = "grey.png";
        rows_of(1, [](auto& row, uint8_t v, int) { row.push_back(v); });
        break;
      case 1:  // colour PNG: dark blue ink
        name = "colour.png";
        png.colour_type = kPngRgb;
        rows_of(3, [](auto& row, uint8_t v, int k) { row.push_back(k == 2 ? std::max<uint8_t>(v, 80) : v); });
        break;
      case 2:  // black ink on a transparent page: alpha carries the drawing
        name = "transparent.png";
        png.colour_type = kPngRgba;
        rows_of(4, [](auto& row, uint8_t v, int k) { row.push_back(k < 3 ? 0 : 255 - v); });
        break;
      case 3:  // 16-bit grey PNG
        name = "deep.png";
        png.bit_depth = 16;
        rows_of(1, [](auto& row, uint8_t v, int) { row.push_back(v), row.push_back(v); });
        break;
      case 4:  // binary PGM
        name = "binary.pgm";
        bytes = "P5\n56 70\n255\n" + std::string(page.begin(), page.end());
        break;
      case 5:  // 16-bit binary PGM
        name = "deep.pgm";
        bytes = "P5 56 70 65535\n";
        for (const uint8_t v : page) bytes += std::string{static_cast<char>(v), static_cast<char>(v)};
        break;
      case 6:  // ASCII PGM with a comment
        name = "ascii.pgm";
        bytes = "P2\n# my digit\n56 70\n255\n";
        for (size_t i = 0; i < page.size(); ++i)
          bytes += std::to_string(page[i]) + (i % width == width - 1 ? "\n" : " ");
        break;
      default:  // a grey PNG with a light grey page, as a scan
        name = "scan.png";
        rows_of(1, [](auto& row, uint8_t v, int) { row.push_back(static_cast<uint8_t>(30 + v * 190 / 255)); });
        break;
    }
    if (bytes.empty()) bytes = png.bytes();
    const std::string path = (dir_ / (std::to_string(variant) + "_" + name)).string();
    std::ofstream(path, std::ios::binary) << bytes;
    return path;
  }
};

TEST_F(CliPredict, RecognisesMnistDigitsDrawnBlackOnWhiteInEveryFormat) {
  const std::string model = trained_model();
  const Dataset test = load_mnist(default_mnist_folder()).test;
  std::vector<std::string> images;
  std::vector<int> labels;
  std::string args;
  for (int variant = 0; variant < 8; ++variant) {
    const int64_t index = variant;
    images.push_back(write_page(page_of(test, index), variant));
    labels.push_back(static_cast<int>(test.y[index]));
    args += " " + images.back();
  }
  const std::string seen = (dir_ / "seen").string();
  const CliResult r = run("predict --json --threads 1 --model " + model + " --save-preprocessed " + seen + args);
  ASSERT_EQ(r.code, 0) << r.err;
  const auto out = nlohmann::json::parse(r.out);
  ASSERT_EQ(out["predictions"].size(), images.size());
  int right = 0;
  for (size_t i = 0; i < images.size(); ++i) {
    const auto& p = out["predictions"][i];
    EXPECT_EQ(p["image"], images[i]);
    ASSERT_EQ(p["probabilities"].size(), 10u);
    double total = 0, largest = 0;
    for (const double probability : p["probabilities"]) {
      EXPECT_GE(probability, 0.0);
      total += probability;
      largest = std::max(largest, probability);
    }
    EXPECT_NEAR(total, 1.0, 1e-5) << images[i];
    EXPECT_EQ(p["probability"], largest);
    right += p["class"] == labels[i];

    // What the network saw: MNIST's own image back. Most come back exactly; where the
    // faintest edge pixels fall outside the ink's box the fit differs by a few grey levels.
    const GreyImage input = read_image(p["preprocessed"].get<std::string>());
    ASSERT_EQ(input.width, 28);
    ASSERT_EQ(input.height, 28);
    double difference = 0;
    for (int64_t k = 0; k < 784; ++k) difference += std::abs(input.pixels[k] - test.x.row(i)[k]);
    EXPECT_LT(difference / 784, 0.005) << images[i];
  }
  EXPECT_GE(right, 7) << r.out;
}

TEST_F(CliPredict, ConvolutionalModelTableNamesEachImageWithItsClassAndAllProbabilities) {
  const std::string model = trained_model("--model conv:8x5x5,relu,maxpool:2,linear:10 --iterations 20");
  const Dataset test = load_mnist(default_mnist_folder()).test;
  const std::string image = write_page(page_of(test, 0), 0);
  const CliResult r = run("predict --model " + model + " " + image);
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_NE(r.out.find("image"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("class  probability  |      0      1"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find(image + "  "), std::string::npos) << r.out;
  EXPECT_EQ(lines(r.out), 3) << r.out;  // the model, the header, one image
}

TEST_F(CliPredict, AModelOfOtherImagesSeesThemAsTheyAreWithItsClassCount) {
  // IDX data of 12×12 images in 3 classes (a bright band at the top, middle or bottom), not digits:
  // predict resizes an image to 12×12 without the digit preparation, which would crop the band.
  const auto folder = dir_ / "bands";
  std::filesystem::create_directories(folder);
  auto band_images = [](int64_t n, std::vector<uint8_t>& labels) {
    std::vector<uint8_t> pixels;
    for (int64_t i = 0; i < n; ++i) {
      const auto c = static_cast<uint8_t>(i % 3);
      labels.push_back(c);
      for (int64_t r = 0; r < 12; ++r) {
        for (int64_t col = 0; col < 12; ++col) pixels.push_back(r / 4 == c ? 200 + (i * 7 + col) % 50 : (i + r) % 30);
      }
    }
    return pixels;
  };
  std::vector<uint8_t> train_labels, test_labels;
  write_idx_u8((folder / "train-images-idx3-ubyte").string(), {300, 12, 12}, band_images(300, train_labels));
  write_idx_u8((folder / "train-labels-idx1-ubyte").string(), {300}, train_labels);
  write_idx_u8((folder / "t10k-images-idx3-ubyte").string(), {30, 12, 12}, band_images(30, test_labels));
  write_idx_u8((folder / "t10k-labels-idx1-ubyte").string(), {30}, test_labels);
  const std::string model = (dir_ / "bands.safetensors").string();
  const CliResult t = run("train --data " + folder.string() +
                          " --hidden 16 --epochs 5 --threads 1 --progress quiet "
                          "--out " +
                          (dir_ / "run").string() + " --save " + model);
  ASSERT_EQ(t.code, 0) << t.err;
  EXPECT_NE(t.err.find("bands: 300 train / 30 test, 3 classes, images 1x12x12"), std::string::npos) << t.err;
  EXPECT_GE(std::stod(t.out.substr(t.out.find("test accuracy ") + 14)), 0.9) << t.out;
  // A 24×24 picture of the middle band, light on dark as the training images are.
  std::vector<uint8_t> picture(24 * 24, 10);
  for (int r = 8; r < 16; ++r) std::fill(picture.begin() + r * 24, picture.begin() + r * 24 + 24, 230);
  const std::string image = (dir_ / "middle.png").string();
  std::ofstream(image, std::ios::binary) << png_grey8(24, 24, picture);
  const CliResult p = run("predict --json --model " + model + " " + image);
  ASSERT_EQ(p.code, 0) << p.err;
  const auto j = nlohmann::json::parse(p.out);
  EXPECT_EQ(j["predictions"][0]["class"], 1) << p.out;
  EXPECT_EQ(j["predictions"][0]["probabilities"].size(), 3u);
  // The digit preparation asked for: refused, the model is not 28×28.
  const CliResult digit = run("predict --preprocess digit --model " + model + " " + image);
  EXPECT_EQ(digit.code, 2);
  EXPECT_NE(digit.err.find("of digits"), std::string::npos) << digit.err;
}

TEST_F(CliPredict, AFolderOfColourImagesTrainsAConvNetAndPredictsByName) {
  // warm/ holds reddish 16×16 images, cool/ bluish ones, with noise: only the colour tells them apart.
  const auto folder = dir_ / "colours";
  for (const char* name : {"warm", "cool"}) std::filesystem::create_directories(folder / name);
  auto picture = [](bool warm, int seed) {
    std::vector<uint8_t> rgb;
    for (int p = 0; p < 16 * 16; ++p) {
      const auto noise = static_cast<uint8_t>((p * 37 + seed * 11) % 60);
      const uint8_t high = static_cast<uint8_t>(170 + noise), low = static_cast<uint8_t>(40 + noise);
      rgb.insert(rgb.end(), {warm ? high : low, static_cast<uint8_t>(90 + noise), warm ? low : high});
    }
    return rgb;
  };
  for (int i = 0; i < 30; ++i) {
    for (const bool warm : {true, false}) {
      const std::vector<uint8_t> rgb = picture(warm, i);
      PngBuilder png{.width = 16, .height = 16, .colour_type = kPngRgb};
      for (int r = 0; r < 16; ++r) png.rows.emplace_back(rgb.begin() + r * 48, rgb.begin() + (r + 1) * 48);
      std::ofstream(folder / (warm ? "warm" : "cool") / (std::to_string(i) + ".png"), std::ios::binary) << png.bytes();
    }
  }
  const std::string model = (dir_ / "colours.safetensors").string();
  const CliResult t = run("train --data " + folder.string() + " --model conv:4x3x3,relu,gap,linear:2 --epochs 30 " +
                          "--batch-size 8 --lr 0.01 --threads 1 --progress quiet --out " + (dir_ / "run").string() +
                          " --save " + model);
  ASSERT_EQ(t.code, 0) << t.err;
  EXPECT_NE(t.err.find("colours: 48 train / 12 test images, 2 classes, 3x16x16"), std::string::npos) << t.err;
  EXPECT_GE(std::stod(t.out.substr(t.out.find("test accuracy ") + 14)), 0.9) << t.out;
  // A larger warm picture: resized to 16×16 in colour, named by its class folder.
  std::vector<uint8_t> big;
  for (int p = 0; p < 32 * 32; ++p) big.insert(big.end(), {200, 100, 60});
  PngBuilder png{.width = 32, .height = 32, .colour_type = kPngRgb};
  for (int r = 0; r < 32; ++r) png.rows.emplace_back(big.begin() + r * 96, big.begin() + (r + 1) * 96);
  const std::string image = (dir_ / "sunset.png").string();
  std::ofstream(image, std::ios::binary) << png.bytes();
  const CliResult p = run("predict --model " + model + " " + image);
  ASSERT_EQ(p.code, 0) << p.err;
  EXPECT_NE(p.out.find(image + "  warm "), std::string::npos) << p.out;
  // eval without --data: the same 12 test images.
  const CliResult e = run("eval --threads 1 --model " + model);
  ASSERT_EQ(e.code, 0) << e.err;
  EXPECT_NE(e.out.find("/12)"), std::string::npos) << e.out;
}

TEST_F(CliPredict, BadImagesAreOneLineNamingTheFileAndExitCode2) {
  const std::string model = trained_model();
  std::string damaged = png_grey8(8, 8, std::vector<uint8_t>(64, 9));
  damaged[damaged.find("IDAT") + 6] ^= 0x55;
  const std::vector<std::pair<std::string, std::string>> cases = {
      {"missing.png", ""},
      {"damaged.png", damaged},
      {"cut.png", png_grey8(8, 8, std::vector<uint8_t>(64, 9)).substr(0, 45)},
      {"notes.pgm", "these are not pixels"},
      {"cut.pgm", "P5 28 28 255\n" + std::string(100, '\x10')},
      {"blank.png", png_grey8(30, 30, std::vector<uint8_t>(900, 255))},
      {"photo.jpg", "\xFF\xD8\xFF\xE0 JFIF"},
  };
  for (const auto& [name, bytes] : cases) {
    const std::string path = (dir_ / name).string();
    if (name != "missing.png") std::ofstream(path, std::ios::binary) << bytes;
    const CliResult r = run("predict --model " + model + " " + path);
    EXPECT_EQ(r.code, 2) << name << ": " << r.err;
    EXPECT_EQ(lines(r.err), 1) << name << ": " << r.err;
    EXPECT_EQ(r.err.rfind("nnlab: error: ", 0), 0u) << name << ": " << r.err;
    EXPECT_NE(r.err.find(path), std::string::npos) << name << ": " << r.err;
    EXPECT_EQ(r.out, "") << name;
  }
  EXPECT_NE(run("predict --model " + model + " " + (dir_ / "blank.png").string()).err.find("no ink"),
            std::string::npos);
}

TEST_F(CliPredict, AMissingModelOrAModelForOtherInputsIsOneLineAndExitCode2) {
  const std::string image = (dir_ / "one.pgm").string();
  std::ofstream(image, std::ios::binary) << "P2 3 3 1  0 1 0  0 1 0  0 1 0";
  CliResult r = run("predict --model " + (dir_ / "none.safetensors").string() + " " + image);
  EXPECT_EQ(r.code, 2);
  EXPECT_EQ(lines(r.err), 1) << r.err;
  EXPECT_NE(r.err.find("none.safetensors"), std::string::npos) << r.err;

  Sequential<float> tabular = build_model<float>("linear:3", Shape{5});
  save_model(tabular, (dir_ / "tabular.safetensors").string());
  r = run("predict --model " + (dir_ / "tabular.safetensors").string() + " " + image);
  EXPECT_EQ(r.code, 2);
  EXPECT_EQ(lines(r.err), 1) << r.err;
  EXPECT_NE(r.err.find("tabular.safetensors takes inputs of shape 5"), std::string::npos) << r.err;

  r = run("predict --model " + (dir_ / "tabular.safetensors").string());
  EXPECT_EQ(r.code, 2);
  EXPECT_EQ(lines(r.err), 1) << r.err;
}

}  // namespace nnlab::test
