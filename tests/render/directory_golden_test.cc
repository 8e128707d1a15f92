// Directory sources as Argo CD renders them, one folder per case under
// tests/render/testdata/directory/<case>/:
//
//   app/...          the files (the case folder is the repository's root)
//   source.yaml      optional: the Application source, `path` (default "app") and `directory`
//   env.yaml         optional: the build environment, a map of names to values
//   want.yaml        the objects in order, each document preceded by "# from: FILE"
//   want-error.txt   or: every non-empty line must appear in the error message
//
// KSTACK_UPDATE_GOLDEN=1 rewrites want.yaml of the cases that render without error (read the
// result before keeping it).

#include <gtest/gtest.h>

#include <fstream>

#include "core/yaml.h"
#include "render/directory.h"
#include "render/disk_tree.h"
#include "tests/core/golden.h"

namespace kstack::render {
namespace {

namespace fs = std::filesystem;
using kstack::testing::ReadFile;

fs::path CasesDir() { return kstack::testing::SourceDir() / "tests/render/testdata/directory"; }

struct Want {
  std::vector<Json> objects;
  std::vector<std::string> files;
};

// want.yaml: documents separated by "---" lines, each with a "# from: FILE" comment.
Result<Want> ReadWant(const fs::path& path) {
  std::string text = ReadFile(path);
  std::vector<std::string> chunks(1);
  size_t pos = 0;
  while (pos < text.size()) {
    size_t end = text.find('\n', pos);
    if (end == std::string::npos) end = text.size();
    std::string line = text.substr(pos, end - pos);
    if (line == "---") {
      chunks.emplace_back();
    } else {
      chunks.back() += line + "\n";
    }
    pos = end + 1;
  }
  Want want;
  for (const std::string& chunk : chunks) {
    KSTACK_ASSIGN_OR_RETURN(Json doc, ParseYaml(chunk, path.string()));
    if (doc.is_null()) continue;
    size_t from = chunk.find("# from: ");
    if (from == std::string::npos) {
      return BadRequestError(path.string() + ": a document without \"# from: FILE\"");
    }
    size_t end = chunk.find('\n', from);
    want.files.push_back(chunk.substr(from + 8, end - from - 8));
    want.objects.push_back(std::move(doc));
  }
  return want;
}

std::string WriteWant(const std::vector<RenderedObject>& objects) {
  std::string out;
  for (size_t i = 0; i < objects.size(); ++i) {
    if (i > 0) out += "---\n";
    out += "# from: " + objects[i].file + "\n";
    out += WriteYaml(objects[i].object);
  }
  return out;
}

struct Source {
  std::string path = "app";
  DirectoryOptions options;
};

Result<Source> ReadSource(const fs::path& dir) {
  Source source;
  if (fs::exists(dir / "source.yaml")) {
    KSTACK_ASSIGN_OR_RETURN(Json doc, ParseYaml(ReadFile(dir / "source.yaml"), "source.yaml"));
    if (std::string_view path = FindString(doc, "path"); !path.empty()) source.path = path;
    const Json* directory = FindMember(doc, "directory");
    KSTACK_ASSIGN_OR_RETURN(source.options,
                            ParseDirectoryOptions(directory == nullptr ? Json() : *directory));
  }
  if (fs::exists(dir / "env.yaml")) {
    KSTACK_ASSIGN_OR_RETURN(Json env, ParseYaml(ReadFile(dir / "env.yaml"), "env.yaml"));
    if (env.is_object()) {
      for (const auto& kv : env.get_object()) {
        source.options.env[std::string(kv.key())] =
            kv.value().is_string() ? std::string(kv.value().get_string()) : WriteJson(kv.value());
      }
    }
  }
  return source;
}

class DirectoryGolden : public ::testing::TestWithParam<std::string> {};

TEST_P(DirectoryGolden, RendersAsArgoCdDoes) {
  fs::path dir = CasesDir() / GetParam();
  Result<std::unique_ptr<DiskTree>> tree = DiskTree::Open(dir);
  ASSERT_TRUE(tree.ok()) << tree.status().message();
  // A source.yaml the options reader refuses is a case of its own, as Argo CD would refuse it.
  Result<Source> source = ReadSource(dir);
  Result<std::vector<RenderedObject>> got =
      source.ok() ? RenderDirectory(**tree, source->path, source->options)
                  : Result<std::vector<RenderedObject>>(source.status());

  if (fs::exists(dir / "want-error.txt")) {
    ASSERT_FALSE(got.ok()) << "rendered without error:\n" << WriteWant(*got);
    std::istringstream lines(ReadFile(dir / "want-error.txt"));
    std::string line;
    while (std::getline(lines, line)) {
      if (line.empty()) continue;
      EXPECT_NE(got.status().message().find(line), std::string::npos)
          << "the error lacks \"" << line << "\": " << got.status().ToString();
    }
    return;
  }
  ASSERT_TRUE(got.ok()) << got.status().ToString();
  if (std::getenv("KSTACK_UPDATE_GOLDEN") != nullptr) {
    std::ofstream(dir / "want.yaml") << WriteWant(*got);
  }
  Result<Want> want = ReadWant(dir / "want.yaml");
  ASSERT_TRUE(want.ok()) << want.status().message();
  std::string shown = WriteWant(*got);
  ASSERT_EQ(got->size(), want->objects.size()) << "got:\n" << shown;
  for (size_t i = 0; i < got->size(); ++i) {
    EXPECT_EQ((*got)[i].file, want->files[i]) << "object " << i + 1;
    EXPECT_EQ((*got)[i].object, want->objects[i]) << "object " << i + 1 << ":\n"
                                                  << WriteYaml((*got)[i].object) << "want:\n"
                                                  << WriteYaml(want->objects[i]);
  }
}

INSTANTIATE_TEST_SUITE_P(Cases, DirectoryGolden,
                         ::testing::ValuesIn(kstack::testing::CaseNames(CasesDir())),
                         [](const auto& info) { return kstack::testing::TestName(info.param); });

TEST(DirectoryGoldenSet, IsLargeEnough) {
  EXPECT_GE(kstack::testing::CaseNames(CasesDir()).size(), 20u);
}

}  // namespace
}  // namespace kstack::render
