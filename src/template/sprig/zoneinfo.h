#pragma once

// Time zones for Sprig's date functions: "UTC", "Local" (the machine's zone) and IANA names
// read from the system's zoneinfo files (TZif, Debian's tzdata) as Go's LoadLocation reads
// them; an unknown zone is UTC, as Sprig falls back. Times after a zone's last listed
// transition (2037 in tzdata's files) keep that transition's offset. Thread-safe (files are
// read once and cached). Module-internal.

#include <cstdint>
#include <string>

namespace kstack::tmpl::sprig {

struct Zone {
  int offset = 0;  // seconds east of UTC
  std::string name = "UTC";
};

// The local zone in force at Unix time `secs`.
Zone LocalZone(int64_t secs);
// The zone `name` in force at Unix time `secs`.
Zone ZoneNamed(const std::string& name, int64_t secs);

}  // namespace kstack::tmpl::sprig
