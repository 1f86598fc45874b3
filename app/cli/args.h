#pragma once
// Command-line arguments of a subcommand: `--name value`, `--name=value` and bare `--flag`.
// Unknown or malformed options are errors (exit status 2), never silently ignored.
#include <map>
#include <optional>
#include <set>
#include <stdexcept>
#include <string>
#include <vector>

namespace attnx::cli {

class UsageError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

class Args {
 public:
  // `valued` are options that take a value, `flags` those that do not. Arguments that are not
  // options go to `positional`, in order; without it they are a usage error.
  Args(const std::vector<std::string>& argv, const std::set<std::string>& valued,
       const std::set<std::string>& flags, std::vector<std::string>* positional = nullptr);

  bool has(const std::string& name) const;
  std::optional<std::string> get(const std::string& name) const;
  std::string require(const std::string& name) const;  // UsageError when absent
  std::string value(const std::string& name, const std::string& fallback) const;
  int integer(const std::string& name, int fallback) const;  // UsageError when not a number
  // Every value given to a repeatable option, in order (get() and value() give the last).
  std::vector<std::string> all(const std::string& name) const;

 private:
  std::map<std::string, std::string> values_;
  std::map<std::string, std::vector<std::string>> repeated_;
  std::set<std::string> flagsSeen_;
};

// --query last|N: nullopt for last (also when absent); UsageError on anything else.
std::optional<int> queryOption(const Args& args);

// "1,2,3" -> {1,2,3}; UsageError naming `what` on anything else.
std::vector<int64_t> parseIntList(const std::string& text, const std::string& what);

}  // namespace attnx::cli
