// Constant folding: evaluates an ONNX node whose inputs are all constants, as the operator
// specification defines it. Exporters compute shapes, masks and index tables in the graph
// (Shape -> Gather -> Unsqueeze -> Concat -> Reshape for a flatten; Range, Equal, Where and
// ScatterND for Swin's attention masks; a small MLP over a constant table for Swin-V2's position
// bias); once the input shape is bound, all of that is constant and folds away, so only the
// operators that touch the activations remain for the importer to lower.
#pragma once

#include <fmt/format.h>
#include <onnx/onnx_pb.h>

#include <string>
#include <vector>

#include "models/onnx/onnx_node.h"
#include "models/onnx/onnx_tensor.h"

namespace haqsim::onnx_import {

// Whether fold() can evaluate this operator (in the default domain).
bool foldable(const std::string& op_type);

// The node's outputs. `inputs` holds one pointer per node input (nullptr for an omitted
// optional one). Throws NodeError for attributes or inputs that do not fit.
std::vector<TensorValue> fold(const onnx::NodeProto& node,
                              const std::vector<const TensorValue*>& inputs, int opset);

// Slice's starts, ends, axes and steps: attributes before opset 10, inputs 1..4 since (`input(k)`
// gives input k's constant, nullptr when omitted; starts and ends are required).
struct SliceArguments {
  std::vector<int64_t> starts, ends, axes, steps;
};
template <typename Input>
SliceArguments slice_arguments(const onnx::NodeProto& node, int opset, Input input) {
  SliceArguments a;
  if (opset < 10) {
    a.starts = ints_attribute(node, "starts");
    a.ends = ints_attribute(node, "ends");
    a.axes = ints_attribute(node, "axes");
    return a;
  }
  const char* names[] = {"data", "starts", "ends", "axes", "steps"};
  for (int k = 1; k <= 4; ++k) {
    const TensorValue* t = input(k);
    if (!t && k <= 2)
      throw NodeError(fmt::format("input {} ({})", k, names[k]), "a tensor", "none");
    std::vector<int64_t>& dst = k == 1 ? a.starts : k == 2 ? a.ends : k == 3 ? a.axes : a.steps;
    if (t) dst = t->as_integers();
  }
  return a;
}

// Folds larger than this (elements) are not attempted: the importer keeps the node as a layer
// of the network instead (a constant that big is data, not a shape computation).
constexpr int64_t kMaxFoldElements = int64_t(1) << 26;

}  // namespace haqsim::onnx_import
