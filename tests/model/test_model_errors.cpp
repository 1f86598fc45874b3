// Bad model folders and bad inputs: each must end in a clear attnx::Error naming the file, the key
// or the tensor, never in a crash. Also the checkpoint spellings that must load (shards, hub
// names without the model prefix).
#include <unistd.h>

#include <filesystem>
#include <fstream>

#include "check.h"
#include "fixtures.h"
#include "model.h"
#include "scratch.h"

using namespace attnx;
using namespace attnx::fixtures;
namespace fs = std::filesystem;

namespace {

// A scratch copy of a fixture model folder, removed at the end of the test.
struct TempModel : Scratch {
  explicit TempModel(const std::string& fixture) : Scratch("model") {
    copyFiles(fixturesDir() + "/models/" + fixture);
  }
  void write(const std::string& name, const std::string& text) const {
    std::ofstream(dir / name, std::ios::binary) << text;
  }
  std::string read(const std::string& name) const {
    std::ifstream in(dir / name, std::ios::binary);
    std::stringstream ss;
    ss << in.rdbuf();
    return ss.str();
  }
  // Rewrites the checkpoint, letting `edit` change the list of tensors.
  void rewriteWeights(const std::function<void(std::vector<OwnedTensor>&)>& edit,
                      const std::string& target = "model.safetensors") const {
    std::vector<OwnedTensor> tensors;
    {
      auto f = SafetensorsFile::open(path("model.safetensors"));
      for (const auto& v : f.tensors()) tensors.push_back(OwnedTensor::copyOf(v));
    }
    edit(tensors);
    writeSafetensors(path(target), tensors);
  }
};

LoadOptions cpu() {
  LoadOptions o;
  o.device = "cpu";
  return o;
}

BatchInput ids(std::vector<int64_t> v) {
  BatchInput in;
  in.seqLen = static_cast<int>(v.size());
  in.ids = std::move(v);
  return in;
}

std::vector<float> logitsOf(const Model& m) {
  return m.run(ids({1, 2, 3, 4, 5}), CapturePolicy{}).logits;
}

}  // namespace

TEST(config_invalid_json) {
  TempModel t("gpt2_tiny");
  t.write("config.json", "{\"model_type\": \"gpt2\", ");
  CHECK_THROWS_WITH(Model::load(t.path(), cpu()), "config.json: not valid JSON");
}

TEST(config_missing_file) {
  TempModel t("gpt2_tiny");
  fs::remove(t.path("config.json"));
  CHECK_THROWS_WITH(Model::load(t.path(), cpu()), "config.json: missing");
  CHECK_THROWS_WITH(Model::load(t.path("nowhere"), cpu()), "not a folder");
}

TEST(config_missing_key) {
  TempModel t("gpt2_tiny");
  std::string c = t.read("config.json");
  c.replace(c.find("\"n_embd\""), 8, "\"n_embx\"");
  t.write("config.json", c);
  CHECK_THROWS_WITH(Model::load(t.path(), cpu()), "config.json: key 'n_embd' is missing");
}

TEST(config_wrong_type_and_inconsistent_sizes) {
  TempModel t("llama_gqa");
  std::string c = t.read("config.json");
  const std::string original = c;
  c.replace(c.find("\"num_key_value_heads\": 2"), 24, "\"num_key_value_heads\": \"2\"");
  t.write("config.json", c);
  CHECK_THROWS_WITH(Model::load(t.path(), cpu()), "'num_key_value_heads' must be an integer");
  c = original;
  c.replace(c.find("\"num_key_value_heads\": 2"), 24, "\"num_key_value_heads\": 3");
  t.write("config.json", c);
  CHECK_THROWS_WITH(Model::load(t.path(), cpu()), "num_key_value_heads' must divide");
  c = original;
  c.replace(c.find("\"num_hidden_layers\": 3"), 22, "\"num_hidden_layers\": -3");
  t.write("config.json", c);
  CHECK_THROWS_WITH(Model::load(t.path(), cpu()), "'num_hidden_layers' is -3");
  c = original;
  c.replace(c.find("\"rope_scaling\": null"), 20, "\"rope_scaling\": {\"rope_type\": \"yarn\"}");
  t.write("config.json", c);
  CHECK_THROWS_WITH(Model::load(t.path(), cpu()), "type 'yarn'");
}

TEST(config_unknown_model_type) {
  TempModel t("gpt2_tiny");
  std::string c = t.read("config.json");
  c.replace(c.find("\"gpt2\""), 6, "\"t5\"");
  t.write("config.json", c);
  CHECK_THROWS_WITH(Model::load(t.path(), cpu()), "key 'model_type' is 't5'");
}

TEST(weights_missing_file) {
  TempModel t("llama_gqa");
  fs::remove(t.path("model.safetensors"));
  CHECK_THROWS_WITH(Model::load(t.path(), cpu()), "model.safetensors: missing");
}

TEST(weights_wrong_shape_names_tensor_and_shapes) {
  TempModel t("llama_gqa");
  t.rewriteWeights([](std::vector<OwnedTensor>& ts) {
    for (auto& x : ts)
      if (x.name == "model.layers.1.self_attn.k_proj.weight") {
        x.shape = {64, 32};  // same byte count as [32, 64], transposed
      }
  });
  CHECK_THROWS_WITH(Model::load(t.path(), cpu()),
                    "tensor 'model.layers.1.self_attn.k_proj.weight' has shape [64, 32], expected "
                    "[32, 64]");
}

TEST(weights_missing_tensor_and_wrong_dtype) {
  TempModel t("qwen3_hd32");
  t.rewriteWeights([](std::vector<OwnedTensor>& ts) {
    std::erase_if(ts, [](const OwnedTensor& x) {
      return x.name == "model.layers.0.self_attn.q_norm.weight";
    });
  });
  CHECK_THROWS_WITH(Model::load(t.path(), cpu()),
                    "tensor 'model.layers.0.self_attn.q_norm.weight' is missing");
  TempModel u("gpt2_tiny");
  u.rewriteWeights([](std::vector<OwnedTensor>& ts) {
    for (auto& x : ts)
      if (x.name == "transformer.ln_f.bias") {
        x.dtype = DType::I32;  // same size as F32
      }
  });
  CHECK_THROWS_WITH(Model::load(u.path(), cpu()), "'transformer.ln_f.bias' has dtype I32");
}

TEST(weights_truncated_file) {
  TempModel t("gpt2_tiny");
  const std::string bytes = t.read("model.safetensors");
  t.write("model.safetensors", bytes.substr(0, bytes.size() / 2));
  CHECK_THROWS_WITH(Model::load(t.path(), cpu()), "model.safetensors");
}

TEST(sharded_checkpoint_loads_like_single_file) {
  TempModel t("llama_gqa");
  const auto reference = logitsOf(*Model::load(t.path(), cpu()));
  // Two shards and an index, as save_pretrained writes them for large models.
  std::vector<OwnedTensor> all;
  t.rewriteWeights([&](std::vector<OwnedTensor>& ts) { all = ts; }, "unused.safetensors");
  std::vector<OwnedTensor> a(all.begin(), all.begin() + all.size() / 2),
      b(all.begin() + all.size() / 2, all.end());
  writeSafetensors(t.path("model-00001-of-00002.safetensors"), a);
  writeSafetensors(t.path("model-00002-of-00002.safetensors"), b);
  nlohmann::json index;
  for (const auto& x : a) index["weight_map"][x.name] = "model-00001-of-00002.safetensors";
  for (const auto& x : b) index["weight_map"][x.name] = "model-00002-of-00002.safetensors";
  t.write("model.safetensors.index.json", index.dump());
  fs::remove(t.path("model.safetensors"));
  CHECK(logitsOf(*Model::load(t.path(), cpu())) == reference);

  // An index pointing outside the folder is refused.
  index["weight_map"][a[0].name] = "../elsewhere.safetensors";
  t.write("model.safetensors.index.json", index.dump());
  CHECK_THROWS_WITH(Model::load(t.path(), cpu()), "not a file in the model folder");
  t.write("model.safetensors.index.json", "{\"weight_map\": 3}");
  CHECK_THROWS_WITH(Model::load(t.path(), cpu()), "model.safetensors.index.json: not valid JSON");
}

TEST(gpt2_hub_names_without_prefix_load) {
  TempModel t("gpt2_tiny");
  const auto reference = logitsOf(*Model::load(t.path(), cpu()));
  t.rewriteWeights([](std::vector<OwnedTensor>& ts) {
    for (auto& x : ts)
      if (x.name.rfind("transformer.", 0) == 0) x.name = x.name.substr(12);
  });
  CHECK(logitsOf(*Model::load(t.path(), cpu())) == reference);
}

TEST(soft_tokens_of_wrong_width) {
  auto m = Model::load(fixturesDir() + "/models/qwen2_tied", cpu());
  InputPart soft;
  soft.kind = SegmentKind::Soft;
  soft.rows = 2;
  soft.embeddings.assign(2 * 32, 0.5f);
  InputPart text;
  text.kind = SegmentKind::Text;
  text.ids = {5, 6, 7};
  CHECK_THROWS_WITH(m->compose({soft, text}),
                    "soft tokens have width 32 but the model's hidden size is 64");
  BatchInput in = ids({0, 0, 5, 6});
  in.softMask = {1, 1, 0, 0};
  in.softRows.assign(2 * 48, 0.f);
  CHECK_THROWS_WITH(m->run(in, {}), "soft tokens have width 48 but the model's hidden size is 64");
  // The right width composes: layout and labels.
  soft.embeddings.assign(2 * 64, 0.5f);
  const ComposedInput c = m->compose({soft, text});
  CHECK_EQ(c.layout.size(), 2u);
  CHECK(c.layout[0].kind == SegmentKind::Soft && c.layout[0].size() == 2);
  CHECK(c.layout[1].kind == SegmentKind::Text && c.layout[1].begin == 2);
  CHECK_EQ(c.tokens[1], "<soft 1>");
  CHECK_EQ(c.tokens[2], "#5");
  // BOS comes from config.json when there is no tokenizer.
  InputPart bos;
  bos.kind = SegmentKind::Bos;
  const ComposedInput withBos = m->compose({soft, bos, text});
  CHECK_EQ(withBos.batch.ids[2], 1);
  CHECK(withBos.layout[1].kind == SegmentKind::Bos);
}

TEST(text_without_tokenizer_and_bos_without_id) {
  auto m = Model::load(fixturesDir() + "/models/bert_tiny", cpu());
  CHECK(m->tokenizer() == nullptr);
  CHECK_THROWS_WITH(m->run(Model::promptRequest("hello")), "no tokenizer.json");
  InputPart bos;
  bos.kind = SegmentKind::Bos;
  CHECK_THROWS_WITH(m->compose({bos}), "has no BOS token");
  CHECK_THROWS_WITH(m->compose({}), "the input is empty");
  CHECK_THROWS_WITH(m->run(ids({1, 2}), {}, 3), "cannot generate");
}

TEST(prompt_longer_than_max_positions) {
  auto m = Model::load(fixturesDir() + "/models/gpt2_tiny", cpu());
  CHECK_THROWS_WITH(m->run(ids(std::vector<int64_t>(129, 7)), {}),
                    "prompt has 129 tokens but the model allows at most 128");
  CHECK_THROWS_WITH(m->run(ids(std::vector<int64_t>(126, 7)), {}, 4), "allows at most 128");
  CHECK(m->run(ids(std::vector<int64_t>(128, 7)), {}).seqLen == 128);
}

TEST(bad_ids_masks_and_options) {
  auto m = Model::load(fixturesDir() + "/models/mistral_swa", cpu());
  CHECK_THROWS_WITH(m->run(ids({1, 500}), {}), "token id 500 is outside the vocabulary");
  CHECK_THROWS_WITH(m->run(ids({1, -2}), {}), "token id -2");
  BatchInput in = ids({1, 2, 3});
  in.attentionMask = {0, 0, 0};
  CHECK_THROWS_WITH(m->run(in, {}), "has no valid position");
  in.attentionMask = {1, 1, 0};
  CHECK_THROWS_WITH(m->run(in, {}, 2), "generation needs left padding");
  in.attentionMask = {1, 1};
  CHECK_THROWS_WITH(m->run(in, {}), "attention mask has 2 values");
  CHECK_THROWS_WITH(m->run(ids({}), {}), "the input is empty");
  LoadOptions o;
  o.device = "tpu";
  CHECK_THROWS_WITH(Model::load(fixturesDir() + "/models/mistral_swa", o), "device 'tpu'");
  o.device = "cpu";
  o.dtype = "float8";
  CHECK_THROWS_WITH(Model::load(fixturesDir() + "/models/mistral_swa", o), "dtype 'float8'");
}

TEST(cuda_request_without_cuda_is_clear) {
  if (runtimeDescription().find("CUDA: none") == std::string::npos) return;  // has a GPU
  LoadOptions o;
  o.device = "cuda";
  CHECK_THROWS_WITH(Model::load(fixturesDir() + "/models/gpt2_tiny", o), "CUDA is not available");
  o.device = "auto";
  CHECK_EQ(Model::load(fixturesDir() + "/models/gpt2_tiny", o)->info().device, "cpu");
}

TEST(reduced_precision_runs_or_says_why) {
  for (const char* dtype : {"bfloat16", "float16"}) {
    LoadOptions o = cpu();
    o.dtype = dtype;
    try {
      auto m = Model::load(fixturesDir() + "/models/llama_gqa", o);
      const RunResult r = m->run(ids({1, 2, 3, 4}), {});
      CHECK_EQ(r.model.dtype, dtype);
      // Each attention row still sums to 1 (softmax runs in float32).
      for (int q = 0; q < 4; ++q) {
        double sum = 0;
        for (int k = 0; k < 4; ++k) sum += r.attentions[0].at(0, 0, q, k);
        CHECK(std::fabs(sum - 1.0) < 1e-5);
      }
      std::printf("  %s on the CPU: runs\n", dtype);
    } catch (const Error& e) {
      // Only the documented refusal is acceptable.
      CHECK_MSG(std::string(e.what()).find("is not supported on cpu") != std::string::npos,
                e.what());
      std::printf("  %s on the CPU: %s\n", dtype, e.what());
    }
  }
}

TEST(invalid_utf8_prompt) {
  TempModel t("gpt2_tiny");
  fs::copy_file(fixturesDir() + "/tokenizers/gpt2/tokenizer.json", t.path("tokenizer.json"));
  auto m = Model::load(t.path(), cpu());
  CHECK(m->tokenizer() != nullptr);
  CHECK_THROWS_WITH(m->run(Model::promptRequest("abc \xff\xfe def")), "UTF-8");
}

TEST(runtime_description_names_blas_and_devices) {
  const std::string d = runtimeDescription();
  std::printf("%s", d.c_str());
  CHECK(d.find("libtorch 1.") != std::string::npos || d.find("libtorch 2.") != std::string::npos);
  CHECK(d.find("BLAS: ") != std::string::npos);
  CHECK(d.find("CUDA: ") != std::string::npos);
}

TEST_MAIN()
