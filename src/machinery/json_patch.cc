#include "machinery/json_patch.h"

#include <fmt/format.h>

#include <charconv>

#include "machinery/json_pointer.h"

namespace kstack::machinery {
namespace {

// An array index token: digits without a leading zero ("-" is handled by the caller).
bool ParseIndex(std::string_view token, size_t* index) {
  if (token.empty() || (token.size() > 1 && token[0] == '0')) return false;
  auto r = std::from_chars(token.data(), token.data() + token.size(), *index);
  return r.ec == std::errc() && r.ptr == token.data() + token.size();
}

class Patcher {
 private:
  // Follows the first `count` tokens of `path` from the document root.
  Result<Json*> Walk(std::string_view path, const std::vector<std::string>& tokens,
                     size_t count) {
    Json* at = &doc_;
    for (size_t k = 0; k < count; ++k) {
      const std::string& t = tokens[k];
      if (JsonObject* obj = at->if_object()) {
        at = obj->if_contains(t);
        if (at == nullptr) return Error(path, fmt::format("key \"{}\" does not exist", t));
      } else if (JsonArray* arr = at->if_array()) {
        size_t i;
        if (!ParseIndex(t, &i) || i >= arr->size()) {
          return Error(path, fmt::format("index \"{}\" is out of range", t));
        }
        at = &(*arr)[i];
      } else {
        return Error(path, fmt::format("cannot look up \"{}\" in a {}", t, JsonKindName(*at)));
      }
    }
    return at;
  }

 public:
  Patcher(Json doc, size_t op_index, std::string_view op) : doc_(std::move(doc)) {
    context_ = fmt::format("operation {} ({})", op_index, op);
  }
  Json& doc() { return doc_; }

  Status Error(std::string_view path, std::string_view what) const {
    return InvalidError(fmt::format("{} at {}: {}", context_, path, what));
  }

  // The value at `path`, or an error naming it.
  Result<Json*> Find(std::string_view path) {
    KSTACK_ASSIGN_OR_RETURN(std::vector<std::string> tokens, ParseJsonPointer(path));
    return Walk(path, tokens, tokens.size());
  }

  // The container holding the last token of `path`, and that token.
  Result<std::pair<Json*, std::string>> Parent(std::string_view path) {
    KSTACK_ASSIGN_OR_RETURN(std::vector<std::string> tokens, ParseJsonPointer(path));
    if (tokens.empty()) return Error(path, "the whole document has no parent");
    KSTACK_ASSIGN_OR_RETURN(Json * parent, Walk(path, tokens, tokens.size() - 1));
    return std::make_pair(parent, std::move(tokens.back()));
  }

  Status Add(std::string_view path, Json value) {
    if (path.empty()) {
      doc_ = std::move(value);
      return Status::Ok();
    }
    KSTACK_ASSIGN_OR_RETURN(auto parent, Parent(path));
    if (JsonObject* obj = parent.first->if_object()) {
      obj->insert_or_assign(parent.second, std::move(value));
      return Status::Ok();
    }
    if (JsonArray* arr = parent.first->if_array()) {
      size_t i;
      if (parent.second == "-") {
        arr->push_back(std::move(value));
        return Status::Ok();
      }
      if (!ParseIndex(parent.second, &i) || i > arr->size()) {
        return Error(path, fmt::format("index \"{}\" is out of range", parent.second));
      }
      arr->insert(arr->begin() + static_cast<std::ptrdiff_t>(i), std::move(value));
      return Status::Ok();
    }
    return Error(path, fmt::format("cannot add to a {}", JsonKindName(*parent.first)));
  }

  Result<Json> Remove(std::string_view path) {
    if (path.empty()) return Error(path, "cannot remove the whole document");
    KSTACK_ASSIGN_OR_RETURN(auto parent, Parent(path));
    if (JsonObject* obj = parent.first->if_object()) {
      auto it = obj->find(parent.second);
      if (it == obj->end()) {
        return Error(path, fmt::format("key \"{}\" does not exist", parent.second));
      }
      Json removed = std::move(it->value());
      obj->erase(it);
      return removed;
    }
    if (JsonArray* arr = parent.first->if_array()) {
      size_t i;
      if (!ParseIndex(parent.second, &i) || i >= arr->size()) {
        return Error(path, fmt::format("index \"{}\" is out of range", parent.second));
      }
      Json removed = std::move((*arr)[i]);
      arr->erase(arr->begin() + static_cast<std::ptrdiff_t>(i));
      return removed;
    }
    return Error(path, fmt::format("cannot remove from a {}", JsonKindName(*parent.first)));
  }

 private:
  Json doc_;
  std::string context_;
};

Result<std::string_view> StringMember(const JsonObject& op, std::string_view key, size_t index,
                                      std::string_view name) {
  const Json* v = op.if_contains(key);
  if (v == nullptr || !v->is_string()) {
    return InvalidError(
        fmt::format("operation {} ({}): \"{}\" must be a string", index, name, key));
  }
  return std::string_view(v->get_string());
}

}  // namespace

Json ApplyMergePatch(const Json& target, const Json& patch) {
  const JsonObject* p = patch.if_object();
  if (p == nullptr) return patch;
  Json result = target.is_object() ? target : Json(JsonObject());
  JsonObject& out = result.get_object();
  for (const auto& kv : *p) {
    if (kv.value().is_null()) {
      out.erase(kv.key());
      continue;
    }
    const Json* existing = out.if_contains(kv.key());
    out.insert_or_assign(kv.key(),
                         ApplyMergePatch(existing ? *existing : Json(nullptr), kv.value()));
  }
  return result;
}

Result<Json> ApplyJsonPatch(const Json& target, const Json& patch) {
  const JsonArray* ops = patch.if_array();
  if (ops == nullptr) {
    return BadRequestError(fmt::format("a JSON patch must be a list of operations (got {})",
                                       JsonKindName(patch)));
  }
  Json doc = target;
  for (size_t index = 0; index < ops->size(); ++index) {
    const JsonObject* op = (*ops)[index].if_object();
    if (op == nullptr) {
      return BadRequestError(fmt::format("operation {} must be an object", index));
    }
    KSTACK_ASSIGN_OR_RETURN(std::string_view name, StringMember(*op, "op", index, "?"));
    KSTACK_ASSIGN_OR_RETURN(std::string_view path, StringMember(*op, "path", index, name));
    Patcher p(std::move(doc), index, name);
    const Json* value = op->if_contains("value");
    auto need_value = [&]() -> Status {
      if (value == nullptr) return p.Error(path, "\"value\" is missing");
      return Status::Ok();
    };
    if (name == "add") {
      KSTACK_RETURN_IF_ERROR(need_value());
      KSTACK_RETURN_IF_ERROR(p.Add(path, *value));
    } else if (name == "remove") {
      KSTACK_RETURN_IF_ERROR(p.Remove(path).status());
    } else if (name == "replace") {
      KSTACK_RETURN_IF_ERROR(need_value());
      KSTACK_ASSIGN_OR_RETURN(Json * at, p.Find(path));
      *at = *value;
    } else if (name == "move" || name == "copy") {
      KSTACK_ASSIGN_OR_RETURN(std::string_view from, StringMember(*op, "from", index, name));
      if (name == "move" && path.size() > from.size() && path.substr(0, from.size()) == from &&
          path[from.size()] == '/') {
        return p.Error(path, fmt::format("cannot move \"{}\" into itself", from));
      }
      Json moved;
      if (name == "move") {
        KSTACK_ASSIGN_OR_RETURN(moved, p.Remove(from));
      } else {
        KSTACK_ASSIGN_OR_RETURN(Json * source, p.Find(from));
        moved = *source;
      }
      KSTACK_RETURN_IF_ERROR(p.Add(path, std::move(moved)));
    } else if (name == "test") {
      KSTACK_RETURN_IF_ERROR(need_value());
      KSTACK_ASSIGN_OR_RETURN(Json * at, p.Find(path));
      if (*at != *value) {
        return p.Error(path, fmt::format("value is {}, not {}", WriteJson(*at), WriteJson(*value)));
      }
    } else {
      return BadRequestError(fmt::format("operation {}: unknown op \"{}\"", index, name));
    }
    doc = std::move(p.doc());
  }
  return doc;
}

}  // namespace kstack::machinery
