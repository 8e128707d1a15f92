#pragma once

// Kubernetes' name and label validation (k8s.io/apimachinery/pkg/util/validation), returning
// its messages. Each function returns "" when the value is valid, otherwise why it is not.

#include <string>
#include <string_view>

namespace kstack::machinery {

// A DNS-1123 label (namespaces, most names with a length limit of 63): [a-z0-9]([-a-z0-9]*[a-z0-9])?
std::string Dns1123LabelProblem(std::string_view value);

// A DNS-1123 subdomain (most object names): labels joined by dots, at most 253 characters.
std::string Dns1123SubdomainProblem(std::string_view value);

// A DNS-1035 label (Service names): like a DNS-1123 label but starting with a letter.
std::string Dns1035LabelProblem(std::string_view value);

// A path segment name (RBAC objects such as "system:controller:x"): not "." or "..", and no
// "/" or "%".
std::string PathSegmentNameProblem(std::string_view value);

// A qualified name (label and annotation keys): an optional DNS subdomain prefix and "/", then
// a name of at most 63 characters: ([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9].
std::string QualifiedNameProblem(std::string_view value);

// A label value: empty, or at most 63 characters of the qualified name's name part.
std::string LabelValueProblem(std::string_view value);

}  // namespace kstack::machinery
