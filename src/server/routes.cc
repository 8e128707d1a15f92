#include "server/internal/routes.h"

#include <string_view>

#include "core/build_info.h"
#include "core/status_json.h"

namespace kstack::server::internal {
namespace {

constexpr std::string_view kJson = "application/json";

std::string_view PathOf(std::string_view target) {
  size_t q = target.find('?');
  return q == std::string_view::npos ? target : target.substr(0, q);
}

constexpr std::string_view Platform() {
#if defined(__x86_64__)
  return "linux/amd64";
#elif defined(__aarch64__)
  return "linux/arm64";
#else
  return "linux/unknown";
#endif
}

Response StatusResponse(const Status& status) {
  Response r{.code = status.code(), .content_type = std::string(kJson)};
  r.body = WriteJson(StatusToJson(status));
  return r;
}

Response JsonResponse(const Json& value) {
  // Kubernetes indents the JSON of its non-resource endpoints such as /version.
  return Response{
      .code = 200, .content_type = std::string(kJson), .body = WriteJson(value, {.indent = 2})};
}

Response HealthResponse() {
  return Response{
      .code = 200,
      .content_type = "text/plain; charset=utf-8",
      .body = "ok",
      .headers = {{"Cache-Control", "no-cache, private"}, {"X-Content-Type-Options", "nosniff"}}};
}

bool IsHealthPath(std::string_view path) {
  return path == "/livez" || path == "/readyz" || path == "/healthz";
}

bool IsReadMethod(std::string_view method) { return method == "GET" || method == "HEAD"; }

Response MethodNotAllowed() {
  return StatusResponse(Status(Reason::kMethodNotAllowed,
                               "the server does not allow this method on the requested resource",
                               StatusDetails{}));
}

}  // namespace

Json VersionInfo() {
  // "v1.32.0" -> major "1", minor "32".
  std::string_view version = kKubernetesVersion;
  std::string_view numbers = version.substr(version.starts_with('v') ? 1 : 0);
  size_t dot = numbers.find('.');
  size_t dot2 = numbers.find('.', dot == std::string_view::npos ? dot : dot + 1);
  JsonObject info;
  info["major"] = std::string(numbers.substr(0, dot));
  info["minor"] = dot == std::string_view::npos
                      ? std::string()
                      : std::string(numbers.substr(dot + 1, dot2 - dot - 1));
  info["gitVersion"] = kKubernetesVersion;
  info["gitCommit"] = "";
  info["gitTreeState"] = "";
  info["buildDate"] = "";
  info["goVersion"] = "";
  info["compiler"] = std::string("kstack-") + kVersion;
  info["platform"] = Platform();
  return info;
}

Response Route(const Request& request) {
  std::string_view path = PathOf(request.target);
  if (IsHealthPath(path)) {
    return IsReadMethod(request.method) ? HealthResponse() : MethodNotAllowed();
  }
  if (!request.identity.authenticated) {
    return StatusResponse(Status(Reason::kUnauthorized, "Unauthorized"));
  }
  if (path == "/version") {
    return IsReadMethod(request.method) ? JsonResponse(VersionInfo()) : MethodNotAllowed();
  }
  return StatusResponse(Status(
      Reason::kNotFound, "the server could not find the requested resource", StatusDetails{}));
}

}  // namespace kstack::server::internal
