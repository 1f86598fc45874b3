#include "tok_post_processor.h"

#include <sstream>

#include "error.h"

namespace attnx::tok {
namespace {

void append(Encoding& out, const std::vector<int64_t>& ids, int64_t typeId) {
  out.ids.insert(out.ids.end(), ids.begin(), ids.end());
  out.typeIds.insert(out.typeIds.end(), ids.size(), typeId);
}

void appendSequence(Encoding& out, const Encoding& seq, int64_t typeId) {
  append(out, seq.ids, typeId);
}

// Either the serialized list form ({"SpecialToken": {...}} / {"Sequence": {...}}) or the
// string shorthand "[CLS]:0 $A:0 [SEP]:0".
std::vector<TemplateItem> parseTemplate(const Json& spec) {
  std::vector<TemplateItem> items;
  if (spec.is_string()) {
    std::istringstream in(spec.get<std::string>());
    std::string word;
    while (in >> word) {
      TemplateItem item;
      if (auto colon = word.rfind(':'); colon != std::string::npos && colon > 0) {
        item.typeId = std::stoll(word.substr(colon + 1));
        word = word.substr(0, colon);
      }
      if (word == "$" || word == "$A" || word == "$0") {
        item.isSequence = true;
      } else if (word == "$B" || word == "$1") {
        item.isSequence = true;
        item.sequence = 1;
      } else {
        item.special = word;
      }
      items.push_back(item);
    }
    return items;
  }
  for (const auto& entry : spec) {
    TemplateItem item;
    if (entry.contains("Sequence")) {
      const Json& s = entry["Sequence"];
      item.isSequence = true;
      item.sequence = s.at("id").get<std::string>() == "B" ? 1 : 0;
      item.typeId = s.value("type_id", int64_t{0});
    } else if (entry.contains("SpecialToken")) {
      const Json& s = entry["SpecialToken"];
      item.special = s.at("id").get<std::string>();
      item.typeId = s.value("type_id", int64_t{0});
    } else {
      throw Error("template item must be Sequence or SpecialToken, got " + entry.dump());
    }
    items.push_back(item);
  }
  return items;
}

class SequenceProcessor : public PostProcessor {
 public:
  explicit SequenceProcessor(std::vector<std::unique_ptr<PostProcessor>> parts)
      : parts_(std::move(parts)) {}
  void process(std::vector<Encoding>& parts) const override {
    for (const auto& p : parts_) p->process(parts);
  }

 private:
  std::vector<std::unique_ptr<PostProcessor>> parts_;
};

// BERT: [CLS] A [SEP] (B [SEP]); RoBERTa: <s> A </s> (</s> B </s>) with type ids all 0.
class ClsSepProcessor : public PostProcessor {
 public:
  ClsSepProcessor(int64_t cls, int64_t sep, bool roberta)
      : cls_(cls), sep_(sep), roberta_(roberta) {}
  void process(std::vector<Encoding>& parts) const override {
    Encoding out;
    append(out, {cls_}, 0);
    appendSequence(out, parts[0], 0);
    append(out, {sep_}, 0);
    if (parts.size() > 1) {
      int64_t type = roberta_ ? 0 : 1;
      if (roberta_) append(out, {sep_}, 0);
      appendSequence(out, parts[1], type);
      append(out, {sep_}, type);
    }
    parts = {std::move(out)};
  }

 private:
  int64_t cls_, sep_;
  bool roberta_;
};

}  // namespace

TemplateProcessor::TemplateProcessor(std::vector<TemplateItem> single,
                                     std::vector<TemplateItem> pair,
                                     std::map<std::string, std::vector<int64_t>> specialIds)
    : single_(std::move(single)), pair_(std::move(pair)), specialIds_(std::move(specialIds)) {
  for (const auto* items : {&single_, &pair_})
    for (const auto& item : *items)
      if (!item.isSequence && !specialIds_.count(item.special))
        throw Error("template uses '" + item.special + "', which is not among its special tokens");
}

void TemplateProcessor::process(std::vector<Encoding>& parts) const {
  const auto& items = parts.size() > 1 ? pair_ : single_;
  Encoding out;
  for (const auto& item : items) {
    if (!item.isSequence)
      append(out, specialIds_.at(item.special), item.typeId);
    else if (item.sequence < static_cast<int>(parts.size()))
      appendSequence(out, parts[item.sequence], item.typeId);
  }
  parts = {std::move(out)};
}

std::unique_ptr<PostProcessor> makePostProcessor(const Json& spec) {
  if (spec.is_null()) return nullptr;
  const std::string type = spec.at("type").get<std::string>();
  if (type == "Sequence") {
    std::vector<std::unique_ptr<PostProcessor>> parts;
    for (const auto& p : spec.at("processors"))
      if (auto pp = makePostProcessor(p)) parts.push_back(std::move(pp));
    if (parts.empty()) return nullptr;
    return std::make_unique<SequenceProcessor>(std::move(parts));
  }
  // ByteLevel only adjusts character offsets, which attnx does not track.
  if (type == "ByteLevel") return nullptr;
  if (type == "TemplateProcessing") {
    std::map<std::string, std::vector<int64_t>> specialIds;
    if (spec.contains("special_tokens"))
      for (const auto& [key, value] : spec["special_tokens"].items())
        specialIds[key] = value.at("ids").get<std::vector<int64_t>>();
    return std::make_unique<TemplateProcessor>(
        parseTemplate(spec.at("single")), parseTemplate(spec.at("pair")), std::move(specialIds));
  }
  if (type == "BertProcessing" || type == "RobertaProcessing") {
    // "cls": ["[CLS]", 101], "sep": ["[SEP]", 102]
    return std::make_unique<ClsSepProcessor>(spec.at("cls").at(1).get<int64_t>(),
                                             spec.at("sep").at(1).get<int64_t>(),
                                             type == "RobertaProcessing");
  }
  throw Error("unsupported post-processor type '" + type + "'");
}

}  // namespace attnx::tok
