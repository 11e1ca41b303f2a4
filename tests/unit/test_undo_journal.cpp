#include <doctest/doctest.h>

#include <filesystem>
#include <string>

#include <sys/stat.h>
#include <unistd.h>

#include "core/routes/undo_journal.hpp"
#include "core/routes/undo_journal_file.hpp"

using namespace n2nkit::routes;

namespace {

constexpr std::uint32_t ip(unsigned a, unsigned b, unsigned c, unsigned d) {
  return a << 24 | b << 16 | c << 8 | d;
}

Change added(const Ipv4Route& r, const char* by = "add") {
  Change c;
  c.kind = ChangeKind::route_added;
  c.by = by;
  c.route = KernelRoute{r, 4, 0, 0};
  c.dev = "n2n0";
  return c;
}

}  // namespace

TEST_CASE("undo journal: changes come back from their JSON exactly, undo runs newest first") {
  UndoJournal j;
  const auto a = j.record(added({ip(10, 10, 10, 0), 24, ip(10, 20, 30, 254), 7, 0}));
  Change rep;
  rep.kind = ChangeKind::route_replaced;
  rep.by = "add";
  rep.route = KernelRoute{{ip(192, 168, 5, 0), 24, ip(10, 20, 30, 254), 7, 0}, 4, 0, 0};
  rep.dev = "n2n0";
  rep.before =
      KernelRoute{{ip(192, 168, 5, 0), 24, ip(198, 19, 0, 1), 2, 0}, 3, 0, ip(198, 19, 0, 11)};
  rep.before_dev = "eth0";
  const auto b = j.record(rep);
  Change sys;
  sys.kind = ChangeKind::sysctl_set;
  sys.by = "gateway";
  sys.key = "net.ipv4.ip_forward";
  sys.before_value = "0";
  sys.after_value = "1";
  j.record(sys);
  Change fw;
  fw.kind = ChangeKind::firewall_applied;
  fw.by = "gateway";
  fw.firewall = {{"owner", "gateway"}, {"backend", "nft"}};
  j.record(fw);
  CHECK(b == a + 1);

  std::string error;
  const auto back = UndoJournal::from_text(j.to_text(), error);
  REQUIRE(back);
  CHECK(back->to_text() == j.to_text());
  REQUIRE(back->changes().size() == 4);
  CHECK(back->changes()[1].before == rep.before);
  CHECK(back->changes()[1].before_dev == "eth0");
  CHECK(back->changes()[2].before_value == "0");
  CHECK(back->changes()[3].firewall["backend"] == "nft");
  const auto order = back->undo_order();
  CHECK(order.front().kind == ChangeKind::firewall_applied);
  CHECK(order.back().id == a);
}

TEST_CASE("undo journal: lookups by route, sysctl and firewall owner; forget; ids stay unique") {
  UndoJournal j;
  const Ipv4Route r{ip(10, 10, 10, 0), 24, ip(10, 20, 30, 254), 7, 0};
  const auto id = j.record(added(r));
  CHECK(j.route_change(r) != nullptr);
  // The metric is the kernel's business; destination, gateway and device identify the route.
  CHECK(j.route_change({ip(10, 10, 10, 0), 24, ip(10, 20, 30, 254), 7, 9}) != nullptr);
  CHECK(j.route_change({ip(10, 10, 10, 0), 24, ip(10, 20, 30, 1), 7, 0}) == nullptr);
  CHECK(j.sysctl_change("net.ipv4.ip_forward") == nullptr);
  CHECK(j.firewall_change("gateway") == nullptr);
  CHECK(j.forget(id));
  CHECK_FALSE(j.forget(id));
  CHECK(j.empty());
  CHECK(j.record(added(r)) == id + 1);
  std::string error;
  auto back = UndoJournal::from_text(j.to_text(), error);
  REQUIRE(back);
  CHECK(back->record(added(r)) == id + 2);
}

TEST_CASE("undo journal: damaged text is one line of error, never a crash") {
  std::string error;
  CHECK_FALSE(UndoJournal::from_text("", error));
  CHECK(error.find("damaged") != std::string::npos);
  CHECK_FALSE(
      UndoJournal::from_text("{\"version\":1,\"next_id\":1,\"changes\":[{\"id\":1,"
                             "\"kind\":\"teleport\",\"by\":\"add\"}]}",
                             error));
  CHECK(error.find("teleport") != std::string::npos);
  CHECK_FALSE(UndoJournal::from_text("{\"version\":9,\"next_id\":1,\"changes\":[]}", error));
  CHECK_FALSE(UndoJournal::from_text(
      "{\"version\":1,\"next_id\":1,\"changes\":[{\"id\":1,\"kind\":\"route_added\",\"by\":"
      "\"add\",\"route\":{\"dst\":\"10.0.0.300\"}}]}",
      error));
  CHECK(error.find('\n') == std::string::npos);
}

TEST_CASE("undo journal file: a 0700 directory, saved atomically, removed when empty") {
  const auto dir =
      std::filesystem::temp_directory_path() / ("n2nkit-journal-" + std::to_string(::getpid()));
  std::filesystem::remove_all(dir);
  std::string error;
  {
    auto ro = JournalFile::open(dir.string(), false, error);
    REQUIRE(ro);
    UndoJournal j;
    CHECK(ro->load(j, error));  // nothing there: an empty journal
    CHECK(j.empty());
    CHECK_FALSE(std::filesystem::exists(dir));  // a read creates nothing
  }
  auto f = JournalFile::open(dir.string(), true, error);
  REQUIRE(f);
  struct stat st {};
  REQUIRE(::stat(dir.c_str(), &st) == 0);
  CHECK((st.st_mode & 0777) == 0700);
  UndoJournal j;
  j.record(added({ip(10, 10, 10, 0), 24, ip(10, 20, 30, 254), 7, 0}));
  REQUIRE(f->save(j, error));
  UndoJournal back;
  REQUIRE(f->load(back, error));
  CHECK(back.to_text() == j.to_text());
  CHECK_FALSE(std::filesystem::exists(f->path() + ".new"));
  back.forget(back.changes().front().id);
  REQUIRE(f->save(back, error));
  CHECK_FALSE(std::filesystem::exists(f->path()));
  std::filesystem::remove_all(dir);
}

TEST_CASE("undo journal file: a state directory others may write to is refused") {
  const auto dir = std::filesystem::temp_directory_path() /
                   ("n2nkit-journal-open-" + std::to_string(::getpid()));
  std::filesystem::remove_all(dir);
  std::filesystem::create_directory(dir);
  ::chmod(dir.c_str(), 0777);
  std::string error;
  CHECK_FALSE(JournalFile::open(dir.string(), true, error));
  CHECK(error.find("0700") != std::string::npos);
  std::filesystem::remove_all(dir);
}
