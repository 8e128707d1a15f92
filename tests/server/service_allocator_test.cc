// Service defaults, cluster IPs and node ports through the registry, over a real SQLite store.

#include "server/service_allocator.h"

#include <gtest/gtest.h>

#include "store/open_store.h"
#include "tests/testing/temp_dir.h"

namespace kstack::server {
namespace {

Json J(std::string_view text) { return ParseJson(text).value(); }

TEST(ServiceCidrTest, ParsesIpv4NetworksAndRefusesTheRest) {
  ServiceCidr cidr = ServiceCidr::Parse("10.43.0.0/16").value();
  EXPECT_EQ(cidr.ToString(), "10.43.0.0/16");
  EXPECT_EQ(cidr.size(), 65536u);
  // Host bits are dropped, as for a network.
  EXPECT_EQ(ServiceCidr::Parse("10.43.1.7/16").value().ToString(), "10.43.0.0/16");
  for (std::string_view bad : {"10.43.0.0", "10.43.0.0/33", "fd00::/108", "ten/8", "10.43.0.0/x"}) {
    Result<ServiceCidr> parsed = ServiceCidr::Parse(bad);
    ASSERT_FALSE(parsed.ok()) << bad;
    EXPECT_NE(parsed.status().message().find(std::string(bad)), std::string::npos)
        << parsed.status().message();
  }
  // The network and broadcast addresses are not in the range.
  ServiceCidr small = ServiceCidr::Parse("10.50.0.0/30").value();
  EXPECT_FALSE(small.Contains(0x0a320000));
  EXPECT_TRUE(small.Contains(0x0a320001));
  EXPECT_TRUE(small.Contains(0x0a320002));
  EXPECT_FALSE(small.Contains(0x0a320003));
}

class ServiceAllocatorTest : public ::testing::Test {
 protected:
  void SetUp() override { Open("10.50.0.0/28"); }
  void Open(std::string_view cidr) {
    registry_.reset();
    allocator_.reset();
    store_.reset();
    store_ = store::OpenStore({.data_dir = dir_.path()}).value();
    registry_ = std::make_unique<ObjectRegistry>(store_.get(), &clock_);
    allocator_ =
        std::make_unique<ServiceAllocator>(registry_.get(), ServiceCidr::Parse(cidr).value());
    registry_->SetAdmission(allocator_.get());
    registry_->Create(*machinery::FindBuiltinResource("", "v1", "namespaces"), "",
                      J(R"({"metadata":{"name":"default"}})"));
    ASSERT_TRUE(allocator_->Start().ok());
  }
  Result<Json> Create(std::string_view spec, std::string_view name = "svc") {
    return registry_->Create(services_, "default",
                             J(std::string(R"({"metadata":{"name":")") + std::string(name) +
                               R"("},"spec":)" + std::string(spec) + "}"));
  }

  const ResourceType& services_ = *machinery::FindBuiltinResource("", "v1", "services");
  kstack::testing::TempDir dir_;
  FakeClock clock_;
  std::unique_ptr<store::Store> store_;
  std::unique_ptr<ObjectRegistry> registry_;
  std::unique_ptr<ServiceAllocator> allocator_;
};

TEST_F(ServiceAllocatorTest, DefaultsAndAClusterIp) {
  Json svc = Create(R"({"ports":[{"port":80}]})").value();
  const Json& spec = svc.at("spec");
  std::string ip(spec.at("clusterIP").as_string());
  EXPECT_TRUE(ip.starts_with("10.50.0.")) << ip;
  EXPECT_EQ(WriteJson(spec.at("clusterIPs")), "[\"" + ip + "\"]");
  EXPECT_EQ(WriteJson(spec.at("ports")), R"([{"port":80,"protocol":"TCP","targetPort":80}])");
  EXPECT_EQ(spec.at("type"), Json("ClusterIP"));
  EXPECT_EQ(spec.at("sessionAffinity"), Json("None"));
  EXPECT_EQ(spec.at("ipFamilyPolicy"), Json("SingleStack"));
  EXPECT_EQ(WriteJson(spec.at("ipFamilies")), R"(["IPv4"])");
}

TEST_F(ServiceAllocatorTest, TheRangeFillsUpAndDeletesReleaseIt) {
  // A /28 has 14 usable addresses.
  for (int i = 0; i < 14; ++i) {
    ASSERT_TRUE(Create(R"({"ports":[{"port":80}]})", "s" + std::to_string(i)).ok()) << i;
  }
  Result<Json> full = Create(R"({"ports":[{"port":80}]})", "full");
  EXPECT_EQ(full.status().code(), 422);
  EXPECT_NE(full.status().message().find("range is full"), std::string::npos);
  std::string freed(
      registry_->Get(services_, "default", "s3")->at("spec").at("clusterIP").as_string());
  ASSERT_TRUE(registry_->Delete(services_, "default", "s3").ok());
  Json again = Create(R"({"ports":[{"port":80}]})", "full").value();
  EXPECT_EQ(again.at("spec").at("clusterIP"), Json(freed));
}

TEST_F(ServiceAllocatorTest, AllocationsAreDerivedFromStoredServicesAfterARestart) {
  ASSERT_TRUE(Create(R"({"clusterIP":"10.50.0.9","type":"NodePort",
                        "ports":[{"port":80,"nodePort":30500}]})")
                  .ok());
  Open("10.50.0.0/28");
  Result<Json> ip = Create(R"({"clusterIP":"10.50.0.9","ports":[{"port":80}]})", "other");
  EXPECT_EQ(ip.status().code(), 422);
  EXPECT_NE(ip.status().message().find("provided IP is already allocated"), std::string::npos);
  Result<Json> port =
      Create(R"({"type":"NodePort","ports":[{"port":80,"nodePort":30500}]})", "other");
  EXPECT_EQ(port.status().code(), 422);
  EXPECT_EQ(port.status().message(),
            R"(Service "other" is invalid: spec.ports[0].nodePort: Invalid value: 30500: )"
            "provided port is already allocated");
}

TEST_F(ServiceAllocatorTest, DryRunAndFailedCreatesHoldNothing) {
  ASSERT_TRUE(registry_
                  ->Create(services_, "default",
                           J(R"({"metadata":{"name":"dry"},"spec":{"clusterIP":"10.50.0.5"}})"),
                           {.dry_run = true})
                  .ok());
  ASSERT_TRUE(Create(R"({"clusterIP":"10.50.0.6"})", "taken").ok());
  // A second create of the same name fails as AlreadyExists without holding an address.
  EXPECT_EQ(Create(R"({"clusterIP":"10.50.0.7"})", "taken").status().code(), 409);
  EXPECT_TRUE(Create(R"({"clusterIP":"10.50.0.5"})", "a").ok());
  EXPECT_TRUE(Create(R"({"clusterIP":"10.50.0.7"})", "b").ok());
}

TEST_F(ServiceAllocatorTest, NodePortsGoWhenTheTypeNoLongerHasThem) {
  Json svc = Create(R"({"type":"NodePort","ports":[{"port":80,"nodePort":30600}]})").value();
  svc.at("spec").as_object()["type"] = "ClusterIP";
  Json updated = registry_->Update(services_, "default", "svc", svc).value();
  EXPECT_EQ(FindMember(updated.at("spec").at("ports").at(0), "nodePort"), nullptr);
  EXPECT_TRUE(Create(R"({"type":"NodePort","ports":[{"port":80,"nodePort":30600}]})", "next").ok());
  Result<Json> forbidden = Create(R"({"ports":[{"port":80,"nodePort":30601}]})", "plain");
  EXPECT_EQ(forbidden.status().code(), 422);
  EXPECT_NE(forbidden.status().message().find(
                "spec.ports[0].nodePort: Forbidden: may not be used when `type` is 'ClusterIP'"),
            std::string::npos)
      << forbidden.status().message();
}

}  // namespace
}  // namespace kstack::server
