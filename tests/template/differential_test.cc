// Differential test: random templates and data (tests/template/gen_cases.py) executed by Go's
// own text/template with Sprig's functions (tests/template/oracle, run at build time) and by
// kstack's engine must give the same output and the same error text. A case that cannot agree
// yet is listed in testdata/differential_known.tsv with the reason; the test fails for an
// unlisted difference and for a listed case that agrees, so the list stays exact.

#include <gtest/gtest.h>

#include <cstdlib>
#include <fstream>
#include <map>
#include <string>
#include <vector>

#include "core/json.h"
#include "template/funcs.h"
#include "template/template.h"
#include "template/value.h"
#include "tests/core/golden.h"

namespace kstack::tmpl {
namespace {

std::vector<Json> ReadLines(const std::string& path) {
  std::ifstream in(path);
  std::vector<Json> out;
  std::string line;
  while (std::getline(in, line)) {
    if (line.empty()) continue;
    Result<Json> j = ParseJson(line, path);
    EXPECT_TRUE(j.ok()) << j.status().message();
    if (j.ok()) out.push_back(std::move(*j));
  }
  return out;
}

std::map<std::string, std::string> Known() {
  std::map<std::string, std::string> known;
  std::ifstream in(kstack::testing::SourceDir() / "tests/template/testdata/differential_known.tsv");
  std::string line;
  while (std::getline(in, line)) {
    if (line.empty() || line[0] == '#') continue;
    size_t tab = line.find('\t');
    known[line.substr(0, tab)] = tab == std::string::npos ? "" : line.substr(tab + 1);
  }
  return known;
}

// What the oracle's map holds: Go's builtins and Sprig's TxtFuncMap without env/expandenv.
const FuncMap& SprigOnly() {
  static const FuncMap* map = [] {
    auto* m = new FuncMap();
    AddBuiltinFuncs(m);
    AddSprigFuncs(m);
    m->Remove("env");
    m->Remove("expandenv");
    return m;
  }();
  return *map;
}

struct Got {
  std::string output, error;
};

Got RunKstack(const Json& c) {
  std::string name(FindString(c, "name"));
  Set set(&SprigOnly());
  Got got;
  Status parsed = set.Parse(name, std::string(FindString(c, "template")));
  if (!parsed.ok()) {
    got.error = parsed.message();
    return got;
  }
  ExecuteOptions options;
  std::string_view mk = FindString(c, "missingkey");
  if (mk == "zero") options.missing_key = MissingKey::kZero;
  if (mk == "error") options.missing_key = MissingKey::kError;
  const Json* flag = FindMember(c, "integers_as_float");
  FromJsonOptions data_options{.integers_as_float = flag && flag->is_bool() && flag->as_bool()};
  const Json* data = FindMember(c, "data");
  Value dot = data ? FromJson(*data, data_options) : Value::Nil();
  Status run = set.Execute(name, dot, &got.output, options);
  if (!run.ok()) got.error = run.message();
  return got;
}

TEST(TemplateDifferentialTest, RandomTemplatesGiveGoOutputAndErrors) {
  std::vector<Json> cases = ReadLines(DIFFERENTIAL_CASES);
  std::vector<Json> want = ReadLines(DIFFERENTIAL_WANT);
  ASSERT_GE(cases.size(), 500u);
  ASSERT_EQ(cases.size(), want.size());
  std::map<std::string, std::string> known = Known();
  int agree = 0, errors = 0;
  // DIFFERENTIAL_DUMP=FILE writes kstack's results as the oracle's JSON lines, for comparing.
  const char* dump_path = std::getenv("DIFFERENTIAL_DUMP");
  std::ofstream dump;
  if (dump_path) dump.open(dump_path);
  for (size_t i = 0; i < cases.size(); ++i) {
    std::string name(FindString(cases[i], "name"));
    ASSERT_EQ(name, FindString(want[i], "name"));
    Got got = RunKstack(cases[i]);
    if (dump_path) {
      boost::json::object o{{"name", name}, {"output", got.output}, {"error", got.error}};
      dump << WriteJson(Json(std::move(o))) << "\n";
    }
    std::string want_output(FindString(want[i], "output"));
    std::string want_error(FindString(want[i], "error"));
    bool same = got.output == want_output && got.error == want_error;
    if (!want_error.empty()) ++errors;
    bool listed = known.count(name) > 0;
    if (same) ++agree;
    if (same && listed) {
      ADD_FAILURE() << name << " agrees with Go now: remove it from differential_known.tsv";
    } else if (!same && !listed) {
      ADD_FAILURE() << name << ": " << FindString(cases[i], "template") << "\n  data: "
                    << WriteJson(*FindMember(cases[i], "data")) << "\n  Go:     output="
                    << want_output << " error=" << want_error << "\n  kstack: output="
                    << got.output << " error=" << got.error;
    }
  }
  // The cases must exercise errors as well as output.
  EXPECT_GT(errors, 50);
  std::printf("%d of %zu random templates agree with Go (%d of Go's results are errors)\n", agree,
              cases.size(), errors);
}

}  // namespace
}  // namespace kstack::tmpl
