#include "search/hessian_sensitivity.h"

#include <algorithm>

#include <fmt/format.h>

#include <filesystem>
#include <sstream>

#include "base/checksummed_file.h"
#include "base/fnv1a.h"
#include "base/progress.h"
#include "models/quant/calibration_cache.h"

#include "models/training/batches.h"
#include "models/training/quant_aware.h"
#include "models/training/torch_network.h"

namespace haqsim::search {

namespace {

// Identity hooks that record the tensors they see, so autograd can differentiate with respect to
// each quantizable layer's folded weight and input. Each returns a fresh view, not the tensor it
// was given: a block's input that also feeds a residual add (MobileNet-V2, ResNet) must be
// differentiated along this layer's use only, which is what quantizing this layer's input
// perturbs.
struct Capture {
  std::vector<torch::Tensor> weight, input;
  TorchNetworkImpl::QuantHooks hooks;
  explicit Capture(int layers) : weight(size_t(layers)), input(size_t(layers)) {
    hooks.fold_bn = true;  // the weights the integer path quantizes
    hooks.weight = [this](int i, const torch::Tensor& w) {
      return weight[size_t(i)] = w.view_as(w);
    };
    hooks.input = [this](int i, const torch::Tensor& x) { return input[size_t(i)] = x.view_as(x); };
  }
};

double squared_norm(const torch::Tensor& t) {
  return t.pow(2).sum().item<double>();
}

}  // namespace

HessianTraces hessian_traces(const QuantizationContext& ctx, const HessianOptions& o) {
  const Network& network = ctx.model.network;
  const int layers = network.quantizable_count();
  TorchNetwork net(network);
  net->load_float_model(ctx.model);
  net->eval();  // BatchNorm's running statistics, as folded into the integer path

  // One fake quantizer per bit width: the integer path's quantizers of a uniform policy.
  std::vector<std::unique_ptr<FakeQuantizer>> quantizers;
  for (int b = 1; b <= 8; ++b) {
    quantizers.push_back(std::make_unique<FakeQuantizer>(ctx, Policy::uniform(layers, b, b)));
  }

  HessianTraces t;
  t.weight.assign(size_t(layers), 0.0);
  t.activation.assign(size_t(layers), 0.0);
  t.weight_error.assign(size_t(layers), {});
  t.activation_error.assign(size_t(layers), {});
  std::vector<double> activation_elements(size_t(layers), 0.0);
  torch::manual_seed(int64_t(o.seed));
  auto probed = [&](int l) {
    return o.layers.empty() || std::find(o.layers.begin(), o.layers.end(), l) != o.layers.end();
  };
  const ImageDataset& train = ctx.data.train;
  const int images = std::min(o.images, train.size());
  int batches = 0;
  Progress progress("hessian traces (images)", images, o.progress);
  for (int first = 0; first < images; first += o.batch_size, ++batches) {
    std::vector<int> idx;
    for (int i = first; i < std::min(images, first + o.batch_size); ++i) idx.push_back(i);
    Batch batch = make_batch(train, ctx.data.normalization, idx);
    batch.images.requires_grad_(true);  // the first layer's input is differentiated too
    Capture capture(layers);
    const torch::Tensor loss =
        torch::nn::functional::cross_entropy(net->run(batch.images, &capture.hooks), batch.labels);
    std::vector<torch::Tensor> wrt;
    for (int l = 0; l < layers; ++l) {
      wrt.push_back(capture.weight[size_t(l)]);
      wrt.push_back(capture.input[size_t(l)]);
    }
    const std::vector<torch::Tensor> grads =
        torch::autograd::grad({loss}, wrt, {}, /*retain_graph=*/true, /*create_graph=*/true);
    // Each Hessian-vector product probes one tensor: one layer's weights or its input. A probe
    // along every tensor at once estimates each block's trace too, since the cross terms
    // v_i^T H_ij v_j vanish in expectation, but not in a sample: the tensors lie on one path, so
    // a layer's weights, its input and every later layer's tensors are coupled, and that noise
    // swamped the small layers (negative traces on 8 of MobileNet-V1's 28 layers with 16 joint
    // vectors; still on 4 with every 4th layer probed together). Per-tensor probes cost 2 x L
    // products per vector but need few vectors: an input's Hessian is block-diagonal over the
    // batch's images, so one vector already averages 64 independent estimates.
    for (int l = 0; l < layers; ++l) {
      if (!probed(l)) continue;
      for (int operand = 0; operand < 2; ++operand) {
        const size_t k = size_t(2 * l + operand);
        for (int s = 0; s < o.samples; ++s) {
          const torch::Tensor v = torch::randint(0, 2, wrt[k].sizes(), torch::kFloat) * 2 - 1;
          const torch::Tensor hv = torch::autograd::grad({(grads[k] * v).sum()}, {wrt[k]}, {},
                                                         /*retain_graph=*/true)[0];
          (operand == 0 ? t.weight : t.activation)[size_t(l)] +=
              (hv * v).sum().item<double>() / o.samples;
        }
      }
    }
    torch::NoGradGuard no_grad;
    progress.advance(int64_t(idx.size()));
    for (int l = 0; l < layers; ++l) {
      const torch::Tensor x = capture.input[size_t(l)].detach();
      activation_elements[size_t(l)] += double(x.numel());
      for (int b = 1; b <= 8; ++b) {
        const auto& hooks = quantizers[size_t(b - 1)]->hooks();
        t.activation_error[size_t(l)][size_t(b - 1)] += squared_norm(hooks.input(l, x) - x);
        if (batches == 0) {
          const torch::Tensor w = capture.weight[size_t(l)].detach();
          t.weight_error[size_t(l)][size_t(b - 1)] = squared_norm(hooks.weight(l, w) - w);
        }
      }
    }
  }
  for (int l = 0; l < layers; ++l) {
    // Weights: the trace summed over batches of a mean loss, averaged; activations: the trace of
    // each batch's own inputs, so per element over all of them.
    t.weight[size_t(l)] /= double(batches) * double(network.quantizable(l).weight_count());
    t.activation[size_t(l)] /= activation_elements[size_t(l)];
    for (double& e : t.activation_error[size_t(l)]) e /= double(batches);
  }
  return t;
}

namespace {

constexpr const char* kTracesMagic = "haqsim-hessian-traces";
constexpr int kTracesVersion = 1;

std::string traces_key(const QuantizationContext& ctx, const HessianOptions& o) {
  Fnv1a h;
  h.text(calibration_key(ctx.model, ctx.data.calibration, ctx.data.normalization,
                         ctx.calibration_images));
  std::vector<int> layers = o.layers;
  h.text(fmt::format("images {} batch {} samples {} seed {} layers", o.images, o.batch_size,
                     o.samples, o.seed));
  h.values(layers);
  // The images the traces average over: the first `images` of the training split.
  const ImageDataset& train = ctx.data.train;
  const int n = std::min(o.images, train.size());
  h.values(std::vector<uint8_t>(train.pixels.begin(),
                                train.pixels.begin() + int64_t(n) * train.image_bytes()));
  h.values(std::vector<int32_t>(train.labels.begin(), train.labels.begin() + n));
  return fmt::format("{:016x}", h.digest());
}

std::string serialize(const HessianTraces& t) {
  std::string out;
  for (size_t l = 0; l < t.weight.size(); ++l) {
    out += fmt::format("{:.17g} {:.17g}", t.weight[l], t.activation[l]);
    for (double e : t.weight_error[l]) out += fmt::format(" {:.17g}", e);
    for (double e : t.activation_error[l]) out += fmt::format(" {:.17g}", e);
    out += "\n";
  }
  return out;
}

HessianTraces deserialize(const std::string& body, size_t layers) {
  HessianTraces t;
  std::istringstream in(body);
  for (size_t l = 0; l < layers; ++l) {
    double w = 0, a = 0;
    std::array<double, 8> we{}, ae{};
    in >> w >> a;
    for (double& e : we) in >> e;
    for (double& e : ae) in >> e;
    if (!in) throw UntrustedFile("hessian traces of another network");
    t.weight.push_back(w);
    t.activation.push_back(a);
    t.weight_error.push_back(we);
    t.activation_error.push_back(ae);
  }
  return t;
}

}  // namespace

HessianTraces cached_hessian_traces(const QuantizationContext& ctx, const HessianOptions& o,
                                    const std::string& cache_dir) {
  if (cache_dir.empty()) return hessian_traces(ctx, o);
  const std::string path = fmt::format("{}/hessian-{}.traces", cache_dir, traces_key(ctx, o));
  const size_t layers = size_t(ctx.model.network.quantizable_count());
  if (std::filesystem::exists(path)) {
    try {
      return deserialize(read_checksummed(path, kTracesMagic, kTracesVersion), layers);
    } catch (const UntrustedFile& e) {
      fmt::print(stderr, "haqsim: warning: hessian traces not trusted, recomputing: {}\n",
                 e.what());
    }
  }
  HessianTraces t = hessian_traces(ctx, o);
  std::filesystem::create_directories(cache_dir);
  // Two runs computing the same traces write the same bytes; the write is atomic.
  write_checksummed(path, kTracesMagic, kTracesVersion, serialize(t));
  return t;
}

BitSensitivity hessian_sensitivity(const HessianTraces& t) {
  BitSensitivity s;
  const size_t layers = t.weight.size();
  s.weight.assign(layers, {});
  s.activation.assign(layers, {});
  for (size_t l = 0; l < layers; ++l) {
    for (size_t b = 0; b < 8; ++b) {
      // A negative trace estimate (noise on a nearly flat direction) means no curvature to speak
      // of: clamp at zero rather than reward quantization.
      s.weight[l][b] = 0.5 * std::max(0.0, t.weight[l]) * t.weight_error[l][b];
      s.activation[l][b] = 0.5 * std::max(0.0, t.activation[l]) * t.activation_error[l][b];
    }
  }
  return s;
}

}  // namespace haqsim::search
