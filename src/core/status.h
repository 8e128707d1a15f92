#pragma once

// Errors as values. A Status carries a Kubernetes-style reason (which fixes the HTTP code and
// the `reason` field of a Kubernetes `Status` body) and a message that names the file, line,
// field or object concerned. Status is cheap to copy; an OK status holds no allocation.

#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace kstack {

// The reasons of metav1.StatusReason that kstack produces. kOk is the absence of an error.
enum class Reason {
  kOk,
  kBadRequest,            // 400 BadRequest
  kUnauthorized,          // 401 Unauthorized
  kForbidden,             // 403 Forbidden
  kNotFound,              // 404 NotFound
  kMethodNotAllowed,      // 405 MethodNotAllowed
  kNotAcceptable,         // 406 NotAcceptable
  kAlreadyExists,         // 409 AlreadyExists
  kConflict,              // 409 Conflict
  kGone,                  // 410 Gone
  kExpired,               // 410 Expired (a resourceVersion older than the kept history)
  kRequestEntityTooLarge, // 413 RequestEntityTooLarge
  kUnsupportedMediaType,  // 415 UnsupportedMediaType
  kInvalid,               // 422 Invalid
  kTooManyRequests,       // 429 TooManyRequests
  kInternal,              // 500 InternalError
  kUnavailable,           // 503 ServiceUnavailable
  kTimeout,               // 504 Timeout
};

// The `reason` string Kubernetes uses ("NotFound", "InternalError", ...); "" for kOk.
std::string_view ReasonName(Reason reason);
// The HTTP status code of the reason; 200 for kOk.
int HttpCode(Reason reason);

// One entry of StatusDetails.causes, e.g. a field that failed validation.
struct StatusCause {
  std::string type;     // "FieldValueInvalid", "FieldValueRequired", ...
  std::string message;
  std::string field;    // "spec.replicas"
};

// What the error is about; mirrors metav1.StatusDetails.
struct StatusDetails {
  std::string name;
  std::string group;
  std::string kind;
  std::vector<StatusCause> causes;
  int retry_after_seconds = 0;
};

class [[nodiscard]] Status {
 public:
  Status() = default;  // OK
  Status(Reason reason, std::string message);
  Status(Reason reason, std::string message, StatusDetails details);

  static Status Ok() { return Status(); }

  bool ok() const { return reason_ == Reason::kOk; }
  Reason reason() const { return reason_; }
  const std::string& message() const { return message_; }
  int code() const { return HttpCode(reason_); }
  // Null when the error has no details.
  const StatusDetails* details() const { return details_.get(); }

  // "NotFound: configmaps \"x\" not found"; "OK" when ok.
  std::string ToString() const;

  // A copy whose message is prefixed with `context: `.
  Status WithContext(std::string_view context) const;

  // Explicitly drops an error that the caller decided not to handle.
  void IgnoreError() const {}

  friend bool operator==(const Status& a, const Status& b) {
    return a.reason_ == b.reason_ && a.message_ == b.message_;
  }

 private:
  Reason reason_ = Reason::kOk;
  std::string message_;
  std::shared_ptr<const StatusDetails> details_;
};

// Shorthands for the common reasons.
Status BadRequestError(std::string message);
Status NotFoundError(std::string message);
Status AlreadyExistsError(std::string message);
Status ConflictError(std::string message);
Status InvalidError(std::string message);
Status ForbiddenError(std::string message);
Status GoneError(std::string message);
Status ExpiredError(std::string message);
Status TimeoutError(std::string message);
Status UnavailableError(std::string message);
Status InternalError(std::string message);

}  // namespace kstack

// Returns the Status of `expr` from the enclosing function when it is an error.
#define KSTACK_RETURN_IF_ERROR(expr)                  \
  do {                                                \
    ::kstack::Status kstack_status_ = (expr);         \
    if (!kstack_status_.ok()) return kstack_status_;  \
  } while (0)
