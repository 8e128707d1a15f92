// Sprig's path functions (Go's path and path/filepath on Linux, which agree) and URL functions
// (urlParse, urlJoin after net/url).

#include <vector>

#include "template/sprig/util.h"

namespace kstack::tmpl::sprig {
namespace {

// path.Clean.
std::string Clean(const std::string& p) {
  if (p.empty()) return ".";
  bool rooted = p[0] == '/';
  std::vector<std::string> parts;
  size_t i = 0;
  while (i < p.size()) {
    size_t j = p.find('/', i);
    if (j == std::string::npos) j = p.size();
    std::string part = p.substr(i, j - i);
    i = j + 1;
    if (part.empty() || part == ".") continue;
    if (part == "..") {
      if (!parts.empty() && parts.back() != "..") {
        parts.pop_back();
      } else if (!rooted) {
        parts.push_back("..");
      }
      continue;
    }
    parts.push_back(part);
  }
  std::string out = rooted ? "/" : "";
  for (size_t k = 0; k < parts.size(); ++k) {
    if (k > 0) out += "/";
    out += parts[k];
  }
  return out.empty() ? "." : out;
}

std::string Base(std::string p) {
  if (p.empty()) return ".";
  while (p.size() > 1 && p.back() == '/') p.pop_back();
  if (p == "/") return "/";
  size_t slash = p.rfind('/');
  if (slash != std::string::npos) p = p.substr(slash + 1);
  return p.empty() ? "/" : p;
}

std::string Dir(const std::string& p) {
  size_t slash = p.rfind('/');
  std::string dir = slash == std::string::npos ? "" : p.substr(0, slash + 1);
  return Clean(dir);
}

std::string Ext(const std::string& p) {
  for (size_t i = p.size(); i > 0; --i) {
    if (p[i - 1] == '/') break;
    if (p[i - 1] == '.') return p.substr(i - 1);
  }
  return "";
}

// net/url's escaping of a path (EscapedPath when RawPath is not set).
std::string EscapePath(const std::string& s, bool fragment) {
  std::string out;
  for (unsigned char c : s) {
    bool keep = std::isalnum(c) || std::strchr("-_.~$&+,/:;=@", c) ||
                (fragment && std::strchr("!()*?'", c)) || (!fragment && std::strchr("!()*'", c));
    if (c == 0) keep = false;
    if (keep) {
      out += static_cast<char>(c);
    } else {
      char buf[4];
      std::snprintf(buf, sizeof(buf), "%%%02X", c);
      out += buf;
    }
  }
  return out;
}

}  // namespace

void AddPaths(FuncMap* m) {
  for (std::string prefix : {"", "os"}) {
    auto name = [&](const char* n) {
      std::string s = n;
      if (prefix.empty()) return s;
      s[0] = static_cast<char>(std::toupper(s[0]));
      return prefix + s;
    };
    m->Add(name("base"), Fn({P::kString}, [](CallContext&, Args a) -> FuncResult {
      return Str(Base(a[0].string_value()));
    }));
    m->Add(name("dir"), Fn({P::kString}, [](CallContext&, Args a) -> FuncResult {
      return Str(Dir(a[0].string_value()));
    }));
    m->Add(name("clean"), Fn({P::kString}, [](CallContext&, Args a) -> FuncResult {
      return Str(Clean(a[0].string_value()));
    }));
    m->Add(name("ext"), Fn({P::kString}, [](CallContext&, Args a) -> FuncResult {
      return Str(Ext(a[0].string_value()));
    }));
    m->Add(name("isAbs"), Fn({P::kString}, [](CallContext&, Args a) -> FuncResult {
      return Value::Bool(!a[0].string_value().empty() && a[0].string_value()[0] == '/');
    }));
  }
  m->Add("urlParse", Fn({P::kString}, [](CallContext&, Args a) -> FuncResult {
    std::string s = a[0].string_value();
    Map out;
    std::string fragment, query, scheme, opaque, userinfo, host, path;
    if (size_t h = s.find('#'); h != std::string::npos) {
      fragment = s.substr(h + 1);
      s = s.substr(0, h);
    }
    size_t colon = s.find(':');
    if (colon != std::string::npos && colon > 0 && std::isalpha(static_cast<unsigned char>(s[0])) &&
        s.find_first_of("/?") > colon) {
      scheme = s.substr(0, colon);
      for (char& c : scheme) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
      s = s.substr(colon + 1);
    }
    if (size_t q = s.find('?'); q != std::string::npos) {
      query = s.substr(q + 1);
      s = s.substr(0, q);
    }
    if (!scheme.empty() && !s.empty() && s[0] != '/') {
      opaque = s;
    } else if (s.rfind("//", 0) == 0) {
      std::string rest = s.substr(2);
      size_t slash = rest.find('/');
      std::string authority = rest.substr(0, slash);
      path = slash == std::string::npos ? "" : rest.substr(slash);
      if (size_t at = authority.rfind('@'); at != std::string::npos) {
        userinfo = authority.substr(0, at);
        authority = authority.substr(at + 1);
      }
      host = authority;
    } else {
      path = s;
    }
    std::string hostname = host;
    if (!hostname.empty() && hostname[0] == '[') {
      hostname = hostname.substr(1, hostname.find(']') - 1);
    } else if (size_t c = hostname.rfind(':'); c != std::string::npos) {
      hostname = hostname.substr(0, c);
    }
    out.emplace("scheme", Str(scheme));
    out.emplace("host", Str(host));
    out.emplace("hostname", Str(hostname));
    out.emplace("path", Str(path));
    out.emplace("query", Str(query));
    out.emplace("opaque", Str(opaque));
    out.emplace("fragment", Str(fragment));
    out.emplace("userinfo", Str(userinfo));
    return Value::MakeMap(std::move(out));
  }));
  m->Add("urlJoin", Fn({P::kMap}, [](CallContext&, Args a) -> FuncResult {
    auto get = [&](const char* key) -> std::string {
      if (!a[0].map()) return "";
      auto it = a[0].map()->find(key);
      return it == a[0].map()->end() ? "" : StrVal(it->second);
    };
    std::string out;
    std::string scheme = get("scheme"), opaque = get("opaque"), host = get("host");
    std::string userinfo = get("userinfo"), path = get("path"), query = get("query");
    std::string fragment = get("fragment");
    if (!scheme.empty()) out += scheme + ":";
    if (!opaque.empty()) {
      out += opaque;
    } else {
      if (!scheme.empty() || !host.empty() || !userinfo.empty()) {
        if (!host.empty() || !path.empty() || !userinfo.empty()) out += "//";
        if (!userinfo.empty()) out += userinfo + "@";
        out += host;
      }
      if (!path.empty() && path[0] != '/' && !host.empty()) out += "/";
      out += EscapePath(path, false);
    }
    if (!query.empty()) out += "?" + query;
    if (!fragment.empty()) out += "#" + EscapePath(fragment, true);
    return Str(out);
  }));
}

}  // namespace kstack::tmpl::sprig
