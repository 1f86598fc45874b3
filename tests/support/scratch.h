#pragma once
// A private temporary folder, /tmp/attnx-<tag>-XXXXXX, removed with everything in it; for the
// Qt-free tests. copyFiles() fills it from a fixture folder, writable, so a test may damage them.
#include <stdlib.h>

#include <filesystem>
#include <functional>
#include <string>
#include <system_error>

namespace attnx::fixtures {

struct Scratch {
  std::filesystem::path dir;

  explicit Scratch(const std::string& tag = "test") {
    std::string tmpl = "/tmp/attnx-" + tag + "-XXXXXX";
    dir = ::mkdtemp(tmpl.data());
  }
  ~Scratch() {
    std::error_code ec;
    std::filesystem::remove_all(dir, ec);
  }
  Scratch(const Scratch&) = delete;
  Scratch& operator=(const Scratch&) = delete;

  // The folder itself, or `name` inside it.
  std::string path(const std::string& name = {}) const {
    return name.empty() ? dir.string() : (dir / name).string();
  }

  // Copies the files of `from` for which keep(file name) holds (every file without it).
  void copyFiles(const std::filesystem::path& from,
                 const std::function<bool(const std::string&)>& keep = {}) const {
    namespace fs = std::filesystem;
    for (const auto& e : fs::directory_iterator(from)) {
      const std::string name = e.path().filename().string();
      if (keep && !keep(name)) continue;
      fs::copy_file(e.path(), dir / name, fs::copy_options::overwrite_existing);
      fs::permissions(dir / name, fs::perms::owner_read | fs::perms::owner_write);
    }
  }
};

}  // namespace attnx::fixtures
