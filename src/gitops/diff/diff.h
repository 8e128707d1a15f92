#pragma once

// Desired (from Git) against live (from the cluster), for one resource: a pure function that
// says whether the resource is in sync and shows how it is not, as Argo CD's comparison does.
//
// The comparison runs in steps (README.md says why each is there):
//  1. Normalise desired, live and the last applied configuration (internal/normalize.h): drop
//     what the server manages (status, uid, resourceVersion, managedFields, ...), fold equivalent
//     spellings together (Secret stringData and data, quantities, int-or-string numbers).
//  2. Apply ignoreDifferences (ignore_rules.h) to desired and live. (The last applied
//     configuration is only read for which fields it has; a field both sides lost to a rule
//     is absent whatever it says.)
//  3. For the managers the rules trust (managedFieldsManagers), remove from desired and live
//     every field such a manager owns in live and whose value the two disagree on.
//  4. Predict the live object after applying desired (internal/predict.h): desired merged onto
//     live, fields only live has kept unless the last applied configuration had them (they were
//     removed from Git). The last applied configuration is the
//     kubectl.kubernetes.io/last-applied-configuration annotation; without it, the fields
//     `apply_manager` owns through server-side apply; without either, nothing counts as removed.
//  5. In sync when the prediction equals the normalised live object. Otherwise a unified diff
//     of the two as YAML, "--- live" / "+++ desired".

#include <functional>
#include <string>
#include <string_view>

#include "core/json.h"
#include "core/result.h"
#include "gitops/diff/ignore_rules.h"
#include "gitops/diff/settings.h"
#include "machinery/schema.h"

namespace kstack::gitops::diff {

// The schema of group/version/kind (built-in types, or a CRD's); null when unknown.
using SchemaLookup = std::function<const machinery::Schema*(
    std::string_view group, std::string_view version, std::string_view kind)>;

struct DiffOptions {
  // ignoreDifferences of the Application and the system, compiled; null for none. Not owned:
  // it must outlive the call.
  const IgnoreRules* ignore_rules = nullptr;
  IgnoreStatusField ignore_status_field = IgnoreStatusField::kAll;
  bool ignore_aggregated_roles = false;
  // The field manager of server-side apply whose fields stand for the last applied
  // configuration when the live object has no last-applied annotation; "" for none.
  std::string apply_manager;
  // Schemas beyond the built-in ones (CRDs); null: built-in types only. Without a schema a
  // resource is still compared, with every list atomic and no typed spellings folded. Called
  // from several threads at once by CompareApp.
  SchemaLookup schema_for;
  // Replaces Secret data values in the output (not in the comparison) by runs of "+", one
  // length per distinct value, so that a diff shows that a value changed but not what it is.
  bool hide_secret_data = false;
  int context_lines = 3;  // of the unified diff
  // Render ResourceDiff::text for resources out of sync. A controller that only needs the
  // statuses turns it off and renders a text when someone asks (RenderDiffText); writing YAML
  // is most of the cost of comparing a resource that differs.
  bool render_text = true;
};

enum class SyncStatus { kSynced, kOutOfSync };
std::string_view SyncStatusName(SyncStatus status);  // "Synced", "OutOfSync"

struct ResourceDiff {
  SyncStatus status = SyncStatus::kSynced;
  // Normalised desired: the live object as it would be after a sync (desired merged onto live);
  // the normalised desired object itself when there is no live one; null without a desired one.
  Json desired;
  // Normalised live; null when there is no live object.
  Json live;
  // The unified diff from `live` to `desired` as YAML; "" when in sync (or not rendered).
  std::string text;
};

// The unified diff of a comparison's `live` and `desired` as YAML ("--- live" / "+++ desired"),
// whatever its status: what ResourceDiff::text holds when rendered.
std::string RenderDiffText(const ResourceDiff& diff, int context_lines = 3);

// Compares `desired` with `live`; either may be null (a resource missing from the cluster, or
// one no longer in Git), not both. Thread-safe; the inputs are not modified.
// Errors: kBadRequest when both are null or one is not a JSON object.
Result<ResourceDiff> Diff(const Json* desired, const Json* live, const DiffOptions& options = {});

}  // namespace kstack::gitops::diff
