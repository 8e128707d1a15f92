// Pruning, defaulting and validation against structural schemas: the case folder
// testdata/schema_validation (one YAML file per case, see its README).

#include "machinery/schema_validation.h"

#include <gtest/gtest.h>

#include "core/yaml.h"
#include "tests/core/golden.h"

namespace kstack::machinery {
namespace {

namespace fs = std::filesystem;

fs::path CaseDir() {
  return kstack::testing::SourceDir() / "tests/machinery/testdata/schema_validation";
}

std::vector<std::string> CaseFiles() {
  std::vector<std::string> names;
  for (const auto& entry : fs::directory_iterator(CaseDir())) {
    if (entry.path().extension() == ".yaml") names.push_back(entry.path().stem().string());
  }
  std::sort(names.begin(), names.end());
  return names;
}

class SchemaCaseTest : public ::testing::TestWithParam<std::string> {};

TEST_P(SchemaCaseTest, PrunesDefaultsAndValidatesAsWanted) {
  std::string file = (CaseDir() / (GetParam() + ".yaml")).string();
  Result<Json> doc = ParseYaml(kstack::testing::ReadFile(file), file);
  ASSERT_TRUE(doc.ok()) << doc.status().ToString();
  SchemaSet set;
  std::vector<FieldError> schema_errors;
  const Schema* schema =
      ParseOpenApiV3Schema(doc->at("schema"), "openAPIV3Schema", &set, &schema_errors);
  ASSERT_TRUE(schema_errors.empty()) << schema_errors[0].ToString();
  Json object = doc->at("object");
  std::vector<std::string> pruned = PruneUnknownFields(object, *schema);
  ApplyDefaults(object, *schema);
  std::vector<FieldError> errors = ValidateValue(object, *schema);
  const Json& want = doc->at("want");
  JsonArray got_pruned(pruned.begin(), pruned.end());
  EXPECT_EQ(Json(got_pruned), want.at("pruned")) << WriteJson(Json(got_pruned));
  EXPECT_EQ(object, want.at("object")) << WriteJson(object);
  JsonArray got_errors;
  for (const FieldError& e : errors) got_errors.emplace_back(e.ToString());
  EXPECT_EQ(Json(got_errors), want.at("errors")) << WriteJson(Json(got_errors), {.indent = 2});
}

INSTANTIATE_TEST_SUITE_P(Cases, SchemaCaseTest, ::testing::ValuesIn(CaseFiles()),
                         [](const auto& info) { return kstack::testing::TestName(info.param); });

Json Yaml(std::string_view text) { return *ParseYaml(text, "test"); }

std::vector<std::string> SchemaErrors(std::string_view schema_yaml) {
  SchemaSet set;
  std::vector<FieldError> errors;
  ParseOpenApiV3Schema(Yaml(schema_yaml), "s", &set, &errors);
  std::vector<std::string> out;
  for (const FieldError& e : errors) out.push_back(e.ToString());
  return out;
}

TEST(OpenApiSchemaTest, StructuralRulesNameTheSchemaPath) {
  EXPECT_EQ(SchemaErrors("type: object\nproperties:\n  a: {}\n"),
            std::vector<std::string>{
                "s.properties[a].type: Required value: must not be empty for specified object "
                "fields"});
  EXPECT_EQ(SchemaErrors("type: array\n"),
            std::vector<std::string>{"s.items: Required value: must be specified"});
  EXPECT_EQ(SchemaErrors("type: object\nproperties:\n  a: {$ref: '#/x', type: string}\n"),
            std::vector<std::string>{
                "s.properties[a].$ref: Forbidden: $ref is not allowed in CRD schemas"});
  EXPECT_EQ(SchemaErrors("type: thing\n"),
            std::vector<std::string>{
                "s.type: Unsupported value: \"thing\": supported values: \"array\", \"boolean\", "
                "\"integer\", \"number\", \"object\", \"string\""});
  EXPECT_TRUE(SchemaErrors("type: object\nproperties:\n  p: {x-kubernetes-int-or-string: true}\n"
                           "  q: {x-kubernetes-preserve-unknown-fields: true}\n")
                  .empty());
}

TEST(OpenApiSchemaTest, WritesTheSchemaBack) {
  Json json = Yaml(
      "type: object\nproperties:\n  a: {type: integer, minimum: 1, default: 2}\n"
      "  b: {type: array, items: {type: string}, x-kubernetes-list-type: set}\nrequired: [a]\n");
  SchemaSet set;
  std::vector<FieldError> errors;
  const Schema* s = ParseOpenApiV3Schema(json, "s", &set, &errors);
  ASSERT_TRUE(errors.empty());
  Json back = SchemaToJson(*s);
  back.at("properties").at("a").as_object()["minimum"] = 1;  // written back as a double
  EXPECT_EQ(back, json) << WriteJson(back);
}

}  // namespace
}  // namespace kstack::machinery
