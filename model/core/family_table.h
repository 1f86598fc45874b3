#pragma once
// Architectures as data: one entry per family (family_table.cpp), from which the family's name,
// the reading of its config.json and its checkpoint layout (ArchSpec) are all derived.
#include <span>
#include <string>
#include <string_view>

#include "arch_table.h"
#include "hparams.h"

namespace attnx {

struct FamilyEntry {
  Family family;
  std::string_view modelType;  // config.json's "model_type"; also the family's name
  void (*readConfig)(const ConfigReader& config, HParams& hp);  // the family's keys
  ArchSpec (*buildArch)();
  bool generates;  // a decoder with an LM head (bos/eos ids are read); false: an encoder
};

std::span<const FamilyEntry> familyTable();
const FamilyEntry& familyEntry(Family family);
const FamilyEntry* familyEntry(std::string_view modelType);  // nullptr: not supported
std::string_view familyName(Family family);                  // "gpt2", "llama", ...
std::string supportedModelTypes();                           // "gpt2, llama, ..."

}  // namespace attnx
