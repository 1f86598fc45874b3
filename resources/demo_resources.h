#pragma once
// Registers the built-in demo's resources (:/demo/...). The data lives in the static library
// attnx_demo_data; calling this from the executable is what links it in.
namespace attnx {

// Returns false when this build has no demo (resources/demo/ was incomplete at configure time).
bool initDemoResources();

}  // namespace attnx
