// libnftables with output and errors captured, so that a failure is one line and nothing is
// printed behind the tool's back.
#include <fcntl.h>
#include <nftables/libnftables.h>
#include <unistd.h>

#include <memory>

#include "core/firewall/firewall_backends.hpp"

namespace n2nkit::firewall {
namespace {

struct CtxDeleter {
  void operator()(nft_ctx* c) const { nft_ctx_free(c); }
};
using Ctx = std::unique_ptr<nft_ctx, CtxDeleter>;

std::string first_error_line(const char* text) {
  if (text == nullptr) return "nftables failed without saying why";
  std::string s(text);
  // libnftables writes "Error: <what>" then the offending script line and a caret line.
  const auto nl = s.find('\n');
  if (nl != std::string::npos) s.resize(nl);
  return s.empty() ? "nftables failed without saying why" : s;
}

bool permission_text(const std::string& s) {
  return s.find("Operation not permitted") != std::string::npos ||
         s.find("Permission denied") != std::string::npos;
}

Outcome run(const std::string& script, bool json, std::string* out) {
  Outcome o;
  Ctx ctx(nft_ctx_new(NFT_CTX_DEFAULT));
  if (!ctx) {
    o.ok = false;
    o.error = "nftables: could not create a libnftables context";
    return o;
  }
  nft_ctx_buffer_output(ctx.get());
  nft_ctx_buffer_error(ctx.get());
  if (json) nft_ctx_output_set_flags(ctx.get(), NFT_CTX_OUTPUT_JSON);
  // Listing iptables-nft's tables makes libnftables print "XT target ... not found" straight to
  // stderr for what it cannot translate; the tool's own output must stay clean.
  const int saved_stderr = dup(STDERR_FILENO);
  if (saved_stderr >= 0) {
    const int null_fd = open("/dev/null", O_WRONLY | O_CLOEXEC);
    if (null_fd >= 0) {
      dup2(null_fd, STDERR_FILENO);
      close(null_fd);
    }
  }
  const int rc = nft_run_cmd_from_buffer(ctx.get(), script.c_str());
  if (saved_stderr >= 0) {
    dup2(saved_stderr, STDERR_FILENO);
    close(saved_stderr);
  }
  if (rc != 0) {
    o.ok = false;
    o.error = "nftables: " + first_error_line(nft_ctx_get_error_buffer(ctx.get()));
    o.permission = permission_text(o.error);
    if (o.permission) o.error += " (needs root or CAP_NET_ADMIN)";
    return o;
  }
  if (out != nullptr) {
    const char* text = nft_ctx_get_output_buffer(ctx.get());
    *out = text == nullptr ? std::string() : text;
  }
  return o;
}

}  // namespace

Outcome nft_run(const std::string& script) {
  return run(script, false, nullptr);
}

Outcome nft_list_json(const std::string& what, std::string& json_out) {
  return run("list " + what, true, &json_out);
}

}  // namespace n2nkit::firewall
