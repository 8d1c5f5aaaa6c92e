#include "nnlab/kernels/onednn_conv.h"

#include <algorithm>
#include <cstdlib>
#include <stdexcept>
#include <string>

#ifdef NNLAB_ONEDNN
#include <oneapi/dnnl/dnnl.hpp>
#include <vector>

#include "nnlab/kernels/isa.h"
#endif

namespace nnlab {

namespace {
// Right padding that gives PyTorch's output size, (H + 2p − K)/s + 1 rounded down.
int64_t right_padding(int64_t size, int64_t kernel, int64_t stride, int64_t padding, int64_t outputs) {
  return (outputs - 1) * stride + kernel - size - padding;
}
}  // namespace

bool OneDnnConv::supports(const ConvGeometry& g) {
  return onednn_available() && right_padding(g.height, g.kernel_h, g.stride, g.padding, g.out_height()) >= 0 &&
         right_padding(g.width, g.kernel_w, g.stride, g.padding, g.out_width()) >= 0;
}

#ifdef NNLAB_ONEDNN

bool onednn_available() { return true; }

namespace {

// NNLAB_ISA's cap, given to oneDNN once, before its first kernel is built (later it cannot
// change): generic becomes SSE4.1 (oneDNN's lowest), avx2 AVX2; DNNL_MAX_CPU_ISA, when it is
// set, is the user's own choice for oneDNN and wins.
void follow_nnlab_isa() {
  static const bool once = [] {
    const KernelIsaChoice& choice = kernel_isa_choice();
    if (!choice.forced || std::getenv("DNNL_MAX_CPU_ISA") != nullptr) return false;
    if (choice.isa == KernelIsa::generic) dnnl::set_max_cpu_isa(dnnl::cpu_isa::sse41);
    if (choice.isa == KernelIsa::avx2) dnnl::set_max_cpu_isa(dnnl::cpu_isa::avx2);
    return true;
  }();
  (void)once;
}

dnnl::engine cpu_engine() {
  follow_nnlab_isa();
  return dnnl::engine(dnnl::engine::kind::cpu, 0);
}

using dnnl::memory;
using Tag = memory::format_tag;

// A tensor in the caller's layout and the layout a primitive wants: the same memory when they
// agree, else a buffer of its own and the reorders between the two.
struct Staged {
  memory user, inner;
  dnnl::reorder in, out;  // user → inner, inner → user (built when needed)
  bool same = true;

  Staged() = default;
  // `place`: where the inner copy lives, or null for a buffer of its own.
  Staged(const memory::desc& user_desc, const memory::desc& wanted, const dnnl::engine& engine, bool to_inner,
         bool to_user, void* place = nullptr)
      : user(user_desc, engine, DNNL_MEMORY_NONE), same(user_desc == wanted) {
    inner = same ? user : place != nullptr ? memory(wanted, engine, place) : memory(wanted, engine);
    if (!same && to_inner) in = dnnl::reorder(user, inner);
    if (!same && to_user) out = dnnl::reorder(inner, user);
  }
  void bring_in(dnnl::stream& s, const void* data) {
    user.set_data_handle(const_cast<void*>(data));
    if (!same) in.execute(s, user, inner);
  }
  void take_out(dnnl::stream& s, void* data) {
    user.set_data_handle(data);
    if (!same) out.execute(s, inner, user);
  }
};

// The primitives and buffers of one batch size and geometry. The blocked copies that live only
// within one call (y in forward; dy and dx in backward) share one buffer, `transient`; the
// blocked x of forward serves backward too when backward-weights wants the same layout.
struct Config {
  int64_t n = 0, out_channels = 0;
  ConvGeometry g;
  bool bias = false;
  OneDnnConv::Layout layout;
  int64_t y_block = 0;  // y's channel block: the primitive's, when layout.blocks_out allows it
  dnnl::convolution_forward::primitive_desc forward_desc;
  dnnl::convolution_backward_data::primitive_desc data_desc;
  dnnl::convolution_backward_weights::primitive_desc weights_desc;
  memory transient;
  dnnl::convolution_forward forward;
  bool backward_built = false;  // the backward primitives and buffers, made on first use
  dnnl::convolution_backward_data backward_data;
  dnnl::convolution_backward_weights backward_weights;
  Staged x, w, y;         // forward
  Staged dy, w_data, dx;  // backward data
  Staged x_weights, dw;   // backward weights (x_weights unused when x serves)
  bool x_serves_weights = false, dy_serves_weights = false;
  Staged dy_weights;
  memory b, db;
  // Which forward made the blocked copy of x (Impl::forwards) and from where: backward weights
  // takes it as it is when it was the last forward of this layer, on the same x.
  uint64_t forward_serial = 0;
  const float* forward_x = nullptr;
  // Backward weights on a zero-bordered copy of x (weights_pad > 0): see Impl::padded_weights.
  int64_t weights_pad = 0;
  memory x_user, x_padded, x_padded_interior;
  dnnl::reorder x_padded_in;
};

// Bytes of the blocked copy of a tensor whose caller's layout is `user`: 0 when they agree.
size_t copy_bytes(const memory::desc& user, const memory::desc& wanted) {
  return user == wanted ? 0 : (wanted.get_size() + 63) / 64 * 64;
}

constexpr auto kAlgorithm = dnnl::algorithm::convolution_direct;

// The format of a tensor held in blocks of `block` channels (Tensor::channel_block).
Tag channel_block_tag(int64_t block) {
  switch (block) {
    case 0:
      return Tag::nchw;
    case 8:
      return Tag::nChw8c;
    case 16:
      return Tag::nChw16c;
    default:
      throw std::logic_error("oneDNN convolutions take channel blocks of 8 or 16, got " + std::to_string(block));
  }
}

// The channel block of `desc` when it is nChw16c or nChw8c of these dimensions, else 0.
int64_t channel_block_of(const memory::desc& desc, const memory::dims& dims) {
  for (const int64_t block : {16, 8}) {
    if (dims[1] % block == 0 && desc == memory::desc(dims, memory::data_type::f32, channel_block_tag(block))) {
      return block;
    }
  }
  return 0;
}

// The shapes of a Config's tensors: in the caller's layouts (src, weights, dst, bias), and
// with the layout left to oneDNN (the _any ones).
struct Descs {
  memory::desc src, weights, dst, bias, src_any, weights_any, dst_any;
  memory::dims strides, left, right;

  explicit Descs(const Config& c) {
    using dt = memory::data_type;
    const ConvGeometry& g = c.g;
    const memory::dims x{c.n, g.channels, g.height, g.width}, w{c.out_channels, g.channels, g.kernel_h, g.kernel_w},
        y{c.n, c.out_channels, g.out_height(), g.out_width()};
    src = memory::desc(x, dt::f32, channel_block_tag(c.layout.x_block));
    weights = memory::desc(w, dt::f32, Tag::oihw);
    dst = memory::desc(y, dt::f32, channel_block_tag(c.y_block));
    if (c.bias) bias = memory::desc({c.out_channels}, dt::f32, Tag::x);
    src_any = memory::desc(x, dt::f32, Tag::any);
    weights_any = memory::desc(w, dt::f32, Tag::any);
    dst_any = memory::desc(y, dt::f32, Tag::any);
    strides = {g.stride, g.stride};
    left = {g.padding, g.padding};
    right = {right_padding(g.height, g.kernel_h, g.stride, g.padding, g.out_height()),
             right_padding(g.width, g.kernel_w, g.stride, g.padding, g.out_width())};
  }
};

bool same(const Config& c, int64_t n, const ConvGeometry& g, int64_t out_channels, bool bias,
          OneDnnConv::Layout layout) {
  return c.n == n && c.out_channels == out_channels && c.bias == bias && c.layout.x_block == layout.x_block &&
         c.layout.blocks_out == layout.blocks_out && c.layout.relu == layout.relu && c.g.channels == g.channels &&
         c.g.height == g.height && c.g.width == g.width && c.g.kernel_h == g.kernel_h && c.g.kernel_w == g.kernel_w &&
         c.g.stride == g.stride && c.g.padding == g.padding;
}

}  // namespace

struct OneDnnConv::Impl {
  dnnl::engine engine = cpu_engine();
  dnnl::stream stream{engine};
  std::vector<std::unique_ptr<Config>> configs;  // the most recently used first

  std::unique_ptr<Config> passing;  // one not kept: an evaluation batch's, freed after its call
  uint64_t forwards = 0;            // forward calls so far

  // The config for these shapes: a kept one, else a new one, kept when `keep`.
  Config& config(int64_t n, const ConvGeometry& g, int64_t out_channels, bool bias, OneDnnConv::Layout layout,
                 bool keep = true) {
    for (size_t i = 0; i < configs.size(); ++i) {
      if (same(*configs[i], n, g, out_channels, bias, layout)) {
        if (i != 0) std::swap(configs[0], configs[i]);
        return *configs[0];
      }
    }
    if (!keep) {
      passing = build(n, g, out_channels, bias, layout);
      return *passing;
    }
    // A training batch size, and the last smaller batch of an epoch.
    constexpr size_t kKept = 2;
    if (configs.size() == kKept) configs.pop_back();
    configs.insert(configs.begin(), build(n, g, out_channels, bias, layout));
    return *configs[0];
  }

  std::unique_ptr<Config> build(int64_t n, const ConvGeometry& g, int64_t out_channels, bool bias,
                                OneDnnConv::Layout layout) {
    auto c = std::make_unique<Config>();
    c->n = n;
    c->g = g;
    c->out_channels = out_channels;
    c->bias = bias;
    c->layout = layout;
    const Descs any(*c);
    dnnl::primitive_attr attributes;
    if (layout.relu) {
      dnnl::post_ops ops;
      ops.append_eltwise(1.0f, dnnl::algorithm::eltwise_relu, 0.0f, 0.0f);
      attributes.set_post_ops(ops);
    }
    const dnnl::convolution_forward::primitive_desc fpd(
        {dnnl::prop_kind::forward_training, kAlgorithm, any.src_any, any.weights_any, any.bias, any.dst_any,
         any.strides, any.left, any.right},
        attributes, engine);
    if (layout.blocks_out)
      c->y_block = channel_block_of(fpd.dst_desc(), {n, out_channels, g.out_height(), g.out_width()});
    const Descs d(*c);
    c->forward_desc = fpd;
    c->data_desc = dnnl::convolution_backward_data::primitive_desc(
        {kAlgorithm, d.src_any, d.weights_any, d.dst_any, d.strides, d.left, d.right}, engine, fpd);
    c->weights_desc = dnnl::convolution_backward_weights::primitive_desc(
        {kAlgorithm, d.src_any, d.weights_any, d.bias, d.dst_any, d.strides, d.left, d.right}, engine, fpd);
    if (c->weights_desc.impl_info_str() != fpd.impl_info_str()) padded_weights(*c, fpd.impl_info_str());
    const size_t y_bytes = copy_bytes(d.dst, fpd.dst_desc());
    const size_t backward_bytes =
        copy_bytes(d.dst, c->data_desc.diff_dst_desc()) + copy_bytes(d.src, c->data_desc.diff_src_desc());
    c->transient = memory(memory::desc({static_cast<int64_t>(std::max<size_t>({y_bytes, backward_bytes, 64}))},
                                       memory::data_type::u8, Tag::x),
                          engine);
    c->forward = dnnl::convolution_forward(fpd);
    c->x = Staged(d.src, fpd.src_desc(), engine, true, false);
    c->w = Staged(d.weights, fpd.weights_desc(), engine, true, false);
    c->y = Staged(d.dst, fpd.dst_desc(), engine, false, true, c->transient.get_data_handle());
    if (bias) c->b = memory(d.bias, engine, DNNL_MEMORY_NONE);
    return c;
  }

  // oneDNN 2.6's AVX-512 backward-weights kernel refuses a padding of 2 (DeepConvNet's 32@3×3 on
  // 14×14) and leaves it to the AVX2 one, at half the speed (4.0 ms instead of 1.9 at batch 100,
  // Zen 5). The same gradient comes from x with `pad` − 1 of its padding written out as zeros and a
  // padding of 1: taken when the kernel of `forward_impl` accepts that.
  void padded_weights(Config& c, const std::string& forward_impl) {
    const ConvGeometry& g = c.g;
    const int64_t extra = g.padding - 1;
    const int64_t right = std::min(right_padding(g.height, g.kernel_h, g.stride, g.padding, g.out_height()),
                                   right_padding(g.width, g.kernel_w, g.stride, g.padding, g.out_width()));
    if (extra < 1 || right < extra) return;
    Config padded;
    padded.n = c.n;
    padded.out_channels = c.out_channels;
    padded.bias = c.bias;
    padded.g = g;
    padded.g.height += 2 * extra;
    padded.g.width += 2 * extra;
    padded.g.padding = 1;
    const Descs d(padded);
    try {
      const dnnl::convolution_forward::primitive_desc hint(
          {dnnl::prop_kind::forward_training, kAlgorithm, d.src_any, d.weights_any, d.bias, d.dst_any, d.strides,
           d.left, d.right},
          engine);
      const dnnl::convolution_backward_weights::primitive_desc wpd(
          {kAlgorithm, d.src_any, d.weights_any, d.bias, d.dst_any, d.strides, d.left, d.right}, engine, hint);
      if (wpd.impl_info_str() != forward_impl) return;
      c.weights_desc = wpd;
      c.weights_pad = extra;
    } catch (const dnnl::error&) {
      // No such kernel: the unpadded one stays.
    }
  }

  // The backward primitives of `c`, for the same shapes as its forward.
  void build_backward(Config& c) {
    const Descs d(c);
    const auto& dpd = c.data_desc;
    const auto& wpd = c.weights_desc;
    c.backward_data = dnnl::convolution_backward_data(dpd);
    c.backward_weights = dnnl::convolution_backward_weights(wpd);
    auto* transient = static_cast<unsigned char*>(c.transient.get_data_handle());
    c.dy = Staged(d.dst, dpd.diff_dst_desc(), engine, true, false, transient);
    c.w_data = Staged(d.weights, dpd.weights_desc(), engine, true, false);
    c.dx = Staged(d.src, dpd.diff_src_desc(), engine, false, true, transient + copy_bytes(d.dst, dpd.diff_dst_desc()));
    c.x_serves_weights = c.weights_pad == 0 && wpd.src_desc() == c.forward_desc.src_desc();
    if (c.weights_pad > 0) {
      // Zeros once; each backward writes x into the interior.
      c.x_padded = memory(wpd.src_desc(), engine);
      std::fill_n(static_cast<unsigned char*>(c.x_padded.get_data_handle()), wpd.src_desc().get_size(), 0);
      const memory::desc interior = wpd.src_desc().submemory_desc({c.n, c.g.channels, c.g.height, c.g.width},
                                                                  {0, 0, c.weights_pad, c.weights_pad});
      c.x_padded_interior = memory(interior, engine, c.x_padded.get_data_handle());
      c.x_user = memory(d.src, engine, DNNL_MEMORY_NONE);
      c.x_padded_in = dnnl::reorder(c.x_user, c.x_padded_interior);
    } else if (!c.x_serves_weights) {
      c.x_weights = Staged(d.src, wpd.src_desc(), engine, true, false);
    }
    c.dy_serves_weights = wpd.diff_dst_desc() == dpd.diff_dst_desc();
    if (!c.dy_serves_weights) c.dy_weights = Staged(d.dst, wpd.diff_dst_desc(), engine, true, false);
    c.dw = Staged(d.weights, wpd.diff_weights_desc(), engine, false, true);
    if (c.bias) c.db = memory(wpd.diff_bias_desc(), engine, DNNL_MEMORY_NONE);
    c.backward_built = true;
  }
};

std::string onednn_kernels() {
  follow_nnlab_isa();
  switch (dnnl::get_effective_cpu_isa()) {
    case dnnl::cpu_isa::sse41:
      return "sse41";
    case dnnl::cpu_isa::avx:
      return "avx";
    case dnnl::cpu_isa::avx2:
      return "avx2";
    case dnnl::cpu_isa::avx2_vnni:
      return "avx2_vnni";
    case dnnl::cpu_isa::avx512_core:
      return "avx512_core";
    case dnnl::cpu_isa::avx512_core_vnni:
      return "avx512_core_vnni";
    case dnnl::cpu_isa::avx512_core_bf16:
      return "avx512_core_bf16";
    case dnnl::cpu_isa::avx512_core_amx:
      return "avx512_core_amx";
    default:
      return "other";
  }
}

OneDnnConv::OneDnnConv() : impl_(std::make_unique<Impl>()) {}
OneDnnConv::~OneDnnConv() = default;
OneDnnConv::OneDnnConv(const OneDnnConv&) : impl_(std::make_unique<Impl>()) {}
OneDnnConv& OneDnnConv::operator=(const OneDnnConv& other) {
  if (this != &other) impl_ = std::make_unique<Impl>();
  return *this;
}

int64_t OneDnnConv::forward(int64_t n, const ConvGeometry& g, int64_t out_channels, Layout layout, const float* x,
                            const float* w, const float* b, float* y, bool keep) {
  Config& c = impl_->config(n, g, out_channels, b != nullptr, layout, keep);
  dnnl::stream& s = impl_->stream;
  c.x.bring_in(s, x);
  c.w.bring_in(s, w);
  c.y.user.set_data_handle(y);
  std::unordered_map<int, memory> args{
      {DNNL_ARG_SRC, c.x.inner}, {DNNL_ARG_WEIGHTS, c.w.inner}, {DNNL_ARG_DST, c.y.inner}};
  if (b != nullptr) {
    c.b.set_data_handle(const_cast<float*>(b));
    args[DNNL_ARG_BIAS] = c.b;
  }
  c.forward.execute(s, args);
  c.forward_serial = ++impl_->forwards;
  c.forward_x = x;
  c.y.take_out(s, y);
  s.wait();
  const int64_t y_block = c.y_block;
  impl_->passing.reset();
  return y_block;
}

void OneDnnConv::backward(int64_t n, const ConvGeometry& g, int64_t out_channels, Layout layout, const float* x,
                          const float* w, const float* dy, float* dx, float* dw, float* db) {
  Config& c = impl_->config(n, g, out_channels, db != nullptr, layout);
  if (!c.backward_built) impl_->build_backward(c);
  dnnl::stream& s = impl_->stream;
  c.dy.bring_in(s, dy);
  if (dx != nullptr) {
    c.w_data.bring_in(s, w);
    c.dx.user.set_data_handle(dx);
    c.backward_data.execute(
        s, {{DNNL_ARG_DIFF_DST, c.dy.inner}, {DNNL_ARG_WEIGHTS, c.w_data.inner}, {DNNL_ARG_DIFF_SRC, c.dx.inner}});
    c.dx.take_out(s, dx);
  }
  // x: the blocked copy of forward when this layer's last forward was on this config and x (the
  // training step's forward and backward), else again.
  memory x_weights;
  if (c.weights_pad > 0) {
    c.x_user.set_data_handle(const_cast<float*>(x));
    c.x_padded_in.execute(s, c.x_user, c.x_padded_interior);
    x_weights = c.x_padded;
  } else {
    Staged& staged = c.x_serves_weights ? c.x : c.x_weights;
    const bool kept = c.x_serves_weights && c.forward_serial == impl_->forwards && c.forward_x == x;
    if (!kept) staged.bring_in(s, x);
    x_weights = staged.inner;
  }
  Staged& dy_weights = c.dy_serves_weights ? c.dy : c.dy_weights;
  if (!c.dy_serves_weights) dy_weights.bring_in(s, dy);
  c.dw.user.set_data_handle(dw);
  std::unordered_map<int, memory> args{
      {DNNL_ARG_SRC, x_weights}, {DNNL_ARG_DIFF_DST, dy_weights.inner}, {DNNL_ARG_DIFF_WEIGHTS, c.dw.inner}};
  if (db != nullptr) {
    c.db.set_data_handle(db);
    args[DNNL_ARG_DIFF_BIAS] = c.db;
  }
  c.backward_weights.execute(s, args);
  c.dw.take_out(s, dw);
  s.wait();
}

#else  // no oneDNN in this build: Conv2d never calls these.

bool onednn_available() { return false; }
std::string onednn_kernels() { return ""; }

struct OneDnnConv::Impl {};
OneDnnConv::OneDnnConv() = default;
OneDnnConv::~OneDnnConv() = default;
OneDnnConv::OneDnnConv(const OneDnnConv&) {}
OneDnnConv& OneDnnConv::operator=(const OneDnnConv&) { return *this; }

int64_t OneDnnConv::forward(int64_t, const ConvGeometry&, int64_t, Layout, const float*, const float*, const float*,
                            float*, bool) {
  throw std::logic_error("nnlab was built without oneDNN");
}
void OneDnnConv::backward(int64_t, const ConvGeometry&, int64_t, Layout, const float*, const float*, const float*,
                          float*, float*, float*) {
  throw std::logic_error("nnlab was built without oneDNN");
}

#endif

}  // namespace nnlab
