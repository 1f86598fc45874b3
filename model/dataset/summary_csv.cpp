// summary.csv of a dataset run: one row per example, for spreadsheets and pandas. Numbers are
// formatted with std::to_chars, independently of the C locale (a German locale must not turn
// 0.5 into 0,5 and break the columns).
#include <charconv>

#include "atomic_file.h"
#include "dataset_results.h"

namespace attnx {
namespace {

std::string num(double v) {
  char buf[40];
  auto res = std::to_chars(buf, buf + sizeof buf, v);
  return std::string(buf, res.ptr);
}

std::string num(float v) {
  char buf[40];
  auto res = std::to_chars(buf, buf + sizeof buf, v);
  return std::string(buf, res.ptr);
}

// RFC 4180: fields with a comma, quote or line break are quoted, quotes doubled.
std::string field(const std::string& s) {
  if (s.find_first_of(",\"\r\n") == std::string::npos) return s;
  std::string q = "\"";
  for (char c : s) q += c == '"' ? std::string("\"\"") : std::string(1, c);
  return q + "\"";
}

std::string optNum(const std::optional<double>& v) { return v ? num(*v) : std::string(); }

}  // namespace

void writeSummaryCsv(const std::string& path, const DatasetResults& results) {
  // Kinds: the guide's four, then any other that holds attention in some example.
  std::vector<SegmentKind> kinds = {SegmentKind::Soft, SegmentKind::Bos, SegmentKind::Anchor,
                                    SegmentKind::Text};
  for (SegmentKind k : {SegmentKind::Special, SegmentKind::Generated, SegmentKind::Pad}) {
    bool used = false;
    for (const auto& e : results.examples)
      for (const auto& row : e.of(k))
        for (float v : row) used = used || v != 0.0f;
    if (used) kinds.push_back(k);
  }
  std::vector<int> layers;
  for (const auto& e : results.examples)
    if (e.layers.size() > layers.size()) layers = e.layers;

  std::string out =
      "index,id,correct,correct_source,em,f1,prediction,prediction_generated,first_token_id,"
      "first_token,first_token_prob,first_token_correct,query_position,seq_len,collapse,"
      "anchor_dominance";
  for (SegmentKind k : kinds) {
    const std::string name(segmentKindName(k));
    for (int l : layers) out += "," + name + "_L" + std::to_string(l);
    out += "," + name + "_mean";
  }
  out += "\n";
  for (const auto& e : results.examples) {
    out += std::to_string(e.index) + "," + field(e.id) + "," + (e.correct ? "1" : "0") + "," +
           field(e.correctSource) + "," + optNum(e.em) + "," + optNum(e.f1) + "," +
           field(e.prediction) + "," + (e.predictionGenerated ? "1" : "0") + "," +
           std::to_string(e.firstTokenId) + "," + field(e.firstToken) + "," +
           num(e.firstTokenProb) + "," +
           (e.firstTokenCorrect ? (*e.firstTokenCorrect ? "1" : "0") : "") + "," +
           std::to_string(e.queryPosition) + "," + std::to_string(e.seqLen) + "," +
           (e.collapse ? "1" : "0") + "," + (e.anchorDominance ? "1" : "0");
    for (SegmentKind k : kinds) {
      double sum = 0;
      for (std::size_t l = 0; l < layers.size(); ++l) {
        // Head-mean mass of each layer; an example with fewer layers leaves the cell empty.
        if (l < e.layers.size()) {
          const float v = e.layerMean(k, l);
          sum += v;
          out += "," + num(v);
        } else {
          out += ",";
        }
      }
      out += "," +
             (e.layers.empty() ? std::string() : num(sum / static_cast<double>(e.layers.size())));
    }
    out += "\n";
  }
  writeFileAtomically(path, out);
}

}  // namespace attnx
