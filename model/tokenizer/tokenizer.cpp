// Tokenizer: ties the tokenizer.json components together (added tokens -> normalizer ->
// pre-tokenizer -> model -> post-processor, and decoders back), following the reference
// behaviour of Hugging Face tokenizers / transformers.js.
#include "tokenizer.h"

#include <filesystem>
#include <unordered_map>
#include <unordered_set>

#include "error.h"
#include "tok_added_tokens.h"
#include "tok_config.h"
#include "tok_decoder.h"
#include "tok_display.h"
#include "tok_json.h"
#include "tok_model.h"
#include "tok_normalizer.h"
#include "tok_post_processor.h"
#include "tok_pre_tokenizer.h"
#include "tok_utf8.h"

namespace attnx {

using tok::Json;

namespace {

// A top-level member by reference (Json::value would copy the whole vocabulary), or null.
const Json& member(const Json& j, const char* key) {
  static const Json null;
  auto it = j.find(key);
  return it == j.end() ? null : *it;
}

}  // namespace

struct Tokenizer::Impl {
  std::unique_ptr<tok::Normalizer> normalizer;
  std::unique_ptr<tok::PreTokenizer> preTokenizer;
  std::unique_ptr<tok::Model> model;
  std::unique_ptr<tok::PostProcessor> postProcessor;
  std::unique_ptr<tok::Decoder> decoder;
  tok::AddedTokenMatcher added;
  std::unordered_set<std::string> addedContents;
  std::unordered_map<std::string, int64_t> addedIds;
  std::vector<std::string> idToToken;
  std::vector<char> special, isAdded;  // per id
  tok::TokenStyle style = tok::TokenStyle::Plain;
  std::optional<int64_t> bos, eos;
  bool cleanUpSpaces = false;

  void load(const Json& j, const tok::TokenizerConfig& config);
  void applyConfigTemplate(const tok::TokenizerConfig& config);
  Encoding encodeSequence(std::string_view text, int64_t typeId) const;
  Encoding finish(std::vector<Encoding> parts, bool addSpecialTokens) const;
  void checkId(int64_t id) const;
  std::optional<int64_t> lookup(std::string_view token) const;
};

void Tokenizer::Impl::load(const Json& j, const tok::TokenizerConfig& config) {
  if (!j.is_object()) throw Error("expected a JSON object");
  normalizer = tok::makeNormalizer(member(j, "normalizer"));
  preTokenizer = tok::makePreTokenizer(member(j, "pre_tokenizer"));
  model = tok::makeModel(member(j, "model"));

  std::vector<tok::AddedToken> addedList;
  if (j.contains("added_tokens"))
    for (const auto& a : j["added_tokens"]) {
      addedList.push_back(tok::parseAddedToken(a));
      if (addedList.back().id < 0 || addedList.back().id >= tok::kMaxTokenId)
        throw Error("added token '" + addedList.back().content + "' has an invalid id");
    }

  // Id -> string table over the model vocabulary and the added tokens.
  int64_t size = 0;
  for (const auto& [token, id] : model->vocab()) size = std::max(size, id + 1);
  for (const auto& a : addedList) size = std::max(size, a.id + 1);
  idToToken.assign(size, std::string());
  special.assign(size, 0);
  isAdded.assign(size, 0);
  for (const auto& [token, id] : model->vocab()) idToToken[id] = token;
  for (const auto& a : addedList) {
    idToToken[a.id] = a.content;
    addedIds[a.content] = a.id;
    addedContents.insert(a.content);
    isAdded[a.id] = 1;
    special[a.id] = a.special ? 1 : 0;
  }
  for (const auto& name : config.additionalSpecialTokens)
    if (auto id = lookup(name)) special[*id] = 1;
  added = tok::AddedTokenMatcher(std::move(addedList));

  postProcessor = tok::makePostProcessor(member(j, "post_processor"));
  decoder = tok::makeDecoder(member(j, "decoder"), addedContents);

  if (!config.bosToken.empty()) bos = lookup(config.bosToken);
  if (!config.eosToken.empty()) eos = lookup(config.eosToken);
  applyConfigTemplate(config);
  cleanUpSpaces = config.cleanUpTokenizationSpaces.value_or(false);

  const Json& decoderSpec = member(j, "decoder");
  const Json& preSpec = member(j, "pre_tokenizer");
  if (tok::hasComponentType(decoderSpec, "ByteLevel") ||
      tok::hasComponentType(preSpec, "ByteLevel"))
    style = tok::TokenStyle::ByteLevel;
  else if (tok::hasComponentType(decoderSpec, "Metaspace") ||
           tok::hasComponentType(decoderSpec, "ByteFallback") ||
           tok::hasComponentType(preSpec, "Metaspace") ||
           tok::hasComponentType(member(j, "normalizer"), "Prepend"))
    style = tok::TokenStyle::SentencePiece;
}

// Llama-style configs decide BOS/EOS themselves (add_bos_token / add_eos_token), overriding
// what the template in tokenizer.json would add, as transformers' Llama tokenizers do.
void Tokenizer::Impl::applyConfigTemplate(const tok::TokenizerConfig& config) {
  if (!config.addBosToken && !config.addEosToken) return;
  std::vector<Encoding> probe(1);
  if (postProcessor) postProcessor->process(probe);
  const auto& ids = probe[0].ids;
  bool hasBos = bos && !ids.empty() && ids.front() == *bos;
  bool hasEos = eos && !ids.empty() && ids.back() == *eos;
  bool wantBos = config.addBosToken.value_or(hasBos) && bos.has_value();
  bool wantEos = config.addEosToken.value_or(hasEos) && eos.has_value();
  if (wantBos == hasBos && wantEos == hasEos) return;

  std::map<std::string, std::vector<int64_t>> specialIds;
  auto side = [&](int sequence, int64_t typeId) {
    std::vector<tok::TemplateItem> items;
    if (wantBos) items.push_back({false, 0, "bos", typeId});
    items.push_back({true, sequence, "", typeId});
    if (wantEos) items.push_back({false, 0, "eos", typeId});
    return items;
  };
  if (wantBos) specialIds["bos"] = {*bos};
  if (wantEos) specialIds["eos"] = {*eos};
  auto single = side(0, 0);
  auto pair = single;
  for (const auto& item : side(1, 1)) pair.push_back(item);
  postProcessor = std::make_unique<tok::TemplateProcessor>(single, pair, std::move(specialIds));
}

std::optional<int64_t> Tokenizer::Impl::lookup(std::string_view token) const {
  std::string key(token);
  if (auto it = addedIds.find(key); it != addedIds.end()) return it->second;
  if (auto it = model->vocab().find(key); it != model->vocab().end()) return it->second;
  return std::nullopt;
}

Encoding Tokenizer::Impl::encodeSequence(std::string_view text, int64_t typeId) const {
  tok::requireUtf8(text);
  Encoding enc;
  auto sections = added.split(text);
  std::vector<std::string> pieces;
  for (size_t s = 0; s < sections.size(); ++s) {
    const auto& section = sections[s];
    if (section.token >= 0) {
      enc.ids.push_back(added.tokens()[section.token].id);
      continue;
    }
    std::string normalized(section.text);
    if (normalizer) normalized = normalizer->normalize(std::move(normalized));
    if (normalized.empty()) continue;
    pieces.assign(1, std::move(normalized));
    if (preTokenizer) preTokenizer->split(pieces, s);
    for (const auto& piece : pieces)
      if (!piece.empty()) model->tokenize(piece, enc.ids);
  }
  enc.typeIds.assign(enc.ids.size(), typeId);
  return enc;
}

Encoding Tokenizer::Impl::finish(std::vector<Encoding> parts, bool addSpecialTokens) const {
  if (addSpecialTokens && postProcessor) postProcessor->process(parts);
  Encoding out;
  for (auto& p : parts) {
    out.ids.insert(out.ids.end(), p.ids.begin(), p.ids.end());
    out.typeIds.insert(out.typeIds.end(), p.typeIds.begin(), p.typeIds.end());
  }
  out.tokens.reserve(out.ids.size());
  for (int64_t id : out.ids) {
    checkId(id);
    out.tokens.push_back(idToToken[id]);
  }
  return out;
}

void Tokenizer::Impl::checkId(int64_t id) const {
  if (id < 0 || id >= static_cast<int64_t>(idToToken.size()))
    throw Error("token id " + std::to_string(id) + " is out of range (vocabulary size " +
                std::to_string(idToToken.size()) + ")");
}

Tokenizer::Tokenizer() : impl_(std::make_unique<Impl>()) {}
Tokenizer::~Tokenizer() = default;

std::unique_ptr<Tokenizer> Tokenizer::fromDirectory(const std::string& dir) {
  namespace fs = std::filesystem;
  fs::path tokenizerJson = fs::path(dir) / "tokenizer.json";
  fs::path config = fs::path(dir) / "tokenizer_config.json";
  if (!fs::is_regular_file(tokenizerJson))
    throw Error(tokenizerJson.string() + ": no such file (a tokenizer.json is needed)");
  return fromFiles(tokenizerJson.string(), fs::is_regular_file(config) ? config.string() : "");
}

std::unique_ptr<Tokenizer> Tokenizer::fromFiles(const std::string& tokenizerJson,
                                                const std::string& tokenizerConfigJson) {
  tok::TokenizerConfig config = tok::readTokenizerConfig(tokenizerConfigJson);
  Json j = tok::readJsonFile(tokenizerJson);
  std::unique_ptr<Tokenizer> t(new Tokenizer());
  try {
    t->impl_->load(j, config);
  } catch (const Json::exception& e) {
    throw Error(tokenizerJson + ": unexpected content (" + e.what() + ")");
  } catch (const Error& e) {
    throw Error(tokenizerJson + ": " + e.what());
  }
  return t;
}

Encoding Tokenizer::encode(std::string_view text, bool addSpecialTokens) const {
  std::vector<Encoding> parts;
  parts.push_back(impl_->encodeSequence(text, 0));
  return impl_->finish(std::move(parts), addSpecialTokens);
}

Encoding Tokenizer::encodePair(std::string_view a, std::string_view b,
                               bool addSpecialTokens) const {
  std::vector<Encoding> parts;
  parts.push_back(impl_->encodeSequence(a, 0));
  parts.push_back(impl_->encodeSequence(b, 1));
  return impl_->finish(std::move(parts), addSpecialTokens);
}

std::string Tokenizer::decode(const std::vector<int64_t>& ids, bool skipSpecialTokens) const {
  std::vector<std::string> tokens;
  tokens.reserve(ids.size());
  for (int64_t id : ids) {
    impl_->checkId(id);
    if (skipSpecialTokens && impl_->special[id]) continue;
    tokens.push_back(impl_->idToToken[id]);
  }
  std::string text;
  if (impl_->decoder) {
    text = impl_->decoder->decode(std::move(tokens));
  } else {
    for (size_t i = 0; i < tokens.size(); ++i) text += (i ? " " : "") + tokens[i];
  }
  if (impl_->cleanUpSpaces) text = tok::cleanUpTokenization(std::move(text));
  return text;
}

std::vector<std::string> Tokenizer::idsToTokens(const std::vector<int64_t>& ids) const {
  std::vector<std::string> out;
  out.reserve(ids.size());
  for (int64_t id : ids) {
    impl_->checkId(id);
    out.push_back(impl_->idToToken[id]);
  }
  return out;
}

std::string Tokenizer::displayToken(int64_t id) const {
  // Labels must never fail: an id outside the vocabulary is shown by number.
  if (id < 0 || id >= vocabSize()) return "#" + std::to_string(id);
  return tok::displayLabel(impl_->idToToken[id], impl_->style, impl_->isAdded[id] != 0);
}

std::optional<int64_t> Tokenizer::bosId() const { return impl_->bos; }
std::optional<int64_t> Tokenizer::eosId() const { return impl_->eos; }

std::optional<int64_t> Tokenizer::tokenToId(std::string_view token) const {
  return impl_->lookup(token);
}

bool Tokenizer::isSpecial(int64_t id) const {
  return id >= 0 && id < vocabSize() && impl_->special[id] != 0;
}

int64_t Tokenizer::vocabSize() const { return static_cast<int64_t>(impl_->idToToken.size()); }

}  // namespace attnx
