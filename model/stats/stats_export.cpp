#include "stats_export.h"

#include <charconv>
#include <nlohmann/json.hpp>

#include "atomic_file.h"

namespace attnx {
namespace {

constexpr SegmentKind kAllKinds[] = {
    SegmentKind::Soft,    SegmentKind::Bos,       SegmentKind::Anchor, SegmentKind::Text,
    SegmentKind::Special, SegmentKind::Generated, SegmentKind::Pad};

void addSummary(nlohmann::json& j, const std::string& prefix, const HeadSummary& s) {
  j[prefix + "_mean"] = s.mean;
  j[prefix + "_std"] = s.std;
  j[prefix + "_min"] = s.min;
  j[prefix + "_max"] = s.max;
}

// Shortest text that reads back as the same float; never a decimal comma.
void appendFloat(std::string& out, float v) {
  char buf[32];
  const auto res = std::to_chars(buf, buf + sizeof buf, v);
  out.append(buf, res.ptr);
}

}  // namespace

nlohmann::json statsToJson(const SegmentMass& m, const std::vector<Diagnostic>& diagnostics,
                           const DiagnosticThresholds& t) {
  nlohmann::json j;
  j["format"] = "attnx-attention-stats";
  j["version"] = 1;
  j["batch_row"] = m.batchRow;
  j["query_position"] = m.queryPosition;
  j["step"] = m.step >= 0 ? nlohmann::json(m.step) : nlohmann::json(nullptr);
  j["keys"] = m.keys;
  j["heads"] = m.heads;
  j["std"] = "sample (n - 1), as torch.std";
  j["entropy_unit"] = "nats";
  nlohmann::json present = nlohmann::json::array();
  for (SegmentKind k : kAllKinds)
    if (m.has(k)) present.push_back(std::string(segmentKindName(k)));
  j["segments_present"] = present;

  nlohmann::json layers = nlohmann::json::array();
  for (std::size_t l = 0; l < m.layers.size(); ++l) {
    nlohmann::json e;
    e["layer"] = m.layers[l];
    nlohmann::json perHead;
    for (SegmentKind k : kAllKinds) {
      const std::string name(segmentKindName(k));
      addSummary(e, name, m.summary(k, l));
      perHead[name] = m.of(k)[l];
    }
    e["per_head_soft"] = m.of(SegmentKind::Soft)[l];
    e["per_head"] = perHead;
    addSummary(e, "entropy", m.entropySummary(l));
    e["per_head_entropy"] = m.entropy[l];
    e["head_row_distance"] = m.headRowDistance[l];
    layers.push_back(e);
  }
  j["per_layer"] = layers;

  nlohmann::json diags = nlohmann::json::array();
  for (const Diagnostic& d : diagnostics) {
    diags.push_back({{"id", d.id},
                     {"applicable", d.applicable},
                     {"flagged", d.flagged},
                     {"layers", d.layers},
                     {"values", d.values},
                     {"values2", d.values2},
                     {"explanation", d.explanation}});
  }
  j["diagnostics"] = diags;
  j["thresholds"] = {{"collapse_soft", t.collapseSoft},   {"dominance_anchor", t.dominanceAnchor},
                     {"dominance_soft", t.dominanceSoft}, {"head_soft_std", t.headSoftStd},
                     {"head_row_l1", t.headRowL1},        {"layer_row_l1", t.layerRowL1}};
  return j;
}

std::string statsToCsv(const SegmentMass& m) {
  constexpr SegmentKind cols[] = {SegmentKind::Soft, SegmentKind::Bos, SegmentKind::Anchor,
                                  SegmentKind::Text, SegmentKind::Generated};
  std::string out = "layer,head,soft,bos,anchor,text,generated,entropy,special,pad\n";
  for (std::size_t l = 0; l < m.layers.size(); ++l) {
    for (int h = 0; h < m.heads; ++h) {
      const auto hi = static_cast<std::size_t>(h);
      out += std::to_string(m.layers[l]) + "," + std::to_string(h);
      for (SegmentKind k : cols) {
        out += ',';
        appendFloat(out, m.of(k)[l][hi]);
      }
      out += ',';
      appendFloat(out, m.entropy[l][hi]);
      out += ',';
      appendFloat(out, m.of(SegmentKind::Special)[l][hi]);
      out += ',';
      appendFloat(out, m.of(SegmentKind::Pad)[l][hi]);
      out += '\n';
    }
  }
  return out;
}

void writeStatsJson(const std::string& path, const SegmentMass& m,
                    const std::vector<Diagnostic>& diagnostics, const DiagnosticThresholds& t) {
  writeFileAtomically(path, statsToJson(m, diagnostics, t).dump(2) + "\n");
}

void writeStatsCsv(const std::string& path, const SegmentMass& m) {
  writeFileAtomically(path, statsToCsv(m));
}

}  // namespace attnx
