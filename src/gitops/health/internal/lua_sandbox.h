#pragma once

// Running one health script in a fresh, limited Lua 5.1 state (see lua_checks.h for the
// sandbox and for what the results mean).

#include <optional>
#include <string>
#include <string_view>

#include "core/json.h"
#include "gitops/health/health_status.h"
#include "gitops/health/lua_checks.h"

namespace kstack::gitops::health::internal {

// Compiles `source` to a Lua chunk (`*bytecode`); false with the compiler's message in
// `*error` ("<string>:3: 'end' expected near '<eof>'").
bool CompileLua(std::string_view source, std::string* bytecode, std::string* error);

// Runs a chunk made by CompileLua with `object` as the global `obj`.
std::optional<HealthStatus> RunHealthChunk(std::string_view bytecode, bool open_libs,
                                           const Json& object, const LuaLimits& limits);

}  // namespace kstack::gitops::health::internal
