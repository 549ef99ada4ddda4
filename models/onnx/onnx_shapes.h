// Output shapes of ONNX's shape-changing operators, as the specification defines them; shared
// by constant folding (which also moves the values) and the importer's shape inference on
// activations (which only needs the dims). Each throws NodeError naming the attribute or input
// that does not fit the input dims.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace haqsim::onnx_import {

using Dims = std::vector<int64_t>;

int64_t element_count(const Dims& dims);
std::string dims_text(const Dims& dims);  // "[1,3,224,224]"

// An axis in [-rank, rank) made non-negative.
int normalize_axis(int64_t axis, int rank, const std::string& part);

// Numpy-style (multidirectional) broadcasting of two shapes.
Dims broadcast(const Dims& a, const Dims& b, const std::string& part);

// Reshape: 0 copies the input dim (unless allowzero), one -1 is inferred.
Dims reshape(const Dims& in, const std::vector<int64_t>& shape, bool allowzero);
Dims transpose(const Dims& in, const std::vector<int64_t>& perm);  // empty perm: reversed
Dims unsqueeze(const Dims& in, std::vector<int64_t> axes);
Dims squeeze(const Dims& in, const std::vector<int64_t>& axes);  // empty axes: every 1
Dims flatten(const Dims& in, int64_t axis);
Dims concat(const std::vector<Dims>& inputs, int64_t axis);

// Slice: per sliced axis, the first index, the step and the count; other axes whole.
struct SliceSpec {
  Dims out;
  std::vector<int64_t> start, step;  // per input dim
};
SliceSpec slice(const Dims& in, const std::vector<int64_t>& starts,
                const std::vector<int64_t>& ends, const std::vector<int64_t>& axes,
                const std::vector<int64_t>& steps);

// Gather along `axis` with indices of `indices_dims`: out = in[:axis] + indices + in[axis+1:].
Dims gather(const Dims& in, const Dims& indices_dims, int64_t axis);

// Expand: broadcast of the input with the given shape.
Dims expand(const Dims& in, const std::vector<int64_t>& shape);

// Reductions over `axes` (empty: every axis unless noop_with_empty_axes).
Dims reduce(const Dims& in, const std::vector<int64_t>& axes, bool keepdims);

// Row-major strides of a shape.
std::vector<int64_t> strides_of(const Dims& dims);

}  // namespace haqsim::onnx_import
