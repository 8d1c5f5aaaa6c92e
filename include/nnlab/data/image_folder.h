#pragma once
// A folder of images with a subfolder per class, as training data:
//
//   photos/cat/1.jpg  photos/cat/2.png  photos/dog/a.jpg ...
//   ImageFolderData data = load_image_folder("photos", {.height = 32, .width = 32});
//
// Classes are the subfolders' names, sorted; images are PNG, JPEG or PGM (any other file is
// refused by name, hidden files are skipped). Each image is resized to height × width by area
// averaging (kept as it is otherwise: no crop, no inversion) and becomes C×H×W in [0, 1],
// C = 3 (RGB) when the folder holds colour images and `channels` is auto, else 1 (grey).
// test_split of the images (per class, so every class is tested) are held out as test data,
// drawn with their own seeded generator.

#include <cstdint>
#include <string>
#include <vector>

#include "nnlab/data/mnist.h"
#include "nnlab/io/image_file.h"

namespace nnlab {

struct ImageFolderOptions {
  int64_t height = 0, width = 0;  // 0: the first image's size, its longer side at most 64
  int channels = 0;               // 1, 3, or 0: 3 when any image is in colour
  double test_split = 0.2;
  uint64_t split_seed = 0;
};

struct ImageFolderData {
  TrainTest split;
  std::vector<std::string> classes;
  int64_t height = 0, width = 0;
  int channels = 1;
};

// Whether `folder` looks like an image folder: a directory with at least one subfolder and no
// IDX files of MNIST's layout.
bool is_image_folder(const std::string& folder);

// Throws std::runtime_error naming the folder or the file: a folder with fewer than two
// classes, a class without images, a file that is not an image, a damaged image.
ImageFolderData load_image_folder(const std::string& folder, const ImageFolderOptions& options = {});

// The image as a sample of `channels` × height × width values (planar), each channel resized
// by area averaging; colour made grey (luminance) or grey repeated as RGB as asked. What the
// folder's images become, and what predict makes of an image for such a model.
void image_sample(const ColorImage& image, int channels, int64_t height, int64_t width, float* out);

// A folder's own name for messages: "photos" for "data/photos/" (the path itself when it has none).
std::string folder_name(const std::string& folder);

// "32x32" → 32, 32; throws std::invalid_argument naming --image-size for anything else.
void parse_image_size(const std::string& text, int64_t& height, int64_t& width);

}  // namespace nnlab
