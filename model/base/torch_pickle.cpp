#include "torch_pickle.h"

#include <algorithm>
#include <cstdio>
#include <map>
#include <memory>
#include <utility>

#include "error.h"

namespace attnx {
namespace {

// Values the subset can build. Shared pointers because the memo may hand the same object out
// several times (a storage shared by two tensors).
struct Value;
using ValuePtr = std::shared_ptr<Value>;

struct Value {
  enum class Kind { None, Bool, Int, Str, Tuple, List, Dict, Global, Storage, Tensor };
  Kind kind = Kind::None;
  int64_t i = 0;                // Int; Bool (0/1)
  std::string s;                // Str; Global: "module.name"
  std::vector<ValuePtr> items;  // Tuple, List
  std::vector<std::pair<ValuePtr, ValuePtr>> dict;
  TorchTensorRef tensor;   // Storage (key, dtype, numel) and Tensor
  int depth = 1;           // nesting depth, bounded so that destruction cannot overflow the stack
  bool contained = false;  // inside a container: then frozen, so `depth` stays true (no cycles)
};

const char* kindName(Value::Kind k) {
  switch (k) {
    case Value::Kind::None:
      return "None";
    case Value::Kind::Bool:
      return "a bool";
    case Value::Kind::Int:
      return "an int";
    case Value::Kind::Str:
      return "a string";
    case Value::Kind::Tuple:
      return "a tuple";
    case Value::Kind::List:
      return "a list";
    case Value::Kind::Dict:
      return "a dict";
    case Value::Kind::Global:
      return "a class or function";
    case Value::Kind::Storage:
      return "a storage";
    case Value::Kind::Tensor:
      return "a tensor";
  }
  return "?";
}

constexpr int kMaxDepth = 64;

// torch.<Name>Storage -> element type. Only the name matters: the bytes are read raw.
bool storageDType(std::string_view name, DType& out) {
  static const std::pair<std::string_view, DType> table[] = {
      {"torch.DoubleStorage", DType::F64}, {"torch.FloatStorage", DType::F32},
      {"torch.HalfStorage", DType::F16},   {"torch.BFloat16Storage", DType::BF16},
      {"torch.LongStorage", DType::I64},   {"torch.IntStorage", DType::I32},
      {"torch.ShortStorage", DType::I16},  {"torch.CharStorage", DType::I8},
      {"torch.ByteStorage", DType::U8},    {"torch.BoolStorage", DType::Bool},
  };
  for (const auto& [n, t] : table)
    if (n == name) {
      out = t;
      return true;
    }
  return false;
}

constexpr std::string_view kRebuildTensor = "torch._utils._rebuild_tensor_v2";
constexpr std::string_view kRebuildParameter = "torch._utils._rebuild_parameter";
constexpr std::string_view kOrderedDict = "collections.OrderedDict";

bool allowedGlobal(std::string_view name) {
  DType unused;
  return name == kRebuildTensor || name == kRebuildParameter || name == kOrderedDict ||
         storageDType(name, unused);
}

class Machine {
 public:
  Machine(const std::string& path, std::string_view code) : path_(path), code_(code) {}

  ValuePtr run() {
    while (true) {
      const std::size_t at = pos_;
      const unsigned char op = byte();
      opAt_ = at;
      switch (op) {
        case 0x80: {  // PROTO
          const unsigned v = byte();
          if (v < 2 || v > 5) fail("unsupported pickle protocol " + std::to_string(v));
          break;
        }
        case 0x95:  // FRAME: a length hint only
          bytes(8);
          break;
        case 'c': {  // GLOBAL module\nname\n
          std::string module = line();
          std::string name = line();
          pushGlobal(module + "." + name);
          break;
        }
        case 0x93: {  // STACK_GLOBAL
          ValuePtr name = pop(), module = pop();
          if (module->kind != Value::Kind::Str || name->kind != Value::Kind::Str)
            fail("STACK_GLOBAL needs two strings");
          pushGlobal(module->s + "." + name->s);
          break;
        }
        case 'q':  // BINPUT
          memoPut(byte());
          break;
        case 'r':  // LONG_BINPUT
          memoPut(uint(4));
          break;
        case 0x94:  // MEMOIZE
          memoPut(memo_.size());
          break;
        case 'h':  // BINGET
          memoGet(byte());
          break;
        case 'j':  // LONG_BINGET
          memoGet(uint(4));
          break;
        case '(':  // MARK
          if (marks_.size() > 1000) fail("too deeply nested");
          marks_.push_back(stack_.size());
          break;
        case 'X':  // BINUNICODE
          pushStr(bytes(uint(4)));
          break;
        case 0x8c:  // SHORT_BINUNICODE
          pushStr(bytes(byte()));
          break;
        case 0x8d:  // BINUNICODE8
          pushStr(bytes(uint(8)));
          break;
        case 'U':  // SHORT_BINSTRING
          pushStr(bytes(byte()));
          break;
        case 'T':  // BINSTRING
          pushStr(bytes(uint(4)));
          break;
        case 'K':  // BININT1
          pushInt(byte());
          break;
        case 'M':  // BININT2
          pushInt(static_cast<int64_t>(uint(2)));
          break;
        case 'J':  // BININT (signed)
          pushInt(static_cast<int32_t>(static_cast<uint32_t>(uint(4))));
          break;
        case 0x8a: {  // LONG1: n-byte two's complement
          const unsigned n = byte();
          if (n > 8) fail("integer too large");
          const uint64_t raw = n ? uint(n) : 0;
          int64_t v = static_cast<int64_t>(raw);
          if (n > 0 && n < 8 && (raw >> (8 * n - 1)) & 1)
            v = static_cast<int64_t>(raw | (~0ull << (8 * n)));
          pushInt(v);
          break;
        }
        case 'N':
          push(make(Value::Kind::None));
          break;
        case 0x88:
        case 0x89: {  // NEWTRUE / NEWFALSE
          ValuePtr v = make(Value::Kind::Bool);
          v->i = op == 0x88;
          push(v);
          break;
        }
        case ')':
          push(makeSeq(Value::Kind::Tuple, {}));
          break;
        case 0x85:
        case 0x86:
        case 0x87: {  // TUPLE1..3
          const std::size_t n = op - 0x84;
          need(n);
          std::vector<ValuePtr> items(stack_.end() - n, stack_.end());
          stack_.resize(stack_.size() - n);
          push(makeSeq(Value::Kind::Tuple, std::move(items)));
          break;
        }
        case 't':  // TUPLE
          push(makeSeq(Value::Kind::Tuple, popMark()));
          break;
        case ']':
          push(makeSeq(Value::Kind::List, {}));
          break;
        case 'a': {  // APPEND
          ValuePtr v = pop();
          append(top(), {v});
          break;
        }
        case 'e': {  // APPENDS
          std::vector<ValuePtr> items = popMark();
          append(top(), std::move(items));
          break;
        }
        case '}':
          push(make(Value::Kind::Dict));
          break;
        case 's': {  // SETITEM
          ValuePtr v = pop(), k = pop();
          setItems(top(), {k, v});
          break;
        }
        case 'u':  // SETITEMS
          setItems(top(), popMark());
          break;
        case 'Q':  // BINPERSID
          push(persistent(pop()));
          break;
        case 'R': {  // REDUCE
          ValuePtr args = pop(), fn = pop();
          push(reduce(fn, args));
          break;
        }
        case 'b': {  // BUILD: only the extra attributes of a state dict (its _metadata)
          ValuePtr state = pop();
          if (top()->kind != Value::Kind::Dict)
            fail("BUILD on " + std::string(kindName(top()->kind)));
          break;
        }
        case '.':  // STOP
          if (stack_.size() != 1 || !marks_.empty())
            fail("malformed pickle (stack not empty at STOP)");
          return stack_.back();
        default: {
          char hex[8];
          std::snprintf(hex, sizeof hex, "0x%02x", op);
          fail("pickle opcode " + std::string(hex) + " is not allowed in a tensor file");
        }
      }
    }
  }

 private:
  [[noreturn]] void fail(const std::string& what) const {
    throw Error(path_ + ": data.pkl (offset " + std::to_string(opAt_) + "): " + what);
  }

  unsigned char byte() {
    if (pos_ >= code_.size()) fail("pickle ends without STOP (truncated)");
    return static_cast<unsigned char>(code_[pos_++]);
  }
  std::string_view bytes(uint64_t n) {
    if (n > code_.size() - pos_) fail("pickle ends inside an argument (truncated)");
    std::string_view v = code_.substr(pos_, n);
    pos_ += n;
    return v;
  }
  uint64_t uint(unsigned n) {
    std::string_view b = bytes(n);
    uint64_t v = 0;
    for (unsigned i = n; i-- > 0;) v = (v << 8) | static_cast<unsigned char>(b[i]);
    return v;
  }
  std::string line() {
    const std::size_t nl = code_.find('\n', pos_);
    if (nl == std::string_view::npos || nl - pos_ > 256) fail("malformed GLOBAL");
    std::string s(code_.substr(pos_, nl - pos_));
    pos_ = nl + 1;
    return s;
  }

  ValuePtr make(Value::Kind k) {
    auto v = std::make_shared<Value>();
    v->kind = k;
    return v;
  }
  ValuePtr makeSeq(Value::Kind k, std::vector<ValuePtr> items) {
    ValuePtr v = make(k);
    v->items = std::move(items);
    for (const auto& it : v->items) grow(*v, *it);
    return v;
  }
  void push(ValuePtr v) {
    if (stack_.size() > 1000000) fail("stack too large");
    stack_.push_back(std::move(v));
  }
  void pushStr(std::string_view s) {
    ValuePtr v = make(Value::Kind::Str);
    v->s.assign(s);
    push(v);
  }
  void pushInt(int64_t i) {
    ValuePtr v = make(Value::Kind::Int);
    v->i = i;
    push(v);
  }
  void pushGlobal(const std::string& name) {
    if (!allowedGlobal(name))
      fail("refusing to load '" + name +
           "': only plain tensors (torch.save of a tensor or a "
           "dict of tensors) are accepted");
    ValuePtr v = make(Value::Kind::Global);
    v->s = name;
    push(v);
  }
  void need(std::size_t n) const {
    const std::size_t floor = marks_.empty() ? 0 : marks_.back();
    if (stack_.size() < floor + n) fail("malformed pickle (stack underflow)");
  }
  ValuePtr pop() {
    need(1);
    ValuePtr v = std::move(stack_.back());
    stack_.pop_back();
    return v;
  }
  const ValuePtr& top() const {
    need(1);
    return stack_.back();
  }
  std::vector<ValuePtr> popMark() {
    if (marks_.empty()) fail("malformed pickle (no MARK)");
    const std::size_t m = marks_.back();
    marks_.pop_back();
    std::vector<ValuePtr> items(stack_.begin() + static_cast<std::ptrdiff_t>(m), stack_.end());
    stack_.resize(m);
    return items;
  }
  void memoPut(uint64_t idx) {
    if (idx > 1000000) fail("memo index too large");
    memo_[idx] = top();
  }
  void memoGet(uint64_t idx) {
    auto it = memo_.find(idx);
    if (it == memo_.end()) fail("memo entry " + std::to_string(idx) + " is missing");
    push(it->second);
  }
  // Records that `child` now lives inside `target`. torch.save fills every list or dict before
  // placing it inside another, so a contained container is never modified again; refusing that
  // keeps the object graph acyclic and its depth exactly as tracked here.
  void grow(Value& target, Value& child) {
    if (target.contained) fail("modifies a container after nesting it");
    child.contained = true;
    target.depth = std::max(target.depth, child.depth + 1);
    if (target.depth > kMaxDepth) fail("too deeply nested");
  }
  void append(const ValuePtr& list, std::vector<ValuePtr> items) {
    if (list->kind != Value::Kind::List) fail("APPEND to " + std::string(kindName(list->kind)));
    for (auto& it : items) {
      if (it.get() == list.get()) fail("self-referencing list");
      grow(*list, *it);
      list->items.push_back(std::move(it));
    }
  }
  void setItems(const ValuePtr& d, std::vector<ValuePtr> kv) {
    if (d->kind != Value::Kind::Dict) fail("SETITEM on " + std::string(kindName(d->kind)));
    if (kv.size() % 2) fail("SETITEMS with an odd number of values");
    for (std::size_t i = 0; i < kv.size(); i += 2) {
      if (kv[i].get() == d.get() || kv[i + 1].get() == d.get()) fail("self-referencing dict");
      grow(*d, *kv[i]);
      grow(*d, *kv[i + 1]);
      d->dict.emplace_back(kv[i], kv[i + 1]);
    }
  }

  int64_t intArg(const ValuePtr& v, const char* what) const {
    if (v->kind != Value::Kind::Int) fail(std::string(what) + " is not an int");
    return v->i;
  }
  std::vector<int64_t> intTuple(const ValuePtr& v, const char* what) const {
    if (v->kind != Value::Kind::Tuple) fail(std::string(what) + " is not a tuple");
    std::vector<int64_t> out;
    for (const auto& it : v->items) out.push_back(intArg(it, what));
    return out;
  }

  // ('storage', torch.XStorage, key, location, numel)
  ValuePtr persistent(const ValuePtr& pid) {
    const auto& t = pid->items;
    if (pid->kind != Value::Kind::Tuple || t.size() != 5 || t[0]->kind != Value::Kind::Str ||
        t[0]->s != "storage" || t[1]->kind != Value::Kind::Global || t[2]->kind != Value::Kind::Str)
      fail("persistent id is not a torch storage reference");
    ValuePtr st = make(Value::Kind::Storage);
    if (!storageDType(t[1]->s, st->tensor.dtype)) fail("'" + t[1]->s + "' is not a storage type");
    st->tensor.storageKey = t[2]->s;
    st->tensor.storageNumel = intArg(t[4], "storage size");
    if (st->tensor.storageNumel < 0) fail("negative storage size");
    return st;
  }

  ValuePtr reduce(const ValuePtr& fn, const ValuePtr& args) {
    if (fn->kind != Value::Kind::Global) fail("REDUCE calls " + std::string(kindName(fn->kind)));
    if (args->kind != Value::Kind::Tuple) fail("REDUCE arguments are not a tuple");
    const auto& a = args->items;
    if (fn->s == kOrderedDict) {
      if (!a.empty()) fail("OrderedDict with arguments");
      return make(Value::Kind::Dict);
    }
    if (fn->s == kRebuildParameter) {
      // (data, requires_grad, backward_hooks): the parameter is its data tensor.
      if (a.size() < 1 || a[0]->kind != Value::Kind::Tensor) fail("malformed parameter");
      return a[0];
    }
    if (fn->s == kRebuildTensor) {
      // (storage, storage_offset, size, stride, requires_grad, backward_hooks[, metadata])
      if (a.size() < 6 || a.size() > 7 || a[0]->kind != Value::Kind::Storage)
        fail("malformed _rebuild_tensor_v2 call");
      ValuePtr t = make(Value::Kind::Tensor);
      t->tensor = a[0]->tensor;
      t->tensor.offset = intArg(a[1], "storage offset");
      t->tensor.shape = intTuple(a[2], "tensor size");
      t->tensor.stride = intTuple(a[3], "tensor stride");
      if (t->tensor.shape.size() != t->tensor.stride.size())
        fail("tensor size and stride differ in length");
      return t;
    }
    fail("REDUCE calls '" + fn->s + "', which is not allowed here");
  }

  const std::string& path_;
  std::string_view code_;
  std::size_t pos_ = 0;
  std::size_t opAt_ = 0;
  std::vector<ValuePtr> stack_;
  std::vector<std::size_t> marks_;
  std::map<uint64_t, ValuePtr> memo_;
};

}  // namespace

std::vector<TorchTensorRef> parseTorchPickle(const std::string& path, std::string_view pickle) {
  ValuePtr root = Machine(path, pickle).run();
  std::vector<TorchTensorRef> out;
  if (root->kind == Value::Kind::Tensor) {
    out.push_back(root->tensor);
    return out;
  }
  if (root->kind != Value::Kind::Dict)
    throw Error(path + ": holds " + kindName(root->kind) + ", not a tensor or a dict of tensors");
  for (const auto& [k, v] : root->dict) {
    if (k->kind != Value::Kind::Str) throw Error(path + ": dict key is not a string");
    if (v->kind != Value::Kind::Tensor) continue;  // e.g. a step counter saved alongside
    out.push_back(v->tensor);
    out.back().name = k->s;
  }
  if (out.empty()) throw Error(path + ": the saved dict holds no tensor");
  return out;
}

namespace {

// Containers may be shared (the memo hands one object out many times): a few bytes of pickle
// can describe a tree of 2^64 leaves. The walk stops at this many visited values.
constexpr std::size_t kMaxVisited = 1'000'000;

void flatten(const std::string& path, const ValuePtr& v, const std::string& name,
             TorchPickleTree& out, std::size_t& visited) {
  if (++visited > kMaxVisited)
    throw Error(path + ": the saved object holds more than " + std::to_string(kMaxVisited) +
                " values (shared containers nested in each other)");
  auto child = [&](const std::string& key) { return name.empty() ? key : name + "." + key; };
  switch (v->kind) {
    case Value::Kind::Tensor:
      out.tensors.push_back(v->tensor);
      out.tensors.back().name = name;
      return;
    case Value::Kind::Str:
      out.strings.push_back({name, {v->s}});
      return;
    case Value::Kind::Tuple:
    case Value::Kind::List: {
      const bool allStrings =
          !v->items.empty() && std::all_of(v->items.begin(), v->items.end(), [](const ValuePtr& i) {
            return i->kind == Value::Kind::Str;
          });
      if (allStrings) {
        std::vector<std::string> list;
        for (const ValuePtr& i : v->items) list.push_back(i->s);
        out.strings.push_back({name, std::move(list)});
        return;
      }
      for (std::size_t i = 0; i < v->items.size(); ++i)
        flatten(path, v->items[i], child(std::to_string(i)), out, visited);
      return;
    }
    case Value::Kind::Dict:
      for (const auto& [k, item] : v->dict) {
        if (k->kind == Value::Kind::Str)
          flatten(path, item, child(k->s), out, visited);
        else if (k->kind == Value::Kind::Int)
          flatten(path, item, child(std::to_string(k->i)), out, visited);
        else
          throw Error(path + ": dict key is " + kindName(k->kind) + ", not a string or an int");
      }
      return;
    default:
      return;  // numbers, booleans, None: nothing an attention file needs
  }
}

}  // namespace

TorchPickleTree parseTorchPickleTree(const std::string& path, std::string_view pickle) {
  const ValuePtr root = Machine(path, pickle).run();
  TorchPickleTree out;
  std::size_t visited = 0;
  flatten(path, root, "", out, visited);  // depth bounded by the machine, work by kMaxVisited
  return out;
}

}  // namespace attnx
