#pragma once
// Precompiled header of the *_torch.cpp files: ATen only (torch/torch.h costs three times more).
#include "torch_compat.h"
