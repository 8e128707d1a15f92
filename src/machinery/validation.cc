#include "machinery/validation.h"

#include <fmt/format.h>

namespace kstack::machinery {
namespace {

bool IsLowerAlnum(char c) { return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'); }
bool IsAlnum(char c) { return IsLowerAlnum(c) || (c >= 'A' && c <= 'Z'); }

bool IsDns1123Label(std::string_view v) {
  if (v.empty() || !IsLowerAlnum(v.front()) || !IsLowerAlnum(v.back())) return false;
  for (char c : v) {
    if (!IsLowerAlnum(c) && c != '-') return false;
  }
  return true;
}

bool IsDns1123Subdomain(std::string_view v) {
  size_t start = 0;
  for (;;) {
    size_t dot = v.find('.', start);
    if (!IsDns1123Label(v.substr(start, dot == std::string_view::npos ? dot : dot - start))) {
      return false;
    }
    if (dot == std::string_view::npos) return true;
    start = dot + 1;
  }
}

// ([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]
bool IsQualifiedNamePart(std::string_view v) {
  if (v.empty() || !IsAlnum(v.front()) || !IsAlnum(v.back())) return false;
  for (char c : v) {
    if (!IsAlnum(c) && c != '-' && c != '_' && c != '.') return false;
  }
  return true;
}

constexpr std::string_view kLabelMessage =
    "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and "
    "must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex "
    "used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')";
constexpr std::string_view kSubdomainMessage =
    "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or "
    "'.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used "
    "for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')";
constexpr std::string_view kNamePartMessage =
    "name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end "
    "with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for "
    "validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')";
constexpr std::string_view kLabelValueMessage =
    "a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or "
    "'.', and must start and end with an alphanumeric character (e.g. 'MyValue',  or "
    "'my_value',  or '12345', regex used for validation is "
    "'(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')";

}  // namespace

std::string Dns1123LabelProblem(std::string_view value) {
  if (value.size() > 63) return "must be no more than 63 characters";
  if (!IsDns1123Label(value)) return std::string(kLabelMessage);
  return "";
}

std::string Dns1123SubdomainProblem(std::string_view value) {
  if (value.size() > 253) return "must be no more than 253 characters";
  if (!IsDns1123Subdomain(value)) return std::string(kSubdomainMessage);
  return "";
}

std::string Dns1035LabelProblem(std::string_view value) {
  if (value.size() > 63) return "must be no more than 63 characters";
  if (!IsDns1123Label(value) || !(value.front() >= 'a' && value.front() <= 'z')) {
    return "a DNS-1035 label must consist of lower case alphanumeric characters or '-', start "
           "with an alphabetic character, and end with an alphanumeric character (e.g. "
           "'my-name',  or 'abc-123', regex used for validation is '[a-z]([-a-z0-9]*[a-z0-9])?')";
  }
  return "";
}

std::string PathSegmentNameProblem(std::string_view value) {
  if (value == ".") return "may not be '.'";
  if (value == "..") return "may not be '..'";
  if (value.find('/') != std::string_view::npos) return "may not contain '/'";
  if (value.find('%') != std::string_view::npos) return "may not contain '%'";
  return "";
}

std::string QualifiedNameProblem(std::string_view value) {
  std::string_view name = value;
  size_t slash = value.find('/');
  if (slash != std::string_view::npos) {
    std::string_view prefix = value.substr(0, slash);
    name = value.substr(slash + 1);
    if (prefix.empty()) return "prefix part must be non-empty";
    if (std::string p = Dns1123SubdomainProblem(prefix); !p.empty()) return "prefix part " + p;
    if (name.find('/') != std::string_view::npos) {
      return "a qualified name must consist of alphanumeric characters, '-', '_' or '.', and "
             "must start and end with an alphanumeric character, with an optional DNS subdomain "
             "prefix and '/' (e.g. 'example.com/MyName')";
    }
  }
  if (name.empty()) return "name part must be non-empty";
  if (name.size() > 63) return "name part must be no more than 63 characters";
  if (!IsQualifiedNamePart(name)) return std::string(kNamePartMessage);
  return "";
}

std::string LabelValueProblem(std::string_view value) {
  if (value.empty()) return "";
  if (value.size() > 63) return "must be no more than 63 characters";
  if (!IsQualifiedNamePart(value)) return std::string(kLabelValueMessage);
  return "";
}

}  // namespace kstack::machinery
