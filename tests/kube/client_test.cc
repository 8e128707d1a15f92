// kube::HttpClient against the real kstack server: CRUD, each patch type, errors mapped to
// Status, delete options, dry-run, concurrency on the connection pool, TLS trust.

#include <atomic>
#include <thread>

#include "tests/kube/client_fixture.h"

namespace kstack::kube {
namespace {

TEST_F(KubeClientTest, CreateGetListUpdateDelete) {
  Result<Json> created = client_->Create(ConfigMaps(), ConfigMap("one"));
  ASSERT_TRUE(created.ok()) << created.status().ToString();
  EXPECT_FALSE(Rv(*created).empty());
  EXPECT_FALSE(FindString(created->at("metadata"), "uid").empty());

  Result<Json> got = client_->Get(ConfigMaps("default", "one"));
  ASSERT_TRUE(got.ok()) << got.status().ToString();
  EXPECT_EQ(got->at("data").at("k"), "v");
  EXPECT_EQ(Rv(*got), Rv(*created));

  Json changed = *got;
  changed.as_object()["data"].as_object()["k"] = "w";
  Result<Json> updated = client_->Update(ConfigMaps(), changed);
  ASSERT_TRUE(updated.ok()) << updated.status().ToString();
  EXPECT_EQ(updated->at("data").at("k"), "w");
  EXPECT_NE(Rv(*updated), Rv(*got));

  ASSERT_TRUE(client_->Create(ConfigMaps(), ConfigMap("two")).ok());
  Result<Json> list = client_->List(ConfigMaps());
  ASSERT_TRUE(list.ok()) << list.status().ToString();
  EXPECT_EQ(FindString(*list, "kind"), "ConfigMapList");
  EXPECT_FALSE(FindString(list->at("metadata"), "resourceVersion").empty());
  std::vector<std::string> names;
  for (const Json& item : list->at("items").as_array()) {
    names.emplace_back(FindString(item.at("metadata"), "name"));
  }
  // The namespace also holds kube-root-ca.crt, which the server puts in every namespace.
  EXPECT_NE(std::find(names.begin(), names.end(), "one"), names.end());
  EXPECT_NE(std::find(names.begin(), names.end(), "two"), names.end());

  Result<Json> deleted = client_->Delete(ConfigMaps("default", "one"));
  ASSERT_TRUE(deleted.ok()) << deleted.status().ToString();
  Result<Json> gone = client_->Get(ConfigMaps("default", "one"));
  ASSERT_FALSE(gone.ok());
  EXPECT_EQ(gone.status().reason(), Reason::kNotFound);
}

TEST_F(KubeClientTest, KindIsMappedToItsResource) {
  ResourceRef by_kind{.version = "v1", .kind = "ConfigMap", .namespace_name = "default"};
  ASSERT_TRUE(client_->Create(by_kind, ConfigMap("by-kind")).ok());
  by_kind.name = "by-kind";
  Result<Json> got = client_->Get(by_kind);
  ASSERT_TRUE(got.ok()) << got.status().ToString();
  Result<Json> namespaces = client_->List({.version = "v1", .kind = "Namespace"});
  ASSERT_TRUE(namespaces.ok()) << namespaces.status().ToString();
  EXPECT_EQ(FindString(*namespaces, "kind"), "NamespaceList");

  Result<Json> unknown = client_->List({.group = "example.com", .version = "v1", .kind = "Nope"});
  ASSERT_FALSE(unknown.ok());
  EXPECT_EQ(unknown.status().reason(), Reason::kNotFound);
  EXPECT_EQ(unknown.status().message(), "no resource of kind Nope in example.com/v1 is served");
}

TEST_F(KubeClientTest, ListWithSelectorsAndPages) {
  for (int i = 0; i < 5; ++i) {
    Json cm = ConfigMap("page-" + std::to_string(i));
    cm.as_object()["metadata"].as_object()["labels"] = {{"tier", i % 2 ? "odd" : "even"}};
    ASSERT_TRUE(client_->Create(ConfigMaps(), cm).ok());
  }
  Result<Json> odd = client_->List(ConfigMaps(), {.label_selector = "tier=odd"});
  ASSERT_TRUE(odd.ok()) << odd.status().ToString();
  EXPECT_EQ(odd->at("items").as_array().size(), 2u);

  Result<Json> named = client_->List(ConfigMaps(), {.field_selector = "metadata.name=page-3"});
  ASSERT_TRUE(named.ok()) << named.status().ToString();
  ASSERT_EQ(named->at("items").as_array().size(), 1u);

  std::vector<std::string> seen;
  ListOptions options{.label_selector = "tier in (odd,even)", .limit = 2};
  int pages = 0;
  do {
    Result<Json> page = client_->List(ConfigMaps(), options);
    ASSERT_TRUE(page.ok()) << page.status().ToString();
    EXPECT_LE(page->at("items").as_array().size(), 2u);
    for (const Json& item : page->at("items").as_array()) {
      seen.emplace_back(FindString(item.at("metadata"), "name"));
    }
    options.continue_token = std::string(FindString(page->at("metadata"), "continue"));
    ++pages;
  } while (!options.continue_token.empty() && pages < 10);
  EXPECT_EQ(pages, 3);
  EXPECT_EQ(seen, (std::vector<std::string>{"page-0", "page-1", "page-2", "page-3", "page-4"}));

  Result<Json> bad = client_->List(ConfigMaps(), {.label_selector = "a in (b"});
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.status().code(), 400) << bad.status().ToString();
}

TEST_F(KubeClientTest, ListAtAnExactResourceVersion) {
  Result<Json> created = client_->Create(ConfigMaps(), ConfigMap("versioned", {{"k", "old"}}));
  ASSERT_TRUE(created.ok());
  ASSERT_TRUE(
      client_
          ->Patch(ConfigMaps("default", "versioned"), PatchType::kMerge, {{"data", {{"k", "new"}}}})
          .ok());
  Result<Json> then = client_->List(ConfigMaps(), {.field_selector = "metadata.name=versioned",
                                                   .resource_version = Rv(*created),
                                                   .resource_version_match = "Exact"});
  ASSERT_TRUE(then.ok()) << then.status().ToString();
  ASSERT_EQ(then->at("items").as_array().size(), 1u);
  EXPECT_EQ(then->at("items").at(0).at("data").at("k"), "old");
  EXPECT_EQ(FindString(then->at("metadata"), "resourceVersion"), Rv(*created));

  Result<Json> future = client_->List(
      ConfigMaps(), {.resource_version = "999999999", .resource_version_match = "Exact"});
  ASSERT_FALSE(future.ok());
  // As Kubernetes answers a version it has not reached: 504 Timeout, so clients retry.
  EXPECT_EQ(future.status().reason(), Reason::kTimeout) << future.status().ToString();
  EXPECT_EQ(future.status().code(), 504);
}

TEST_F(KubeClientTest, ErrorsCarryTheReasonAndMessageOfTheServer) {
  Result<Json> missing = client_->Get(ConfigMaps("default", "absent"));
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.status().reason(), Reason::kNotFound);
  EXPECT_EQ(missing.status().message(), "configmaps \"absent\" not found");
  ASSERT_NE(missing.status().details(), nullptr);
  EXPECT_EQ(missing.status().details()->name, "absent");
  EXPECT_EQ(missing.status().details()->kind, "configmaps");

  ASSERT_TRUE(client_->Create(ConfigMaps(), ConfigMap("twice")).ok());
  Result<Json> again = client_->Create(ConfigMaps(), ConfigMap("twice"));
  ASSERT_FALSE(again.ok());
  EXPECT_EQ(again.status().reason(), Reason::kAlreadyExists);
  EXPECT_EQ(again.status().code(), 409);
  EXPECT_EQ(again.status().message(), "configmaps \"twice\" already exists");

  Result<Json> current = client_->Get(ConfigMaps("default", "twice"));
  ASSERT_TRUE(current.ok());
  Json stale = *current;
  Json newer = *current;
  newer.as_object()["data"].as_object()["k"] = "newer";
  ASSERT_TRUE(client_->Update(ConfigMaps(), newer).ok());  // moves the version on
  Result<Json> conflict = client_->Update(ConfigMaps(), stale);
  ASSERT_FALSE(conflict.ok());
  EXPECT_EQ(conflict.status().reason(), Reason::kConflict);
  EXPECT_NE(conflict.status().message().find("the object has been modified"), std::string::npos)
      << conflict.status().message();

  Result<Json> invalid = client_->Create(ConfigMaps(), ConfigMap("Not_A_Name"));
  ASSERT_FALSE(invalid.ok());
  EXPECT_EQ(invalid.status().reason(), Reason::kInvalid);
  EXPECT_EQ(invalid.status().code(), 422);
  ASSERT_NE(invalid.status().details(), nullptr);
  ASSERT_FALSE(invalid.status().details()->causes.empty());
  EXPECT_EQ(invalid.status().details()->causes[0].field, "metadata.name");

  Result<Json> no_such_namespace =
      client_->Create(ConfigMaps("nowhere"), ConfigMap("x", {}, "nowhere"));
  ASSERT_FALSE(no_such_namespace.ok());
  EXPECT_EQ(no_such_namespace.status().reason(), Reason::kNotFound);
  EXPECT_EQ(no_such_namespace.status().message(), "namespaces \"nowhere\" not found");
}

TEST_F(KubeClientTest, EachPatchType) {
  ASSERT_TRUE(client_->Create(ConfigMaps(), ConfigMap("patched", {{"a", "1"}, {"b", "2"}})).ok());
  ResourceRef ref = ConfigMaps("default", "patched");

  Result<Json> merged =
      client_->Patch(ref, PatchType::kMerge, {{"data", {{"b", nullptr}, {"c", "3"}}}});
  ASSERT_TRUE(merged.ok()) << merged.status().ToString();
  EXPECT_EQ(merged->at("data"), (Json{{"a", "1"}, {"c", "3"}}));

  Result<Json> json_patch = client_->Patch(
      ref, PatchType::kJson,
      JsonArray{Json{{"op", "replace"}, {"path", "/data/a"}, {"value", "10"}},
                Json{{"op", "add"}, {"path", "/metadata/labels"}, {"value", {{"x", "y"}}}}});
  ASSERT_TRUE(json_patch.ok()) << json_patch.status().ToString();
  EXPECT_EQ(json_patch->at("data").at("a"), "10");
  EXPECT_EQ(json_patch->at("metadata").at("labels").at("x"), "y");

  Result<Json> failed_test = client_->Patch(
      ref, PatchType::kJson, JsonArray{Json{{"op", "test"}, {"path", "/data/a"}, {"value", "no"}}});
  ASSERT_FALSE(failed_test.ok());
  EXPECT_EQ(failed_test.status().code(), 422) << failed_test.status().ToString();

  // Strategic merge on a Deployment: containers merge by name.
  ResourceRef deployments{
      .group = "apps", .version = "v1", .resource = "deployments", .namespace_name = "default"};
  Json deployment = {{"apiVersion", "apps/v1"},
                     {"kind", "Deployment"},
                     {"metadata", {{"name", "web"}}},
                     {"spec",
                      {{"selector", {{"matchLabels", {{"app", "web"}}}}},
                       {"template",
                        {{"metadata", {{"labels", {{"app", "web"}}}}},
                         {"spec",
                          {{"containers", JsonArray{Json{{"name", "a"}, {"image", "a:1"}},
                                                    Json{{"name", "b"}, {"image", "b:1"}}}}}}}}}}};
  ASSERT_TRUE(client_->Create(deployments, deployment).ok());
  deployments.name = "web";
  Result<Json> strategic = client_->Patch(
      deployments, PatchType::kStrategic,
      {{"spec",
        {{"template",
          {{"spec", {{"containers", JsonArray{Json{{"name", "b"}, {"image", "b:2"}}}}}}}}}}});
  ASSERT_TRUE(strategic.ok()) << strategic.status().ToString();
  const JsonArray& containers =
      strategic->at("spec").at("template").at("spec").at("containers").as_array();
  ASSERT_EQ(containers.size(), 2u);
  EXPECT_EQ(containers[0].at("image"), "a:1");
  EXPECT_EQ(containers[1].at("image"), "b:2");

  // Server-side apply needs a field manager; the client refuses before sending.
  Result<Json> no_manager = client_->Patch(ref, PatchType::kApply, ConfigMap("patched"));
  ASSERT_FALSE(no_manager.ok());
  EXPECT_EQ(no_manager.status().reason(), Reason::kInvalid);
  EXPECT_NE(no_manager.status().message().find("fieldManager"), std::string::npos);
}

TEST_F(KubeClientTest, ServerSideApplyCreatesUpdatesAndReportsConflicts) {
  ResourceRef ref = ConfigMaps("default", "applied");
  // Applying to a name that does not exist creates the object.
  Result<Json> created = client_->Patch(ref, PatchType::kApply, ConfigMap("applied", {{"a", "1"}}),
                                        {.field_manager = "owner"});
  ASSERT_TRUE(created.ok()) << created.status().ToString();
  EXPECT_EQ(created->at("data"), (Json{{"a", "1"}}));
  const JsonArray* managed = FindArray(created->at("metadata"), "managedFields");
  ASSERT_NE(managed, nullptr);
  ASSERT_EQ(managed->size(), 1u);
  EXPECT_EQ(FindString(managed->at(0), "manager"), "owner");
  EXPECT_EQ(FindString(managed->at(0), "operation"), "Apply");

  // The same manager applying again without a field removes it; a new one is added.
  Result<Json> reapplied = client_->Patch(
      ref, PatchType::kApply, ConfigMap("applied", {{"b", "2"}}), {.field_manager = "owner"});
  ASSERT_TRUE(reapplied.ok()) << reapplied.status().ToString();
  EXPECT_EQ(reapplied->at("data"), (Json{{"b", "2"}}));

  // Another manager setting an owned field to another value conflicts, naming the field.
  Result<Json> conflict =
      client_->Patch(ref, PatchType::kApply, ConfigMap("applied", {{"b", "other"}}),
                     {.field_manager = "intruder"});
  ASSERT_FALSE(conflict.ok());
  EXPECT_EQ(conflict.status().reason(), Reason::kConflict) << conflict.status().ToString();
  ASSERT_NE(conflict.status().details(), nullptr);
  ASSERT_FALSE(conflict.status().details()->causes.empty());
  EXPECT_EQ(conflict.status().details()->causes[0].field, ".data.b");
  EXPECT_EQ(client_->Get(ref)->at("data").at("b"), "2");

  // With force the field changes hands.
  Result<Json> forced =
      client_->Patch(ref, PatchType::kApply, ConfigMap("applied", {{"b", "other"}}),
                     {.field_manager = "intruder", .force = true});
  ASSERT_TRUE(forced.ok()) << forced.status().ToString();
  EXPECT_EQ(forced->at("data").at("b"), "other");

  // A dry-run apply is answered and not stored.
  Result<Json> dry =
      client_->Patch(ref, PatchType::kApply, ConfigMap("applied", {{"b", "other"}, {"c", "3"}}),
                     {.dry_run = true, .field_manager = "intruder"});
  ASSERT_TRUE(dry.ok()) << dry.status().ToString();
  EXPECT_EQ(dry->at("data").at("c"), "3");
  EXPECT_EQ(FindMember(client_->Get(ref)->at("data"), "c"), nullptr);
}

TEST_F(KubeClientTest, DryRunWritesStoreNothing) {
  Result<Json> created = client_->Create(ConfigMaps(), ConfigMap("dry"), {.dry_run = true});
  ASSERT_TRUE(created.ok()) << created.status().ToString();
  EXPECT_EQ(FindString(created->at("metadata"), "name"), "dry");
  EXPECT_EQ(client_->Get(ConfigMaps("default", "dry")).status().reason(), Reason::kNotFound);

  ASSERT_TRUE(client_->Create(ConfigMaps(), ConfigMap("wet")).ok());
  ResourceRef wet = ConfigMaps("default", "wet");
  Result<Json> patched =
      client_->Patch(wet, PatchType::kMerge, {{"data", {{"k", "dry"}}}}, {.dry_run = true});
  ASSERT_TRUE(patched.ok()) << patched.status().ToString();
  EXPECT_EQ(patched->at("data").at("k"), "dry");
  EXPECT_EQ(client_->Get(wet)->at("data").at("k"), "v");

  ASSERT_TRUE(client_->Delete(wet, {.dry_run = true}).ok());
  EXPECT_TRUE(client_->Get(wet).ok());
}

TEST_F(KubeClientTest, DeleteWithPreconditionsAndPropagation) {
  Result<Json> created = client_->Create(ConfigMaps(), ConfigMap("guarded"));
  ASSERT_TRUE(created.ok());
  ResourceRef ref = ConfigMaps("default", "guarded");
  Result<Json> wrong_uid = client_->Delete(ref, {.precondition_uid = "not-the-uid"});
  ASSERT_FALSE(wrong_uid.ok());
  EXPECT_EQ(wrong_uid.status().reason(), Reason::kConflict) << wrong_uid.status().ToString();
  EXPECT_TRUE(client_->Get(ref).ok());

  Result<Json> right = client_->Delete(
      ref, {.propagation_policy = "Foreground",
            .precondition_uid = std::string(FindString(created->at("metadata"), "uid")),
            .precondition_resource_version = Rv(*created)});
  ASSERT_TRUE(right.ok()) << right.status().ToString();
  // Foreground: the object waits, marked, until the garbage collector finds no dependents.
  Result<Json> gone = client_->Get(ref);
  for (int i = 0; i < 100 && gone.ok(); ++i) {
    EXPECT_TRUE(FindMember(gone->at("metadata"), "deletionTimestamp") != nullptr);
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
    gone = client_->Get(ref);
  }
  EXPECT_EQ(gone.status().reason(), Reason::kNotFound);

  Result<Json> twice = client_->Delete(ref);
  ASSERT_FALSE(twice.ok());
  EXPECT_EQ(twice.status().reason(), Reason::kNotFound);
}

TEST_F(KubeClientTest, ConcurrentCallersShareThePool) {
  ASSERT_TRUE(client_->Create(ConfigMaps(), ConfigMap("shared")).ok());
  std::atomic<int> ok{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 8; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < 25; ++i) {
        if (i % 5 == 0) {
          if (client_
                  ->Create(ConfigMaps(),
                           ConfigMap("c-" + std::to_string(t) + "-" + std::to_string(i)))
                  .ok()) {
            ok.fetch_add(1);
          }
        } else if (client_->Get(ConfigMaps("default", "shared")).ok()) {
          ok.fetch_add(1);
        }
      }
    });
  }
  for (std::thread& t : threads) t.join();
  EXPECT_EQ(ok.load(), 200);
  // Each caller holds at most one connection at a time, and connections are reused.
  EXPECT_LE(client_->connections_opened(), 9);
  Result<Json> list = client_->List(ConfigMaps(), {.field_selector = "metadata.name!=shared"});
  ASSERT_TRUE(list.ok());
  // 40 created plus kube-root-ca.crt.
  EXPECT_EQ(list->at("items").as_array().size(), 41u);
}

TEST_F(KubeClientTest, SequentialRequestsReuseOneConnection) {
  std::unique_ptr<HttpClient> client = NewClient(config_);
  for (int i = 0; i < 30; ++i) {
    ASSERT_TRUE(client->Get({.version = "v1", .resource = "namespaces", .name = "default"}).ok());
  }
  EXPECT_EQ(client->connections_opened(), 1);
}

TEST_F(KubeClientTest, PooledConnectionsSurviveAServerRestart) {
  ASSERT_TRUE(client_->Create(ConfigMaps(), ConfigMap("before")).ok());
  int port = Port();
  server_.process->Signal(SIGTERM);
  ASSERT_TRUE(server_.process->Wait(std::chrono::milliseconds(5000)).has_value());
  Result<Json> down = client_->Get(ConfigMaps("default", "before"));
  EXPECT_EQ(down.status().reason(), Reason::kUnavailable) << down.status().ToString();
  server_ = Start(port);
  ASSERT_FALSE(server_.url.empty());
  // The pooled connection is dead; the client notices and opens another, for writes too.
  ASSERT_TRUE(client_->Create(ConfigMaps(), ConfigMap("after")).ok());
  Result<Json> got = client_->Get(ConfigMaps("default", "before"));
  ASSERT_TRUE(got.ok()) << got.status().ToString();
}

TEST_F(KubeClientTest, ARequestWithoutAnAnswerInTimeIsATimeout) {
  std::unique_ptr<HttpClient> impatient =
      NewClient(config_, {.request_timeout = std::chrono::milliseconds(300)});
  Result<Json> list = impatient->List(ConfigMaps());
  ASSERT_TRUE(list.ok()) << list.status().ToString();
  // A watch read as a plain request: the server answers the headers, then waits for events.
  auto begin = std::chrono::steady_clock::now();
  Result<Json> hung =
      impatient->GetPath("/api/v1/namespaces/default/configmaps?watch=1&resourceVersion=" +
                         std::string(FindString(list->at("metadata"), "resourceVersion")));
  auto took = std::chrono::steady_clock::now() - begin;
  ASSERT_FALSE(hung.ok());
  EXPECT_EQ(hung.status().reason(), Reason::kTimeout) << hung.status().ToString();
  EXPECT_GE(took, std::chrono::milliseconds(250));
  EXPECT_LT(took, std::chrono::milliseconds(2000));
  // The timed-out connection is not reused; the next request works.
  EXPECT_TRUE(impatient->List(ConfigMaps()).ok());
}

TEST_F(KubeClientTest, StatusSubresource) {
  // A Service: no controller of the server writes its status.
  ResourceRef services{.version = "v1", .resource = "services", .namespace_name = "default"};
  Json service = {{"apiVersion", "v1"},
                  {"kind", "Service"},
                  {"metadata", {{"name", "st"}}},
                  {"spec", {{"type", "LoadBalancer"}, {"ports", JsonArray{Json{{"port", 80}}}}}}};
  Result<Json> created = client_->Create(services, service);
  ASSERT_TRUE(created.ok()) << created.status().ToString();
  Json with_status = *created;
  with_status.as_object()["status"] = {
      {"loadBalancer", {{"ingress", JsonArray{Json{{"ip", "192.0.2.1"}}}}}}};
  services.name = "st";
  Result<Json> updated = client_->UpdateStatus(services, with_status);
  ASSERT_TRUE(updated.ok()) << updated.status().ToString();
  EXPECT_EQ(updated->at("status").at("loadBalancer").at("ingress").at(0).at("ip"), "192.0.2.1");
  Result<Json> patched = client_->Patch(
      services, PatchType::kMerge,
      {{"status", {{"loadBalancer", {{"ingress", JsonArray{Json{{"ip", "192.0.2.2"}}}}}}}}},
      {.subresource = "status"});
  ASSERT_TRUE(patched.ok()) << patched.status().ToString();
  EXPECT_EQ(client_->Get(services)->at("status").at("loadBalancer").at("ingress").at(0).at("ip"),
            "192.0.2.2");
}

TEST_F(KubeClientTest, TlsTrustAndUnreachableServers) {
  // The client certificate is no CA: the server's certificate cannot be verified.
  RestConfig untrusted = config_;
  untrusted.ca_pem = config_.client_cert_pem;
  std::unique_ptr<HttpClient> refused = NewClient(untrusted);
  ASSERT_NE(refused, nullptr);
  Result<Json> r = refused->GetPath("/version");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().reason(), Reason::kUnavailable);
  EXPECT_NE(r.status().message().find("certificate verify failed"), std::string::npos)
      << r.status().message();

  RestConfig insecure = config_;
  insecure.ca_pem.clear();
  insecure.insecure_skip_tls_verify = true;
  std::unique_ptr<HttpClient> skipping = NewClient(insecure);
  ASSERT_NE(skipping, nullptr);
  EXPECT_TRUE(skipping->GetPath("/version").ok());

  // Another name than the certificate's.
  RestConfig wrong_name = config_;
  wrong_name.tls_server_name = "not-the-server.example";
  std::unique_ptr<HttpClient> misnamed = NewClient(wrong_name);
  ASSERT_NE(misnamed, nullptr);
  EXPECT_EQ(misnamed->GetPath("/version").status().reason(), Reason::kUnavailable);

  // Without the client certificate the server does not know who asks.
  RestConfig anonymous = config_;
  anonymous.client_cert_pem.clear();
  anonymous.client_key_pem.clear();
  std::unique_ptr<HttpClient> stranger = NewClient(anonymous);
  ASSERT_NE(stranger, nullptr);
  Result<Json> unauthorized = stranger->Get(ConfigMaps("default", "kube-root-ca.crt"));
  EXPECT_EQ(unauthorized.status().reason(), Reason::kUnauthorized)
      << unauthorized.status().ToString();
  EXPECT_EQ(unauthorized.status().code(), 401);

  RestConfig nobody = config_;
  nobody.server = "https://127.0.0.1:1";
  std::unique_ptr<HttpClient> nowhere = NewClient(nobody);
  ASSERT_NE(nowhere, nullptr);
  Result<Json> down = nowhere->GetPath("/version");
  EXPECT_EQ(down.status().reason(), Reason::kUnavailable);
  EXPECT_NE(down.status().message().find("GET https://127.0.0.1:1/version"), std::string::npos)
      << down.status().message();

  RestConfig bad_url = config_;
  bad_url.server = "ftp://x";
  EXPECT_EQ(HttpClient::Create(bad_url).status().reason(), Reason::kInvalid);
}

}  // namespace
}  // namespace kstack::kube
