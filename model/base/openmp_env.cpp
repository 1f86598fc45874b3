#include "openmp_env.h"

#include <unistd.h>

#include <cstdlib>

namespace attnx {

void restartWithPassiveOpenMpWait(char** argv) {
  if (std::getenv("OMP_WAIT_POLICY") != nullptr) return;
  if (::setenv("OMP_WAIT_POLICY", "PASSIVE", 1) != 0) return;
  ::execv("/proc/self/exe", argv);
  // Still here: exec failed (no /proc); the variable now reaches child processes at least.
}

}  // namespace attnx
