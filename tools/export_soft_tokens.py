#!/usr/bin/env python3
"""Write soft-token prefixes and their examples in the files attnx reads.

attnx (`attnx analyze`, the comparison window) takes
  PREFIX.safetensors  one tensor "soft_tokens", float32 [N, M, d]: example i's M prefix
                      embeddings of width d (the model's hidden size), fed as inputs_embeds
  PREFIX.jsonl        one example per line: {"id", "prompt", "anchor", "gold", "prediction",
                      "correct", "soft_index"}; soft_index is the row of the tensor

Use it from your own evaluation code:

    from export_soft_tokens import export_dataset
    export_dataset("runs/analysis/squad", prefix_embeds, [
        {"id": "q17", "prompt": "", "anchor": "Answer: ", "gold": ["Paris"],
         "prediction": "paris", "correct": True},
        ...])

prefix_embeds may be a torch tensor (any dtype or device), a NumPy array or nested lists, shaped
[N, M, d] (or [M, d] for one prefix shared by every example). Without the safetensors package
the file is written by hand (the format is an 8-byte header length, a JSON header and the raw
little-endian data), with NumPy if present, else with the standard library only.

Attention your own pipeline saved (transformers' outputs.attentions, or NumPy arrays) becomes a
run file the attnx window opens directly:

    from export_soft_tokens import save_run
    save_run("runs/q17.safetensors", outputs.attentions, tokens=tokens,
             layout="soft:32,bos:1,anchor:3,text:40")

From the command line, convert a torch.save'd tensor (or a .npy file) and a JSONL:

    python3 tools/export_soft_tokens.py --embeddings prefixes.pt --examples eval.jsonl \\
        --out runs/analysis/squad [--key soft_tokens] [--prediction-field latent_pred_llama]

then run `attnx analyze --model MODEL --examples runs/analysis/squad.jsonl
--soft-tokens runs/analysis/squad.safetensors --out runs/analysis/squad`.
"""

import argparse
import array
import json
import math
import os
import struct
import sys
import tempfile

TENSOR_NAME = "soft_tokens"


class ExportError(ValueError):
    """Bad input; the message says what and where."""


# ---- tensors ----


def _flatten(rows, shape, depth=0):
    """Nested lists -> (flat list of floats), checking a rectangular shape."""
    if depth == len(shape):
        return [float(rows)]
    if not isinstance(rows, (list, tuple)) or len(rows) != shape[depth]:
        raise ExportError("nested lists are not rectangular")
    out = []
    for r in rows:
        out.extend(_flatten(r, shape, depth + 1))
    return out


def _list_shape(rows):
    shape = []
    while isinstance(rows, (list, tuple)):
        shape.append(len(rows))
        if not rows:
            break
        rows = rows[0]
    return shape


def _as_float32(soft_tokens, what="soft tokens"):
    """Returns (shape, little-endian float32 bytes) of a torch tensor, NumPy array or lists."""
    if hasattr(soft_tokens, "detach"):  # torch.Tensor
        t = soft_tokens.detach().to("cpu")
        import torch

        t = t.to(torch.float32).contiguous()
        if not bool(torch.isfinite(t).all()):
            raise ExportError("%s: not all values are finite" % what)
        shape = list(t.shape)
        try:
            return shape, t.numpy().astype("<f4").tobytes()
        except (RuntimeError, ImportError):  # torch without NumPy
            return shape, _pack(t.flatten().tolist())
    if hasattr(soft_tokens, "dtype") and hasattr(soft_tokens, "tobytes"):  # numpy.ndarray
        import numpy as np

        a = np.ascontiguousarray(soft_tokens, dtype="<f4")
        if not np.isfinite(a).all():
            raise ExportError("%s: not all values are finite" % what)
        return list(a.shape), a.tobytes()
    shape = _list_shape(soft_tokens)
    flat = _flatten(soft_tokens, shape)
    if not all(math.isfinite(v) for v in flat):
        raise ExportError("%s: not all values are finite" % what)
    return shape, _pack(flat)


def _pack(flat):
    a = array.array("f", flat)
    if sys.byteorder != "little":
        a.byteswap()
    return a.tobytes()


def write_safetensors(path, shape, data, name=TENSOR_NAME, metadata=None):
    """One F32 tensor in the safetensors format, written to a temporary file then renamed."""
    write_safetensors_tensors(path, [(name, "F32", shape, data)], metadata)


def write_safetensors_tensors(path, tensors, metadata=None):
    """(name, dtype, shape, little-endian bytes) tensors in one safetensors file, atomically."""
    header, offset = {}, 0
    for name, dtype, shape, data in tensors:
        header[name] = {"dtype": dtype, "shape": list(shape),
                        "data_offsets": [offset, offset + len(data)]}
        offset += len(data)
    if metadata:
        header["__metadata__"] = {str(k): str(v) for k, v in metadata.items()}
    text = json.dumps(header, separators=(",", ":")).encode("utf-8")
    text += b" " * (-len(text) % 8)  # the data starts 8-byte aligned
    payload = b"".join(data for _, _, _, data in tensors)
    _write_atomically(path, struct.pack("<Q", len(text)) + text + payload)


def _write_atomically(path, payload):
    folder = os.path.dirname(os.path.abspath(path))
    os.makedirs(folder, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=folder, prefix=os.path.basename(path) + ".tmp-")
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(payload)
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, path)
    except BaseException:
        if os.path.exists(tmp):
            os.remove(tmp)
        raise


# ---- run files ----

_SEGMENT_KINDS = ("soft", "bos", "anchor", "text", "special", "generated", "pad")


def _layers(attentions):
    """One (shape [H,T,T], float32 bytes) per layer from a tuple/list or a stacked array."""
    if isinstance(attentions, (list, tuple)):
        items = list(attentions)
    else:
        stacked_shape = list(attentions.shape)
        if len(stacked_shape) not in (4, 5):
            raise ExportError("attentions: a stacked array is [L,B,H,T,T] or [L,H,T,T], not %s"
                              % stacked_shape)
        items = [attentions[i] for i in range(stacked_shape[0])]
    if not items:
        raise ExportError("attentions: no layers")
    out = []
    for i, a in enumerate(items):
        shape, data = _as_float32(a, "attentions[%d]" % i)
        if len(shape) == 4:
            if shape[0] != 1:
                raise ExportError("attentions[%d]: a batch of %d; save one example at a time"
                                  % (i, shape[0]))
            shape = shape[1:]
        if len(shape) != 3 or shape[1] != shape[2]:
            raise ExportError("attentions[%d]: shape %s is not [B,H,T,T] or [H,T,T]" % (i, shape))
        if out and shape != out[0][0]:
            raise ExportError("attentions[%d]: shape %s differs from layer 0's %s"
                              % (i, shape, out[0][0]))
        low, high = _value_range(data)
        if low < 0.0 or high > 1.0 + 1e-3:
            raise ExportError("attentions[%d]: weights outside [0, 1] (%g to %g)" % (i, low, high))
        out.append((shape, data))
    return out


def _value_range(data):
    """(min, max) of little-endian float32 bytes; with NumPy when it is there (large layers)."""
    try:
        import numpy as np

        a = np.frombuffer(data, dtype="<f4")
        return float(a.min()), float(a.max())
    except ImportError:
        weights = array.array("f")
        weights.frombytes(data)
        if sys.byteorder != "little":
            weights.byteswap()
        return min(weights), max(weights)


def _layout_segments(layout, T):
    if layout is None:
        parts = [("text", T)]
    elif isinstance(layout, str):
        parts = []
        for part in layout.split(","):
            kind, _, count = part.partition(":")
            if not count.isdigit():
                raise ExportError("layout part %r is not KIND:COUNT" % part)
            parts.append((kind, int(count)))
    else:
        parts = [(str(k), int(n)) for k, n in layout]
    segments, at = [], 0
    for kind, n in parts:
        if kind not in _SEGMENT_KINDS or n < 1:
            raise ExportError("layout part %s:%d: kinds are %s, counts 1 or more"
                              % (kind, n, ", ".join(_SEGMENT_KINDS)))
        segments.append({"kind": kind, "begin": at, "end": at + n})
        at += n
    if at != T:
        raise ExportError("layout covers %d of the %d positions" % (at, T))
    return segments


def save_run(path, attentions, tokens=None, layout=None, input_ids=None):
    """Writes attention saved by a Python pipeline as an attnx run file: open it with
    `attnx PATH`, or read it with any attnx command that takes --run.

    attentions: transformers' outputs.attentions (a tuple or list with one [1,H,T,T] or [H,T,T]
    tensor per layer; torch tensors or NumPy arrays, any float dtype or device) or one stacked
    [L,1,H,T,T] / [L,H,T,T] array. tokens: T display strings. layout: "soft:8,bos:1,anchor:3,
    text:20" or [("soft", 8), ...]; default all text. input_ids: T ids (default -1: none).
    The file is written to a temporary name, then renamed."""
    layers = _layers(attentions)
    heads, T = layers[0][0][0], layers[0][0][1]
    if tokens is not None:
        tokens = [str(t) for t in tokens]
        if len(tokens) != T:
            raise ExportError("tokens: %d for %d positions" % (len(tokens), T))
    ids = [-1] * T
    if input_ids is not None:
        if hasattr(input_ids, "tolist"):
            input_ids = input_ids.tolist()
        while isinstance(input_ids, list) and len(input_ids) == 1 and isinstance(input_ids[0], list):
            input_ids = input_ids[0]
        ids = [int(i) for i in input_ids]
        if len(ids) != T:
            raise ExportError("input_ids: %d for %d positions" % (len(ids), T))
    packed_ids = array.array("q", ids)
    if sys.byteorder != "little":
        packed_ids.byteswap()
    tensors = [("input_ids", "I64", [1, T], packed_ids.tobytes())]
    for i, (shape, data) in enumerate(layers):
        tensors.append(("attentions.%d" % i, "F32", [1] + shape, data))
    metadata = {
        "layout": json.dumps([_layout_segments(layout, T)]),
        "capture": "full",
        "model": json.dumps({"family": "imported", "layers": len(layers), "heads": heads,
                             "kv_heads": heads}),
    }
    if tokens is not None:
        metadata["tokens"] = json.dumps(tokens, ensure_ascii=False)
    write_safetensors_tensors(path, tensors, metadata)


# ---- examples ----

_STRING_FIELDS = ("prompt", "prompt_raw", "anchor", "prediction")


def _check_example(i, ex, count, shared):
    where = "example %d" % i
    if not isinstance(ex, dict):
        raise ExportError("%s is not a dict" % where)
    out = dict(ex)
    if "id" in out:
        if not isinstance(out["id"], (str, int)) or isinstance(out["id"], bool):
            raise ExportError("%s: id must be a string or an integer" % where)
        where = "example %s" % out["id"]
    if "prompt" not in out and "prompt_raw" not in out and "input_ids" not in out:
        raise ExportError("%s has no prompt (an empty string is fine with an anchor)" % where)
    for key in _STRING_FIELDS:
        if key in out and out[key] is not None and not isinstance(out[key], str):
            raise ExportError("%s: %s must be a string" % (where, key))
    gold = out.get("gold")
    if gold is not None and not isinstance(gold, str):
        if not isinstance(gold, (list, tuple)) or not all(isinstance(g, str) for g in gold):
            raise ExportError("%s: gold must be a string or a list of strings" % where)
        out["gold"] = list(gold)
    if "correct" in out and out["correct"] is not None:
        c = out["correct"]
        if c in (0, 1) and not isinstance(c, float):
            out["correct"] = bool(c)
        else:
            raise ExportError("%s: correct must be true or false" % where)
    if not shared:
        index = out.setdefault("soft_index", i)
        if not isinstance(index, int) or isinstance(index, bool) or not 0 <= index < count:
            raise ExportError("%s: soft_index %r is not a row of the %d prefixes"
                              % (where, index, count))
    elif out.get("soft_index") not in (None, 0):
        raise ExportError("%s: soft_index %r, but there is one shared prefix"
                          % (where, out["soft_index"]))
    for key, value in out.items():
        # attnx rejects text that is not UTF-8; lone surrogates are the one way Python gets there.
        if isinstance(value, str):
            try:
                value.encode("utf-8")
            except UnicodeEncodeError:
                raise ExportError("%s: %s is not valid Unicode text" % (where, key)) from None
    return out


def export_dataset(path_prefix, soft_tokens, examples, prediction_field=None, metadata=None):
    """Writes PATH_PREFIX.safetensors and PATH_PREFIX.jsonl; returns their paths.

    soft_tokens: [N, M, d] (example i uses row soft_index, default i) or [M, d] (shared).
    examples: dicts with "id", "prompt" (or "prompt_raw"), and optionally "anchor", "gold"
    (string or list), "prediction", "correct", "soft_index". With prediction_field, that key of
    each example is written as "prediction".
    """
    shape, data = _as_float32(soft_tokens)
    if len(shape) not in (2, 3) or 0 in shape:
        raise ExportError("soft tokens must be [N, M, d] or [M, d], not %s" % (shape,))
    shared = len(shape) == 2
    count = 1 if shared else shape[0]
    rows = []
    seen = {}
    for i, ex in enumerate(examples):
        if prediction_field and isinstance(ex, dict) and prediction_field in ex:
            ex = dict(ex)
            ex["prediction"] = ex.pop(prediction_field)
        row = _check_example(i, ex, count, shared)
        key = str(row.get("id", "line %d" % (i + 1)))
        if key in seen:
            raise ExportError("examples %d and %d share the id %s" % (seen[key], i, key))
        seen[key] = i
        rows.append(row)
    if not rows:
        raise ExportError("there are no examples")
    st_path, jsonl_path = path_prefix + ".safetensors", path_prefix + ".jsonl"
    write_safetensors(st_path, shape, data, metadata=metadata)
    lines = "".join(json.dumps(r, ensure_ascii=False, allow_nan=False) + "\n" for r in rows)
    _write_atomically(jsonl_path, lines.encode("utf-8"))
    return st_path, jsonl_path


# ---- command line ----


def _load_embeddings(path, key):
    if path.endswith(".npy"):
        import numpy as np

        return np.load(path)
    import torch

    obj = torch.load(path, map_location="cpu")
    if isinstance(obj, dict):
        if key not in obj:
            raise ExportError("%s holds a dict without %r (keys: %s); choose one with --key"
                              % (path, key, ", ".join(map(str, obj))))
        obj = obj[key]
    if not hasattr(obj, "detach"):
        raise ExportError("%s does not hold a tensor" % path)
    return obj


def _read_jsonl(path):
    out = []
    with open(path, encoding="utf-8") as f:
        for n, line in enumerate(f, 1):
            if line.strip():
                try:
                    out.append(json.loads(line))
                except json.JSONDecodeError as e:
                    raise ExportError("%s:%d: broken JSON (%s)" % (path, n, e)) from None
    return out


def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--embeddings", required=True, help="torch .pt/.pth (tensor or dict) or .npy")
    p.add_argument("--examples", required=True, help="JSONL, one example per line")
    p.add_argument("--out", required=True, help="output prefix: writes OUT.safetensors, OUT.jsonl")
    p.add_argument("--key", default=TENSOR_NAME, help="tensor name inside a saved dict")
    p.add_argument("--prediction-field", default=None,
                   help="field of the examples that holds the prediction")
    args = p.parse_args(argv)
    try:
        soft = _load_embeddings(args.embeddings, args.key)
        examples = _read_jsonl(args.examples)
        st, jl = export_dataset(args.out, soft, examples, args.prediction_field,
                                metadata={"source": os.path.basename(args.embeddings)})
    except (ExportError, OSError, ImportError) as e:
        print("export_soft_tokens: %s" % e, file=sys.stderr)
        return 1
    print("wrote %s and %s (%d examples)" % (st, jl, len(examples)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
