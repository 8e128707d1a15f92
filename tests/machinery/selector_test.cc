#include "machinery/selector.h"

#include <gtest/gtest.h>

#include <sstream>

#include "machinery/validation.h"
#include "tests/core/golden.h"

namespace kstack::machinery {
namespace {

using Labels = std::map<std::string, std::string, std::less<>>;

struct Row {
  std::string selector;
  Labels labels;
  bool matches = false;
  bool error = false;
};

void PrintTo(const Row& r, std::ostream* os) { *os << "\"" << r.selector << "\""; }

// testdata/label-selectors.jsonl: {selector, labels, matches} or {selector, error: true}.
std::vector<Row> Rows() {
  std::vector<Row> rows;
  std::istringstream in(kstack::testing::ReadFile(kstack::testing::SourceDir() /
                                                  "tests/machinery/testdata/label-selectors.jsonl"));
  std::string line;
  while (std::getline(in, line)) {
    Json j = ParseJson(line).value();
    Row r;
    r.selector = std::string(FindString(j, "selector"));
    r.error = FindMember(j, "error") != nullptr;
    if (const JsonObject* l = FindObject(j, "labels")) {
      for (const auto& kv : *l) r.labels[std::string(kv.key())] = std::string(kv.value().as_string());
    }
    if (const Json* m = FindMember(j, "matches")) r.matches = m->as_bool();
    rows.push_back(std::move(r));
  }
  return rows;
}

class LabelSelectorTable : public ::testing::TestWithParam<Row> {};

TEST_P(LabelSelectorTable, ParsesAndMatches) {
  const Row& row = GetParam();
  Result<LabelSelector> s = LabelSelector::Parse(row.selector);
  if (row.error) {
    ASSERT_FALSE(s.ok()) << "accepted: " << s->ToString();
    EXPECT_EQ(s.status().reason(), Reason::kBadRequest);
    EXPECT_NE(s.status().message().find(row.selector), std::string::npos) << s.status().message();
    return;
  }
  ASSERT_TRUE(s.ok()) << s.status().message();
  EXPECT_EQ(s->Matches(row.labels), row.matches) << s->ToString();
  // The canonical form parses back to the same selector.
  Result<LabelSelector> again = LabelSelector::Parse(s->ToString());
  ASSERT_TRUE(again.ok()) << s->ToString() << ": " << again.status().message();
  EXPECT_EQ(again->ToString(), s->ToString());
}

INSTANTIATE_TEST_SUITE_P(Rows, LabelSelectorTable, ::testing::ValuesIn(Rows()));

TEST(LabelSelector, CanonicalForm) {
  EXPECT_EQ(LabelSelector::Parse("tier in (b, a),app=web,!x")->ToString(),
            "app=web,tier in (a,b),!x");
}

TEST(LabelSelector, FromJson) {
  Json j = ParseJson(R"({"matchLabels":{"app":"web"},"matchExpressions":[
      {"key":"env","operator":"In","values":["prod","qa"]},
      {"key":"canary","operator":"DoesNotExist"}]})").value();
  Result<LabelSelector> s = LabelSelector::FromJson(j);
  ASSERT_TRUE(s.ok()) << s.status().message();
  EXPECT_TRUE(s->Matches({{"app", "web"}, {"env", "qa"}}));
  EXPECT_FALSE(s->Matches({{"app", "web"}, {"env", "qa"}, {"canary", "1"}}));
  EXPECT_TRUE(LabelSelector::FromJson(JsonObject())->Matches({}));
  EXPECT_FALSE(LabelSelector::FromJson(Json(nullptr))->Matches({}));
  Result<LabelSelector> bad = LabelSelector::FromJson(
      ParseJson(R"({"matchExpressions":[{"key":"a","operator":"Gt","values":["1"]}]})").value());
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.status().reason(), Reason::kInvalid);
  EXPECT_NE(bad.status().message().find("selector.matchExpressions[0].operator"),
            std::string::npos);
  EXPECT_FALSE(LabelSelector::FromJson(
                   ParseJson(R"({"matchExpressions":[{"key":"a","operator":"In"}]})").value())
                   .ok());
}

TEST(LabelSelector, MatchesObjectLabels) {
  Json pod = ParseJson(R"({"metadata":{"name":"p","labels":{"app":"web"}}})").value();
  EXPECT_TRUE(LabelSelector::Parse("app=web")->MatchesObject(pod));
  EXPECT_FALSE(LabelSelector::Parse("app=db")->MatchesObject(pod));
  EXPECT_TRUE(LabelSelector::Parse("!app")->MatchesObject(JsonObject()));
}

TEST(FieldSelector, ParsesAndMatchesPodFields) {
  Json pod = ParseJson(R"({"metadata":{"name":"web-1","namespace":"shop"},
      "spec":{"nodeName":"node-1"},"status":{"phase":"Running"}})").value();
  auto fields = FieldsOf("", "Pod", pod);
  EXPECT_EQ(fields["spec.hostNetwork"], "false");
  auto match = [&](std::string_view text) {
    Result<FieldSelector> s = FieldSelector::Parse(text);
    EXPECT_TRUE(s.ok()) << s.status().message();
    EXPECT_TRUE(CheckFieldsSupported(*s, "", "Pod").ok()) << text;
    return s->Matches(fields);
  };
  EXPECT_TRUE(match("status.phase=Running"));
  EXPECT_TRUE(match("status.phase==Running,spec.nodeName=node-1"));
  EXPECT_FALSE(match("status.phase!=Running"));
  EXPECT_TRUE(match("metadata.name=web-1,metadata.namespace=shop"));
  EXPECT_TRUE(match("spec.nodeName!=node-2"));
  EXPECT_TRUE(match(""));
}

TEST(FieldSelector, EventsSecretsAndEscapes) {
  Json ev = ParseJson(R"({"metadata":{"name":"e"},"involvedObject":{"kind":"Pod","name":"a,b"},
      "reason":"Scheduled","source":{"component":"scheduler"},"type":"Normal"})").value();
  auto fields = FieldsOf("", "Event", ev);
  EXPECT_TRUE(FieldSelector::Parse("involvedObject.kind=Pod,involvedObject.name=a\\,b")
                  ->Matches(fields));
  EXPECT_TRUE(FieldSelector::Parse("source=scheduler,type=Normal")->Matches(fields));
  Json secret = ParseJson(R"({"metadata":{"name":"s"},"type":"kubernetes.io/tls"})").value();
  EXPECT_TRUE(FieldSelector::Parse("type=kubernetes.io/tls")->Matches(FieldsOf("", "Secret", secret)));
}

TEST(FieldSelector, UnsupportedFieldsAndBadSyntax) {
  Status s = CheckFieldsSupported(*FieldSelector::Parse("spec.replicas=1"), "apps", "Deployment");
  EXPECT_EQ(s.reason(), Reason::kBadRequest);
  EXPECT_EQ(s.message(), "field label not supported: spec.replicas");
  EXPECT_TRUE(CheckFieldsSupported(*FieldSelector::Parse("metadata.name=x"), "apps", "Deployment")
                  .ok());
  EXPECT_FALSE(FieldSelector::Parse("novalue").ok());
  EXPECT_FALSE(FieldSelector::Parse("=x").ok());
}

TEST(Validation, NamesAndLabels) {
  EXPECT_EQ(Dns1123SubdomainProblem("web.example-1"), "");
  EXPECT_NE(Dns1123SubdomainProblem("Web"), "");
  EXPECT_NE(Dns1123SubdomainProblem(std::string(254, 'a')), "");
  EXPECT_EQ(Dns1123LabelProblem("team-a"), "");
  EXPECT_NE(Dns1123LabelProblem("a.b").find("RFC 1123 label"), std::string::npos);
  EXPECT_NE(Dns1123LabelProblem(std::string(64, 'a')), "");
  EXPECT_EQ(QualifiedNameProblem("app.kubernetes.io/name"), "");
  EXPECT_EQ(QualifiedNameProblem("My_Key.1"), "");
  EXPECT_EQ(QualifiedNameProblem("/x"), "prefix part must be non-empty");
  EXPECT_EQ(QualifiedNameProblem("x/"), "name part must be non-empty");
  EXPECT_EQ(QualifiedNameProblem(std::string(64, 'a')),
            "name part must be no more than 63 characters");
  EXPECT_EQ(LabelValueProblem(""), "");
  EXPECT_NE(LabelValueProblem("-x"), "");
}

}  // namespace
}  // namespace kstack::machinery

namespace kstack::machinery {
namespace {

TEST(Validation, ServiceAndRbacNames) {
  EXPECT_EQ(Dns1035LabelProblem("web-1"), "");
  EXPECT_NE(Dns1035LabelProblem("1web").find("DNS-1035 label"), std::string::npos);
  EXPECT_EQ(PathSegmentNameProblem("system:controller:x"), "");
  EXPECT_EQ(PathSegmentNameProblem(".."), "may not be '..'");
  EXPECT_EQ(PathSegmentNameProblem("a/b"), "may not contain '/'");
}

}  // namespace
}  // namespace kstack::machinery
