#include "core/status.h"

#include <utility>

namespace kstack {

std::string_view ReasonName(Reason reason) {
  switch (reason) {
    case Reason::kOk: return "";
    case Reason::kBadRequest: return "BadRequest";
    case Reason::kUnauthorized: return "Unauthorized";
    case Reason::kForbidden: return "Forbidden";
    case Reason::kNotFound: return "NotFound";
    case Reason::kMethodNotAllowed: return "MethodNotAllowed";
    case Reason::kNotAcceptable: return "NotAcceptable";
    case Reason::kAlreadyExists: return "AlreadyExists";
    case Reason::kConflict: return "Conflict";
    case Reason::kGone: return "Gone";
    case Reason::kExpired: return "Expired";
    case Reason::kRequestEntityTooLarge: return "RequestEntityTooLarge";
    case Reason::kUnsupportedMediaType: return "UnsupportedMediaType";
    case Reason::kInvalid: return "Invalid";
    case Reason::kTooManyRequests: return "TooManyRequests";
    case Reason::kInternal: return "InternalError";
    case Reason::kUnavailable: return "ServiceUnavailable";
    case Reason::kTimeout: return "Timeout";
  }
  return "Unknown";
}

int HttpCode(Reason reason) {
  switch (reason) {
    case Reason::kOk: return 200;
    case Reason::kBadRequest: return 400;
    case Reason::kUnauthorized: return 401;
    case Reason::kForbidden: return 403;
    case Reason::kNotFound: return 404;
    case Reason::kMethodNotAllowed: return 405;
    case Reason::kNotAcceptable: return 406;
    case Reason::kAlreadyExists: return 409;
    case Reason::kConflict: return 409;
    case Reason::kGone: return 410;
    case Reason::kExpired: return 410;
    case Reason::kRequestEntityTooLarge: return 413;
    case Reason::kUnsupportedMediaType: return 415;
    case Reason::kInvalid: return 422;
    case Reason::kTooManyRequests: return 429;
    case Reason::kInternal: return 500;
    case Reason::kUnavailable: return 503;
    case Reason::kTimeout: return 504;
  }
  return 500;
}

Status::Status(Reason reason, std::string message)
    : reason_(reason), message_(std::move(message)) {}

Status::Status(Reason reason, std::string message, StatusDetails details)
    : reason_(reason),
      message_(std::move(message)),
      details_(std::make_shared<const StatusDetails>(std::move(details))) {}

std::string Status::ToString() const {
  if (ok()) {
    return "OK";
  }
  std::string out(ReasonName(reason_));
  out += ": ";
  out += message_;
  return out;
}

Status Status::WithContext(std::string_view context) const {
  if (ok()) {
    return *this;
  }
  Status copy = *this;
  copy.message_ = std::string(context) + ": " + message_;
  return copy;
}

Status BadRequestError(std::string m) { return Status(Reason::kBadRequest, std::move(m)); }
Status NotFoundError(std::string m) { return Status(Reason::kNotFound, std::move(m)); }
Status AlreadyExistsError(std::string m) { return Status(Reason::kAlreadyExists, std::move(m)); }
Status ConflictError(std::string m) { return Status(Reason::kConflict, std::move(m)); }
Status InvalidError(std::string m) { return Status(Reason::kInvalid, std::move(m)); }
Status ForbiddenError(std::string m) { return Status(Reason::kForbidden, std::move(m)); }
Status GoneError(std::string m) { return Status(Reason::kGone, std::move(m)); }
Status ExpiredError(std::string m) { return Status(Reason::kExpired, std::move(m)); }
Status TimeoutError(std::string m) { return Status(Reason::kTimeout, std::move(m)); }
Status UnavailableError(std::string m) { return Status(Reason::kUnavailable, std::move(m)); }
Status InternalError(std::string m) { return Status(Reason::kInternal, std::move(m)); }

}  // namespace kstack
