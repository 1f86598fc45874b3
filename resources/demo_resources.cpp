#include "demo_resources.h"

#include <QtGlobal>

// Q_INIT_RESOURCE must be used outside any namespace.
static bool initDemoResourcesImpl() {
#ifdef ATTNX_HAVE_DEMO
  Q_INIT_RESOURCE(demo);
  return true;
#else
  return false;
#endif
}

namespace attnx {

bool initDemoResources() { return initDemoResourcesImpl(); }

}  // namespace attnx
