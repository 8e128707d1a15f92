#pragma once

// Conversions Sprig applies to interface{} arguments (strval, toInt64 and toFloat64 after
// spf13/cast, reflection on lists), shared by the Sprig family files. Module-internal.

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "template/funcs.h"
#include "template/value.h"

namespace kstack::tmpl::sprig {

using Args = std::span<const Value>;
using P = Param;

// Sprig's strval: strings as they are, anything else as fmt's %v prints it.
std::string StrVal(const Value& v);
// cast.ToInt64 with errors as 0: integers, floats truncated, bools, numeric strings (base 0).
int64_t ToInt64(const Value& v);
// cast.ToFloat64 with errors as 0.
double ToFloat64(const Value& v);
// Sprig's empty: the zero value of the type, or nil.
bool IsEmpty(const Value& v);

// The elements of a list argument, or the error Sprig's must* functions return:
// "Cannot find first on type string".
Result<List> ListArg(const Value& v, std::string_view what);
// The same for non-must functions: Sprig panics, which text/template reports as an error
// calling the function.
FuncResult ListOrPanic(const Value& v, std::string_view what);

// Sprig's untilStep and its []int result.
std::vector<int64_t> UntilStep(int64_t start, int64_t stop, int64_t step);
Value IntList(const std::vector<int64_t>& v);
// reflect.DeepEqual of two values (same Go types, equal contents).
bool DeepEqual(const Value& a, const Value& b);

// A []interface{} of values.
inline Value MakeList(List items) { return Value::MakeList(std::move(items)); }
inline Value Str(std::string s) { return Value::String(std::move(s)); }
inline Value Int64(int64_t i) { return Value::Int(i, Type::kInt64); }

// Each family registers its functions.
void AddStrings(FuncMap* map);
void AddLists(FuncMap* map);
void AddDicts(FuncMap* map);
void AddMath(FuncMap* map);
void AddDefaults(FuncMap* map);
void AddEncoding(FuncMap* map);
void AddRegex(FuncMap* map);
void AddSemver(FuncMap* map);
void AddDates(FuncMap* map);
void AddCrypto(FuncMap* map);
void AddCerts(FuncMap* map);
void AddPasswords(FuncMap* map);
void AddPaths(FuncMap* map);
void AddReflect(FuncMap* map);

}  // namespace kstack::tmpl::sprig
