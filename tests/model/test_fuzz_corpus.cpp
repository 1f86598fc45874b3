// Every input the fuzzers keep — their seed corpora (tests/fuzz/corpus/<parser>/) and each input
// that once crashed a parser (tests/fuzz/regressions/<parser>/) — through the same targets the
// libFuzzer harnesses run (tests/fuzz/fuzz_targets.cpp): each must end normally or in a clear
// attnx::Error. Under the sanitizer build this also checks them for memory errors.
#include <filesystem>
#include <fstream>
#include <iterator>

#include "check.h"
#include "fuzz_targets.h"

namespace fs = std::filesystem;

namespace {

std::string sourceDir() {
  if (const char* s = std::getenv("ATTNX_SOURCE_DIR")) return s;
  return fs::path(__FILE__).parent_path().parent_path().parent_path().string();
}

int runFolder(const fs::path& dir, attnx::fuzz::Target target) {
  if (!fs::is_directory(dir)) return 0;
  int n = 0;
  for (const auto& entry : fs::directory_iterator(dir)) {
    if (!entry.is_regular_file()) continue;
    std::ifstream in(entry.path(), std::ios::binary);
    const std::string bytes((std::istreambuf_iterator<char>(in)), {});
    try {
      target(reinterpret_cast<const uint8_t*>(bytes.data()), bytes.size());
    } catch (const std::exception& e) {
      CHECK_MSG(false, entry.path().string() << ": escaped " << e.what());
    }
    ++n;
  }
  return n;
}

}  // namespace

TEST(every_kept_input_is_parsed_or_refused_cleanly) {
  const fs::path root = fs::path(sourceDir()) / "tests" / "fuzz";
  int seeds = 0, regressions = 0;
  for (const auto& t : attnx::fuzz::targets()) {
    const int s = runFolder(root / "corpus" / t.name, t.fn);
    const int r = runFolder(root / "regressions" / t.name, t.fn);
    std::printf("  %-12s %4d corpus inputs, %3d regression inputs\n", t.name, s, r);
    CHECK_MSG(s > 0, "no corpus for " << t.name);
    seeds += s;
    regressions += r;
  }
  std::printf("  %d inputs in all, %d of them once crashed a parser\n", seeds + regressions,
              regressions);
}

TEST_MAIN()
