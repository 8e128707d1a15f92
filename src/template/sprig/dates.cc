// Sprig's date functions (date.go) with Go's time layouts ("2006-01-02T15:04:05Z07:00"),
// durations ("1h2m3s") and time.Time values; zones come from zoneinfo.h.

#include <chrono>
#include <cmath>
#include <ctime>

#include <algorithm>

#include "template/sprig/util.h"
#include "template/sprig/zoneinfo.h"

namespace kstack::tmpl::sprig {
namespace {

const char* const kMonths[] = {"January", "February", "March",     "April",   "May",      "June",
                               "July",    "August",   "September", "October", "November", "December"};
const char* const kDays[] = {"Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday",
                             "Saturday"};

struct Civil {
  int64_t year;
  int month, day, hour, minute, second, weekday, yday;
};

// Days since 1970-01-01 to civil date (proleptic Gregorian).
Civil ToCivil(int64_t secs) {
  int64_t days = secs >= 0 ? secs / 86400 : -((-secs + 86399) / 86400);
  int64_t rem = secs - days * 86400;
  Civil c{};
  c.hour = static_cast<int>(rem / 3600);
  c.minute = static_cast<int>(rem % 3600 / 60);
  c.second = static_cast<int>(rem % 60);
  c.weekday = static_cast<int>(((days % 7) + 11) % 7);  // 1970-01-01 was a Thursday
  int64_t z = days + 719468;
  int64_t era = (z >= 0 ? z : z - 146096) / 146097;
  int64_t doe = z - era * 146097;
  int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  int64_t y = yoe + era * 400;
  int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  int64_t mp = (5 * doy + 2) / 153;
  c.day = static_cast<int>(doy - (153 * mp + 2) / 5 + 1);
  c.month = static_cast<int>(mp < 10 ? mp + 3 : mp - 9);
  c.year = y + (c.month <= 2);
  static const int kCum[] = {0, 31, 59, 90, 120, 151, 181, 212, 243, 273, 304, 334};
  bool leap = (c.year % 4 == 0 && c.year % 100 != 0) || c.year % 400 == 0;
  c.yday = kCum[c.month - 1] + c.day + (leap && c.month > 2 ? 1 : 0);
  return c;
}

int64_t FromCivil(int64_t y, int m, int d) {
  y -= m <= 2;
  int64_t era = (y >= 0 ? y : y - 399) / 400;
  int64_t yoe = y - era * 400;
  int64_t doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + doe - 719468;
}

class TimeObject : public Object {
 public:
  TimeObject(int64_t secs, int64_t nsec, Zone zone) : secs_(secs), nsec_(nsec), zone_(zone) {}
  std::string_view TypeName() const override { return "time.Time"; }
  std::string_view KindName() const override { return "struct"; }
  std::string String() const override {
    return Format("2006-01-02 15:04:05.999999999 -0700 MST");
  }
  bool HasMember(std::string_view n) const override {
    for (const char* m : {"Unix", "UnixNano", "UnixMilli", "Year", "YearDay", "Day", "Hour",
                          "Minute", "Second", "Nanosecond", "Format", "String", "UTC", "Local"}) {
      if (n == m) return true;
    }
    return false;
  }
  Result<Value> Member(std::string_view n, std::span<const Value> args) const override {
    Civil c = ToCivil(secs_ + zone_.offset);
    if (n == "Format") {
      if (args.size() != 1 || args[0].kind() != Kind::kString) {
        return BadRequestError("wrong number of args for Format: want 1 got " +
                               std::to_string(args.size()));
      }
      return Str(Format(args[0].string_value()));
    }
    if (!args.empty()) {
      return BadRequestError("wrong number of args for " + std::string(n) + ": want 0 got " +
                             std::to_string(args.size()));
    }
    if (n == "Unix") return Int64(secs_);
    if (n == "UnixNano") return Int64(secs_ * 1000000000 + nsec_);
    if (n == "UnixMilli") return Int64(secs_ * 1000 + nsec_ / 1000000);
    if (n == "Year") return Value::Int(c.year);
    if (n == "YearDay") return Value::Int(c.yday);
    if (n == "Day") return Value::Int(c.day);
    if (n == "Hour") return Value::Int(c.hour);
    if (n == "Minute") return Value::Int(c.minute);
    if (n == "Second") return Value::Int(c.second);
    if (n == "Nanosecond") return Value::Int(nsec_);
    if (n == "UTC") return Value::MakeObject(std::make_shared<TimeObject>(secs_, nsec_, Zone{}));
    if (n == "Local") {
      return Value::MakeObject(std::make_shared<TimeObject>(secs_, nsec_, LocalZone(secs_)));
    }
    return Str(String());
  }

  std::string Format(const std::string& layout) const;
  int64_t secs() const { return secs_; }
  int64_t nsec() const { return nsec_; }
  const Zone& zone() const { return zone_; }

 private:
  int64_t secs_;
  int64_t nsec_;
  Zone zone_;
};

std::string Pad(int64_t v, int width, char fill = '0') {
  std::string s = std::to_string(v < 0 ? -v : v);
  while (static_cast<int>(s.size()) < width) s.insert(s.begin(), fill);
  return (v < 0 ? "-" : "") + s;
}

bool StartsWith(const std::string& s, size_t i, std::string_view p) {
  return s.compare(i, p.size(), p) == 0;
}

std::string TimeObject::Format(const std::string& layout) const {
  Civil c = ToCivil(secs_ + zone_.offset);
  std::string out;
  size_t i = 0;
  auto zone_text = [&](bool z, bool colon, bool seconds, bool hours_only) {
    if (z && zone_.offset == 0) return std::string("Z");
    int off = zone_.offset;
    std::string s = off < 0 ? "-" : "+";
    off = std::abs(off);
    s += Pad(off / 3600, 2);
    if (hours_only) return s;
    if (colon) s += ":";
    s += Pad(off / 60 % 60, 2);
    if (seconds) {
      if (colon) s += ":";
      s += Pad(off % 60, 2);
    }
    return s;
  };
  while (i < layout.size()) {
    struct Tok {
      std::string_view text;
    };
    if (StartsWith(layout, i, "January")) { out += kMonths[c.month - 1]; i += 7; continue; }
    if (StartsWith(layout, i, "Jan")) { out += std::string(kMonths[c.month - 1]).substr(0, 3); i += 3; continue; }
    if (StartsWith(layout, i, "Monday")) { out += kDays[c.weekday]; i += 6; continue; }
    if (StartsWith(layout, i, "Mon")) { out += std::string(kDays[c.weekday]).substr(0, 3); i += 3; continue; }
    if (StartsWith(layout, i, "MST")) {
      out += zone_.name.empty() ? zone_text(false, false, false, false) : zone_.name;
      i += 3;
      continue;
    }
    if (StartsWith(layout, i, "2006")) { out += Pad(c.year, 4); i += 4; continue; }
    if (StartsWith(layout, i, "002")) { out += Pad(c.yday, 3); i += 3; continue; }
    if (StartsWith(layout, i, "01")) { out += Pad(c.month, 2); i += 2; continue; }
    if (StartsWith(layout, i, "02")) { out += Pad(c.day, 2); i += 2; continue; }
    if (StartsWith(layout, i, "06")) { out += Pad(c.year % 100, 2); i += 2; continue; }
    if (StartsWith(layout, i, "_2")) { out += Pad(c.day, 2, ' '); i += 2; continue; }
    if (StartsWith(layout, i, "15")) { out += Pad(c.hour, 2); i += 2; continue; }
    if (StartsWith(layout, i, "03")) { out += Pad(c.hour % 12 == 0 ? 12 : c.hour % 12, 2); i += 2; continue; }
    if (StartsWith(layout, i, "04")) { out += Pad(c.minute, 2); i += 2; continue; }
    if (StartsWith(layout, i, "05")) { out += Pad(c.second, 2); i += 2; continue; }
    if (StartsWith(layout, i, "-07:00:00")) { out += zone_text(false, true, true, false); i += 9; continue; }
    if (StartsWith(layout, i, "-070000")) { out += zone_text(false, false, true, false); i += 7; continue; }
    if (StartsWith(layout, i, "-07:00")) { out += zone_text(false, true, false, false); i += 6; continue; }
    if (StartsWith(layout, i, "-0700")) { out += zone_text(false, false, false, false); i += 5; continue; }
    if (StartsWith(layout, i, "-07")) { out += zone_text(false, false, false, true); i += 3; continue; }
    if (StartsWith(layout, i, "Z07:00:00")) { out += zone_text(true, true, true, false); i += 9; continue; }
    if (StartsWith(layout, i, "Z070000")) { out += zone_text(true, false, true, false); i += 7; continue; }
    if (StartsWith(layout, i, "Z07:00")) { out += zone_text(true, true, false, false); i += 6; continue; }
    if (StartsWith(layout, i, "Z0700")) { out += zone_text(true, false, false, false); i += 5; continue; }
    if (StartsWith(layout, i, "Z07")) { out += zone_text(true, false, false, true); i += 3; continue; }
    if (StartsWith(layout, i, "PM")) { out += c.hour >= 12 ? "PM" : "AM"; i += 2; continue; }
    if (StartsWith(layout, i, "pm")) { out += c.hour >= 12 ? "pm" : "am"; i += 2; continue; }
    if ((layout[i] == '.' || layout[i] == ',') && i + 1 < layout.size() &&
        (layout[i + 1] == '0' || layout[i + 1] == '9')) {
      char d = layout[i + 1];
      size_t j = i + 1;
      while (j < layout.size() && layout[j] == d) ++j;
      if (j >= layout.size() || !std::isdigit(static_cast<unsigned char>(layout[j]))) {
        int n = static_cast<int>(j - i - 1);
        std::string frac = Pad(nsec_, 9).substr(0, std::min(n, 9));
        if (d == '9') {
          while (!frac.empty() && frac.back() == '0') frac.pop_back();
          if (!frac.empty()) out += layout[i] + frac;
        } else {
          out += layout[i] + frac;
        }
        i = j;
        continue;
      }
    }
    if (layout[i] == '1') { out += std::to_string(c.month); ++i; continue; }
    if (layout[i] == '2') { out += std::to_string(c.day); ++i; continue; }
    if (layout[i] == '3') { out += std::to_string(c.hour % 12 == 0 ? 12 : c.hour % 12); ++i; continue; }
    if (layout[i] == '4') { out += std::to_string(c.minute); ++i; continue; }
    if (layout[i] == '5') { out += std::to_string(c.second); ++i; continue; }
    out += layout[i++];
  }
  return out;
}

Value MakeTime(int64_t secs, int64_t nsec, const Zone& zone) {
  return Value::MakeObject(std::make_shared<TimeObject>(secs, nsec, zone));
}

Value Now() {
  auto now = std::chrono::system_clock::now().time_since_epoch();
  int64_t ns = std::chrono::duration_cast<std::chrono::nanoseconds>(now).count();
  int64_t secs = ns / 1000000000;
  return MakeTime(secs, ns % 1000000000, LocalZone(secs));
}

// The time a date argument stands for: a time.Time, or Unix seconds; anything else is now.
const TimeObject* AsTime(const Value& v, Value* holder) {
  if (v.kind() == Kind::kObject) {
    if (auto* t = dynamic_cast<const TimeObject*>(v.object().get())) return t;
  }
  if (v.kind() == Kind::kInt) {
    *holder = MakeTime(v.int_value(), 0, LocalZone(v.int_value()));
  } else {
    *holder = Now();
  }
  return static_cast<const TimeObject*>(holder->object().get());
}

bool ReadNumber(const std::string& s, size_t* i, int min_digits, int max_digits, int64_t* out) {
  size_t start = *i;
  int64_t n = 0;
  while (*i < s.size() && std::isdigit(static_cast<unsigned char>(s[*i])) &&
         static_cast<int>(*i - start) < max_digits) {
    n = n * 10 + (s[*i] - '0');
    ++*i;
  }
  *out = n;
  return static_cast<int>(*i - start) >= min_digits;
}

// time.ParseInLocation for the layout elements charts use.
Result<Value> ParseTime(const std::string& layout, const std::string& value, bool local) {
  int64_t year = 1, month = 1, day = 1, hour = 0, minute = 0, second = 0, nsec = 0;
  bool pm = false, has_pm = false;
  std::optional<int> offset;
  size_t i = 0, j = 0;
  auto fail = [&]() -> Status {
    return BadRequestError("parsing time \"" + value + "\" as \"" + layout +
                           "\": cannot parse \"" + value.substr(std::min(j, value.size())) +
                           "\" as \"" + layout.substr(std::min(i, layout.size())) + "\"");
  };
  while (i < layout.size()) {
    auto num = [&](size_t len, int minw, int maxw, int64_t* out) -> bool {
      i += len;
      return ReadNumber(value, &j, minw, maxw, out);
    };
    bool ok = true;
    if (StartsWith(layout, i, "2006")) ok = num(4, 4, 4, &year);
    else if (StartsWith(layout, i, "January") || StartsWith(layout, i, "Jan")) {
      bool full = StartsWith(layout, i, "January");
      i += full ? 7 : 3;
      ok = false;
      for (int m = 0; m < 12; ++m) {
        std::string name = full ? kMonths[m] : std::string(kMonths[m]).substr(0, 3);
        if (value.compare(j, name.size(), name) == 0) {
          month = m + 1;
          j += name.size();
          ok = true;
          break;
        }
      }
    } else if (StartsWith(layout, i, "Monday") || StartsWith(layout, i, "Mon")) {
      bool full = StartsWith(layout, i, "Monday");
      i += full ? 6 : 3;
      ok = false;
      for (int d = 0; d < 7; ++d) {
        std::string name = full ? kDays[d] : std::string(kDays[d]).substr(0, 3);
        if (value.compare(j, name.size(), name) == 0) {
          j += name.size();
          ok = true;
          break;
        }
      }
    } else if (StartsWith(layout, i, "01")) ok = num(2, 2, 2, &month);
    else if (StartsWith(layout, i, "02")) ok = num(2, 2, 2, &day);
    else if (StartsWith(layout, i, "06")) { ok = num(2, 2, 2, &year); year += year >= 69 ? 1900 : 2000; }
    else if (StartsWith(layout, i, "_2")) { i += 2; if (j < value.size() && value[j] == ' ') ++j; ok = ReadNumber(value, &j, 1, 2, &day); }
    else if (StartsWith(layout, i, "15")) ok = num(2, 1, 2, &hour);
    else if (StartsWith(layout, i, "03")) ok = num(2, 2, 2, &hour);
    else if (StartsWith(layout, i, "04")) ok = num(2, 2, 2, &minute);
    else if (StartsWith(layout, i, "05")) {
      ok = num(2, 2, 2, &second);
      if (ok && j < value.size() && value[j] == '.' && (i >= layout.size() || layout[i] != '.')) {
        ++j;
        size_t start = j;
        int64_t frac = 0;
        ReadNumber(value, &j, 1, 9, &frac);
        for (size_t k = j - start; k < 9; ++k) frac *= 10;
        nsec = frac;
      }
    } else if (StartsWith(layout, i, "PM") || StartsWith(layout, i, "pm")) {
      i += 2;
      std::string v = value.substr(j, 2);
      ok = v == "PM" || v == "pm" || v == "AM" || v == "am";
      pm = v == "PM" || v == "pm";
      has_pm = true;
      j += 2;
    } else if (StartsWith(layout, i, "Z07:00") || StartsWith(layout, i, "-07:00") ||
               StartsWith(layout, i, "Z0700") || StartsWith(layout, i, "-0700")) {
      bool colon = layout[i + 3] == ':';
      i += colon ? 6 : 5;
      if (j < value.size() && value[j] == 'Z') {
        ++j;
        offset = 0;
      } else if (j < value.size() && (value[j] == '+' || value[j] == '-')) {
        int sign = value[j] == '-' ? -1 : 1;
        ++j;
        int64_t h = 0, m = 0;
        ok = ReadNumber(value, &j, 2, 2, &h);
        if (colon && j < value.size() && value[j] == ':') ++j;
        ok = ok && ReadNumber(value, &j, 2, 2, &m);
        offset = sign * static_cast<int>(h * 3600 + m * 60);
      } else {
        ok = false;
      }
    } else if (StartsWith(layout, i, "MST")) {
      i += 3;
      size_t start = j;
      while (j < value.size() && std::isupper(static_cast<unsigned char>(value[j]))) ++j;
      ok = j - start >= 3;
      if (value.substr(start, j - start) == "UTC") offset = 0;
    } else if (layout[i] == '1') { i += 1; ok = ReadNumber(value, &j, 1, 2, &month); }
    else if (layout[i] == '2') { i += 1; ok = ReadNumber(value, &j, 1, 2, &day); }
    else if (layout[i] == '3') { i += 1; ok = ReadNumber(value, &j, 1, 2, &hour); }
    else if (layout[i] == '4') { i += 1; ok = ReadNumber(value, &j, 1, 2, &minute); }
    else if (layout[i] == '5') { i += 1; ok = ReadNumber(value, &j, 1, 2, &second); }
    else {
      if (j >= value.size() || value[j] != layout[i]) return fail();
      ++i;
      ++j;
    }
    if (!ok) return fail();
  }
  if (j != value.size()) {
    return BadRequestError("parsing time \"" + value + "\": extra text: \"" + value.substr(j) +
                           "\"");
  }
  if (has_pm && pm && hour < 12) hour += 12;
  if (has_pm && !pm && hour == 12) hour = 0;
  if (month < 1 || month > 12 || day < 1 || day > 31 || hour > 23 || minute > 59 || second > 59) {
    return BadRequestError("parsing time \"" + value + "\": value out of range");
  }
  int64_t wall = FromCivil(year, static_cast<int>(month), static_cast<int>(day)) * 86400 +
                 hour * 3600 + minute * 60 + second;
  if (offset) {
    Zone z;
    z.offset = *offset;
    z.name = *offset == 0 ? "UTC" : "";
    return MakeTime(wall - *offset, nsec, z);
  }
  if (local) {
    Zone z = LocalZone(wall);
    Zone z2 = LocalZone(wall - z.offset);
    return MakeTime(wall - z2.offset, nsec, z2);
  }
  return MakeTime(wall, nsec, Zone{});
}

// time.ParseDuration.
Result<int64_t> ParseDuration(const std::string& s) {
  if (s == "0") return int64_t{0};
  size_t i = 0;
  bool neg = false;
  if (i < s.size() && (s[i] == '-' || s[i] == '+')) neg = s[i++] == '-';
  if (i >= s.size()) return BadRequestError("time: invalid duration \"" + s + "\"");
  double total = 0;
  while (i < s.size()) {
    size_t start = i;
    while (i < s.size() && (std::isdigit(static_cast<unsigned char>(s[i])) || s[i] == '.')) ++i;
    if (start == i) return BadRequestError("time: invalid duration \"" + s + "\"");
    double v = std::strtod(s.substr(start, i - start).c_str(), nullptr);
    size_t ustart = i;
    while (i < s.size() && !std::isdigit(static_cast<unsigned char>(s[i])) && s[i] != '.') ++i;
    std::string unit = s.substr(ustart, i - ustart);
    double scale = 0;
    if (unit == "ns") scale = 1;
    else if (unit == "us" || unit == "\xC2\xB5s" || unit == "\xCE\xBCs") scale = 1e3;
    else if (unit == "ms") scale = 1e6;
    else if (unit == "s") scale = 1e9;
    else if (unit == "m") scale = 60e9;
    else if (unit == "h") scale = 3600e9;
    else if (unit.empty()) return BadRequestError("time: missing unit in duration \"" + s + "\"");
    else return BadRequestError("time: unknown unit \"" + unit + "\" in duration \"" + s + "\"");
    total += v * scale;
  }
  return static_cast<int64_t>(neg ? -total : total);
}

// time.Duration.String.
std::string DurationString(int64_t d) {
  if (d == 0) return "0s";
  bool neg = d < 0;
  uint64_t u = neg ? 0 - static_cast<uint64_t>(d) : static_cast<uint64_t>(d);
  std::string out;
  auto frac = [](uint64_t v, int digits) {
    std::string s;
    bool print = false;
    for (int k = 0; k < digits; ++k) {
      int digit = static_cast<int>(v % 10);
      print = print || digit != 0;
      if (print) s.insert(s.begin(), static_cast<char>('0' + digit));
      v /= 10;
    }
    if (!s.empty()) s.insert(s.begin(), '.');
    return std::make_pair(s, v);
  };
  if (u < 1000000000) {
    int prec;
    std::string unit;
    if (u < 1000) {
      return (neg ? "-" : "") + std::to_string(u) + "ns";
    } else if (u < 1000000) {
      prec = 3;
      unit = "\xC2\xB5s";
    } else {
      prec = 6;
      unit = "ms";
    }
    auto [f, rest] = frac(u, prec);
    return (neg ? "-" : "") + std::to_string(rest) + f + unit;
  }
  auto [f, secs] = frac(u, 9);
  out = std::to_string(secs % 60) + f + "s";
  uint64_t mins = secs / 60;
  if (mins > 0) {
    out = std::to_string(mins % 60) + "m" + out;
    uint64_t hours = mins / 60;
    if (hours > 0) out = std::to_string(hours) + "h" + out;
  }
  return (neg ? "-" : "") + out;
}

FuncResult DateModify(const std::string& fmt, const Value& date, bool must) {
  Result<int64_t> d = ParseDuration(fmt);
  Value holder;
  const TimeObject* t = AsTime(date, &holder);
  if (!d.ok()) {
    if (must) return d.status();
    return date;
  }
  int64_t ns = t->nsec() + *d % 1000000000;
  int64_t secs = t->secs() + *d / 1000000000 + (ns >= 1000000000 ? 1 : ns < 0 ? -1 : 0);
  ns = (ns % 1000000000 + 1000000000) % 1000000000;
  return MakeTime(secs, ns, t->zone());
}

}  // namespace

void AddDates(FuncMap* m) {
  m->Add("now", Fn({}, [](CallContext&, Args) -> FuncResult { return Now(); }));
  auto date_in_zone = [](const std::string& fmt, const Value& date, const std::string& zone) {
    Value holder;
    const TimeObject* t = AsTime(date, &holder);
    TimeObject in(t->secs(), t->nsec(), ZoneNamed(zone, t->secs()));
    return Str(in.Format(fmt));
  };
  m->Add("date", Fn({P::kString, P::kAny}, [=](CallContext&, Args a) -> FuncResult {
    return date_in_zone(a[0].string_value(), a[1], "Local");
  }));
  auto in_zone = Fn({P::kString, P::kAny, P::kString}, [=](CallContext&, Args a) -> FuncResult {
    return date_in_zone(a[0].string_value(), a[1], a[2].string_value());
  });
  m->Add("dateInZone", in_zone);
  m->Add("date_in_zone", in_zone);
  m->Add("htmlDate", Fn({P::kAny}, [=](CallContext&, Args a) -> FuncResult {
    return date_in_zone("2006-01-02", a[0], "Local");
  }));
  m->Add("htmlDateInZone", Fn({P::kAny, P::kString}, [=](CallContext&, Args a) -> FuncResult {
    return date_in_zone("2006-01-02", a[0], a[1].string_value());
  }));
  m->Add("toDate", Fn({P::kString, P::kString}, [](CallContext&, Args a) -> FuncResult {
    Result<Value> t = ParseTime(a[0].string_value(), a[1].string_value(), true);
    if (!t.ok()) return MakeTime(FromCivil(1, 1, 1) * 86400, 0, Zone{});
    return t;
  }));
  m->Add("mustToDate", Fn({P::kString, P::kString}, [](CallContext&, Args a) -> FuncResult {
    return ParseTime(a[0].string_value(), a[1].string_value(), true);
  }));
  m->Add("unixEpoch", Fn({P::kAny}, [](CallContext&, Args a) -> FuncResult {
    Value holder;
    return Str(std::to_string(AsTime(a[0], &holder)->secs()));
  }));
  auto modify = Fn({P::kString, P::kAny}, [](CallContext&, Args a) -> FuncResult {
    return DateModify(a[0].string_value(), a[1], false);
  });
  m->Add("dateModify", modify);
  m->Add("date_modify", modify);
  auto must_modify = Fn({P::kString, P::kAny}, [](CallContext&, Args a) -> FuncResult {
    return DateModify(a[0].string_value(), a[1], true);
  });
  m->Add("mustDateModify", must_modify);
  m->Add("must_date_modify", must_modify);
  m->Add("ago", Fn({P::kAny}, [](CallContext&, Args a) -> FuncResult {
    Value holder;
    const TimeObject* t = AsTime(a[0], &holder);
    auto now = std::chrono::system_clock::now().time_since_epoch();
    int64_t ns = std::chrono::duration_cast<std::chrono::nanoseconds>(now).count();
    int64_t d = ns - (t->secs() * 1000000000 + t->nsec());
    d = static_cast<int64_t>(std::llround(static_cast<double>(d) / 1e9)) * 1000000000;
    return Str(DurationString(d));
  }));
  m->Add("duration", Fn({P::kAny}, [](CallContext&, Args a) -> FuncResult {
    int64_t n = 0;
    if (a[0].kind() == Kind::kString) {
      char* end = nullptr;
      n = std::strtoll(a[0].string_value().c_str(), &end, 10);
      if (*end != '\0') n = 0;
    } else if (a[0].type() == Type::kInt64) {
      n = a[0].int_value();
    }
    return Str(DurationString(n * 1000000000));
  }));
  m->Add("durationRound", Fn({P::kAny}, [](CallContext&, Args a) -> FuncResult {
    int64_t d = 0;
    if (a[0].kind() == Kind::kString) {
      d = ParseDuration(a[0].string_value()).value_or(0);
    } else if (a[0].type() == Type::kInt64) {
      d = a[0].int_value();
    } else if (a[0].kind() == Kind::kObject) {
      if (auto* t = dynamic_cast<const TimeObject*>(a[0].object().get())) {
        auto now = std::chrono::system_clock::now().time_since_epoch();
        int64_t ns = std::chrono::duration_cast<std::chrono::nanoseconds>(now).count();
        d = ns - (t->secs() * 1000000000 + t->nsec());
      }
    }
    uint64_t u = d < 0 ? 0 - static_cast<uint64_t>(d) : static_cast<uint64_t>(d);
    const uint64_t hour = 3600000000000ULL;
    struct Unit {
      uint64_t size;
      const char* suffix;
    };
    for (Unit unit : {Unit{hour * 24 * 365, "y"}, Unit{hour * 24 * 30, "mo"},
                      Unit{hour * 24, "d"}, Unit{hour, "h"}, Unit{60000000000ULL, "m"},
                      Unit{1000000000ULL, "s"}}) {
      if (u > unit.size) return Str(std::to_string(u / unit.size) + unit.suffix);
    }
    return Str("0s");
  }));
}

}  // namespace kstack::tmpl::sprig
