// Reading one ONNX node's attributes, and the error a node's content raises: what the importer
// expected of an attribute or input and what it found. The importer adds the file and the node
// (its name, or `#index OpType` for an unnamed one) when it reports it.
#pragma once

#include <onnx/onnx_pb.h>

#include <cstdint>
#include <stdexcept>
#include <string>
#include <vector>

namespace haqsim::onnx_import {

// `part` is the attribute or input concerned ("attribute 'dilations'", "input 1 (W)").
struct NodeError : std::runtime_error {
  NodeError(std::string part, std::string expected, std::string found)
      : std::runtime_error(part + ": expected " + expected + ", found " + found),
        part(std::move(part)),
        expected(std::move(expected)),
        found(std::move(found)) {}
  std::string part, expected, found;
  bool unsupported = false;  // a valid model using what haqsim does not support
};

// A valid ONNX construct haqsim does not take (as opposed to a malformed one).
inline NodeError unsupported(std::string part, std::string expected, std::string found) {
  NodeError e(std::move(part), std::move(expected), std::move(found));
  e.unsupported = true;
  return e;
}

inline const onnx::AttributeProto* find_attribute(const onnx::NodeProto& node,
                                                  const std::string& name) {
  for (const auto& a : node.attribute()) {
    if (a.name() == name) return &a;
  }
  return nullptr;
}

inline std::vector<int64_t> ints_attribute(const onnx::NodeProto& node, const std::string& name,
                                           std::vector<int64_t> fallback = {}) {
  const auto* a = find_attribute(node, name);
  return a ? std::vector<int64_t>(a->ints().begin(), a->ints().end()) : fallback;
}

inline bool has_attribute(const onnx::NodeProto& node, const std::string& name) {
  return find_attribute(node, name) != nullptr;
}

inline int64_t int_attribute(const onnx::NodeProto& node, const std::string& name,
                             int64_t fallback) {
  const auto* a = find_attribute(node, name);
  return a ? a->i() : fallback;
}

inline float float_attribute(const onnx::NodeProto& node, const std::string& name, float fallback) {
  const auto* a = find_attribute(node, name);
  return a ? a->f() : fallback;
}

inline std::string string_attribute(const onnx::NodeProto& node, const std::string& name,
                                    std::string fallback) {
  const auto* a = find_attribute(node, name);
  return a ? a->s() : fallback;
}

// Input k is present (ONNX marks an omitted optional input with an empty name).
inline bool has_input(const onnx::NodeProto& node, int k) {
  return k < node.input_size() && !node.input(k).empty();
}

}  // namespace haqsim::onnx_import
