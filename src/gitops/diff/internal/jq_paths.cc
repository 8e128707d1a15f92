#include "gitops/diff/internal/jq_paths.h"

#include <fmt/format.h>

#include <cmath>
#include <mutex>

extern "C" {
#include <jq.h>
#include <jv.h>
}

namespace kstack::gitops::diff::internal {
namespace {

std::mutex& JqLock() {
  static std::mutex* lock = new std::mutex();
  return *lock;
}

// Takes ownership of `v`.
std::string TakeText(jv v) {
  std::string out;
  if (jv_get_kind(v) == JV_KIND_STRING) {
    out.assign(jv_string_value(v), static_cast<size_t>(jv_string_length_bytes(jv_copy(v))));
    jv_free(v);
    return out;
  }
  jv dumped = jv_dump_string(v, 0);  // consumes v
  out.assign(jv_string_value(dumped), static_cast<size_t>(jv_string_length_bytes(jv_copy(dumped))));
  jv_free(dumped);
  return out;
}

void CollectMessage(void* data, jv message) {
  auto* messages = static_cast<std::vector<std::string>*>(data);
  messages->push_back(TakeText(message));
}

jv ToJv(const Json& v) {
  switch (v.kind()) {
    case boost::json::kind::null:
      return jv_null();
    case boost::json::kind::bool_:
      return jv_bool(v.get_bool());
    case boost::json::kind::int64:
      return jv_number(static_cast<double>(v.get_int64()));
    case boost::json::kind::uint64:
      return jv_number(static_cast<double>(v.get_uint64()));
    case boost::json::kind::double_:
      return jv_number(v.get_double());
    case boost::json::kind::string:
      return jv_string_sized(v.get_string().data(), static_cast<int>(v.get_string().size()));
    case boost::json::kind::array: {
      jv out = jv_array();
      for (const Json& item : v.get_array()) out = jv_array_append(out, ToJv(item));
      return out;
    }
    case boost::json::kind::object: {
      jv out = jv_object();
      for (const auto& member : v.get_object()) {
        out = jv_object_set(
            out, jv_string_sized(member.key().data(), static_cast<int>(member.key().size())),
            ToJv(member.value()));
      }
      return out;
    }
  }
  return jv_null();
}

// A path as jq reports it: an array of strings and numbers. Takes ownership of `v`.
bool ToPath(jv v, Path* out) {
  bool ok = jv_get_kind(v) == JV_KIND_ARRAY;
  int n = ok ? jv_array_length(jv_copy(v)) : 0;
  for (int i = 0; ok && i < n; ++i) {
    jv step = jv_array_get(jv_copy(v), i);
    if (jv_get_kind(step) == JV_KIND_STRING) {
      out->emplace_back(std::string(jv_string_value(step),
                                    static_cast<size_t>(jv_string_length_bytes(jv_copy(step)))));
    } else if (jv_get_kind(step) == JV_KIND_NUMBER) {
      double d = jv_number_value(step);
      ok = std::floor(d) == d;
      if (ok) out->emplace_back(static_cast<int64_t>(d));
    } else {
      ok = false;  // slices ({"start":..,"end":..}) and the like: not something to remove
    }
    jv_free(step);
  }
  jv_free(v);
  return ok;
}

}  // namespace

struct JqPathExpression::State {
  jq_state* jq = nullptr;
  std::vector<std::string> messages;
};

Result<std::shared_ptr<const JqPathExpression>> JqPathExpression::Compile(
    std::string_view expression) {
  std::shared_ptr<JqPathExpression> out(new JqPathExpression(std::string(expression)));
  std::lock_guard<std::mutex> hold(JqLock());
  out->state_ = new State();
  out->state_->jq = jq_init();
  if (out->state_->jq == nullptr) return InternalError("jq: cannot initialise libjq");
  jq_set_error_cb(out->state_->jq, CollectMessage, &out->state_->messages);
  // On a line of its own, so that a comment at the end of the expression ends there.
  std::string program = fmt::format("path({}\n)", expression);
  if (!jq_compile(out->state_->jq, program.c_str())) {
    std::string message;
    for (const std::string& m : out->state_->messages) {
      if (!message.empty()) message += "; ";
      message += m;
    }
    return InvalidError(
        fmt::format("jq path expression \"{}\" does not compile: {}", expression, message));
  }
  out->state_->messages.clear();
  return std::shared_ptr<const JqPathExpression>(std::move(out));
}

JqPathExpression::~JqPathExpression() {
  if (state_ == nullptr) return;
  std::lock_guard<std::mutex> hold(JqLock());
  if (state_->jq != nullptr) jq_teardown(&state_->jq);
  delete state_;
}

Result<std::vector<Path>> JqPathExpression::Paths(const Json& doc) const {
  std::vector<Path> paths;
  std::lock_guard<std::mutex> hold(JqLock());
  jq_start(state_->jq, ToJv(doc), 0);
  while (true) {
    jv result = jq_next(state_->jq);
    if (jv_is_valid(result)) {
      Path path;
      if (ToPath(result, &path)) paths.push_back(std::move(path));
      continue;
    }
    if (!jv_invalid_has_msg(jv_copy(result))) {
      jv_free(result);
      break;
    }
    std::string message = TakeText(jv_invalid_get_msg(result));
    state_->messages.clear();
    return InvalidError(fmt::format("jq path expression \"{}\": {}", expression_, message));
  }
  return paths;
}

}  // namespace kstack::gitops::diff::internal
