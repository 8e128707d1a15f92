#pragma once

// The fixture of the conformance suite: one fresh store per test, of the backend named by the
// test parameter. A backend joins the suite by being added to ConformanceBackends() in
// store_conformance_test.cc; nothing in a test case names a backend.

#include <gtest/gtest.h>

#include <memory>
#include <string>
#include <vector>

#include "store/open_store.h"
#include "tests/testing/temp_dir.h"

namespace kstack::store::testing {
using kstack::testing::TempDir;

class StoreTest : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override { ASSERT_TRUE(Reopen().ok()); }

  // Options with the backend under test; no automatic compaction, so tests decide when.
  StoreOptions Options() const {
    StoreOptions options = options_;
    options.backend = GetParam();
    options.data_dir = dir_.path();
    return options;
  }

  // Closes the store and opens it again on the same data with `options_`.
  Status Reopen() {
    store_.reset();
    auto opened = OpenStore(Options());
    if (!opened.ok()) {
      return opened.status();
    }
    store_ = std::move(*opened);
    return Status::Ok();
  }

  Store& store() { return *store_; }

  TempDir dir_;
  StoreOptions options_{.compaction = {.interval = std::chrono::seconds(0)}};
  std::unique_ptr<Store> store_;
};

// Every backend the suite runs against. An etcd backend joins here once it exists (skipping
// itself when no etcd binary is installed).
inline std::vector<std::string> ConformanceBackends() { return {"sqlite"}; }

// Test names read "Backends/StoreTest.Case/sqlite".
inline std::string BackendName(const ::testing::TestParamInfo<std::string>& info) {
  return info.param;
}

}  // namespace kstack::store::testing

#define KSTACK_STORE_CONFORMANCE(suite)                                                          \
  INSTANTIATE_TEST_SUITE_P(Backends, suite,                                                      \
                           ::testing::ValuesIn(::kstack::store::testing::ConformanceBackends()), \
                           ::kstack::store::testing::BackendName)
