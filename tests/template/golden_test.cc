// The golden tables of ../shared/testdata: Go's own text/template execution cases and Sprig's
// function cases, each row executed with kstack's engine. A row that cannot pass yet is listed
// in testdata/known_failures.tsv with the reason; the test fails when an unlisted row fails and
// when a listed row starts passing, so the list stays exact.

#include <gtest/gtest.h>

#include <fstream>
#include <map>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "core/json.h"
#include "template/funcs.h"
#include "template/template.h"
#include "template/value.h"
#include "tests/core/golden.h"

namespace kstack::tmpl {
namespace {

using kstack::testing::ReadFile;
using kstack::testing::SharedDir;
using kstack::testing::SourceDir;

struct Case {
  std::string id;  // unique name used in the known-failures list
  std::string template_text;
  Value data;
  bool want_error = false;
  bool check_output = true;
  std::string want;
  std::string want_error_message;
  std::string name;  // the template's name (Go's tests use "test" or "top")
};

struct Outcome {
  bool pass = false;
  std::string detail;
};

std::map<std::string, std::string> KnownFailures() {
  std::map<std::string, std::string> known;
  std::ifstream in(SourceDir() / "tests/template/testdata/known_failures.tsv");
  std::string line;
  while (std::getline(in, line)) {
    if (line.empty() || line[0] == '#') continue;
    size_t tab = line.find('\t');
    known[line.substr(0, tab)] = tab == std::string::npos ? "" : line.substr(tab + 1);
  }
  return known;
}

// Go data of the type the upstream test used (data_go_type), from its JSON form.
Value GoData(const Json& json, std::string_view go_type) {
  if (go_type == "uint") return Value::Uint(json.to_number<uint64_t>());
  if (go_type == "float64") return Value::Float(json.to_number<double>());
  if (go_type == "map[string]int" || go_type == "map[string]string") {
    Map m;
    for (const auto& kv : json.get_object()) m.emplace(std::string(kv.key()), FromJson(kv.value()));
    return Value::MakeMap(std::move(m),
                          go_type == "map[string]int" ? Type::kMapInt : Type::kMapString);
  }
  if (go_type == "[]int") {
    List l;
    for (const Json& j : json.get_array()) l.push_back(FromJson(j));
    return Value::MakeList(std::move(l), Type::kListInt);
  }
  return FromJson(json);
}

// The helper functions of Go's exec_test.go that the rows call.
void AddTestFuncs(FuncMap* map) {
  map->Add("die", Fn({}, [](CallContext&, std::span<const Value>) -> FuncResult {
    return InternalError("die");
  }));
  map->Add("add", VarFn({}, Param::kInt, [](CallContext&, std::span<const Value> a) -> FuncResult {
    int64_t sum = 0;
    for (const Value& v : a) sum += v.int_value();
    return Value::Int(sum);
  }));
  map->Add("makemap", VarFn({}, Param::kString,
                            [](CallContext&, std::span<const Value> a) -> FuncResult {
    Map m;
    for (size_t i = 0; i + 1 < a.size(); i += 2) m.emplace(a[i].string_value(), a[i + 1]);
    return Value::MakeMap(std::move(m), Type::kMapString);
  }));
  map->Add("zeroArgs", Fn({}, [](CallContext&, std::span<const Value>) -> FuncResult {
    return Value::String("zeroArgs");
  }));
  map->Add("oneArg", Fn({Param::kString}, [](CallContext&, std::span<const Value> a) -> FuncResult {
    return Value::String("oneArg=" + a[0].string_value());
  }));
  map->Add("twoArgs", Fn({Param::kString, Param::kString},
                         [](CallContext&, std::span<const Value> a) -> FuncResult {
    return Value::String("twoArgs=" + a[0].string_value() + a[1].string_value());
  }));
}

std::vector<Json> ReadJsonl(const std::filesystem::path& path) {
  std::vector<Json> rows;
  std::istringstream in(ReadFile(path));
  std::string line;
  while (std::getline(in, line)) {
    if (line.empty()) continue;
    Result<Json> row = ParseJson(line, path.string());
    EXPECT_TRUE(row.ok()) << row.status().ToString();
    if (row.ok()) rows.push_back(std::move(*row));
  }
  return rows;
}

Outcome Run(const Case& c, const FuncMap& funcs) {
  Set set(&funcs);
  Outcome o;
  if (Status s = set.Parse(c.name, c.template_text); !s.ok()) {
    o.detail = "parse error: " + s.message();
    return o;
  }
  std::string out;
  Status s = set.Execute(c.name, c.data, &out);
  if (c.want_error) {
    if (s.ok()) {
      o.detail = "want an error, got output " + out;
      return o;
    }
    if (!c.want_error_message.empty() && s.message() != c.want_error_message) {
      o.detail = "error\n  got:  " + s.message() + "\n  want: " + c.want_error_message;
      return o;
    }
    if (c.check_output && out != c.want) {
      o.detail = "output before the error: got " + out + ", want " + c.want;
      return o;
    }
    o.pass = true;
    return o;
  }
  if (!s.ok()) {
    o.detail = "unexpected error: " + s.message();
    return o;
  }
  if (out != c.want) {
    o.detail = "output\n  got:  " + out + "\n  want: " + c.want;
    return o;
  }
  o.pass = true;
  return o;
}

void RunSuite(const std::string& suite, const std::vector<Case>& cases, const FuncMap& funcs) {
  std::map<std::string, std::string> known = KnownFailures();
  int passed = 0;
  std::set<std::string> seen;
  for (const Case& c : cases) {
    EXPECT_TRUE(seen.insert(c.id).second) << "duplicate case id " << c.id;
    Outcome o = Run(c, funcs);
    bool listed = known.count(c.id) > 0;
    if (o.pass) {
      ++passed;
      EXPECT_FALSE(listed) << c.id << ": passes but is listed in known_failures.tsv; remove it";
    } else {
      EXPECT_TRUE(listed) << c.id << " fails: " << o.detail << "\n  template: " << c.template_text;
    }
  }
  std::printf("%s: %d/%zu cases pass\n", suite.c_str(), passed, cases.size());
  ::testing::Test::RecordProperty("passing", passed);
  ::testing::Test::RecordProperty("total", static_cast<int>(cases.size()));
}

TEST(GoldenTest, TextTemplateCases) {
  std::vector<Case> cases;
  for (const Json& row : ReadJsonl(SharedDir() / "testdata/text-template/cases.jsonl")) {
    Case c;
    c.id = "text-template/" + std::string(FindString(row, "name"));
    c.template_text = std::string(FindString(row, "template"));
    const Json* data = FindMember(row, "data");
    c.data = data ? GoData(*data, FindString(row, "data_go_type")) : Value();
    if (data && data->is_null()) c.data = Value();
    const Json* error = FindMember(row, "error");
    c.want_error = error && error->is_bool() && error->get_bool();
    const Json* expected = FindMember(row, "expected");
    c.check_output = expected && expected->is_string();
    if (c.check_output) c.want = std::string(expected->get_string());
    c.want_error_message = std::string(FindString(row, "error_message"));
    c.name = FindString(row, "test") == "TestExecError" ? "top" : "test";
    cases.push_back(std::move(c));
  }
  ASSERT_EQ(cases.size(), 182u);
  FuncMap funcs;
  AddBuiltinFuncs(&funcs);
  AddTestFuncs(&funcs);
  RunSuite("text-template", cases, funcs);
}

FuncMap SprigOnly() {
  FuncMap funcs;
  AddBuiltinFuncs(&funcs);
  AddSprigFuncs(&funcs);
  return funcs;
}

TEST(GoldenTest, SprigCases) {
  std::vector<Case> cases;
  int line = 0;
  for (const Json& row : ReadJsonl(SharedDir() / "testdata/sprig/cases.jsonl")) {
    ++line;
    Case c;
    c.id = "sprig/" + std::to_string(line) + "/" + std::string(FindString(row, "function"));
    c.template_text = std::string(FindString(row, "template"));
    c.data = Value::MakeMap({}, Type::kMapString);
    c.want = std::string(FindString(row, "expected"));
    c.name = "test";
    cases.push_back(std::move(c));
  }
  ASSERT_EQ(cases.size(), 322u);
  FuncMap funcs = SprigOnly();
  RunSuite("sprig", cases, funcs);
}

TEST(GoldenTest, SprigCasesWithData) {
  std::vector<Case> cases;
  int line = 0;
  for (const Json& row : ReadJsonl(SharedDir() / "testdata/sprig/cases-with-data.jsonl")) {
    ++line;
    Case c;
    c.id = "sprig-data/" + std::to_string(line) + "/" + std::string(FindString(row, "function"));
    c.template_text = std::string(FindString(row, "template"));
    const Json* data = FindMember(row, "data");
    c.data = data ? FromJson(*data) : Value();
    c.want = std::string(FindString(row, "expected"));
    c.name = "test";
    cases.push_back(std::move(c));
  }
  ASSERT_EQ(cases.size(), 24u);
  FuncMap funcs = SprigOnly();
  RunSuite("sprig-data", cases, funcs);
}

}  // namespace
}  // namespace kstack::tmpl
