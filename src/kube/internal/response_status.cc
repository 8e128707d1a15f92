#include "kube/internal/response_status.h"

#include <string>

#include "core/json.h"

namespace kstack::kube::internal {
namespace {

Reason ReasonFromCode(int code) {
  switch (code) {
    case 400:
      return Reason::kBadRequest;
    case 401:
      return Reason::kUnauthorized;
    case 403:
      return Reason::kForbidden;
    case 404:
      return Reason::kNotFound;
    case 405:
      return Reason::kMethodNotAllowed;
    case 406:
      return Reason::kNotAcceptable;
    case 409:
      return Reason::kConflict;
    case 410:
      return Reason::kGone;
    case 413:
      return Reason::kRequestEntityTooLarge;
    case 415:
      return Reason::kUnsupportedMediaType;
    case 422:
      return Reason::kInvalid;
    case 429:
      return Reason::kTooManyRequests;
    case 503:
      return Reason::kUnavailable;
    case 504:
      return Reason::kTimeout;
    default:
      return code >= 400 && code < 500 ? Reason::kBadRequest : Reason::kInternal;
  }
}

Reason ReasonFromName(std::string_view name, int code) {
  static constexpr Reason kAll[] = {Reason::kBadRequest,
                                    Reason::kUnauthorized,
                                    Reason::kForbidden,
                                    Reason::kNotFound,
                                    Reason::kMethodNotAllowed,
                                    Reason::kNotAcceptable,
                                    Reason::kAlreadyExists,
                                    Reason::kConflict,
                                    Reason::kGone,
                                    Reason::kExpired,
                                    Reason::kRequestEntityTooLarge,
                                    Reason::kUnsupportedMediaType,
                                    Reason::kInvalid,
                                    Reason::kTooManyRequests,
                                    Reason::kInternal,
                                    Reason::kUnavailable,
                                    Reason::kTimeout};
  for (Reason r : kAll) {
    if (ReasonName(r) == name) return r;
  }
  // "ServerTimeout" is the server's own timeout; a client acts on it as on Timeout.
  if (name == "ServerTimeout") return Reason::kTimeout;
  return ReasonFromCode(code);
}

}  // namespace

Status StatusFromStatusObject(const Json& object, int fallback_code) {
  int code = fallback_code;
  if (const Json* c = FindMember(object, "code"); c && c->is_int64()) {
    code = static_cast<int>(c->as_int64());
  }
  Reason reason = ReasonFromName(FindString(object, "reason"), code);
  std::string message(FindString(object, "message"));
  if (message.empty()) message = std::string(ReasonName(reason));
  const Json* details = FindMember(object, "details");
  if (details == nullptr || !details->is_object()) return Status(reason, message);
  StatusDetails out;
  out.name = std::string(FindString(*details, "name"));
  out.group = std::string(FindString(*details, "group"));
  out.kind = std::string(FindString(*details, "kind"));
  if (const Json* retry = FindMember(*details, "retryAfterSeconds"); retry && retry->is_int64()) {
    out.retry_after_seconds = static_cast<int>(retry->as_int64());
  }
  if (const JsonArray* causes = FindArray(*details, "causes")) {
    for (const Json& cause : *causes) {
      out.causes.push_back({.type = std::string(FindString(cause, "reason")),
                            .message = std::string(FindString(cause, "message")),
                            .field = std::string(FindString(cause, "field"))});
    }
  }
  return Status(reason, message, std::move(out));
}

Status StatusFromResponse(int code, std::string_view body, std::string_view what) {
  Result<Json> parsed = ParseJson(body, "response");
  if (parsed.ok() && FindString(*parsed, "kind") == "Status") {
    return StatusFromStatusObject(*parsed, code);
  }
  std::string message = std::string(what) + ": the server answered " + std::to_string(code);
  std::string_view text = body.substr(0, 200);
  if (!text.empty()) message += ": " + std::string(text);
  return Status(ReasonFromCode(code), message);
}

}  // namespace kstack::kube::internal
