// What the input panel's fields turn into: "ids:" fields, layer lists, part order.
#include <QtTest>

#include "error.h"
#include "request_builder.h"

using namespace attnx;

namespace {

std::vector<SegmentKind> kinds(const RunRequest& r) {
  std::vector<SegmentKind> out;
  for (const auto& p : r.parts) out.push_back(p.kind);
  return out;
}

}  // namespace

class TestRequestBuilder : public QObject {
  Q_OBJECT
 private slots:
  void idsFields() {
    QVERIFY(!parseIdsField(QStringLiteral("hello")).has_value());
    QVERIFY(!parseIdsField(QStringLiteral("the ids: 1, 2")).has_value());
    QCOMPARE(*parseIdsField(QStringLiteral("ids: 1, 2,3  4")), (std::vector<int64_t>{1, 2, 3, 4}));
    QCOMPARE(*parseIdsField(QStringLiteral("  IDS:7\n8 ")), (std::vector<int64_t>{7, 8}));
    QVERIFY_THROWS_EXCEPTION(Error, parseIdsField(QStringLiteral("ids:")));
    QVERIFY_THROWS_EXCEPTION(Error, parseIdsField(QStringLiteral("ids: 1, x")));
    QVERIFY_THROWS_EXCEPTION(Error, parseIdsField(QStringLiteral("ids: -3")));
    QVERIFY_THROWS_EXCEPTION(Error, parseIdsField(QStringLiteral("ids: 99999999999999999999")));
    try {
      parseIdsField(QStringLiteral("ids: 1, 2x"));
      QFAIL("no error");
    } catch (const Error& e) {
      QVERIFY2(QString::fromStdString(e.what()).contains(QStringLiteral("2x")), e.what());
    }
  }

  void layerLists() {
    QVERIFY(parseLayerList(QString()).empty());
    QVERIFY(parseLayerList(QStringLiteral(" All ")).empty());
    QCOMPARE(parseLayerList(QStringLiteral("5-7, 0 2,6")), (std::vector<int>{0, 2, 5, 6, 7}));
    QVERIFY_THROWS_EXCEPTION(Error, parseLayerList(QStringLiteral("3-1")));
    QVERIFY_THROWS_EXCEPTION(Error, parseLayerList(QStringLiteral("a")));
    QVERIFY_THROWS_EXCEPTION(Error, parseLayerList(QStringLiteral("-1")));
    QVERIFY_THROWS_EXCEPTION(Error, parseLayerList(QStringLiteral("0-99999999")));
  }

  void partsComeInOrderSoftBosAnchorPrompt() {
    RequestFields f;
    f.softTokens = true;
    f.bosAfterSoft = true;
    f.anchor = QStringLiteral("Answer:");
    f.prompt = QStringLiteral("ids: 4, 5");
    f.generate = 3;
    f.lastRowOnly = true;
    f.layers = QStringLiteral("1");
    const RunRequest r = buildRunRequest(f);
    QCOMPARE(kinds(r), (std::vector<SegmentKind>{SegmentKind::Soft, SegmentKind::Bos,
                                                 SegmentKind::Anchor, SegmentKind::Text}));
    QCOMPARE(r.parts[0].rows, 0);  // filled from the file on the worker
    QVERIFY(r.parts[0].embeddings.empty());
    QCOMPARE(r.parts[2].text, std::string("Answer:"));
    QCOMPARE(r.parts[3].ids, (std::vector<int64_t>{4, 5}));
    QVERIFY(r.parts[3].text.empty());
    QCOMPARE(r.generate, 3);
    QVERIFY(r.capture.rows == CapturePolicy::Rows::LastRow);
    QCOMPARE(r.capture.layers, std::vector<int>{1});

    f.bosAfterSoft = false;
    f.anchor.clear();
    QCOMPARE(kinds(buildRunRequest(f)),
             (std::vector<SegmentKind>{SegmentKind::Soft, SegmentKind::Text}));
    f.softTokens = false;
    f.anchor = QStringLiteral("ids: 9");
    const RunRequest anchorOnly = buildRunRequest(f);
    QCOMPARE(kinds(anchorOnly), (std::vector<SegmentKind>{SegmentKind::Anchor, SegmentKind::Text}));
    QCOMPARE(anchorOnly.parts[0].ids, std::vector<int64_t>{9});
  }

  void aPromptAloneIsThePromptRequestOrExactIds() {
    RequestFields f;
    f.prompt = QStringLiteral("The capital of France is");
    f.bosAfterSoft = true;  // has no effect without soft tokens or an anchor
    const RunRequest text = buildRunRequest(f);
    const RunRequest expected = Model::promptRequest(f.prompt.toStdString());
    QCOMPARE(kinds(text), kinds(expected));
    for (std::size_t i = 0; i < text.parts.size(); ++i) {
      QCOMPARE(text.parts[i].text, expected.parts[i].text);
      QCOMPARE(text.parts[i].ids, expected.parts[i].ids);
    }
    QVERIFY(text.capture.rows == CapturePolicy::Rows::Full);

    f.prompt = QStringLiteral("ids: 3, 1, 4");
    const RunRequest ids = buildRunRequest(f);
    QCOMPARE(kinds(ids), std::vector<SegmentKind>{SegmentKind::Text});
    QCOMPARE(ids.parts[0].ids, (std::vector<int64_t>{3, 1, 4}));
  }

  void nothingToRunIsAnError() {
    RequestFields f;
    QVERIFY_THROWS_EXCEPTION(Error, buildRunRequest(f));
    f.prompt = QStringLiteral("   ");
    QVERIFY_THROWS_EXCEPTION(Error, buildRunRequest(f));
    f.prompt = QStringLiteral("x");
    f.generate = -1;
    QVERIFY_THROWS_EXCEPTION(Error, buildRunRequest(f));
  }
};

QTEST_GUILESS_MAIN(TestRequestBuilder)
#include "test_request_builder.moc"
