#pragma once
// Attention statistics as files: JSON holding the guide's attention_stats.json fields
// ({"per_layer": [{"layer", "soft_mean", "soft_std", "anchor_mean", "per_head_soft"}, ...]}) and
// more (every segment kind, min/max, entropy, diagnostics), and CSV with one row per layer and
// head. Numbers are written independently of the C locale. Files are written atomically.
#include <nlohmann/json_fwd.hpp>
#include <string>
#include <vector>

#include "attention_stats.h"
#include "diagnostics.h"

namespace attnx {

nlohmann::json statsToJson(const SegmentMass& m, const std::vector<Diagnostic>& diagnostics = {},
                           const DiagnosticThresholds& thresholds = {});

// Header: layer,head,soft,bos,anchor,text,generated,entropy,special,pad
std::string statsToCsv(const SegmentMass& m);

// Throw attnx::Error naming the file when it cannot be written.
void writeStatsJson(const std::string& path, const SegmentMass& m,
                    const std::vector<Diagnostic>& diagnostics = {},
                    const DiagnosticThresholds& thresholds = {});
void writeStatsCsv(const std::string& path, const SegmentMass& m);

}  // namespace attnx
