// The OpenAPI v2 document and its encoding as gnostic's openapi_v2.Document protobuf. kubectl's
// reading of the encoding is checked end to end (tests/e2e/kubectl_list_test.cc); here the bytes
// are checked against messages written field by field.

#include "server/openapi_v2.h"

#include <gtest/gtest.h>

#include "machinery/protobuf_wire.h"

namespace kstack::server {
namespace {

using machinery::protobuf::WireWriter;

std::string Any(std::string_view yaml) {
  WireWriter any;
  any.Bytes(2, yaml);
  return any.Take();
}

std::string Named(std::string_view name, std::string_view value) {
  WireWriter named;
  named.Bytes(1, name);
  named.Bytes(2, value);
  return named.Take();
}

TEST(OpenApiV2, EncodesSchemas) {
  Json doc = ParseJson(R"({
    "swagger": "2.0",
    "info": {"title": "Kubernetes", "version": "v1.32.0"},
    "definitions": {
      "io.k8s.api.core.v1.ConfigMap": {
        "type": "object",
        "required": ["metadata"],
        "properties": {
          "data": {"type": "object", "additionalProperties": {"type": "string"}},
          "list": {"type": "array", "items": {"type": "integer", "format": "int32"},
                   "maxItems": 3},
          "mode": {"type": "string", "enum": ["a", "b"], "default": "a"},
          "metadata": {"$ref": "#/definitions/Meta", "description": "d"}
        },
        "x-kubernetes-group-version-kind": [{"group": "", "version": "v1", "kind": "ConfigMap"}]
      }
    }
  })")
                 .value();
  Result<std::string> got = EncodeOpenApiV2Protobuf(doc);
  ASSERT_TRUE(got.ok()) << got.status().message();

  auto type_item = [](std::string_view t) {
    WireWriter w;
    w.Bytes(1, t);
    return w.Take();
  };
  WireWriter string_schema;
  string_schema.Bytes(22, type_item("string"));
  WireWriter additional;
  additional.Bytes(1, string_schema.data());
  WireWriter data;
  data.Bytes(22, type_item("object"));
  data.Bytes(21, additional.data());
  WireWriter integer;
  integer.Bytes(22, type_item("integer"));
  integer.Bytes(2, "int32");
  WireWriter items;
  items.Bytes(1, integer.data());
  WireWriter list;
  list.Bytes(22, type_item("array"));
  list.Bytes(23, items.data());
  list.Int64(14, 3);
  WireWriter mode;
  mode.Bytes(22, type_item("string"));
  mode.Bytes(20, Any(R"("a")"));
  mode.Bytes(20, Any(R"("b")"));
  mode.Bytes(5, Any(R"("a")"));
  WireWriter meta;
  meta.Bytes(1, "#/definitions/Meta");
  meta.Bytes(4, "d");
  WireWriter properties;
  properties.Bytes(1, Named("data", data.data()));
  properties.Bytes(1, Named("list", list.data()));
  properties.Bytes(1, Named("mode", mode.data()));
  properties.Bytes(1, Named("metadata", meta.data()));
  WireWriter config_map;
  config_map.Bytes(22, type_item("object"));
  config_map.Bytes(19, "metadata");
  config_map.Bytes(25, properties.data());
  config_map.Bytes(31, Named("x-kubernetes-group-version-kind",
                             Any(R"([{"group":"","version":"v1","kind":"ConfigMap"}])")));
  WireWriter definitions;
  definitions.Bytes(1, Named("io.k8s.api.core.v1.ConfigMap", config_map.data()));
  WireWriter info;
  info.Bytes(1, "Kubernetes");
  info.Bytes(2, "v1.32.0");
  WireWriter want;
  want.Bytes(1, "2.0");
  want.Bytes(2, info.data());
  want.Bytes(9, definitions.data());
  EXPECT_EQ(*got, want.data());
}

TEST(OpenApiV2, EncodesParametersByWhereTheyAre) {
  Json doc = ParseJson(R"({"paths": {"/api/v1/namespaces/{namespace}/configmaps": {
    "parameters": [{"name": "namespace", "in": "path", "required": true, "type": "string"}],
    "post": {"operationId": "create", "parameters": [
      {"name": "body", "in": "body", "required": true, "schema": {"$ref": "#/definitions/X"}},
      {"name": "dryRun", "in": "query", "type": "string", "uniqueItems": true},
      {"$ref": "#/parameters/shared"}],
      "responses": {"200": {"description": "OK"}}}}}})")
                 .value();
  Result<std::string> got = EncodeOpenApiV2Protobuf(doc);
  ASSERT_TRUE(got.ok()) << got.status().message();

  WireWriter path_param;
  path_param.Bytes(4, "namespace");
  path_param.Bytes(2, "path");
  path_param.Bool(1, true);
  path_param.Bytes(5, "string");
  WireWriter path_non_body;
  path_non_body.Bytes(4, path_param.data());
  WireWriter path_parameter;
  path_parameter.Bytes(2, path_non_body.data());
  WireWriter path_item_param;
  path_item_param.Bytes(1, path_parameter.data());

  WireWriter ref_schema;
  ref_schema.Bytes(1, "#/definitions/X");
  WireWriter body;
  body.Bytes(2, "body");
  body.Bytes(3, "body");
  body.Bool(4, true);
  body.Bytes(5, ref_schema.data());
  WireWriter body_parameter;
  body_parameter.Bytes(1, body.data());
  WireWriter body_item;
  body_item.Bytes(1, body_parameter.data());

  WireWriter query;
  query.Bytes(4, "dryRun");
  query.Bytes(2, "query");
  query.Bytes(6, "string");
  query.Bool(20, true);
  WireWriter query_non_body;
  query_non_body.Bytes(3, query.data());
  WireWriter query_parameter;
  query_parameter.Bytes(2, query_non_body.data());
  WireWriter query_item;
  query_item.Bytes(1, query_parameter.data());

  WireWriter reference;
  reference.Bytes(1, "#/parameters/shared");
  WireWriter reference_item;
  reference_item.Bytes(2, reference.data());

  WireWriter response;
  response.Bytes(1, "OK");
  WireWriter response_value;
  response_value.Bytes(1, response.data());
  WireWriter responses;
  responses.Bytes(1, Named("200", response_value.data()));

  WireWriter post;
  post.Bytes(5, "create");
  post.Bytes(8, body_item.data());
  post.Bytes(8, query_item.data());
  post.Bytes(8, reference_item.data());
  post.Bytes(9, responses.data());
  WireWriter path_item;
  path_item.Bytes(9, path_item_param.data());
  path_item.Bytes(4, post.data());
  WireWriter paths;
  paths.Bytes(2, Named("/api/v1/namespaces/{namespace}/configmaps", path_item.data()));
  WireWriter want;
  want.Bytes(8, paths.data());
  EXPECT_EQ(*got, want.data());
}

TEST(OpenApiV2, RefusesWhatItDoesNotCover) {
  Result<std::string> got = EncodeOpenApiV2Protobuf(
      ParseJson(R"({"definitions": {"A": {"type": "object", "nullable": true}}})").value());
  ASSERT_FALSE(got.ok());
  EXPECT_EQ(got.status().reason(), Reason::kInternal);
  EXPECT_NE(got.status().message().find("/definitions/A/nullable"), std::string::npos)
      << got.status().message();
  EXPECT_FALSE(EncodeOpenApiV2Protobuf(ParseJson(R"({"swagger": 2})").value()).ok());
}

TEST(OpenApiV2, TheDocumentOfTheBuiltInTypesEncodes) {
  Json doc = OpenApiV2Document(machinery::BuiltinResourceTypes());
  EXPECT_EQ(doc.at("swagger"), "2.0");
  const Json& definitions = doc.at("definitions");
  for (const machinery::ResourceType& t : machinery::BuiltinResourceTypes()) {
    const Json* d = FindMember(definitions, OpenApiV2DefinitionName(t));
    ASSERT_NE(d, nullptr) << t.kind;
    EXPECT_EQ(d->at("x-kubernetes-group-version-kind").at(0).at("kind"), Json(t.kind));
  }
  EXPECT_NE(FindMember(definitions, "io.k8s.api.rbac.v1.ClusterRole"), nullptr);
  EXPECT_NE(FindMember(definitions, "io.k8s.api.core.v1.ConfigMapList"), nullptr);
  EXPECT_NE(FindMember(definitions,
                       "io.k8s.apiextensions-apiserver.pkg.apis.apiextensions.v1."
                       "CustomResourceDefinition"),
            nullptr);
  Result<std::string> encoded = EncodeOpenApiV2Protobuf(doc);
  ASSERT_TRUE(encoded.ok()) << encoded.status().message();
  EXPECT_GT(encoded->size(), 1000u);

  machinery::ResourceType crontab{
      .group = "stable.example.com", .version = "v1", .kind = "CronTab"};
  EXPECT_EQ(OpenApiV2DefinitionName(crontab), "com.example.stable.v1.CronTab");
}

}  // namespace
}  // namespace kstack::server
