// Tables of storage objects: persistent volumes, their claims and storage classes.

#include "server/internal/table_printer.h"

namespace kstack::server::internal {
namespace {

constexpr std::string_view kBetaClassAnnotation = "volume.beta.kubernetes.io/storage-class";

std::string Name(const Json& o) { return Str(o, {"metadata", "name"}); }

// Access modes abbreviated (RWO, ROX, RWX, RWOP), in that order whatever the order given.
std::string AccessModes(const JsonArray& modes) {
  auto has = [&](std::string_view mode) {
    for (const Json& m : modes) {
      if (m.is_string() && m.get_string() == mode) return true;
    }
    return false;
  };
  std::vector<std::string> out;
  if (has("ReadWriteOnce")) out.emplace_back("RWO");
  if (has("ReadOnlyMany")) out.emplace_back("ROX");
  if (has("ReadWriteMany")) out.emplace_back("RWX");
  if (has("ReadWriteOncePod")) out.emplace_back("RWOP");
  return Join(out, ",");
}

// The phase, Terminating once deletion started; the API server defaults an unset one.
std::string Phase(const Json& o, std::string_view unset) {
  if (At(o, {"metadata", "deletionTimestamp"}).is_string()) return "Terminating";
  return Str(o, {"status", "phase"}, unset);
}

// The storage class, the beta annotation first.
std::string StorageClass(const Json& o) {
  const Json& beta = At(o, {"metadata", "annotations", kBetaClassAnnotation});
  if (beta.is_string()) return std::string(beta.get_string());
  return Str(o, {"spec", "storageClassName"});
}

JsonArray PersistentVolumeRow(const RowInput& in) {
  const Json& pv = in.object;
  std::string claim;
  if (At(pv, {"spec", "claimRef"}).is_object()) {
    claim =
        Str(pv, {"spec", "claimRef", "namespace"}) + "/" + Str(pv, {"spec", "claimRef", "name"});
  }
  // The API server defaults the reclaim policy to Retain and the volume mode to Filesystem.
  return JsonArray{Name(pv),
                   QuantityText(At(pv, {"spec", "capacity", "storage"})),
                   AccessModes(Items(pv, {"spec", "accessModes"})),
                   Str(pv, {"spec", "persistentVolumeReclaimPolicy"}, "Retain"),
                   Phase(pv, "Pending"),
                   claim,
                   StorageClass(pv),
                   Str(pv, {"spec", "volumeAttributesClassName"}, "<unset>"),
                   Str(pv, {"status", "reason"}),
                   in.age,
                   Str(pv, {"spec", "volumeMode"}, "Filesystem")};
}

JsonArray PersistentVolumeClaimRow(const RowInput& in) {
  const Json& pvc = in.object;
  std::string volume = Str(pvc, {"spec", "volumeName"});
  std::string capacity, modes;
  // Capacity and access modes are those of the bound volume.
  if (!volume.empty()) {
    capacity = QuantityText(At(pvc, {"status", "capacity", "storage"}));
    modes = AccessModes(Items(pvc, {"status", "accessModes"}));
  }
  std::string storage_class;
  const Json& beta = At(pvc, {"metadata", "annotations", kBetaClassAnnotation});
  if (beta.is_string()) {
    storage_class = std::string(beta.get_string());
  } else if (At(pvc, {"spec", "storageClassName"}).is_string()) {
    storage_class = std::string(At(pvc, {"spec", "storageClassName"}).get_string());
  }
  return JsonArray{Name(pvc),
                   Phase(pvc, "Pending"),
                   volume,
                   capacity,
                   modes,
                   storage_class,
                   Str(pvc, {"spec", "volumeAttributesClassName"}, "<unset>"),
                   in.age,
                   Str(pvc, {"spec", "volumeMode"}, "Filesystem")};
}

JsonArray StorageClassRow(const RowInput& in) {
  const Json& sc = in.object;
  std::string name = Name(sc);
  for (std::string_view key : {"storageclass.kubernetes.io/is-default-class",
                               "storageclass.beta.kubernetes.io/is-default-class"}) {
    if (Str(sc, {"metadata", "annotations", key}) == "true") {
      name += " (default)";
      break;
    }
  }
  return JsonArray{name,
                   Str(sc, {"provisioner"}),
                   Str(sc, {"reclaimPolicy"}, "Delete"),
                   Str(sc, {"volumeBindingMode"}, "Immediate"),
                   IsTrue(sc, {"allowVolumeExpansion"}),
                   in.age};
}

}  // namespace

void AddStoragePrinters(PrinterMap* printers) {
  PrinterMap& p = *printers;
  p["/persistentvolumes"] =
      Printer{{kNameColumn,
               {"Capacity", "string", "The volume's storage size."},
               {"Access Modes", "string", "How the volume can be mounted."},
               {"Reclaim Policy", "string", "What happens to the volume when its claim goes."},
               {"Status", "string", "The phase of the volume."},
               {"Claim", "string", "The claim bound to the volume, as namespace/name."},
               {"StorageClass", "string", "The storage class of the volume."},
               {"VolumeAttributesClass", "string", "The volume attributes class of the volume."},
               {"Reason", "string", "Why the volume is in its phase."},
               kAgeColumn,
               {"VolumeMode", "string", "Filesystem or Block.", 1}},
              PersistentVolumeRow};
  p["/persistentvolumeclaims"] = Printer{
      {kNameColumn,
       {"Status", "string", "The phase of the claim."},
       {"Volume", "string", "The volume bound to the claim."},
       {"Capacity", "string", "The storage size of the bound volume."},
       {"Access Modes", "string", "How the bound volume can be mounted."},
       {"StorageClass", "string", "The storage class the claim asks for."},
       {"VolumeAttributesClass", "string", "The volume attributes class the claim asks for."},
       kAgeColumn,
       {"VolumeMode", "string", "Filesystem or Block.", 1}},
      PersistentVolumeClaimRow};
  p["storage.k8s.io/storageclasses"] =
      Printer{{kNameColumn,
               {"Provisioner", "string", "The volume plugin that provisions volumes of the class."},
               {"ReclaimPolicy", "string", "What happens to provisioned volumes when released."},
               {"VolumeBindingMode", "string", "When claims of the class are bound."},
               {"AllowVolumeExpansion", "string", "Whether volumes of the class can grow."},
               kAgeColumn},
              StorageClassRow};
}

}  // namespace kstack::server::internal
