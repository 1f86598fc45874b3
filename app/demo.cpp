#include "demo.h"

#include <QCoreApplication>
#include <QCryptographicHash>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSaveFile>
#include <QStandardPaths>
#include <QTemporaryDir>

#include "error.h"

namespace attnx {
namespace {

QString tr(const char* text) { return QCoreApplication::translate("attnx::Demo", text); }

QString resourcePath(const QString& name) { return QStringLiteral(":/demo/") + name; }

// A short hash of every file's name and bytes: a new demo gets a new folder, an old one is kept.
QString contentHash() {
  QCryptographicHash hash(QCryptographicHash::Sha256);
  for (const QString& name : Demo::fileNames()) {
    QFile f(resourcePath(name));
    if (!f.open(QIODevice::ReadOnly)) continue;
    hash.addData(name.toUtf8());
    hash.addData(f.readAll());
  }
  return QString::fromLatin1(hash.result().toHex().left(16));
}

bool isIntact(const QString& dir) {
  for (const QString& name : Demo::fileNames()) {
    const QFileInfo fi(QDir(dir).filePath(name));
    if (!fi.isFile() || fi.size() != QFileInfo(resourcePath(name)).size()) return false;
  }
  return true;
}

QString firstString(const QJsonObject& o, std::initializer_list<const char*> keys) {
  for (const char* k : keys) {
    const QJsonValue v = o.value(QLatin1String(k));
    if (v.isString()) return v.toString();
  }
  return {};
}

// One example from a JSON object, tolerant of the usual key spellings.
std::optional<DemoExample> exampleFrom(const QJsonObject& o, const QString& fallbackName,
                                       const QDir& dir) {
  DemoExample ex;
  ex.name = firstString(o, {"name", "id", "label"});
  if (ex.name.isEmpty()) ex.name = fallbackName;
  ex.prompt = firstString(o, {"prompt", "text", "question", "input"});
  ex.anchor = firstString(o, {"anchor", "anchor_text"});
  ex.expected = firstString(o, {"gold", "expected", "answer", "target"});
  QString soft = firstString(o, {"soft_file", "soft_tokens", "soft", "soft_tokens_file"});
  if (!soft.isEmpty()) ex.softTokenFile = dir.filePath(QFileInfo(soft).fileName());
  // A soft-token question is answered by the next token: generate it, so the answer shows.
  if (!ex.softTokenFile.isEmpty()) ex.generate = 1;
  for (const char* k : {"bos_after_soft", "bos"})
    if (o.value(QLatin1String(k)).isBool()) ex.bosAfterSoft = o.value(QLatin1String(k)).toBool();
  for (const char* k : {"generate", "max_new_tokens"})
    if (o.value(QLatin1String(k)).isDouble()) ex.generate = o.value(QLatin1String(k)).toInt();
  if (ex.prompt.isEmpty() && ex.softTokenFile.isEmpty()) return std::nullopt;
  return ex;
}

QList<DemoExample> examplesFromJson(const QJsonValue& root, const QDir& dir) {
  QList<DemoExample> out;
  if (root.isArray()) {
    const QJsonArray a = root.toArray();
    for (int i = 0; i < a.size(); ++i)
      if (auto ex = exampleFrom(a[i].toObject(), QString::number(i), dir)) out.append(*ex);
  } else if (root.isObject()) {
    const QJsonObject o = root.toObject();
    if (auto ex = exampleFrom(o, QStringLiteral("example"), dir)) out.append(*ex);
    for (auto it = o.begin(); it != o.end(); ++it) {
      if (it.value().isObject()) {
        if (auto ex = exampleFrom(it.value().toObject(), it.key(), dir)) out.append(*ex);
      } else if (it.value().isArray()) {
        out.append(examplesFromJson(it.value(), dir));
      }
    }
  }
  return out;
}

}  // namespace

QStringList Demo::fileNames() {
  return {QStringLiteral("config.json"),
          QStringLiteral("model.safetensors"),
          QStringLiteral("tokenizer.json"),
          QStringLiteral("tokenizer_config.json"),
          QStringLiteral("generation_config.json"),
          QStringLiteral("soft_example_correct.safetensors"),
          QStringLiteral("soft_example_incorrect.safetensors"),
          QStringLiteral("soft_tokens.safetensors"),
          QStringLiteral("examples.jsonl"),
          QStringLiteral("prompts.json")};
}

bool Demo::available() {
  for (const QString& name : fileNames())
    if (!QFileInfo::exists(resourcePath(name))) return false;
  return true;
}

QString Demo::extract(const QString& cacheRoot) {
  QStringList missing;
  for (const QString& name : fileNames())
    if (!QFileInfo::exists(resourcePath(name))) missing << name;
  if (!missing.isEmpty())
    throw Error(tr("this build lacks its files (%1).")
                    .arg(missing.join(QStringLiteral(", ")))
                    .toStdString());

  const QString root = cacheRoot.isEmpty()
                           ? QStandardPaths::writableLocation(QStandardPaths::CacheLocation)
                           : cacheRoot;
  if (!QDir().mkpath(root))
    throw Error(tr("Cannot create the cache folder %1 for the demo.").arg(root).toStdString());
  const QString target = QDir(root).filePath(QStringLiteral("demo-") + contentHash());
  if (isIntact(target)) return target;

  // Written next to the target and renamed, so that a half-written folder is never used.
  QTemporaryDir tmp(QDir(root).filePath(QStringLiteral("demo-partial-XXXXXX")));
  if (!tmp.isValid())
    throw Error(tr("Cannot write the demo into %1: %2").arg(root, tmp.errorString()).toStdString());
  for (const QString& name : fileNames()) {
    const QString to = QDir(tmp.path()).filePath(name);
    if (!QFile::copy(resourcePath(name), to))
      throw Error(tr("Cannot write %1.").arg(to).toStdString());
    // Resource copies are read-only; the folder must stay removable by the user.
    QFile::setPermissions(to, QFileDevice::ReadOwner | QFileDevice::WriteOwner |
                                  QFileDevice::ReadGroup | QFileDevice::ReadOther);
  }
  if (QFileInfo::exists(target)) QDir(target).removeRecursively();  // a damaged earlier copy
  if (!QDir().rename(tmp.path(), target)) {
    // Another attnx may have extracted the same demo in the meantime.
    if (isIntact(target)) return target;
    throw Error(tr("Cannot move the demo into %1.").arg(target).toStdString());
  }
  tmp.setAutoRemove(false);
  return target;
}

QList<DemoExample> Demo::examples(const QString& dirPath) {
  const QDir dir(dirPath);
  QList<DemoExample> out;
  QFile prompts(dir.filePath(QStringLiteral("prompts.json")));
  if (prompts.open(QIODevice::ReadOnly)) {
    const QJsonDocument doc = QJsonDocument::fromJson(prompts.readAll());
    out = examplesFromJson(doc.isArray() ? QJsonValue(doc.array()) : QJsonValue(doc.object()), dir);
  }
  // The soft-token example that the model answers correctly leads, whatever the file order.
  std::stable_partition(out.begin(), out.end(), [](const DemoExample& e) {
    return !e.softTokenFile.isEmpty() && e.softTokenFile.contains(QLatin1String("correct")) &&
           !e.softTokenFile.contains(QLatin1String("incorrect"));
  });
  return out;
}

DemoExample Demo::startupExample(const QString& dirPath) {
  const QList<DemoExample> all = examples(dirPath);
  for (const DemoExample& e : all)
    if (!e.softTokenFile.isEmpty()) return e;
  DemoExample ex = all.isEmpty() ? DemoExample{} : all.first();
  if (ex.name.isEmpty()) ex.name = QStringLiteral("correct");
  ex.softTokenFile = QDir(dirPath).filePath(QStringLiteral("soft_example_correct.safetensors"));
  return ex;
}

}  // namespace attnx
