#include "gitops/sync/sync_options.h"

#include <gtest/gtest.h>

namespace kstack::gitops::sync {
namespace {

TEST(ParseSyncOptions, ReadsEveryDocumentedOption) {
  std::vector<std::string> items = {"Prune=false",
                                    "Delete=confirm",
                                    " PruneLast=true ",
                                    "Replace=true",
                                    "Force=true",
                                    "ServerSideApply=false",
                                    "SkipDryRunOnMissingResource=true",
                                    "ApplyOutOfSyncOnly=true",
                                    "Validate=false",
                                    "CreateNamespace=true",
                                    "RespectIgnoreDifferences=true",
                                    "FailOnSharedResource=true",
                                    "ClientSideApplyMigration=false",
                                    "PrunePropagationPolicy=background",
                                    ""};
  Result<SyncOptionList> got = ParseSyncOptions(items, "syncOptions");
  ASSERT_TRUE(got.ok()) << got.status().message();
  EXPECT_EQ(got->prune, Permission::kDisabled);
  EXPECT_EQ(got->delete_, Permission::kConfirm);
  EXPECT_EQ(got->prune_last, true);
  EXPECT_EQ(got->replace, true);
  EXPECT_EQ(got->force, true);
  EXPECT_EQ(got->server_side_apply, false);
  EXPECT_EQ(got->skip_dry_run_on_missing_resource, true);
  EXPECT_EQ(got->apply_out_of_sync_only, true);
  EXPECT_EQ(got->validate, false);
  EXPECT_EQ(got->create_namespace, true);
  EXPECT_EQ(got->respect_ignore_differences, true);
  EXPECT_EQ(got->fail_on_shared_resource, true);
  EXPECT_EQ(got->client_side_apply_migration, false);
  EXPECT_EQ(got->prune_propagation_policy, "background");
}

TEST(ParseSyncOptions, AnAbsentOptionIsUnset) {
  Result<SyncOptionList> got = ParseSyncOptions({}, "syncOptions");
  ASSERT_TRUE(got.ok());
  EXPECT_FALSE(got->prune.has_value());
  EXPECT_FALSE(got->server_side_apply.has_value());
}

TEST(ParseSyncOptions, RefusesUnknownKeysAndValues) {
  struct Case {
    std::vector<std::string> items;
    std::string message;
  };
  for (const Case& c : std::vector<Case>{
           {{"Prun=false"}, "syncOptions: unknown sync option \"Prun=false\""},
           {{"Prune=no"}, "Prune takes true, false or confirm"},
           {{"Replace=yes"}, "Replace takes true or false"},
           {{"PrunePropagationPolicy=later"}, "takes foreground, background or orphan"},
           {{"PruneLast"}, "is not of the form Key=value"},
           {{"Prune=false", "Prune=true"}, "Prune is given twice with different values"},
       }) {
    Result<SyncOptionList> got = ParseSyncOptions(c.items, "syncOptions");
    ASSERT_FALSE(got.ok()) << c.message;
    EXPECT_EQ(got.status().reason(), Reason::kInvalid);
    EXPECT_NE(got.status().message().find(c.message), std::string::npos) << got.status().message();
  }
}

TEST(ParseSyncOptions, TheSameValueTwiceIsFine) {
  std::vector<std::string> items = {"Replace=true", "Replace=true"};
  Result<SyncOptionList> got = ParseSyncOptions(items, "x");
  ASSERT_TRUE(got.ok());
  EXPECT_EQ(got->replace, true);
}

TEST(ParseSyncOptionsAnnotation, SplitsOnCommasAndTrims) {
  Result<SyncOptionList> got =
      ParseSyncOptionsAnnotation(" Prune=false , ServerSideApply=true,,", "annotation");
  ASSERT_TRUE(got.ok()) << got.status().message();
  EXPECT_EQ(got->prune, Permission::kDisabled);
  EXPECT_EQ(got->server_side_apply, true);
}

TEST(ParseLiveSyncOptions, PassesOverWhatItDoesNotKnow) {
  SyncOptionList got = ParseLiveSyncOptions("Bogus=1,Prune=false,Prune=true,Replace=maybe");
  EXPECT_EQ(got.prune, Permission::kDisabled);  // the first value wins
  EXPECT_FALSE(got.replace.has_value());
}

TEST(TaskOptions, DescribesWhatDiffersFromTheDefaults) {
  EXPECT_TRUE(TaskOptions{}.Describe().empty());
  TaskOptions o{.server_side_apply = true,
                .validate = false,
                .prune = Permission::kConfirm,
                .delete_ = Permission::kDisabled};
  EXPECT_EQ(o.Describe(), (std::vector<std::string>{"ServerSideApply=true", "Validate=false",
                                                    "Prune=confirm", "Delete=false"}));
}

}  // namespace
}  // namespace kstack::gitops::sync
