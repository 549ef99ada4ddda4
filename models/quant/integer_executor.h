// The integer reference: runs a QuantizedNetwork with integer arithmetic only. The BISMO and
// BitFusion simulators must reproduce accumulate_layer() bit for bit; the host-side steps
// (requantize_layer, residual adds, pooling) are shared by all of them.
#pragma once

#include <functional>
#include <string>
#include <vector>

#include "models/quant/int_tensor.h"
#include "models/quant/quantized_network.h"

namespace haqsim {

// Why the integer reference cannot run `layer` ("" when it can): it runs conv and fc layers,
// residual adds, global average pools, max pools and channel concats, what the quantization
// scheme of quantized_network.h covers.
std::string integer_reference_unsupported(const Layer& layer);

// Raw int32 accumulators of a conv/fc layer: sum over weight * input products only (no bias, no
// requantization), n x out_channels x out_height x out_width. This is what an accelerator
// computes. `input` is n x in_channels x in_height x in_width (fc: n x in_channels x 1 x 1).
IntTensor accumulate_layer(const QuantizedLayer& qlayer, const Layer& layer,
                           const IntTensor& input);

// Host side: add the bias, multiply/shift per output channel, clamp to the output range; the
// result is the next layer's input integers (in the layer's output ActQuant).
IntTensor requantize_layer(const QuantizedLayer& qlayer, const IntTensor& accumulators);

// Replaces accumulate_layer for a quantizable layer (how a simulator plugs in).
using AccumulateFn = std::function<IntTensor(int quant_index, const QuantizedLayer& qlayer,
                                             const Layer& layer, const IntTensor& input)>;

struct QuantizedLayerTrace {
  IntTensor input;         // the layer's input integers (after any rescale), in qlayer.input
  IntTensor accumulators;  // raw accumulators
  IntTensor output;        // requantized output integers, in qlayer.output
};

struct QuantizedRun {
  std::vector<QuantizedLayerTrace> layers;  // per quantizable index (empty without traces)
  IntTensor logits;                         // the network output tensor (n x classes x 1 x 1)
  std::vector<int> predicted;               // argmax of the logits per image
};

QuantizedRun run_quantized_network(const QuantizedNetwork& qnet, const IntTensor& input,
                                   const AccumulateFn& accumulate = nullptr,
                                   bool keep_traces = true);

// Integer top-1 (fraction) and mean cross-entropy in nats of the dequantized logits (the logits
// tensor's scale; the smoother of the two, what sensitivity measurements use) over `limit` images
// (all the rest if <= 0) of a dataset, starting at image `first`.
struct IntegerScore {
  double top1 = 0;
  double loss = 0;
  int images = 0;
};
IntegerScore integer_score(const QuantizedNetwork& qnet, const ImageDataset& data, int limit = 0,
                           int first = 0);
double integer_top1(const QuantizedNetwork& qnet, const ImageDataset& data, int limit = 0,
                    int first = 0);

}  // namespace haqsim
