#include "memory_estimate.h"

#include <filesystem>

#include "compose.h"
#include "model.h"
#include "soft_tokens.h"

namespace attnx {

MemoryEstimate estimateMemory(const ModelSpec& model, const RequestFields& fields,
                              const QString& softPath, const MemoryEstimate& previous) {
  MemoryEstimate e;
  e.tokenizer = previous.tokenizer;
  e.tokenizerDir = previous.tokenizerDir;
  e.softPath = previous.softPath;
  e.softRows = previous.softRows;
  try {
    const std::string dir = model.dir.toStdString();
    const HParams hp = loadHParams(dir);
    if (e.tokenizerDir != model.dir) {
      e.tokenizer.reset();
      if (std::filesystem::exists(std::filesystem::path(dir) / "tokenizer.json"))
        e.tokenizer = Tokenizer::fromDirectory(dir);
      e.tokenizerDir = model.dir;
    }
    if (fields.softTokens && e.softPath != softPath) {
      e.softRows = SoftTokenSet::load(softPath.toStdString()).rows();
      e.softPath = softPath;
    }
    // The parts as the run composes them; soft parts counted from the file.
    std::vector<InputPart> parts = buildRunRequest(fields).parts;
    int soft = 0;
    std::erase_if(parts, [&](const InputPart& p) {
      if (p.kind != SegmentKind::Soft) return false;
      soft += e.softRows;
      return true;
    });
    const int composed =
        parts.empty() ? 0 : composeParts(parts, e.tokenizer.get(), hp).batch.seqLen;
    e.tokens = composed + soft;
    if (e.tokens <= 0) return e;

    PlanRequest r;
    r.tokens = e.tokens;
    r.generate = fields.generate;
    r.capture = fields.lastRowOnly ? PlanRequest::Capture::LastRow : PlanRequest::Capture::Full;
    r.dtypeBytes = model.dtype == QLatin1String("float32") ? 4 : 2;
    const std::string device = model.device.toStdString();
    r.cpu = isCpuDevice(device);
    const ArchSpec& arch = archFor(hp.family);
    e.plan = planMemory(hp, arch, r);
    e.available = deviceMemoryBytes(device);
    if (e.available > 0 && e.plan.peak > e.available)
      e.refusal = QString::fromStdString(planRefusal(e.plan, e.available, hp, arch, r));
    e.known = true;
  } catch (const std::exception&) {
    // Not a run yet (no model folder, text without a tokenizer, ...): the Run button says why.
  }
  return e;
}

}  // namespace attnx
