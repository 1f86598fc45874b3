#pragma once
// The built-in demo: a small trained model embedded as Qt resources under :/demo/ (see
// resources/demo.qrc). Model::load reads a directory, so the files are extracted once into the
// cache folder (CacheLocation/demo-<content hash>) and reused on later starts.
#include <QString>
#include <QStringList>

namespace attnx {

// One ready-made input of the demo.
struct DemoExample {
  QString name;           // "correct", "incorrect", ...
  QString prompt;         // text
  QString anchor;         // text, may be empty
  QString softTokenFile;  // absolute path in the extracted folder; empty: no soft tokens
  bool bosAfterSoft = true;
  int generate = 0;
  QString expected;  // the answer the example should produce, when the demo says so
};

class Demo {
 public:
  // The files the demo consists of, as named in :/demo/ and in the extracted folder.
  static QStringList fileNames();
  // Whether every file is compiled in.
  static bool available();
  // Extracts the demo into `cacheRoot` (default: QStandardPaths::CacheLocation) unless an
  // intact copy is there already; returns the folder. Throws attnx::Error with a clear message
  // when the demo is not compiled in or cannot be written.
  static QString extract(const QString& cacheRoot = {});
  // The example shown at start-up: the soft-token example that the model answers correctly.
  // Reads prompts.json / examples.jsonl in `dir`; falls back to the soft-token file alone.
  static DemoExample startupExample(const QString& dir);
  // Every example of the demo (the start-up one first).
  static QList<DemoExample> examples(const QString& dir);
};

}  // namespace attnx
