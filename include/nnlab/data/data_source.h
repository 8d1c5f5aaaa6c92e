#pragma once
// Where training data comes from, by what `nnlab train --data` names:
//
//   (empty), mnist          MNIST: $NNLAB_DATA or the bundled sample (data/mnist)
//   fashion-mnist           Fashion-MNIST from Debian's dataset-fashion-mnist (60,000 / 10,000)
//   iris, wine, breast-cancer, digits, diabetes
//                           the classic small tables, bundled (data/tables; diabetes is regression)
//   spirals, circles, xor, blobs, sine
//                           2-D toy data, generated (toy_datasets.h; sine is regression)
//   FILE.csv (any file)     a CSV table (table_dataset.h), streamed from the file when it is
//                           large (table_stream.h)
//   FOLDER                  IDX files in MNIST's layout (mnist.h), or a folder of images with a
//                           subfolder per class (image_folder.h)
//
// The description that comes with the data (its kind, name, class names, and for a table
// the schema that encoded it) is saved in the model file, so that eval and predict read
// new data as the model was trained on it.

#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "nnlab/data/image_folder.h"
#include "nnlab/data/mnist.h"
#include "nnlab/data/table_dataset.h"
#include "nnlab/data/table_stream.h"

namespace nnlab {

// Training settings that suit a dataset better than nnlab train's defaults (made for MNIST):
// what `nnlab train` uses for the flags not given.
struct TrainingHints {
  std::optional<std::vector<int64_t>> hidden;
  std::optional<double> dropout;
  std::optional<int64_t> batch_size;
  std::optional<int> epochs;
  std::optional<double> lr;  // for the default optimizer (Adam) only
  std::optional<std::string> augment;
};

struct LoadedData {
  TrainTest split;
  std::string kind;                                 // "images", "table" or "toy"
  std::string name;                                 // "MNIST", "Fashion-MNIST", "iris", "houses.csv"
  std::string source;                               // what --data said, or the folder used
  std::vector<std::string> classes;                 // class names (empty for regression)
  std::optional<TableSchema> schema;                // tables
  // A table streamed from its file (TableOptions::stream): split.train and split.test are then
  // empty, and the rows come from stream->train() and stream->test().
  std::shared_ptr<TableStream> stream;
  TableOptions table_options;                       // tables: how the rows were split (target, task, test split)
  std::optional<ImageFolderOptions> image_options;  // image folders: the size, channels and split used
  TrainingHints hints;

  // What the model file keeps (nnlab.data).
  nlohmann::json description() const;
};

// The bundled tables' names: "iris, wine, breast-cancer, digits, diabetes".
std::string bundled_table_names();
// The folder Debian's dataset-fashion-mnist installs into.
inline constexpr const char* kFashionMnistFolder = "/usr/share/datasets/fashion-mnist";
// Fashion-MNIST's ten class names, by label.
const std::vector<std::string>& fashion_mnist_classes();

// Throws std::runtime_error naming the file or folder, or how to install what is missing.
LoadedData load_data(const std::string& data, const TableOptions& table = {}, const ImageFolderOptions& images = {});

// The data a model was trained on, from its description (nnlab.data in the model file):
// the same split of the same rows or images. Throws std::invalid_argument for a description
// that is not one LoadedData::description wrote.
LoadedData load_described_data(const nlohmann::json& description);

}  // namespace nnlab
