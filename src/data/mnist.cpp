#include "nnlab/data/mnist.h"

#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <optional>
#include <span>
#include <stdexcept>
#include <vector>

#include "nnlab/data/bundled_data.h"
#include "nnlab/data/idx.h"

namespace nnlab {

namespace {

constexpr const char* kTestImages = "t10k-images-idx3-ubyte";
constexpr const char* kTestLabels = "t10k-labels-idx1-ubyte";
constexpr const char* kTrainImages = "train-images-idx3-ubyte";
constexpr const char* kTrainLabels = "train-labels-idx1-ubyte";

std::string expected_files() {
  return std::string("expected ") + kTestImages + "[.gz] and " + kTestLabels + "[.gz] (and for full MNIST " +
         kTrainImages + "[.gz] and " + kTrainLabels + "[.gz])";
}

// The file `name` or `name`.gz in `folder`; the uncompressed one wins when both exist.
std::optional<std::string> find_idx(const std::string& folder, const std::string& name) {
  for (const std::string& candidate : {name, name + ".gz"}) {
    const std::filesystem::path path = std::filesystem::path(folder) / candidate;
    std::error_code error;
    if (std::filesystem::is_regular_file(path, error)) return path.string();
  }
  return std::nullopt;
}

std::string require_idx(const std::string& folder, const std::string& name) {
  auto path = find_idx(folder, name);
  if (!path) throw std::runtime_error("MNIST folder " + folder + " has no " + name + "[.gz]; " + expected_files());
  return *path;
}

}  // namespace

Dataset load_idx_classification(const std::string& images_path, const std::string& labels_path, int num_classes) {
  if (num_classes < 0) {
    throw std::invalid_argument("num_classes must be at least 1 (or 0: from the labels), got " +
                                std::to_string(num_classes));
  }
  // Both headers are checked before any data is read: a file that is valid IDX
  // but not images (or labels) of the right kind and count is refused before it
  // costs its promised gigabytes.
  auto check_images = [&](const IdxHeader& header) {
    // Pixels are scaled by 1/255, which only means something for bytes.
    if (header.type_code != 0x08) {
      throw std::runtime_error("IDX file " + images_path + ": images must be unsigned bytes (type code 0x08), got " +
                               std::to_string(header.type_code));
    }
    if (header.dims.size() != 3 && header.dims.size() != 4) {
      throw std::runtime_error("IDX file " + images_path +
                               ": images must have 3 (NxHxW) or 4 (NxCxHxW) dimensions, got " +
                               std::to_string(header.dims.size()));
    }
  };
  auto check_labels = [&](const IdxHeader& header, int64_t n) {
    if (header.dims.size() != 1) {
      throw std::runtime_error("IDX file " + labels_path + ": labels must have 1 dimension, got " +
                               std::to_string(header.dims.size()));
    }
    if (header.dims[0] != n) {
      throw std::runtime_error("IDX files " + images_path + " and " + labels_path + " disagree: " + std::to_string(n) +
                               " images but " + std::to_string(header.dims[0]) + " labels");
    }
  };
  const IdxHeader image_header = read_idx_header(images_path);
  check_images(image_header);
  const int64_t n = image_header.dims[0];
  check_labels(read_idx_header(labels_path), n);
  // Checked again as the data is read: the files may have changed in between.
  // The pixels go straight to float as they are read (a whole array of double first: 63 MB more for
  // the 10,000 images of the bundled sample, the peak of nnlab train's memory).
  std::vector<float> pixels;
  const IdxHeader images = read_idx_chunks(
      images_path,
      [&](const IdxHeader& header) {
        check_images(header);
        if (header.dims != image_header.dims)
          throw std::runtime_error("IDX file " + images_path + " changed while read");
      },
      [&](std::span<const double> values) {
        for (const double v : values) pixels.push_back(pixel_from_byte(static_cast<uint8_t>(v)));
      });
  const IdxArray labels = read_idx(labels_path, [&](const IdxHeader& header) { check_labels(header, n); });

  // Without a count, the labels give it: the largest one + 1.
  const int limit = num_classes > 0 ? num_classes : kMaxIdxClasses;
  int largest = 0;
  Dataset data;
  const Shape x_shape = images.dims.size() == 3 ? Shape{n, 1, images.dims[1], images.dims[2]} : Shape(images.dims);
  data.x = Tensor<float>(x_shape, std::move(pixels));
  data.y = Tensor<float>(Shape{n});
  for (int64_t i = 0; i < n; ++i) {
    const double label = labels.values[static_cast<size_t>(i)];
    if (label != std::floor(label) || label < 0 || label >= limit) {
      throw std::runtime_error("IDX file " + labels_path + ": label " + std::to_string(label) + " at index " +
                               std::to_string(i) + " is outside 0.." + std::to_string(limit - 1) +
                               (num_classes > 0 ? "" : " (labels are class indices)"));
    }
    data.y[i] = static_cast<float>(label);
    largest = std::max(largest, static_cast<int>(label));
  }
  data.num_classes = num_classes > 0 ? num_classes : largest + 1;
  return data;
}

TrainTest load_mnist(const std::string& folder) {
  std::error_code error;
  if (!std::filesystem::is_directory(folder, error)) {
    throw std::runtime_error("MNIST folder " + folder + " does not exist; " + expected_files());
  }
  const std::string test_images = require_idx(folder, kTestImages);
  const std::string test_labels = require_idx(folder, kTestLabels);
  const auto train_images = find_idx(folder, kTrainImages);
  const auto train_labels = find_idx(folder, kTrainLabels);
  // Half a training set is a mistake to report, not a reason to fall back
  // silently to the sample split.
  if (train_images.has_value() != train_labels.has_value()) {
    throw std::runtime_error("MNIST folder " + folder + " has " + (train_images ? kTrainImages : kTrainLabels) +
                             "[.gz] but no " + (train_images ? kTrainLabels : kTrainImages) + "[.gz]");
  }

  TrainTest result;
  Dataset test = load_idx_classification(test_images, test_labels);
  if (train_images) {
    result.train = load_idx_classification(*train_images, *train_labels);
    result.test = std::move(test);
    // A class that only one part holds still counts in both.
    result.train.num_classes = result.test.num_classes = std::max(result.train.num_classes, result.test.num_classes);
    if (result.train.sample_shape() != result.test.sample_shape()) {
      throw std::runtime_error("MNIST folder " + folder + ": training images " + result.train.sample_shape().str() +
                               " and test images " + result.test.sample_shape().str() + " differ in shape");
    }
    result.description = "MNIST: " + std::to_string(result.train.size()) + " train / " +
                         std::to_string(result.test.size()) + " test from " + folder;
    return result;
  }
  if (test.size() <= kSampleTrainSize) {
    throw std::runtime_error("MNIST folder " + folder + ": the sample split needs more than " +
                             std::to_string(kSampleTrainSize) + " images in " + test_images + ", found " +
                             std::to_string(test.size()));
  }
  // The test part copied out, the training part the first rows of the whole, kept where they are.
  result.test = test.slice(kSampleTrainSize, test.size());
  test.x.resize(test.x.shape().sample_shape().with_batch(kSampleTrainSize));
  test.y.resize(Shape{kSampleTrainSize});
  result.train = std::move(test);
  result.description = "MNIST sample: " + std::to_string(result.train.size()) + " train / " +
                       std::to_string(result.test.size()) + " test from " + folder;
  return result;
}

std::string default_mnist_folder() {
  const char* from_environment = std::getenv("NNLAB_DATA");
  if (from_environment != nullptr && from_environment[0] != '\0') return from_environment;
  return bundled_data_folder() + "/mnist";
}

}  // namespace nnlab
