// Width-independent access to the ports of a verilated (--cc) model.
//
// Verilator gives a port a C++ type that depends on its width: CData (<= 8 bits), SData (<= 16),
// IData (<= 32), QData (<= 64) or VlWide<words> (wider, 32-bit words, least significant first).
// The harnesses address packed-array ports by bit offset ("row i starts at bit i*Dk"), so they
// go through these helpers and work for every parameter variant, whatever width a port ends up
// with. Only for harness .cpp files that already include a verilated header.
#pragma once

#include <verilated.h>

#include <cstddef>
#include <cstdint>

namespace haqsim::rtl::ports {

// 32-bit word `i` of a port (bits [32*i, 32*i+32)).
template <std::size_t Words>
inline uint32_t get_word(const VlWide<Words>& port, std::size_t i) {
  return port[i];
}
template <std::size_t Words>
inline void set_word(VlWide<Words>& port, std::size_t i, uint32_t value) {
  port[i] = value;
}
template <class Narrow>
inline uint32_t get_word(const Narrow& port, std::size_t i) {
  static_assert(sizeof(Narrow) <= 8, "verilated ports are CData, SData, IData, QData or VlWide");
  return static_cast<uint32_t>(static_cast<uint64_t>(port) >> (32 * i));
}
template <class Narrow>
inline void set_word(Narrow& port, std::size_t i, uint32_t value) {
  static_assert(sizeof(Narrow) <= 8, "verilated ports are CData, SData, IData, QData or VlWide");
  const uint64_t shifted = static_cast<uint64_t>(value) << (32 * i);
  const uint64_t mask = static_cast<uint64_t>(0xffffffffu) << (32 * i);
  port = static_cast<Narrow>((static_cast<uint64_t>(port) & ~mask) | shifted);
}

// Writes bits [offset, offset + count) of `port` from `src` (bit b of the field is bit b % 64 of
// src[b / 64]). Fast when offset and count are multiples of 32, which every harness layout is
// for the built variants; other layouts work bit-exactly, just more slowly.
template <class Port>
inline void write_bits(Port& port, std::size_t offset, const uint64_t* src, std::size_t count) {
  if (offset % 32 == 0 && count % 32 == 0) {
    const std::size_t first = offset / 32;
    for (std::size_t w = 0; w < count / 32; ++w) {
      set_word(port, first + w, static_cast<uint32_t>(src[w / 2] >> (32 * (w % 2))));
    }
    return;
  }
  for (std::size_t b = 0; b < count; ++b) {
    const std::size_t dst = offset + b;
    const uint32_t bit = static_cast<uint32_t>(src[b / 64] >> (b % 64)) & 1u;
    const uint32_t word = get_word(port, dst / 32);
    set_word(port, dst / 32, (word & ~(1u << (dst % 32))) | (bit << (dst % 32)));
  }
}

// Bit `b` of a port.
template <class Port>
inline bool get_bit(const Port& port, std::size_t b) {
  return (get_word(port, b / 32) >> (b % 32)) & 1u;
}

// Sets bits [0, count) of a port (count <= 64, the port's width) to the low bits of `value`.
template <std::size_t Words>
inline void set_low_bits(VlWide<Words>& port, uint64_t value, std::size_t count) {
  write_bits(port, 0, &value, count);
}
template <class Narrow>
inline void set_low_bits(Narrow& port, uint64_t value, std::size_t count) {
  const uint64_t mask = count >= 64 ? ~uint64_t{0} : (uint64_t{1} << count) - 1;
  port = static_cast<Narrow>(value & mask);
}

}  // namespace haqsim::rtl::ports
