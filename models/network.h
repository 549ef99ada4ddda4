// A network as an ordered layer graph (topological order), plus the build parameters that
// produced it. Quantizable layers (conv, fc) are numbered 0..L-1 in network order; policies,
// reports and the search all index layers by that number.
#pragma once

#include <string>
#include <vector>

#include "models/layer.h"

namespace haqsim {

struct NetworkSpec {
  int resolution = 224;
  int in_channels = 3;
  int classes = 1000;
  double width = 1.0;
  int batch = 1;
  int first_stride = 2;  // stride of the first convolution (1 suits 32x32 inputs)
  // Non-square inputs (imported models): rows and columns, 0 meaning `resolution`.
  int in_height = 0, in_width = 0;
  int input_height() const { return in_height > 0 ? in_height : resolution; }
  int input_width() const { return in_width > 0 ? in_width : resolution; }
  int64_t input_elements() const { return int64_t(in_channels) * input_height() * input_width(); }
  // "224x224x3" (height x width x channels).
  std::string input_shape() const;
};

struct Network {
  std::string name;
  NetworkSpec spec;
  std::vector<Layer> layers;

  std::vector<const Layer*> quantizable_layers() const;
  int quantizable_count() const;
  const Layer& quantizable(int quant_index) const;
  int64_t total_macs() const;  // per batch
  int64_t total_weights() const;
  int host_layer_count() const;  // layers that do not run on the array
};

// Whether the tensor layer `index` produces is non-negative (it passed a ReLU, a sigmoid, or
// moves or pools such tensors); -1, the network input, is normalized and signed.
bool produces_unsigned(const Network& net, int index);
// Numbers the quantizable layers in network order and marks the layers whose inputs are all
// unsigned (Layer::quant_index, Layer::input_unsigned).
void number_layers(Network& net);

// Appends layers while tracking the current tensor shape; used by the zoo and the ONNX importer.
class NetworkBuilder {
 public:
  NetworkBuilder(std::string name, const NetworkSpec& spec);

  // Each returns the index of the new layer. `input` defaults to the last layer added.
  int conv(const std::string& name, int out_channels, int kernel, int stride, int groups,
           Activation act, int input = kLast);
  int fully_connected(const std::string& name, int out_features, Activation act, int input = kLast);
  int add(const std::string& name, int a, int b, Activation act = Activation::kNone);
  int global_avg_pool(const std::string& name, int input = kLast);
  int max_pool(const std::string& name, int kernel, int stride, int pad, int input = kLast);

  int last() const { return static_cast<int>(net_.layers.size()) - 1; }
  const Layer& layer(int index) const { return net_.layers.at(index); }
  Network build();  // numbers quantizable layers and fills signedness

  static constexpr int kLast = -2;

 private:
  int resolve(int input) const;
  void shape_of(int index, int& c, int& h, int& w) const;
  int push(Layer layer);

  Network net_;
};

}  // namespace haqsim
