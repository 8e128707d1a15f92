#include "git/internal/known_hosts.h"

#include "core/base64.h"

#include <algorithm>
#include <cctype>
#include <optional>
#include <string>
#include <vector>

namespace kstack::git::internal {
namespace {

std::vector<std::string_view> Fields(std::string_view line) {
  std::vector<std::string_view> fields;
  size_t i = 0;
  while (i < line.size()) {
    while (i < line.size() && std::isspace(static_cast<unsigned char>(line[i]))) ++i;
    size_t start = i;
    while (i < line.size() && !std::isspace(static_cast<unsigned char>(line[i]))) ++i;
    if (i > start) fields.push_back(line.substr(start, i - start));
  }
  return fields;
}

std::string Lower(std::string_view s) {
  std::string out(s);
  std::transform(out.begin(), out.end(), out.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return out;
}

bool HostListMatches(std::string_view patterns, const std::string& wanted) {
  size_t start = 0;
  while (start <= patterns.size()) {
    size_t comma = patterns.find(',', start);
    std::string_view one = patterns.substr(start, comma - start);
    if (Lower(one) == wanted) return true;
    if (comma == std::string_view::npos) break;
    start = comma + 1;
  }
  return false;
}

}  // namespace

bool KnownHostsAccept(std::string_view known_hosts, std::string_view host, int port,
                      std::string_view key_blob) {
  std::string wanted = Lower(host);
  if (port != 0 && port != 22) wanted = "[" + wanted + "]:" + std::to_string(port);
  size_t pos = 0;
  while (pos < known_hosts.size()) {
    size_t end = known_hosts.find('\n', pos);
    if (end == std::string_view::npos) end = known_hosts.size();
    std::string_view line = known_hosts.substr(pos, end - pos);
    pos = end + 1;
    std::vector<std::string_view> f = Fields(line);
    if (f.size() < 3 || f[0].starts_with('#') || f[0].starts_with('@')) continue;
    if (!HostListMatches(f[0], wanted)) continue;
    std::optional<std::string> blob = DecodeBase64(f[2]);
    if (blob && *blob == key_blob) return true;
  }
  return false;
}

}  // namespace kstack::git::internal
