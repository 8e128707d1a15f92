// Sprig's list functions (list.go). The non-must forms fail where Sprig panics; text/template
// reports both as an error calling the function.

#include "template/sprig/util.h"

namespace kstack::tmpl::sprig {
namespace {

bool InList(const List& l, const Value& v) {
  for (const Value& x : l) {
    if (DeepEqual(x, v)) return true;
  }
  return false;
}

// Registers `name` and `mustName` with the same behaviour.
void Both(FuncMap* m, const std::string& name, Func f) {
  std::string must = "must" + std::string(1, static_cast<char>(std::toupper(name[0]))) +
                     name.substr(1);
  m->Add(name, f);
  m->Add(must, std::move(f));
}

}  // namespace

void AddLists(FuncMap* m) {
  auto list = VarFn({}, P::kAny, [](CallContext&, Args a) -> FuncResult {
    return MakeList(List(a.begin(), a.end()));
  });
  m->Add("list", list);
  m->Add("tuple", list);
  auto push = Fn({P::kAny, P::kAny}, [](CallContext&, Args a) -> FuncResult {
    KSTACK_ASSIGN_OR_RETURN(List l, ListArg(a[0], "push"));
    l.push_back(a[1]);
    return MakeList(std::move(l));
  });
  m->Add("push", push);
  m->Add("append", push);
  m->Add("mustPush", push);
  m->Add("mustAppend", push);
  Both(m, "prepend", Fn({P::kAny, P::kAny}, [](CallContext&, Args a) -> FuncResult {
    KSTACK_ASSIGN_OR_RETURN(List l, ListArg(a[0], "prepend"));
    l.insert(l.begin(), a[1]);
    return MakeList(std::move(l));
  }));
  Both(m, "chunk", Fn({P::kInt, P::kAny}, [](CallContext&, Args a) -> FuncResult {
    KSTACK_ASSIGN_OR_RETURN(List l, ListArg(a[1], "chunk"));
    int64_t size = a[0].int_value();
    if (size <= 0) return BadRequestError("runtime error: integer divide by zero");
    List out;
    for (size_t i = 0; i < l.size(); i += size) {
      size_t end = std::min(l.size(), i + static_cast<size_t>(size));
      out.push_back(MakeList(List(l.begin() + i, l.begin() + end)));
    }
    return MakeList(std::move(out));
  }));
  Both(m, "last", Fn({P::kAny}, [](CallContext&, Args a) -> FuncResult {
    KSTACK_ASSIGN_OR_RETURN(List l, ListArg(a[0], "find last"));
    if (l.empty()) return Value::Nil();
    return l.back();
  }));
  Both(m, "first", Fn({P::kAny}, [](CallContext&, Args a) -> FuncResult {
    KSTACK_ASSIGN_OR_RETURN(List l, ListArg(a[0], "find first"));
    if (l.empty()) return Value::Nil();
    return l.front();
  }));
  Both(m, "rest", Fn({P::kAny}, [](CallContext&, Args a) -> FuncResult {
    KSTACK_ASSIGN_OR_RETURN(List l, ListArg(a[0], "find rest"));
    if (l.empty()) return Value::MakeList({});
    return MakeList(List(l.begin() + 1, l.end()));
  }));
  Both(m, "initial", Fn({P::kAny}, [](CallContext&, Args a) -> FuncResult {
    KSTACK_ASSIGN_OR_RETURN(List l, ListArg(a[0], "find initial"));
    if (l.empty()) return Value::MakeList({});
    return MakeList(List(l.begin(), l.end() - 1));
  }));
  Both(m, "reverse", Fn({P::kAny}, [](CallContext&, Args a) -> FuncResult {
    KSTACK_ASSIGN_OR_RETURN(List l, ListArg(a[0], "find reverse"));
    return MakeList(List(l.rbegin(), l.rend()));
  }));
  Both(m, "compact", Fn({P::kAny}, [](CallContext&, Args a) -> FuncResult {
    KSTACK_ASSIGN_OR_RETURN(List l, ListArg(a[0], "compact"));
    List out;
    for (const Value& v : l) {
      if (!IsEmpty(v)) out.push_back(v);
    }
    return MakeList(std::move(out));
  }));
  Both(m, "uniq", Fn({P::kAny}, [](CallContext&, Args a) -> FuncResult {
    KSTACK_ASSIGN_OR_RETURN(List l, ListArg(a[0], "find uniq"));
    List out;
    for (const Value& v : l) {
      if (!InList(out, v)) out.push_back(v);
    }
    return MakeList(std::move(out));
  }));
  Both(m, "without", VarFn({P::kAny}, P::kAny, [](CallContext&, Args a) -> FuncResult {
    KSTACK_ASSIGN_OR_RETURN(List l, ListArg(a[0], "find without"));
    List omit(a.begin() + 1, a.end());
    List out;
    for (const Value& v : l) {
      if (!InList(omit, v)) out.push_back(v);
    }
    return MakeList(std::move(out));
  }));
  Both(m, "has", Fn({P::kAny, P::kAny}, [](CallContext&, Args a) -> FuncResult {
    if (a[1].is_nil()) return Value::Bool(false);
    KSTACK_ASSIGN_OR_RETURN(List l, ListArg(a[1], "find has"));
    return Value::Bool(InList(l, a[0]));
  }));
  Both(m, "slice", VarFn({P::kAny}, P::kAny, [](CallContext&, Args a) -> FuncResult {
    KSTACK_ASSIGN_OR_RETURN(List l, ListArg(a[0], "slice"));
    if (l.empty()) return Value::Nil();
    int64_t len = static_cast<int64_t>(l.size());
    int64_t start = a.size() > 1 ? ToInt64(a[1]) : 0;
    int64_t end = a.size() > 2 ? ToInt64(a[2]) : len;
    if (start < 0 || end > len || start > end) {
      return BadRequestError("reflect: slice index out of range");
    }
    return Value::MakeList(List(l.begin() + start, l.begin() + end), a[0].type());
  }));
  m->Add("concat", VarFn({}, P::kAny, [](CallContext&, Args a) -> FuncResult {
    List out;
    for (const Value& v : a) {
      KSTACK_ASSIGN_OR_RETURN(List l, ListArg(v, "concat"));
      out.insert(out.end(), l.begin(), l.end());
    }
    return MakeList(std::move(out));
  }));
}

}  // namespace kstack::tmpl::sprig
