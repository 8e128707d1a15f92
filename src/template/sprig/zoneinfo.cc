#include "template/sprig/zoneinfo.h"

#include <algorithm>
#include <cstdlib>
#include <ctime>
#include <fstream>
#include <mutex>
#include <optional>
#include <sstream>
#include <unordered_map>
#include <vector>

namespace kstack::tmpl::sprig {
namespace {

// One zone of the time zone database: transitions and the offsets they switch to.
struct ZoneInfo {
  struct Type {
    int offset;
    bool dst;
    std::string abbr;
  };
  std::vector<int64_t> times;
  std::vector<uint8_t> type_index;
  std::vector<Type> types;
};

int64_t BigEndian(const std::string& d, size_t at, int bytes) {
  uint64_t v = 0;
  for (int i = 0; i < bytes; ++i) v = (v << 8) | static_cast<unsigned char>(d[at + i]);
  if (bytes == 4) return static_cast<int32_t>(static_cast<uint32_t>(v));
  return static_cast<int64_t>(v);
}

// Reads a TZif file, its 64-bit section when there is one. Nullopt when it is not TZif.
std::optional<ZoneInfo> ReadTzif(const std::string& d) {
  auto header = [&](size_t at, int64_t* counts) {
    if (d.size() < at + 44 || d.compare(at, 4, "TZif") != 0) return false;
    for (int i = 0; i < 6; ++i) counts[i] = BigEndian(d, at + 20 + 4 * i, 4);
    return true;
  };
  int64_t c[6];
  if (!header(0, c)) return std::nullopt;
  size_t at = 44;
  int time_size = 4;
  if (d[4] >= '2') {
    // Skip the 32-bit section to the 64-bit one.
    at += c[3] * 4 + c[3] + c[4] * 6 + c[5] + c[2] * 8 + c[1] + c[0];
    if (!header(at, c)) return std::nullopt;
    at += 44;
    time_size = 8;
  }
  int64_t isutcnt = c[0], isstdcnt = c[1], leapcnt = c[2], timecnt = c[3], typecnt = c[4],
          charcnt = c[5];
  size_t need = at + timecnt * time_size + timecnt + typecnt * 6 + charcnt;
  if (d.size() < need || typecnt == 0) return std::nullopt;
  (void)isutcnt, (void)isstdcnt, (void)leapcnt;
  ZoneInfo z;
  for (int64_t i = 0; i < timecnt; ++i) z.times.push_back(BigEndian(d, at + i * time_size, time_size));
  at += timecnt * time_size;
  for (int64_t i = 0; i < timecnt; ++i) z.type_index.push_back(static_cast<uint8_t>(d[at + i]));
  at += timecnt;
  size_t chars = at + typecnt * 6;
  for (int64_t i = 0; i < typecnt; ++i) {
    size_t p = at + i * 6;
    size_t abbr = chars + static_cast<unsigned char>(d[p + 5]);
    std::string name = abbr < d.size() ? std::string(d.c_str() + abbr) : "";
    z.types.push_back({static_cast<int>(BigEndian(d, p, 4)), d[p + 4] != 0, name});
  }
  for (uint8_t t : z.type_index) {
    if (t >= z.types.size()) return std::nullopt;
  }
  return z;
}

const ZoneInfo* LoadZone(const std::string& name) {
  static std::mutex mu;
  static std::unordered_map<std::string, std::optional<ZoneInfo>> cache;
  std::lock_guard<std::mutex> lock(mu);
  auto it = cache.find(name);
  if (it == cache.end()) {
    std::optional<ZoneInfo> z;
    bool safe = !name.empty() && name[0] != '/' && name.find("..") == std::string::npos;
    if (safe) {
      const char* dir = std::getenv("ZONEINFO");
      std::ifstream in(std::string(dir ? dir : "/usr/share/zoneinfo") + "/" + name,
                       std::ios::binary);
      std::ostringstream ss;
      ss << in.rdbuf();
      if (in) z = ReadTzif(ss.str());
    }
    it = cache.emplace(name, std::move(z)).first;
  }
  return it->second ? &*it->second : nullptr;
}

}  // namespace

Zone LocalZone(int64_t secs) {
  time_t t = static_cast<time_t>(secs);
  struct tm tm {};
  localtime_r(&t, &tm);
  Zone z;
  z.offset = static_cast<int>(tm.tm_gmtoff);
  z.name = tm.tm_zone ? tm.tm_zone : "UTC";
  return z;
}

Zone ZoneNamed(const std::string& name, int64_t secs) {
  if (name == "Local") return LocalZone(secs);
  if (name.empty() || name == "UTC") return Zone{};
  const ZoneInfo* z = LoadZone(name);
  if (!z) return Zone{};
  // The type in force: the last transition at or before `secs`; before the first one, the
  // first standard-time type, as Go picks it.
  const ZoneInfo::Type* type = nullptr;
  auto pos = std::upper_bound(z->times.begin(), z->times.end(), secs);
  if (pos == z->times.begin()) {
    for (const auto& t : z->types) {
      if (!t.dst) {
        type = &t;
        break;
      }
    }
    if (!type) type = &z->types[0];
  } else {
    type = &z->types[z->type_index[pos - z->times.begin() - 1]];
  }
  return Zone{type->offset, type->abbr};
}


}  // namespace kstack::tmpl::sprig
