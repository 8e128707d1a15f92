#pragma once

// SIGINT and SIGTERM for long-running commands: blocked in the calling thread before any other
// thread starts, so that every thread inherits the mask and the signals wait for
// WaitForShutdownSignal() instead of killing the process.

#include <signal.h>

namespace kstack::cli {

sigset_t BlockShutdownSignals();
// Waits for one of the blocked signals; returns its name ("SIGINT", "SIGTERM").
const char* WaitForShutdownSignal(const sigset_t& signals);

}  // namespace kstack::cli
