// kstack admin git resolve|ls|cat: what the git module computes, printed for people and tests.
//   kstack admin git resolve URL REVISION         the commit SHA the revision names
//   kstack admin git ls URL REVISION [PATH] [-r]  the entries of a directory of that commit
//   kstack admin git cat URL REVISION PATH        the bytes of a file of that commit

#include <fmt/core.h>

#include <CLI/CLI.hpp>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <sstream>

#include "cli/commands.h"
#include "git/repository_cache.h"

namespace kstack::cli {
namespace {

struct GitOptions {
  std::string cache_dir;
  std::string url;
  std::string revision;
  std::string path;
  bool recursive = false;
  bool offline = false;
  std::string username;
  std::string password_env;
  std::string ssh_key_file;
  std::string known_hosts_file;
  bool insecure = false;
};

std::string DefaultCacheDir() {
  const char* xdg = std::getenv("XDG_CACHE_HOME");
  if (xdg != nullptr && xdg[0] != '\0') return std::string(xdg) + "/kstack/git";
  const char* home = std::getenv("HOME");
  return std::string(home != nullptr ? home : ".") + "/.cache/kstack/git";
}

bool ReadWholeFile(const std::string& path, std::string* out) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return false;
  std::ostringstream ss;
  ss << in.rdbuf();
  *out = ss.str();
  return true;
}

int Fail(const Status& status) {
  fmt::print(stderr, "error: {}\n", status.ToString());
  return 1;
}

// Opens the cache and resolves the revision; prints the error and returns false on failure.
bool Prepare(const GitOptions& o, std::unique_ptr<git::RepositoryCache>* cache, std::string* commit,
             int* exit_code) {
  git::Source source{.url = o.url};
  source.credentials.username = o.username;
  source.credentials.insecure = o.insecure;
  if (!o.password_env.empty()) {
    const char* password = std::getenv(o.password_env.c_str());
    if (password == nullptr) {
      fmt::print(stderr, "error: environment variable {} is not set\n", o.password_env);
      *exit_code = 1;
      return false;
    }
    source.credentials.password = password;
  }
  for (auto [file, field] : {std::pair{&o.ssh_key_file, &source.credentials.ssh_private_key},
                             std::pair{&o.known_hosts_file, &source.credentials.ssh_known_hosts}}) {
    if (!file->empty() && !ReadWholeFile(*file, field)) {
      fmt::print(stderr, "error: {}: cannot read the file\n", *file);
      *exit_code = 1;
      return false;
    }
  }
  auto opened = git::RepositoryCache::Open(o.cache_dir.empty() ? DefaultCacheDir() : o.cache_dir);
  if (!opened.ok()) {
    *exit_code = Fail(opened.status());
    return false;
  }
  *cache = std::move(*opened);
  auto sha = (*cache)->Resolve(source, o.revision,
                               o.offline ? git::FetchPolicy::kNever : git::FetchPolicy::kAlways);
  if (!sha.ok()) {
    *exit_code = Fail(sha.status());
    return false;
  }
  *commit = *sha;
  return true;
}

std::string_view TypeName(git::EntryType type) {
  switch (type) {
    case git::EntryType::kFile:
      return "blob";
    case git::EntryType::kDirectory:
      return "tree";
    case git::EntryType::kSymlink:
      return "link";
    case git::EntryType::kSubmodule:
      return "commit";
  }
  return "blob";
}

int Resolve(const GitOptions& o) {
  std::unique_ptr<git::RepositoryCache> cache;
  std::string commit;
  int exit_code = 0;
  if (!Prepare(o, &cache, &commit, &exit_code)) return exit_code;
  fmt::print("{}\n", commit);
  return 0;
}

int List(const GitOptions& o) {
  std::unique_ptr<git::RepositoryCache> cache;
  std::string commit;
  int exit_code = 0;
  if (!Prepare(o, &cache, &commit, &exit_code)) return exit_code;
  auto entries = cache->ListTree(o.url, commit, o.path, o.recursive);
  if (!entries.ok()) return Fail(entries.status());
  std::string out;
  for (const git::TreeEntry& e : *entries) {
    // The layout of `git ls-tree`: mode, type, id, a tab, the path.
    std::string_view mode = e.type == git::EntryType::kDirectory   ? "040000"
                            : e.type == git::EntryType::kSymlink   ? "120000"
                            : e.type == git::EntryType::kSubmodule ? "160000"
                            : e.executable                         ? "100755"
                                                                   : "100644";
    out += fmt::format("{} {} {}\t{}\n", mode, TypeName(e.type), e.id, e.path);
  }
  fwrite(out.data(), 1, out.size(), stdout);
  return 0;
}

int Cat(const GitOptions& o) {
  std::unique_ptr<git::RepositoryCache> cache;
  std::string commit;
  int exit_code = 0;
  if (!Prepare(o, &cache, &commit, &exit_code)) return exit_code;
  auto bytes = cache->ReadFile(o.url, commit, o.path);
  if (!bytes.ok()) return Fail(bytes.status());
  fwrite(bytes->data(), 1, bytes->size(), stdout);
  return 0;
}

void AddCommonOptions(CLI::App* cmd, GitOptions* o) {
  cmd->add_option("--cache-dir", o->cache_dir,
                  "Directory of the repository cache (default ~/.cache/kstack/git)");
  cmd->add_flag("--offline", o->offline, "Use the cache only; never contact the remote");
  cmd->add_option("--username", o->username, "User name for HTTP(S) or SSH");
  cmd->add_option("--password-env", o->password_env,
                  "Name of an environment variable holding the HTTP(S) password or token");
  cmd->add_option("--ssh-private-key", o->ssh_key_file, "File with an SSH private key");
  cmd->add_option("--ssh-known-hosts", o->known_hosts_file,
                  "File with known_hosts lines for the SSH server");
  cmd->add_flag("--insecure", o->insecure,
                "Skip verification of the TLS certificate and the SSH host key");
}

}  // namespace

void AddAdminGitCommand(CLI::App& admin, int* exit_code) {
  auto* git = admin.add_subcommand("git", "Resolve revisions and read files of Git repositories");
  git->require_subcommand(1);

  auto* resolve = git->add_subcommand("resolve", "Print the commit SHA that REVISION names");
  auto* ro = new GitOptions();
  resolve->add_option("URL", ro->url, "Repository URL or path")->required();
  resolve->add_option("REVISION", ro->revision, "Branch, tag, commit SHA or HEAD")->required();
  AddCommonOptions(resolve, ro);
  resolve->callback([ro, exit_code] { *exit_code = Resolve(*ro); });

  auto* ls = git->add_subcommand("ls", "List a directory of the commit REVISION names");
  auto* lo = new GitOptions();
  ls->add_option("URL", lo->url, "Repository URL or path")->required();
  ls->add_option("REVISION", lo->revision, "Branch, tag, commit SHA or HEAD")->required();
  ls->add_option("PATH", lo->path, "Directory in the repository (default: the root)");
  ls->add_flag("-r,--recursive", lo->recursive, "List everything below the directory");
  AddCommonOptions(ls, lo);
  ls->callback([lo, exit_code] { *exit_code = List(*lo); });

  auto* cat = git->add_subcommand("cat", "Print a file of the commit REVISION names");
  auto* co = new GitOptions();
  cat->add_option("URL", co->url, "Repository URL or path")->required();
  cat->add_option("REVISION", co->revision, "Branch, tag, commit SHA or HEAD")->required();
  cat->add_option("PATH", co->path, "File in the repository")->required();
  AddCommonOptions(cat, co);
  cat->callback([co, exit_code] { *exit_code = Cat(*co); });
}

}  // namespace kstack::cli
