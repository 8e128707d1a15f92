#pragma once

// Lua 5.1 has no `goto`, but the Lua that Argo CD runs accepts it, and its scripts use it in
// one way: to skip to the next iteration of a loop,
//
//   for _, c in ipairs(conditions) do
//     if c.status ~= "True" then goto continue end
//     ...
//     ::continue::
//   end
//
// RewriteLoopContinue turns that idiom into Lua 5.1: the body becomes `repeat ... until true`,
// each `goto continue` a `break` out of it, and a `break` of the loop itself sets a flag that
// breaks the loop once out of the `repeat`. Only a label that ends the body of a while or for
// loop, reached from within that body (not from a nested loop or function), is rewritten; any
// other goto or label leaves the source as it is (and the compiler then rejects it). Lines are
// kept, so error positions still point at the script's own lines.

#include <optional>
#include <string>
#include <string_view>

namespace kstack::gitops::health::internal {

// The rewritten source, or nullopt when `source` has no goto or label to rewrite, or one that
// is not of the form above.
std::optional<std::string> RewriteLoopContinue(std::string_view source);

}  // namespace kstack::gitops::health::internal
