#include "gitops/sync/sync_options.h"

#include "gitops/sync/internal/object_checks.h"

namespace kstack::gitops::sync {
namespace {

std::string_view Trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

template <typename T>
Status Set(std::optional<T>* field, T value, std::string_view where, std::string_view key) {
  if (field->has_value() && **field != value) {
    return InvalidError(std::string(where) + ": " + std::string(key) +
                        " is given twice with different values");
  }
  *field = std::move(value);
  return Status::Ok();
}

Status ParseItem(std::string_view item, std::string_view where, SyncOptionList* out) {
  size_t eq = item.find('=');
  if (eq == std::string_view::npos) {
    return InvalidError(std::string(where) + ": sync option \"" + std::string(item) +
                        "\" is not of the form Key=value");
  }
  std::string_view key = item.substr(0, eq);
  std::string_view value = item.substr(eq + 1);
  auto bad_value = [&](std::string_view allowed) {
    return InvalidError(std::string(where) + ": sync option \"" + std::string(item) +
                        "\": " + std::string(key) + " takes " + std::string(allowed));
  };
  auto boolean = [&](std::optional<bool>* field) -> Status {
    if (value != "true" && value != "false") return bad_value("true or false");
    return Set(field, value == "true", where, key);
  };
  auto permission = [&](std::optional<Permission>* field) -> Status {
    Permission p;
    if (value == "true") {
      p = Permission::kAllow;
    } else if (value == "false") {
      p = Permission::kDisabled;
    } else if (value == "confirm") {
      p = Permission::kConfirm;
    } else {
      return bad_value("true, false or confirm");
    }
    return Set(field, p, where, key);
  };
  if (key == "Prune") return permission(&out->prune);
  if (key == "Delete") return permission(&out->delete_);
  if (key == "PruneLast") return boolean(&out->prune_last);
  if (key == "Replace") return boolean(&out->replace);
  if (key == "Force") return boolean(&out->force);
  if (key == "ServerSideApply") return boolean(&out->server_side_apply);
  if (key == "SkipDryRunOnMissingResource") {
    return boolean(&out->skip_dry_run_on_missing_resource);
  }
  if (key == "ApplyOutOfSyncOnly") return boolean(&out->apply_out_of_sync_only);
  if (key == "Validate") return boolean(&out->validate);
  if (key == "CreateNamespace") return boolean(&out->create_namespace);
  if (key == "RespectIgnoreDifferences") return boolean(&out->respect_ignore_differences);
  if (key == "FailOnSharedResource") return boolean(&out->fail_on_shared_resource);
  if (key == "ClientSideApplyMigration") return boolean(&out->client_side_apply_migration);
  if (key == "PrunePropagationPolicy") {
    if (value != "foreground" && value != "background" && value != "orphan") {
      return bad_value("foreground, background or orphan");
    }
    return Set(&out->prune_propagation_policy, std::string(value), where, key);
  }
  return InvalidError(std::string(where) + ": unknown sync option \"" + std::string(item) +
                      "\" (known: Prune, Delete, PruneLast, Replace, Force, ServerSideApply, "
                      "SkipDryRunOnMissingResource, ApplyOutOfSyncOnly, Validate, "
                      "CreateNamespace, RespectIgnoreDifferences, FailOnSharedResource, "
                      "ClientSideApplyMigration, PrunePropagationPolicy)");
}

std::string_view PermissionValue(Permission p) {
  switch (p) {
    case Permission::kAllow:
      return "true";
    case Permission::kDisabled:
      return "false";
    case Permission::kConfirm:
      return "confirm";
  }
  return "";
}

}  // namespace

Result<SyncOptionList> ParseSyncOptions(std::span<const std::string> items,
                                        std::string_view where) {
  SyncOptionList out;
  for (const std::string& raw : items) {
    std::string_view item = Trim(raw);
    if (item.empty()) continue;
    KSTACK_RETURN_IF_ERROR(ParseItem(item, where, &out));
  }
  return out;
}

Result<SyncOptionList> ParseSyncOptionsAnnotation(std::string_view text, std::string_view where) {
  std::vector<std::string> items = internal::SplitCommaList(text);
  return ParseSyncOptions(items, where);
}

SyncOptionList ParseLiveSyncOptions(std::string_view text) {
  SyncOptionList out;
  for (const std::string& item : internal::SplitCommaList(text)) {
    SyncOptionList one;
    if (!ParseItem(item, "", &one).ok()) continue;
    auto keep_first = [](auto* field, const auto& value) {
      if (!field->has_value()) *field = value;
    };
    keep_first(&out.prune, one.prune);
    keep_first(&out.delete_, one.delete_);
    keep_first(&out.prune_last, one.prune_last);
    keep_first(&out.replace, one.replace);
    keep_first(&out.force, one.force);
    keep_first(&out.server_side_apply, one.server_side_apply);
    keep_first(&out.skip_dry_run_on_missing_resource, one.skip_dry_run_on_missing_resource);
    keep_first(&out.apply_out_of_sync_only, one.apply_out_of_sync_only);
    keep_first(&out.validate, one.validate);
    keep_first(&out.create_namespace, one.create_namespace);
    keep_first(&out.respect_ignore_differences, one.respect_ignore_differences);
    keep_first(&out.fail_on_shared_resource, one.fail_on_shared_resource);
    keep_first(&out.client_side_apply_migration, one.client_side_apply_migration);
    keep_first(&out.prune_propagation_policy, one.prune_propagation_policy);
  }
  return out;
}

std::vector<std::string> TaskOptions::Describe() const {
  std::vector<std::string> out;
  if (server_side_apply) out.push_back("ServerSideApply=true");
  if (replace) out.push_back("Replace=true");
  if (force) out.push_back("Force=true");
  if (!validate) out.push_back("Validate=false");
  if (skip_dry_run_on_missing_resource) out.push_back("SkipDryRunOnMissingResource=true");
  if (apply_out_of_sync_only) out.push_back("ApplyOutOfSyncOnly=true");
  if (prune_last) out.push_back("PruneLast=true");
  if (prune != Permission::kAllow) out.push_back("Prune=" + std::string(PermissionValue(prune)));
  if (delete_ != Permission::kAllow) {
    out.push_back("Delete=" + std::string(PermissionValue(delete_)));
  }
  return out;
}

}  // namespace kstack::gitops::sync
