// The whole-model presets of the spec grammar (docs/model-spec.md).

#include <map>
#include <stdexcept>
#include <string>

#include "nnlab/model/model_spec.h"

namespace nnlab {

namespace {
// The networks of "Deep Learning from Scratch", ch. 7 and 8, for 1×28×28 images.
const std::map<std::string, std::string>& presets() {
  static const std::map<std::string, std::string> table = {
      // SimpleConvNet: conv 30 filters 5×5 - relu - pool 2×2 - affine 100 - relu - affine 10.
      {"simple-cnn", "conv:30x5x5,relu,maxpool:2,linear:100,relu,linear:10"},
      // DeepConvNet (deep_convnet.py): 3×3 convolutions, the 4th padded by 2 so that the
      // last pool leaves 64×4×4; dropout after both affine layers, as in the book.
      {"deep-cnn",
       "conv:16x3x3:pad=1,relu,conv:16x3x3:pad=1,relu,maxpool:2,"
       "conv:32x3x3:pad=1,relu,conv:32x3x3:pad=2,relu,maxpool:2,"
       "conv:64x3x3:pad=1,relu,conv:64x3x3:pad=1,relu,maxpool:2,"
       "linear:50,relu,dropout:0.5,linear:10,dropout:0.5"},
      // A small residual network (He et al. 2016) for 28×28 images: a 3×3 stem, then three stages of
      // one residual block each (two 3×3 convolutions with BatchNorm; the identity shortcut, or a 1×1
      // projection where the channels double), max pooling between them, global average pooling, and
      // Dropout 0.2 before the classifier (without it: 99.10% on the sample's 2,000 test images after
      // nnlab train's 20 epochs; with it 99.35%).
      {"resnet",
       "conv:16x3x3:pad=1,batchnorm,relu,"
       "res(conv:16x3x3:pad=1,batchnorm,relu,conv:16x3x3:pad=1,batchnorm),relu,maxpool:2,"
       "res(conv:32x3x3:pad=1,batchnorm,relu,conv:32x3x3:pad=1,batchnorm),relu,maxpool:2,"
       "res(conv:64x3x3:pad=1,batchnorm,relu,conv:64x3x3:pad=1,batchnorm),relu,gap,dropout:0.2,linear:10"},
  };
  return table;
}
}  // namespace

bool is_preset(const std::string& name) { return presets().count(name) > 0; }

std::string preset_spec(const std::string& name) {
  const auto it = presets().find(name);
  if (it == presets().end()) {
    const std::string known = preset_names();
    throw std::invalid_argument("unknown model preset '" + name + "' (known: " + known + ")");
  }
  return it->second;
}

std::string preset_names() {
  std::string known;
  for (const auto& [key, spec] : presets()) known += (known.empty() ? "" : ", ") + key;
  return known;
}

}  // namespace nnlab
