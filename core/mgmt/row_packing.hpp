#pragma once
// Several reply rows in one datagram, for a client that asked for it with kFlagPackedRows
// (request.hpp). A packed datagram is rows one after the other, each a line of its own (the
// row's trailing "\n" ends it, no raw newline inside), so a client splits it at "\n" and reads
// each line as it reads a one-row datagram. begin, end and error stay datagrams of their own.
#include <cstddef>
#include <string>
#include <vector>

namespace n2nkit::mgmt {

// 16,000 bytes: Linux 6.1 charges such a loopback datagram 16,640 bytes of receive buffer (4%
// over), where 16,384 already costs 17,216 and 8,000 costs as much as 16,000. A default
// 212,992-byte buffer holds 12 of them, and 10,000 edges rows (about 2.3 MB) take 150
// datagrams instead of 10,000.
inline constexpr std::size_t kMaxPackedDatagram = 16000;

// Joins whole rows (each ending in "\n") into datagrams of at most `limit` bytes, in order. A
// row is never split: one longer than `limit` goes alone.
std::vector<std::string> pack_rows(std::vector<std::string> rows, std::size_t limit);

}  // namespace n2nkit::mgmt
