// Kubernetes protobuf bodies decoded into JSON. The golden cases are folders
// testdata/protobuf/<case>/{body.pb, want.json, command}: the body the real kubectl sends for
// `command` (read from its -v=10 log), and what `command --dry-run=client -o json` prints, which
// is what a JSON client sends. scripts/capture-protobuf-case makes a case from a command.

#include "machinery/protobuf_object.h"

#include <gtest/gtest.h>

#include "machinery/internal/protobuf_types.h"
#include "machinery/protobuf_wire.h"
#include "tests/core/golden.h"

namespace kstack::machinery {
namespace {

namespace fs = std::filesystem;
using protobuf::WireField;
using protobuf::WireReader;
using protobuf::WireType;
using protobuf::WireWriter;

fs::path CasesDir() { return kstack::testing::SourceDir() / "tests/machinery/testdata/protobuf"; }

class ProtobufGolden : public ::testing::TestWithParam<std::string> {};

TEST_P(ProtobufGolden, DecodesToWhatAJsonClientSends) {
  fs::path dir = CasesDir() / GetParam();
  Result<Json> got = DecodeProtobufObject(kstack::testing::ReadFile(dir / "body.pb"));
  ASSERT_TRUE(got.ok()) << got.status().message();
  Result<Json> want = ParseJson(kstack::testing::ReadFile(dir / "want.json"));
  ASSERT_TRUE(want.ok()) << want.status().message();
  EXPECT_EQ(*got, *want) << WriteJson(*got, {.indent = 4});
}

INSTANTIATE_TEST_SUITE_P(Cases, ProtobufGolden,
                         ::testing::ValuesIn(kstack::testing::CaseNames(CasesDir())),
                         [](const auto& info) { return kstack::testing::TestName(info.param); });

// The envelope around a message of `kind`.
std::string Envelope(std::string_view api_version, std::string_view kind, std::string_view raw) {
  WireWriter type_meta;
  type_meta.Bytes(1, api_version);
  type_meta.Bytes(2, kind);
  WireWriter unknown;
  unknown.Bytes(1, type_meta.data());
  unknown.Bytes(2, raw);
  return std::string("k8s\0", 4) + unknown.data();
}

Json Decode(std::string_view message, const std::string& bytes) {
  Result<Json> got = DecodeProtobufMessage(message, bytes);
  EXPECT_TRUE(got.ok()) << got.status().message();
  return got.ok() ? *got : Json();
}

TEST(ProtobufObject, AnUnknownFieldNumberIsAnErrorNamingTheMessage) {
  WireWriter meta;
  meta.Bytes(1, "x");
  meta.Varint(99, 1);
  WireWriter cm;
  cm.Bytes(1, meta.data());
  Result<Json> got = DecodeProtobufObject(Envelope("v1", "ConfigMap", cm.data()));
  ASSERT_FALSE(got.ok());
  EXPECT_EQ(got.status().reason(), Reason::kBadRequest);
  EXPECT_EQ(got.status().message(),
            "protobuf: field 99 of message ObjectMeta (at metadata) is not known to kstack");
}

TEST(ProtobufObject, RefusesWhatItCannotDecode) {
  EXPECT_EQ(DecodeProtobufObject("{}").status().reason(), Reason::kBadRequest);
  EXPECT_EQ(DecodeProtobufObject(Envelope("v1", "Node", "")).status().reason(),
            Reason::kUnsupportedMediaType);
  // A string field sent as a varint.
  WireWriter meta;
  meta.Varint(1, 5);
  EXPECT_EQ(DecodeProtobufMessage("ObjectMeta", meta.data()).status().message(),
            "protobuf: field 1 of message ObjectMeta (at the object) has an unexpected wire type");
  // Truncated input.
  EXPECT_FALSE(DecodeProtobufMessage("ObjectMeta", std::string("\x0a\x05x", 3)).ok());
  // Not UTF-8.
  WireWriter bad;
  bad.Bytes(1, "\xff");
  EXPECT_FALSE(DecodeProtobufMessage("ObjectMeta", bad.data()).ok());
}

TEST(ProtobufObject, FollowsGoJsonForZeroValuesAndPointers) {
  // Go writes every non-pointer field, zero or not; JSON leaves out the omitempty ones.
  WireWriter spec;
  spec.Varint(1, 0);  // replicas *int32: present, so written even though 0
  spec.Varint(5, 0);  // minReadySeconds int32,omitempty: left out
  spec.Bytes(4, "");  // strategy: a struct, always written
  Json got = Decode("DeploymentSpec", spec.data());
  EXPECT_EQ(WriteJson(got),
            R"({"replicas":0,"selector":null,"template":{"metadata":{"creationTimestamp":null},)"
            R"("spec":{"containers":null}},"strategy":{}})");
}

TEST(ProtobufObject, SpecialTypes) {
  WireWriter time;
  time.Varint(1, 1704067200);  // 2024-01-01T00:00:00Z
  time.Varint(2, 5000);
  WireWriter meta;
  meta.Bytes(8, time.data());
  meta.Bytes(9, "");  // deletionTimestamp: an empty Time is the zero time
  EXPECT_EQ(WriteJson(Decode("ObjectMeta", meta.data())),
            R"({"creationTimestamp":"2024-01-01T00:00:00Z","deletionTimestamp":null})");

  WireWriter int_value, str_value;
  int_value.Varint(2, 8080);
  str_value.Varint(1, 1);
  str_value.Bytes(3, "http");
  WireWriter port;
  port.Varint(3, 80);
  port.Bytes(4, int_value.data());
  EXPECT_EQ(WriteJson(Decode("ServicePort", port.data())), R"({"port":80,"targetPort":8080})");
  WireWriter named;
  named.Bytes(4, str_value.data());
  EXPECT_EQ(WriteJson(Decode("ServicePort", named.data())), R"({"port":0,"targetPort":"http"})");

  WireWriter quantity, entry;
  quantity.Bytes(1, "500m");
  entry.Bytes(1, "cpu");
  entry.Bytes(2, quantity.data());
  WireWriter resources;
  resources.Bytes(1, entry.data());
  EXPECT_EQ(WriteJson(Decode("ResourceRequirements", resources.data())),
            R"({"limits":{"cpu":"500m"}})");

  WireWriter data_entry;
  data_entry.Bytes(1, "k");
  data_entry.Bytes(2, std::string("\x00\xff", 2));
  WireWriter secret;
  secret.Bytes(2, data_entry.data());
  EXPECT_EQ(WriteJson(Decode("Secret", secret.data())),
            R"({"metadata":{"creationTimestamp":null},"data":{"k":"AP8="}})");

  WireWriter fields, managed;
  fields.Bytes(1, R"({"f:data":{}})");
  managed.Bytes(1, "kubectl");
  managed.Bytes(7, fields.data());
  EXPECT_EQ(WriteJson(Decode("ManagedFieldsEntry", managed.data())),
            R"({"manager":"kubectl","fieldsV1":{"f:data":{}}})");
}

TEST(ProtobufObject, RepeatedNumbersPackedOrNot) {
  WireWriter packed;
  std::string varints = "\x01\x02";
  packed.Bytes(4, varints);  // supplementalGroups
  packed.Varint(4, 3);
  EXPECT_EQ(WriteJson(Decode("PodSecurityContext", packed.data())),
            R"({"supplementalGroups":[1,2,3]})");
  WireWriter negative;
  negative.Varint(2, static_cast<uint64_t>(int64_t{-1}));  // hostPort int32
  negative.Varint(3, 80);
  EXPECT_EQ(WriteJson(Decode("ContainerPort", negative.data())),
            R"({"hostPort":-1,"containerPort":80})");
}

TEST(ProtobufTypes, EveryKindHasAMessageAndEveryReferenceResolves) {
  for (auto [api_version, kind] :
       std::initializer_list<std::pair<std::string_view, std::string_view>>{
           {"v1", "Namespace"},
           {"v1", "ConfigMap"},
           {"v1", "Secret"},
           {"v1", "ServiceAccount"},
           {"v1", "Service"},
           {"v1", "Pod"},
           {"v1", "ResourceQuota"},
           {"apps/v1", "Deployment"},
           {"batch/v1", "Job"},
           {"batch/v1", "CronJob"},
           {"policy/v1", "PodDisruptionBudget"},
           {"networking.k8s.io/v1", "Ingress"},
           {"scheduling.k8s.io/v1", "PriorityClass"},
           {"rbac.authorization.k8s.io/v1", "ClusterRoleBinding"}}) {
    EXPECT_NE(protobuf::FindKindMessage(api_version, kind), nullptr) << kind;
  }
  EXPECT_EQ(protobuf::FindKindMessage("apps/v1", "Namespace"), nullptr);
  for (std::string_view name : protobuf::MessageNames()) {
    const protobuf::MessageType* m = protobuf::FindMessage(name);
    ASSERT_NE(m, nullptr);
    for (const protobuf::FieldType& f : m->fields) {
      EXPECT_EQ(f.kind == protobuf::FieldKind::kMessage, f.message != nullptr) << name;
      EXPECT_EQ(m->Find(f.number), &f) << name << " repeats field " << f.number;
    }
  }
  const protobuf::MessageType* pod_spec = protobuf::FindMessage("PodSpec");
  ASSERT_NE(pod_spec, nullptr);
  const protobuf::FieldType* containers = pod_spec->Find(2);
  ASSERT_NE(containers, nullptr);
  EXPECT_EQ(containers->json_name, "containers");
  EXPECT_EQ(containers->cardinality, protobuf::Cardinality::kRepeated);
  EXPECT_FALSE(containers->omitempty);
  EXPECT_EQ(containers->message, protobuf::FindMessage("Container"));
}

TEST(ProtobufWire, ReadsWhatTheWriterWrites) {
  WireWriter w;
  w.Varint(1, 300);
  w.Int64(2, -2);
  w.Bool(3, true);
  w.Double(4, 1.5);
  w.Bytes(536870911, "abc");
  WireReader r(w.data());
  WireField f;
  ASSERT_TRUE(r.Next(&f).ok());
  EXPECT_EQ(f.number, 1u);
  EXPECT_EQ(f.value, 300u);
  ASSERT_TRUE(r.Next(&f).ok());
  EXPECT_EQ(static_cast<int64_t>(f.value), -2);
  ASSERT_TRUE(r.Next(&f).ok());
  EXPECT_EQ(f.value, 1u);
  ASSERT_TRUE(r.Next(&f).ok());
  EXPECT_EQ(f.type, WireType::kFixed64);
  EXPECT_EQ(std::bit_cast<double>(f.value), 1.5);
  ASSERT_TRUE(r.Next(&f).ok());
  EXPECT_EQ(f.number, 536870911u);
  EXPECT_EQ(f.bytes, "abc");
  EXPECT_TRUE(r.AtEnd());
  // A group (wire type 3) and a varint of 11 bytes are refused.
  WireReader group("\x0b");
  EXPECT_FALSE(group.Next(&f).ok());
  std::string long_varint = "\x08" + std::string(10, '\xff') + "\x01";
  WireReader too_long(long_varint);
  EXPECT_FALSE(too_long.Next(&f).ok());
}

}  // namespace
}  // namespace kstack::machinery
