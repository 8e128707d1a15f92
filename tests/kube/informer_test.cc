// kube::Informer against the real kstack server: the first list, watch events, and a relist
// after the server went away and came back.

#include "kube/informer.h"

#include <mutex>
#include <thread>

#include "tests/kube/client_fixture.h"

namespace kstack::kube {
namespace {

using std::chrono::milliseconds;

// What the handlers were told, as "add:name", "update:name:k", "delete:name".
class Recorder {
 public:
  InformerHandlers Handlers() {
    return {.on_add = [this](const Json& o) { Push("add:" + Name(o)); },
            .on_update = [this](const Json& old_object,
                                const Json& o) { Push("update:" + Name(o) + ":" + Data(o)); },
            .on_delete = [this](const Json& o) { Push("delete:" + Name(o)); }};
  }
  // Waits until `entry` was recorded.
  bool WaitFor(const std::string& entry, milliseconds timeout = milliseconds(5000)) {
    std::unique_lock lock(mu_);
    return cv_.wait_for(lock, timeout, [&] {
      return std::find(entries_.begin(), entries_.end(), entry) != entries_.end();
    });
  }
  std::vector<std::string> entries() {
    std::lock_guard lock(mu_);
    return entries_;
  }

 private:
  static std::string Name(const Json& o) {
    return std::string(FindString(o.at("metadata"), "name"));
  }
  static std::string Data(const Json& o) {
    const Json* data = FindMember(o, "data");
    return data ? std::string(FindString(*data, "k")) : "";
  }
  void Push(std::string entry) {
    std::lock_guard lock(mu_);
    entries_.push_back(std::move(entry));
    cv_.notify_all();
  }
  std::mutex mu_;
  std::condition_variable cv_;
  std::vector<std::string> entries_;
};

class InformerTest : public KubeClientTest {
 protected:
  void SetUp() override {
    KubeClientTest::SetUp();
    ASSERT_FALSE(HasFatalFailure());
    Json ns = {{"apiVersion", "v1"}, {"kind", "Namespace"}, {"metadata", {{"name", "inf"}}}};
    ASSERT_TRUE(client_->Create({.version = "v1", .resource = "namespaces"}, ns).ok());
  }
  InformerOptions Options() {
    return {.type = {.version = "v1", .resource = "configmaps", .namespace_name = "inf"},
            .label_selector = "informed=yes",
            .page_size = 2,
            .min_backoff = milliseconds(50),
            .max_backoff = milliseconds(400)};
  }
  Status Make(const std::string& name) {
    Json cm = ConfigMap(name, {{"k", "1"}}, "inf");
    cm.as_object()["metadata"].as_object()["labels"] = {{"informed", "yes"}};
    return client_->Create(ConfigMaps("inf"), cm).status();
  }
};

TEST_F(InformerTest, ListsThenFollowsAddsUpdatesAndDeletes) {
  for (std::string name : {"a", "b", "c"}) ASSERT_TRUE(Make(name).ok());
  // Not selected: never seen.
  ASSERT_TRUE(client_->Create(ConfigMaps("inf"), ConfigMap("plain", {}, "inf")).ok());
  Recorder recorder;
  Informer informer(client_.get(), Options(), recorder.Handlers());
  EXPECT_FALSE(informer.HasSynced());
  informer.Start();
  ASSERT_TRUE(informer.WaitForSync(milliseconds(5000))) << informer.last_error().ToString();
  // Three objects in pages of two.
  EXPECT_EQ(recorder.entries(), (std::vector<std::string>{"add:a", "add:b", "add:c"}));
  EXPECT_EQ(informer.List().size(), 3u);
  EXPECT_EQ(informer.list_count(), 1);

  ASSERT_TRUE(Make("d").ok());
  ASSERT_TRUE(recorder.WaitFor("add:d"));
  ASSERT_TRUE(
      client_->Patch(ConfigMaps("inf", "a"), PatchType::kMerge, {{"data", {{"k", "2"}}}}).ok());
  ASSERT_TRUE(recorder.WaitFor("update:a:2"));
  ASSERT_TRUE(client_->Delete(ConfigMaps("inf", "b")).ok());
  ASSERT_TRUE(recorder.WaitFor("delete:b"));
  // Losing the label is leaving the selection.
  ASSERT_TRUE(client_
                  ->Patch(ConfigMaps("inf", "c"), PatchType::kMerge,
                          {{"metadata", {{"labels", {{"informed", nullptr}}}}}})
                  .ok());
  ASSERT_TRUE(recorder.WaitFor("delete:c"));

  std::vector<std::string> names;
  for (const ObjectPtr& o : informer.List()) {
    names.emplace_back(FindString(o->at("metadata"), "name"));
  }
  EXPECT_EQ(names, (std::vector<std::string>{"a", "d"}));
  ObjectPtr a = informer.Get("inf", "a");
  ASSERT_NE(a, nullptr);
  EXPECT_EQ(a->at("data").at("k"), "2");
  EXPECT_EQ(informer.Get("inf", "b"), nullptr);
  EXPECT_EQ(recorder.entries(), (std::vector<std::string>{"add:a", "add:b", "add:c", "add:d",
                                                          "update:a:2", "delete:b", "delete:c"}));
  informer.Stop();
  // No handler runs after Stop.
  size_t seen = recorder.entries().size();
  ASSERT_TRUE(Make("e").ok());
  std::this_thread::sleep_for(milliseconds(300));
  EXPECT_EQ(recorder.entries().size(), seen);
}

TEST_F(InformerTest, RelistsAfterTheServerComesBackAndReconcilesTheStore) {
  for (std::string name : {"keep", "drop"}) ASSERT_TRUE(Make(name).ok());
  Recorder recorder;
  InformerOptions options = Options();
  // Long enough for the changes below to happen while the informer is away.
  options.min_backoff = milliseconds(1500);
  options.max_backoff = milliseconds(1500);
  Informer informer(client_.get(), options, recorder.Handlers());
  informer.Start();
  ASSERT_TRUE(informer.WaitForSync(milliseconds(5000)));

  int port = Port();
  server_.process->Signal(SIGTERM);
  ASSERT_TRUE(server_.process->Wait(milliseconds(5000)).has_value());
  server_ = Start(port);
  ASSERT_FALSE(server_.url.empty());
  // The restarted server accepts the same kubeconfig; another client changes things.
  std::unique_ptr<HttpClient> other = NewClient(config_);
  ASSERT_TRUE(other->Delete(ConfigMaps("inf", "drop")).ok());
  Json fresh = ConfigMap("fresh", {{"k", "1"}}, "inf");
  fresh.as_object()["metadata"].as_object()["labels"] = {{"informed", "yes"}};
  ASSERT_TRUE(other->Create(ConfigMaps("inf"), fresh).ok());

  ASSERT_TRUE(recorder.WaitFor("delete:drop", milliseconds(8000)))
      << informer.last_error().ToString();
  ASSERT_TRUE(recorder.WaitFor("add:fresh", milliseconds(8000)));
  // The broken watch could not be resumed, so the informer listed again.
  EXPECT_GE(informer.list_count(), 2);
  EXPECT_NE(informer.Get("inf", "keep"), nullptr);
  EXPECT_NE(informer.Get("inf", "fresh"), nullptr);
  EXPECT_EQ(informer.Get("inf", "drop"), nullptr);

  // And it follows the server again.
  ASSERT_TRUE(
      other->Patch(ConfigMaps("inf", "keep"), PatchType::kMerge, {{"data", {{"k", "9"}}}}).ok());
  ASSERT_TRUE(recorder.WaitFor("update:keep:9"));
}

TEST_F(InformerTest, ReportsAnErrorWhileTheTypeIsNotServedAndStopsCleanly) {
  InformerOptions options = Options();
  options.type = {.group = "example.com", .version = "v1", .resource = "nothings"};
  Informer informer(client_.get(), options);
  informer.Start();
  EXPECT_FALSE(informer.WaitForSync(milliseconds(500)));
  EXPECT_EQ(informer.last_error().reason(), Reason::kNotFound) << informer.last_error().ToString();
  auto begin = std::chrono::steady_clock::now();
  informer.Stop();
  EXPECT_LT(std::chrono::steady_clock::now() - begin, std::chrono::seconds(1));
}

}  // namespace
}  // namespace kstack::kube
