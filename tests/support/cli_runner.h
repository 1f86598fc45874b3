#pragma once
// Runs the built attnx-cli (ATTNX_CLI_PATH) in a shell with a scratch folder, capturing the exit
// status and standard error, for the end-to-end command-line tests.
#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "scratch.h"

namespace attnx::clitest {

struct Outcome {
  int status = -1;
  std::string err;
};

inline std::string quote(const std::string& s) {
  std::string q = "'";
  for (char c : s) q += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return q + "'";
}

// A temporary folder removed with everything in it.
using fixtures::Scratch;

inline Outcome runCli(const Scratch& s, const std::string& subcommand,
                      const std::vector<std::string>& args) {
  std::string cmd = quote(ATTNX_CLI_PATH) + " " + subcommand;
  for (const auto& a : args) cmd += " " + quote(a);
  cmd += " 2>" + quote(s.path("stderr.txt"));
  Outcome o;
  const int raw = std::system(cmd.c_str());
  o.status = WIFEXITED(raw) ? WEXITSTATUS(raw) : -1;
  std::ifstream in(s.path("stderr.txt"));
  std::stringstream ss;
  ss << in.rdbuf();
  o.err = ss.str();
  return o;
}

}  // namespace attnx::clitest
