#include "tests/fuzz/fuzz_targets.h"

#include <onnx/onnx_pb.h>
#include <sys/mman.h>
#include <unistd.h>

#include <string>
#include <vector>

#include "base/input_error.h"
#include "base/yaml_input.h"
#include "models/data/idx_file.h"
#include "models/onnx/onnx_import.h"
#include "models/policy.h"
#include "models/workload.h"
#include "models/zoo.h"
#include "sim/common/arch_config.h"
#include "sim/registry.h"

namespace haqsim::fuzz {

void arch_config(const uint8_t* data, size_t size) {
  const std::string text(reinterpret_cast<const char*>(data), size);
  try {
    parse_arch_config(YamlInput::load_string(text, "fuzz.yaml"), text);
  } catch (const InputError&) {
  }
}

void policy(const uint8_t* data, size_t size) {
  // Built once: the zoo network is the same for every input.
  static const Network network = build_model("mobilenet_v1", NetworkSpec{});
  const std::string text(reinterpret_cast<const char*>(data), size);
  try {
    Policy::parse(text, "fuzz.yaml", network);
  } catch (const InputError&) {
  }
}

void idx(const uint8_t* data, size_t size) {
  try {
    parse_idx(std::vector<uint8_t>(data, data + size), "fuzz.idx");
  } catch (const InputError&) {
  }
  // The file path goes through zlib (gzip or raw); an in-memory file keeps it off the disk.
  const int fd = memfd_create("fuzz-idx", 0);
  if (fd < 0) return;
  if (write(fd, data, size) == static_cast<ssize_t>(size)) {
    try {
      read_idx_file("/proc/self/fd/" + std::to_string(fd));
    } catch (const InputError&) {
    }
  }
  close(fd);
}

void onnx_model(const uint8_t* data, size_t size) {
  const std::string bytes(reinterpret_cast<const char*>(data), size);
  // With the weights, at batch 1 (what eval and search import), and shapes only at batch 3 with
  // a symbolic size bound (what simulate imports); an accepted graph is then lowered for the
  // arrays and the host, which must not fail.
  try {
    import_onnx_bytes(bytes, "fuzz.onnx");
  } catch (const InputError&) {
  }
  try {
    OnnxImportOptions options;
    options.values = false;
    options.instance.default_batch = 3;
    options.instance.fallback_resolution = 17;
    const Network n = import_onnx_bytes(bytes, "fuzz.onnx", options).network;
    lower_network(n);
    lower_host_layers(n);
  } catch (const InputError&) {
  }
}

}  // namespace haqsim::fuzz
