// attnx-cli: the Qt-free command line, for GPU machines and cluster nodes without Qt.
#include "cli.h"

int main(int argc, char** argv) {
  return attnx::cli::run(std::vector<std::string>(argv + 1, argv + argc));
}
