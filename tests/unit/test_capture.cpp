#include <doctest/doctest.h>

#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <fstream>

#include "core/capture/pcap_source.hpp"
#include "core/capture/pcap_writer.hpp"
#include "core/packet/frame_builder.hpp"

using namespace n2nkit;
using namespace n2nkit::capture;

namespace {
std::string temp_path(const char* name) {
  return (std::filesystem::temp_directory_path() /
          (std::string("n2nkit-test-") + std::to_string(getpid()) + "-" + name))
      .string();
}
}  // namespace

TEST_CASE("written captures read back frame by frame") {
  const auto path = temp_path("roundtrip.pcap");
  std::string error;
  {
    auto w = PcapWriter::create(path, error);
    REQUIRE_MESSAGE(w, error);
    for (int i = 0; i < 3; ++i) {
      const ByteVector payload(static_cast<std::size_t>(10 + i), 0xab);
      w->write(1000.5 + i, packet::udp_over_ethernet({}, {}, 1, 2, 3, 4, payload));
    }
  }
  auto r = PcapSource::open_file(path, error);
  REQUIRE_MESSAGE(r, error);
  CapturedFrame f;
  int n = 0;
  while (r->next(f) == NextStatus::frame) {
    CHECK(f.linktype == 1);
    CHECK(f.time == doctest::Approx(1000.5 + n));
    CHECK(f.data.size() == 14 + 20 + 8 + 10 + static_cast<std::size_t>(n));
    ++n;
  }
  CHECK(n == 3);
  std::filesystem::remove(path);
}

TEST_CASE("a truncated capture is an error naming the file, after the good frames") {
  const auto path = temp_path("truncated.pcap");
  std::string error;
  {
    auto w = PcapWriter::create(path, error);
    REQUIRE(w);
    w->write(1, packet::udp_over_ethernet({}, {}, 1, 2, 3, 4, ByteVector(100, 1)));
    w->write(2, packet::udp_over_ethernet({}, {}, 1, 2, 3, 4, ByteVector(100, 2)));
  }
  std::filesystem::resize_file(path, std::filesystem::file_size(path) - 50);
  auto r = PcapSource::open_file(path, error);
  REQUIRE(r);
  CapturedFrame f;
  CHECK(r->next(f) == NextStatus::frame);
  CHECK(r->next(f) == NextStatus::error);
  CHECK(r->error().find(path) != std::string::npos);
  std::filesystem::remove(path);
}

TEST_CASE("unreadable and non-capture files are refused with the file name") {
  std::string error;
  CHECK_FALSE(PcapSource::open_file("/nonexistent/x.pcap", error));
  CHECK(error.find("/nonexistent/x.pcap") != std::string::npos);
  const auto path = temp_path("garbage.pcap");
  std::ofstream(path) << "this is not a capture file at all, just text";
  CHECK_FALSE(PcapSource::open_file(path, error));
  CHECK(error.find(path) != std::string::npos);
  std::filesystem::remove(path);
}
