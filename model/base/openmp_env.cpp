#include "openmp_env.h"

#include <unistd.h>

#include <cstdlib>
#include <string_view>

namespace attnx {

void restartWithPassiveOpenMpWait(char** argv) {
  if (std::getenv("OMP_WAIT_POLICY") != nullptr || std::getenv("ATTNX_NO_RESTART") != nullptr)
    return;
  // Started through the dynamic loader or an emulator, /proc/self/exe is that program.
  char exe[4096];
  const ssize_t n = ::readlink("/proc/self/exe", exe, sizeof exe - 1);
  if (n <= 0) return;
  const std::string_view path(exe, static_cast<std::size_t>(n));
  const std::string_view name = path.substr(path.rfind('/') + 1);
  if (name.rfind("ld-", 0) == 0 || name.rfind("qemu-", 0) == 0) return;
  if (::setenv("OMP_WAIT_POLICY", "PASSIVE", 1) != 0) return;
  ::execv("/proc/self/exe", argv);
  // Still here: exec failed (no /proc); the variable now reaches child processes at least.
}

}  // namespace attnx
