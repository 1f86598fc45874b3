#pragma once
// The windows the figure tests export from, set up alike: the explorer on the demo's soft-token
// run, and the comparison window over the demo dataset's results with its examples computed by
// the test's own DemoDataset (no inference thread).
#include <QSignalSpy>
#include <QString>
#include <QtTest>
#include <memory>

#include "comparison_window.h"
#include "dataset_document.h"
#include "demo_dataset.h"
#include "demo_resources.h"
#include "main_window.h"
#include "qt_support.h"

namespace attnx::figure_windows {

// Shows `w` at 1600 x 1000 and runs the demo's soft-token example in it; empty when the run
// finished, else why not.
inline QString showDemoRun(MainWindow& w) {
  if (!initDemoResources()) return QStringLiteral("the demo is not embedded");
  w.resize(1600, 1000);
  QSignalSpy finished(&w, &MainWindow::runFinished);
  w.show();
  if (!QTest::qWaitForWindowExposed(&w)) return QStringLiteral("the window was not exposed");
  if (!w.openDemo(true)) return w.bannerText();
  if (!QTest::qWaitFor([&] { return finished.count() == 1 || w.isBannerVisible(); }, 120000) ||
      finished.isEmpty())
    return QStringLiteral("the demo run did not finish: ") + w.bannerText();
  return {};
}

// The comparison window over `demo`'s results (named "demo"), at 1500 x 950 with layer 1
// highlighted; each example it shows is `demo`'s full run of it.
struct DemoComparison {
  DatasetDocument doc;  // before the window, which observes it
  ComparisonWindow win{&doc};

  explicit DemoComparison(const demo_dataset::DemoDataset& demo) {
    doc.setResults(0, std::make_shared<DatasetResults>(demo.results), QStringLiteral("demo"));
    QObject::connect(&win, &ComparisonWindow::exampleRunRequested, &win,
                     [this, &demo](int slot, int, int index) {
                       win.setExampleResult(slot, demo.fullRun(index));
                     });
    win.resize(1500, 950);
  }
  // Shown and active, layer 1 highlighted; false when the window could not be shown.
  [[nodiscard]] bool show() {
    if (!qt_support::showActive(&win)) return false;
    doc.setLayer(1);
    return true;
  }
  // The Examples tab with examples 0 (left) and 3 (right); false when either is not shown.
  [[nodiscard]] bool showExamples() {
    win.showExamplesTab();
    doc.setShownExample(0, {0, 0});
    doc.setShownExample(1, {0, 3});
    return win.exampleMessage(0).isEmpty() && win.exampleMessage(1).isEmpty();
  }
};

}  // namespace attnx::figure_windows
