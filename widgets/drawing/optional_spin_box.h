#pragma once
// A spin box for "nothing chosen, or a number 0..max": its lowest value, -1, shows `noneText`
// (Qt's special value text); the caller raises the maximum once it knows the range.
#include <QSpinBox>

namespace attnx {

inline QSpinBox* makeOptionalSpinBox(QWidget* parent, const QString& objectName,
                                     const QString& noneText, const QString& toolTip) {
  auto* spin = new QSpinBox(parent);
  spin->setObjectName(objectName);
  spin->setRange(-1, 0);
  spin->setSpecialValueText(noneText);
  spin->setToolTip(toolTip);
  return spin;
}

}  // namespace attnx
