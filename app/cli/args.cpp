#include "args.h"

#include <charconv>

namespace attnx::cli {

Args::Args(const std::vector<std::string>& argv, const std::set<std::string>& valued,
           const std::set<std::string>& flags, std::vector<std::string>* positional) {
  for (size_t i = 0; i < argv.size(); ++i) {
    std::string a = argv[i];
    if (a.rfind("--", 0) != 0) {
      if (!positional) throw UsageError("unexpected argument '" + a + "'");
      positional->push_back(a);
      continue;
    }
    std::string name = a.substr(2);
    std::optional<std::string> inlineValue;
    if (auto eq = name.find('='); eq != std::string::npos) {
      inlineValue = name.substr(eq + 1);
      name = name.substr(0, eq);
    }
    if (valued.count(name)) {
      if (!inlineValue && i + 1 >= argv.size())
        throw UsageError("option --" + name + " needs a value");
      values_[name] = inlineValue ? *inlineValue : argv[++i];
      repeated_[name].push_back(values_[name]);
    } else if (flags.count(name)) {
      if (inlineValue) throw UsageError("option --" + name + " takes no value");
      flagsSeen_.insert(name);
    } else {
      throw UsageError("unknown option --" + name);
    }
  }
}

bool Args::has(const std::string& name) const {
  return values_.count(name) || flagsSeen_.count(name);
}

std::optional<std::string> Args::get(const std::string& name) const {
  auto it = values_.find(name);
  if (it == values_.end()) return std::nullopt;
  return it->second;
}

std::string Args::require(const std::string& name) const {
  auto v = get(name);
  if (!v) throw UsageError("missing required option --" + name);
  return *v;
}

std::string Args::value(const std::string& name, const std::string& fallback) const {
  return get(name).value_or(fallback);
}

std::optional<int> queryOption(const Args& args) {
  const std::string query = args.value("query", "last");
  if (query == "last") return std::nullopt;
  int q = -1;
  auto [p, ec] = std::from_chars(query.data(), query.data() + query.size(), q);
  if (ec != std::errc() || p != query.data() + query.size() || q < 0)
    throw UsageError("--query must be last or a position, not '" + query + "'");
  return q;
}

std::vector<std::string> Args::all(const std::string& name) const {
  const auto it = repeated_.find(name);
  return it == repeated_.end() ? std::vector<std::string>{} : it->second;
}

int Args::integer(const std::string& name, int fallback) const {
  auto v = get(name);
  if (!v) return fallback;
  int out = 0;
  auto [p, ec] = std::from_chars(v->data(), v->data() + v->size(), out);
  if (ec != std::errc() || p != v->data() + v->size())
    throw UsageError("option --" + name + " expects an integer, got '" + *v + "'");
  return out;
}

std::vector<int64_t> parseIntList(const std::string& text, const std::string& what) {
  std::vector<int64_t> out;
  size_t start = 0;
  while (start <= text.size()) {
    size_t end = text.find(',', start);
    if (end == std::string::npos) end = text.size();
    std::string item = text.substr(start, end - start);
    while (!item.empty() && item.front() == ' ') item.erase(item.begin());
    while (!item.empty() && item.back() == ' ') item.pop_back();
    int64_t v = 0;
    auto [p, ec] = std::from_chars(item.data(), item.data() + item.size(), v);
    if (item.empty() || ec != std::errc() || p != item.data() + item.size())
      throw UsageError(what + ": '" + item + "' is not an integer");
    out.push_back(v);
    start = end + 1;
  }
  return out;
}

}  // namespace attnx::cli
