// Watches and discovery of kube::HttpClient against the real kstack server.

#include <thread>

#include "kube/discovery.h"
#include "kube/internal/watch_line.h"
#include "machinery/resource_types.h"
#include "tests/kube/client_fixture.h"

namespace kstack::kube {
namespace {

using std::chrono::milliseconds;

// The next non-bookmark event within `timeout`.
Result<WatchEvent> NextEvent(WatchStream& watch, milliseconds timeout = milliseconds(5000)) {
  auto deadline = std::chrono::steady_clock::now() + timeout;
  while (std::chrono::steady_clock::now() < deadline) {
    KSTACK_ASSIGN_OR_RETURN(std::optional<WatchEvent> event, watch.Next(milliseconds(200)));
    if (event && event->type != WatchEvent::Type::kBookmark) return std::move(*event);
  }
  return TimeoutError("no event");
}

TEST_F(KubeClientTest, WatchSeesChangesInOrderFromAResourceVersion) {
  Result<Json> list = client_->List(ConfigMaps());
  ASSERT_TRUE(list.ok());
  std::string from(FindString(list->at("metadata"), "resourceVersion"));
  Result<std::unique_ptr<WatchStream>> watch =
      client_->Watch(ConfigMaps(), {.resource_version = from});
  ASSERT_TRUE(watch.ok()) << watch.status().ToString();

  Result<Json> created = client_->Create(ConfigMaps(), ConfigMap("w"));
  ASSERT_TRUE(created.ok());
  Result<Json> patched =
      client_->Patch(ConfigMaps("default", "w"), PatchType::kMerge, {{"data", {{"k", "2"}}}});
  ASSERT_TRUE(patched.ok());
  ASSERT_TRUE(client_->Delete(ConfigMaps("default", "w")).ok());

  Result<WatchEvent> added = NextEvent(**watch);
  ASSERT_TRUE(added.ok()) << added.status().ToString();
  EXPECT_EQ(added->type, WatchEvent::Type::kAdded);
  EXPECT_EQ(added->resource_version, Rv(*created));
  Result<WatchEvent> modified = NextEvent(**watch);
  ASSERT_TRUE(modified.ok()) << modified.status().ToString();
  EXPECT_EQ(modified->type, WatchEvent::Type::kModified);
  EXPECT_EQ(modified->object.at("data").at("k"), "2");
  EXPECT_EQ(modified->resource_version, Rv(*patched));
  Result<WatchEvent> deleted = NextEvent(**watch);
  ASSERT_TRUE(deleted.ok()) << deleted.status().ToString();
  EXPECT_EQ(deleted->type, WatchEvent::Type::kDeleted);
  EXPECT_EQ(FindString(deleted->object.at("metadata"), "name"), "w");
  EXPECT_GT(std::stoll(deleted->resource_version), std::stoll(modified->resource_version));
}

TEST_F(KubeClientTest, WatchWithoutVersionStartsWithCurrentObjectsAndFollowsSelectors) {
  Json labelled = ConfigMap("labelled");
  labelled.as_object()["metadata"].as_object()["labels"] = {{"watch", "me"}};
  ASSERT_TRUE(client_->Create(ConfigMaps(), labelled).ok());
  ASSERT_TRUE(client_->Create(ConfigMaps(), ConfigMap("other")).ok());
  Result<std::unique_ptr<WatchStream>> watch =
      client_->Watch(ConfigMaps(), {.label_selector = "watch=me"});
  ASSERT_TRUE(watch.ok()) << watch.status().ToString();
  Result<WatchEvent> first = NextEvent(**watch);
  ASSERT_TRUE(first.ok()) << first.status().ToString();
  EXPECT_EQ(first->type, WatchEvent::Type::kAdded);
  EXPECT_EQ(FindString(first->object.at("metadata"), "name"), "labelled");
  // "other" does not match; the next event is the one that does.
  ASSERT_TRUE(
      client_
          ->Patch(ConfigMaps("default", "other"), PatchType::kMerge, {{"data", {{"k", "changed"}}}})
          .ok());
  ASSERT_TRUE(client_
                  ->Patch(ConfigMaps("default", "labelled"), PatchType::kMerge,
                          {{"data", {{"k", "changed"}}}})
                  .ok());
  Result<WatchEvent> next = NextEvent(**watch);
  ASSERT_TRUE(next.ok()) << next.status().ToString();
  EXPECT_EQ(next->type, WatchEvent::Type::kModified);
  EXPECT_EQ(FindString(next->object.at("metadata"), "name"), "labelled");
}

TEST_F(KubeClientTest, WatchOfOneNamedObject) {
  ASSERT_TRUE(client_->Create(ConfigMaps(), ConfigMap("a")).ok());
  ASSERT_TRUE(client_->Create(ConfigMaps(), ConfigMap("b")).ok());
  Result<std::unique_ptr<WatchStream>> watch = client_->Watch(ConfigMaps("default", "b"));
  ASSERT_TRUE(watch.ok()) << watch.status().ToString();
  Result<WatchEvent> first = NextEvent(**watch);
  ASSERT_TRUE(first.ok()) << first.status().ToString();
  EXPECT_EQ(FindString(first->object.at("metadata"), "name"), "b");
}

TEST_F(KubeClientTest, CancelEndsAWaitingWatchAtOnce) {
  Result<std::unique_ptr<WatchStream>> watch =
      client_->Watch(ConfigMaps(), {.resource_version = "0"});
  ASSERT_TRUE(watch.ok()) << watch.status().ToString();
  std::thread canceller([&] {
    std::this_thread::sleep_for(milliseconds(200));
    (*watch)->Cancel();
  });
  auto begin = std::chrono::steady_clock::now();
  Status end;
  while (end.ok() && std::chrono::steady_clock::now() - begin < std::chrono::seconds(5)) {
    Result<std::optional<WatchEvent>> event = (*watch)->Next(milliseconds(10000));
    if (!event.ok()) end = event.status();
  }
  canceller.join();
  EXPECT_LT(std::chrono::steady_clock::now() - begin, std::chrono::seconds(2));
  EXPECT_EQ(end.reason(), Reason::kUnavailable) << end.ToString();
  // Later calls keep returning the end.
  EXPECT_FALSE((*watch)->Next(milliseconds(0)).ok());
}

TEST_F(KubeClientTest, AWatchOutlivesItsClient) {
  std::unique_ptr<HttpClient> short_lived = NewClient(config_);
  Result<std::unique_ptr<WatchStream>> watch =
      short_lived->Watch(ConfigMaps(), {.resource_version = Rv(*client_->Get(
                                            ConfigMaps("default", "kube-root-ca.crt")))});
  ASSERT_TRUE(watch.ok()) << watch.status().ToString();
  short_lived.reset();
  ASSERT_TRUE(client_->Create(ConfigMaps(), ConfigMap("late")).ok());
  Result<WatchEvent> event = NextEvent(**watch);
  ASSERT_TRUE(event.ok()) << event.status().ToString();
  EXPECT_EQ(FindString(event->object.at("metadata"), "name"), "late");
  watch->reset();
}

TEST_F(KubeClientTest, WatchEndsWhenTheServerTimesItOut) {
  Result<std::unique_ptr<WatchStream>> watch =
      client_->Watch(ConfigMaps(), {.resource_version = "0", .timeout_seconds = 1});
  ASSERT_TRUE(watch.ok()) << watch.status().ToString();
  auto begin = std::chrono::steady_clock::now();
  Status end;
  while (end.ok() && std::chrono::steady_clock::now() - begin < std::chrono::seconds(5)) {
    Result<std::optional<WatchEvent>> event = (*watch)->Next(milliseconds(500));
    if (!event.ok()) end = event.status();
  }
  EXPECT_EQ(end.reason(), Reason::kTimeout) << end.ToString();
}

TEST_F(KubeClientTest, WatchBookmarksCarryTheCurrentVersion) {
  Result<Json> created = client_->Create(ConfigMaps(), ConfigMap("marked"));
  ASSERT_TRUE(created.ok());
  // The server sends a bookmark before a short watch times out.
  Result<std::unique_ptr<WatchStream>> watch = client_->Watch(
      ConfigMaps(),
      {.resource_version = Rv(*created), .allow_bookmarks = true, .timeout_seconds = 3});
  ASSERT_TRUE(watch.ok()) << watch.status().ToString();
  std::optional<WatchEvent> bookmark;
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(4);
  while (!bookmark && std::chrono::steady_clock::now() < deadline) {
    Result<std::optional<WatchEvent>> event = (*watch)->Next(milliseconds(200));
    ASSERT_TRUE(event.ok()) << event.status().ToString();
    if (event->has_value()) {
      ASSERT_EQ((*event)->type, WatchEvent::Type::kBookmark);
      bookmark = std::move(**event);
    }
  }
  ASSERT_TRUE(bookmark.has_value());
  EXPECT_GE(std::stoll(bookmark->resource_version), std::stoll(Rv(*created)));
  EXPECT_FALSE(bookmark->initial_events_end);
}

TEST_F(KubeClientTest, WatchWithInitialEventsEndsThemWithABookmark) {
  ASSERT_TRUE(client_->Create(ConfigMaps(), ConfigMap("first")).ok());
  Result<std::unique_ptr<WatchStream>> watch =
      client_->Watch(ConfigMaps(), {.send_initial_events = true});
  ASSERT_TRUE(watch.ok()) << watch.status().ToString();
  std::vector<std::string> added;
  std::optional<WatchEvent> end;
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(5);
  while (!end && std::chrono::steady_clock::now() < deadline) {
    Result<std::optional<WatchEvent>> event = (*watch)->Next(milliseconds(200));
    ASSERT_TRUE(event.ok()) << event.status().ToString();
    if (!event->has_value()) continue;
    if ((*event)->type == WatchEvent::Type::kBookmark) {
      end = std::move(**event);
    } else {
      EXPECT_EQ((*event)->type, WatchEvent::Type::kAdded);
      added.emplace_back(FindString((*event)->object.at("metadata"), "name"));
    }
  }
  ASSERT_TRUE(end.has_value());
  EXPECT_TRUE(end->initial_events_end);
  EXPECT_EQ(added, (std::vector<std::string>{"first", "kube-root-ca.crt"}));
}

TEST_F(KubeClientTest, WatchOfAnUnknownResourceIsNotFound) {
  Result<std::unique_ptr<WatchStream>> watch =
      client_->Watch({.group = "example.com", .version = "v1", .resource = "nothings"});
  ASSERT_FALSE(watch.ok());
  EXPECT_EQ(watch.status().reason(), Reason::kNotFound) << watch.status().ToString();
}

TEST(WatchLineTest, ErrorEventsBecomeTheirStatusAndEventsKeepTheirVersion) {
  Result<WatchEvent> expired = internal::ParseWatchLine(
      R"j({"type":"ERROR","object":{"kind":"Status","apiVersion":"v1","metadata":{},)j"
      R"j("status":"Failure","message":"too old resource version: 5 (90)","reason":"Expired",)j"
      R"j("code":410}})j");
  ASSERT_FALSE(expired.ok());
  EXPECT_EQ(expired.status().reason(), Reason::kExpired);
  EXPECT_EQ(expired.status().code(), 410);
  EXPECT_EQ(expired.status().message(), "too old resource version: 5 (90)");

  Result<WatchEvent> gone = internal::ParseWatchLine(
      R"({"type":"ERROR","object":{"kind":"Status","status":"Failure","message":"gone",)"
      R"("reason":"Gone","code":410}})");
  ASSERT_FALSE(gone.ok());
  EXPECT_EQ(gone.status().reason(), Reason::kGone);

  Result<WatchEvent> bookmark = internal::ParseWatchLine(
      R"({"type":"BOOKMARK","object":{"kind":"ConfigMap","metadata":{"resourceVersion":"77"}}})");
  ASSERT_TRUE(bookmark.ok());
  EXPECT_EQ(bookmark->type, WatchEvent::Type::kBookmark);
  EXPECT_EQ(bookmark->resource_version, "77");

  EXPECT_EQ(internal::ParseWatchLine(R"({"type":"ADDED"})").status().reason(), Reason::kInternal);
  EXPECT_EQ(internal::ParseWatchLine(R"({"type":"X","object":{}})").status().reason(),
            Reason::kInternal);
  EXPECT_EQ(internal::ParseWatchLine("not json").status().reason(), Reason::kInternal);
}

TEST_F(KubeClientTest, DiscoveryMapsBuiltinsAndFindsACrdCreatedLater) {
  Discovery& discovery = client_->discovery();
  Result<ApiResource> deployments = discovery.ForKind("apps", "v1", "Deployment");
  ASSERT_TRUE(deployments.ok()) << deployments.status().ToString();
  EXPECT_EQ(deployments->resource, "deployments");
  EXPECT_TRUE(deployments->namespaced);
  EXPECT_NE(std::find(deployments->subresources.begin(), deployments->subresources.end(), "scale"),
            deployments->subresources.end());
  Result<ApiResource> namespaces = discovery.ForResource("", "v1", "namespaces");
  ASSERT_TRUE(namespaces.ok()) << namespaces.status().ToString();
  EXPECT_EQ(namespaces->kind, "Namespace");
  EXPECT_FALSE(namespaces->namespaced);
  EXPECT_NE(std::find(namespaces->verbs.begin(), namespaces->verbs.end(), "watch"),
            namespaces->verbs.end());
  // kstack serves aggregated discovery, and the client reads it.
  EXPECT_TRUE(discovery.aggregated());

  Json crd = {
      {"apiVersion", "apiextensions.k8s.io/v1"},
      {"kind", "CustomResourceDefinition"},
      {"metadata", {{"name", "widgets.example.com"}}},
      {"spec",
       {{"group", "example.com"},
        {"scope", "Cluster"},
        {"names", {{"plural", "widgets"}, {"singular", "widget"}, {"kind", "Widget"}}},
        {"versions", JsonArray{Json{{"name", "v1"},
                                    {"served", true},
                                    {"storage", true},
                                    {"schema",
                                     {{"openAPIV3Schema",
                                       {{"type", "object"},
                                        {"x-kubernetes-preserve-unknown-fields", true}}}}}}}}}}};
  Result<Json> created = client_->Create(
      {.group = "apiextensions.k8s.io", .version = "v1", .resource = "customresourcedefinitions"},
      crd);
  ASSERT_TRUE(created.ok()) << created.status().ToString();

  // Not in the cached documents: the miss reads discovery again.
  Result<ApiResource> widgets = discovery.ForKind("example.com", "v1", "Widget");
  for (int i = 0; i < 50 && !widgets.ok(); ++i) {
    std::this_thread::sleep_for(milliseconds(20));
    widgets = discovery.ForKind("example.com", "v1", "Widget");
  }
  ASSERT_TRUE(widgets.ok()) << widgets.status().ToString();
  EXPECT_EQ(widgets->resource, "widgets");
  EXPECT_FALSE(widgets->namespaced);

  // And the client maps the new kind on its own.
  ResourceRef widget{.group = "example.com", .version = "v1", .kind = "Widget"};
  Result<Json> made = client_->Create(widget, {{"apiVersion", "example.com/v1"},
                                               {"kind", "Widget"},
                                               {"metadata", {{"name", "w1"}}},
                                               {"size", 3}});
  ASSERT_TRUE(made.ok()) << made.status().ToString();
  widget.name = "w1";
  Result<Json> got = client_->Get(widget);
  ASSERT_TRUE(got.ok()) << got.status().ToString();
  EXPECT_EQ(got->at("size"), 3);
}

TEST_F(KubeClientTest, PerGroupDiscoveryAgreesWithAggregatedDiscovery) {
  Discovery legacy(client_.get(), {.aggregated = false});
  Result<std::vector<ApiResource>> per_group = legacy.All();
  ASSERT_TRUE(per_group.ok()) << per_group.status().ToString();
  EXPECT_FALSE(legacy.aggregated());
  Result<std::vector<ApiResource>> aggregated = client_->discovery().All();
  ASSERT_TRUE(aggregated.ok()) << aggregated.status().ToString();
  EXPECT_TRUE(client_->discovery().aggregated());

  auto key = [](const ApiResource& r) {
    std::vector<std::string> subresources = r.subresources;
    std::sort(subresources.begin(), subresources.end());
    std::string text = r.group + "/" + r.version + "/" + r.resource + " " + r.kind +
                       (r.namespaced ? " namespaced" : " cluster");
    for (const std::string& s : subresources) text += " +" + s;
    return text;
  };
  std::vector<std::string> a, b;
  for (const ApiResource& r : *per_group) a.push_back(key(r));
  for (const ApiResource& r : *aggregated) b.push_back(key(r));
  std::sort(a.begin(), a.end());
  std::sort(b.begin(), b.end());
  // Every built-in type, each once.
  EXPECT_EQ(a.size(), machinery::BuiltinResourceTypes().size());
  EXPECT_EQ(a, b);

  Result<ApiResource> deployments = legacy.ForKind("apps", "v1", "Deployment");
  ASSERT_TRUE(deployments.ok()) << deployments.status().ToString();
  EXPECT_EQ(deployments->resource, "deployments");
  EXPECT_EQ(deployments->singular, "deployment");
  EXPECT_NE(std::find(deployments->short_names.begin(), deployments->short_names.end(), "deploy"),
            deployments->short_names.end());
}

}  // namespace
}  // namespace kstack::kube
