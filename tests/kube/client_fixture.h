#pragma once

// A real `kstack server` started by the test and a kube::HttpClient configured from the
// kubeconfig the server writes, as any program outside the server would reach it.

#include <gtest/gtest.h>

#include <memory>

#include "kube/http_client.h"
#include "kube/kubeconfig.h"
#include "tests/e2e/server_fixture.h"

namespace kstack::kube {

class KubeClientTest : public e2e::ServerE2eTest {
 protected:
  void SetUp() override {
    ServerE2eTest::SetUp();
    StartServer();
    ASSERT_FALSE(HasFatalFailure());
    Result<Kubeconfig> kubeconfig = LoadKubeconfig(server_.kubeconfig);
    ASSERT_TRUE(kubeconfig.ok()) << kubeconfig.status().ToString();
    config_ = kubeconfig->config;
    client_ = NewClient(config_);
    ASSERT_NE(client_, nullptr);
  }
  void TearDown() override {
    client_.reset();
    ServerE2eTest::TearDown();
  }

  static std::unique_ptr<HttpClient> NewClient(const RestConfig& config,
                                               const HttpClientOptions& options = {}) {
    Result<std::unique_ptr<HttpClient>> client = HttpClient::Create(config, options);
    EXPECT_TRUE(client.ok()) << client.status().ToString();
    return client.ok() ? std::move(*client) : nullptr;
  }

  int Port() const { return std::stoi(server_.url.substr(server_.url.rfind(':') + 1)); }

  static ResourceRef ConfigMaps(std::string ns = "default", std::string name = "") {
    return {.version = "v1",
            .resource = "configmaps",
            .namespace_name = std::move(ns),
            .name = std::move(name)};
  }

  static Json ConfigMap(const std::string& name, Json data = JsonObject{{"k", "v"}},
                        const std::string& ns = "default") {
    return Json{{"apiVersion", "v1"},
                {"kind", "ConfigMap"},
                {"metadata", {{"name", name}, {"namespace", ns}}},
                {"data", std::move(data)}};
  }

  static std::string Rv(const Json& object) {
    return std::string(FindString(object.at("metadata"), "resourceVersion"));
  }

  RestConfig config_;
  std::unique_ptr<HttpClient> client_;
};

}  // namespace kstack::kube
