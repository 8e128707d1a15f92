// Behaviour of the engine beyond the shared golden tables: Go's error texts with locations,
// missing-key options, fmt verbs, Helm's functions (include, tpl, toYaml, required) and the
// number layout of Helm values.

#include <gtest/gtest.h>

#include "core/json.h"
#include "template/template.h"
#include "template/value.h"

namespace kstack::tmpl {
namespace {

Value Data(std::string_view json, bool helm_numbers = true) {
  Result<Json> j = ParseJson(json);
  EXPECT_TRUE(j.ok()) << j.status().ToString();
  return FromJson(*j, FromJsonOptions{.integers_as_float = helm_numbers});
}

// Parses `text` as template "t" and executes it.
Result<std::string> Render(std::string text, const Value& data = Value(),
                           ExecuteOptions options = {}) {
  Set set;
  KSTACK_RETURN_IF_ERROR(set.Parse("t", std::move(text)));
  return set.Execute("t", data, options);
}

std::string Out(std::string text, const Value& data = Value(), ExecuteOptions options = {}) {
  Result<std::string> r = Render(std::move(text), data, std::move(options));
  EXPECT_TRUE(r.ok()) << r.status().ToString();
  return r.ok() ? *r : "";
}

std::string Err(std::string text, const Value& data = Value(), ExecuteOptions options = {}) {
  Result<std::string> r = Render(std::move(text), data, std::move(options));
  EXPECT_FALSE(r.ok()) << "output: " << (r.ok() ? *r : "");
  return r.ok() ? "" : r.status().message();
}

TEST(EngineTest, NilPointerErrorAsHelmReportsIt) {
  Set set;
  const std::string name = "mychart/templates/deploy.yaml";
  ASSERT_TRUE(set.Parse(name, "kind: x\nimage: {{ .Values.x.y }}\n").ok());
  Value data = Data(R"({"Values": {"a": 1}})");
  Result<std::string> r = set.Execute(name, data, {.missing_key = MissingKey::kZero});
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().message(),
            "template: mychart/templates/deploy.yaml:2:17: executing "
            "\"mychart/templates/deploy.yaml\" at <.Values.x.y>: nil pointer evaluating "
            "interface {}.y");
  // With the default option the missing map gives no value and no error.
  EXPECT_EQ(*set.Execute(name, data), "kind: x\nimage: <no value>\n");
}

TEST(EngineTest, MissingKeyOptions) {
  Value data = Data(R"({"a": 1})");
  EXPECT_EQ(Out("{{.b}}", data), "<no value>");
  EXPECT_EQ(Out("{{.b}}", data, {.missing_key = MissingKey::kZero}), "<no value>");
  EXPECT_EQ(Err("{{.b}}", data, {.missing_key = MissingKey::kError}),
            "template: t:1:2: executing \"t\" at <.b>: map has no entry for key \"b\"");
  EXPECT_EQ(Err("{{.a.b}}", data),
            "template: t:1:4: executing \"t\" at <.a.b>: can't evaluate field b in type "
            "interface {}");
  // A value that is not read out of a map keeps its own type in the message.
  EXPECT_EQ(Err("{{$x := .a}}{{$x.b}}", data),
            "template: t:1:16: executing \"t\" at <$x.b>: can't evaluate field b in type float64");
}

TEST(EngineTest, ParseErrors) {
  EXPECT_EQ(Err("line\n{{if .x}}"), "template: t:2: unexpected EOF");
  EXPECT_EQ(Err("{{end}}"), "template: t:1: unexpected {{end}}");
  EXPECT_EQ(Err("{{ nosuch 1 }}"), "template: t:1: function \"nosuch\" not defined");
  EXPECT_EQ(Err("{{ $x }}"), "template: t:1: undefined variable \"$x\"");
  EXPECT_EQ(Err("{{ .x"), "template: t:1: unclosed action");
  EXPECT_EQ(Err("{{break}}"), "template: t:1: {{break}} outside {{range}}");
  EXPECT_EQ(Err("{{ .x | 3 }}"), "template: t:1: non executable command in pipeline stage 2");
}

TEST(EngineTest, ExecutionErrorsOfFunctions) {
  EXPECT_EQ(Err("{{ trunc \"a\" \"b\" }}"),
            "template: t:1:9: executing \"t\" at <\"a\">: expected integer; found \"a\"");
  EXPECT_EQ(Err("{{ trunc 1 }}"),
            "template: t:1:3: executing \"t\" at <trunc>: wrong number of args for trunc: want 2 "
            "got 1");
  EXPECT_EQ(Err("{{ 3 | upper }}"),
            "template: t:1:7: executing \"t\" at <upper>: wrong type for value; expected string; "
            "got int");
  EXPECT_EQ(Err("{{ fail \"stop here\" }}"),
            "template: t:1:3: executing \"t\" at <fail \"stop here\">: error calling fail: stop here");
  EXPECT_EQ(Err("{{ required \"x is required\" .x }}", Data("{}")),
            "template: t:1:3: executing \"t\" at <required \"x is required\" .x>: error calling "
            "required: x is required");
}

TEST(EngineTest, LexerErrors) {
  EXPECT_EQ(Err("{{ .x' }}"), "template: t:1: bad character U+0027 '''");
  EXPECT_EQ(Err("a\n{{ \"open }}"), "template: t:2: unterminated quoted string");
  EXPECT_EQ(Err("{{/* no end }}"), "template: t:1: unclosed comment");
  EXPECT_EQ(Err("{{/* c */ x}}"), "template: t:1: comment ends before closing delimiter");
  EXPECT_EQ(Err("{{ 3x }}"), "template: t:1: bad number syntax: \"3x\"");
  EXPECT_EQ(Err("{{ ) }}"), "template: t:1: unexpected right paren U+0029 ')'");
  EXPECT_EQ(Err("{{ ( .x }}"), "template: t:1: unclosed left paren");
}

TEST(EngineTest, ControlStructures) {
  Value data = Data(R"({"m": {"b": 2, "a": 1, "c": 3}, "l": ["x", "y", "z"], "e": []})", false);
  EXPECT_EQ(Out("{{range $k, $v := .m}}{{$k}}={{$v}};{{end}}", data), "a=1;b=2;c=3;");
  EXPECT_EQ(Out("{{range $i, $e := .l}}{{if eq $i 1}}{{continue}}{{end}}{{$e}}{{end}}", data),
            "xz");
  EXPECT_EQ(Out("{{range .l}}{{if eq . \"y\"}}{{break}}{{end}}{{.}}{{end}}", data), "x");
  EXPECT_EQ(Out("{{range .e}}x{{else}}empty{{end}}", data), "empty");
  EXPECT_EQ(Out("{{range 3}}{{.}}{{end}}"), "012");
  EXPECT_EQ(Out("{{with .missing}}a{{else with .l}}{{len .}}{{end}}", data), "3");
  EXPECT_EQ(Out("a  {{- /* comment */ -}}  b\n{{- \"c\" }}"), "abc");
  EXPECT_EQ(Out("{{$x := 1}}{{range .l}}{{$x = .}}{{end}}{{$x}}", data), "z");
}

TEST(EngineTest, DefineTemplateBlockAndInclude) {
  Set set;
  ASSERT_TRUE(set.Parse("_helpers.tpl",
                        "{{define \"name\"}}{{.Name | lower}}{{end}}\n"
                        "{{define \"full\"}}{{include \"name\" .}}-app{{end}}").ok());
  ASSERT_TRUE(set.Parse("main", "[{{template \"name\" .}}] {{include \"full\" . | upper}} "
                                "{{block \"extra\" .}}default{{end}}").ok());
  Value data = Data(R"({"Name": "Web"})");
  EXPECT_EQ(*set.Execute("main", data), "[web] WEB-APP default");
  // A later non-empty definition replaces the block; an empty one does not.
  ASSERT_TRUE(set.Parse("override", "{{define \"extra\"}}custom{{end}}").ok());
  ASSERT_TRUE(set.Parse("empty", "{{define \"extra\"}}  {{end}}").ok());
  EXPECT_EQ(*set.Execute("main", data), "[web] WEB-APP custom");
  Result<std::string> missing = set.Execute("nope", data);
  EXPECT_EQ(missing.status().reason(), Reason::kNotFound);
  ASSERT_TRUE(set.Parse("bad", "{{ include \"absent\" . }}").ok());
  EXPECT_EQ(set.Execute("bad", data).status().message(),
            "template: bad:1:3: executing \"bad\" at <include \"absent\" .>: error calling include: "
            "template: no template \"absent\" associated with template \"gotpl\"");
}

TEST(EngineTest, IncludeNestingIsBounded) {
  Set set;
  ASSERT_TRUE(set.Parse("t", "{{define \"loop\"}}{{include \"loop\" .}}{{end}}{{include \"loop\" .}}").ok());
  Result<std::string> r = set.Execute("t", Value(), {.max_include_depth = 5});
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.status().message().find("rendering template has a nested reference name: loop"),
            std::string::npos)
      << r.status().message();
}

TEST(EngineTest, DeepNestingIsAnErrorNotACrash) {
  std::string parens = "{{" + std::string(5000, '(') + "1" + std::string(5000, ')') + "}}";
  EXPECT_EQ(Err(parens), "template: t:1: max expression depth exceeded");
  std::string ifs;
  for (int i = 0; i < 5000; ++i) ifs += "{{if true}}";
  EXPECT_EQ(Err(ifs), "template: t:1: max expression depth exceeded");
  std::string ok = "{{" + std::string(100, '(') + "1" + std::string(100, ')') + "}}";
  EXPECT_EQ(Out(ok), "1");
}

TEST(EngineTest, RecursiveTemplateStopsAtTheDepthLimit) {
  EXPECT_EQ(Err("{{define \"a\"}}{{template \"a\"}}{{end}}{{template \"a\"}}"),
            "template: t:1:25: executing \"a\" at <{{template \"a\"}}>: exceeded maximum template "
            "depth (1000)");
}

TEST(EngineTest, TplParsesWithItsDefinesLocal) {
  Set set;
  ASSERT_TRUE(set.Parse("t", "{{define \"x\"}}X{{end}}{{ tpl .Values.text . }}|{{ template \"x\" }}").ok());
  Value data = Data(R"({"Values": {"text": "{{define \"x\"}}Y{{end}}{{ template \"x\" }}{{ .Values.none }}!"}})");
  EXPECT_EQ(*set.Execute("t", data), "Y!|X");
  Value bad = Data(R"({"Values": {"text": "{{ .Values.a.b }}"}})");
  Result<std::string> r = set.Execute("t", bad, {.missing_key = MissingKey::kZero});
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.status().message().find("error calling tpl: error during tpl function execution "
                                      "for \"{{ .Values.a.b }}\": template: gotpl:1:10: executing "
                                      "\"gotpl\" at <.Values.a.b>: nil pointer evaluating "
                                      "interface {}.b"),
            std::string::npos)
      << r.status().message();
}

TEST(EngineTest, GoFmtVerbsAndFlags) {
  EXPECT_EQ(Out("{{printf \"%05d|%-6s|%6.2f|%x|%X|%o|%b\" -42 \"ab\" 3.14159 255 \"hi\" 8 5}}"),
            "-0042|ab    |  3.14|ff|6869|10|101");
  EXPECT_EQ(Out("{{printf \"%q %v %+v %t %c %U %%\" \"a\\\"b\" 1.5 2 true 65 9731}}"),
            "\"a\\\"b\" 1.5 2 true A U+2603 %");
  EXPECT_EQ(Out("{{printf \"%e %E %g %.3g %8.3e\" 1234.5678 0.000012 1e21 3.14159 1234.5678}}"),
            "1.234568e+03 1.200000E-05 1e+21 3.14 1.235e+03");
  EXPECT_EQ(Out("{{printf \"%d %s\" \"x\" 5}}"), "%!d(string=x) %!s(int=5)");
  EXPECT_EQ(Out("{{printf \"%d %d\" 1}}"), "1 %!d(MISSING)");
  EXPECT_EQ(Out("{{printf \"%d\" 1 \"a\"}}"), "1%!(EXTRA string=a)");
  EXPECT_EQ(Out("{{printf \"%v|%s|%d\" (list 1 \"a\") (list \"x\" \"y\") (list 1 2)}}"),
            "[1 a]|[x y]|[1 2]");
  EXPECT_EQ(Out("{{printf \"%v\" (dict \"b\" 1 \"a\" (list))}}"), "map[a:[] b:1]");
  EXPECT_EQ(Out("{{printf \"%T %T %T %T\" 1 1.5 \"s\" (dict)}}"),
            "int float64 string map[string]interface {}");
  EXPECT_EQ(Out("{{printf \"%5t|%-5d|%+d|% d\" true 3 3 3}}"), " true|3    |+3| 3");
  EXPECT_EQ(Out("{{printf \"%#v|%#v|%#v|%#v\" \"a\" 1.5 (list 1 \"b\" nil) (dict \"k\" (list))}}"),
            "\"a\"|1.5|[]interface {}{1, \"b\", interface {}(nil)}|"
            "map[string]interface {}{\"k\":[]interface {}{}}");
}

TEST(EngineTest, HelmValuesPrintAsFloat64) {
  Value data = Data(R"({"a": 1, "b": 1000000, "c": 1.5, "d": 123456789, "e": 0.00001})");
  EXPECT_EQ(Out("{{.a}} {{.b}} {{.c}} {{.d}} {{.e}}", data), "1 1e+06 1.5 1.23456789e+08 1e-05");
  EXPECT_EQ(Out("{{ .b | int }} {{ .d | int64 }} {{ add .a 2 }}", data), "1000000 123456789 3");
  EXPECT_EQ(Out("{{ if eq .a 1.0 }}float{{ end }}", data), "float");
  EXPECT_NE(Err("{{ if eq .a 1 }}int{{ end }}", data).find("incompatible types for comparison"),
            std::string::npos);
}

TEST(EngineTest, YamlAndJsonConversions) {
  Value data = Data(R"({"v": {"b": [1, "two", true], "a": {"c": "yes", "d": null}, "e": "multi\nline"}})");
  EXPECT_EQ(Out("{{ toYaml .v }}", data),
            "a:\n  c: \"yes\"\n  d: null\nb:\n- 1\n- two\n- true\ne: |-\n  multi\n  line");
  EXPECT_EQ(Out("{{ toJson .v }}", data),
            "{\"a\":{\"c\":\"yes\",\"d\":null},\"b\":[1,\"two\",true],\"e\":\"multi\\nline\"}");
  EXPECT_EQ(Out("{{ (fromYaml \"a: 1\\nb: [x]\").b }} {{ (fromYaml \"a: 1\").a | printf \"%T\" }}"),
            "[x] float64");
  EXPECT_EQ(Out("{{ (fromYaml \"- a\").Error }}"),
            "error unmarshaling JSON: json: cannot unmarshal array into Go value of type "
            "map[string]interface {}");
  EXPECT_EQ(Out("{{ fromYamlArray \"- a\\n- 2\" }}"), "[a 2]");
  EXPECT_EQ(Out("{{ toToml (dict \"name\" \"x\" \"n\" 2 \"sub\" (dict \"k\" true)) }}"),
            "n = 2\nname = \"x\"\n\n[sub]\n  k = true\n");
  EXPECT_EQ(Out("{{ lookup \"v1\" \"Secret\" \"ns\" \"name\" }}"), "map[]");
}

TEST(EngineTest, RegexSemverAndDates) {
  EXPECT_EQ(Out("{{ regexReplaceAll \"a(x*)b\" \"-ab-axxb-\" \"${1}W\" }}"), "-W-xxW-");
  EXPECT_EQ(Out("{{ regexFindAll \"a.\" \"paranormal\" -1 }}"), "[ar an al]");
  EXPECT_EQ(Out("{{ regexMatch \"^[a-z]+\\\\d$\" \"abc1\" }}"), "true");
  EXPECT_NE(Err("{{ mustRegexMatch \"(\" \"x\" }}").find("error parsing regexp"), std::string::npos);
  EXPECT_EQ(Out("{{ semverCompare \">=1.20.0-0\" \"1.25.3\" }} {{ semverCompare \"~1.2.3\" \"1.3.0\" }} "
                "{{ semverCompare \"1.2.x || >=3\" \"3.1.0\" }}"),
            "true false true");
  EXPECT_EQ(Out("{{ (semver \"v2.3.4-rc.1\").Minor }} {{ semverCompare \">1.0\" \"2.0.0-rc.1\" }}"),
            "3 false");
  EXPECT_EQ(Out("{{ toDate \"2006-01-02T15:04:05Z07:00\" \"2024-02-29T13:04:05Z\" | date \"Mon Jan 2 2006 03:04 PM\" }}"),
            "Thu Feb 29 2024 01:04 PM");
  EXPECT_EQ(Out("{{ dateInZone \"2006-01-02 15:04 MST -07:00\" (toDate \"2006-01-02T15:04:05Z07:00\" \"2024-07-01T12:00:00Z\") \"America/New_York\" }} "
                "{{ dateInZone \"15:04 MST\" (toDate \"2006-01-02T15:04:05Z07:00\" \"2024-01-01T12:00:00Z\") \"Europe/Paris\" }} "
                "{{ dateInZone \"15:04 MST\" (toDate \"2006-01-02T15:04:05Z07:00\" \"2024-01-01T12:00:00Z\") \"No/Such\" }}"),
            "2024-07-01 08:00 EDT -04:00 13:00 CET 12:00 UTC");
  // Sprig's duration reads strings and int64 only: an int constant gives 0s.
  EXPECT_EQ(Out("{{ duration \"3723\" }} {{ duration 3723 }} {{ durationRound \"49h\" }}"),
            "1h2m3s 0s 2d");
}

}  // namespace
}  // namespace kstack::tmpl
