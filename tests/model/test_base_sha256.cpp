// SHA-256 against the FIPS 180-2 example messages, fed whole and in pieces of every alignment,
// and the provenance of a checkpoint (config.json and the safetensors header).
#include <cstdio>
#include <fstream>
#include <string>

#include "check.h"
#include "fixtures.h"
#include "provenance.h"
#include "sha256.h"

using namespace attnx;
using fixtures::fixturesDir;

namespace {

struct Vector {
  std::string message;
  const char* digest;
};

const std::vector<Vector>& vectors() {
  static const std::vector<Vector> v = {
      {"", "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"},
      {"abc", "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"},
      {"abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq",
       "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1"},
      {std::string(1000000, 'a'),
       "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0"}};
  return v;
}

std::string readAll(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), {});
}

}  // namespace

TEST(fips_examples_whole_and_in_pieces) {
  for (const Vector& v : vectors()) {
    CHECK_EQ(sha256Hex(v.message), std::string(v.digest));
    // Pieces of 1..130 bytes cross every block boundary and the padding's 56-byte edge.
    for (std::size_t piece : {std::size_t{1}, std::size_t{55}, std::size_t{63}, std::size_t{64},
                              std::size_t{65}, std::size_t{130}}) {
      Sha256 h;
      for (std::size_t i = 0; i < v.message.size(); i += piece)
        h.add(std::string_view(v.message).substr(i, piece));
      CHECK_EQ(h.hex(), std::string(v.digest));
    }
  }
  std::printf("  %zu FIPS 180-2 messages, whole and in 6 piece sizes\n", vectors().size());
}

TEST(files_whole_and_their_first_bytes) {
  const std::string config = fixturesDir() + "/models/gpt2_tiny/config.json";
  const std::string bytes = readAll(config);
  CHECK(!bytes.empty());
  CHECK_EQ(sha256OfFile(config).value_or(""), sha256Hex(bytes));
  CHECK_EQ(sha256OfFile(config, 10).value_or(""), sha256Hex(bytes.substr(0, 10)));
  // A limit beyond the end hashes the whole file.
  CHECK_EQ(sha256OfFile(config, 1 << 30).value_or(""), sha256Hex(bytes));
  CHECK(!sha256OfFile(fixturesDir() + "/no such file").has_value());
}

TEST(checkpoint_provenance_reads_config_and_header_only) {
  const std::string dir = fixturesDir() + "/models/gpt2_tiny";
  const ModelProvenance p = modelProvenance(dir);
  CHECK_EQ(p.configSha256, sha256Hex(readAll(dir + "/config.json")));
  CHECK_EQ(p.weights.file, std::string("model.safetensors (header)"));
  // The header: its 8-byte little-endian length, then the JSON.
  const std::string weights = readAll(dir + "/model.safetensors");
  CHECK(weights.size() > 8);
  uint64_t n = 0;
  for (int i = 7; i >= 0; --i) n = (n << 8) | static_cast<unsigned char>(weights[i]);
  CHECK(n + 8 <= weights.size());
  CHECK_EQ(p.weights.sha256, sha256Hex(weights.substr(0, 8 + n)));
  // No checkpoint at all: empty digests, no exception.
  const ModelProvenance none = modelProvenance(fixturesDir() + "/no such model");
  CHECK(none.configSha256.empty() && none.weights.empty());
}

TEST_MAIN()
