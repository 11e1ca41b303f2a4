#pragma once
// Bounds-checked reading from a byte view. Every read either succeeds completely or fails
// and leaves the reader in the failed state; decoders check ok() (or each return value) and
// never touch memory past the end.
#include <cstring>

#include "core/common/bytes.hpp"

namespace n2nkit {

class SpanReader {
 public:
  explicit SpanReader(ByteView data) : data_(data) {}

  bool ok() const { return ok_; }
  std::size_t position() const { return pos_; }
  std::size_t remaining() const { return ok_ ? data_.size() - pos_ : 0; }
  ByteView rest() const { return ok_ ? data_.subspan(pos_) : ByteView{}; }

  bool u8(std::uint8_t& out) {
    if (!need(1)) return false;
    out = data_[pos_++];
    return true;
  }
  bool be16(std::uint16_t& out) {
    if (!need(2)) return false;
    out = load_be16(data_.data() + pos_);
    pos_ += 2;
    return true;
  }
  bool be32(std::uint32_t& out) {
    if (!need(4)) return false;
    out = load_be32(data_.data() + pos_);
    pos_ += 4;
    return true;
  }
  bool bytes(std::span<std::uint8_t> out) {
    if (!need(out.size())) return false;
    if (!out.empty()) std::memcpy(out.data(), data_.data() + pos_, out.size());
    pos_ += out.size();
    return true;
  }
  // A view of the next n bytes, consumed.
  bool view(std::size_t n, ByteView& out) {
    if (!need(n)) return false;
    out = data_.subspan(pos_, n);
    pos_ += n;
    return true;
  }
  bool skip(std::size_t n) {
    if (!need(n)) return false;
    pos_ += n;
    return true;
  }

 private:
  bool need(std::size_t n) {
    if (!ok_ || data_.size() - pos_ < n) {
      ok_ = false;
      return false;
    }
    return true;
  }

  ByteView data_;
  std::size_t pos_ = 0;
  bool ok_ = true;
};

// Bounds-checked writing into a caller-provided buffer. Writes past the end fail and leave
// the writer in the failed state; size() is what was written.
class SpanWriter {
 public:
  explicit SpanWriter(MutableByteView buffer) : buf_(buffer) {}

  bool ok() const { return ok_; }
  std::size_t size() const { return pos_; }
  ByteView written() const { return ByteView{buf_.data(), pos_}; }

  bool u8(std::uint8_t v) {
    if (!need(1)) return false;
    buf_[pos_++] = v;
    return true;
  }
  bool be16(std::uint16_t v) {
    if (!need(2)) return false;
    store_be16(buf_.data() + pos_, v);
    pos_ += 2;
    return true;
  }
  bool be32(std::uint32_t v) {
    if (!need(4)) return false;
    store_be32(buf_.data() + pos_, v);
    pos_ += 4;
    return true;
  }
  bool bytes(ByteView v) {
    if (!need(v.size())) return false;
    if (!v.empty()) std::memcpy(buf_.data() + pos_, v.data(), v.size());
    pos_ += v.size();
    return true;
  }
  bool zeros(std::size_t n) {
    if (!need(n)) return false;
    std::memset(buf_.data() + pos_, 0, n);
    pos_ += n;
    return true;
  }

 private:
  bool need(std::size_t n) {
    if (!ok_ || buf_.size() - pos_ < n) {
      ok_ = false;
      return false;
    }
    return true;
  }

  MutableByteView buf_;
  std::size_t pos_ = 0;
  bool ok_ = true;
};

}  // namespace n2nkit
