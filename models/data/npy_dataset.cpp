#include "models/data/npy_dataset.h"

#include <fmt/format.h>

#include <cstring>
#include <fstream>
#include <xtensor/xnpy.hpp>

#include "base/input_error.h"

namespace haqsim {

namespace {

struct NpyArray {
  std::vector<size_t> shape;
  std::string type;  // numpy's type string: "|u1", "<i8", ...
  std::vector<char> bytes;
};

// The array in `path`: its header parsed by xtensor, its size checked against the file before
// the data is read.
NpyArray read_npy(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw InputError(InputLocation{path, 0, "", -1}, "cannot open file");
  in.seekg(0, std::ios::end);
  const int64_t file_size = int64_t(in.tellg());
  in.seekg(0);
  NpyArray a;
  bool fortran = false;
  int64_t header_end = 0;
  try {
    unsigned char major = 0, minor = 0;
    xt::detail::read_magic(in, &major, &minor);
    std::string header;
    if (major == 1 && minor == 0) {
      header = xt::detail::read_header_1_0(in);
    } else if (major == 2 && minor == 0) {
      header = xt::detail::read_header_2_0(in);
    } else {
      throw std::runtime_error(fmt::format("format version {}.{}", major, minor));
    }
    xt::detail::parse_header(header, a.type, &fortran, a.shape);
    header_end = int64_t(in.tellg());
  } catch (const std::exception& e) {
    throw InputError(InputLocation{path, 0, "", 0}, "a NumPy .npy header (version 1.0 or 2.0)",
                     e.what());
  }
  if (!in || header_end < 0) {
    throw InputError(InputLocation{path, 0, "", 0}, "a NumPy .npy header", "a truncated file");
  }
  if (fortran) {
    throw InputError(InputLocation{path, 0, "", 0}, "a C-order array", "fortran_order True");
  }
  const int width = a.type.size() >= 3 ? std::atoi(a.type.c_str() + 2) : 0;
  int64_t count = 1;
  for (size_t d : a.shape) {
    if (d > 0 && count > (int64_t(1) << 40) / int64_t(d)) {
      throw InputError(InputLocation{path, 0, "", 0}, "dims with a product below 2^40",
                       fmt::format("({})", fmt::join(a.shape, ", ")));
    }
    count *= int64_t(d);
  }
  if (width <= 0 || count * width > file_size - header_end) {
    throw InputError(InputLocation{path, 0, "", header_end},
                     fmt::format("{} bytes of '{}' values for shape ({})", count * width, a.type,
                                 fmt::join(a.shape, ", ")),
                     fmt::format("{} bytes", file_size - header_end));
  }
  a.bytes.resize(size_t(count * width));
  in.read(a.bytes.data(), std::streamsize(a.bytes.size()));
  return a;
}

}  // namespace

ImageDataset load_npy_dataset(const std::string& images_path, const std::string& labels_path) {
  const NpyArray images = read_npy(images_path);
  const NpyArray labels = read_npy(labels_path);
  if (images.type != "|u1" && images.type != "<u1") {
    throw InputError(InputLocation{images_path, 0, "", 0}, "uint8 pixels ('|u1')",
                     "'" + images.type + "'");
  }
  if (images.shape.size() != 3 && images.shape.size() != 4) {
    throw InputError(InputLocation{images_path, 0, "", 0}, "N x H x W or N x H x W x C",
                     fmt::format("shape ({})", fmt::join(images.shape, ", ")));
  }
  if (labels.shape.size() != 1 || labels.shape[0] != images.shape[0]) {
    throw InputError(
        InputLocation{labels_path, 0, "", 0},
        fmt::format("{} labels (as many as images in {})", images.shape[0], images_path),
        fmt::format("shape ({})", fmt::join(labels.shape, ", ")));
  }
  ImageDataset out;
  out.source = images_path;
  const int64_t n = int64_t(images.shape[0]);
  out.height = int(images.shape[1]);
  out.width = int(images.shape[2]);
  out.channels = images.shape.size() == 4 ? int(images.shape[3]) : 1;
  const int64_t plane = int64_t(out.height) * out.width;
  out.pixels.resize(images.bytes.size());
  // Interleaved (H x W x C) in the file, planar (C x H x W) in memory.
  for (int64_t i = 0; i < n; ++i) {
    for (int64_t p = 0; p < plane; ++p) {
      for (int c = 0; c < out.channels; ++c) {
        out.pixels[size_t((i * out.channels + c) * plane + p)] =
            uint8_t(images.bytes[size_t((i * plane + p) * out.channels + c)]);
      }
    }
  }
  out.labels.resize(size_t(n));
  const std::string& t = labels.type;
  const int width = std::atoi(t.c_str() + 2);
  const bool is_signed = t[1] == 'i';
  if ((t[1] != 'i' && t[1] != 'u') || (width != 1 && width != 4 && width != 8) ||
      (t[0] == '>' && width > 1)) {
    throw InputError(InputLocation{labels_path, 0, "", 0},
                     "integer labels (uint8, int32 or int64, little-endian)", "'" + t + "'");
  }
  for (int64_t i = 0; i < n; ++i) {
    const char* p = labels.bytes.data() + i * width;
    int64_t v = 0;
    if (width == 1) {
      v = is_signed ? int64_t(int8_t(*p)) : int64_t(uint8_t(*p));
    } else if (width == 4) {
      int32_t w;
      std::memcpy(&w, p, 4);
      v = w;
    } else {
      std::memcpy(&v, p, 8);
    }
    if (v < 0 || v > 255) {
      throw InputError(InputLocation{labels_path, 0, "", -1}, "labels 0..255",
                       fmt::format("{} (label {})", v, i));
    }
    out.labels[size_t(i)] = int32_t(v);
  }
  return out;
}

}  // namespace haqsim
