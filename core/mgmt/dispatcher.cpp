#include "core/mgmt/dispatcher.hpp"

#include "core/mgmt/row_packing.hpp"

namespace n2nkit::mgmt {

std::vector<Fields> help_rows(Daemon daemon) {
  std::vector<Fields> rows;
  for (const Method& m : methods(daemon)) {
    rows.push_back(Fields{Field("cmd", m.name), Field("help", m.help)});
  }
  return rows;
}

std::vector<std::string> answer(Daemon daemon, const ParsedRequest& request,
                                MethodHandler& handler) {
  if (const auto* err = std::get_if<RequestError>(&request)) {
    return {error_reply(err->tag, err->code)};
  }
  const auto* req = std::get_if<JsonRequest>(&request);
  if (req == nullptr || req->type == RequestType::subscribe || req->method_info == nullptr) {
    return {};
  }
  const Method& method = *req->method_info;

  MethodReply result;
  if (method.id == MethodId::help) {
    result.rows = help_rows(daemon);
  } else if (method.reserved) {
    result.error = ErrorCode::unimplemented;
  } else if (method.access == Access::write_only && req->type != RequestType::write) {
    result.error = ErrorCode::writeonly;
  } else {
    result = handler.call(method.id, *req);
  }

  std::vector<std::string> out;
  out.reserve(result.rows.size() + 3);
  out.push_back(begin_reply(req->tag, req->method));
  if (req->packed_rows) {
    std::vector<std::string> rows;
    rows.reserve(result.rows.size());
    for (const Fields& row : result.rows) rows.push_back(packed_row_reply(req->tag, row));
    for (std::string& d : pack_rows(std::move(rows), kMaxPackedDatagram)) {
      out.push_back(std::move(d));
    }
  } else {
    for (const Fields& row : result.rows) out.push_back(row_reply(req->tag, row));
  }
  if (result.error) out.push_back(error_reply(req->tag, *result.error));
  out.push_back(end_reply(daemon, req->tag, req->method));
  return out;
}

}  // namespace n2nkit::mgmt
