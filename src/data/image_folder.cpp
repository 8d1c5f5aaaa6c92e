#include "nnlab/data/image_folder.h"

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <numeric>
#include <stdexcept>

#include "nnlab/data/digit_image.h"
#include "nnlab/io/image_file.h"
#include "nnlab/io/number_text.h"
#include "nnlab/tensor/random.h"

namespace nnlab {

namespace fs = std::filesystem;

namespace {

constexpr int64_t kLargestDefaultSide = 64;
constexpr int64_t kLargestSide = 1024;

// The image files of a class folder, sorted by name (hidden files left out).
std::vector<fs::path> image_files(const fs::path& folder) {
  std::vector<fs::path> files;
  for (const auto& entry : fs::directory_iterator(folder)) {
    const std::string name = entry.path().filename().string();
    if (name.empty() || name[0] == '.') continue;
    if (!entry.is_regular_file()) {
      throw std::runtime_error("image folder " + folder.string() + ": " + name + " is not an image file");
    }
    files.push_back(entry.path());
  }
  std::sort(files.begin(), files.end());
  return files;
}

}  // namespace

void image_sample(const ColorImage& image, int channels, int64_t height, int64_t width, float* out) {
  if (channels == 1) {
    const GreyImage grey = resize_area(to_grey(image), width, height);
    std::copy(grey.pixels.begin(), grey.pixels.end(), out);
    return;
  }
  for (int c = 0; c < 3; ++c) {
    const GreyImage plane = resize_area(channel_of(image, image.channels == 3 ? c : 0), width, height);
    std::copy(plane.pixels.begin(), plane.pixels.end(), out + c * height * width);
  }
}

void parse_image_size(const std::string& text, int64_t& height, int64_t& width) {
  const auto x = text.find('x');
  double h = 0, w = 0;
  if (x == std::string::npos || !read_number(text.substr(0, x), h) || !read_number(text.substr(x + 1), w) ||
      h != std::floor(h) || w != std::floor(w) || h < 1 || w < 1 || h > kLargestSide || w > kLargestSide) {
    throw std::invalid_argument("--image-size must be HEIGHTxWIDTH, each 1 to " + std::to_string(kLargestSide) +
                                " (e.g. 32x32), got '" + text + "'");
  }
  height = static_cast<int64_t>(h);
  width = static_cast<int64_t>(w);
}

std::string folder_name(const std::string& folder) {
  const fs::path path = fs::path(folder).lexically_normal();
  std::string name = path.filename().string();
  if (name.empty()) name = path.parent_path().filename().string();
  return name.empty() ? folder : name;
}

bool is_image_folder(const std::string& folder) {
  std::error_code error;
  if (!fs::is_directory(folder, error)) return false;
  bool subfolder = false;
  for (const auto& entry : fs::directory_iterator(folder, error)) {
    const std::string name = entry.path().filename().string();
    if (name.find("idx1-ubyte") != std::string::npos || name.find("idx3-ubyte") != std::string::npos) return false;
    subfolder |= entry.is_directory() && !name.empty() && name[0] != '.';
  }
  return subfolder;
}

ImageFolderData load_image_folder(const std::string& folder, const ImageFolderOptions& options) {
  if (!(options.test_split >= 0 && options.test_split < 1)) {
    throw std::invalid_argument("--test-split must be in [0, 1), got " + round_trip_number(options.test_split));
  }
  if (options.channels != 0 && options.channels != 1 && options.channels != 3) {
    throw std::invalid_argument("--channels must be 1, 3 or auto, got " + std::to_string(options.channels));
  }
  ImageFolderData data;
  std::vector<std::vector<fs::path>> files;
  for (const auto& entry : fs::directory_iterator(folder)) {
    const std::string name = entry.path().filename().string();
    if (!entry.is_directory() || name.empty() || name[0] == '.') continue;
    data.classes.push_back(name);
  }
  std::sort(data.classes.begin(), data.classes.end());
  if (data.classes.size() < 2) {
    throw std::runtime_error("image folder " + folder + ": " + std::to_string(data.classes.size()) +
                             " class folder(s); it needs a subfolder per class, two at least");
  }
  // Every image is read first: its colour decides the channels, the first one the size.
  std::vector<ColorImage> images;
  std::vector<int64_t> labels;
  for (size_t c = 0; c < data.classes.size(); ++c) {
    const std::vector<fs::path> paths = image_files(fs::path(folder) / data.classes[c]);
    if (paths.empty())
      throw std::runtime_error("image folder " + folder + ": class " + data.classes[c] + " has no images");
    for (const fs::path& path : paths) {
      images.push_back(read_color_image(path.string()));
      labels.push_back(static_cast<int64_t>(c));
    }
  }
  data.height = options.height;
  data.width = options.width;
  if (data.height == 0 || data.width == 0) {
    const ColorImage& first = images.front();
    const double scale = std::min(1.0, static_cast<double>(kLargestDefaultSide) / std::max(first.width, first.height));
    data.height = std::max<int64_t>(1, std::llround(first.height * scale));
    data.width = std::max<int64_t>(1, std::llround(first.width * scale));
  }
  const bool colour = std::any_of(images.begin(), images.end(), [](const ColorImage& i) { return i.channels == 3; });
  data.channels = options.channels != 0 ? options.channels : (colour ? 3 : 1);

  // Per class, test_split of its images (at least one when the class has two or more) as test data.
  Rng split_rng(options.split_seed);
  std::vector<int64_t> train, test;
  for (size_t c = 0; c < data.classes.size(); ++c) {
    std::vector<int64_t> members;
    for (size_t i = 0; i < labels.size(); ++i) {
      if (labels[i] == static_cast<int64_t>(c)) members.push_back(static_cast<int64_t>(i));
    }
    std::shuffle(members.begin(), members.end(), split_rng.engine());
    auto held = static_cast<int64_t>(std::llround(options.test_split * static_cast<double>(members.size())));
    if (options.test_split > 0 && members.size() >= 2) held = std::clamp<int64_t>(held, 1, members.size() - 1);
    test.insert(test.end(), members.begin(), members.begin() + held);
    train.insert(train.end(), members.begin() + held, members.end());
  }
  std::sort(train.begin(), train.end());
  std::sort(test.begin(), test.end());
  auto encode = [&](const std::vector<int64_t>& rows) {
    Dataset d;
    const auto n = static_cast<int64_t>(rows.size());
    d.x = Tensor<float>(Shape{n, data.channels, data.height, data.width});
    d.y = Tensor<float>(Shape{n});
    d.num_classes = static_cast<int>(data.classes.size());
    for (int64_t i = 0; i < n; ++i) {
      const auto r = static_cast<size_t>(rows[static_cast<size_t>(i)]);
      image_sample(images[r], data.channels, data.height, data.width, d.x.row(i));
      d.y[i] = static_cast<float>(labels[r]);
    }
    return d;
  };
  data.split.train = encode(train);
  data.split.test = encode(test);
  data.split.description = folder_name(folder) + ": " + std::to_string(train.size()) + " train / " +
                           std::to_string(test.size()) + " test images, " + std::to_string(data.classes.size()) +
                           " classes, " + std::to_string(data.channels) + "x" + std::to_string(data.height) + "x" +
                           std::to_string(data.width) + " (" + folder + ")";
  return data;
}

}  // namespace nnlab
