#pragma once
// A minimal test harness for the Qt-free tests of model/ (they must build where Qt is absent).
// Each TEST registers itself; main() runs them all, prints one line per failure and a closing
// "N passed, N failed" line, and returns non-zero when anything failed.
#include <cmath>
#include <cstdio>
#include <functional>
#include <sstream>
#include <string>
#include <vector>

namespace attnx::check {

struct Case {
  const char* name;
  std::function<void()> body;
};

inline std::vector<Case>& registry() {
  static std::vector<Case> cases;
  return cases;
}

struct Failure {
  std::string message;
};

struct Registrar {
  Registrar(const char* name, std::function<void()> body) {
    registry().push_back({name, std::move(body)});
  }
};

inline int runAll(int argc, char** argv) {
  int passed = 0, failed = 0;
  std::string filter = argc > 1 ? argv[1] : "";
  for (auto& c : registry()) {
    if (!filter.empty() && std::string(c.name).find(filter) == std::string::npos) continue;
    try {
      c.body();
      ++passed;
      std::printf("PASS   %s\n", c.name);
    } catch (const Failure& f) {
      ++failed;
      std::printf("FAIL!  %s: %s\n", c.name, f.message.c_str());
    } catch (const std::exception& e) {
      ++failed;
      std::printf("FAIL!  %s: unexpected exception: %s\n", c.name, e.what());
    }
    std::fflush(stdout);
  }
  std::printf("%d passed, %d failed\n", passed, failed);
  return failed == 0 && passed > 0 ? 0 : 1;
}

}  // namespace attnx::check

#define ATTNX_CAT2(a, b) a##b
#define ATTNX_CAT(a, b) ATTNX_CAT2(a, b)
#define TEST(name)                                                                           \
  static void ATTNX_CAT(test_, name)();                                                      \
  static ::attnx::check::Registrar ATTNX_CAT(reg_, name)(#name, &ATTNX_CAT(test_, name)); \
  static void ATTNX_CAT(test_, name)()

#define CHECK(cond)                                                                       \
  do {                                                                                    \
    if (!(cond)) {                                                                        \
      std::ostringstream os_;                                                             \
      os_ << __FILE__ << ":" << __LINE__ << ": CHECK(" #cond ") failed";                  \
      throw ::attnx::check::Failure{os_.str()};                                           \
    }                                                                                     \
  } while (0)

#define CHECK_MSG(cond, msg)                                                              \
  do {                                                                                    \
    if (!(cond)) {                                                                        \
      std::ostringstream os_;                                                             \
      os_ << __FILE__ << ":" << __LINE__ << ": " << msg;                                  \
      throw ::attnx::check::Failure{os_.str()};                                           \
    }                                                                                     \
  } while (0)

#define CHECK_EQ(a, b) CHECK_MSG((a) == (b), "CHECK_EQ(" #a ", " #b ") failed: " << (a) << " vs " << (b))

// Expects `expr` to throw attnx::Error (or a subclass) whose message contains `needle`.
#define CHECK_THROWS_WITH(expr, needle)                                                   \
  do {                                                                                    \
    bool thrown_ = false;                                                                 \
    try {                                                                                 \
      (void)(expr);                                                                       \
    } catch (const std::exception& e_) {                                                  \
      thrown_ = true;                                                                     \
      CHECK_MSG(std::string(e_.what()).find(needle) != std::string::npos,                 \
                "message '" << e_.what() << "' lacks '" << needle << "'");                \
    }                                                                                     \
    CHECK_MSG(thrown_, #expr " did not throw");                                           \
  } while (0)

#define TEST_MAIN() \
  int main(int argc, char** argv) { return ::attnx::check::runAll(argc, argv); }
