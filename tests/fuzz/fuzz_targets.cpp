#include "fuzz_targets.h"

#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <string_view>

#include "arch_table.h"
#include "attention_stats.h"
#include "attention_import.h"
#include "attention_tile.h"
#include "dataset_results.h"
#include "dataset_run.h"
#include "dataset_stats.h"
#include "error.h"
#include "examples_file.h"
#include "family_table.h"
#include "hparams.h"
#include "npy_file.h"
#include "run_file.h"
#include "safetensors.h"
#include "soft_tokens.h"
#include "tokenizer.h"
#include "torch_file.h"

namespace attnx::fuzz {
namespace {

namespace fs = std::filesystem;

// The parsers that take a path read the input from a file of this process's own.
std::string scratch(const char* name, const uint8_t* data, std::size_t size) {
  static const fs::path dir = [] {
    const fs::path shm = "/dev/shm";
    fs::path d = (fs::is_directory(shm) ? shm : fs::temp_directory_path()) /
                 ("attnx-fuzz-" + std::to_string(::getpid()));
    fs::create_directories(d);
    return d;
  }();
  const fs::path path = dir / name;
  std::ofstream(path, std::ios::binary | std::ios::trunc)
      .write(reinterpret_cast<const char*>(data), static_cast<std::streamsize>(size));
  return path.string();
}

std::string_view bytes(const uint8_t* data, std::size_t size) {
  return {reinterpret_cast<const char*>(data), size};
}

template <class F>
void expectingErrors(F&& f) {
  try {
    f();
  } catch (const Error&) {
    // Bad input, said clearly: the expected outcome for most inputs.
  }
}

void safetensorsFile(const uint8_t* data, std::size_t size) {
  const std::string path = scratch("x.safetensors", data, size);
  expectingErrors([&] {
    const SafetensorsFile f = SafetensorsFile::open(path);
    // Every byte the table promises must be readable.
    unsigned sum = 0;
    for (const TensorView& t : f.tensors())
      for (std::size_t i = 0; i < t.nbytes; i += 64) sum += static_cast<unsigned>(t.data[i]);
    for (const auto& [k, v] : f.metadata()) sum += static_cast<unsigned>(k.size() + v.size());
    (void)sum;
    (void)loadSoftTokens(path);
  });
}

void configJson(const uint8_t* data, std::size_t size) {
  expectingErrors([&] {
    const HParams hp = parseHParams(bytes(data, size), "config.json");
    (void)archFor(hp.family);
    (void)familyName(hp.family);
  });
}

// tokenizer.json, then (after a 0 byte) text to encode; without one, a few fixed texts.
void tokenizerJson(const uint8_t* data, std::size_t size) {
  const std::string_view all = bytes(data, size);
  const std::size_t zero = all.find('\0');
  const std::string json(all.substr(0, zero));
  std::vector<std::string> texts;
  if (zero != std::string_view::npos) {
    const std::string_view rest = all.substr(zero + 1);
    const std::size_t second = rest.find('\0');
    texts.emplace_back(rest.substr(0, second));
    if (second != std::string_view::npos) texts.emplace_back(rest.substr(second + 1));
  } else {
    texts = {"Hello, world! 123", "  two  spaces\ttab\nline", "naïve café 你好 🙂", "[CLS] a [SEP]"};
  }
  const std::string path = scratch("tokenizer.json", reinterpret_cast<const uint8_t*>(json.data()),
                                   json.size());
  expectingErrors([&] {
    const auto tok = Tokenizer::fromFiles(path);
    for (const std::string& t : texts) {
      expectingErrors([&] {
        for (bool special : {true, false}) {
          const Encoding e = tok->encode(t, special);
          (void)tok->decode(e.ids, !special);
          (void)tok->idsToTokens(e.ids);
          for (int64_t id : e.ids) (void)tok->displayToken(id);
        }
        (void)tok->encodePair(t, texts.front(), true);
      });
    }
    // Ids the vocabulary may not have.
    expectingErrors([&] { (void)tok->decode({0, 1, tok->vocabSize(), -1, 1LL << 40}); });
    (void)tok->bosId();
    (void)tok->eosId();
  });
}

void examplesJsonl(const uint8_t* data, std::size_t size) {
  const std::string path = scratch("examples.jsonl", data, size);
  expectingErrors([&] {
    const std::vector<Example> ex = readExamples(path);
    DatasetSettings settings;
    settings.noSoftTokens = true;
    validateExamples(ex, settings, SoftTokenSet{});
    for (std::size_t i = 0; i < ex.size(); ++i)
      expectingErrors([&] { (void)exampleParts(ex[i], static_cast<int>(i), settings, {}); });
  });
}

void npyFile(const uint8_t* data, std::size_t size) {
  expectingErrors([&] { (void)readNpy("x.npy", bytes(data, size)); });
  const std::string path = scratch("x.npy", data, size);
  expectingErrors([&] { (void)loadSoftTokens(path); });
}

void torchSave(const uint8_t* data, std::size_t size) {
  expectingErrors([&] { (void)readTorchSave("x.pt", bytes(data, size)); });
  const std::string path = scratch("x.pt", data, size);
  expectingErrors([&] { (void)loadSoftTokens(path); });
}

void statsJson(const uint8_t* data, std::size_t size) {
  const std::string path = scratch("stats.json", data, size);
  expectingErrors([&] {
    const DatasetResults r = readResultsJson(path);
    // What the comparison window computes from a reopened file.
    for (bool correct : {true, false}) {
      const GroupStats g = computeGroup(r.examples, correctMembers(r.examples, correct), "g");
      (void)topHeads(g, SegmentKind::Soft, 3);
    }
    std::vector<int> all(r.examples.size());
    for (std::size_t i = 0; i < all.size(); ++i) all[i] = static_cast<int>(i);
    const GroupStats a = computeGroup(r.examples, all, "all");
    (void)rankHeadDifferences(a, a, SegmentKind::Soft);
  });
}

void runFile(const uint8_t* data, std::size_t size) {
  const std::string path = scratch("run.safetensors", data, size);
  expectingErrors([&] {
    const RunResult r = readRunFile(path);
    // What the views compute from an opened run.
    if (!r.attentions.empty()) (void)computeSegmentMass(r, 0, lastValidPosition(r, 0));
    for (int s = 0; s < r.generated; ++s)
      if (!r.stepAttentions[static_cast<std::size_t>(s)].empty())
        (void)computeStepSegmentMass(r, 0, s);
    // What `attnx attention` and the deep-zoomed heatmap compute: a tile of every kept layer.
    for (const QueryKeys& qk : r.queryKeys)
      (void)attentionTile(r, {qk.layer, 0, 0, 0, r.seqLen - 1, 0, r.seqLen - 1});
    // What the window shows of a Q/K run.
    if (!r.queryKeys.empty()) (void)attentionFromQueryKeys(r, std::size_t{1} << 20);
  });
}

void importFile(const uint8_t* data, std::size_t size) {
  // One name for every format: the reader recognises torch.save, .npy, .npz and safetensors by
  // their bytes.
  const std::string path = scratch("attention.bin", data, size);
  expectingErrors([&] {
    const RunResult r = importAttention(path, {});
    if (!r.attentions.empty()) (void)computeSegmentMass(r, 0, lastValidPosition(r, 0));
  });
}

}  // namespace

const std::vector<NamedTarget>& targets() {
  static const std::vector<NamedTarget> all = {
      {"safetensors", &safetensorsFile},
      {"config", &configJson},
      {"tokenizer", &tokenizerJson},
      {"examples", &examplesJsonl},
      {"npy", &npyFile},
      {"torch", &torchSave},
      {"stats", &statsJson},
      {"run", &runFile},
      {"import", &importFile},
  };
  return all;
}

Target targetNamed(const std::string& name) {
  for (const auto& t : targets())
    if (name == t.name) return t.fn;
  return nullptr;
}

}  // namespace attnx::fuzz
