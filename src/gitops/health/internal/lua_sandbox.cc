#include "gitops/health/internal/lua_sandbox.h"

#include <fmt/core.h>
#include <strings.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <ctime>
#include <limits>
#include <lua.hpp>

#include "gitops/health/internal/lua_continue.h"

// Lua reports errors by longjmp, which skips C++ destructors. The functions that Lua may
// unwind through (everything called inside lua_cpcall below, and the C functions given to
// scripts) therefore keep only trivially destructible locals; results leave them as pointers
// to Lua strings that stay referenced until the state is closed.

namespace kstack::gitops::health::internal {
namespace {

using Clock = std::chrono::steady_clock;

constexpr int kHookInstructions = 1000;
constexpr const char* kChunkName = "=<string>";
constexpr std::string_view kInvalidStatus = "Lua returned an invalid health status";

// Per-state bookkeeping, reachable from the state as the allocator's user data.
struct Limits {
  size_t used = 0;
  size_t limit = std::numeric_limits<size_t>::max();
  Clock::time_point deadline = Clock::time_point::max();
  bool timed_out = false;
  char timeout_message[96] = {};
};

Limits* LimitsOf(lua_State* L) {
  void* ud = nullptr;
  lua_getallocf(L, &ud);
  return static_cast<Limits*>(ud);
}

void* Allocate(void* ud, void* ptr, size_t old_size, size_t new_size) {
  auto* limits = static_cast<Limits*>(ud);
  if (new_size == 0) {
    std::free(ptr);
    limits->used -= old_size;
    return nullptr;
  }
  // Lua expects shrinking to succeed, so only growth is refused.
  if (new_size > old_size && limits->used - old_size + new_size > limits->limit) return nullptr;
  void* grown = std::realloc(ptr, new_size);
  if (grown == nullptr) return nullptr;
  limits->used = limits->used - old_size + new_size;
  return grown;
}

void CountHook(lua_State* L, lua_Debug*) {
  Limits* limits = LimitsOf(L);
  if (!limits->timed_out) {
    if (Clock::now() < limits->deadline) return;
    limits->timed_out = true;
  }
  // From now on every instruction fails, so a script cannot keep going by catching the error
  // with pcall.
  lua_sethook(L, CountHook, LUA_MASKCOUNT, 1);
  // Level 0: in a hook, that is the script's function being run.
  luaL_where(L, 0);
  lua_pushstring(L, limits->timeout_message);
  lua_concat(L, 2);
  lua_error(L);
}

int Panic(lua_State* L) {
  std::fprintf(stderr, "kstack: unprotected Lua error: %s\n", lua_tostring(L, -1));
  std::abort();
}

// --- the sandbox's own library functions -------------------------------------------------

int Print(lua_State*) { return 0; }

bool IsBinaryChunk(const char* text, size_t size) {
  return size > 0 && text[0] == LUA_SIGNATURE[0];
}

int LoadText(lua_State* L, const char* text, size_t size, const char* name) {
  if (IsBinaryChunk(text, size)) {
    lua_pushnil(L);
    lua_pushliteral(L, "loading precompiled chunks is not allowed");
    return 2;
  }
  if (luaL_loadbuffer(L, text, size, name) == 0) return 1;
  lua_pushnil(L);
  lua_insert(L, -2);
  return 2;
}

int LoadString(lua_State* L) {
  size_t size = 0;
  const char* text = luaL_checklstring(L, 1, &size);
  const char* name = luaL_optstring(L, 2, text);
  return LoadText(L, text, size, name);
}

int Load(lua_State* L) {
  luaL_checktype(L, 1, LUA_TFUNCTION);
  const char* name = luaL_optstring(L, 2, "=(load)");
  lua_settop(L, 2);
  luaL_Buffer buffer;
  luaL_buffinit(L, &buffer);
  while (true) {
    lua_pushvalue(L, 1);
    lua_call(L, 0, 1);
    if (lua_isnil(L, -1)) {
      lua_pop(L, 1);
      break;
    }
    if (!lua_isstring(L, -1)) return luaL_error(L, "reader function must return a string");
    if (lua_objlen(L, -1) == 0) {
      lua_pop(L, 1);
      break;
    }
    luaL_addvalue(&buffer);
  }
  luaL_pushresult(&buffer);
  size_t size = 0;
  const char* text = lua_tolstring(L, -1, &size);
  return LoadText(L, text, size, name);
}

int Require(lua_State* L) {
  const char* name = luaL_checkstring(L, 1);
  lua_getfield(L, lua_upvalueindex(1), name);
  if (!lua_isnil(L, -1)) return 1;
  return luaL_error(L, "module '%s' not found", name);
}

// os.time([table]) as Lua's own, on the thread-safe C calls.
int OsTime(lua_State* L) {
  std::time_t t;
  if (lua_isnoneornil(L, 1)) {
    t = std::time(nullptr);
  } else {
    luaL_checktype(L, 1, LUA_TTABLE);
    lua_settop(L, 1);
    struct Field {
      const char* key;
      int fallback;  // < 0: required
      int delta;
    };
    static constexpr Field kFields[] = {{"sec", 0, 0},  {"min", 0, 0},    {"hour", 12, 0},
                                        {"day", -1, 0}, {"month", -1, 1}, {"year", -1, 1900}};
    int values[6];
    for (int i = 0; i < 6; ++i) {
      lua_getfield(L, 1, kFields[i].key);
      if (lua_isnumber(L, -1)) {
        values[i] = static_cast<int>(lua_tointeger(L, -1)) - kFields[i].delta;
      } else if (kFields[i].fallback < 0) {
        return luaL_error(L, "field '%s' missing in date table", kFields[i].key);
      } else {
        values[i] = kFields[i].fallback;
      }
      lua_pop(L, 1);
    }
    lua_getfield(L, 1, "isdst");
    int isdst = lua_isnil(L, -1) ? -1 : lua_toboolean(L, -1);
    lua_pop(L, 1);
    std::tm tm{};
    tm.tm_sec = values[0];
    tm.tm_min = values[1];
    tm.tm_hour = values[2];
    tm.tm_mday = values[3];
    tm.tm_mon = values[4];
    tm.tm_year = values[5];
    tm.tm_isdst = isdst;
    t = std::mktime(&tm);
  }
  if (t == static_cast<std::time_t>(-1)) {
    lua_pushnil(L);
  } else {
    lua_pushnumber(L, static_cast<lua_Number>(t));
  }
  return 1;
}

void SetField(lua_State* L, const char* key, int value) {
  lua_pushinteger(L, value);
  lua_setfield(L, -2, key);
}

// os.date([format [, time]]) as Lua's own, on the thread-safe C calls.
int OsDate(lua_State* L) {
  const char* format = luaL_optstring(L, 1, "%c");
  std::time_t t =
      lua_isnoneornil(L, 2) ? std::time(nullptr) : static_cast<std::time_t>(luaL_checknumber(L, 2));
  std::tm tm{};
  bool ok;
  if (*format == '!') {
    ok = gmtime_r(&t, &tm) != nullptr;
    ++format;
  } else {
    ok = localtime_r(&t, &tm) != nullptr;
  }
  if (!ok) {
    lua_pushnil(L);
  } else if (std::strcmp(format, "*t") == 0) {
    lua_createtable(L, 0, 9);
    SetField(L, "sec", tm.tm_sec);
    SetField(L, "min", tm.tm_min);
    SetField(L, "hour", tm.tm_hour);
    SetField(L, "day", tm.tm_mday);
    SetField(L, "month", tm.tm_mon + 1);
    SetField(L, "year", tm.tm_year + 1900);
    SetField(L, "wday", tm.tm_wday + 1);
    SetField(L, "yday", tm.tm_yday + 1);
    lua_pushboolean(L, tm.tm_isdst);
    lua_setfield(L, -2, "isdst");
  } else {
    luaL_Buffer buffer;
    luaL_buffinit(L, &buffer);
    char spec[3] = {'%', 0, 0};
    for (; *format != '\0'; ++format) {
      if (*format != '%' || format[1] == '\0') {
        luaL_addchar(&buffer, *format);
        continue;
      }
      spec[1] = *++format;
      char out[200];
      size_t size = std::strftime(out, sizeof(out), spec, &tm);
      luaL_addlstring(&buffer, out, size);
    }
    luaL_pushresult(&buffer);
  }
  return 1;
}

void OpenLibrary(lua_State* L, lua_CFunction open, const char* name) {
  lua_pushcfunction(L, open);
  lua_pushstring(L, name);
  lua_call(L, 1, 0);
}

void SetGlobalFunction(lua_State* L, const char* name, lua_CFunction f) {
  lua_pushcfunction(L, f);
  lua_setglobal(L, name);
}

void RemoveGlobal(lua_State* L, const char* name) {
  lua_pushnil(L);
  lua_setglobal(L, name);
}

// Builds the globals a script sees (see lua_checks.h).
void OpenSandbox(lua_State* L, bool open_libs) {
  OpenLibrary(L, luaopen_base, "");
  // Files, and userdata with finalizers (which would run Lua code after the time limit).
  for (const char* name : {"dofile", "loadfile", "newproxy"}) RemoveGlobal(L, name);
  if (!open_libs) RemoveGlobal(L, "coroutine");
  SetGlobalFunction(L, "load", Load);
  SetGlobalFunction(L, "loadstring", LoadString);
  SetGlobalFunction(L, "print", Print);

  OpenLibrary(L, luaopen_table, LUA_TABLIBNAME);

  // Only os.time and os.date, on this file's own functions (Lua's do not use the thread-safe
  // C calls).
  lua_createtable(L, 0, 2);
  lua_pushcfunction(L, OsTime);
  lua_setfield(L, -2, "time");
  lua_pushcfunction(L, OsDate);
  lua_setfield(L, -2, "date");
  lua_setglobal(L, LUA_OSLIBNAME);

  if (open_libs) {
    OpenLibrary(L, luaopen_string, LUA_STRLIBNAME);
    lua_getglobal(L, LUA_STRLIBNAME);
    lua_pushnil(L);
    lua_setfield(L, -2, "dump");
    lua_pop(L, 1);
    OpenLibrary(L, luaopen_math, LUA_MATHLIBNAME);
  }

  // require() and package.loaded hold only what was opened above.
  lua_newtable(L);
  for (const char* name :
       {"_G", LUA_TABLIBNAME, LUA_OSLIBNAME, LUA_STRLIBNAME, LUA_MATHLIBNAME, LUA_COLIBNAME}) {
    lua_getglobal(L, name);
    lua_setfield(L, -2, name);
  }
  lua_createtable(L, 0, 1);
  lua_pushvalue(L, -2);
  lua_setfield(L, -2, "loaded");
  lua_setglobal(L, LUA_LOADLIBNAME);
  lua_pushcclosure(L, Require, 1);
  lua_setglobal(L, "require");
}

// Pushes `value` as Argo CD hands objects to Lua: numbers as Lua numbers, null as nil (so a
// null member is absent, and a null array element is left out).
void PushJson(lua_State* L, const Json& value) {
  luaL_checkstack(L, 3, "object nested too deeply");
  switch (value.kind()) {
    case boost::json::kind::null:
      lua_pushnil(L);
      return;
    case boost::json::kind::bool_:
      lua_pushboolean(L, value.get_bool());
      return;
    case boost::json::kind::int64:
      lua_pushnumber(L, static_cast<lua_Number>(value.get_int64()));
      return;
    case boost::json::kind::uint64:
      lua_pushnumber(L, static_cast<lua_Number>(value.get_uint64()));
      return;
    case boost::json::kind::double_:
      lua_pushnumber(L, value.get_double());
      return;
    case boost::json::kind::string: {
      const JsonString& s = value.get_string();
      lua_pushlstring(L, s.data(), s.size());
      return;
    }
    case boost::json::kind::array: {
      const JsonArray& array = value.get_array();
      lua_createtable(L, static_cast<int>(array.size()), 0);
      int index = 1;
      for (const Json& element : array) {
        if (element.is_null()) continue;
        PushJson(L, element);
        lua_rawseti(L, -2, index++);
      }
      return;
    }
    case boost::json::kind::object: {
      const JsonObject& object = value.get_object();
      lua_createtable(L, 0, static_cast<int>(object.size()));
      for (const auto& member : object) {
        if (member.value().is_null()) continue;
        lua_pushlstring(L, member.key().data(), member.key().size());
        PushJson(L, member.value());
        lua_rawset(L, -3);
      }
      return;
    }
  }
}

// --- one run -----------------------------------------------------------------------------

enum class Outcome { kNoHealth, kHealth, kInvalidStatus, kNotTable, kError };

struct Run {
  // In.
  const char* bytecode;
  size_t bytecode_size;
  bool open_libs;
  const Json* object;
  // Out: pointers into Lua strings anchored in the registry.
  Outcome outcome = Outcome::kNoHealth;
  const char* status = nullptr;
  size_t status_size = 0;
  const char* message = nullptr;
  size_t message_size = 0;
  const char* text = nullptr;  // the error, or the type name of a non-table result
};

void Anchor(lua_State* L, int index, const char* key) {
  lua_pushvalue(L, index);
  lua_setfield(L, LUA_REGISTRYINDEX, key);
}

bool KeyIs(lua_State* L, int index, const char* name, bool exact) {
  size_t size = 0;
  const char* key = lua_tolstring(L, index, &size);
  size_t want = std::strlen(name);
  if (size != want) return false;
  return exact ? std::memcmp(key, name, size) == 0 : strncasecmp(key, name, size) == 0;
}

// The member of the table at `table` that Go's JSON decoder would take for `name`: the exact
// key, else one that differs only in case. Leaves it on the stack (nil when there is none).
void PushField(lua_State* L, int table, const char* name) {
  lua_pushstring(L, name);
  lua_rawget(L, table);
  if (!lua_isnil(L, -1)) return;
  lua_pop(L, 1);
  lua_pushnil(L);
  while (lua_next(L, table) != 0) {
    if (lua_type(L, -2) == LUA_TSTRING && KeyIs(L, -2, name, false)) {
      lua_remove(L, -2);
      return;
    }
    lua_pop(L, 1);
  }
  lua_pushnil(L);
}

bool HasStringKey(lua_State* L, int table) {
  lua_pushnil(L);
  while (lua_next(L, table) != 0) {
    if (lua_type(L, -2) == LUA_TSTRING) {
      lua_pop(L, 2);
      return true;
    }
    lua_pop(L, 1);
  }
  return false;
}

void ReadResult(lua_State* L, int index, Run* run) {
  int type = lua_type(L, index);
  if (type == LUA_TNIL || type == LUA_TNONE) {
    run->outcome = Outcome::kNoHealth;
    return;
  }
  if (type != LUA_TTABLE) {
    run->outcome = Outcome::kNotTable;
    run->text = lua_typename(L, type);
    return;
  }
  Anchor(L, index, "kstack.result");
  // An empty table or a list reads as no health, as a value of the wrong type does.
  if (!HasStringKey(L, index)) {
    run->outcome = Outcome::kNoHealth;
    return;
  }
  PushField(L, index, "status");
  PushField(L, index, "message");
  int status_type = lua_type(L, -2);
  int message_type = lua_type(L, -1);
  if ((status_type != LUA_TNIL && status_type != LUA_TSTRING) ||
      (message_type != LUA_TNIL && message_type != LUA_TSTRING)) {
    run->outcome = Outcome::kNoHealth;
    return;
  }
  if (status_type == LUA_TNIL) {
    run->outcome = Outcome::kInvalidStatus;
    return;
  }
  run->outcome = Outcome::kHealth;
  run->status = lua_tolstring(L, -2, &run->status_size);
  if (message_type == LUA_TSTRING) run->message = lua_tolstring(L, -1, &run->message_size);
}

int Main(lua_State* L) {
  auto* run = static_cast<Run*>(lua_touserdata(L, 1));
  lua_settop(L, 0);
  OpenSandbox(L, run->open_libs);
  PushJson(L, *run->object);
  lua_setglobal(L, "obj");
  if (luaL_loadbuffer(L, run->bytecode, run->bytecode_size, kChunkName) != 0) lua_error(L);
  int code = lua_pcall(L, 0, LUA_MULTRET, 0);
  // The script is over: what follows runs no script code and must not fail on the limits.
  lua_sethook(L, nullptr, 0, 0);
  LimitsOf(L)->limit = std::numeric_limits<size_t>::max();
  if (code != 0) {
    run->outcome = Outcome::kError;
    if (lua_isstring(L, -1)) {
      run->text = lua_tostring(L, -1);
    } else {
      run->text = lua_pushfstring(L, "(error object is a %s value)", luaL_typename(L, -1));
    }
    Anchor(L, -1, "kstack.error");
    return 0;
  }
  ReadResult(L, lua_gettop(L) == 0 ? 1 : lua_gettop(L), run);
  return 0;
}

std::string_view View(const char* data, size_t size) {
  return data == nullptr ? std::string_view() : std::string_view(data, size);
}

HealthStatus Unknown(std::string message) { return {HealthCode::kUnknown, std::move(message)}; }

int Writer(lua_State*, const void* data, size_t size, void* out) {
  static_cast<std::string*>(out)->append(static_cast<const char*>(data), size);
  return 0;
}

}  // namespace

bool CompileLua(std::string_view source, std::string* bytecode, std::string* error) {
  if (IsBinaryChunk(source.data(), source.size())) {
    *error = "loading precompiled chunks is not allowed";
    return false;
  }
  Limits limits;
  lua_State* L = lua_newstate(Allocate, &limits);
  if (L == nullptr) {
    *error = "not enough memory";
    return false;
  }
  lua_atpanic(L, Panic);
  bool ok = false;
  if (std::optional<std::string> rewritten = RewriteLoopContinue(source)) {
    ok = luaL_loadbuffer(L, rewritten->data(), rewritten->size(), kChunkName) == 0;
    if (!ok) lua_pop(L, 1);  // report the error in the script as written
  }
  if (!ok) ok = luaL_loadbuffer(L, source.data(), source.size(), kChunkName) == 0;
  if (ok) {
    bytecode->clear();
    lua_dump(L, Writer, bytecode);
  } else {
    const char* message = lua_tostring(L, -1);
    *error = message != nullptr ? message : "cannot compile the script";
  }
  lua_close(L);
  return ok;
}

std::optional<HealthStatus> RunHealthChunk(std::string_view bytecode, bool open_libs,
                                           const Json& object, const LuaLimits& limits) {
  Limits state_limits;
  state_limits.limit = limits.memory_bytes;
  state_limits.deadline = Clock::now() + limits.timeout;
  std::snprintf(state_limits.timeout_message, sizeof(state_limits.timeout_message),
                "the script ran longer than its time limit of %lldms",
                static_cast<long long>(limits.timeout.count()));
  lua_State* L = lua_newstate(Allocate, &state_limits);
  if (L == nullptr) return Unknown("not enough memory");
  lua_atpanic(L, Panic);
  lua_sethook(L, CountHook, LUA_MASKCOUNT, kHookInstructions);

  Run run;
  run.bytecode = bytecode.data();
  run.bytecode_size = bytecode.size();
  run.open_libs = open_libs;
  run.object = &object;
  std::optional<HealthStatus> result;
  if (lua_cpcall(L, Main, &run) != 0) {
    // Failed while preparing the run (the object did not fit in the memory limit, ...).
    const char* message = lua_tostring(L, -1);
    result = Unknown(message != nullptr ? message : "not enough memory");
  } else {
    switch (run.outcome) {
      case Outcome::kNoHealth:
        break;
      case Outcome::kError:
        result = Unknown(std::string(View(run.text, std::strlen(run.text))));
        break;
      case Outcome::kNotTable:
        result = Unknown(fmt::format("expect table output from Lua script, not {}", run.text));
        break;
      case Outcome::kInvalidStatus:
        result = Unknown(std::string(kInvalidStatus));
        break;
      case Outcome::kHealth: {
        std::optional<HealthCode> code = ParseHealthCode(View(run.status, run.status_size));
        if (!code) {
          result = Unknown(std::string(kInvalidStatus));
        } else {
          result = HealthStatus{*code, std::string(View(run.message, run.message_size))};
        }
        break;
      }
    }
  }
  lua_close(L);
  return result;
}

}  // namespace kstack::gitops::health::internal
