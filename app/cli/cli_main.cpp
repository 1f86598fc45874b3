// attnx-cli: the Qt-free command line, for GPU machines and cluster nodes without Qt.
#include "cli.h"
#include "openmp_env.h"

int main(int argc, char** argv) {
  attnx::restartWithPassiveOpenMpWait(argv);
  return attnx::cli::run(std::vector<std::string>(argv + 1, argv + argc));
}
