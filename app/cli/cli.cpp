#include "cli.h"

#include <cstdio>
#include <exception>
#include <iostream>

#include "args.h"
#include "error.h"
#include "model.h"

namespace attnx::cli {
namespace {

struct Command {
  const char* name;
  int (*fn)(const std::vector<std::string>&);
  const char* summary;
};

const Command kCommands[] = {
    {"tokenize", &cmdTokenize, "tokenize text with a model's tokenizer.json, print ids as JSON"},
    {"run", &cmdRun, "run a model on a prompt, capture attention, write a .safetensors file"},
    {"stats", &cmdStats, "attention mass per segment, layer and head of one query, as JSON or CSV"},
    {"analyze", &cmdAnalyzeWithoutFigures,
     "run a model over an examples file (JSONL): attention of correct vs incorrect examples"},
};

}  // namespace

bool isCliCommand(const std::string& name) {
  for (const auto& c : kCommands)
    if (name == c.name) return true;
  return false;
}

std::string versionText() {
  return std::string("attnx ") + ATTNX_VERSION + "\n" + runtimeDescription();
}

std::string helpText() {
  std::string out =
      "Usage: attnx                      open the explorer window on the built-in demo\n"
      "       attnx MODEL_DIR            open the explorer window on a model folder\n"
      "       attnx --demo --screenshot FILE.png\n"
      "                                  render the window on the demo (1600 x 1000) and exit\n"
      "       attnx SUBCOMMAND [OPTIONS]  run a command without a window\n"
      "       attnx --version | --help\n\nSubcommands:\n";
  for (const auto& c : kCommands) out += std::string("  ") + c.name + "\t" + c.summary + "\n";
  // Rendered with Qt, so only the attnx executable offers it (not attnx-cli).
  out += "  figure\texport a view (heatmap, layers, grid) as PNG, PDF or SVG (attnx only)\n";
  out += "\nSee README.md for every option of each subcommand.\n";
  return out;
}

int run(const std::vector<std::string>& argv) {
  if (argv.empty() || argv[0] == "--help" || argv[0] == "-h") {
    std::cout << helpText();
    return argv.empty() ? 2 : 0;
  }
  if (argv[0] == "--version") {
    std::cout << versionText();
    return 0;
  }
  for (const auto& c : kCommands) {
    if (argv[0] != c.name) continue;
    std::vector<std::string> rest(argv.begin() + 1, argv.end());
    try {
      return c.fn(rest);
    } catch (const UsageError& e) {
      std::cerr << "attnx " << c.name << ": " << e.what() << "\n";
      return 2;
    } catch (const std::bad_alloc&) {
      std::cerr << "attnx " << c.name << ": out of memory\n";
      return 1;
    } catch (const std::exception& e) {
      std::cerr << "attnx " << c.name << ": " << e.what() << "\n";
      return 1;
    }
  }
  std::cerr << "attnx: unknown subcommand '" << argv[0] << "' (see attnx --help)\n";
  return 2;
}

}  // namespace attnx::cli
