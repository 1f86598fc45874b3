#pragma once
// Post-processors of tokenizer.json: add the special tokens around one sequence or a pair
// (TemplateProcessing, BertProcessing, RobertaProcessing) and set token_type_ids.
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "tok_json.h"
#include "tokenizer.h"

namespace attnx::tok {

class PostProcessor {
 public:
  virtual ~PostProcessor() = default;
  // `parts` holds one encoding, or two for a pair (typeIds preset to 0 and 1). A processor that
  // adds special tokens leaves one merged encoding; callers concatenate whatever remains.
  // Only ids and typeIds are filled; token strings are looked up afterwards.
  virtual void process(std::vector<Encoding>& parts) const = 0;
};

// One element of a template: a special token, or sequence A (0) / B (1).
struct TemplateItem {
  bool isSequence = false;
  int sequence = 0;
  std::string special;  // key into the special-token table
  int64_t typeId = 0;
};

class TemplateProcessor : public PostProcessor {
 public:
  TemplateProcessor(std::vector<TemplateItem> single, std::vector<TemplateItem> pair,
                    std::map<std::string, std::vector<int64_t>> specialIds);
  void process(std::vector<Encoding>& parts) const override;

 private:
  std::vector<TemplateItem> single_, pair_;
  std::map<std::string, std::vector<int64_t>> specialIds_;
};

// nullptr for a null spec (or one that never changes ids); attnx::Error on an unsupported type.
std::unique_ptr<PostProcessor> makePostProcessor(const Json& spec);

}  // namespace attnx::tok
