// One composer for every path: the same fields given to the window's input panel (request
// builder + the worker's soft-token fill), to `attnx run | stats | figure` (cli::inputRequestFrom)
// and to a dataset example (exampleParts) compose to the same tokens, soft rows and layout, on
// the built-in demo with its real tokenizer. Table-driven: each row is one combination of soft
// tokens, BOS, anchor and prompt.
#include <QtTest>
#include <optional>

#include "args.h"
#include "dataset_results.h"
#include "dataset_run.h"
#include "inference_worker.h"
#include "model.h"
#include "qt_support.h"
#include "request_builder.h"
#include "run_inputs.h"

using namespace attnx;
using namespace attnx::qt_support;

namespace {

QString softFile() { return demoDir() + QStringLiteral("/soft_tokens.safetensors"); }  // [48,8,96]

struct Row {
  const char* name;
  int softIndex;  // -1: no soft tokens
  bool bos;       // "BOS after the soft tokens" ticked / --bos-after-soft / bosAfterSoft
  const char* anchor;
  const char* prompt;  // text, or "ids: ..." for token ids; "" for none
};

const Row kRows[] = {
    {"soft + BOS + anchor (the guide's input)", 5, true, "Q: what is the secret word? A:", ""},
    {"soft + anchor + prompt", 5, false, "Q: what is the secret word? A:", " bear"},
    {"soft alone", 7, false, "", ""},
    {"soft + BOS", 7, true, "", ""},
    {"soft + BOS + anchor + prompt ids", 0, true, "Q: what is", "ids: 5, 6, 7"},
    {"soft + prompt", 2, false, "", " owl red"},
    {"anchor alone", -1, false, "Q: what is the secret word? A:", ""},
    {"anchor alone, BOS ticked without soft tokens", -1, true, "Q: what is the secret word? A:", ""},
    {"anchor + prompt", -1, false, "Q:", " what is the secret word?"},
    {"anchor + prompt ids", -1, false, "Q:", "ids: 40, 41"},
    {"prompt alone (special tokens)", -1, false, "", "red fox blue owl"},
    {"prompt alone, BOS ticked", -1, true, "", "red fox blue owl"},
    {"prompt ids alone", -1, false, "", "ids: 3, 1, 4, 1, 5"},
};

std::optional<std::vector<int64_t>> idsOf(const char* prompt) {
  return parseIdsField(QString::fromUtf8(prompt));
}

ComposedInput viaWindow(const Model& model, const Row& row) {
  RequestFields f;
  f.softTokens = row.softIndex >= 0;
  f.bosAfterSoft = row.bos;
  f.anchor = QString::fromUtf8(row.anchor);
  f.prompt = QString::fromUtf8(row.prompt);
  RunRequest r = buildRunRequest(f);
  if (row.softIndex >= 0) fillSoftTokens(r, SoftTokenSet::load(softFile().toStdString()), row.softIndex);
  return model.compose(r.parts);
}

ComposedInput viaCommandLine(const Model& model, const Row& row) {
  std::vector<std::string> argv;
  if (row.softIndex >= 0) {
    argv = {"--soft-tokens", softFile().toStdString(), "--soft-index",
            std::to_string(row.softIndex)};
    if (row.bos) argv.push_back("--bos-after-soft");  // refused without soft tokens
  }
  if (*row.anchor) argv.insert(argv.end(), {"--anchor", row.anchor});
  if (auto ids = idsOf(row.prompt)) {
    std::string list;
    for (int64_t id : *ids) list += (list.empty() ? "" : ",") + std::to_string(id);
    argv.insert(argv.end(), {"--input-ids", list});
  } else if (*row.prompt) {
    argv.insert(argv.end(), {"--prompt", row.prompt});
  }
  const cli::Args args(argv, cli::inputValuedOptions(), cli::inputFlagOptions());
  return model.compose(cli::inputRequestFrom(args).parts);
}

ComposedInput viaDataset(const Model& model, const Row& row, const SoftTokenSet& soft) {
  Example ex;
  ex.id = "row";
  ex.line = 1;
  if (*row.anchor) ex.anchor = std::string(row.anchor);
  if (auto ids = idsOf(row.prompt))
    ex.inputIds = *ids;
  else
    ex.prompt = row.prompt;
  ex.softIndex = row.softIndex;
  DatasetSettings settings;
  settings.bosAfterSoft = row.bos;
  settings.noSoftTokens = row.softIndex < 0;
  return model.compose(exampleParts(ex, 0, settings, row.softIndex >= 0 ? soft : SoftTokenSet{}));
}

QString describe(const ComposedInput& c) {
  QStringList parts;
  for (const Segment& s : c.layout)
    parts << QStringLiteral("%1[%2,%3)")
                 .arg(QString::fromLatin1(segmentKindName(s.kind).data()))
                 .arg(s.begin)
                 .arg(s.end);
  return parts.join(QLatin1Char(' '));
}

void expectSame(const ComposedInput& a, const ComposedInput& b, const char* row,
                const char* path) {
  const QByteArray what = QByteArray(row) + " via " + path + ": " + describe(a).toUtf8() +
                          " vs " + describe(b).toUtf8();
  QVERIFY2(a.batch.ids == b.batch.ids, what.constData());
  QVERIFY2(a.batch.softRows == b.batch.softRows, what.constData());
  QVERIFY2(a.batch.softMask == b.batch.softMask, what.constData());
  QVERIFY2(a.batch.tokenTypeIds == b.batch.tokenTypeIds, what.constData());
  QVERIFY2(a.tokens == b.tokens, what.constData());
  QCOMPARE(a.layout.size(), b.layout.size());
  for (std::size_t i = 0; i < a.layout.size(); ++i)
    QVERIFY2(a.layout[i].kind == b.layout[i].kind && a.layout[i].begin == b.layout[i].begin &&
                 a.layout[i].end == b.layout[i].end,
             what.constData());
}

}  // namespace

class TestInputComposition : public QObject {
  Q_OBJECT
 private slots:
  void everyPathComposesTheSameInput() {
    const auto model = Model::load(demoDir().toStdString());
    const SoftTokenSet soft = SoftTokenSet::load(softFile().toStdString());
    for (const Row& row : kRows) {
      const ComposedInput window = viaWindow(*model, row);
      expectSame(window, viaCommandLine(*model, row), row.name, "the command line");
      expectSame(window, viaDataset(*model, row, soft), row.name, "a dataset example");
      qInfo("%-48s %s", row.name, qPrintable(describe(window)));

      // What the row asks for is what it got.
      const bool soft = row.softIndex >= 0;
      QCOMPARE(!window.layout.empty() && window.layout.front().kind == SegmentKind::Soft, soft);
      bool hasBos = false;
      for (const Segment& s : window.layout) hasBos |= s.kind == SegmentKind::Bos;
      // BOS comes from the checkbox only after soft tokens; a text prompt alone gets the
      // tokenizer's own (the demo adds BOS), never from the checkbox.
      const bool promptAlone = !soft && !*row.anchor && *row.prompt && !idsOf(row.prompt);
      QCOMPARE(hasBos, (soft && row.bos) || promptAlone);
    }
  }

  void theSoftRowsAreThoseOfTheChosenPrefix() {
    const auto model = Model::load(demoDir().toStdString());
    const SoftTokenSet soft = SoftTokenSet::load(softFile().toStdString());
    const ComposedInput c = viaWindow(*model, kRows[0]);
    QCOMPARE(c.batch.softRows, soft.prefix(5));
    QVERIFY(c.batch.softRows != soft.prefix(4));
  }
};

QTEST_GUILESS_MAIN(TestInputComposition)
#include "test_input_composition.moc"
