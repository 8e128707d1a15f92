#include "core/status.h"

#include <gtest/gtest.h>

#include "core/result.h"
#include "core/status_json.h"

namespace kstack {
namespace {

TEST(Status, DefaultIsOk) {
  Status s;
  EXPECT_TRUE(s.ok());
  EXPECT_EQ(s.code(), 200);
  EXPECT_EQ(s.ToString(), "OK");
}

TEST(Status, ReasonsCarryKubernetesNamesAndCodes) {
  struct Row {
    Status status;
    std::string_view reason;
    int code;
  };
  const Row rows[] = {
      {NotFoundError("x"), "NotFound", 404},
      {AlreadyExistsError("x"), "AlreadyExists", 409},
      {ConflictError("x"), "Conflict", 409},
      {InvalidError("x"), "Invalid", 422},
      {ForbiddenError("x"), "Forbidden", 403},
      {GoneError("x"), "Gone", 410},
      {ExpiredError("x"), "Expired", 410},
      {TimeoutError("x"), "Timeout", 504},
      {UnavailableError("x"), "ServiceUnavailable", 503},
      {BadRequestError("x"), "BadRequest", 400},
      {InternalError("x"), "InternalError", 500},
  };
  for (const Row& row : rows) {
    EXPECT_FALSE(row.status.ok());
    EXPECT_EQ(ReasonName(row.status.reason()), row.reason);
    EXPECT_EQ(row.status.code(), row.code) << row.reason;
  }
}

TEST(Status, WithContextPrefixesTheMessage) {
  Status s = NotFoundError("configmaps \"x\" not found").WithContext("apps/web.yaml");
  EXPECT_EQ(s.message(), "apps/web.yaml: configmaps \"x\" not found");
  EXPECT_EQ(s.reason(), Reason::kNotFound);
  EXPECT_TRUE(Status().WithContext("ignored").ok());
}

TEST(StatusJson, FailureBodyIsAKubernetesStatus) {
  StatusDetails details{.name = "x", .kind = "configmaps"};
  Status s(Reason::kNotFound, "configmaps \"x\" not found", details);
  Json body = StatusToJson(s);
  EXPECT_EQ(WriteJson(body),
            R"({"kind":"Status","apiVersion":"v1","metadata":{},"status":"Failure",)"
            R"("message":"configmaps \"x\" not found","reason":"NotFound",)"
            R"("details":{"name":"x","kind":"configmaps"},"code":404})");
}

TEST(StatusJson, InvalidCarriesCauses) {
  StatusDetails details{.name = "web", .kind = "Deployment"};
  details.causes.push_back({.type = "FieldValueRequired", .message = "Required value",
                            .field = "spec.selector"});
  Json body = StatusToJson(Status(Reason::kInvalid, "invalid", details));
  const JsonArray* causes = FindArray(*FindMember(body, "details"), "causes");
  ASSERT_NE(causes, nullptr);
  ASSERT_EQ(causes->size(), 1u);
  EXPECT_EQ(FindString((*causes)[0], "field"), "spec.selector");
  EXPECT_EQ(FindString((*causes)[0], "reason"), "FieldValueRequired");
  EXPECT_EQ(body.at("code").as_int64(), 422);
}

TEST(StatusJson, SuccessBody) {
  Json body = StatusToJson(Status::Ok());
  EXPECT_EQ(FindString(body, "status"), "Success");
  EXPECT_EQ(body.at("code").as_int64(), 200);
}

Result<int> Half(int x) {
  if (x % 2 != 0) return InvalidError("odd");
  return x / 2;
}

Result<int> Quarter(int x) {
  KSTACK_ASSIGN_OR_RETURN(int half, Half(x));
  return Half(half);
}

Status Check(int x) {
  KSTACK_RETURN_IF_ERROR(Half(x).status());
  return Status::Ok();
}

TEST(Result, HoldsAValueOrAnError) {
  Result<int> ok = Half(8);
  ASSERT_TRUE(ok.ok());
  EXPECT_EQ(*ok, 4);
  EXPECT_TRUE(ok.status().ok());
  Result<int> bad = Half(3);
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.status().reason(), Reason::kInvalid);
  EXPECT_EQ(bad.value_or(-1), -1);
}

TEST(Result, MacrosPropagateErrors) {
  EXPECT_EQ(*Quarter(8), 2);
  EXPECT_EQ(Quarter(6).status().message(), "odd");
  EXPECT_TRUE(Check(2).ok());
  EXPECT_EQ(Check(1).reason(), Reason::kInvalid);
}

TEST(Result, MoveOnlyValues) {
  Result<std::unique_ptr<int>> r = std::make_unique<int>(7);
  ASSERT_TRUE(r.ok());
  std::unique_ptr<int> p = std::move(r).value();
  EXPECT_EQ(*p, 7);
}

}  // namespace
}  // namespace kstack
