#pragma once

#include <string>

namespace kstack::server {

// A random (version 4) UUID in its canonical text form, for metadata.uid.
std::string NewUid();

// `n` random characters of the alphabet Kubernetes uses for generateName suffixes.
std::string RandomNameSuffix(int n = 5);

}  // namespace kstack::server
