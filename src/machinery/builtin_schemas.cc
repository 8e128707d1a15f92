#include "machinery/builtin_schemas.h"

#include <cstdio>
#include <cstdlib>
#include <deque>
#include <string>
#include <unordered_map>
#include <vector>

namespace kstack::machinery {
namespace {

// The table; its format is described at its top.
constexpr std::string_view kData =
#include "machinery/builtin_schemas_data.inc"
    ;

struct KindEntry {
  std::string_view group, version, kind;
  const Schema* schema;
};

struct Builtins {
  SchemaSet set;
  std::vector<KindEntry> kinds;
};

// The table is generated and checked by tests, so a line it cannot read is a build defect.
[[noreturn]] void Corrupt(std::string_view line, const char* what) {
  std::fprintf(stderr, "builtin_schemas_data.inc: %s: %.*s\n", what, static_cast<int>(line.size()),
               line.data());
  std::abort();
}

// Splits `s` at the first occurrence of `sep`: the part before is returned, `s` keeps the rest
// (empty when there is no `sep`).
std::string_view Cut(std::string_view* s, char sep) {
  size_t at = s->find(sep);
  std::string_view head = s->substr(0, at);
  s->remove_prefix(at == std::string_view::npos ? s->size() : at + 1);
  return head;
}

std::vector<std::string> SplitList(std::string_view s) {
  std::vector<std::string> out;
  while (!s.empty()) out.emplace_back(Cut(&s, ','));
  return out;
}

std::string_view Package(std::string_view definition) {
  return definition.substr(0, definition.rfind('.'));
}

class Loader {
 public:
  explicit Loader(Builtins* out) : out_(out) {}

  void Load(std::string_view data) {
    // Every definition exists before any is filled, so references resolve in any order.
    std::vector<std::string_view> lines;
    while (!data.empty()) {
      std::string_view line = Cut(&data, '\n');
      if (line.empty()) continue;
      lines.push_back(line);
      if (line[0] == ' ') continue;
      std::string_view rest = line;
      std::string_view name = Cut(&rest, ' ');
      Schema* s = out_->set.Add();
      s->title = std::string(name);
      out_->set.Name(s->title, s);
      by_name_.emplace(name, s);
    }
    Schema* current = nullptr;
    std::string_view package;
    for (std::string_view line : lines) {
      if (line[0] != ' ') {
        std::string_view rest = line;
        std::string_view name = Cut(&rest, ' ');
        current = by_name_.at(name);
        package = Package(name);
        FillDefinition(line, rest, current);
        continue;
      }
      if (current == nullptr) Corrupt(line, "a property before any definition");
      std::string_view rest = line.substr(line.find_first_not_of(' '));
      std::string_view name = Cut(&rest, ' ');
      current->properties.emplace_back(std::string(name), Resolve(line, rest, package));
    }
    for (const Deferred& d : deferred_) {
      *d.copy = *d.definition;
      for (std::string_view attr : d.attributes) Apply(d.line, attr, d.copy);
    }
  }

 private:
  struct Deferred {
    std::string_view line;
    Schema* copy;
    const Schema* definition;
    std::vector<std::string_view> attributes;
  };

  static std::vector<std::string_view> Words(std::string_view s) {
    std::vector<std::string_view> words;
    while (!s.empty()) {
      std::string_view w = Cut(&s, ' ');
      if (!w.empty()) words.push_back(w);
    }
    return words;
  }

  Schema* Definition(std::string_view line, std::string_view ref, std::string_view package) {
    std::string full;
    if (ref.starts_with('.')) {
      full = std::string(package) + std::string(ref);
      ref = full;
    }
    auto it = by_name_.find(ref);
    if (it == by_name_.end()) Corrupt(line, "a reference to a missing definition");
    return it->second;
  }

  // Sets the type (and format) of `s` from a primitive type word.
  static void SetPrimitive(std::string_view line, std::string_view spec, Schema* s) {
    std::string_view type = Cut(&spec, ':');
    s->format = std::string(spec);
    if (type == "string") {
      s->type = Schema::Type::kString;
    } else if (type == "integer") {
      s->type = Schema::Type::kInteger;
    } else if (type == "number") {
      s->type = Schema::Type::kNumber;
    } else if (type == "boolean") {
      s->type = Schema::Type::kBoolean;
    } else if (type == "object") {
      s->type = Schema::Type::kObject;
    } else if (type == "any") {
      s->type = Schema::Type::kAny;
    } else {
      Corrupt(line, "an unknown type");
    }
  }

  void Apply(std::string_view line, std::string_view attr, Schema* s) {
    if (attr == "int-or-string") {
      s->int_or_string = true;
      return;
    }
    if (attr == "preserve-unknown-fields") {
      s->preserve_unknown_fields = true;
      return;
    }
    std::string_view value = attr;
    std::string_view key = Cut(&value, '=');
    if (key == "patch") {
      s->patch_strategy = std::string(value);
    } else if (key == "key") {
      s->patch_merge_key = std::string(value);
    } else if (key == "list") {
      s->list_type = std::string(value);
    } else if (key == "keys") {
      s->list_map_keys = SplitList(value);
    } else if (key == "map") {
      s->map_type = std::string(value);
    } else if (key == "required") {
      s->required = SplitList(value);
    } else if (key == "gvk") {
      size_t slash = value.rfind('/');
      if (slash == std::string_view::npos) Corrupt(line, "a gvk without a kind");
      std::string_view api_version = value.substr(0, slash);
      std::string_view kind = value.substr(slash + 1);
      size_t group_end = api_version.find('/');
      std::string_view group =
          group_end == std::string_view::npos ? "" : api_version.substr(0, group_end);
      std::string_view version =
          group_end == std::string_view::npos ? api_version : api_version.substr(group_end + 1);
      out_->kinds.push_back({group, version, kind, s});
    } else {
      Corrupt(line, "an unknown attribute");
    }
  }

  void FillDefinition(std::string_view line, std::string_view rest, Schema* s) {
    std::vector<std::string_view> words = Words(rest);
    if (words.empty()) Corrupt(line, "a definition without a type");
    SetPrimitive(line, words[0], s);
    for (size_t i = 1; i < words.size(); ++i) Apply(line, words[i], s);
  }

  // The schema of a <type> [attributes] text; identical texts share one schema.
  const Schema* Resolve(std::string_view line, std::string_view text, std::string_view package) {
    std::string_view key = text;
    std::string qualified;
    if (text.find("@.") != std::string_view::npos) {
      qualified = std::string(package) + "|" + std::string(text);
      key = qualified;
    }
    if (auto it = interned_.find(key); it != interned_.end()) return it->second;

    std::vector<std::string_view> words = Words(text);
    if (words.empty()) Corrupt(line, "a property without a type");
    std::string_view spec = words[0];
    std::vector<std::string_view> attributes(words.begin() + 1, words.end());
    const Schema* result;
    if (spec.starts_with('@')) {
      Schema* definition = Definition(line, spec.substr(1), package);
      if (attributes.empty()) {
        result = definition;
      } else {
        // Filled once every definition is.
        Schema* copy = out_->set.Add();
        deferred_.push_back({line, copy, definition, std::move(attributes)});
        result = copy;
      }
    } else {
      Schema* s = out_->set.Add();
      if (spec.starts_with("[]")) {
        s->type = Schema::Type::kArray;
        s->items = Resolve(line, spec.substr(2), package);
      } else if (spec.starts_with("{}")) {
        s->type = Schema::Type::kObject;
        s->additional_properties = Resolve(line, spec.substr(2), package);
      } else {
        SetPrimitive(line, spec, s);
      }
      for (std::string_view attr : attributes) Apply(line, attr, s);
      result = s;
    }
    // `qualified` dies here, so relative texts are keyed by a string the loader keeps.
    if (!qualified.empty()) key = keys_.emplace_back(std::move(qualified));
    interned_.emplace(key, result);
    return result;
  }

  Builtins* out_;
  std::unordered_map<std::string_view, Schema*> by_name_;
  std::unordered_map<std::string_view, const Schema*> interned_;
  std::deque<std::string> keys_;  // stable storage for interned keys built at run time
  std::vector<Deferred> deferred_;
};

const Builtins& Get() {
  static const Builtins* builtins = [] {
    auto* b = new Builtins();
    Loader(b).Load(kData);
    return b;
  }();
  return *builtins;
}

}  // namespace

const SchemaSet& BuiltinSchemas() { return Get().set; }

const Schema* BuiltinSchemaFor(std::string_view group, std::string_view version,
                               std::string_view kind) {
  for (const KindEntry& e : Get().kinds) {
    if (e.kind == kind && e.version == version && e.group == group) return e.schema;
  }
  return nullptr;
}

}  // namespace kstack::machinery
