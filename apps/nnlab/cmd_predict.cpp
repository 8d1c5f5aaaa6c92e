// nnlab predict: a saved model's class probabilities for one's own images (digits made to look
// like MNIST's), or its predictions for the rows of CSV files (models of tables).

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <set>

#include "commands.h"
#include "model_data.h"
#include "nnlab/data/digit_image.h"
#include "nnlab/data/image_folder.h"
#include "nnlab/io/atomic_file.h"
#include "nnlab/io/image_file.h"
#include "nnlab/io/model_file.h"
#include "nnlab/kernels/threads.h"
#include "nnlab/layers/softmax.h"
#include "predict_table.h"

namespace nnlab::cli {

namespace {

struct PredictSettings {
  std::string model;
  std::vector<std::string> images;
  bool json = false;
  std::string save_preprocessed;    // a folder; empty: none
  std::string preprocess = "auto";  // digit, none, or auto: digit for models of MNIST
  int threads = 0;
};

struct Prediction {
  std::string image;
  int64_t predicted = 0;
  std::vector<double> probabilities;
  std::string preprocessed;  // where the 28×28 input was written, if it was
};

// A file name per image in `folder`: the image's own name with .pgm, numbered when two
// images share a name (digits/7.png and more/7.png, or 7.png and 7.pgm).
std::vector<std::string> preprocessed_paths(const std::vector<std::string>& images, const std::string& folder) {
  std::vector<std::string> paths;
  std::set<std::string> taken;
  for (const std::string& image : images) {
    const std::string stem = std::filesystem::path(image).stem().string();
    std::string name = stem + ".pgm";
    for (int n = 2; taken.count(name) > 0; ++n) name = stem + "_" + std::to_string(n) + ".pgm";
    taken.insert(name);
    paths.push_back((std::filesystem::path(folder) / name).string());
  }
  return paths;
}

void print_table(const std::vector<Prediction>& predictions, const std::string& model_path, const std::string& spec,
                 const ModelData& data) {
  std::printf("model %s: %s\n", model_path.c_str(), spec.c_str());
  size_t name_width = 5;
  for (const auto& p : predictions) name_width = std::max(name_width, p.image.size());
  const int w = static_cast<int>(name_width);
  const size_t classes = predictions.front().probabilities.size();
  int class_width = 5;
  for (size_t k = 0; k < classes; ++k) {
    class_width = std::max(class_width, static_cast<int>(data.class_name(static_cast<int64_t>(k)).size()));
  }
  std::printf("%-*s  %-*s  probability  |", w, "image", class_width, "class");
  for (size_t k = 0; k < classes; ++k) std::printf(" %6.6s", data.class_name(static_cast<int64_t>(k)).c_str());
  std::printf("\n");
  for (const auto& p : predictions) {
    std::printf("%-*s  %-*s  %11.3f  |", w, p.image.c_str(), class_width, data.class_name(p.predicted).c_str(),
                p.probabilities[static_cast<size_t>(p.predicted)]);
    for (const double probability : p.probabilities) std::printf(" %6.3f", probability);
    std::printf("\n");
  }
  if (!predictions.front().preprocessed.empty()) {
    const auto folder = std::filesystem::path(predictions.front().preprocessed).parent_path().string();
    std::printf("wrote the inputs the network saw to %s (%zu PGM file%s)\n", folder.c_str(), predictions.size(),
                predictions.size() == 1 ? "" : "s");
  }
}

void print_json(const std::vector<Prediction>& predictions, const std::string& model_path, const std::string& spec,
                const ModelData& data) {
  nlohmann::ordered_json out = {
      {"model", model_path}, {"spec", spec}, {"predictions", nlohmann::ordered_json::array()}};
  for (const auto& p : predictions) {
    nlohmann::ordered_json entry = {{"image", p.image},
                                    {"class", p.predicted},
                                    {"name", data.class_name(p.predicted)},
                                    {"probability", p.probabilities[static_cast<size_t>(p.predicted)]},
                                    {"probabilities", p.probabilities}};
    if (!p.preprocessed.empty()) entry["preprocessed"] = p.preprocessed;
    out["predictions"].push_back(entry);
  }
  std::printf("%s\n", out.dump(2).c_str());
}

int run_predict(const PredictSettings& s) {
  const ThreadScope threads(capped_threads(s.threads));
  LoadedModel loaded = load_model(s.model);
  const ModelData data = model_data(loaded, s.model);
  if (data.kind == "table") return predict_table(loaded, data, s.model, s.images, s.json);
  Sequential<float>& model = loaded.model;
  const Shape input = model.input_shape();
  // The digit preparation is for digits: for a model of other images (Fashion-MNIST) the image
  // is only made grey and resized.
  const bool digit = s.preprocess == "digit" || (s.preprocess == "auto" && data.name == "MNIST");
  int64_t height = kDigitField, width = kDigitField, channels = 1;
  if (input.rank() == 3 && (input[0] == 1 || (input[0] == 3 && !digit))) {
    channels = input[0];
    height = input[1];
    width = input[2];
  }
  if (input.numel() != channels * height * width || (digit && height * width != kDigitField * kDigitField)) {
    throw UsageError("model " + s.model + " takes inputs of shape " + input.spec() + "; predict makes " +
                     (digit ? "28×28 grey images (1x28x28 or 784 values) of digits"
                            : "grey or colour images (1xHxW or 3xHxW, or 784 values for 28×28)"));
  }
  const int64_t classes = model.output_shape().numel();

  // Every image is read and prepared before anything is printed: a bad one stops the
  // run with its name, not half-way through the table.
  const auto n = static_cast<int64_t>(s.images.size());
  std::vector<DigitImage> digits;
  for (const std::string& path : s.images) {
    try {
      if (digit) {
        digits.push_back(mnist_digit(read_image(path)));
      } else {
        // As the image is, resized to the model's input by area averaging, in its channels.
        DigitImage plain;
        plain.image = GreyImage(width, height * channels);
        image_sample(read_color_image(path), static_cast<int>(channels), height, width, plain.image.pixels.data());
        digits.push_back(std::move(plain));
      }
    } catch (const std::invalid_argument& e) {
      throw UsageError("image " + path + ": " + e.what());
    }
  }

  Tensor<float> x(input.with_batch(n));
  for (int64_t i = 0; i < n; ++i) {
    const auto& pixels = digits[static_cast<size_t>(i)].image.pixels;
    std::copy(pixels.begin(), pixels.end(), x.row(i));
  }
  const Tensor<float>& output = model.forward(x);
  // Models are trained on logits (the loss applies the softmax); one that ends in a
  // Softmax layer already gives probabilities.
  Tensor<float> probabilities(Shape{n, classes});
  const bool ends_in_softmax = model.size() > 0 && model[model.size() - 1].type() == "Softmax";
  if (ends_in_softmax) {
    std::copy(output.begin(), output.end(), probabilities.begin());
  } else {
    softmax_rows(output.data(), probabilities.data(), n, classes);
  }

  std::vector<std::string> saved;
  if (!s.save_preprocessed.empty()) {
    make_folders(s.save_preprocessed);
    saved = preprocessed_paths(s.images, s.save_preprocessed);
    for (int64_t i = 0; i < n; ++i) write_pgm(saved[static_cast<size_t>(i)], digits[static_cast<size_t>(i)].image);
  }

  std::vector<Prediction> predictions;
  for (int64_t i = 0; i < n; ++i) {
    Prediction p;
    p.image = s.images[static_cast<size_t>(i)];
    const float* row = probabilities.row(i);
    p.probabilities.assign(row, row + classes);
    p.predicted = std::max_element(row, row + classes) - row;
    if (!saved.empty()) p.preprocessed = saved[static_cast<size_t>(i)];
    predictions.push_back(std::move(p));
  }
  if (s.json) {
    print_json(predictions, s.model, model.spec(), data);
  } else {
    print_table(predictions, s.model, model.spec(), data);
  }
  return 0;
}

}  // namespace

Run add_predict(CLI::App& app) {
  auto s = std::make_shared<PredictSettings>();
  app.add_option("--model", s->model, "A model saved by nnlab train (safetensors)")->required();
  app.add_option(
         "images", s->images,
         "Images: PNG, JPEG or PGM (P2/P5, 8 or 16 bits), any size, colour or grey (for digits: dark on light or "
         "light on dark); for a model of a CSV table, CSV files with its feature columns")
      ->required();
  app.add_option("--preprocess", s->preprocess,
                 "digit (made to look like MNIST: see below), none (grey, resized to the model's input), or auto: "
                 "digit for models of MNIST, none for others (Fashion-MNIST)")
      ->check(CLI::IsMember({"auto", "digit", "none"}))
      ->capture_default_str();
  app.add_flag("--json", s->json, "Print JSON instead of a table");
  app.add_option("--save-preprocessed", s->save_preprocessed,
                 "Write each input the network sees to this folder as NAME.pgm");
  app.add_option("--threads", s->threads, "Threads (default: all cores)")->check(positive_integer());
  app.footer(
      "With --preprocess digit, each image is made to look like MNIST: inverted if dark on light, cropped to the ink, "
      "fitted into 20×20 "
      "keeping its aspect ratio, centred by its centre of mass in 28×28.\n");
  return [s] { return run_predict(*s); };
}

}  // namespace nnlab::cli
