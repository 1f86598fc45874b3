#!/usr/bin/env python3
"""Writes attention files as Python pipelines save them, for tests/cli/test_cli_import.cpp.

python3 attention_files.py OUTDIR writes, from one set of causal softmax weights (L=3 layers,
H=2 heads, T=10 positions, float32):
  ref.f32         the weights, raw little-endian float32 [L,H,T,T]: what every import must equal
  ref16.f32       the same weights rounded to float16, as float32 (for half.pt)
  tuple.pt        torch.save(tuple of [1,H,T,T])          (transformers' outputs.attentions)
  list.pt         torch.save(list of [H,T,T])
  dict.pt         torch.save({"attentions": tuple, "input_ids", "tokens", "layout"})
  half.pt         torch.save(tuple of float16 [1,H,T,T])
  stacked.npy     numpy.save([L,1,H,T,T])
  named.npz       numpy.savez(attentions.0=..., input_ids=...)
  positional.npz  numpy.savez(*layers)
  layers.safetensors  attentions.<l> [1,H,T,T] with metadata layout and tokens
  saved_run.safetensors  tools/export_soft_tokens.py save_run(...) from the torch tuple
  meta.json       L, H, T, tokens, input_ids, layout
and the broken ones: scores.pt (before the softmax), unequal.pt (layer 1 has T-1 positions),
batch.pt (B = 2), compressed.npz (numpy.savez_compressed), empty.npy, expanded.pt, nested.pt.
"""

import json
import os
import sys

import numpy as np
import torch

out = sys.argv[1]
sys.path.insert(0, sys.argv[2])  # tools/
import export_soft_tokens  # noqa: E402

L, H, T = 3, 2, 10
g = torch.Generator().manual_seed(7)
causal = torch.ones(T, T, dtype=torch.bool).triu(1)
scores = [torch.randn(1, H, T, T, generator=g) * 2.0 for _ in range(L)]
layers = tuple(torch.softmax(s.masked_fill(causal, float("-inf")), dim=-1) for s in scores)
tokens = ["<soft 0>", "<soft 1>", "<s>", "Answer", ":", " The", " owl", " sat", " in", " é"]
input_ids = torch.tensor([[-1, -1, 1, 22, 5, 9, 31, 17, 4, 28]], dtype=torch.int64)
layout = "soft:2,bos:1,anchor:2,text:5"

stacked = torch.stack(layers)  # [L,1,H,T,T]
stacked.squeeze(1).numpy().astype("<f4").tofile(os.path.join(out, "ref.f32"))
half = tuple(a.to(torch.float16) for a in layers)
torch.stack(half).squeeze(1).float().numpy().astype("<f4").tofile(os.path.join(out, "ref16.f32"))

p = lambda name: os.path.join(out, name)  # noqa: E731
torch.save(layers, p("tuple.pt"))
torch.save([a[0] for a in layers], p("list.pt"))
torch.save({"attentions": layers, "input_ids": input_ids, "tokens": tokens, "layout": layout},
           p("dict.pt"))
torch.save(half, p("half.pt"))
np.save(p("stacked.npy"), stacked.numpy())
np.savez(p("named.npz"), input_ids=input_ids.numpy(),
         **{"attentions.%d" % i: a.numpy() for i, a in enumerate(layers)})
np.savez(p("positional.npz"), *[a[0].numpy() for a in layers])
export_soft_tokens.write_safetensors_tensors(
    p("layers.safetensors"),
    [("attentions.%d" % i, "F32", list(a.shape), a.numpy().astype("<f4").tobytes())
     for i, a in enumerate(layers)],
    {"layout": layout, "tokens": json.dumps(tokens, ensure_ascii=False)})
export_soft_tokens.save_run(p("saved_run.safetensors"), layers, tokens=tokens, layout=layout,
                            input_ids=input_ids)

torch.save(tuple(scores), p("scores.pt"))
torch.save((layers[0], layers[1][:, :, : T - 1, : T - 1], layers[2]), p("unequal.pt"))
torch.save(tuple(torch.cat([a, a]) for a in layers), p("batch.pt"))
np.savez_compressed(p("compressed.npz"), *[a.numpy() for a in layers])
# Hostile but small: an empty stacked array of a million layers; one element claimed as 2^40
# by a stride of 0; lists nested in themselves 40 times (a tree of 2^40 leaves).
np.save(p("empty.npy"), np.zeros((10**6, 0, 4, 4), dtype="<f4"))
torch.save((torch.zeros(1).expand(2**40),), p("expanded.pt"))
nest = [layers[0]]
for _ in range(40):
    nest = [nest, nest]
torch.save(nest, p("nested.pt"))

with open(p("meta.json"), "w", encoding="utf-8") as f:
    json.dump({"L": L, "H": H, "T": T, "tokens": tokens, "input_ids": input_ids[0].tolist(),
               "layout": layout}, f, ensure_ascii=False)
