// The built kstack binary, driven as a user drives it.

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "tests/e2e/process.h"

namespace kstack::e2e {
namespace {

namespace fs = std::filesystem;

std::string ReadFile(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

TEST(Cli, VersionPrintsKstackAndKubernetesVersions) {
  RunResult r = RunProgram({KstackBinary(), "version"});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("kstack version: v0."), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("Kubernetes API version: v1.32"), std::string::npos) << r.out;
  RunResult j = RunProgram({KstackBinary(), "version", "-o", "json"});
  EXPECT_EQ(j.exit_code, 0);
  EXPECT_NE(j.out.find("\"kubernetesVersion\": \"v1.32"), std::string::npos) << j.out;
}

TEST(Cli, HelpListsSubcommands) {
  RunResult r = RunProgram({KstackBinary(), "--help"});
  EXPECT_EQ(r.exit_code, 0);
  EXPECT_NE(r.out.find("version"), std::string::npos);
  EXPECT_NE(r.out.find("manifests"), std::string::npos);
}

TEST(Cli, UnknownSubcommandFails) {
  RunResult r = RunProgram({KstackBinary(), "frobnicate"});
  EXPECT_NE(r.exit_code, 0);
  EXPECT_NE(r.err.find("frobnicate"), std::string::npos) << r.err;
}

TEST(Cli, ManifestsPrintsWhatKubectlPrints) {
  fs::path shared = fs::path(KSTACK_SOURCE_DIR).parent_path() / "shared";
  fs::path input = shared / "testdata/argocd-example-apps/guestbook/guestbook-ui-deployment.yaml";
  RunResult r = RunProgram({KstackBinary(), "manifests", "-f", input.string()});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out,
            ReadFile(fs::path(KSTACK_SOURCE_DIR) /
                     "tests/core/testdata/yaml-peer/argocd-example-apps/guestbook/"
                     "guestbook-ui-deployment.yaml.want.yaml"));
}

TEST(Cli, ManifestsReadsStdinAndWritesJson) {
  RunResult r = RunProgram({KstackBinary(), "manifests", "-f", "-", "-o", "json"},
                    "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: x}\ndata: {on: yes}\n");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out,
            "{\n    \"apiVersion\": \"v1\",\n    \"data\": {\n        \"true\": true\n    },\n"
            "    \"kind\": \"ConfigMap\",\n    \"metadata\": {\n        \"name\": \"x\"\n    }\n}\n");
}

TEST(Cli, BadYamlNamesFileLineAndColumnAndExitsNonZero) {
  fs::path dir = fs::temp_directory_path() / "kstack-cli-test";
  fs::create_directories(dir / "apps");
  fs::path file = dir / "apps/web.yaml";
  std::ofstream(file) << "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: web: x\n";
  RunResult r = RunProgram({KstackBinary(), "manifests", "-f", file.string()});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_EQ(r.out, "");
  EXPECT_EQ(r.err, "error: " + file.string() +
                       ":4:12: mapping values are not allowed in this context\n");
  RunResult missing = RunProgram({KstackBinary(), "manifests", "-f", (dir / "nope.yaml").string()});
  EXPECT_EQ(missing.exit_code, 1);
  EXPECT_NE(missing.err.find("nope.yaml"), std::string::npos);
  fs::remove_all(dir);
}

}  // namespace
}  // namespace kstack::e2e
