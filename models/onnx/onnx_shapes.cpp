#include "models/onnx/onnx_shapes.h"

#include <fmt/format.h>

#include <algorithm>
#include <set>

#include "models/onnx/onnx_node.h"

namespace haqsim::onnx_import {

int64_t element_count(const Dims& dims) {
  // Bounded as it grows (dims come from files and from arithmetic on them): no product
  // downstream can overflow.
  constexpr int64_t kMax = int64_t(1) << 40;
  int64_t n = 1;
  for (int64_t d : dims) {
    if (d < 0) throw NodeError("dims", "dims >= 0", dims_text(dims));
    if (d > 0 && n > kMax / d) {
      throw unsupported("dims", "tensors of at most 2^40 elements", dims_text(dims));
    }
    n *= d;
  }
  return n;
}

std::string dims_text(const Dims& dims) {
  return fmt::format("[{}]", fmt::join(dims, ","));
}

int normalize_axis(int64_t axis, int rank, const std::string& part) {
  if (axis < -rank || axis >= std::max(rank, 1)) {
    throw NodeError(part, fmt::format("an axis in [{}, {})", -rank, std::max(rank, 1)),
                    std::to_string(axis));
  }
  return int(axis < 0 ? axis + rank : axis);
}

Dims broadcast(const Dims& a, const Dims& b, const std::string& part) {
  const size_t rank = std::max(a.size(), b.size());
  Dims out(rank);
  for (size_t k = 0; k < rank; ++k) {
    const int64_t da = k < rank - a.size() ? 1 : a[k - (rank - a.size())];
    const int64_t db = k < rank - b.size() ? 1 : b[k - (rank - b.size())];
    if (da != db && da != 1 && db != 1) {
      throw NodeError(part, "shapes that broadcast", dims_text(a) + " and " + dims_text(b));
    }
    out[k] = da == 1 ? db : da;
  }
  return out;
}

Dims reshape(const Dims& in, const std::vector<int64_t>& shape, bool allowzero) {
  Dims out(shape.size());
  int inferred = -1;
  int64_t known = 1;
  for (size_t k = 0; k < shape.size(); ++k) {
    int64_t d = shape[k];
    if (d == 0 && !allowzero) {
      if (k >= in.size()) {
        throw NodeError("input 1 (shape)", "0 only where the input has a dim",
                        dims_text(shape) + " for " + dims_text(in));
      }
      d = in[k];
    }
    if (d == -1) {
      if (inferred >= 0) throw NodeError("input 1 (shape)", "at most one -1", dims_text(shape));
      inferred = int(k);
      continue;
    }
    if (d < 0) throw NodeError("input 1 (shape)", "dims >= -1", dims_text(shape));
    out[k] = d;
    // No product of a valid reshape exceeds the input's elements (at most 2^40).
    if (d > 0 && known > (int64_t(1) << 40) / d) {
      throw NodeError("input 1 (shape)", "a shape of at most 2^40 elements", dims_text(shape));
    }
    known *= d;
  }
  const int64_t total = element_count(in);
  if (inferred >= 0) {
    if (known == 0 || total % known != 0) {
      throw NodeError("input 1 (shape)", fmt::format("a shape of {} elements", total),
                      dims_text(shape) + " for " + dims_text(in));
    }
    out[inferred] = total / known;
  } else if (known != total) {
    throw NodeError("input 1 (shape)", fmt::format("a shape of {} elements", total),
                    dims_text(shape) + " for " + dims_text(in));
  }
  return out;
}

Dims transpose(const Dims& in, const std::vector<int64_t>& perm) {
  const int rank = int(in.size());
  std::vector<int64_t> p = perm;
  if (p.empty()) {
    for (int k = rank - 1; k >= 0; --k) p.push_back(k);
  }
  std::set<int64_t> seen(p.begin(), p.end());
  if (int(p.size()) != rank || int(seen.size()) != rank || *seen.begin() < 0 ||
      *seen.rbegin() >= rank) {
    throw NodeError("attribute 'perm'", fmt::format("a permutation of 0..{}", rank - 1),
                    dims_text(perm));
  }
  Dims out(rank);
  for (int k = 0; k < rank; ++k) out[k] = in[size_t(p[k])];
  return out;
}

Dims unsqueeze(const Dims& in, std::vector<int64_t> axes) {
  const int rank = int(in.size() + axes.size());
  for (auto& a : axes) a = normalize_axis(a, rank, "axes");
  std::sort(axes.begin(), axes.end());
  if (std::adjacent_find(axes.begin(), axes.end()) != axes.end()) {
    throw NodeError("axes", "distinct axes", dims_text(axes));
  }
  Dims out;
  size_t next = 0, a = 0;
  for (int k = 0; k < rank; ++k) {
    if (a < axes.size() && axes[a] == k) {
      out.push_back(1);
      ++a;
    } else {
      out.push_back(in[next++]);
    }
  }
  return out;
}

Dims squeeze(const Dims& in, const std::vector<int64_t>& axes) {
  const int rank = int(in.size());
  std::set<int> drop;
  for (int64_t a : axes) {
    const int k = normalize_axis(a, rank, "axes");
    if (in[k] != 1) {
      throw NodeError("axes", fmt::format("axes of size 1 in {}", dims_text(in)),
                      std::to_string(a));
    }
    drop.insert(k);
  }
  Dims out;
  for (int k = 0; k < rank; ++k) {
    const bool squeezed = axes.empty() ? in[k] == 1 : drop.count(k) > 0;
    if (!squeezed) out.push_back(in[k]);
  }
  return out;
}

Dims flatten(const Dims& in, int64_t axis) {
  const int rank = int(in.size());
  if (axis < -rank || axis > rank) {
    throw NodeError("attribute 'axis'", fmt::format("in [{}, {}]", -rank, rank),
                    std::to_string(axis));
  }
  const int a = int(axis < 0 ? axis + rank : axis);
  int64_t outer = 1, inner = 1;
  for (int k = 0; k < rank; ++k) (k < a ? outer : inner) *= in[k];
  return {outer, inner};
}

Dims concat(const std::vector<Dims>& inputs, int64_t axis) {
  const Dims& first = inputs.at(0);
  const int rank = int(first.size());
  const int a = normalize_axis(axis, rank, "attribute 'axis'");
  Dims out = first;
  out[a] = 0;
  for (const Dims& d : inputs) {
    bool same = int(d.size()) == rank;
    for (int k = 0; same && k < rank; ++k) same = k == a || d[k] == first[k];
    if (!same) {
      throw NodeError("inputs", fmt::format("shapes equal but for axis {}", a),
                      dims_text(first) + " and " + dims_text(d));
    }
    out[a] += d[a];
  }
  return out;
}

SliceSpec slice(const Dims& in, const std::vector<int64_t>& starts,
                const std::vector<int64_t>& ends, const std::vector<int64_t>& axes_in,
                const std::vector<int64_t>& steps_in) {
  const int rank = int(in.size());
  std::vector<int64_t> axes = axes_in;
  if (axes.empty()) {
    for (size_t k = 0; k < starts.size(); ++k) axes.push_back(int64_t(k));
  }
  std::vector<int64_t> steps = steps_in;
  if (steps.empty()) steps.assign(starts.size(), 1);
  if (ends.size() != starts.size() || axes.size() != starts.size() ||
      steps.size() != starts.size()) {
    throw NodeError(
        "inputs (starts, ends, axes, steps)", "the same number of values",
        fmt::format("{}, {}, {}, {}", starts.size(), ends.size(), axes.size(), steps.size()));
  }
  SliceSpec s;
  s.out = in;
  s.start.assign(in.size(), 0);
  s.step.assign(in.size(), 1);
  std::set<int> seen;
  for (size_t k = 0; k < starts.size(); ++k) {
    const int a = normalize_axis(axes[k], rank, "input 3 (axes)");
    if (!seen.insert(a).second) throw NodeError("input 3 (axes)", "distinct axes", dims_text(axes));
    const int64_t dim = in[a], step = steps[k];
    if (step == 0) throw NodeError("input 4 (steps)", "non-zero steps", dims_text(steps));
    auto clampi = [](int64_t v, int64_t lo, int64_t hi) { return std::min(std::max(v, lo), hi); };
    int64_t start = starts[k] < 0 ? starts[k] + dim : starts[k];
    int64_t end = ends[k] < 0 ? ends[k] + dim : ends[k];
    int64_t count;
    if (step > 0) {
      start = clampi(start, 0, dim);
      end = clampi(end, 0, dim);
      count = end > start ? (end - start + step - 1) / step : 0;
    } else {
      start = clampi(start, 0, dim - 1);
      end = clampi(end, -1, dim - 1);
      count = start > end ? (start - end + (-step) - 1) / (-step) : 0;
    }
    s.out[a] = count;
    s.start[a] = start;
    s.step[a] = step;
  }
  return s;
}

Dims gather(const Dims& in, const Dims& indices_dims, int64_t axis) {
  const int a = normalize_axis(axis, int(in.size()), "attribute 'axis'");
  Dims out(in.begin(), in.begin() + a);
  out.insert(out.end(), indices_dims.begin(), indices_dims.end());
  out.insert(out.end(), in.begin() + a + 1, in.end());
  return out;
}

Dims expand(const Dims& in, const std::vector<int64_t>& shape) {
  return broadcast(in, shape, "input 1 (shape)");
}

Dims reduce(const Dims& in, const std::vector<int64_t>& axes, bool keepdims) {
  const int rank = int(in.size());
  std::set<int> reduced;
  for (int64_t a : axes) reduced.insert(normalize_axis(a, rank, "axes"));
  Dims out;
  for (int k = 0; k < rank; ++k) {
    const bool r = axes.empty() || reduced.count(k) > 0;
    if (!r) {
      out.push_back(in[k]);
    } else if (keepdims) {
      out.push_back(1);
    }
  }
  return out;
}

std::vector<int64_t> strides_of(const Dims& dims) {
  std::vector<int64_t> s(dims.size(), 1);
  for (int k = int(dims.size()) - 2; k >= 0; --k) s[k] = s[k + 1] * dims[k + 1];
  return s;
}

}  // namespace haqsim::onnx_import
