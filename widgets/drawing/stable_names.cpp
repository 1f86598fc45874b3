#include "stable_names.h"

#include <QCoreApplication>

namespace attnx {

template <class E>
QString NameTable<E>::id(E value) const {
  for (const Entry& e : entries)
    if (e.value == value) return QString::fromLatin1(e.id);
  return {};
}

template <class E>
std::optional<E> NameTable<E>::fromId(const QString& id) const {
  for (const Entry& e : entries)
    if (id == QLatin1String(e.id)) return e.value;
  return std::nullopt;
}

template <class E>
QString NameTable<E>::label(E value) const {
  for (const Entry& e : entries)
    if (e.value == value) return QCoreApplication::translate("attnx::ColorScale", e.label);
  return {};
}

template <class E>
QStringList NameTable<E>::ids() const {
  QStringList out;
  for (const Entry& e : entries) out << QString::fromLatin1(e.id);
  return out;
}

template <class E>
QStringList NameTable<E>::labels() const {
  QStringList out;
  for (const Entry& e : entries) out << QCoreApplication::translate("attnx::ColorScale", e.label);
  return out;
}

template <class E>
QString NameTable<E>::alternatives() const {
  const QStringList all = ids();
  if (all.size() < 2) return all.join(QString());
  return all.mid(0, all.size() - 1).join(QStringLiteral(", ")) + QStringLiteral(" or ") +
         all.last();
}

template struct NameTable<ColorMapKind>;
template struct NameTable<ScaleKind>;

const NameTable<ColorMapKind>& colorMapNames() {
  static const NameTable<ColorMapKind> table{{
      {ColorMapKind::Viridis, "viridis", QT_TRANSLATE_NOOP("attnx::ColorScale", "viridis")},
      {ColorMapKind::Magma, "magma", QT_TRANSLATE_NOOP("attnx::ColorScale", "magma")},
      {ColorMapKind::Cividis, "cividis", QT_TRANSLATE_NOOP("attnx::ColorScale", "cividis")},
      {ColorMapKind::Grays, "grays", QT_TRANSLATE_NOOP("attnx::ColorScale", "grays")},
  }};
  return table;
}

const NameTable<ScaleKind>& scaleNames() {
  static const NameTable<ScaleKind> table{{
      {ScaleKind::Linear, "linear", QT_TRANSLATE_NOOP("attnx::ColorScale", "linear")},
      {ScaleKind::Logarithmic, "log", QT_TRANSLATE_NOOP("attnx::ColorScale", "logarithmic")},
      {ScaleKind::Power, "power", QT_TRANSLATE_NOOP("attnx::ColorScale", "power (gamma)")},
  }};
  return table;
}

QString scaleManifestName(ScaleKind scale, double gamma) {
  if (scale == ScaleKind::Power) return QStringLiteral("power(gamma=%1)").arg(gamma);
  return scaleNames().id(scale);
}

QStringList figureCommandViews() {
  return {view_names::kHeatmap, view_names::kLayers, view_names::kGrid};
}

QString segmentKindId(SegmentKind kind) {
  const std::string_view name = segmentKindName(kind);
  return QString::fromLatin1(name.data(), static_cast<qsizetype>(name.size()));
}

}  // namespace attnx
