#include "git/url.h"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <filesystem>

namespace kstack::git {
namespace {

std::string Lower(std::string_view s) {
  std::string out(s);
  std::transform(out.begin(), out.end(), out.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return out;
}

// Drops trailing slashes and one ".git" suffix; never empties a bare "/".
std::string TrimRepoPath(std::string path) {
  while (path.size() > 1 && path.back() == '/') path.pop_back();
  if (path.size() > 4 && path.ends_with(".git")) path.resize(path.size() - 4);
  while (path.size() > 1 && path.back() == '/') path.pop_back();
  return path;
}

int DefaultPort(Transport t) {
  switch (t) {
    case Transport::kGit:
      return 9418;
    case Transport::kHttp:
      return 80;
    case Transport::kHttps:
      return 443;
    case Transport::kSsh:
      return 22;
    case Transport::kLocal:
      return 0;
  }
  return 0;
}

Result<RepoUrl> ParseLocal(std::string_view path, std::string_view original) {
  if (path.empty())
    return InvalidError("repository URL \"" + std::string(original) + "\" has no path");
  std::error_code ec;
  std::filesystem::path abs = std::filesystem::absolute(std::filesystem::path(path), ec);
  if (ec) {
    return InvalidError("repository path \"" + std::string(path) + "\": " + ec.message());
  }
  std::string normal = abs.lexically_normal().string();
  RepoUrl url;
  url.transport = Transport::kLocal;
  url.fetch_url = normal;
  url.display = std::string(original);
  url.normalized = "file://" + TrimRepoPath(normal);
  return url;
}

// scheme://[user[:password]@]host[:port]/path
Result<RepoUrl> ParseWithScheme(std::string_view scheme, std::string_view rest,
                                std::string_view original) {
  RepoUrl url;
  if (scheme == "git") {
    url.transport = Transport::kGit;
  } else if (scheme == "http") {
    url.transport = Transport::kHttp;
  } else if (scheme == "https") {
    url.transport = Transport::kHttps;
  } else if (scheme == "ssh" || scheme == "git+ssh" || scheme == "ssh+git") {
    url.transport = Transport::kSsh;
  } else {
    return InvalidError("repository URL \"" + std::string(original) + "\": unsupported scheme \"" +
                        std::string(scheme) + "\" (want file, git, http, https or ssh)");
  }
  size_t slash = rest.find('/');
  std::string_view authority = rest.substr(0, slash);
  std::string path = slash == std::string_view::npos ? "/" : std::string(rest.substr(slash));
  size_t at = authority.rfind('@');
  if (at != std::string_view::npos) {
    std::string_view userinfo = authority.substr(0, at);
    url.user = std::string(userinfo.substr(0, userinfo.find(':')));
    authority = authority.substr(at + 1);
  }
  std::string_view host = authority;
  std::string_view port;
  if (!host.empty() && host.front() == '[') {  // [v6]:port
    size_t close = host.find(']');
    if (close == std::string_view::npos) {
      return InvalidError("repository URL \"" + std::string(original) + "\": malformed host");
    }
    if (close + 1 < host.size() && host[close + 1] == ':') port = host.substr(close + 2);
    host = host.substr(0, close + 1);
  } else if (size_t colon = host.rfind(':'); colon != std::string_view::npos) {
    port = host.substr(colon + 1);
    host = host.substr(0, colon);
  }
  if (host.empty()) {
    return InvalidError("repository URL \"" + std::string(original) + "\" has no host");
  }
  if (port.empty() && !authority.empty() && authority.back() == ':') {
    return InvalidError("repository URL \"" + std::string(original) + "\": empty port");
  }
  if (!port.empty()) {
    auto [end, ec] = std::from_chars(port.data(), port.data() + port.size(), url.port);
    if (ec != std::errc() || end != port.data() + port.size() || url.port <= 0 ||
        url.port > 65535) {
      return InvalidError("repository URL \"" + std::string(original) + "\": malformed port \"" +
                          std::string(port) + "\"");
    }
  }
  if (url.port == DefaultPort(url.transport)) url.port = 0;
  url.host = Lower(host);
  url.fetch_url = std::string(original);
  url.display = std::string(original);
  if (at != std::string_view::npos && original.ends_with(rest)) {
    std::string_view userinfo = rest.substr(0, at);
    if (size_t colon = userinfo.find(':'); colon != std::string_view::npos) {
      size_t prefix = original.size() - rest.size();
      url.display = std::string(original.substr(0, prefix + colon + 1)) + "***" +
                    std::string(original.substr(prefix + at));
    }
  }
  std::string normalized_scheme = url.transport == Transport::kSsh ? "ssh" : std::string(scheme);
  url.normalized = normalized_scheme;
  url.normalized += "://";
  if (url.transport == Transport::kSsh && !url.user.empty())
    url.normalized.append(url.user).append(1, '@');
  url.normalized += url.host;
  if (url.port != 0) url.normalized.append(1, ':').append(std::to_string(url.port));
  url.normalized += TrimRepoPath(path);
  return url;
}

// user@host:path, as git reads it: no "://", and a ':' before any '/'.
bool IsScpLike(std::string_view s) {
  size_t colon = s.find(':');
  if (colon == std::string_view::npos || colon == 0) return false;
  size_t slash = s.find('/');
  return slash == std::string_view::npos || colon < slash;
}

}  // namespace

std::string_view TransportName(Transport transport) {
  switch (transport) {
    case Transport::kLocal:
      return "file";
    case Transport::kGit:
      return "git";
    case Transport::kHttp:
      return "http";
    case Transport::kHttps:
      return "https";
    case Transport::kSsh:
      return "ssh";
  }
  return "file";
}

Result<RepoUrl> ParseRepoUrl(std::string_view url) {
  if (url.empty()) return InvalidError("repository URL is empty");
  size_t sep = url.find("://");
  if (sep != std::string_view::npos) {
    std::string scheme = Lower(url.substr(0, sep));
    std::string_view rest = url.substr(sep + 3);
    if (scheme == "file") {
      size_t slash = rest.find('/');
      std::string_view host = rest.substr(0, slash);
      if (!host.empty() && Lower(host) != "localhost") {
        return InvalidError("repository URL \"" + std::string(url) +
                            "\": file URLs with a remote host are not supported");
      }
      if (slash == std::string_view::npos) {
        return InvalidError("repository URL \"" + std::string(url) + "\" has no path");
      }
      return ParseLocal(rest.substr(slash), url);
    }
    return ParseWithScheme(scheme, rest, url);
  }
  if (IsScpLike(url)) {
    size_t colon = url.find(':');
    std::string_view authority = url.substr(0, colon);
    std::string_view path = url.substr(colon + 1);
    KSTACK_ASSIGN_OR_RETURN(
        RepoUrl parsed,
        ParseWithScheme(
            "ssh", std::string(authority) + (path.starts_with('/') ? "" : "/") + std::string(path),
            url));
    parsed.fetch_url = std::string(url);
    parsed.display = std::string(url);
    return parsed;
  }
  return ParseLocal(url, url);
}

std::string NormalizeRepoUrl(std::string_view url) {
  Result<RepoUrl> parsed = ParseRepoUrl(url);
  return parsed.ok() ? parsed->normalized : std::string(url);
}

}  // namespace kstack::git
