#pragma once
// The plain value types that travel in queued signals between the inference thread and the
// window, declared to Qt's meta-type system once. Every header whose signals or slots carry them
// includes this, so the declaration precedes any use in the generated moc code (a declaration
// after a use does not compile).
#include <QMetaType>
#include <memory>

#include "run_types.h"

namespace attnx {
struct DatasetResults;
}

Q_DECLARE_METATYPE(attnx::ModelInfo)
Q_DECLARE_METATYPE(attnx::HeadChoice)  // item data of the head choosers
Q_DECLARE_METATYPE(std::shared_ptr<const attnx::RunResult>)
Q_DECLARE_METATYPE(std::shared_ptr<const attnx::DatasetResults>)
