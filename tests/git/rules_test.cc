// The pure parts of the git module: revision rules, known_hosts matching, fetch coalescing.

#include <gtest/gtest.h>

#include <atomic>
#include <latch>
#include <thread>

#include "git/internal/known_hosts.h"
#include "git/internal/revision.h"
#include "git/internal/single_flight.h"

namespace kstack::git::internal {
namespace {

using Refs = std::vector<std::string>;

TEST(RevisionTest, CandidateRefsInArgoOrder) {
  EXPECT_EQ(CandidateRefs(""), Refs{"HEAD"});
  EXPECT_EQ(CandidateRefs("HEAD"), Refs{"HEAD"});
  EXPECT_EQ(CandidateRefs("main"), (Refs{"refs/heads/main", "refs/tags/main"}));
  EXPECT_EQ(CandidateRefs("release/1.0"),
            (Refs{"refs/heads/release/1.0", "refs/tags/release/1.0"}));
  EXPECT_EQ(CandidateRefs("refs/pull/1/head"), Refs{"refs/pull/1/head"});
}

TEST(RevisionTest, Shas) {
  EXPECT_TRUE(IsCommitSha("0123456789abcdef0123456789ABCDEF01234567"));
  EXPECT_FALSE(IsCommitSha("0123456789abcdef0123456789abcdef0123456"));
  EXPECT_TRUE(IsShaPrefix("abcdef0"));
  EXPECT_FALSE(IsShaPrefix("abcdef"));
  EXPECT_FALSE(IsShaPrefix("abcdefg"));
  EXPECT_FALSE(IsShaPrefix("0123456789abcdef0123456789abcdef012345678"));
}

TEST(RevisionTest, Validation) {
  for (const char* good : {"main", "v1.2.3", "release/1.0", "HEAD", "refs/pull/7/head", "a-b_c"}) {
    EXPECT_TRUE(ValidateRevision(good).ok()) << good;
  }
  for (const char* bad : {"a b", "a..b", "x~1", "x^", "a:b", "a?", "a*", "a[", "a\\b", "@{u}",
                          "/main", "main/", "-main", "a\tb"}) {
    Status s = ValidateRevision(bad);
    EXPECT_EQ(s.reason(), Reason::kInvalid) << bad;
  }
}

TEST(RevisionTest, ExtraRefs) {
  EXPECT_TRUE(IsExtraRef("refs/pull/7/head"));
  EXPECT_FALSE(IsExtraRef("refs/heads/main"));
  EXPECT_FALSE(IsExtraRef("refs/tags/v1"));
  EXPECT_FALSE(IsExtraRef("main"));
}

// "AAAA" in base64 is the three bytes 0, 0, 0.
TEST(KnownHostsTest, MatchesHostPortAndKey) {
  const std::string zeros("\0\0\0", 3);
  std::string text =
      "# comment\n"
      "\n"
      "github.com,140.82.112.3 ssh-ed25519 AAAA\n"
      "[127.0.0.1]:2222 ssh-ed25519 AAAB\n"
      "|1|hashed= ssh-ed25519 AAAA\n"
      "@revoked other.example ssh-ed25519 AAAA\n";
  EXPECT_TRUE(KnownHostsAccept(text, "github.com", 0, zeros));
  EXPECT_TRUE(KnownHostsAccept(text, "GitHub.com", 22, zeros));
  EXPECT_TRUE(KnownHostsAccept(text, "140.82.112.3", 0, zeros));
  EXPECT_FALSE(KnownHostsAccept(text, "github.com", 2222, zeros));
  EXPECT_FALSE(KnownHostsAccept(text, "gitlab.com", 0, zeros));
  EXPECT_FALSE(KnownHostsAccept(text, "github.com", 0, std::string("\0\0\1", 3)));
  EXPECT_TRUE(KnownHostsAccept(text, "127.0.0.1", 2222, std::string("\0\0\1", 3)));
  EXPECT_FALSE(KnownHostsAccept(text, "127.0.0.1", 0, std::string("\0\0\1", 3)));
  EXPECT_FALSE(KnownHostsAccept(text, "other.example", 0, zeros));
  EXPECT_FALSE(KnownHostsAccept("", "github.com", 0, zeros));
}

TEST(SingleFlightTest, WaitersShareTheRunInFlight) {
  SingleFlight flight;
  std::atomic<int> runs{0};
  std::latch entered(1);
  std::latch release(1);
  std::thread first([&] {
    Status s = flight.Do([&] {
      ++runs;
      entered.count_down();
      release.wait();
      return NotFoundError("shared outcome");
    });
    EXPECT_EQ(s.message(), "shared outcome");
  });
  entered.wait();
  std::vector<std::thread> waiters;
  std::atomic<int> shared{0};
  for (int i = 0; i < 7; ++i) {
    waiters.emplace_back([&] {
      Status s = flight.Do([&] {
        ++runs;
        return Status::Ok();
      });
      if (s.message() == "shared outcome") ++shared;
    });
  }
  // Give the waiters time to block on the run in flight, then let it finish.
  std::this_thread::sleep_for(std::chrono::milliseconds(100));
  release.count_down();
  first.join();
  for (std::thread& t : waiters) t.join();
  EXPECT_EQ(runs.load(), 1);
  EXPECT_EQ(shared.load(), 7);
  // A later call runs again.
  EXPECT_TRUE(flight.Do([] { return Status::Ok(); }).ok());
}

}  // namespace
}  // namespace kstack::git::internal
